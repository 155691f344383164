/* kernel/syscall/table.c: the Linux x86_64 syscall numbers
 * (arch/x86/entry/syscalls/syscall_64.tbl) mapped to handlers. An unknown
 * number returns -ENOSYS and is logged once. With the syscall-trace
 * feature every call is logged strace-style. */
#include <anvil/syscall.h>

#include "arch/x86_64/syscall.h"
#include "lib/errno.h"
#include "lib/kprintf.h"
#include "proc/proc.h"
#include "sched/clock.h"
#include "sched/sched.h"
#include "syscall/syscall.h"

#define SYSCALL_COUNT 451

struct syscall_entry {
    syscall_fn fn;
    const char *name;
};

#define E(nr, name) [nr] = {sys_##name, #name}
static const struct syscall_entry table[SYSCALL_COUNT] = {
    E(0, read), E(1, write), E(2, open), E(3, close), E(4, stat), E(5, fstat), E(6, lstat),
    E(7, poll), E(8, lseek), E(9, mmap), E(10, mprotect), E(11, munmap), E(12, brk),
    E(13, rt_sigaction), E(14, rt_sigprocmask), E(15, rt_sigreturn), E(16, ioctl),
    E(17, pread64), E(18, pwrite64), E(19, readv), E(20, writev), E(21, access), E(22, pipe),
    E(23, select), E(24, sched_yield), E(25, mremap), E(28, madvise), E(32, dup), E(33, dup2),
    E(34, pause), E(35, nanosleep), E(36, getitimer), E(37, alarm), E(38, setitimer), E(39, getpid), E(56, clone), E(57, fork), E(58, vfork), E(59, execve),
    E(29, shmget), E(30, shmat), E(31, shmctl), E(64, semget), E(65, semop), E(66, semctl),
    E(67, shmdt), E(68, msgget), E(69, msgsnd), E(70, msgrcv), E(71, msgctl), E(220, semtimedop),
    E(60, exit), E(61, wait4), E(62, kill), E(63, uname), E(72, fcntl), E(73, flock), E(74, fsync), E(162, sync), E(306, syncfs),
    E(77, ftruncate), E(79, getcwd), E(80, chdir), E(81, fchdir), E(82, rename), E(83, mkdir),
    E(84, rmdir), E(87, unlink), E(89, readlink), E(95, umask), E(96, gettimeofday), E(97, getrlimit),
    E(98, getrusage), E(99, sysinfo), E(100, times), E(102, getuid), E(104, getgid), E(105, setuid),
    E(106, setgid), E(107, geteuid), E(108, getegid), E(109, setpgid), E(110, getppid),
    E(111, getpgrp), E(112, setsid), E(115, getgroups), E(121, getpgid), E(124, getsid),
    E(127, rt_sigpending), E(140, getpriority), E(141, setpriority), E(130, rt_sigsuspend), E(131, sigaltstack), E(143, sched_getparam),
    E(145, sched_getscheduler), E(157, prctl), E(158, arch_prctl), E(160, setrlimit), E(186, gettid),
    E(200, tkill), E(201, time), E(202, futex), E(204, sched_getaffinity), E(217, getdents64),
    E(218, set_tid_address), E(228, clock_gettime), E(229, clock_getres),
    E(230, clock_nanosleep), E(231, exit_group), E(234, tgkill), E(247, waitid),
    E(165, mount), E(166, umount2), E(169, reboot), E(257, openat), E(258, mkdirat), E(263, unlinkat), E(264, renameat), E(262, newfstatat), E(267, readlinkat), E(269, faccessat),
    E(270, pselect6), E(271, ppoll), E(273, set_robust_list), E(274, get_robust_list), E(292, dup3), E(293, pipe2),
    E(302, prlimit64), E(316, renameat2), E(318, getrandom), E(439, faccessat2),
    E(40, sendfile),
    /* socket.c, sockmsg.c */
    E(41, socket), E(42, connect), E(43, accept), E(44, sendto), E(45, recvfrom), E(46, sendmsg),
    E(47, recvmsg), E(48, shutdown), E(49, bind), E(50, listen), E(51, getsockname),
    E(52, getpeername), E(53, socketpair), E(54, setsockopt), E(55, getsockopt), E(288, accept4),
    /* fsattr.c */
    E(75, fdatasync), E(76, truncate), E(86, link), E(88, symlink), E(90, chmod),
    E(91, fchmod), E(92, chown), E(93, fchown), E(94, lchown), E(132, utime), E(137, statfs),
    E(138, fstatfs), E(235, utimes), E(260, fchownat), E(261, futimesat), E(265, linkat),
    E(266, symlinkat), E(268, fchmodat), E(280, utimensat),
};

/* Anvil-only calls, numbered from ANVIL_SYS_BASE (include/anvil/syscall.h). */
#define ANVIL_COUNT 6
#define A(nr, name) [(nr) - ANVIL_SYS_BASE] = {sys_##name, #name}
static const struct syscall_entry anvil_table[ANVIL_COUNT] = {
    A(ANVIL_SYS_NS_RESTRICT, anvil_ns_restrict), A(ANVIL_SYS_GRANT_RESTRICT, anvil_grant_restrict),
    A(ANVIL_SYS_NS_GET, anvil_ns_get), A(ANVIL_SYS_SCHEME_RESERVE, anvil_scheme_reserve),
    A(ANVIL_SYS_PROVIDES_RESTRICT, anvil_provides_restrict),
    A(ANVIL_SYS_MOUNT_DESCRIBE, anvil_mount_describe),
};
#undef A
#undef E

static const struct syscall_entry *lookup(uint64_t nr)
{
    if (nr < SYSCALL_COUNT && table[nr].fn)
        return &table[nr];
    if (nr >= ANVIL_SYS_BASE && nr - ANVIL_SYS_BASE < ANVIL_COUNT && anvil_table[nr - ANVIL_SYS_BASE].fn)
        return &anvil_table[nr - ANVIL_SYS_BASE];
    return NULL;
}

/* Numbers already reported as unimplemented (single CPU, no lock). */
static uint64_t enosys_logged[(SYSCALL_COUNT + 63) / 64];

struct x86_regs *syscall_frame(void)
{
    return sched_current()->frame;
}

/* Numbers past the table cannot each be remembered: their lines are rate
 * limited (ENOSYS_BURST a second, then one line saying how many were not
 * logged), so a program looping over them cannot flood the serial line. */
#define ENOSYS_BURST 4
#define ENOSYS_WINDOW_NS 1000000000ull
static uint64_t enosys_window_start;
static unsigned enosys_in_window, enosys_dropped;

static bool unknown_may_log(void)
{
    uint64_t now = clock_monotonic_ns();

    if (now - enosys_window_start >= ENOSYS_WINDOW_NS) {
        if (enosys_dropped)
            kprintf("syscall: %u more calls past the table not logged\n", enosys_dropped);
        enosys_window_start = now;
        enosys_in_window = enosys_dropped = 0;
    }
    if (enosys_in_window >= ENOSYS_BURST) {
        enosys_dropped++;
        return false;
    }
    enosys_in_window++;
    return true;
}

static long unknown(uint64_t nr)
{
    struct proc *p = proc_current();

    if (nr < SYSCALL_COUNT) {
        if (enosys_logged[nr / 64] & (1ull << (nr % 64)))
            return -ENOSYS;
        enosys_logged[nr / 64] |= 1ull << (nr % 64);
    } else if (!unknown_may_log()) {
        return -ENOSYS;
    }
    kprintf("syscall: %lu not implemented (pid %d %s): ENOSYS\n", nr, p->pid, p->name);
    return -ENOSYS;
}

static void handle(struct x86_regs *r)
{
    uint64_t nr = r->rax;
    const struct syscall_entry *e = lookup(nr);
    long ret;

    sched_current()->syscall_nr = nr;
    if (!e) {
        r->rax = (uint64_t)unknown(nr);
        return;
    }
#ifdef ANVIL_FEATURE_SYSCALL_TRACE
    kprintf("[%d] %s(0x%lx, 0x%lx, 0x%lx, 0x%lx, 0x%lx, 0x%lx)\n", sched_current()->tid, e->name,
            r->rdi, r->rsi, r->rdx, r->r10, r->r8, r->r9);
#endif
    ret = e->fn(r->rdi, r->rsi, r->rdx, r->r10, r->r8, r->r9);
#ifdef ANVIL_FEATURE_SYSCALL_TRACE
    kprintf("[%d] %s = %ld\n", sched_current()->tid, e->name, ret);
#endif
    r->rax = (uint64_t)ret;
}

void syscall_init(void)
{
    x86_syscall_init(handle);
}
