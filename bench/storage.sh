#!/bin/sh
# bench/storage.sh: a file system on a virtio disk. bench/programs/diskbench.c (one
# static musl binary) writes a 64 MiB file in 1 MiB blocks and fsyncs it, reads it
# back, then does random 4 KiB preads: in Anvil on its root (the default variant: fatd
# on the disk's FAT32 "Anvil root" partition) and as /init of Debian's Linux, which
# loads virtio and vfat from its own modules and mounts the same partition of a
# copy of the same image. Both in the same QEMU machine (TCG, one CPU, the same
# memory). Then the time from QEMU's start to the shell prompt with the root on the
# disk (default variant) and in RAM (live variant), both booted from a virtio disk.
# Prints a table and writes bench/results/bench-storage-TIMESTAMP.json. No number is
# asserted, but a run that failed shows no number and makes the script exit 1.
set -u
. "$(dirname "$0")/lib.sh"

boot_runs=2
root_size=96M       # the 64 MiB file and the tree fit; the initfs's copy fits in memory
# name|label: diskbench's lines, in the order of the table.
measures="seq_write_1m_mib_s|sequential 1 MiB writes, 64 MiB + fsync (MiB/s)
seq_read_1m_mib_s|sequential 1 MiB reads, 64 MiB (MiB/s)
rand_read_4k_us|random 4 KiB pread (us)"
# Linux's modules for a virtio disk and vfat, each after what it depends on
# (their modinfo depends= lines); vfat's default code page and character sets last.
modules="virtio_ring virtio virtio_pci_legacy_dev virtio_pci_modern_dev virtio_pci virtio_blk
fat vfat nls_cp437 nls_ascii nls_utf8"

failed=0
fail() { echo "storage.sh: $*" >&2; failed=1; }

# finished SIDE STATUS: the run counts only if it ended with 0 and diskbench got to its end.
finished() {
    [ "$2" = 0 ] && grep -qx 'diskbench: done' "$work/$1.out" && return 0
    fail "$1's run failed (status $2):"
    grep -E '^diskbench: |Kernel panic' "$work/$1.out" | sed 's/^/  /' >&2
    return 1
}

# The root volume's offset in an image: partition 3 ("Anvil root").
root_offset() {
    echo $(($(/usr/sbin/sgdisk -i 3 "$1" | awk '/First sector/ { print $3 }') * 512))
}

# The default variant with diskbench as the program init runs, and diskbench itself
# copied onto its root volume with mtools (the binary Linux runs, not a rebuild).
build_anvil() {
    "$mkimage" build -q -V default --set image.root_size="$root_size" \
        --set 'init.run="/bin/diskbench /root"' -o "$work/disk" >/dev/null 2>"$work/build.log" ||
        { cat "$work/build.log" >&2; return 1; }
    mcopy -o -i "$work/disk/anvil.img@@$(root_offset "$work/disk/anvil.img")" "$work/diskbench" ::/bin/diskbench &&
        cp "$work/disk/anvil.img" "$work/linux.img"
}

# Linux's initramfs: diskbench as /init and the modules, numbered in load order.
build_initramfs() {
    mkdir -p "$work/initramfs" && cp "$work/diskbench" "$work/initramfs/init" &&
        linux_modules "$work/initramfs" $modules
}

run_anvil() {
    "$mkimage" run --no-build --headless -V default -o "$work/disk" --boot disk --writable \
        --disk-if virtio --machine pc --smp 1 --mem "$qemu_mem" --timeout 1800 -- -accel tcg \
        >"$work/anvil.raw" 2>&1
    status=$?
    tr -d '\r' <"$work/anvil.raw" >"$work/anvil.out"
    finished anvil "$status" && cp "$work/anvil.out" "$work/anvil.ok"
}

run_linux() {
    boot_linux "$work/initramfs" "-m /dev/vda3 /mnt" \
        -drive "file=$work/linux.img,format=raw,if=none,id=d0" -device virtio-blk-pci,drive=d0 \
        >"$work/linux.out"
    status=$(linux_init_status "$work/linux.out")
    finished linux "${status:-none}" && cp "$work/linux.out" "$work/linux.ok"
}

# prompt_s VARIANT: the least seconds of boot_runs from QEMU's start to the shell
# prompt, the image booted from a virtio disk (SeaBIOS, GRUB); nothing if one failed.
prompt_s() {
    "$mkimage" build -q -V "$1" -o "$work/$1" >/dev/null 2>&1 || { fail "the $1 variant does not build"; return; }
    perl -I"$top/tests/lib" -MSerial -MTime::HiRes=time -e '
        my ($variant, $out, $runs) = @ARGV;
        my $best;
        for (1 .. $runs) {
            my $t0 = time;
            my $s = Serial->start("./mkimage", qw(run --no-build -V), $variant, "-o", $out,
                qw(--boot disk --disk-if virtio --machine pc --smp 1 --mem), $ENV{qemu_mem},
                qw(--display none --timeout 600 -- -accel tcg));
            my $up = $s->expect(qr/\@anvil:[^\n]*# $/, 300);
            my $t = time - $t0;
            $s->type("exit 0\r") if defined $up;
            exit 1 unless defined $up && defined($s->finish(120));
            $best = $t if !defined $best || $t < $best;
        }
        printf "%.1f\n", $best;' "$1" "$work/$1" "$boot_runs" || fail "the $1 variant did not reach its prompt or did not power off"
}

row() { printf '%-46s %14s %14s %16s\n' "$1" "$2" "$3" "$4"; }

got() { [ -f "$work/$1.ok" ] && value "$work/$1.ok" "$2"; }

print_table() {
    row "measure" "Linux, vfat" "Anvil, fatd" "Anvil vs Linux"
    compare_rows got
    echo
    row "QEMU start to shell prompt, root on disk (s)" "" "$(or_na "$boot_disk")" ""
    row "QEMU start to shell prompt, root live (s)" "" "$(or_na "$boot_live")" ""
    echo
    echo "One run each, QEMU TCG, pc, 1 CPU, $qemu_mem, a virtio-blk disk (a raw file, QEMU's"
    echo "default cache). Linux is Debian's $linux_name with diskbench as /init: it loads"
    echo "virtio_pci, virtio_blk, vfat and nls modules from the linux-image package (finit_module),"
    echo "mounts devtmpfs and the image's FAT32 partition as vfat. Anvil runs the same binary on"
    echo "its root, fatd on that partition ($root_size volume). Linux's page cache is dropped"
    echo "(fadvise DONTNEED) after the write and the read; fatd caches 1 MiB. Boot times: best of"
    echo "$boot_runs, the default (root on disk) and live variants booted from a virtio disk through SeaBIOS and GRUB."
}

measures_json() {
    echo "$measures" | while IFS='|' read -r name label; do
        printf '    "%s": {"linux_vfat": %s, "anvil_fatd": %s},\n' "$name" \
            "$(or_null "$(got linux "$name")")" "$(or_null "$(got anvil "$name")")"
    done
}

write_json() {
    cat <<EOF
{
  "date": "$stamp",
  "cores": $(nproc),
  "machine": "QEMU TCG, pc, 1 CPU, $qemu_mem, virtio-blk",
  "reference": "$linux_name, diskbench as /init, vfat from its modules on the image's FAT32 partition",
  "guest": "Anvil default variant, fatd on the FAT32 partition, root_size $root_size",
  "every_run_finished": $([ "$failed" = 0 ] && echo true || echo false),
  "results": {
$(measures_json)
    "boot_to_prompt_disk_s": $(or_null "$boot_disk"),
    "boot_to_prompt_live_s": $(or_null "$boot_live")
  }
}
EOF
}

[ -x "$mkimage" ] || make -s mkimage >/dev/null || exit 1
export qemu_mem
if build_static bench/programs/diskbench.c "$work/diskbench"; then
    { linux_kernel && build_initramfs; } || fail "no Linux to compare with"
    build_anvil || fail "no Anvil image"
    [ -f "$work/linux.img" ] && [ -d "$work/initramfs/modules" ] && run_linux
    [ -f "$work/linux.img" ] && run_anvil
else
    fail "no diskbench"
fi
# the default variant's root is on the disk; a boot that failed (in a subshell) fails here too
boot_disk=$(prompt_s default)
boot_live=$(prompt_s live)
[ -n "$boot_disk" ] && [ -n "$boot_live" ] || failed=1

print_table
save_json storage
exit $failed
