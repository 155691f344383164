/* mkimage.c: the command line of Anvil's image builder: build, run, check, list.
 * All the work happens in image/; this file only reads arguments. */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "image/build.h"
#include "image/cache.h"
#include "image/manifest.h"
#include "image/qemu.h"
#include "image/usbwrite.h"
#include "image/util.h"
#include "include/anvil/version.h"

#define EXIT_USAGE 2

struct options {
    const char *command;
    const char *config;
    const char *variant;
    const char *outdir;
    struct argv sets;
    struct argv positional;     /* write's IMAGE and DEVICE */
    bool no_build;
    bool yes;
    bool boot_given;          /* --boot said; else --disk-if boots the disk */
    struct qemu_opts qemu;
};

static const char usage_text[] =
    "usage: mkimage COMMAND [OPTIONS]\n"
    "\n"
    "commands:\n"
    "  build   build the image of a variant and print the paths written\n"
    "  run     build, then boot the image in QEMU (serial console on stdout)\n"
    "  check   validate the config and print the resolved manifest\n"
    "  list    list the variants\n"
    "  write   write an image to a USB stick, safely (see: mkimage write --help)\n"
    "  clean   remove the output folder and the build cache\n"
    "\n"
    "Run 'mkimage COMMAND --help' for a command's options.\n";

static const char common_help[] =
    "  -c, --config FILE     the config (default: config.toml)\n"
    "  -V, --variant NAME    the variant (default: \"default\" when the config has one)\n"
    "      --set KEY=VALUE   override a config key, e.g. --set kernel.timer_hz=250\n";

static const char build_help[] =
    "  -o, --output DIR      where outputs go (default: out/VARIANT)\n"
    "  -q, --quiet           no progress lines\n"
    "  -v, --verbose         show every command run\n";

static const char run_help[] =
    "      --firmware bios|uefi   SeaBIOS (default) or OVMF\n"
    "      --boot iso|disk|direct the ISO (default), the raw disk, or QEMU -kernel\n"
    "      --machine pc|q35       default: pc with BIOS, q35 with UEFI\n"
    "      --disk-if virtio|ahci|nvme|ide  how the disk is attached (default virtio;\n"
    "                             Anvil has no IDE driver); without --boot: boot the disk\n"
    "      --writable             --boot disk: the guest writes to the image file itself\n"
    "                             (default: a snapshot, so the image stays as built)\n"
    "      --smp N                CPUs\n"
    "      --mem SIZE             memory, e.g. 512M or 2G (default 256M)\n"
    "      --net                  user-mode networking (a virtio-net card)\n"
    "      --nic virtio|e1000     the network card (default virtio; implies --net)\n"
    "      --forward [tcp:|udp:]HOST:GUEST  a host port forwarded to the guest\n"
    "      --display none|window  no screen, or a window (default: this terminal)\n"
    "      --screenshot FILE.png  a picture of the screen when the guest stops\n"
    "      --headless             no display and no keyboard: for scripts and CI\n"
    "      --timeout SECONDS      stop QEMU after this long and exit 124\n"
    "      --no-build             boot what is in the output folder as it is\n"
    "  -- QEMU-ARGS               passed to QEMU as they are\n"
    "exit status: the guest's power-off status, 124 on timeout, 125 when QEMU\n"
    "failed or the guest stopped without a status.\n";

static const char write_help[] =
    "usage: mkimage write IMAGE DEVICE [--yes]\n"
    "  writes IMAGE (an .iso or a disk .img) to DEVICE, a whole removable disk such\n"
    "  as /dev/sdb; refuses partitions, fixed disks and mounted devices, asks before\n"
    "  writing (unless --yes), and reads the device back to verify it.\n"
    "      --yes                  do not ask\n";

static void print_help(const char *command)
{
    if (!command) {
        fputs(usage_text, stdout);
        return;
    }
    if (!strcmp(command, "write")) {
        fputs(write_help, stdout);
        return;
    }
    printf("usage: mkimage %s [OPTIONS]%s\n\noptions:\n", command,
           strcmp(command, "run") ? "" : " [-- QEMU-ARGS]");
    if (strcmp(command, "list") && strcmp(command, "clean"))
        fputs(common_help, stdout);
    else
        printf("  -c, --config FILE     the config (default: config.toml)\n");
    if (!strcmp(command, "clean"))
        printf("  -o, --output DIR      remove DIR instead of out/ and the cache\n");
    if (!strcmp(command, "build") || !strcmp(command, "run"))
        fputs(build_help, stdout);
    if (!strcmp(command, "run"))
        fputs(run_help, stdout);
}

static int usage_error(const char *fmt, const char *arg)
{
    fprintf(stderr, "mkimage: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\nRun 'mkimage --help' for usage.\n");
    return EXIT_USAGE;
}

/* Which options each command takes. */
static bool allowed(const char *command, const char *opt)
{
    static const char *const per_command[][2] = {
        {"build", "config variant set output quiet verbose"},
        {"run", "config variant set output quiet verbose firmware boot headless timeout "
                "no-build machine disk-if writable smp mem net nic forward display screenshot"},
        {"check", "config variant set"},
        {"list", "config"},
        {"clean", "config output"},
        {"write", "yes"},
    };

    for (size_t i = 0; i < sizeof per_command / sizeof per_command[0]; i++) {
        if (strcmp(per_command[i][0], command))
            continue;
        const char *p = strstr(per_command[i][1], opt);
        size_t n = strlen(opt);
        return p && (p[n] == ' ' || p[n] == '\0') && (p == per_command[i][1] || p[-1] == ' ');
    }
    return false;
}

static const struct {
    char short_name;
    const char *name;
    bool takes_value;
} option_table[] = {
    {'c', "config", true}, {'V', "variant", true}, {0, "set", true},
    {'o', "output", true}, {'q', "quiet", false}, {'v', "verbose", false},
    {0, "firmware", true}, {0, "boot", true}, {0, "headless", false},
    {0, "timeout", true}, {0, "no-build", false}, {0, "machine", true},
    {0, "disk-if", true}, {0, "smp", true}, {0, "mem", true}, {0, "net", false}, {0, "nic", true},
    {0, "forward", true}, {0, "display", true}, {0, "screenshot", true}, {0, "yes", false},
    {0, "writable", false},
};

static int find_option(const char *arg, const char **value)
{
    *value = NULL;
    for (size_t i = 0; i < sizeof option_table / sizeof option_table[0]; i++) {
        size_t n = strlen(option_table[i].name);
        if (arg[1] != '-' && arg[1] == option_table[i].short_name && arg[1] && !arg[2])
            return (int)i;
        if (arg[1] == '-' && !strncmp(arg + 2, option_table[i].name, n)) {
            if (arg[2 + n] == '\0')
                return (int)i;
            if (arg[2 + n] == '=' && option_table[i].takes_value) {
                *value = arg + 3 + n;
                return (int)i;
            }
        }
    }
    return -1;
}

/* Options whose value is one word of a fixed set, stored as its index. */
static int set_choice(struct options *o, const char *name, const char *value, bool *done)
{
    static const struct {
        const char *name;
        const char *choices[5];
        size_t offset;
    } choices[] = {
        {"firmware", {"bios", "uefi"}, offsetof(struct options, qemu.firmware)},
        {"boot", {"iso", "disk", "direct"}, offsetof(struct options, qemu.boot)},
        {"machine", {"auto", "pc", "q35"}, offsetof(struct options, qemu.machine)},
        {"disk-if", {"ide", "virtio", "ahci", "nvme"}, offsetof(struct options, qemu.disk_if)},
        {"display", {"terminal", "none", "window"}, offsetof(struct options, qemu.display)},
        {"nic", {"virtio", "e1000"}, offsetof(struct options, qemu.nic)},
    };

    for (size_t i = 0; i < sizeof choices / sizeof choices[0]; i++) {
        if (strcmp(choices[i].name, name))
            continue;
        *done = true;
        for (int k = 0; choices[i].choices[k]; k++)
            if (!strcmp(choices[i].choices[k], value)) {
                *(int *)((char *)o + choices[i].offset) = k;
                return 0;
            }
        fprintf(stderr, "mkimage: --%s: ", name);
        return usage_error("unknown value '%s'", value);
    }
    return 0;
}

static int set_number(const char *name, const char *value, long lo, long hi, int *dst)
{
    char *end;
    long v = strtol(value, &end, 10);

    if (*end || end == value || v < lo || v > hi) {
        fprintf(stderr, "mkimage: --%s wants a number from %ld to %ld, ", name, lo, hi);
        return usage_error("not '%s'", value);
    }
    *dst = (int)v;
    return 0;
}

static bool is_memory_size(const char *v)
{
    size_t digits = strspn(v, "0123456789");

    return digits > 0 && (v[digits] == '\0' || ((v[digits] == 'M' || v[digits] == 'G') &&
                                                 v[digits + 1] == '\0'));
}

static int set_value(struct options *o, const char *name, const char *value)
{
    bool done = false;
    int st = set_choice(o, name, value, &done);
    char *rule;

    if (done) {
        o->boot_given |= !strcmp(name, "boot");
        if (!strcmp(name, "disk-if") && !o->boot_given)
            o->qemu.boot = QEMU_BOOT_DISK;   /* a disk controller named: boot that disk */
        o->qemu.net |= !strcmp(name, "nic");   /* a card named: plug it in */
        return st;
    }
    if (!strcmp(name, "config"))
        o->config = value;
    else if (!strcmp(name, "variant"))
        o->variant = value;
    else if (!strcmp(name, "set"))
        argv_add(&o->sets, value);
    else if (!strcmp(name, "output"))
        o->outdir = value;
    else if (!strcmp(name, "screenshot"))
        o->qemu.screenshot = value;
    else if (!strcmp(name, "timeout"))
        return set_number(name, value, 0, INT_MAX, &o->qemu.timeout);
    else if (!strcmp(name, "smp"))
        return set_number(name, value, 1, 64, &o->qemu.smp);
    else if (!strcmp(name, "mem") && is_memory_size(value))
        o->qemu.mem = value;
    else if (!strcmp(name, "forward") && (rule = qemu_forward_rule(value))) {
        free(rule);
        argv_add(&o->qemu.forwards, value);
        o->qemu.net = true;
    } else
        return usage_error("bad value '%s'", value);
    return 0;
}

static int set_flag(struct options *o, const char *name)
{
    if (!strcmp(name, "quiet"))
        util_verbosity = 0;
    else if (!strcmp(name, "verbose"))
        util_verbosity = 2;
    else if (!strcmp(name, "headless"))
        o->qemu.headless = true;
    else if (!strcmp(name, "no-build"))
        o->no_build = true;
    else if (!strcmp(name, "net"))
        o->qemu.net = true;
    else if (!strcmp(name, "writable"))
        o->qemu.writable = true;
    else if (!strcmp(name, "yes"))
        o->yes = true;
    return 0;
}

/* Parse argv after the command word. Returns -1 to go on, or an exit status. */
static int parse_options(struct options *o, int argc, char **argv)
{
    for (int i = 2; i < argc; i++) {
        const char *arg = argv[i], *value;
        int k;

        if (!strcmp(arg, "--help") || !strcmp(arg, "-h")) {
            print_help(o->command);
            return 0;
        }
        if (!strcmp(arg, "--") && !strcmp(o->command, "run")) {
            o->qemu.extra = argv + i + 1;
            o->qemu.extra_len = (size_t)(argc - i - 1);
            return -1;
        }
        if (arg[0] != '-' && !strcmp(o->command, "write")) {
            argv_add(&o->positional, arg);
            continue;
        }
        k = arg[0] == '-' ? find_option(arg, &value) : -1;
        if (k < 0 || !allowed(o->command, option_table[k].name))
            return usage_error("unknown option '%s'", arg);
        if (!option_table[k].takes_value) {
            set_flag(o, option_table[k].name);
            continue;
        }
        if (!value && ++i >= argc)
            return usage_error("%s needs a value", arg);
        int st = set_value(o, option_table[k].name, value ? value : argv[i]);
        if (st)
            return st;
    }
    return -1;
}

/* The source tree: beside the config when it holds kernel/, else beside mkimage. */
static char *source_root(const struct manifest *m)
{
    char *probe = xasprintf("%s/kernel/kernel.ld", m->config_dir);
    char self[PATH_MAX];
    ssize_t n;

    if (util_is_file(probe)) {
        free(probe);
        return xstrdup(m->config_dir);
    }
    free(probe);
    n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n <= 0)
        return xstrdup(".");
    self[n] = '\0';
    return util_dirname(self);
}

static int cmd_list(const struct manifest *m)
{
    for (size_t i = 0; i < m->variants_len; i++)
        printf("%-12s %s\n", m->variants[i].name,
               m->variants[i].description ? m->variants[i].description : "");
    return 0;
}

static int cmd_build_run(const struct options *o, const struct manifest *m)
{
    char *outdir = o->outdir ? xstrdup(o->outdir) : xasprintf("out/%s", m->variant);
    char *src = source_root(m);
    int ret = 0;

    cache_dir = getenv("MKIMAGE_CACHE") ? getenv("MKIMAGE_CACHE")
                                        : xasprintf("%s/out/.cache", src);
    if (o->qemu.boot == QEMU_BOOT_DIRECT && o->qemu.firmware == QEMU_UEFI) {
        util_err("--boot direct uses QEMU's own loader: it needs --firmware bios");
        ret = EXIT_USAGE;
    } else if (strcmp(o->command, "run") || !o->no_build) {
        if (util_mkdirs(outdir, 0755) < 0 || build_image(m, src, outdir) < 0)
            ret = 1;
    }
    if (ret == 0 && !strcmp(o->command, "run"))
        ret = qemu_run(m, outdir, &o->qemu);
    free(outdir);
    free(src);
    return ret;
}

/* clean: the output folder (with the cache inside it), and MKIMAGE_CACHE if set. */
static int cmd_clean(const struct options *o)
{
    char *dir = util_dirname(o->config);
    char *out = o->outdir ? xstrdup(o->outdir) : util_path_join(dir, "out");
    int ret = 0;

    if (util_remove_tree(out) < 0) {
        util_err("cannot remove %s", out);
        ret = 1;
    } else {
        util_info("removed %s", out);
    }
    if (getenv("MKIMAGE_CACHE") && util_remove_tree(getenv("MKIMAGE_CACHE")) < 0)
        ret = 1;
    free(out);
    free(dir);
    return ret;
}

static int cmd_write(const struct options *o)
{
    if (o->positional.len != 2)
        return usage_error("%s", "write needs IMAGE and DEVICE: mkimage write IMAGE DEVICE");
    return usbwrite_run(o->positional.v[0], o->positional.v[1], o->yes);
}

static int dispatch(const struct options *o)
{
    struct manifest *m;
    int ret;

    if (!strcmp(o->command, "clean"))
        return cmd_clean(o);
    if (!strcmp(o->command, "write"))
        return cmd_write(o);
    /* list ignores the variant choice: it shows them all */
    m = manifest_load(o->config, strcmp(o->command, "list") ? o->variant : NULL,
                      o->sets.v, o->sets.len);
    if (!m)
        return 1;
    if (!strcmp(o->command, "list"))
        ret = cmd_list(m);
    else if (!strcmp(o->command, "check")) {
        manifest_print(m, stdout);
        ret = 0;
    } else
        ret = cmd_build_run(o, m);
    manifest_free(m);
    return ret;
}

int main(int argc, char **argv)
{
    static const char *const commands[] = {"build", "run", "check", "list", "clean",
                                           "write", NULL};
    /* virtio by default: a disk that Anvil's drivers find on pc and q35 alike */
    struct options o = {.config = "config.toml", .qemu.disk_if = QEMU_DISK_VIRTIO};
    char epoch[32];
    int st;

    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
        !strcmp(argv[1], "help")) {
        print_help(NULL);
        return argc < 2 ? EXIT_USAGE : 0;
    }
    if (!strcmp(argv[1], "--version")) {
        printf("mkimage (Anvil) %s\n", ANVIL_RELEASE);
        return 0;
    }
    for (size_t i = 0; commands[i]; i++)
        if (!strcmp(argv[1], commands[i]))
            o.command = commands[i];
    if (!o.command)
        return usage_error("unknown command '%s'", argv[1]);
    st = parse_options(&o, argc, argv);
    if (st >= 0) {
        argv_free(&o.sets);
        argv_free(&o.positional);
        argv_free(&o.qemu.forwards);
        return st;
    }
    /* every tool we run (mtools, xorriso) stamps files with this time */
    snprintf(epoch, sizeof epoch, "%lld", util_source_date_epoch());
    setenv("SOURCE_DATE_EPOCH", epoch, 1);
    st = dispatch(&o);
    argv_free(&o.sets);
    argv_free(&o.positional);
    argv_free(&o.qemu.forwards);
    return st;
}
