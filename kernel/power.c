/* kernel/power.c: power off with a status. Under QEMU the status reaches the
 * host through isa-debug-exit; real machines halt until ACPI support lands. */
#include <anvil/exit.h>

#include "arch/x86_64/cpu.h"
#include "arch/x86_64/qemu.h"
#include "console/console.h"
#include "lib/kprintf.h"
#include "power.h"

noreturn void power_off(int status)
{
    if (status < 0 || status > ANVIL_EXIT_STATUS_MAX) {
        con_begin_line();
        kprintf("poweroff: status %d out of range 0..%d, using %d\n", status,
                ANVIL_EXIT_STATUS_MAX, ANVIL_EXIT_FAILURE);
        status = ANVIL_EXIT_FAILURE;
    }
    con_begin_line();
    kprintf("poweroff: status %d\n", status);
    con_flush();
    x86_qemu_exit(ANVIL_QEMU_EXIT_VALUE(status));
    kprintf("poweroff: halted\n");
    con_flush();
    x86_halt_forever();
}
