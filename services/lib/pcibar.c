/* services/lib/pcibar.c: a driver taking its device's BAR: keeping only the
 * grants that BAR needs (plus dma: and MSI), and mapping a memory BAR's registers. */
#define _GNU_SOURCE
#include <anvil/syscall.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "pcidev.h"

#define PAGE 4096u
#define IOPORT_LAST 0xffffu

/* The pages a BAR occupies (memory: maps whole pages from a page boundary). */
static uint64_t bar_span(const struct pcidev_bar *b)
{
    return (b->size + PAGE - 1) & ~(uint64_t)(PAGE - 1);
}

/* A BAR from pci: we are willing to ask the kernel for: 0 or -ENODEV. */
static int bar_sane(const struct pcidev_bar *b)
{
    if (b->size == 0 || b->base + b->size < b->base)
        return -ENODEV;
    if (b->kind == PCIDEV_BAR_IO)
        return b->base + b->size - 1 <= IOPORT_LAST ? 0 : -ENODEV;
    if (b->kind == PCIDEV_BAR_MEM)
        return b->base % PAGE == 0 ? 0 : -ENODEV;
    return -ENODEV;
}

/* Open an I/O BAR's ports for the process (they stay open after close). */
static int ports_open(const struct anvil_grant *g)
{
    char path[64];
    int fd;

    snprintf(path, sizeof(path), "ioport:0x%llx-0x%llx", (unsigned long long)g->start,
             (unsigned long long)g->end);
    if ((fd = open(path, O_RDWR | O_CLOEXEC)) < 0)
        return -errno;
    close(fd);
    return 0;
}

int pcidev_claim(const struct pcidev_bar *const bars[], int n)
{
    struct anvil_grant g[PCIDEV_BARS + 2];
    int err;

    if (n < 1 || n > PCIDEV_BARS)
        return -EINVAL;
    for (int i = 0; i < n; i++) {
        const struct pcidev_bar *b = bars[i];
        if ((err = bar_sane(b)) < 0)
            return err;
        g[i] = (struct anvil_grant){
            .kind = b->kind == PCIDEV_BAR_IO ? ANVIL_GRANT_IOPORT : ANVIL_GRANT_MEMORY,
            .start = b->base,
            .end = b->base + (b->kind == PCIDEV_BAR_IO ? b->size : bar_span(b)) - 1,
        };
    }
    g[n] = (struct anvil_grant){.kind = ANVIL_GRANT_DMA};
    g[n + 1] = (struct anvil_grant){.kind = ANVIL_GRANT_IRQ, .start = ANVIL_IRQ_MSI,
                                    .end = ANVIL_IRQ_MSI};
    /* Keep the MSI grant if we hold one (EPERM: we do not; then without it). */
    if (syscall(ANVIL_SYS_GRANT_RESTRICT, g, (size_t)n + 2) < 0 &&
        (errno != EPERM || syscall(ANVIL_SYS_GRANT_RESTRICT, g, (size_t)n + 1) < 0))
        return -errno;
    for (int i = 0; i < n; i++)
        if (g[i].kind == ANVIL_GRANT_IOPORT && (err = ports_open(&g[i])) < 0)
            return err;
    return 0;
}

int pcidev_bar_claim(const struct pcidev_bar *b)
{
    const struct pcidev_bar *bars[1] = {b};

    return pcidev_claim(bars, 1);
}

int pcidev_bar_map(const struct pcidev_bar *b, volatile void **regs)
{
    char path[64];
    void *p;
    int fd, err = 0;

    if (b->kind != PCIDEV_BAR_MEM || bar_sane(b) < 0)
        return -ENODEV;
    snprintf(path, sizeof(path), "memory:0x%llx-0x%llx", (unsigned long long)b->base,
             (unsigned long long)(b->base + bar_span(b) - 1));
    if ((fd = open(path, O_RDWR | O_CLOEXEC)) < 0)
        return -errno;
    p = mmap(NULL, bar_span(b), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (p == MAP_FAILED)
        err = -errno;
    else
        *regs = p;
    close(fd);   /* the mapping stays */
    return err;
}

int pcidev_take_mem(uint32_t class, int bar, struct pcidev *d, volatile void **regs)
{
    int err;

    if ((err = pcidev_find(class, PCIDEV_ANY, PCIDEV_ANY, d)) < 0)
        return err;
    if (bar < 0 || bar >= PCIDEV_BARS || d->bar[bar].kind != PCIDEV_BAR_MEM)
        return -ENODEV;
    if ((err = pcidev_bar_claim(&d->bar[bar])) < 0 || (err = pcidev_enable(d)) < 0)
        return err;
    return pcidev_bar_map(&d->bar[bar], regs);
}
