/* tests/host/test_fat.c: fatd's FAT32 core on the host against the Linux tools:
 * volumes made by mkfs.fat and filled by mtools are read back byte for byte;
 * what the core writes, mtools reads; fsck.fat -n finds every volume clean after
 * each scenario; FSInfo's free count and the dirty marks are right; and power
 * cuts at random points leave volumes fsck.fat -a repairs with fsync'd files
 * intact. Built by the Makefile with services/fatd's core sources. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fat.h"
#include "meta.h"
#include "tap.h"

#define IMG_KIB 65536               /* 64 MiB: 512-byte clusters, ~129000 of them */
#define NOW 1700000000
#define BIG_BYTES (3 * 1024 * 1024 + 1234)
#define CUT_RUNS 24
#define FAT1_CLEAN 0x08000000u

static char dir[] = "/tmp/anvil-test-fat-XXXXXX";
static char img[256], pristine[256];

static int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int sh(const char *fmt, ...)
{
    char cmd[4096];
    va_list ap;
    int st;

    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    st = system(cmd);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void fill(uint8_t *buf, size_t len, unsigned seed)
{
    uint32_t x = seed * 2654435761u + 1;

    for (size_t i = 0; i < len; i++) {
        x ^= x << 13, x ^= x >> 17, x ^= x << 5;
        buf[i] = (uint8_t)x;
    }
}

static int write_host(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    int ok = f && fwrite(data, 1, len, f) == len;

    if (f)
        fclose(f);
    return ok ? 0 : -1;
}

static void fresh_image(void)
{
    sh("cp %s %s", pristine, img);
}

static struct fat_vol *mount_img(struct blk **b)
{
    struct fat_vol *v = NULL;

    if (blk_open_file(img, false, b) < 0)
        return NULL;
    if (fat_mount(*b, false, &v) < 0) {
        (*b)->ops->close(*b);
        return NULL;
    }
    return v;
}

static int unmount_img(struct fat_vol *v, struct blk *b)
{
    int err = fat_unmount(v);

    b->ops->close(b);
    return err;
}

/* The node at path (components separated by '/'), held; NULL if missing. */
static struct fat_node *walk(struct fat_vol *v, const char *path)
{
    char buf[1024], *save = NULL;
    struct fat_node *n = v->root;
    int err;

    snprintf(buf, sizeof buf, "%s", path);
    for (char *c = strtok_r(buf, "/", &save); c && n; c = strtok_r(NULL, "/", &save)) {
        struct fat_node *next = fat_lookup(v, n, c, &err);
        fat_node_put(v, n);
        n = next;
    }
    return n;
}

/* Create path's file in its (existing) directory and write data, in chunks of step. */
static int put_file(struct fat_vol *v, const char *dpath, const char *name, const uint8_t *data,
                    size_t len, size_t step)
{
    struct fat_node *d = dpath[0] ? walk(v, dpath) : v->root, *f;
    int err = 0;

    if (!d)
        return -ENOENT;
    if (!(f = fat_create(v, d, name, FAT_ATTR_ARCHIVE, NOW, &err))) {
        fat_node_put(v, d);
        return err;
    }
    for (size_t off = 0; off < len && err == 0; off += step) {
        size_t part = len - off < step ? len - off : step;
        long w = fat_write(v, f, data + off, part, off, NOW);
        err = w == (long)part ? 0 : w < 0 ? (int)w : -EIO;
    }
    fat_node_put(v, f);
    fat_node_put(v, d);
    return err;
}

static int mkdir_at(struct fat_vol *v, const char *dpath, const char *name)
{
    struct fat_node *d = dpath[0] ? walk(v, dpath) : v->root, *n;
    int err = 0;

    if (!d)
        return -ENOENT;
    n = fat_create(v, d, name, FAT_ATTR_DIR, NOW, &err);
    if (n)
        fat_node_put(v, n);
    fat_node_put(v, d);
    return err;
}

/* The whole file at path, read through the core (malloc'd), or NULL. */
static uint8_t *read_core(struct fat_vol *v, const char *path, size_t *len)
{
    struct fat_node *n = walk(v, path);
    uint8_t *buf;
    long got = -1;

    if (!n)
        return NULL;
    buf = malloc(n->size + 1);
    if (buf)
        got = fat_read(v, n, buf, n->size, 0);
    *len = got < 0 ? 0 : (size_t)got;
    if (got != (long)n->size) {
        free(buf);
        buf = NULL;
    }
    fat_node_put(v, n);
    return buf;
}

/* Whether mtools reads exactly data at ::/path. */
static bool mtools_has(const char *path, const uint8_t *data, size_t len)
{
    char out[300], want[300];

    snprintf(out, sizeof out, "%s/mout", dir);
    snprintf(want, sizeof want, "%s/mwant", dir);
    unlink(out);
    if (write_host(want, data, len) < 0 || sh("mcopy -n -i %s '::/%s' %s 2>/dev/null", img, path, out))
        return false;
    return sh("cmp -s %s %s", out, want) == 0;
}

static bool fsck_clean(void)
{
    return sh("fsck.fat -n %s >%s/fsck.log 2>&1", img, dir) == 0;
}

static void show_fsck(void)
{
    sh("sed 's/^/#   /' %s/fsck.log | head -20", dir);
}

static void check_clean(const char *what)
{
    if (!tap_ok(fsck_clean(), "fsck.fat -n: clean after %s", what))
        show_fsck();
}

/* ---- raw looks at the image, independent of the core ---- */

static uint32_t raw32(const uint8_t *p)
{
    return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* FSInfo's free count, the free entries counted in FAT 1, boot state, FAT[1]. */
static int raw_facts(uint32_t *fsinfo_free, uint32_t *counted, uint8_t *state, uint32_t *fat1)
{
    int fd = open(img, O_RDONLY);
    uint8_t boot[512], fsi[512];
    uint32_t bps, rsvd, fatsz, spc, tot, clusters, *fat;

    if (fd < 0 || pread(fd, boot, 512, 0) != 512)
        return -1;
    bps = boot[11] | boot[12] << 8, spc = boot[13], rsvd = boot[14] | boot[15] << 8;
    fatsz = raw32(boot + 36), tot = raw32(boot + 32);
    clusters = (tot - rsvd - boot[16] * fatsz) / spc;
    fat = malloc((size_t)fatsz * bps);
    if (pread(fd, fsi, 512, (off_t)(boot[48] | boot[49] << 8) * bps) != 512 ||
        pread(fd, fat, (size_t)fatsz * bps, (off_t)rsvd * bps) != (ssize_t)fatsz * bps) {
        close(fd);
        free(fat);
        return -1;
    }
    *fsinfo_free = raw32(fsi + 488);
    *counted = 0;
    for (uint32_t c = 2; c < clusters + 2; c++)
        *counted += (fat[c] & 0x0fffffff) == 0;
    *state = boot[65];
    *fat1 = fat[1];
    free(fat);
    close(fd);
    return 0;
}

/* ---- scenarios ---- */

static void test_read_mtools(void)
{
    static uint8_t big[BIG_BYTES];
    char host[300];
    struct blk *b;
    struct fat_vol *v;
    size_t len;
    uint8_t *got;
    int files = 0;

    fresh_image();
    fill(big, sizeof big, 7);
    snprintf(host, sizeof host, "%s/big", dir);
    write_host(host, big, sizeof big);
    sh("mmd -i %s ::/deep ::/deep/er ::/deep/er/still ::/deep/er/still/'A Folder With Spaces'", img);
    sh("mcopy -i %s %s '::/deep/er/still/A Folder With Spaces/Big File Crossing Clusters.bin'",
       img, host);
    write_host(host, "hello from mtools\n", 18);
    sh("mcopy -i %s %s ::/README.TXT", img, host);
    sh("mcopy -i %s %s '::/a name that is quite a bit longer than the thirteen chars.text'",
       img, host);
    sh("mmd -i %s ::/many", img);
    for (int i = 0; i < 60; i++)
        sh("mcopy -i %s %s '::/many/entry number %03d.txt'", img, host, i);

    v = mount_img(&b);
    if (!tap_ok(v != NULL, "mount a volume mtools filled"))
        return;
    got = read_core(v, "deep/er/still/a folder with spaces/BIG FILE CROSSING CLUSTERS.BIN", &len);
    tap_ok(got && len == sizeof big && !memcmp(got, big, len),
           "a 3 MiB file 4 folders deep reads byte for byte (case-insensitive path)");
    free(got);
    got = read_core(v, "README.TXT", &len);
    tap_ok(got && len == 18 && !memcmp(got, "hello from mtools\n", 18), "a short-name file reads");
    free(got);
    got = read_core(v, "a name that is quite a bit longer than the thirteen chars.text", &len);
    tap_ok(got && len == 18, "a 60-character long name is found");
    free(got);
    struct fat_node *many = walk(v, "many");
    struct fat_found f;
    uint32_t slot = 0;
    char want[64];
    while (many && fat_dir_next(v, many->first, &slot, &f) > 0) {
        snprintf(want, sizeof want, "entry number %03d.txt", files - 2 < 0 ? 0 : files - 2);
        files += files < 2 ? 1 : !strcmp(f.name, want);
    }
    tap_is_int(files, 62, "a folder of 60 long names lists them all, in order, with . and ..");
    if (many)
        fat_node_put(v, many);
    tap_is_int(unmount_img(v, b), 0, "unmount");
    check_clean("reading");
}

static void test_write_read_back(void)
{
    static uint8_t big[BIG_BYTES];
    static const char *names[] = {
        "readme.txt", "Makefile", "UPPER.TXT", "Long File Name 1.txt", "Long File Name 2.txt",
        "über-naïve ünïcödé.txt", "x", "many.dots.in.this.name", "  leading spaces",
    };
    struct blk *b;
    struct fat_vol *v;
    char path[300];
    int ok = 1;

    fresh_image();
    fill(big, sizeof big, 11);
    if (!tap_ok((v = mount_img(&b)) != NULL, "mount a fresh mkfs.fat volume"))
        return;
    tap_is_int(mkdir_at(v, "", "Top Level Folder"), 0, "mkdir with a long name");
    tap_is_int(mkdir_at(v, "Top Level Folder", "sub"), 0, "mkdir inside it");
    tap_is_int(mkdir_at(v, "Top Level Folder/sub", "subsub"), 0, "and deeper");
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        ok &= put_file(v, "Top Level Folder", names[i], (const uint8_t *)names[i],
                       strlen(names[i]), 5) == 0;
    tap_ok(ok, "files with short, mixed-case, long and UTF-8 names are created");
    tap_is_int(put_file(v, "Top Level Folder/sub/subsub", "big data.bin", big, sizeof big, 4093),
               0, "a 3 MiB file written in odd-sized pieces");
    tap_is_int(put_file(v, "Top Level Folder", "README.TXT", big, 1, 1), -EEXIST, "the same name in another case is EEXIST");
    for (int i = 0; i < 40; i++) {
        snprintf(path, sizeof path, "file %d with a long enough name.dat", i);
        int err = put_file(v, "Top Level Folder/sub", path, big + i, 700 + (size_t)i, 333);
        if (err)
            printf("#   %s: %s\n", path, strerror(-err));
        ok &= err == 0;
    }
    tap_ok(ok, "40 more files grow the folder past one cluster");
    tap_is_int(unmount_img(v, b), 0, "unmount");
    check_clean("writing");
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        snprintf(path, sizeof path, "Top Level Folder/%s", names[i]);
        if (!tap_ok(mtools_has(path, (const uint8_t *)names[i], strlen(names[i])),
                    "mtools reads '%s'", names[i]))
            sh("mdir -i %s '::/Top Level Folder' | sed 's/^/#   /'", img);
    }
    tap_ok(mtools_has("Top Level Folder/sub/subsub/big data.bin", big, sizeof big),
           "mtools reads the 3 MiB file byte for byte");
    ok = 1;
    for (int i = 0; i < 40; i++) {
        snprintf(path, sizeof path, "Top Level Folder/sub/file %d with a long enough name.dat", i);
        ok &= mtools_has(path, big + i, 700 + (size_t)i);
    }
    tap_ok(ok, "mtools reads all 40");
    tap_ok(sh("mdir -i %s ::/ | grep -q 'Top Level Folder'", img) == 0, "mdir lists the long folder name");
    tap_ok(sh("mdir -i %s '::/Top Level Folder' | grep -q 'readme  txt.*readme.txt\\|^readme   txt'",
              img) == 0 || sh("mdir -i %s '::/Top Level Folder' | grep -qi 'readme'", img) == 0,
           "mdir lists readme.txt");
}

static void test_rename_remove(void)
{
    struct blk *b;
    struct fat_vol *v;
    struct fat_node *a, *c, *top;
    uint8_t data[5000];

    fresh_image();
    fill(data, sizeof data, 3);
    if (!(v = mount_img(&b)))
        return;
    mkdir_at(v, "", "a");
    mkdir_at(v, "", "c");
    mkdir_at(v, "a", "moving folder");
    put_file(v, "a/moving folder", "inside.bin", data, sizeof data, 1000);
    put_file(v, "a", "file to rename.bin", data, 100, 100);
    put_file(v, "a", "doomed", data, 4000, 4000);
    a = walk(v, "a");
    c = walk(v, "c");
    top = v->root;
    tap_is_int(fat_rename(v, a, "moving folder", c, "Moved Folder"), 0, "rename a folder into another");
    tap_is_int(fat_rename(v, a, "file to rename.bin", top, "renamed at the top.bin"), 0,
               "rename a file to another folder");
    tap_is_int(fat_remove(v, a, "doomed"), 0, "unlink a file");
    tap_is_int(fat_remove(v, a, "doomed"), -ENOENT, "unlinking it again is ENOENT");
    tap_is_int(fat_remove(v, top, "c"), -ENOTEMPTY, "rmdir of a full folder is ENOTEMPTY");
    tap_is_int(fat_remove(v, top, "a"), 0, "rmdir of the emptied folder");
    fat_node_put(v, a);
    fat_node_put(v, c);
    tap_is_int(unmount_img(v, b), 0, "unmount");
    check_clean("rename, unlink, rmdir (.. of the moved folder)");
    tap_ok(mtools_has("c/Moved Folder/inside.bin", data, sizeof data), "mtools reads the moved folder's file");
    tap_ok(mtools_has("renamed at the top.bin", data, 100), "and the renamed file");
    tap_ok(sh("mdir -i %s ::/a >/dev/null 2>&1", img) != 0, "the removed folder is gone");
}

static void test_truncate_fsinfo(void)
{
    static uint8_t data[200000];
    uint8_t *want = calloc(1, 300000);
    uint32_t fsi, counted, fat1;
    uint8_t state;
    struct blk *b;
    struct fat_vol *v;
    struct fat_node *n;

    fresh_image();
    fill(data, sizeof data, 5);
    if (!(v = mount_img(&b)))
        return;
    put_file(v, "", "shrinks", data, sizeof data, 65536);
    put_file(v, "", "grows", data, 1000, 1000);
    put_file(v, "", "empties", data, 9000, 9000);
    n = walk(v, "shrinks");
    tap_is_int(fat_truncate(v, n, 1500, NOW), 0, "truncate 200000 -> 1500");
    fat_node_put(v, n);
    n = walk(v, "grows");
    tap_is_int(fat_truncate(v, n, 300000, NOW), 0, "truncate 1000 -> 300000");
    fat_node_put(v, n);
    n = walk(v, "empties");
    tap_is_int(fat_truncate(v, n, 0, NOW), 0, "truncate to 0");
    tap_is_int(fat_write(v, n, "after", 5, 100000, NOW), 5, "a write far past the end");
    fat_node_put(v, n);
    raw_facts(&fsi, &counted, &state, &fat1);
    tap_ok((state & 1) && !(fat1 & FAT1_CLEAN), "while mounted the volume is marked dirty (boot state, FAT[1])");
    tap_is_int(unmount_img(v, b), 0, "unmount");
    check_clean("truncate");
    raw_facts(&fsi, &counted, &state, &fat1);
    tap_is_int(fsi, counted, "FSInfo's free count equals the free FAT entries");
    tap_ok(!(state & 1) && (fat1 & FAT1_CLEAN), "after unmount the volume is marked clean");
    tap_ok(mtools_has("shrinks", data, 1500), "the shrunk file reads right");
    memcpy(want, data, 1000);
    tap_ok(mtools_has("grows", want, 300000), "the grown file reads with zeros after its old end");
    memset(want, 0, 100000);
    memcpy(want + 100000, "after", 5);
    tap_ok(mtools_has("empties", want, 100005), "the gap before a far write is zeros");
    free(want);
}

static void test_meta(void)
{
    struct fat_meta m = {.mode = 0120777, .uid = 0, .gid = 0}, got;
    struct blk *b;
    struct fat_vol *v;
    struct fat_node *bin;

    fresh_image();
    if (!(v = mount_img(&b)))
        return;
    mkdir_at(v, "", "bin");
    bin = walk(v, "bin");
    put_file(v, "bin", "ls", (const uint8_t *)"/bin/busybox", 12, 12);
    put_file(v, "bin", "secret", (const uint8_t *)"x", 1, 1);
    tap_is_int(meta_set(v, bin, "ls", 0, &m), 0, "a symbolic link's mode is stored");
    m = (struct fat_meta){.mode = 0100600, .uid = 1000, .gid = 100};
    tap_is_int(meta_set(v, bin, "secret", 0, &m), 0, "chmod 600, chown 1000:100");
    fat_node_put(v, bin);
    unmount_img(v, b);
    check_clean("metadata files");
    v = mount_img(&b);
    bin = walk(v, "bin");
    meta_get(v, bin, "LS", 0, &got);
    tap_is_int(got.mode, 0120777, "after a remount ls is still a link");
    meta_get(v, bin, "secret", 0, &got);
    tap_ok(got.mode == 0100600 && got.uid == 1000 && got.gid == 100, "and secret keeps mode and owner");
    meta_get(v, bin, "other", 0, &got);
    tap_is_int(got.mode, 0100755, "a name without a line gets the defaults");
    tap_is_int(fat_remove(v, bin, "ls"), 0, "unlink ls");
    meta_remove(v, bin, "ls");
    meta_remove(v, bin, "secret");
    fat_remove(v, bin, "secret");
    fat_node_put(v, bin);
    tap_is_int(fat_remove(v, v->root, "bin"), 0, "rmdir a folder whose metadata file emptied");
    unmount_img(v, b);
    check_clean("removing metadata");
}

static void test_hostile(void)
{
    struct blk *b;
    struct fat_vol *v;
    int fd;

    fresh_image();
    fd = open(img, O_WRONLY);
    if (pwrite(fd, "\x00\x00", 2, 11) != 2)   /* bytes per sector 0 */
        tap_diag("write failed");
    close(fd);
    blk_open_file(img, false, &b);
    tap_is_int(fat_mount(b, false, &v), -EINVAL, "a BPB with 0 bytes per sector is refused");
    b->ops->close(b);
    tap_ok(!fat_name_ok("a/b") && !fat_name_ok("q?") && !fat_name_ok("..") && !fat_name_ok("dot.") &&
           !fat_name_ok("\x01") && !fat_name_ok("\xc3\x28") && fat_name_ok("[") && fat_name_ok("a b"),
           "names FAT cannot hold are refused; [ and spaces are fine");
}

/* ---- power cuts ---- */

struct cut_blk {
    struct blk b;
    struct blk *inner;
    uint64_t writes, budget;        /* writes reaching the disk; after budget, none */
};

static int cut_read(struct blk *b, uint64_t off, void *buf, size_t len)
{
    struct cut_blk *c = b->priv;

    return c->inner->ops->read(c->inner, off, buf, len);
}

/* Writes count in 512-byte sectors, so a cut can also fall inside a
 * multi-sector write (fatd writes runs): its first sectors land, the rest
 * never do, as on a disk that loses power mid-transfer. */
static int cut_write(struct blk *b, uint64_t off, const void *buf, size_t len)
{
    struct cut_blk *c = b->priv;
    uint64_t sectors = (len + 511) / 512, land;

    land = c->writes >= c->budget ? 0 : c->budget - c->writes;
    c->writes += sectors;
    if (land >= sectors)
        return c->inner->ops->write(c->inner, off, buf, len);
    /* the power is gone: what follows never lands, nobody is told */
    return land ? c->inner->ops->write(c->inner, off, buf, (size_t)land * 512) : 0;
}

static int cut_flush(struct blk *b)
{
    struct cut_blk *c = b->priv;

    return c->inner->ops->flush(c->inner);
}

static void cut_close(struct blk *b)
{
    struct cut_blk *c = b->priv;

    c->inner->ops->close(c->inner);
}

static const struct blk_ops cut_ops = {cut_read, cut_write, cut_flush, cut_close};

#define SEQ_FILES 18

/* The sequence: files written in three folders, every third fsync'd; scratch
 * files created, renamed, truncated and removed around them. durable[i] is set
 * when file i's fsync finished while writes still landed. */
static void sequence(struct fat_vol *v, struct cut_blk *c, bool durable[SEQ_FILES])
{
    static uint8_t data[40000];
    char name[100], scratch[100];
    struct fat_node *d;

    for (int i = 0; i < 3; i++) {
        snprintf(name, sizeof name, "folder %d", i);
        mkdir_at(v, "", name);
    }
    for (int i = 0; i < SEQ_FILES; i++) {
        snprintf(name, sizeof name, "folder %d", i % 3);
        snprintf(scratch, sizeof scratch, "numbered file %02d.bin", i);
        fill(data, sizeof data, (unsigned)i);
        put_file(v, name, scratch, data, 1000 + (size_t)i * 2000, 1500);
        snprintf(scratch, sizeof scratch, "scratch %d", i);
        put_file(v, name, scratch, data, 3000, 3000);
        d = walk(v, name);
        if (d) {
            fat_rename(v, d, scratch, d, "renamed scratch");
            fat_remove(v, d, "renamed scratch");
        }
        if (d)
            fat_node_put(v, d);
        if (i % 3 == 2) {
            if (fat_sync(v) == 0 && c->writes <= c->budget)
                for (int k = 0; k <= i; k++)
                    durable[k] = true;
        }
    }
}

static bool durable_intact(const bool durable[SEQ_FILES])
{
    static uint8_t data[40000];
    char path[120];

    for (int i = 0; i < SEQ_FILES; i++) {
        if (!durable[i])
            continue;
        fill(data, sizeof data, (unsigned)i);
        snprintf(path, sizeof path, "folder %d/numbered file %02d.bin", i % 3, i);
        if (!mtools_has(path, data, 1000 + (size_t)i * 2000)) {
            printf("#   lost: %s\n", path);
            return false;
        }
    }
    return true;
}

/* Every numbered file left holds a prefix of what was written to it: an entry
 * never reaches the disk before its data. */
static bool no_garbage(void)
{
    static uint8_t data[40000];
    char path[120], out[300];
    uint8_t *got;
    size_t len;

    snprintf(out, sizeof out, "%s/mout", dir);
    for (int i = 0; i < SEQ_FILES; i++) {
        snprintf(path, sizeof path, "folder %d/numbered file %02d.bin", i % 3, i);
        unlink(out);
        if (sh("mcopy -n -i %s '::/%s' %s 2>/dev/null", img, path, out))
            continue;   /* not there: fine */
        fill(data, sizeof data, (unsigned)i);
        got = (uint8_t *)strdup("");
        FILE *f = fopen(out, "rb");
        len = 0;
        if (f) {
            free(got);
            got = malloc(sizeof data + 1);
            len = fread(got, 1, sizeof data + 1, f);
            fclose(f);
        }
        bool ok = len <= 1000 + (size_t)i * 2000 && !memcmp(got, data, len);
        free(got);
        if (!ok) {
            printf("#   %s holds bytes never written to it\n", path);
            return false;
        }
    }
    return true;
}

/* One run with the power cut after budget writes: the writes it took in all. */
static uint64_t cut_run(uint64_t budget, bool durable[SEQ_FILES])
{
    struct cut_blk c = {.budget = budget};
    struct fat_vol *v;

    fresh_image();
    memset(durable, 0, SEQ_FILES);
    if (blk_open_file(img, false, &c.inner) < 0)
        return 0;
    c.b = (struct blk){.ops = &cut_ops, .size = c.inner->size, .priv = &c};
    if (fat_mount(&c.b, false, &v) < 0) {
        cut_close(&c.b);
        return 0;
    }
    sequence(v, &c, durable);
    fat_unmount(v);   /* past the cut these writes are lost too */
    cut_close(&c.b);
    return c.writes;
}

static void test_power_cuts(void)
{
    bool durable[SEQ_FILES];
    uint64_t total = cut_run(UINT64_MAX, durable);
    int repaired = 0, intact = 0, honest = 0, none_durable = 0, all_durable = 0;
    unsigned seed = 12345;

    tap_ok(total > 100, "the sequence takes %llu writes", (unsigned long long)total);
    tap_ok(fsck_clean() && durable_intact(durable), "uncut, the volume is clean and every file intact");
    for (int run = 0; run < CUT_RUNS; run++) {
        seed = seed * 1103515245 + 12345;
        /* spread from the start to the end, each run at a random point of its stretch */
        uint64_t budget = total * (uint64_t)run / (CUT_RUNS - 1) + (seed >> 8) % (total / CUT_RUNS);
        cut_run(budget, durable);
        int st = sh("fsck.fat -a %s >%s/fsck.log 2>&1", img, dir);
        bool clean = (st == 0 || st == 1) && fsck_clean();
        if (!clean) {
            printf("#   cut after %llu writes: fsck.fat -a left errors\n", (unsigned long long)budget);
            show_fsck();
        }
        repaired += clean;
        intact += clean && durable_intact(durable);
        honest += clean && no_garbage();
        none_durable += !durable[0];
        all_durable += durable[SEQ_FILES - 1];
    }
    tap_is_int(repaired, CUT_RUNS, "after each of the power cuts fsck.fat -a repairs the volume");
    tap_is_int(intact, CUT_RUNS, "and every file whose fsync returned reads back intact");
    tap_is_int(honest, CUT_RUNS, "no file shows bytes it was never given (data before FAT before entry)");
    tap_ok(none_durable > 0 && all_durable > 0 && none_durable + all_durable < CUT_RUNS,
           "cuts fall before the first fsync (%d), after the last (%d) and between", none_durable,
           all_durable);
}

int main(void)
{
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    setenv("MTOOLS_SKIP_CHECK", "1", 1);
    snprintf(img, sizeof img, "%s/vol.img", dir);
    snprintf(pristine, sizeof pristine, "%s/pristine.img", dir);
    if (sh("mkfs.fat -F 32 -i 12345678 -n ANVILTEST -C %s %d >/dev/null", pristine, IMG_KIB)) {
        printf("Bail out! mkfs.fat failed (Debian package dosfstools)\n");
        return 1;
    }
    test_read_mtools();
    test_write_read_back();
    test_rename_remove();
    test_truncate_fsinfo();
    test_meta();
    test_hostile();
    test_power_cuts();
    sh("rm -rf %s", dir);
    return tap_done();
}
