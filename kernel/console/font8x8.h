/* kernel/console/font8x8.h: the framebuffer console's bitmap font. */
#ifndef ANVIL_CONSOLE_FONT8X8_H
#define ANVIL_CONSOLE_FONT8X8_H

#include <stdint.h>

#define FONT_WIDTH 8
#define FONT_HEIGHT 8
#define FONT_FIRST 32     /* ' ' */
#define FONT_LAST 126     /* '~' */

/* One byte per row, top row first, bit 7 is the leftmost pixel. */
extern const uint8_t font8x8[FONT_LAST - FONT_FIRST + 1][FONT_HEIGHT];

#endif
