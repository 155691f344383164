/* tests/guest/programs/randomness.c: getrandom gives different bytes each call, accepts
 * GRND_NONBLOCK and GRND_RANDOM and refuses unknown flags; AT_RANDOM differs between two
 * execs; in Anvil the boot log shows ChaCha20 passed its RFC 8439 test vector
 * (regress_random, issue 11 finding 11). */
#define _GNU_SOURCE
#include <stdlib.h>
#include <sys/auxv.h>
#include <sys/random.h>
#include <sys/syscall.h>

#include "tap.h"
#include "util.h"

#define BYTES 32
#define AT_RANDOM_BYTES 16
#define GRND_BAD_FLAG 0x80
#define LOG_BYTES 16384

static bool fill(void *buf, size_t n, unsigned flags)
{
    return syscall(SYS_getrandom, buf, n, flags) == (long)n;
}

/* Run ourselves with "aux" and read the AT_RANDOM bytes it prints. */
static bool child_at_random(const char *self, unsigned char out[AT_RANDOM_BYTES])
{
    int fds[2], status = 0;
    pid_t pid;

    if (pipe(fds) != 0 || (pid = fork()) < 0)
        return false;
    if (pid == 0) {
        dup2(fds[1], 1);
        execl(self, self, "aux", (char *)NULL);
        _exit(127);
    }
    close(fds[1]);
    bool ok = read_full(fds[0], out, AT_RANDOM_BYTES) == AT_RANDOM_BYTES;
    close(fds[0]);
    return wait_child(pid, &status) == pid && exited_with(status, 0) && ok;
}

static void check_boot_log(void)
{
    static char log[LOG_BYTES];

    if (slurp("sys:log", log, sizeof log) <= 0) {
        tap_skip("the boot log shows ChaCha20 keyed and checked", "no sys:log here");
        return;
    }
    if (!strstr(log, "boot: ")) {   /* the log is a ring: later lines pushed the boot out */
        tap_skip("the boot log shows ChaCha20 keyed and checked", "the boot left the log");
        return;
    }
    tap_ok(strstr(log, "random: ChaCha20 keyed") && !strstr(log, "ChaCha20 fails"),
           "the boot log shows ChaCha20 keyed and checked against RFC 8439");
}

int main(int argc, char **argv)
{
    unsigned char a[BYTES], b[BYTES], c[BYTES], r1[AT_RANDOM_BYTES], r2[AT_RANDOM_BYTES];
    unsigned char zero[BYTES] = { 0 };

    if (argc > 1 && strcmp(argv[1], "aux") == 0) {
        const void *r = (const void *)getauxval(AT_RANDOM);
        return r && write_full(1, r, AT_RANDOM_BYTES) ? 0 : 1;
    }
    tap_ok(fill(a, BYTES, 0) && fill(b, BYTES, 0), "getrandom fills %d bytes twice", BYTES);
    tap_ok(memcmp(a, b, BYTES) != 0 && memcmp(a, zero, BYTES) != 0, "the two differ (and are "
           "not zero)");
    tap_ok(fill(c, BYTES, GRND_NONBLOCK) && memcmp(c, a, BYTES) && memcmp(c, b, BYTES),
           "GRND_NONBLOCK is accepted and gives new bytes");
    tap_ok(fill(c, BYTES, GRND_RANDOM) && fill(c, BYTES, GRND_RANDOM | GRND_NONBLOCK),
           "GRND_RANDOM (and with GRND_NONBLOCK) is accepted");
    errno = 0;
    tap_fails_with(syscall(SYS_getrandom, a, BYTES, GRND_BAD_FLAG), EINVAL,
                   "an unknown flag is EINVAL");
    tap_ok(syscall(SYS_getrandom, a, 0, 0) == 0, "a length of 0 gives 0");
    tap_ok(child_at_random(argv[0], r1) && child_at_random(argv[0], r2), "two execs report "
           "their AT_RANDOM");
    tap_ok(memcmp(r1, r2, AT_RANDOM_BYTES) != 0, "AT_RANDOM differs between the two execs");
    check_boot_log();
    return tap_done();
}
