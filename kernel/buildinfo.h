/* kernel/buildinfo.h: build facts mkimage passes as -D flags (ANVIL_VERSION,
 * ANVIL_FEATURES, ANVIL_TIMER_HZ, one ANVIL_FEATURE_<NAME> per feature on).
 * A build without them is a broken build, so say so at compile time. */
#ifndef ANVIL_BUILDINFO_H
#define ANVIL_BUILDINFO_H

#ifndef ANVIL_VERSION
#error "ANVIL_VERSION is not defined: build the kernel with mkimage (-DANVIL_VERSION=...)"
#endif
#ifndef ANVIL_FEATURES
#error "ANVIL_FEATURES is not defined: build the kernel with mkimage (-DANVIL_FEATURES=...)"
#endif
#ifndef ANVIL_TIMER_HZ
#error "ANVIL_TIMER_HZ is not defined: build the kernel with mkimage (-DANVIL_TIMER_HZ=...)"
#endif

#define ANVIL_ARCH "x86_64"

#endif
