/* tests/guest/programs/fsstress.c: the kernel's cache of a daemon's files
 * under load and through the daemon's deaths. Starts a private ramfsd on
 * fsstress:, runs CLIENTS processes that each do a seeded random mix of file
 * calls on a few files of their own, checking every byte read against a
 * model of what the file must hold, and meanwhile kills the daemon (SIGKILL)
 * twice and starts it again (its files are then gone: clients start over).
 * Anvil only. Usage: fsstress [SECONDS [SEED]] (the clients' run time and
 * the seed; both printed). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "tap.h"
#include "util.h"

#define SCHEME "fsstress"
#define RAMFSD "/bin/ramfsd"
#define CLIENTS 8
#define NAMES 3                    /* file names per client */
#define FDS 4                      /* descriptors a client holds at most */
#define OBJS (NAMES + FDS)         /* files alive at once: named or open */
#define FILE_MAX (160 * 1024)      /* past two 64 KiB request windows */
#define IO_MAX (80 * 1024)
#define PAGE 4096
#define KILLS 2
#define DEFAULT_SECONDS 20
#define WAIT_MS 5000               /* for ramfsd to register */
#define STEP_MS 10
#define FINISH_GRACE_MS 30000      /* past the run time, for clients to see it is over */
#define BALLAST_MB 4                /* cached when the daemon is stopped */
#define MEM_SLACK_KB 512           /* kernel heap kept in its slabs */
#define MSG_LEN 240

/* What one client tells the parent, in memory they share. */
struct report {
    uint64_t ops, bytes, resets, unjudged;   /* unjudged: a kill came in between */
    uint64_t kill_errors;                    /* ENODEV and ENOENT while the daemon changed */
    bool wrong, bad_errno;
    char wrong_msg[MSG_LEN], errno_msg[MSG_LEN];
};

struct shared {
    volatile uint64_t epoch;   /* the daemon's life: odd while the parent kills and restarts it */
    uint64_t deadline_ns;
    struct report rep[CLIENTS];
};

static struct shared *sh;

/* One file's contents as the client's model has them. */
struct obj {
    uint8_t *data;
    size_t size;
    unsigned id;
    int refs;                  /* names and descriptors; 0: the slot is free */
};

struct desc {
    int fd;                    /* -1: free */
    int obj;
    bool rd, wr, append;
    uint64_t off;
};

struct client {
    int id;
    uint64_t rng;
    uint64_t epoch;            /* the daemon life the model is about */
    int name[NAMES];           /* the obj each name holds, -1: no such file */
    struct desc d[FDS];
    struct obj o[OBJS];
    unsigned next_id, seq;
    uint8_t *buf;
    struct report *rep;
};

static unsigned rnd(struct client *c, unsigned n)
{
    return (unsigned)(xorshift64(&c->rng) % n);
}

static char *path_of(const struct client *c, int name, char *out, size_t len)
{
    snprintf(out, len, SCHEME ":/c%d-f%d", c->id, name);
    return out;
}

/* The byte client c's write number seq puts at off of file id; never 0,
 * so bytes never written (holes, zeros) stand apart. */
static uint8_t pattern(int client, unsigned id, uint64_t off, unsigned seq)
{
    uint64_t x = ((uint64_t)client << 56) ^ ((uint64_t)id << 40) ^ ((uint64_t)seq << 24) ^ off;

    x *= 0x9e3779b97f4a7c15ull;
    x ^= x >> 29;
    return (uint8_t)(x % 255 + 1);
}

/* Whether the daemon lived through everything since the model was made. */
static bool stable(const struct client *c)
{
    return sh->epoch == c->epoch;
}

static void wrong(struct client *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void wrong(struct client *c, const char *fmt, ...)
{
    va_list ap;

    if (c->rep->wrong)
        return;
    va_start(ap, fmt);
    vsnprintf(c->rep->wrong_msg, MSG_LEN, fmt, ap);
    va_end(ap);
    c->rep->wrong = true;
}

/* A call failed with err (0: it worked) where want was predicted: judged
 * only while the daemon lived throughout; else ENODEV or ENOENT are fine. */
static void expect(struct client *c, int err, int want, const char *call)
{
    bool unstable = !stable(c);

    if (unstable) {
        c->rep->unjudged++;
        c->rep->kill_errors += err == ENODEV || err == ENOENT;
    }
    if (err == want || (unstable && (err == 0 || err == ENODEV || err == ENOENT)))
        return;
    if (err == 0) {
        wrong(c, "client %d: %s worked, want %s", c->id, call, strerror(want));
        return;
    }
    if (!c->rep->bad_errno)
        snprintf(c->rep->errno_msg, MSG_LEN, "client %d: %s: %s (want %s)", c->id, call,
                 strerror(err), want ? strerror(want) : "success");
    c->rep->bad_errno = true;
}

/* got[0..n) read at off of obj k must be the model's bytes and n its count. */
static void check_read(struct client *c, const char *call, int k, uint64_t off, const uint8_t *got,
                       long n, size_t len)
{
    const struct obj *o = &c->o[k];
    size_t want = off < o->size ? (o->size - off < len ? o->size - off : len) : 0;

    if (!stable(c))
        return;
    if (n != (long)want) {
        wrong(c, "client %d: %s of %zu at %llu of file %u (size %zu) gave %ld bytes, want %zu",
              c->id, call, len, (unsigned long long)off, o->id, o->size, n, want);
        return;
    }
    for (size_t i = 0; i < want; i++) {
        if (got[i] != o->data[off + i]) {
            wrong(c, "client %d: %s of file %u: byte %llu is 0x%02x, want 0x%02x", c->id, call,
                  o->id, (unsigned long long)(off + i), got[i], o->data[off + i]);
            return;
        }
    }
    c->rep->bytes += want;
}

static int new_obj(struct client *c)
{
    for (int k = 0; k < OBJS; k++) {
        if (c->o[k].refs == 0) {
            c->o[k].size = 0;
            c->o[k].id = c->next_id++;
            return k;
        }
    }
    return -1;   /* cannot be: NAMES + FDS slots */
}

static void forget_desc(struct client *c, struct desc *d)
{
    c->o[d->obj].refs--;
    d->fd = -1;
}

/* The daemon died since the model was made: close everything, wait for the
 * new daemon and remove whatever a call caught in between made there. */
static void start_over(struct client *c)
{
    char p[64];

    for (int i = 0; i < FDS; i++) {
        if (c->d[i].fd >= 0)
            close(c->d[i].fd);
        c->d[i].fd = -1;
    }
    for (int j = 0; j < NAMES; j++)
        c->name[j] = -1;
    for (int k = 0; k < OBJS; k++)
        c->o[k].refs = 0;
    while (mono_ns() < sh->deadline_ns) {
        uint64_t e = sh->epoch;
        if (e & 1) {
            sleep_ms(STEP_MS);
            continue;
        }
        for (int j = 0; j < NAMES; j++)
            unlink(path_of(c, j, p, sizeof(p)));
        if (sh->epoch == e) {
            c->epoch = e;
            break;
        }
    }
    c->rep->resets++;
}

static struct desc *pick_desc(struct client *c, bool rd, bool wr)
{
    int start = (int)rnd(c, FDS);

    for (int i = 0; i < FDS; i++) {
        struct desc *d = &c->d[(start + i) % FDS];
        if (d->fd >= 0 && (!rd || d->rd) && (!wr || d->wr))
            return d;
    }
    return NULL;
}

static void op_close(struct client *c)
{
    struct desc *d = pick_desc(c, false, false);

    if (!d)
        return;
    expect(c, close(d->fd) == 0 ? 0 : errno, 0, "close");
    forget_desc(c, d);
}

static const int open_flags[] = {
    O_RDONLY, O_RDONLY, O_RDONLY, O_RDWR, O_RDWR | O_CREAT, O_RDWR | O_CREAT,
    O_WRONLY | O_CREAT | O_TRUNC, O_RDWR | O_CREAT | O_APPEND,
};

static void op_open(struct client *c)
{
    int j = (int)rnd(c, NAMES), flags = open_flags[rnd(c, sizeof(open_flags) / sizeof(int))];
    int slot = -1, fd, k;
    char p[64];

    for (int i = 0; i < FDS && slot < 0; i++)
        slot = c->d[i].fd < 0 ? i : -1;
    if (slot < 0) {
        op_close(c);
        return;
    }
    fd = open(path_of(c, j, p, sizeof(p)), flags, 0644);
    expect(c, fd >= 0 ? 0 : errno, c->name[j] < 0 && !(flags & O_CREAT) ? ENOENT : 0, "open");
    if (fd < 0)
        return;
    if ((k = c->name[j]) < 0) {
        k = c->name[j] = new_obj(c);
        c->o[k].refs++;
    }
    if (flags & O_TRUNC)
        c->o[k].size = 0;
    c->o[k].refs++;
    c->d[slot] = (struct desc){fd, k, (flags & O_ACCMODE) != O_WRONLY,
                               (flags & O_ACCMODE) != O_RDONLY, flags & O_APPEND, 0};
}

/* read at the fd's offset, or pread somewhere up to two pages past the end. */
static void read_some(struct client *c, bool positioned)
{
    struct desc *d = pick_desc(c, true, false);
    size_t len = rnd(c, IO_MAX) + 1;
    const char *call = positioned ? "pread" : "read";
    uint64_t off;
    long n;

    if (!d)
        return;
    off = positioned ? rnd(c, (unsigned)c->o[d->obj].size + 2 * PAGE) : d->off;
    n = positioned ? pread(d->fd, c->buf, len, (off_t)off) : read(d->fd, c->buf, len);
    expect(c, n >= 0 ? 0 : errno, 0, call);
    if (n < 0)
        return;
    check_read(c, call, d->obj, off, c->buf, n, len);
    if (!positioned)
        d->off += (uint64_t)n;
}

static void op_read(struct client *c)
{
    read_some(c, false);
}

static void op_pread(struct client *c)
{
    read_some(c, true);
}

/* The model after n bytes of the client's next pattern went to off of obj k. */
static void model_write(struct client *c, int k, uint64_t off, size_t n)
{
    struct obj *o = &c->o[k];

    if (off > o->size)
        memset(o->data + o->size, 0, off - o->size);
    memcpy(o->data + off, c->buf, n);
    if (off + n > o->size)
        o->size = off + n;
}

/* Write len bytes at off through d (write at its offset, or pwrite). */
static void do_write(struct client *c, struct desc *d, uint64_t off, size_t len, bool positioned)
{
    const struct obj *o = &c->o[d->obj];
    long n;

    c->seq++;
    for (size_t i = 0; i < len; i++)
        c->buf[i] = pattern(c->id, o->id, off + i, c->seq);
    n = positioned ? pwrite(d->fd, c->buf, len, (off_t)off) : write(d->fd, c->buf, len);
    expect(c, n >= 0 ? 0 : errno, 0, positioned ? "pwrite" : "write");
    if (n < 0)
        return;
    if (n != (long)len && stable(c))
        wrong(c, "client %d: %s of %zu bytes wrote %ld", c->id, positioned ? "pwrite" : "write",
              len, n);
    model_write(c, d->obj, off, (size_t)n);
    if (!positioned)
        d->off = off + (uint64_t)n;
}

static void op_ftruncate(struct client *c, struct desc *d)
{
    struct obj *o;
    size_t size = rnd(c, FILE_MAX / 2);

    if (!d && !(d = pick_desc(c, false, true)))
        return;
    o = &c->o[d->obj];
    expect(c, ftruncate(d->fd, (off_t)size) == 0 ? 0 : errno, 0, "ftruncate");
    if (size > o->size)
        memset(o->data + o->size, 0, size - o->size);
    o->size = size;
}

/* A write's length at off: at most IO_MAX, never past FILE_MAX. */
static size_t write_len(struct client *c, uint64_t off)
{
    uint64_t room = FILE_MAX - off < IO_MAX ? FILE_MAX - off : IO_MAX;

    return rnd(c, (unsigned)room) + 1;
}

static void op_write(struct client *c)
{
    struct desc *d = pick_desc(c, false, true);
    uint64_t off;

    if (!d)
        return;
    off = d->append ? c->o[d->obj].size : d->off;
    if (off >= FILE_MAX) {
        op_ftruncate(c, d);   /* full: make room */
        return;
    }
    do_write(c, d, off, write_len(c, off), false);
}

static void op_pwrite(struct client *c)
{
    struct desc *d = pick_desc(c, false, true);
    unsigned off = rnd(c, FILE_MAX - 1);

    if (!d || d->append)
        return;   /* pwrite with O_APPEND appends on Linux: not modelled */
    do_write(c, d, off, write_len(c, off), true);
}

/* MAP_PRIVATE of the whole file: its bytes, then zeros to the page's end. */
static void op_mmap(struct client *c)
{
    struct desc *d = pick_desc(c, true, false);
    size_t size, span;
    uint8_t *m;

    if (!d || (size = c->o[d->obj].size) == 0)
        return;
    m = mmap(NULL, size, PROT_READ, MAP_PRIVATE, d->fd, 0);
    expect(c, m != MAP_FAILED ? 0 : errno, 0, "mmap");
    if (m == MAP_FAILED)
        return;
    check_read(c, "mmap", d->obj, 0, m, (long)size, size);
    span = (size + PAGE - 1) / PAGE * PAGE;
    for (size_t i = size; i < span && stable(c); i++)
        if (m[i] != 0)
            wrong(c, "client %d: mmap past the end: byte %zu is 0x%02x", c->id, i, m[i]);
    munmap(m, size);
}

static void op_stat(struct client *c)
{
    int j = (int)rnd(c, NAMES), r;
    struct desc *d = pick_desc(c, false, false);
    struct stat st;
    char p[64];

    r = stat(path_of(c, j, p, sizeof(p)), &st);
    expect(c, r == 0 ? 0 : errno, c->name[j] < 0 ? ENOENT : 0, "stat");
    if (r == 0 && c->name[j] >= 0 && stable(c) && (size_t)st.st_size != c->o[c->name[j]].size)
        wrong(c, "client %d: stat of %s: size %lld, want %zu", c->id, p, (long long)st.st_size,
              c->o[c->name[j]].size);
    if (!d)
        return;
    r = fstat(d->fd, &st);
    expect(c, r == 0 ? 0 : errno, 0, "fstat");
    if (r == 0 && stable(c) && (size_t)st.st_size != c->o[d->obj].size)
        wrong(c, "client %d: fstat of file %u: size %lld, want %zu", c->id, c->o[d->obj].id,
              (long long)st.st_size, c->o[d->obj].size);
}

static void op_unlink(struct client *c)
{
    int j = (int)rnd(c, NAMES);
    char p[64];

    expect(c, unlink(path_of(c, j, p, sizeof(p))) == 0 ? 0 : errno,
           c->name[j] < 0 ? ENOENT : 0, "unlink");
    if (c->name[j] >= 0)
        c->o[c->name[j]].refs--;
    c->name[j] = -1;
}

static void op_rename(struct client *c)
{
    int i = (int)rnd(c, NAMES), j = (i + 1 + (int)rnd(c, NAMES - 1)) % NAMES;
    char from[64], to[64];

    path_of(c, i, from, sizeof(from));
    expect(c, rename(from, path_of(c, j, to, sizeof(to))) == 0 ? 0 : errno,
           c->name[i] < 0 ? ENOENT : 0, "rename");
    if (c->name[i] < 0)
        return;
    if (c->name[j] >= 0)
        c->o[c->name[j]].refs--;
    c->name[j] = c->name[i];
    c->name[i] = -1;
}

/* open, pread, close: read-only handles left idle by the close serve the
 * next open of the name, so the same name soon comes back. */
static void op_peek(struct client *c)
{
    int j = (int)rnd(c, NAMES), fd, k = c->name[j];
    size_t len = rnd(c, IO_MAX) + 1;
    uint64_t off = k >= 0 ? rnd(c, (unsigned)c->o[k].size + 1) : 0;
    char p[64];
    long n;

    fd = open(path_of(c, j, p, sizeof(p)), O_RDONLY);
    expect(c, fd >= 0 ? 0 : errno, k < 0 ? ENOENT : 0, "open to peek");
    if (fd < 0 || k < 0) {
        if (fd >= 0)
            close(fd);
        return;
    }
    n = pread(fd, c->buf, len, (off_t)off);
    expect(c, n >= 0 ? 0 : errno, 0, "pread to peek");
    if (n >= 0)
        check_read(c, "peek", k, off, c->buf, n, len);
    expect(c, close(fd) == 0 ? 0 : errno, 0, "close after a peek");
}

static void op_pwrite_or_write(struct client *c)
{
    (rnd(c, 2) ? op_pwrite : op_write)(c);
}

static void op_truncate_some(struct client *c)
{
    op_ftruncate(c, NULL);
}

/* The mix: each op as often as it appears. */
static void (*const ops[])(struct client *) = {
    op_peek, op_peek, op_peek, op_peek, op_open, op_open, op_open, op_close, op_close, op_close,
    op_read, op_read, op_read,
    op_pread, op_pread, op_pread, op_pread, op_write, op_write, op_pwrite, op_pwrite,
    op_pwrite_or_write, op_truncate_some, op_mmap, op_mmap, op_stat, op_stat, op_unlink,
    op_rename,
};

static int run_client(int id, uint64_t seed)
{
    static struct client c;

    c = (struct client){.id = id, .rng = seed * 2654435761u + (uint64_t)id + 1, .epoch = UINT64_MAX,
                        .rep = &sh->rep[id], .buf = malloc(FILE_MAX + PAGE)};
    for (int k = 0; k < OBJS; k++)
        if (!(c.o[k].data = malloc(FILE_MAX)))
            return 2;
    for (int i = 0; i < FDS; i++)
        c.d[i].fd = -1;
    if (!c.buf)
        return 2;
    while (mono_ns() < sh->deadline_ns && !c.rep->wrong) {
        if (!stable(&c))
            start_over(&c);
        ops[rnd(&c, sizeof(ops) / sizeof(ops[0]))](&c);
        c.rep->ops++;
    }
    c.rep->resets--;   /* the first start_over made the empty model */
    return c.rep->wrong || c.rep->bad_errno;
}

/* ramfsd on SCHEME, seeded from the empty folder seed: its pid, or -1. */
static pid_t start_daemon(const char *seed)
{
    char *const argv[] = {RAMFSD, SCHEME, (char *)seed, NULL};

    return start_server(argv, SCHEME ":/", WAIT_MS);
}

/* Kill the daemon in the middle of the clients' work and start a new one. */
static bool kill_and_restart(pid_t *daemon, const char *seed)
{
    int status = 0;
    bool killed;

    sh->epoch++;   /* before the kill: a call that sees it die sees the epoch move */
    killed = kill(*daemon, SIGKILL) == 0 && wait_child(*daemon, &status) == *daemon &&
             killed_by(status, SIGKILL);
    *daemon = start_daemon(seed);
    if (*daemon > 0)
        sh->epoch++;
    return killed && *daemon > 0;
}

/* Wait for every client until the run's end plus a grace; stragglers are killed. */
static int reap_clients(const pid_t *pid)
{
    uint64_t give_up = sh->deadline_ns + FINISH_GRACE_MS * NS_PER_MS;
    int finished = 0, left = CLIENTS, status;
    bool gone[CLIENTS] = {false};

    while (left > 0 && mono_ns() < give_up) {
        for (int i = 0; i < CLIENTS; i++) {
            if (gone[i] || waitpid(pid[i], &status, WNOHANG) != pid[i])
                continue;
            gone[i] = true;
            left--;
            finished += WIFEXITED(status) && WEXITSTATUS(status) <= 1;
            if (!WIFEXITED(status) || WEXITSTATUS(status) > 1)
                tap_diag("client %d: %s", i, status_text(status, (char[64]){0}, 64));
        }
        sleep_ms(50);
    }
    for (int i = 0; i < CLIENTS; i++) {
        if (!gone[i]) {
            tap_diag("client %d did not finish: killed", i);
            kill(pid[i], SIGKILL);
            wait_child(pid[i], &status);
        }
    }
    return finished;
}

static void report(void)
{
    uint64_t ops = 0, bytes = 0, kill_errors = 0, unjudged = 0;
    bool all_wrong_free = true, all_errno_ok = true, all_reset = true;

    for (int i = 0; i < CLIENTS; i++) {
        const struct report *r = &sh->rep[i];
        tap_diag("client %d: %llu calls, %llu bytes checked, started over %llu times", i,
                 (unsigned long long)r->ops, (unsigned long long)r->bytes,
                 (unsigned long long)r->resets);
        ops += r->ops;
        bytes += r->bytes;
        kill_errors += r->kill_errors;
        unjudged += r->unjudged;
        all_wrong_free &= !r->wrong;
        all_errno_ok &= !r->bad_errno;
        all_reset &= r->wrong || r->resets >= KILLS;   /* a wrong byte ends a client */
        if (r->wrong)
            tap_diag("%s", r->wrong_msg);
        if (r->bad_errno)
            tap_diag("%s", r->errno_msg);
    }
    tap_ok(all_wrong_free && bytes > 0, "no client read a wrong byte or size (%llu calls, %llu "
           "bytes checked)", (unsigned long long)ops, (unsigned long long)bytes);
    tap_ok(all_errno_ok, "every error was predicted, or ENODEV/ENOENT across a kill (%llu of "
           "those, %llu results left unjudged)", (unsigned long long)kill_errors,
           (unsigned long long)unjudged);
    tap_ok(all_reset, "every client saw both kills and started over");
}

/* After all that the kernel still forks, runs and reads its own files. */
static void check_alive(void)
{
    char buf[256];
    int status = 0;
    pid_t pid = fork();

    if (pid == 0)
        _exit(slurp("sys:uname", buf, sizeof(buf)) > 0 ? 0 : 1);
    tap_ok(pid > 0 && wait_child(pid, &status) == pid && exited_with(status, 0),
           "the kernel is alive: a new process reads sys:uname");
}

static void check_memory(long before)
{
    long after = meminfo_free_kb();

    if (!tap_ok(before > 0 && after >= before - MEM_SLACK_KB,
                "MemFree is back within %d kB once all exited (before %ld kB, after %ld kB)",
                MEM_SLACK_KB, before, after))
        tap_diag("MemFree went down by %ld kB", before - after);
}

/* Last, with no client left: a big file and a small one read and closed,
 * so the kernel keeps their pages (and an idle handle) with nobody using
 * them when the daemon is stopped; its death must give them all back. */
static void cache_ballast(void)
{
    static uint8_t buf[64 * 1024];
    int fd = open(SCHEME ":/ballast", O_CREAT | O_RDWR, 0644), small;
    bool ok = fd >= 0;

    for (int i = 0; ok && i < BALLAST_MB * 16; i++) {
        memset(buf, i + 1, sizeof(buf));
        ok = pwrite(fd, buf, sizeof(buf), (off_t)i * (off_t)sizeof(buf)) == sizeof(buf);
    }
    for (int i = 0; ok && i < BALLAST_MB * 16; i++)
        ok = pread(fd, buf, sizeof(buf), (off_t)i * (off_t)sizeof(buf)) == sizeof(buf) &&
             buf[0] == (uint8_t)(i + 1) && buf[sizeof(buf) - 1] == (uint8_t)(i + 1);
    small = open(SCHEME ":/small", O_CREAT | O_WRONLY, 0644);
    ok = ok && small >= 0 && write(small, buf, PAGE) == PAGE && close(small) == 0;
    ok = ok && (small = open(SCHEME ":/small", O_RDONLY)) >= 0 && read(small, buf, PAGE) == PAGE &&
         close(small) == 0;
    if (fd >= 0)
        close(fd);
    tap_ok(ok, "a %d MiB file and a small one written, read back and closed", BALLAST_MB);
}

static void run(int seconds, uint64_t seed, const char *seed_dir)
{
    pid_t daemon, pid[CLIENTS];
    uint64_t start;
    int started = 0, status = 0;

    if (!tap_ok((daemon = start_daemon(seed_dir)) > 0, "ramfsd registers " SCHEME ":"))
        return;
    start = mono_ns();
    sh->deadline_ns = start + (uint64_t)seconds * NS_PER_SEC;
    for (int i = 0; i < CLIENTS; i++) {
        if ((pid[i] = fork()) == 0)
            _exit(run_client(i, seed));
        started += pid[i] > 0;
    }
    tap_is_long(started, CLIENTS, "clients started");
    for (int k = 1; k <= KILLS && daemon > 0; k++) {
        uint64_t at = start + (uint64_t)seconds * NS_PER_SEC * (uint64_t)k / (KILLS + 1);
        while (mono_ns() < at)
            sleep_ms(STEP_MS);
        tap_ok(kill_and_restart(&daemon, seed_dir), "kill %d: ramfsd dies by SIGKILL and a new one "
               "serves " SCHEME ":", k);
    }
    if (started == CLIENTS)
        tap_is_long(reap_clients(pid), CLIENTS, "all clients finish");
    report();
    if (daemon > 0)
        cache_ballast();
    tap_ok(daemon > 0 && kill(daemon, SIGTERM) == 0 && wait_child(daemon, &status) == daemon,
           "ramfsd stops at SIGTERM");
}

int main(int argc, char **argv)
{
    int seconds = argc > 1 ? atoi(argv[1]) : DEFAULT_SECONDS;
    uint64_t seed = argc > 2 ? strtoull(argv[2], NULL, 0) : mono_ns() % 1000000 + 1;
    char seed_dir[64];
    long before;

    if (!running_in_anvil() || access(RAMFSD, X_OK) != 0) {
        tap_skip("fsstress", "needs Anvil: it starts its own ramfsd and kills it");
        return tap_done();
    }
    tap_diag("seed %llu, %d s (fsstress %d %llu runs this again)", (unsigned long long)seed,
             seconds, seconds, (unsigned long long)seed);
    snprintf(seed_dir, sizeof(seed_dir), "/tmp/fsstress-seed.%d", (int)getpid());
    sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (!tap_ok(sh != MAP_FAILED && mkdir(seed_dir, 0755) == 0, "shared memory and %s", seed_dir))
        return tap_done();
    before = meminfo_free_kb();
    run(seconds, seed, seed_dir);
    check_alive();
    check_memory(before);
    rmdir(seed_dir);
    return tap_done();
}
