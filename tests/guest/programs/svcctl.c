/* tests/guest/programs/svcctl.c: the svc tool against init, as a user runs it:
 * svc list shows the services, svc restart NAME gives a service a new process,
 * and a name init does not know, or a bad command line, fails. Needs the
 * services variant (echod under init); not run by all. */
#define _GNU_SOURCE
#include <stdlib.h>

#include "tap.h"
#include "util.h"

#define SVC "/bin/svc"
#define OUT_MAX 4096
#define RESTART_POLLS 500            /* of RESTART_POLL_MS each: 25 s at most */
#define RESTART_POLL_MS 50
#define USAGE_EXIT 2

/* Run svc with args, its stdout and stderr into out: its wait status, or -1. */
static int svc(char *out, size_t size, const char *a1, const char *a2)
{
    char *const argv[] = { SVC, (char *)a1, (char *)a2, NULL };
    int p[2], status = -1;
    pid_t pid;

    out[0] = '\0';
    if (pipe(p) != 0)
        return -1;
    pid = fork();
    if (pid == 0) {
        dup2(p[1], 1);
        dup2(p[1], 2);
        close(p[0]);
        close(p[1]);
        execv(SVC, argv);
        _exit(127);
    }
    close(p[1]);
    out[read_full(p[0], out, size - 1)] = '\0';
    close(p[0]);
    if (pid < 0 || wait_child(pid, &status) < 0)
        return -1;
    return status;
}

/* The pid svc list gives for a running service NAME, or -1. */
static int listed_pid(const char *name)
{
    char out[OUT_MAX], want[64];
    int pid = -1;

    if (!exited_with(svc(out, sizeof out, "list", NULL), 0))
        return -1;
    for (char *line = strtok(out, "\n"); line; line = strtok(NULL, "\n")) {
        char state[32];
        snprintf(want, sizeof want, "%s %%31s %%d", name);
        if (sscanf(line, want, state, &pid) == 2 && strcmp(state, "ready") == 0 && pid > 0)
            return pid;
    }
    return -1;
}

int main(void)
{
    char out[OUT_MAX];
    int before, after = -1, st;

    st = svc(out, sizeof out, "list", NULL);
    tap_ok(exited_with(st, 0), "svc list exits 0");
    for (char *line = strtok(out, "\n"); line; line = strtok(NULL, "\n"))
        tap_diag("svc list: %s", line);
    before = listed_pid("echod");
    tap_ok(before > 0, "svc list shows echod ready with its pid (%d)", before);
    st = svc(out, sizeof out, "restart", "echod");
    if (!tap_ok(exited_with(st, 0), "svc restart echod exits 0"))
        tap_diag("svc said: %s", out);
    for (int i = 0; i < RESTART_POLLS && (after <= 0 || after == before); i++) {
        sleep_ms(RESTART_POLL_MS);
        after = listed_pid("echod");
    }
    tap_ok(after > 0 && after != before, "echod is ready again in a new process (%d -> %d)",
           before, after);
    st = svc(out, sizeof out, "restart", "nosuch");
    tap_ok(!exited_with(st, 0) && strstr(out, "nosuch") != NULL,
           "svc restart of an unknown service fails and names it");
    st = svc(out, sizeof out, "frobnicate", NULL);
    tap_ok(exited_with(st, USAGE_EXIT) && strstr(out, "usage:") != NULL,
           "a bad command line prints the usage and exits 2");
    return tap_done();
}
