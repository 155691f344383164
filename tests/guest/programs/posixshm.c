/* tests/guest/programs/posixshm.c: POSIX shared memory and named semaphores under /dev/shm:
 * shm_open + ftruncate + mmap(MAP_SHARED) seen across fork and by a second opener,
 * read/write on the object, the directory listing, MAP_PRIVATE copies, shm_unlink, and
 * sem_open/sem_post/sem_wait between processes. */
#define _GNU_SOURCE
#include <dirent.h>
#include <semaphore.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "tap.h"
#include "util.h"

#define OBJ_BYTES 8192
#define WAIT_S 10

static char shm_name[64], sem_name[64], sem2_name[64];

static bool listed(const char *name)
{
    DIR *d = opendir("/dev/shm");
    struct dirent *e;
    bool found = false;

    if (!d)
        return false;
    while ((e = readdir(d)))
        found = found || strcmp(e->d_name, name + 1) == 0;
    closedir(d);
    return found;
}

static int child_uses_object(volatile int *map)
{
    int fd = shm_open(shm_name, O_RDWR, 0);
    volatile int *again;

    map[1] = 222;   /* through the mapping inherited at fork */
    if (fd < 0)
        return 1;
    again = mmap(NULL, OBJ_BYTES, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (again == MAP_FAILED)
        return 2;
    again[2] = 333;  /* through a mapping of its own */
    return again[0] == 111 ? 0 : 3;
}

static void test_shm(void)
{
    volatile int *map, *priv;
    struct stat st;
    int fd, status, v = 0;
    pid_t pid;

    fd = shm_open(shm_name, O_CREAT | O_EXCL | O_RDWR, 0600);
    if (!tap_ok(fd >= 0, "shm_open %s creates it", shm_name)) {
        tap_diag("%s", strerror(errno));
        return;
    }
    tap_fails_with(shm_open(shm_name, O_CREAT | O_EXCL | O_RDWR, 0600), EEXIST, "O_EXCL again: EEXIST");
    tap_ok(ftruncate(fd, OBJ_BYTES) == 0 && fstat(fd, &st) == 0 && st.st_size == OBJ_BYTES &&
               S_ISREG(st.st_mode),
           "ftruncate sets its size, fstat reports it");
    map = mmap(NULL, OBJ_BYTES, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (!tap_ok(map != MAP_FAILED, "mmap MAP_SHARED"))
        return;
    map[0] = 111;
    fflush(stdout);
    pid = fork();
    if (pid == 0)
        _exit(child_uses_object(map));
    waitpid(pid, &status, 0);
    tap_ok(WIFEXITED(status) && WEXITSTATUS(status) == 0, "a child sees the parent's write");
    tap_ok(map[1] == 222 && map[2] == 333, "the parent sees both of the child's writes");
    tap_ok(pread(fd, &v, sizeof v, 2 * sizeof(int)) == sizeof v && v == 333, "read(2) sees the mapped data");
    v = 444;
    tap_ok(pwrite(fd, &v, sizeof v, 3 * sizeof(int)) == sizeof v && map[3] == 444, "write(2) shows in the mapping");
    tap_ok(listed(shm_name), "/dev/shm lists it");
    priv = mmap(NULL, OBJ_BYTES, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    tap_ok(priv != MAP_FAILED && priv[0] == 111, "MAP_PRIVATE: a copy of the data");
    if (priv != MAP_FAILED) {
        priv[0] = 999;
        tap_ok(map[0] == 111, "writes to the copy stay private");
        munmap((void *)priv, OBJ_BYTES);
    }
    tap_ok(shm_unlink(shm_name) == 0, "shm_unlink");
    tap_fails_with(shm_open(shm_name, O_RDWR, 0), ENOENT, "then shm_open without O_CREAT: ENOENT");
    tap_ok(!listed(shm_name), "and /dev/shm no longer lists it");
    map[4] = 555;
    tap_ok(map[4] == 555 && fstat(fd, &st) == 0, "the open object and its mapping still work");
    munmap((void *)map, OBJ_BYTES);
    close(fd);
}

static bool timed_wait(sem_t *s)
{
    struct timespec ts;

    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_sec += WAIT_S;
    while (sem_timedwait(s, &ts) != 0)
        if (errno != EINTR)
            return false;
    return true;
}

static int child_sems(void)
{
    sem_t *a = sem_open(sem_name, 0), *b = sem_open(sem2_name, 0);

    if (a == SEM_FAILED || b == SEM_FAILED)
        return 1;
    sem_post(a);                 /* ping */
    return timed_wait(b) ? 0 : 2; /* pong */
}

static void test_sem(void)
{
    sem_t *a, *b;
    int status, val = -1;
    pid_t pid;

    a = sem_open(sem_name, O_CREAT | O_EXCL, 0600, 0);
    b = sem_open(sem2_name, O_CREAT | O_EXCL, 0600, 0);
    if (!tap_ok(a != SEM_FAILED && b != SEM_FAILED, "sem_open creates two semaphores")) {
        tap_diag("%s", strerror(errno));
        return;
    }
    tap_ok(sem_open(sem_name, O_CREAT | O_EXCL, 0600, 0) == SEM_FAILED && errno == EEXIST,
           "sem_open O_EXCL of an existing one: EEXIST");
    tap_ok(sem_open(sem_name, 0) == a, "opening it again gives the same semaphore");
    fflush(stdout);
    pid = fork();
    if (pid == 0)
        _exit(child_sems());
    tap_ok(timed_wait(a), "sem_wait returns after the child's sem_post");
    sem_post(b);
    waitpid(pid, &status, 0);
    tap_ok(WIFEXITED(status) && WEXITSTATUS(status) == 0, "the child's sem_wait returns after ours");
    sem_post(a);
    tap_ok(sem_getvalue(a, &val) == 0 && val == 1, "sem_getvalue");
    tap_ok(sem_trywait(a) == 0 && sem_trywait(a) == -1 && errno == EAGAIN, "sem_trywait");
    tap_ok(sem_unlink(sem_name) == 0 && sem_unlink(sem2_name) == 0, "sem_unlink");
    tap_ok(sem_open(sem_name, 0) == SEM_FAILED && errno == ENOENT, "then sem_open: ENOENT");
    sem_close(a);
    sem_close(b);
}

int main(void)
{
    snprintf(shm_name, sizeof shm_name, "/posixshm-%d", (int)getpid());
    snprintf(sem_name, sizeof sem_name, "/posixsem-a-%d", (int)getpid());
    snprintf(sem2_name, sizeof sem2_name, "/posixsem-b-%d", (int)getpid());
    test_shm();
    test_sem();
    return tap_done();
}
