/* kernel/net/unix_name.c: AF_UNIX names. A path is routed like any path
 * (relative to the working directory, any scheme) and known by its canonical
 * text; an abstract name (a leading 0 byte) by its bytes. Bound names live
 * only in this kernel's list of sockets, not in the file system: a name goes
 * when its socket closes (docs/sockets.md). */
#include "net/unix.h"
#include "lib/errno.h"
#include "lib/random.h"
#include "lib/string.h"
#include "proc/proc.h"
#include "scheme/dispatch.h"
#include "scheme/route.h"

#define KEY_PATH 'P'
#define KEY_ABSTRACT 'A'
#define AUTO_DIGITS 5
#define AUTO_TRIES 64

static int sp_key(struct scheme_path *sp, struct unix_name *out)
{
    int err;

    out->key[0] = KEY_PATH;
    if ((err = scheme_path_format(sp, out->key + 1, sizeof(out->key) - 1)) < 0)
        return err;
    out->keylen = 1 + (unsigned)strlen(out->key + 1);
    return 0;
}

static int path_key(const char *path, struct unix_name *out)
{
    struct scheme_path sp;
    int err = scheme_route(proc_current()->cwd, path, &sp);

    return err ? err : sp_key(&sp, out);
}

int unix_name_parse(const void *addr, unsigned len, struct unix_name *out)
{
    const uint8_t *a = addr;
    char path[UNIX_PATH_MAX + 1];
    unsigned n;
    uint16_t family;

    if (len < 2 || len > UNIX_ADDR_MAX)
        return -EINVAL;
    memcpy(&family, a, 2);
    if (family != AF_UNIX)
        return -EINVAL;
    *out = (struct unix_name){0};
    if (len == 2)
        return -EINVAL;   /* autobind: the caller's choice */
    if (a[2] == 0) {      /* abstract: every byte counts, zeros too */
        out->key[0] = KEY_ABSTRACT;
        memcpy(out->key + 1, a + 3, len - 3);
        out->keylen = len - 2;
        memcpy(out->addr, a, len);
        out->addrlen = len;
        return 0;
    }
    for (n = 0; n < len - 2 && a[2 + n]; n++)
        path[n] = (char)a[2 + n];
    path[n] = '\0';
    int err = path_key(path, out);
    if (err)
        return err;
    memcpy(out->addr, a, 2 + n);
    out->addr[2 + n] = 0;
    out->addrlen = 2 + n + 1;   /* as Linux reports it: the path and its NUL */
    return 0;
}

struct unix_sock *unix_name_find(const struct unix_name *n)
{
    for (struct unix_sock *u = unix_all(); u; u = u->all_next)
        if (u->name.keylen == n->keylen && memcmp(u->name.key, n->key, n->keylen) == 0)
            return u;
    return NULL;
}

int unix_name_target(const void *addr, unsigned len, int type, struct unix_sock **out)
{
    struct unix_name n;
    int err = unix_name_parse(addr, len, &n);

    if (err)
        return err;
    if (!(*out = unix_name_find(&n)))
        return n.key[0] == KEY_PATH ? -ENOENT : -ECONNREFUSED;
    return (*out)->type == type ? 0 : -EPROTOTYPE;
}

int unix_name_auto(struct unix_name *out)
{
    static const char hex[] = "0123456789abcdef";

    for (int t = 0; t < AUTO_TRIES; t++) {
        uint32_t r;
        random_fill(&r, sizeof(r));
        *out = (struct unix_name){0};
        out->addr[0] = AF_UNIX;
        out->key[0] = KEY_ABSTRACT;
        for (int i = 0; i < AUTO_DIGITS; i++)
            out->addr[3 + i] = (uint8_t)(out->key[1 + i] = hex[(r >> (4 * i)) & 0xf]);
        out->addrlen = 3 + AUTO_DIGITS;
        out->keylen = 1 + AUTO_DIGITS;   /* as unix_name_parse makes it */
        if (!unix_name_find(out))
            return 0;
    }
    return -EADDRINUSE;
}

bool unix_name_exists(const struct unix_name *n)
{
    struct scheme_path sp;
    struct kstat st;

    if (n->keylen == 0 || n->key[0] != KEY_PATH)
        return unix_name_find(n) != NULL;
    if (unix_name_find(n))
        return true;
    /* A file there already (Linux: EADDRINUSE); a scheme that cannot say is no file. */
    if (scheme_route("/", n->key + 1, &sp) < 0)
        return false;
    return scheme_stat_path(&sp, &st) == 0;
}

/* The socket bound to the path sp names, or NULL. */
static struct unix_sock *path_sock(struct scheme_path *sp)
{
    struct unix_name n;

    if (sp->reg || sp_key(sp, &n) < 0)
        return NULL;
    return unix_name_find(&n);
}

bool socket_path_stat(struct scheme_path *sp, struct kstat *st)
{
    struct unix_sock *u = path_sock(sp);

    if (!u)
        return false;
    socket_fill_stat(u, st);
    return true;
}

bool socket_path_unlink(struct scheme_path *sp)
{
    struct unix_sock *u = path_sock(sp);

    if (!u)
        return false;
    u->name.keylen = 0;   /* nobody connects by it now; getsockname still shows it */
    return true;
}
