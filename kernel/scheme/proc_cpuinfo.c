/* kernel/scheme/proc_cpuinfo.c: /proc/cpuinfo, in Linux's layout, from
 * CPUID (Intel SDM vol. 2A, CPUID: leaves 0, 1, 7 and 0x80000001..4) and
 * the calibrated TSC rate. One CPU: processor 0. */
#include "arch/x86_64/calibrate.h"
#include "arch/x86_64/cpu.h"
#include "lib/string.h"
#include "scheme/proc_files.h"

#define LEAF_EXT_MAX 0x80000000u
#define LEAF_EXT_FEATURES 0x80000001u
#define LEAF_BRAND 0x80000002u   /* ..0x80000004: 48 bytes of brand string */
#define BRAND_LEAVES 3
#define LEAF_ADDR_SIZES 0x80000008u
#define LEAF_STRUCT_FEATURES 7
#define DEFAULT_PHYS_BITS 36     /* without leaf 0x80000008 (SDM: MAXPHYADDR) */
#define DEFAULT_VIRT_BITS 48
#define FAMILY_EXTENDED 0xf      /* family 15: add the extended family */

struct cpu_flag {
    const char *name;
    uint8_t reg;                 /* which result: 'c' (ecx), 'd' (edx), 'b' (ebx) */
    uint8_t bit;
};

/* Leaf 1 flags (Linux's names). */
static const struct cpu_flag leaf1_flags[] = {
    {"fpu", 'd', 0},   {"vme", 'd', 1},    {"de", 'd', 2},      {"pse", 'd', 3},
    {"tsc", 'd', 4},   {"msr", 'd', 5},    {"pae", 'd', 6},     {"mce", 'd', 7},
    {"cx8", 'd', 8},   {"apic", 'd', 9},   {"sep", 'd', 11},    {"mtrr", 'd', 12},
    {"pge", 'd', 13},  {"mca", 'd', 14},   {"cmov", 'd', 15},   {"pat", 'd', 16},
    {"pse36", 'd', 17}, {"clflush", 'd', 19}, {"mmx", 'd', 23}, {"fxsr", 'd', 24},
    {"sse", 'd', 25},  {"sse2", 'd', 26},  {"ht", 'd', 28},     {"pni", 'c', 0},
    {"pclmulqdq", 'c', 1}, {"ssse3", 'c', 9}, {"fma", 'c', 12}, {"cx16", 'c', 13},
    {"sse4_1", 'c', 19}, {"sse4_2", 'c', 20}, {"x2apic", 'c', 21}, {"movbe", 'c', 22},
    {"popcnt", 'c', 23}, {"aes", 'c', 25}, {"xsave", 'c', 26}, {"avx", 'c', 28},
    {"f16c", 'c', 29}, {"rdrand", 'c', 30}, {"hypervisor", 'c', 31},
};

/* Leaf 0x80000001 and leaf 7 flags. */
static const struct cpu_flag ext_flags[] = {
    {"syscall", 'd', 11}, {"nx", 'd', 20}, {"pdpe1gb", 'd', 26}, {"rdtscp", 'd', 27},
    {"lm", 'd', 29}, {"lahf_lm", 'c', 0}, {"abm", 'c', 5},
};
static const struct cpu_flag leaf7_flags[] = {
    {"fsgsbase", 'b', 0}, {"bmi1", 'b', 3}, {"avx2", 'b', 5}, {"smep", 'b', 7},
    {"bmi2", 'b', 8}, {"erms", 'b', 9}, {"rdseed", 'b', 18}, {"adx", 'b', 19},
    {"smap", 'b', 20}, {"sha_ni", 'b', 29},
};

static uint32_t reg_of(const struct x86_cpuid_result *r, uint8_t reg)
{
    return reg == 'b' ? r->ebx : reg == 'c' ? r->ecx : r->edx;
}

static void put_flags(struct textbuf *tb, const struct x86_cpuid_result *r,
                      const struct cpu_flag *f, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (reg_of(r, f[i].reg) & (1u << f[i].bit))
            textbuf_printf(tb, " %s", f[i].name);
}

static void put_brand(struct textbuf *tb, uint32_t ext_max)
{
    char brand[BRAND_LEAVES * 16 + 1] = {0};
    const char *s = brand;

    if (ext_max < LEAF_BRAND + BRAND_LEAVES - 1) {
        textbuf_printf(tb, "model name\t: unknown\n");
        return;
    }
    for (uint32_t i = 0; i < BRAND_LEAVES; i++) {
        struct x86_cpuid_result r = x86_cpuid(LEAF_BRAND + i);
        memcpy(brand + i * 16, &r, 16);
    }
    while (*s == ' ')
        s++;
    textbuf_printf(tb, "model name\t: %s\n", s);
}

static void put_address_sizes(struct textbuf *tb, uint32_t ext_max)
{
    uint32_t phys = DEFAULT_PHYS_BITS, virt = DEFAULT_VIRT_BITS;

    if (ext_max >= LEAF_ADDR_SIZES) {
        uint32_t a = x86_cpuid(LEAF_ADDR_SIZES).eax;
        phys = a & 0xff;
        virt = (a >> 8) & 0xff;
    }
    textbuf_printf(tb, "address sizes\t: %u bits physical, %u bits virtual\n\n", phys, virt);
}

void proc_cpuinfo(struct textbuf *tb)
{
    struct x86_cpuid_result r0 = x86_cpuid(0), r1 = x86_cpuid(1), r7 = {0}, rx = {0};
    uint32_t ext_max = x86_cpuid(LEAF_EXT_MAX).eax;
    uint32_t family = (r1.eax >> 8) & 0xf, model = (r1.eax >> 4) & 0xf;
    uint64_t khz = x86_tsc_hz() / 1000;
    char vendor[13];

    memcpy(vendor, &r0.ebx, 4);
    memcpy(vendor + 4, &r0.edx, 4);
    memcpy(vendor + 8, &r0.ecx, 4);
    vendor[12] = '\0';
    if (family == FAMILY_EXTENDED)
        family += (r1.eax >> 20) & 0xff;
    if (family >= 6)
        model |= ((r1.eax >> 16) & 0xf) << 4;
    if (r0.eax >= LEAF_STRUCT_FEATURES)
        r7 = x86_cpuid_sub(LEAF_STRUCT_FEATURES, 0);
    if (ext_max >= LEAF_EXT_FEATURES)
        rx = x86_cpuid(LEAF_EXT_FEATURES);
    textbuf_printf(tb, "processor\t: 0\nvendor_id\t: %s\ncpu family\t: %u\nmodel\t\t: %u\n",
                   vendor, family, model);
    put_brand(tb, ext_max);
    textbuf_printf(tb, "stepping\t: %u\ncpu MHz\t\t: %lu.%03lu\n", r1.eax & 0xf,
                   khz / 1000, khz % 1000);
    textbuf_printf(tb, "physical id\t: 0\nsiblings\t: 1\ncore id\t\t: 0\ncpu cores\t: 1\n"
                       "fpu\t\t: yes\nflags\t\t:");
    put_flags(tb, &r1, leaf1_flags, sizeof(leaf1_flags) / sizeof(leaf1_flags[0]));
    put_flags(tb, &rx, ext_flags, sizeof(ext_flags) / sizeof(ext_flags[0]));
    put_flags(tb, &r7, leaf7_flags, sizeof(leaf7_flags) / sizeof(leaf7_flags[0]));
    textbuf_printf(tb, "\nclflush size\t: %u\n", ((r1.ebx >> 8) & 0xff) * 8);
    put_address_sizes(tb, ext_max);
}
