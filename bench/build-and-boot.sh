#!/bin/sh
# bench/build-and-boot.sh: how long builds take (clean, no-op, one package
# touched; userspace with tcc and with gcc), how big the outputs are, and how
# long each way of booting takes from QEMU's start to the kernel's banner.
# Prints a table and writes bench/results/bench-build-boot-TIMESTAMP.json.
# Numbers only: nothing here is asserted.
set -u
. "$(dirname "$0")/lib.sh"

size() { wc -c <"$1" | tr -d ' '; }

# A copy of the tree to build (the test variant: kernel, hello, the in-guest test
# programs), so touching a package does not touch the repository.
make_tree() {
    cp -r config.toml kernel include pkgs "$work/"
    mkdir -p "$work/tests/guest" && cp -r tests/guest/programs "$work/tests/guest/"
}

# build_time CC [ARGS...]: seconds for one build with userspace compiler CC.
build_time() {
    cc=$1
    shift
    t0=$(now)
    MKIMAGE_CACHE="$work/cache" $mkimage build -q -c "$work/config.toml" -V test -o "$work/img" \
        --set "packages.tests.cc=$cc" --set "packages.hello.cc=$cc" "$@" \
        >/dev/null 2>"$work/build.log" || { echo "build failed:" >&2; cat "$work/build.log" >&2; }
    elapsed "$t0" "$(now)"
}

# banner_time ARGS...: seconds from starting QEMU to the banner on the serial port.
banner_time() {
    t0=$(now)
    $mkimage run --no-build --headless --timeout 300 -c "$work/config.toml" -V test \
        -o "$work/img" "$@" \
        2>/dev/null | while IFS= read -r line; do
        case $line in
        Anvil*) elapsed "$t0" "$(now)" ;;
        esac
    done
}

make_tree
clean_tcc=$(build_time tcc)
noop=$(build_time tcc)
touch_one() { printf '\n/* touched */\n' >>"$work/tests/guest/programs/stdio.c"; }
touch_one
one_tcc=$(build_time tcc)
rm -rf "$work/cache" "$work/img"
clean_gcc=$(build_time gcc)
touch_one
one_gcc=$(build_time gcc)
build_time tcc >/dev/null

direct=$(banner_time --boot direct)
iso_bios=$(banner_time --boot iso --firmware bios)
iso_uefi=$(banner_time --boot iso --firmware uefi)
disk_bios=$(banner_time --boot disk --firmware bios)
disk_uefi=$(banner_time --boot disk --firmware uefi)

MKIMAGE_CACHE="$work/cache" $mkimage build -q -c "$work/config.toml" -V minimal -o "$work/minimal" \
    >/dev/null 2>&1
minimal=$(($(size "$work/minimal/anvil.elf") + $(size "$work/minimal/initfs.cpio")))

row() { printf '%-44s %12s\n' "$1" "$2"; }
{
    row "measure" "value"
    row "clean build, userspace with tcc (s)" "$clean_tcc"
    row "clean build, userspace with gcc (s)" "$clean_gcc"
    row "rebuild, nothing changed (s)" "$noop"
    row "rebuild, one package touched, tcc (s)" "$one_tcc"
    row "rebuild, one package touched, gcc (s)" "$one_gcc"
    row "QEMU start to banner, direct (s)" "$direct"
    row "QEMU start to banner, ISO + BIOS (s)" "$iso_bios"
    row "QEMU start to banner, ISO + UEFI (s)" "$iso_uefi"
    row "QEMU start to banner, disk + BIOS (s)" "$disk_bios"
    row "QEMU start to banner, disk + UEFI (s)" "$disk_uefi"
    row "kernel ELF (bytes)" "$(size "$work/img/anvil.elf")"
    row "initfs with test programs (bytes)" "$(size "$work/img/initfs.cpio")"
    row "ISO (bytes)" "$(size "$work/img/anvil.iso")"
    row "disk image (bytes, sparse)" "$(size "$work/img/anvil.img")"
    row "disk image (bytes on the host's disk)" "$(($(du -k "$work/img/anvil.img" | cut -f1) * 1024))"
    row "minimal variant: kernel + initfs (bytes)" "$minimal"
} | tee "$work/table"

stamp=$(date -u +%Y%m%dT%H%M%SZ)
result="bench/results/bench-build-boot-$stamp.json"
awk -v date="$stamp" -v cores="$(nproc)" '
    NR == 1 { printf "{\n  \"date\": \"%s\",\n  \"cores\": %s,\n  \"results\": {\n", date, cores; next }
    { value = $NF; $NF = ""; sub(/ +$/, ""); rows[++n] = sprintf("    \"%s\": %s", $0, value == "" ? "null" : value) }
    END { for (i = 1; i <= n; i++) printf "%s%s\n", rows[i], i < n ? "," : ""; print "  }\n}" }
' "$work/table" >"$result"
echo "wrote $result"
