/* services/fbcond/vt_csi.c: the control sequences BusyBox vi, less and top
 * send (ECMA-48 §8.3 names in comments): cursor motion, erase, insert and
 * delete, SGR colours, the scroll region, modes and the status report. */
#include <stdio.h>
#include <string.h>

#include "vt_csi.h"

#define SGR_BRIGHT 8      /* palette offset of the bright colours */

/* Parameter i, with 0 or absent meaning def (ECMA-48 §5.4.2). */
static int param(const struct vt *v, int i, int def)
{
    return i < v->nparams && v->params[i] > 0 ? v->params[i] : def;
}

static int clamp(int val, int lo, int hi)
{
    return val < lo ? lo : val > hi ? hi : val;
}

static void move_to(struct vt *v, int x, int y)
{
    v->cur.x = clamp(x, 0, v->cols - 1);
    v->cur.y = clamp(y, 0, v->rows - 1);
    v->wrap_pending = false;
}

/* Vertical motion stays inside the scroll region when it starts there. */
static void move_rows(struct vt *v, int n)
{
    int y = v->cur.y + n, lo = 0, hi = v->rows - 1;

    if (v->cur.y >= v->top && v->cur.y <= v->bottom) {
        lo = v->top;
        hi = v->bottom;
    }
    move_to(v, v->cur.x, clamp(y, lo, hi));
}

/* ED, erase in page: 0 cursor to end, 1 start to cursor, 2 all. */
static void erase_display(struct vt *v, int mode)
{
    int y = v->cur.y;

    if (mode == 0) {
        vt_clear_cells(v, y, v->cur.x, v->cols);
        for (int r = y + 1; r < v->rows; r++)
            vt_clear_cells(v, r, 0, v->cols);
    } else if (mode == 1) {
        for (int r = 0; r < y; r++)
            vt_clear_cells(v, r, 0, v->cols);
        vt_clear_cells(v, y, 0, v->cur.x + 1);
    } else if (mode == 2 || mode == 3) {
        for (int r = 0; r < v->rows; r++)
            vt_clear_cells(v, r, 0, v->cols);
    }
}

/* EL, erase in line: 0 cursor to end, 1 start to cursor, 2 the line. */
static void erase_line(struct vt *v, int mode)
{
    if (mode == 0)
        vt_clear_cells(v, v->cur.y, v->cur.x, v->cols);
    else if (mode == 1)
        vt_clear_cells(v, v->cur.y, 0, v->cur.x + 1);
    else if (mode == 2)
        vt_clear_cells(v, v->cur.y, 0, v->cols);
}

/* IL and DL: lines inserted or deleted at the cursor, inside the region. */
static void insert_lines(struct vt *v, int n, bool insert)
{
    if (v->cur.y < v->top || v->cur.y > v->bottom)
        return;
    vt_scroll(v, v->cur.y, v->bottom, insert ? -n : n);
    v->cur.x = 0;
    v->wrap_pending = false;
}

/* ICH and DCH: characters shifted right (insert) or left (delete) in the line. */
static void shift_chars(struct vt *v, int n, bool insert)
{
    struct vt_cell *row = v->screen + v->cur.y * v->cols;
    int x = v->cur.x, room = v->cols - x;

    n = clamp(n, 1, room);
    if (insert) {
        memmove(row + x + n, row + x, (size_t)(room - n) * sizeof(*row));
        vt_clear_cells(v, v->cur.y, x, x + n);
    } else {
        memmove(row + x, row + x + n, (size_t)(room - n) * sizeof(*row));
        vt_clear_cells(v, v->cur.y, v->cols - n, v->cols);
    }
}

/* One SGR parameter. */
static void sgr_one(struct vt *v, int p)
{
    if (p == 0) {
        v->cur.fg = VT_DEFAULT_FG;
        v->cur.bg = VT_DEFAULT_BG;
        v->cur.attr = 0;
    } else if (p == 1) {
        v->cur.attr |= VT_ATTR_BOLD;
    } else if (p == 22) {
        v->cur.attr &= (uint8_t)~VT_ATTR_BOLD;
    } else if (p == 7) {
        v->cur.attr |= VT_ATTR_REVERSE;
    } else if (p == 27) {
        v->cur.attr &= (uint8_t)~VT_ATTR_REVERSE;
    } else if (p >= 30 && p <= 37) {
        v->cur.fg = (uint8_t)(p - 30);
    } else if (p == 39) {
        v->cur.fg = VT_DEFAULT_FG;
    } else if (p >= 40 && p <= 47) {
        v->cur.bg = (uint8_t)(p - 40);
    } else if (p == 49) {
        v->cur.bg = VT_DEFAULT_BG;
    } else if (p >= 90 && p <= 97) {
        v->cur.fg = (uint8_t)(p - 90 + SGR_BRIGHT);
    } else if (p >= 100 && p <= 107) {
        v->cur.bg = (uint8_t)(p - 100 + SGR_BRIGHT);
    }
}

static void sgr(struct vt *v)
{
    for (int i = 0; i < v->nparams; i++)
        sgr_one(v, v->params[i]);
}

/* DECSTBM: the scroll region; the cursor goes home. */
static void set_region(struct vt *v)
{
    int top = param(v, 0, 1) - 1, bottom = param(v, 1, v->rows) - 1;

    if (bottom >= v->rows)
        bottom = v->rows - 1;
    if (top >= bottom)
        return;   /* a region of one line or less is ignored, as xterm does */
    v->top = top;
    v->bottom = bottom;
    move_to(v, 0, 0);
}

/* xterm's alternate screen (?1049: with the cursor saved, ?47/?1047 without). */
static void alt_screen(struct vt *v, bool on, bool with_cursor)
{
    if (on == (v->screen == v->alt))
        return;
    if (on && with_cursor)
        v->saved_main = v->cur;
    v->screen = on ? v->alt : v->main;
    if (on)
        for (int y = 0; y < v->rows; y++)
            vt_clear_cells(v, y, 0, v->cols);
    if (!on && with_cursor)
        v->cur = v->saved_main;
    for (int y = 0; y < v->rows; y++)
        v->dirty[y] = true;
    v->wrap_pending = false;
}

/* DECSET/DECRST (private '?'): the modes we keep; others are ignored. */
static void private_mode(struct vt *v, bool on)
{
    for (int i = 0; i < v->nparams; i++) {
        int m = v->params[i];
        if (m == 25)
            v->cursor_visible = on;
        else if (m == 1049)
            alt_screen(v, on, true);
        else if (m == 47 || m == 1047)
            alt_screen(v, on, false);
    }
}

/* DSR: 5 asks for status (answer: fine), 6 for the cursor position (CPR). */
static void status_report(struct vt *v)
{
    char buf[VT_REPLY_MAX];

    if (v->private_mark)
        return;
    if (param(v, 0, 0) == 5) {
        vt_reply(v, "\033[0n");
    } else if (param(v, 0, 0) == 6) {
        snprintf(buf, sizeof(buf), "\033[%d;%dR", v->cur.y + 1, v->cur.x + 1);
        vt_reply(v, buf);
    }
}

/* CUU CUD CUF CUB CNL CPL CHA CUP VPA HVP. */
static bool motion(struct vt *v, char final)
{
    int n = param(v, 0, 1);

    switch (final) {
    case 'A': move_rows(v, -n); break;
    case 'B': case 'e': move_rows(v, n); break;
    case 'C': case 'a': move_to(v, v->cur.x + n, v->cur.y); break;
    case 'D': move_to(v, v->cur.x - n, v->cur.y); break;
    case 'E': move_rows(v, n); v->cur.x = 0; break;
    case 'F': move_rows(v, -n); v->cur.x = 0; break;
    case 'G': case '`': move_to(v, n - 1, v->cur.y); break;
    case 'd': move_to(v, v->cur.x, n - 1); break;
    case 'H': case 'f': move_to(v, param(v, 1, 1) - 1, n - 1); break;
    default: return false;
    }
    return true;
}

void vt_csi_run(struct vt *v, char final)
{
    if (v->private_mark == '?' && (final == 'h' || final == 'l')) {
        private_mode(v, final == 'h');
        return;
    }
    if (v->private_mark && final != 'n')
        return;   /* other private sequences (DA2 and the like): none kept */
    if (motion(v, final))
        return;
    switch (final) {
    case 'J': erase_display(v, param(v, 0, 0)); break;
    case 'K': erase_line(v, param(v, 0, 0)); break;
    case 'L': insert_lines(v, param(v, 0, 1), true); break;
    case 'M': insert_lines(v, param(v, 0, 1), false); break;
    case '@': shift_chars(v, param(v, 0, 1), true); break;
    case 'P': shift_chars(v, param(v, 0, 1), false); break;
    case 'X': vt_clear_cells(v, v->cur.y, v->cur.x,
                             v->cur.x + clamp(param(v, 0, 1), 1, v->cols - v->cur.x)); break;
    case 'S': vt_scroll(v, v->top, v->bottom, param(v, 0, 1)); break;
    case 'T': vt_scroll(v, v->top, v->bottom, -param(v, 0, 1)); break;
    case 'm': sgr(v); break;
    case 'r': set_region(v); break;
    case 's': vt_save_cursor(v); break;
    case 'u': vt_restore_cursor(v); break;
    case 'n': status_report(v); break;
    case 'c': vt_reply(v, "\033[?6c"); break;   /* DA: a VT102 */
    }
}
