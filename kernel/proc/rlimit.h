/* kernel/proc/rlimit.h: per-process resource limits (getrlimit, setrlimit,
 * prlimit64): inherited at fork, kept across exec, enforced where the
 * resource is taken (fd tables, mmap and brk, fork, the stack, writes). */
#ifndef ANVIL_PROC_RLIMIT_H
#define ANVIL_PROC_RLIMIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Linux's resource numbers (asm-generic/resource.h). */
#define RLIMIT_CPU 0
#define RLIMIT_FSIZE 1
#define RLIMIT_DATA 2
#define RLIMIT_STACK 3
#define RLIMIT_CORE 4
#define RLIMIT_RSS 5
#define RLIMIT_NPROC 6
#define RLIMIT_NOFILE 7
#define RLIMIT_MEMLOCK 8
#define RLIMIT_AS 9
#define RLIMIT_NLIMITS 16
#define RLIM_INFINITY UINT64_MAX

struct proc;
struct file;

struct rlimit_k {
    uint64_t cur, max;
};
_Static_assert(sizeof(struct rlimit_k) == 16, "ABI: struct rlimit64 is 16 bytes");

/* Set p's limits: the parent's, or the defaults for the first process. */
void rlimit_init(struct proc *p, const struct proc *parent);
/* The soft limit of resource res for p. */
uint64_t rlimit_cur(const struct proc *p, int res);
/* Get *old and/or set *new (either may be NULL): 0, -EINVAL, -EPERM. */
int rlimit_change(struct proc *p, int res, const struct rlimit_k *new, struct rlimit_k *old);

/* How many fds p may have open (RLIMIT_NOFILE, at most the table's size). */
int rlimit_nofile(const struct proc *p);
/* The stack area's size at exec (RLIMIT_STACK, clamped to sane bounds). */
size_t rlimit_stack_size(const struct proc *p);
/* -ENOMEM if growing p's address space by more bytes passes RLIMIT_AS. */
int rlimit_check_as(const struct proc *p, size_t more);
/* -EAGAIN if a new process would pass RLIMIT_NPROC (everyone is one user). */
int rlimit_check_nproc(const struct proc *p);
/* On a timer tick, for the process running: RLIMIT_CPU. Past the soft
 * limit SIGXCPU, and the soft limit moves on a second (as Linux does), so
 * it repeats each CPU second; at the hard limit SIGKILL. */
void rlimit_cpu_tick(struct proc *p);
/* A write of *len bytes at off to f: clamp it under RLIMIT_FSIZE, or
 * -EFBIG (and SIGXFSZ) when nothing fits. Only for seekable files. */
int rlimit_check_fsize(struct file *f, uint64_t off, size_t *len);

#endif
