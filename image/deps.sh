#!/bin/sh
# image/deps.sh: checks that every tool the build and the tests use is here; as
# root it installs the missing Debian 12 packages, otherwise it prints the line to run.
set -u

missing=""

# need PACKAGE THING...: THING is a program on PATH or an absolute file path.
need() {
    pkg=$1
    shift
    for thing in "$@"; do
        case $thing in
        /*) [ -e "$thing" ] ;;
        *) command -v "$thing" >/dev/null 2>&1 ;;
        esac || { missing="$missing $pkg"; return; }
    done
}

need gcc gcc
need binutils ld objdump
need make make
need perl prove
need cpio cpio
need grub-common grub-mkimage grub-file
need grub-pc-bin /usr/lib/grub/i386-pc/moddep.lst /usr/lib/grub/i386-pc/boot_hybrid.img
need grub-efi-amd64-bin /usr/lib/grub/x86_64-efi/moddep.lst
need xorriso xorriso
need mtools mformat mcopy mmd mdir mattrib mtype
need dosfstools /usr/sbin/fsck.fat /usr/sbin/mkfs.fat
need gdisk /usr/sbin/sgdisk
need qemu-system-x86 qemu-system-x86_64
need ovmf /usr/share/OVMF/OVMF_CODE_4M.fd /usr/share/OVMF/OVMF_VARS_4M.fd
need musl-tools musl-gcc
need musl-dev /usr/lib/x86_64-linux-musl/libc.a
need tcc tcc
# tests/guest/network.t fetches from the guest's BusyBox httpd as a person would
need curl curl
# the framebuffer console's fonts (image/fonts.c)
need console-setup-linux /usr/share/consolefonts/Uni2-Terminus16.psf.gz /usr/share/consolefonts/Uni2-Terminus32x16.psf.gz
need gzip gzip
# pkgs/busybox and pkgs/mksh build from Debian's source packages (gzip, apt: always there)
need dpkg-dev dpkg-source
need patch patch
need bzip2 bzip2
need xz-utils xz
need linux-libc-dev /usr/include/linux/version.h

# Debian source packages need a deb-src entry in apt's sources.
if [ "$(id -u)" = 0 ]; then
    sh "$(dirname "$0")/../pkgs/setup-sources.sh" >/dev/null || exit 1
elif ! grep -Eqs '^(Types:.*deb-src|[[:space:]]*deb-src[[:space:]])' \
    /etc/apt/sources.list /etc/apt/sources.list.d/*; then
    echo "deps: apt has no deb-src entry (needed for pkgs/busybox, pkgs/mksh): run as root:" >&2
    echo "deps:   sh pkgs/setup-sources.sh" >&2
fi

[ -z "$missing" ] && exit 0

if [ "$(id -u)" = 0 ]; then
    echo "deps: installing:$missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq &&
        apt-get install -y -qq --no-install-recommends $missing >/dev/null || {
        echo "deps: apt-get install failed" >&2
        exit 1
    }
    exit 0
fi
echo "deps: missing Debian packages:$missing" >&2
echo "deps: run as root:  apt-get install$missing" >&2
exit 1
