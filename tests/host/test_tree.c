/* tests/host/test_tree.c: the image's root tree: [tree], [[files]] folders and
 * symlinks, a package's links (links_from), and image.root = "ramfs", which
 * splits the initfs into boot entries plus the whole tree as an inner archive. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "initfs.h"
#include "manifest.h"
#include "pkgbuild.h"
#include "tap.h"
#include "util.h"

static char dir[] = "/tmp/anvil-test-tree-XXXXXX";
#include "config_load.h"

/* One entry of a newc archive, as read back. */
struct entry {
    char name[256];
    unsigned mode;
    char *data;
    size_t len;
};

static unsigned hex8(const char *p)
{
    char buf[9];

    memcpy(buf, p, 8);
    buf[8] = '\0';
    return (unsigned)strtoul(buf, NULL, 16);
}

/* Find name in the archive a (len bytes); 1 when found. */
static int cpio_find(const char *a, size_t len, const char *name, struct entry *e)
{
    size_t off = 0;

    while (off + 110 <= len && !memcmp(a + off, "070701", 6)) {
        unsigned mode = hex8(a + off + 14), fsize = hex8(a + off + 54), nsize = hex8(a + off + 94);
        const char *n = a + off + 110;
        size_t data = (off + 110 + nsize + 3) & ~(size_t)3;
        if (!strcmp(n, "TRAILER!!!"))
            return 0;
        if (!strcmp(n, name)) {
            snprintf(e->name, sizeof e->name, "%s", n);
            e->mode = mode;
            e->data = (char *)a + data;
            e->len = fsize;
            return 1;
        }
        off = (data + fsize + 3) & ~(size_t)3;
    }
    return 0;
}

static void test_errors(void)
{
    expect_error("[[files]]\npath = \"/a\"\ntext = \"x\"\ndir = true\n",
                 "config.toml:1:1: files: an entry needs exactly one of source, text, dir or link",
                 "a file entry with text and dir");
    expect_error("[[files]]\npath = \"/a\"\ndir = false\n", "config.toml:3:7: files.dir can only "
                 "be true", "dir = false");
    expect_error("[[files]]\npath = \"/a\"\nlink = \"\"\n", "config.toml:3:8: files.link: a "
                 "symlink needs a target", "an empty link target");
    expect_error("[tree]\ndirs = [\"/ok\", \"rel\"]\n", "config.toml:2:16: tree.dirs: \"rel\" "
                 "is not an absolute path", "a relative tree folder");
    expect_error("[tree]\ndevices = [\"a/b\"]\n", "config.toml:2:12: tree.devices: \"a/b\" is "
                 "not a name", "a device name with a slash");
    expect_error("[tree]\nfolders = []\n", "unknown key 'tree.folders'", "an unknown tree key");
    expect_error("[image]\nroot = \"disk\"\n", "config.toml:2:8:", "an unknown image.root");
    expect_error("[image]\nroot = \"ramfs\"\n", "config.toml:2:8: image.root = \"ramfs\" needs a "
                 "service that provides \"file\"", "a ramfs root without a file service");
    expect_error("[[files]]\npath = \"/etc/a\"\ntext = \"\"\n[[files]]\npath = \"/etc/a/b\"\n"
                 "text = \"\"\n", "/etc/a is not a folder, so /etc/a/b cannot be inside it",
                 "a file inside a file");
    expect_error("[tree]\ndirs = [\"/tmp\"]\n[[files]]\npath = \"/tmp\"\ndir = true\n",
                 "files: /tmp is already defined", "a folder given twice");
}

/* A stand-in program whose links_from option lists three links, one of them
 * its own path and one a [[files]] entry (both skipped). */
static char *fake_program(void)
{
    char *path = xasprintf("%s/fakebox", dir);
    FILE *f = fopen(path, "w");

    fputs("#!/bin/sh\n[ \"$1\" = --list ] || exit 3\n"
          "printf 'bin/ls\\nsbin/mount\\nbin/fakebox\\n/etc/motd\\n../bad\\n'\n", f);
    fclose(f);
    chmod(path, 0755);
    return path;
}

static const char *const system_config =
    "[image]\nroot = \"ramfs\"\n"
    "[tree]\ndirs = [\"/proc\", \"/var/log\"]\ndevices = [\"null\"]\n"
    "[[files]]\npath = \"/tmp\"\ndir = true\nmode = 0o1777\n"
    "[[files]]\npath = \"/tmp/keep\"\ntext = \"k\"\n"
    "[[files]]\npath = \"/etc/motd\"\ntext = \"hello\\n\"\n"
    "[[files]]\npath = \"/etc/mtab\"\nlink = \"/proc/mounts\"\n"
    "[services.ramfsd]\nprogram = \"/bin/ramfsd\"\nprovides = [\"file\"]\n";

static void test_split(void)
{
    struct manifest *m = load(system_config, NULL, NULL, 0);
    struct mf_package pkg = {.name = "fakebox", .links_from = "--list"};
    struct mf_package svc = {.name = "ramfsd", .boot = true};
    struct pkg_output outs[2];
    struct pkg_outputs progs = {outs, 2};
    struct strbuf initfs = {0};
    struct entry e, inner;
    char *prog = fake_program();

    if (!tap_ok(m != NULL, "the system config loads"))
        printf("# %s", errors);
    if (!m)
        return;
    outs[0] = (struct pkg_output){.path = "/bin/fakebox", .file = prog, .pkg = &pkg};
    outs[1] = (struct pkg_output){.path = "/bin/ramfsd", .file = prog, .pkg = &svc};
    tap_ok(initfs_build(m, &progs, NULL, &initfs) == 0, "initfs_build with a ramfs root");
    tap_ok(cpio_find(initfs.buf, initfs.len, "bin/ramfsd", &e), "a service program is in the initfs");
    tap_ok(cpio_find(initfs.buf, initfs.len, "etc/anvil/services", &e), "so is the service table");
    tap_ok(!cpio_find(initfs.buf, initfs.len, "etc/motd", &e), "a plain file is not");
    tap_ok(!cpio_find(initfs.buf, initfs.len, "bin/ls", &e), "nor a link");
    if (!tap_ok(cpio_find(initfs.buf, initfs.len, INITFS_ROOT_ARCHIVE + 1, &inner),
                "the initfs holds " INITFS_ROOT_ARCHIVE))
        goto out;
    tap_ok(cpio_find(inner.data, inner.len, "bin/ramfsd", &e), "the tree has the services too");
    tap_ok(cpio_find(inner.data, inner.len, "tmp", &e) && e.mode == 041777, "/tmp is a folder, 1777");
    tap_ok(cpio_find(inner.data, inner.len, "tmp/keep", &e) && e.len == 1, "a file inside it");
    tap_ok(cpio_find(inner.data, inner.len, "var/log", &e) && e.mode == 040755,
           "a [tree] folder, 0755");
    tap_ok(cpio_find(inner.data, inner.len, "var", &e) && e.mode == 040755, "its parent");
    tap_ok(cpio_find(inner.data, inner.len, "dev/null", &e) && e.mode == 0100666 && e.len == 0,
           "a [tree] device name");
    tap_ok(cpio_find(inner.data, inner.len, "bin/ls", &e) && e.mode == 0120777 &&
           e.len == strlen("/bin/fakebox") && !memcmp(e.data, "/bin/fakebox", e.len),
           "links_from: bin/ls -> /bin/fakebox");
    tap_ok(cpio_find(inner.data, inner.len, "sbin/mount", &e) && e.mode == 0120777,
           "links_from: sbin/mount");
    tap_ok(cpio_find(inner.data, inner.len, "bin/fakebox", &e) && e.mode == 0100755,
           "the program itself stays a file");
    tap_ok(cpio_find(inner.data, inner.len, "etc/motd", &e) && e.len == 6,
           "a [[files]] entry wins over a link of the same path");
    tap_ok(!cpio_find(inner.data, inner.len, "../bad", &e), "a link path with .. is ignored");
    tap_ok(cpio_find(inner.data, inner.len, "etc/mtab", &e) && e.mode == 0120777 &&
           e.len == 12 && !memcmp(e.data, "/proc/mounts", 12), "a [[files]] symlink");
out:
    sb_free(&initfs);
    manifest_free(m);
    free(prog);
}

static void test_links_fail(void)
{
    struct manifest *m = load("[[files]]\npath = \"/etc/motd\"\ntext = \"x\"\n", NULL, NULL, 0);
    struct mf_package pkg = {.name = "fakebox", .links_from = "--wrong"};
    char *prog = fake_program();
    struct pkg_output out = {.path = "/bin/fakebox", .file = prog, .pkg = &pkg};
    struct pkg_outputs progs = {&out, 1};
    struct strbuf initfs = {0};
    int saved = dup(2);

    freopen("/dev/null", "w", stderr);
    tap_ok(m && initfs_build(m, &progs, NULL, &initfs) < 0, "a failing links_from command fails the build");
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    sb_free(&initfs);
    manifest_free(m);
    free(prog);
}

/* [[files]] source = a host folder: copied whole, in name order. */
static void test_host_folder(void)
{
    char *top = xasprintf("%s/suite", dir), *sub = xasprintf("%s/suite/sub", dir);
    char *script = xasprintf("%s/suite/run", dir), *data = xasprintf("%s/suite/sub/d", dir);
    char *lnk = xasprintf("%s/suite/l", dir);
    struct manifest *m;
    struct strbuf initfs = {0};
    struct pkg_outputs none = {0};
    struct entry e;

    mkdir(top, 0755);
    mkdir(sub, 0755);
    util_write_scratch(script, "#!/bin/sh\n", 10, 0755);
    util_write_scratch(data, "data", 4, 0600);
    symlink("sub/d", lnk);
    m = load("[[files]]\npath = \"/usr/share/suite\"\nsource = \"suite\"\n", NULL, NULL, 0);
    if (!tap_ok(m && initfs_build(m, &none, NULL, &initfs) == 0, "a host folder as a source"))
        printf("# %s", errors);
    tap_ok(cpio_find(initfs.buf, initfs.len, "usr/share/suite", &e) && e.mode == 040755,
           "the folder itself");
    tap_ok(cpio_find(initfs.buf, initfs.len, "usr/share/suite/run", &e) && e.mode == 0100755 &&
           e.len == 10, "an executable keeps its x bit");
    tap_ok(cpio_find(initfs.buf, initfs.len, "usr/share/suite/sub/d", &e) && e.mode == 0100644 &&
           e.len == 4 && !memcmp(e.data, "data", 4), "a file in a subfolder, 0644");
    tap_ok(cpio_find(initfs.buf, initfs.len, "usr/share/suite/l", &e) && e.mode == 0120777 &&
           e.len == 5 && !memcmp(e.data, "sub/d", 5), "a symlink stays a symlink");
    sb_free(&initfs);
    manifest_free(m);
    free(top);
    free(sub);
    free(script);
    free(data);
    free(lnk);
}

int main(void)
{
    if (!mkdtemp(dir))
        return 1;
    test_errors();
    test_split();
    test_links_fail();
    test_host_folder();
    util_remove_tree(dir);
    return tap_done();
}
