/* kernel/proc/init.c: PID 1: a process with the console on fds 0..2 and
 * the named program loaded; the scheduler starts it. */
#include "fs/console.h"
#include "fs/fdtable.h"
#include "fs/path.h"
#include "lib/errno.h"
#include "lib/kprintf.h"
#include "proc/exec.h"
#include "proc/init.h"
#include "proc/proc.h"
#include "sched/sched.h"

static int attach_console(struct proc *p)
{
    for (int fd = 0; fd < 3; fd++) {
        struct file *f = console_file_open(O_RDWR);
        if (!f)
            return -ENOMEM;
        fd_install_at(p, f, fd, false);
    }
    return 0;
}

int proc_start_init(const char *const *argv, int argc)
{
    struct exec_args args;
    char path[PATH_MAX_LEN];
    struct proc *p;
    struct thread *t;
    int err;

    if ((err = path_resolve("/", argv[0], path)) < 0 ||
        (err = exec_args_from_kernel(&args, argv, argc)) < 0)
        goto fail;
    err = -ENOMEM;
    p = proc_alloc(NULL);
    t = p ? thread_alloc(p) : NULL;
    if (t && (err = attach_console(p)) == 0) {
        p->pid = t->tid = proc_next_id();
        p->pgid = p->sid = p->pid;   /* its own session, without a terminal */
        p->vfork_done = true;
        err = proc_exec(p, t, path, &args);
    }
    exec_args_free(&args);
    if (err)
        goto fail;
    sched_register(t);
    sched_add(t);
    return 0;
fail:
    kprintf("init: cannot start %s: error %d\n", argv[0], -err);
    return err;
}
