/* services/e1000d/main.c: an Intel 8254x gigabit card (QEMU's
 * `-device e1000`, an 82540EM) served as net.NAME: (default net.e1000) by
 * the frame scheme library (services/lib/netscheme.c), exactly as
 * virtio-netd serves its card: records of received and sent Ethernet
 * frames, and "mac". Receive interrupts come by MSI when the card has it,
 * else on its INTx line, else the card is polled (docs/network.md). */
#define _GNU_SOURCE
#include <anvil/syscall.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "device.h"
#include "pcidev.h"
#include "svc.h"

#define INTEL 0x8086
#define REGS_BAR 0                       /* the registers: 128 KiB of memory (§4.1) */

/* The 8254x models QEMU offers; all have the registers e1000d uses. */
static const struct {
    uint16_t id;
    const char *name;
} models[] = {{0x100e, "82540EM"}, {0x100f, "82545EM"}, {0x100c, "82544GC"}};

static struct e1000 card;

/* Our card into d, its grants narrowed to BAR0 (dma, MSI and its line kept),
 * enabled, BAR0 mapped at *regs: the model's name, or NULL with *err. */
static const char *card_take(struct pcidev *d, volatile void **regs, int *err)
{
    static const int bars[] = {REGS_BAR};

    *err = -ENODEV;
    for (size_t i = 0; i < sizeof(models) / sizeof(models[0]); i++) {
        if ((*err = pcidev_find(PCIDEV_ANY, INTEL, models[i].id, d)) == -ENODEV)
            continue;
        if (*err < 0 || (*err = pcidev_claim(d, bars, 1)) < 0 || (*err = pcidev_enable(d)) < 0 ||
            (*err = pcidev_bar_map(&d->bar[REGS_BAR], regs)) < 0)
            return NULL;
        return models[i].name;
    }
    return NULL;
}

/* MSI first, then the INTx line, else -1 (we poll); how, into how. */
static int irq_open(const struct pcidev *d, bool *line, char *how, size_t len)
{
    struct anvil_irq_msi msg;
    char path[16];
    int fd = pcidev_msi_enable(d);

    *line = false;
    if (fd >= 0 && pread(fd, &msg, sizeof(msg), 0) == sizeof(msg)) {
        snprintf(how, len, "MSI on vector 0x%x", (unsigned)msg.vector);
        return fd;
    }
    if (fd >= 0)
        close(fd);
    if (d->irq < 0 || d->irq >= ANVIL_IRQ_MSI) {
        snprintf(how, len, "polled (no MSI, no INTx line)");
        return -1;
    }
    snprintf(path, sizeof(path), "irq:%d", d->irq);
    if ((fd = open(path, O_RDWR | O_CLOEXEC)) < 0) {
        snprintf(how, len, "polled (INTx line %d: %s)", d->irq, strerror(errno));
        return -1;
    }
    *line = true;
    snprintf(how, len, "INTx on line %d", d->irq);
    return fd;
}

int main(int argc, char **argv)
{
    const char *scheme = argc > 1 ? argv[1] : "net.e1000", *model;
    const uint8_t *m = card.card.mac;
    volatile void *regs;
    struct pcidev d;
    char how[64];
    bool line;
    int err, irq;

    if (!(model = card_take(&d, &regs, &err))) {
        svc_log("e1000d: no usable Intel 8254x card: %s", strerror(-err));
        return err == -ENODEV ? 0 : 1;   /* no card: nothing to restart for */
    }
    irq = irq_open(&d, &line, how, sizeof(how));
    if ((err = e1000_start(&card, regs, irq, line)) < 0) {
        svc_log("e1000d: %02x:%02x.%x does not start: %s", d.bus, d.dev, d.fn, strerror(-err));
        return 1;
    }
    svc_log("e1000d: %02x:%02x.%x %s, MAC %02x:%02x:%02x:%02x:%02x:%02x, %u+%u descriptors, "
            "link %s, %s", d.bus, d.dev, d.fn, model, m[0], m[1], m[2], m[3], m[4], m[5],
            E1000_RING, E1000_RING, e1000_link_up(&card) ? "up" : "down", how);
    err = netscheme_serve(scheme, &card.card);
    svc_log("e1000d: serving %s failed: %s", scheme, strerror(-err));
    return 1;
}
