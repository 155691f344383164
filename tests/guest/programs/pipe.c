/* tests/guest/programs/pipe.c: pipes between processes: 16 MiB of a pseudo-random stream
 * checked by FNV-1a on both sides, EOF after the writer closes, poll readiness and
 * wakeup, EPIPE without readers, and non-blocking EAGAIN. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>

#include "tap.h"
#include "util.h"

#define STREAM_BYTES (16u << 20)
#define STREAM_SEED 0x0123456789abcdefull
#define CHUNK_SEED 42ull
#define MAX_CHUNK 65536u
#define READ_BUFFER 3000u            /* odd on purpose: reads cut across writes */
#define FNV_OFFSET 0xcbf29ce484222325ull   /* FNV-1a 64-bit parameters */
#define FNV_PRIME 0x100000001b3ull
#define POLL_TIMEOUT_MS 50
#define WAKEUP_DELAY_MS 50
#define WAKEUP_LIMIT_MS 10000

/* Bytes from xorshift64 words, lowest byte first. */
struct byte_stream {
    uint64_t state, word;
    unsigned left;
};

static unsigned char stream_next(struct byte_stream *s)
{
    unsigned char b;

    if (s->left == 0) {
        s->word = xorshift64(&s->state);
        s->left = 8;
    }
    b = (unsigned char)s->word;
    s->word >>= 8;
    s->left--;
    return b;
}

static uint64_t fnv1a(uint64_t hash, const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        hash = (hash ^ p[i]) * FNV_PRIME;
    return hash;
}

/* The child: write the stream in chunks of random size, then send its own hash. */
static void run_writer(int data_fd, int hash_fd)
{
    static unsigned char chunk[MAX_CHUNK];
    struct byte_stream s = { STREAM_SEED, 0, 0 };
    uint64_t hash = FNV_OFFSET, sizes = CHUNK_SEED;
    size_t sent = 0;

    while (sent < STREAM_BYTES) {
        size_t n = 1 + (size_t)(xorshift64(&sizes) % MAX_CHUNK);
        if (n > STREAM_BYTES - sent)
            n = STREAM_BYTES - sent;
        for (size_t i = 0; i < n; i++)
            chunk[i] = stream_next(&s);
        hash = fnv1a(hash, chunk, n);
        if (!write_full(data_fd, chunk, n))
            _exit(1);
        sent += n;
    }
    close(data_fd);
    _exit(write_full(hash_fd, &hash, sizeof hash) ? 0 : 1);
}

struct received {
    size_t bytes;
    uint64_t hash;
    ssize_t last_read;   /* 0 when the loop ended on EOF */
};

static void read_stream(int fd, struct received *got)
{
    unsigned char buf[READ_BUFFER];
    ssize_t n;

    got->hash = FNV_OFFSET;
    while ((n = read(fd, buf, sizeof buf)) != 0) {
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            break;
        got->hash = fnv1a(got->hash, buf, (size_t)n);
        got->bytes += (size_t)n;
    }
    got->last_read = n;
}

static void test_stream(void)
{
    int data[2], hash[2], status = 0;
    struct received got = { 0, 0, -1 };
    uint64_t sender_hash = 0;
    pid_t pid;

    if (pipe(data) != 0 || pipe(hash) != 0 || (pid = fork()) < 0) {
        tap_ok(false, "pipes and fork for the stream");
        return;
    }
    if (pid == 0) {
        close(data[0]);
        close(hash[0]);
        run_writer(data[1], hash[1]);
    }
    close(data[1]);
    close(hash[1]);
    read_stream(data[0], &got);
    read_full(hash[0], &sender_hash, sizeof sender_hash);
    close(data[0]);
    close(hash[0]);
    wait_child(pid, &status);
    tap_is_long((long)got.bytes, STREAM_BYTES, "16 MiB arrive through the pipe");
    tap_ok(got.last_read == 0, "read returns 0 (EOF) once the writer has closed");
    if (!tap_ok(got.hash == sender_hash && exited_with(status, 0),
                "FNV-1a of what arrived equals the writer's"))
        tap_diag("reader %016llx, writer %016llx", (unsigned long long)got.hash,
                 (unsigned long long)sender_hash);
}

static short poll_one(int fd, short events, int timeout_ms)
{
    struct pollfd p = { .fd = fd, .events = events };

    return poll(&p, 1, timeout_ms) == 1 ? p.revents : 0;
}

static void test_poll_readiness(void)
{
    int fds[2];
    uint64_t start, waited;
    short before;

    if (pipe(fds) != 0) {
        tap_ok(false, "pipe for poll");
        return;
    }
    before = poll_one(fds[0], POLLIN, 0);
    tap_ok(before == 0 && (poll_one(fds[1], POLLOUT, 0) & POLLOUT),
           "poll: empty pipe is not readable, its write end is writable");
    start = mono_ns();
    before = poll_one(fds[0], POLLIN, POLL_TIMEOUT_MS);
    waited = mono_ns() - start;
    if (!tap_ok(before == 0 && waited >= (POLL_TIMEOUT_MS - 10) * NS_PER_MS,
                "poll with a %d ms timeout returns 0 after waiting it out", POLL_TIMEOUT_MS))
        tap_diag("revents %d after %.1f ms", before, ns_to_ms(waited));
    write_full(fds[1], "x", 1);
    tap_ok(poll_one(fds[0], POLLIN, 0) & POLLIN, "poll: one byte makes the read end readable");
    close(fds[1]);
    tap_ok(poll_one(fds[0], POLLIN, 0) & POLLHUP, "poll: POLLHUP after the writer closes");
    close(fds[0]);
}

/* The parent sleeps in poll until the child writes: the wakeup crosses processes. */
static void test_poll_wakeup(void)
{
    int fds[2], status;
    uint64_t start, waited;
    short revents;
    pid_t pid;

    if (pipe(fds) != 0 || (pid = fork()) < 0) {
        tap_ok(false, "pipe and fork for the poll wakeup");
        return;
    }
    if (pid == 0) {
        sleep_ms(WAKEUP_DELAY_MS);
        _exit(write_full(fds[1], "w", 1) ? 0 : 1);
    }
    close(fds[1]);
    start = mono_ns();
    revents = poll_one(fds[0], POLLIN, WAKEUP_LIMIT_MS);
    waited = mono_ns() - start;
    close(fds[0]);
    wait_child(pid, &status);
    if (!tap_ok((revents & POLLIN) && waited < WAKEUP_LIMIT_MS * NS_PER_MS,
                "poll blocked in one process wakes when another writes"))
        tap_diag("revents %d after %.1f ms", revents, ns_to_ms(waited));
}

static void test_no_readers(void)
{
    int fds[2];
    long r;

    signal(SIGPIPE, SIG_IGN);   /* get EPIPE instead of dying */
    if (pipe(fds) != 0) {
        tap_ok(false, "pipe for EPIPE");
        return;
    }
    close(fds[0]);
    r = write(fds[1], "x", 1);
    tap_fails_with(r, EPIPE, "write with no reader left fails with EPIPE");
    close(fds[1]);
    signal(SIGPIPE, SIG_DFL);
}

static void test_nonblocking(void)
{
    static char block[4096];
    size_t capacity = 0;
    int fds[2];
    ssize_t r;
    char byte;

    if (pipe(fds) != 0 || fcntl(fds[0], F_SETFL, O_NONBLOCK) != 0 ||
        fcntl(fds[1], F_SETFL, O_NONBLOCK) != 0) {
        tap_ok(false, "non-blocking pipe");
        return;
    }
    tap_fails_with(read(fds[0], &byte, 1), EAGAIN, "non-blocking read of an empty pipe: EAGAIN");
    while ((r = write(fds[1], block, sizeof block)) > 0)
        capacity += (size_t)r;
    if (!tap_ok(r == -1 && errno == EAGAIN && capacity >= PIPE_BUF,
                "non-blocking writes fill the pipe, then fail with EAGAIN"))
        tap_diag("stopped after %zu bytes: %s", capacity, strerror(errno));
    tap_diag("pipe capacity %zu bytes", capacity);
    close(fds[0]);
    close(fds[1]);
}

int main(void)
{
    test_stream();
    test_poll_readiness();
    test_poll_wakeup();
    test_no_readers();
    test_nonblocking();
    return tap_done();
}
