/* tests/host/test_vt.c: fbcond's terminal model (services/fbcond/vt.c) on
 * the host: byte sequences as BusyBox vi, less and top send them, checked
 * against the cells, the cursor and the replies; hostile sequences (huge or
 * too many parameters, stray bytes) stay inside the grid. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "tap.h"
#include "vt.h"

#define COLS 20
#define ROWS 6

static struct vt v;

static void fresh(void)
{
    vt_free(&v);
    vt_init(&v, COLS, ROWS);
}

static void feed(const char *s)
{
    vt_feed(&v, s, strlen(s));
}

/* Row y's characters, trailing blanks dropped: of the screen, or with view
 * of what is viewed (the scrollback above the screen when scrolled back). */
static const char *row_text(int y, bool view)
{
    static char buf[COLS + 1];
    int end = 0;

    for (int x = 0; x < COLS; x++) {
        buf[x] = (char)(view ? vt_view_cell(&v, x, y) : vt_cell_at(&v, x, y))->ch;
        if (buf[x] != ' ')
            end = x + 1;
    }
    buf[end] = '\0';
    return buf;
}

static const char *row(int y)
{
    return row_text(y, false);
}

static const char *view_row(int y)
{
    return row_text(y, true);
}

static void cursor_is(int x, int y, const char *name)
{
    tap_ok(v.cur.x == x && v.cur.y == y, "%s (at %d,%d)", name, v.cur.x, v.cur.y);
}

static void test_text(void)
{
    fresh();
    feed("ab\r\ncd");
    tap_is_str(row(0), "ab", "text, CR LF");
    tap_is_str(row(1), "cd", "second line");
    feed("\bX\tY");
    tap_is_str(row(1), "cX      Y", "BS overwrites, TAB to column 8");
    fresh();
    feed("abcdefghijklmnopqrstu");
    tap_is_str(row(0), "abcdefghijklmnopqrst", "the 20th column fills the line");
    tap_is_str(row(1), "u", "the 21st wraps");
    fresh();
    feed("1\r\n2\r\n3\r\n4\r\n5\r\n6\r\n7");
    tap_is_str(row(0), "2", "LF at the bottom scrolls");
    tap_is_str(row(5), "7", "the last line");
    fresh();
    feed("\xc3\xa9!");
    tap_is_str(row(0), "?!", "UTF-8 shows as one '?'");
}

static void test_motion(void)
{
    fresh();
    feed("\033[2J\033[5;10Hhere");
    tap_is_str(row(4), "         here", "CSI 5;10H: row 5, column 10");
    feed("\033[H");
    cursor_is(0, 0, "CSI H: home");
    feed("\033[3B\033[4C");
    cursor_is(4, 3, "CSI B and C");
    feed("\033[2A\033[1D");
    cursor_is(3, 1, "CSI A and D");
    feed("\033[99;99f");
    cursor_is(COLS - 1, ROWS - 1, "CSI f past the end: clamped");
    feed("\033[7G\033[2d");
    cursor_is(6, 1, "CSI G and d");
    feed("\033[s\033[H\033[u");
    cursor_is(6, 1, "CSI s and u");
    feed("\0337\033[3;3H\0338");
    cursor_is(6, 1, "ESC 7 and ESC 8");
}

static void test_erase(void)
{
    fresh();
    feed("abcdef\r\nghijkl\r\nmnopqr\033[2;3H\033[K");
    tap_is_str(row(1), "gh", "CSI K: to the end of the line");
    feed("\033[1K");
    tap_is_str(row(1), "", "CSI 1K: to the cursor");
    feed("\033[J");
    tap_is_str(row(2), "", "CSI J: to the end of the screen");
    tap_is_str(row(0), "abcdef", "CSI J leaves the lines above");
    feed("\033[2J");
    tap_is_str(row(0), "", "CSI 2J: all");
    fresh();
    feed("abcdef\033[1;3H\033[2P");
    tap_is_str(row(0), "abef", "CSI P deletes characters");
    feed("\033[2@");
    tap_is_str(row(0), "ab  ef", "CSI @ inserts blanks");
    feed("\033[3X");
    tap_is_str(row(0), "ab   f", "CSI X erases characters");
}

static void test_lines(void)
{
    fresh();
    feed("0\r\n1\r\n2\r\n3\r\n4\r\n5\033[2;1H\033[L");
    tap_is_str(row(1), "", "CSI L inserts a blank line");
    tap_is_str(row(2), "1", "the lines below move down");
    tap_is_str(row(5), "4", "the last falls off");
    feed("\033[2M");
    tap_is_str(row(1), "2", "CSI 2M deletes two lines");
    tap_is_str(row(5), "", "blanks come in at the bottom");
    fresh();
    feed("0\r\n1\r\n2\r\n3\r\n4\r\n5\033[2;4r");
    cursor_is(0, 0, "CSI r homes the cursor");
    feed("\033[4;1H\nX");
    tap_is_str(row(1), "2", "LF at the region's bottom scrolls the region");
    tap_is_str(row(3), "X", "the new line at the region's bottom");
    tap_is_str(row(4), "4", "below the region stays");
    tap_is_str(row(0), "0", "above the region stays");
    feed("\033[2;1H\033M");
    tap_is_str(row(1), "", "ESC M at the region's top scrolls down");
    char second[COLS + 1];
    feed("\033[r\033[6;1H");
    snprintf(second, sizeof(second), "%s", row(1));
    feed("\n");
    tap_is_str(row(0), second, "CSI r: the whole screen scrolls again");
}

static void test_sgr(void)
{
    fresh();
    feed("\033[31;44;1mR\033[0mn\033[7mv\033[27;92mg\033[39;49m");
    const struct vt_cell *c = vt_cell_at(&v, 0, 0);
    tap_ok(c->fg == 1 && c->bg == 4 && c->attr == VT_ATTR_BOLD, "SGR 31;44;1");
    c = vt_cell_at(&v, 1, 0);
    tap_ok(c->fg == VT_DEFAULT_FG && c->bg == VT_DEFAULT_BG && !c->attr, "SGR 0 resets");
    tap_ok(vt_cell_at(&v, 2, 0)->attr == VT_ATTR_REVERSE, "SGR 7: reverse");
    c = vt_cell_at(&v, 3, 0);
    tap_ok(c->fg == 10 && !c->attr, "SGR 27;92: bright green, not reversed");
    tap_ok(v.cur.fg == VT_DEFAULT_FG && v.cur.bg == VT_DEFAULT_BG, "SGR 39;49: defaults");
}

static void test_modes(void)
{
    fresh();
    feed("main\033[?1049h");
    tap_is_str(row(0), "", "?1049h: a blank alternate screen");
    feed("\033[3;3Halt\033[?1049l");
    tap_is_str(row(0), "main", "?1049l: the main screen back");
    cursor_is(4, 0, "?1049l: the cursor back");
    feed("\033[?25l");
    tap_ok(!v.cursor_visible, "?25l hides the cursor");
    feed("\033[?25h");
    tap_ok(v.cursor_visible, "?25h shows it");
    feed("\033[2;5H\033[6n");
    tap_ok(v.reply_len == 6 && memcmp(v.reply, "\033[2;5R", 6) == 0, "DSR 6n: CPR 2;5");
    v.reply_len = 0;
    feed("\033(B\033)0x");
    tap_is_str(row(1), "    x", "character set designations are swallowed");
}

static void test_hostile(void)
{
    char many[256] = "\033[";

    fresh();
    feed("\033[99999999999999999999A\033[-5;H");
    tap_ok(v.cur.x >= 0 && v.cur.x < COLS && v.cur.y >= 0 && v.cur.y < ROWS, "huge parameters");
    for (int i = 0; i < 60; i++)
        strcat(many, "1;");
    strcat(many, "mZ");
    feed(many);
    tap_ok(v.state == 0, "too many parameters: ignored to the final byte");
    feed("\033[999L\033[999M\033[999@\033[999P\033[999S\033[999T\033[999X");
    tap_ok(1, "huge counts stay inside the grid");
    for (int i = 0; i < 50; i++)
        feed("\033[6n");
    tap_ok(v.reply_len <= VT_REPLY_MAX, "replies are bounded");
    feed("\033[5;2r\033[1;1r");
    tap_ok(v.top == 0 && v.bottom == ROWS - 1, "empty scroll regions are ignored");
}

/* Rows that scroll off the top of the main screen are kept; the view moves
 * back over them and stays on them while output goes on; the alternate
 * screen and scroll regions keep nothing. */
static void test_scrollback(void)
{
    char line[16];

    fresh();
    for (int i = 1; i <= 10; i++) {
        snprintf(line, sizeof(line), "r%d\r\n", i);
        feed(line);
    }
    tap_is_int(v.hist_count, 5, "scrollback: 10 lines and a cursor on 6 rows keep 5");
    tap_is_int(vt_view_scroll(&v, 3), 3, "scrollback: back 3 rows");
    tap_is_str(view_row(0), "r3", "scrollback: the view's top row is r3");
    tap_is_str(view_row(3), "r6", "scrollback: then the screen's first row");
    feed("r11\r\n");
    tap_is_str(view_row(0), "r3", "scrollback: new output does not move what is viewed");
    tap_is_int(vt_view_scroll(&v, 100), 2, "scrollback: back no further than the history");
    tap_is_str(view_row(0), "r1", "scrollback: the oldest row");
    tap_is_int(vt_view_scroll(&v, -100), -6, "scrollback: forward to the screen");
    tap_is_str(view_row(0), row(0), "scrollback: view 0 is the screen");
    fresh();
    feed("\x1b[?1049h");
    for (int i = 0; i < 10; i++)
        feed("x\r\n");
    tap_is_int(v.hist_count, 0, "scrollback: the alternate screen keeps nothing");
    feed("\x1b[?1049l\x1b[2;4r\x1b[4;1H\n\n\n");
    tap_is_int(v.hist_count, 0, "scrollback: a scroll region keeps nothing");
    fresh();
    for (int i = 0; i < VT_HISTORY_ROWS + 50; i++)
        feed("y\r\n");
    tap_is_int(v.hist_count, VT_HISTORY_ROWS, "scrollback: the ring stops at VT_HISTORY_ROWS");
    tap_is_int(vt_view_scroll(&v, VT_HISTORY_ROWS * 2), VT_HISTORY_ROWS, "scrollback: all of it");
}

int main(void)
{
    test_text();
    test_motion();
    test_erase();
    test_lines();
    test_sgr();
    test_modes();
    test_hostile();
    test_scrollback();
    vt_free(&v);
    return tap_done();
}
