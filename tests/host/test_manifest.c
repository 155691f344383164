/* tests/host/test_manifest.c: the manifest model: defaults, sections, variants,
 * --set overrides and every kind of error with its FILE:LINE:COL. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cpio.h"
#include "manifest.h"
#include "services.h"
#include "tap.h"
#include "util.h"

static char dir[] = "/tmp/anvil-test-manifest-XXXXXX";
#include "config_load.h"

static void test_defaults(void)
{
    struct manifest *m = load("", NULL, NULL, 0);

    tap_ok(m != NULL, "an empty config is valid");
    tap_is_str(m->image_name, "anvil", "default image name");
    tap_is_int(m->formats, MF_FORMAT_ISO, "default format is the ISO");
    tap_is_int(m->timer_hz, 100, "default timer_hz");
    tap_is_int(m->features_len, 0, "no features unless asked");
    tap_is_str(m->variant, "base", "no variants: the base config");
    manifest_free(m);
}

static void test_sections(void)
{
    struct manifest *m = load("[image]\nname = \"demo\"\n[kernel]\nfeatures = [\"fbcon\", "
                              "\"serial\"]\ntimer_hz = 1000\ncmdline = \"a b\"\n"
                              "[build]\njobs = 3\n[init]\non_exit = \"poweroff\"\n"
                              "[[files]]\npath = \"/etc/x\"\ntext = \"hi\"\nmode = 0o600\n",
                              NULL, NULL, 0);

    if (!tap_ok(m != NULL, "a full config loads"))
        return;
    tap_is_str(m->image_name, "demo", "image.name");
    tap_is_int(m->features_len, 2, "two features");
    tap_ok(manifest_has_feature(m, "serial") && manifest_has_feature(m, "fbcon"),
           "both features present");
    tap_is_int(m->timer_hz, 1000, "kernel.timer_hz");
    tap_is_str(m->cmdline, "a b", "kernel.cmdline");
    tap_is_int(m->jobs, 3, "build.jobs");
    tap_is_int(m->on_exit, MF_ON_EXIT_POWEROFF, "init.on_exit");
    tap_is_int(m->files_len, 1, "one file");
    tap_is_str(m->files[0].path, "/etc/x", "file path");
    tap_is_str(m->files[0].text, "hi", "file text");
    tap_is_int(m->files[0].mode, 0600, "file mode");
    manifest_free(m);
}

static const char variants_config[] =
    "[kernel]\nfeatures = [\"serial\", \"fbcon\"]\ntimer_hz = 100\n"
    "[[files]]\npath = \"/a\"\ntext = \"a\"\n"
    "[variants.default]\ndescription = \"the usual\"\n"
    "[variants.small]\ndescription = \"less\"\nkernel.features.remove = [\"fbcon\"]\n"
    "kernel.timer_hz = 50\n"
    "[variants.more]\nfiles.add = [{path = \"/b\", text = \"b\"}]\n"
    "[variants.bad]\nkernel.timer_hz = 1\n";

static void test_variants(void)
{
    struct manifest *m = load(variants_config, NULL, NULL, 0);

    tap_ok(m && !strcmp(m->variant, "default"), "no -V picks the variant named default");
    tap_is_int(m ? m->variants_len : 0, 4, "all four variants are listed");
    tap_is_str(m ? m->variants[1].description : NULL, "less", "a variant's description");
    manifest_free(m);
    m = load(variants_config, "small", NULL, 0);
    tap_ok(m && m->features_len == 1 && manifest_has_feature(m, "serial"),
           "features.remove edits the base list");
    tap_is_int(m ? m->timer_hz : 0, 50, "a variant replaces a scalar");
    tap_is_int(m ? m->files_len : 0, 1, "and keeps what it does not name");
    manifest_free(m);
    m = load(variants_config, "more", NULL, 0);
    tap_is_int(m ? m->files_len : 0, 2, "files.add appends an entry");
    manifest_free(m);
    m = load(variants_config, "bad", NULL, 0);
    tap_ok(!m && strstr(errors, "config.toml:16:19: kernel.timer_hz must be"),
           "an error in a variant points at the variant's line");
    m = load(variants_config, "nope", NULL, 0);
    tap_ok(!m && strstr(errors, "no variant 'nope' (known: default, small, more, bad)"),
           "an unknown variant lists the known ones");
}

static void test_sets(void)
{
    char *sets[] = {"kernel.timer_hz=250", "image.name=plain", "init.on_exit=\"poweroff\"",
                    "kernel.features=[\"serial\"]"};
    char *bad[] = {"kernel.timer_hz=lots"};
    char *nokey[] = {"=3"};
    struct manifest *m = load(variants_config, "small", sets, 4);

    tap_is_int(m ? m->timer_hz : 0, 250, "--set beats the variant");
    tap_is_str(m ? m->image_name : NULL, "plain", "--set takes a bare word as a string");
    tap_is_int(m ? m->on_exit : 0, MF_ON_EXIT_POWEROFF, "--set takes a TOML string");
    tap_ok(m && m->features_len == 1, "--set takes a TOML array");
    manifest_free(m);
    m = load("", NULL, bad, 1);
    tap_ok(!m && strstr(errors, "--set kernel.timer_hz=lots: kernel.timer_hz must be"),
           "a bad --set value names the --set");
    m = load("", NULL, nokey, 1);
    tap_ok(!m && strstr(errors, "--set =3: expected KEY=VALUE"), "--set needs a key");
}

static void test_errors(void)
{
    expect_error("[image]\nname = = 1\n", "config.toml:2:8: ", "syntax error position");
    expect_error("[kernel]\ntimer_hz = 17\n",
                 "config.toml:2:12: kernel.timer_hz must be an integer between 18 and 10000",
                 "timer_hz below range");
    expect_error("[kernel]\ntimer_hz = \"100\"\n", "config.toml:2:12: kernel.timer_hz must be",
                 "timer_hz of the wrong type");
    expect_error("[kernel]\nfeatures = \"serial\"\n",
                 "config.toml:2:12: kernel.features must be an array of strings",
                 "features not an array");
    expect_error("[kernel]\nfeatures = [\"serial\", 3]\n",
                 "config.toml:2:23: kernel.features must be an array of strings",
                 "features with a non-string item");
    expect_error("[kernel]\nfeatures = [\"serial\", \"serial\"]\n",
                 "config.toml:2:23: kernel.features: \"serial\" is listed twice",
                 "a feature listed twice");
    expect_error("[kernel]\nfeatures = [\"smp9\"]\n",
                 "config.toml:2:13: kernel.features: unknown feature \"smp9\" (known: serial, fbcon, syscall-trace, kmem-guard, monitor)",
                 "an unknown feature lists the known ones");
    expect_error("[kernal]\n", "config.toml:1:2: unknown section 'kernal'", "an unknown section");
    expect_error("[image]\nnmae = \"x\"\n", "config.toml:2:1: unknown key 'image.nmae'",
                 "an unknown key");
    expect_error("[image]\nname = \"a b\"\n", "config.toml:2:8: image.name must be",
                 "a name with a space");
    expect_error("[image]\nformats = [\"floppy\"]\n",
                 "config.toml:2:12: image.formats: unknown format \"floppy\"", "unknown format");
    expect_error("[image]\nformats = []\n", "config.toml:2:11: image.formats must name",
                 "no formats");
    expect_error("[init]\non_exit = \"explode\"\n",
                 "config.toml:2:11: init.on_exit must be one of \"stay\", \"poweroff\"",
                 "on_exit not in its set");
    expect_error("image = 3\n", "config.toml:1:9: image must be a table", "a section that is not a table");
    expect_error("[[files]]\ntext = \"x\"\n", "config.toml:1:1: files: an entry needs a path",
                 "a file without a path");
    expect_error("[[files]]\npath = \"/x\"\n",
                 "config.toml:1:1: files: an entry needs exactly one of source, text, dir or link",
                 "a file with neither source nor text");
    expect_error("[[files]]\npath = \"/x/../y\"\ntext = \"\"\n",
                 "config.toml:2:8: files.path must be an absolute path", "a path with ..");
    expect_error("[[files]]\npath = \"/x/\"\ntext = \"\"\n",
                 "config.toml:2:8: files.path must be an absolute path", "a path with a trailing /");
    expect_error("[[files]]\npath = \"/x\"\ntext = \"\"\nmode = 0o10000\n",
                 "config.toml:4:8: files.mode must be an integer between 0 and 4095", "a bad mode");
    expect_error("[[files]]\npath = \"/x\"\ntext = \"\"\n[[files]]\npath = \"/x\"\ntext = \"\"\n",
                 "config.toml:4:1: files: /x is already defined at line 1", "a path given twice");
    expect_error("[[files]]\npath = \"/x\"\ntext = \"\"\n[[files]]\npath = \"/x/y\"\ntext = \"\"\n",
                 "files: /x is not a folder, so /x/y cannot be inside it", "a file used as a folder");
    expect_error("[kernel]\n[variants.default]\nkernel.nothing.add = [1]\n",
                 "config.toml:3:8: 'nothing' has no list to add to or remove from",
                 "add to a list that does not exist");
}

/* [init] grants: the run program's line in the table; PID 1 holds them and
 * every service's, each once, on the kernel command line. */
static void test_init_grants(void)
{
    struct manifest *m = load("[init]\nrun = \"/bin/x\"\ngrants = [\"irq:8\", \"signal\"]\n"
                              "[services.a]\nprogram = \"/bin/a\"\ngrants = [\"irq:8\", \"power\"]\n",
                              NULL, NULL, 0);
    char *grants;

    if (!tap_ok(m != NULL, "init.grants: a valid config loads"))
        return;
    tap_ok(strstr(m->files[m->files_len - 1].text, "run /bin/x\ngrant irq:8 signal\n") != NULL,
           "init.grants: the table's top-level grant line");
    grants = services_pid1_grants(m);
    tap_is_str(grants ? grants : "", "irq:8,signal,power", "init.grants: PID 1's, each once");
    free(grants);
    manifest_free(m);
    expect_error("[init]\ngrants = [\"memory:12\"]\n",
                 "config.toml:2:10: init.grants: \"memory:12\" is not", "init.grants: a bad grant");
}

/* [console] ttys: the console once (by any of its names), vt2..vt4 each
 * once, which need fbcond (a service providing console) and init.run; the
 * extra terminals go to init's table. */
static void test_console_ttys(void)
{
    static const char svc[] = "[init]\nrun = \"/bin/sh\"\n[services.fb]\nprogram = \"/bin/fb\"\n"
                              "provides = [\"console\"]\n";
    char cfg[512];
    struct manifest *m;

    snprintf(cfg, sizeof(cfg), "[console]\nttys = [\"vt1\", \"vt3\", \"vt2\"]\n%s", svc);
    m = load(cfg, NULL, NULL, 0);
    if (tap_ok(m != NULL, "console.ttys: vt1 (the console), vt3 and vt2 load")) {
        tap_ok(strstr(m->files[m->files_len - 1].text, "terminals vt3 vt2\n") != NULL,
               "console.ttys: init's table lists the terminals beyond the console, in order");
        manifest_free(m);
    }
    snprintf(cfg, sizeof(cfg), "[console]\nttys = [\"serial\", \"vt1\"]\n%s", svc);
    expect_error(cfg, "config.toml:2:19: console.ttys: \"vt1\" is the console again",
                 "console.ttys: serial and vt1 are one terminal");
    snprintf(cfg, sizeof(cfg), "[console]\nttys = [\"console\", \"vt5\"]\n%s", svc);
    expect_error(cfg, "config.toml:2:20: console.ttys: \"vt5\" is not a terminal",
                 "console.ttys: vt5 is not one");
    snprintf(cfg, sizeof(cfg), "[console]\nttys = [\"vt2\"]\n%s", svc);
    expect_error(cfg, "config.toml:2:8: console.ttys must name the console",
                 "console.ttys: without the console");
    expect_error("[init]\nrun = \"/bin/sh\"\n[console]\nttys = [\"console\", \"vt2\"]\n",
                 "config.toml:4:8: console.ttys: vt2 needs init.run and a service that provides",
                 "console.ttys: vt2 without fbcond");
}

/* [console] keymap: validated, and the ${console.keymap} word of a
 * service's args becomes it in the table; console-input is a grant. */
static void test_console(void)
{
    struct manifest *m = load("[console]\nkeymap = \"de\"\n[services.k]\nprogram = \"/bin/k\"\n"
                              "args = [\"--keymap\", \"${console.keymap}\"]\n"
                              "grants = [\"console-input\"]\n", NULL, NULL, 0);

    if (!tap_ok(m != NULL, "console: a valid config loads"))
        return;
    tap_ok(strstr(m->files[m->files_len - 1].text, "args --keymap de\ngrant console-input\n") != NULL,
           "console: the keymap lands in the service's args");
    manifest_free(m);
    expect_error("[console]\nkeymap = \"xx\"\n",
                 "config.toml:2:10: console.keymap must be one of", "console: an unknown keymap");
    expect_error("[services.k]\nprogram = \"/bin/k\"\nargs = [\"${image.name}\"]\n",
                 "config.toml:3:8: services.k.args: \"${image.name}\"", "console: an unknown ${...}");
    test_console_ttys();
}

static void test_services(void)
{
    struct manifest *m = load("[init]\nrun = \"/bin/x 1\"\n"
                              "[services.web]\nprogram = \"/bin/web\"\nprovides = [\"tcp\"]\n"
                              "uses = [\"debug\", \"log\"]\nafter = [\"log\"]\nrestart = \"always\"\n"
                              "[services.log]\nprogram = \"/bin/logd\"\nprovides = [\"log\"]\n"
                              "grants = [\"irq:4\", \"ioport:0x60-0x64\"]\noneshot = false\n",
                              NULL, NULL, 0);
    const char *table;

    if (!tap_ok(m != NULL, "services: a valid table loads"))
        return;
    tap_is_int(m->services_len, 2, "services: two services");
    tap_is_str(m->services[0].name, "log", "services: dependency order puts log first");
    table = m->files_len ? m->files[m->files_len - 1].text : "";
    tap_is_str(m->files[m->files_len - 1].path, "/etc/anvil/services",
               "services: the table goes into the image");
    tap_ok(strstr(table, "service web\nprogram /bin/web\nprovides tcp\nuses debug log\n"
                         "after log\nrestart always\noneshot no\nend\n") != NULL,
           "services: the table lists a service's lines in order");
    tap_ok(strstr(table, "grant irq:4 ioport:0x60-0x64\n") != NULL, "services: grants");
    tap_ok(strstr(table, "run /bin/x 1\non_exit stay\n") != NULL, "services: the run line");
    manifest_free(m);
    m = load("[services.a]\nprogram = \"/bin/a\"\n[services.b]\nprogram = \"/bin/b\"\n"
             "[variants.default]\nservices.b.enabled = false\n", NULL, NULL, 0);
    tap_ok(m && m->services_len == 1 && !strcmp(m->services[0].name, "a"),
           "services: a variant removes one with enabled = false");
    manifest_free(m);
    expect_error("[services.a]\nprogram = \"/bin/a\"\nafter = [\"b\"]\n"
                 "[services.b]\nprogram = \"/bin/b\"\nafter = [\"a\"]\n",
                 "config.toml:1:1: services.a: the after lists form a cycle", "services: a cycle");
    expect_error("[services.a]\nargs = [\"x\"]\n",
                 "config.toml:1:1: services.a: a service needs a program", "services: no program");
    expect_error("[services.a]\nprogram = \"/bin/a\"\nuses = [\"tcp\"]\n",
                 "services.a.uses: no kernel scheme and no service provides \"tcp\"",
                 "services: an unknown scheme in a namespace");
    expect_error("[services.a]\nprogram = \"/bin/a\"\nafter = [\"zz\"]\n",
                 "services.a.after: there is no service \"zz\"", "services: after an unknown service");
    expect_error("[services.a]\nprogram = \"/bin/a\"\ngrants = [\"irq:256\"]\n",
                 "config.toml:3:10: services.a.grants: \"irq:256\" is not", "services: a bad grant");
    expect_error("[services.a]\nprogram = \"nosuchd\"\n",
                 "config.toml:2:11: services.a.program: ", "services: a missing services/ folder");
    test_init_grants();
}

/* [drivers.NAME]: in the table with their match, after the pci: provider;
 * PID 1 gets the windows; without pcid they are dropped. */
static void test_drivers(void)
{
    static const char base[] =
        "[drivers.d]\nprogram = \"/bin/d\"\nmatch = { class = 0x010802 }\nprovides = [\"disk.x\"]\n"
        "[drivers.v]\nprogram = \"/bin/v\"\nmatch = { vendor = 0x1af4, device = 0x1001 }\n"
        "[variants.pci]\nservices.p = { program = \"/bin/p\", provides = [\"pci\"] }\n"
        "drivers.v.enabled = false\n";
    struct manifest *m = load(base, "pci", NULL, 0);
    const char *table;
    char *grants;

    if (!tap_ok(m != NULL && m->services_len == 2, "drivers: pcid and one driver (v disabled)"))
        return;
    table = m->files[m->files_len - 1].text;
    tap_ok(strstr(table, "service d\nprogram /bin/d\nprovides disk.x\nafter p\n"
                         "driver 010802 * *\n") != NULL,
           "drivers: the table has the match, the driver comes after pcid");
    tap_ok(strstr(table, "\ndriver_window memory:0xc0000000-0xfebfffff ") != NULL,
           "drivers: and the windows init checks BARs against");
    grants = services_pid1_grants(m);
    tap_ok(grants && strstr(grants, "ioport:0x6000-0xffff,irq:5-11,dma,irq:16"),
           "drivers: PID 1 holds the windows, dma and MSI (%s)", grants ? grants : "");
    free(grants);
    manifest_free(m);
    m = load(base, NULL, NULL, 0);
    tap_ok(m && m->services_len == 0, "drivers: dropped without a pci: provider");
    manifest_free(m);
    expect_error("[drivers.d]\nprogram = \"/bin/d\"\n",
                 "config.toml:1:1: drivers.d: a driver needs match", "drivers: no match");
    expect_error("[drivers.d]\nprogram = \"/bin/d\"\nmatch = { class = 0x1000000 }\n",
                 "config.toml:3:19: drivers.d.match.class must be an integer from 0 to 0xffffff",
                 "drivers: a class past 24 bits");
    expect_error("[drivers.d]\nprogram = \"/bin/d\"\nmatch = { device = 1 }\n",
                 "config.toml:3:9: drivers.d.match: a device id needs its vendor",
                 "drivers: a device without its vendor");
    expect_error("[drivers.d]\nprogram = \"/bin/d\"\nmatch = { class = 1 }\ngrants = [\"dma\"]\n",
                 "config.toml:4:1: unknown key 'drivers.d.grants'", "drivers: no grants key");
    expect_error("[services.d]\nprogram = \"/bin/d\"\n[drivers.d]\nprogram = \"/bin/d\"\n"
                 "match = { class = 1 }\n", "drivers.d: there is a service or driver \"d\"",
                 "drivers: one name for a service and a driver");
}

/* [network]: DHCP unless a static address is given; the ${network.*} words of
 * a service's args become the values in the table; bad addresses are errors. */
static void test_network(void)
{
    static const char svc[] = "[services.n]\nprogram = \"/bin/n\"\nargs = [\"-a\", "
                              "\"${network.address}\", \"-g\", \"${network.gateway}\", \"-d\", "
                              "\"${network.dns}\"]\n";
    char *text = xasprintf("[network]\naddress = \"10.0.2.15/24\"\ngateway = \"10.0.2.2\"\n%s",
                           svc);
    struct manifest *m = load(svc, NULL, NULL, 0);

    tap_ok(m && strstr(m->files[m->files_len - 1].text, "args -a dhcp -g none -d none\n"),
           "network: DHCP by default, gateway and dns none");
    manifest_free(m);
    m = load(text, NULL, NULL, 0);
    tap_ok(m && strstr(m->files[m->files_len - 1].text,
                       "args -a 10.0.2.15/24 -g 10.0.2.2 -d none\n"),
           "network: a static address and gateway land in the args");
    manifest_free(m);
    free(text);
    expect_error("[network]\naddress = \"10.0.2.15\"\n",
                 "config.toml:2:11: network.address must be \"dhcp\" or an IPv4 address with its "
                 "prefix length", "network: an address without its prefix");
    expect_error("[network]\ngateway = \"10.0.2.256\"\n",
                 "config.toml:2:11: network.gateway must be \"none\" or an IPv4 address",
                 "network: a part past 255");
    expect_error("[network]\ndns = \"10.0.2.3/24\"\n", "network.dns must be",
                 "network: a prefix on a single address");
    expect_error("[network]\nmtu = 9000\n", "unknown key 'network.mtu'", "network: unknown keys");
}

/* A service folder with a build.sh (netd: it links lwIP) is built by that
 * recipe; one without is compiled from its .c files with services/lib. */
static void test_service_recipe(void)
{
    static const char cfg[] = "[services.n]\nprogram = \"n\"\n[services.p]\nprogram = \"p\"\n";
    char *cmd = xasprintf("mkdir -p %s/services/n %s/services/p && touch %s/services/n/build.sh "
                          "%s/services/n/main.c %s/services/p/main.c", dir, dir, dir, dir, dir);
    struct manifest *m;
    const struct mf_package *n = NULL, *p = NULL;

    if (!tap_ok(system(cmd) == 0, "service recipe: the folders are made"))
        return;
    free(cmd);
    m = load(cfg, NULL, NULL, 0);
    for (size_t i = 0; m && i < m->packages_len; i++) {
        if (!strcmp(m->packages[i].name, "n"))
            n = &m->packages[i];
        if (!strcmp(m->packages[i].name, "p"))
            p = &m->packages[i];
    }
    tap_ok(n && n->build && !strcmp(n->build, "build.sh") && !strcmp(n->install, "/bin/n"),
           "service recipe: services/n/build.sh builds /bin/n");
    tap_ok(p && !p->build, "service recipe: a folder without one is compiled as before");
    manifest_free(m);
}

/* A cpio newc header is 110 ASCII bytes; check one field and the padding. */
static void test_cpio(void)
{
    struct cpio_writer w = {.mtime = 1234};

    cpio_add_dir(&w, "etc", 0755);
    cpio_add_file(&w, "etc/a", 0644, "xyz", 3);
    cpio_finish(&w);
    tap_ok(!memcmp(w.out.buf, "070701", 6), "cpio: newc magic");
    tap_ok(!memcmp(w.out.buf + 14, "000041ED", 8), "cpio: directory mode 040755");
    tap_ok(!memcmp(w.out.buf + 46, "000004D2", 8), "cpio: the fixed mtime");
    tap_is_int(w.out.len % 4, 0, "cpio: archive is 4-byte aligned");
    tap_ok(memmem(w.out.buf, w.out.len, "TRAILER!!!", 11) != NULL, "cpio: has the trailer");
    tap_ok(memmem(w.out.buf, w.out.len, "etc/a", 6) != NULL, "cpio: holds the file name");
    tap_ok(memmem(w.out.buf, w.out.len, "xyz", 3) != NULL, "cpio: holds the file data");
    sb_free(&w.out);
}

int main(void)
{
    if (!mkdtemp(dir))
        return 1;
    test_defaults();
    test_sections();
    test_variants();
    test_sets();
    test_errors();
    test_services();
    test_drivers();
    test_service_recipe();
    test_network();
    test_console();
    test_cpio();
    char *cmd = xasprintf("rm -rf %s", dir);
    if (system(cmd) != 0)
        tap_diag("could not remove the scratch folder");
    free(cmd);
    return tap_done();
}
