/* services/fbcond/vt.h: the terminal's screen model: a grid of cells that
 * bytes change as a VT100/xterm does (ECMA-48 control functions, the subset
 * BusyBox vi, less and top use). No drawing here: fbcond paints the rows
 * marked dirty, and a host test checks the model. */
#ifndef FBCOND_VT_H
#define FBCOND_VT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VT_MAX_PARAMS 16
#define VT_REPLY_MAX 32
#define VT_DEFAULT_FG 7   /* palette index: light grey */
#define VT_DEFAULT_BG 0   /* black */
#define VT_ATTR_BOLD 0x01
#define VT_ATTR_REVERSE 0x02
#define VT_HISTORY_ROWS 1000   /* scrollback: rows that left the top of the main screen */

struct vt_cell {
    uint8_t ch;              /* printable ASCII; anything else shows as '?' */
    uint8_t fg, bg;          /* palette indexes 0..15 */
    uint8_t attr;            /* VT_ATTR_* */
};

struct vt_cursor {
    int x, y;
    uint8_t fg, bg, attr;
};

struct vt {
    int cols, rows;
    struct vt_cell *screen;  /* the grid shown: main or alt */
    struct vt_cell *main, *alt;
    bool *dirty;             /* per row: changed since the last paint */
    struct vt_cursor cur, saved, saved_main;   /* saved_main: around ?1049 */
    bool wrap_pending;       /* the last column was written: wrap on the next */
    bool cursor_visible;
    int top, bottom;         /* scroll region, rows inclusive */
    int state;               /* parser state */
    int params[VT_MAX_PARAMS];
    int nparams;
    char private_mark;       /* '?' or '>' after CSI, else 0 */
    char reply[VT_REPLY_MAX];   /* what the terminal answers (DSR), for the tty */
    size_t reply_len;
    struct vt_cell *history; /* ring of VT_HISTORY_ROWS rows, oldest at hist_first */
    int hist_first, hist_count;
    int view;                /* rows scrolled back: 0 shows the screen itself */
};

/* A blank cols x rows screen: 0, or -1 when out of memory. */
int vt_init(struct vt *v, int cols, int rows);
void vt_free(struct vt *v);
/* Take n bytes of output. */
void vt_feed(struct vt *v, const char *s, size_t n);
/* The cell at column x, row y of the screen shown. */
const struct vt_cell *vt_cell_at(const struct vt *v, int x, int y);
/* The cell at column x, row y of what is viewed: the screen, or with view > 0
 * the scrollback's rows above it. */
const struct vt_cell *vt_view_cell(const struct vt *v, int x, int y);
/* Scroll the view back (n > 0) or forward by n rows, within the history: the
 * rows moved. Every row becomes dirty when it moves. */
int vt_view_scroll(struct vt *v, int n);

#endif
