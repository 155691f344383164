/* services/pcid/main.c: the pci: scheme. At start pcid walks PCI through
 * ECAM or the legacy configuration ports (confspace.h) and keeps what it found. `pci:` reads the
 * device list (pcidev.h's lines); `pci:BB:DD.F/config` reads that function's
 * 256 configuration bytes, and takes writes only to the command register's
 * decode, bus-master and INTx-disable bits and to the MSI capability
 * (msicap.h): a driver may turn its device on and point its interrupts at a
 * CPU, never move a BAR. Before serving, pcid reports each function to init,
 * which starts the drivers config.toml's [drivers] match with it. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "confspace.h"
#include "enumerate.h"
#include "msicap.h"
#include "svc.h"

#define HANDLES_MAX 32
#define LIST_MAX (PCI_FUNCS_MAX * PCIDEV_LINE_MAX)
#define CONF_SIZE 256
#define PCI_COMMAND 0x04
#define PCI_COMMAND_DRIVER_BITS 0x0407   /* I/O, memory, bus master, INTx disable */
#define INIT_CONTROL "init:control"
#define DEVICE_VERB "device "

enum handle_kind { HANDLE_FREE, HANDLE_LIST, HANDLE_CONFIG };

struct pci_handle {
    int kind;                 /* enum handle_kind */
    size_t dev;               /* HANDLE_CONFIG: index in devs */
};

static struct pcidev devs[PCI_FUNCS_MAX];
static size_t dev_count;
static char list[LIST_MAX];   /* the device list, made once at start */
static size_t list_len;
static struct pci_handle handles[HANDLES_MAX];

static struct pci_handle *get(uint64_t h)
{
    return h < HANDLES_MAX && handles[h].kind != HANDLE_FREE ? &handles[h] : NULL;
}

/* "BB:DD.F/config" into a device index: 0, -ENOENT. */
static int find_config(const char *path, size_t *dev)
{
    unsigned bus, d, fn;
    int used = 0;

    if (sscanf(path, "%2x:%2x.%1x/config%n", &bus, &d, &fn, &used) != 3 || path[used])
        return -ENOENT;
    for (size_t i = 0; i < dev_count; i++) {
        if (devs[i].bus == bus && devs[i].dev == d && devs[i].fn == fn) {
            *dev = i;
            return 0;
        }
    }
    return -ENOENT;
}

static long pci_open(struct svc_ctx *c, const char *path, int flags, unsigned mode)
{
    struct pci_handle want = {HANDLE_LIST, 0};
    int err;

    (void)c, (void)mode;
    if (flags & O_CREAT)
        return -EROFS;
    if (path[0]) {
        if ((err = find_config(path, &want.dev)) < 0)
            return err;
        want.kind = HANDLE_CONFIG;
    } else if ((flags & O_ACCMODE) != O_RDONLY) {
        return -EISDIR;
    }
    for (int h = 0; h < HANDLES_MAX; h++) {
        if (handles[h].kind == HANDLE_FREE) {
            handles[h] = want;
            return h;
        }
    }
    return -EMFILE;
}

static long config_read(const struct pcidev *d, uint8_t *buf, size_t len, uint64_t off)
{
    struct pci_addr a = {d->bus, d->dev, d->fn};
    size_t n = 0;

    for (; n < len && off + n < CONF_SIZE; n++) {
        uint64_t at = off + n;
        buf[n] = (uint8_t)(conf_read32(a, (uint8_t)(at & ~3u)) >> (8 * (at & 3)));
    }
    return (long)n;
}

static long pci_read(struct svc_ctx *c, uint64_t h, void *buf, size_t len, uint64_t off)
{
    struct pci_handle *p = get(h);

    (void)c;
    if (!p)
        return -EBADF;
    if (p->kind == HANDLE_CONFIG)
        return config_read(&devs[p->dev], buf, len, off);
    if (off >= list_len)
        return 0;
    if (len > list_len - off)
        len = list_len - off;
    memcpy(buf, list + off, len);
    return (long)len;
}

static long pci_write(struct svc_ctx *c, uint64_t h, const void *buf, size_t len, uint64_t off)
{
    struct pci_handle *p = get(h);
    uint16_t v, cmd;

    (void)c;
    if (!p)
        return -EBADF;
    if (p->kind != HANDLE_CONFIG || off >= CONF_SIZE)
        return -EPERM;
    struct pci_addr a = {devs[p->dev].bus, devs[p->dev].dev, devs[p->dev].fn};
    if (off != PCI_COMMAND || len != sizeof(v))
        return msicap_write(a, (size_t)off, buf, len);
    memcpy(&v, buf, sizeof(v));
    cmd = conf_read16(a, PCI_COMMAND);
    cmd = (uint16_t)((cmd & ~PCI_COMMAND_DRIVER_BITS) | (v & PCI_COMMAND_DRIVER_BITS));
    conf_write16(a, PCI_COMMAND, cmd);
    return (long)len;
}

static long pci_fstat(struct svc_ctx *c, uint64_t h, struct anvil_stat *st)
{
    struct pci_handle *p = get(h);

    (void)c;
    if (!p)
        return -EBADF;
    st->mode = p->kind == HANDLE_LIST ? S_IFREG | 0444 : S_IFREG | 0644;
    st->size = p->kind == HANDLE_LIST ? list_len : CONF_SIZE;
    st->ino = h + 1;
    return 0;
}

static long pci_close(struct svc_ctx *c, uint64_t h)
{
    struct pci_handle *p = get(h);

    (void)c;
    if (!p)
        return -EBADF;
    p->kind = HANDLE_FREE;
    return 0;
}

/* Tell init every function found, before pci: exists: it starts the
 * [drivers] they match, each with that device's grants (docs/drivers.md). */
static void report_devices(void)
{
    char line[sizeof(DEVICE_VERB) + PCIDEV_LINE_MAX];
    int fd = open(INIT_CONTROL, O_WRONLY | O_CLOEXEC), bound = 0;

    if (fd < 0) {
        svc_log("pcid: cannot tell init the devices: %s", strerror(errno));
        return;
    }
    for (size_t i = 0; i < dev_count; i++) {
        size_t n = strlen(DEVICE_VERB);
        memcpy(line, DEVICE_VERB, n);
        n += pcidev_format(&devs[i], line + n, sizeof(line) - n);
        if (write(fd, line, n) == (ssize_t)n)
            bound++;
        else if (errno != ENODEV)   /* ENODEV: no driver for it */
            svc_log("pcid: init refuses %.7s: %s", line + strlen(DEVICE_VERB), strerror(errno));
    }
    close(fd);
    svc_log("pcid: %d devices have drivers", bound);
}

static const struct scheme_ops pci_ops = {
    .open = pci_open, .read = pci_read, .write = pci_write, .fstat = pci_fstat,
    .close = pci_close,
};

int main(void)
{
    const char *way = conf_open();
    int fd;

    if (!way) {
        svc_log("pcid: no configuration space: no ECAM window and no ports granted");
        return 1;
    }
    dev_count = pci_enumerate(devs, PCI_FUNCS_MAX);
    for (size_t i = 0; i < dev_count; i++)
        list_len += pcidev_format(&devs[i], list + list_len, sizeof(list) - list_len);
    svc_log("pcid: %zu PCI functions (through %s)", dev_count, way);
    report_devices();
    if ((fd = svc_register("pci")) < 0) {
        svc_log("pcid: cannot register pci: %s", strerror(-fd));
        return 1;
    }
    return svc_serve(fd, &pci_ops) < 0 ? 1 : 0;
}
