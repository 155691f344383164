/* services/fatd/dirent.h: the 32-byte directory entry (Microsoft FAT spec §6,
 * long-name entries §7), shared by the directory code in dir.c and dirslot.c. */
#ifndef ANVIL_SERVICES_FATD_DIRENT_H
#define ANVIL_SERVICES_FATD_DIRENT_H

#include <stdint.h>

#include "fat.h"

#define DE_SIZE 32
#define DE_NAME 0
#define DE_ATTR 11
#define DE_NTRES 12
#define DE_CRT_TIME 14
#define DE_CRT_DATE 16
#define DE_ACC_DATE 18
#define DE_CLUS_HI 20
#define DE_WRT_TIME 22
#define DE_WRT_DATE 24
#define DE_CLUS_LO 26
#define DE_SIZE_OFF 28
#define DE_FREE 0xe5             /* DIR_Name[0] of a deleted entry */
#define DE_END 0x00              /* ... of the first never-used entry: nothing follows */
#define DE_ATTR_MASK 0x3f
#define DE_MAX_SLOTS 65536       /* a directory is at most 2 MiB (spec §6) */
#define LFN_ORD 0
#define LFN_LAST 0x40            /* on the long-name entry that comes first */
#define LFN_ORD_MASK 0x1f
#define LFN_MAX_ENTRIES 20       /* 255 units / 13 per entry */
#define LFN_CHARS 13
#define LFN_CHKSUM 13

/* A directory slot's 32 bytes for reading (copied into ent): 0, 1 at the end
 * of the directory's chain, or -errno. */
int dirslot_read(struct fat_vol *v, uint32_t dir, uint32_t slot, uint8_t ent[DE_SIZE]);
/* The slot's bytes in the cache, to change (marked dirty as cls): NULL with
 * *err set (-ENOENT past the chain's end). */
uint8_t *dirslot_write(struct fat_vol *v, uint32_t dir, uint32_t slot, enum cache_class cls,
                       int *err);
/* Add a zeroed cluster to the end of directory dir's chain. */
int dirslot_grow(struct fat_vol *v, uint32_t dir);
/* Forget the chain memo (a directory's clusters were freed). */
void dirslot_forget(void);
/* Zero cluster cl (a new directory cluster: written before the FAT points at it). */
int dirslot_zero(struct fat_vol *v, uint32_t cl);
/* Fill a short entry from f and its short name. */
void dirent_pack(uint8_t ent[DE_SIZE], const struct fat_found *f, uint8_t ntres);
uint32_t dirent_cluster(const uint8_t ent[DE_SIZE]);

#endif
