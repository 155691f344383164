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

/* The grant BAR b needs: whole pages of a memory BAR (it is mapped by page). */
static struct anvil_grant bar_grant(const struct pcidev_bar *b)
{
    return (struct anvil_grant){
        .kind = b->kind == PCIDEV_BAR_IO ? ANVIL_GRANT_IOPORT : ANVIL_GRANT_MEMORY,
        .start = b->base,
        .end = b->base + (b->kind == PCIDEV_BAR_IO ? b->size : bar_span(b)) - 1,
    };
}

/* Keep g[0..n) and whichever of the nopt optional grants we hold (EPERM
 * for a set means one of them is not held: try the smaller sets), then
 * open the I/O BARs' ports: 0 or -errno. g has room for n + nopt. */
static int keep(struct anvil_grant *g, int n, const struct anvil_grant *opt, int nopt)
{
    int err = -EPERM;

    for (int mask = (1 << nopt) - 1; mask >= 0 && err == -EPERM; mask--) {
        int k = n;
        for (int i = 0; i < nopt; i++)
            if (mask & (1 << i))
                g[k++] = opt[i];
        err = syscall(ANVIL_SYS_GRANT_RESTRICT, g, (size_t)k) < 0 ? -errno : 0;
    }
    for (int i = 0; i < n && !err; i++)
        if (g[i].kind == ANVIL_GRANT_IOPORT)
            err = ports_open(&g[i]);
    return err;
}

int pcidev_claim(const struct pcidev *d, const int *bars, int n)
{
    struct anvil_grant g[PCIDEV_BARS + 3], opt[2] = {
        {.kind = ANVIL_GRANT_IRQ, .start = ANVIL_IRQ_MSI, .end = ANVIL_IRQ_MSI},
        {.kind = ANVIL_GRANT_IRQ, .start = (uint64_t)d->irq, .end = (uint64_t)d->irq},
    };

    if (n < 1 || n > PCIDEV_BARS)
        return -EINVAL;
    for (int i = 0; i < n; i++) {
        if (bars[i] < 0 || bars[i] >= PCIDEV_BARS || bar_sane(&d->bar[bars[i]]) < 0)
            return -ENODEV;
        g[i] = bar_grant(&d->bar[bars[i]]);
    }
    g[n] = (struct anvil_grant){.kind = ANVIL_GRANT_DMA};
    return keep(g, n + 1, opt, d->irq >= 0 && d->irq < ANVIL_IRQ_MSI ? 2 : 1);
}

int pcidev_bar_claim(const struct pcidev_bar *b)
{
    struct anvil_grant g[3], msi = {.kind = ANVIL_GRANT_IRQ, .start = ANVIL_IRQ_MSI,
                                    .end = ANVIL_IRQ_MSI};
    int err;

    if ((err = bar_sane(b)) < 0)
        return err;
    g[0] = bar_grant(b);
    g[1] = (struct anvil_grant){.kind = ANVIL_GRANT_DMA};
    return keep(g, 2, &msi, 1);
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
