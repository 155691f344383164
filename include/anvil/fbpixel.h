/* include/anvil/fbpixel.h: a 0xRRGGBB colour as a direct-colour framebuffer
 * pixel, each channel scaled into the field the boot loader described
 * (position and width in bits). Shared by the kernel's fbcon and the fbcond
 * service; freestanding. */
#ifndef ANVIL_FBPIXEL_H
#define ANVIL_FBPIXEL_H

#include <stdint.h>

/* Field layout: positions and widths of red, green and blue. */
struct anvil_fb_layout {
    uint8_t pos[3], size[3];
};

/* An 8-bit channel value in a size-bit field at pos (wider fields get 8 bits). */
static inline uint32_t anvil_fb_channel(uint32_t v8, uint8_t pos, uint8_t size)
{
    if (size == 0)
        return 0;
    if (size > 8)
        size = 8;
    return (v8 >> (8 - size)) << pos;
}

static inline uint32_t anvil_fb_pixel(const struct anvil_fb_layout *l, uint32_t rgb)
{
    return anvil_fb_channel((rgb >> 16) & 0xff, l->pos[0], l->size[0]) |
           anvil_fb_channel((rgb >> 8) & 0xff, l->pos[1], l->size[1]) |
           anvil_fb_channel(rgb & 0xff, l->pos[2], l->size[2]);
}

#endif
