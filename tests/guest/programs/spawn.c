/* tests/guest/programs/spawn.c: posix_spawn of this same program (musl uses clone with
 * CLONE_VM|CLONE_VFORK, then execve): exit statuses, file actions, the environment,
 * several children at once, and the error for a missing file. */
#define _GNU_SOURCE
#include <spawn.h>
#include <stdlib.h>

#include "tap.h"
#include "util.h"

#define SPAWN_MARK_NAME "SPAWN_MARK"
#define SPAWN_MARK_VALUE "anvil"
#define CONCURRENT 4

extern char **environ;

/* Modes for this program when it is the spawned child. */
static int child_mode(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "--exit") == 0)
        return atoi(argv[2]);
    if (argc == 3 && strcmp(argv[1], "--echo") == 0) {
        const char *mark = getenv(SPAWN_MARK_NAME);
        printf("spawned %s %s\n", argv[2], mark ? mark : "-");
        return fflush(stdout) == 0 ? 0 : 1;
    }
    return -1;
}

static pid_t spawn_exit(const char *self, const char *code)
{
    char *const args[] = { (char *)self, "--exit", (char *)code, NULL };
    pid_t pid = 0;
    int err = posix_spawn(&pid, self, NULL, NULL, args, environ);

    if (err != 0)
        tap_diag("posix_spawn %s: %s", self, strerror(err));
    return err == 0 ? pid : -1;
}

static void test_exit_status(const char *self)
{
    int status = 0;
    char text[64];
    pid_t pid = spawn_exit(self, "5");

    if (!tap_ok(pid > 0 && wait_child(pid, &status) == pid && exited_with(status, 5),
                "posix_spawn of itself with --exit 5: waitpid reports exit 5"))
        tap_diag("%s", status_text(status, text, sizeof text));
}

/* Spawn "--echo hello" with stdout on a pipe and a fresh environment; returns its pid. */
static pid_t spawn_echo(const char *self, int out_fd, int unused_fd)
{
    char *const args[] = { (char *)self, "--echo", "hello", NULL };
    char *const envp[] = { SPAWN_MARK_NAME "=" SPAWN_MARK_VALUE, NULL };
    posix_spawn_file_actions_t actions;
    pid_t pid = -1;
    int err;

    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out_fd, 1);
    posix_spawn_file_actions_addclose(&actions, unused_fd);
    err = posix_spawn(&pid, self, &actions, NULL, args, envp);
    posix_spawn_file_actions_destroy(&actions);
    if (err != 0)
        tap_diag("posix_spawn with file actions: %s", strerror(err));
    return err == 0 ? pid : -1;
}

static void test_file_actions(const char *self)
{
    char got[64] = "";
    int fds[2], status = 0;
    size_t n;
    pid_t pid;

    if (pipe(fds) != 0) {
        tap_ok(false, "pipe for the spawned child's output");
        return;
    }
    pid = spawn_echo(self, fds[1], fds[0]);
    close(fds[1]);
    n = read_full(fds[0], got, sizeof got - 1);
    got[n] = '\0';
    close(fds[0]);
    if (pid > 0)
        wait_child(pid, &status);
    if (!tap_ok(strcmp(got, "spawned hello " SPAWN_MARK_VALUE "\n") == 0,
                "file actions put the child's stdout on a pipe; argv and envp arrive"))
        tap_diag("read '%s'", got);
    tap_ok(pid > 0 && exited_with(status, 0), "the echoing child exits 0");
}

static void test_concurrent(const char *self)
{
    static const char *const codes[CONCURRENT] = { "11", "12", "13", "14" };
    pid_t pids[CONCURRENT];
    int right = 0;

    for (int i = 0; i < CONCURRENT; i++)
        pids[i] = spawn_exit(self, codes[i]);
    for (int i = 0; i < CONCURRENT; i++) {
        int status = 0;
        if (pids[i] > 0 && wait_child(pids[i], &status) == pids[i] &&
            exited_with(status, atoi(codes[i])))
            right++;
    }
    tap_is_long(right, CONCURRENT, "four children spawned at once each report their own status");
}

static void test_missing_file(void)
{
    char *const args[] = { "missing", NULL };
    pid_t pid = 0;
    int err = posix_spawn(&pid, "/nonexistent-anvil-test/missing", NULL, NULL, args, environ);

    if (!tap_ok(err == ENOENT, "posix_spawn of a missing file returns ENOENT"))
        tap_diag("returned %d (%s)", err, strerror(err));
    tap_fails_with(waitpid(-1, NULL, WNOHANG), ECHILD, "and leaves no child behind");
}

int main(int argc, char **argv)
{
    int mode = child_mode(argc, argv);

    if (mode >= 0)
        return mode;
    test_exit_status(argv[0]);
    test_file_actions(argv[0]);
    test_concurrent(argv[0]);
    test_missing_file();
    return tap_done();
}
