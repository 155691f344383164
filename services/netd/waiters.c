/* services/netd/waiters.c: a handle's held requests. */
#include <errno.h>
#include <string.h>

#include "svc.h"
#include "waiters.h"

long waiters_hold(int server_fd, struct waiters *w, const struct anvil_packet *p)
{
    if (w->n == WAITERS_MAX) {
        int i = 0;
        while (i < w->n && w->p[i].op != ANVIL_OP_POLL)
            i++;
        if (i == w->n)
            return -EAGAIN;
        svc_reply(server_fd, &w->p[i], 0);
        memmove(&w->p[i], &w->p[i + 1], (size_t)(w->n - i - 1) * sizeof(w->p[0]));
        w->n--;
    }
    w->p[w->n++] = *p;
    return SVC_DEFER;
}

void waiters_wake(int server_fd, struct waiters *w, long (*again)(void *arg, const struct anvil_packet *p),
                  void *arg)
{
    int kept = 0;

    for (int i = 0; i < w->n; i++) {
        long r = again(arg, &w->p[i]);
        if (r == SVC_DEFER)
            w->p[kept++] = w->p[i];
        else
            svc_reply(server_fd, &w->p[i], r);
    }
    w->n = kept;
}

void waiters_drop(int server_fd, struct waiters *w, long result)
{
    for (int i = 0; i < w->n; i++)
        svc_reply(server_fd, &w->p[i], w->p[i].op == ANVIL_OP_POLL ? 0 : result);
    w->n = 0;
}
