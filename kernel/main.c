/* kernel/main.c: kmain, the first C code: set up the CPU tables and the
 * console, read the boot information, print the boot report, then do what
 * the command line asks (on_exit=, test=). */
#include <anvil/exit.h>
#include <stdint.h>

#include "arch/x86_64/cpu.h"
#include "arch/x86_64/gdt.h"
#include "arch/x86_64/idt.h"
#include "boot/boot_info.h"
#include "boot/report.h"
#include "cmdline.h"
#include "console/console.h"
#include "lib/kprintf.h"
#include "lib/string.h"
#include "monitor.h"
#include "power.h"
#include "selftest.h"
#ifdef ANVIL_FEATURE_SERIAL
#include "dev/serial.h"
#endif

#define OPTION_VALUE_MAX 64
#define TEST_EXIT_PREFIX "exit:"

/* Called from boot/entry.S with the boot protocol, the loader's magic (EAX
 * for multiboot2) and the physical address of the boot information. */
noreturn void kmain(uint32_t protocol, uint32_t magic, uint32_t info_phys);

/* Written at boot, read-only after. */
static struct boot_info kernel_boot_info;

/* on_exit=stay: the monitor when there is a serial port, else idle. */
static noreturn void stay(const struct boot_info *bi)
{
#ifdef ANVIL_FEATURE_SERIAL
    if (serial_present())
        monitor_run(bi);
#else
    (void)bi;
#endif
    kprintf("stay: no serial console; idling\n");
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
    con_init();
    boot_info_load(bi, (int)protocol, magic, info_phys);
    con_attach_fb(&bi->fb);
    boot_report_print(bi);
    run_test(bi->cmdline);
    run_on_exit(bi);
}
