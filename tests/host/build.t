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
for p in etc etc/motd etc/anvil etc/anvil/config.toml; do
    like "$scratch/list" "^$p\$" "initfs holds $p"
done
(cd "$scratch" && cpio -id etc/motd <"$scratch/a/initfs.cpio" 2>/dev/null)
is "$(cat "$scratch/etc/motd")" "Welcome to Anvil." "an inline [[files]] text reads back"
cmp -s config.toml "$(cd "$scratch" && cpio -id etc/anvil/config.toml <"$scratch/a/initfs.cpio" 2>/dev/null; echo "$scratch/etc/anvil/config.toml")"
ok $? "a [[files]] source reads back byte for byte"

xorriso -indev "$scratch/a/anvil.iso" -find / -type f 2>/dev/null >"$scratch/iso"
for p in /boot/anvil.elf /boot/initfs.cpio /boot/grub/grub.cfg /boot/grub/bios.img /boot/grub/efi.img; do
    like "$scratch/iso" "'?$p'?\$" "the ISO holds $p"
done
mdir -i "$scratch/a/anvil.iso@@$(($(xorriso -indev "$scratch/a/anvil.iso" -report_el_torito plain 2>/dev/null | awk '/El Torito boot img :   2/ {print $NF}') * 2048))" ::/EFI/BOOT >"$scratch/efi" 2>&1
like "$scratch/efi" "BOOTX64 +EFI" "the UEFI boot image holds EFI/BOOT/BOOTX64.EFI"
like "$scratch/a/grub.cfg" "multiboot2 /boot/anvil.elf on_exit=poweroff" "grub.cfg boots the kernel with the manifest's command line"
like "$scratch/a/grub.cfg" "module2 /boot/initfs.cpio initfs" "grub.cfg loads the initfs"

"$mkimage" build -q -o "$scratch/b" >/dev/null 2>&1
for f in anvil.elf initfs.cpio grub.cfg anvil.iso; do
    cmp -s "$scratch/a/$f" "$scratch/b/$f"
    ok $? "a second build gives a byte-identical $f"
done
SOURCE_DATE_EPOCH=1000000000 "$mkimage" build -q -o "$scratch/c" >/dev/null 2>&1
cmp -s "$scratch/a/initfs.cpio" "$scratch/c/initfs.cpio"
ok $((! $?)) "SOURCE_DATE_EPOCH sets the time stamped into the image"

# A compile error names the file and leaves the previous outputs as they were.
mkdir -p "$scratch/tree"
cp -r kernel include pkgs config.toml "$scratch/tree/"
"$mkimage" build -q -c "$scratch/tree/config.toml" -o "$scratch/d" >/dev/null 2>&1
cp "$scratch/d/anvil.iso" "$scratch/before.iso"
echo 'int broken(void) { return }' >"$scratch/tree/kernel/broken.c"
"$mkimage" build -q -c "$scratch/tree/config.toml" -o "$scratch/d" >"$scratch/out" 2>&1
ok $(($? == 0)) "a build with a compile error fails"
like "$scratch/out" "kernel: CC +kernel/broken.c failed" "and names the source file"
cmp -s "$scratch/before.iso" "$scratch/d/anvil.iso"
ok $? "the previous image is left intact"

done_testing
