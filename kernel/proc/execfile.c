/* kernel/proc/execfile.c: the program for execve (see execfile.h). The file
 * comes from any scheme, so its size and contents are untrusted: the size
 * is only an upper bound for the buffer, a short read just makes a shorter
 * file (which the ELF loader checks), a longer one is EIO. */
#include "lib/errno.h"
#include "lib/string.h"
#include "mm/kmem.h"
#include "proc/execfile.h"
#include "scheme/route.h"

#define X_BITS 0111
#define INITFS_SCHEME "initfs"

static bool blank(char c)
{
    return c == ' ' || c == '\t';
}

/* Open path for p (its working directory and namespace) and check it may run. */
static int open_program(struct proc *p, const char *path, struct file **out, struct kstat *st,
                        char *canon)
{
    struct scheme_path sp;
    struct scheme *s;
    struct file *f;
    int err;

    if ((err = scheme_route(p->cwd, path, &sp)) < 0)
        return err;
    if (sp.reg)
        return -ENOENT;
    err = scheme_resolve(p, &sp, &s);
    /* A plain /path runs from file: for a namespace with file, else from
     * the boot archive for one with initfs (services start from it). */
    if (err == -EACCES && sp.plain && caps_allows(&p->caps, INITFS_SCHEME) &&
        (s = scheme_find(INITFS_SCHEME))) {
        strlcpy(sp.scheme, INITFS_SCHEME, sizeof(sp.scheme));
        err = 0;
    }
    if (err < 0)
        return err;
    if (!s->ops->open)
        return -ENOENT;
    if ((err = s->ops->open(s, sp.rest, O_RDONLY, 0, &f)) < 0)
        return err;
    err = f->ops->stat ? f->ops->stat(f, st) : -EACCES;
    if (!err && ((st->st_mode & S_IFMT) != S_IFREG || !(st->st_mode & X_BITS) || !f->ops->kread))
        err = -EACCES;
    if (!err && scheme_path_format(&sp, canon, PATH_MAX_LEN) < 0)
        strlcpy(canon, path, PATH_MAX_LEN);
    if (err) {
        file_put(f);
        return err;
    }
    *out = f;
    return 0;
}

/* Read all of f (at most st_size bytes) into a fresh buffer. */
static int read_all(struct file *f, const struct kstat *st, struct exec_image *img)
{
    size_t size, done = 0;

    if (st->st_size < 0 || (uint64_t)st->st_size > EXEC_FILE_MAX)
        return -ENOMEM;
    size = (size_t)st->st_size;
    if (!(img->data = kmalloc(size ? size : 1)))
        return -ENOMEM;
    while (done < size) {
        long r = f->ops->kread(f, img->data + done, size - done, done);
        if (r == 0)
            break;   /* shorter than it said */
        if (r < 0 || (size_t)r > size - done) {
            kfree(img->data);
            img->data = NULL;
            return r < 0 ? (int)r : -EIO;
        }
        done += (size_t)r;
    }
    img->size = done;
    return 0;
}

static int load_file(struct proc *p, const char *path, struct exec_image *img)
{
    struct file *f;
    struct kstat st;
    int err = open_program(p, path, &f, &st, img->path);

    if (err)
        return err;
    err = read_all(f, &st, img);
    file_put(f);
    return err;
}

/* A #! line: the interpreter into interp, the optional argument (the rest of
 * the line, trimmed) into arg: 0, or -ENOEXEC. */
static int parse_shebang(const uint8_t *data, size_t size, char *interp, char *arg)
{
    char line[EXEC_LINE_MAX + 1];
    size_t n = size < EXEC_LINE_MAX ? size : EXEC_LINE_MAX, i = 2, start, end;

    memcpy(line, data, n);
    line[n] = '\0';
    for (size_t k = 0; k < n; k++)
        if (line[k] == '\n' || line[k] == '\0') {
            line[k] = '\0';
            break;
        }
    while (blank(line[i]))
        i++;
    for (start = i; line[i] && !blank(line[i]); i++)
        ;
    if (i == start || (!line[i] && strlen(line) == EXEC_LINE_MAX))
        return -ENOEXEC;   /* no interpreter, or one cut off by the end of the buffer */
    memcpy(interp, line + start, i - start);
    interp[i - start] = '\0';
    while (blank(line[i]))
        i++;
    for (end = strlen(line); end > i && blank(line[end - 1]); end--)
        ;
    memcpy(arg, line + i, end - i);
    arg[end - i] = '\0';
    return 0;
}

/* New arguments for a script: interp, [arg], the script's path, then the old
 * argv without its argv[0], then the environment. */
static int script_args(const struct exec_args *old, const char *interp, const char *arg,
                       const char *script, struct exec_args *out)
{
    const char *pre[3] = {interp, arg, script};
    size_t first = old->argc > 0 ? strlen(old->buf) + 1 : 0, len = 0;
    char *buf = kmalloc(EXEC_ARGS_MAX);
    int argc = 0;

    if (!buf)
        return -ENOMEM;
    for (int i = 0; i < 3; i++) {
        size_t n = strlen(pre[i]) + 1;
        if (i == 1 && !*arg)
            continue;
        if (len + n > EXEC_ARGS_MAX) {
            kfree(buf);
            return -E2BIG;
        }
        memcpy(buf + len, pre[i], n);
        len += n;
        argc++;
    }
    if (len + old->len - first > EXEC_ARGS_MAX) {
        kfree(buf);
        return -E2BIG;
    }
    memcpy(buf + len, old->buf + first, old->len - first);
    *out = (struct exec_args){buf, len + old->len - first, argc + old->argc - (first ? 1 : 0),
                              old->envc};
    return 0;
}

static bool is_script(const struct exec_image *img)
{
    return img->size >= 2 && img->data[0] == '#' && img->data[1] == '!';
}

int exec_image_get(struct proc *p, const char *path, const struct exec_args *a,
                   struct exec_image *img, struct exec_args *script)
{
    char name[PATH_MAX_LEN], interp[EXEC_LINE_MAX], arg[EXEC_LINE_MAX];
    struct exec_args next;
    int err;

    script->buf = NULL;
    strlcpy(name, path, sizeof(name));
    for (int depth = 0;; depth++) {
        if ((err = load_file(p, name, img)) < 0)
            break;
        if (!is_script(img))
            return 0;
        err = depth == EXEC_NEST_MAX ? -ELOOP : parse_shebang(img->data, img->size, interp, arg);
        if (!err)
            err = script_args(script->buf ? script : a, interp, arg, name, &next);
        exec_image_put(img);
        if (err)
            break;
        exec_args_free(script);
        *script = next;
        strlcpy(name, interp, sizeof(name));
    }
    exec_args_free(script);
    return err;
}

void exec_image_put(struct exec_image *img)
{
    kfree(img->data);
    img->data = NULL;
}
