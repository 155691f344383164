/* services/init/init.h: PID 1: the service table, supervision and the init:
 * control scheme, shared between init's files. */
#ifndef ANVIL_SERVICES_INIT_INIT_H
#define ANVIL_SERVICES_INIT_INIT_H

#include <anvil/syscall.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "pcidev.h"

#define INIT_SERVICES_MAX 32
#define INIT_WORDS_MAX 32
#define INIT_WORD_MAX 64
#define INIT_RESTART_LIMIT 5          /* restarts ... */
#define INIT_RESTART_WINDOW_MS 10000  /* ... within this long mark a service failed */
#define INIT_BACKOFF_FIRST_MS 100
#define INIT_BACKOFF_MAX_MS 5000
#define INIT_READY_TIMEOUT_MS 5000
#define INIT_RESPAWN_GAP_MS 1000      /* a run program that dies at once is not a busy loop */
/* The run program's environment where init's own has none. */
#define INIT_DEFAULT_PATH "/bin:/sbin:/usr/bin:/usr/sbin"
#define INIT_DEFAULT_TERM "vt100"

enum svc_state {
    SVC_STOPPED, SVC_STARTING, SVC_READY, SVC_WAITING, SVC_FAILED, SVC_DONE,
    SVC_NODEVICE,                 /* a driver pcid has found no device for (yet) */
};
enum svc_restart { RESTART_ALWAYS, RESTART_ON_FAILURE, RESTART_NEVER };

struct words {
    int n;
    char w[INIT_WORDS_MAX][INIT_WORD_MAX];
};

struct service {
    char name[INIT_WORD_MAX];
    char program[INIT_WORD_MAX];
    struct words args, provides, uses, after;
    struct anvil_grant grants[ANVIL_GRANTS_MAX];
    int grant_count;
    enum svc_restart restart;
    bool oneshot;
    /* A driver (driver line): started only once pcid reports a device matching
     * class, vendor and device (PCIDEV_ANY: any), with grants for its BARs. */
    bool driver;
    uint32_t match_class, match_vendor, match_device;
    bool bound;                   /* dev is its device, grants are set */
    struct pcidev dev;
    /* Supervision state. */
    enum svc_state state;
    pid_t pid;
    int restarts;                 /* in all */
    uint64_t recent[INIT_RESTART_LIMIT];   /* times (ms) of the latest restarts */
    int backoff_ms;
    uint64_t restart_at;          /* SVC_WAITING: when to start again */
    uint64_t started_at;
    bool stop_requested;
};

struct table {
    struct service svc[INIT_SERVICES_MAX];
    int count;
    struct words run;             /* the run program and its arguments (n == 0: none) */
    struct anvil_grant run_grants[ANVIL_GRANTS_MAX];   /* and all it may hold */
    int run_grant_count;
    bool poweroff;                /* on_exit poweroff */
    bool respawn;                 /* on_exit respawn: run it again when it ends */
    struct words terminals;       /* more terminals for the run program: vt2.. (fbcond's) */
    struct anvil_grant windows[ANVIL_GRANTS_MAX];   /* driver_window: where BARs may be */
    int window_count;
    bool booted;                  /* the services have been started in order */
};

/* table.c: parse the service table file: 0, or -1 after logging why. */
int table_load(const char *path, struct table *t);

/* supervise.c */
/* Narrow the calling process (a child, before exec) to the namespace names
 * ("*": keep it), the reserved names it may register and the grants: 0, or
 * -1 with errno. */
int narrow_to(const char *names, const char *provides, const struct anvil_grant *g, int n);
/* Reserve every name the services provide, and init, for them (PID 1). */
void reserve_names(const struct table *t);
uint64_t now_ms(void);
/* In a forked child: the run program's session on the terminal on fd 0..2,
 * narrowed to the [init] grants, exec'd (does not return). */
void exec_run(const struct table *t);
int supervise_start(struct service *s);
/* A child exited: handle it (log, schedule a restart). true if it was a service. */
bool supervise_exited(struct table *t, pid_t pid, int status);
/* Start services whose backoff is over; promote started ones that are ready. */
void supervise_tick(struct table *t);
bool service_ready_now(const struct service *s);
void supervise_stop(struct service *s);
struct service *service_find(struct table *t, const char *name);
const char *service_state_name(enum svc_state st);

/* terminals.c: the run program on the terminals beyond the console, each
 * started again when it ends (as getty is). */
void terminals_tick(const struct table *t);
/* A child that exited: was it one of theirs? */
bool terminals_exited(pid_t pid);
/* Power-off: hang up their sessions. */
void terminals_hangup(void);
/* drivers.c: pcid (the pci: provider, pid caller) reports one device, a
 * pci: line: bind the first unbound driver matching it, with grants for its
 * BARs (each inside a driver_window), dma and MSI, and start it if the boot
 * order is past it (a BAR outside the windows is not granted). 0, -EPERM (not pcid),
 * -EINVAL (not a device line), -ENODEV (no driver wants it). */
int drivers_device(struct table *t, pid_t caller, const char *line);
/* Put the driver's PCI address in its environment (PCI_DEVICE=BB:DD.F), in the child. */
void drivers_env(const struct service *s);

/* table.c */
int table_parse_grant(const char *word, struct anvil_grant *g);

/* control.c: the init: scheme. */
int control_register(void);
void control_serve(int fd, struct table *t);

#endif
