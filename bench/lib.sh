# bench/lib.sh: what every benchmark script shares: run from the top folder, a
# scratch folder removed at exit, the results folder, timing helpers, reading the
# "NAME VALUE UNIT" lines of bench/programs, and the two guests: Debian's Linux
# with a program as /init, and an Anvil image, both in the same QEMU machine.
cd "$(dirname "$0")/.." || exit 1
top=$(pwd)
mkimage="$top/mkimage"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p bench/results

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }

# stamp: each line of standard input behind the host time it arrived.
stamp() { while IFS= read -r line; do printf '%s %s\n' "$(now)" "$line"; done | tr -d '\r'; }

# value FILE NAME: the number on the line "NAME VALUE UNIT" in FILE, or nothing.
value() { awk -v n="$2" '$1 == n && $2 ~ /^-?[0-9.]+$/ { v = $2 } END { if (v != "") print v }' "$1"; }
# or_na VALUE: the value, or n/a when it is missing.
or_na() { if [ -n "$1" ]; then echo "$1"; else echo n/a; fi; }
# or_null VALUE: the value as JSON, null when it is missing.
or_null() { if [ -n "$1" ]; then echo "$1"; else echo null; fi; }

# best SIDE NAME: the best NAME of SIDE's kept runs ($work/SIDE.N.ok): the highest of
# a rate (a name ending in _mib_s or _per_s), the least of a time; nothing if none has it.
best() {
    for f in "$work/$1".*.ok; do
        [ -f "$f" ] && value "$f" "$2"
    done | awk -v n="$2" '
        NR == 1 || (n ~ /_(mib|per)_s$/ ? $1 > b : $1 < b) { b = $1 }
        END { if (NR) print b }'
}

# slower NAME ANVIL LINUX: how many times slower Anvil is (times divided, rates the
# other way up), or nothing when either is missing.
slower() {
    [ -n "$2" ] && [ -n "$3" ] || return 0
    awk -v n="$1" -v a="$2" -v l="$3" 'BEGIN {
        r = n ~ /_(mib|per)_s$/ ? (a > 0 ? l / a : 0) : (l > 0 ? a / l : 0)
        if (r > 0) printf "%.2f", r }'
}

# said RATIO: the ratio as a reader takes it: "3.20x slower", "1.50x faster", n/a.
said() {
    [ -n "$1" ] || { echo n/a; return; }
    awk -v r="$1" 'BEGIN { if (r >= 1) printf "%.2fx slower", r; else printf "%.2fx faster", 1 / r }'
}

# each_measure FN GET [SIDE...]: for each of the script's $measures ("name|label"
# lines) FN NAME LABEL LINUX ANVIL [SIDE's...], each number from GET SIDE NAME
# (empty when the side has none).
each_measure() {
    fn=$1
    get=$2
    shift 2
    sides="$*"
    echo "$measures" | while IFS='|' read -r name label; do
        set -- "$name" "$label" "$($get linux "$name")" "$($get anvil "$name")"
        for side in $sides; do set -- "$@" "$($get "$side" "$name")"; done
        "$fn" "$@"
    done
}

# compare_rows GET [SIDE...]: a line of the script's row function for each measure:
# its label, each SIDE's number, Linux's, Anvil's, and Anvil against Linux in words.
compare_rows() { each_measure compared_row "$@"; }
compared_row() {
    name=$1 label=$2 l=$3 a=$4
    shift 4
    extra=
    for x in "$@"; do extra="$extra $(or_na "$x")"; done
    # shellcheck disable=SC2086 # each number one word
    row "$label" $extra "$(or_na "$l")" "$(or_na "$a")" "$(said "$(slower "$name" "$a" "$l")")"
}

# compare_json GET [SIDE...]: the same as JSON members, one a line, null for a missing
# number: "NAME": {"SIDE": ..., "linux_qemu_tcg": ..., "anvil_qemu_tcg": ...,
# "anvil_slower_than_linux": ...}.
compare_json() { each_measure compared_json "$@" | sed '$ s/,$//'; }
compared_json() {
    name=$1 l=$3 a=$4
    shift 4
    printf '    "%s": {' "$name"
    for side in $sides; do
        printf '"%s": %s, ' "$side" "$(or_null "$1")"
        shift
    done
    printf '"linux_qemu_tcg": %s, "anvil_qemu_tcg": %s, "anvil_slower_than_linux": %s},\n' \
        "$(or_null "$l")" "$(or_null "$a")" "$(or_null "$(slower "$name" "$a" "$l")")"
}

# save_json NAME: the script's write_json as bench/results/bench-NAME-TIMESTAMP.json;
# stamp, the time in UTC, is set for write_json to show.
save_json() {
    stamp=$(date -u +%Y%m%dT%H%M%SZ)
    result="bench/results/bench-$1-$stamp.json"
    write_json >"$result" && echo "wrote $result"
}

# build_static SRC OUT: SRC as one static musl program with the project's warnings
# as errors, as it runs on the host and as a Linux guest's /init.
build_static() {
    musl-gcc -static -O2 -Wall -Wextra -Werror "$1" -o "$2" 2>"$work/build-static.log" && return 0
    echo "$(basename "$1"): does not build:" >&2
    cat "$work/build-static.log" >&2
    return 1
}

# The machine both guests get, so that their numbers compare: TCG (KVM is not
# dependable here), one CPU, the pc machine and mkimage run's default memory; and the
# seconds a guest's run may take before it is stopped (a script may set less).
qemu_mem=256M
run_limit=600

# The reference kernel: Debian's Linux (the package linux-image-amd64 points at),
# downloaded once into a cache under out/ and unpacked there. Sets vmlinuz and
# linux_name.
linux_cache="$top/out/bench-cache/linux"
linux_name=Linux
linux_kernel() {
    vmlinuz=$(ls "$linux_cache"/x/boot/vmlinuz-* 2>/dev/null | head -n 1)
    if [ -z "$vmlinuz" ]; then
        linux_download || return 1
        vmlinuz=$(ls "$linux_cache"/x/boot/vmlinuz-* 2>/dev/null | head -n 1)
        [ -n "$vmlinuz" ] || return 1
    fi
    linux_name=$(basename "$vmlinuz" | sed 's/^vmlinuz-/Linux /')
}

# linux_download: the unsigned image package into the cache, unpacked (no root needed).
linux_download() {
    name=$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/ { print $2; exit }')
    [ -n "$name" ] || { echo "$(basename "$0"): apt-cache knows no linux-image-amd64" >&2; return 1; }
    mkdir -p "$linux_cache" &&
        (cd "$linux_cache" && apt-get download "$name-unsigned" >/dev/null 2>&1) &&
        dpkg -x "$(ls "$linux_cache"/"$name"-unsigned_*.deb | head -n 1)" "$linux_cache/x" ||
        { echo "$(basename "$0"): cannot download or unpack $name-unsigned" >&2; return 1; }
}

# boot_linux FOLDER ARGS [QEMU-ARGS...]: Linux (linux_kernel first) with FOLDER as
# its initramfs (cpio newc), FOLDER/init a static program run with ARGS, QEMU-ARGS
# (a disk) added; its console on stdout, without the serial line's carriage returns.
# Linux's own /dev/console comes from its built-in initramfs. When /init exits Linux
# panics, and -no-reboot ends QEMU.
boot_linux() {
    (cd "$1" && find . -mindepth 1 | sed 's|^\./||' | cpio -o -H newc --quiet) >"$work/initramfs.cpio" ||
        return 1
    args=$2
    shift 2
    timeout "$run_limit" qemu-system-x86_64 -machine pc -accel tcg -smp 1 -m "$qemu_mem" \
        -kernel "$vmlinuz" -initrd "$work/initramfs.cpio" \
        -append "console=ttyS0 quiet panic=-1 -- $args" -display none -serial stdio -monitor none \
        -nic none -no-reboot "$@" </dev/null 2>&1 | tr -d '\r'
}

# linux_modules DIR MODULE...: each MODULE.ko of the cached Linux into DIR/modules,
# numbered in the order given (each after what it depends on: modinfo's depends=), as
# bench/programs/linux_init.h loads them.
linux_modules() {
    kdir=$(ls -d "$linux_cache"/x/lib/modules/*/kernel | head -n 1)
    dir=$1
    shift
    mkdir -p "$dir/modules" || return 1
    i=10
    for m in "$@"; do
        f=$(find "$kdir" -name "$m.ko" | head -n 1)
        [ -n "$f" ] || { echo "$(basename "$0"): no $m.ko in $kdir" >&2; return 1; }
        cp "$f" "$dir/modules/$i-$m.ko" || return 1
        i=$((i + 1))
    done
}

# linux_init_status FILE: the status boot_linux's /init exited with, from the panic
# Linux gives when PID 1 exits (its exitcode is a wait status), or nothing.
linux_init_status() {
    code=$(sed -n 's/.*Attempted to kill init! exitcode=0x\([0-9a-f]*\).*/\1/p' "$1" | head -n 1)
    [ -n "$code" ] || return 0
    code=$((0x$code))
    if [ $((code & 127)) -ne 0 ]; then
        echo $((128 + (code & 127)))
    else
        echo $(((code >> 8) & 255))
    fi
}

# anvil_build CONFIG OUTDIR: the image of CONFIG, with a build cache of this run's own.
anvil_build() {
    MKIMAGE_CACHE="$work/cache" "$mkimage" build -q -c "$1" -o "$2" >/dev/null 2>"$work/build.log" &&
        return 0
    echo "$(basename "$0"): the image does not build:" >&2
    cat "$work/build.log" >&2
    return 1
}

# anvil_run CONFIG OUTDIR [RUN-ARGS...]: boots the built image in the machine Linux
# gets, RUN-ARGS added to mkimage run's (a variant, --net); its console on stdout; the
# status is the one the guest powered off with (124: timeout).
anvil_run() {
    config=$1
    outdir=$2
    shift 2
    "$mkimage" run --no-build --headless -c "$config" -o "$outdir" --boot direct \
        --timeout "$run_limit" --machine pc --smp 1 --mem "$qemu_mem" "$@" -- -accel tcg 2>&1
}
