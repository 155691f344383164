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

int pcidev_bar_claim(const struct pcidev_bar *b)
{
    struct anvil_grant g[3] = {
        {.kind = b->kind == PCIDEV_BAR_IO ? ANVIL_GRANT_IOPORT : ANVIL_GRANT_MEMORY},
        {.kind = ANVIL_GRANT_DMA},
        {.kind = ANVIL_GRANT_IRQ, .start = ANVIL_IRQ_MSI, .end = ANVIL_IRQ_MSI},
    };
    char path[64];
    int fd, err;

    if ((err = bar_sane(b)) < 0)
        return err;
    g[0].start = b->base;
    g[0].end = b->base + (b->kind == PCIDEV_BAR_IO ? b->size : bar_span(b)) - 1;
    /* Keep the MSI grant if we hold one (EPERM: we do not; then without it). */
    if (syscall(ANVIL_SYS_GRANT_RESTRICT, g, 3) < 0 &&
        (errno != EPERM || syscall(ANVIL_SYS_GRANT_RESTRICT, g, 2) < 0))
        return -errno;
    if (b->kind != PCIDEV_BAR_IO)
        return 0;
    snprintf(path, sizeof(path), "ioport:0x%llx-0x%llx", (unsigned long long)g[0].start,
             (unsigned long long)g[0].end);
    if ((fd = open(path, O_RDWR | O_CLOEXEC)) < 0)
        return -errno;
    close(fd);   /* the ports stay open for the process */
    return 0;
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
