/* kernel/console/fbcon.h: a text console drawn into a linear framebuffer
 * (feature "fbcon"). */
#ifndef ANVIL_CONSOLE_FBCON_H
#define ANVIL_CONSOLE_FBCON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "boot/boot_info.h"

/* Map and clear the framebuffer; false if it is not 32 bpp RGB or cannot be
 * mapped, and the console then stays off. */
bool fbcon_init(const struct boot_framebuffer *fb);

/* The embedded PSF file fbcon draws with: false when fbcon is off. */
bool fbcon_font_file(const uint8_t **data, size_t *len);

/* Clear the screen and put the cursor home (after a console service drew). */
void fbcon_reset(void);

/* Draw one character; handles \n \r \b \t, wraps and scrolls. */
void fbcon_putc(char c);

#endif
