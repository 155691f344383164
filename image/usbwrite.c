/* image/usbwrite.c: `mkimage write IMAGE DEVICE`: a careful dd of an image onto a
 * USB stick or other removable disk, refusing anything that looks like a system disk. */
#define _GNU_SOURCE
#include "usbwrite.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/fs.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#include "util.h"

#define USBWRITE_CHUNK (4u * 1024u * 1024u)  /* bytes per write and per read-back */
#define USBWRITE_ALIGN 4096u                 /* O_DIRECT buffer alignment */
#define USBWRITE_MIB (1024.0 * 1024.0)
#define USBWRITE_LINES 4                     /* progress lines when stderr is not a tty */

/* What we learn about the target before touching it. */
struct target {
    const char *path;
    char *sysdir;          /* /sys/devices/.../block/NAME, resolved */
    const char *name;      /* NAME: points into sysdir */
    uint64_t size;         /* bytes */
};

static int refuse(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Print "mkimage: write: ..." and return -1. */
static int refuse(const char *fmt, ...)
{
    va_list ap;

    fputs("mkimage: write: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return -1;
}

static int check_image(const char *image, uint64_t *size)
{
    struct stat st;

    if (stat(image, &st) < 0)
        return refuse("%s: %s", image, strerror(errno));
    if (!S_ISREG(st.st_mode))
        return refuse("%s: the image is not a regular file", image);
    if (st.st_size == 0)
        return refuse("%s: the image is empty", image);
    *size = (uint64_t)st.st_size;
    return 0;
}

static int check_block(const char *device, struct stat *st)
{
    if (stat(device, st) < 0)
        return refuse("%s: %s", device, strerror(errno));
    if (S_ISBLK(st->st_mode))
        return 0;
    if (S_ISREG(st->st_mode))
        return refuse("%s is a regular file, not a block device (to copy an image "
                      "to a file, use cp)", device);
    if (S_ISCHR(st->st_mode))
        return refuse("%s is a character device, not a block device", device);
    if (S_ISDIR(st->st_mode))
        return refuse("%s is a directory, not a block device", device);
    return refuse("%s is not a block device", device);
}

/* sysdir/file's first line, without trailing blanks; NULL when unreadable. */
static char *sys_read(const char *sysdir, const char *file)
{
    char *path = util_path_join(sysdir, file);
    char *text = util_read_file(path, NULL);
    size_t n;

    free(path);
    if (!text)
        return NULL;
    n = strcspn(text, "\n");
    while (n > 0 && (text[n - 1] == ' ' || text[n - 1] == '\t'))
        n--;
    text[n] = '\0';
    return text;
}

static bool sys_exists(const char *sysdir, const char *file)
{
    char *path = util_path_join(sysdir, file);
    bool ok = access(path, F_OK) == 0;

    free(path);
    return ok;
}

/* The device's sysfs folder, found by its device number (so /dev/disk/by-id/...
 * links work too); a partition is refused: the image holds a partition table. */
static int find_sysdir(struct target *t, dev_t rdev)
{
    char link[64];

    snprintf(link, sizeof link, "/sys/dev/block/%u:%u", major(rdev), minor(rdev));
    t->sysdir = realpath(link, NULL);
    if (!t->sysdir)
        return refuse("%s: cannot find it in /sys (%s): %s", t->path, link, strerror(errno));
    t->name = strrchr(t->sysdir, '/') + 1;
    if (sys_exists(t->sysdir, "partition"))
        return refuse("%s is a partition; give the whole disk it is on", t->path);
    return 0;
}

/* A fixed disk could be the system's own: only removable or USB disks are written. */
static int check_removable(const struct target *t)
{
    char *removable = sys_read(t->sysdir, "removable");
    char *devpath = util_path_join(t->sysdir, "device");
    char *bus = realpath(devpath, NULL);
    bool ok = (removable && !strcmp(removable, "1")) || (bus && strstr(bus, "/usb"));

    free(removable);
    free(devpath);
    free(bus);
    if (!ok)
        return refuse("%s (%s) is neither removable nor on USB; refusing to overwrite "
                      "what may be a system disk", t->path, t->name);
    return 0;
}

/* True when the block device major:minor is the disk or one of its partitions. */
static bool is_ours(const struct target *t, unsigned maj, unsigned min)
{
    char link[64];
    char *dir;
    size_t n = strlen(t->sysdir);
    bool ours;

    snprintf(link, sizeof link, "/sys/dev/block/%u:%u", maj, min);
    dir = realpath(link, NULL);
    if (!dir)
        return false;  /* not a block device: tmpfs, proc, ... */
    ours = !strncmp(dir, t->sysdir, n) && (dir[n] == '\0' || dir[n] == '/');
    free(dir);
    return ours;
}

static int check_unmounted(const struct target *t)
{
    FILE *f = fopen("/proc/self/mountinfo", "r");
    char line[4096], where[PATH_MAX];
    unsigned maj, min;
    int ret = 0;

    if (!f)
        return refuse("cannot read /proc/self/mountinfo: %s", strerror(errno));
    while (ret == 0 && fgets(line, sizeof line, f)) {
        /* mount ID, parent ID, major:minor, root, mount point (proc(5)) */
        if (sscanf(line, "%*u %*u %u:%u %*s %4095s", &maj, &min, where) != 3)
            continue;
        if (is_ours(t, maj, min))
            ret = refuse("%s is in use: it or a partition on it is mounted on %s; "
                         "unmount it first", t->path, where);
    }
    fclose(f);
    return ret;
}

static void human_size(uint64_t bytes, char out[32])
{
    static const char *const units[] = {"bytes", "KiB", "MiB", "GiB", "TiB"};
    double v = (double)bytes;
    size_t u = 0;

    while (v >= 1024.0 && u + 1 < sizeof units / sizeof units[0]) {
        v /= 1024.0;
        u++;
    }
    snprintf(out, 32, u ? "%.1f %s" : "%.0f %s", v, units[u]);
}

/* Shows what is about to be overwritten. */
static void describe(const struct target *t)
{
    char *vendor = sys_read(t->sysdir, "device/vendor");
    char *model = sys_read(t->sysdir, "device/model");
    char size[32];

    human_size(t->size, size);
    if (!vendor && !model)
        fprintf(stderr, "%s: %s (no vendor or model in /sys)\n", t->path, size);
    else
        fprintf(stderr, "%s: %s, %s%s%s\n", t->path, size, vendor ? vendor : "",
                vendor && model ? " " : "", model ? model : "");
    free(vendor);
    free(model);
}

/* Asks on the terminal, not stdin, so a pipe cannot answer for the user. */
static int confirm(const char *image, const char *device)
{
    FILE *tty = fopen("/dev/tty", "r+");
    char answer[16] = "";
    bool yes;

    if (!tty)
        return refuse("no terminal to ask for confirmation; pass --yes to write anyway");
    fprintf(tty, "write %s to %s? all data on it will be lost [yes/NO] ", image, device);
    fflush(tty);
    if (!fgets(answer, sizeof answer, tty))
        answer[0] = '\0';
    fclose(tty);
    answer[strcspn(answer, "\n")] = '\0';
    yes = !strcasecmp(answer, "yes");
    if (!yes)
        return refuse("not confirmed; %s was not touched", device);
    return 0;
}

/* A progress line: rewritten in place on a terminal, a few lines otherwise. */
struct progress {
    const char *what;
    uint64_t total;
    struct timespec start;
    bool tty;
    int shown;              /* lines printed so far (not a tty) */
};

static void progress_start(struct progress *p, const char *what, uint64_t total)
{
    *p = (struct progress){.what = what, .total = total, .tty = isatty(2)};
    clock_gettime(CLOCK_MONOTONIC, &p->start);
}

static void progress_update(struct progress *p, uint64_t done)
{
    struct timespec now;
    double secs, rate;
    int percent = p->total ? (int)(done * 100 / p->total) : 100;

    if (!p->tty && (uint64_t)percent * USBWRITE_LINES < (uint64_t)(p->shown + 1) * 100)
        return;
    clock_gettime(CLOCK_MONOTONIC, &now);
    secs = (double)(now.tv_sec - p->start.tv_sec) + (now.tv_nsec - p->start.tv_nsec) / 1e9;
    rate = secs > 0 ? (double)done / USBWRITE_MIB / secs : 0;
    fprintf(stderr, "%s%s: %3d%%  %.1f MiB/s%s", p->tty ? "\r" : "", p->what, percent, rate,
            p->tty ? "   " : "\n");
    p->shown++;
}

static void progress_end(const struct progress *p)
{
    if (p->tty)
        fputc('\n', stderr);
}

/* read(2) until len bytes or end of file; returns the count, -1 on error. */
static ssize_t read_full(int fd, void *buf, size_t len)
{
    size_t got = 0;

    while (got < len) {
        ssize_t n = read(fd, (char *)buf + got, len - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        if (n == 0)
            break;
        got += (size_t)n;
    }
    return (ssize_t)got;
}

static int write_full(int fd, const void *buf, size_t len)
{
    size_t put = 0;

    while (put < len) {
        ssize_t n = write(fd, (const char *)buf + put, len - put);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        put += (size_t)n;
    }
    return 0;
}

/* The image onto the device, chunk by chunk, then fsync. */
static int copy_to_device(const char *image, int dev, const struct target *t, uint64_t size)
{
    int in = open(image, O_RDONLY | O_CLOEXEC);
    char *buf = xmalloc(USBWRITE_CHUNK);
    struct progress p;
    uint64_t done = 0;
    int ret = in < 0 ? refuse("%s: %s", image, strerror(errno)) : 0;

    progress_start(&p, "writing", size);
    while (ret == 0 && done < size) {
        size_t want = size - done < USBWRITE_CHUNK ? (size_t)(size - done) : USBWRITE_CHUNK;
        ssize_t n = read_full(in, buf, want);
        if (n != (ssize_t)want)
            ret = refuse("%s: read failed: %s", image, n < 0 ? strerror(errno) : "file shrank");
        else if (write_full(dev, buf, want) < 0)
            ret = refuse("%s: write failed at byte %llu: %s", t->path,
                         (unsigned long long)done, strerror(errno));
        done += want;
        progress_update(&p, done);
    }
    progress_end(&p);
    if (ret == 0 && fsync(dev) < 0)
        ret = refuse("%s: sync failed: %s", t->path, strerror(errno));
    if (in >= 0)
        close(in);
    free(buf);
    return ret;
}

/* The device for reading back what the disk holds, not what the page cache
 * holds: O_DIRECT, or else a flushed cache (BLKFLSBUF needs CAP_SYS_ADMIN). */
static int open_readback(const struct target *t)
{
    int fd = open(t->path, O_RDONLY | O_DIRECT | O_CLOEXEC);

    if (fd >= 0)
        return fd;
    fd = open(t->path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return refuse("%s: cannot open to verify: %s", t->path, strerror(errno));
    ioctl(fd, BLKFLSBUF, 0);
    posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
    return fd;
}

/* The first offset where a and b differ (n when they do not). */
static size_t first_difference(const char *a, const char *b, size_t n)
{
    size_t i = 0;

    while (i < n && a[i] == b[i])
        i++;
    return i;
}

/* One chunk of the comparison: the device's copy read in whole logical blocks. */
static int verify_chunk(int img, int dev, char *want, char *got, size_t len, int lbs,
                        uint64_t done)
{
    size_t rounded = (len + (size_t)lbs - 1) / (size_t)lbs * (size_t)lbs;
    size_t at;

    if (read_full(img, want, len) != (ssize_t)len ||
        read_full(dev, got, rounded) < (ssize_t)len)
        return refuse("verify: read failed at byte %llu: %s", (unsigned long long)done,
                      strerror(errno));
    at = first_difference(want, got, len);
    if (at < len)
        return refuse("verify failed: the device differs from the image at byte %llu",
                      (unsigned long long)(done + at));
    return 0;
}

static int verify(const char *image, const struct target *t, uint64_t size)
{
    int img = open(image, O_RDONLY | O_CLOEXEC), dev = open_readback(t), lbs = 512;
    char *want = xmalloc(USBWRITE_CHUNK);
    void *got = NULL;
    struct progress p;
    int ret = dev < 0 ? -1 : 0;

    if (img < 0)
        ret = refuse("%s: %s", image, strerror(errno));
    if (ret == 0 && posix_memalign(&got, USBWRITE_ALIGN, USBWRITE_CHUNK) != 0)
        ret = refuse("out of memory");
    if (dev >= 0)
        ioctl(dev, BLKSSZGET, &lbs);
    progress_start(&p, "verifying", size);
    for (uint64_t done = 0; ret == 0 && done < size;) {
        size_t len = size - done < USBWRITE_CHUNK ? (size_t)(size - done) : USBWRITE_CHUNK;
        ret = verify_chunk(img, dev, want, got, len, lbs, done);
        done += len;
        progress_update(&p, done);
    }
    progress_end(&p);
    if (img >= 0)
        close(img);
    if (dev >= 0)
        close(dev);
    free(want);
    free(got);
    return ret;
}

/* Every check that needs no file descriptor: type, whole disk, removable, mounts. */
static int check_target(struct target *t, const char *device)
{
    struct stat st;

    t->path = device;
    if (check_block(device, &st) < 0 || find_sysdir(t, st.st_rdev) < 0 ||
        check_removable(t) < 0 || check_unmounted(t) < 0)
        return -1;
    return 0;
}

/* O_EXCL on a block device fails with EBUSY while the kernel uses it: mounted,
 * swap, or held by device-mapper or RAID, which mountinfo alone would miss. */
static int open_target(struct target *t, uint64_t image_size)
{
    int fd = open(t->path, O_WRONLY | O_EXCL | O_CLOEXEC);
    char need[32], have[32];

    if (fd < 0 && errno == EBUSY)
        return refuse("%s is in use (mounted, swap, or part of an LVM/RAID set)", t->path);
    if (fd < 0)
        return refuse("%s: %s", t->path, strerror(errno));
    if (ioctl(fd, BLKGETSIZE64, &t->size) < 0) {
        refuse("%s: cannot get its size: %s", t->path, strerror(errno));
        close(fd);
        return -1;
    }
    if (image_size > t->size) {
        human_size(image_size, need);
        human_size(t->size, have);
        refuse("the image (%s) is larger than %s (%s)", need, t->path, have);
        close(fd);
        return -1;
    }
    return fd;
}

int usbwrite_run(const char *image, const char *device, bool yes)
{
    struct target t = {0};
    uint64_t size = 0;
    int fd = -1, ret = -1;

    if (check_image(image, &size) < 0 || check_target(&t, device) < 0)
        goto out;
    fd = open_target(&t, size);
    if (fd < 0)
        goto out;
    describe(&t);
    if (!yes && confirm(image, device) < 0)
        goto out;
    ret = copy_to_device(image, fd, &t, size);
    if (close(fd) < 0 && ret == 0)
        ret = refuse("%s: %s", device, strerror(errno));
    fd = -1;
    if (ret == 0)
        ret = verify(image, &t, size);
    if (ret == 0)
        fprintf(stderr, "mkimage: write: %s written to %s and verified\n", image, device);
out:
    if (fd >= 0)
        close(fd);
    free(t.sysdir);
    return ret == 0 ? 0 : 1;
}
