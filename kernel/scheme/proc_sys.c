/* kernel/scheme/proc_sys.c: the system-wide files of proc: in the layouts
 * Linux's proc(5) gives them, with the numbers the kernel has. What it does
 * not have (swap, a user/system split of CPU time) is 0; Cached is the
 * kernel's cache of daemons' files (ipc/fcache.c), which it can give back. */
#include "boot/boot_info.h"
#include "buildinfo.h"
#include "ipc/fcache.h"
#include "lib/string.h"
#include "mm/pmm.h"
#include "net/ifinfo.h"
#include "proc/proc.h"
#include "sched/clock.h"
#include "sched/loadavg.h"
#include "sched/sched.h"
#include "scheme/proc_files.h"
#include "scheme/mount.h"
#include "scheme/procinfo.h"
#include "scheme/scheme.h"

#define KIB_PER_PAGE (PMM_PAGE_SIZE / 1024)
#define FILE_SCHEME "file"
#define SHM_SCHEME "shm"      /* /dev/shm: the router sends the whole folder there */
#define DAEMON_SUFFIX 'd'   /* ramfsd serves a ramfs */

static void meminfo(struct textbuf *tb)
{
    size_t total = pmm_total_count() * KIB_PER_PAGE, free = pmm_free_count() * KIB_PER_PAGE;
    size_t cached = fcache_pages() * KIB_PER_PAGE;

    textbuf_printf(tb, "MemTotal:       %8zu kB\nMemFree:        %8zu kB\n"
                       "MemAvailable:   %8zu kB\n", total, free, free + cached);
    textbuf_printf(tb, "Buffers:        %8d kB\nCached:         %8zu kB\n"
                       "SwapCached:     %8d kB\nSwapTotal:      %8d kB\nSwapFree:       %8d kB\n"
                       "Dirty:          %8d kB\nWriteback:      %8d kB\nShmem:          %8d kB\n"
                       "SReclaimable:   %8d kB\n", 0, cached, 0, 0, 0, 0, 0, 0, 0);
}

/* ns as seconds with two decimals. */
static void put_seconds(struct textbuf *tb, uint64_t ns, const char *after)
{
    uint64_t cs = ns / (NSEC_PER_SEC / 100);

    textbuf_printf(tb, "%lu.%02lu%s", cs / 100, cs % 100, after);
}

static void uptime(struct textbuf *tb)
{
    put_seconds(tb, clock_monotonic_ns(), " ");
    put_seconds(tb, sched_idle_ns(), "\n");
}

static void loadavg(struct textbuf *tb)
{
    uint64_t avg[3];
    unsigned running, total;

    loadavg_get(avg);
    loadavg_count(&running, &total);
    for (int i = 0; i < 3; i++)
        textbuf_printf(tb, "%lu.%02lu ", avg[i] >> LOADAVG_SHIFT,
                       ((avg[i] & (LOADAVG_ONE - 1)) * 100) >> LOADAVG_SHIFT);
    textbuf_printf(tb, "%u/%u %d\n", running, total, proc_ids_used());
}

/* Kernel work is charged to the process it serves, so all busy time shows
 * as user time and system stays 0. */
static void stat_file(struct textbuf *tb)
{
    uint64_t user = procinfo_ticks(sched_busy_ns()), idle = procinfo_ticks(sched_idle_ns());
    int64_t btime = (clock_realtime_ns() - (int64_t)clock_monotonic_ns()) / NSEC_PER_SEC;
    unsigned running, total;

    loadavg_count(&running, &total);
    for (int cpu = -1; cpu < 1; cpu++) {
        if (cpu < 0)
            textbuf_printf(tb, "cpu ");
        else
            textbuf_printf(tb, "cpu%d", cpu);
        textbuf_printf(tb, " %lu 0 0 %lu 0 0 0 0 0 0\n", user, idle);
    }
    textbuf_printf(tb, "btime %ld\nprocesses %d\nprocs_running %u\nprocs_blocked 0\n", btime,
                   proc_ids_used(), running);
}

/* The file system type of a daemon-served file:, from the daemon's name. */
static void daemon_type(const struct scheme *s, char *out, size_t size)
{
    struct proc *d = proc_find(s->owner_pid);
    size_t n;

    strlcpy(out, d ? d->name : "user", size);
    n = strlen(out);
    if (n > 1 && out[n - 1] == DAEMON_SUFFIX)
        out[n - 1] = '\0';
}

/* Other user schemes whose daemons described them (a second volume, say):
 * at their mount point (mount(2)), else at /scheme/NAME, the path that
 * reaches them. */
static void described_mounts(struct textbuf *tb)
{
    for (const struct scheme *s = scheme_first(); s; s = s->next) {
        const char *at = mount_point(s->name);
        if (!s->user || !s->mnt_type[0] || strcmp(s->name, FILE_SCHEME) == 0)
            continue;
        if (at)
            textbuf_printf(tb, "%s /%s %s rw 0 0\n", s->mnt_source, at, s->mnt_type);
        else
            textbuf_printf(tb, "%s /scheme/%s %s rw 0 0\n", s->mnt_source, s->name, s->mnt_type);
    }
}

/* The folders a scheme serves as a whole. /dev is not one: it is a folder
 * of the root file system whose device names the router sends elsewhere.
 * The kernel knows a daemon's device only when it says (mount_describe). */
static void mounts(struct textbuf *tb)
{
    const struct scheme *root = scheme_find(FILE_SCHEME);
    char type[PROC_NAME_MAX];

    if (root && root->user && root->mnt_type[0]) {
        textbuf_printf(tb, "%s / %s rw 0 0\n", root->mnt_source, root->mnt_type);
    } else if (root && root->user) {
        daemon_type(root, type, sizeof(type));
        textbuf_printf(tb, "file / %s rw 0 0\n", type);
    } else {
        textbuf_printf(tb, "initfs / initfs ro 0 0\n");
    }
    textbuf_printf(tb, "proc /proc proc ro 0 0\n");
    if (scheme_find(SHM_SCHEME))
        textbuf_printf(tb, "shm /dev/shm shm rw 0 0\n");
    described_mounts(tb);
}

static void filesystems(struct textbuf *tb)
{
    const struct scheme *root = scheme_find(FILE_SCHEME);
    char type[PROC_NAME_MAX];

    textbuf_printf(tb, "nodev\tproc\nnodev\tinitfs\n");
    if (scheme_find(SHM_SCHEME))
        textbuf_printf(tb, "nodev\tshm\n");
    if (root && root->user) {
        daemon_type(root, type, sizeof(type));
        textbuf_printf(tb, "nodev\t%s\n", type);
    }
}

static void version(struct textbuf *tb)
{
    textbuf_printf(tb, "Anvil version %s (x86_64) features: %s\n", ANVIL_VERSION, ANVIL_FEATURES);
}

static void cmdline(struct textbuf *tb)
{
    textbuf_printf(tb, "%s\n", boot_cmdline());
}

static const struct {
    const char *name;
    proc_fill_fn fill;
} sys_files[] = {
    {"meminfo", meminfo}, {"uptime", uptime},     {"loadavg", loadavg},
    {"stat", stat_file},       {"mounts", mounts},     {"filesystems", filesystems},
    {"version", version}, {"cpuinfo", proc_cpuinfo}, {"cmdline", cmdline},
    /* the network as netd says (net/ifinfo.c): BusyBox ifconfig and netstat read these */
    {"net/dev", net_proc_dev}, {"net/tcp", net_proc_tcp}, {"net/udp", net_proc_udp},
    {"net/tcp6", net_proc_tcp6}, {"net/udp6", net_proc_tcp6},
};

proc_fill_fn proc_sys_find(const char *name)
{
    for (size_t i = 0; i < sizeof(sys_files) / sizeof(sys_files[0]); i++)
        if (strcmp(name, sys_files[i].name) == 0)
            return sys_files[i].fill;
    return NULL;
}

void proc_sys_list(struct textbuf *tb)
{
    for (size_t i = 0; i < sizeof(sys_files) / sizeof(sys_files[0]); i++)
        if (strncmp(sys_files[i].name, "net/", 4))   /* in a folder the listing does not show */
            textbuf_dirent(tb, sys_files[i].name, 0);
}
