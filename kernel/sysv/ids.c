/* kernel/sysv/ids.c: keys and ids of System V IPC objects (see sysv.h). */
#include "lib/errno.h"
#include "sched/clock.h"
#include "sysv/sysv.h"

#define MODE_BITS 0777

struct sysv_obj *sysv_lookup(struct sysv_ids *ids, int id)
{
    int slot = id % SYSV_SLOTS;

    if (id < 0 || !ids->slot[slot] || ids->slot[slot]->id != id)
        return NULL;
    return ids->slot[slot];
}

int sysv_find(struct sysv_ids *ids, int32_t key, int flags, struct sysv_obj **out)
{
    if (key != IPC_PRIVATE) {
        for (int i = 0; i < SYSV_SLOTS; i++) {
            struct sysv_obj *o = ids->slot[i];
            if (!o || o->key != key)
                continue;
            if ((flags & IPC_CREAT) && (flags & IPC_EXCL))
                return -EEXIST;
            *out = o;
            return 1;
        }
    }
    return key == IPC_PRIVATE || (flags & IPC_CREAT) ? 0 : -ENOENT;
}

int sysv_add(struct sysv_ids *ids, struct sysv_obj *o, int32_t key, int flags)
{
    for (int i = 0; i < SYSV_SLOTS; i++) {
        if (ids->slot[i])
            continue;
        ids->seq[i]++;
        ids->seq[i] &= 0x7fff;
        o->key = key;
        o->id = ids->seq[i] * SYSV_SLOTS + i;
        o->mode = (unsigned)flags & MODE_BITS;
        o->ctime = sysv_now();
        ids->slot[i] = o;
        return o->id;
    }
    return -ENOSPC;
}

void sysv_remove(struct sysv_ids *ids, struct sysv_obj *o)
{
    int slot = o->id % SYSV_SLOTS;

    if (ids->slot[slot] == o)
        ids->slot[slot] = NULL;
    o->key = IPC_PRIVATE;
}

void sysv_perm(const struct sysv_obj *o, struct ipc_perm_k *perm)
{
    *perm = (struct ipc_perm_k){
        .key = o->key, .mode = o->mode, .seq = (uint16_t)(o->id / SYSV_SLOTS)};
}

void sysv_set_mode(struct sysv_obj *o, const struct ipc_perm_k *perm)
{
    o->mode = (o->mode & ~(unsigned)MODE_BITS) | (perm->mode & MODE_BITS);
    o->ctime = sysv_now();
}

int64_t sysv_now(void)
{
    return clock_realtime_ns() / (int64_t)NSEC_PER_SEC;
}
