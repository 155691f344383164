/* services/init/main.c: PID 1. Reads the service table, starts the services
 * in order (each one ready before the next), runs the `run` program, serves
 * init: and supervises; when the run program ends and on_exit is poweroff,
 * stops the services in reverse order and powers off with its status (with
 * on_exit respawn it starts the program again).
 * BusyBox's halt, poweroff and reboot (without -f) signal PID 1: SIGUSR1,
 * SIGUSR2 and SIGTERM; each stops everything and powers off with status 0.
 * Only init holds the power to: the run program gets just the [init] grants
 * and may register no service's name (docs/security.md). */
#include <anvil/services.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "init.h"

#define TICK_MS 10
#define STOP_GRACE_MS 1000
#define SIGNAL_STATUS_BASE 128

static struct table table;
static int ctl_fd = -1;
static pid_t run_pid;
static int run_status = -1;
static uint64_t run_started_ms;
static volatile sig_atomic_t power_request;

static void on_power_signal(int sig)
{
    power_request = sig;
}

/* The run program is a login session on its terminal (fd 0): its own session
 * with the terminal as controlling tty (so ^C reaches it), and a usable
 * environment. */
static void enter_session(void)
{
    setsid();
    ioctl(STDIN_FILENO, TIOCSCTTY, 0);
    setenv("PATH", INIT_DEFAULT_PATH, 0);
    setenv("HOME", "/", 0);
    setenv("TERM", INIT_DEFAULT_TERM, 0);
}

static void reap(void)
{
    int status;
    pid_t pid;

    while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
        if (terminals_exited(pid)) {
            continue;
        } else if (pid == run_pid) {
            run_status = WIFSIGNALED(status) ? SIGNAL_STATUS_BASE + WTERMSIG(status) : WEXITSTATUS(status);
            run_pid = 0;
        } else {
            supervise_exited(&table, pid, status);
        }
    }
}

/* One round: answer init: requests, reap children, start and promote services. */
static void step(void)
{
    struct pollfd p = {.fd = ctl_fd, .events = POLLIN};

    poll(&p, ctl_fd >= 0 ? 1 : 0, TICK_MS);
    if (ctl_fd >= 0)
        control_serve(ctl_fd, &table);
    reap();
    supervise_tick(&table);
    if (table.booted && table.run.n > 0)
        terminals_tick(&table);
}

static void start_in_order(void)
{
    for (int i = 0; i < table.count; i++) {
        struct service *s = &table.svc[i];
        uint64_t deadline = now_ms() + INIT_READY_TIMEOUT_MS;
        if (supervise_start(s) < 0) {
            if (s->state == SVC_NODEVICE)
                printf("init: %s has no device\n", s->name);
            continue;
        }
        while ((s->state == SVC_STARTING || s->state == SVC_WAITING) && now_ms() < deadline)
            step();
        if (s->state == SVC_STARTING)
            printf("init: %s not ready after %d ms, going on\n", s->name, INIT_READY_TIMEOUT_MS);
    }
}

void exec_run(const struct table *t)
{
    char *argv[INIT_WORDS_MAX + 1];

    for (int i = 0; i < t->run.n; i++)
        argv[i] = (char *)t->run.w[i];
    argv[t->run.n] = NULL;
    signal(SIGUSR1, SIG_DFL);
    signal(SIGUSR2, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    enter_session();
    /* an ordinary session: no service's name, only [init] grants */
    if (narrow_to("*", "", t->run_grants, t->run_grant_count) < 0) {
        fprintf(stderr, "init: cannot narrow %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    execv(argv[0], argv);
    fprintf(stderr, "init: cannot run %s: %s\n", argv[0], strerror(errno));
    _exit(127);
}

static void start_run(void)
{
    run_started_ms = now_ms();
    run_pid = fork();
    if (run_pid == 0)
        exec_run(&table);
    if (run_pid < 0) {
        fprintf(stderr, "init: fork: %s\n", strerror(errno));
        run_pid = 0;
        run_status = 1;
    }
}

/* on_exit respawn: a new login on the console once the last has ended. */
static void respawn(void)
{
    if (run_status >= 0) {
        printf("init: %s exited with status %d, starting it again\n", table.run.w[0], run_status);
        run_status = -1;
    }
    if (now_ms() - run_started_ms >= INIT_RESPAWN_GAP_MS)
        start_run();
}

static bool any_running(void)
{
    for (int i = 0; i < table.count; i++)
        if (table.svc[i].pid > 0)
            return true;
    return false;
}

static void stop_all(void)
{
    for (int i = table.count - 1; i >= 0; i--) {
        struct service *s = &table.svc[i];
        uint64_t deadline = now_ms() + STOP_GRACE_MS;
        if (s->pid <= 0)
            continue;
        supervise_stop(s);
        while (s->pid > 0 && now_ms() < deadline)
            step();
        if (s->pid > 0)
            kill(s->pid, SIGKILL);
    }
    for (uint64_t deadline = now_ms() + STOP_GRACE_MS; any_running() && now_ms() < deadline;)
        step();
}

static void power_off(int status)
{
    printf("init: powering off with status %d\n", status);
    syscall(SYS_reboot, ANVIL_REBOOT_MAGIC1, ANVIL_REBOOT_MAGIC2, ANVIL_REBOOT_POWER_OFF, status);
    _exit(status);   /* not allowed to power off: the kernel's on_exit applies */
}

int main(void)
{
    struct sigaction sa = {.sa_handler = on_power_signal};

    setvbuf(stdout, NULL, _IONBF, 0);
    sigaction(SIGUSR1, &sa, NULL);
    sigaction(SIGUSR2, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    if (table_load(ANVIL_SERVICES_PATH, &table) < 0)
        printf("init: errors in %s; starting what could be read\n", ANVIL_SERVICES_PATH);
    reserve_names(&table);
    ctl_fd = control_register();
    if (ctl_fd < 0)
        printf("init: cannot register init: %s\n", strerror(-ctl_fd));
    start_in_order();
    table.booted = true;
    if (table.run.n > 0)
        start_run();
    for (;;) {
        step();
        if (power_request) {
            printf("init: %s requested\n", power_request == SIGTERM ? "reboot" : "power-off");
            if (run_pid > 0) {
                kill(-run_pid, SIGHUP);     /* its session's jobs, as a hangup would */
                kill(run_pid, SIGKILL);
            }
            terminals_hangup();
            stop_all();
            power_off(0);
        }
        if (table.run.n > 0 && run_pid == 0 && table.respawn) {
            respawn();
        } else if (table.run.n > 0 && run_pid == 0) {
            printf("init: %s exited with status %d\n", table.run.w[0], run_status);
            if (table.poweroff) {
                terminals_hangup();
                stop_all();
                power_off(run_status);
            }
            table.run.n = 0;
        } else if (table.run.n == 0 && table.poweroff) {
            stop_all();
            power_off(run_status < 0 ? 0 : run_status);
        }
    }
}
