/* services/init/control.c: the init: scheme. init:services reads one line per
 * service, "NAME STATE PID RESTARTS"; writing "start NAME", "stop NAME" or
 * "restart NAME" to init:control acts on it (ENOENT: no such service;
 * ENODEV: a driver without a device). pcid writes "device LINE" (drivers.c). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "init.h"
#include "svc.h"

#define HANDLES_MAX 16
#define SNAPSHOT_MAX 4096
#define COMMAND_MAX 128
#define DEVICE_VERB "device "   /* pcid: "device " and a pci: line */

enum ctl_kind { CTL_NONE, CTL_SERVICES, CTL_CONTROL };

struct ctl_handle {
    enum ctl_kind kind;
    char text[SNAPSHOT_MAX];
    size_t len;
};

/* Init's state (one thread). */
static struct ctl_handle handles[HANDLES_MAX];
static struct table *table;

static void snapshot(struct ctl_handle *h)
{
    h->len = 0;
    for (int i = 0; i < table->count && h->len < SNAPSHOT_MAX; i++) {
        const struct service *s = &table->svc[i];
        int n = snprintf(h->text + h->len, SNAPSHOT_MAX - h->len, "%s %s %d %d\n", s->name,
                         service_state_name(s->state), (int)s->pid, s->restarts);
        if (n < 0 || (size_t)n >= SNAPSHOT_MAX - h->len)
            break;
        h->len += (size_t)n;
    }
}

static long ctl_open(struct svc_ctx *c, const char *path, int flags, unsigned mode)
{
    enum ctl_kind kind = strcmp(path, "services") == 0 ? CTL_SERVICES
                         : strcmp(path, "control") == 0 ? CTL_CONTROL : CTL_NONE;

    (void)c, (void)flags, (void)mode;
    if (kind == CTL_NONE)
        return -ENOENT;
    for (int i = 0; i < HANDLES_MAX; i++) {
        if (handles[i].kind == CTL_NONE) {
            handles[i].kind = kind;
            if (kind == CTL_SERVICES)
                snapshot(&handles[i]);
            return i;
        }
    }
    return -EMFILE;
}

static struct ctl_handle *get(uint64_t h)
{
    return h < HANDLES_MAX && handles[h].kind != CTL_NONE ? &handles[h] : NULL;
}

static long ctl_read(struct svc_ctx *c, uint64_t hn, void *buf, size_t len, uint64_t off)
{
    struct ctl_handle *h = get(hn);

    (void)c;
    if (!h || h->kind != CTL_SERVICES)
        return -EBADF;
    if (off >= h->len)
        return 0;
    if (len > h->len - off)
        len = h->len - off;
    memcpy(buf, h->text + off, len);
    return (long)len;
}

static long command(const char *verb, const char *name)
{
    struct service *s = service_find(table, name);

    if (!s)
        return -ENOENT;
    if (s->driver && !s->bound && strcmp(verb, "stop") != 0)
        return -ENODEV;   /* pcid has not found its device */
    if (strcmp(verb, "stop") == 0) {
        supervise_stop(s);
    } else if (strcmp(verb, "start") == 0) {
        if (s->pid > 0)
            return -EBUSY;
        memset(s->recent, 0, sizeof(s->recent));
        s->backoff_ms = 0;
        return supervise_start(s) < 0 ? -EAGAIN : 0;
    } else if (strcmp(verb, "restart") == 0) {
        memset(s->recent, 0, sizeof(s->recent));
        if (s->pid > 0) {
            supervise_stop(s);
            s->stop_requested = false;   /* its exit schedules the restart */
        } else {
            return supervise_start(s) < 0 ? -EAGAIN : 0;
        }
    } else {
        return -EINVAL;
    }
    return 0;
}

static long device(struct svc_ctx *c, const char *buf, size_t len)
{
    char line[PCIDEV_LINE_MAX];
    size_t skip = strlen(DEVICE_VERB);
    long r;

    if (len - skip >= sizeof(line))
        return -EINVAL;
    memcpy(line, buf + skip, len - skip);
    line[len - skip] = '\0';
    line[strcspn(line, "\n")] = '\0';
    r = drivers_device(table, (pid_t)c->pid, line);
    return r < 0 ? r : (long)len;
}

static long ctl_write(struct svc_ctx *c, uint64_t hn, const void *buf, size_t len, uint64_t off)
{
    struct ctl_handle *h = get(hn);
    char line[COMMAND_MAX], verb[COMMAND_MAX], name[COMMAND_MAX];
    long r;

    (void)c, (void)off;
    if (!h || h->kind != CTL_CONTROL)
        return -EBADF;
    if (len > strlen(DEVICE_VERB) && !memcmp(buf, DEVICE_VERB, strlen(DEVICE_VERB)))
        return device(c, buf, len);
    if (len >= sizeof(line))
        return -EINVAL;
    memcpy(line, buf, len);
    line[len] = '\0';
    if (sscanf(line, "%127s %127s", verb, name) != 2)
        return -EINVAL;
    r = command(verb, name);
    return r < 0 ? r : (long)len;
}

static long ctl_fstat(struct svc_ctx *c, uint64_t hn, struct anvil_stat *st)
{
    struct ctl_handle *h = get(hn);

    (void)c;
    if (!h)
        return -EBADF;
    st->mode = S_IFREG | (h->kind == CTL_SERVICES ? 0444 : 0200);
    st->size = h->len;
    st->ino = hn + 1;
    return 0;
}

static long ctl_close(struct svc_ctx *c, uint64_t hn)
{
    struct ctl_handle *h = get(hn);

    (void)c;
    if (!h)
        return -EBADF;
    h->kind = CTL_NONE;
    return 0;
}

static const struct scheme_ops ctl_ops = {
    .open = ctl_open, .read = ctl_read, .write = ctl_write, .fstat = ctl_fstat, .close = ctl_close,
};

int control_register(void)
{
    int fd = svc_register("init");

    if (fd >= 0)
        fcntl(fd, F_SETFL, O_NONBLOCK);
    return fd;
}

void control_serve(int fd, struct table *t)
{
    table = t;
    svc_serve_once(fd, &ctl_ops);
}
