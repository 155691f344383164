/* tests/guest/programs/sysvipc.c: System V IPC: shared memory across fork and attaches
 * (IPC_STAT, IPC_RMID with the segment kept until the last detach), semaphores (SETVAL,
 * GETVAL, SETALL, GETALL, blocking semop, SEM_UNDO at exit, timeouts, EINTR, EIDRM) and
 * message queues (types, IPC_NOWAIT, E2BIG and MSG_NOERROR, blocking, a full queue). */
#define _GNU_SOURCE
#include <signal.h>
#include <stdlib.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>

#include "tap.h"
#include "util.h"

#define SEG_BYTES 8192
#define SETTLE_MS 100

union semun {
    int val;
    struct semid_ds *buf;
    unsigned short *array;
};

struct text_msg {
    long type;
    char text[64];
};

static void on_alarm(int sig)
{
    (void)sig;
}

static int wait_status(pid_t pid)
{
    int st;

    waitpid(pid, &st, 0);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 255;
}

/* fork, run fn in the child, and give back its exit status (255 when it did not exit). */
static int child_status(int (*fn)(int), int arg, pid_t *out)
{
    pid_t pid;

    fflush(stdout);
    pid = fork();
    if (pid == 0)
        _exit(fn(arg));
    if (out) {
        *out = pid;
        return 0;
    }
    return wait_status(pid);
}


static volatile int *shm_parent_map;

static int shm_child(int id)
{
    volatile int *again = shmat(id, NULL, 0);

    shm_parent_map[1] = 22;   /* through the attach inherited at fork */
    if (again == (void *)-1)
        return 1;
    again[2] = 33;
    return shmdt((void *)again) == 0 ? 0 : 2;
}

static void test_shm(void)
{
    key_t key = 0x5e000000 | (getpid() & 0xffff);
    struct shmid_ds ds;
    int id, keyed;

    id = shmget(IPC_PRIVATE, SEG_BYTES, IPC_CREAT | 0600);
    if (!tap_ok(id >= 0, "shmget IPC_PRIVATE"))
        return;
    shm_parent_map = shmat(id, NULL, 0);
    if (!tap_ok(shm_parent_map != (void *)-1, "shmat"))
        return;
    shm_parent_map[0] = 11;
    tap_fails_with(shmat(id, (void *)shm_parent_map, 0) == (void *)-1 ? -1 : 0, EINVAL,
                   "shmat over a mapping without SHM_REMAP: EINVAL");
    tap_ok(child_status(shm_child, id, NULL) == 0, "a fork child writes through both attaches");
    tap_ok(shm_parent_map[0] == 11 && shm_parent_map[1] == 22 && shm_parent_map[2] == 33,
           "the parent sees its writes");
    tap_ok(shmctl(id, IPC_STAT, &ds) == 0 && ds.shm_segsz == SEG_BYTES && ds.shm_nattch == 1,
           "IPC_STAT: size %zu, attaches %lu", (size_t)ds.shm_segsz, (unsigned long)ds.shm_nattch);
    tap_ok(shmctl(id, IPC_RMID, NULL) == 0, "IPC_RMID while attached");
    shm_parent_map[3] = 44;
    tap_ok(shm_parent_map[3] == 44, "the attached segment still works");
    tap_ok(shmdt((void *)shm_parent_map) == 0, "shmdt of the last attach");
    tap_fails_with(shmctl(id, IPC_STAT, &ds), EINVAL, "then the id is gone: EINVAL");
    tap_fails_with(shmdt((void *)shm_parent_map), EINVAL, "shmdt of what is not attached: EINVAL");
    keyed = shmget(key, 4096, IPC_CREAT | IPC_EXCL | 0600);
    tap_ok(keyed >= 0, "shmget with a key and IPC_CREAT|IPC_EXCL");
    tap_fails_with(shmget(key, 4096, IPC_CREAT | IPC_EXCL | 0600), EEXIST, "again: EEXIST");
    tap_is_long(shmget(key, 0, 0), keyed, "the key finds the same segment");
    tap_fails_with(shmget(key, 2 * SEG_BYTES, 0), EINVAL, "asking it for more than its size: EINVAL");
    tap_fails_with(shmget(key + 1, 4096, 0), ENOENT, "an unknown key without IPC_CREAT: ENOENT");
    tap_fails_with(shmget(IPC_PRIVATE, 0, IPC_CREAT), EINVAL, "a zero size: EINVAL");
    int big = shmget(IPC_PRIVATE, (size_t)1 << 40, IPC_CREAT | 0600);
    tap_ok(big == -1 && (errno == EINVAL || errno == ENOSPC || errno == ENOMEM), "a 1 TiB segment is refused");
    tap_fails_with(shmctl(keyed, IPC_STAT, (struct shmid_ds *)8), EFAULT, "IPC_STAT to a bad pointer: EFAULT");
    tap_ok(shmctl(keyed, IPC_RMID, NULL) == 0, "remove the keyed segment");
    tap_fails_with(shmat(12345678, NULL, 0) == (void *)-1 ? -1 : 0, EINVAL, "shmat of a bad id: EINVAL");
}

static int sem_id;

static int sem_waiter(int flags)
{
    struct sembuf op = { 0, -1, (short)flags };

    return semop(sem_id, &op, 1) == 0 ? 0 : errno;
}

static int sem_undo_child(int arg)
{
    struct sembuf op = { 1, -1, SEM_UNDO };

    (void)arg;
    return semop(sem_id, &op, 1) == 0 ? 0 : 1;   /* and exit with the adjustment pending */
}

static int sem_interrupted(int arg)
{
    struct sigaction sa = { .sa_handler = on_alarm };
    struct sembuf op = { 0, -1, 0 };

    (void)arg;
    sigaction(SIGALRM, &sa, NULL);
    alarm(1);
    return semop(sem_id, &op, 1) == -1 && errno == EINTR ? 0 : 1;
}

static void test_sem(void)
{
    unsigned short all[2] = { 0, 0 };
    struct sembuf op = { 0, -1, IPC_NOWAIT }, many[1000];
    struct timespec ts = { 0, 50 * 1000000L };
    pid_t pid;

    sem_id = semget(IPC_PRIVATE, 2, IPC_CREAT | 0600);
    if (!tap_ok(sem_id >= 0, "semget 2 semaphores"))
        return;
    tap_ok(semctl(sem_id, 0, SETVAL, (union semun){ .val = 3 }) == 0 && semctl(sem_id, 0, GETVAL) == 3,
           "SETVAL, GETVAL");
    all[0] = 0;
    all[1] = 5;
    tap_ok(semctl(sem_id, 0, SETALL, (union semun){ .array = all }) == 0, "SETALL");
    all[0] = all[1] = 9;
    tap_ok(semctl(sem_id, 0, GETALL, (union semun){ .array = all }) == 0 && all[0] == 0 && all[1] == 5, "GETALL");
    tap_fails_with(semop(sem_id, &op, 1), EAGAIN, "a decrement of 0 with IPC_NOWAIT: EAGAIN");
    tap_fails_with(semtimedop(sem_id, (struct sembuf[]){ { 0, -1, 0 } }, 1, &ts), EAGAIN, "semtimedop times out: EAGAIN");
    child_status(sem_waiter, 0, &pid);
    sleep_ms(SETTLE_MS);
    tap_is_long(semctl(sem_id, 0, GETNCNT), 1, "GETNCNT counts the sleeping child");
    op = (struct sembuf){ 0, 1, 0 };
    semop(sem_id, &op, 1);
    tap_is_long(wait_status(pid), 0, "an increment wakes it");
    tap_ok(child_status(sem_undo_child, 0, NULL) == 0 && semctl(sem_id, 1, GETVAL) == 5,
           "SEM_UNDO: the child's decrement is undone when it exits");
    tap_is_long(child_status(sem_interrupted, 0, NULL), 0, "a signal interrupts semop: EINTR");
    op = (struct sembuf){ 7, 1, 0 };
    tap_fails_with(semop(sem_id, &op, 1), EFBIG, "a semaphore number past the set: EFBIG");
    tap_fails_with(semop(sem_id, (struct sembuf *)8, 1), EFAULT, "semop of a bad pointer: EFAULT");
    tap_fails_with(semctl(sem_id, 0, GETALL, (union semun){ .array = (unsigned short *)8 }), EFAULT,
                   "GETALL to a bad pointer: EFAULT");
    memset(many, 0, sizeof many);
    tap_fails_with(semop(sem_id, many, 1000), E2BIG, "too many operations: E2BIG");
    tap_fails_with(semctl(sem_id, 0, SETVAL, (union semun){ .val = 40000 }), ERANGE, "SETVAL past SEMVMX: ERANGE");
    child_status(sem_waiter, 0, &pid);
    sleep_ms(SETTLE_MS);
    tap_ok(semctl(sem_id, 0, IPC_RMID) == 0, "IPC_RMID");
    tap_is_long(wait_status(pid), EIDRM, "a sleeper is woken with EIDRM");
}

static int msg_id;

static int msg_receiver(int type)
{
    struct text_msg m;

    return msgrcv(msg_id, &m, sizeof m.text, type, 0) >= 0 && strcmp(m.text, "late") == 0 ? 0 : errno;
}

static bool send_text(long type, const char *text, int flags)
{
    struct text_msg m = { .type = type };

    snprintf(m.text, sizeof m.text, "%s", text);
    return msgsnd(msg_id, &m, strlen(text) + 1, flags) == 0;
}

static bool receive(long type, const char *want)
{
    struct text_msg m;
    ssize_t n = msgrcv(msg_id, &m, sizeof m.text, type, IPC_NOWAIT);

    return n == (ssize_t)strlen(want) + 1 && strcmp(m.text, want) == 0;
}

static void test_msg(void)
{
    struct text_msg m;
    struct msqid_ds ds;
    pid_t pid;

    msg_id = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
    if (!tap_ok(msg_id >= 0, "msgget"))
        return;
    tap_ok(send_text(3, "three", 0) && send_text(1, "one", 0) && send_text(2, "two", 0), "msgsnd three messages");
    tap_ok(msgctl(msg_id, IPC_STAT, &ds) == 0 && ds.msg_qnum == 3, "IPC_STAT: 3 queued");
    tap_ok(receive(2, "two"), "msgrcv by type");
    tap_ok(receive(-5, "one"), "a negative type takes the lowest type up to it");
    tap_ok(receive(0, "three"), "type 0 takes the first");
    tap_fails_with(msgrcv(msg_id, &m, sizeof m.text, 0, IPC_NOWAIT), ENOMSG, "an empty queue with IPC_NOWAIT: ENOMSG");
    send_text(4, "a long message", 0);
    tap_fails_with(msgrcv(msg_id, &m, 3, 0, IPC_NOWAIT), E2BIG, "a buffer too small: E2BIG");
    tap_ok(msgrcv(msg_id, &m, 3, 0, IPC_NOWAIT | MSG_NOERROR) == 3 && memcmp(m.text, "a l", 3) == 0,
           "MSG_NOERROR truncates");
    m.type = 0;
    tap_fails_with(msgsnd(msg_id, &m, 1, 0), EINVAL, "mtype 0: EINVAL");
    tap_fails_with(msgsnd(msg_id, (void *)8, 1, 0), EFAULT, "msgsnd of a bad pointer: EFAULT");
    send_text(6, "kept", 0);
    tap_fails_with(msgrcv(msg_id, (void *)8, sizeof m.text, 6, IPC_NOWAIT), EFAULT, "msgrcv into a bad pointer: EFAULT");
    msgrcv(msg_id, &m, sizeof m.text, 6, IPC_NOWAIT);
    child_status(msg_receiver, 9, &pid);
    sleep_ms(SETTLE_MS);
    send_text(9, "late", 0);
    tap_is_long(wait_status(pid), 0, "a blocked msgrcv gets a message sent later");
    ds.msg_qbytes = 16;
    tap_ok(msgctl(msg_id, IPC_SET, &ds) == 0 && send_text(1, "0123456789", 0), "IPC_SET a 16-byte queue");
    tap_fails_with(send_text(1, "0123456789", IPC_NOWAIT) ? 0 : -1, EAGAIN, "a full queue with IPC_NOWAIT: EAGAIN");
    receive(1, "0123456789");
    child_status(msg_receiver, 5, &pid);
    sleep_ms(SETTLE_MS);
    tap_ok(msgctl(msg_id, IPC_RMID, NULL) == 0, "IPC_RMID");
    tap_is_long(wait_status(pid), EIDRM, "a blocked receiver is woken with EIDRM");
}

int main(void)
{
    test_shm();
    test_sem();
    test_msg();
    return tap_done();
}
