/* services/netd/random.c: lwIP's LWIP_RAND (sequence numbers, DHCP ids,
 * local ports) and netd's accept tokens, from the kernel's generator. */
#include <sys/random.h>

unsigned netd_random(void);

unsigned netd_random(void)
{
    unsigned v = 0;

    while (getrandom(&v, sizeof(v), 0) != (long)sizeof(v))
        ;
    return v;
}
