/* image/jobs.c: runs a build's commands (compiles, links) in parallel, each one
 * skipped when the cache already holds what it would make. */
#define _GNU_SOURCE
#include "jobs.h"

#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cache.h"

struct job *jobs_add(struct job_list *l, const char *owner, const char *what,
                     const char *output)
{
    struct job *j;

    l->v = xrealloc(l->v, (l->len + 1) * sizeof *l->v);
    j = &l->v[l->len++];
    memset(j, 0, sizeof *j);
    j->owner = xstrdup(owner);
    j->what = xstrdup(what);
    j->output = xstrdup(output);
    return j;
}

void jobs_free(struct job_list *l)
{
    for (size_t i = 0; i < l->len; i++) {
        free(l->v[i].what);
        free(l->v[i].owner);
        free(l->v[i].output);
        argv_free(&l->v[i].argv);
    }
    free(l->v);
    memset(l, 0, sizeof *l);
}

int jobs_default_parallel(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);

    return n > 0 ? (int)n : 1;
}

static pid_t start(struct job *j)
{
    pid_t pid;

    util_info("  %s", j->what);
    if (util_verbosity >= 2)
        util_print_command(j->argv.v);
    pid = fork();
    if (pid == 0) {
        execvp(j->argv.v[0], j->argv.v);
        util_err("cannot run %s", j->argv.v[0]);
        _exit(127);
    }
    return pid;
}

/* Wait for one running job: 1 when one of ours ended (a failure sets *failed),
 * 0 for a stranger, -1 when there is nothing left to wait for. */
static int reap(struct job_list *l, const pid_t *pids, int *failed)
{
    int st;
    pid_t pid = wait(&st);

    if (pid < 0)
        return -1;
    for (size_t i = 0; i < l->len; i++) {
        if (pids[i] != pid)
            continue;
        if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
            util_err("%s: %s failed", l->v[i].owner, l->v[i].what);
            *failed = 1;
        } else if (l->v[i].key[0]) {
            cache_store(l->v[i].key, l->v[i].output);
        }
        return 1;
    }
    return 0;
}

int jobs_run(struct job_list *l, int parallel)
{
    pid_t *pids = xcalloc(l->len, sizeof *pids);
    size_t next = 0, running = 0;
    int failed = 0;

    l->compiled = l->cached = 0;
    while ((next < l->len && !failed) || running > 0) {
        if (next < l->len && !failed && running < (size_t)parallel) {
            struct job *j = &l->v[next++];
            if (j->key[0] && cache_fetch(j->key, j->output)) {
                l->cached++;
                continue;
            }
            pids[next - 1] = start(j);
            l->compiled++;
            if (pids[next - 1] < 0) {
                util_err("%s: cannot start %s", j->owner, j->what);
                failed = 1;
            } else {
                running++;
            }
            continue;
        }
        int r = reap(l, pids, &failed);
        if (r < 0)
            break;
        running -= (size_t)r;
    }
    free(pids);
    return failed ? -1 : 0;
}
