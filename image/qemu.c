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
#include "tools.h"
#include "util.h"

#define QEMU_BINARY "qemu-system-x86_64"
#define QEMU_MEMORY "256M"
#define OVMF_CODE "/usr/share/OVMF/OVMF_CODE_4M.fd"
#define OVMF_VARS "/usr/share/OVMF/OVMF_VARS_4M.fd"

int qemu_guest_status(int code, bool headless)
{
    if (ANVIL_QEMU_CODE_IS_STATUS(code))
        return ANVIL_QEMU_CODE_TO_STATUS(code);
    if (code == 0 && !headless)
        return 0;   /* the user left with Ctrl-A X */
    if (code == 0)
        util_err("the guest stopped without a status (reset, triple fault or quit)");
    else
        util_err("qemu failed (status %d)", code);
    return QEMU_STATUS_NO_STATUS;
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

static int firmware_args(const struct qemu_opts *o, struct argv *a, char **vars)
{
    if (o->firmware == QEMU_BIOS) {
        argv_add(a, "-machine");
        argv_add(a, "pc");
        return 0;
    }
    if (tools_need_file(OVMF_CODE) < 0 || tools_need_file(OVMF_VARS) < 0)
        return -1;
    *vars = copy_ovmf_vars();
    if (!*vars)
        return -1;
    argv_add(a, "-machine");
    argv_add(a, "q35");
    argv_add(a, "-drive");
    argv_add(a, "if=pflash,format=raw,readonly=on,file=" OVMF_CODE);
    argv_add(a, "-drive");
    argv_addf(a, "if=pflash,format=raw,file=%s", *vars);
    return 0;
}

static int boot_args(const struct manifest *m, const char *outdir, const struct qemu_opts *o,
                     struct argv *a)
{
    if (o->boot == QEMU_BOOT_ISO) {
        char *iso = build_iso_path(m, outdir);
        int ok = util_is_file(iso);
        if (!ok)
            util_err("%s is missing: run mkimage build first", iso);
        argv_add(a, "-cdrom");
        argv_add(a, iso);
        free(iso);
        return ok ? 0 : -1;
    }
    char *cmdline = grub_cmdline(m);
    argv_add(a, "-kernel");
    argv_addf(a, "%s/%s", outdir, BUILD_KERNEL_NAME);
    argv_add(a, "-initrd");
    argv_addf(a, "%s/%s", outdir, BUILD_INITFS_NAME);
    argv_add(a, "-append");
    argv_add(a, cmdline);
    free(cmdline);
    return 0;
}

static void console_args(const struct qemu_opts *o, struct argv *a)
{
    if (o->headless) {
        argv_add(a, "-display");
        argv_add(a, "none");
        argv_add(a, "-serial");
        argv_add(a, "stdio");
        argv_add(a, "-monitor");
        argv_add(a, "none");
    } else {
        argv_add(a, "-nographic");  /* serial and monitor on this terminal: Ctrl-A X quits */
    }
}

static volatile sig_atomic_t timed_out;

static void on_alarm(int sig)
{
    (void)sig;
    timed_out = 1;
}

/* Run QEMU; on timeout stop it and report 124. */
static int supervise(char *const argv[], const struct qemu_opts *o)
{
    struct sigaction sa = {.sa_handler = on_alarm};
    pid_t pid;
    int st;

    fflush(stdout);
    pid = fork();
    if (pid < 0)
        return QEMU_STATUS_NO_STATUS;
    if (pid == 0) {
        if (o->headless) {
            int null = open("/dev/null", O_RDONLY);
            dup2(null, 0);
        }
        execvp(argv[0], argv);
        _exit(127);
    }
    sigaction(SIGALRM, &sa, NULL);
    timed_out = 0;
    if (o->timeout > 0)
        alarm((unsigned)o->timeout);
    while (waitpid(pid, &st, 0) < 0) {
        if (errno != EINTR)
            return QEMU_STATUS_NO_STATUS;
        if (timed_out) {
            kill(pid, SIGKILL);
            waitpid(pid, &st, 0);
            util_err("timeout: no power-off within %d s", o->timeout);
            return QEMU_STATUS_TIMEOUT;
        }
    }
    alarm(0);
    if (!WIFEXITED(st))
        return QEMU_STATUS_NO_STATUS;
    return qemu_guest_status(WEXITSTATUS(st), o->headless);
}

int qemu_run(const struct manifest *m, const char *outdir, const struct qemu_opts *o)
{
    static const char *const needed[] = {QEMU_BINARY, NULL};
    struct argv a = {0};
    char *vars = NULL;
    int ret = QEMU_STATUS_NO_STATUS;

    if (tools_need(needed) < 0)
        return ret;
    argv_add(&a, QEMU_BINARY);
    if (firmware_args(o, &a, &vars) < 0 || boot_args(m, outdir, o, &a) < 0)
        goto out;
    argv_add(&a, "-m");
    argv_add(&a, QEMU_MEMORY);
    argv_add(&a, "-no-reboot");
    argv_add(&a, "-device");
    argv_addf(&a, "isa-debug-exit,iobase=%#x,iosize=0x04", ANVIL_QEMU_EXIT_PORT);
    console_args(o, &a);
    for (size_t i = 0; i < o->extra_len; i++)
        argv_add(&a, o->extra[i]);
    util_print_command(a.v);
    ret = supervise(a.v, o);
out:
    if (vars)
        unlink(vars);
    free(vars);
    argv_free(&a);
    return ret;
}
