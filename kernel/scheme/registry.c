/* kernel/scheme/registry.c: the list of registered schemes. */
#include "lib/errno.h"
#include "lib/string.h"
#include "scheme/scheme.h"
#include "sched/sched.h"

const char scheme_changed_chan;

/* Every scheme, in registration order (single CPU, interrupts off). */
static struct scheme *schemes;

bool scheme_name_valid(const char *name, size_t len)
{
    if (len == 0 || len > SCHEME_NAME_MAX)
        return false;
    for (size_t i = 0; i < len; i++) {
        char c = name[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-'))
            return false;
    }
    return true;
}

struct scheme *scheme_find(const char *name)
{
    for (struct scheme *s = schemes; s; s = s->next)
        if (strcmp(s->name, name) == 0)
            return s;
    return NULL;
}

struct scheme *scheme_first(void)
{
    return schemes;
}

int scheme_register(struct scheme *s)
{
    struct scheme **pp = &schemes;

    if (scheme_find(s->name))
        return -EEXIST;
    while (*pp)
        pp = &(*pp)->next;
    s->next = NULL;
    *pp = s;
    sched_wakeup(&scheme_changed_chan);
    file_poll_notify();
    return 0;
}

void scheme_unregister(struct scheme *s)
{
    for (struct scheme **pp = &schemes; *pp; pp = &(*pp)->next) {
        if (*pp == s) {
            *pp = s->next;
            break;
        }
    }
    sched_wakeup(&scheme_changed_chan);
    file_poll_notify();
}
