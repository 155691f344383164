/* tests/guest/programs/suite.c: runs several test programs with arguments, one
 * after the other, as one `run` program (the services variant). Usage:
 * suite [-r] PROG [ARG...] [-- [-r] PROG [ARG...]]...
 * Each program's output lines are shown as "NAME: line", so their TAP counts
 * stay apart; -r passes a program's lines through as they are. The exit status
 * is 0 only when every program exited 0; a summary line per program says how
 * each ended. */
#define _GNU_SOURCE
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tap.h"

#define LINE_MAX_BYTES 1024

/* Copy the child's output from fd, prefixing each line unless raw. */
static void relay(int fd, const char *name, bool raw)
{
    FILE *in = fdopen(fd, "r");
    char line[LINE_MAX_BYTES];

    if (!in)
        return;
    while (fgets(line, sizeof(line), in)) {
        if (raw)
            fputs(line, stdout);
        else
            printf("%s: %s", name, line);
        fflush(stdout);
    }
    fclose(in);
}

/* Run argv (argv[0] a path) with stdout and stderr into the relay: its wait status. */
static int run_one(char **argv, bool raw)
{
    const char *name = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
    int p[2], status = 0;
    pid_t pid;

    if (pipe(p) < 0)
        return -1;
    if ((pid = fork()) == 0) {
        dup2(p[1], 1);
        dup2(p[1], 2);
        close(p[0]);
        close(p[1]);
        execv(argv[0], argv);
        fprintf(stderr, "cannot run: %s\n", strerror(errno));
        _exit(127);
    }
    close(p[1]);
    if (pid < 0) {
        close(p[0]);
        return -1;
    }
    relay(p[0], name, raw);
    waitpid(pid, &status, 0);
    return status;
}

int main(int argc, char **argv)
{
    int failed = 0;

    for (int i = 1; i < argc;) {
        bool raw = strcmp(argv[i], "-r") == 0;
        int start = i + raw, end = start;
        while (end < argc && strcmp(argv[end], "--") != 0)
            end++;
        if (end == start)
            break;
        argv[end < argc ? end : argc] = NULL;   /* argv[argc] is NULL already */
        int st = run_one(argv + start, raw);
        bool ok = st != -1 && WIFEXITED(st) && WEXITSTATUS(st) == 0;
        printf("suite: %s %s\n", argv[start], ok ? "passed" : "FAILED");
        fflush(stdout);
        failed += !ok;
        i = end + 1;
    }
    return failed ? 1 : 0;
}
