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
/* A received byte, or -1 if none is waiting. */
int serial_try_getc(void);
/* Raise IRQ 4 when a byte arrives (the caller routes the IRQ). */
void serial_enable_rx_irq(void);

#endif
