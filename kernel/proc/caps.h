/* kernel/proc/caps.h: a process's capabilities: its namespace (the scheme
 * names it may open or register), its provides set (the reserved names it may
 * register), its grants (physical memory, IRQ lines, I/O ports, power,
 * signalling anyone) and its user id. Inherited at fork, only ever narrowed.
 * PID 1 starts with every name and the grants the boot command line lists
 * (grants=..., written by mkimage from config.toml); see docs/security.md. */
#ifndef ANVIL_PROC_CAPS_H
#define ANVIL_PROC_CAPS_H

#include <anvil/syscall.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CAPS_NAME_MAX 31   /* = ANVIL_SCHEME_NAME_MAX */
#define CAPS_ROOT_UID 0
#define CAPS_GRANTS_OPTION "grants"   /* the command-line word with PID 1's grants */

struct proc;

struct caps {
    bool all_names;                                   /* no namespace restriction yet */
    bool all_provides;                                /* may register any reserved name */
    uint8_t name_count;
    uint8_t grant_count;
    uint8_t provide_count;
    uint32_t uid;                                     /* 0 (root) for everyone today */
    char names[ANVIL_NS_NAMES_MAX][CAPS_NAME_MAX + 1];
    char provides[ANVIL_PROVIDES_MAX][CAPS_NAME_MAX + 1];
    struct anvil_grant grants[ANVIL_GRANTS_MAX];
};

/* PID 1's: every name, every provided name, and the grants in cmdline's
 * grants=KIND[:RANGE],... word (none without it; a bad word is logged and
 * gives none). */
void caps_init_first(struct caps *c, const char *cmdline);
bool caps_allows(const struct caps *c, const char *name);
/* May c register a reserved name? */
bool caps_provides(const struct caps *c, const char *name);
/* True when [start, end] of kind lies inside one grant. */
bool caps_granted(const struct caps *c, uint32_t kind, uint64_t start, uint64_t end);
/* Narrow to the names in list (spaces, commas or NULs between): 0, -EPERM
 * (a name not held: nothing changes), -EINVAL, -E2BIG. */
int caps_restrict_names(struct caps *c, const char *list, size_t len);
/* The same for the provides set. */
int caps_restrict_provides(struct caps *c, const char *list, size_t len);
/* Narrow to these grants: 0, -EPERM, -EINVAL. */
int caps_restrict_grants(struct caps *c, const struct anvil_grant *g, size_t n);
/* Split list into at most max names (out): their count, -EINVAL or -E2BIG.
 * *star: the list held "*". */
int caps_split_names(const char *list, size_t len, char out[][CAPS_NAME_MAX + 1], size_t max,
                     bool *star);
/* A number at *p (0x hex or decimal) into *out, advancing *p: false if
 * there is none or it overflows (grant ranges here and in scheme paths). */
bool caps_parse_number(const char **p, uint64_t *out);
/* The namespace as "*\n" or "a b c\n" into buf: the length, or -ERANGE. */
long caps_format_names(const struct caps *c, char *buf, size_t size);
/* May from send sig to to? 0, -EPERM, or 1: allowed, but the signal is
 * dropped (PID 1 without a handler for it, as Linux does). */
int caps_may_signal(const struct proc *from, const struct proc *to, int sig);

#endif
