/* tests/guest/programs/protnone.c: PROT_NONE means no access: a page that was written and
 * then made PROT_NONE faults on a read and on a write (SIGSEGV), and mprotect back to
 * PROT_READ|PROT_WRITE gives the same contents back (regress_prot_none, issue 11
 * finding 7). */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <sys/mman.h>

#include "tap.h"
#include "util.h"

#define PAGE 4096
#define PAGES 4
#define MARK 0x5a

static sigjmp_buf fault_jump;
static volatile char sink;   /* reads go here: some compilers drop a bare (void)*p */
static volatile sig_atomic_t faults;

static void on_segv(int sig)
{
    (void)sig;
    faults++;
    siglongjmp(fault_jump, 1);
}

/* Whether reading (or writing) *p faults. */
static bool faults_on(volatile char *p, bool write)
{
    int before = faults;

    if (sigsetjmp(fault_jump, 1) == 0) {
        if (write)
            *p = 1;
        else
            sink = *p;
    }
    return faults == before + 1;
}

/* In a child with no handler: the default action ends it with SIGSEGV. */
static bool child_dies_reading(volatile char *p)
{
    int status = 0;
    pid_t pid = fork();

    if (pid == 0) {
        signal(SIGSEGV, SIG_DFL);
        sink = *p;
        _exit(0);
    }
    return pid > 0 && wait_child(pid, &status) == pid && killed_by(status, SIGSEGV);
}

/* mprotect(PROT_WRITE) of a page a fork child still shares (copy-on-write): the page
 * stays readable (x86 cannot refuse reads of a writable page, Linux neither), and the
 * first write gets our own copy. */
static void check_write_only_shared(void)
{
    char *m = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    int go[2], status = 0;
    pid_t child;

    if (m == MAP_FAILED || pipe(go) != 0 || (child = fork()) < 0) {
        tap_ok(false, "write-only copy-on-write: set up");
        return;
    }
    m[0] = MARK;
    if (child == 0) {
        char c;
        close(go[1]);
        read_full(go[0], &c, 1);   /* hold the shared page until the parent is done */
        _exit(m[0] == MARK ? 0 : 1);
    }
    tap_ok(mprotect(m, PAGE, PROT_WRITE) == 0, "mprotect a page shared with a child to PROT_WRITE");
    tap_ok(!faults_on(m, false) && m[0] == MARK, "it is still readable");
    tap_ok(!faults_on(m, true) && m[0] == 1, "a write gets our own copy");
    close(go[1]);
    tap_ok(wait_child(child, &status) == child && exited_with(status, 0),
           "the child's copy kept its contents");
    close(go[0]);
    munmap(m, PAGE);
}

int main(void)
{
    struct sigaction sa;
    char *m = mmap(NULL, PAGES * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    bool same = true;

    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_segv;
    sigaction(SIGSEGV, &sa, NULL);
    if (!tap_ok(m != MAP_FAILED, "map %d pages", PAGES))
        return tap_done();
    memset(m, MARK, PAGES * PAGE);   /* every page present before the change */
    tap_ok(mprotect(m, PAGES * PAGE, PROT_NONE) == 0, "mprotect to PROT_NONE");
    tap_ok(faults_on(m, false), "reading a PROT_NONE page that was present faults");
    tap_ok(faults_on(m + PAGE + 7, true), "writing one faults");
    tap_ok(child_dies_reading(m + 2 * PAGE), "without a handler the reader dies of SIGSEGV");
    tap_ok(mprotect(m + PAGE, PAGE, PROT_READ) == 0, "mprotect one page back to PROT_READ");
    tap_ok(!faults_on(m + PAGE, false) && m[PAGE] == MARK, "it reads its old contents");
    tap_ok(faults_on(m + PAGE, true), "and still refuses a write");
    tap_ok(faults_on(m, false), "its PROT_NONE neighbour still faults");
    tap_ok(mprotect(m, PAGES * PAGE, PROT_READ | PROT_WRITE) == 0, "mprotect all back to RW");
    for (int i = 0; i < PAGES * PAGE; i++)
        same = same && m[i] == MARK;
    tap_ok(same, "every byte is as it was");
    tap_ok(!faults_on(m + 3 * PAGE, true) && m[3 * PAGE] == 1, "and writes work again");
    tap_ok(munmap(m, PAGES * PAGE) == 0, "munmap");
    check_write_only_shared();
    return tap_done();
}
