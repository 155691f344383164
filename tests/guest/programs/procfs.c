/* tests/guest/programs/procfs.c: /proc and /dev tell the truth: this process's own
 * /proc/self files, a child seen sleeping and then as a zombie, its saved argv, the
 * system files BusyBox's ps, top, free and uptime read, and the /dev devices
 * (/dev/full, /dev/fd/N, the character device numbers). Passes on Linux too. */
#define _GNU_SOURCE
#include <dirent.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/sysinfo.h>

#include "tap.h"
#include "util.h"

#define SLEEP_ARG "--sleep"
#define CHILD_ARG "two words"
#define CHILD_SLEEP_S 30
#define WAIT_STATE_MS 5000           /* how long a child may take to reach a state */
#define POLL_MS 20
#define UPTIME_GAP_MS 200
#define EPOCH_2024 1704067200LL
#define COMM_MAX 15                  /* Linux's TASK_COMM_LEN - 1 */
#define BUF_BYTES 4096

struct pid_stat {
    int pid, ppid;
    char state;
    char comm[COMM_MAX + 2];
    unsigned long utime, stime;
    unsigned long long start;
    unsigned long vsize;
    long rss;
};

/* /proc/PID/stat (or self) parsed as BusyBox does: the comm runs to the last ')'. */
static bool read_stat(const char *who, struct pid_stat *st)
{
    char path[64], buf[BUF_BYTES], *open_paren, *close_paren;
    size_t n;

    snprintf(path, sizeof(path), "/proc/%s/stat", who);
    if (slurp(path, buf, sizeof(buf)) <= 0)
        return false;
    open_paren = strchr(buf, '(');
    close_paren = strrchr(buf, ')');
    if (!open_paren || !close_paren || close_paren < open_paren)
        return false;
    n = (size_t)(close_paren - open_paren - 1);
    if (n > COMM_MAX)
        return false;
    memcpy(st->comm, open_paren + 1, n);
    st->comm[n] = '\0';
    st->pid = atoi(buf);
    return sscanf(close_paren + 2,
                  "%c %d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu %*d %*d %*d %*d %*d %*d "
                  "%llu %lu %ld",
                  &st->state, &st->ppid, &st->utime, &st->stime, &st->start, &st->vsize,
                  &st->rss) == 7;
}

static char child_state(pid_t pid)
{
    char who[16];
    struct pid_stat st;

    snprintf(who, sizeof(who), "%d", (int)pid);
    return read_stat(who, &st) ? st.state : '?';
}

/* Poll until pid's state is want (or the time is up); the last state seen. */
static char await_state(pid_t pid, char want)
{
    uint64_t end = mono_ns() + WAIT_STATE_MS * NS_PER_MS;
    char s;

    while ((s = child_state(pid)) != want && mono_ns() < end)
        sleep_ms(POLL_MS);
    return s;
}

static void check_state(pid_t pid, char want, const char *what)
{
    char got = await_state(pid, want);

    if (!tap_ok(got == want, "%s", what))
        tap_diag("state %c", got);
}

static const char *base_name(const char *path)
{
    const char *b = strrchr(path, '/');

    return b ? b + 1 : path;
}

static void test_self_stat(const char *argv0)
{
    struct pid_stat st;
    char comm[COMM_MAX + 1];

    snprintf(comm, sizeof(comm), "%s", base_name(argv0));
    if (!tap_ok(read_stat("self", &st), "/proc/self/stat parses (pid (comm) state ppid ...)"))
        return;
    tap_is_long(st.pid, getpid(), "its pid is ours");
    tap_is_long(st.ppid, getppid(), "its ppid is our parent");
    tap_ok(st.state == 'R', "we are running (R), got %c", st.state);
    if (!tap_ok(strcmp(st.comm, comm) == 0, "comm is the program's name"))
        tap_diag("comm '%s', want '%s'", st.comm, comm);
    /* Linux may show rss 0 for a small process (per-thread counters not yet folded in). */
    tap_ok(st.vsize > 0 && st.rss >= 0, "vsize is not zero (%lu bytes, rss %ld pages)", st.vsize,
           st.rss);
}

static bool has_line(const char *text, const char *line)
{
    size_t n = strlen(line);

    for (const char *p = text; p; p = strchr(p, '\n')) {
        if (*p == '\n')
            p++;
        if (strncmp(p, line, n) == 0 && (p[n] == '\n' || p[n] == '\0'))
            return true;
    }
    return false;
}

static void test_self_status(void)
{
    char buf[BUF_BYTES], pid_line[32], ppid_line[32];

    snprintf(pid_line, sizeof(pid_line), "Pid:\t%d", (int)getpid());
    snprintf(ppid_line, sizeof(ppid_line), "PPid:\t%d", (int)getppid());
    if (!tap_ok(slurp("/proc/self/status", buf, sizeof(buf)) > 0, "read /proc/self/status"))
        return;
    tap_ok(has_line(buf, pid_line) && has_line(buf, ppid_line), "status has our Pid and PPid");
    tap_ok(strstr(buf, "\nState:\tR") != NULL, "status says State: R");
    tap_ok(strstr(buf, "\nVmRSS:") != NULL && strstr(buf, "\nThreads:\t1") != NULL,
           "status has VmRSS and Threads: 1");
}

static void test_self_links(const char *argv0)
{
    char buf[256], want[32];
    ssize_t n;

    snprintf(want, sizeof(want), "%d", (int)getpid());
    n = readlink("/proc/self", buf, sizeof(buf) - 1);
    buf[n > 0 ? n : 0] = '\0';
    if (!tap_ok(n > 0 && strcmp(buf, want) == 0, "readlink /proc/self is our pid"))
        tap_diag("got '%s' (%zd), want '%s'", buf, n, want);
    n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);
    buf[n > 0 ? n : 0] = '\0';
    if (!tap_ok(n > 0 && strcmp(base_name(buf), base_name(argv0)) == 0,
                "readlink /proc/self/exe names this program"))
        tap_diag("got '%s' (%zd)", buf, n);
}

/* Whether /proc lists name. */
static bool listed(const char *name)
{
    DIR *d = opendir("/proc");
    struct dirent *e;
    bool found = false;

    if (!d)
        return false;
    while (!found && (e = readdir(d)))
        found = strcmp(e->d_name, name) == 0;
    closedir(d);
    return found;
}

static void test_listing(void)
{
    char me[16];

    snprintf(me, sizeof(me), "%d", (int)getpid());
    tap_ok(listed(me), "/proc lists our pid");
    tap_ok(listed("self") && listed("meminfo") && listed("uptime"),
           "/proc lists self, meminfo and uptime");
}

static pid_t start_sleeper(const char *argv0)
{
    extern char **environ;
    pid_t pid = fork();

    if (pid == 0) {
        char *const args[] = { (char *)argv0, SLEEP_ARG, CHILD_ARG, NULL };
        execve(argv0, args, environ);
        _exit(127);
    }
    return pid;
}

/* Wait until the child has exec'd: its cmdline is the new argv. */
static bool cmdline_is(pid_t pid, const char *want, size_t want_len)
{
    char path[64], buf[BUF_BYTES];
    uint64_t end = mono_ns() + WAIT_STATE_MS * NS_PER_MS;
    ssize_t n = -1;
    int fd;

    snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)pid);
    while (mono_ns() < end) {
        if ((fd = open(path, O_RDONLY)) >= 0) {
            n = (ssize_t)read_full(fd, buf, sizeof(buf));
            close(fd);
            if (n == (ssize_t)want_len && memcmp(buf, want, want_len) == 0)
                return true;
        }
        sleep_ms(POLL_MS);
    }
    tap_diag("cmdline of %d: %zd bytes, want %zu", (int)pid, n, want_len);
    return false;
}

static void test_child(const char *argv0)
{
    char want[BUF_BYTES], who[64];
    size_t len = 0;
    struct pid_stat st;
    pid_t pid = start_sleeper(argv0);
    int status;

    if (!tap_ok(pid > 0, "fork a child that sleeps"))
        return;
    len += (size_t)snprintf(want + len, sizeof(want) - len, "%s", argv0) + 1;
    len += (size_t)snprintf(want + len, sizeof(want) - len, "%s", SLEEP_ARG) + 1;
    len += (size_t)snprintf(want + len, sizeof(want) - len, "%s", CHILD_ARG) + 1;
    tap_ok(cmdline_is(pid, want, len), "/proc/PID/cmdline is its argv, NUL-separated");
    snprintf(who, sizeof(who), "%d", (int)pid);
    tap_ok(listed(who), "/proc lists the child");
    tap_ok(read_stat(who, &st) && st.ppid == getpid(), "the child's ppid is us");
    check_state(pid, 'S', "a sleeping child is S");
    kill(pid, SIGSTOP);
    check_state(pid, 'T', "a stopped child is T");
    kill(pid, SIGCONT);
    check_state(pid, 'S', "continued, it sleeps again (S)");
    kill(pid, SIGKILL);
    check_state(pid, 'Z', "a dead child not yet reaped is Z");
    if (!tap_ok(wait_child(pid, &status) == pid && killed_by(status, SIGKILL), "reap it"))
        tap_diag("%s", status_text(status, who, sizeof(who)));
    tap_fails_with(open("/proc/999999/stat", O_RDONLY), ENOENT,
                   "a pid that does not exist is ENOENT");
    snprintf(want, sizeof(want), "/proc/%d/stat", (int)pid);
    tap_fails_with(open(want, O_RDONLY), ENOENT, "a reaped child's stat is ENOENT");
}

/* "Key:   N kB" from /proc/meminfo; -1 if missing. */
static long meminfo_kb(const char *text, const char *key)
{
    const char *p = strstr(text, key);

    return p ? strtol(p + strlen(key), NULL, 10) : -1;
}

static void test_meminfo(void)
{
    char buf[BUF_BYTES];
    long total, free_kb, avail;
    struct sysinfo si;

    if (!tap_ok(slurp("/proc/meminfo", buf, sizeof(buf)) > 0, "read /proc/meminfo"))
        return;
    total = meminfo_kb(buf, "MemTotal:");
    free_kb = meminfo_kb(buf, "MemFree:");
    avail = meminfo_kb(buf, "MemAvailable:");
    if (!tap_ok(total > free_kb && free_kb > 0 && avail > 0,
                "MemTotal > MemFree > 0, MemAvailable > 0"))
        tap_diag("MemTotal %ld MemFree %ld MemAvailable %ld", total, free_kb, avail);
    if (!tap_ok(sysinfo(&si) == 0, "sysinfo"))
        return;
    tap_ok((unsigned long long)si.totalram * si.mem_unit / 1024 == (unsigned long long)total,
           "sysinfo's totalram is MemTotal");
    tap_ok(si.freeram > 0 && si.procs > 0 && si.uptime > 0, "sysinfo: freeram, procs, uptime");
}

static double read_uptime(void)
{
    char buf[128];

    return slurp("/proc/uptime", buf, sizeof(buf)) > 0 ? strtod(buf, NULL) : -1;
}

static void test_uptime_loadavg_stat(void)
{
    double a = read_uptime(), b, l1, l5, l15;
    char buf[BUF_BYTES];
    int running, total, last;
    long long btime = 0;
    char *p;

    sleep_ms(UPTIME_GAP_MS);
    b = read_uptime();
    tap_ok(a > 0 && b > a, "/proc/uptime grows (%.2f, then %.2f)", a, b);
    tap_ok(slurp("/proc/loadavg", buf, sizeof(buf)) > 0 &&
           sscanf(buf, "%lf %lf %lf %d/%d %d", &l1, &l5, &l15, &running, &total, &last) == 6 &&
           running >= 1 && total >= running, "/proc/loadavg: three loads, running/total, last pid");
    if (!tap_ok(slurp("/proc/stat", buf, sizeof(buf)) > 0 && strncmp(buf, "cpu ", 4) == 0,
                "/proc/stat starts with the cpu line"))
        return;
    p = strstr(buf, "\nbtime ");
    if (p)
        btime = atoll(p + 7);
    tap_ok(btime > EPOCH_2024, "/proc/stat has btime");
    tap_ok(strstr(buf, "\nprocesses ") && strstr(buf, "\nprocs_running "),
           "/proc/stat has processes and procs_running");
}

static void test_mounts(void)
{
    char buf[BUF_BYTES];

    tap_ok(slurp("/proc/mounts", buf, sizeof(buf)) > 0 && strstr(buf, " /proc proc ") != NULL,
           "/proc/mounts lists /proc");
}

static void test_dev_full(void)
{
    char buf[16] = { 1 };
    int fd = open("/dev/full", O_RDWR);

    if (!tap_ok(fd >= 0, "open /dev/full"))
        return;
    tap_fails_with(write(fd, "x", 1), ENOSPC, "writing /dev/full is ENOSPC");
    tap_ok(read(fd, buf, sizeof(buf)) == (ssize_t)sizeof(buf) && buf[0] == 0 && buf[15] == 0,
           "reading /dev/full gives zeros");
    close(fd);
}

static void test_dev_fd(void)
{
    char path[32], buf[8] = { 0 }, link[64];
    int p[2], fd;

    if (!tap_ok(pipe(p) == 0, "pipe"))
        return;
    snprintf(path, sizeof(path), "/proc/self/fd/%d", p[0]);
    memset(link, 0, sizeof(link));
    tap_ok(readlink(path, link, sizeof(link) - 1) > 0 && strncmp(link, "pipe:[", 6) == 0,
           "readlink /proc/self/fd/N of a pipe says pipe:[...]");
    snprintf(path, sizeof(path), "/dev/fd/%d", p[1]);
    fd = open(path, O_WRONLY);
    tap_ok(fd >= 0 && fd != p[1], "open /dev/fd/N gives a new fd");
    tap_ok(fd >= 0 && write(fd, "hi", 2) == 2 && read(p[0], buf, sizeof(buf)) == 2 &&
           strcmp(buf, "hi") == 0, "it is the same pipe");
    close(fd);
    close(p[0]);
    close(p[1]);
    fd = open("/dev/stdin", O_RDONLY);
    tap_ok(fd >= 0, "open /dev/stdin");
    if (fd >= 0)
        close(fd);
}

static void check_chr(const char *path, unsigned maj, unsigned min)
{
    struct stat st;

    if (!tap_ok(stat(path, &st) == 0 && S_ISCHR(st.st_mode) && major(st.st_rdev) == maj &&
                minor(st.st_rdev) == min, "%s is character device %u,%u", path, maj, min))
        tap_diag("mode 0%o, rdev %u,%u", (unsigned)st.st_mode, major(st.st_rdev),
                 minor(st.st_rdev));
}

static void test_dev_numbers(void)
{
    check_chr("/dev/null", 1, 3);
    check_chr("/dev/zero", 1, 5);
    check_chr("/dev/full", 1, 7);
    check_chr("/dev/random", 1, 8);
    check_chr("/dev/urandom", 1, 9);
}

/* prctl(PR_SET_NAME) renames the process as ps sees it, cut to 15 characters. */
static void test_prctl_name(void)
{
    char got[COMM_MAX + 2] = "", buf[BUF_BYTES];
    struct pid_stat st;

    tap_ok(prctl(PR_SET_NAME, "a-name-longer-than-fifteen", 0, 0, 0) == 0, "prctl PR_SET_NAME");
    tap_ok(prctl(PR_GET_NAME, got, 0, 0, 0) == 0 && strcmp(got, "a-name-longer-t") == 0,
           "PR_GET_NAME gives it back, cut to 15 characters");
    tap_ok(slurp("/proc/self/comm", buf, sizeof buf) > 0 && strcmp(buf, "a-name-longer-t\n") == 0,
           "/proc/self/comm shows it");
    tap_ok(read_stat("self", &st) && strcmp(st.comm, "a-name-longer-t") == 0,
           "/proc/self/stat shows it");
    errno = 0;
    tap_ok(prctl(PR_SET_NAME, (char *)8, 0, 0, 0) == -1 && errno == EFAULT,
           "a bad name pointer is EFAULT");
    errno = 0;
    tap_ok(prctl(0x7fff0000, 0, 0, 0, 0) == -1 && errno == EINVAL, "an unknown option is EINVAL");
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], SLEEP_ARG) == 0) {
        uint64_t end = mono_ns() + CHILD_SLEEP_S * NS_PER_SEC;
        while (mono_ns() < end)   /* a stop and continue may end one sleep early */
            sleep_ms(POLL_MS * 10);
        return 0;
    }
    test_self_stat(argv[0]);
    test_self_status();
    test_self_links(argv[0]);
    test_listing();
    test_child(argv[0]);
    test_meminfo();
    test_uptime_loadavg_stat();
    test_mounts();
    test_dev_full();
    test_dev_fd();
    test_dev_numbers();
    test_prctl_name();      /* last: the earlier checks want the program's own name */
    return tap_done();
}
