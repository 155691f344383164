/* kernel/dev/serial.c: the 16550 UART on COM1, polled: 115200 baud, 8 data
 * bits, no parity, 1 stop bit. Register map from the PC16550D data sheet. */
#ifdef ANVIL_FEATURE_SERIAL

#include <stdint.h>

#include "arch/x86_64/cpu.h"
#include "arch/x86_64/io.h"
#include "dev/serial.h"

#define COM1_BASE 0x3f8
/* Register offsets (PC16550D table 2); DLL/DLM when LCR.DLAB is set. */
#define UART_DATA 0   /* THR on write, RBR on read */
#define UART_IER 1
#define UART_FCR 2
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5
#define UART_DLL 0
#define UART_DLM 1

#define LCR_8N1 0x03
#define LCR_DLAB 0x80
#define FCR_ENABLE_CLEAR 0x07   /* FIFOs on, both cleared */
#define MCR_DTR_RTS 0x03
#define MCR_LOOPBACK 0x10
#define MCR_OUT2 0x08           /* gates the UART's IRQ line on PCs */
#define IER_RX_AVAILABLE 0x01
#define LSR_DATA_READY 0x01
#define LSR_THR_EMPTY 0x20
#define LSR_TX_IDLE 0x40

#define UART_CLOCK_DIVISOR 1    /* 115200 / 115200 */
#define LOOPBACK_PROBE 0xa5
/* Bound on waits, so a wedged or missing UART cannot hang the kernel. */
#define SPIN_LIMIT 1000000

/* Written at boot, read-only after. */
static bool serial_ok;

static void reg_write(unsigned reg, uint8_t v)
{
    x86_outb(COM1_BASE + reg, v);
}

static uint8_t reg_read(unsigned reg)
{
    return x86_inb(COM1_BASE + reg);
}

/* Wait for an LSR bit; false on timeout. */
static bool wait_lsr(uint8_t bit)
{
    for (unsigned i = 0; i < SPIN_LIMIT; i++) {
        if (reg_read(UART_LSR) & bit)
            return true;
        x86_pause();
    }
    return false;
}

bool serial_init(void)
{
    reg_write(UART_IER, 0);                  /* polled: no interrupts */
    reg_write(UART_LCR, LCR_DLAB);
    reg_write(UART_DLL, UART_CLOCK_DIVISOR & 0xff);
    reg_write(UART_DLM, UART_CLOCK_DIVISOR >> 8);
    reg_write(UART_LCR, LCR_8N1);
    reg_write(UART_FCR, FCR_ENABLE_CLEAR);
    /* A missing port reads as 0xff; in loopback a real one echoes a byte. */
    reg_write(UART_MCR, MCR_LOOPBACK | MCR_DTR_RTS);
    reg_write(UART_DATA, LOOPBACK_PROBE);
    serial_ok = wait_lsr(LSR_DATA_READY) && reg_read(UART_DATA) == LOOPBACK_PROBE;
    reg_write(UART_MCR, MCR_DTR_RTS);
    return serial_ok;
}

bool serial_present(void)
{
    return serial_ok;
}

static void put_raw(char c)
{
    if (wait_lsr(LSR_THR_EMPTY))
        reg_write(UART_DATA, (uint8_t)c);
}

void serial_putc(char c)
{
    if (!serial_ok)
        return;
    if (c == '\n')
        put_raw('\r');
    put_raw(c);
}

void serial_flush(void)
{
    if (serial_ok)
        wait_lsr(LSR_TX_IDLE);
}

char serial_getc(void)
{
    while (!(reg_read(UART_LSR) & LSR_DATA_READY))
        x86_pause();
    return (char)reg_read(UART_DATA);
}

int serial_try_getc(void)
{
    if (!serial_ok || !(reg_read(UART_LSR) & LSR_DATA_READY))
        return -1;
    return reg_read(UART_DATA);
}

void serial_enable_rx_irq(void)
{
    if (!serial_ok)
        return;
    reg_write(UART_MCR, MCR_DTR_RTS | MCR_OUT2);
    reg_write(UART_IER, IER_RX_AVAILABLE);
}

#endif /* ANVIL_FEATURE_SERIAL */
