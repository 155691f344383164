/* kernel/proc/signal_types.h: signal numbers and the kernel's records of
 * actions and pending signal information (Linux x86_64 values). */
#ifndef ANVIL_PROC_SIGNAL_TYPES_H
#define ANVIL_PROC_SIGNAL_TYPES_H

#include <stdint.h>

#define SIG_COUNT 64
#define SIGHUP 1
#define SIGINT 2
#define SIGQUIT 3
#define SIGILL 4
#define SIGTRAP 5
#define SIGABRT 6
#define SIGBUS 7
#define SIGFPE 8
#define SIGKILL 9
#define SIGUSR1 10
#define SIGSEGV 11
#define SIGUSR2 12
#define SIGPIPE 13
#define SIGALRM 14
#define SIGTERM 15
#define SIGCHLD 17
#define SIGCONT 18
#define SIGSTOP 19
#define SIGTSTP 20
#define SIGTTIN 21
#define SIGTTOU 22
#define SIGURG 23
#define SIGWINCH 28

#define SIG_DFL_HANDLER 0
#define SIG_IGN_HANDLER 1
#define SA_NOCLDSTOP 0x1u
#define SA_SIGINFO 0x4u
#define SA_ONSTACK 0x08000000u
#define SA_RESTART 0x10000000u
#define SA_NODEFER 0x40000000u
#define SA_RESETHAND 0x80000000u
#define SA_RESTORER 0x04000000u

#define SIG_BIT(s) (1ull << ((s) - 1))
#define SIG_STOP_SET (SIG_BIT(SIGSTOP) | SIG_BIT(SIGTSTP) | SIG_BIT(SIGTTIN) | SIG_BIT(SIGTTOU))

/* si_code of SIGCHLD (Linux uapi/asm-generic/siginfo.h). */
#define CLD_EXITED 1
#define CLD_KILLED 2
#define CLD_STOPPED 5
#define CLD_CONTINUED 6

struct ksigaction {
    uintptr_t handler;
    uint64_t flags;
    uintptr_t restorer;
    uint64_t mask;
};

struct ksiginfo {
    int code;
    int pid;
    uintptr_t addr;
    int status;      /* SIGCHLD: the exit code or signal (si_status) */
};

#endif
