/* tests/guest/programs/drivers.c: the drivers' kernel schemes from user mode:
 * ioport: (in/out through the TSS I/O bitmap, faults elsewhere), irq: (the
 * CMOS RTC's periodic interrupt, IRQ 8, counted through read and acknowledged
 * through write), memory: (VGA text memory and the local APIC's registers
 * mapped with mmap) and the grant checks in front of them. Anvil only; needs
 * the grants ioport:0x70-0x71, irq:8, memory:0xb8000-0xb8fff and
 * memory:0xfee00000-0xfee00fff (init's run program has them all). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../../include/anvil/syscall.h"
#include "tap.h"

#define CMOS_INDEX 0x70
#define CMOS_DATA 0x71
#define CMOS_NMI_OFF 0x80         /* bit 7 of the index keeps NMIs off while we program */
#define RTC_REG_A 0x0a
#define RTC_REG_B 0x0b
#define RTC_REG_C 0x0c
#define RTC_B_PIE 0x40            /* periodic interrupt enable (MC146818 register B) */
#define RTC_A_RATE_MASK 0x0f
#define RTC_RATE_64HZ 10          /* 32768 >> (rate - 1) Hz */
#define KBD_PORT 0x60             /* a port outside the grant */
#define RTC_IRQ 8
#define SERIAL_IRQ 4              /* the kernel's console */
#define INTERRUPTS 3
#define PAGE 4096
#define VGA_TEXT 0xb8000           /* colour text mode buffer */
#define VGA_SPARE_CELL 0xf00       /* byte offset of line 24: off the kernel's way */
#define LAPIC_BASE 0xfee00000      /* the default local APIC address (SDM vol. 3A §11.4.1) */
#define LAPIC_VERSION 0x30         /* its version register (§11.4.8) */
#define LAPIC_VERSION_INTEGRATED 0x10  /* versions 0x10..0x1f: an integrated APIC */

static inline void outb(uint16_t port, uint8_t v)
{
    __asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
    uint8_t v;

    __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

static uint8_t cmos_read(uint8_t reg)
{
    outb(CMOS_INDEX, CMOS_NMI_OFF | reg);
    return inb(CMOS_DATA);
}

static void cmos_write(uint8_t reg, uint8_t v)
{
    outb(CMOS_INDEX, CMOS_NMI_OFF | reg);
    outb(CMOS_DATA, v);
}

/* Run fn in a child: its wait status. */
static int in_child(int (*fn)(void))
{
    int st = 0;
    pid_t c = fork();

    if (c == 0)
        _exit(fn());
    waitpid(c, &st, 0);
    return st;
}

static int touch_kbd(void)
{
    if (open("ioport:0x70-0x71", O_RDWR) < 0)
        return 2;
    (void)cmos_read(RTC_REG_A);   /* inside the range: fine */
    (void)inb(KBD_PORT);          /* outside: #GP, SIGSEGV */
    return 0;
}

static int touch_unopened(void)
{
    (void)inb(CMOS_DATA);         /* ports are not inherited at fork */
    return 0;
}

static int narrowed(void)
{
    struct anvil_grant g = {.kind = ANVIL_GRANT_IOPORT, .start = CMOS_INDEX, .end = CMOS_DATA};

    if (syscall(ANVIL_SYS_GRANT_RESTRICT, &g, (size_t)1) < 0)
        return 2;
    if (open("ioport:0x60", O_RDWR) >= 0 || errno != EACCES)
        return 3;
    if (open("irq:8", O_RDWR) >= 0 || errno != EACCES)
        return 4;
    if (open("memory:0xb8000?size=4096", O_RDWR) >= 0 || errno != EACCES)
        return 5;
    return open("ioport:0x70-0x71", O_RDWR) >= 0 ? 0 : 6;
}

static void test_ioport(void)
{
    int fd = open("ioport:0x70-0x71", O_RDWR), st;

    if (!tap_ok(fd >= 0, "open ioport:0x70-0x71"))
        return;
    uint8_t a = cmos_read(RTC_REG_A);
    tap_ok(a != 0xff && (a & RTC_A_RATE_MASK) != 0, "in/out on the granted ports work (RTC A = 0x%02x)", a);
    st = in_child(touch_kbd);
    tap_ok(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV, "a port outside the range is SIGSEGV");
    st = in_child(touch_unopened);
    tap_ok(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV, "a fork child has no ports until it opens them");
    st = in_child(narrowed);
    tap_ok(WIFEXITED(st) && WEXITSTATUS(st) == 0,
           "narrowed grants: other ports, irq: and memory: are EACCES, the granted range opens");
    tap_fails_with(open("ioport:0x70-0x10000", O_RDWR), EINVAL, "a range past port 0xffff is EINVAL");
}

/* Wait for INTERRUPTS periodic interrupts of the RTC through irq:8. */
static void test_irq(void)
{
    int io = open("ioport:0x70-0x71", O_RDWR), fd = open("irq:8", O_RDWR);
    uint64_t count = 0, first = 0;
    int got = 0;

    tap_fails_with(open("irq:4", O_RDWR), EBUSY, "the kernel's serial IRQ is EBUSY");
    tap_fails_with(open("irq:16", O_RDWR), EINVAL, "an IRQ past the ISA lines is EINVAL");
    if (!tap_ok(io >= 0 && fd >= 0, "open irq:8 (and the RTC's ports)"))
        return;
    (void)cmos_read(RTC_REG_C);   /* drop a stale flag so the line can rise */
    cmos_write(RTC_REG_A, (uint8_t)((cmos_read(RTC_REG_A) & ~RTC_A_RATE_MASK) | RTC_RATE_64HZ));
    cmos_write(RTC_REG_B, cmos_read(RTC_REG_B) | RTC_B_PIE);
    for (int i = 0; i < INTERRUPTS; i++) {
        if (read(fd, &count, sizeof(count)) != sizeof(count))
            break;
        first = first ? first : count;
        (void)cmos_read(RTC_REG_C);   /* the RTC lowers its line */
        if (write(fd, &count, sizeof(count)) != sizeof(count))
            break;
        got++;
    }
    cmos_write(RTC_REG_B, cmos_read(RTC_REG_B) & ~RTC_B_PIE);
    (void)cmos_read(RTC_REG_C);
    tap_ok(got == INTERRUPTS && count >= first + INTERRUPTS - 1,
           "read() returns once per RTC interrupt, write() acknowledges (%d reads, count %llu)",
           got, (unsigned long long)count);
    fcntl(fd, F_SETFL, O_NONBLOCK);
    (void)read(fd, &count, sizeof(count));   /* one may have come before PIE went off */
    tap_fails_with(read(fd, &count, sizeof(count)), EAGAIN, "with the RTC quiet a non-blocking read is EAGAIN");
    close(fd);
    close(io);
}

static volatile uint8_t *vga;

static int touch_unmapped(void)
{
    return vga[VGA_SPARE_CELL];   /* after munmap: SIGSEGV */
}

static void test_memory(void)
{
    int fd = open("memory:0xb8000?size=4096", O_RDWR), apic = open("memory:0xfee00000/4096", O_RDONLY);
    volatile uint32_t *regs;
    int st;

    if (!tap_ok(fd >= 0 && apic >= 0, "open memory:0xb8000?size=4096 and memory:0xfee00000/4096"))
        return;
    vga = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (!tap_ok(vga != MAP_FAILED, "mmap the VGA text page"))
        return;
    vga[VGA_SPARE_CELL] = 'A';
    vga[VGA_SPARE_CELL + 1] = 0x1f;
    tap_ok(vga[VGA_SPARE_CELL] == 'A' && vga[VGA_SPARE_CELL + 1] == 0x1f, "writes to it read back");
    regs = mmap(NULL, PAGE, PROT_READ, MAP_SHARED, apic, 0);
    tap_ok(regs != MAP_FAILED && (regs[LAPIC_VERSION / 4] & 0xf0) == LAPIC_VERSION_INTEGRATED,
           "the local APIC's version register reads through its mapping (0x%x)",
           regs != MAP_FAILED ? regs[LAPIC_VERSION / 4] : 0);
    tap_ok(write(1, (const void *)vga, 1) < 0 && errno == EFAULT,
           "the kernel does not copy from device memory (EFAULT)");
    tap_ok(munmap((void *)vga, PAGE) == 0, "munmap");
    st = in_child(touch_unmapped);
    tap_ok(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV, "and the page is gone");
    tap_ok(mmap(NULL, 2 * PAGE, PROT_READ, MAP_SHARED, fd, 0) == MAP_FAILED && errno == ENXIO,
           "mapping past the opened range is ENXIO");
    tap_fails_with(open("memory:0xb8001", O_RDWR), EINVAL, "an unaligned start is EINVAL");
    close(fd);
    close(apic);
}

int main(void)
{
    test_ioport();
    test_irq();
    test_memory();
    return tap_done();
}
