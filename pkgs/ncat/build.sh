#!/bin/sh
# pkgs/ncat/build.sh: builds one static, stripped Ncat (Nmap's netcat: TCP, UDP and
# AF_UNIX stream and datagram sockets) from Debian 12's nmap source package with musl-gcc.
# mkimage runs it in an empty scratch dir:
#   MKIMAGE_JOBS=N MKIMAGE_DOWNLOADS=DIR sh pkgs/ncat/build.sh OUTFILE
set -eu

prog=ncat/build.sh
here=$(cd "$(dirname "$0")" && pwd)

# shellcheck source=../recipe.sh
. "$here/../recipe.sh"

need apt apt-get
need dpkg-dev dpkg-source
need patch patch
need xz-utils xz
need make make
need gcc gcc
need binutils strip
need musl-tools musl-gcc
[ -f /usr/lib/x86_64-linux-musl/libc.a ] ||
    die "musl's libc.a not found: install the Debian package musl-dev"

# 1-2. The source package, kept in the downloads folder, unpacked with Debian's patch
#    series (CA bundle path, lpeg linking, the ncat manual page, ndiff's Python 3 port):
#    none of it touches the C code that Ncat is built from, and all of it is kept.
debian_source nmap

# 2b. Anvil's own fixes (patches/, each says why), after Debian's series.
for p in "$here"/patches/*.patch; do
    [ -e "$p" ] || continue
    if ! patch -d src -p1 --no-backup-if-mismatch -i "$p" >>patch.log 2>&1; then
        show_log patch.log
        die "patch $(basename "$p") does not apply"
    fi
done

# 3. Ncat needs only two of nmap's libraries, nbase (portability) and nsock (its event
#    loop); each has its own configure script. The environment is emptied first, so the
#    caller's CC, CFLAGS or LIBS cannot change the binary.
#    --without-openssl: no --ssl (musl has no static OpenSSL here; Anvil has no CA store).
#    --without-libpcap: nsock's pcap events are for nmap, not Ncat.
#    --without-liblua: no --lua-exec (it would build Lua too).
#    --prefix=/usr: the data folder compiled in is /usr/share/ncat, as Debian's.
cfgflags='--prefix=/usr --without-openssl --without-libpcap --without-liblua'
ncenv() {
    env -i PATH="$PATH" CC=musl-gcc CFLAGS="-O2 -Wall" CPPFLAGS= LDFLAGS=-static LIBS= "$@"
}
cd src
for dir in nbase nsock/src ncat; do
    log=$scratch/configure-$(echo "$dir" | tr / -).log
    # shellcheck disable=SC2086 # the flags are words
    if ! (cd "$dir" && ncenv ./configure $cfgflags) >"$log" 2>&1; then
        show_log "$log"
        die "configure in $dir failed"
    fi
done

# 4. The two libraries, then Ncat. PCAP_LIBS is emptied: ncat's Makefile names -lpcap
#    even when configure found no libpcap (nsock was configured without it, so nothing
#    refers to it).
note "building with $jobs jobs (log: $scratch/build.log)"
if ! { ncenv make -C nbase -j"$jobs" &&
    ncenv make -C nsock/src -j"$jobs" &&
    ncenv make -C ncat -j"$jobs" PCAP_LIBS= ncat; } >"$scratch/build.log" 2>&1; then
    show_log "$scratch/build.log"
    die "make failed"
fi
strip -s ncat/ncat
# A static musl binary runs on the (Linux) build host too: a quick sign that it works.
case $(./ncat/ncat --version 2>&1) in
*"Ncat: Version"*) ;;
*) die "the built ncat does not run here" ;;
esac

mkdir -p "$(dirname "$out")"
cp ncat/ncat "$out.tmp"
chmod 755 "$out.tmp"
mv "$out.tmp" "$out"
note "wrote $out ($(wc -c <"$out") bytes, $(./ncat/ncat --version 2>&1 | sed -n 's/^Ncat: //p'))"
