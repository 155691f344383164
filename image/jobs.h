/* image/jobs.h: runs a build's commands (compiles, links) in parallel, each one
 * skipped when the cache already holds what it would make. */
#ifndef ANVIL_IMAGE_JOBS_H
#define ANVIL_IMAGE_JOBS_H

#include <stddef.h>

#include "sha256.h"
#include "util.h"

struct job {
    char *what;             /* progress label: "CC kernel/main.c" */
    char *owner;            /* named when it fails: "kernel", "package hello" */
    struct argv argv;
    char *output;
    char key[SHA256_HEX_SIZE];  /* cache address of output; "" = do not cache */
};

struct job_list {
    struct job *v;
    size_t len;
    size_t compiled;        /* after jobs_run: how many ran */
    size_t cached;          /* and how many came from the cache */
};

/* Add a job; returns it so the caller can fill argv and key. */
struct job *jobs_add(struct job_list *l, const char *owner, const char *what,
                     const char *output);
/* Run them all, at most parallel at a time; stops starting new ones after a
 * failure. Returns 0, or -1 after naming every job that failed. */
int jobs_run(struct job_list *l, int parallel);
void jobs_free(struct job_list *l);
/* The default parallelism: the number of online CPUs. */
int jobs_default_parallel(void);

#endif
