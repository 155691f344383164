/* tests/guest/programs/hostile.c: a hostile-daemon fuzzer. A daemon registers t-hostile
 * and answers every request at random: results of any size and sign, windows filled with
 * noise, replies held and sent late (after the client was killed), sent twice, sent with
 * ids no request has, half a packet and then exit. Clients run open, read, write, fstat,
 * stat, getdents64 and mmap on it for a minute, and are killed and replaced at random.
 * The kernel must stay up, clients must get errors or sane values (never more bytes than
 * asked, well-formed directory records, readable mappings), and afterwards the kernel's
 * free memory is back (issue 11, hostile daemons). With -n the daemon is netd instead:
 * it registers tcp, udp, icmp and netcfg and answers the kernel's AF_INET sockets the
 * same way, while clients call every socket call, the interface ioctls and /proc/net
 * (docs/sockets.md). Anvil only: skipped on a host.
 * Usage: hostile [-n] [SECONDS [SEED]]. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "../../../include/anvil/scheme.h"

#include "tap.h"
#include "util.h"

#define SCHEME ":t-hostile"
#define PREFIX "t-hostile:"
#define DEFAULT_SECONDS 60
#define CLIENTS 3
#define HELD_MAX 32
#define BATCH 16
#define POLL_MS 5
#define KILL_PERIOD_MS 300          /* about this often a client or the daemon is killed */
#define DRIVER_STEP_MS 20           /* a dead daemon or client is replaced this soon */
#define REGISTER_TRIES 200
#define PAGE 4096
#define BUF_BYTES 9000
#define DIRENT_HEADER 19            /* linux_dirent64 up to d_name */
#define MEM_SLACK_KB 256
#define VIOLATION_TEXT 160

/* Shared between the parent and its children. */
struct shared {
    volatile uint64_t ops, errors, replies, daemons;
    volatile uint64_t violations;
    char first[VIOLATION_TEXT];
};

static struct shared *sh;
static uint64_t rng = 1;
static bool net_mode;   /* -n: the daemon is netd, the clients use sockets */
static const char *const net_schemes[] = {":tcp", ":udp", ":icmp", ":netcfg"};
#define NET_SCHEMES (sizeof(net_schemes) / sizeof(net_schemes[0]))

static uint64_t rnd(void)
{
    return xorshift64(&rng);
}

static void violation(const char *what, long value)
{
    if (sh->violations++ == 0)
        snprintf(sh->first, sizeof sh->first, "pid %d: %s (%ld)", getpid(), what, value);
}

/* ---- the daemon ---- */

static char *window(const struct anvil_packet *p)
{
    return (char *)(uintptr_t)p->arg[0];
}

/* Ops whose window the daemon may write (the rest may be mapped read-only). */
static bool writes_window(uint32_t op)
{
    return op == ANVIL_OP_READ || op == ANVIL_OP_GETDENTS || op == ANVIL_OP_FSTAT ||
           op == ANVIL_OP_STAT || op == ANVIL_OP_READLINK || op == ANVIL_OP_IOCTL ||
           op == ANVIL_OP_STATFS || op == ANVIL_OP_FSTATFS;
}

static int64_t random_result(const struct anvil_packet *p)
{
    switch (rnd() % 10) {
    case 0: return -(int64_t)(rnd() % 140);              /* an errno, or 0 */
    case 1: return (int64_t)(rnd() % (p->arg[1] + 1));   /* a fair count */
    case 2: return (int64_t)p->arg[1] + (int64_t)(rnd() % 3);   /* the window, or past it */
    case 3: return (int64_t)rnd();                       /* anything */
    case 4: return INT64_MIN;
    case 5: return -4096 - (int64_t)(rnd() % 100000);    /* negative, no errno */
    case 6: return (int64_t)(rnd() % 4);                 /* a small handle */
    case 7: return (int64_t)0xffffffff00000000ull | (int64_t)(rnd() % 16);
    default: return (int64_t)(rnd() % 64);
    }
}

static void fill_window(const struct anvil_packet *p)
{
    char *w = window(p);
    size_t n = p->arg[1];

    if (!writes_window(p->op) || !w || n == 0)
        return;
    if (rnd() % 2) {
        for (size_t i = 0; i < n; i++)
            w[i] = (char)rnd();
    } else {
        memset(w, (int)(rnd() % 256), n);
    }
}

static void reply(int fd, struct anvil_packet *p)
{
    uint64_t how = rnd() % 400;

    fill_window(p);
    p->result = random_result(p);
    if (how == 0)
        p->id = rnd();                                   /* an id no one waits for */
    if (how == 1) {
        write(fd, p, sizeof *p / 2);                     /* half a packet, then gone */
        _exit(0);
    }
    if (how < 20)
        sleep_ms((unsigned)(rnd() % 30));                /* slow */
    write(fd, p, sizeof *p);
    if (how >= 20 && how < 40)
        write(fd, p, sizeof *p);                         /* twice */
    sh->replies++;
}

static void serve(const int *fds, int nfds)
{
    struct anvil_packet held[HELD_MAX], batch[BATCH];
    struct pollfd pfd[NET_SCHEMES];
    int nheld = 0, heldfd[HELD_MAX];

    for (int i = 0; i < nfds; i++)
        pfd[i] = (struct pollfd){.fd = fds[i], .events = POLLIN};
    for (;;) {
        if (poll(pfd, (nfds_t)nfds, POLL_MS) > 0)
            for (int f = 0; f < nfds; f++) {
                if (!pfd[f].revents)
                    continue;
                ssize_t n = read(fds[f], batch, sizeof batch);
                if (n <= 0)
                    _exit(0);
                for (ssize_t i = 0; i < n / (ssize_t)sizeof batch[0]; i++) {
                    if (rnd() % 3 == 0 && nheld < HELD_MAX) {
                        heldfd[nheld] = fds[f];
                        held[nheld++] = batch[i];        /* answer later, out of order */
                    } else
                        reply(fds[f], &batch[i]);
                }
            }
        if (nheld > 0 && rnd() % 4 == 0) {
            int k = (int)(rnd() % (uint64_t)nheld);
            reply(heldfd[k], &held[k]);
            held[k] = held[--nheld];
            heldfd[k] = heldfd[nheld];
        }
        if (rnd() % 5000 == 0)
            _exit(0);                                    /* gone, holding requests */
    }
}

/* Register the daemon's names: 0 and fds, or -1 (a name is still taken). */
static int register_all(int *fds, int *nfds)
{
    *nfds = 0;
    if (!net_mode) {
        fds[0] = open(SCHEME, O_CREAT | O_RDWR);
        *nfds = fds[0] >= 0;
        return fds[0] >= 0 ? 0 : -1;
    }
    for (size_t i = 0; i < NET_SCHEMES; i++) {
        if ((fds[i] = open(net_schemes[i], O_CREAT | O_RDWR)) < 0) {
            while (i-- > 0)
                close(fds[i]);
            return -1;
        }
    }
    *nfds = (int)NET_SCHEMES;
    return 0;
}

static pid_t start_daemon(uint64_t seed)
{
    pid_t pid = fork();
    int fds[NET_SCHEMES], nfds;

    if (pid != 0)
        return pid;
    rng = seed;
    for (int i = 0; i < REGISTER_TRIES; i++) {
        if (register_all(fds, &nfds) == 0) {
            sh->daemons++;
            serve(fds, nfds);
        }
        sleep_ms(5);   /* the last daemon's names are not released yet */
    }
    _exit(1);
}

/* ---- the clients ---- */

static void check_dirents(const char *buf, long n)
{
    long off = 0;

    while (off < n) {
        unsigned short reclen;
        if (n - off < DIRENT_HEADER) {
            violation("getdents64: a record cut short", n);
            return;
        }
        memcpy(&reclen, buf + off + 16, sizeof reclen);
        if (reclen < DIRENT_HEADER + 1 || reclen > n - off) {
            violation("getdents64: a bad record length", reclen);
            return;
        }
        off += reclen;
    }
}

static void random_path(char *path, size_t size)
{
    switch (rnd() % 4) {
    case 0: snprintf(path, size, PREFIX); break;
    case 1: snprintf(path, size, PREFIX "dir/f%u", (unsigned)(rnd() % 8)); break;
    default: snprintf(path, size, PREFIX "f%u", (unsigned)(rnd() % 8)); break;
    }
}

static void client_mmap(int fd)
{
    size_t len = (size_t)(1 + rnd() % 3) * PAGE;
    volatile char *m = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0);
    char sum = 0;

    if (m == MAP_FAILED)
        return;
    for (size_t i = 0; i < len; i += 512)
        sum += m[i];   /* a mapping that was given must be readable */
    (void)sum;
    munmap((void *)m, len);
}

static void client_op(int *fd, char *buf)
{
    char path[64];
    struct stat st;
    size_t len = (size_t)(rnd() % BUF_BYTES);
    long r = 0;

    random_path(path, sizeof path);
    /* Mostly work on an open file: calls on a dead fd only reach the kernel. */
    switch (*fd < 0 && rnd() % 8 ? 0 : rnd() % 8) {
    case 0:
        if (*fd >= 0)
            close(*fd);
        *fd = r = open(path, (int)(rnd() % 2 ? O_RDONLY : O_RDWR));
        break;
    case 1:
        if ((r = read(*fd, buf, len)) > (long)len)
            violation("read: more bytes than asked", r);
        break;
    case 2:
        if ((r = write(*fd, buf, len)) > (long)len)
            violation("write: more bytes than given", r);
        break;
    case 3:
        if ((r = fstat(*fd, &st)) == 0 && (st.st_size < 0 || st.st_mtim.tv_nsec > 999999999 ||
                                           st.st_mtim.tv_nsec < 0))
            violation("fstat: fields out of range", (long)st.st_size);
        break;
    case 4:
        if ((r = stat(path, &st)) == 0 && st.st_size < 0)
            violation("stat: a negative size", (long)st.st_size);
        break;
    case 5:
        r = syscall(SYS_getdents64, *fd, buf, len);
        if (r > (long)len)
            violation("getdents64: more bytes than asked", r);
        else if (r > 0)
            check_dirents(buf, r);
        break;
    case 6:
        client_mmap(*fd);
        break;
    default:
        r = lseek(*fd, (off_t)(rnd() % 100000), SEEK_SET);
        break;
    }
    sh->ops++;
    if (r < 0 && *fd >= 0 && (errno == EBADF || errno == ENODEV || errno == EIO) && rnd() % 2) {
        close(*fd);   /* the daemon behind it is gone or lied: start over */
        *fd = -1;
    }
    if (r < 0 && (errno == ENOENT || errno == ENODEV))
        sleep_ms(1);   /* no daemon now: let the next one register */
    if (r < 0) {
        if (errno <= 0 || errno >= 4096)
            violation("an error with no errno", errno);
        sh->errors++;
    }
}

/* ---- the socket clients (-n) ---- */

/* A fresh AF_INET socket of a random kind, its waits cut short. */
static int net_socket(void)
{
    static const int kinds[][2] = {{SOCK_STREAM, 0}, {SOCK_DGRAM, 0}, {SOCK_RAW, IPPROTO_ICMP}};
    int k = (int)(rnd() % 3), fd;
    struct timeval tv = {0, 50000};

    fd = socket(AF_INET, kinds[k][0] | (rnd() % 2 ? SOCK_NONBLOCK : 0), kinds[k][1]);
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    return fd;
}

static struct sockaddr_in net_addr(void)
{
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)(rnd() % 3 * 40))};

    a.sin_addr.s_addr = htonl(rnd() % 2 ? 0x7f000001 : 0x0a000202);
    return a;
}

/* An address the kernel handed back: at most a sockaddr_in, and AF_INET. */
static void check_name(long r, const struct sockaddr_in *a, socklen_t len, const char *what)
{
    if (r >= 0 && len > 0 && (len > sizeof *a || a->sin_family != AF_INET))
        violation(what, (long)len);
}

static long net_data(int fd, char *buf, size_t len)
{
    struct sockaddr_in a = net_addr(), from;
    socklen_t flen = sizeof from;
    long r;

    switch (rnd() % 4) {
    case 0: return send(fd, buf, len, MSG_NOSIGNAL | (rnd() % 2 ? MSG_DONTWAIT : 0));
    case 1: return sendto(fd, buf, len, MSG_NOSIGNAL, (struct sockaddr *)&a, sizeof a);
    case 2:
        if ((r = recv(fd, buf, len, rnd() % 2 ? MSG_DONTWAIT : (int)(rnd() % 2 ? MSG_PEEK : 0))) > (long)len)
            violation("recv: more bytes than asked", r);
        return r;
    default:
        memset(&from, 0, sizeof from);
        if ((r = recvfrom(fd, buf, len, MSG_DONTWAIT, (struct sockaddr *)&from, &flen)) > (long)len)
            violation("recvfrom: more bytes than asked", r);
        check_name(r, &from, flen, "recvfrom: a bad address");
        return r;
    }
}

/* The interfaces: SIOCGIFCONF and SIOCGIF* answers stay in their buffers. */
static long net_ifaces(int fd, char *buf)
{
    struct ifconf ifc = {.ifc_len = (int)(rnd() % 200), .ifc_buf = buf};
    struct ifreq r;
    int given = ifc.ifc_len;
    long ret;

    if (rnd() % 2) {
        if ((ret = ioctl(fd, SIOCGIFCONF, &ifc)) == 0 && (ifc.ifc_len < 0 || ifc.ifc_len > given))
            violation("SIOCGIFCONF: more than the buffer", ifc.ifc_len);
        return ret;
    }
    memset(&r, 0, sizeof r);
    snprintf(r.ifr_name, sizeof r.ifr_name, rnd() % 2 ? "eth0" : "lo");
    return ioctl(fd, rnd() % 2 ? SIOCGIFADDR : SIOCGIFHWADDR, &r);
}

static void net_op(int *fd, char *buf)
{
    struct sockaddr_in a = net_addr(), name;
    socklen_t len = sizeof name;
    int one = (int)(rnd() % 2), avail;
    long r = 0;
    struct pollfd p;

    switch (*fd < 0 ? 0 : rnd() % 10) {
    case 0:
        if (*fd >= 0)
            close(*fd);
        *fd = net_socket();
        r = *fd;
        break;
    case 1: r = connect(*fd, (struct sockaddr *)&a, sizeof a); break;
    case 2: r = rnd() % 2 ? bind(*fd, (struct sockaddr *)&a, sizeof a) : listen(*fd, 4); break;
    case 3: {
        int c = accept4(*fd, (struct sockaddr *)&name, &len, SOCK_NONBLOCK);
        check_name(c, &name, len, "accept: a bad address");
        if (c >= 0)
            close(c);
        r = c;
        break;
    }
    case 4: r = net_data(*fd, buf, (size_t)(rnd() % BUF_BYTES)); break;
    case 5:
        r = rnd() % 2 ? getsockname(*fd, (struct sockaddr *)&name, &len)
                      : getpeername(*fd, (struct sockaddr *)&name, &len);
        check_name(r, &name, len, "getsockname: a bad address");
        break;
    case 6:
        r = rnd() % 3 == 0 ? shutdown(*fd, (int)(rnd() % 3))
            : rnd() % 2    ? setsockopt(*fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one)
                           : ioctl(*fd, FIONREAD, &avail);
        break;
    case 7: r = net_ifaces(*fd, buf); break;
    case 8: {
        int f = open(rnd() % 2 ? "/proc/net/dev" : "/proc/net/tcp", O_RDONLY);
        if (f >= 0 && (r = read(f, buf, 4096)) > 4096)
            violation("/proc/net: more bytes than asked", r);
        if (f >= 0)
            close(f);
        break;
    }
    default:
        p = (struct pollfd){.fd = *fd, .events = POLLIN | POLLOUT};
        r = poll(&p, 1, (int)(rnd() % 10));
        break;
    }
    sh->ops++;
    if (r < 0) {
        if (errno <= 0 || errno >= 4096)
            violation("an error with no errno", errno);
        sh->errors++;
    }
}

static pid_t start_client(uint64_t seed)
{
    static char buf[BUF_BYTES];
    pid_t pid = fork();
    int fd = -1;

    if (pid != 0)
        return pid;
    rng = seed;
    signal(SIGPIPE, SIG_IGN);
    for (;;) {
        if (net_mode)
            net_op(&fd, buf);
        else
            client_op(&fd, buf);
    }
}

/* ---- the driver ---- */

static void reap(pid_t *pid, const char *who)
{
    int status = 0;

    if (*pid <= 0 || waitpid(*pid, &status, WNOHANG) != *pid)
        return;
    if (WIFSIGNALED(status) && WTERMSIG(status) != SIGKILL)
        violation(who, WTERMSIG(status));   /* a client died of something we did not send */
    *pid = 0;
}

static void kill_and_wait(pid_t *pid)
{
    if (*pid > 0) {
        kill(*pid, SIGKILL);
        wait_child(*pid, NULL);
        *pid = 0;
    }
}

static void run(unsigned seconds, uint64_t seed)
{
    pid_t daemon = 0, clients[CLIENTS] = { 0 };
    uint64_t deadline = mono_ns() + seconds * NS_PER_SEC;

    while (mono_ns() < deadline) {
        reap(&daemon, "the daemon died of a signal");
        if (daemon == 0)
            daemon = start_daemon(seed++);
        for (int i = 0; i < CLIENTS; i++) {
            reap(&clients[i], "a client died of a signal");
            if (clients[i] == 0)
                clients[i] = start_client(seed++);
        }
        sleep_ms(DRIVER_STEP_MS);
        if (rnd() % (KILL_PERIOD_MS / DRIVER_STEP_MS) != 0)
            continue;
        if (rnd() % 4 == 0)
            kill_and_wait(&daemon);                     /* the daemon dies mid-conversation */
        else
            kill_and_wait(&clients[rnd() % CLIENTS]);   /* its replies come to no one */
    }
    for (int i = 0; i < CLIENTS; i++)
        kill_and_wait(&clients[i]);
    kill_and_wait(&daemon);
}

int main(int argc, char **argv)
{
    int a = argc > 1 && !strcmp(argv[1], "-n") ? 2 : 1;
    unsigned seconds = argc > a ? (unsigned)atoi(argv[a]) : DEFAULT_SECONDS;
    uint64_t seed = argc > a + 1 ? strtoull(argv[a + 1], NULL, 0) : 1;
    long before, after;
    char buf[64];

    if (access("sys:uname", F_OK) != 0) {
        tap_skip("a hostile daemon", "no user schemes here");
        return tap_done();
    }
    sh = mmap(NULL, sizeof *sh, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (!tap_ok(sh != MAP_FAILED, "a shared page for the counters"))
        return tap_done();
    rng = seed * 0x9e3779b97f4a7c15ull + 1;
    net_mode = a == 2;
    tap_diag("seed %llu, %u s%s", (unsigned long long)seed, seconds, net_mode ? ", as netd" : "");
    before = meminfo_free_kb();
    run(seconds, seed);
    sleep_ms(100);   /* let the last exits finish */
    after = meminfo_free_kb();
    tap_diag("%llu client calls (%llu errors), %llu replies by %llu daemons",
             (unsigned long long)sh->ops, (unsigned long long)sh->errors,
             (unsigned long long)sh->replies, (unsigned long long)sh->daemons);
    tap_ok(sh->ops > 0 && sh->replies > 0, "the clients called and the daemons replied");
    if (!tap_ok(sh->violations == 0, "clients got errors or sane values, never garbage"))
        tap_diag("%llu violations; the first: %s", (unsigned long long)sh->violations, sh->first);
    tap_ok(slurp("sys:uname", buf, sizeof buf) > 0, "the kernel still answers");
    if (!tap_ok(after >= before - MEM_SLACK_KB, "no kernel memory lost (free before %ld kB, "
                "after %ld kB)", before, after))
        tap_diag("MemFree went down by %ld kB", before - after);
    return tap_done();
}
