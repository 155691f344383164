/* image/network.h: [network]: how netd sets the address (DHCP, or a static
 * address, gateway and DNS server), handed to it as ${network.*} words in a
 * service's args. */
#ifndef ANVIL_IMAGE_NETWORK_H
#define ANVIL_IMAGE_NETWORK_H

#include "manifest_check.h"

#define NETWORK_DHCP "dhcp"
#define NETWORK_NONE "none"

/* The [network] section: address ("dhcp" or "A.B.C.D/PREFIX"), gateway and
 * dns ("A.B.C.D" or "none"). */
void network_section(struct mf_ctx *c, struct manifest *m, const struct toml_value *t);
/* What an args word names, when it is exactly ${network.address},
 * ${network.gateway} or ${network.dns}: m's value; else NULL. */
const char *network_arg(const struct manifest *m, const char *word);

#endif
