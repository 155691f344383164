/* kernel/sysv/sysv.h: System V IPC (shared memory, semaphores, message
 * queues): the id tables they share and the Linux x86_64 ABI structs. */
#ifndef ANVIL_SYSV_SYSV_H
#define ANVIL_SYSV_SYSV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct proc;
struct vm_space;

/* Linux values (include/uapi/linux/ipc.h). */
#define IPC_PRIVATE 0
#define IPC_CREAT 01000
#define IPC_EXCL 02000
#define IPC_NOWAIT 04000
#define IPC_RMID 0
#define IPC_SET 1
#define IPC_STAT 2
#define IPC_INFO 3
#define IPC_64 0x100        /* the 64-bit structs: the only ones on x86_64 */
#define SYSV_SLOTS 128      /* objects of each kind at most (SHMMNI, SEMMNI, MSGMNI) */

/* struct ipc64_perm (asm-generic/ipcbuf.h). */
struct ipc_perm_k {
    int32_t key;
    uint32_t uid, gid, cuid, cgid, mode;
    uint16_t seq, pad;
    uint64_t unused[2];
};
_Static_assert(sizeof(struct ipc_perm_k) == 48, "ABI: struct ipc64_perm is 48 bytes");

/* What every object starts with. */
struct sysv_obj {
    int32_t key;            /* IPC_PRIVATE once removed */
    int id;
    unsigned mode;
    int cpid;
    int64_t ctime;          /* seconds, realtime */
};

/* One kind's table: an id is seq * SYSV_SLOTS + slot, so a stale id
 * (its object removed, the slot reused) finds nothing. */
struct sysv_ids {
    struct sysv_obj *slot[SYSV_SLOTS];
    uint16_t seq[SYSV_SLOTS];
};

/* The object behind id, or NULL. */
struct sysv_obj *sysv_lookup(struct sysv_ids *ids, int id);
/* The *get rules for key and flags: 1 and *out when an object with the key
 * exists (-EEXIST under IPC_CREAT|IPC_EXCL), 0 when one must be created,
 * -ENOENT when it may not. */
int sysv_find(struct sysv_ids *ids, int32_t key, int flags, struct sysv_obj **out);
/* Give o a slot and an id: its id, or -ENOSPC. */
int sysv_add(struct sysv_ids *ids, struct sysv_obj *o, int32_t key, int flags);
/* Take o out of the table (its id stops working). */
void sysv_remove(struct sysv_ids *ids, struct sysv_obj *o);
/* The ipc64_perm view of o. */
void sysv_perm(const struct sysv_obj *o, struct ipc_perm_k *perm);
/* IPC_SET: the new mode bits from a user ipc64_perm. */
void sysv_set_mode(struct sysv_obj *o, const struct ipc_perm_k *perm);
int64_t sysv_now(void);

/* Process hooks: fork (attachments are inherited), an address space that
 * goes away (its attachments end), exit (SEM_UNDO adjustments apply). */
int sysv_shm_fork(struct vm_space *from, struct vm_space *to);
void sysv_shm_space_gone(struct vm_space *vs);
void sysv_sem_exit(struct proc *p);

#endif
