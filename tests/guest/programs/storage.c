/* tests/guest/programs/storage.c: PCI and the disk schemes under init (the
 * storage variant): pcid's pci: list; and for each block driver serving
 * (disk.virtio:, disk.ahci:, disk.nvme:) its disk and GPT partitions, reads
 * at aligned and unaligned offsets, a pattern written to the "Anvil root"
 * partition and flushed (storage.t checks it in the image file after
 * power-off), and the driver killed in the middle of reads: init restarts it
 * and the next open works; and the kernel's dma: scheme's checks. Prints
 * "root SCHEME NAME START" and "cksum SCHEME NAME START LEN CRC" (POSIX
 * cksum of the first LEN bytes) for the host to compare. Anvil only; needs
 * the signal and dma grants. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../../../include/anvil/syscall.h"
#include "tap.h"
#include "util.h"

#define CHUNK 65536
#define SUM_MAX (1024 * 1024)          /* bytes of each partition summed */
#define PATTERN_RECORDS 6400           /* 32-byte records: 200 KiB */
#define PATTERN_RECORD 32
#define ODD_OFFSET (1024 * 1024 + 100) /* an unaligned write, in the root partition */
#define ODD_TEXT "unaligned-write-0123456789"
#define CKSUM_POLY 0x04c11db7u         /* POSIX cksum */

static const char *const schemes[] = {"disk.virtio", "disk.ahci", "disk.nvme"};
static const char *disk;               /* the scheme under test */
static char big[PATTERN_RECORDS * PATTERN_RECORD + 1];
static char sum_buf[SUM_MAX];

static uint32_t cksum_add(uint32_t crc, const uint8_t *p, size_t n)
{
    while (n--) {
        crc ^= (uint32_t)*p++ << 24;
        for (int k = 0; k < 8; k++)
            crc = crc & 0x80000000u ? (crc << 1) ^ CKSUM_POLY : crc << 1;
    }
    return crc;
}

static uint32_t cksum_end(uint32_t crc, uint64_t len)
{
    for (; len; len >>= 8) {
        uint8_t b = (uint8_t)len;
        crc = cksum_add(crc, &b, 1);
    }
    return ~crc;
}

/* pread all of len at off (the scheme returns at most one 64 KiB window a call). */
static long pread_all(int fd, char *buf, size_t len, off_t off)
{
    size_t n = 0;
    ssize_t r;

    while (n < len && (r = pread(fd, buf + n, len - n, off + (off_t)n)) > 0)
        n += (size_t)r;
    return (long)n;
}

static long pwrite_all(int fd, const char *buf, size_t len, off_t off)
{
    size_t n = 0;
    ssize_t r;

    while (n < len && (r = pwrite(fd, buf + n, len - n, off + (off_t)n)) > 0)
        n += (size_t)r;
    return (long)n;
}

/* "SCHEME:rest" for the disk under test (a static buffer: use it before the next call). */
static const char *disk_path(const char *rest)
{
    static char path[96];

    snprintf(path, sizeof(path), "%s:%s", disk, rest);
    return path;
}

/* lspci -v prints the list (storage.t reads it); only pcid may tell init
 * about devices; a driver without a device cannot be started. */
static void test_drivers_started(void)
{
    static const char fake[] = "device 00:1f.0 010802 1b36:0010 irq=- bar0=mem:0xc0000000+0x4000";
    int status = -1, fd;
    pid_t pid;

    fflush(stdout);
    if ((pid = fork()) == 0) {
        execl("/bin/lspci", "lspci", "-v", (char *)NULL);
        _exit(127);
    }
    tap_ok(pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
           WEXITSTATUS(status) == 0, "lspci -v lists the functions");
    fd = open("init:control", O_WRONLY);
    tap_fails_with(write(fd, fake, strlen(fake)), EPERM,
                   "init takes a device for a driver from pcid only");
    if (scheme_pid("disk.nvme") <= 0)
        tap_fails_with(write(fd, "start nvmed", 11), ENODEV,
                       "a driver without a device does not start");
    close(fd);
}

static void test_pci(void)
{
    static char list[16384];

    tap_ok(slurp("pci:", list, sizeof(list)) > 0, "pci: lists the PCI functions");
    for (char *l = strtok(list, "\n"); l; l = strtok(NULL, "\n"))
        printf("pci %s\n", l);
    fflush(stdout);
    tap_ok(slurp("pci:", list, sizeof(list)) > 0 && strstr(list, " 1af4:1001 irq=") &&
           strstr(list, "bar0=io:0x"), "the virtio disk is listed with its I/O BAR");
    int fd = open("pci:00:00.0/config", O_RDWR);
    uint32_t bar = 0;
    tap_ok(fd >= 0 && pread(fd, &bar, 4, 0) == 4 && bar != 0xffffffffu,
           "a function's configuration space reads");
    tap_fails_with(pwrite(fd, &bar, 4, 0x10), EPERM, "a BAR cannot be written through pci:");
    close(fd);
    test_drivers_started();
}

/* dma: gives zeroed memory with a physical address, and nothing else. */
static void test_dma(void)
{
    uint64_t phys = 0;
    int fd = open("dma:8192", O_RDWR);
    uint8_t *p = MAP_FAILED;
    bool got = fd >= 0 && read(fd, &phys, 8) == 8;

    tap_ok(got && phys && phys % 4096 == 0,
           "dma:8192 gives a page-aligned physical address (0x%llx)", (unsigned long long)phys);
    if (fd >= 0)
        p = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    tap_ok(p != MAP_FAILED && p[0] == 0 && p[8191] == 0, "it maps, zeroed");
    tap_ok(mmap(NULL, 12288, PROT_READ, MAP_SHARED, fd, 0) == MAP_FAILED && errno == ENXIO,
           "a mapping past its end is ENXIO");
    close(fd);
    if (p != MAP_FAILED) {
        p[100] = 7;   /* the mapping keeps the frames after close */
        tap_ok(p[100] == 7, "the mapping outlives the fd");
        munmap(p, 8192);
    }
    tap_fails_with(open("dma:0", O_RDWR), EINVAL, "dma:0 is EINVAL");
    tap_fails_with(open("dma:0x40000000", O_RDWR), EINVAL, "a buffer over 4 MiB is EINVAL");
    tap_fails_with(open("dma:0x1000-0x2000", O_RDWR), EINVAL, "an address range is EINVAL");
    pid_t child = fork();
    if (child == 0) {
        syscall(ANVIL_SYS_GRANT_RESTRICT, NULL, 0);
        _exit(open("dma:4096", O_RDWR) < 0 && errno == EACCES ? 0 : 1);
    }
    int st;
    waitpid(child, &st, 0);
    tap_ok(WIFEXITED(st) && WEXITSTATUS(st) == 0, "without the dma grant: EACCES");
}

/* The listing: "NAME START SIZE LABEL" lines; the root partition's name and start. */
static int test_partitions(char *root, size_t root_len, long long *root_start)
{
    static char list[4096];
    char name[16], label[64];
    long long start, size;
    int parts = 0;

    if (!tap_ok(slurp(disk_path(""), list, sizeof(list)) > 0, "%s: lists the disk", disk))
        return -1;
    for (char *l = strtok(list, "\n"); l; l = strtok(NULL, "\n")) {
        printf("disk %s %s\n", disk, l);
        if (sscanf(l, "%15s %lld %lld %63[^\n]", name, &start, &size, label) != 4)
            continue;
        parts += strchr(name, 'p') != NULL;
        if (!strcmp(label, "Anvil root")) {
            snprintf(root, root_len, "%s", name);
            *root_start = start;
        }
    }
    fflush(stdout);
    tap_ok(parts >= 3, "%s: the GPT's partitions are listed (%d)", disk, parts);
    return tap_ok(root[0] != '\0', "%s: one is labelled Anvil root (%s)", disk, root) ? 0 : -1;
}

/* cksum of the first SUM_MAX bytes of each listed handle, for the host. */
static void sums_print(void)
{
    static char list[4096];
    char name[16], path[96];
    long long start, size;
    bool all = true;

    slurp(disk_path(""), list, sizeof(list));
    for (char *l = strtok(list, "\n"); l; l = strtok(NULL, "\n")) {
        if (sscanf(l, "%15s %lld %lld", name, &start, &size) != 3)
            continue;
        size_t len = size < SUM_MAX ? (size_t)size : SUM_MAX;
        snprintf(path, sizeof(path), "%s", disk_path(name));
        int fd = open(path, O_RDONLY);
        long got = fd >= 0 ? pread_all(fd, sum_buf, len, 0) : -1;
        close(fd);
        all = all && got == (long)len;
        printf("cksum %s %s %lld %zu %u\n", disk, name, start, len,
               cksum_end(cksum_add(0, (uint8_t *)sum_buf, len), len));
    }
    fflush(stdout);
    tap_ok(all, "%s: every partition's first MiB reads", disk);
}

/* Reads at odd offsets and lengths match the same bytes read aligned. */
static void test_unaligned_read(void)
{
    static char aligned[4096], odd[1000];
    int fd = open(disk_path("0"), O_RDONLY);

    tap_ok(fd >= 0 && pread_all(fd, aligned, sizeof(aligned), 0) == sizeof(aligned) &&
           !memcmp(aligned + 512, "EFI PART", 8),
           "%s: sector 1 of the whole disk is the GPT header", disk);
    tap_ok(pread_all(fd, odd, sizeof(odd), 300) == sizeof(odd) &&
           !memcmp(odd, aligned + 300, sizeof(odd)), "%s: a read at an unaligned offset matches",
           disk);
    close(fd);
}

static void pattern_make(void)
{
    for (int i = 0; i < PATTERN_RECORDS; i++)
        snprintf(big + i * PATTERN_RECORD, PATTERN_RECORD + 1, "anvil-root %020d\n", i);
}

static void test_write(const char *root)
{
    static char back[PATTERN_RECORDS * PATTERN_RECORD];
    char odd[sizeof(ODD_TEXT)];
    size_t len = PATTERN_RECORDS * PATTERN_RECORD;
    int fd;

    fd = open(disk_path("0/Anvil root"), O_RDWR);
    tap_ok(fd >= 0, "%s: the root partition opens by its label", disk);
    pattern_make();
    tap_ok(pwrite_all(fd, big, len, 0) == (long)len, "%s: 200 KiB written at its start", disk);
    tap_ok(pwrite_all(fd, ODD_TEXT, strlen(ODD_TEXT), ODD_OFFSET) == (long)strlen(ODD_TEXT),
           "%s: and a few bytes at an unaligned offset", disk);
    tap_ok(fsync(fd) == 0, "%s: fsync flushes the disk", disk);
    tap_ok(pread_all(fd, back, len, 0) == (long)len && !memcmp(back, big, len),
           "%s: the pattern reads back", disk);
    tap_ok(pread_all(fd, odd, strlen(ODD_TEXT), ODD_OFFSET) == (long)strlen(ODD_TEXT) &&
           !memcmp(odd, ODD_TEXT, strlen(ODD_TEXT)), "%s: so do the unaligned bytes", disk);
    close(fd);
    fd = open(disk_path(root), O_RDONLY);
    tap_ok(fd >= 0 && pread_all(fd, back, 64, 0) == 64 && !memcmp(back, big, 64),
           "%s: the same partition by number (%s) sees them", disk, root);
    close(fd);
}

/* A child reads the disk over and over; the driver is killed under it. */
static void test_driver_killed(void)
{
    int pid = scheme_pid(disk), again = -1, st;
    pid_t reader;
    char sector[512];

    if (!tap_ok(pid > 0, "%s: sys:schemes names its driver's pid", disk))
        return;
    if ((reader = fork()) == 0) {
        int fd = open(disk_path("0"), O_RDONLY);
        for (time_t end = time(NULL) + 20; time(NULL) < end;)
            if (pread(fd, big, CHUNK, 0) < 0)
                _exit(errno == ENODEV || errno == EIO ? 0 : 2);
        _exit(1);
    }
    usleep(300 * 1000);
    kill(pid, SIGKILL);
    waitpid(reader, &st, 0);
    tap_ok(WIFEXITED(st) && WEXITSTATUS(st) == 0, "%s: a read in flight fails (EIO or ENODEV)",
           disk);
    for (int i = 0; i < 1000 && (again <= 0 || again == pid); i++) {
        usleep(10 * 1000);
        again = scheme_pid(disk);
    }
    tap_ok(again > 0 && again != pid, "%s: init restarts the driver (pid %d -> %d)", disk, pid,
           again);
    int fd = open(disk_path("0"), O_RDONLY);
    tap_ok(fd >= 0 && pread(fd, sector, sizeof(sector), 512) == sizeof(sector) &&
           !memcmp(sector, "EFI PART", 8), "%s: the next open reads the disk", disk);
    close(fd);
}

/* The offset of capability id in fd's configuration space (PCI 3.0 §6.7), or 0. */
static unsigned cap_at(int fd, uint8_t id)
{
    uint8_t conf[256];
    unsigned at;

    if (pread(fd, conf, sizeof(conf), 0) != sizeof(conf))
        return 0;
    at = conf[0x34] & 0xfc;
    for (int i = 0; i < 48 && at >= 0x40 && at < 0xfc; i++, at = conf[at + 1] & 0xfc)
        if (conf[at] == id)
            return at;
    return 0;
}

/* The offset of the MSI capability's address field (PCI 3.0 §6.8.1), or 0. */
static unsigned msi_address_at(int fd)
{
    unsigned at = cap_at(fd, 0x05);

    return at ? at + 4 : 0;
}

/* nvmed turned on its controller's MSI-X (§6.8.2); through pcid nothing but
 * message control's enable and mask bits may be written. */
static void test_msix(void)
{
    static char list[16384];
    char path[64] = "";
    uint16_t ctrl = 0;
    uint32_t table = 0;

    slurp("pci:", list, sizeof(list));
    for (char *l = strtok(list, "\n"); l; l = strtok(NULL, "\n"))
        if (strstr(l, " 010802 "))
            snprintf(path, sizeof(path), "pci:%.7s/config", l);
    int fd = open(path, O_RDWR);
    unsigned at = fd >= 0 ? cap_at(fd, 0x11) : 0;
    bool read_ok = at && pread(fd, &ctrl, 2, at + 2) == 2;
    tap_ok(read_ok && (ctrl & 0xc000) == 0x8000,
           "the NVMe controller's MSI-X is on, unmasked (control 0x%x)", ctrl);
    tap_ok(pread(fd, &table, 4, at + 4) == 4, "its table offset reads");
    tap_fails_with(pwrite(fd, &table, 4, at + 4), EPERM, "pcid refuses a write to the table offset");
    close(fd);
}

/* The kernel's interrupt counts for the host (ahcid takes an MSI); with an
 * AHCI disk, an MSI vector has fired. And pcid refuses an MSI message
 * aimed anywhere but the local APICs. */
static void test_irqs(void)
{
    static char list[4096];
    unsigned long long count;
    unsigned vector;
    bool fired = false;
    uint32_t addr = 0x10000000u;   /* RAM: a device must never be told to write there */
    int fd;

    tap_ok(slurp("sys:irqs", list, sizeof(list)) >= 0, "sys:irqs reads");
    for (char *l = strtok(list, "\n"); l; l = strtok(NULL, "\n")) {
        printf("irqs %s\n", l);
        fired |= sscanf(l, "msi 0x%x %llu", &vector, &count) == 2 && count > 0;
    }
    fflush(stdout);
    if (scheme_pid("disk.ahci") <= 0)
        return;
    tap_ok(fired, "ahcid's MSI vector has fired");
    fd = open("pci:00:1f.2/config", O_RDWR);
    unsigned at = msi_address_at(fd);
    uint32_t now = 0;
    bool read_ok = at && pread(fd, &now, 4, at) == 4;
    tap_ok(read_ok && (now & 0xfff00000u) == 0xfee00000u,
           "the AHCI controller's MSI address is the local APICs' (0x%x)", now);
    tap_fails_with(pwrite(fd, &addr, 4, at), EPERM,
                   "pcid refuses an MSI address outside that window");
    tap_ok(pwrite(fd, &now, 4, at) == 4, "and takes one inside it");
    close(fd);
    if (scheme_pid("disk.nvme") > 0)
        test_msix();
}

/* Every check on the disk one driver serves. */
static void test_disk(void)
{
    char root[16] = "";
    long long root_start = -1;

    if (test_partitions(root, sizeof(root), &root_start) < 0)
        return;
    printf("root %s %s %lld\n", disk, root, root_start);
    test_unaligned_read();
    sums_print();
    test_write(root);
    test_driver_killed();
}

int main(void)
{
    int served = 0;

    test_dma();
    test_pci();
    for (size_t i = 0; i < sizeof(schemes) / sizeof(schemes[0]); i++) {
        disk = schemes[i];
        if (scheme_pid(disk) > 0) {
            served++;
            test_disk();
        }
    }
    tap_ok(served > 0, "a block driver serves a disk (%d)", served);
    test_irqs();
    return tap_done();
}
