#!/bin/sh
# bench/build-and-boot.sh: how long builds take (clean, no-op, one package
# touched; userspace with tcc and with gcc), how big the outputs are, and how
# long each way of booting takes from QEMU's start to the kernel's banner.
# Each number is the best of BENCH_RUNS (default 3) samples; boots are of the
# minimal variant, which powers off at once. Prints a table and writes
# bench/results/bench-build-boot-TIMESTAMP.json. No number is asserted, but a
# failed build or boot gives no number and makes the script exit 1.
set -u
. "$(dirname "$0")/lib.sh"

size() { wc -c <"$1" | tr -d ' '; }

# A copy of the tree to build (the test variant: kernel, hello, the in-guest test
# programs), so touching a package does not touch the repository.
make_tree() {
    cp -r config.toml kernel include pkgs "$work/"
    mkdir -p "$work/tests/guest" && cp -r tests/guest/programs "$work/tests/guest/"
}

runs=${BENCH_RUNS:-3}   # samples per measure; the best (lowest) is shown
: >"$work/failures"

# failed WHAT: note a failure (the table is still printed; the script exits 1).
failed() { echo "$*" >>"$work/failures"; }

# build_time CC [ARGS...]: seconds for one build with userspace compiler CC, or
# nothing when the build failed (a failed build is not a time).
build_time() {
    cc=$1
    shift
    t0=$(now)
    if MKIMAGE_CACHE="$work/cache" $mkimage build -q -c "$work/config.toml" -V test -o "$work/img" \
        --set "packages.tests.cc=$cc" --set "packages.hello.cc=$cc" "$@" \
        >/dev/null 2>"$work/build.log"; then
        elapsed "$t0" "$(now)"
    else
        failed "build with $cc failed: $(tail -n 3 "$work/build.log" | tr '\n' ' ')"
    fi
}

clean_build() { rm -rf "$work/cache" "$work/img"; build_time "$1"; }
touch_one() { printf '\n/* touched */\n' >>"$work/tests/guest/programs/stdio.c"; }
touched_build() { touch_one; build_time "$1"; }

# banner_time ARGS...: seconds from starting QEMU to the banner on the serial port,
# booting the minimal variant (it powers off at once); nothing when the boot did
# not end with status 0.
banner_time() {
    t0=$(now) banner=
    {
        $mkimage run --no-build --headless --timeout 300 -c "$work/config.toml" -V minimal \
            -o "$work/minimal" "$@" 2>/dev/null
        echo "mkimage-status $?"
    } | while IFS= read -r line; do
        case $line in
        Anvil*) banner=$(elapsed "$t0" "$(now)") ;;
        "mkimage-status 0") echo "$banner" ;;
        mkimage-status*) failed "boot $* ended with status ${line#mkimage-status }" ;;
        esac
    done
}

# best_of COMMAND...: the lowest of $runs samples, or nothing when any failed.
best_of() {
    best= i=0
    while [ $i -lt "$runs" ]; do
        v=$("$@")
        [ -n "$v" ] || return 0
        best=$(awk -v a="$best" -v b="$v" 'BEGIN { print (a == "" || b + 0 < a + 0) ? b : a }')
        i=$((i + 1))
    done
    echo "$best"
}

make_tree
clean_tcc=$(best_of clean_build tcc)
noop=$(best_of build_time tcc)
one_tcc=$(best_of touched_build tcc)
clean_gcc=$(best_of clean_build gcc)
one_gcc=$(best_of touched_build gcc)
build_time tcc >/dev/null

MKIMAGE_CACHE="$work/cache" $mkimage build -q -c "$work/config.toml" -V minimal -o "$work/minimal" \
    >/dev/null 2>&1 || failed "the minimal variant does not build"
minimal=$(($(size "$work/minimal/anvil.elf") + $(size "$work/minimal/initfs.cpio")))
direct=$(best_of banner_time --boot direct)
iso_bios=$(best_of banner_time --boot iso --firmware bios)
iso_uefi=$(best_of banner_time --boot iso --firmware uefi)
disk_bios=$(best_of banner_time --boot disk --firmware bios)
disk_uefi=$(best_of banner_time --boot disk --firmware uefi)

row() { printf '%-44s %12s\n' "$1" "${2:-n/a}"; }
{
    row "measure" "value (best of $runs)"
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
    { value = $NF; $NF = ""; sub(/ +$/, ""); rows[++n] = sprintf("    \"%s\": %s", $0, value == "" || value == "n/a" ? "null" : value) }
    END { for (i = 1; i <= n; i++) printf "%s%s\n", rows[i], i < n ? "," : ""; print "  }\n}" }
' "$work/table" >"$result"
echo "wrote $result"
if [ -s "$work/failures" ]; then
    sed 's/^/build-and-boot.sh: /' "$work/failures" >&2
    exit 1
fi
