/* kernel/proc/exec.h: replacing a process's program (execve, and PID 1). */
#ifndef ANVIL_PROC_EXEC_H
#define ANVIL_PROC_EXEC_H

#include <stddef.h>
#include <stdint.h>

#include "proc/proc.h"

#define EXEC_ARGS_MAX (128 * 1024)   /* like Linux's ARG_MAX */
#define EXEC_ARGV_MAX 4096

/* argv and envp strings packed one after another, copied into the kernel
 * before the old image goes away. */
struct exec_args {
    char *buf;
    size_t len;
    int argc, envc;
};

/* From user arrays of string pointers (NULL envp: empty): 0, -EFAULT, -E2BIG, -ENOMEM. */
int exec_args_from_user(struct exec_args *a, uintptr_t uargv, uintptr_t uenvp);
/* From kernel strings (PID 1). */
int exec_args_from_kernel(struct exec_args *a, const char *const *argv, int argc);
void exec_args_free(struct exec_args *a);

/* Load the program at path (routed like open for p: any scheme in its
 * namespace, relative to its working directory; a #! script runs its
 * interpreter, proc/execfile.c) into p (its only thread t); on success p runs
 * it when t returns to user mode. On error nothing changed: -ENOENT,
 * -EACCES, -ENOEXEC, -ELOOP, -ENOMEM, -E2BIG, or the scheme's error. */
int proc_exec(struct proc *p, struct thread *t, const char *path, const struct exec_args *a);

/* The FPU state a new program starts with (saved once at boot). */
void exec_init_fpu(void);

#endif
