/* kernel/scheme/registry.c: the list of registered schemes, and the names
 * reserved for services (registry.h). */
#include <anvil/syscall.h>

#include "lib/errno.h"
#include "lib/string.h"
#include "scheme/registry.h"
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
        bool dot = c == '.' && i > 0;   /* disk.virtio: a family and a member, as Redox names them */
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || dot))
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

/* Reserved names (single CPU, interrupts off; never removed). */
static char reserved[ANVIL_RESERVED_MAX][SCHEME_NAME_MAX + 1];
static unsigned reserved_count;

bool scheme_reserved(const char *name)
{
    for (unsigned i = 0; i < reserved_count; i++)
        if (strcmp(reserved[i], name) == 0)
            return true;
    return false;
}

int scheme_reserve(const char (*names)[SCHEME_NAME_MAX + 1], size_t n)
{
    size_t fresh = 0;

    for (size_t i = 0; i < n; i++)
        fresh += !scheme_reserved(names[i]);
    if (fresh > ANVIL_RESERVED_MAX - reserved_count)
        return -ENOSPC;
    for (size_t i = 0; i < n; i++)
        if (!scheme_reserved(names[i]))
            strlcpy(reserved[reserved_count++], names[i], sizeof(reserved[0]));
    return 0;
}
