/* tests/guest/programs/ramfs.c: a writable filesystem through plain POSIX
 * calls: create, write, read back, append, truncate, directories, rename,
 * unlink, and the errors. In Anvil it runs against ramfsd (file:); on a host
 * it passes on any Linux filesystem. Usage: ramfs [BASE [SEEDED-FILE]]:
 * BASE must not exist yet (default /ramfs-test), SEEDED-FILE is a file that
 * must already be readable (default /etc/motd; a host run names one that exists). */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tap.h"
#include "util.h"

#define PATH_LEN 512
#define BIG_LEN (100 * 1000)   /* more than one 64 KiB window */

static char base[PATH_LEN - 64];

static const char *at(const char *name)
{
    static char bufs[4][PATH_LEN];
    static int next;
    char *p = bufs[next++ % 4];

    snprintf(p, PATH_LEN, "%s/%s", base, name);
    return p;
}

static off_t size_of(const char *path)
{
    struct stat st;

    return stat(path, &st) == 0 ? st.st_size : -1;
}

static void test_files(void)
{
    char buf[256];
    int fd = open(at("a.txt"), O_CREAT | O_WRONLY | O_TRUNC, 0644);

    tap_ok(fd >= 0, "create a file");
    tap_is_long(write(fd, "hello, ", 7), 7, "write to it");
    tap_is_long(write(fd, "world\n", 6), 6, "write more at the kernel's offset");
    close(fd);
    tap_ok(slurp(at("a.txt"), buf, sizeof(buf)) == 13 && strcmp(buf, "hello, world\n") == 0,
           "read it back");
    tap_is_long(size_of(at("a.txt")), 13, "stat gives its size");
    fd = open(at("a.txt"), O_WRONLY | O_APPEND);
    tap_is_long(write(fd, "more\n", 5), 5, "append");
    close(fd);
    tap_ok(slurp(at("a.txt"), buf, sizeof(buf)) == 18 && strcmp(buf + 13, "more\n") == 0,
           "the append lands at the end");
    fd = open(at("a.txt"), O_RDWR);
    tap_ok(lseek(fd, 7, SEEK_SET) == 7 && write(fd, "WORLD", 5) == 5, "lseek then overwrite");
    tap_ok(lseek(fd, 0, SEEK_END) == 18, "SEEK_END is the size");
    tap_ok(ftruncate(fd, 5) == 0 && size_of(at("a.txt")) == 5, "ftruncate shrinks");
    tap_ok(pread(fd, buf, sizeof(buf), 0) == 5 && memcmp(buf, "hello", 5) == 0, "pread after it");
    close(fd);
    fd = open(at("a.txt"), O_WRONLY | O_TRUNC);
    close(fd);
    tap_is_long(size_of(at("a.txt")), 0, "O_TRUNC empties it");
    tap_fails_with(open(at("a.txt"), O_CREAT | O_EXCL | O_WRONLY, 0644), EEXIST,
                   "O_CREAT | O_EXCL on an existing file is EEXIST");
    tap_fails_with(open(at("missing"), O_RDONLY), ENOENT, "a missing file is ENOENT");
    tap_fails_with(open(at("a.txt/x"), O_RDONLY), ENOTDIR, "a file as a directory is ENOTDIR");
}

static void test_big(void)
{
    char *data = malloc(BIG_LEN), *back = malloc(BIG_LEN);
    ssize_t got = 0, r;
    int fd;

    for (int i = 0; i < BIG_LEN; i++)
        data[i] = (char)(i * 7 + i / 251);
    fd = open(at("big"), O_CREAT | O_RDWR | O_TRUNC, 0600);
    tap_is_long(write(fd, data, BIG_LEN), BIG_LEN, "a write bigger than a window");
    lseek(fd, 0, SEEK_SET);
    while (got < BIG_LEN && (r = read(fd, back + got, BIG_LEN - got)) > 0)
        got += r;
    tap_ok(got == BIG_LEN && memcmp(data, back, BIG_LEN) == 0, "reads give it all back");
    close(fd);
    tap_ok(unlink(at("big")) == 0, "unlink it");
    free(data);
    free(back);
}

/* Whether dir lists exactly the names in want (besides . and ..). */
static bool lists(const char *dir, const char *const *want, int n)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int seen = 0, found = 0;

    if (!d)
        return false;
    while ((e = readdir(d))) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        seen++;
        for (int i = 0; i < n; i++)
            found += strcmp(e->d_name, want[i]) == 0;
    }
    closedir(d);
    return seen == n && found == n;
}

static void test_dirs(void)
{
    const char *const names[] = {"a.txt", "d"}, *const after[] = {"b.txt", "d"};
    struct stat st;
    int fd;

    tap_ok(mkdir(at("d"), 0755) == 0, "mkdir");
    tap_ok(stat(at("d"), &st) == 0 && S_ISDIR(st.st_mode), "stat says it is a directory");
    tap_fails_with(mkdir(at("d"), 0755), EEXIST, "mkdir again is EEXIST");
    fd = open(at("d/inner"), O_CREAT | O_WRONLY, 0644);
    tap_ok(fd >= 0 && write(fd, "x", 1) == 1, "a file inside it");
    close(fd);
    tap_ok(lists(base, names, 2), "readdir lists the entries");
    tap_ok(rename(at("a.txt"), at("b.txt")) == 0, "rename a file");
    tap_ok(lists(base, after, 2) && access(at("a.txt"), F_OK) != 0, "the old name is gone");
    tap_ok(rename(at("d/inner"), at("moved")) == 0 && size_of(at("moved")) == 1,
           "rename across directories keeps the contents");
    tap_fails_with(rename(at("d"), at("d/sub")), EINVAL, "a directory cannot move into itself");
    tap_ok(mkdir(at("d/sub"), 0755) == 0, "mkdir in a subdirectory");
    tap_fails_with(rmdir(at("d")), ENOTEMPTY, "rmdir of a non-empty directory is ENOTEMPTY");
    tap_fails_with(rmdir(at("moved")), ENOTDIR, "rmdir of a file is ENOTDIR");
    tap_ok(rmdir(at("d/sub")) == 0 && rmdir(at("d")) == 0, "rmdir the empty ones");
    tap_fails_with(unlink(at("d")), ENOENT, "it is gone");
}

static void test_open_unlinked(void)
{
    char buf[16] = {0};
    int fd = open(at("moved"), O_RDONLY);

    tap_ok(fd >= 0 && unlink(at("moved")) == 0, "unlink an open file");
    tap_ok(read(fd, buf, sizeof(buf)) == 1 && buf[0] == 'x', "it stays readable until closed");
    close(fd);
    tap_fails_with(open(at("moved"), O_RDONLY), ENOENT, "and its name is gone");
}

/* rm -rf's way: read a big directory and remove each entry as it comes, with
 * small reads so the listing spans many getdents calls. No entry may be skipped. */
static void test_remove_while_reading(void)
{
    enum { FILES = 300 };
    char name[32];
    struct dirent *de;
    int made = 0, removed = 0, left = 0;
    DIR *d;

    mkdir(at("many"), 0755);
    for (int i = 0; i < FILES; i++) {
        snprintf(name, sizeof(name), "many/file-%03d", i);
        int fd = open(at(name), O_CREAT | O_WRONLY, 0644);
        made += fd >= 0;
        close(fd);
    }
    tap_ok(made == FILES, "create %d files in one folder", FILES);
    d = opendir(at("many"));
    while (d && (de = readdir(d))) {
        if (de->d_name[0] == '.')
            continue;
        snprintf(name, sizeof(name), "many/%.20s", de->d_name);
        removed += unlink(at(name)) == 0;
    }
    if (d)
        closedir(d);
    d = opendir(at("many"));
    while (d && (de = readdir(d)))
        left += de->d_name[0] != '.';
    if (d)
        closedir(d);
    if (!tap_ok(removed == FILES && left == 0, "removing entries while reading the folder skips none"))
        tap_diag("removed %d of %d, %d left", removed, FILES, left);
    tap_ok(rmdir(at("many")) == 0, "and the folder is then empty");
}

int main(int argc, char **argv)
{
    const char *seeded = argc > 2 ? argv[2] : "/etc/motd";
    char buf[256];

    snprintf(base, sizeof(base), "%s", argc > 1 ? argv[1] : "/ramfs-test");
    if (!tap_ok(mkdir(base, 0755) == 0, "mkdir %s", base))
        return tap_done();
    test_files();
    test_big();
    test_dirs();
    test_open_unlinked();
    test_remove_while_reading();
    tap_ok(unlink(at("b.txt")) == 0 && rmdir(base) == 0, "clean up");
    /* A missing seed is a failure: the image (or the host run) must provide one. */
    if (!tap_ok(slurp(seeded, buf, sizeof(buf)) > 0, "a seeded file (%s) is readable", seeded))
        tap_diag("%s: %s", seeded, strerror(errno));
    return tap_done();
}
