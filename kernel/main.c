/* kernel/main.c: kmain, the first C code: set up the CPU tables and the
 * console, read the boot information, print the boot report, then do what
 * the command line asks (on_exit=, test=). */
#include <anvil/exit.h>
#include <stdint.h>

#include "arch/x86_64/acpi.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/gdt.h"
#include "arch/x86_64/idt.h"
#include "arch/x86_64/interrupts.h"
#include "arch/x86_64/platform.h"
#include "boot/boot_info.h"
#include "boot/report.h"
#include "cmdline.h"
#include "console/console.h"
#include "lib/kprintf.h"
#include "lib/string.h"
#include "mm/kmap.h"
#include "mm/pmm.h"
#include "fs/console.h"
#include "fs/initfs.h"
#include "monitor.h"
#include "proc/exec.h"
#include "proc/exit.h"
#include "proc/init.h"
#include "proc/oom.h"
#include "proc/itimer.h"
#include "proc/uentry.h"
#include "sched/sched.h"
#include "syscall/syscall.h"
#include "sched/clock.h"
#include "sched/entropy.h"
#include "power.h"
#include "scheme/scheme.h"
#include "selftest.h"
#ifdef ANVIL_FEATURE_SERIAL
#include "dev/serial.h"
#endif

#define OPTION_VALUE_MAX 64
#define INIT_ARGV_MAX 64
#define INIT_ARGS_SIZE BOOT_CMDLINE_MAX
#define INITFS_MODULE "initfs"
#define SIGNAL_STATUS_BASE 128
#define TEST_EXIT_PREFIX "exit:"

/* Called from boot/entry.S with the boot protocol, the loader's magic (EAX
 * for multiboot2) and the physical address of the boot information. */
noreturn void kmain(uint32_t protocol, uint32_t magic, uint32_t info_phys);

/* Written at boot, read-only after. */
static struct boot_info kernel_boot_info;

/* Frames, then the kernel's own page tables over all of RAM. */
static void mm_init(const struct boot_info *bi)
{
    pmm_init(bi);
    kmap_init(bi);
    oom_init();
    kprintf("mm: %lu of %lu KiB free; nx %s smep %s smap %s\n",
            pmm_free_count() * (PMM_PAGE_SIZE / 1024), pmm_total_count() * (PMM_PAGE_SIZE / 1024),
            x86_cpu_has_nx() ? "on" : "off", x86_cpu_has_smep() ? "on" : "off",
            x86_cpu_has_smap() ? "on" : "off");
}

/* clock=NAME: the time source to try first (tests force each one). */
static const char *clock_option(const char *cmdline)
{
    static char value[OPTION_VALUE_MAX];

    return cmdline_get(cmdline, "clock", value, sizeof(value)) ? value : NULL;
}

/* on_exit=stay: the monitor (feature "monitor") when there is a serial port,
 * else idle. */
static noreturn void stay(const struct boot_info *bi)
{
#if defined(ANVIL_FEATURE_SERIAL) && defined(ANVIL_FEATURE_MONITOR)
    if (serial_present())
        monitor_run(bi);
    kprintf("stay: no serial console; idling\n");
#else
    (void)bi;
    kprintf("stay: no monitor compiled in; idling\n");
#endif
    x86_idle_forever();
}

/* test=panic, test=assert or test=exit:N; returns if there is no (valid) test. */
static void run_test(const char *cmdline)
{
    char value[OPTION_VALUE_MAX];
    uint64_t status;
    size_t plen = strlen(TEST_EXIT_PREFIX);

    if (!cmdline_get(cmdline, "test", value, sizeof(value)))
        return;
    if (strcmp(value, "panic") == 0)
        selftest_page_fault();
    if (strcmp(value, "assert") == 0)
        selftest_assert();
    if (strncmp(value, TEST_EXIT_PREFIX, plen) == 0) {
        if (str_to_u64(value + plen, &status) == 0 && status <= ANVIL_EXIT_STATUS_MAX)
            power_off((int)status);
        kprintf("cmdline: test=%s: status must be 0..%d\n", value, ANVIL_EXIT_STATUS_MAX);
        return;
    }
    kprintf("cmdline: unknown test=%s (want panic, assert or exit:N)\n", value);
}

/* The initfs module: the one named "initfs", else the first. */
static void initfs_load(const struct boot_info *bi)
{
    const struct boot_module *m = NULL;
    const void *data;

    for (size_t i = 0; i < bi->module_count && !m; i++)
        if (strcmp(bi->modules[i].name, INITFS_MODULE) == 0)
            m = &bi->modules[i];
    if (!m && bi->module_count)
        m = &bi->modules[0];
    if (!m || !(data = boot_phys(m->phys, m->size))) {
        kprintf("initfs: no module\n");
        return;
    }
    if (initfs_init(data, m->size) == 0)
        kprintf("initfs: %zu entries\n", initfs_count());
}

/* PID 1 ended: its status, as a shell reports it, goes to on_exit. */
static void init_exited(int wait_status)
{
    int code = (wait_status & 0x7f) ? SIGNAL_STATUS_BASE + (wait_status & 0x7f)
                                     : (wait_status >> 8) & 0xff;
    char value[OPTION_VALUE_MAX];

    con_begin_line();
    kprintf("init: exited with status %d\n", code);
    if (!cmdline_get(kernel_boot_info.cmdline, "on_exit", value, sizeof(value)) ||
        strcmp(value, "stay") != 0)
        power_off(code);
    stay(&kernel_boot_info);
}

/* Start the program named after "--" as PID 1 and run the scheduler;
 * returns only if there is none (or it cannot start). */
static void run_init(const struct boot_info *bi)
{
    static char args[INIT_ARGS_SIZE];
    static const char *argv[INIT_ARGV_MAX];
    int argc = cmdline_init_argv(bi->cmdline, args, sizeof(args), argv, INIT_ARGV_MAX);

    if (argc < 0)
        kprintf("cmdline: the init command line after -- is too long\n");
    if (argc <= 0)
        return;
    proc_set_init_exit_hook(init_exited);
    if (proc_start_init(argv, argc) < 0)
        return;
    sched_start();
}

static noreturn void run_on_exit(const struct boot_info *bi)
{
    char value[OPTION_VALUE_MAX];

    if (!cmdline_get(bi->cmdline, "on_exit", value, sizeof(value)))
        stay(bi);
    if (strcmp(value, "poweroff") == 0)
        power_off(ANVIL_EXIT_SUCCESS);
    if (strcmp(value, "stay") != 0)
        kprintf("cmdline: unknown on_exit=%s (want poweroff or stay); staying\n", value);
    stay(bi);
}

noreturn void kmain(uint32_t protocol, uint32_t magic, uint32_t info_phys)
{
    struct boot_info *bi = &kernel_boot_info;

    x86_gdt_init();
    x86_idt_init();
    x86_cpu_init();
    con_init();
    boot_info_load(bi, (int)protocol, magic, info_phys);
    con_attach_fb(&bi->fb);
    boot_report_print(bi);
    mm_init(bi);
    x86_interrupts_init(bi->rsdp, bi->rsdp_len, ANVIL_TIMER_HZ, clock_option(bi->cmdline));
    acpi_read_mcfg(bi->rsdp, bi->rsdp_len);
    x86_platform_init(bi->rsdp, bi->rsdp_len);
    clock_init();
    entropy_init();
    exec_init_fpu();
    initfs_load(bi);
    scheme_init();
    sched_init();
    uentry_init();
    syscall_init();
    console_file_init();
    itimer_init();
    run_test(bi->cmdline);
    run_init(bi);
    run_on_exit(bi);
}
