#!/bin/sh
# tests/guest/disk.t: the raw GPT disk image: clean by sgdisk and fsck.fat, and
# booting under BIOS and UEFI on each kind of disk controller; the hybrid ISO
# booted as a disk (a USB stick); the laptop variant's console on the screen,
# read back from a screenshot. (Reproducible builds are checked in build.t.)
. "$(dirname "$0")/../tap.sh"
cd "$top" || exit 1

# The minimal variant: it powers off with 0 once booted, a status only the kernel gives.
variant="-V minimal --set image.formats=[\"iso\",\"disk\"]"
out="$scratch/img"
"$mkimage" build -q $variant -o "$out" >"$scratch/paths" 2>&1
ok $? "build the minimal variant as ISO and disk"
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

boot() {
    name=$1
    shift
    "$mkimage" run --no-build --headless "$@" >"$scratch/$name.raw" 2>&1
    st=$?
    tr -d '\r' <"$scratch/$name.raw" >"$scratch/$name.log"
    return $st
}

# q35 (the machine UEFI boots on) has no IDE: its own disk controller is AHCI.
for way in "bios ide" "bios virtio" "bios ahci" "bios nvme" "uefi ahci" "uefi virtio" "uefi nvme"; do
    set -- $way
    boot "$1-$2" $variant -o "$out" --boot disk --firmware "$1" --disk-if "$2" --timeout 300
    is $? 0 "disk on $2 boots under $1 and powers off with 0"
    like "$scratch/$1-$2.log" "^boot: multiboot2 cmdline" "$1/$2: GRUB loaded the kernel"
    like "$scratch/$1-$2.log" "^poweroff: status 0" "$1/$2: the kernel powered off itself"
done

# The hybrid ISO written to a USB stick is read as a disk, not a CD: boot it so.
mkdir -p "$scratch/stick"
ln -s "$out/anvil.iso" "$scratch/stick/anvil.img"
for fw in bios uefi; do
    boot "stick-$fw" $variant -o "$scratch/stick" --boot disk --firmware "$fw" --timeout 300
    is $? 0 "the hybrid ISO as a disk boots under $fw and powers off with 0"
    like "$scratch/stick-$fw.log" "^boot: multiboot2 cmdline" "stick/$fw: GRUB loaded the kernel"
done

# laptop: no serial port; the console is on the screen.
"$mkimage" build -q -V laptop --set 'image.formats=["disk"]' -o "$scratch/laptop" >/dev/null 2>&1
ok $? "build the laptop variant"
nm "$scratch/laptop/anvil.elf" >"$scratch/laptop.nm"
like "$scratch/laptop.nm" " fbcon_putc\$" "the laptop kernel has the framebuffer console"
unlike "$scratch/laptop.nm" " serial_putc\$" "and no serial port driver"

# Its kernel with the serial port added tells when it is done drawing (the
# kernel's "stay:" line, or the shell's prompt); then the screen is read back
# with the kernel's own font and compared with the serial log, line by line:
# text only the kernel's console can have drawn (so without fbcond, which
# takes the screen over in the laptop variant: fbcond.t tests that one).
lap="-V laptop --set image.formats=[\"disk\"] --set kernel.features=[\"fbcon\",\"serial\"] --set services.fbcond.enabled=false --set console.ttys=[\"console\"]"
"$mkimage" build -q $lap -o "$scratch/laptop2" >/dev/null 2>&1
"$mkimage" run --no-build --headless $lap -o "$scratch/laptop2" --boot disk --firmware uefi \
    --timeout 300 --screenshot "$scratch/laptop.png" >"$scratch/laptop.raw" 2>&1 &
run=$!
wait_for "$scratch/laptop.raw" "^stay: |[#$] \$" 1 300
ok $? "the laptop kernel boots under UEFI and stays up"
kill -INT $run
wait $run
tr -d '\r' <"$scratch/laptop.raw" >"$scratch/laptop.log"
head -c 8 "$scratch/laptop.png" | od -An -tx1 | tr -d ' \n' >"$scratch/sig"
is "$(cat "$scratch/sig")" "89504e470d0a1a0a" "--screenshot writes a PNG"
is "$(od -An -tu1 -j16 -N8 "$scratch/laptop.png" | tr -s ' ' | sed 's/^ //')" \
    "0 0 4 0 0 0 3 0" "the picture is 1024x768, the framebuffer the kernel asked for"
perl tests/guest/screentext.pl "$scratch/laptop.png" >"$scratch/screen.txt"
like "$scratch/screen.txt" "^Anvil [0-9]+\.[0-9]+\.[0-9]+ x86_64 features: serial fbcon\$" \
    "the screen shows the kernel's banner in its console font"
sed -n '/^Anvil /,$p' "$scratch/laptop.log" | grep -v '^mkimage: ' | sed 's/mkimage: .*//; s/ *$//' \
    >"$scratch/serial.txt"
ok $(($(wc -l <"$scratch/serial.txt") < 5)) "the serial log has the boot lines"
diff "$scratch/serial.txt" "$scratch/screen.txt" >"$scratch/screen.diff"
ok $? "the screen reads back line for line what the serial port got"
sed 's/^/#   /' "$scratch/screen.diff" | head -10

done_testing
