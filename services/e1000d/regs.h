/* services/e1000d/regs.h: the registers and legacy descriptors of Intel's
 * 8254x gigabit controllers that e1000d uses, as the PCI/PCI-X Family of
 * Gigabit Ethernet Controllers Software Developer's Manual (rev. 4.0)
 * numbers them: offsets into BAR0, bits, and the 16-byte descriptors. */
#ifndef ANVIL_E1000D_REGS_H
#define ANVIL_E1000D_REGS_H

#include <stdint.h>

/* General (§13.4.1 .. §13.4.7) */
#define E1000_CTRL 0x0000
#define E1000_CTRL_LRST (1u << 3)        /* link reset */
#define E1000_CTRL_ASDE (1u << 5)        /* auto-speed detection */
#define E1000_CTRL_SLU (1u << 6)         /* set link up */
#define E1000_CTRL_ILOS (1u << 7)        /* invert loss-of-signal */
#define E1000_CTRL_RST (1u << 26)        /* device reset; self-clearing */
#define E1000_CTRL_VME (1u << 30)        /* VLAN mode */
#define E1000_CTRL_PHY_RST (1u << 31)
#define E1000_STATUS 0x0008
#define E1000_STATUS_LU (1u << 1)        /* link up */
#define E1000_EERD 0x0014                /* EEPROM read (§13.4.4) */
#define E1000_EERD_START (1u << 0)
#define E1000_EERD_DONE (1u << 4)
#define E1000_EERD_ADDR_SHIFT 8
#define E1000_EERD_DATA_SHIFT 16
#define E1000_FCAL 0x0028                /* flow control: all zero when unused (§14.3) */
#define E1000_FCAH 0x002c
#define E1000_FCT 0x0030
#define E1000_FCTTV 0x0170

/* Interrupts (§13.4.17 .. §13.4.21): the same bits in ICR, IMS and IMC */
#define E1000_ICR 0x00c0                 /* cause; reading it clears it (and drops INTx) */
#define E1000_ITR 0x00c4                 /* throttling: 0 is off */
#define E1000_IMS 0x00d0                 /* mask set: causes that interrupt */
#define E1000_IMC 0x00d8                 /* mask clear */
#define E1000_INT_LSC (1u << 2)          /* link status change */
#define E1000_INT_RXSEQ (1u << 3)        /* receive sequence error */
#define E1000_INT_RXDMT0 (1u << 4)       /* receive ring below its minimum threshold */
#define E1000_INT_RXO (1u << 6)          /* receiver overrun: the ring was full */
#define E1000_INT_RXT0 (1u << 7)         /* receiver timer: frames arrived */
#define E1000_INT_ALL 0xffffffffu

/* Receive (§13.4.22, §13.4.27 .. §13.4.31) */
#define E1000_RCTL 0x0100
#define E1000_RCTL_EN (1u << 1)
#define E1000_RCTL_BAM (1u << 15)        /* accept broadcast (ARP, DHCP) */
#define E1000_RCTL_BSIZE_2048 (0u << 16) /* with BSEX clear */
#define E1000_RCTL_SECRC (1u << 26)      /* strip the FCS: frames arrive as net.h wants them */
#define E1000_RDBAL 0x2800
#define E1000_RDBAH 0x2804
#define E1000_RDLEN 0x2808               /* bytes; a multiple of 128 */
#define E1000_RDH 0x2810
#define E1000_RDT 0x2818                 /* one past the last descriptor the card may fill */
#define E1000_RDTR 0x2820                /* receive delay: 0 interrupts at once */
#define E1000_RADV 0x282c

/* Transmit (§13.4.33 .. §13.4.34, §13.4.38 .. §13.4.42) */
#define E1000_TCTL 0x0400
#define E1000_TCTL_EN (1u << 1)
#define E1000_TCTL_PSP (1u << 3)         /* pad short frames to 64 bytes */
#define E1000_TCTL_CT(n) ((uint32_t)(n) << 4)     /* collision threshold: 0x0f */
#define E1000_TCTL_COLD(n) ((uint32_t)(n) << 12)  /* collision distance: 0x40 full duplex */
#define E1000_TIPG 0x0410
/* inter-packet gap for copper 82540EP/EM (Table 13-77): IPGT 10, IPGR1 8, IPGR2 6 */
#define E1000_TIPG_COPPER (10u | 8u << 10 | 6u << 20)
#define E1000_TDBAL 0x3800
#define E1000_TDBAH 0x3804
#define E1000_TDLEN 0x3808
#define E1000_TDH 0x3810
#define E1000_TDT 0x3818                 /* one past the last descriptor to send */
#define E1000_TIDV 0x3820

/* Filters (§13.5.1 .. §13.5.3) */
#define E1000_MTA 0x5200                 /* multicast table: 128 words */
#define E1000_MTA_WORDS 128
#define E1000_RAL0 0x5400
#define E1000_RAH0 0x5404
#define E1000_RAH_AV (1u << 31)          /* this receive address is valid */

#define E1000_EEPROM_MAC 0x00            /* words 0..2: the Ethernet address (§5.6.1) */

/* Receive descriptor (§3.2.3): the card writes the frame at addr, then
 * length, status and errors. */
struct e1000_rx_desc {
    uint64_t addr;
    uint16_t length;
    uint16_t checksum;
    uint8_t status;
    uint8_t errors;
    uint16_t special;
};
_Static_assert(sizeof(struct e1000_rx_desc) == 16, "8254x: a receive descriptor is 16 bytes");
#define E1000_RXD_STAT_DD (1u << 0)      /* descriptor done */
#define E1000_RXD_STAT_EOP (1u << 1)     /* last descriptor of the frame */
/* CE, SE, SEQ, CXE, RXE: a frame with any of these is damaged (TCPE, IPE only checksums) */
#define E1000_RXD_ERR_FRAME 0x97u

/* Legacy transmit descriptor (§3.3.3). */
struct e1000_tx_desc {
    uint64_t addr;
    uint16_t length;
    uint8_t cso;
    uint8_t cmd;
    uint8_t status;
    uint8_t css;
    uint16_t special;
};
_Static_assert(sizeof(struct e1000_tx_desc) == 16, "8254x: a transmit descriptor is 16 bytes");
#define E1000_TXD_CMD_EOP (1u << 0)      /* the frame ends here */
#define E1000_TXD_CMD_IFCS (1u << 1)     /* the card appends the FCS */
#define E1000_TXD_CMD_RS (1u << 3)       /* report status: set DD when sent */
#define E1000_TXD_STAT_DD (1u << 0)

#endif
