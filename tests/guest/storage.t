#!/bin/sh
# tests/guest/storage.t: PCI and the block drivers as services. The storage
# variant boots init with pcid and the drivers; tests/guest/programs/
# storage.c runs the same checks on every disk a driver serves: the GPT
# partitions it lists, sums of what it reads, a pattern written to the
# "Anvil root" partition and fsynced, and the driver killed mid-read. Each
# disk is a copy of the variant's own raw image, attached without snapshot.
# Two boots: a pc with a virtio disk without MSI-X (pcid on the configuration
# ports; the driver on the disk's INTx line), and a
# q35 with a virtio, an AHCI and an NVMe disk at once (pcid on the MCFG's
# ECAM window). The host then compares what each guest read with the image
# file and finds the pattern in each disk's file.
. "$(dirname "$0")/../tap.sh"
cd "$top" || exit 1

out="$scratch/storage"
"$mkimage" build -q -V storage -o "$out" >/dev/null 2>"$scratch/build.log"
ok $? "build the storage variant"
cpio -it <"$out/initfs.cpio" 2>/dev/null >"$scratch/list"
for f in bin/pcid bin/virtio-blkd bin/ahcid bin/nvmed; do
    like "$scratch/list" "^$f\$" "the initfs holds $f"
done
start3=$(/usr/sbin/sgdisk -i 3 "$out/anvil.img" | awk '/First sector/ {print $3}')
perl -e 'printf("anvil-root %020d\n", $_) for 0 .. 6399' >"$scratch/pattern"

# boot NAME MACHINE QEMU-ARGS...: run the variant, its console in $scratch/NAME.log.
boot() {
    name=$1 machine=$2
    shift 2
    "$mkimage" run --no-build --headless -V storage -o "$out" --boot direct \
        --machine "$machine" --timeout 300 -- "$@" >"$scratch/$name.raw" 2>&1
    is $? 0 "$name: the storage checks pass and init powers off with their status"
    tr -d '\r' <"$scratch/$name.raw" >"$scratch/$name.log"
    unlike "$scratch/$name.log" "^not ok" "$name: no guest check fails"
    grep '^not ok' "$scratch/$name.log" | sed 's/^/# /'
}

# disk_checks LOG SCHEME DRIVER IMAGE: what the guest reported for one disk, against the host.
disk_checks() {
    log=$1 scheme=$2 driver=$3 img=$4
    like "$log" "^init: $driver ready" "$driver serves $scheme:"
    like "$log" "^init: $driver killed by signal 9, restarting" "$scheme: the killed driver is restarted"
    like "$log" "^root $scheme 0p3 $((start3 * 512))\$" "$scheme: Anvil root is where sgdisk finds it"
    grep "^cksum $scheme " "$log" >"$scratch/sums"
    is "$(wc -l <"$scratch/sums")" 4 "$scheme: the guest summed the disk and its 3 partitions"
    while read -r _ _ part start len sum; do
        host=$(dd if="$out/anvil.img" bs=512 skip=$((start / 512)) count=$((len / 512)) 2>/dev/null | cksum)
        is "$sum $len" "$host" "$scheme: $part reads as the host reads it"
    done <"$scratch/sums"
    dd if="$img" bs=512 skip="$start3" count=400 2>/dev/null >"$scratch/written"
    cmp -s "$scratch/pattern" "$scratch/written"
    ok $? "$scheme: the fsynced 200 KiB pattern is at the start of Anvil root in the image file"
    odd=$(dd if="$img" bs=1 skip=$((start3 * 512 + 1048576 + 100)) count=26 2>/dev/null)
    is "$odd" "unaligned-write-0123456789" "$scheme: and the unaligned bytes at their offset"
}

# msi_checks LOG DRIVER KIND: the vector the driver's last start logged has fired (sys:irqs,
# read at the end of the guest's checks).
msi_checks() {
    vector=$(sed -n "s/^$2: $3 on vector \(0x[0-9a-f]*\)\$/\1/p" "$1" | tail -n 1)
    ok $([ -n "$vector" ]; echo $?) "$2 takes an $3 vector ($vector)"
    like "$1" "^irqs msi $vector [1-9][0-9]*\$" "$2: its interrupts arrive"
}

cp "$out/anvil.img" "$scratch/pc.img"
# vectors=0: a virtio disk without MSI-X, so virtio-blkd takes its INTx line
boot pc pc -drive "file=$scratch/pc.img,format=raw,if=none,id=d0" -device virtio-blk-pci,drive=d0,vectors=0
like "$scratch/pc.log" "^init: pcid ready" "pcid serves pci:"
like "$scratch/pc.log" "^pcid: [0-9]+ PCI functions \(through ports\)" "through the ports on a pc"
like "$scratch/pc.log" "^pci 00:00\.0 060000 8086:1237" "pci: lists the pc's host bridge"
like "$scratch/pc.log" "^00:00\.0 Host bridge \[060000\]: 8086:1237 Intel\$" "lspci names it"
like "$scratch/pc.log" "^[[:space:]]bar0 I/O ports at 0x[0-9a-f]+ \([0-9]+ bytes\)\$" "and the virtio disk's I/O BAR"
like "$scratch/pc.log" "^pcid: 1 devices have drivers" "pcid reports the virtio disk to init"
like "$scratch/pc.log" "^init: virtio-blkd drives 00:[0-9a-f]{2}\.0\$" "init binds virtio-blkd to it"
like "$scratch/pc.log" "^init: ahcid has no device" "a pc has no AHCI controller: ahcid is not started"
like "$scratch/pc.log" "^init: nvmed has no device" "nor is nvmed"
unlike "$scratch/pc.log" "^init: (ahcid|nvmed) started" "neither ever runs"
line=$(sed -n 's/^virtio-blkd: INTx on line \([0-9]*\)$/\1/p' "$scratch/pc.log" | tail -n 1)
ok $([ -n "$line" ]; echo $?) "without MSI-X virtio-blkd takes the disk's INTx line ($line)"
like "$scratch/pc.log" "^virtio-blkd: 00:[0-9a-f.:]+ at ports 0x[0-9a-f]+, with flush, INTx\$" "its queue interrupts on it"
like "$scratch/pc.log" "^irqs isa $line [1-9][0-9]*\$" "and the interrupts arrive"
unlike "$scratch/pc.log" "^irqs msi" "no MSI vector is taken"
disk_checks "$scratch/pc.log" disk.virtio virtio-blkd "$scratch/pc.img"

# q35: ide.0 is the first port of the ICH9's built-in AHCI controller.
for d in virtio ahci nvme; do cp "$out/anvil.img" "$scratch/$d.img"; done
boot q35 q35 -drive "file=$scratch/virtio.img,format=raw,if=none,id=d0" -device virtio-blk-pci,drive=d0 \
    -drive "file=$scratch/ahci.img,format=raw,if=none,id=d1" -device ide-hd,drive=d1,bus=ide.0 \
    -drive "file=$scratch/nvme.img,format=raw,if=none,id=d2" -device nvme,serial=anvil1,drive=d2
like "$scratch/q35.log" "^pcid: [0-9]+ PCI functions \(through ecam\)" "pcid reads q35's ECAM window"
like "$scratch/q35.log" "^pcid: 3 devices have drivers" "pcid reports three devices with drivers to init"
like "$scratch/q35.log" "^init: ahcid drives 00:1f\.2\$" "init binds ahcid to the ICH9's AHCI"
like "$scratch/q35.log" "^pci 00:00\.0 060000 8086:29c0" "pci: lists the q35 host bridge"
like "$scratch/q35.log" "^pci 00:1f\.2 010601 8086:2922 irq=[0-9]+ .*bar5=mem:0x" "and its AHCI controller with BAR5"
like "$scratch/q35.log" "^00:1f\.2 SATA controller \(AHCI\) \[010601\]: 8086:2922 Intel\$" "lspci names it"
like "$scratch/q35.log" "^pci [0-9a-f:.]+ 010802 1b36:0010 .*bar0=mem:0x" "and the NVMe controller with BAR0"
like "$scratch/q35.log" "^ahcid: 00:1f\.2 port 0, FLUSH CACHE EXT" "ahcid finds the disk on port 0"
like "$scratch/q35.log" "^nvmed: [0-9a-f:.]+ namespace 1, 128 KiB a command" "nvmed finds namespace 1"
# each driver sleeps on its interrupt: ahcid on an MSI, nvmed and virtio-blkd on MSI-X
msi_checks "$scratch/q35.log" ahcid MSI
msi_checks "$scratch/q35.log" nvmed MSI-X
msi_checks "$scratch/q35.log" virtio-blkd MSI-X
like "$scratch/q35.log" "^virtio-blkd: 00:[0-9a-f.:]+ at ports 0x[0-9a-f]+, with flush, MSI-X\$" "virtio-blkd's queue interrupts by MSI-X"
disk_checks "$scratch/q35.log" disk.virtio virtio-blkd "$scratch/virtio.img"
disk_checks "$scratch/q35.log" disk.ahci ahcid "$scratch/ahci.img"
disk_checks "$scratch/q35.log" disk.nvme nvmed "$scratch/nvme.img"

done_testing
