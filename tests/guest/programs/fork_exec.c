/* tests/guest/programs/fork_exec.c: processes: fork with exit statuses collected by
 * waitpid, copy-on-write memory, pid/ppid relations, reparenting of orphans, and execve
 * of this same program (found through argv[0]) reported by wait4. */
#define _GNU_SOURCE
#include <poll.h>
#include <stdlib.h>
#include <sys/resource.h>

#include "tap.h"
#include "util.h"

#define EXEC_MARK_NAME "FORK_EXEC_MARK"
#define EXEC_MARK_VALUE "anvil"
#define EXEC_EXIT_CODE 7
#define NO_MARK_EXIT 100          /* the exec'd child did not get the environment */
#define EXEC_FAILED_EXIT 127
#define REPARENT_WAIT_MS 5000

static int cow_value = 1;

/* Modes for this program when it runs itself through execve. */
static int child_mode(int argc, char **argv)
{
    const char *mark = getenv(EXEC_MARK_NAME);

    if (argc == 3 && strcmp(argv[1], "--child") == 0) {
        if (!mark || strcmp(mark, EXEC_MARK_VALUE) != 0)
            return NO_MARK_EXIT;
        return atoi(argv[2]);
    }
    if (argc == 3 && strcmp(argv[1], "--report-pid") == 0) {
        pid_t me = getpid();
        return write_full(atoi(argv[2]), &me, sizeof me) ? 0 : 1;
    }
    return -1;
}

static void test_exit_statuses(void)
{
    static const int codes[] = { 0, 3, 42 };
    pid_t pids[3];
    int right = 0;

    for (int i = 0; i < 3; i++) {
        pids[i] = fork();
        if (pids[i] == 0)
            _exit(codes[i]);
    }
    for (int i = 2; i >= 0; i--) {   /* newest first: the others wait as zombies */
        int status = 0;
        char text[64];
        if (pids[i] > 0 && wait_child(pids[i], &status) == pids[i] && exited_with(status, codes[i]))
            right++;
        else
            tap_diag("child for code %d: pid %d, %s", codes[i], (int)pids[i],
                     status_text(status, text, sizeof text));
    }
    tap_ok(right == 3, "waitpid gives each child's exit status (0, 3, 42)");
}

static void test_status_low_byte(void)
{
    int status = 0;
    pid_t pid = fork();

    if (pid == 0)
        _exit(256 + 5);
    tap_ok(pid > 0 && wait_child(pid, &status) == pid && exited_with(status, 5),
           "only the low 8 bits of _exit's argument reach the parent");
}

static void test_pid_relations(void)
{
    pid_t parent = getpid(), seen[2] = { 0, 0 };   /* the child's getpid and getppid */
    int fds[2], status;
    pid_t pid;

    if (pipe(fds) != 0 || (pid = fork()) < 0) {
        tap_ok(false, "pipe and fork for pid relations");
        return;
    }
    if (pid == 0) {
        pid_t mine[2] = { getpid(), getppid() };
        _exit(write_full(fds[1], mine, sizeof mine) ? 0 : 1);
    }
    close(fds[1]);
    read_full(fds[0], seen, sizeof seen);
    close(fds[0]);
    wait_child(pid, &status);
    if (!tap_ok(seen[0] == pid && seen[0] != parent, "fork returns the child's pid to the parent"))
        tap_diag("fork returned %d, child says %d, parent is %d", (int)pid, (int)seen[0],
                 (int)parent);
    tap_is_long(seen[1], parent, "the child's getppid is the parent's pid");
}

static void test_copy_on_write(void)
{
    int status = 0;
    pid_t pid = fork();

    if (pid == 0) {
        cow_value = 2;
        _exit(cow_value == 2 ? 0 : 1);
    }
    wait_child(pid, &status);
    tap_ok(exited_with(status, 0) && cow_value == 1,
           "a child's write to a global is not seen by the parent");
}

static void test_wnohang(void)
{
    int fds[2], status = 0;
    pid_t pid, early, late;
    char byte;

    if (pipe(fds) != 0 || (pid = fork()) < 0) {
        tap_ok(false, "pipe and fork for WNOHANG");
        return;
    }
    if (pid == 0) {
        close(fds[1]);
        _exit(read(fds[0], &byte, 1) == 0 ? 0 : 1);   /* waits for the parent's close */
    }
    close(fds[0]);
    early = waitpid(pid, &status, WNOHANG);
    close(fds[1]);
    late = wait_child(pid, &status);
    tap_ok(early == 0, "waitpid WNOHANG returns 0 while the child still runs");
    tap_ok(late == pid && exited_with(status, 0), "the child ends after the pipe closes");
}

static void test_no_children(void)
{
    long r = waitpid(-1, NULL, 0);

    tap_fails_with(r, ECHILD, "waitpid with no children fails with ECHILD");
}

/* The grandchild outlives its parent, then reports whether getppid changed. */
static void run_orphan(int report_fd)
{
    pid_t first_parent = getpid();

    if (fork() != 0)
        _exit(0);
    for (int waited = 0; waited < REPARENT_WAIT_MS && getppid() == first_parent; waited += 10)
        sleep_ms(10);
    char moved = getppid() != first_parent ? 'y' : 'n';
    write_full(report_fd, &moved, 1);
    _exit(0);
}

static void test_orphan_reparented(void)
{
    struct pollfd p;
    int fds[2], status;
    char moved = '?';
    pid_t pid;

    if (pipe(fds) != 0 || (pid = fork()) < 0) {
        tap_ok(false, "pipe and fork for an orphan");
        return;
    }
    if (pid == 0) {
        close(fds[0]);
        run_orphan(fds[1]);
    }
    close(fds[1]);
    wait_child(pid, &status);
    p = (struct pollfd){ .fd = fds[0], .events = POLLIN };
    if (poll(&p, 1, REPARENT_WAIT_MS + 1000) == 1)
        read_full(fds[0], &moved, 1);
    close(fds[0]);
    tap_ok(moved == 'y', "an orphan gets a new parent when its parent exits");
}

static pid_t fork_exec_self(const char *self, char *const args[])
{
    char *const envp[] = { EXEC_MARK_NAME "=" EXEC_MARK_VALUE, NULL };
    pid_t pid = fork();

    if (pid == 0) {
        execve(self, args, envp);
        _exit(EXEC_FAILED_EXIT);
    }
    return pid;
}

static void test_exec_self(const char *self)
{
    char *const args[] = { (char *)self, "--child", "7", NULL };
    struct rusage usage;
    int status = 0;
    char text[64];
    pid_t pid = fork_exec_self(self, args), r;

    do
        r = wait4(pid, &status, 0, &usage);
    while (r < 0 && errno == EINTR);
    if (!tap_ok(pid > 0 && r == pid && exited_with(status, EXEC_EXIT_CODE),
                "fork + execve of itself with --child 7: wait4 reports exit 7"))
        tap_diag("ran %s: %s (%d = exec failed, %d = environment lost)", self,
                 status_text(status, text, sizeof text), EXEC_FAILED_EXIT, NO_MARK_EXIT);
}

static void test_exec_keeps_pid(const char *self)
{
    int fds[2], status = 0;
    char fd_text[16];
    pid_t reported = 0, pid;

    if (pipe(fds) != 0) {
        tap_ok(false, "pipe for the exec'd pid");
        return;
    }
    snprintf(fd_text, sizeof fd_text, "%d", fds[1]);
    char *const args[] = { (char *)self, "--report-pid", fd_text, NULL };
    pid = fork_exec_self(self, args);
    close(fds[1]);
    read_full(fds[0], &reported, sizeof reported);
    close(fds[0]);
    wait_child(pid, &status);
    if (!tap_ok(pid > 0 && reported == pid && exited_with(status, 0),
                "execve keeps the pid and inherits open descriptors"))
        tap_diag("fork gave %d, the new image reports %d", (int)pid, (int)reported);
}

static void test_exec_missing(void)
{
    char *const args[] = { "missing", NULL };
    char *const envp[] = { NULL };
    long r = execve("/nonexistent-anvil-test/missing", args, envp);

    tap_fails_with(r, ENOENT, "execve of a missing file fails with ENOENT and returns");
}

int main(int argc, char **argv)
{
    int mode = child_mode(argc, argv);

    if (mode >= 0)
        return mode;
    test_exit_statuses();
    test_status_low_byte();
    test_pid_relations();
    test_copy_on_write();
    test_wnohang();
    test_no_children();
    test_orphan_reparented();
    test_exec_self(argv[0]);
    test_exec_keeps_pid(argv[0]);
    test_exec_missing();
    return tap_done();
}
