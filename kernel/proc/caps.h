/* kernel/proc/caps.h: a process's capabilities: its namespace (the scheme
 * names it may open or register) and its grants (physical memory, IRQ lines,
 * I/O ports, power). Inherited at fork, only ever narrowed; PID 1 has all. */
#ifndef ANVIL_PROC_CAPS_H
#define ANVIL_PROC_CAPS_H

#include <anvil/syscall.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CAPS_NAME_MAX 31   /* = ANVIL_SCHEME_NAME_MAX */

struct caps {
    bool all_names;                                   /* no namespace restriction yet */
    bool all_grants;                                  /* every grant (PID 1) */
    uint8_t name_count;
    uint8_t grant_count;
    char names[ANVIL_NS_NAMES_MAX][CAPS_NAME_MAX + 1];
    struct anvil_grant grants[ANVIL_GRANTS_MAX];
};

/* Everything (PID 1). */
void caps_init_all(struct caps *c);
bool caps_allows(const struct caps *c, const char *name);
/* True when [start, end] of kind lies inside one grant. */
bool caps_granted(const struct caps *c, uint32_t kind, uint64_t start, uint64_t end);
/* Narrow to the names in list (spaces, commas or NULs between): 0, -EPERM
 * (a name not held: nothing changes), -EINVAL, -E2BIG. */
int caps_restrict_names(struct caps *c, const char *list, size_t len);
/* Narrow to these grants: 0, -EPERM, -EINVAL. */
int caps_restrict_grants(struct caps *c, const struct anvil_grant *g, size_t n);
/* The namespace as "*\n" or "a b c\n" into buf: the length, or -ERANGE. */
long caps_format_names(const struct caps *c, char *buf, size_t size);

#endif
