/* tests/guest/programs/cpioseed.c: ramfsd seeded from a cpio newc archive.
 * Writes a small archive (files, directories, symbolic links, a hard link,
 * modes with the sticky bit, owners, mtimes, a member without its parent
 * directories, one with ".."), starts `ramfsd seedtest ARCHIVE` and checks
 * the tree it serves as seedtest:; and symbolic links in the kernel's
 * initfs. Anvil only: on a host (no ramfsd) every check is skipped.
 * Usage: cpioseed [RAMFSD [ARCHIVE]]. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "tap.h"
#include "util.h"

#define SCHEME "seedtest"
#define WAIT_MS 5000
#define MTIME 1234567890
#define DIR_MTIME 1111111111

struct member {
    const char *name;
    unsigned mode, uid, gid, nlink, ino;
    const char *data;
};

/* The archive: what cpio -o -H newc would write for this tree. */
static const struct member members[] = {
    {".", 040755, 0, 0, 2, 1, ""},
    {"etc", 040755, 0, 0, 2, 2, ""},
    {"etc/motd", 0100644, 1000, 100, 1, 3, "seeded from cpio\n"},
    {"tmp", 041777, 0, 0, 2, 4, ""},
    {"bin", 040755, 0, 0, 2, 5, ""},
    {"bin/busybox", 0100755, 0, 0, 1, 6, "#!/bin/sh\n"},
    {"bin/ls", 0120777, 0, 0, 1, 7, "busybox"},
    {"bin/abs", 0120777, 0, 0, 1, 8, "/etc/motd"},
    {"a", 040700, 0, 0, 2, 9, ""},
    {"a/h1", 0100600, 0, 0, 2, 10, ""},          /* newc: a hard link's data comes last */
    {"a/h2", 0100600, 0, 0, 2, 10, "linked\n"},
    {"deep/er/file", 0100640, 5, 6, 1, 11, "deep\n"},
    {"../escape", 0100644, 0, 0, 1, 12, "no\n"},
    {"dev/null", 020666, 0, 0, 1, 13, ""},       /* a device: skipped */
};

static void put_member(FILE *f, const struct member *m, unsigned mtime)
{
    size_t nl = strlen(m->name) + 1, dl = strlen(m->data);

    fprintf(f, "070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X", m->ino, m->mode,
            m->uid, m->gid, m->nlink, mtime, (unsigned)dl, 0u, 0u, 0u, 0u, (unsigned)nl, 0u);
    fwrite(m->name, 1, nl, f);
    for (size_t pad = (110 + nl) % 4 ? 4 - (110 + nl) % 4 : 0; pad; pad--)
        fputc(0, f);
    fwrite(m->data, 1, dl, f);
    for (size_t pad = dl % 4 ? 4 - dl % 4 : 0; pad; pad--)
        fputc(0, f);
}

static bool write_archive(const char *path)
{
    const struct member trailer = {"TRAILER!!!", 0, 0, 0, 1, 0, ""};
    FILE *f = fopen(path, "w");

    if (!f)
        return false;
    for (size_t i = 0; i < sizeof(members) / sizeof(members[0]); i++)
        put_member(f, &members[i], members[i].mode & 040000 ? DIR_MTIME : MTIME);
    put_member(f, &trailer, 0);
    return fclose(f) == 0;
}

static void check_tree(void)
{
    struct stat st, st2;
    char buf[64];

    tap_ok(stat(SCHEME ":/etc/motd", &st) == 0 && S_ISREG(st.st_mode) &&
           (st.st_mode & 07777) == 0644, "a regular file with its mode");
    tap_ok(st.st_uid == 1000 && st.st_gid == 100, "its owner");
    tap_is_long((long)st.st_mtim.tv_sec, MTIME, "its mtime");
    tap_ok(slurp(SCHEME ":/etc/motd", buf, sizeof(buf)) > 0 && strcmp(buf, "seeded from cpio\n") == 0,
           "its contents");
    tap_ok(stat(SCHEME ":/tmp", &st) == 0 && S_ISDIR(st.st_mode) && (st.st_mode & 07777) == 01777,
           "a directory with mode 1777");
    tap_ok(stat(SCHEME ":/etc", &st) == 0 && st.st_mtim.tv_sec == DIR_MTIME,
           "a directory keeps its mtime after its entries are unpacked");
    tap_ok(lstat(SCHEME ":/bin/ls", &st) == 0 && S_ISLNK(st.st_mode), "a symbolic link");
    tap_ok(readlink(SCHEME ":/bin/ls", buf, sizeof(buf)) == 7 && memcmp(buf, "busybox", 7) == 0,
           "with its target");
    tap_ok(stat(SCHEME ":/bin/ls", &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 0777) == 0755,
           "that leads to the file");
    tap_ok(slurp(SCHEME ":/bin/abs", buf, sizeof(buf)) > 0 && strcmp(buf, "seeded from cpio\n") == 0,
           "an absolute target starts at the scheme's root");
    tap_ok(stat(SCHEME ":/a/h1", &st) == 0 && stat(SCHEME ":/a/h2", &st2) == 0 &&
           st.st_ino == st2.st_ino && st.st_nlink == 2, "members sharing an inode are one file");
    tap_ok(slurp(SCHEME ":/a/h1", buf, sizeof(buf)) == 7 && strcmp(buf, "linked\n") == 0,
           "with the data of the last one");
    tap_ok(stat(SCHEME ":/deep/er", &st) == 0 && S_ISDIR(st.st_mode) && (st.st_mode & 0777) == 0755,
           "missing parent directories are made");
    tap_ok(stat(SCHEME ":/deep/er/file", &st) == 0 && st.st_uid == 5 && st.st_gid == 6, "and the file");
    tap_ok(stat(SCHEME ":/escape", &st) != 0, "a name with .. is not unpacked");
    tap_ok(stat(SCHEME ":/dev/null", &st) != 0, "nor a device");
}

/* The kernel's initfs follows the symbolic links mkimage puts in it. */
static void check_initfs_links(void)
{
    char target[256];
    struct stat st;
    ssize_t n;

    if (lstat("initfs:/bin/ls", &st) != 0 || !S_ISLNK(st.st_mode)) {
        tap_skip("links in the initfs", "initfs:/bin/ls is no link here");
        return;
    }
    n = readlink("initfs:/bin/ls", target, sizeof(target));
    tap_ok(n > 0 && (size_t)n == (size_t)st.st_size, "readlink in the initfs");
    tap_ok(stat("initfs:/bin/ls", &st) == 0 && S_ISREG(st.st_mode), "stat follows an initfs link");
    tap_fails_with(open("initfs:/bin/ls", O_RDONLY | O_NOFOLLOW), ELOOP, "O_NOFOLLOW there is ELOOP");
}

int main(int argc, char **argv)
{
    const char *ramfsd = argc > 1 ? argv[1] : "/bin/ramfsd";
    const char *archive = argc > 2 ? argv[2] : "/tmp/seedtest.cpio";
    int status;
    pid_t pid;

    if (access(ramfsd, X_OK) != 0) {
        tap_skip("ramfsd seeded from a cpio archive", "no ramfsd here");
        return tap_done();
    }
    if (!tap_ok(write_archive(archive), "write %s", archive))
        return tap_done();
    pid = start_server((char *const[]){(char *)ramfsd, SCHEME, (char *)archive, NULL},
                       SCHEME ":/", WAIT_MS);
    if (tap_ok(pid > 0, "ramfsd registers " SCHEME ":"))
        check_tree();
    if (pid > 0) {
        kill(pid, SIGTERM);
        wait_child(pid, &status);
    }
    unlink(archive);
    check_initfs_links();
    return tap_done();
}
