/* bench/programs/fsbench.c: file costs in one folder (default /tmp), the same static
 * musl binary on the host, on Linux in QEMU and in Anvil: open+read+close, stat,
 * sequential 64 KiB writes and reads, random 4 KiB preads, create+write+unlink.
 * One "name value unit" line per measure, the best of a few rounds. A failing call
 * is named on stderr, its measure prints no number, and the exit status is 1. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define ROUNDS 5                    /* each measure is the best of this many */
#define SMALL_OPS 2000              /* opens and stats per round */
#define SMALL_BYTES 100             /* the small file, and each file of the metadata case */
#define BIG_BYTES (4L << 20)        /* the file of the sequential and random measures */
#define BLOCK_BYTES (64L << 10)     /* one sequential read or write */
#define PAGE_BYTES 4096L            /* one random pread: an x86_64 base page */
#define PREAD_OPS 2000              /* preads per round */
#define META_FILES 1000             /* files created and removed per round */
#define SMALL_ID META_FILES         /* the small file's contents differ from every meta file's */
#define NS_PER_US 1e3
#define NS_PER_S 1e9
#define BYTES_PER_MIB 1048576.0

/* Set once by main before any measure, read-only after. */
static char work[PATH_MAX];         /* a folder of fsbench's own inside the one measured */
static char small_path[PATH_MAX + 16];
static char big_path[PATH_MAX + 16];

/* The big file's bytes as written last, and a buffer to read them back into. */
static uint64_t expect[BIG_BYTES / sizeof(uint64_t)];
static uint64_t got[BIG_BYTES / sizeof(uint64_t)];

static double now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * NS_PER_S + (double)ts.tv_nsec;
}

/* A system call failed: name it and the path, then give up the measure. */
static bool fail(const char *call, const char *path)
{
    fprintf(stderr, "fsbench: %s %s: %s\n", call, path, strerror(errno));
    return false;
}

/* The call succeeded but the file system said something untrue. */
static bool wrong(const char *what, const char *path)
{
    fprintf(stderr, "fsbench: %s: %s\n", path, what);
    return false;
}

static bool read_exact(int fd, void *buf, size_t len, const char *path)
{
    ssize_t n = read(fd, buf, len);

    if (n < 0)
        return fail("read", path);
    return (size_t)n == len ? true : wrong("short read", path);
}

static bool write_exact(int fd, const void *buf, size_t len, const char *path)
{
    ssize_t n = write(fd, buf, len);

    if (n < 0)
        return fail("write", path);
    return (size_t)n == len ? true : wrong("short write", path);
}

static bool close_checked(int fd, const char *path)
{
    return close(fd) == 0 ? true : fail("close", path);
}

/* A small file's bytes, different for every id, so files cannot be mixed up. */
static void fill_small(unsigned char *buf, unsigned id)
{
    for (unsigned i = 0; i < SMALL_BYTES; i++)
        buf[i] = (unsigned char)(id * 31u + i * 7u + 1u);
}

/* A new file of SMALL_BYTES for id; O_EXCL so a leftover cannot pass for it. */
static bool create_small(const char *path, unsigned id)
{
    unsigned char buf[SMALL_BYTES];
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
    bool ok;

    if (fd < 0)
        return fail("open (create)", path);
    fill_small(buf, id);
    ok = write_exact(fd, buf, sizeof buf, path);
    return close_checked(fd, path) && ok;
}

/* Whether path holds exactly the bytes create_small wrote for id. */
static bool check_small(const char *path, unsigned id)
{
    unsigned char want[SMALL_BYTES], have[SMALL_BYTES + 1];
    int fd = open(path, O_RDONLY);
    ssize_t n;

    if (fd < 0)
        return fail("open", path);
    n = read(fd, have, sizeof have);
    if (n < 0) {
        fail("read", path);
        close(fd);
        return false;
    }
    if (!close_checked(fd, path))
        return false;
    fill_small(want, id);
    if (n != SMALL_BYTES || memcmp(want, have, SMALL_BYTES) != 0)
        return wrong("read back other bytes than were written", path);
    return true;
}

static bool open_read_close(unsigned round, double *ns)
{
    unsigned char want[SMALL_BYTES], c;
    double t0 = now_ns();

    (void)round;
    fill_small(want, SMALL_ID);
    for (int i = 0; i < SMALL_OPS; i++) {
        int fd = open(small_path, O_RDONLY);
        if (fd < 0)
            return fail("open", small_path);
        if (!read_exact(fd, &c, 1, small_path)) {
            close(fd);
            return false;
        }
        if (!close_checked(fd, small_path))
            return false;
        if (c != want[0])
            return wrong("read a byte that was not written", small_path);
    }
    *ns = now_ns() - t0;
    return true;
}

static bool stat_file(unsigned round, double *ns)
{
    struct stat st;
    double t0 = now_ns();

    (void)round;
    for (int i = 0; i < SMALL_OPS; i++) {
        if (stat(small_path, &st) != 0)
            return fail("stat", small_path);
        if (!S_ISREG(st.st_mode) || st.st_size != SMALL_BYTES)
            return wrong("stat gives another type or size", small_path);
    }
    *ns = now_ns() - t0;
    return true;
}

/* The big file's bytes in round r: each 8-byte word differs from every other, and
 * from round to round, so stale data or a wrong offset cannot compare equal. */
static void fill_expect(unsigned round)
{
    for (size_t i = 0; i < BIG_BYTES / sizeof(uint64_t); i++)
        expect[i] = ((uint64_t)i * 0x9e3779b97f4a7c15ull) ^ (((uint64_t)round + 1) << 48);
}

/* The big file start to end in 64 KiB calls, from buf or into it: open, then
 * writes (to a new file: O_TRUNC) or reads, then close. */
static bool sequential(bool writing, char *buf)
{
    int fd = writing ? open(big_path, O_WRONLY | O_CREAT | O_TRUNC, 0644)
                     : open(big_path, O_RDONLY);
    bool ok = true;

    if (fd < 0)
        return fail(writing ? "open (create)" : "open", big_path);
    for (long off = 0; off < BIG_BYTES && ok; off += BLOCK_BYTES)
        ok = writing ? write_exact(fd, buf + off, BLOCK_BYTES, big_path)
                     : read_exact(fd, buf + off, BLOCK_BYTES, big_path);
    return close_checked(fd, big_path) && ok;
}

static bool seq_write(unsigned round, double *ns)
{
    double t0;

    fill_expect(round);
    t0 = now_ns();
    if (!sequential(true, (char *)expect))
        return false;
    *ns = now_ns() - t0;
    return true;
}

/* The big file as seq_write's last round left it; checked against expect after. */
static bool seq_read(unsigned round, double *ns)
{
    struct stat st;
    double t0;

    (void)round;
    memset(got, 0, sizeof got);
    t0 = now_ns();
    if (!sequential(false, (char *)got))
        return false;
    *ns = now_ns() - t0;
    if (stat(big_path, &st) != 0)
        return fail("stat", big_path);
    if (st.st_size != BIG_BYTES)
        return wrong("the file has another size than was written", big_path);
    if (memcmp(got, expect, sizeof got) != 0)
        return wrong("read back other bytes than were written", big_path);
    return true;
}

/* xorshift64 (Marsaglia, "Xorshift RNGs", 2003): the same offsets on every system. */
static long random_page(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return (long)(*s % (BIG_BYTES / PAGE_BYTES)) * PAGE_BYTES;
}

/* Each page read is kept at its own offset in got, and checked after the clock stops. */
static bool check_pages(unsigned round)
{
    uint64_t s = round + 1;
    const char *have = (const char *)got, *want = (const char *)expect;

    for (int i = 0; i < PREAD_OPS; i++) {
        long off = random_page(&s);
        if (memcmp(have + off, want + off, PAGE_BYTES) != 0)
            return wrong("pread gave other bytes than were written", big_path);
    }
    return true;
}

static bool random_pread(unsigned round, double *ns)
{
    char *p = (char *)got;
    uint64_t s = round + 1;
    double t0;
    int fd = open(big_path, O_RDONLY);

    if (fd < 0)
        return fail("open", big_path);
    memset(got, 0, sizeof got);
    t0 = now_ns();
    for (int i = 0; i < PREAD_OPS; i++) {
        long off = random_page(&s);
        ssize_t n = pread(fd, p + off, PAGE_BYTES, off);
        if (n != PAGE_BYTES) {
            if (n < 0)
                fail("pread", big_path);
            else
                wrong("short pread", big_path);
            close(fd);
            return false;
        }
    }
    *ns = now_ns() - t0;
    return close_checked(fd, big_path) && check_pages(round);
}

static void meta_path(char *buf, size_t len, int i)
{
    snprintf(buf, len, "%s/m%d", work, i);
}

/* create, write 100 bytes, close for every file, then unlink each: a folder that
 * really holds them all. Their contents are checked between, off the clock. */
static bool create_unlink(unsigned round, double *ns)
{
    char path[sizeof work + 16];
    double t0 = now_ns(), t1;

    (void)round;
    for (int i = 0; i < META_FILES; i++) {
        meta_path(path, sizeof path, i);
        if (!create_small(path, (unsigned)i))
            return false;
    }
    t1 = now_ns();
    for (int i = 0; i < META_FILES; i++) {
        meta_path(path, sizeof path, i);
        if (!check_small(path, (unsigned)i))
            return false;
    }
    *ns = t1 - t0;
    t0 = now_ns();
    for (int i = 0; i < META_FILES; i++) {
        meta_path(path, sizeof path, i);
        if (unlink(path) != 0)
            return fail("unlink", path);
    }
    *ns += now_ns() - t0;
    return true;
}

/* How a measure uses the big file: the reads need what the write left. */
enum big_use { BIG_NONE, BIG_WRITES, BIG_READS };

struct measure {
    const char *name;
    bool (*round)(unsigned round, double *ns);
    double ops;             /* per round: operations, or bytes for a rate */
    bool rate;              /* MiB/s rather than us per operation */
    enum big_use big;
};

static const struct measure measures[] = {
    {"open_read_close_us", open_read_close, SMALL_OPS, false, BIG_NONE},
    {"stat_us", stat_file, SMALL_OPS, false, BIG_NONE},
    {"seq_write_64k_mib_s", seq_write, BIG_BYTES, true, BIG_WRITES},
    {"seq_read_64k_mib_s", seq_read, BIG_BYTES, true, BIG_READS},
    {"pread_4k_random_us", random_pread, PREAD_OPS, false, BIG_READS},
    {"create_write_unlink_us", create_unlink, META_FILES, false, BIG_NONE},
};

/* The fastest of ROUNDS rounds, printed; nothing printed when a round fails. */
static bool run_measure(const struct measure *m)
{
    double best = 0, ns;

    for (unsigned r = 0; r < ROUNDS; r++) {
        if (!m->round(r, &ns))
            return false;
        if (r == 0 || ns < best)
            best = ns;
    }
    if (m->rate)
        printf("%s %.2f MiB/s\n", m->name, m->ops / BYTES_PER_MIB / (best / NS_PER_S));
    else
        printf("%s %.2f us\n", m->name, best / m->ops / NS_PER_US);
    fflush(stdout);
    return true;
}

/* The folder and the small file every run starts from. */
static bool set_up(const char *dir)
{
    if (snprintf(work, sizeof work, "%s/fsbench.%d", dir, (int)getpid()) >= (int)sizeof work)
        return wrong("the path is too long", dir);
    snprintf(small_path, sizeof small_path, "%s/small", work);
    snprintf(big_path, sizeof big_path, "%s/big", work);
    if (mkdir(work, 0755) != 0)
        return fail("mkdir", work);
    return create_small(small_path, SMALL_ID);
}

/* Leaves the measured folder as it was; what a failed round left goes too. */
static bool clean_up(void)
{
    char path[sizeof work + 16];
    bool ok = true;

    for (int i = 0; i < META_FILES; i++) {
        meta_path(path, sizeof path, i);
        unlink(path);
    }
    if (unlink(small_path) != 0)
        ok = fail("unlink", small_path);
    if (unlink(big_path) != 0 && errno != ENOENT)
        ok = fail("unlink", big_path);
    if (rmdir(work) != 0)
        ok = fail("rmdir", work);
    return ok;
}

/* Every measure in order; those after the write need its file, so they wait on it. */
static int run_all(void)
{
    int failed = 0;
    bool have_big = true;

    for (size_t i = 0; i < sizeof measures / sizeof measures[0]; i++) {
        const struct measure *m = &measures[i];
        bool ok = (m->big != BIG_READS || have_big) && run_measure(m);

        if (m->big == BIG_WRITES)
            have_big = ok;
        if (!ok) {
            fprintf(stderr, "fsbench: %s failed\n", m->name);
            failed++;
        }
    }
    return failed;
}

int main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : "/tmp";
    int failed;

    if (argc > 2) {
        fprintf(stderr, "usage: %s [FOLDER]   (default /tmp)\n", argv[0]);
        return 2;
    }
    printf("fsbench: start in %s\n", dir);
    fflush(stdout);
    if (!set_up(dir)) {
        printf("fsbench: done (with failures)\n");
        return 1;
    }
    failed = run_all();
    if (!clean_up())
        failed++;
    printf(failed ? "fsbench: done (with failures)\n" : "fsbench: done\n");
    return failed ? 1 : 0;
}
