#!/bin/sh
# pkgs/mksh/build.sh: builds one static, stripped mksh (the MirBSD Korn Shell) from Debian
# 12's mksh source package with musl-gcc and mksh's own Build.sh. mkimage runs it in an
# empty scratch dir:
#   MKIMAGE_JOBS=N MKIMAGE_DOWNLOADS=DIR sh pkgs/mksh/build.sh OUTFILE
set -eu

prog=mksh/build.sh

# shellcheck source=../recipe.sh
. "$(dirname "$0")/../recipe.sh"

need apt apt-get
need dpkg-dev dpkg-source
need patch patch
need gzip gzip
need xz-utils xz
need gcc gcc
need binutils strip size
need musl-tools musl-gcc
[ -f /usr/lib/x86_64-linux-musl/libc.a ] ||
    die "musl's libc.a not found: install the Debian package musl-dev"

# 1-2. The source package, kept in the downloads folder, unpacked with Debian's patch
#    series (fixes cherry-picked from upstream, and a check that the build defines
#    MKSH_BUILDMEAT); none of it is glibc-specific, so all of it is kept.
debian_source mksh
rm -rf build

# 3. Build with Build.sh from a folder beside the source, so the only source path the
#    compiler sees (and __FILE__ puts into the binary) is the relative ../src. The
#    environment is emptied first: Build.sh reads CC, CFLAGS, LIBS, NOWARN, TARGET_OS and
#    every HAVE_* from it, and the caller's must not change the binary.
#    MKSH_BUILDMEAT: Debian's patch refuses builds that do not define it (debian/meat does).
#    MKSH_EARLY_LOCALE_TRACKING as Debian's /bin/mksh: the utf8-mode flag follows LC_ALL,
#    LC_CTYPE and LANG in scripts too, not only in interactive shells.
#    HAVE_CAN_WALL=0 and HAVE_LIBUTIL_H=0 as Debian: -Wall is given, libbsd is not used.
#    -r: no manual pages (no nroff); -j: compile the 16 files at once (a failed compile
#    then shows as a failed link, which stops the build all the same).
cppflags='-DMKSH_BUILDMEAT -DMKSH_EARLY_LOCALE_TRACKING'
cppflags=$cppflags' -DKSH_VERSIONNAME_VENDOR_EXT=\"\ +Debian\"'
parallel=
[ "$jobs" -gt 1 ] && parallel=-j
mkdir build
cd build
note "building with Build.sh -r${parallel:+ $parallel} (log: $scratch/build.log)"
if ! env -i PATH="$PATH" TARGET_OS=Linux CC=musl-gcc CFLAGS="-O2 -Wall -Wextra" \
    CPPFLAGS="$cppflags" LDFLAGS= LDSTATIC=-static LIBS= HAVE_CAN_WALL=0 HAVE_LIBUTIL_H=0 \
    sh ../src/Build.sh -r $parallel >../build.log 2>&1; then
    show_log ../build.log
    die "Build.sh failed"
fi
[ -f mksh ] || {
    show_log ../build.log
    die "Build.sh made no mksh binary"
}
strip -s mksh
# A static musl binary runs on the (Linux) build host too: a quick sign that it works.
[ "$(./mksh -c 'echo $((6*7))' 2>&1)" = 42 ] || die "the built mksh does not run here"
case $(./mksh -c 'echo $KSH_VERSION') in
*MIRBSD\ KSH*) ;;
*) die "the built mksh does not say it is mksh" ;;
esac

mkdir -p "$(dirname "$out")"
cp mksh "$out.tmp"
chmod 755 "$out.tmp"
mv "$out.tmp" "$out"
note "wrote $out ($(wc -c <"$out") bytes, $(./mksh -c 'echo $KSH_VERSION'))"
