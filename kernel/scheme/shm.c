/* kernel/scheme/shm.c: the shm: scheme (and /dev/shm): a flat directory of
 * named memory objects backed by kernel frames, for POSIX shm_open and
 * sem_open. mmap MAP_SHARED maps the object's very frames; MAP_PRIVATE
 * gets a copy. An object lives while it has a name (link gives it more) or
 * an open file; mappings hold their own frame references. */
#include "arch/x86_64/paging.h"
#include "fs/dirent.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/kmem.h"
#include "mm/pmm.h"
#include "mm/usercopy.h"
#include "mm/vm.h"
#include "proc/proc.h"
#include "proc/vm_copy.h"
#include "sched/clock.h"
#include "scheme/kschemes.h"

#define SHM_NAME_MAX 255
#define SHM_OBJECTS_MAX 1024
#define SHM_SIZE_MAX (1ull << 30)   /* per object (its page list is one kernel block) */
#define SHM_DEV 0x2d                 /* st_dev of every object */
#define SHM_ROOT_INO 1
#define PAGE VM_PAGE_SIZE

struct shm_obj {
    uint64_t ino;
    uint64_t size;
    size_t npages;              /* entries in frames */
    uint64_t *frames;           /* physical pages, 0 until first written or mapped */
    unsigned mode;
    unsigned opens;             /* open files */
    unsigned links;             /* names in the directory */
    int64_t mtime_ns;
};

struct shm_name {
    char name[SHM_NAME_MAX + 1];
    struct shm_obj *obj;
    struct shm_name *next;
};

/* The directory (single CPU, interrupts off: no lock). */
static struct shm_name *names;
static unsigned object_count;
static size_t frames_used;      /* by all objects: at most half of memory, as tmpfs */
static uint64_t next_ino = SHM_ROOT_INO + 1;

static const struct file_ops obj_ops, dir_ops;

static struct shm_name *lookup(const char *name)
{
    for (struct shm_name *n = names; n; n = n->next)
        if (strcmp(n->name, name) == 0)
            return n;
    return NULL;
}

static bool has_slash(const char *s)
{
    for (; *s; s++)
        if (*s == '/')
            return true;
    return false;
}

static bool name_ok(const char *name)
{
    size_t n = strlen(name);

    return n > 0 && n <= SHM_NAME_MAX && !has_slash(name);
}

/* Free o if nothing holds it any more. */
static void maybe_free(struct shm_obj *o)
{
    if (o->links || o->opens)
        return;
    for (size_t i = 0; i < o->npages; i++) {
        if (o->frames[i]) {
            pmm_unref(o->frames[i]);
            frames_used--;
        }
    }
    kfree(o->frames);
    kfree(o);
    object_count--;
}

/* Make room for size bytes of page slots (frames stay 0 until used); a
 * shrink drops the pages past the end and zeroes the tail of the last. */
static int resize(struct shm_obj *o, uint64_t size)
{
    size_t pages = (size_t)((size + PAGE - 1) / PAGE);

    if (size > SHM_SIZE_MAX)
        return -EFBIG;
    if (pages > o->npages) {
        uint64_t *n = kzalloc(pages * sizeof(uint64_t));
        if (!n)
            return -ENOMEM;
        if (o->frames)
            memcpy(n, o->frames, o->npages * sizeof(uint64_t));
        kfree(o->frames);
        o->frames = n;
        o->npages = pages;
    }
    for (size_t i = pages; i < o->npages; i++) {
        if (o->frames[i]) {
            pmm_unref(o->frames[i]);
            frames_used--;
        }
        o->frames[i] = 0;
    }
    if (size < o->size && size % PAGE && o->frames[size / PAGE]) {
        char *last = x86_phys_to_virt(o->frames[size / PAGE]);
        memset(last + size % PAGE, 0, PAGE - size % PAGE);
    }
    o->size = size;
    o->mtime_ns = clock_realtime_ns();
    return 0;
}

/* The frame behind page i, allocated (zeroed) on first need; 0 when the
 * objects' share of memory or memory itself is used up. */
static uint64_t frame(struct shm_obj *o, size_t i)
{
    if (o->frames[i] || frames_used >= pmm_total_count() / 2)
        return o->frames[i];
    if ((o->frames[i] = pmm_alloc_user_zero()))
        frames_used++;
    return o->frames[i];
}

static long obj_pread(struct file *f, uintptr_t ubuf, size_t len, uint64_t off)
{
    struct shm_obj *o = f->priv;
    size_t done = 0;

    if (off >= o->size)
        return 0;
    if (len > o->size - off)
        len = (size_t)(o->size - off);
    while (done < len) {
        uint64_t at = off + done;
        size_t n = PAGE - at % PAGE < len - done ? PAGE - at % PAGE : len - done;
        uint64_t ph = o->frames[at / PAGE];
        int err = ph ? copy_to_user(ubuf + done, (char *)x86_phys_to_virt(ph) + at % PAGE, n)
                     : clear_user(ubuf + done, n);
        if (err < 0)
            return done ? (long)done : err;
        done += n;
    }
    return (long)done;
}

static long obj_pwrite(struct file *f, uintptr_t ubuf, size_t len, uint64_t off)
{
    struct shm_obj *o = f->priv;
    size_t done = 0;
    int err;

    if (len == 0)
        return 0;
    if (off >= SHM_SIZE_MAX || len > SHM_SIZE_MAX - off)
        return -EFBIG;
    if (off + len > o->size && (err = resize(o, off + len)) < 0)
        return err;
    while (done < len) {
        uint64_t at = off + done, ph = frame(o, (size_t)(at / PAGE));
        size_t n = PAGE - at % PAGE < len - done ? PAGE - at % PAGE : len - done;
        if (!ph)
            return done ? (long)done : -ENOSPC;
        if ((err = copy_from_user((char *)x86_phys_to_virt(ph) + at % PAGE, ubuf + done, n)) < 0)
            return done ? (long)done : err;
        done += n;
    }
    o->mtime_ns = clock_realtime_ns();
    return (long)done;
}

static long obj_read(struct file *f, uintptr_t ubuf, size_t len)
{
    long r = obj_pread(f, ubuf, len, f->offset);

    if (r > 0)
        f->offset += (uint64_t)r;
    return r;
}

static long obj_write(struct file *f, uintptr_t ubuf, size_t len)
{
    struct shm_obj *o = f->priv;
    long r;

    if (f->flags & O_APPEND)
        f->offset = o->size;
    r = obj_pwrite(f, ubuf, len, f->offset);
    if (r > 0)
        f->offset += (uint64_t)r;
    return r;
}

static void fill_stat(struct kstat *st, uint64_t ino, unsigned mode, uint64_t size, int64_t mtime)
{
    memset(st, 0, sizeof(*st));
    st->st_dev = SHM_DEV;
    st->st_ino = ino;
    st->st_mode = mode;
    st->st_nlink = 1;
    st->st_size = (int64_t)size;
    st->st_blksize = PAGE;
    st->st_blocks = (int64_t)((size + 511) / 512);
    st->st_atime_sec = st->st_mtime_sec = st->st_ctime_sec = mtime / (int64_t)NSEC_PER_SEC;
    st->st_atime_nsec = st->st_mtime_nsec = st->st_ctime_nsec = mtime % (int64_t)NSEC_PER_SEC;
}

static int obj_stat(struct file *f, struct kstat *st)
{
    struct shm_obj *o = f->priv;

    fill_stat(st, o->ino, S_IFREG | o->mode, o->size, o->mtime_ns);
    st->st_nlink = o->links;
    return 0;
}

static long obj_truncate(struct file *f, uint64_t len)
{
    return resize(f->priv, len);
}

/* MAP_SHARED: the object's frames themselves, every page
 * inside the object allocated now so later forks and openers share them;
 * pages past its end are private zero pages. MAP_PRIVATE: a copy. */
static long obj_mmap(struct file *f, uintptr_t addr, size_t len, unsigned prot, uint64_t off,
                     bool shared)
{
    struct shm_obj *o = f->priv;
    size_t pages = len / PAGE, first = (size_t)(off / PAGE);
    uint64_t *list;
    long err;

    if (shared && (prot & VM_WRITE) && (f->flags & O_ACCMODE) == O_RDONLY)
        return -EACCES;
    if (off > SHM_SIZE_MAX || pages > pmm_free_count() / 2)
        return -ENOMEM;
    if (!(list = kzalloc((pages ? pages : 1) * sizeof(uint64_t))))
        return -ENOMEM;
    for (size_t i = 0; i < pages && first + i < o->npages; i++) {
        if (first + i < (o->size + PAGE - 1) / PAGE && !(list[i] = frame(o, first + i))) {
            kfree(list);
            return -ENOMEM;
        }
    }
    if (shared) {
        err = vm_map_frames(proc_current()->vm, addr, len, prot, list);
    } else {
        struct vm_space *vs = proc_current()->vm;
        err = vm_map(vs, addr, len, VM_READ | VM_WRITE);
        for (size_t i = 0; err == 0 && i < pages; i++)
            if (list[i])
                err = vm_copy_out(vs, addr + i * PAGE, x86_phys_to_virt(list[i]), PAGE);
        if (err == 0)
            err = vm_protect(vs, addr, len, prot & (VM_READ | VM_WRITE | VM_EXEC));
        if (err < 0)
            vm_unmap(vs, addr, len);
    }
    kfree(list);
    return err;
}

static void obj_release(struct file *f)
{
    struct shm_obj *o = f->priv;

    o->opens--;
    maybe_free(o);
}

static const struct file_ops obj_ops = {
    .read = obj_read, .write = obj_write, .pread = obj_pread, .pwrite = obj_pwrite,
    .stat = obj_stat, .truncate = obj_truncate, .mmap = obj_mmap, .release = obj_release,
    .seekable = true,
};

/* Entry i of the directory: ".", "..", then the named objects. */
static bool dir_entry(size_t i, uint64_t *ino, uint8_t *type, const char **name)
{
    size_t k = 2;

    *type = DIRENT_DT_DIR;
    *ino = SHM_ROOT_INO;
    if (i < 2) {
        *name = i == 0 ? "." : "..";
        return true;
    }
    for (struct shm_name *n = names; n; n = n->next) {
        if (k++ != i)
            continue;
        *ino = n->obj->ino;
        *type = DIRENT_DT_REG;
        *name = n->name;
        return true;
    }
    return false;
}

static long dir_getdents(struct file *f, uintptr_t ubuf, size_t len)
{
    size_t done = 0, i = (size_t)f->offset;
    uint64_t ino;
    uint8_t type;
    const char *name;

    for (; dir_entry(i, &ino, &type, &name); i++) {
        long r = dirent_put(ubuf + done, len - done, ino, i + 1, type, name, strlen(name));
        if (r < 0)
            return r;
        if (r == 0) {
            if (done == 0)
                return -EINVAL;
            break;
        }
        done += (size_t)r;
    }
    f->offset = i;
    return (long)done;
}

static int dir_stat(struct file *f, struct kstat *st)
{
    (void)f;
    fill_stat(st, SHM_ROOT_INO, S_IFDIR | 01777, 0, 0);
    st->st_nlink = 2;
    return 0;
}

static long dir_read(struct file *f, uintptr_t ubuf, size_t len)
{
    (void)f, (void)ubuf, (void)len;
    return -EISDIR;
}

static int dir_path(struct file *f, char *buf, size_t size)
{
    (void)f;
    if (size < sizeof("/dev/shm"))
        return -ENAMETOOLONG;
    strlcpy(buf, "/dev/shm", size);
    return 0;
}

static const struct file_ops dir_ops = {
    .read = dir_read, .stat = dir_stat, .getdents = dir_getdents, .dirpath = dir_path,
    .seekable = true,
};

/* A new directory entry name for o. */
static int add_name(const char *name, struct shm_obj *o)
{
    struct shm_name *n = kzalloc(sizeof(*n));

    if (!n)
        return -ENOMEM;
    strlcpy(n->name, name, sizeof(n->name));
    n->obj = o;
    n->next = names;
    names = n;
    o->links++;
    return 0;
}

static void remove_name(struct shm_name *gone)
{
    struct shm_obj *o = gone->obj;

    for (struct shm_name **pp = &names; *pp; pp = &(*pp)->next) {
        if (*pp == gone) {
            *pp = gone->next;
            break;
        }
    }
    kfree(gone);
    o->links--;
    maybe_free(o);
}

static int create(const char *name, unsigned mode, struct shm_obj **out)
{
    struct shm_obj *o;

    if (object_count >= SHM_OBJECTS_MAX)
        return -ENOSPC;
    if (!(o = kzalloc(sizeof(*o))))
        return -ENOMEM;
    o->ino = next_ino++;
    o->mode = mode & 07777;
    o->mtime_ns = clock_realtime_ns();
    if (add_name(name, o) < 0) {
        kfree(o);
        return -ENOMEM;
    }
    object_count++;
    *out = o;
    return 0;
}

static int open_dir(unsigned flags, struct file **out)
{
    if ((flags & O_ACCMODE) != O_RDONLY || (flags & O_CREAT))
        return -EISDIR;
    *out = file_new(&dir_ops, flags & (O_ACCMODE | O_NONBLOCK), NULL);
    return *out ? 0 : -ENOMEM;
}

static int check_name(const char *name)
{
    if (name_ok(name))
        return 0;
    return !name[0] || has_slash(name) ? -ENOENT : -ENAMETOOLONG;
}

static int shm_open(struct scheme *s, const char *path, unsigned flags, unsigned mode,
                    struct file **out)
{
    struct shm_name *n;
    struct shm_obj *o;
    int err;

    (void)s;
    if (!path[0])
        return open_dir(flags, out);
    if ((err = check_name(path)) < 0)
        return err;
    n = lookup(path);
    if (n && (flags & O_CREAT) && (flags & O_EXCL))
        return -EEXIST;
    if (!n && !(flags & O_CREAT))
        return -ENOENT;
    if (flags & O_DIRECTORY)
        return -ENOTDIR;
    if (n)
        o = n->obj;
    else if ((err = create(path, mode, &o)) < 0)
        return err;
    if (!(*out = file_new(&obj_ops, flags & (O_ACCMODE | O_APPEND | O_NONBLOCK), o))) {
        if (!n)
            remove_name(lookup(path));
        return -ENOMEM;
    }
    o->opens++;
    if ((flags & O_TRUNC) && (flags & O_ACCMODE) != O_RDONLY)
        resize(o, 0);
    return 0;
}

static int shm_unlink(struct scheme *s, const char *path)
{
    struct shm_name *n = lookup(path);

    (void)s;
    if (!path[0])
        return -EISDIR;
    if (!n)
        return -ENOENT;
    remove_name(n);
    return 0;
}

/* rename replaces an existing name, as rename(2) does. */
static int shm_rename(struct scheme *s, const char *from, const char *to)
{
    struct shm_name *n = lookup(from), *old;
    int err;

    (void)s;
    if (!from[0] || !to[0])
        return -EBUSY;
    if (!n)
        return -ENOENT;
    if ((err = check_name(to)) < 0)
        return err;
    if ((old = lookup(to)) && old->obj == n->obj)
        return 0;
    if (old)
        remove_name(old);
    strlcpy(n->name, to, sizeof(n->name));
    return 0;
}

/* link: one more name for the object (sem_open links a temporary name). */
static int shm_link(struct scheme *s, const char *from, const char *to, unsigned flags)
{
    struct shm_name *n = lookup(from);
    int err;

    (void)s, (void)flags;
    if (!from[0])
        return -EPERM;
    if (!n)
        return -ENOENT;
    if ((err = check_name(to)) < 0)
        return err;
    if (lookup(to))
        return -EEXIST;
    return add_name(to, n->obj);
}

static const struct scheme_ops shm_ops = {
    .open = shm_open, .unlink = shm_unlink, .rename = shm_rename, .link = shm_link,
};

static struct scheme shm_scheme = {.name = "shm", .ops = &shm_ops};

void kscheme_shm_init(void)
{
    scheme_register(&shm_scheme);
}
