/* services/init/drivers.c: binding PCI drivers to the devices pcid reports.
 * pcid writes "device LINE" (a pci: line) to init:control for every function
 * it finds; the first driver in the table whose match fits and that has no
 * device yet gets it: its grants become exactly that device's BARs (each
 * must lie inside a driver_window), its INTx line (likewise), dma and an
 * MSI vector, and init starts
 * and supervises it like any service. Only pcid may report devices. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "init.h"

#define PCI_SCHEME "pci"
#define PAGE 4096u

/* pcid: the running service that provides pci: (and is no driver). */
static bool from_pcid(struct table *t, pid_t caller)
{
    for (int i = 0; i < t->count; i++) {
        const struct service *s = &t->svc[i];
        for (int k = 0; k < s->provides.n && !s->driver; k++)
            if (strcmp(s->provides.w[k], PCI_SCHEME) == 0)
                return s->pid > 0 && s->pid == caller;
    }
    return false;
}

static bool fits(const struct service *s, const struct pcidev *d)
{
    return (s->match_class == PCIDEV_ANY || s->match_class == d->class) &&
           (s->match_vendor == PCIDEV_ANY || s->match_vendor == d->vendor) &&
           (s->match_device == PCIDEV_ANY || s->match_device == d->device);
}

static bool same_device(const struct pcidev *a, const struct pcidev *b)
{
    return a->bus == b->bus && a->dev == b->dev && a->fn == b->fn;
}

/* g inside one of the windows of its kind. */
static bool in_window(const struct table *t, const struct anvil_grant *g)
{
    for (int i = 0; i < t->window_count; i++)
        if (t->windows[i].kind == g->kind && g->start >= t->windows[i].start &&
            g->end <= t->windows[i].end)
            return true;
    return false;
}

/* The grant BAR b needs (whole pages for memory: it is mapped by page): 0,
 * or -EPERM when it is malformed or outside the windows. */
static int bar_grant(const struct table *t, const struct pcidev_bar *b, struct anvil_grant *g)
{
    uint64_t size = b->kind == PCIDEV_BAR_MEM ? (b->size + PAGE - 1) & ~(uint64_t)(PAGE - 1)
                                              : b->size;

    memset(g, 0, sizeof(*g));
    g->kind = b->kind == PCIDEV_BAR_IO ? ANVIL_GRANT_IOPORT : ANVIL_GRANT_MEMORY;
    g->start = b->base;
    g->end = b->base + size - 1;
    if (size == 0 || g->end < g->start || (b->kind == PCIDEV_BAR_MEM && b->base % PAGE))
        return -EPERM;
    return in_window(t, g) ? 0 : -EPERM;
}

/* s's grants for d. A BAR outside the windows is left out (and logged): the
 * driver cannot reach it, whatever pcid said. */
static void device_grants(const struct table *t, struct service *s, const struct pcidev *d)
{
    struct anvil_grant g[ANVIL_GRANTS_MAX];
    int n = 0;

    for (int i = 0; i < PCIDEV_BARS; i++) {
        if (d->bar[i].kind == PCIDEV_BAR_NONE)
            continue;
        if (bar_grant(t, &d->bar[i], &g[n]) == 0)
            n++;
        else
            printf("init: %s: %02x:%02x.%x bar%d 0x%llx+0x%llx is not inside a PCI window: "
                   "not granted\n", s->name, d->bus, d->dev, d->fn, i,
                   (unsigned long long)d->bar[i].base, (unsigned long long)d->bar[i].size);
    }
    /* the legacy line, for a driver whose device has no MSI: only an ISA
     * line (the irq: scheme has no others) inside the windows */
    if (d->irq >= 0 && d->irq < ANVIL_IRQ_MSI) {
        g[n] = (struct anvil_grant){.kind = ANVIL_GRANT_IRQ, .start = (uint64_t)d->irq,
                                    .end = (uint64_t)d->irq};
        n += in_window(t, &g[n]);
    }
    g[n++] = (struct anvil_grant){.kind = ANVIL_GRANT_DMA};
    g[n++] = (struct anvil_grant){.kind = ANVIL_GRANT_IRQ, .start = ANVIL_IRQ_MSI,
                                  .end = ANVIL_IRQ_MSI};
    memcpy(s->grants, g, sizeof(g[0]) * (size_t)n);
    s->grant_count = n;
}

int drivers_device(struct table *t, pid_t caller, const char *line)
{
    struct pcidev d;

    if (!from_pcid(t, caller))
        return -EPERM;
    if (pcidev_parse(line, &d) < 0)
        return -EINVAL;
    for (int i = 0; i < t->count; i++) {
        struct service *s = &t->svc[i];
        if (!s->driver || !fits(s, &d))
            continue;
        if (s->bound && same_device(&s->dev, &d))
            return 0;   /* pcid restarted: it is ours already */
        if (s->bound)
            continue;
        device_grants(t, s, &d);
        s->dev = d;
        s->bound = true;
        s->state = SVC_STOPPED;
        printf("init: %s drives %02x:%02x.%x\n", s->name, d.bus, d.dev, d.fn);
        if (t->booted)
            supervise_start(s);   /* else start_in_order reaches it */
        return 0;
    }
    return -ENODEV;
}

void drivers_env(const struct service *s)
{
    char addr[16];

    if (!s->driver)
        return;
    snprintf(addr, sizeof(addr), "%02x:%02x.%x", s->dev.bus, s->dev.dev, s->dev.fn);
    setenv(PCIDEV_ENV, addr, 1);
}
