/* services/ramfsd/ops.h: the file: scheme's callback table. */
#ifndef ANVIL_SERVICES_RAMFSD_OPS_H
#define ANVIL_SERVICES_RAMFSD_OPS_H

#include "svc.h"

extern const struct scheme_ops ramfs_ops;

#endif
