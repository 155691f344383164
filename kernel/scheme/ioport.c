/* kernel/scheme/ioport.c: the ioport: scheme (placeholder until it is built:
 * checks the grant, then says EOPNOTSUPP). */
#include <anvil/syscall.h>

#include "lib/errno.h"
#include "scheme/grantcheck.h"
#include "scheme/kschemes.h"

static int ioport_open(struct scheme *s, const char *path, unsigned flags, unsigned mode,
                     struct file **out)
{
    uint64_t start, end;
    int err;

    (void)s, (void)flags, (void)mode, (void)out;
    if ((err = grant_parse_range(path, &start, &end)) < 0)
        return err;
    if ((err = grant_check(ANVIL_GRANT_IOPORT, start, end)) < 0)
        return err;
    return -EOPNOTSUPP;
}

static const struct scheme_ops ioport_ops = {.open = ioport_open};
static struct scheme ioport_scheme = {.name = "ioport", .ops = &ioport_ops};

void kscheme_ioport_init(void)
{
    scheme_register(&ioport_scheme);
}
