/* services/fbcond/draw.h: painting the screen model into the framebuffer. */
#ifndef FBCOND_DRAW_H
#define FBCOND_DRAW_H

#include <anvil/psf.h>
#include <stdint.h>

#include "vt.h"

struct fb {
    uint8_t *base;           /* the mapped framebuffer */
    uint32_t width, height, pitch;   /* pixels, pixels, bytes per row */
    uint8_t pos[3], size[3]; /* red, green, blue channel layout */
    struct anvil_psf_font font;
    uint32_t scale;          /* whole font scale, as the kernel's fbcon picks */
    uint32_t cell_w, cell_h;
    int cols, rows;
    int cursor_x, cursor_y;  /* where the cursor was painted, -1: nowhere */
};

/* Cell size and grid for f's font and screen. */
void draw_layout(struct fb *f);
/* Paint v's dirty rows and the cursor; the rows are clean after. */
void draw_paint(struct fb *f, struct vt *v);

#endif
