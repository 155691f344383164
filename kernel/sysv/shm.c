/* kernel/sysv/shm.c: System V shared memory: shmget, shmat, shmdt, shmctl.
 * A segment's frames are allocated at shmget and each attach maps them
 * (vm_map_frames), so every attacher and fork child shares the very pages.
 * IPC_RMID takes the key away; the segment goes with its last attach. */
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/kmem.h"
#include "mm/pmm.h"
#include "mm/usercopy.h"
#include "mm/vm.h"
#include "proc/proc.h"
#include "proc/rlimit.h"
#include "syscall/syscall.h"
#include "sysv/sysv.h"

#define SHMMIN 1
#define SHMMAX (64ul << 20)          /* bytes per segment */
#define SHMALL_PAGES (128ul << 8)    /* 128 MiB of pages in all segments */
#define SHM_RDONLY 010000
#define SHM_RND 020000
#define SHM_EXEC 0100000
#define SHM_REMAP 040000
#define SHM_LOCK 11
#define SHM_UNLOCK 12
#define SHMLBA VM_PAGE_SIZE

struct shm_seg {
    struct sysv_obj o;
    size_t size, npages;
    uint64_t *frames;
    unsigned long nattch;
    bool removed;
    int lpid;
    int64_t atime, dtime;
};

/* struct shmid64_ds (asm-generic/shmbuf.h, x86_64). */
struct shmid_ds_k {
    struct ipc_perm_k perm;
    uint64_t segsz;
    int64_t atime, dtime, ctime;
    int32_t cpid, lpid;
    uint64_t nattch, unused[2];
};
_Static_assert(sizeof(struct shmid_ds_k) == 112, "ABI: struct shmid64_ds is 112 bytes");

/* One shmat: which space, where, which segment. */
struct shm_attach {
    struct vm_space *vs;
    uintptr_t addr;
    struct shm_seg *seg;
    struct shm_attach *next;
};

/* Single CPU, interrupts off: no lock. */
static struct sysv_ids shm_ids;
static struct shm_attach *attaches;
static size_t pages_used;

static void seg_free(struct shm_seg *s)
{
    for (size_t i = 0; i < s->npages; i++)
        if (s->frames[i])
            pmm_unref(s->frames[i]);
    pages_used -= s->npages;
    kfree(s->frames);
    kfree(s);
}

static void seg_maybe_free(struct shm_seg *s)
{
    if (s->removed && s->nattch == 0)
        seg_free(s);
}

static int seg_create(int32_t key, size_t size, int flags)
{
    size_t pages = (size + VM_PAGE_SIZE - 1) / VM_PAGE_SIZE;
    struct shm_seg *s;
    int id;

    if (size < SHMMIN || size > SHMMAX)
        return -EINVAL;
    if (pages_used + pages > SHMALL_PAGES)
        return -ENOSPC;
    if (pages > pmm_free_count() / 2 || !(s = kzalloc(sizeof(*s))))
        return -ENOMEM;
    if (!(s->frames = kzalloc(pages * sizeof(uint64_t)))) {
        kfree(s);
        return -ENOMEM;
    }
    s->size = size;
    s->npages = pages;
    pages_used += pages;
    for (size_t i = 0; i < pages; i++) {
        if (!(s->frames[i] = pmm_alloc_user_zero())) {
            seg_free(s);
            return -ENOMEM;
        }
    }
    s->o.cpid = proc_current()->pid;
    if ((id = sysv_add(&shm_ids, &s->o, key, flags)) < 0)
        seg_free(s);
    return id;
}

long sys_shmget(SYSCALL_ARGS)
{
    int32_t key = (int32_t)a0;
    size_t size = a1;
    int flags = (int)a2, r;
    struct sysv_obj *o;

    if ((r = sysv_find(&shm_ids, key, flags, &o)) < 0)
        return r;
    if (r == 0)
        return seg_create(key, size, flags);
    if (size > ((struct shm_seg *)o)->size)
        return -EINVAL;
    return o->id;
}

static struct shm_seg *seg_lookup(int id)
{
    return (struct shm_seg *)sysv_lookup(&shm_ids, id);
}

long sys_shmat(SYSCALL_ARGS)
{
    struct shm_seg *s = seg_lookup((int)a0);
    struct vm_space *vs = proc_current()->vm;
    int flags = (int)a2;
    uintptr_t addr = a1;
    unsigned prot = VM_READ | (flags & SHM_RDONLY ? 0 : VM_WRITE) |
                    (flags & SHM_EXEC ? VM_EXEC : 0);
    struct shm_attach *at;
    size_t len;
    int err;

    if (!s)
        return -EINVAL;
    len = s->npages * VM_PAGE_SIZE;
    if (addr && (flags & SHM_RND))
        addr &= ~(uintptr_t)(SHMLBA - 1);
    if ((addr & (VM_PAGE_SIZE - 1)) || addr >= VM_USER_END || len > VM_USER_END - addr)
        return -EINVAL;
    if (!addr && !(addr = vm_find_free(vs, len)))
        return -ENOMEM;
    if (!(flags & SHM_REMAP) && !vm_range_free(vs, addr, len))
        return -EINVAL;   /* as Linux: an attach replaces a mapping only when asked */
    if ((err = rlimit_check_as(proc_current(), len)) < 0)
        return err;
    if (!(at = kmalloc(sizeof(*at))))
        return -ENOMEM;
    if ((err = vm_map_frames(vs, addr, len, prot, s->frames)) < 0) {
        kfree(at);
        return err;
    }
    *at = (struct shm_attach){vs, addr, s, attaches};
    attaches = at;
    s->nattch++;
    s->lpid = proc_current()->pid;
    s->atime = sysv_now();
    return (long)addr;
}

static void detach(struct shm_attach **pp)
{
    struct shm_attach *at = *pp;
    struct shm_seg *s = at->seg;

    *pp = at->next;
    kfree(at);
    s->nattch--;
    s->dtime = sysv_now();
    s->lpid = proc_current() ? proc_current()->pid : 0;
    seg_maybe_free(s);
}

long sys_shmdt(SYSCALL_ARGS)
{
    struct vm_space *vs = proc_current()->vm;

    for (struct shm_attach **pp = &attaches; *pp; pp = &(*pp)->next) {
        struct shm_attach *at = *pp;
        if (at->vs != vs || at->addr != a0)
            continue;
        vm_unmap(vs, at->addr, at->seg->npages * VM_PAGE_SIZE);
        detach(pp);
        return 0;
    }
    return -EINVAL;
}

int sysv_shm_fork(struct vm_space *from, struct vm_space *to)
{
    for (struct shm_attach *at = attaches; at; at = at->next) {
        struct shm_attach *n;
        if (at->vs != from)
            continue;
        if (!(n = kmalloc(sizeof(*n))))
            return -ENOMEM;
        *n = (struct shm_attach){to, at->addr, at->seg, attaches};
        attaches = n;
        at->seg->nattch++;
    }
    return 0;
}

void sysv_shm_space_gone(struct vm_space *vs)
{
    for (struct shm_attach **pp = &attaches; *pp;) {
        if ((*pp)->vs == vs)
            detach(pp);
        else
            pp = &(*pp)->next;
    }
}

static long shm_stat(struct shm_seg *s, uintptr_t ubuf)
{
    struct shmid_ds_k ds;

    memset(&ds, 0, sizeof(ds));
    sysv_perm(&s->o, &ds.perm);
    ds.segsz = s->size;
    ds.atime = s->atime;
    ds.dtime = s->dtime;
    ds.ctime = s->o.ctime;
    ds.cpid = s->o.cpid;
    ds.lpid = s->lpid;
    ds.nattch = s->nattch;
    return copy_to_user(ubuf, &ds, sizeof(ds));
}

long sys_shmctl(SYSCALL_ARGS)
{
    struct shm_seg *s = seg_lookup((int)a0);
    int cmd = (int)a1 & ~IPC_64;
    struct shmid_ds_k ds;

    if (!s)
        return -EINVAL;
    switch (cmd) {
    case IPC_STAT:
        return shm_stat(s, a2);
    case IPC_SET:
        if (copy_from_user(&ds, a2, sizeof(ds)) < 0)
            return -EFAULT;
        sysv_set_mode(&s->o, &ds.perm);
        return 0;
    case IPC_RMID:
        sysv_remove(&shm_ids, &s->o);
        s->removed = true;
        seg_maybe_free(s);
        return 0;
    case SHM_LOCK:
    case SHM_UNLOCK:
        return 0;   /* nothing is ever swapped */
    default:
        return -EINVAL;
    }
}
