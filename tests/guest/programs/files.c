/* tests/guest/programs/files.c: the file system calls real programs use,
 * through plain POSIX: symbolic and hard links, lstat, chmod, chown, utimes,
 * statfs, truncate, fsync, the open flags, mmap of a file, and exec of
 * programs, symbolic links and #! scripts from the file system. In Anvil it
 * runs against ramfsd (file:); it passes on a Linux host too. Usage:
 * files [BASE] (BASE must not exist; default a fresh directory in /tmp, or
 * in / when there is no /tmp). */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/time.h>
#include <utime.h>

#include "tap.h"
#include "util.h"

#define PATH_LEN 512
#define PAGE 4096
#define SCRIPT_EXIT_BASE 40   /* a script's run exits with this + its argc */
#define CHILD_EXIT 42

static char base[PATH_LEN - 128];
static char self[PATH_LEN];     /* this program, to copy and run */

static const char *at(const char *name)
{
    static char bufs[8][PATH_LEN];
    static int next;
    char *p = bufs[next++ % 8];

    snprintf(p, PATH_LEN, "%s/%s", base, name);
    return p;
}

static bool put_file(const char *path, const char *text, mode_t mode)
{
    int fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, mode);
    bool ok = fd >= 0 && write_full(fd, text, strlen(text));

    if (fd >= 0)
        close(fd);
    return ok;
}

static bool has_text(const char *path, const char *want)
{
    char buf[256];

    return slurp(path, buf, sizeof(buf)) >= 0 && strcmp(buf, want) == 0;
}

static void test_symlinks(void)
{
    char buf[PATH_LEN], real[PATH_MAX], want[PATH_MAX];
    struct stat st, lst;

    put_file(at("target"), "via link\n", 0644);
    tap_ok(symlink("target", at("rel")) == 0, "symlink with a relative target");
    tap_ok(symlink(at("target"), at("abs")) == 0, "symlink with an absolute target");
    tap_is_long(readlink(at("rel"), buf, sizeof(buf)), 6, "readlink gives the target's length");
    tap_ok(memcmp(buf, "target", 6) == 0, "and the target itself");
    tap_is_long(readlink(at("rel"), buf, 3), 3, "readlink truncates to the buffer");
    tap_fails_with(readlink(at("target"), buf, sizeof(buf)), EINVAL, "readlink of a file is EINVAL");
    tap_fails_with(readlink(at("none"), buf, sizeof(buf)), ENOENT, "readlink of nothing is ENOENT");
    tap_fails_with(symlink("x", at("rel")), EEXIST, "symlink over a name is EEXIST");
    tap_fails_with(symlink("", at("empty")), ENOENT, "an empty target is ENOENT");
    tap_ok(has_text(at("rel"), "via link\n") && has_text(at("abs"), "via link\n"),
           "open follows both kinds");
    tap_ok(stat(at("rel"), &st) == 0 && S_ISREG(st.st_mode), "stat follows the link");
    tap_ok(lstat(at("rel"), &lst) == 0 && S_ISLNK(lst.st_mode) && lst.st_size == 6,
           "lstat sees the link (size = target length)");
    tap_ok(fstatat(AT_FDCWD, at("abs"), &lst, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(lst.st_mode),
           "fstatat with AT_SYMLINK_NOFOLLOW does not follow");
    tap_ok(st.st_ino != lst.st_ino, "a link and its target are different files");
    tap_fails_with(open(at("rel"), O_RDONLY | O_NOFOLLOW), ELOOP, "O_NOFOLLOW on a link is ELOOP");
    tap_ok(symlink("loop2", at("loop1")) == 0 && symlink("loop1", at("loop2")) == 0,
           "two links naming each other");
    tap_fails_with(open(at("loop1"), O_RDONLY), ELOOP, "a loop is ELOOP");
    tap_ok(symlink("made", at("dangling")) == 0, "a dangling link");
    tap_fails_with(open(at("dangling"), O_RDONLY), ENOENT, "opening it is ENOENT");
    tap_fails_with(open(at("dangling"), O_CREAT | O_EXCL | O_WRONLY, 0644), EEXIST,
                   "O_CREAT | O_EXCL on it is EEXIST");
    close(open(at("dangling"), O_CREAT | O_WRONLY, 0644));
    tap_ok(access(at("made"), F_OK) == 0, "O_CREAT through it creates the target");
    mkdir(at("dir"), 0755);
    put_file(at("dir/inner"), "inner\n", 0644);
    tap_ok(symlink("dir", at("dirlink")) == 0 && has_text(at("dirlink/inner"), "inner\n"),
           "a link in the middle of a path is followed");
    tap_ok(symlink("../target", at("dir/up")) == 0 && has_text(at("dir/up"), "via link\n"),
           "a relative target starts at the link's directory (..)");
    tap_ok(symlink("rel", at("chain")) == 0 && has_text(at("chain"), "via link\n"),
           "a link to a link");
    tap_ok(realpath(at("dirlink/up"), real) != NULL, "realpath through links");
    tap_ok(realpath(at("target"), want) != NULL && strcmp(real, want) == 0,
           "realpath gives the target's path");
    tap_fails_with(open(at("rel/x"), O_RDONLY), ENOTDIR, "a link to a file as a directory is ENOTDIR");
    tap_ok(unlink(at("rel")) == 0 && access(at("target"), F_OK) == 0,
           "unlink removes the link, not the target");
}

static void test_hard_links(void)
{
    struct stat a, b;

    put_file(at("h1"), "shared\n", 0644);
    tap_ok(link(at("h1"), at("h2")) == 0, "link");
    tap_ok(stat(at("h1"), &a) == 0 && stat(at("h2"), &b) == 0 && a.st_ino == b.st_ino,
           "both names are one file");
    tap_is_long((long)a.st_nlink, 2, "st_nlink counts the names");
    tap_fails_with(link(at("h1"), at("h2")), EEXIST, "link over a name is EEXIST");
    tap_fails_with(link(at("none"), at("h3")), ENOENT, "link of nothing is ENOENT");
    tap_fails_with(link(at("dir"), at("dir2")), EPERM, "link of a directory is EPERM");
    tap_ok(unlink(at("h1")) == 0 && has_text(at("h2"), "shared\n"), "the other name stays");
    tap_ok(stat(at("h2"), &b) == 0 && b.st_nlink == 1, "st_nlink drops");
    tap_ok(symlink("h2", at("hl")) == 0 && linkat(AT_FDCWD, at("hl"), AT_FDCWD, at("h4"), 0) == 0 &&
           lstat(at("h4"), &b) == 0 && S_ISLNK(b.st_mode),
           "linkat without AT_SYMLINK_FOLLOW links the link");
    tap_ok(linkat(AT_FDCWD, at("hl"), AT_FDCWD, at("h5"), AT_SYMLINK_FOLLOW) == 0 &&
           lstat(at("h5"), &b) == 0 && S_ISREG(b.st_mode), "with it, the target");
}

static void test_modes(void)
{
    struct stat st, before;
    int fd;

    put_file(at("m"), "m\n", 0644);
    stat(at("m"), &before);
    sleep_ms(20);
    tap_ok(chmod(at("m"), 0600) == 0 && stat(at("m"), &st) == 0 && (st.st_mode & 07777) == 0600,
           "chmod");
    tap_ok(st.st_ctim.tv_sec > before.st_ctim.tv_sec ||
           (st.st_ctim.tv_sec == before.st_ctim.tv_sec && st.st_ctim.tv_nsec > before.st_ctim.tv_nsec),
           "chmod changes st_ctime");
    fd = open(at("m"), O_RDONLY);
    tap_ok(fchmod(fd, 0751) == 0 && fstat(fd, &st) == 0 && (st.st_mode & 07777) == 0751, "fchmod");
    close(fd);
    tap_ok(fchmodat(AT_FDCWD, at("m"), 01777, 0) == 0 && stat(at("m"), &st) == 0 &&
           (st.st_mode & 07777) == 01777, "fchmodat keeps the sticky bit");
    tap_ok(S_ISREG(st.st_mode), "and the file type");
    tap_fails_with(chmod(at("none"), 0644), ENOENT, "chmod of nothing is ENOENT");
    tap_ok(chown(at("m"), getuid(), getgid()) == 0 && stat(at("m"), &st) == 0 &&
           st.st_uid == getuid() && st.st_gid == getgid(), "chown to ourselves");
    tap_ok(chown(at("m"), (uid_t)-1, (gid_t)-1) == 0, "chown with -1 changes nothing");
    tap_fails_with(chown(at("none"), 0, 0), ENOENT, "chown of nothing is ENOENT");
    if (geteuid() != 0) {
        tap_skip("chown to other owners", "not root");
        return;
    }
    fd = open(at("m"), O_RDONLY);
    tap_ok(fchown(fd, 1234, 5678) == 0 && fstat(fd, &st) == 0 && st.st_uid == 1234 &&
           st.st_gid == 5678, "fchown stores uid and gid");
    close(fd);
    tap_ok(chown(at("m"), -1, 42) == 0 && stat(at("m"), &st) == 0 && st.st_uid == 1234 &&
           st.st_gid == 42, "chown -1 keeps the uid");
    symlink("m", at("mlink"));
    tap_ok(lchown(at("mlink"), 7, 8) == 0 && lstat(at("mlink"), &st) == 0 && st.st_uid == 7 &&
           stat(at("m"), &st) == 0 && st.st_uid == 1234, "lchown changes the link, not the target");
    tap_ok(fchownat(AT_FDCWD, at("mlink"), 9, 9, 0) == 0 && stat(at("m"), &st) == 0 &&
           st.st_uid == 9, "fchownat without AT_SYMLINK_NOFOLLOW follows");
}

static void test_times(void)
{
    struct timespec ts[2] = {{1000000000, 5000}, {1200000000, 7000}};
    struct timeval tv[2] = {{1300000000, 11}, {1400000000, 13}};
    struct utimbuf ub = {1500000000, 1600000000};
    struct stat st, lst;
    time_t now = time(NULL);
    int fd;

    put_file(at("t"), "t\n", 0644);
    tap_ok(utimensat(AT_FDCWD, at("t"), ts, 0) == 0 && stat(at("t"), &st) == 0 &&
           st.st_atim.tv_sec == 1000000000 && st.st_atim.tv_nsec == 5000 &&
           st.st_mtim.tv_sec == 1200000000 && st.st_mtim.tv_nsec == 7000, "utimensat sets both");
    ts[0].tv_nsec = UTIME_OMIT;
    ts[1].tv_sec = 1250000000;
    ts[1].tv_nsec = 0;
    tap_ok(utimensat(AT_FDCWD, at("t"), ts, 0) == 0 && stat(at("t"), &st) == 0 &&
           st.st_atim.tv_sec == 1000000000 && st.st_mtim.tv_sec == 1250000000, "UTIME_OMIT keeps one");
    ts[1].tv_nsec = UTIME_NOW;
    tap_ok(utimensat(AT_FDCWD, at("t"), ts, 0) == 0 && stat(at("t"), &st) == 0 &&
           st.st_mtim.tv_sec >= now - 2 && st.st_mtim.tv_sec <= now + 5, "UTIME_NOW is now");
    ts[1].tv_nsec = 1000000000;
    tap_fails_with(utimensat(AT_FDCWD, at("t"), ts, 0), EINVAL, "a bad tv_nsec is EINVAL");
    tap_fails_with(utimensat(AT_FDCWD, at("none"), NULL, 0), ENOENT, "utimensat of nothing is ENOENT");
    tap_ok(utimes(at("t"), tv) == 0 && stat(at("t"), &st) == 0 && st.st_atim.tv_sec == 1300000000 &&
           st.st_mtim.tv_sec == 1400000000 && st.st_mtim.tv_nsec == 13000, "utimes");
    tap_ok(utime(at("t"), &ub) == 0 && stat(at("t"), &st) == 0 && st.st_atim.tv_sec == 1500000000 &&
           st.st_mtim.tv_sec == 1600000000, "utime");
    tap_ok(futimesat(AT_FDCWD, at("t"), NULL) == 0 && stat(at("t"), &st) == 0 &&
           st.st_mtim.tv_sec >= now - 2, "futimesat with NULL is now");
    fd = open(at("t"), O_RDONLY);
    ts[0] = (struct timespec){1700000000, 0};
    ts[1] = (struct timespec){1710000000, 0};
    tap_ok(futimens(fd, ts) == 0 && fstat(fd, &st) == 0 && st.st_mtim.tv_sec == 1710000000, "futimens");
    close(fd);
    symlink("t", at("tl"));
    tap_ok(utimensat(AT_FDCWD, at("tl"), ts, AT_SYMLINK_NOFOLLOW) == 0 && lstat(at("tl"), &lst) == 0 &&
           lst.st_mtim.tv_sec == 1710000000, "AT_SYMLINK_NOFOLLOW sets the link's times");
    fd = open(at("t"), O_WRONLY);
    tap_ok(write(fd, "x", 1) == 1 && fstat(fd, &st) == 0 && st.st_mtim.tv_sec >= now - 2,
           "a write updates st_mtime");
    close(fd);
}

static void test_statfs_truncate_sync(void)
{
    struct statfs sf;
    struct stat st;
    int fd;

    tap_ok(statfs(at("t"), &sf) == 0 && sf.f_bsize > 0 && sf.f_blocks >= sf.f_bfree &&
           sf.f_bfree >= sf.f_bavail && sf.f_namelen >= 255, "statfs numbers are consistent");
    fd = open(at("t"), O_RDONLY);
    tap_ok(fstatfs(fd, &sf) == 0 && sf.f_bsize > 0, "fstatfs");
    close(fd);
    tap_fails_with(statfs(at("none"), &sf), ENOENT, "statfs of nothing is ENOENT");
    tap_ok(truncate(at("t"), 10000) == 0 && stat(at("t"), &st) == 0 && st.st_size == 10000,
           "truncate by path grows");
    tap_ok(truncate(at("t"), 3) == 0 && stat(at("t"), &st) == 0 && st.st_size == 3, "and shrinks");
    tap_fails_with(truncate(at("dir"), 0), EISDIR, "truncate of a directory is EISDIR");
    tap_fails_with(truncate(at("t"), -1), EINVAL, "a negative length is EINVAL");
    tap_fails_with(truncate(at("none"), 0), ENOENT, "truncate of nothing is ENOENT");
    fd = open(at("t"), O_RDWR);
    tap_ok(fsync(fd) == 0 && fdatasync(fd) == 0, "fsync and fdatasync");
    close(fd);
    tap_fails_with(fdatasync(-1), EBADF, "fdatasync of a bad fd is EBADF");
}

static void test_open_flags(void)
{
    char buf[64];
    int a, b, fd;

    put_file(at("o"), "12345", 0644);
    tap_fails_with(open(at("o"), O_CREAT | O_EXCL | O_RDWR, 0644), EEXIST, "O_EXCL on a file is EEXIST");
    a = open(at("o"), O_WRONLY | O_APPEND);
    b = open(at("o"), O_WRONLY | O_APPEND);
    tap_ok(write(a, "ab", 2) == 2 && write(b, "cd", 2) == 2 && has_text(at("o"), "12345abcd"),
           "O_APPEND writers both land at the end");
    close(a);
    close(b);
    fd = open(at("o"), O_RDWR | O_TRUNC);
    tap_ok(fd >= 0 && read(fd, buf, sizeof(buf)) == 0, "O_TRUNC empties it");
    close(fd);
    fd = open(at("o"), O_RDONLY | O_CLOEXEC);
    tap_ok(fd >= 0 && fcntl(fd, F_GETFD) == FD_CLOEXEC, "O_CLOEXEC sets FD_CLOEXEC");
    close(fd);
    tap_fails_with(open(at("o"), O_RDONLY | O_DIRECTORY), ENOTDIR, "O_DIRECTORY on a file is ENOTDIR");
    fd = open(at("dir"), O_RDONLY | O_DIRECTORY);
    tap_ok(fd >= 0, "O_DIRECTORY on a directory");
    close(fd);
    tap_fails_with(open(at("dir"), O_WRONLY), EISDIR, "a directory for writing is EISDIR");
    tap_fails_with(open(at("none/x"), O_CREAT | O_WRONLY, 0644), ENOENT, "O_CREAT in nothing is ENOENT");
}

/* issue 11 finding 1: mmap of a file in a user scheme, with a long path. */
static void test_mmap(void)
{
    const char *path = at("a-file-with-a-rather-long-name-for-mmap-0123456789");
    char data[PAGE + 100];
    char *m;
    int fd, p[2];

    for (size_t i = 0; i < sizeof(data); i++)
        data[i] = (char)('a' + i % 23);
    fd = open(path, O_CREAT | O_RDWR | O_TRUNC, 0644);
    tap_ok(fd >= 0 && write_full(fd, data, sizeof(data)), "regress_mmap_scheme_file: a file to map");
    m = mmap(NULL, sizeof(data), PROT_READ, MAP_PRIVATE, fd, 0);
    tap_ok(m != MAP_FAILED && memcmp(m, data, sizeof(data)) == 0, "MAP_PRIVATE reads the right bytes");
    if (m != MAP_FAILED)
        tap_ok(m[sizeof(data)] == 0 && m[2 * PAGE - 1] == 0, "past the end the page is zero");
    else
        tap_skip("past the end the page is zero", "no mapping");
    munmap(m, sizeof(data));
    m = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, PAGE);
    tap_ok(m != MAP_FAILED && m[0] == data[PAGE], "an offset maps from there");
    if (m != MAP_FAILED) {
        m[0] = '#';
        tap_ok(pread(fd, data, 1, PAGE) == 1 && data[0] != '#', "a private write stays private");
        munmap(m, PAGE);
    } else {
        tap_skip("a private write stays private", "no mapping");
    }
    m = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    tap_ok(m != MAP_FAILED || errno == ENODEV, "writable MAP_SHARED works or is ENODEV");
    if (m != MAP_FAILED)
        munmap(m, PAGE);
    close(fd);
    fd = open(path, O_WRONLY);
    tap_fails_with((long)mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, fd, 0), EACCES,
                   "mmap of a write-only fd is EACCES");
    close(fd);
    fd = open("/dev/null", O_RDONLY);
    tap_fails_with((long)mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, fd, 0), ENODEV,
                   "mmap of /dev/null is ENODEV");
    close(fd);
    if (pipe(p) == 0) {
        tap_fails_with((long)mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, p[0], 0), ENODEV,
                       "mmap of a pipe is ENODEV");
        close(p[0]);
        close(p[1]);
    }
}

/* Copy this program to path with mode. */
static bool copy_self(const char *path, mode_t mode)
{
    static char buf[64 * 1024];
    int in = open(self, O_RDONLY), out = open(path, O_CREAT | O_WRONLY | O_TRUNC, mode);
    ssize_t n = 0;
    bool ok = in >= 0 && out >= 0;

    while (ok && (n = read(in, buf, sizeof(buf))) > 0)
        ok = write_full(out, buf, (size_t)n);
    if (in >= 0)
        close(in);
    if (out >= 0)
        close(out);
    return ok && n == 0;
}

/* Run path with one argument: the exit status, or -errno when exec failed. */
static int run(const char *path, const char *arg)
{
    int p[2], status, err = 0;
    pid_t pid;

    if (pipe2(p, O_CLOEXEC) < 0)
        return -errno;
    pid = fork();
    if (pid == 0) {
        char *argv[] = {(char *)path, (char *)arg, NULL};
        execv(path, argv);
        err = errno;
        write(p[1], &err, sizeof(err));
        _exit(127);
    }
    close(p[1]);
    if (read(p[0], &err, sizeof(err)) != sizeof(err))
        err = 0;
    close(p[0]);
    wait_child(pid, &status);
    if (err)
        return -err;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static void test_exec(void)
{
    char script[PATH_LEN], nested[PATH_LEN];

    if (!tap_ok(copy_self(at("prog"), 0644), "copy a program into the directory")) {
        tap_diag("from %s: %s", self, strerror(errno));
        return;
    }
    tap_is_long(run(at("prog"), "--child"), -EACCES, "without an execute bit: EACCES");
    tap_ok(chmod(at("prog"), 0755) == 0, "chmod +x");
    tap_is_long(run(at("prog"), "--child"), CHILD_EXIT, "exec it");
    tap_ok(symlink("prog", at("proglink")) == 0, "a symbolic link to it");
    tap_is_long(run(at("proglink"), "--child"), CHILD_EXIT, "exec through the link");
    snprintf(script, sizeof(script), "#!%s --script\n", at("prog"));
    put_file(at("script"), script, 0755);
    setenv("FILES_SCRIPT", at("script"), 1);
    /* argv: prog --script SCRIPT x: 4 arguments */
    tap_is_long(run(at("script"), "x"), SCRIPT_EXIT_BASE + 4, "a #! script runs its interpreter");
    snprintf(nested, sizeof(nested), "#!%s\n", at("script"));
    put_file(at("nested"), nested, 0755);
    /* argv: prog --script SCRIPT NESTED x: 5 arguments */
    tap_is_long(run(at("nested"), "x"), SCRIPT_EXIT_BASE + 5, "a script as an interpreter");
    snprintf(nested, sizeof(nested), "#!%s\n", at("self"));
    put_file(at("self"), nested, 0755);
    tap_is_long(run(at("self"), "x"), -ELOOP, "a script that runs itself is ELOOP");
    put_file(at("junk"), "this is neither ELF nor a script\n", 0755);
    tap_is_long(run(at("junk"), "x"), -ENOEXEC, "neither ELF nor #!: ENOEXEC");
    tap_is_long(run(at("dir"), "x"), -EACCES, "a directory: EACCES");
    tap_is_long(run(at("none"), "x"), -ENOENT, "nothing: ENOENT");
}

/* Remove everything under path (lstat: links are not followed). */
static void remove_tree(const char *path)
{
    struct dirent *e;
    struct stat st;
    DIR *d;

    if (lstat(path, &st) == 0 && !S_ISDIR(st.st_mode)) {
        unlink(path);
        return;
    }
    if (!(d = opendir(path)))
        return;
    while ((e = readdir(d))) {
        char sub[PATH_LEN];
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        snprintf(sub, sizeof(sub), "%s/%s", path, e->d_name);
        remove_tree(sub);
    }
    closedir(d);
    rmdir(path);
}

int main(int argc, char **argv)
{
    struct stat st;

    if (argc > 1 && strcmp(argv[1], "--child") == 0)
        return CHILD_EXIT;
    if (argc > 2 && strcmp(argv[1], "--script") == 0) {
        const char *want = getenv("FILES_SCRIPT");
        return want && strcmp(argv[2], want) == 0 ? SCRIPT_EXIT_BASE + argc : 1;
    }
    if (readlink("/proc/self/exe", self, sizeof(self) - 1) <= 0)
        snprintf(self, sizeof(self), "%s", argv[0]);
    if (argc > 1)
        snprintf(base, sizeof(base), "%s", argv[1]);
    else
        snprintf(base, sizeof(base), "%s/files-test.%d",
                 stat("/tmp", &st) == 0 ? "/tmp" : "", (int)getpid());
    if (!tap_ok(mkdir(base, 0755) == 0, "mkdir %s", base))
        return tap_done();
    test_symlinks();
    test_hard_links();
    test_modes();
    test_times();
    test_statfs_truncate_sync();
    test_open_flags();
    test_mmap();
    test_exec();
    remove_tree(base);
    tap_ok(access(base, F_OK) != 0, "clean up");
    return tap_done();
}
