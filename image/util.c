/* image/util.c: small host helpers shared by mkimage's parts: messages, memory,
 * growable strings, files written atomically, and running external programs. */
#define _GNU_SOURCE
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

int util_verbosity = 1;

/* 2024-01-01T00:00:00Z: the default build time, so builds are reproducible. */
#define UTIL_DEFAULT_EPOCH 1704067200LL

void util_err(const char *fmt, ...)
{
    va_list ap;

    fputs("mkimage: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

void util_info(const char *fmt, ...)
{
    va_list ap;

    if (util_verbosity < 1)
        return;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

static void oom(void)
{
    fputs("mkimage: out of memory\n", stderr);
    exit(2);
}

void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);

    if (!p)
        oom();
    return p;
}

void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);

    if (!p)
        oom();
    return p;
}

void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p)
        oom();
    return p;
}

char *xstrdup(const char *s)
{
    char *p = strdup(s);

    if (!p)
        oom();
    return p;
}

char *xasprintf(const char *fmt, ...)
{
    va_list ap;
    char *s;

    va_start(ap, fmt);
    if (vasprintf(&s, fmt, ap) < 0)
        oom();
    va_end(ap);
    return s;
}

void sb_add(struct strbuf *sb, const void *data, size_t len)
{
    if (sb->len + len + 1 > sb->cap) {
        sb->cap = (sb->len + len + 1) * 2;
        sb->buf = xrealloc(sb->buf, sb->cap);
    }
    memcpy(sb->buf + sb->len, data, len);
    sb->len += len;
    sb->buf[sb->len] = '\0';
}

void sb_puts(struct strbuf *sb, const char *s)
{
    sb_add(sb, s, strlen(s));
}

void sb_printf(struct strbuf *sb, const char *fmt, ...)
{
    va_list ap;
    char *s;
    int n;

    va_start(ap, fmt);
    n = vasprintf(&s, fmt, ap);
    va_end(ap);
    if (n < 0)
        oom();
    sb_add(sb, s, (size_t)n);
    free(s);
}

void sb_free(struct strbuf *sb)
{
    free(sb->buf);
    sb->buf = NULL;
    sb->len = sb->cap = 0;
}

void argv_add(struct argv *a, const char *s)
{
    if (a->len + 2 > a->cap) {
        a->cap = a->cap ? a->cap * 2 : 16;
        a->v = xrealloc(a->v, a->cap * sizeof(char *));
    }
    a->v[a->len++] = xstrdup(s);
    a->v[a->len] = NULL;
}

void argv_addf(struct argv *a, const char *fmt, ...)
{
    va_list ap;
    char *s;

    va_start(ap, fmt);
    if (vasprintf(&s, fmt, ap) < 0)
        oom();
    va_end(ap);
    argv_add(a, s);
    free(s);
}

bool argv_has(const struct argv *a, const char *word)
{
    for (size_t i = 0; i < a->len; i++)
        if (!strcmp(a->v[i], word))
            return true;
    return false;
}

void argv_free(struct argv *a)
{
    for (size_t i = 0; i < a->len; i++)
        free(a->v[i]);
    free(a->v);
    a->v = NULL;
    a->len = a->cap = 0;
}

char *util_read_file(const char *path, size_t *len)
{
    struct strbuf sb = {0};
    char chunk[65536];
    ssize_t n;
    int fd = open(path, O_RDONLY | O_CLOEXEC);

    if (fd < 0)
        return NULL;
    sb_add(&sb, "", 0);
    while ((n = read(fd, chunk, sizeof chunk)) != 0) {
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            int e = errno;
            close(fd);
            sb_free(&sb);
            errno = e;
            return NULL;
        }
        sb_add(&sb, chunk, (size_t)n);
    }
    close(fd);
    if (len)
        *len = sb.len;
    return sb.buf;
}

static int write_all(int fd, const void *data, size_t len)
{
    const char *p = data;

    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

/* Write to PATH.tmp-PID, rename over PATH; durable makes it fsync first. */
static int write_renamed(const char *path, const void *data, size_t len, unsigned mode,
                         bool durable)
{
    char *tmp = xasprintf("%s.tmp-%d", path, (int)getpid());
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
    int ret = -1;

    if (fd < 0)
        goto out;
    if (write_all(fd, data, len) < 0 || (durable && fsync(fd) < 0)) {
        close(fd);
        unlink(tmp);
        goto out;
    }
    if (close(fd) < 0 || rename(tmp, path) < 0) {
        unlink(tmp);
        goto out;
    }
    ret = 0;
out:
    if (ret < 0)
        util_err("cannot write %s: %s", path, strerror(errno));
    free(tmp);
    return ret;
}

int util_write_atomic(const char *path, const void *data, size_t len, unsigned mode)
{
    return write_renamed(path, data, len, mode, true);
}

int util_write_scratch(const char *path, const void *data, size_t len, unsigned mode)
{
    return write_renamed(path, data, len, mode, false);
}

int util_pwrite_all(int fd, const char *path, const void *buf, size_t len, uint64_t off)
{
    const char *p = buf;

    while (len > 0) {
        ssize_t n = pwrite(fd, p, len, (off_t)off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            util_err("cannot write %s: %s", path, strerror(errno));
            return -1;
        }
        p += n;
        off += (uint64_t)n;
        len -= (size_t)n;
    }
    return 0;
}

int util_rename_into(const char *tmp, const char *path)
{
    if (rename(tmp, path) < 0) {
        util_err("cannot move %s to %s: %s", tmp, path, strerror(errno));
        return -1;
    }
    return 0;
}

int util_mkdirs(const char *path, unsigned mode)
{
    char *p = xstrdup(path);

    for (char *s = p + 1; *s; s++) {
        if (*s != '/')
            continue;
        *s = '\0';
        if (mkdir(p, mode) < 0 && errno != EEXIST)
            goto fail;
        *s = '/';
    }
    if (mkdir(p, mode) < 0 && errno != EEXIST)
        goto fail;
    free(p);
    return 0;
fail:
    util_err("cannot create directory %s: %s", p, strerror(errno));
    free(p);
    return -1;
}

int util_remove_tree(const char *path)
{
    struct stat st;
    DIR *d;
    struct dirent *e;

    if (lstat(path, &st) < 0)
        return errno == ENOENT ? 0 : -1;
    if (!S_ISDIR(st.st_mode))
        return unlink(path);
    d = opendir(path);
    if (!d)
        return -1;
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        char *sub = util_path_join(path, e->d_name);
        util_remove_tree(sub);
        free(sub);
    }
    closedir(d);
    return rmdir(path);
}

bool util_is_file(const char *path)
{
    struct stat st;

    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

bool util_is_dir(const char *path)
{
    struct stat st;

    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

char *util_dirname(const char *path)
{
    const char *slash = strrchr(path, '/');

    if (!slash)
        return xstrdup(".");
    if (slash == path)
        return xstrdup("/");
    return strndup(path, (size_t)(slash - path));
}

char *util_path_join(const char *dir, const char *name)
{
    if (name[0] == '/' || !dir[0] || !strcmp(dir, "."))
        return xstrdup(name);
    return xasprintf("%s/%s", dir, name);
}

void util_print_command(char *const argv[])
{
    struct strbuf sb = {0};

    for (size_t i = 0; argv[i]; i++) {
        bool plain = argv[i][0] && strspn(argv[i], "abcdefghijklmnopqrstuvwxyz"
                                          "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                                          "-_./=:,+@%") == strlen(argv[i]);
        if (i)
            sb_puts(&sb, " ");
        if (plain) {
            sb_puts(&sb, argv[i]);
            continue;
        }
        sb_puts(&sb, "'");
        for (const char *c = argv[i]; *c; c++)
            *c == '\'' ? sb_puts(&sb, "'\\''") : sb_add(&sb, c, 1);
        sb_puts(&sb, "'");
    }
    fprintf(stderr, "%s\n", sb.buf ? sb.buf : "");
    sb_free(&sb);
}

static int wait_status(pid_t pid)
{
    int st;

    while (waitpid(pid, &st, 0) < 0) {
        if (errno != EINTR)
            return -1;
    }
    if (WIFEXITED(st))
        return WEXITSTATUS(st);
    return 128 + WTERMSIG(st);
}

static int spawn(char *const argv[], int out_fd, int err_fd, bool quiet_stdout)
{
    pid_t pid;

    if (util_verbosity >= 2)
        util_print_command(argv);
    pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        if (err_fd >= 0)
            dup2(err_fd, 2);
        if (out_fd >= 0)
            dup2(out_fd, 1);
        else if (quiet_stdout) {
            int null = open("/dev/null", O_WRONLY);
            dup2(null, 1);
        }
        execvp(argv[0], argv);
        fprintf(stderr, "mkimage: cannot run %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    return wait_status(pid);
}

int util_run(char *const argv[], bool quiet_stdout)
{
    return spawn(argv, -1, -1, quiet_stdout);
}

/* Read what fd holds from its start into out. */
static void slurp_fd(int fd, struct strbuf *out)
{
    char chunk[4096];
    ssize_t n;

    lseek(fd, 0, SEEK_SET);
    sb_add(out, "", 0);
    while ((n = read(fd, chunk, sizeof chunk)) > 0)
        sb_add(out, chunk, (size_t)n);
}

static int scratch_fd(void)
{
    char path[] = "/tmp/mkimage-out-XXXXXX";
    int fd = mkstemp(path);

    if (fd >= 0)
        unlink(path);
    return fd;
}

int util_run_capture(char *const argv[], struct strbuf *out)
{
    int fd = scratch_fd();
    int st;

    if (fd < 0)
        return -1;
    st = spawn(argv, fd, fd, false);   /* some tools print their version on stderr */
    slurp_fd(fd, out);
    close(fd);
    return st;
}

int util_run_logged(char *const argv[])
{
    struct strbuf log = {0};
    int fd = scratch_fd();
    int st;

    if (fd < 0)
        return -1;
    st = spawn(argv, fd, fd, false);
    if (st != 0) {
        slurp_fd(fd, &log);
        fputs(log.buf, stderr);
        sb_free(&log);
    }
    close(fd);
    return st;
}

uint64_t util_fnv1a(uint64_t h, const void *data, size_t len)
{
    const unsigned char *p = data;

    for (size_t i = 0; i < len; i++) {
        h ^= p[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

long long util_source_date_epoch(void)
{
    const char *s = getenv("SOURCE_DATE_EPOCH");
    char *end;
    long long v;

    if (!s || !*s)
        return UTIL_DEFAULT_EPOCH;
    errno = 0;
    v = strtoll(s, &end, 10);
    if (errno || *end || v < 0)
        return UTIL_DEFAULT_EPOCH;
    return v;
}
