/* tests/guest/programs/fscache.c: what POSIX promises about one file seen
 * through several descriptors, processes and names, checked after each kind
 * of change. In Anvil the kernel caches ramfsd's files (pages, stats, idle
 * read-only handles), so every check reads through a descriptor that had
 * the file cached before the change and through one opened after it.
 * Passes on Linux too. Usage: fscache [BASE] (BASE must not exist; default
 * a new folder in /tmp). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "tap.h"
#include "util.h"

#define PATH_LEN 512
#define PAGE 4096
#define MODEL_MAX (32 * 1024)      /* the small files' largest size */
#define BASE_SIZE 10000            /* three pages, the last one partial */
#define PAST_SEC 1000000000        /* an mtime long ago: any change moves it forward */
#define BIG_SIZE (3u << 20)
#define FNV_OFFSET 0xcbf29ce484222325ull   /* FNV-1a 64 */
#define FNV_PRIME 0x100000001b3ull
#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static char base[PATH_LEN - 64];

/* What a file should hold. */
struct model {
    uint8_t data[MODEL_MAX];
    size_t size;
};

static char *in_base(char *out, const char *name)
{
    snprintf(out, PATH_LEN, "%s/%s", base, name);
    return out;
}

/* Bytes that differ with seed and position; never zero, so a hole shows. */
static void fill(uint8_t *buf, size_t n, unsigned seed, uint64_t from)
{
    for (size_t i = 0; i < n; i++) {
        uint64_t at = from + i;
        buf[i] = (uint8_t)((at * 131 + seed * 29 + (at >> 12) * 7) % 251 + 1);
    }
}

/* The model after a write of n bytes of seed at off (zeros fill any hole). */
static void model_write(struct model *m, uint64_t off, size_t n, unsigned seed)
{
    if (off > m->size)
        memset(m->data + m->size, 0, off - m->size);
    fill(m->data + off, n, seed, off);
    if (off + n > m->size)
        m->size = off + n;
}

static void model_resize(struct model *m, size_t size)
{
    if (size > m->size)
        memset(m->data + m->size, 0, size - m->size);
    m->size = size;
}

static bool pwrite_seed(int fd, uint64_t off, size_t n, unsigned seed)
{
    uint8_t buf[MODEL_MAX];

    fill(buf, n, seed, off);
    return pwrite(fd, buf, n, (off_t)off) == (ssize_t)n;
}

/* Open path with flags and write n bytes of seed at off; m follows. */
static bool write_through(const char *path, int flags, uint64_t off, size_t n, unsigned seed,
                          struct model *m)
{
    int fd = open(path, flags, 0644);
    bool ok = fd >= 0 && pwrite_seed(fd, off, n, seed);

    if (flags & O_TRUNC)
        m->size = 0;
    model_write(m, off, n, seed);
    if (fd >= 0)
        close(fd);
    return ok;
}

/* path made to hold m: BASE_SIZE bytes of seed. */
static bool put_model(const char *path, struct model *m, unsigned seed)
{
    return write_through(path, O_CREAT | O_WRONLY | O_TRUNC, 0, BASE_SIZE, seed, m);
}

static size_t first_diff(const uint8_t *a, const uint8_t *b, size_t n)
{
    size_t i = 0;

    while (i < n && a[i] == b[i])
        i++;
    return i;
}

/* Whether reading n + a page from off gives exactly want[0..n); why not in diag. */
static bool reads_as(int fd, uint64_t off, const uint8_t *want, size_t n, char *diag, size_t dlen)
{
    uint8_t *got = malloc(n + PAGE);
    ssize_t r = got ? pread(fd, got, n + PAGE, (off_t)off) : -1;
    size_t same = r > 0 ? first_diff(got, want, (size_t)r < n ? (size_t)r : n) : 0;
    bool ok = r == (ssize_t)n && same == n;

    if (!ok && r < 0)
        snprintf(diag, dlen, "pread: %s", strerror(errno));
    else if (!ok && same < (size_t)r && same < n)
        snprintf(diag, dlen, "%zd bytes read; first difference at %zu: got 0x%02x, want 0x%02x", r,
                 (size_t)off + same, got[same], want[same]);
    else if (!ok)
        snprintf(diag, dlen, "%zd bytes read, want %zu", r, n);
    free(got);
    return ok;
}

/* A check that fd holds exactly what m says. */
static bool holds(int fd, const struct model *m, const char *what)
{
    char why[160];
    bool ok = reads_as(fd, 0, m->data, m->size, why, sizeof(why));

    if (!tap_ok(ok, "%s", what))
        tap_diag("%s", why);
    return ok;
}

/* A fresh read-only open of path holds m. */
static bool opened_holds(const char *path, const struct model *m, const char *what)
{
    int fd = open(path, O_RDONLY);
    bool ok;

    if (fd < 0) {
        tap_ok(false, "%s", what);
        tap_diag("open: %s", strerror(errno));
        return false;
    }
    ok = holds(fd, m, what);
    close(fd);
    return ok;
}

/* Whether another process, opening path itself, reads what m says. */
static bool child_reads(const char *path, const struct model *m)
{
    char why[160];
    int status = 0;
    pid_t pid = fork();

    if (pid == 0) {
        int fd = open(path, O_RDONLY);
        _exit(fd >= 0 && reads_as(fd, 0, m->data, m->size, why, sizeof(why)) ? 0 : 1);
    }
    return pid > 0 && wait_child(pid, &status) == pid && exited_with(status, 0);
}

/* Open path read-only and read it to the end, so its pages are cached;
 * keep: return the fd, else close it (its handle may idle). */
static int cache_file(const char *path, bool keep)
{
    uint8_t buf[PAGE];
    int fd = open(path, O_RDONLY);

    while (fd >= 0 && read(fd, buf, sizeof(buf)) > 0)
        ;
    if (fd >= 0 && !keep) {
        close(fd);
        return 0;
    }
    return fd;
}

/* Set path's times far into the past, so any change must move mtime. */
static bool age(const char *path)
{
    struct timespec past[2] = {{PAST_SEC, 0}, {PAST_SEC, 0}};

    return utimensat(AT_FDCWD, path, past, 0) == 0;
}

static void test_two_fds(void)
{
    char p[PATH_LEN];
    static struct model m;
    uint8_t buf[PAGE];
    int w = open(in_base(p, "twofds"), O_CREAT | O_RDWR | O_TRUNC, 0644);
    int r = open(p, O_RDONLY);

    tap_ok(w >= 0 && r >= 0 && read(r, buf, sizeof(buf)) == 0, "two fds of an empty file");
    model_write(&m, 0, 5000, 1);
    tap_ok(pwrite_seed(w, 0, 5000, 1), "write 5000 bytes through one");
    holds(r, &m, "the other fd reads them while the writer is open");
    tap_ok(child_reads(p, &m), "another process reads them while the writer is open");
    model_write(&m, 4000, 200, 2);
    tap_ok(pwrite_seed(w, 4000, 200, 2), "pwrite 200 bytes across the first page's end");
    tap_ok(close(w) == 0, "close the writer");
    holds(r, &m, "the fd opened before reads the pwrite after the writer closed");
    opened_holds(p, &m, "an fd opened after the close reads it");
    tap_ok(child_reads(p, &m), "another process reads it after the close");
    pid_t pid = fork();
    if (pid == 0) {
        int fd = open(p, O_WRONLY);
        _exit(fd >= 0 && pwrite_seed(fd, 6000, 1000, 3) && close(fd) == 0 ? 0 : 1);
    }
    int status = 0;
    tap_ok(pid > 0 && wait_child(pid, &status) == pid && exited_with(status, 0),
           "another process writes past the end, leaving a hole");
    model_write(&m, 6000, 1000, 3);
    holds(r, &m, "the fd opened before reads its bytes and the hole as zeros");
    close(r);
}

/* One change to a file that readers had cached: it applies itself to path
 * and says what the file then holds. */
struct change {
    const char *what;
    bool (*apply)(const char *path, struct model *m);
};

static bool by_truncate(const char *path, struct model *m)
{
    model_resize(m, 3000);
    return truncate(path, 3000) == 0;
}

/* Shorter, then longer again: the bytes between must read as zeros. */
static bool by_ftruncate(const char *path, struct model *m)
{
    int fd = open(path, O_WRONLY);
    bool ok = fd >= 0 && ftruncate(fd, 2500) == 0 && ftruncate(fd, 9000) == 0;

    model_resize(m, 2500);
    model_resize(m, 9000);
    if (fd >= 0)
        close(fd);
    return ok;
}

static bool by_o_trunc(const char *path, struct model *m)
{
    return write_through(path, O_WRONLY | O_TRUNC, 0, 1234, 11, m);
}

static bool by_pwrite(const char *path, struct model *m)
{
    return write_through(path, O_RDWR, 3950, 300, 12, m);
}

/* n bytes of seed through an O_APPEND fd: they go to the end, also for a
 * pwrite at offset 0 (Linux's rule, and ramfsd's). */
static bool append_bytes(const char *path, struct model *m, size_t n, unsigned seed,
                         bool positioned)
{
    uint8_t buf[1024];
    int fd = open(path, O_WRONLY | O_APPEND);
    ssize_t r = -1;

    fill(buf, n, seed, m->size);
    if (fd >= 0)
        r = positioned ? pwrite(fd, buf, n, 0) : write(fd, buf, n);
    model_write(m, m->size, n, seed);
    if (fd >= 0)
        close(fd);
    return r == (ssize_t)n;
}

static bool by_append(const char *path, struct model *m)
{
    return append_bytes(path, m, 777, 13, false);
}

static bool by_pwrite_append(const char *path, struct model *m)
{
    return append_bytes(path, m, 500, 17, true);
}

static bool by_hole(const char *path, struct model *m)
{
    return write_through(path, O_WRONLY, 20000, 100, 14, m);
}

static const struct change changes[] = {
    {"truncate(path) shorter", by_truncate},
    {"ftruncate shorter, then longer", by_ftruncate},
    {"open with O_TRUNC and a write", by_o_trunc},
    {"pwrite in the middle across a page end", by_pwrite},
    {"an O_APPEND write", by_append},
    {"a pwrite at 0 through an O_APPEND fd", by_pwrite_append},
    {"a write past the end leaving a hole", by_hole},
};

/* Sizes from fstat of both fds and stat of path; mtime moved past PAST_SEC. */
static void check_stats(const char *what, const char *path, int before, int after, size_t size)
{
    struct stat a, b, c;
    bool got = fstat(before, &a) == 0 && fstat(after, &b) == 0 && stat(path, &c) == 0;

    if (!tap_ok(got && a.st_size == (off_t)size && b.st_size == (off_t)size &&
                c.st_size == (off_t)size, "%s: fstat of both fds and stat say %zu bytes", what,
                size))
        tap_diag("fstat before %lld, after %lld, stat %lld", got ? (long long)a.st_size : -1,
                 got ? (long long)b.st_size : -1, got ? (long long)c.st_size : -1);
    if (!tap_ok(got && a.st_mtime > PAST_SEC && b.st_mtime > PAST_SEC && c.st_mtime > PAST_SEC,
                "%s: mtime moved (fstat of both fds, stat)", what))
        tap_diag("mtimes %lld %lld %lld, set to %d before", got ? (long long)a.st_mtime : -1,
                 got ? (long long)b.st_mtime : -1, got ? (long long)c.st_mtime : -1, PAST_SEC);
}

/* read() through the fd that stopped at the old end gives what lies past it now. */
static void check_continue(const char *what, int before, const struct model *m)
{
    size_t want = m->size > BASE_SIZE ? m->size - BASE_SIZE : 0;
    char why[160];
    uint8_t buf[MODEL_MAX];
    ssize_t r = read(before, buf, sizeof(buf));
    bool ok = r == (ssize_t)want && first_diff(buf, m->data + BASE_SIZE, want) == want;

    snprintf(why, sizeof(why), "read gave %zd bytes, want %zu", r, want);
    if (!tap_ok(ok, "%s: read() from where the old fd stopped gives the %zu new bytes", what, want))
        tap_diag("%s", why);
}

static void test_change(const struct change *c, unsigned seed)
{
    char p[PATH_LEN], what[160];
    static struct model m;
    int before, after;

    snprintf(what, sizeof(what), "after %s", c->what);
    in_base(p, "changed");
    if (!tap_ok(put_model(p, &m, seed) && age(p), "%s: a file of %d bytes", what, BASE_SIZE))
        return;
    before = cache_file(p, true);
    cache_file(p, false);                       /* then an idle handle in Anvil */
    snprintf(what, sizeof(what), "before %s: an fd reads the file", c->what);
    holds(before, &m, what);
    tap_ok(c->apply(p, &m), "%s", c->what);
    snprintf(what, sizeof(what), "after %s: an fd opened before reads it all", c->what);
    holds(before, &m, what);
    after = open(p, O_RDONLY);
    snprintf(what, sizeof(what), "after %s: an fd opened after reads it all", c->what);
    holds(after, &m, what);
    check_stats(c->what, p, before, after, m.size);
    check_continue(c->what, before, &m);
    close(before);
    close(after);
    unlink(p);
}

/* fchmod and futimens through one fd show in fstat of another and in stat. */
static void test_fd_attrs(void)
{
    struct timespec t[2] = {{PAST_SEC + 5, 0}, {PAST_SEC + 5, 0}};
    char p[PATH_LEN];
    static struct model m;
    struct stat a, b;
    int r, w;

    tap_ok(put_model(in_base(p, "attrs"), &m, 81), "attributes: a file");
    r = cache_file(p, true);
    cache_file(p, false);
    tap_ok(fstat(r, &a) == 0 && (a.st_mode & 0777) == 0644, "attributes: fstat says 0644");
    w = open(p, O_WRONLY);
    tap_ok(w >= 0 && fchmod(w, 0600) == 0 && futimens(w, t) == 0,
           "attributes: fchmod 0600 and futimens through another fd");
    tap_ok(fstat(r, &a) == 0 && stat(p, &b) == 0 && (a.st_mode & 0777) == 0600 &&
           (b.st_mode & 0777) == 0600 && a.st_mtime == PAST_SEC + 5 && b.st_mtime == PAST_SEC + 5,
           "attributes: fstat of the first fd and stat show the new mode and mtime");
    close(w);
    close(r);
    unlink(p);
}

/* regress_append_offset: after an O_APPEND write the offset is at the end
 * of the file (POSIX), though the daemon chose where the bytes went. */
static void test_append_offset(void)
{
    char p[PATH_LEN];
    static struct model m;
    uint8_t buf[100];
    int fd;

    tap_ok(put_model(in_base(p, "appended"), &m, 15), "append: a file of %d bytes", BASE_SIZE);
    fd = open(p, O_RDWR | O_APPEND);
    fill(buf, sizeof(buf), 16, BASE_SIZE);
    tap_ok(fd >= 0 && write(fd, buf, sizeof(buf)) == (ssize_t)sizeof(buf),
           "append: write 100 bytes through an O_APPEND fd at offset 0");
    tap_is_long((long)lseek(fd, 0, SEEK_CUR), BASE_SIZE + sizeof(buf),
                "regress_append_offset: the offset is then the file's end");
    tap_is_long((long)read(fd, buf, sizeof(buf)), 0, "append: a read() from there is at the end");
    close(fd);
    unlink(p);
}

/* rename a cached file over another cached one. */
static void test_rename(void)
{
    char a[PATH_LEN], b[PATH_LEN];
    static struct model ma, mb;
    struct stat sa, sb;
    int ob;

    tap_ok(put_model(in_base(a, "ren-a"), &ma, 21) && put_model(in_base(b, "ren-b"), &mb, 22),
           "rename: two files");
    model_write(&ma, BASE_SIZE, 2000, 23);      /* a different size from b */
    int fd = open(a, O_WRONLY);
    tap_ok(fd >= 0 && pwrite_seed(fd, BASE_SIZE, 2000, 23) && close(fd) == 0, "rename: a grows");
    ob = cache_file(b, true);
    cache_file(a, false);                       /* idle handles of both names */
    cache_file(b, false);
    tap_ok(stat(a, &sa) == 0 && stat(b, &sb) == 0, "rename: stat both (cached)");
    tap_ok(rename(a, b) == 0, "rename a over b");
    tap_fails_with(open(a, O_RDONLY), ENOENT, "rename: the old name is gone");
    holds(ob, &mb, "rename: an fd opened before still reads the replaced file");
    close(ob);                                  /* its handle must not serve b now */
    opened_holds(b, &ma, "rename: after that fd closes, the new name opens the moved file");
    struct stat now;
    tap_ok(stat(b, &now) == 0 && now.st_ino == sa.st_ino && now.st_size == (off_t)ma.size,
           "rename: stat of the new name gives the moved file's inode and size");
    unlink(b);
}

/* unlink a cached file that is open, then make a new one of that name. */
static void test_unlink(void)
{
    char p[PATH_LEN];
    static struct model old, new;
    struct stat st;
    int o;

    tap_ok(put_model(in_base(p, "unl"), &old, 31), "unlink: a file");
    o = cache_file(p, true);
    cache_file(p, false);                       /* an idle handle of the name too */
    tap_ok(unlink(p) == 0, "unlink it while it is open");
    tap_fails_with(open(p, O_RDONLY), ENOENT, "unlink: opening the name is ENOENT");
    tap_fails_with(stat(p, &st), ENOENT, "unlink: stat of the name is ENOENT");
    holds(o, &old, "unlink: the open fd still reads the file");
    tap_ok(fstat(o, &st) == 0 && st.st_size == BASE_SIZE, "unlink: fstat of it says %d bytes",
           BASE_SIZE);
    int fd = open(p, O_CREAT | O_WRONLY | O_EXCL, 0644);
    tap_ok(fd >= 0 && pwrite_seed(fd, 0, 3000, 32) && close(fd) == 0,
           "unlink: a new file of the same name, other contents");
    new.size = 0;
    model_write(&new, 0, 3000, 32);
    fd = open(p, O_RDONLY);
    holds(fd, &new, "unlink: opening the name reads the new file");
    holds(o, &old, "unlink: the old fd still reads the old one");
    close(o);                                   /* its handle must not serve the name now */
    opened_holds(p, &new, "unlink: after the old fd closes, the name still reads the new file");
    close(fd);
    unlink(p);
}

/* Two names of one file: a write through one is read through the other. */
static void test_hard_link(void)
{
    char p1[PATH_LEN], p2[PATH_LEN];
    static struct model m;
    struct stat s1, s2;
    int o1, o2, w;

    tap_ok(put_model(in_base(p1, "hl1"), &m, 41) && link(p1, in_base(p2, "hl2")) == 0,
           "hard link: a file and a second name");
    o1 = cache_file(p1, true);
    cache_file(p1, false);
    o2 = cache_file(p2, true);
    w = open(p2, O_WRONLY);
    tap_ok(w >= 0 && pwrite_seed(w, 5000, 1000, 42) && pwrite_seed(w, BASE_SIZE, 500, 43),
           "hard link: write through the second name, in the middle and at the end");
    model_write(&m, 5000, 1000, 42);
    model_write(&m, BASE_SIZE, 500, 43);
    holds(o1, &m, "hard link: an fd of the first name opened before reads the writes");
    holds(o2, &m, "hard link: an fd of the second name opened before reads them");
    opened_holds(p1, &m, "hard link: a new open of the first name reads them");
    tap_ok(stat(p1, &s1) == 0 && stat(p2, &s2) == 0 && s1.st_ino == s2.st_ino &&
           s1.st_size == (off_t)m.size && s2.st_size == (off_t)m.size && s1.st_nlink == 2,
           "hard link: stat of both names: one inode, two links, the new size");
    close(w);
    close(o1);
    close(o2);
    unlink(p1);
    unlink(p2);
}

/* MAP_PRIVATE after writes: the mapping is made from the file as it is now. */
static void test_mmap(void)
{
    char p[PATH_LEN];
    static struct model m;
    uint8_t *map;
    int o, w;

    tap_ok(put_model(in_base(p, "mapped"), &m, 51), "mmap: a file");
    o = cache_file(p, true);
    map = mmap(NULL, m.size, PROT_READ, MAP_PRIVATE, o, 0);
    tap_ok(map != MAP_FAILED && memcmp(map, m.data, m.size) == 0, "mmap: MAP_PRIVATE maps it");
    if (map != MAP_FAILED)
        munmap(map, m.size);
    w = open(p, O_WRONLY);
    tap_ok(w >= 0 && pwrite_seed(w, 10, 5, 52) && pwrite_seed(w, PAGE + 7, 3000, 53) &&
           pwrite_seed(w, 2 * PAGE, PAGE, 54), "mmap: writes in three pages, one of them whole");
    model_write(&m, 10, 5, 52);
    model_write(&m, PAGE + 7, 3000, 53);
    model_write(&m, 2 * PAGE, PAGE, 54);
    map = mmap(NULL, m.size, PROT_READ | PROT_WRITE, MAP_PRIVATE, o, 0);
    size_t same = map != MAP_FAILED ? first_diff(map, m.data, m.size) : 0;
    if (!tap_ok(same == m.size, "mmap: a new MAP_PRIVATE mapping sees the written bytes"))
        tap_diag("first difference at %zu", same);
    if (map != MAP_FAILED) {
        map[20] ^= 0xff;
        munmap(map, m.size);
    }
    holds(o, &m, "mmap: a write to the private mapping does not reach the file");
    close(w);
    close(o);
    unlink(p);
}

static uint64_t fnv(uint64_t h, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * FNV_PRIME;
    return h;
}

/* Write big in chunks of sizes[] in turn (odd sizes, unaligned offsets). */
static bool write_chunks(int fd, const uint8_t *big, size_t n, const size_t *sizes, size_t nsizes)
{
    for (size_t done = 0, i = 0; done < n; i++) {
        size_t len = sizes[i % nsizes] < n - done ? sizes[i % nsizes] : n - done;
        if (!write_full(fd, big + done, len))
            return false;
        done += len;
    }
    return true;
}

/* Read fd to its end in chunks of sizes[] in turn, comparing with want as
 * it goes: the checksum of what was read, the count in *got, the first
 * difference in *diff (n if none). */
static uint64_t read_chunks(int fd, const uint8_t *want, size_t n, const size_t *sizes,
                            size_t nsizes, size_t *got, size_t *diff)
{
    static uint8_t buf[256 * 1024];
    uint64_t h = FNV_OFFSET;
    ssize_t r = 1;

    *got = 0;
    *diff = n;
    for (size_t i = 0; r > 0; i++) {
        r = read(fd, buf, sizes[i % nsizes]);
        if (r <= 0)
            break;
        size_t cmp = *got + (size_t)r <= n ? (size_t)r : (*got < n ? n - *got : 0);
        size_t same = first_diff(buf, want + *got, cmp);
        if (same < (size_t)r && *diff == n)
            *diff = *got + same;
        h = fnv(h, buf, (size_t)r);
        *got += (size_t)r;
    }
    return h;
}

/* A whole read of fd in odd sizes matches big and its checksum. */
static void check_big(int fd, const uint8_t *big, const char *what)
{
    static const size_t sizes[] = {3, 8191, 65539, 100003, 5, 4097, 131071, 777, 70001};
    size_t got, diff;
    uint64_t h;

    lseek(fd, 0, SEEK_SET);
    h = read_chunks(fd, big, BIG_SIZE, sizes, COUNT(sizes), &got, &diff);
    if (!tap_ok(got == BIG_SIZE && diff == BIG_SIZE && h == fnv(FNV_OFFSET, big, BIG_SIZE),
                "%s", what))
        tap_diag("read %zu bytes of %u, first difference at %zu", got, BIG_SIZE, diff);
}

static void test_big(void)
{
    static const size_t sizes[] = {1, 4095, 4097, 65537, 12345, 777, 70001, 3};
    char p[PATH_LEN];
    uint8_t *big = malloc(BIG_SIZE);
    int w, r;

    if (!tap_ok(big != NULL, "3 MiB file: memory for its contents"))
        return;
    for (size_t i = 0; i < BIG_SIZE; i += MODEL_MAX)
        fill(big + i, MODEL_MAX, (unsigned)(i / MODEL_MAX), i);
    w = open(in_base(p, "big"), O_CREAT | O_RDWR | O_TRUNC, 0644);
    r = open(p, O_RDONLY);
    tap_ok(w >= 0 && r >= 0 && write_chunks(w, big, BIG_SIZE, sizes, COUNT(sizes)),
           "3 MiB file: written in odd-sized chunks at unaligned offsets");
    check_big(r, big, "3 MiB file: read back in other odd sizes, byte for byte and by checksum");
    check_big(r, big, "3 MiB file: and again (now from the cache)");
    fill(big + 1000003, 70000, 61, 1000003);
    fill(big + (1u << 20), 128 * 1024 + 5, 62, 1u << 20);
    tap_ok(pwrite(w, big + 1000003, 70000, 1000003) == 70000 &&
           pwrite(w, big + (1u << 20), 128 * 1024 + 5, 1u << 20) == 128 * 1024 + 5,
           "3 MiB file: overwrite 70000 bytes unaligned and 128 KiB + 5 page-aligned");
    check_big(r, big, "3 MiB file: the fd opened before reads the overwrites");
    int n = open(p, O_RDONLY);
    check_big(n, big, "3 MiB file: a new fd reads them");
    close(n);
    close(w);
    close(r);
    unlink(p);
    free(big);
}

/* The child caches the file, the parent writes, the child reads again. */
static void test_fork(void)
{
    char p[PATH_LEN], go;
    static struct model m;
    int to_child[2], to_parent[2], status = 0;

    tap_ok(put_model(in_base(p, "forked"), &m, 71) && pipe(to_child) == 0 && pipe(to_parent) == 0,
           "fork: a file and two pipes");
    struct model *after = malloc(sizeof(*after));
    memcpy(after, &m, sizeof(m));
    model_write(after, 100, 5000, 72);
    model_write(after, BASE_SIZE + 50, 10, 73);
    pid_t pid = fork();
    if (pid == 0) {
        char why[160];
        int fd = cache_file(p, true);
        bool ok = fd >= 0 && reads_as(fd, 0, m.data, m.size, why, sizeof(why));
        ok = write(to_parent[1], "c", 1) == 1 && read(to_child[0], &go, 1) == 1 && ok;
        ok = ok && reads_as(fd, 0, after->data, after->size, why, sizeof(why));
        int fresh = open(p, O_RDONLY);
        _exit(ok && fresh >= 0 && reads_as(fresh, 0, after->data, after->size, why, sizeof(why))
              ? 0 : 1);
    }
    int w = open(p, O_WRONLY);
    bool wrote = pid > 0 && read(to_parent[0], &go, 1) == 1 && w >= 0 &&
                 pwrite_seed(w, 100, 5000, 72) && pwrite_seed(w, BASE_SIZE + 50, 10, 73);
    tap_ok(wrote && write(to_child[1], "p", 1) == 1, "fork: the parent writes once the child read");
    tap_ok(pid > 0 && wait_child(pid, &status) == pid && exited_with(status, 0),
           "fork: the child reads the parent's writes through its old fd and a new one");
    close(w);
    free(after);
    unlink(p);
}

int main(int argc, char **argv)
{
    struct stat st;

    if (argc > 1)
        snprintf(base, sizeof(base), "%s", argv[1]);
    else
        snprintf(base, sizeof(base), "%s/fscache-test.%d", stat("/tmp", &st) == 0 ? "/tmp" : "",
                 (int)getpid());
    if (!tap_ok(mkdir(base, 0755) == 0, "mkdir %s", base))
        return tap_done();
    test_two_fds();
    for (size_t i = 0; i < COUNT(changes); i++)
        test_change(&changes[i], (unsigned)i + 1);
    test_append_offset();
    test_fd_attrs();
    test_rename();
    test_unlink();
    test_hard_link();
    test_mmap();
    test_big();
    test_fork();
    char p[PATH_LEN];
    unlink(in_base(p, "twofds"));
    tap_ok(rmdir(base) == 0, "clean up: %s is empty and gone", base);
    return tap_done();
}
