/* kernel/dev/serial.h: the 16550 UART on COM1, polled (feature "serial"). */
#ifndef ANVIL_DEV_SERIAL_H
#define ANVIL_DEV_SERIAL_H

#include <stdbool.h>

/* Program 115200 8N1 and check the UART answers; false if there is none. */
bool serial_init(void);
bool serial_present(void);

/* Output translates "\n" to "\r\n". Does nothing without a UART. */
void serial_putc(char c);
/* Wait until everything written has left the transmitter. */
void serial_flush(void);
/* Block until a byte arrives (polling). Only call when serial_present(). */
char serial_getc(void);

#endif
