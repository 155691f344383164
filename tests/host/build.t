#!/bin/sh
# tests/host/build.t: mkimage build: the outputs, their contents read back with
# standard tools, byte-identical rebuilds, and a failed build that loses nothing.
. "$(dirname "$0")/../tap.sh"
cd "$top" || exit 1

"$mkimage" build -q -o "$scratch/a" >"$scratch/paths" 2>"$scratch/err"
ok $? "build of the default variant succeeds"
for f in anvil.elf initfs.cpio grub.cfg anvil.iso; do
    like "$scratch/paths" "^$scratch/a/$f\$" "build prints the path of $f"
done
ls -a "$scratch/a" | grep -q '^\.build' && st=1 || st=0
ok $st "no temporary folder is left behind"

grub-file --is-x86-multiboot2 "$scratch/a/anvil.elf"
ok $? "the kernel has a multiboot2 header"

cpio -it <"$scratch/a/initfs.cpio" >"$scratch/list" 2>/dev/null
ok $? "cpio reads the initfs"
# The [[files]] are in the image's root tree: the initfs itself, or the archive
# of a RAM root it carries (boot/root.cpio).
root="$scratch/a/initfs.cpio"
if grep -qx boot/root.cpio "$scratch/list"; then
    (cd "$scratch" && cpio -id boot/root.cpio <"$scratch/a/initfs.cpio" 2>/dev/null)
    root="$scratch/boot/root.cpio"
fi
cpio -it <"$root" >"$scratch/files" 2>/dev/null
for p in etc etc/motd etc/anvil etc/anvil/config.toml; do
    like "$scratch/files" "^$p\$" "the root tree holds $p"
done
(cd "$scratch" && cpio -id etc/motd etc/anvil/config.toml <"$root" 2>/dev/null)
is "$(cat "$scratch/etc/motd")" "Welcome to Anvil." "an inline [[files]] text reads back"
cmp -s config.toml "$scratch/etc/anvil/config.toml"
ok $? "a [[files]] source reads back byte for byte"

xorriso -indev "$scratch/a/anvil.iso" -find / -type f 2>/dev/null >"$scratch/iso"
for p in /boot/anvil.elf /boot/initfs.cpio /boot/grub/grub.cfg /boot/grub/bios.img /boot/grub/efi.img; do
    like "$scratch/iso" "'?$p'?\$" "the ISO holds $p"
done
mdir -i "$scratch/a/anvil.iso@@$(($(xorriso -indev "$scratch/a/anvil.iso" -report_el_torito plain 2>/dev/null | awk '/El Torito boot img :   2/ {print $NF}') * 2048))" ::/EFI/BOOT >"$scratch/efi" 2>&1
like "$scratch/efi" "BOOTX64 +EFI" "the UEFI boot image holds EFI/BOOT/BOOTX64.EFI"
like "$scratch/a/grub.cfg" "multiboot2 /boot/anvil.elf on_exit=poweroff" "grub.cfg boots the kernel with the manifest's command line"
like "$scratch/a/grub.cfg" "module2 /boot/initfs.cpio initfs" "grub.cfg loads the initfs"

# Reproducible: two copies of the sources at paths of different lengths, each
# built with a cache of its own, so nothing is reused and no path leaks in.
copy_tree() {
    mkdir -p "$1" && tar -C "$top" --exclude=./out --exclude=./.git -cf - . | tar -C "$1" -xf -
}
# (Without BusyBox when the variant has it: two builds of it from source would
# take minutes.)
nobb=
"$mkimage" check -V minimal | grep -qx '\[packages.busybox\]' && nobb="--set packages.busybox.enabled=false"
fresh_build() {
    MKIMAGE_CACHE="$1/cache" "$mkimage" build -q -c "$1/src/config.toml" -V minimal $nobb \
        --set 'image.formats=["iso","disk"]' -o "$1/out" >/dev/null 2>"$1/err"
}
copy_tree "$scratch/r1/src" && copy_tree "$scratch/reproduce-2/src"
fresh_build "$scratch/r1"
ok $? "a build from one copy of the sources with a fresh cache succeeds"
fresh_build "$scratch/reproduce-2"
ok $? "and one from a second copy elsewhere, with another fresh cache"
for f in anvil.elf initfs.cpio grub.cfg anvil.iso anvil.img; do
    [ -s "$scratch/r1/out/$f" ] && cmp -s "$scratch/r1/out/$f" "$scratch/reproduce-2/out/$f"
    ok $? "the two builds give a byte-identical $f"
done

# cpio_mtime FILE: the time stamp of the first entry of a cpio newc archive, in
# decimal (the header's c_mtime: 8 hex digits at byte 46).
cpio_mtime() { printf '%d' "0x$(dd if="$1" bs=1 skip=46 count=8 2>/dev/null)"; }
is "$(cpio_mtime "$scratch/a/initfs.cpio")" 1704067200 "without SOURCE_DATE_EPOCH the initfs is stamped 2024-01-01"
SOURCE_DATE_EPOCH=1000000000 "$mkimage" build -q -o "$scratch/c" >/dev/null 2>&1
ok $? "a build with SOURCE_DATE_EPOCH set succeeds"
is "$(cpio_mtime "$scratch/c/initfs.cpio")" 1000000000 "SOURCE_DATE_EPOCH is the time stamped into the initfs"

# A compile error names the file and leaves the previous outputs as they were.
copy_tree "$scratch/tree"
"$mkimage" build -q -c "$scratch/tree/config.toml" -V minimal $nobb -o "$scratch/d" >/dev/null 2>&1
cp "$scratch/d/anvil.iso" "$scratch/before.iso"
echo 'int broken(void) { return }' >"$scratch/tree/kernel/broken.c"
"$mkimage" build -q -c "$scratch/tree/config.toml" -V minimal $nobb -o "$scratch/d" >"$scratch/out" 2>&1
ok $(($? == 0)) "a build with a compile error fails"
like "$scratch/out" "kernel: CC +kernel/broken.c failed" "and names the source file"
cmp -s "$scratch/before.iso" "$scratch/d/anvil.iso"
ok $? "the previous image is left intact"

done_testing
