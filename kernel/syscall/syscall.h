/* kernel/syscall/syscall.h: the Linux x86_64 system calls Anvil implements.
 * Every handler has the same six-argument signature (the table calls them
 * uniformly) and gives its arguments names and types in its first lines. */
#ifndef ANVIL_SYSCALL_SYSCALL_H
#define ANVIL_SYSCALL_SYSCALL_H

#include <stdint.h>

#include "arch/x86_64/regs.h"

#define SYSCALL_ARGS                                                                        \
    uint64_t a0 __attribute__((unused)), uint64_t a1 __attribute__((unused)),             \
        uint64_t a2 __attribute__((unused)), uint64_t a3 __attribute__((unused)),         \
        uint64_t a4 __attribute__((unused)), uint64_t a5 __attribute__((unused))

typedef long (*syscall_fn)(SYSCALL_ARGS);

/* Install the handler with the syscall entry. */
void syscall_init(void);

/* A user struct timespec in ns (time.c): -EFAULT, -EINVAL, or 0 with *ns set;
 * one too far away to matter is SYSCALL_NS_FOREVER. */
#define SYSCALL_NS_FOREVER (INT64_MAX / 2)
int syscall_get_timespec(uintptr_t uts, int64_t *ns);

/* Copy a user path and route it relative to dirfd (AT_FDCWD: the working
 * directory) (fs.c): 0 or -errno. */
struct scheme_path;
int syscall_user_path(int dirfd, uintptr_t upath, struct scheme_path *out);
/* Read a user socklen_t *ulen for an address buffer uaddr (NULL: none, *len
 * 0) before any blocking: 0, -EFAULT, -EINVAL (socket.c). */
int syscall_addrlen_get(uintptr_t uaddr, uintptr_t ulen, int *len);
/* readv and writev of a socket (sockmsg.c): one sendmsg or recvmsg, so a
 * datagram is one message whatever the number of buffers. */
struct file;
long syscall_sock_iov(struct file *f, uintptr_t uiov, int cnt, bool write);
/* sys_fsync's second argument when fdatasync calls it (fsync(2) has one argument). */
#define SYSCALL_FSYNC_DATA 0x46445331u

/* The running thread's user registers (fork, execve, rt_sigreturn). */
struct x86_regs *syscall_frame(void);

#define X(name) long sys_##name(SYSCALL_ARGS);
/* fs.c */
X(read) X(write) X(open) X(openat) X(close) X(stat) X(fstat) X(lstat) X(newfstatat)
X(lseek) X(readv) X(writev) X(pread64) X(pwrite64) X(getdents64) X(dup) X(dup2) X(dup3)
X(fcntl) X(ioctl) X(access) X(faccessat) X(faccessat2) X(readlink) X(readlinkat) X(getcwd)
X(chdir) X(fchdir) X(mkdir) X(unlink) X(rename) X(fsync) X(sync) X(syncfs) X(ftruncate) X(mkdirat) X(rmdir)
X(unlinkat) X(renameat) X(renameat2)
/* fsattr.c: links and metadata */
X(symlink) X(symlinkat) X(link) X(linkat) X(chmod) X(fchmod) X(fchmodat) X(chown) X(fchown)
X(lchown) X(fchownat) X(utime) X(utimes) X(futimesat) X(utimensat) X(statfs) X(fstatfs)
X(truncate) X(fdatasync)
/* anvil.c: Anvil-only calls (include/anvil/syscall.h) and power */
X(anvil_ns_restrict) X(anvil_grant_restrict) X(anvil_ns_get) X(reboot)
X(anvil_scheme_reserve) X(anvil_provides_restrict)
X(anvil_mount_describe)
/* mount.c */
X(mount) X(umount2)
/* pipe.c */
X(pipe) X(pipe2)
/* sendfile.c */
X(sendfile)
/* socket.c, sockmsg.c */
X(socket) X(socketpair) X(bind) X(listen) X(connect) X(accept) X(accept4) X(shutdown)
X(getsockname) X(getpeername) X(setsockopt) X(getsockopt) X(sendto) X(recvfrom) X(sendmsg) X(recvmsg)
/* poll.c */
X(poll) X(ppoll) X(select) X(pselect6)
/* mem.c */
X(brk) X(mmap) X(munmap) X(mprotect) X(madvise) X(mremap)
/* proc.c */
X(getpid) X(getppid) X(gettid) X(clone) X(fork) X(vfork) X(execve) X(exit) X(exit_group)
X(wait4) X(waitid) X(set_tid_address) X(arch_prctl) X(futex) X(set_robust_list) X(get_robust_list)
X(sched_yield) X(getpgid) X(setpgid) X(getsid) X(setsid) X(getpgrp)
/* signal.c */
X(kill) X(tkill) X(tgkill) X(rt_sigaction) X(rt_sigprocmask) X(rt_sigreturn) X(sigaltstack)
X(rt_sigpending) X(rt_sigsuspend)
/* time.c */
X(clock_gettime) X(clock_getres) X(gettimeofday) X(time) X(nanosleep) X(clock_nanosleep)
X(setitimer) X(getitimer) X(alarm) X(pause) X(times)
/* lock.c */
X(flock)
/* sysv/: System V IPC */
X(shmget) X(shmat) X(shmdt) X(shmctl) X(semget) X(semop) X(semtimedop) X(semctl)
X(msgget) X(msgsnd) X(msgrcv) X(msgctl)
/* rlimit.c */
X(prlimit64) X(getrlimit) X(setrlimit)
/* prctl.c */
X(prctl)
/* system.c */
X(uname) X(getuid) X(geteuid) X(getgid) X(getegid) X(umask) X(getrandom) X(sysinfo) X(getrusage) X(sched_getaffinity) X(setuid) X(setgid)
X(getgroups) X(sched_getparam) X(sched_getscheduler) X(getpriority) X(setpriority)
#undef X

#endif
