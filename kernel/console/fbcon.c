/* kernel/console/fbcon.c: a text console drawn straight into the linear
 * framebuffer the boot loader set up: 32 bpp direct RGB, a PSF font that
 * mkimage embedded (the large one on screens FBCON_LARGE_WIDTH pixels wide
 * or more, so a laptop panel stays readable), scaled by a whole factor only
 * on screens big enough for 80x25 cells even so, scrolling by moving pixel
 * rows up. */
#ifdef ANVIL_FEATURE_FBCON

#include <stddef.h>
#include <stdint.h>

#include <anvil/fbpixel.h>

#include "arch/x86_64/paging.h"
#include "console/fbcon.h"
#include "console/psf.h"

#define TAB_WIDTH 8
#define FBCON_LARGE_WIDTH 1280   /* from here on the large font */
#define MIN_COLS 80           /* the font scale keeps at least 80x25 cells */
#define MIN_ROWS 25
#define FG_RGB 0xd0d0d0       /* light grey on black */
#define BG_RGB 0x000000

/* Written by fbcon_init at boot; cursor state is only touched by the
 * console, which runs on one CPU with interrupts off. */
static struct {
    struct anvil_psf_font font;
    const uint8_t *font_file;   /* the PSF file font was read from */
    size_t font_len;
    uint8_t *base;
    uint32_t pitch;           /* bytes per pixel row */
    uint32_t width;           /* pixels per row */
    uint32_t scale;
    uint32_t cell_w, cell_h;  /* pixels per character cell */
    uint32_t cols, rows;
    uint32_t cx, cy;          /* cursor, in cells */
    uint32_t fg, bg;          /* pixel values */
} fbcon;

static uint32_t pixel(const struct boot_framebuffer *fb, uint32_t rgb)
{
    const struct anvil_fb_layout l = {{fb->red_pos, fb->green_pos, fb->blue_pos},
                                      {fb->red_size, fb->green_size, fb->blue_size}};

    return anvil_fb_pixel(&l, rgb);
}

static uint32_t *pixel_row(uint32_t y)
{
    return (uint32_t *)(fbcon.base + (size_t)y * fbcon.pitch);
}

/* Fill text rows [first, first + count) with the background. */
static void clear_rows(uint32_t first, uint32_t count)
{
    uint32_t y_end = (first + count) * fbcon.cell_h;

    for (uint32_t y = first * fbcon.cell_h; y < y_end; y++) {
        uint32_t *row = pixel_row(y);

        for (uint32_t x = 0; x < fbcon.width; x++)
            row[x] = fbcon.bg;
    }
}

static void scroll_up(void)
{
    size_t line_bytes = (size_t)fbcon.cell_h * fbcon.pitch;
    uint32_t *dst = (uint32_t *)fbcon.base;
    const uint32_t *src = (const uint32_t *)(fbcon.base + line_bytes);
    size_t words = (fbcon.rows - 1) * line_bytes / sizeof(uint32_t);

    /* Word copies: byte-wise memmove over video memory is slow. */
    for (size_t i = 0; i < words; i++)
        dst[i] = src[i];
    clear_rows(fbcon.rows - 1, 1);
}

static void newline(void)
{
    fbcon.cx = 0;
    if (fbcon.cy + 1 < fbcon.rows) {
        fbcon.cy++;
        return;
    }
    scroll_up();
}

/* One font row of a glyph (bit 7 of its first byte leftmost), widened by
 * the scale, into pixel row y. */
static void draw_glyph_row(uint32_t y, uint32_t x0, const uint8_t *bits)
{
    uint32_t *row = pixel_row(y) + x0;

    for (uint32_t gx = 0; gx < fbcon.font.width; gx++) {
        uint32_t v = (bits[gx / 8] & (0x80 >> gx % 8)) ? fbcon.fg : fbcon.bg;

        for (uint32_t s = 0; s < fbcon.scale; s++)
            *row++ = v;
    }
}

static void draw_char(char c)
{
    const uint8_t *glyph = psf_glyph(&fbcon.font, (unsigned char)c);
    uint32_t x0 = fbcon.cx * fbcon.cell_w;
    uint32_t y0 = fbcon.cy * fbcon.cell_h;

    for (uint32_t y = 0; y < fbcon.cell_h; y++)
        draw_glyph_row(y0 + y, x0, glyph + y / fbcon.scale * fbcon.font.row_bytes);
}

void fbcon_putc(char c)
{
    if (!fbcon.base)
        return;
    switch (c) {
    case '\n':
        newline();
        return;
    case '\r':
        fbcon.cx = 0;
        return;
    case '\b':
        if (fbcon.cx > 0)
            fbcon.cx--;
        return;
    case '\t':
        fbcon.cx = (fbcon.cx / TAB_WIDTH + 1) * TAB_WIDTH;
        if (fbcon.cx >= fbcon.cols)
            newline();
        return;
    }
    if (fbcon.cx >= fbcon.cols)
        newline();
    draw_char(c);
    fbcon.cx++;
}

void fbcon_reset(void)
{
    if (!fbcon.base)
        return;
    clear_rows(0, fbcon.rows);
    fbcon.cx = fbcon.cy = 0;
}

/* The largest whole scale that still gives MIN_COLS x MIN_ROWS cells. */
static uint32_t pick_scale(uint32_t width, uint32_t height)
{
    uint32_t s = 1;

    while (width / (fbcon.font.width * (s + 1)) >= MIN_COLS &&
           height / (fbcon.font.height * (s + 1)) >= MIN_ROWS)
        s++;
    return s;
}

/* The embedded font for a screen width pixels wide (fonts.S). */
static int pick_font(uint32_t width)
{
    extern const uint8_t fbcon_font_small[], fbcon_font_small_end[];
    extern const uint8_t fbcon_font_large[], fbcon_font_large_end[];
    const uint8_t *start = width >= FBCON_LARGE_WIDTH ? fbcon_font_large : fbcon_font_small;
    const uint8_t *end = width >= FBCON_LARGE_WIDTH ? fbcon_font_large_end : fbcon_font_small_end;

    fbcon.font_file = start;
    fbcon.font_len = (size_t)(end - start);
    return psf_parse(start, fbcon.font_len, &fbcon.font);
}

bool fbcon_font_file(const uint8_t **data, size_t *len)
{
    if (!fbcon.base)
        return false;
    *data = fbcon.font_file;
    *len = fbcon.font_len;
    return true;
}

bool fbcon_init(const struct boot_framebuffer *fb)
{
    uint64_t size = (uint64_t)fb->pitch * fb->height;

    if (!fb->usable || fb->pitch < (uint64_t)fb->width * sizeof(uint32_t) ||
        pick_font(fb->width) < 0 || fb->width < fbcon.font.width ||
        fb->height < fbcon.font.height)
        return false;
    if (!x86_direct_map_covers(fb->phys, size) && x86_direct_map_extend(fb->phys, size) < 0)
        return false;
    fbcon.pitch = fb->pitch;
    fbcon.width = fb->width;
    fbcon.scale = pick_scale(fb->width, fb->height);
    fbcon.cell_w = fbcon.font.width * fbcon.scale;
    fbcon.cell_h = fbcon.font.height * fbcon.scale;
    fbcon.cols = fb->width / fbcon.cell_w;
    fbcon.rows = fb->height / fbcon.cell_h;
    fbcon.fg = pixel(fb, FG_RGB);
    fbcon.bg = pixel(fb, BG_RGB);
    fbcon.base = x86_phys_to_virt(fb->phys);
    clear_rows(0, fbcon.rows);
    return true;
}

#endif /* ANVIL_FEATURE_FBCON */
