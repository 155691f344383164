/* services/virtio-netd/main.c: a virtio network card (legacy virtio-PCI
 * over its I/O BAR, QEMU's virtio-net-pci) served as net.NAME: (default
 * net.virtio). Reads give received Ethernet frames and writes send them,
 * in batches of length-prefixed records (include/anvil/net.h); "mac" reads
 * the card's address. One loop waits on the scheme and the card's MSI-X
 * vector (or polls without one) and answers reads and polls it held
 * (docs/network.md). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "device.h"
#include "pcidev.h"
#include "pollwait.h"
#include "svc.h"
#include "virtio_pci.h"

#define VIRTIO_DEV_NET_LEGACY 0x1000   /* transitional network card (§4.1.2.1) */
#define HANDLES_MAX 16
#define HELD_MAX 32                    /* reads and polls waiting for a frame */
#define POLL_MS 2                      /* how often we look without an interrupt */
#define TX_WAIT_MS 1000                /* a full transmit queue empties in this time, or EAGAIN */

enum handle_kind { H_FREE, H_FRAMES, H_MAC };

struct handle {
    int kind;
    bool nonblock;
};

static struct netdev card;
static struct handle handles[HANDLES_MAX];
static struct anvil_packet held[HELD_MAX];   /* waiting READs (window still mapped) and POLLs */
static int nheld;
static int server_fd;

static struct handle *handle_get(uint64_t h)
{
    return h < HANDLES_MAX && handles[h].kind != H_FREE ? &handles[h] : NULL;
}

static long net_open(struct svc_ctx *c, const char *path, int flags, unsigned mode)
{
    int kind = !*path ? H_FRAMES : !strcmp(path, "mac") ? H_MAC : H_FREE;

    (void)c;
    (void)mode;
    if (kind == H_FREE)
        return -ENOENT;
    if (kind == H_MAC && (flags & O_ACCMODE) != O_RDONLY)
        return -EACCES;
    for (int i = 0; i < HANDLES_MAX; i++)
        if (handles[i].kind == H_FREE) {
            handles[i] = (struct handle){kind, (flags & O_NONBLOCK) != 0};
            return i;
        }
    return -ENFILE;
}

/* Answer every held request of handle h (all when h is -1) that can be now;
 * with gone, all of h's: a read -EBADF, a poll "nothing". */
static void held_answer(int64_t h, bool gone)
{
    int kept = 0;

    for (int i = 0; i < nheld; i++) {
        struct anvil_packet *p = &held[i];
        bool mine = h < 0 || (int64_t)p->handle == h;
        long r;

        if (mine && gone)
            r = p->op == ANVIL_OP_READ ? -EBADF : 0;
        else if (mine && netdev_rx_ready(&card))
            r = p->op == ANVIL_OP_READ
                    ? netdev_read(&card, (uint8_t *)(uintptr_t)p->arg[0], p->arg[1])
                    : (long)(p->arg[2] & (POLLIN | POLLOUT));
        else {
            held[kept++] = *p;
            continue;
        }
        svc_reply(server_fd, p, r);
    }
    nheld = kept;
}

/* Keep c's request until a frame comes: SVC_DEFER, or -EAGAIN when full of
 * reads. A poller that returned for another fd never says so, so when the
 * list is full the oldest POLL is answered "nothing" to make room. */
static long hold(struct svc_ctx *c)
{
    if (nheld == HELD_MAX) {
        int i = 0;
        while (i < nheld && held[i].op != ANVIL_OP_POLL)
            i++;
        if (i == nheld)
            return -EAGAIN;
        svc_reply(server_fd, &held[i], 0);
        memmove(&held[i], &held[i + 1], (size_t)(nheld - i - 1) * sizeof(held[0]));
        nheld--;
    }
    held[nheld++] = *c->pkt;
    return SVC_DEFER;
}

static long net_read(struct svc_ctx *c, uint64_t h, void *buf, size_t len, uint64_t off)
{
    struct handle *f = handle_get(h);
    char text[24];
    long n;

    if (!f)
        return -EBADF;
    if (f->kind == H_MAC) {
        const uint8_t *m = card.mac;
        int tl = snprintf(text, sizeof(text), "%02x:%02x:%02x:%02x:%02x:%02x\n", m[0], m[1], m[2],
                          m[3], m[4], m[5]);
        if (off >= (uint64_t)tl)
            return 0;
        n = (long)(len < tl - off ? len : tl - off);
        memcpy(buf, text + off, (size_t)n);
        return n;
    }
    if ((n = netdev_read(&card, buf, len)) != 0)
        return n;
    return f->nonblock ? -EAGAIN : hold(c);
}

/* Wait (yielding) for a transmit buffer: the device takes sent ones back. */
static bool tx_room(void *arg)
{
    return netdev_tx_room(arg);
}

static long net_write(struct svc_ctx *c, uint64_t h, const void *buf, size_t len, uint64_t off)
{
    struct handle *f = handle_get(h);
    long n;

    (void)c;
    (void)off;
    if (!f)
        return -EBADF;
    if (f->kind != H_FRAMES)
        return -EBADF;
    n = netdev_write(&card, buf, len);
    if (n == -EAGAIN && !f->nonblock && poll_until(tx_room, &card, TX_WAIT_MS) == 0)
        n = netdev_write(&card, buf, len);
    return n;
}

static long net_poll(struct svc_ctx *c, uint64_t h, unsigned events)
{
    struct handle *f = handle_get(h);
    unsigned ready = POLLOUT;

    if (!f)
        return POLLERR;
    if (f->kind == H_MAC || netdev_rx_ready(&card))
        ready |= POLLIN;
    if ((ready & events) || !(events & POLLIN))
        return (long)(ready & events);
    return hold(c);
}

static long net_fstat(struct svc_ctx *c, uint64_t h, struct anvil_stat *st)
{
    struct handle *f = handle_get(h);

    (void)c;
    if (!f)
        return -EBADF;
    st->mode = f->kind == H_MAC ? S_IFREG | 0444 : S_IFCHR | 0600;
    st->size = f->kind == H_MAC ? 18 : 0;
    return 0;
}

static long net_close(struct svc_ctx *c, uint64_t h)
{
    (void)c;
    if (!handle_get(h))
        return -EBADF;
    held_answer((int64_t)h, true);
    handles[h].kind = H_FREE;
    return 0;
}

static const struct scheme_ops net_ops = {
    .open = net_open, .read = net_read, .write = net_write, .poll = net_poll,
    .fstat = net_fstat, .close = net_close,
};

/* Requests and frames, forever: returns only when the scheme fails. */
static int serve(void)
{
    struct pollfd p[2] = {{.fd = server_fd, .events = POLLIN}, {.fd = card.irq_fd, .events = POLLIN}};
    uint64_t count;
    int err;

    for (;;) {
        if (poll(p, card.irq_fd >= 0 ? 2 : 1, card.irq_fd >= 0 ? -1 : POLL_MS) < 0 && errno != EINTR)
            return -errno;
        if (card.irq_fd >= 0 && (p[1].revents & POLLIN) && read(card.irq_fd, &count, 8) < 0)
            return -EIO;
        if ((err = svc_serve_once(server_fd, &net_ops)) < 0 && err != -EAGAIN)
            return err;
        if (nheld)
            held_answer(-1, false);
    }
}

int main(int argc, char **argv)
{
    const char *scheme = argc > 1 ? argv[1] : "net.virtio";
    const uint8_t *m = card.mac;
    struct pcidev d;
    int port, err;

    if ((port = virtio_pci_find(VIRTIO_DEV_NET_LEGACY, &d)) < 0) {
        svc_log("virtio-netd: no usable virtio network card: %s", strerror(-port));
        return port == -ENODEV ? 0 : 1;   /* no card: nothing to restart for */
    }
    if ((err = netdev_start(&card, (uint16_t)port, pcidev_msix_vector(&d, "virtio-netd"))) < 0) {
        svc_log("virtio-netd: %02x:%02x.%x does not start: %s", d.bus, d.dev, d.fn, strerror(-err));
        return 1;
    }
    if ((server_fd = svc_register(scheme)) < 0) {
        svc_log("virtio-netd: cannot register %s: %s", scheme, strerror(-server_fd));
        return 1;
    }
    fcntl(server_fd, F_SETFL, O_NONBLOCK);
    svc_log("virtio-netd: %02x:%02x.%x at ports 0x%x, MAC %02x:%02x:%02x:%02x:%02x:%02x, "
            "%u+%u buffers, %s", d.bus, d.dev, d.fn, port, m[0], m[1], m[2], m[3], m[4], m[5],
            card.nrx, card.ntx, card.irq_fd >= 0 ? "MSI-X" : "polled");
    err = serve();
    svc_log("virtio-netd: serving %s failed: %s", scheme, strerror(-err));
    return 1;
}
