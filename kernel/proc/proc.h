/* kernel/proc/proc.h: processes and threads. A process owns an address
 * space, a handle (fd) table, signal actions, a working directory (its
 * namespace, for now the initfs and a few devices); threads share all of
 * them. Single CPU, interrupts off in the kernel: every field is only
 * touched by the running thread or with interrupts off, so no locks. */
#ifndef ANVIL_PROC_PROC_H
#define ANVIL_PROC_PROC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arch/x86_64/regs.h"
#include "proc/caps.h"
#include "proc/rlimit.h"
#include "proc/signal_types.h"

#define PROC_NAME_MAX 32
#define PROC_PATH_MAX 256
#define PROC_FD_MAX 256
#define KSTACK_PAGES 4

enum thread_state { THREAD_RUNNABLE, THREAD_RUNNING, THREAD_SLEEPING, THREAD_DEAD };
enum proc_state { PROC_ALIVE, PROC_ZOMBIE };

struct file;
struct tty;

struct thread {
    int tid;
    enum thread_state state;
    struct proc *proc;
    uint64_t kstack_phys;        /* KSTACK_PAGES frames */
    uintptr_t kstack_top;
    uint64_t ksp;                /* saved stack pointer while switched out */
    struct x86_regs *frame;      /* the user registers at the top of the kstack */
    uint8_t fpu[512] __attribute__((aligned(16)));
    uint64_t fs_base;
    uintptr_t clear_child_tid;   /* CLONE_CHILD_CLEARTID / set_tid_address */
    uintptr_t robust_list;       /* set_robust_list: walked when the thread exits (futex.c) */
    uint64_t sigmask;
    uint64_t saved_sigmask;      /* rt_sigsuspend: the mask to restore */
    uintptr_t altstack_sp;       /* sigaltstack; size 0 when disabled */
    size_t altstack_size;
    bool restore_sigmask;
    uint64_t sigpending;         /* thread-directed signals */
    struct ksiginfo siginfo[SIG_COUNT + 1];
    const void *wchan;           /* what a sleeping thread waits for */
    uint64_t wake_at;            /* monotonic ns deadline, 0 for none */
    bool interruptible;
    bool timed_out;
    bool killed;                 /* the process is exiting: leave at once */
    bool sig_wake;               /* a deliverable signal is pending: do not sleep */
    unsigned slice;              /* ticks left before preemption */
    uint64_t syscall_nr;         /* the call in progress, for SA_RESTART */
    uint64_t cpu_ns;             /* time run, up to the last switch away */
    struct thread *run_next;     /* run queue */
    struct thread *all_next;     /* every thread */
};

struct fd_table {
    struct file *files[PROC_FD_MAX];
    bool cloexec[PROC_FD_MAX];
};

struct proc {
    int pid;
    enum proc_state state;
    struct proc *parent;
    struct vm_space *vm;
    struct fd_table fds;
    struct ksigaction actions[SIG_COUNT + 1];
    uint64_t sigpending;         /* process-directed signals */
    struct ksiginfo siginfo[SIG_COUNT + 1];
    char cwd[PROC_PATH_MAX];
    char name[PROC_NAME_MAX];
    unsigned umask;
    int nice;                    /* -20 (most CPU) .. 19 (least): sets the time slice */
    int threads;                 /* live threads */
    bool exiting;
    int exit_status;             /* wait status: code << 8, or the signal */
    bool vfork_done;             /* a vfork parent waits on this */
    uint64_t cpu_ns;             /* time run by its threads, up to their last switch */
    uint64_t children_cpu_ns;    /* of the children reaped by wait */
    uint64_t start_ns;           /* monotonic time of the fork that made it */
    char *cmdline;               /* proc/cmdline.c: argv at the last exec, NUL-separated, */
    size_t cmdline_len;          /* at most PROC_CMDLINE_MAX bytes (NULL, 0: none) */
    char *exe;                   /* and the path it executed (NULL: none) */
    uint64_t alarm_at;           /* ITIMER_REAL: monotonic ns deadline, 0 when off */
    uint64_t alarm_interval;     /* and its reload value in ns */
    /* Job control (proc/jobctl.c): inherited at fork, changed by setpgid, setsid,
     * TIOCSCTTY and the stop signals. */
    int pgid;                    /* process group */
    int sid;                     /* session */
    struct tty *ctty;            /* controlling terminal (the session's), NULL: none */
    bool did_exec;               /* setpgid on a child that exec'd: EACCES */
    bool stopped;                /* a stop signal stopped it; its threads park */
    int stop_sig;                /* the signal that stopped it */
    int wait_report;             /* JOB_REPORT_*: a stop or continue not yet waited for */
    struct caps caps;            /* namespace and grants: inherited, only narrowed */
    struct rlimit_k rlim[RLIMIT_NLIMITS];   /* proc/rlimit.c: inherited, kept across exec */
    uint8_t *iomap;              /* ports opened through ioport: (X86_IOMAP_BYTES, bit set =
                                    denied), NULL: none; closed at exec and by
                                    narrowing, not inherited */
    struct proc *all_next;
};

/* The thread and process running now (NULL/idle before the first switch). */
struct thread *thread_current(void);
struct proc *proc_current(void);

/* Allocate a process with an empty fd table and default signal actions. */
struct proc *proc_alloc(struct proc *parent);
/* A thread of p with a fresh kernel stack; its user frame is zeroed. */
struct thread *thread_alloc(struct proc *p);
void thread_free(struct thread *t);
void proc_free(struct proc *p);
int proc_next_id(void);
/* How many process and thread ids were handed out since boot. */
int proc_ids_used(void);
struct proc *proc_find(int pid);
struct proc *proc_first(void);
/* PID 1, to which orphans are given. */
struct proc *proc_init(void);

#endif
