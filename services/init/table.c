/* services/init/table.c: reading the service table (include/anvil/services.h). */
#include <anvil/services.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "init.h"

#define LINE_MAX_LEN 1024

static void split(char *rest, struct words *w)
{
    char *tok;

    for (tok = strtok(rest, " \t"); tok && w->n < INIT_WORDS_MAX; tok = strtok(NULL, " \t"))
        snprintf(w->w[w->n++], INIT_WORD_MAX, "%s", tok);
    if (tok)
        fprintf(stderr, "init: %s: more than %d words in a line; dropped from '%s' on\n",
                ANVIL_SERVICES_PATH, INIT_WORDS_MAX, tok);
}

int table_parse_grant(const char *word, struct anvil_grant *g)
{
    static const struct { const char *kind; uint32_t k; } kinds[] = {
        {"memory:", ANVIL_GRANT_MEMORY}, {"irq:", ANVIL_GRANT_IRQ},
        {"ioport:", ANVIL_GRANT_IOPORT}, {"power", ANVIL_GRANT_POWER},
        {"signal", ANVIL_GRANT_SIGNAL}, {"dma", ANVIL_GRANT_DMA},
        {"console-input", ANVIL_GRANT_CONSOLE_INPUT},
        {"console-output", ANVIL_GRANT_CONSOLE_OUTPUT},
        {"framebuffer", ANVIL_GRANT_FRAMEBUFFER},
    };
    for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
        size_t l = strlen(kinds[i].kind);
        if (strncmp(word, kinds[i].kind, l) != 0)
            continue;
        char *end;
        memset(g, 0, sizeof(*g));
        g->kind = kinds[i].k;
        if (g->kind != ANVIL_GRANT_MEMORY && g->kind != ANVIL_GRANT_IRQ &&
            g->kind != ANVIL_GRANT_IOPORT)
            return word[l] ? -1 : 0;   /* a kind without a range */
        g->start = g->end = strtoull(word + l, &end, 0);
        if (*end == '-')
            g->end = strtoull(end + 1, &end, 0);
        return *end || g->end < g->start ? -1 : 0;
    }
    return -1;
}

/* "grant KIND:RANGE..." into g (count in *n): 0, or -1 for a bad word. */
static int parse_grants(char *rest, struct anvil_grant *g, int *n)
{
    struct words w = {0};

    split(rest, &w);
    for (int i = 0; i < w.n && *n < ANVIL_GRANTS_MAX; i++)
        if (table_parse_grant(w.w[i], &g[(*n)++]) < 0)
            return -1;
    return 0;
}

/* "driver CLASS VENDOR DEVICE": hex, or * for any. */
static int parse_match(struct service *s, char *rest)
{
    uint32_t *ids[] = {&s->match_class, &s->match_vendor, &s->match_device};
    struct words w = {0};

    split(rest, &w);
    if (w.n != 3)
        return -1;
    for (int i = 0; i < 3; i++) {
        char *end;
        *ids[i] = strcmp(w.w[i], "*") == 0 ? PCIDEV_ANY : (uint32_t)strtoul(w.w[i], &end, 16);
        if (*ids[i] != PCIDEV_ANY && (*end || end == w.w[i]))
            return -1;
    }
    s->driver = true;
    s->state = SVC_NODEVICE;
    return 0;
}

static int service_key(struct service *s, const char *key, char *rest)
{

    if (strcmp(key, "program") == 0)
        snprintf(s->program, sizeof(s->program), "%s", rest);
    else if (strcmp(key, "args") == 0)
        split(rest, &s->args);
    else if (strcmp(key, "provides") == 0)
        split(rest, &s->provides);
    else if (strcmp(key, "uses") == 0)
        split(rest, &s->uses);
    else if (strcmp(key, "after") == 0)
        split(rest, &s->after);
    else if (strcmp(key, "restart") == 0)
        s->restart = strcmp(rest, "never") == 0        ? RESTART_NEVER
                     : strcmp(rest, "on-failure") == 0 ? RESTART_ON_FAILURE
                                                       : RESTART_ALWAYS;
    else if (strcmp(key, "oneshot") == 0)
        s->oneshot = strcmp(rest, "yes") == 0;
    else if (strcmp(key, "grant") == 0)
        return parse_grants(rest, s->grants, &s->grant_count);
    else if (strcmp(key, "driver") == 0)
        return parse_match(s, rest);
    else
        return -1;
    return 0;
}

static int table_line(struct table *t, struct service **cur, char *line, int lineno)
{
    char *key = strtok(line, " \t"), *rest = strtok(NULL, "");

    if (!key || key[0] == '#')
        return 0;
    if (!rest)
        rest = "";
    if (strcmp(key, "service") == 0) {
        if (*cur || t->count == INIT_SERVICES_MAX)
            goto bad;
        *cur = &t->svc[t->count++];
        memset(*cur, 0, sizeof(**cur));
        snprintf((*cur)->name, sizeof((*cur)->name), "%s", rest);
    } else if (strcmp(key, "end") == 0) {
        if (!*cur || !(*cur)->program[0])
            goto bad;
        *cur = NULL;
    } else if (*cur) {
        if (service_key(*cur, key, rest) < 0)
            goto bad;
    } else if (strcmp(key, "run") == 0) {
        split(rest, &t->run);
    } else if (strcmp(key, "terminals") == 0) {
        split(rest, &t->terminals);
    } else if (strcmp(key, "grant") == 0) {
        if (parse_grants(rest, t->run_grants, &t->run_grant_count) < 0)
            goto bad;
    } else if (strcmp(key, "driver_window") == 0) {
        if (parse_grants(rest, t->windows, &t->window_count) < 0)
            goto bad;
    } else if (strcmp(key, "on_exit") == 0) {
        t->poweroff = strcmp(rest, "poweroff") == 0;
        t->respawn = strcmp(rest, "respawn") == 0;
    } else
        goto bad;
    return 0;
bad:
    fprintf(stderr, "init: %s:%d: cannot use '%s'\n", ANVIL_SERVICES_PATH, lineno, key);
    return -1;
}

int table_load(const char *path, struct table *t)
{
    FILE *f = fopen(path, "r");
    char line[LINE_MAX_LEN];
    struct service *cur = NULL;
    int lineno = 0, err = 0;

    memset(t, 0, sizeof(*t));
    if (!f)
        return 1;   /* no table: nothing to supervise */
    while (fgets(line, sizeof(line), f)) {
        lineno++;
        line[strcspn(line, "\r\n")] = '\0';
        if (table_line(t, &cur, line, lineno) < 0)
            err = -1;
    }
    fclose(f);
    if (cur) {
        fprintf(stderr, "init: %s: service %s has no end\n", path, cur->name);
        err = -1;
    }
    return err;
}
