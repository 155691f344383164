/* services/init/supervise.c: starting services in their narrowed namespace,
 * noticing readiness (their schemes appear in sys:schemes), and restarting
 * them with exponential backoff until they crash too often. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "init.h"

#define SCHEMES_PATH "sys:schemes"
#define SCHEMES_MAX 8192
#define EXEC_FAILED 127
#define BOOT_SCHEME "initfs"   /* the boot archive, where services' programs are */
#define INIT_SCHEME "init"

uint64_t now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

const char *service_state_name(enum svc_state st)
{
    static const char *const names[] = {"stopped", "starting", "ready", "waiting", "failed", "done",
                                        "nodevice"};
    return names[st];
}

struct service *service_find(struct table *t, const char *name)
{
    for (int i = 0; i < t->count; i++)
        if (strcmp(t->svc[i].name, name) == 0)
            return &t->svc[i];
    return NULL;
}

static bool scheme_listed(const char *list, const char *name)
{
    size_t l = strlen(name);

    for (const char *p = list; *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : p + strlen(p))
        if (strncmp(p, name, l) == 0 && p[l] == ' ')
            return true;
    return false;
}

bool service_ready_now(const struct service *s)
{
    static char list[SCHEMES_MAX];
    int fd = open(SCHEMES_PATH, O_RDONLY), n;

    if (fd < 0)
        return false;
    n = (int)read(fd, list, sizeof(list) - 1);
    close(fd);
    list[n > 0 ? n : 0] = '\0';
    for (int i = 0; i < s->provides.n; i++)
        if (!scheme_listed(list, s->provides.w[i]))
            return false;
    return true;
}

int narrow_to(const char *names, const char *provides, const struct anvil_grant *g, int n)
{
    if (syscall(ANVIL_SYS_NS_RESTRICT, names, strlen(names)) < 0 ||
        syscall(ANVIL_SYS_PROVIDES_RESTRICT, provides, strlen(provides)) < 0 ||
        syscall(ANVIL_SYS_GRANT_RESTRICT, g, (size_t)n) < 0)
        return -1;
    return 0;
}

static void join(char *out, const struct words *w)
{
    for (int i = 0; i < w->n; i++)
        strcat(strcat(out, w->w[i]), " ");
}

void reserve_names(const struct table *t)
{
    static char names[INIT_SERVICES_MAX * INIT_WORDS_MAX * INIT_WORD_MAX + sizeof(INIT_SCHEME) + 1];

    strcpy(names, INIT_SCHEME " ");
    for (int i = 0; i < t->count; i++)
        join(names, &t->svc[i].provides);
    if (syscall(ANVIL_SYS_SCHEME_RESERVE, names, strlen(names)) < 0)
        printf("init: cannot reserve the services' scheme names: %s\n", strerror(errno));
}

/* In the child: its own process group in init's session (a session of its
 * own would take the console as its terminal when it opens it); narrow to
 * uses + provides (+ initfs, where its program is), the provided names and
 * the grants, then exec. */
static void child_exec(const struct service *s)
{
    char ns[INIT_WORDS_MAX * 2 * INIT_WORD_MAX + sizeof(BOOT_SCHEME) + 1] = BOOT_SCHEME " ";
    char provides[INIT_WORDS_MAX * INIT_WORD_MAX] = "";
    char *argv[INIT_WORDS_MAX + 2];

    setpgid(0, 0);
    join(ns, &s->uses);
    join(ns, &s->provides);
    join(provides, &s->provides);
    if (narrow_to(ns, provides, s->grants, s->grant_count) < 0) {
        fprintf(stderr, "init: %s: cannot narrow its namespace: %s\n", s->name, strerror(errno));
        _exit(EXEC_FAILED);
    }
    argv[0] = (char *)s->program;
    for (int i = 0; i < s->args.n; i++)
        argv[i + 1] = (char *)s->args.w[i];
    argv[s->args.n + 1] = NULL;
    drivers_env(s);
    execv(s->program, argv);
    fprintf(stderr, "init: %s: cannot run %s: %s\n", s->name, s->program, strerror(errno));
    _exit(EXEC_FAILED);
}

int supervise_start(struct service *s)
{
    pid_t pid;

    if (s->driver && !s->bound) {
        s->state = SVC_NODEVICE;
        return -1;   /* its grants are its device's: none yet */
    }
    if ((pid = fork()) < 0) {
        fprintf(stderr, "init: %s: fork: %s\n", s->name, strerror(errno));
        return -1;
    }
    if (pid == 0)
        child_exec(s);
    s->pid = pid;
    s->state = SVC_STARTING;
    s->stop_requested = false;
    s->started_at = now_ms();
    printf("init: %s started (pid %d)\n", s->name, (int)pid);
    return 0;
}

void supervise_stop(struct service *s)
{
    if (s->pid > 0) {
        s->stop_requested = true;
        kill(s->pid, SIGTERM);
    } else if (s->state == SVC_WAITING || s->state == SVC_FAILED) {
        s->state = SVC_STOPPED;
    }
}

static void describe(int status, char *buf, size_t size)
{
    if (WIFSIGNALED(status))
        snprintf(buf, size, "killed by signal %d", WTERMSIG(status));
    else
        snprintf(buf, size, "exited with status %d", WEXITSTATUS(status));
}

/* Record a restart now; true when the limit is hit. */
static bool too_many(struct service *s, uint64_t now)
{
    int recent = 0;

    memmove(s->recent + 1, s->recent, sizeof(s->recent) - sizeof(s->recent[0]));
    s->recent[0] = now;
    for (int i = 0; i < INIT_RESTART_LIMIT; i++)
        if (s->recent[i] && now - s->recent[i] < INIT_RESTART_WINDOW_MS)
            recent++;
    return recent >= INIT_RESTART_LIMIT;
}

static void schedule_restart(struct service *s, const char *how)
{
    uint64_t now = now_ms();

    if (too_many(s, now)) {
        s->state = SVC_FAILED;
        printf("init: %s %s\ninit: %s failed: %d restarts in %d s\n", s->name, how, s->name,
               INIT_RESTART_LIMIT, INIT_RESTART_WINDOW_MS / 1000);
        return;
    }
    if (now - s->started_at > INIT_RESTART_WINDOW_MS || s->backoff_ms == 0)
        s->backoff_ms = INIT_BACKOFF_FIRST_MS;
    else if ((s->backoff_ms *= 2) > INIT_BACKOFF_MAX_MS)
        s->backoff_ms = INIT_BACKOFF_MAX_MS;
    s->state = SVC_WAITING;
    s->restart_at = now + (uint64_t)s->backoff_ms;
    s->restarts++;
    printf("init: %s %s, restarting in %d ms\n", s->name, how, s->backoff_ms);
}

bool supervise_exited(struct table *t, pid_t pid, int status)
{
    char how[64];
    bool failed = !WIFEXITED(status) || WEXITSTATUS(status) != 0;

    for (int i = 0; i < t->count; i++) {
        struct service *s = &t->svc[i];
        if (s->pid != pid)
            continue;
        s->pid = 0;
        describe(status, how, sizeof(how));
        if (s->stop_requested) {
            s->state = SVC_STOPPED;
            printf("init: %s stopped (%s)\n", s->name, how);
        } else if (s->oneshot && !failed) {
            s->state = SVC_DONE;
            printf("init: %s %s\ninit: %s ready\n", s->name, how, s->name);
        } else if (s->restart == RESTART_NEVER || (s->restart == RESTART_ON_FAILURE && !failed)) {
            s->state = SVC_STOPPED;
            printf("init: %s %s\n", s->name, how);
        } else {
            schedule_restart(s, how);
        }
        return true;
    }
    return false;
}

void supervise_tick(struct table *t)
{
    uint64_t now = now_ms();

    for (int i = 0; i < t->count; i++) {
        struct service *s = &t->svc[i];
        if (s->state == SVC_WAITING && now >= s->restart_at)
            supervise_start(s);
        else if (s->state == SVC_STARTING && !s->oneshot && service_ready_now(s)) {
            s->state = SVC_READY;
            printf("init: %s ready\n", s->name);
        }
    }
}
