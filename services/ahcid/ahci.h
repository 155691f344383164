/* services/ahcid/ahci.h: the AHCI 1.3.1 registers, memory structures and the
 * ATA commands ahcid uses (section numbers from AHCI 1.3.1, ATA8-ACS). */
#ifndef ANVIL_SERVICES_AHCID_AHCI_H
#define ANVIL_SERVICES_AHCID_AHCI_H

#include <stdint.h>

#define AHCI_CLASS 0x010601u           /* mass storage, SATA, AHCI 1.0 */
#define AHCI_ABAR 5                    /* the registers are BAR5 (§2.1.11) */

/* Generic host control (§3.1). */
#define AHCI_CAP 0x00
#define AHCI_CAP_S64A (1u << 31)                   /* 64-bit addresses */
#define AHCI_GHC 0x04
#define AHCI_GHC_HR (1u << 0)                      /* HBA reset */
#define AHCI_GHC_IE (1u << 1)                      /* interrupts */
#define AHCI_GHC_AE (1u << 31)                     /* AHCI enable */
#define AHCI_IS 0x08                               /* a bit per port with PxIS set */
#define AHCI_PI 0x0c                               /* ports implemented */
#define AHCI_PORTS_MAX 32

/* Port registers (§3.3), at 0x100 + port * 0x80. */
#define AHCI_PORT(p) (0x100u + (unsigned)(p) * 0x80u)
#define AHCI_PXCLB 0x00                            /* command list base, 64-bit */
#define AHCI_PXFB 0x08                             /* received FIS base, 64-bit */
#define AHCI_PXIS 0x10
#define AHCI_PXIS_TFES (1u << 30)                  /* task file error */
#define AHCI_PXIE 0x14
/* Completions: D2H register, PIO setup, DMA setup, set device bits; and errors. */
#define AHCI_PXIE_USED (0xfu | AHCI_PXIS_TFES)
#define AHCI_PXCMD 0x18
#define AHCI_PXCMD_ST (1u << 0)
#define AHCI_PXCMD_SUD (1u << 1)                   /* spin up */
#define AHCI_PXCMD_POD (1u << 2)                   /* power on */
#define AHCI_PXCMD_FRE (1u << 4)
#define AHCI_PXCMD_FR (1u << 14)
#define AHCI_PXCMD_CR (1u << 15)
#define AHCI_PXTFD 0x20
#define AHCI_TFD_ERR 0x01
#define AHCI_TFD_DRQ 0x08
#define AHCI_TFD_BSY 0x80
#define AHCI_PXSIG 0x24
#define AHCI_SIG_ATA 0x00000101u                   /* a disk, not ATAPI (§3.3.9) */
#define AHCI_PXSSTS 0x28
#define AHCI_SSTS_DET(s) ((s) & 0xf)
#define AHCI_DET_PRESENT 3                         /* device there, phy up */
#define AHCI_PXSERR 0x30
#define AHCI_PXCI 0x38

/* A command header in the command list (§4.2.2). */
struct ahci_cmd_header {
    uint16_t flags;            /* CFL in bits 0..4, W (write) bit 6 */
    uint16_t prdtl;            /* PRD entries */
    uint32_t prdbc;            /* bytes moved, written by the HBA */
    uint64_t ctba;             /* command table, 128-byte aligned */
    uint32_t reserved[4];
};
_Static_assert(sizeof(struct ahci_cmd_header) == 32, "AHCI: a command header is 32 bytes");
#define AHCI_HDR_WRITE (1u << 6)
#define AHCI_CMD_LIST_BYTES 1024       /* 32 headers, 1 KiB aligned */
#define AHCI_RFIS_BYTES 256            /* received FIS area, 256-byte aligned */

/* A physical region descriptor (§4.2.3.3). */
struct ahci_prd {
    uint64_t dba;
    uint32_t reserved;
    uint32_t dbc;              /* bytes - 1 (bit 0 set: even counts only) */
};
_Static_assert(sizeof(struct ahci_prd) == 16, "AHCI: a PRD is 16 bytes");
#define AHCI_PRD_MAX_BYTES (4u << 20)

/* The command table (§4.2.3): the command FIS, then the PRDs. */
#define AHCI_CT_CFIS 0x00
#define AHCI_CT_PRDT 0x80

/* Register host-to-device FIS (SATA 3.x §10.5.5). */
struct ahci_fis_h2d {
    uint8_t type;              /* AHCI_FIS_H2D */
    uint8_t flags;             /* AHCI_FIS_C: a command, not a control update */
    uint8_t command;
    uint8_t feature_lo;
    uint8_t lba0, lba1, lba2;
    uint8_t device;
    uint8_t lba3, lba4, lba5;
    uint8_t feature_hi;
    uint8_t count_lo, count_hi;
    uint8_t icc, control;
    uint8_t reserved[4];
};
_Static_assert(sizeof(struct ahci_fis_h2d) == 20, "SATA: a register H2D FIS is 20 bytes");
#define AHCI_FIS_H2D 0x27
#define AHCI_FIS_C 0x80
#define AHCI_FIS_DWORDS 5

/* ATA commands (ACS-3 §7). */
#define ATA_IDENTIFY 0xec
#define ATA_READ_DMA_EXT 0x25
#define ATA_WRITE_DMA_EXT 0x35
#define ATA_FLUSH_CACHE 0xe7
#define ATA_FLUSH_CACHE_EXT 0xea
#define ATA_DEVICE_LBA 0x40
#define ATA_COUNT_MAX 65536            /* count 0 means 65536 sectors */

#endif
