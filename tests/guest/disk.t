#!/bin/sh
# tests/guest/disk.t: the raw GPT disk image: clean by sgdisk and fsck.fat,
# reproducible, and booting under BIOS and UEFI on each kind of disk controller;
# the laptop variant shows its console on the screen (checked by a screenshot).
. "$(dirname "$0")/../tap.sh"
cd "$top" || exit 1

out="$scratch/img"
"$mkimage" build -q --set 'image.formats=["iso","disk"]' -o "$out" >"$scratch/paths" 2>&1
ok $? "build the default variant as ISO and disk"
disk="$out/anvil.img"
like "$scratch/paths" "^$disk\$" "the disk image's path is printed"

/usr/sbin/sgdisk -v "$disk" >"$scratch/sgdisk" 2>&1
like "$scratch/sgdisk" "No problems found" "sgdisk -v finds no problems"
/usr/sbin/sgdisk -p "$disk" >"$scratch/table" 2>&1
like "$scratch/table" "EF02 +BIOS boot" "partition 1 is the BIOS boot partition"
like "$scratch/table" "EF00 +EFI system" "partition 2 is the EFI system partition"
like "$scratch/table" "^ +3 .*Anvil root" "partition 3 is kept for the root filesystem"

start=$(/usr/sbin/sgdisk -i 2 "$disk" | awk '/First sector/ {print $3}')
end=$(/usr/sbin/sgdisk -i 2 "$disk" | awk '/Last sector/ {print $3}')
dd if="$disk" of="$scratch/esp" bs=512 skip="$start" count=$((end - start + 1)) 2>/dev/null
/usr/sbin/fsck.fat -n "$scratch/esp" >"$scratch/fsck" 2>&1
ok $? "fsck.fat -n finds the ESP clean"
mdir -i "$scratch/esp" -/ :: >"$scratch/esp.list" 2>&1
for f in "BOOTX64 +EFI" "anvil +elf" "initfs.cpio" "grub +cfg"; do
    like "$scratch/esp.list" "$f" "the ESP holds $f"
done

"$mkimage" build -q --set 'image.formats=["iso","disk"]' -o "$scratch/again" >/dev/null 2>&1
cmp -s "$disk" "$scratch/again/anvil.img"
ok $? "a second build gives a byte-identical disk image"

boot() {
    name=$1
    shift
    "$mkimage" run --no-build --headless --set 'image.formats=["iso","disk"]' -o "$out" \
        "$@" >"$scratch/$name.raw" 2>&1
    st=$?
    tr -d '\r' <"$scratch/$name.raw" >"$scratch/$name.log"
    return $st
}

for way in "bios ide" "bios virtio" "bios ahci" "bios nvme" "uefi ide" "uefi nvme"; do
    set -- $way
    boot "$1-$2" --boot disk --firmware "$1" --disk-if "$2" --timeout 300
    is $? 0 "disk on $2 boots under $1 and powers off with 0"
    like "$scratch/$1-$2.log" "^boot: multiboot2 cmdline" "$1/$2: GRUB loaded the kernel"
done

# laptop: no serial port; the console is on the screen
"$mkimage" build -q -V laptop --set 'image.formats=["disk"]' -o "$scratch/laptop" >/dev/null 2>&1
"$mkimage" run --no-build --headless -V laptop --set 'image.formats=["disk"]' -o "$scratch/laptop" \
    --boot disk --firmware uefi --timeout 25 --screenshot "$scratch/laptop.png" \
    >"$scratch/laptop.log" 2>&1
is $? 124 "the laptop variant stays up until the timeout"
unlike "$scratch/laptop.log" "^Anvil " "and prints nothing on the serial port"
head -c 8 "$scratch/laptop.png" | od -An -tx1 | tr -d ' \n' >"$scratch/sig"
is "$(cat "$scratch/sig")" "89504e470d0a1a0a" "--screenshot writes a PNG"
is "$(od -An -tu1 -j16 -N8 "$scratch/laptop.png" | tr -s ' ' | sed 's/^ //')" \
    "0 0 4 0 0 0 3 0" "the picture is 1024x768, the framebuffer the kernel asked for"
lit=$(tr -d '\000' <"$scratch/laptop.png" | wc -c)
ok $((lit < 5000)) "the screen is not blank: the console drew text ($lit lit bytes)"

done_testing
