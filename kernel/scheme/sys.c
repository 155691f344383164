/* kernel/scheme/sys.c: the sys: scheme: kernel facts as text files, each a
 * snapshot taken at open: uname, proc, meminfo, log, schemes, pci, irqs,
 * platform, framebuffer, font. Opening the root lists them. */
#include "arch/x86_64/acpi.h"
#include "arch/x86_64/platform.h"
#include "buildinfo.h"
#include "console/console.h"
#include "console/fbcon.h"
#include "lib/errno.h"
#include "lib/klog.h"
#include "lib/string.h"
#include "mm/kmem.h"
#include "mm/pmm.h"
#include "proc/proc.h"
#include "scheme/kschemes.h"
#include "scheme/procinfo.h"
#include "scheme/textfile.h"

static void sys_uname(struct textbuf *tb)
{
    textbuf_printf(tb, "Anvil %s x86_64\n", ANVIL_VERSION);
}

static void sys_proc(struct textbuf *tb)
{
    textbuf_printf(tb, "PID PPID STATE THREADS VMKIB NAME\n");
    for (struct proc *p = proc_first(); p; p = p->all_next)
        textbuf_printf(tb, "%d %d %c %d %zu %s\n", p->pid, procinfo_ppid(p), procinfo_state(p),
                       p->threads, procinfo_vm_bytes(p) / 1024, p->name);
}

static void sys_meminfo(struct textbuf *tb)
{
    textbuf_printf(tb, "MemTotal: %zu kB\nMemFree: %zu kB\n", pmm_total_count() * 4,
                   pmm_free_count() * 4);
}

static void sys_log(struct textbuf *tb)
{
    char *buf = kmalloc(KLOG_SIZE);

    if (!buf) {
        tb->failed = true;
        return;
    }
    textbuf_append(tb, buf, klog_copy(buf, KLOG_SIZE));
    kfree(buf);
}

static void sys_schemes(struct textbuf *tb)
{
    for (struct scheme *s = scheme_first(); s; s = s->next) {
        if (s->user)
            textbuf_printf(tb, "%s user %d\n", s->name, s->owner_pid);
        else
            textbuf_printf(tb, "%s kernel\n", s->name);
    }
}

/* "ecam 0xBASE SEGMENT FIRST_BUS LAST_BUS" from the MCFG, or nothing: pcid's
 * way to the PCIe configuration space (it still needs a memory: grant). */
static void sys_pci(struct textbuf *tb)
{
    if (acpi_mcfg.ecam_phys)
        textbuf_printf(tb, "ecam 0x%lx %u %u %u\n", acpi_mcfg.ecam_phys, acpi_mcfg.segment,
                       acpi_mcfg.bus_start, acpi_mcfg.bus_end);
}

/* What drivers cannot find out themselves: "KEY VALUE" lines. */
static void sys_platform(struct textbuf *tb)
{
    textbuf_printf(tb, "i8042 %s\n", x86_platform_i8042());
}

/* The boot framebuffer for a console service (fbcond): "phys width height
 * pitch bpp" and the channels as "r POS SIZE g POS SIZE b POS SIZE"; empty
 * without one. Only the framebuffer grant lets it be mapped (memory.c). */
static void sys_framebuffer(struct textbuf *tb)
{
    const struct boot_framebuffer *fb = con_framebuffer();

    if (fb)
        textbuf_printf(tb, "0x%lx %u %u %u %u r %u %u g %u %u b %u %u\n", fb->phys, fb->width,
                       fb->height, fb->pitch, fb->bpp, fb->red_pos, fb->red_size,
                       fb->green_pos, fb->green_size, fb->blue_pos, fb->blue_size);
}

/* The PSF file fbcon picked for this screen (fonts.S), so a console service
 * draws with the same font without a copy in the boot archive. */
static void sys_font(struct textbuf *tb)
{
#ifdef ANVIL_FEATURE_FBCON
    const uint8_t *data;
    size_t len;

    if (fbcon_font_file(&data, &len))
        textbuf_append(tb, (const char *)data, len);
#else
    (void)tb;
#endif
}

static const struct {
    const char *name;
    void (*fill)(struct textbuf *tb);
} sys_files[] = {
    {"uname", sys_uname}, {"proc", sys_proc}, {"meminfo", sys_meminfo},
    {"log", sys_log},     {"schemes", sys_schemes}, {"pci", sys_pci},
    {"irqs", kscheme_irq_list}, {"platform", sys_platform},
    {"framebuffer", sys_framebuffer}, {"font", sys_font},
};

static int sys_open(struct scheme *s, const char *path, unsigned flags, unsigned mode,
                    struct file **out)
{
    struct textbuf tb = {0};

    (void)s, (void)mode;
    if (!path[0]) {
        for (size_t i = 0; i < sizeof(sys_files) / sizeof(sys_files[0]); i++)
            textbuf_printf(&tb, "%s\n", sys_files[i].name);
        return textfile_open(&tb, flags, S_IFDIR, out);
    }
    for (size_t i = 0; i < sizeof(sys_files) / sizeof(sys_files[0]); i++) {
        if (strcmp(path, sys_files[i].name) == 0) {
            sys_files[i].fill(&tb);
            return textfile_open(&tb, flags, S_IFREG, out);
        }
    }
    return (flags & O_CREAT) ? -EROFS : -ENOENT;
}

static const struct scheme_ops sys_ops = {.open = sys_open};
static struct scheme sys_scheme = {.name = "sys", .ops = &sys_ops};

void kscheme_sys_init(void)
{
    scheme_register(&sys_scheme);
}
