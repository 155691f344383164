/* kernel/scheme/memory.c: the memory: scheme (placeholder until it is built:
 * checks the grant, then says EOPNOTSUPP). */
#include <anvil/syscall.h>

#include "lib/errno.h"
#include "scheme/grantcheck.h"
#include "scheme/kschemes.h"

static int memory_open(struct scheme *s, const char *path, unsigned flags, unsigned mode,
                     struct file **out)
{
    uint64_t start, end;
    int err;

    (void)s, (void)flags, (void)mode, (void)out;
    if ((err = grant_parse_range(path, &start, &end)) < 0)
        return err;
    if ((err = grant_check(ANVIL_GRANT_MEMORY, start, end)) < 0)
        return err;
    return -EOPNOTSUPP;
}

static const struct scheme_ops memory_ops = {.open = memory_open};
static struct scheme memory_scheme = {.name = "memory", .ops = &memory_ops};

void kscheme_memory_init(void)
{
    scheme_register(&memory_scheme);
}
