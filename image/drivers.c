/* image/drivers.c: [drivers.NAME]: PCI drivers. Each is a service init
 * starts only when pcid reports a device its match names, with grants for
 * just that device's BARs (docs/drivers.md). */
#define _GNU_SOURCE
#include "drivers.h"

#include <stdlib.h>
#include <string.h>

#include "services.h"

#define CLASS_MAX 0xffffffL      /* class, subclass, programming interface */
#define ID_MAX 0xffffL

/* Where firmware puts PCI BARs: the 32-bit memory window (above q35's ECAM,
 * below the IO-APIC), the 64-bit window, and the I/O ports SeaBIOS (from
 * 0xc000) and OVMF (from 0x6000) hand out; and the ISA lines a pc's PCI
 * interrupts are routed to (5, 9, 10, 11). init gives a driver its BARs and
 * INTx line only inside these. */
#define WINDOWS "memory:0xc0000000-0xfebfffff", "memory:0x100000000-0xffffffffff", \
                "ioport:0x6000-0xffff", "irq:5-11"
static const char *const windows[] = {WINDOWS, NULL};
const char *const drivers_pid1_grants[] = {WINDOWS, "dma", "irq:16", NULL};

void drivers_section(struct mf_ctx *c, struct manifest *m, const struct toml_value *t)
{
    services_entries(c, m, t, true);
}

/* One id of a match: left MF_MATCH_ANY when absent. */
static void match_id(struct mf_ctx *c, const struct toml_value *t, const char *sect,
                     const char *key, long max, long *dst)
{
    const struct toml_value *v = toml_get(t, key);

    *dst = MF_MATCH_ANY;
    if (!v)
        return;
    if (v->type != TOML_INTEGER || v->u.integer < 0 || v->u.integer > max)
        mf_error(c, v->pos, "%s.match.%s must be an integer from 0 to 0x%lx", sect, key, max);
    else
        *dst = (long)v->u.integer;
}

void drivers_match(struct mf_ctx *c, const struct toml_value *t, const char *sect,
                   struct mf_match *mt)
{
    static const char *const known[] = {"class", "vendor", "device", NULL};
    const struct toml_value *v = toml_get(t, "match");
    char *msect;

    mt->class = mt->vendor = mt->device = MF_MATCH_ANY;
    if (!v) {
        mf_error(c, t->pos, "%s: a driver needs match = { class = 0xCCSSPP } or "
                 "{ vendor = 0xVVVV, device = 0xDDDD }", sect);
        return;
    }
    if (v->type != TOML_TABLE) {
        mf_error(c, v->pos, "%s.match must be a table such as { class = 0x010802 }", sect);
        return;
    }
    msect = xasprintf("%s.match", sect);
    mf_check_keys(c, v, msect, known);
    free(msect);
    match_id(c, v, sect, "class", CLASS_MAX, &mt->class);
    match_id(c, v, sect, "vendor", ID_MAX, &mt->vendor);
    match_id(c, v, sect, "device", ID_MAX, &mt->device);
    if (mt->device != MF_MATCH_ANY && mt->vendor == MF_MATCH_ANY)
        mf_error(c, v->pos, "%s.match: a device id needs its vendor", sect);
    else if (mt->class == MF_MATCH_ANY && mt->vendor == MF_MATCH_ANY)
        mf_error(c, v->pos, "%s.match names no device: give a class, or a vendor (and device)",
                 sect);
}

static const struct mf_service *pci_provider(const struct manifest *m)
{
    for (size_t i = 0; i < m->services_len; i++)
        for (size_t k = 0; k < m->services[i].provides.len; k++)
            if (!m->services[i].driver && !strcmp(m->services[i].provides.v[k], DRIVERS_PCI_SCHEME))
                return &m->services[i];
    return NULL;
}

void drivers_check(struct mf_ctx *c, struct manifest *m)
{
    const struct mf_service *pcid = pci_provider(m);
    size_t kept = 0;

    (void)c;
    for (size_t i = 0; i < m->services_len; i++) {
        struct mf_service *s = &m->services[i];
        if (!s->driver) {
            m->services[kept++] = *s;
        } else if (!pcid) {
            services_entry_free(s);
        } else {
            argv_add(&s->after, pcid->name);
            m->services[kept++] = *s;
        }
    }
    m->services_len = kept;
}

void drivers_table(const struct manifest *m, struct strbuf *sb)
{
    for (size_t i = 0; i < m->services_len; i++) {
        if (!m->services[i].driver)
            continue;
        sb_puts(sb, "driver_window");
        for (size_t k = 0; windows[k]; k++)
            sb_printf(sb, " %s", windows[k]);
        sb_puts(sb, "\n");
        return;
    }
}
