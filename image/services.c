/* image/services.c: [services.NAME]: the daemons init starts: checked (program,
 * namespaces, grants, dependency cycles), built, and written as the service
 * table init reads (include/anvil/services.h). */
#define _GNU_SOURCE
#include "services.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../include/anvil/services.h"
#include "../include/anvil/syscall.h"
#include "drivers.h"
#include "network.h"

/* Schemes the kernel (or init itself) serves: always there to be used. */
static const char *const kernel_schemes[] = {
    "debug", "initfs", "pipe", "sys", "memory", "dma", "irq", "ioport", "time",
    "null", "zero", "rand", "init", "tty", "pty", NULL,
};

/* An args word that is exactly this becomes [console] keymap in the table. */
#define ARG_KEYMAP "${console.keymap}"
#define SERVICES_FOLDER "services"
#define SERVICES_LIB SERVICES_FOLDER "/lib"
#define SERVICES_RECIPE "build.sh"  /* in a service's folder: it builds the program */
/* Programs every image with services gets: PID 1 and its control tool. */
static const char *const base_programs[] = {"init", "svc", NULL};
/* And every image with a pci: service its lister. */
#define PCI_TOOL "lspci"
#define LIVE_PROGRAM "ramfsd"   /* image.root = "disk": the live fallback's server */

static void get_list(struct mf_ctx *c, const struct toml_value *t, const char *sect,
                     const char *key, struct argv *dst)
{
    const struct toml_value *v = mf_get_string_list(c, t, sect, key);

    for (size_t i = 0; v && i < v->u.arr.len; i++) {
        const char *word = v->u.arr.items[i]->u.str;
        if (!*word || strpbrk(word, " \t\n"))
            mf_error(c, v->u.arr.items[i]->pos, "%s.%s: \"%s\" must be one word", sect, key, word);
        else
            argv_add(dst, word);
    }
}

/* memory:0xA-0xB, ioport:0xA-0xB (A <= B), irq:N (0..255), power, signal, dma,
 * console-input, console-output or framebuffer. */
static bool valid_grant(const char *g)
{
    unsigned long long a, b;
    unsigned n;
    char end;

    if (!strcmp(g, "power") || !strcmp(g, "signal") || !strcmp(g, "dma") ||
        !strcmp(g, "console-input") || !strcmp(g, "console-output") || !strcmp(g, "framebuffer"))
        return true;
    if (sscanf(g, "memory:%llx-%llx%c", &a, &b, &end) == 2 && !strncmp(g + 7, "0x", 2))
        return a <= b;
    if (sscanf(g, "ioport:%llx-%llx%c", &a, &b, &end) == 2 && !strncmp(g + 7, "0x", 2))
        return a <= b && b <= 0xffff;
    return sscanf(g, "irq:%u%c", &n, &end) == 1 && n <= 255;
}

static void check_grants(struct mf_ctx *c, const struct toml_value *t, const char *sect,
                         const struct argv *grants)
{
    for (size_t i = 0; i < grants->len; i++)
        if (!valid_grant(grants->v[i]))
            mf_error(c, toml_get(t, "grants")->pos, "%s.grants: \"%s\" is not memory:0xA-0xB, "
                     "irq:N, ioport:0xA-0xB, power, signal, dma, console-input, console-output or "
                     "framebuffer", sect,
                     grants->v[i]);
}

void services_init_grants(struct mf_ctx *c, struct manifest *m, const struct toml_value *t)
{
    if (!toml_get(t, "grants"))
        return;
    argv_free(&m->init_grants);     /* a variant's list replaces the base's */
    get_list(c, t, "init", "grants", &m->init_grants);
    check_grants(c, t, "init", &m->init_grants);
}

/* PID 1 holds what it hands on: the run program's grants and every
 * service's, each once. */
static void pid1_grants(const struct manifest *m, struct argv *out)
{
    for (size_t i = 0; i < m->init_grants.len; i++)
        if (!argv_has(out, m->init_grants.v[i]))
            argv_add(out, m->init_grants.v[i]);
    for (size_t k = 0; k < m->services_len; k++) {
        for (size_t i = 0; i < m->services[k].grants.len; i++)
            if (!argv_has(out, m->services[k].grants.v[i]))
                argv_add(out, m->services[k].grants.v[i]);
        /* init hands a driver parts of these: its device's BARs, dma, MSI */
        for (size_t i = 0; m->services[k].driver && drivers_pid1_grants[i]; i++)
            if (!argv_has(out, drivers_pid1_grants[i]))
                argv_add(out, drivers_pid1_grants[i]);
    }
}

char *services_pid1_grants(const struct manifest *m)
{
    struct argv all = {0};
    struct strbuf sb = {0};

    pid1_grants(m, &all);
    for (size_t i = 0; i < all.len; i++)
        sb_printf(&sb, "%s%s", i ? "," : "", all.v[i]);
    argv_free(&all);
    return sb.buf;
}

/* program: a folder in services/ (built, installed as /bin/NAME), or an image path. */
static void set_program(struct mf_ctx *c, struct manifest *m, struct mf_service *s,
                        const struct toml_value *t, const char *sect)
{
    char *program = NULL;

    mf_get_string(c, t, sect, "program", &program);
    if (!program) {
        mf_error(c, t->pos, "%s: a service needs a program (a folder in services/, or a "
                 "path in the image)", sect);
        return;
    }
    if (program[0] == '/') {
        s->program = program;
        return;
    }
    s->source = xasprintf("%s/%s/%s", m->config_dir, SERVICES_FOLDER, program);
    if (!mf_is_name(program) || !util_is_dir(s->source))
        mf_error(c, toml_get(t, "program")->pos, "%s.program: %s is not a folder", sect,
                 s->source);
    s->program = xasprintf("/bin/%s", program);
    free(program);
}

/* ${...} in args: only the whole words ARG_KEYMAP and ${network.*} are known. */
static void check_args(struct mf_ctx *c, struct manifest *m, const struct toml_value *t,
                       const char *sect, const struct argv *args)
{
    for (size_t i = 0; i < args->len; i++)
        if (strstr(args->v[i], "${") && strcmp(args->v[i], ARG_KEYMAP) &&
            !network_arg(m, args->v[i]))
            mf_error(c, toml_get(t, "args")->pos, "%s.args: \"%s\": the only settings an "
                     "argument can name are the whole words " ARG_KEYMAP ", ${network.address}, "
                     "${network.gateway} and ${network.dns}", sect, args->v[i]);
}

/* An args word as the table writes it: a ${...} word becomes its setting. */
static const char *arg_word(const struct manifest *m, const char *word)
{
    if (!strcmp(word, ARG_KEYMAP))
        return m->keymap;
    return network_arg(m, word) ? network_arg(m, word) : word;
}

static struct mf_service *find_service(struct manifest *m, const char *name);

static void services_entry(struct mf_ctx *c, struct manifest *m, const char *name,
                           const struct toml_value *t, bool driver)
{
    static const char *const known[] = {"program", "args", "provides", "uses", "grants",
                                        "after", "restart", "oneshot", "enabled", NULL};
    /* a driver's grants are its device's, from pcid: config names the device */
    static const char *const known_driver[] = {"program", "args", "provides", "uses", "after",
                                               "restart", "match", "enabled", NULL};
    static const char *const restart[] = {"always", "on-failure", "never", NULL};
    struct mf_service s = {.name = xstrdup(name), .pos = t->pos, .driver = driver};
    char *sect = xasprintf("%s.%s", driver ? "drivers" : "services", name);
    const struct toml_value *v;
    int r = MF_RESTART_ON_FAILURE;

    mf_check_keys(c, t, sect, driver ? known_driver : known);
    /* a variant drops a service of the base with enabled = false */
    if ((v = toml_get(t, "enabled")) && (v->type != TOML_BOOLEAN || !v->u.boolean)) {
        if (v->type != TOML_BOOLEAN)
            mf_error(c, v->pos, "%s.enabled must be true or false", sect);
        goto out;
    }
    if (find_service(m, name)) {
        mf_error(c, t->pos, "%s: there is a service or driver \"%s\" already", sect, name);
        goto out;
    }
    set_program(c, m, &s, t, sect);
    get_list(c, t, sect, "args", &s.args);
    check_args(c, m, t, sect, &s.args);
    get_list(c, t, sect, "provides", &s.provides);
    get_list(c, t, sect, "uses", &s.uses);
    get_list(c, t, sect, "grants", &s.grants);
    get_list(c, t, sect, "after", &s.after);
    check_grants(c, t, sect, &s.grants);
    mf_get_enum(c, t, sect, "restart", restart, &r);
    s.restart = (enum mf_restart)r;
    if ((v = toml_get(t, "oneshot")) && v->type != TOML_BOOLEAN)
        mf_error(c, v->pos, "%s.oneshot must be true or false", sect);
    s.oneshot = v && v->type == TOML_BOOLEAN && v->u.boolean;
    if (driver)
        drivers_match(c, t, sect, &s.match);
    m->services = xrealloc(m->services, (m->services_len + 1) * sizeof s);
    m->services[m->services_len++] = s;
    s.name = NULL;
out:
    free(s.name);
    free(sect);
}

void services_entries(struct mf_ctx *c, struct manifest *m, const struct toml_value *t,
                      bool driver)
{
    const char *kind = driver ? "driver" : "service";

    for (size_t i = 0; i < t->u.tab.len; i++) {
        const struct toml_kv *kv = &t->u.tab.items[i];
        if (!mf_is_name(kv->key))
            mf_error(c, kv->pos, "%ss.%s: a %s name is letters, digits, '.', '_' or '-'", kind,
                     kv->key, kind);
        else if (mf_is_table(c, kv->val, driver ? "a driver" : "a service"))
            services_entry(c, m, kv->key, kv->val, driver);
    }
}

void services_section(struct mf_ctx *c, struct manifest *m, const struct toml_value *t)
{
    services_entries(c, m, t, false);
}

static bool scheme_known(const struct manifest *m, const char *scheme)
{
    for (size_t i = 0; kernel_schemes[i]; i++)
        if (!strcmp(kernel_schemes[i], scheme))
            return true;
    for (size_t i = 0; i < m->services_len; i++)
        if (argv_has(&m->services[i].provides, scheme))
            return true;
    return false;
}

static struct mf_service *find_service(struct manifest *m, const char *name)
{
    if (!m->services)
        return NULL;
    for (size_t i = 0; i < m->services_len; i++)
        if (!strcmp(m->services[i].name, name))
            return &m->services[i];
    return NULL;
}

static void check_names(struct mf_ctx *c, struct manifest *m, const struct mf_service *s)
{
    for (size_t k = 0; k < s->uses.len; k++)
        if (!scheme_known(m, s->uses.v[k]))
            mf_error(c, s->pos, "services.%s.uses: no kernel scheme and no service provides "
                     "\"%s\"", s->name, s->uses.v[k]);
    for (size_t k = 0; k < s->after.len; k++)
        if (!find_service(m, s->after.v[k]))
            mf_error(c, s->pos, "services.%s.after: there is no service \"%s\"", s->name,
                     s->after.v[k]);
}

/* What the kernel can hold: PID 1's grants, and the names init reserves. */
static void check_limits(struct mf_ctx *c, const struct manifest *m)
{
    struct argv grants = {0};
    size_t provided = 0;

    pid1_grants(m, &grants);
    if (grants.len > ANVIL_GRANTS_MAX)
        mf_error(c, m->services_len ? m->services[0].pos : m->root_pos, "init.grants and the "
                 "services' grants: %zu different grants, PID 1 can hold %d", grants.len,
                 ANVIL_GRANTS_MAX);
    argv_free(&grants);
    for (size_t i = 0; i < m->services_len; i++)
        provided += m->services[i].provides.len;
    if (provided + 1 > ANVIL_RESERVED_MAX)   /* and init's own name */
        mf_error(c, m->services[0].pos, "services: %zu names in provides lists, init can "
                 "reserve %d", provided, ANVIL_RESERVED_MAX - 1);
}

/* Depth-first visit for the dependency order; state 1 = on the path (a cycle). */
static bool visit(struct mf_ctx *c, struct manifest *m, size_t i, int *state, size_t *order,
                  size_t *n)
{
    struct mf_service *s = &m->services[i];

    if (state[i] == 2)
        return true;
    if (state[i] == 1) {
        mf_error(c, s->pos, "services.%s: the after lists form a cycle through \"%s\"",
                 s->name, s->name);
        return false;
    }
    state[i] = 1;
    for (size_t k = 0; k < s->after.len; k++) {
        struct mf_service *dep = find_service(m, s->after.v[k]);
        if (dep && !visit(c, m, (size_t)(dep - m->services), state, order, n))
            return false;
    }
    state[i] = 2;
    order[(*n)++] = i;
    return true;
}

void services_check(struct mf_ctx *c, struct manifest *m)
{
    int *state = xcalloc(m->services_len, sizeof *state);
    size_t *order = xcalloc(m->services_len, sizeof *order);
    size_t n = 0;
    bool ok = true;

    drivers_check(c, m);
    for (size_t i = 0; i < m->services_len; i++)
        check_names(c, m, &m->services[i]);
    check_limits(c, m);
    /* a root archive is only useful when a daemon unpacks and serves it */
    if (m->root == MF_ROOT_RAMFS && !scheme_known(m, "file"))
        mf_error(c, m->root_pos, "image.root = \"ramfs\" needs a service that "
                 "provides \"file\" (ramfsd)");
    if (MF_ROOT_IS_FAT(m) && !scheme_known(m, "file"))
        mf_error(c, m->root_pos, "image.root = \"%s\" needs a service that "
                 "provides \"file\" (fatd)", m->root == MF_ROOT_DISK ? "disk" : "live");
    if (m->terminals.len && (!m->run || !scheme_known(m, "console")))
        mf_error(c, m->ttys_pos, "console.ttys: %s needs init.run and a service that provides "
                 "\"console\" (fbcond)", m->terminals.v[0]);
    if (m->on_exit == MF_ON_EXIT_RESPAWN && (!m->services_len || !m->run))
        mf_error(c, m->root_pos, "init.on_exit = \"respawn\" needs init.run and a service "
                 "(init runs the program again; without services it is PID 1)");
    for (size_t i = 0; i < m->services_len && ok && !c->errors; i++)
        ok = visit(c, m, i, state, order, &n);
    if (ok && !c->errors) {
        struct mf_service *sorted = xcalloc(m->services_len, sizeof *sorted);
        for (size_t i = 0; i < n; i++)
            sorted[i] = m->services[order[i]];
        free(m->services);
        m->services = sorted;
    }
    free(state);
    free(order);
}

/* A "key word..." line; with m, a ${...} word becomes m's setting (arg_word). */
static void add_words(struct strbuf *sb, const char *key, const struct argv *words,
                      const struct manifest *m)
{
    if (!words->len)
        return;
    sb_puts(sb, key);
    for (size_t i = 0; i < words->len; i++)
        sb_printf(sb, " %s", m ? arg_word(m, words->v[i]) : words->v[i]);
    sb_puts(sb, "\n");
}

/* A match id as the table writes it: hex digits, or "*" for any (static buffer). */
static const char *match_word(long id, int digits)
{
    static char words[3][16];
    static int next;
    char *w = words[next++ % 3];

    if (id == MF_MATCH_ANY)
        return "*";
    snprintf(w, sizeof(words[0]), "%0*lx", digits, id);
    return w;
}

char *services_table(const struct manifest *m)
{
    static const char *const restart[] = {"always", "on-failure", "never"};
    struct strbuf sb = {0};

    sb_printf(&sb, "# %s: written by mkimage from %s (variant %s); read by init\n",
              ANVIL_SERVICES_PATH, mf_config_name(m), m->variant);
    for (size_t i = 0; i < m->services_len; i++) {
        const struct mf_service *s = &m->services[i];
        sb_printf(&sb, "service %s\nprogram %s\n", s->name, s->program);
        add_words(&sb, "args", &s->args, m);
        add_words(&sb, "provides", &s->provides, NULL);
        add_words(&sb, "uses", &s->uses, NULL);
        add_words(&sb, "grant", &s->grants, NULL);
        add_words(&sb, "after", &s->after, NULL);
        if (s->driver)
            sb_printf(&sb, "driver %s %s %s\n", match_word(s->match.class, 6),
                      match_word(s->match.vendor, 4), match_word(s->match.device, 4));
        sb_printf(&sb, "restart %s\noneshot %s\nend\n", restart[s->restart],
                  s->oneshot ? "yes" : "no");
    }
    drivers_table(m, &sb);
    if (m->run)
        sb_printf(&sb, "run %s\n", m->run);
    add_words(&sb, "grant", &m->init_grants, NULL);
    sb_printf(&sb, "on_exit %s\n", mf_on_exit_names[m->on_exit]);
    add_words(&sb, "terminals", &m->terminals, NULL);
    return sb.buf;
}

static void add_program(struct manifest *m, const char *program, const char *folder)
{
    struct mf_package p = {0};

    for (size_t i = 0; i < m->packages_len; i++)
        if (!strcmp(m->packages[i].name, program))
            return;     /* two services may share one program */
    p.name = xstrdup(program);
    p.source = xstrdup(folder);
    p.install = xasprintf("/bin/%s", program);
    p.cc = xstrdup(m->cc);
    p.lib = xasprintf("%s/%s", m->config_dir, SERVICES_LIB);
    /* a service that links upstream code (netd: lwIP) is built by its recipe */
    char *recipe = util_path_join(folder, SERVICES_RECIPE);
    if (util_is_file(recipe))
        p.build = xstrdup(SERVICES_RECIPE);
    free(recipe);
    p.boot = true;      /* init starts services before the root is served */
    m->packages = xrealloc(m->packages, (m->packages_len + 1) * sizeof p);
    m->packages[m->packages_len++] = p;
}

/* A program from services/NAME that no service names. */
static void add_service_program(struct manifest *m, const char *name)
{
    char *folder = xasprintf("%s/%s/%s", m->config_dir, SERVICES_FOLDER, name);

    add_program(m, name, folder);
    free(folder);
}

void services_finish(struct manifest *m)
{
    struct mf_file table = {.mode = 0644, .boot = true};

    if (!m->services_len)
        return;
    table.path = xstrdup(ANVIL_SERVICES_PATH);
    for (size_t i = 0; base_programs[i]; i++) {
        char *folder = xasprintf("%s/%s/%s", m->config_dir, SERVICES_FOLDER, base_programs[i]);
        add_program(m, base_programs[i], folder);
        free(folder);
    }
    for (size_t i = 0; i < m->services_len; i++)
        if (m->services[i].source)
            add_program(m, m->services[i].program + 5, m->services[i].source);  /* "/bin/" */
    if (scheme_known(m, DRIVERS_PCI_SCHEME))   /* pcid's list, readable */
        add_service_program(m, PCI_TOOL);
    if (m->root == MF_ROOT_DISK)   /* fatd execs it when no driver finds the disk */
        add_service_program(m, LIVE_PROGRAM);
    table.text = services_table(m);
    m->files = xrealloc(m->files, (m->files_len + 1) * sizeof table);
    m->files[m->files_len++] = table;
}

void services_entry_free(struct mf_service *s)
{
    free(s->name);
    free(s->program);
    free(s->source);
    argv_free(&s->args);
    argv_free(&s->provides);
    argv_free(&s->uses);
    argv_free(&s->grants);
    argv_free(&s->after);
}

void services_free(struct manifest *m)
{
    for (size_t i = 0; i < m->services_len; i++)
        services_entry_free(&m->services[i]);
    free(m->services);
    argv_free(&m->init_grants);
}
