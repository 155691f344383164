/* kernel/arch/x86_64/cpu.c: CPU helpers that are more than one instruction. */
#include "arch/x86_64/cpu.h"

noreturn void x86_halt_forever(void)
{
    x86_cli();
    for (;;)
        x86_hlt();
}

noreturn void x86_idle_forever(void)
{
    for (;;)
        x86_hlt();
}
