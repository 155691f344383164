#!/bin/sh
# tests/guest/kernel.t: the kernel runs ordinary static musl programs: the test
# variant boots, runs tests/guest/programs/all (every program, TAP) as its one
# program, and powers off with its status: direct, under BIOS and under UEFI.
. "$(dirname "$0")/../tap.sh"
cd "$top" || exit 1

# every program of all.c's list, so a failure names its program
programs="stdio malloc threads fork_exec spawn pipe signals preempt sleep efault enosys fuzz userend
procfs jobctl tty pty locks rlimits posixshm futexes sysvipc protnone randomness leaks exhaust futexfork
manyrefs vforkreap sendfile sockets"
out="$scratch/test"
"$mkimage" build -q -V test -o "$out" >/dev/null 2>"$scratch/build.log"
ok $? "build the test variant"
cpio -it <"$out/initfs.cpio" 2>/dev/null >"$scratch/list"
like "$scratch/list" "^bin/tests/all\$" "the runner is in the initfs"

# Under each firmware the kernel meets a different memory map, boot path and
# timers: those programs run again there (the whole list once, direct, keeps
# the suite's time down).
firmware_programs="stdio malloc threads fork_exec signals preempt sleep randomness exhaust userend leaks"

# (an ISO's boot line is built in: that list gets an image of its own)
fw="$scratch/firmware"
"$mkimage" build -q -V test --set "init.run=/bin/tests/all $firmware_programs" -o "$fw" \
    >/dev/null 2>>"$scratch/build.log"
ok $? "build the test variant for the firmware runs"

# suite NAME OUT PROGRAMS MKIMAGE-RUN-ARGS...: boot the image in OUT, which runs
# PROGRAMS, and check each one passed.
suite() {
    name=$1
    dir=$2
    list=$3
    shift 3
    "$mkimage" run --no-build --headless -V test -o "$dir" --timeout 900 "$@" \
        >"$scratch/$name.raw" 2>&1
    st=$?
    tr -d '\r' <"$scratch/$name.raw" >"$scratch/$name.log"
    is $st 0 "$name: the suite passes and powers off with status 0"
    for p in $list; do
        like "$scratch/$name.log" "^ok [0-9]+ - $p\$" "$name: $p"
    done
    like "$scratch/$name.log" "^ok [0-9]+ - no memory lost over the run" "$name: the kernel's free memory is back after the run"
    like "$scratch/$name.log" "^init: exited with status 0" "$name: the kernel saw the program exit 0"
}

suite direct "$out" "$programs" --boot direct
like "$scratch/direct.log" "^pid [0-9]+ \(signals\): page fault \(#PF\) at rip 0x[0-9a-f]+, address 0x0 .*killed by signal 11" \
    "a user fault is logged in one line naming the process, the fault and the address"
like "$scratch/direct.log" "^syscall: 1000 not implemented \(pid [0-9]+ enosys\)" "an unknown call is logged"
suite bios "$fw" "$firmware_programs" --boot iso --firmware bios
suite uefi "$fw" "$firmware_programs" --boot iso --firmware uefi

# syscall-trace: off by default, and when on, every call is logged strace-style.
unlike "$scratch/direct.log" "^\[[0-9]+\] [a-z_0-9]+\(" "without syscall-trace no call is traced"
"$mkimage" build -q -V minimal --set 'kernel.features=["serial","syscall-trace"]' --set 'init.run=/bin/hello a 5' \
    -o "$scratch/trace" >/dev/null 2>&1
"$mkimage" run --no-build --headless -V minimal --set 'kernel.features=["serial","syscall-trace"]' \
    --set 'init.run=/bin/hello a 5' -o "$scratch/trace" --boot direct --timeout 120 \
    >"$scratch/trace.raw" 2>&1
is $? 5 "a program's exit status (5) is the machine's power-off status"
tr -d '\r' <"$scratch/trace.raw" >"$scratch/trace.log"
like "$scratch/trace.log" "^\[[0-9]+\] writev\(0x1, 0x[0-9a-f]+, 0x2" "syscall-trace logs a call with its arguments"
like "$scratch/trace.log" "^\[[0-9]+\] writev = [0-9]+" "and its result"
like "$scratch/trace.log" "^\[[0-9]+\] exit_group\(0x5" "up to exit_group"
like "$scratch/trace.log" "^  argv\[2\] = 5" "the program got its arguments"

# The console: PID 1's standard input is the serial port (typed, not --headless):
# the line is typed once the program asks for it. With a pipe for input, QEMU's
# own exit 0 (a reset) is no status, so 0 here is the guest's.
converse "$scratch/line.raw" "^echo_line: type a line" "hello anvil" |
    "$mkimage" run --no-build -V test --set init.run=/bin/tests/echo_line -o "$out" --boot direct \
        --timeout 120 >"$scratch/line.raw" 2>&1
is $? 0 "a program reads a line typed on the serial console"
tr -d '\r' <"$scratch/line.raw" >"$scratch/line.log"
like "$scratch/line.log" "^echo_line: got 'hello anvil'\$" "and gets exactly what was typed"
like "$scratch/line.log" "^poweroff: status 0" "and the kernel powered off with its status"

# A second is a second: the host times a guest's sleep of 4 s with its own clock
# (a miscalibrated timer fails here; the guest's clocks cannot tell).
"$mkimage" run --no-build --headless -V test --set "init.run=/bin/tests/sleep -n 4" -o "$out" \
    --boot direct --timeout 120 2>&1 | while IFS= read -r line; do
    printf '%s %s\n' "$(date +%s.%N)" "$line"
done | tr -d '\r' >"$scratch/nap.log"
t0=$(awk '$2 == "sleep:" && $3 == "start" { print $1; exit }' "$scratch/nap.log")
t1=$(awk '$2 == "sleep:" && $3 == "done" { print $1; exit }' "$scratch/nap.log")
took=$(awk -v a="${t0:-0}" -v b="${t1:-0}" 'BEGIN { printf "%.2f", b - a }')
awk -v t="$took" 'BEGIN { exit !(t >= 3.9 && t <= 7.5) }'
ok $? "a guest sleep of 4 s lasts 4 s on the host's clock (3.9 to 7.5 s; took $took s)"

done_testing
