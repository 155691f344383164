/* services/netd/link.c: lwIP's Ethernet interface over the card's frame
 * scheme (net.NAME:, include/anvil/net.h). Received frames come in
 * batches through a non-blocking handle netd polls; frames lwIP sends are
 * gathered and written in one batch per turn of the loop through a
 * blocking handle (the driver waits for room in its transmit queue). */
#include <anvil/net.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "lwip/etharp.h"
#include "lwip/pbuf.h"
#include "netd.h"
#include "svc.h"

#define BATCH_BYTES (64 * 1024)      /* a scheme window: about 40 full frames */
#define READS_PER_TURN 8             /* batches taken before the loop looks at others */
#define MTU 1500

static int rx_fd = -1, tx_fd = -1;
static uint8_t mac[ANVIL_NET_MAC_LEN];
static uint8_t rxbuf[BATCH_BYTES], txbuf[BATCH_BYTES];
static size_t txlen;
struct link_counts link_counts;

/* "52:54:00:12:34:56\n" into mac: 0 or -EINVAL. */
static int mac_parse(const char *s)
{
    unsigned b[ANVIL_NET_MAC_LEN];
    char tail;

    if (sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%c", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5],
               &tail) != 7 || tail != '\n')
        return -EINVAL;
    for (int i = 0; i < ANVIL_NET_MAC_LEN; i++)
        mac[i] = (uint8_t)b[i];
    return 0;
}

int link_open(const char *scheme)
{
    char path[64], text[32];
    int fd;
    ssize_t n;

    snprintf(path, sizeof(path), "%s:mac", scheme);
    if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
        return -errno;
    n = read(fd, text, sizeof(text) - 1);
    close(fd);
    text[n > 0 ? n : 0] = '\0';
    if (mac_parse(text) < 0)
        return -EINVAL;
    snprintf(path, sizeof(path), "%s:", scheme);
    if ((rx_fd = open(path, O_RDWR | O_NONBLOCK | O_CLOEXEC)) < 0 ||
        (tx_fd = open(path, O_RDWR | O_CLOEXEC)) < 0)
        return -errno;
    return rx_fd;
}

void link_close(void)
{
    if (rx_fd >= 0)
        close(rx_fd);
    if (tx_fd >= 0)
        close(tx_fd);
    rx_fd = tx_fd = -1;
    txlen = 0;   /* frames for a card that is gone */
}

int link_flush(void)
{
    size_t done = 0;

    while (done < txlen && tx_fd >= 0) {
        ssize_t n = write(tx_fd, txbuf + done, txlen - done);
        if (n <= 0) {
            txlen = 0;   /* the frames are lost; TCP sends again */
            return n < 0 && errno != EAGAIN ? -errno : 0;
        }
        done += (size_t)n;
    }
    txlen = 0;
    return 0;
}

/* lwIP's linkoutput: the frame (a pbuf chain) as a record in the batch. */
static err_t link_output(struct netif *nif, struct pbuf *p)
{
    (void)nif;
    if (p->tot_len < ANVIL_NET_FRAME_MIN || p->tot_len > ANVIL_NET_FRAME_MAX)
        return ERR_ARG;
    if (txlen + ANVIL_NET_RECORD_HEAD + p->tot_len > sizeof(txbuf) && link_flush() < 0)
        return ERR_IF;
    link_counts.tx_packets++;
    link_counts.tx_bytes += p->tot_len;
    anvil_net_record_put(txbuf + txlen, p->tot_len);
    pbuf_copy_partial(p, txbuf + txlen + ANVIL_NET_RECORD_HEAD, p->tot_len, 0);
    txlen += ANVIL_NET_RECORD_HEAD + p->tot_len;
    return ERR_OK;
}

err_t link_netif_init(struct netif *nif)
{
    nif->name[0] = 'e';
    nif->name[1] = 'n';
    nif->mtu = MTU;
    nif->hwaddr_len = ANVIL_NET_MAC_LEN;
    memcpy(nif->hwaddr, mac, ANVIL_NET_MAC_LEN);
    nif->flags = NETIF_FLAG_BROADCAST | NETIF_FLAG_ETHARP | NETIF_FLAG_ETHERNET;
    nif->output = etharp_output;
    nif->linkoutput = link_output;
    netif_set_hostname(nif, "anvil");
    return ERR_OK;
}

/* One batch's records to lwIP; a malformed record ends the batch (the
 * driver is trusted no more than anyone). */
static void batch_input(size_t len)
{
    size_t at = 0;

    while (len - at >= ANVIL_NET_RECORD_HEAD) {
        uint16_t flen = anvil_net_record_len(rxbuf + at);
        struct pbuf *p;

        at += ANVIL_NET_RECORD_HEAD;
        if (flen < ANVIL_NET_FRAME_MIN || flen > ANVIL_NET_FRAME_MAX || flen > len - at)
            return;
        link_counts.rx_packets++;
        link_counts.rx_bytes += flen;
        if ((p = pbuf_alloc(PBUF_RAW, flen, PBUF_POOL))) {
            pbuf_take(p, rxbuf + at, flen);
            if (netd_if.input(p, &netd_if) != ERR_OK)
                pbuf_free(p);
        }
        at += flen;
    }
}

int link_input(void)
{
    for (int i = 0; i < READS_PER_TURN; i++) {
        ssize_t n = read(rx_fd, rxbuf, sizeof(rxbuf));
        if (n < 0)
            return errno == EAGAIN || errno == EINTR ? 0 : -errno;
        if (n == 0)
            return 0;
        batch_input((size_t)n);
    }
    return 0;
}
