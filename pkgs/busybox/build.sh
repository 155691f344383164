#!/bin/sh
# pkgs/busybox/build.sh: builds one static, stripped BusyBox from Debian 12's busybox
# source package with musl-gcc. mkimage runs it in an empty scratch dir:
#   MKIMAGE_JOBS=N MKIMAGE_DOWNLOADS=DIR sh pkgs/busybox/build.sh OUTFILE
set -eu

prog=busybox/build.sh
here=$(cd "$(dirname "$0")" && pwd)
fragment=$here/config.fragment

# shellcheck source=../recipe.sh
. "$here/../recipe.sh"

need apt apt-get
need dpkg-dev dpkg-source
need patch patch
need bzip2 bzip2
need xz-utils xz
need make make
need gcc gcc
need binutils strip ar
need musl-tools musl-gcc
[ -f /usr/lib/x86_64-linux-musl/libc.a ] ||
    die "musl's libc.a not found: install the Debian package musl-dev"
# Linux uapi headers (linux/*.h, asm/*.h, mtd/*.h): musl-gcc does not search /usr/include.
kuapi_asm=/usr/include/x86_64-linux-gnu/asm
for h in /usr/include/linux/version.h /usr/include/asm-generic /usr/include/mtd; do
    [ -e "$h" ] || die "$h not found: install the Debian package linux-libc-dev"
done
[ -d "$kuapi_asm" ] ||
    die "$kuapi_asm not found: this recipe builds for x86_64 on an amd64 Debian host (package linux-libc-dev)"

# 1-2. The source package, kept in the downloads folder, unpacked with Debian's patch
#    series (security fixes, Debian fixes, the PLATFORM_LINUX kconfig symbol); none of it
#    is glibc-specific, so all of it is kept.
debian_source busybox

# 3. Kernel headers for musl-gcc: only linux/, asm/, asm-generic/ and mtd/, added after
#    musl's own include dir so that no glibc header can be picked up.
kh=$scratch/kernel-headers
mkdir -p "$kh"
ln -sfn /usr/include/linux "$kh/linux"
ln -sfn /usr/include/asm-generic "$kh/asm-generic"
ln -sfn /usr/include/mtd "$kh/mtd"
ln -sfn "$kuapi_asm" "$kh/asm"

cd src
# No date in the config files or the banner; BB_EXTRA_VERSION (Debian's version.patch) names
# the source instead.
export KCONFIG_NOTIMESTAMP=1
# bbmake: every make call sees the same compiler, since kconfig asks it for __linux__.
bbmake() {
    make CC=musl-gcc HOSTCC=gcc EXTRA_CFLAGS="-idirafter $kh" SKIP_STRIP=n \
        BB_EXTRA_VERSION="Debian $version for Anvil" "$@"
}

# 4. Config: defconfig, then each setting of config.fragment replaces that symbol's line,
#    then oldconfig settles dependencies, then every fragment setting must still be there.
bbmake defconfig >../config.log 2>&1 || {
    show_log ../config.log
    die "make defconfig failed"
}
settings=../fragment.settings
grep -E '^(CONFIG_[A-Za-z0-9_]+=|# CONFIG_[A-Za-z0-9_]+ is not set$)' "$fragment" >"$settings"
# A non-comment line that is not a setting is a typo: refuse it rather than ignore it.
bad=$(grep -Ev '^(#|$|CONFIG_[A-Za-z0-9_]+=)' "$fragment" || true)
[ -z "$bad" ] || die "config.fragment: not a setting: $bad"
awk 'NR == FNR { name = $0; sub(/^# /, "", name); sub(/[= ].*/, "", name); drop[name] = 1; next }
     { name = $0; sub(/^# /, "", name); sub(/[= ].*/, "", name); if (!(name in drop)) print }' \
    "$settings" .config >.config.new
cat "$settings" >>.config.new
mv .config.new .config
# Empty answers take the default for any option that the fragment newly made visible.
yes '' | bbmake oldconfig >>../config.log 2>&1 || {
    show_log ../config.log
    die "make oldconfig failed"
}
while IFS= read -r line; do
    grep -qxF "$line" .config ||
        die "config.fragment line '$line' was overridden by make oldconfig (a dependency is off)"
done <"$settings"

# 5. Build only the binary (the docs target would need perl's pod2text).
note "building with $jobs jobs (log: $scratch/build.log)"
if ! bbmake -j"$jobs" busybox >../build.log 2>&1; then
    show_log ../build.log
    die "make busybox failed"
fi
# BusyBox's own rule made busybox from busybox_unstripped with `strip -s`.
[ "$(wc -c <busybox)" -lt "$(wc -c <busybox_unstripped)" ] || die "busybox was not stripped"
# A static musl binary runs on the (Linux) build host too: a quick sign that it works.
[ "$(./busybox echo ok 2>&1)" = ok ] || die "the built busybox does not run here"

mkdir -p "$(dirname "$out")"
cp busybox "$out.tmp"
chmod 755 "$out.tmp"
mv "$out.tmp" "$out"
note "wrote $out ($(wc -c <"$out") bytes, $(./busybox --list | wc -l) applets)"
