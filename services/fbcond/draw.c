/* services/fbcond/draw.c: cells to pixels. 32 bpp direct colour only (what
 * the kernel's fbcon draws too); the cell grid and font scale follow fbcon's
 * rule, so the screen reads the same way (tests/guest/screentext.pl). Only
 * rows the model marked dirty are painted: under emulation every pixel
 * written costs. */
#include <stdbool.h>
#include <stddef.h>

#include <anvil/fbpixel.h>

#include "draw.h"

#define MIN_COLS 80   /* the scale keeps at least 80x25 cells, as fbcon's */
#define MIN_ROWS 25
#define PALETTE 16

/* The VGA palette with grey 7 as fbcon's foreground (0xd0d0d0). */
static const uint32_t palette[PALETTE] = {
    0x000000, 0xaa0000, 0x00aa00, 0xaa5500, 0x0000aa, 0xaa00aa, 0x00aaaa, 0xd0d0d0,
    0x555555, 0xff5555, 0x55ff55, 0xffff55, 0x5555ff, 0xff55ff, 0x55ffff, 0xffffff,
};

static uint32_t pixel(const struct fb *f, uint32_t rgb)
{
    const struct anvil_fb_layout l = {{f->pos[0], f->pos[1], f->pos[2]},
                                      {f->size[0], f->size[1], f->size[2]}};

    return anvil_fb_pixel(&l, rgb);
}

void draw_layout(struct fb *f)
{
    uint32_t s = 1;

    while (f->width / (f->font.width * (s + 1)) >= MIN_COLS &&
           f->height / (f->font.height * (s + 1)) >= MIN_ROWS)
        s++;
    f->scale = s;
    f->cell_w = f->font.width * s;
    f->cell_h = f->font.height * s;
    f->cols = (int)(f->width / f->cell_w);
    f->rows = (int)(f->height / f->cell_h);
    f->cursor_x = f->cursor_y = -1;
}

/* The pixel colours of a cell: bold brightens the eight base colours. */
static void colours(const struct fb *f, const struct vt_cell *c, bool cursor, uint32_t *fg,
                    uint32_t *bg)
{
    uint8_t fi = c->fg, bi = c->bg;
    bool reverse = (c->attr & VT_ATTR_REVERSE) != 0;

    if ((c->attr & VT_ATTR_BOLD) && fi < PALETTE / 2)
        fi = (uint8_t)(fi + PALETTE / 2);
    if (reverse != cursor) {
        uint8_t t = fi;
        fi = bi;
        bi = t;
    }
    *fg = pixel(f, palette[fi % PALETTE]);
    *bg = pixel(f, palette[bi % PALETTE]);
}

static void draw_cell(struct fb *f, const struct vt_cell *c, int cx, int cy, bool cursor)
{
    const uint8_t *glyph = anvil_psf_glyph(&f->font, c->ch);
    uint32_t fg, bg;

    colours(f, c, cursor, &fg, &bg);
    for (uint32_t y = 0; y < f->cell_h; y++) {
        const uint8_t *bits = glyph + y / f->scale * f->font.row_bytes;
        uint32_t *px = (uint32_t *)(f->base + ((size_t)cy * f->cell_h + y) * f->pitch) +
                       (size_t)cx * f->cell_w;
        for (uint32_t gx = 0; gx < f->font.width; gx++) {
            uint32_t v = (bits[gx / 8] & (0x80 >> gx % 8)) ? fg : bg;
            for (uint32_t s = 0; s < f->scale; s++)
                *px++ = v;
        }
    }
}

void draw_paint(struct fb *f, struct vt *v)
{
    int rows = v->rows < f->rows ? v->rows : f->rows, cols = v->cols < f->cols ? v->cols : f->cols;
    bool show = v->cursor_visible && v->view == 0 && v->cur.x < cols && v->cur.y < rows;

    if (f->cursor_x >= 0 && (f->cursor_x != v->cur.x || f->cursor_y != v->cur.y || !show))
        v->dirty[f->cursor_y] = true;   /* take the old cursor off */
    for (int y = 0; y < rows; y++) {
        if (!v->dirty[y])
            continue;
        for (int x = 0; x < cols; x++)
            draw_cell(f, vt_view_cell(v, x, y), x, y, false);
        v->dirty[y] = false;
    }
    f->cursor_x = f->cursor_y = -1;
    if (show) {
        draw_cell(f, vt_cell_at(v, v->cur.x, v->cur.y), v->cur.x, v->cur.y, true);
        f->cursor_x = v->cur.x;
        f->cursor_y = v->cur.y;
    }
}
