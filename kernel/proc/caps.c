/* kernel/proc/caps.c: namespaces, provides sets, grants and who may signal
 * whom (see caps.h). Narrowing checks the whole request first, then replaces
 * the set, so a refused call changes nothing. */
#include "../cmdline.h"   /* the kernel command line (proc/cmdline.h is argv) */
#include "lib/errno.h"
#include "lib/kprintf.h"
#include "lib/string.h"
#include "proc/caps.h"
#include "proc/proc.h"
#include "proc/signal_types.h"

#define INIT_PID 1
#define GRANTS_TEXT_MAX 1024   /* = BOOT_CMDLINE_MAX */

bool caps_allows(const struct caps *c, const char *name)
{
    if (c->all_names)
        return true;
    for (unsigned i = 0; i < c->name_count; i++)
        if (strcmp(c->names[i], name) == 0)
            return true;
    return false;
}

bool caps_provides(const struct caps *c, const char *name)
{
    if (c->all_provides)
        return true;
    for (unsigned i = 0; i < c->provide_count; i++)
        if (strcmp(c->provides[i], name) == 0)
            return true;
    return false;
}

bool caps_granted(const struct caps *c, uint32_t kind, uint64_t start, uint64_t end)
{
    for (unsigned i = 0; i < c->grant_count; i++) {
        const struct anvil_grant *g = &c->grants[i];
        if (g->kind == kind && g->start <= start && end <= g->end)
            return true;
    }
    return false;
}

static bool is_sep(char ch)
{
    return ch == ' ' || ch == ',' || ch == '\0' || ch == '\n';
}

int caps_split_names(const char *list, size_t len, char out[][CAPS_NAME_MAX + 1], size_t max,
                     bool *star)
{
    size_t i = 0, n = 0;

    *star = false;
    while (i < len) {
        size_t start = i;
        while (i < len && !is_sep(list[i]))
            i++;
        size_t wl = i - start;
        if (wl == 1 && list[start] == '*')
            *star = true;
        else if (wl > CAPS_NAME_MAX)
            return -EINVAL;
        else if (wl > 0) {
            if (n == max)
                return -E2BIG;
            memcpy(out[n], list + start, wl);
            out[n++][wl] = '\0';
        }
        i++;
    }
    return (int)n;
}

int caps_restrict_names(struct caps *c, const char *list, size_t len)
{
    static char names[ANVIL_NS_NAMES_MAX][CAPS_NAME_MAX + 1];   /* one CPU, no preemption */
    bool star;
    int n = caps_split_names(list, len, names, ANVIL_NS_NAMES_MAX, &star);

    if (n < 0)
        return n;
    if (star)
        return 0;
    for (int i = 0; i < n; i++)
        if (!caps_allows(c, names[i]))
            return -EPERM;
    memcpy(c->names, names, sizeof(names));
    c->name_count = (uint8_t)n;
    c->all_names = false;
    return 0;
}

int caps_restrict_provides(struct caps *c, const char *list, size_t len)
{
    char names[ANVIL_PROVIDES_MAX][CAPS_NAME_MAX + 1];
    bool star;
    int n = caps_split_names(list, len, names, ANVIL_PROVIDES_MAX, &star);

    if (n < 0)
        return n;
    if (star)
        return 0;
    for (int i = 0; i < n; i++)
        if (!caps_provides(c, names[i]))
            return -EPERM;
    memcpy(c->provides, names, sizeof(names));
    c->provide_count = (uint8_t)n;
    c->all_provides = false;
    return 0;
}

static bool kind_valid(uint32_t kind)
{
    return kind >= ANVIL_GRANT_MEMORY && kind <= ANVIL_GRANT_KIND_LAST;
}

int caps_restrict_grants(struct caps *c, const struct anvil_grant *g, size_t n)
{
    if (n > ANVIL_GRANTS_MAX)
        return -EINVAL;
    for (size_t i = 0; i < n; i++) {
        if (!kind_valid(g[i].kind) || g[i].start > g[i].end)
            return -EINVAL;
        if (!caps_granted(c, g[i].kind, g[i].start, g[i].end))
            return -EPERM;
    }
    memcpy(c->grants, g, n * sizeof(*g));
    c->grant_count = (uint8_t)n;
    return 0;
}

long caps_format_names(const struct caps *c, char *buf, size_t size)
{
    size_t n = 0;

    if (c->all_names) {
        if (size < 3)
            return -ERANGE;
        memcpy(buf, "*\n", 3);
        return 2;
    }
    for (unsigned i = 0; i < c->name_count; i++) {
        size_t l = strlen(c->names[i]);
        if (n + l + 2 > size)
            return -ERANGE;
        if (i)
            buf[n++] = ' ';
        memcpy(buf + n, c->names[i], l);
        n += l;
    }
    if (n + 2 > size)
        return -ERANGE;
    buf[n++] = '\n';
    buf[n] = '\0';
    return (long)n;
}

bool caps_parse_number(const char **p, uint64_t *out)
{
    const char *s = *p;
    unsigned base = 10, d;
    uint64_t v = 0;
    int digits = 0;

    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        s += 2;
    }
    for (;; s++, digits++) {
        if (*s >= '0' && *s <= '9')
            d = (unsigned)(*s - '0');
        else if (base == 16 && ((*s | 0x20) >= 'a' && (*s | 0x20) <= 'f'))
            d = (unsigned)((*s | 0x20) - 'a' + 10);
        else
            break;
        if (v > (UINT64_MAX - d) / base)
            return false;
        v = v * base + d;
    }
    *p = s;
    *out = v;
    return digits > 0;
}

/* One grant word, as in the service table: memory:A-B, irq:N, ioport:A-B,
 * power, signal, dma, console-input, console-output or framebuffer. */
static bool parse_grant(const char *w, size_t len, struct anvil_grant *g)
{
    static const struct { const char *prefix; uint32_t kind; bool range; } kinds[] = {
        {"memory:", ANVIL_GRANT_MEMORY, true}, {"irq:", ANVIL_GRANT_IRQ, true},
        {"ioport:", ANVIL_GRANT_IOPORT, true}, {"power", ANVIL_GRANT_POWER, false},
        {"signal", ANVIL_GRANT_SIGNAL, false}, {"dma", ANVIL_GRANT_DMA, false},
        {"console-input", ANVIL_GRANT_CONSOLE_INPUT, false},
        {"console-output", ANVIL_GRANT_CONSOLE_OUTPUT, false},
        {"framebuffer", ANVIL_GRANT_FRAMEBUFFER, false},
    };
    char word[64];
    const char *p;

    if (len >= sizeof(word))
        return false;
    memcpy(word, w, len);
    word[len] = '\0';
    for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
        size_t l = strlen(kinds[i].prefix);
        if (strncmp(word, kinds[i].prefix, l) != 0 || (!kinds[i].range && word[l]))
            continue;
        memset(g, 0, sizeof(*g));
        g->kind = kinds[i].kind;
        if (!kinds[i].range)
            return true;
        p = word + l;
        if (!caps_parse_number(&p, &g->start))
            return false;
        g->end = g->start;
        if (*p == '-' && (p++, !caps_parse_number(&p, &g->end)))
            return false;
        return !*p && g->start <= g->end;
    }
    return false;
}

/* Parse "KIND[:RANGE],..." into c's grants: false (and none) on a bad word. */
static bool parse_grants(struct caps *c, const char *text)
{
    size_t i = 0, len = strlen(text);

    while (i < len) {
        size_t start = i;
        while (i < len && text[i] != ',')
            i++;
        if (i > start) {
            if (c->grant_count == ANVIL_GRANTS_MAX ||
                !parse_grant(text + start, i - start, &c->grants[c->grant_count])) {
                c->grant_count = 0;
                return false;
            }
            c->grant_count++;
        }
        i++;
    }
    return true;
}

void caps_init_first(struct caps *c, const char *cmdline)
{
    static char text[GRANTS_TEXT_MAX];   /* once, at boot */

    memset(c, 0, sizeof(*c));
    c->all_names = true;
    c->all_provides = true;
    c->uid = CAPS_ROOT_UID;
    if (cmdline_get(cmdline, CAPS_GRANTS_OPTION, text, sizeof(text)) && !parse_grants(c, text))
        kprintf("cmdline: grants=%s: want memory:A-B, irq:N, ioport:A-B, power, signal, dma, "
                "console-input, console-output, framebuffer, "
                "at most %d, separated by commas; PID 1 gets none\n", text, ANVIL_GRANTS_MAX);
}

/* Is a b or one of b's descendants? */
static bool descends(const struct proc *a, const struct proc *b)
{
    for (const struct proc *p = a; p; p = p->parent)
        if (p == b)
            return true;
    return false;
}

int caps_may_signal(const struct proc *from, const struct proc *to, int sig)
{
    bool handled;

    /* POSIX: a privileged sender, or the same user (kill(2), "Permission"). */
    if (from->caps.uid != CAPS_ROOT_UID && from->caps.uid != to->caps.uid)
        return -EPERM;
    if (to->pid == INIT_PID && from != to) {
        handled = sig > 0 && to->actions[sig].handler != SIG_DFL_HANDLER &&
                  to->actions[sig].handler != SIG_IGN_HANDLER;
        return sig == 0 || (handled && sig != SIGKILL && sig != SIGSTOP) ? 0 : 1;
    }
    /* Anvil: supervisors (PID 1, the signal grant), else only the sender's
     * own line (descendants and ancestors) and its session, unless that is
     * PID 1's, where the services live. */
    if (from->pid == INIT_PID || caps_granted(&from->caps, ANVIL_GRANT_SIGNAL, 0, 0))
        return 0;
    if (descends(to, from) || descends(from, to))
        return 0;
    return to->sid == from->sid && from->sid != INIT_PID ? 0 : -EPERM;
}
