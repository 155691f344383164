#!/bin/sh
# bench/build-and-boot.sh: how long a clean build, a no-op rebuild and each way
# of booting (QEMU start to the kernel's banner) take. Prints a table and writes
# bench/results/bench-build-boot-TIMESTAMP.json. Numbers only: nothing is asserted.
set -u
cd "$(dirname "$0")/.." || exit 1
mkimage=./mkimage
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p bench/results

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }

# build_time DIR: seconds for one `mkimage build` into DIR.
build_time() {
    t0=$(now)
    $mkimage build -q -o "$1" >/dev/null 2>&1 || echo "build failed" >&2
    elapsed "$t0" "$(now)"
}

# banner_time ARGS...: seconds from starting QEMU to the banner on the serial port.
banner_time() {
    t0=$(now)
    $mkimage run --no-build --headless --timeout 300 -o "$work/img" "$@" 2>/dev/null |
        while IFS= read -r line; do
            case $line in
            Anvil*) elapsed "$t0" "$(now)" ;;
            esac
        done
}

clean=$(build_time "$work/img")
noop=$(build_time "$work/img")
direct=$(banner_time --boot direct)
bios=$(banner_time --firmware bios)
uefi=$(banner_time --firmware uefi)
kernel=$(wc -c <"$work/img/anvil.elf" | tr -d ' ')
initfs=$(wc -c <"$work/img/initfs.cpio" | tr -d ' ')
iso=$(wc -c <"$work/img/anvil.iso" | tr -d ' ')

printf '%-34s %12s\n' "measure" "value"
printf '%-34s %12s\n' "clean build (s)" "$clean"
printf '%-34s %12s\n' "rebuild, nothing changed (s)" "$noop"
printf '%-34s %12s\n' "QEMU start to banner, direct (s)" "$direct"
printf '%-34s %12s\n' "QEMU start to banner, BIOS (s)" "$bios"
printf '%-34s %12s\n' "QEMU start to banner, UEFI (s)" "$uefi"
printf '%-34s %12s\n' "kernel ELF (bytes)" "$kernel"
printf '%-34s %12s\n' "initfs (bytes)" "$initfs"
printf '%-34s %12s\n' "ISO (bytes)" "$iso"

stamp=$(date -u +%Y%m%dT%H%M%SZ)
result="bench/results/bench-build-boot-$stamp.json"
cat >"$result" <<JSON
{
  "date": "$stamp",
  "cores": $(nproc),
  "clean_build_s": $clean,
  "noop_rebuild_s": $noop,
  "banner_direct_s": ${direct:-null},
  "banner_bios_s": ${bios:-null},
  "banner_uefi_s": ${uefi:-null},
  "kernel_bytes": $kernel,
  "initfs_bytes": $initfs,
  "iso_bytes": $iso
}
JSON
echo "wrote $result"
