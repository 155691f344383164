/* services/ps2d/i8042.h: the 8042 keyboard controller and the keyboard
 * behind its first port. */
#ifndef ANVIL_PS2D_I8042_H
#define ANVIL_PS2D_I8042_H

#include <stdbool.h>
#include <stdint.h>

/* Bytes that arrive while a command waits for its answer: keys typed. */
typedef void (*i8042_byte_fn)(uint8_t byte);

/* Open the ports (ioport:0x60, ioport:0x64): 0 or -errno. */
int i8042_open_ports(void);
/* Bring the controller up with translation to scan code set 1 and the
 * keyboard's interrupt on, and a mouse's when one answers on the second
 * port (*mouse): 0; -ENODEV when no controller answers or it fails its
 * self-test; other -errno (logged) for a keyboard in trouble. */
int i8042_init(bool *mouse);
/* A byte the controller holds (*from_mouse: from the second port), or -1. */
int i8042_read_byte(bool *from_mouse);
/* Set the lock LEDs (ANVIL_MOD_*LOCK bits); bytes typed meanwhile go to other. */
void i8042_set_leds(unsigned locks, i8042_byte_fn other);

#endif
