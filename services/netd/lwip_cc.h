/* services/netd/lwip_cc.h: lwIP's compiler and platform port for musl on
 * x86_64 (lwIP's src/include/lwip/arch.h says what a port defines); the
 * recipe installs it as arch/cc.h. */
#ifndef ANVIL_NETD_LWIP_CC_H
#define ANVIL_NETD_LWIP_CC_H

#include <stdio.h>
#include <stdlib.h>

#define LWIP_ERRNO_STDINCLUDE 1
#define LWIP_TIMEVAL_PRIVATE 0

/* Diagnostics go to the console; a broken invariant ends netd (init restarts it). */
#define LWIP_PLATFORM_DIAG(x) \
    do {                      \
        printf x;             \
    } while (0)
#define LWIP_PLATFORM_ASSERT(x)                                                   \
    do {                                                                          \
        fprintf(stderr, "netd: lwIP: %s at %s:%d\n", x, __FILE__, __LINE__);      \
        abort();                                                                  \
    } while (0)

/* Initial sequence numbers, DHCP transaction ids, ports: from the kernel's
 * random generator (netd's random.c). */
unsigned netd_random(void);
#define LWIP_RAND() ((u32_t)netd_random())

#endif
