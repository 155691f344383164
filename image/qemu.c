/* image/qemu.c: boots a built image in QEMU with the serial console on stdout,
 * and turns the guest's power-off status into mkimage's exit status. */
#define _GNU_SOURCE
#include "qemu.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../include/anvil/exit.h"
#include "build.h"
#include "grub.h"
#include "screenshot.h"
#include "tools.h"

#define QEMU_BINARY "qemu-system-x86_64"
#define QEMU_MEMORY "256M"
#define OVMF_CODE "/usr/share/OVMF/OVMF_CODE_4M.fd"
#define OVMF_VARS "/usr/share/OVMF/OVMF_VARS_4M.fd"
#define POLL_NS 100000000L          /* how often the supervisor looks at QEMU */

int qemu_guest_status(int code, bool headless)
{
    if (ANVIL_QEMU_CODE_IS_STATUS(code))
        return ANVIL_QEMU_CODE_TO_STATUS(code);
    /* Only a person at a terminal can leave with Ctrl-A X; from a script,
     * QEMU's own 0 is a reset or a triple fault, never the guest's status. */
    if (code == 0 && !headless && isatty(STDIN_FILENO))
        return 0;
    if (code == 0)
        util_err("the guest stopped without a status (reset, triple fault or quit)");
    else
        util_err("qemu failed (status %d)", code);
    return QEMU_STATUS_NO_STATUS;
}

char *qemu_forward_rule(const char *spec)
{
    const char *proto = "tcp";
    unsigned host, guest;
    char tail;

    if (!strncmp(spec, "tcp:", 4) || !strncmp(spec, "udp:", 4)) {
        proto = !strncmp(spec, "udp:", 4) ? "udp" : "tcp";
        spec += 4;
    }
    if (sscanf(spec, "%u:%u%c", &host, &guest, &tail) != 2 || host < 1 || host > 65535 ||
        guest < 1 || guest > 65535)
        return NULL;
    return xasprintf("hostfwd=%s::%u-:%u", proto, host, guest);
}

/* A private copy of the UEFI variable store, so runs never share state. */
static char *copy_ovmf_vars(void)
{
    char path[] = "/tmp/mkimage-ovmf-vars-XXXXXX";
    size_t len;
    char *data = util_read_file(OVMF_VARS, &len);
    int fd = mkstemp(path);

    if (!data || fd < 0 || write(fd, data, len) != (ssize_t)len) {
        util_err("cannot copy %s: %s", OVMF_VARS, strerror(errno));
        free(data);
        if (fd >= 0)
            close(fd);
        return NULL;
    }
    free(data);
    close(fd);
    return xstrdup(path);
}

static void add2(struct argv *a, const char *opt, const char *value)
{
    argv_add(a, opt);
    argv_add(a, value);
}

static int machine_args(const struct qemu_opts *o, struct argv *a, char **vars)
{
    enum qemu_machine mach = o->machine;

    if (mach == QEMU_MACHINE_AUTO)
        mach = o->firmware == QEMU_UEFI ? QEMU_MACHINE_Q35 : QEMU_MACHINE_PC;
    add2(a, "-machine", mach == QEMU_MACHINE_Q35 ? "q35" : "pc");
    add2(a, "-m", o->mem ? o->mem : QEMU_MEMORY);
    if (o->smp > 0) {
        argv_add(a, "-smp");
        argv_addf(a, "%d", o->smp);
    }
    if (o->firmware == QEMU_BIOS)
        return 0;
    if (tools_need_file(OVMF_CODE) < 0 || tools_need_file(OVMF_VARS) < 0)
        return -1;
    *vars = copy_ovmf_vars();
    if (!*vars)
        return -1;
    add2(a, "-drive", "if=pflash,format=raw,readonly=on,file=" OVMF_CODE);
    argv_add(a, "-drive");
    argv_addf(a, "if=pflash,format=raw,file=%s", *vars);
    return 0;
}

/* The boot disk on the chosen controller; snapshot=on keeps the image as built
 * unless the guest is to write it (a persistent root). */
static void disk_args(const struct qemu_opts *o, const char *disk, struct argv *a)
{
    const char *snapshot = o->writable ? "" : ",snapshot=on";

    static const char *const devices[] = {
        [QEMU_DISK_VIRTIO] = "virtio-blk-pci,drive=boot,bootindex=0",
        [QEMU_DISK_AHCI] = "ide-hd,drive=boot,bus=ahci0.0,bootindex=0",
        [QEMU_DISK_NVME] = "nvme,serial=anvil0,drive=boot,bootindex=0",
    };

    argv_add(a, "-drive");
    if (o->disk_if == QEMU_DISK_IDE) {
        argv_addf(a, "file=%s,format=raw%s", disk, snapshot);
        return;
    }
    argv_addf(a, "file=%s,format=raw%s,if=none,id=boot", disk, snapshot);
    if (o->disk_if == QEMU_DISK_AHCI)
        add2(a, "-device", "ahci,id=ahci0");
    add2(a, "-device", devices[o->disk_if]);
}

static int boot_args(const struct manifest *m, const char *outdir, const struct qemu_opts *o,
                     struct argv *a)
{
    char *file = o->boot == QEMU_BOOT_ISO ? build_iso_path(m, outdir)
                 : o->boot == QEMU_BOOT_DISK ? build_disk_path(m, outdir)
                                             : xasprintf("%s/%s", outdir, BUILD_KERNEL_NAME);
    int ret = 0;

    if (!util_is_file(file)) {
        util_err("%s is missing: run mkimage build first%s", file,
                 o->boot == QEMU_BOOT_DISK ? " (with \"disk\" in image.formats)" : "");
        ret = -1;
    } else if (o->boot == QEMU_BOOT_ISO) {
        add2(a, "-cdrom", file);
    } else if (o->boot == QEMU_BOOT_DISK) {
        disk_args(o, file, a);
    } else {
        char *cmdline = grub_cmdline(m);
        add2(a, "-kernel", file);
        argv_add(a, "-initrd");
        argv_addf(a, "%s/%s", outdir, BUILD_INITFS_NAME);
        add2(a, "-append", cmdline);
        free(cmdline);
    }
    free(file);
    return ret;
}

static int console_args(const struct qemu_opts *o, const char *monitor, struct argv *a)
{
    if (o->display == QEMU_DISPLAY_WINDOW) {
        if (!getenv("DISPLAY") && !getenv("WAYLAND_DISPLAY")) {
            util_err("--display window needs a graphical session (DISPLAY is not set)");
            return -1;
        }
        add2(a, "-display", "gtk");
        add2(a, "-serial", "stdio");
    } else if (o->headless || o->display == QEMU_DISPLAY_NONE) {
        add2(a, "-display", "none");
        add2(a, "-serial", "stdio");
        if (!monitor)
            add2(a, "-monitor", "none");
    } else {
        argv_add(a, "-nographic");  /* serial and monitor on this terminal: Ctrl-A X quits */
    }
    if (monitor) {
        argv_add(a, "-monitor");
        argv_addf(a, "unix:%s,server=on,wait=off", monitor);
    }
    return 0;
}

static int net_args(const struct qemu_opts *o, struct argv *a)
{
    struct strbuf netdev = {0};

    if (!o->net) {
        add2(a, "-nic", "none");   /* QEMU would add a NIC nobody asked for */
        return 0;
    }
    sb_puts(&netdev, "user,id=net0");
    for (size_t i = 0; i < o->forwards.len; i++) {
        char *rule = qemu_forward_rule(o->forwards.v[i]);
        sb_printf(&netdev, ",%s", rule);
        free(rule);
    }
    add2(a, "-netdev", netdev.buf);
    add2(a, "-device", o->nic == QEMU_NIC_E1000 ? "e1000,netdev=net0" : "virtio-net-pci,netdev=net0");
    sb_free(&netdev);
    return 0;
}

static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
    (void)sig;
    interrupted = 1;
}

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static pid_t start_qemu(char *const argv[], const struct qemu_opts *o)
{
    pid_t pid;

    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        if (o->headless) {
            int null = open("/dev/null", O_RDONLY);
            dup2(null, 0);
        }
        execvp(argv[0], argv);
        _exit(127);
    }
    return pid;
}

/* Run QEMU until it exits or the timeout; keep screenshots when asked. */
static int supervise(char *const argv[], const struct qemu_opts *o, struct screenshot *shot)
{
    struct sigaction sa = {.sa_handler = on_signal};
    struct timespec tick = {0, POLL_NS};
    double deadline = o->timeout > 0 ? now() + o->timeout : 0;
    pid_t pid = start_qemu(argv, o);
    int st;

    if (pid < 0)
        return QEMU_STATUS_NO_STATUS;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    while (waitpid(pid, &st, WNOHANG) == 0) {
        if (interrupted || (deadline && now() >= deadline)) {
            screenshot_take(shot);
            kill(pid, SIGKILL);
            waitpid(pid, &st, 0);
            if (interrupted)
                return QEMU_STATUS_NO_STATUS;
            util_err("timeout: no power-off within %d s", o->timeout);
            return QEMU_STATUS_TIMEOUT;
        }
        screenshot_poll(shot);
        nanosleep(&tick, NULL);
    }
    if (!WIFEXITED(st))
        return QEMU_STATUS_NO_STATUS;
    return qemu_guest_status(WEXITSTATUS(st), o->headless);
}

int qemu_run(const struct manifest *m, const char *outdir, const struct qemu_opts *o)
{
    static const char *const needed[] = {QEMU_BINARY, NULL};
    struct screenshot shot = {0};
    struct argv a = {0};
    char *vars = NULL;
    int ret = QEMU_STATUS_NO_STATUS;

    if (tools_need(needed) < 0)
        return ret;
    if (o->screenshot && screenshot_begin(&shot, o->screenshot) < 0)
        return ret;
    argv_add(&a, QEMU_BINARY);
    if (machine_args(o, &a, &vars) < 0 || boot_args(m, outdir, o, &a) < 0 ||
        console_args(o, shot.monitor, &a) < 0 || net_args(o, &a) < 0)
        goto out;
    argv_add(&a, "-no-reboot");
    argv_add(&a, "-device");
    argv_addf(&a, "isa-debug-exit,iobase=%#x,iosize=0x04", ANVIL_QEMU_EXIT_PORT);
    for (size_t i = 0; i < o->extra_len; i++)
        argv_add(&a, o->extra[i]);
    util_print_command(a.v);
    ret = supervise(a.v, o, &shot);
    if (o->screenshot && screenshot_finish(&shot) == 0)
        util_info("mkimage: screenshot in %s", o->screenshot);
out:
    screenshot_end(&shot);
    if (vars)
        unlink(vars);
    free(vars);
    argv_free(&a);
    return ret;
}
