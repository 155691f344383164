/* services/lib/netscheme.c: the net.NAME: scheme over a struct net_card.
 * "" moves frames (reads receive, writes send, in batches of records),
 * "mac" reads the card's address as text. One loop waits on the scheme and
 * the card's interrupt (or looks every NETSCHEME_POLL_MS) and answers the
 * reads and polls it held until a frame came (docs/network.md). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "netscheme.h"
#include "pollwait.h"
#include "svc.h"

#define HANDLES_MAX 16
#define HELD_MAX 32                  /* reads and polls waiting for a frame */
#define TX_WAIT_MS 1000              /* a full transmit ring empties in this time, or EAGAIN */
#define MAC_TEXT 18                  /* "52:54:00:12:34:56\n" */

enum handle_kind { H_FREE, H_FRAMES, H_MAC };

struct handle {
    int kind;
    bool nonblock;
};

/* One card per process: set by netscheme_serve, used by its one loop. */
static struct net_card *card;
static struct handle handles[HANDLES_MAX];
static struct anvil_packet held[HELD_MAX];   /* waiting READs (window still mapped) and POLLs */
static int nheld;
static int server_fd;

uint16_t netscheme_record(const uint8_t *buf, size_t len, size_t off)
{
    uint16_t flen;

    if (off > len || len - off < ANVIL_NET_RECORD_HEAD)
        return 0;
    flen = anvil_net_record_len(buf + off);
    if (flen < ANVIL_NET_FRAME_MIN || flen > ANVIL_NET_FRAME_MAX ||
        flen > len - off - ANVIL_NET_RECORD_HEAD)
        return 0;
    return flen;
}

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
        else if (mine && card->rx_ready(card))
            r = p->op == ANVIL_OP_READ
                    ? card->read(card, (uint8_t *)(uintptr_t)p->arg[0], p->arg[1])
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

static long mac_read(void *buf, size_t len, uint64_t off)
{
    const uint8_t *m = card->mac;
    char text[MAC_TEXT + 1];
    int tl = snprintf(text, sizeof(text), "%02x:%02x:%02x:%02x:%02x:%02x\n", m[0], m[1], m[2],
                      m[3], m[4], m[5]);
    long n;

    if (off >= (uint64_t)tl)
        return 0;
    n = (long)(len < tl - off ? len : tl - off);
    memcpy(buf, text + off, (size_t)n);
    return n;
}

static long net_read(struct svc_ctx *c, uint64_t h, void *buf, size_t len, uint64_t off)
{
    struct handle *f = handle_get(h);
    long n;

    if (!f)
        return -EBADF;
    if (f->kind == H_MAC)
        return mac_read(buf, len, off);
    if ((n = card->read(card, buf, len)) != 0)
        return n;
    return f->nonblock ? -EAGAIN : hold(c);
}

/* Wait (yielding) for a transmit buffer: the card gives sent ones back. */
static bool tx_room(void *arg)
{
    struct net_card *n = arg;

    return n->tx_room(n);
}

static long net_write(struct svc_ctx *c, uint64_t h, const void *buf, size_t len, uint64_t off)
{
    struct handle *f = handle_get(h);
    long n;

    (void)c;
    (void)off;
    if (!f || f->kind != H_FRAMES)
        return -EBADF;
    n = card->write(card, buf, len);
    if (n == -EAGAIN && !f->nonblock && poll_until(tx_room, card, TX_WAIT_MS) == 0)
        n = card->write(card, buf, len);
    return n;
}

static long net_poll(struct svc_ctx *c, uint64_t h, unsigned events)
{
    struct handle *f = handle_get(h);
    unsigned ready = POLLOUT;

    if (!f)
        return POLLERR;
    if (f->kind == H_MAC || card->rx_ready(card))
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
    st->size = f->kind == H_MAC ? MAC_TEXT : 0;
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

/* Take the interrupts counted on the card's fd: a line is quieted at the
 * card, then acknowledged so the kernel unmasks it. 0 or -EIO. */
static int irq_take(void)
{
    uint64_t count;

    if (read(card->irq_fd, &count, sizeof(count)) < 0)
        return -EIO;
    if (card->quiet)
        card->quiet(card);
    if (card->irq_line && write(card->irq_fd, &count, sizeof(count)) < 0)
        return -EIO;
    return 0;
}

/* Requests and frames, forever: returns only when the scheme fails. */
static int serve(void)
{
    bool irq = card->irq_fd >= 0;
    struct pollfd p[2] = {{.fd = server_fd, .events = POLLIN}, {.fd = card->irq_fd, .events = POLLIN}};
    int err;

    for (;;) {
        if (poll(p, irq ? 2 : 1, irq ? -1 : NETSCHEME_POLL_MS) < 0 && errno != EINTR)
            return -errno;
        if (irq && (p[1].revents & POLLIN) && (err = irq_take()) < 0)
            return err;
        if ((err = svc_serve_once(server_fd, &net_ops)) < 0 && err != -EAGAIN)
            return err;
        if (nheld)
            held_answer(-1, false);
    }
}

int netscheme_serve(const char *scheme, struct net_card *c)
{
    card = c;
    if ((server_fd = svc_register(scheme)) < 0)
        return server_fd;
    fcntl(server_fd, F_SETFL, O_NONBLOCK);
    return serve();
}
