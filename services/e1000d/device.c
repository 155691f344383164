/* services/e1000d/device.c: bringing an 8254x card up, in the order of the
 * manual's chapter 14 (General Initialization): reset with interrupts
 * masked, link and flow control, the address (RAL0/RAH0, else the EEPROM)
 * and filters, the rings, then receive and transmit on and the receive
 * interrupts unmasked when someone takes them. */
#include <errno.h>
#include <time.h>

#include "device.h"
#include "mmio.h"
#include "pollwait.h"
#include "regs.h"

#define RESET_MS 100                     /* CTRL.RST clears within this (§14.9: ~1 us) */
#define EEPROM_MS 10                     /* an EERD word read */

/* Reset the whole card (§14.9) with every interrupt masked before and
 * after (§14.4 asks for both): 0 or -ETIMEDOUT. */
static int card_reset(volatile void *r)
{
    struct timespec settle = {0, 1000000};   /* the EEPROM's auto-read after reset */
    int err;

    mmio_write32(r, E1000_IMC, E1000_INT_ALL);
    mmio_write32(r, E1000_CTRL, mmio_read32(r, E1000_CTRL) | E1000_CTRL_RST);
    nanosleep(&settle, NULL);
    if ((err = poll_reg32(r, E1000_CTRL, E1000_CTRL_RST, 0, RESET_MS)) < 0)
        return err;
    mmio_write32(r, E1000_IMC, E1000_INT_ALL);
    (void)mmio_read32(r, E1000_ICR);
    return 0;
}

/* Link up with auto-speed, no VLANs, no flow control (§14.3). */
static void link_setup(volatile void *r)
{
    uint32_t ctrl = mmio_read32(r, E1000_CTRL);

    ctrl &= ~(E1000_CTRL_LRST | E1000_CTRL_ILOS | E1000_CTRL_VME | E1000_CTRL_PHY_RST);
    mmio_write32(r, E1000_CTRL, ctrl | E1000_CTRL_ASDE | E1000_CTRL_SLU);
    mmio_write32(r, E1000_FCAL, 0);
    mmio_write32(r, E1000_FCAH, 0);
    mmio_write32(r, E1000_FCT, 0);
    mmio_write32(r, E1000_FCTTV, 0);
}

/* One 16-bit EEPROM word through EERD (§5.3.1, §13.4.4): 0 or -ETIMEDOUT. */
static int eeprom_read(volatile void *r, uint8_t addr, uint16_t *word)
{
    int err;

    mmio_write32(r, E1000_EERD, (uint32_t)addr << E1000_EERD_ADDR_SHIFT | E1000_EERD_START);
    if ((err = poll_reg32(r, E1000_EERD, E1000_EERD_DONE, E1000_EERD_DONE, EEPROM_MS)) < 0)
        return err;
    *word = (uint16_t)(mmio_read32(r, E1000_EERD) >> E1000_EERD_DATA_SHIFT);
    return 0;
}

/* The address the EEPROM loaded into receive address 0, else the EEPROM's
 * own words 0..2 (both little-endian), written back into RAL0/RAH0 as the
 * one unicast address the card accepts: 0 or -errno. */
static int mac_setup(struct e1000 *e)
{
    volatile void *r = e->regs;
    uint32_t lo = mmio_read32(r, E1000_RAL0), hi = mmio_read32(r, E1000_RAH0);
    uint8_t *m = e->card.mac;

    if (!(hi & E1000_RAH_AV) || (lo == 0 && (hi & 0xffff) == 0)) {
        uint16_t w[3];
        int err;
        for (uint8_t i = 0; i < 3; i++)
            if ((err = eeprom_read(r, (uint8_t)(E1000_EEPROM_MAC + i), &w[i])) < 0)
                return err;
        lo = w[0] | (uint32_t)w[1] << 16;
        hi = w[2];
    }
    for (int i = 0; i < 4; i++)
        m[i] = (uint8_t)(lo >> (8 * i));
    m[4] = (uint8_t)hi;
    m[5] = (uint8_t)(hi >> 8);
    if ((m[0] & 1) || (lo == 0 && (hi & 0xffff) == 0))
        return -ENODEV;   /* a multicast or empty address: no address of its own */
    mmio_write32(r, E1000_RAL0, lo);
    mmio_write32(r, E1000_RAH0, (hi & 0xffff) | E1000_RAH_AV);
    for (int i = 0; i < E1000_MTA_WORDS; i++)
        mmio_write32(r, E1000_MTA + 4 * i, 0);
    return 0;
}

bool e1000_link_up(const struct e1000 *e)
{
    return (mmio_read32(e->regs, E1000_STATUS) & E1000_STATUS_LU) != 0;
}

/* After an interrupt: reading ICR clears its causes and drops the line. */
static void card_quiet(struct net_card *c)
{
    (void)mmio_read32(e1000_of(c)->regs, E1000_ICR);
}

int e1000_start(struct e1000 *e, volatile void *regs, int irq_fd, bool line)
{
    int err;

    e->regs = regs;
    e->card = (struct net_card){
        .irq_fd = irq_fd, .irq_line = line, .rx_ready = e1000_rx_ready, .read = e1000_read,
        .write = e1000_write, .tx_room = e1000_tx_room, .quiet = card_quiet,
    };
    if ((err = card_reset(regs)) < 0 || (err = mac_setup(e)) < 0)
        return err;
    link_setup(regs);
    if ((err = e1000_rx_setup(e)) < 0 || (err = e1000_tx_setup(e)) < 0)
        return err;
    mmio_write32(regs, E1000_RCTL,
                 E1000_RCTL_EN | E1000_RCTL_BAM | E1000_RCTL_BSIZE_2048 | E1000_RCTL_SECRC);
    mmio_write32(regs, E1000_TIPG, E1000_TIPG_COPPER);
    mmio_write32(regs, E1000_TCTL, E1000_TCTL_EN | E1000_TCTL_PSP | E1000_TCTL_CT(0x0f) |
                                       E1000_TCTL_COLD(0x40));
    mmio_write32(regs, E1000_ITR, 0);
    if (irq_fd >= 0)
        mmio_write32(regs, E1000_IMS, E1000_INT_RXT0 | E1000_INT_RXO | E1000_INT_RXDMT0 |
                                          E1000_INT_RXSEQ | E1000_INT_LSC);
    return 0;
}
