#!/bin/sh
# tests/guest/boot.t: the kernel boots every way (direct, GRUB from the ISO under
# SeaBIOS and under OVMF), reports what it was given, and powers off with a status.
. "$(dirname "$0")/../tap.sh"
cd "$top" || exit 1

out="$scratch/default"
"$mkimage" build -q -o "$out" >/dev/null 2>"$scratch/err"
ok $? "build the default image"
initfs_size=$(wc -c <"$out/initfs.cpio" | tr -d ' ')

# boot NAME TIMEOUT ARGS...: run headless, keep the console in $scratch/NAME.log.
boot() {
    name=$1 limit=$2
    shift 2
    "$mkimage" run --no-build --headless --timeout "$limit" "$@" \
        >"$scratch/$name.raw" 2>&1
    st=$?
    tr -d '\r' <"$scratch/$name.raw" >"$scratch/$name.log"
    return $st
}

check_banner() {
    log="$scratch/$1.log"
    like "$log" "^Anvil [0-9]+\.[0-9]+\.[0-9]+ x86_64 features: serial fbcon" "$1: banner with version and features"
    like "$log" "^module: initfs $initfs_size bytes at 0x" "$1: found the initfs module and its size"
    like "$log" "^memory: [0-9]+ MiB usable" "$1: read the memory map"
    like "$log" "^poweroff: status 0" "$1: powers off with status 0"
}

boot direct 60 -o "$out" --boot direct
is $? 0 "direct boot: mkimage run returns the guest's status 0"
check_banner direct
like "$scratch/direct.log" '^boot: pvh cmdline "on_exit=poweroff"' "direct: PVH entry with the command line"

boot bios 120 -o "$out" --firmware bios
is $? 0 "BIOS ISO boot returns 0"
check_banner bios
like "$scratch/bios.log" '^boot: multiboot2 cmdline "on_exit=poweroff"' "bios: GRUB multiboot2 entry"
like "$scratch/bios.log" '^framebuffer: [0-9]+x[0-9]+x32 at 0x' "bios: GRUB gave a framebuffer"

boot uefi 300 -o "$out" --firmware uefi
is $? 0 "UEFI ISO boot returns 0"
check_banner uefi
like "$scratch/uefi.log" '^boot: multiboot2 cmdline' "uefi: GRUB multiboot2 entry"
like "$scratch/uefi.log" '^framebuffer: [0-9]+x[0-9]+x32 at 0x' "uefi: GOP framebuffer"

# A variant with a feature off: the banner shows it absent.
"$mkimage" build -q -V minimal -o "$scratch/minimal" >/dev/null 2>&1
boot minimal 60 -V minimal -o "$scratch/minimal" --boot direct
is $? 0 "the minimal variant boots"
like "$scratch/minimal.log" "^Anvil .* features: serial\$" "minimal: banner lists only serial"
unlike "$scratch/minimal.log" "fbcon" "minimal: fbcon is not compiled in"

# The status path: a chosen status, a panic, and a guest that never powers off.
"$mkimage" build -q --set kernel.cmdline=test=exit:7 -o "$scratch/exit7" >/dev/null 2>&1
boot exit7 60 --set kernel.cmdline=test=exit:7 -o "$scratch/exit7" --boot direct
is $? 7 "a guest status of 7 comes back as mkimage's exit status"

"$mkimage" build -q --set kernel.cmdline=test=panic -o "$scratch/panic" >/dev/null 2>&1
boot panic 60 --set kernel.cmdline=test=panic -o "$scratch/panic" --boot direct
is $? 100 "a kernel panic powers off with status 100"
like "$scratch/panic.log" "^panic: " "the panic prints its reason"
like "$scratch/panic.log" "rip" "and the registers"

"$mkimage" build -q --set init.on_exit=stay -o "$scratch/stay" >/dev/null 2>&1
boot stay 5 --set init.on_exit=stay -o "$scratch/stay" --boot direct
is $? 124 "a guest that stays up is stopped at the timeout with 124"

done_testing
