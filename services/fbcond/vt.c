/* services/fbcond/vt.c: the parser and screen model. States follow the
 * shape of ECMA-48 §5.4 (an ESC, then a control sequence: parameters, an
 * optional private marker, a final byte 0x40-0x7e); the functions are the
 * VT100's (VT100 User Guide ch. 3) plus xterm's alternate screen. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vt.h"
#include "vt_csi.h"

#define TAB_WIDTH 8
#define ESC 0x1b
#define PARAM_MAX 9999   /* larger parameters are clamped: no overflow */

enum { GROUND, ESCAPE, ESCAPE_SKIP, CSI, CSI_IGNORE };

static void blank(struct vt *v, struct vt_cell *c)
{
    c->ch = ' ';
    c->fg = v->cur.fg;
    c->bg = v->cur.bg;
    c->attr = v->cur.attr & VT_ATTR_REVERSE;
}

void vt_clear_cells(struct vt *v, int y, int x0, int x1)
{
    for (int x = x0; x < x1; x++)
        blank(v, &v->screen[y * v->cols + x]);
    v->dirty[y] = true;
}

static void reset_state(struct vt *v)
{
    v->cur = (struct vt_cursor){.fg = VT_DEFAULT_FG, .bg = VT_DEFAULT_BG};
    v->saved = v->saved_main = v->cur;
    v->wrap_pending = false;
    v->cursor_visible = true;
    v->top = 0;
    v->bottom = v->rows - 1;
    v->state = GROUND;
    v->screen = v->main;
    for (int y = 0; y < v->rows; y++)
        vt_clear_cells(v, y, 0, v->cols);
}

int vt_init(struct vt *v, int cols, int rows)
{
    size_t n = (size_t)cols * (size_t)rows;

    memset(v, 0, sizeof(*v));
    v->cols = cols;
    v->rows = rows;
    v->main = calloc(n, sizeof(struct vt_cell));
    v->alt = calloc(n, sizeof(struct vt_cell));
    v->dirty = calloc((size_t)rows, sizeof(bool));
    v->history = calloc((size_t)cols * VT_HISTORY_ROWS, sizeof(struct vt_cell));
    if (cols < 1 || rows < 1 || !v->main || !v->alt || !v->dirty || !v->history) {
        vt_free(v);
        return -1;
    }
    reset_state(v);
    return 0;
}

void vt_free(struct vt *v)
{
    free(v->main);
    free(v->alt);
    free(v->dirty);
    free(v->history);
    v->main = v->alt = v->screen = v->history = NULL;
    v->dirty = NULL;
}

const struct vt_cell *vt_cell_at(const struct vt *v, int x, int y)
{
    return &v->screen[y * v->cols + x];
}

const struct vt_cell *vt_view_cell(const struct vt *v, int x, int y)
{
    int h = v->hist_count - v->view + y;   /* the row's index in the history */

    if (h >= v->hist_count)
        return vt_cell_at(v, x, y - v->view);
    return &v->history[((v->hist_first + h) % VT_HISTORY_ROWS) * v->cols + x];
}

static void mark_all_dirty(struct vt *v)
{
    for (int y = 0; y < v->rows; y++)
        v->dirty[y] = true;
}

int vt_view_scroll(struct vt *v, int n)
{
    int to = v->view + n, old = v->view;

    if (to > v->hist_count)
        to = v->hist_count;
    if (to < 0)
        to = 0;
    v->view = to;
    if (to != old)
        mark_all_dirty(v);
    return to - old;
}

/* A row leaving the top of the main screen is kept in the history; a view
 * scrolled back stays on the same rows as they move up. */
static void keep_row(struct vt *v, const struct vt_cell *row)
{
    int slot = (v->hist_first + v->hist_count) % VT_HISTORY_ROWS;

    if (v->hist_count == VT_HISTORY_ROWS)
        v->hist_first = (v->hist_first + 1) % VT_HISTORY_ROWS;
    else
        v->hist_count++;
    memcpy(&v->history[slot * v->cols], row, (size_t)v->cols * sizeof(*row));
    if (v->view > 0)
        vt_view_scroll(v, 1);
}

/* Rows [top, bottom] move up by n (down when n < 0); the freed rows blank. */
void vt_scroll(struct vt *v, int top, int bottom, int n)
{
    int height = bottom - top + 1, count = abs(n) < height ? abs(n) : height;
    size_t row = (size_t)v->cols * sizeof(struct vt_cell);
    struct vt_cell *base = v->screen + top * v->cols;

    if (n > 0 && top == 0 && v->screen == v->main)
        for (int i = 0; i < count; i++)
            keep_row(v, base + i * v->cols);
    if (n > 0)
        memmove(base, base + count * v->cols, (size_t)(height - count) * row);
    else
        memmove(base + count * v->cols, base, (size_t)(height - count) * row);
    for (int i = 0; i < count; i++)
        vt_clear_cells(v, n > 0 ? bottom - i : top + i, 0, v->cols);
    for (int y = top; y <= bottom; y++)
        v->dirty[y] = true;
}

/* Down one row, scrolling the region at its bottom line (LF, IND). */
void vt_linefeed(struct vt *v)
{
    v->wrap_pending = false;
    if (v->cur.y == v->bottom)
        vt_scroll(v, v->top, v->bottom, 1);
    else if (v->cur.y < v->rows - 1)
        v->cur.y++;
}

/* Up one row, scrolling the region down at its top line (RI). */
static void reverse_index(struct vt *v)
{
    v->wrap_pending = false;
    if (v->cur.y == v->top)
        vt_scroll(v, v->top, v->bottom, -1);
    else if (v->cur.y > 0)
        v->cur.y--;
}

static void put_char(struct vt *v, char c)
{
    struct vt_cell *cell;

    if (v->wrap_pending) {
        v->cur.x = 0;
        vt_linefeed(v);
    }
    cell = &v->screen[v->cur.y * v->cols + v->cur.x];
    cell->ch = (unsigned char)c;
    cell->fg = v->cur.fg;
    cell->bg = v->cur.bg;
    cell->attr = v->cur.attr;
    v->dirty[v->cur.y] = true;
    if (v->cur.x == v->cols - 1)
        v->wrap_pending = true;
    else
        v->cur.x++;
}

void vt_reply(struct vt *v, const char *s)
{
    size_t n = strlen(s);

    if (n <= VT_REPLY_MAX - v->reply_len) {
        memcpy(v->reply + v->reply_len, s, n);
        v->reply_len += n;
    }
}

void vt_save_cursor(struct vt *v)
{
    v->saved = v->cur;
}

void vt_restore_cursor(struct vt *v)
{
    v->cur = v->saved;
    v->wrap_pending = false;
}

static void control(struct vt *v, unsigned char c)
{
    switch (c) {
    case '\r':
        v->cur.x = 0;
        v->wrap_pending = false;
        break;
    case '\n': case '\v': case '\f':
        vt_linefeed(v);
        break;
    case '\b':
        if (v->cur.x > 0)
            v->cur.x--;
        v->wrap_pending = false;
        break;
    case '\t':
        v->cur.x = (v->cur.x / TAB_WIDTH + 1) * TAB_WIDTH;
        if (v->cur.x >= v->cols)
            v->cur.x = v->cols - 1;
        break;
    case ESC:
        v->state = ESCAPE;
        break;
    }
}

static void escape(struct vt *v, unsigned char c)
{
    v->state = GROUND;
    switch (c) {
    case '[':
        v->state = CSI;
        v->nparams = 0;
        v->params[0] = 0;
        v->private_mark = 0;
        break;
    case '(': case ')': case '*': case '+': case '#':
        v->state = ESCAPE_SKIP;   /* a character set or line size: one more byte */
        break;
    case '7': vt_save_cursor(v); break;
    case '8': vt_restore_cursor(v); break;
    case 'D': vt_linefeed(v); break;
    case 'E': v->cur.x = 0; vt_linefeed(v); break;
    case 'M': reverse_index(v); break;
    case 'c': reset_state(v); break;
    }
}

/* One byte of a control sequence: digits and ';' build the parameters; the
 * final byte runs the function. */
static void csi(struct vt *v, unsigned char c)
{
    if (c >= '0' && c <= '9') {
        int *p = &v->params[v->nparams];
        *p = *p * 10 + (c - '0');
        if (*p > PARAM_MAX)
            *p = PARAM_MAX;
    } else if (c == ';') {
        if (v->nparams + 1 >= VT_MAX_PARAMS) {
            v->state = CSI_IGNORE;
            return;
        }
        v->params[++v->nparams] = 0;
    } else if (c >= '<' && c <= '?') {
        v->private_mark = (char)c;
    } else if (c >= 0x40 && c <= 0x7e) {
        v->nparams++;
        v->state = GROUND;
        vt_csi_run(v, (char)c);
    } else if (c < 0x20) {
        control(v, c);   /* C0 controls act inside a sequence too (ECMA-48 §5.4) */
    } else {
        v->state = CSI_IGNORE;   /* intermediates: nothing we implement */
    }
}

static void feed_byte(struct vt *v, unsigned char c)
{
    switch (v->state) {
    case ESCAPE:
        escape(v, c);
        return;
    case ESCAPE_SKIP:
        v->state = GROUND;
        return;
    case CSI:
        csi(v, c);
        return;
    case CSI_IGNORE:
        if (c >= 0x40 && c <= 0x7e)
            v->state = GROUND;
        return;
    }
    if (c < 0x20 || c == 0x7f)
        control(v, c);
    else if (c >= 0x80 && c < 0xc0)
        return;   /* UTF-8 continuation: the lead byte drew the '?' */
    else
        put_char(v, c < 0x80 ? (char)c : '?');
}

void vt_feed(struct vt *v, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        feed_byte(v, (unsigned char)s[i]);
}
