/* services/init/terminals.c: the run program on the terminals config.toml's
 * [console] ttys names beyond the console (vt2..vt4, served by fbcond). The
 * tty of each is read from console:NAME/tty, since fbcond makes them as
 * pseudo-terminals when it starts; a terminal that cannot be had yet (fbcond
 * not up, or restarting) is tried again later, and a program that ends is
 * started again, as getty does on Linux. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "init.h"

#define TERMINALS_MAX 8
#define TTY_PATH_MAX 64
#define RETRY_MS 1000

struct login {
    pid_t pid;
    uint64_t next_try;            /* not before this (ms) */
    bool warned;                  /* said once that the terminal is missing */
};

static struct login logins[TERMINALS_MAX];

/* console:NAME/tty's first line into path: 0, or -1. */
static int tty_of(const char *name, char *path, size_t size)
{
    char file[INIT_WORD_MAX + 16];
    int fd;
    ssize_t n;

    snprintf(file, sizeof(file), "console:%s/tty", name);
    if ((fd = open(file, O_RDONLY)) < 0)
        return -1;
    n = read(fd, path, size - 1);
    close(fd);
    if (n <= 0)
        return -1;
    path[n] = '\0';
    path[strcspn(path, "\n")] = '\0';
    return path[0] == '/' ? 0 : -1;
}

/* In the child: the tty as fd 0, 1 and 2, then the run program. */
static void exec_on(const struct table *t, const char *tty)
{
    int fd;

    setsid();   /* first, so the open makes the tty ours */
    if ((fd = open(tty, O_RDWR)) < 0) {
        fprintf(stderr, "init: cannot open %s: %s\n", tty, strerror(errno));
        _exit(127);
    }
    for (int i = 0; i < 3; i++)
        dup2(fd, i);
    if (fd > 2)
        close(fd);
    exec_run(t);
}

static void start(const struct table *t, int i)
{
    const char *name = t->terminals.w[i];
    struct login *l = &logins[i];
    char tty[TTY_PATH_MAX];

    l->next_try = now_ms() + RETRY_MS;
    if (tty_of(name, tty, sizeof(tty)) < 0) {
        if (!l->warned)
            printf("init: no terminal %s yet (console:%s/tty); trying again\n", name, name);
        l->warned = true;
        return;
    }
    l->warned = false;
    if ((l->pid = fork()) == 0)
        exec_on(t, tty);
    if (l->pid < 0)
        l->pid = 0;
}

void terminals_tick(const struct table *t)
{
    for (int i = 0; i < t->terminals.n && i < TERMINALS_MAX; i++)
        if (logins[i].pid == 0 && now_ms() >= logins[i].next_try)
            start(t, i);
}

bool terminals_exited(pid_t pid)
{
    for (int i = 0; i < TERMINALS_MAX; i++) {
        if (logins[i].pid == pid && pid > 0) {
            logins[i].pid = 0;
            return true;
        }
    }
    return false;
}

void terminals_hangup(void)
{
    for (int i = 0; i < TERMINALS_MAX; i++) {
        if (logins[i].pid > 0) {
            kill(-logins[i].pid, SIGHUP);
            kill(logins[i].pid, SIGKILL);
        }
    }
}
