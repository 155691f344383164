/* kernel/monitor.c: a tiny debug monitor on the serial port. It polls the
 * UART (no interrupts yet), echoes what is typed (to every console sink)
 * and understands: help, mem, poweroff [STATUS], panic. */
#if defined(ANVIL_FEATURE_SERIAL) && defined(ANVIL_FEATURE_MONITOR)

#include <anvil/exit.h>

#include "boot/report.h"
#include "console/console.h"
#include "dev/serial.h"
#include "lib/kprintf.h"
#include "lib/string.h"
#include "monitor.h"
#include "power.h"
#include "selftest.h"

#define MONITOR_PROMPT "anvil> "
#define MONITOR_LINE_MAX 128
#define ASCII_BS 0x08
#define ASCII_DEL 0x7f

struct monitor_cmd {
    const char *name;
    const char *usage;
    void (*run)(const struct boot_info *bi, const char *arg);
};

/* Only touched by the monitor loop. */
static bool monitor_last_cr;   /* swallow the \n of a \r\n pair */

static void cmd_help(const struct boot_info *bi, const char *arg);

static void cmd_mem(const struct boot_info *bi, const char *arg)
{
    (void)arg;
    boot_report_memory_map(bi);
}

static void cmd_poweroff(const struct boot_info *bi, const char *arg)
{
    uint64_t status = ANVIL_EXIT_SUCCESS;

    (void)bi;
    if (arg[0] && (str_to_u64(arg, &status) < 0 || status > ANVIL_EXIT_STATUS_MAX)) {
        kprintf("poweroff: status must be a number from 0 to %d\n", ANVIL_EXIT_STATUS_MAX);
        return;
    }
    power_off((int)status);
}

static void cmd_panic(const struct boot_info *bi, const char *arg)
{
    (void)bi;
    (void)arg;
    selftest_page_fault();
}

static const struct monitor_cmd monitor_cmds[] = {
    {"help", "help               this list", cmd_help},
    {"mem", "mem                the memory map", cmd_mem},
    {"poweroff", "poweroff [STATUS]  power off with STATUS (0..126, default 0)",
     cmd_poweroff},
    {"panic", "panic              fault on purpose to show the panic path", cmd_panic},
};

#define MONITOR_CMD_COUNT (sizeof(monitor_cmds) / sizeof(monitor_cmds[0]))

static void cmd_help(const struct boot_info *bi, const char *arg)
{
    (void)bi;
    (void)arg;
    for (size_t i = 0; i < MONITOR_CMD_COUNT; i++)
        kprintf("  %s\n", monitor_cmds[i].usage);
}

/* Read a line with echo; backspace/delete erase. Returns its length. */
static size_t read_line(char *buf, size_t size)
{
    size_t len = 0;

    for (;;) {
        char c = serial_getc();
        bool after_cr = monitor_last_cr;

        monitor_last_cr = c == '\r';
        if (c == '\n' && after_cr)
            continue;
        if (c == '\r' || c == '\n') {
            con_putc('\n');
            buf[len] = '\0';
            return len;
        }
        if ((c == ASCII_BS || c == ASCII_DEL) && len > 0) {
            len--;
            con_write("\b \b", 3);
        } else if (c >= ' ' && c < ASCII_DEL && len + 1 < size) {
            buf[len++] = c;
            con_putc(c);
        }
    }
}

/* Split "name  arg..." in place: returns name, *arg is the trimmed rest. */
static char *split_command(char *line, const char **arg)
{
    char *p;

    while (*line == ' ')
        line++;
    for (p = line; *p && *p != ' '; p++)
        ;
    if (*p)
        *p++ = '\0';
    while (*p == ' ')
        p++;
    for (char *end = p + strlen(p); end > p && end[-1] == ' ';)
        *--end = '\0';
    *arg = p;
    return line;
}

static void execute(const struct boot_info *bi, char *line)
{
    const char *arg;
    const char *name = split_command(line, &arg);

    if (name[0] == '\0')
        return;
    for (size_t i = 0; i < MONITOR_CMD_COUNT; i++) {
        if (strcmp(name, monitor_cmds[i].name) == 0) {
            monitor_cmds[i].run(bi, arg);
            return;
        }
    }
    kprintf("unknown command '%s' (try help)\n", name);
}

noreturn void monitor_run(const struct boot_info *bi)
{
    char line[MONITOR_LINE_MAX];

    kprintf("monitor: type help for commands\n");
    for (;;) {
        kprintf(MONITOR_PROMPT);
        read_line(line, sizeof(line));
        execute(bi, line);
    }
}

#endif /* ANVIL_FEATURE_SERIAL && ANVIL_FEATURE_MONITOR */
