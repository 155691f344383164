#!/bin/sh
# bench/kernel.sh: the kernel micro-benchmarks (bench/programs/kbench.c) in Anvil and
# in Debian's Linux 6.1, both as PID 1 in the same QEMU (TCG, same machine and memory),
# side by side, plus the time from starting QEMU to PID 1 and the memory Anvil reports
# at boot. Prints a table and writes bench/results/bench-kernel-TIMESTAMP.json. No
# number is asserted, but a run that failed (a bad guest status, kbench reporting a
# failed measure, no Linux to compare with) makes the script exit 1.
set -u
. "$(dirname "$0")/lib.sh"

# name|label: the lines kbench prints, in the order of the table.
measures="null_syscall_ns|null syscall, getppid (ns)
fork_exec_wait_us|fork + exec + wait (us)
fork_wait_us|fork + wait (us)
pipe_round_trip_us|pipe round trip, 1 byte (us)
context_switch_ns|context switch (ns)
page_fault_ns|page fault, anonymous (ns)"

# ratio GUEST HOST: how many times slower the guest is, or nothing.
ratio() {
    [ -n "$1" ] && [ -n "$2" ] || return 0
    awk -v g="$1" -v h="$2" 'BEGIN { if (h != 0) printf "%.1f", g / h }'
}

# Linux with kbench as /init, its serial output stamped as it arrives.
run_linux() {
    : >"$work/linux.stamped"
    linux_kernel || return 1
    mkdir -p "$work/initramfs"
    build_static bench/programs/kbench.c "$work/initramfs/init" || return 1
    linux_start=$(now)
    boot_linux "$work/initramfs" -s | stamp >"$work/linux.stamped"
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

# Anvil's serial output, each line stamped with the host time it arrived, so the
# boot can be timed from the host side (from starting `mkimage run`).
run_guest() {
    : >"$work/guest.stamped"
    if ! anvil_build "$work/config.toml" "$work/out"; then
        echo null >"$work/guest.status"
        return 1
    fi
    t_start=$(now)
    {
        anvil_run "$work/config.toml" "$work/out"
        echo $? >"$work/guest.status"
    } | stamp >"$work/guest.stamped"
}

# first_seen FILE START PATTERN: seconds from START to FILE's first line matching.
first_seen() {
    t=$(awk -v p="$3" '{ line = $0; sub(/^[^ ]* /, "", line) } line ~ p { print $1; exit }' "$1")
    [ -n "$t" ] && elapsed "$2" "$t"
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
    row "measure" "Linux, QEMU TCG" "Anvil, QEMU TCG" "ratio"
    echo "$measures" | while IFS='|' read -r name label; do
        h=$(value "$work/linux.out" "$name")
        g=$(value "$work/guest.out" "$name")
        r=$(ratio "$g" "$h")
        row "$label" "$(or_na "$h")" "$(or_na "$g")" "$(or_na "$r")${r:+x}"
    done
    echo
    row "QEMU start to kernel banner (s)" "" "$(or_na "$banner")" ""
    row "QEMU start to PID 1's first line (s)" "$(or_na "$linux_boot")" "$(or_na "$boot")" ""
    row "memory total at boot (KiB)" "" "$(or_na "$mm_total")" ""
    row "memory free at boot (KiB)" "" "$(or_na "$mm_free")" ""
    row "memory used at boot (KiB)" "" "$(or_na "$mm_used")" ""
    row "guest exit status" "" "$(or_na "$status")" ""
    echo
    echo "Both ran kbench -s (a tenth of the iterations) as PID 1 in the same QEMU; the"
    echo "Linux is Debian's $linux_name. ratio = Anvil / Linux: above 1, Anvil is that"
    echo "many times slower. Under TCG absolute numbers say little; the ratio compares"
    echo "two kernels on the same emulated machine. Memory is as Anvil's mm: line says."
}

# measures_json FILE: kbench's numbers as JSON members.
measures_json() {
    echo "$measures" | while IFS='|' read -r name label; do
        printf '      "%s": %s,\n' "$name" "$(or_null "$(value "$1" "$name")")"
    done | sed '$ s/,$//'
}

ratios_json() {
    echo "$measures" | while IFS='|' read -r name label; do
        r=$(ratio "$(value "$work/guest.out" "$name")" "$(value "$work/linux.out" "$name")")
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
  "reference": "$linux_name, kbench as /init, same QEMU",
  "results": {
    "linux_qemu_tcg": {
$(measures_json "$work/linux.out")
    },
    "anvil_qemu_tcg": {
$(measures_json "$work/guest.out")
    },
    "ratio_anvil_over_linux": {
$(ratios_json)
    },
    "qemu_start_to_banner_s": $(or_null "$banner"),
    "qemu_start_to_pid1_s": $(or_null "$boot"),
    "linux_qemu_start_to_pid1_s": $(or_null "$linux_boot"),
    "memory_total_kib": $(or_null "$mm_total"),
    "memory_free_kib": $(or_null "$mm_free"),
    "memory_used_kib": $(or_null "$mm_used"),
    "guest_exit_status": $(or_null "$status")
  }
}
EOF
}

[ -x "$mkimage" ] || make mkimage >&2
failed=0
run_linux || failed=1
cut -d' ' -f2- "$work/linux.stamped" >"$work/linux.out"
linux_boot=$(first_seen "$work/linux.stamped" "${linux_start:-0}" '^kbench: start')
write_config
run_guest || failed=1
cut -d' ' -f2- "$work/guest.stamped" >"$work/guest.out"
banner=$(first_seen "$work/guest.stamped" "${t_start:-0}" '^Anvil')
boot=$(first_seen "$work/guest.stamped" "${t_start:-0}" '^kbench: start')
status=$(cat "$work/guest.status" 2>/dev/null)
read_memory
print_table
save_json kernel

# A number from a run that went wrong must not pass for a measurement.
if [ "$status" != 0 ]; then
    echo "kernel.sh: Anvil's run ended with status ${status:-none}, not 0" >&2
    failed=1
fi
for who in linux guest; do
    if ! grep -qx 'kbench: done' "$work/$who.out"; then
        echo "kernel.sh: kbench did not finish cleanly in $who:" >&2
        grep -E 'failed|kbench: done' "$work/$who.out" | sed 's/^/  /' >&2
        failed=1
    fi
done
exit $failed
