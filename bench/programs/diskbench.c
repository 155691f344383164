/* bench/programs/diskbench.c: a file system on a disk: sequential 1 MiB writes of a
 * 64 MiB file with an fsync, sequential 1 MiB reads of it, random 4 KiB preads.
 * One "name value unit" line each. In Anvil it runs on the root (fatd on the disk);
 * as Linux's /init, -m loads the kernel modules in /modules (in name order),
 * mounts devtmpfs and the vfat partition DEV on DIR first. A failing call is named
 * on stderr, and the exit status is 1. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "linux_init.h"

#define FILE_BYTES (64L << 20)      /* the file written, then read */
#define BLOCK_BYTES (1L << 20)      /* one sequential write or read */
#define PAGE_BYTES 4096L            /* one random pread */
#define RANDOM_OPS 1000
#define DEV_WAIT_MS 10000           /* for the partition's node after the driver loads */
#define NS_PER_S 1e9
#define NS_PER_US 1e3
#define BYTES_PER_MIB 1048576.0

static char block[BLOCK_BYTES];
static char path[PATH_MAX];         /* set by main, read-only after */

static double now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * NS_PER_S + (double)ts.tv_nsec;
}

static bool fail(const char *call, const char *what)
{
    fprintf(stderr, "diskbench: %s %s: %s\n", call, what, strerror(errno));
    return false;
}

/* Block n's bytes: each 8-byte word names its offset, so a misplaced read shows. */
static void fill(long n)
{
    uint64_t *w = (uint64_t *)block;

    for (size_t i = 0; i < BLOCK_BYTES / sizeof(*w); i++)
        w[i] = (uint64_t)n * BLOCK_BYTES + i * sizeof(*w);
}

static bool check(long off, const char *buf, long len)
{
    const uint64_t *w = (const uint64_t *)buf;

    for (long i = 0; i < len / (long)sizeof(*w); i++)
        if (w[i] != (uint64_t)(off + i * (long)sizeof(*w))) {
            fprintf(stderr, "diskbench: wrong bytes at %ld\n", off + i * (long)sizeof(*w));
            return false;
        }
    return true;
}

/* All of len bytes, however the kernel splits them (Anvil's file: moves a
 * request's window at a time); false at an error or an early end. */
static bool full(bool writing, int fd, char *buf, long len)
{
    while (len > 0) {
        ssize_t n = writing ? write(fd, buf, (size_t)len) : read(fd, buf, (size_t)len);
        if (n <= 0) {
            errno = n < 0 ? errno : EIO;
            return fail(writing ? "write" : "read", path);
        }
        buf += n;
        len -= n;
    }
    return true;
}

/* Drop the file's cached pages where the kernel keeps them (Linux), so that reads
 * come from the disk; Anvil's fatd keeps only a 1 MiB cache, which this leaves. */
static void uncache(int fd)
{
    posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
}

static bool seq_write(void)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    double t0 = now_ns();

    if (fd < 0)
        return fail("open", path);
    for (long n = 0; n < FILE_BYTES / BLOCK_BYTES; n++) {
        fill(n);
        if (!full(true, fd, block, BLOCK_BYTES))
            return false;
    }
    if (fsync(fd) < 0)
        return fail("fsync", path);
    printf("seq_write_1m_mib_s %.2f MiB/s\n", FILE_BYTES / BYTES_PER_MIB / ((now_ns() - t0) / NS_PER_S));
    uncache(fd);
    return close(fd) == 0 || fail("close", path);
}

static bool seq_read(void)
{
    int fd = open(path, O_RDONLY);
    double t0 = now_ns();

    if (fd < 0)
        return fail("open", path);
    for (long n = 0; n < FILE_BYTES / BLOCK_BYTES; n++) {
        if (!full(false, fd, block, BLOCK_BYTES) || !check(n * BLOCK_BYTES, block, BLOCK_BYTES))
            return false;
    }
    printf("seq_read_1m_mib_s %.2f MiB/s\n", FILE_BYTES / BYTES_PER_MIB / ((now_ns() - t0) / NS_PER_S));
    uncache(fd);
    return close(fd) == 0 || fail("close", path);
}

static bool random_read(void)
{
    int fd = open(path, O_RDONLY);
    uint64_t s = 88172645463325252ull;
    double t0 = now_ns();

    if (fd < 0)
        return fail("open", path);
    for (int i = 0; i < RANDOM_OPS; i++) {
        s ^= s << 13, s ^= s >> 7, s ^= s << 17;    /* xorshift64 */
        long off = (long)(s % (FILE_BYTES / PAGE_BYTES)) * PAGE_BYTES;
        if (pread(fd, block, PAGE_BYTES, off) != PAGE_BYTES)
            return fail("pread", path);
        if (!check(off, block, PAGE_BYTES))
            return false;
    }
    printf("rand_read_4k_us %.1f us\n", (now_ns() - t0) / NS_PER_US / RANDOM_OPS);
    return close(fd) == 0 || fail("close", path);
}

/* Linux as PID 1: the modules, /dev, then DEV (vfat) on dir once its node shows. */
static bool mount_disk(const char *dev, const char *dir)
{
    const struct timespec tick = {0, 10000000L};

    if (!linux_load_modules("diskbench"))
        return false;
    mkdir("/dev", 0755);
    if (mount("devtmpfs", "/dev", "devtmpfs", 0, NULL) < 0 && errno != EBUSY)
        return fail("mount devtmpfs", "/dev");
    for (int ms = 0; access(dev, F_OK) < 0 && ms < DEV_WAIT_MS; ms += 10)
        nanosleep(&tick, NULL);
    mkdir(dir, 0755);
    return mount(dev, dir, "vfat", 0, NULL) == 0 || fail("mount vfat", dev);
}

int main(int argc, char **argv)
{
    const char *dev = NULL;
    bool ok;

    if (argc == 4 && !strcmp(argv[1], "-m"))
        dev = argv[2];
    else if (argc != 2) {
        fprintf(stderr, "usage: diskbench [-m DEV] DIR\n");
        return 2;
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (dev && !mount_disk(dev, argv[3]))
        return 1;
    snprintf(path, sizeof(path), "%s/diskbench.dat", argv[argc - 1]);
    printf("diskbench: start\n");
    ok = seq_write() && seq_read() && random_read();
    ok = (unlink(path) == 0 || fail("unlink", path)) && ok;
    sync();
    if (dev && umount(argv[3]) < 0)
        ok = fail("umount", argv[3]);
    if (ok)
        printf("diskbench: done\n");
    return ok ? 0 : 1;
}
