/* services/svc/main.c: svc, the service control tool over init's scheme:
 *   svc [list]            the services: NAME STATE PID RESTARTS
 *   svc start|stop|restart NAME */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define BUF_MAX 4096

static int list(void)
{
    char buf[BUF_MAX];
    int fd = open("init:services", O_RDONLY);
    ssize_t n;

    if (fd < 0) {
        fprintf(stderr, "svc: init:services: %s\n", strerror(errno));
        return 1;
    }
    while ((n = read(fd, buf, sizeof(buf))) > 0)
        fwrite(buf, 1, (size_t)n, stdout);
    close(fd);
    return n < 0;
}

static int control(const char *verb, const char *name)
{
    char cmd[256];
    int fd = open("init:control", O_WRONLY), n = snprintf(cmd, sizeof(cmd), "%s %s", verb, name);

    if (fd < 0 || n < 0 || n >= (int)sizeof(cmd) || write(fd, cmd, (size_t)n) != n) {
        fprintf(stderr, "svc: %s %s: %s\n", verb, name, strerror(errno));
        return 1;
    }
    close(fd);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 1 || (argc == 2 && strcmp(argv[1], "list") == 0))
        return list();
    if (argc == 3 && (!strcmp(argv[1], "start") || !strcmp(argv[1], "stop") || !strcmp(argv[1], "restart")))
        return control(argv[1], argv[2]);
    fprintf(stderr, "usage: svc [list] | svc start|stop|restart NAME\n");
    return 2;
}
