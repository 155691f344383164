#!/bin/sh
# tests/guest/clock.t: the kernel's time source. Booted plainly on pc and q35
# (QEMU's CPUs have no CPUID leaf 0x15, so a reference counter is measured), the
# boot line names the source; then clock= forces the PM timer, the HPET and the
# PIT in turn, and each time the host times a guest sleep of 4 s with its own
# clock (a miscalibrated source fails there, whatever the guest's clocks say).
. "$(dirname "$0")/../tap.sh"
cd "$top" || exit 1

tests='packages.tests={ source = "tests/guest/programs", install = "/bin/tests", each = true, cc = "gcc" }'
nap='init.run=/bin/tests/sleep -n 4'
out="$scratch/clock"
"$mkimage" build -q -V minimal --set "$tests" --set "$nap" -o "$out" >/dev/null 2>"$scratch/err"
ok $? "build the minimal variant with the sleep program"

# nap NAME CLOCK ARGS...: boot with clock=CLOCK, each line stamped with the host's time.
nap() {
    name=$1 clock=$2
    shift 2
    "$mkimage" run --no-build --headless -V minimal --set "$tests" --set "$nap" \
        --set "kernel.cmdline=clock=$clock" -o "$out" --boot direct --timeout 120 "$@" 2>&1 |
        while IFS= read -r line; do
            printf '%s %s\n' "$(date +%s.%N)" "$line"
        done | tr -d '\r' >"$scratch/$name.log"
}

# took NAME: seconds between the sleep's two lines, on the host's clock.
took() {
    awk '$2 == "sleep:" && $3 == "start" { t0 = $1 } $2 == "sleep:" && $3 == "done" { t1 = $1 }
         END { printf "%.2f", (t0 && t1) ? t1 - t0 : 0 }' "$scratch/$1.log"
}

# The default order on both machines: no leaf 0x15 under TCG, so the PM timer.
for machine in pc q35; do
    nap "$machine" "" --machine "$machine"
    like "$scratch/$machine.log" "timer: source (cpuid|pmtimer|hpet), tsc [0-9]+ kHz, lapic [0-9]+ kHz \([a-z]+\), tick [0-9]+ Hz\$" \
        "$machine: the boot line names the source, not the PIT"
    like "$scratch/$machine.log" "apic: from the madt, 8259s masked, " "$machine: the MADT says there are 8259s"
done

for clock in pmtimer hpet pit; do
    nap "$clock" "$clock"
    like "$scratch/$clock.log" "timer: source $clock, tsc [1-9][0-9]{5,} kHz, lapic [1-9][0-9]* kHz \($clock\), tick" \
        "clock=$clock: measured against the $clock"
    t=$(took "$clock")
    awk -v t="$t" 'BEGIN { exit !(t >= 3.9 && t <= 7.5) }'
    ok $? "clock=$clock: a guest sleep of 4 s lasts 4 s on the host's clock (3.9 to 7.5 s; took $t s)"
done

# Without a PIT and an HPET (a clock-gated 8254), clock=pit falls back to the PM timer.
nap nopit pit --machine q35 -- -machine q35,pit=off,hpet=off
like "$scratch/nopit.log" "timer: clock=pit is not available here; trying the others\$" "no PIT: clock=pit says so"
like "$scratch/nopit.log" "timer: source pmtimer," "and the PM timer is used"

done_testing
