/* tests/guest/programs/fuzz.c: robustness: a grandchild calls every system call number
 * 0..450 with seeded random arguments for a minute (arguments aimed at boundaries too:
 * lengths near 2^63, addresses at the user/kernel edge, fds just past the table),
 * restarted whenever it dies or sticks; then the parent checks that fork, wait and pipes
 * still work. */
#define _GNU_SOURCE
#include <grp.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/time.h>

#include "tap.h"
#include "util.h"

#define NR_COUNT 451                 /* numbers 0..450 */
#define FUZZ_MS 60000                /* fuzz at least this long ... */
#define FUZZ_EXTRA_MS 30000          /* ... and on until every number was tried, this much more */
#define STALL_MS 500                 /* a fuzzer without progress this long is killed */
#define STARTUP_MS 5000              /* ... or without a first call this long */
#define WATCH_PERIOD_MS 5
#define TICK_MS 20                   /* SIGALRM period that breaks blocking calls with EINTR */
#define DEFAULT_SEED 1
#define ARG_BUFFER_BYTES 65536u
#define ARG_HEADER_BYTES 512u        /* rewritten before every call */
#define PAGE_BYTES 4096u
#define FUZZ_MAX_FDS 64              /* RLIMIT_NOFILE: random fds 0..63 find real ones */
#define FUZZ_FILE_LIMIT (1u << 20)   /* RLIMIT_FSIZE: memfds cannot grow without bound */
#define NOBODY_ID 65534
#define KERNEL_HALF 0xffff800000000000ull
#define NON_CANONICAL 0x0000800000000000ull
#define MAX_SIGNAL 65
#define USER_TOP 0x00007ffffffff000ull       /* Anvil's (and Linux's) end of user space */
#define TABLE_FDS 256                        /* Anvil's fd table; Linux's default limit */
/* A path no system has: no call can create, remove or change a real file through it. */
#define SAFE_PATH "/nonexistent-fuzz/xyz"

/* Numbers the fuzzer never calls, and why. Whatever is not here gets random arguments. */
struct skipped_call {
    int first, last;    /* a range of numbers, usually one */
    const char *name;
    const char *why;
};

static const struct skipped_call skipped_calls[] = {
    /* The fuzzer's own memory and registers */
    { 9, 9, "mmap", "MAP_FIXED could map over the fuzzer's code, stack or buffer" },
    { 10, 10, "mprotect", "could take away access to the fuzzer's own pages" },
    { 11, 11, "munmap", "could unmap the fuzzer's own code or stack" },
    { 12, 12, "brk", "could shrink the heap under musl" },
    { 25, 25, "mremap", "could move the fuzzer's own mappings" },
    { 28, 28, "madvise", "MADV_DONTNEED would zero the fuzzer's memory; as root MADV_HWPOISON" },
    { 216, 216, "remap_file_pages", "rearranges mappings" },
    { 329, 329, "pkey_mprotect", "mprotect with a key" },
    { 323, 323, "userfaultfd", "page faults could wait forever on a handler" },
    { 447, 447, "memfd_secret", "secret memory that a host may refuse to free quickly" },
    { 15, 15, "rt_sigreturn", "loads every register from a random frame" },
    { 158, 158, "arch_prctl", "would move the FS base and break musl's thread pointer" },
    { 205, 205, "set_thread_area", "would change TLS descriptors" },
    { 218, 218, "set_tid_address", "the kernel would write to a random address at exit" },
    { 135, 135, "personality", "changes how later calls behave (address layout, ABI)" },
    { 157, 157, "prctl", "changes process-wide state (no_new_privs, dumpable, seccomp)" },
    { 317, 317, "seccomp", "a filter could kill or trap every later call" },
    /* Signals: the EINTR ticker depends on them */
    { 13, 13, "rt_sigaction", "would replace the SIGALRM handler of the ticker" },
    { 14, 14, "rt_sigprocmask", "would block SIGALRM, so blocking calls stay blocked" },
    { 37, 37, "alarm", "would stop the ticker" },
    { 38, 38, "setitimer", "would stop the ticker" },
    /* Creating or replacing processes, or leaving */
    { 56, 56, "clone", "a new process or thread would escape the watchdog" },
    { 57, 57, "fork", "a new process would escape the watchdog" },
    { 58, 58, "vfork", "a new process would escape the watchdog" },
    { 435, 435, "clone3", "a new process or thread would escape the watchdog" },
    { 59, 59, "execve", "would replace the fuzzer" },
    { 322, 322, "execveat", "would replace the fuzzer" },
    { 60, 60, "exit", "ends the fuzzer at once" },
    { 231, 231, "exit_group", "ends the fuzzer at once" },
    /* Reaching other processes by a random pid */
    { 62, 62, "kill", "kill(-1, SIGKILL) would kill every process" },
    { 200, 200, "tkill", "signals a random thread" },
    { 234, 234, "tgkill", "signals a random thread" },
    { 129, 129, "rt_sigqueueinfo", "signals a random process" },
    { 297, 297, "rt_tgsigqueueinfo", "signals a random thread" },
    { 424, 424, "pidfd_send_signal", "signals through a pidfd" },
    { 434, 434, "pidfd_open", "opens a handle on a random process" },
    { 438, 438, "pidfd_getfd", "takes descriptors from another process" },
    { 101, 101, "ptrace", "attaches to or changes a random process" },
    { 310, 310, "process_vm_readv", "reads another process's memory" },
    { 311, 311, "process_vm_writev", "writes another process's memory" },
    { 440, 440, "process_madvise", "advises on another process's memory" },
    { 448, 448, "process_mrelease", "reaps another process's memory" },
    { 141, 141, "setpriority", "renices random processes or a whole user" },
    { 142, 142, "sched_setparam", "changes a random process's scheduling" },
    { 144, 144, "sched_setscheduler", "could make a random process real-time" },
    { 203, 203, "sched_setaffinity", "pins random processes to CPUs" },
    { 314, 314, "sched_setattr", "changes a random process's scheduling" },
    { 251, 251, "ioprio_set", "changes random processes' I/O priority" },
    { 256, 256, "migrate_pages", "moves a random process's memory" },
    { 279, 279, "move_pages", "moves a random process's memory" },
    /* Calls that wait: with nothing to wake them they would only feed the watchdog */
    { 7, 7, "poll", "waits" },
    { 23, 23, "select", "waits" },
    { 34, 34, "pause", "waits for a signal" },
    { 35, 35, "nanosleep", "sleeps" },
    { 61, 61, "wait4", "waits for children" },
    { 128, 128, "rt_sigtimedwait", "waits for a signal" },
    { 130, 130, "rt_sigsuspend", "waits for a signal with a random mask" },
    { 202, 202, "futex", "FUTEX_WAIT on the buffer can wait forever" },
    { 208, 208, "io_getevents", "waits" },
    { 230, 230, "clock_nanosleep", "sleeps" },
    { 232, 232, "epoll_wait", "waits" },
    { 247, 247, "waitid", "waits for children" },
    { 270, 270, "pselect6", "waits with a random signal mask" },
    { 271, 271, "ppoll", "waits with a random signal mask" },
    { 281, 281, "epoll_pwait", "waits with a random signal mask" },
    { 333, 333, "io_pgetevents", "waits with a random signal mask" },
    { 441, 441, "epoll_pwait2", "waits with a random signal mask" },
    { 449, 449, "futex_waitv", "waits" },
    /* Limits and identity the fuzzer sets for itself first */
    { 160, 160, "setrlimit", "would lift the fuzzer's file-size and descriptor limits" },
    { 302, 302, "prlimit64", "would lift limits, its own or a random process's" },
    { 105, 105, "setuid", "identity: the fuzzer drops root itself before it starts" },
    { 106, 106, "setgid", "identity" },
    { 113, 113, "setreuid", "identity" },
    { 114, 114, "setregid", "identity" },
    { 116, 116, "setgroups", "identity" },
    { 117, 117, "setresuid", "identity" },
    { 119, 119, "setresgid", "identity" },
    { 122, 122, "setfsuid", "identity" },
    { 123, 123, "setfsgid", "identity" },
    { 126, 126, "capset", "identity" },
    { 285, 285, "fallocate", "FALLOC_FL_KEEP_SIZE fills a memfd past RLIMIT_FSIZE" },
    /* The whole machine */
    { 103, 103, "syslog", "could clear the kernel log" },
    { 153, 153, "vhangup", "hangs up the terminal" },
    { 155, 155, "pivot_root", "changes the root of the mount namespace" },
    { 161, 161, "chroot", "changes the root directory" },
    { 163, 163, "acct", "switches process accounting" },
    { 165, 165, "mount", "mounts" },
    { 166, 166, "umount2", "unmounts" },
    { 167, 167, "swapon", "swap" },
    { 168, 168, "swapoff", "swap" },
    { 169, 169, "reboot", "reboots or powers off the machine" },
    { 170, 170, "sethostname", "renames the machine" },
    { 171, 171, "setdomainname", "renames the machine" },
    { 172, 172, "iopl", "port I/O" },
    { 173, 173, "ioperm", "port I/O" },
    { 175, 175, "init_module", "loads kernel code" },
    { 176, 176, "delete_module", "unloads kernel code" },
    { 313, 313, "finit_module", "loads kernel code" },
    { 246, 246, "kexec_load", "replaces the kernel" },
    { 320, 320, "kexec_file_load", "replaces the kernel" },
    { 179, 179, "quotactl", "disk quotas" },
    { 443, 443, "quotactl_fd", "disk quotas" },
    { 159, 159, "adjtimex", "adjusts the system clock" },
    { 164, 164, "settimeofday", "sets the system clock" },
    { 227, 227, "clock_settime", "sets the system clock" },
    { 305, 305, "clock_adjtime", "adjusts the system clock" },
    { 321, 321, "bpf", "loads programs into the kernel" },
    { 298, 298, "perf_event_open", "system-wide tracing" },
    { 300, 300, "fanotify_init", "permission events can stall every file access" },
    { 301, 301, "fanotify_mark", "permission events can stall every file access" },
    { 304, 304, "open_by_handle_at", "opens files by handle, past paths" },
    { 248, 248, "add_key", "keys outlive the fuzzer" },
    { 249, 249, "request_key", "keys outlive the fuzzer" },
    { 250, 250, "keyctl", "could revoke or clear keyrings" },
    { 425, 427, "io_uring_*", "asynchronous work that outlives the call" },
    { 428, 433, "open_tree..fspick", "the new mount API" },
    { 442, 442, "mount_setattr", "changes mounts" },
    { 29, 31, "shmget/shmat/shmctl", "System V IPC objects are system-wide and outlive us" },
    { 64, 71, "sem*/shmdt/msg*", "System V IPC: system-wide objects; msgrcv and semop wait" },
    { 220, 220, "semtimedop", "System V IPC, waits" },
    { 335, 423, "(unassigned)", "no x86_64 calls; some hosts' kernels put private ones here" },
};

/* Written by the fuzzers and the driver through a shared mapping, read by main. */
struct fuzz_shared {
    volatile uint64_t calls;                    /* fuzzers: calls started, all together */
    volatile int current_nr;                    /* fuzzer: the call in progress */
    volatile unsigned char tried[NR_COUNT];     /* fuzzers: 1 once a number was called */
    uint64_t fuzzers, stalls, exits;            /* driver: how the fuzzers ended */
    uint64_t elapsed_ns;                        /* driver */
    uint32_t deaths[MAX_SIGNAL];                /* driver: fuzzers killed by each signal */
};

static void build_skip_map(bool skip[NR_COUNT])
{
    memset(skip, 0, NR_COUNT * sizeof skip[0]);
    for (size_t i = 0; i < sizeof skipped_calls / sizeof skipped_calls[0]; i++)
        for (int nr = skipped_calls[i].first; nr <= skipped_calls[i].last; nr++)
            skip[nr] = true;
}

static void on_tick(int sig)
{
    (void)sig;   /* only here to interrupt: no SA_RESTART */
}

/* Every TICK_MS a SIGALRM, so a call that blocks returns EINTR instead of stalling. */
static void start_ticker(void)
{
    struct sigaction sa;
    struct itimerval every = { { 0, TICK_MS * 1000 }, { 0, TICK_MS * 1000 } };

    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_tick;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGALRM, &sa, NULL);
    setitimer(ITIMER_REAL, &every, NULL);   /* without it the watchdog still copes */
}

static void set_limit(int resource, rlim_t value)
{
    struct rlimit lim = { value, value };

    setrlimit(resource, &lim);
}

static void close_inherited_fds(void)
{
    struct rlimit lim;
    long max = 1024;

    if (getrlimit(RLIMIT_NOFILE, &lim) == 0 && lim.rlim_cur < (rlim_t)max)
        max = (long)lim.rlim_cur;
    for (long fd = 0; fd < max; fd++)
        close((int)fd);
}

/* Results of failures are ignored throughout: a kernel without users or limits has
 * nothing these protect, and the fuzzing goes on regardless. */
static void isolate_fuzzer(void)
{
    setsid();                                 /* nothing it does reaches our group */
    set_limit(RLIMIT_CORE, 0);
    set_limit(RLIMIT_FSIZE, FUZZ_FILE_LIMIT);
    close_inherited_fds();                    /* nothing it writes reaches our output */
    set_limit(RLIMIT_NOFILE, FUZZ_MAX_FDS);
    signal(SIGPIPE, SIG_IGN);
    signal(SIGXFSZ, SIG_IGN);
    if (geteuid() == 0) {                     /* on a Linux host: give up root */
        setgroups(0, NULL);
        setgid(NOBODY_ID);
        setuid(NOBODY_ID);
    }
    start_ticker();
}

/* The buffer pointer arguments point at: a guard page after it stops long copies. */
static unsigned char *map_arg_buffer(void)
{
    unsigned char *buf = mmap(NULL, ARG_BUFFER_BYTES + PAGE_BYTES, PROT_READ | PROT_WRITE,
                              MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

    if (buf == MAP_FAILED)
        _exit(3);
    memset(buf, 0xa5, ARG_BUFFER_BYTES);      /* read as pointers: non-canonical */
    mprotect(buf + ARG_BUFFER_BYTES, PAGE_BYTES, PROT_NONE);
    return buf;
}

/* The first bytes are a safe path, whatever earlier calls wrote there. */
static void reset_arg_header(unsigned char *buf)
{
    memset(buf, 0xa5, ARG_HEADER_BYTES);
    memcpy(buf, SAFE_PATH, sizeof SAFE_PATH);
}

/* Lengths where sums overflow and signed and unsigned part: near 2^63, 2^64, 2^32. */
static uint64_t boundary_length(uint64_t v)
{
    static const uint64_t bases[] = {
        1ull << 63, 0 /* 2^64: just below wraps to the top */, 1ull << 32, 1ull << 31,
        USER_TOP, 1ull << 47,
    };
    uint64_t base = bases[v % (sizeof bases / sizeof bases[0])];

    return base + (v >> 8) % 9 - 4 - ((v >> 16) & 1 ? PAGE_BYTES : 0);
}

/* Addresses around the end of user space, the non-canonical hole and the kernel's start. */
static uint64_t boundary_address(uint64_t v)
{
    static const uint64_t bases[] = {
        USER_TOP, USER_TOP + PAGE_BYTES, NON_CANONICAL, KERNEL_HALF, 0xfffffffffffff000ull, 0,
    };
    uint64_t base = bases[v % (sizeof bases / sizeof bases[0])];

    return base + (v >> 8) % (2 * PAGE_BYTES) - PAGE_BYTES;
}

/* Descriptors just past the fuzzer's limit and the kernel's table, and odd ones. */
static long boundary_fd(uint64_t v)
{
    static const long fds[] = {
        FUZZ_MAX_FDS, FUZZ_MAX_FDS + 1, TABLE_FDS - 1, TABLE_FDS, TABLE_FDS + 1, 1023, 1024,
        0x7fffffff, -0x80000000l, -100 /* AT_FDCWD */, -2, 0x100000000l,
    };

    return fds[v % (sizeof fds / sizeof fds[0])];
}

static long random_arg(uint64_t *rng, unsigned char *buf)
{
    uint64_t r = xorshift64(rng), v = r >> 8;

    switch (r % 16) {
    case 0: return (long)(v % 16);                     /* flags, counts, low fds */
    case 1: return (long)(v % FUZZ_MAX_FDS);           /* any fd the fuzzer may own */
    case 2: return (long)(v % 4096);
    case 3:
    case 4: return (long)(uintptr_t)buf;               /* a real, writable buffer */
    case 5: return 0;                                  /* NULL */
    case 6: return -1;
    case 7: return (long)(KERNEL_HALF + (v & 0x7fffffff000ull));
    case 8: return (long)NON_CANONICAL;
    case 9: return (long)(int32_t)v;                   /* any 32-bit value */
    case 10: return (long)(r >> 1);                    /* huge */
    case 11: return (long)ARG_BUFFER_BYTES;            /* a plausible length */
    case 12: return (long)boundary_length(v);
    case 13: return (long)boundary_address(v);
    case 14: return boundary_fd(v);
    default: return (long)(uintptr_t)(buf + ARG_BUFFER_BYTES - v % 64);   /* at the guard page */
    }
}

/* The grandchild: one call after another from first_nr on, until it is killed. */
static void run_fuzzer(struct fuzz_shared *sh, const bool *skip, uint64_t seed, int first_nr)
{
    uint64_t rng = seed * 0x9e3779b97f4a7c15ull + 1;
    unsigned char *buf;
    long a[6];

    isolate_fuzzer();
    buf = map_arg_buffer();
    for (int nr = first_nr;; nr = (nr + 1) % NR_COUNT) {
        if (skip[nr])
            continue;
        for (int i = 0; i < 6; i++)
            a[i] = random_arg(&rng, buf);
        reset_arg_header(buf);
        sh->current_nr = nr;
        sh->tried[nr] = 1;
        sh->calls++;
        syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
    }
}

static bool all_tried(const struct fuzz_shared *sh, const bool *skip)
{
    for (int nr = 0; nr < NR_COUNT; nr++)
        if (!skip[nr] && !sh->tried[nr])
            return false;
    return true;
}

static bool fuzzing_done(const struct fuzz_shared *sh, const bool *skip, uint64_t start,
                         uint64_t min_ns)
{
    uint64_t elapsed = mono_ns() - start;

    return (elapsed >= min_ns && all_tried(sh, skip)) || elapsed >= min_ns + FUZZ_EXTRA_MS * NS_PER_MS;
}

/* How a fuzzer ended that the driver did not kill. */
static void record_end(struct fuzz_shared *sh, int status)
{
    if (WIFEXITED(status))
        sh->exits++;
    else if (WIFSIGNALED(status) && WTERMSIG(status) < MAX_SIGNAL)
        sh->deaths[WTERMSIG(status)]++;
}

/* Wait for one fuzzer; kill it when it stops making calls or time is up. */
static void watch_fuzzer(struct fuzz_shared *sh, pid_t pid, const bool *skip, uint64_t start,
                         uint64_t min_ns)
{
    uint64_t last_calls = sh->calls, last_progress = mono_ns(), limit = STARTUP_MS * NS_PER_MS;
    int status = 0;

    while (waitpid(pid, &status, WNOHANG) != pid) {
        uint64_t now = mono_ns();
        bool stalled;

        if (sh->calls != last_calls) {
            last_calls = sh->calls;
            last_progress = now;
            limit = STALL_MS * NS_PER_MS;
        }
        stalled = now - last_progress > limit;
        if (stalled || fuzzing_done(sh, skip, start, min_ns)) {
            kill(pid, SIGKILL);
            wait_child(pid, &status);
            sh->stalls += stalled;
            return;
        }
        sleep_ms(WATCH_PERIOD_MS);
    }
    record_end(sh, status);
}

/* The child: start fuzzers one after another, each where the last one stopped. */
static void run_driver(struct fuzz_shared *sh, const bool *skip, uint64_t seed, uint64_t min_ns)
{
    uint64_t start = mono_ns();
    int next_nr = 0;

    while (!fuzzing_done(sh, skip, start, min_ns)) {
        pid_t pid = fork();
        if (pid == 0)
            run_fuzzer(sh, skip, seed, next_nr);
        if (pid < 0)
            _exit(2);
        sh->fuzzers++;
        watch_fuzzer(sh, pid, skip, start, min_ns);
        next_nr = (sh->current_nr + 1) % NR_COUNT;
        seed++;
    }
    sh->elapsed_ns = mono_ns() - start;
    _exit(0);
}

static void report(const struct fuzz_shared *sh, const bool *skip)
{
    int skipped = 0, untried = 0;
    char deaths[256] = "";
    size_t used = 0;

    for (int nr = 0; nr < NR_COUNT; nr++) {
        skipped += skip[nr];
        if (!skip[nr] && !sh->tried[nr] && untried++ < 20)
            tap_diag("never tried: %d", nr);
    }
    for (int sig = 1; sig < MAX_SIGNAL; sig++) {
        int n = sh->deaths[sig] ? snprintf(deaths + used, sizeof deaths - used, " %s:%u",
                                           strsignal(sig), (unsigned)sh->deaths[sig]) : 0;
        if (n < 0 || (size_t)n >= sizeof deaths - used)
            break;   /* full: the counts so far will do */
        used += (size_t)n;
    }
    tap_diag("%llu calls in %.1f s by %llu fuzzers (%llu stalled, %llu exited, killed by:%s)",
             (unsigned long long)sh->calls, (double)sh->elapsed_ns / NS_PER_SEC,
             (unsigned long long)sh->fuzzers, (unsigned long long)sh->stalls,
             (unsigned long long)sh->exits, used ? deaths : " none");
    tap_ok(sh->calls > 0, "the fuzzers made %llu calls", (unsigned long long)sh->calls);
    tap_ok(untried == 0, "each of the %d numbers not skipped was called (%d skipped)",
           NR_COUNT - skipped, skipped);
}

static void check_fork_and_wait(void)
{
    int status = 0;
    pid_t pid = fork();

    if (pid == 0)
        _exit(9);
    tap_ok(pid > 0 && wait_child(pid, &status) == pid && exited_with(status, 9),
           "afterwards fork and waitpid still work");
}

/* "ping" to a child and "pong" back, through two pipes. */
static void check_pipe_round_trip(void)
{
    int to_child[2], to_parent[2], status = 0;
    char got[5] = "";
    pid_t pid;

    if (pipe(to_child) != 0 || pipe(to_parent) != 0 || (pid = fork()) < 0) {
        tap_ok(false, "afterwards a pipe round trip works (pipe or fork failed)");
        return;
    }
    if (pid == 0) {
        char msg[4];
        bool ok = read_full(to_child[0], msg, 4) == 4 && memcmp(msg, "ping", 4) == 0;
        _exit(ok && write_full(to_parent[1], "pong", 4) ? 0 : 1);
    }
    write_full(to_child[1], "ping", 4);
    read_full(to_parent[0], got, 4);
    wait_child(pid, &status);
    for (int i = 0; i < 2; i++) {
        close(to_child[i]);
        close(to_parent[i]);
    }
    tap_ok(strcmp(got, "pong") == 0 && exited_with(status, 0),
           "afterwards a pipe round trip between processes works");
}

int main(int argc, char **argv)
{
    static bool skip[NR_COUNT];
    const char *env = getenv("FUZZ_SECONDS");   /* the host's run (build-host.sh) is shorter */
    uint64_t min_ns = (argc > 1   ? strtoull(argv[1], NULL, 0) * 1000
                       : env      ? strtoull(env, NULL, 0) * 1000
                                  : FUZZ_MS) * NS_PER_MS;
    uint64_t seed = argc > 2 ? strtoull(argv[2], NULL, 0) : DEFAULT_SEED;
    struct fuzz_shared *sh = mmap(NULL, sizeof *sh, PROT_READ | PROT_WRITE,
                                  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    int status = 0;
    char text[64];
    pid_t driver;

    build_skip_map(skip);
    if (!tap_ok(sh != MAP_FAILED, "shared mapping for the fuzzers' counters"))
        return tap_done();
    tap_diag("seed %llu, at least %.0f s (usage: fuzz [SECONDS [SEED]])",
             (unsigned long long)seed, (double)min_ns / NS_PER_SEC);
    driver = fork();
    if (driver == 0)
        run_driver(sh, skip, seed, min_ns);
    if (!tap_ok(driver > 0 && wait_child(driver, &status) == driver && exited_with(status, 0),
                "the fuzz driver finished normally"))
        tap_diag("driver: %s", status_text(status, text, sizeof text));
    report(sh, skip);
    check_fork_and_wait();
    check_pipe_round_trip();
    return tap_done();
}
