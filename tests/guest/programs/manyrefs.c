/* tests/guest/programs/manyrefs.c: one frame mapped more often than its reference count
 * can say. Children map the same page of a POSIX shared memory object 70000 times in all,
 * holding every mapping at once; in Anvil the mappings past 65535 sharers fail with ENOMEM
 * and the kernel stays up (it used to halt on an assertion), and afterwards every frame
 * is free again (regress_frame_refs, issue 11 finding 9). */
#define _GNU_SOURCE
#include <stdlib.h>
#include <sys/mman.h>

#include "tap.h"
#include "util.h"

#define PAGE 4096
#define CHILDREN 70
#define MAPS_EACH 1000              /* 70000 in all: past the 65535 a 16-bit count holds */
#define SHM_NAME "/anvil-manyrefs"
#define SLACK_KB 64

struct report {
    int mapped, err;
};

/* Map the page MAPS_EACH times (or until refused), report, hold until told. */
static int go_writer;

static void child(int fd, int rep, int go)
{
    struct report r = { 0, 0 };
    char c;

    close(go_writer);   /* so the parent's close ends our wait */
    for (int i = 0; i < MAPS_EACH; i++) {
        volatile char *m = mmap(NULL, PAGE, PROT_READ, MAP_SHARED, fd, 0);
        if (m == MAP_FAILED) {
            r.err = errno;
            break;
        }
        r.mapped++;
        if (*m != 'x')
            _exit(3);   /* every mapping is the very page */
    }
    write_full(rep, &r, sizeof r);
    read_full(go, &c, 1);
    _exit(0);
}

int main(void)
{
    int fd, rep[2], go[2], enomem = 0, others = 0, ended = 0, status;
    long before = meminfo_free_kb(), after, total = 0;
    pid_t kids[CHILDREN];

    shm_unlink(SHM_NAME);
    fd = shm_open(SHM_NAME, O_CREAT | O_EXCL | O_RDWR, 0600);
    if (!tap_ok(fd >= 0 && ftruncate(fd, PAGE) == 0 && pwrite(fd, "x", 1, 0) == 1,
                "a one-page shared memory object"))
        return tap_done();
    if (pipe(rep) != 0 || pipe(go) != 0)
        return tap_done();
    go_writer = go[1];
    for (int i = 0; i < CHILDREN; i++)
        if ((kids[i] = fork()) == 0)
            child(fd, rep[1], go[0]);
    for (int i = 0; i < CHILDREN; i++) {
        struct report r;
        if (read_full(rep[0], &r, sizeof r) != sizeof r)
            break;
        total += r.mapped;
        enomem += r.err == ENOMEM;
        others += r.err != 0 && r.err != ENOMEM;
    }
    tap_ok(others == 0, "mmap only ever failed with ENOMEM (%ld mappings made)", total);
    if (running_in_anvil())
        tap_ok(enomem > 0 && total < 65535, "past 65535 sharers the mappings are refused "
               "(%d children got ENOMEM)", enomem);
    else
        tap_skip("past 65535 sharers the mappings are refused", "a host counts more");
    close(go[1]);
    for (int i = 0; i < CHILDREN; i++)
        ended += kids[i] > 0 && wait_child(kids[i], &status) == kids[i] && exited_with(status, 0);
    tap_ok(ended == CHILDREN, "every child saw the page in each mapping and exited (%d)", ended);
    close(fd);
    close(rep[0]);
    close(rep[1]);
    close(go[0]);
    shm_unlink(SHM_NAME);
    after = meminfo_free_kb();
    if (before < 0)
        tap_skip("free memory is back", "no sys:meminfo here");
    else
        tap_ok(after >= before - SLACK_KB, "free memory is back (before %ld kB, after %ld kB)",
               before, after);
    return tap_done();
}
