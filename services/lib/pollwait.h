/* services/lib/pollwait.h: waiting for a device without interrupts: look,
 * yield the CPU, look again, until a deadline. */
#ifndef ANVIL_SERVICES_LIB_POLLWAIT_H
#define ANVIL_SERVICES_LIB_POLLWAIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Until done(arg) is true: 0, or -ETIMEDOUT after timeout_ms. */
int poll_until(bool (*done)(void *arg), void *arg, int timeout_ms);
/* As poll_until, but sleeping on irq_fd (an irq: fd) between looks; polls
 * when irq_fd is -1. Race-free: an interrupt after a look wakes the next sleep. */
int poll_irq_until(int irq_fd, bool (*done)(void *arg), void *arg, int timeout_ms);
/* As poll_irq_until on a level-triggered line (irq:N, which the kernel
 * masks when it fires): after each wake quiet(arg) makes the device lower
 * it (virtio: read ISR), then the line is acknowledged (unmasked). */
int poll_line_until(int line_fd, bool (*done)(void *arg), void (*quiet)(void *arg), void *arg,
                    int timeout_ms);
/* Until the register at base + off, masked, equals want: 0 or -ETIMEDOUT. */
int poll_reg32(volatile void *base, size_t off, uint32_t mask, uint32_t want, int timeout_ms);

#endif
