#!/bin/sh
# tests/guest/storage.t: PCI and a block driver as services. The storage
# variant boots init with pcid and virtio-blkd on a copy of its own raw disk
# image, attached as a virtio disk without snapshot; tests/guest/programs/
# storage.c lists pci:, reads the GPT partitions through disk.virtio:, writes
# a pattern to the "Anvil root" partition and fsyncs, and kills the driver
# mid-read, on a pc (pcid uses the configuration ports) and on a q35
# (through the MCFG's ECAM window). Then the host compares what the guest read with the image file
# and finds the pattern in it.
. "$(dirname "$0")/../tap.sh"
cd "$top" || exit 1

out="$scratch/storage"
"$mkimage" build -q -V storage -o "$out" >/dev/null 2>"$scratch/build.log"
ok $? "build the storage variant"
cpio -it <"$out/initfs.cpio" 2>/dev/null >"$scratch/list"
for f in bin/pcid bin/virtio-blkd; do
    like "$scratch/list" "^$f\$" "the initfs holds $f"
done

disk="$scratch/disk.img"
cp "$out/anvil.img" "$disk"
"$mkimage" run --no-build --headless -V storage -o "$out" --boot direct --timeout 300 \
    -- -drive "file=$disk,format=raw,if=none,id=d0" -device virtio-blk-pci,drive=d0 \
    >"$scratch/run.raw" 2>&1
is $? 0 "the storage checks pass and init powers off with their status"
tr -d '\r' <"$scratch/run.raw" >"$scratch/run.log"
unlike "$scratch/run.log" "^not ok" "no guest check fails"
grep '^not ok' "$scratch/run.log" | sed 's/^/# /'
like "$scratch/run.log" "^init: pcid ready" "pcid serves pci:"
like "$scratch/run.log" "^pcid: [0-9]+ PCI functions \(through ports\)" "through the ports on a pc"
like "$scratch/run.log" "^pci 00:00\.0 060000 8086:1237" "pci: lists the host bridge"
like "$scratch/run.log" "^init: virtio-blkd ready" "virtio-blkd serves disk.virtio:"
like "$scratch/run.log" "^init: virtio-blkd killed by signal 9, restarting" "the killed driver is restarted"

# The guest's partition table is sgdisk's.
start3=$(/usr/sbin/sgdisk -i 3 "$disk" | awk '/First sector/ {print $3}')
like "$scratch/run.log" "^root 0p3 $((start3 * 512))\$" "the guest finds Anvil root where sgdisk does"

# Each handle's first MiB, summed before the guest wrote: against the image as built.
grep '^cksum ' "$scratch/run.log" >"$scratch/sums"
is "$(wc -l <"$scratch/sums")" 4 "the guest summed the disk and its 3 partitions"
while read -r _ name start len sum; do
    host=$(dd if="$out/anvil.img" bs=512 skip=$((start / 512)) count=$((len / 512)) 2>/dev/null | cksum)
    is "$sum $len" "$host" "$name reads as the host reads it"
done <"$scratch/sums"

# The pattern the guest wrote and fsynced is in the image file after power-off.
perl -e 'printf("anvil-root %020d\n", $_) for 0 .. 6399' >"$scratch/pattern"
dd if="$disk" bs=512 skip="$start3" count=400 2>/dev/null >"$scratch/written"
cmp -s "$scratch/pattern" "$scratch/written"
ok $? "the 200 KiB pattern is at the start of Anvil root in the image file"
odd=$(dd if="$disk" bs=1 skip=$((start3 * 512 + 1048576 + 100)) count=26 2>/dev/null)
is "$odd" "unaligned-write-0123456789" "and the unaligned bytes at their offset"

# q35: the same checks with pcid on the ECAM window the kernel found in the MCFG.
"$mkimage" run --no-build --headless -V storage -o "$out" --boot direct --machine q35 \
    --timeout 300 -- -drive "file=$disk,format=raw,if=none,id=d0" -device virtio-blk-pci,drive=d0 \
    >"$scratch/q35.raw" 2>&1
is $? 0 "on q35 the storage checks pass too"
tr -d '\r' <"$scratch/q35.raw" >"$scratch/q35.log"
unlike "$scratch/q35.log" "^not ok" "no guest check fails on q35"
grep '^not ok' "$scratch/q35.log" | sed 's/^/# /'
like "$scratch/q35.log" "^pcid: [0-9]+ PCI functions \(through ecam\)" "pcid reads q35's ECAM window"
like "$scratch/q35.log" "^pci 00:00\.0 060000 8086:29c0" "pci: lists the q35 host bridge"
like "$scratch/q35.log" "^pci 00:1f\.2 010601 8086:2922 irq=[0-9]+ .*bar5=mem:0x" "and its AHCI controller with BAR5"

done_testing
