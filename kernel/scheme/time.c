/* kernel/scheme/time.c: the time: scheme: time:monotonic (since boot) and
 * time:realtime (since the epoch) read as "SECONDS.NANOSECONDS\n". */
#include "lib/errno.h"
#include "lib/string.h"
#include "sched/clock.h"
#include "scheme/kschemes.h"
#include "scheme/textfile.h"

#define NS_PER_S 1000000000ul

static int time_open(struct scheme *s, const char *path, unsigned flags, unsigned mode,
                     struct file **out)
{
    struct textbuf tb = {0};
    uint64_t ns;

    (void)s, (void)mode;
    if (strcmp(path, "monotonic") == 0)
        ns = clock_monotonic_ns();
    else if (strcmp(path, "realtime") == 0)
        ns = (uint64_t)clock_realtime_ns();
    else if (!path[0]) {
        textbuf_printf(&tb, "monotonic\nrealtime\n");
        return textfile_open(&tb, flags, S_IFDIR, out);
    } else
        return -ENOENT;
    textbuf_printf(&tb, "%lu.%09lu\n", ns / NS_PER_S, ns % NS_PER_S);
    return textfile_open(&tb, flags, S_IFREG, out);
}

static const struct scheme_ops time_ops = {.open = time_open};
static struct scheme time_scheme = {.name = "time", .ops = &time_ops};

void kscheme_time_init(void)
{
    scheme_register(&time_scheme);
}
