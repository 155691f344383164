/* services/netd/waiters.h: requests a handle holds (SVC_DEFER) until
 * lwIP's callbacks can answer them: a blocking read, write, accept, poll. */
#ifndef ANVIL_NETD_WAITERS_H
#define ANVIL_NETD_WAITERS_H

#include <anvil/scheme.h>

#define WAITERS_MAX 8          /* held requests of one handle */

struct waiters {
    struct anvil_packet p[WAITERS_MAX];
    int n;
};

/* Hold p: SVC_DEFER, or -EAGAIN when w is full of requests other than POLL
 * (a full list first answers its oldest POLL "nothing": a poller that
 * returned for another fd never says so). */
long waiters_hold(int server_fd, struct waiters *w, const struct anvil_packet *p);
/* Ask again(arg, p) for each: its answer goes out, SVC_DEFER keeps it. */
void waiters_wake(int server_fd, struct waiters *w, long (*again)(void *arg, const struct anvil_packet *p),
                  void *arg);
/* Answer all: a POLL with "nothing", the others with result. */
void waiters_drop(int server_fd, struct waiters *w, long result);

#endif
