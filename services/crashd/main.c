/* services/crashd/main.c: a service that crashes on purpose (tests init's
 * restart limit): it registers "crash", then dies of SIGSEGV at once. */
#include <signal.h>

#include "svc.h"

int main(void)
{
    int fd = svc_register("crash");

    svc_log("crashd: up (fd %d), crashing now", fd);
    raise(SIGSEGV);
    return 1;
}
