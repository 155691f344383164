/* tests/guest/programs/leaks.c: the kernel gives memory back. mmap, touch and munmap one
 * page at a time over 2 MiB strides (each needs a page table of its own), and malloc/free
 * many small objects in a child whose mappings are split into thousands of areas (kernel
 * heap objects); afterwards the kernel's free memory (sys:meminfo) is back at its start
 * value (regress_kernel_leaks, issue 11 finding 6: page-table and slab reclaim). */
#define _GNU_SOURCE
#include <stdlib.h>
#include <sys/mman.h>

#include "tap.h"
#include "util.h"

#define PAGE 4096ul
#define STRIDE (2ul << 20)           /* what one page table maps */
#define STRIDES 2048                 /* 4 GiB of address space, 2048 page tables */
#define STRIDE_BASE 0x200000000000ul /* far from everything else */
#define SPLIT_PAGES 4000             /* every other page reprotected: ~4000 areas */
#define SMALL_OBJECTS 50000
#define SLACK_KB 64                  /* one empty slab kept per size class, and change */

static bool back(long before, const char *what)
{
    long after = meminfo_free_kb();

    if (before < 0) {
        tap_skip(what, "no sys:meminfo here");
        return true;
    }
    if (tap_ok(after >= before - SLACK_KB, "%s (free before %ld kB, after %ld kB)", what, before,
               after))
        return true;
    tap_diag("MemFree went down by %ld kB", before - after);
    return false;
}

static void stride_loop(void)
{
    long before = meminfo_free_kb();
    bool ok = true;

    for (unsigned long i = 0; i < STRIDES && ok; i++) {
        char *want = (char *)(STRIDE_BASE + i * STRIDE);
        char *p = mmap(want, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS |
                       MAP_FIXED, -1, 0);
        ok = p == want;
        if (ok) {
            p[0] = 1;
            ok = munmap(p, PAGE) == 0;
        }
    }
    tap_ok(ok, "mmap, touch and munmap %d pages 2 MiB apart", STRIDES);
    back(before, "their page tables were freed");
}

/* The child: thousands of kernel area records, and a malloc/free storm. */
static void churn(void)
{
    char *m = mmap(NULL, 2 * SPLIT_PAGES * PAGE, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    static void *objs[SMALL_OBJECTS];

    if (m == MAP_FAILED)
        _exit(1);
    for (int i = 0; i < SPLIT_PAGES; i++)
        if (mprotect(m + 2 * i * PAGE, PAGE, PROT_READ) != 0)
            _exit(2);
    for (int i = 0; i < SMALL_OBJECTS; i++)
        if (!(objs[i] = malloc(16 + (size_t)(i % 200))))
            _exit(3);
    for (int i = 0; i < SMALL_OBJECTS; i++)
        free(objs[i]);
    _exit(0);
}

static void heap_churn(void)
{
    long before = meminfo_free_kb();
    int status = 0;
    pid_t pid = fork();

    if (pid == 0)
        churn();
    tap_ok(pid > 0 && wait_child(pid, &status) == pid && exited_with(status, 0),
           "a child split a mapping into %d areas and malloc'd and freed %d objects",
           SPLIT_PAGES * 2, SMALL_OBJECTS);
    back(before, "after it exits the kernel heap gave its pages back");
}

int main(void)
{
    stride_loop();
    stride_loop();   /* twice: a first round may fill caches, a second must not grow */
    heap_churn();
    return tap_done();
}
