#!/bin/sh
# services/netd/build.sh: builds netd, the TCP/IP service: lwIP's core (IPv4,
# ARP, ICMP, UDP, TCP, DHCP, DNS) from Debian 12's lwip source package as a
# static library with our lwipopts.h and port header, then netd's own .c files
# and services/lib, linked with it, with musl-gcc. mkimage runs it (a service
# folder with a build.sh is built by it) in an empty scratch dir:
#   MKIMAGE_JOBS=N MKIMAGE_DOWNLOADS=DIR sh services/netd/build.sh OUTFILE
set -eu

prog=netd/build.sh
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)

# shellcheck source=../../pkgs/recipe.sh
. "$top/pkgs/recipe.sh"

need apt apt-get
need dpkg-dev dpkg-source
need xz-utils xz
need binutils ar
need musl-tools musl-gcc
[ -f /usr/lib/x86_64-linux-musl/libc.a ] ||
    die "musl's libc.a not found: install the Debian package musl-dev"

# 1. The source package with Debian's patch series (a CVE fix in the PPP code, which
#    is not built, and build-system changes; none touches the core we compile).
debian_source lwip

# 2. Our port: lwipopts.h and arch/cc.h.
port=$scratch/port
mkdir -p "$port/arch"
cp "$here/lwipopts.h" "$port/lwipopts.h"
cp "$here/lwip_cc.h" "$port/arch/cc.h"

# 3. The core as liblwip.a: upstream code, so upstream's warnings are not ours to fail on.
core="core/init.c core/def.c core/dns.c core/inet_chksum.c core/ip.c core/mem.c core/memp.c
core/netif.c core/pbuf.c core/raw.c core/stats.c core/sys.c core/tcp.c core/tcp_in.c
core/tcp_out.c core/timeouts.c core/udp.c core/ipv4/dhcp.c core/ipv4/etharp.c core/ipv4/icmp.c
core/ipv4/ip4.c core/ipv4/ip4_addr.c core/ipv4/ip4_frag.c netif/ethernet.c"
mkdir -p obj
: >cc.log
note "compiling lwIP $version's core (log: $scratch/cc.log)"
objs=
for f in $core; do
    o=obj/$(echo "$f" | tr / _ | sed 's/\.c$/.o/')
    objs="$objs $o"
    echo "$f" >>cc.log
    musl-gcc -O2 -std=gnu11 -w -I"$port" -Isrc/src/include -c "src/src/$f" -o "$o" >>cc.log 2>&1 ||
        { show_log cc.log; die "lwIP's $f does not compile"; }
done
# shellcheck disable=SC2086
ar rcs liblwip.a $objs

# 4. netd and services/lib, as mkimage builds a service, but with gcc, and lwIP linked in.
note "compiling netd"
# shellcheck disable=SC2046
musl-gcc -static -O2 -std=gnu11 -Wall -Wextra -Werror -I"$top/include" -I"$top/services/lib" \
    -I"$port" -Isrc/src/include "$here"/*.c "$top"/services/lib/*.c liblwip.a -o netd >>cc.log 2>&1 ||
    { show_log cc.log; die "netd does not compile"; }
strip netd

mkdir -p "$(dirname "$out")"
cp netd "$out.tmp"
chmod 755 "$out.tmp"
mv "$out.tmp" "$out"
note "wrote $out ($(wc -c <"$out") bytes, lwIP $version)"
