#!/bin/sh
# bench/kernel.sh: the kernel micro-benchmarks (bench/programs/kbench.c) on the host's
# Linux and in Anvil under QEMU side by side, plus the time from `mkimage run` to PID 1
# and the memory the kernel reports at boot. Prints a table and writes
# bench/results/bench-kernel-TIMESTAMP.json. Numbers only: nothing here is asserted.
set -u
. "$(dirname "$0")/lib.sh"

# name|label: the lines kbench prints, in the order of the table.
measures="null_syscall_ns|null syscall, getppid (ns)
fork_exec_wait_us|fork + exec + wait (us)
fork_wait_us|fork + wait (us)
pipe_round_trip_us|pipe round trip, 1 byte (us)
context_switch_ns|context switch (ns)
page_fault_ns|page fault, anonymous (ns)"

# or_na VALUE: the value, or n/a when it is missing.
or_na() { if [ -n "$1" ]; then echo "$1"; else echo n/a; fi; }
# or_null VALUE: the value as JSON, null when it is missing.
or_null() { if [ -n "$1" ]; then echo "$1"; else echo null; fi; }

# value FILE NAME: the number on kbench's line NAME in FILE, or nothing.
value() { awk -v n="$2" '$1 == n && $2 ~ /^-?[0-9.]+$/ { v = $2 } END { if (v != "") print v }' "$1"; }

# ratio GUEST HOST: how many times slower the guest is, or nothing.
ratio() {
    [ -n "$1" ] && [ -n "$2" ] || return 0
    awk -v g="$1" -v h="$2" 'BEGIN { if (h != 0) printf "%.1f", g / h }'
}

# The same iterations in both places: -s, which the guest needs under emulation.
run_host() {
    if musl-gcc -static -O2 -Wall -Wextra -Werror bench/programs/kbench.c -o "$work/kbench" \
        2>"$work/host-build.log"; then
        "$work/kbench" -s >"$work/host.out" 2>&1
    else
        echo "kbench: host build failed:" >&2
        cat "$work/host-build.log" >&2
        : >"$work/host.out"
    fi
}

# A minimal image: serial console only, kbench as the one program, power off after.
write_config() {
    cat >"$work/config.toml" <<EOF
# Written by bench/kernel.sh: kbench as PID 1, then power off with its status.
[kernel]
features = ["serial"]

[init]
run = "/bin/kbench -s"
on_exit = "poweroff"

[packages.bench]
source = "$top/bench/programs"
install = "/bin"
each = true
cc = "gcc"
EOF
}

# The guest's serial output, each line stamped with the host time it arrived, so
# the boot can be timed from the host side (from starting `mkimage run`).
run_guest() {
    MKIMAGE_CACHE="$work/cache" "$mkimage" build -q -c "$work/config.toml" -o "$work/out" \
        >/dev/null 2>"$work/build.log" || { echo "image build failed:" >&2; cat "$work/build.log" >&2; }
    t_start=$(now)
    {
        "$mkimage" run --no-build -c "$work/config.toml" -o "$work/out" --boot direct \
            --headless --timeout 600 2>&1
        echo $? >"$work/guest.status"
    } | while IFS= read -r line; do
        printf '%s %s\n' "$(now)" "$line"
    done | tr -d '\r' >"$work/guest.stamped"
    cut -d' ' -f2- "$work/guest.stamped" >"$work/guest.out"
}

# first_seen PATTERN: seconds from starting `mkimage run` to the first line matching.
first_seen() {
    t=$(awk -v p="$1" '{ line = $0; sub(/^[^ ]* /, "", line) } line ~ p { print $1; exit }' \
        "$work/guest.stamped")
    [ -n "$t" ] && elapsed "$t_start" "$t"
}

# The kernel's boot line: "mm: FREE of TOTAL KiB free; ...".
read_memory() {
    mm=$(grep -m1 '^mm: [0-9]* of [0-9]* KiB free' "$work/guest.out")
    mm_free=$(echo "$mm" | awk '{ print $2 }')
    mm_total=$(echo "$mm" | awk '{ print $4 }')
    mm_used=
    [ -n "$mm_free" ] && [ -n "$mm_total" ] && mm_used=$((mm_total - mm_free))
}

row() { printf '%-38s %12s %18s %7s\n' "$1" "$2" "$3" "$4" | sed 's/ *$//'; }

print_table() {
    row "measure" "host Linux" "Anvil, QEMU TCG" "ratio"
    echo "$measures" | while IFS='|' read -r name label; do
        h=$(value "$work/host.out" "$name")
        g=$(value "$work/guest.out" "$name")
        r=$(ratio "$g" "$h")
        row "$label" "$(or_na "$h")" "$(or_na "$g")" "$(or_na "$r")${r:+x}"
    done
    echo
    row "mkimage run to kernel banner (s)" "" "$(or_na "$banner")" ""
    row "mkimage run to PID 1's first line (s)" "" "$(or_na "$boot")" ""
    row "memory total at boot (KiB)" "" "$(or_na "$mm_total")" ""
    row "memory free at boot (KiB)" "" "$(or_na "$mm_free")" ""
    row "memory used at boot (KiB)" "" "$(or_na "$mm_used")" ""
    row "guest exit status" "" "$(or_na "$status")" ""
    echo
    echo "Both ran kbench -s (a tenth of the iterations). ratio = Anvil / host: above 1,"
    echo "Anvil is that many times slower. QEMU's TCG emulates every guest instruction, so"
    echo "Anvil's absolute numbers say little on their own: read the ratio. Memory is as"
    echo "the kernel's mm: line reports it, once its frame allocator is up."
}

# measures_json FILE: kbench's numbers as JSON members.
measures_json() {
    echo "$measures" | while IFS='|' read -r name label; do
        printf '      "%s": %s,\n' "$name" "$(or_null "$(value "$1" "$name")")"
    done | sed '$ s/,$//'
}

ratios_json() {
    echo "$measures" | while IFS='|' read -r name label; do
        r=$(ratio "$(value "$work/guest.out" "$name")" "$(value "$work/host.out" "$name")")
        printf '      "%s": %s,\n' "$name" "$(or_null "$r")"
    done | sed '$ s/,$//'
}

write_json() {
    cat <<EOF
{
  "date": "$stamp",
  "cores": $(nproc),
  "iterations": "kbench -s (a tenth)",
  "guest": "Anvil, mkimage run --boot direct, QEMU TCG",
  "results": {
    "host_linux": {
$(measures_json "$work/host.out")
    },
    "anvil_qemu_tcg": {
$(measures_json "$work/guest.out")
    },
    "ratio_anvil_over_host": {
$(ratios_json)
    },
    "mkimage_run_to_banner_s": $(or_null "$banner"),
    "mkimage_run_to_pid1_s": $(or_null "$boot"),
    "memory_total_kib": $(or_null "$mm_total"),
    "memory_free_kib": $(or_null "$mm_free"),
    "memory_used_kib": $(or_null "$mm_used"),
    "guest_exit_status": $(or_null "$status")
  }
}
EOF
}

[ -x "$mkimage" ] || make mkimage >&2
run_host
write_config
run_guest
banner=$(first_seen '^Anvil')
boot=$(first_seen '^kbench: start')
status=$(cat "$work/guest.status" 2>/dev/null)
read_memory
print_table
stamp=$(date -u +%Y%m%dT%H%M%SZ)
result="bench/results/bench-kernel-$stamp.json"
write_json >"$result"
echo "wrote $result"
exit 0
