/* kernel/ipc/fcache.c: the cache of user-scheme files (see fcache.h).
 * Single CPU, kernel not preemptible: no locks. Cached page bytes past a
 * file's end are always zero, so growing a file never shows old bytes. */
#include "arch/x86_64/paging.h"
#include "ipc/fcache.h"
#include "ipc/request.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/kmem.h"
#include "mm/pmm.h"
#include "mm/usercopy.h"
#include "sched/sched.h"

#define PAGE 4096u
#define PAGE_SHIFT 12
#define MAX_FILE_PAGES 16384u     /* 64 MiB of a file is cached at most; past it reads go through */
#define S_IFMT_ 0170000u
#define S_IFREG_ 0100000u

struct fc_inode {
    struct uscheme *us;            /* NULL once dropped (the daemon died) */
    struct fc_inode *next;         /* hash chain */
    struct fc_inode *older, *newer;   /* the LRU of inodes holding pages */
    uint64_t ino, gen;
    unsigned refs;                 /* open files and idle handles */
    uint64_t size;
    struct anvil_stat st;
    bool st_valid;
    uint64_t changes;              /* counts writes and truncates the cache took */
    unsigned writing;              /* writes sent and not yet answered (write-behind) */
    int write_error;               /* the first of them that failed, for the next call */
    uint64_t *page;                /* frame per page index, 0: not cached */
    size_t npages;                 /* length of page[] */
    size_t held;                   /* frames in page[] */
};

/* All schemes: the LRU of inodes holding pages (oldest first) and the count. */
static struct fc_inode *lru_oldest, *lru_newest;
static size_t pages_held;

size_t fcache_pages(void)
{
    return pages_held;
}

static struct fcache *fc_of(struct uscheme *us)
{
    return &us->fc;
}

static void lru_unlink(struct fc_inode *in)
{
    if (in->older)
        in->older->newer = in->newer;
    else if (lru_oldest == in)
        lru_oldest = in->newer;
    if (in->newer)
        in->newer->older = in->older;
    else if (lru_newest == in)
        lru_newest = in->older;
    in->older = in->newer = NULL;
}

/* in was used: it goes to the new end of the LRU. */
static void lru_touch(struct fc_inode *in)
{
    if (lru_newest == in)
        return;
    lru_unlink(in);
    in->older = lru_newest;
    if (lru_newest)
        lru_newest->newer = in;
    else
        lru_oldest = in;
    lru_newest = in;
}

static void drop_pages(struct fc_inode *in)
{
    for (size_t i = 0; i < in->npages; i++)
        if (in->page[i])
            pmm_unref(in->page[i]);
    kfree(in->page);
    pages_held -= in->held;
    in->page = NULL;
    in->npages = in->held = 0;
    lru_unlink(in);
}

static void unhash(struct fc_inode *in)
{
    struct fc_inode **pp;

    if (!in->us)
        return;
    for (pp = &fc_of(in->us)->bucket[in->ino % FC_BUCKETS]; *pp; pp = &(*pp)->next) {
        if (*pp == in) {
            *pp = in->next;
            break;
        }
    }
    in->us = NULL;
}

static void inode_free(struct fc_inode *in)
{
    drop_pages(in);
    unhash(in);
    kfree(in);
}

/* Frames are scarce: give back whole files, least recently used first. */
static void shrink(const struct fc_inode *keep)
{
    size_t cap = pmm_total_count() / 8;
    struct fc_inode *in = lru_oldest;

    while (pages_held > cap && in) {
        struct fc_inode *next = in->newer;
        if (in != keep) {
            if (in->refs == 0)
                inode_free(in);
            else
                drop_pages(in);
        }
        in = next;
    }
}

size_t fcache_reclaim(void)
{
    size_t before = pages_held;

    while (lru_oldest) {
        struct fc_inode *in = lru_oldest;
        if (in->refs == 0)
            inode_free(in);
        else
            drop_pages(in);
    }
    return before - pages_held;
}

bool fcache_inode_current(const struct fc_inode *in)
{
    return in->us && in->gen == fc_of(in->us)->gen;
}

static void stale_to_fresh(struct fc_inode *in, const struct anvil_stat *st)
{
    /* Pages stay only if the file looks as the cache left it. */
    if (!fcache_inode_current(in) || st->size != in->size ||
        (in->st_valid && st->mtime_sec != in->st.mtime_sec) ||
        (in->st_valid && st->mtime_nsec != in->st.mtime_nsec))
        drop_pages(in);
    in->size = st->size;
    in->st = *st;
    in->st_valid = true;
    in->gen = fc_of(in->us)->gen;
}

struct fc_inode *fcache_inode(struct uscheme *us, const struct anvil_stat *st)
{
    struct fc_inode **head = &fc_of(us)->bucket[st->ino % FC_BUCKETS], *in;

    if ((st->mode & S_IFMT_) != S_IFREG_ || st->size > INT64_MAX)
        return NULL;
    for (in = *head; in && in->ino != st->ino; in = in->next)
        ;
    if (!in) {
        if (!(in = kzalloc(sizeof(*in))))
            return NULL;
        in->us = us;
        in->ino = st->ino;
        in->next = *head;
        *head = in;
        in->gen = fc_of(us)->gen - 1;   /* not current until stale_to_fresh */
    }
    stale_to_fresh(in, st);
    in->refs++;
    return in;
}

void fcache_inode_put(struct fc_inode *in)
{
    if (--in->refs > 0)
        return;
    if (!fcache_inode_current(in) || in->held == 0)
        inode_free(in);
}

void fcache_inode_refresh(struct fc_inode *in, const struct anvil_stat *st)
{
    if (in->us && (st->mode & S_IFMT_) == S_IFREG_ && st->size <= INT64_MAX)
        stale_to_fresh(in, st);
}

bool fcache_inode_stat(const struct fc_inode *in, struct anvil_stat *st)
{
    if (!fcache_inode_current(in) || !in->st_valid)
        return false;
    *st = in->st;
    return true;
}

void fcache_inode_touch(struct fc_inode *in)
{
    in->st_valid = false;
}

/* Copy n bytes of one cached frame out; the frame is held across the copy,
 * which may fault in the caller's pages. */
static int copy_out(uint64_t frame, size_t at, void *kbuf, uintptr_t ubuf, size_t n)
{
    const uint8_t *src = (const uint8_t *)x86_phys_to_virt(frame) + at;
    int err = 0;

    if (kbuf) {
        memcpy(kbuf, src, n);
        return 0;
    }
    if (pmm_ref(frame) < 0)
        return -ENOMEM;
    if (copy_to_user(ubuf, src, n) < 0)
        err = -EFAULT;
    pmm_unref(frame);
    return err;
}

long fcache_read(struct fc_inode *in, void *kbuf, uintptr_t ubuf, size_t len, uint64_t off,
                 uint64_t *miss)
{
    size_t done = 0;

    if (off >= in->size)
        return 0;
    if (len > in->size - off)
        len = (size_t)(in->size - off);
    while (done < len) {
        uint64_t pos = off + done, idx = pos >> PAGE_SHIFT;
        size_t at = (size_t)(pos & (PAGE - 1)), n = PAGE - at;
        if (n > len - done)
            n = len - done;
        if (idx >= in->npages || !in->page[idx]) {
            *miss = pos;
            return done ? (long)done : -EAGAIN;
        }
        int err = copy_out(in->page[idx], at, kbuf ? (uint8_t *)kbuf + done : NULL, ubuf + done, n);
        if (err)
            return done ? (long)done : err;
        done += n;
    }
    lru_touch(in);
    return (long)done;
}

/* Room in page[] for index idx: false past the limit or out of memory. */
static bool reserve(struct fc_inode *in, uint64_t idx)
{
    size_t want = in->npages ? in->npages : 16;
    uint64_t *grown;

    if (idx >= MAX_FILE_PAGES)
        return false;
    if (idx < in->npages)
        return true;
    while (want <= idx)
        want *= 2;
    if (want > MAX_FILE_PAGES)
        want = MAX_FILE_PAGES;
    if (!(grown = kzalloc(want * sizeof(*grown))))
        return false;
    if (in->page)
        memcpy(grown, in->page, in->npages * sizeof(*grown));
    kfree(in->page);
    in->page = grown;
    in->npages = want;
    return true;
}

/* The cached frame of page idx, made (zeroed) when absent: 0 when it cannot be. */
static uint64_t page_frame(struct fc_inode *in, uint64_t idx)
{
    uint64_t f;

    if (!reserve(in, idx))
        return 0;
    if ((f = in->page[idx]))
        return f;
    if (!(f = pmm_alloc_zero()))
        return 0;
    in->page[idx] = f;
    in->held++;
    pages_held++;
    lru_touch(in);
    return f;
}

static void store(struct fc_inode *in, uint64_t idx, size_t at, const uint8_t *src, size_t n)
{
    uint64_t f = page_frame(in, idx);

    if (f)
        memcpy((uint8_t *)x86_phys_to_virt(f) + at, src, n);
}

/* A request's frame becomes page idx as it is (no copy): the cache takes a
 * reference of its own. */
static void adopt(struct fc_inode *in, uint64_t idx, uint64_t frame)
{
    if (!reserve(in, idx) || pmm_ref(frame) < 0)
        return;
    if (in->page[idx]) {
        pmm_unref(in->page[idx]);
    } else {
        in->held++;
        pages_held++;
    }
    in->page[idx] = frame;
    lru_touch(in);
}

/* Page idx from a request's buffer: adopted when it has whole frames
 * (frame: the page's, 0 if not), else copied. */
static void put_page(struct fc_inode *in, uint64_t idx, const uint8_t *src, uint64_t frame)
{
    if (frame)
        adopt(in, idx, frame);
    else
        store(in, idx, 0, src, PAGE);
}

uint64_t fcache_changes(const struct fc_inode *in)
{
    return in->changes;
}

void fcache_fill(struct fc_inode *in, uint64_t off, const uint8_t *data, uint64_t frames,
                 size_t n, size_t want, uint64_t changes)
{
    /* A write or truncate taken since the READ went out is newer than its reply. */
    if (!fcache_inode_current(in) || in->changes != changes || (off & (PAGE - 1)) || n > want)
        return;
    if (n < want)
        in->size = off + n;         /* a short read: the end of the file */
    else if (off + n > in->size)
        in->size = off + n;
    for (size_t done = 0; done < n; done += PAGE) {
        size_t chunk = n - done < PAGE ? n - done : PAGE;
        if (chunk < PAGE && n == want)
            break;                  /* a partial page that is not the end: unknown tail */
        if (chunk < PAGE)           /* the last page: zero past the end, whatever the daemon left */
            memset((uint8_t *)data + done + chunk, 0, PAGE - chunk);
        put_page(in, (off + done) >> PAGE_SHIFT, data + done, frames ? frames + done : 0);
    }
    shrink(in);
}

/* Whether page [ps, ps + PAGE) is wholly known after a write of [off, end)
 * to a file that was old bytes long: each byte is written or was past the end. */
static bool page_known(uint64_t ps, uint64_t off, uint64_t end, uint64_t old)
{
    return (off <= ps || ps >= old) && (end >= ps + PAGE || end >= old);
}

void fcache_wrote(struct fc_inode *in, uint64_t off, const uint8_t *data, uint64_t frames,
                  size_t n)
{
    uint64_t end = off + n, old = in->size;

    if (!fcache_inode_current(in) || n == 0)
        return;
    in->changes++;
    if (end > in->size)
        in->size = end;
    in->st_valid = false;
    for (uint64_t ps = off & ~(uint64_t)(PAGE - 1); ps < end; ps += PAGE) {
        uint64_t idx = ps >> PAGE_SHIFT, from = off > ps ? off : ps;
        uint64_t to = end < ps + PAGE ? end : ps + PAGE;
        bool cached = idx < in->npages && in->page[idx];
        if (frames && from == ps && to == ps + PAGE && !(off & (PAGE - 1)))
            adopt(in, idx, frames + (ps - off));   /* a whole page of the window */
        else if (cached || page_known(ps, off, end, old))
            store(in, idx, (size_t)(from - ps), data + (from - off), (size_t)(to - from));
    }
    shrink(in);
}

void fcache_truncated(struct fc_inode *in, uint64_t size)
{
    uint64_t keep = (size + PAGE - 1) >> PAGE_SHIFT;

    if (!fcache_inode_current(in))
        return;
    in->changes++;
    for (uint64_t i = keep; i < in->npages; i++) {
        if (in->page[i]) {
            pmm_unref(in->page[i]);
            in->page[i] = 0;
            in->held--;
            pages_held--;
        }
    }
    if ((size & (PAGE - 1)) && keep - 1 < in->npages && in->page[keep - 1]) {
        size_t at = (size_t)(size & (PAGE - 1));
        memset((uint8_t *)x86_phys_to_virt(in->page[keep - 1]) + at, 0, PAGE - at);
    }
    in->size = size;
    in->st_valid = false;
}

static void idle_clear(struct fc_idle *s, bool send_close, struct uscheme *us)
{
    struct ipc_req *c;

    if (send_close && !us->dead && (c = ipc_req_new(us, ANVIL_OP_CLOSE, s->handle, 0)))
        ipc_send_async(c);
    fcache_inode_put(s->inode);
    kfree(s->path);
    memset(s, 0, sizeof(*s));
}

bool fcache_idle_take(struct uscheme *us, const char *path, unsigned flags, uint64_t *handle,
                      struct fc_inode **in)
{
    struct fcache *fc = fc_of(us);

    for (int i = 0; i < FC_IDLE_MAX; i++) {
        struct fc_idle *s = &fc->idle[i];
        if (!s->path || s->flags != flags || strcmp(s->path, path) != 0)
            continue;
        if (!fcache_inode_current(s->inode)) {
            idle_clear(s, true, us);
            return false;
        }
        *handle = s->handle;
        *in = s->inode;
        kfree(s->path);
        memset(s, 0, sizeof(*s));
        return true;
    }
    return false;
}

bool fcache_idle_put(struct uscheme *us, const char *path, unsigned flags, uint64_t handle,
                     struct fc_inode *in)
{
    struct fcache *fc = fc_of(us);
    struct fc_idle *slot = &fc->idle[0];
    char *copy;

    if (us->dead || !fcache_inode_current(in) || !(copy = kmalloc(strlen(path) + 1)))
        return false;
    for (int i = 0; i < FC_IDLE_MAX; i++) {
        if (!fc->idle[i].path) {
            slot = &fc->idle[i];
            break;
        }
        if (fc->idle[i].used < slot->used)
            slot = &fc->idle[i];
    }
    if (slot->path)
        idle_clear(slot, true, us);
    memcpy(copy, path, strlen(path) + 1);
    *slot = (struct fc_idle){copy, flags, handle, in, ++fc->clock};
    return true;
}

void fcache_inode_stale(struct fc_inode *in)
{
    if (in->us)
        in->gen = fc_of(in->us)->gen - 1;
}

void fcache_invalidate(struct uscheme *us)
{
    struct fcache *fc = fc_of(us);

    fc->gen++;
    for (int i = 0; i < FC_IDLE_MAX; i++)
        if (fc->idle[i].path)
            idle_clear(&fc->idle[i], true, us);
    /* Files nobody has open go now; open ones when they close or refresh. */
    for (int b = 0; b < FC_BUCKETS; b++) {
        struct fc_inode *in = fc->bucket[b];
        while (in) {
            struct fc_inode *next = in->next;
            if (in->refs == 0)
                inode_free(in);
            else
                drop_pages(in);
            in = next;
        }
    }
}

bool fcache_idle_stat(struct uscheme *us, const char *path, struct anvil_stat *st)
{
    struct fcache *fc = fc_of(us);

    for (int i = 0; i < FC_IDLE_MAX; i++) {
        struct fc_idle *s = &fc->idle[i];
        if (s->path && strcmp(s->path, path) == 0 && fcache_inode_stat(s->inode, st))
            return true;
    }
    return false;
}

void fcache_drop(struct uscheme *us)
{
    struct fcache *fc = fc_of(us);

    for (int i = 0; i < FC_IDLE_MAX; i++)
        if (fc->idle[i].path)
            idle_clear(&fc->idle[i], false, us);
    for (int b = 0; b < FC_BUCKETS; b++) {
        while (fc->bucket[b]) {
            struct fc_inode *in = fc->bucket[b];
            fc->bucket[b] = in->next;
            in->us = NULL;          /* open files keep it until they close */
            drop_pages(in);
            if (in->refs == 0)
                kfree(in);
        }
    }
}

void fcache_write_sent(struct fc_inode *in)
{
    in->writing++;
    in->refs++;
}

void fcache_write_answered(struct fc_inode *in, long result, size_t len)
{
    if (result != (long)len && !in->write_error) {
        in->write_error = result < 0 ? (int)result : -EIO;
        fcache_inode_stale(in);   /* its pages hold bytes the daemon does not */
    }
    in->writing--;
    sched_wakeup(&in->writing);
    fcache_inode_put(in);
}

int fcache_write_wait(struct fc_inode *in, unsigned most)
{
    while (in->writing > most) {
        int err = sched_sleep(&in->writing, 0, true);
        if (err)
            return err;
    }
    return 0;
}

int fcache_write_error(struct fc_inode *in)
{
    int err = in->write_error;

    in->write_error = 0;
    return err;
}
