/* kernel/scheme/irq.c: the irq: scheme (placeholder until it is built:
 * checks the grant, then says EOPNOTSUPP). */
#include <anvil/syscall.h>

#include "lib/errno.h"
#include "scheme/grantcheck.h"
#include "scheme/kschemes.h"

static int irq_open(struct scheme *s, const char *path, unsigned flags, unsigned mode,
                     struct file **out)
{
    uint64_t start, end;
    int err;

    (void)s, (void)flags, (void)mode, (void)out;
    if ((err = grant_parse_range(path, &start, &end)) < 0)
        return err;
    if ((err = grant_check(ANVIL_GRANT_IRQ, start, end)) < 0)
        return err;
    return -EOPNOTSUPP;
}

static const struct scheme_ops irq_ops = {.open = irq_open};
static struct scheme irq_scheme = {.name = "irq", .ops = &irq_ops};

void kscheme_irq_init(void)
{
    scheme_register(&irq_scheme);
}
