#!/bin/sh
# tests/guest/boot.t: the kernel boots every way (direct, GRUB from the ISO under
# SeaBIOS and under OVMF), reports what it was given, and powers off with a
# status; compiled-out features are absent; it stays up with its serial monitor,
# which answers typed commands; QEMU's machine options reach it.
. "$(dirname "$0")/../tap.sh"
cd "$top" || exit 1

# The minimal variant (serial console and the kernel's monitor) powers off with
# 0 once booted: a status only the kernel can give.
out="$scratch/minimal"
"$mkimage" build -q -V minimal -o "$out" >/dev/null 2>"$scratch/err"
ok $? "build the minimal variant"
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
    like "$log" "^Anvil [0-9]+\.[0-9]+\.[0-9]+ x86_64 features: serial monitor\$" "$1: banner with version and features"
    like "$log" "^module: initfs $initfs_size bytes at 0x" "$1: found the initfs module and its size"
    like "$log" "^memory: [0-9]+ MiB usable" "$1: read the memory map"
    like "$log" "^poweroff: status 0" "$1: powers off with status 0"
}

boot direct 60 -V minimal -o "$out" --boot direct
is $? 0 "direct boot: mkimage run returns the guest's status 0"
check_banner direct
like "$scratch/direct.log" '^boot: pvh cmdline "on_exit=poweroff[ "]' "direct: PVH entry with the command line"

boot bios 120 -V minimal -o "$out" --firmware bios
is $? 0 "BIOS ISO boot returns 0"
check_banner bios
like "$scratch/bios.log" '^boot: multiboot2 cmdline "on_exit=poweroff[ "]' "bios: GRUB multiboot2 entry"
like "$scratch/bios.log" '^framebuffer: [0-9]+x[0-9]+x32 at 0x' "bios: GRUB gave a framebuffer"

boot uefi 300 -V minimal -o "$out" --firmware uefi
is $? 0 "UEFI ISO boot returns 0"
check_banner uefi
like "$scratch/uefi.log" '^boot: multiboot2 cmdline' "uefi: GRUB multiboot2 entry"
like "$scratch/uefi.log" '^framebuffer: [0-9]+x[0-9]+x32 at 0x' "uefi: GOP framebuffer"

# A feature that is off is not compiled in: fbcon's code is in the default
# variant's kernel and not in minimal's.
"$mkimage" build -q -o "$scratch/default" >/dev/null 2>"$scratch/err"
ok $? "build the default variant"
nm "$scratch/default/anvil.elf" >"$scratch/default.nm" 2>&1
nm "$out/anvil.elf" >"$scratch/minimal.nm" 2>&1
like "$scratch/default.nm" " T fbcon_putc\$" "default: the kernel has fbcon's code"

# The default variant under UEFI: once its shell prompts, `exit 3` powers off with 3.
converse "$scratch/default.raw" "^[^ ]* ?[#$] " "exit 3" |
    "$mkimage" run --no-build -o "$scratch/default" --firmware uefi --timeout 300 \
        >"$scratch/default.raw" 2>&1
is $? 3 "default: boots under UEFI to its shell, whose exit 3 powers off with 3"
like "$scratch/minimal.nm" " T kmain\$" "minimal: the kernel's symbols can be read"
unlike "$scratch/minimal.nm" " fbcon_" "minimal: fbcon is not compiled in"

# The status path: a chosen status, a panic.
"$mkimage" build -q -V minimal --set kernel.cmdline=test=exit:7 -o "$scratch/exit7" >/dev/null 2>&1
boot exit7 60 -V minimal --set kernel.cmdline=test=exit:7 -o "$scratch/exit7" --boot direct
is $? 7 "a guest status of 7 comes back as mkimage's exit status"

"$mkimage" build -q -V minimal --set kernel.cmdline=test=panic -o "$scratch/panic" >/dev/null 2>&1
boot panic 60 -V minimal --set kernel.cmdline=test=panic -o "$scratch/panic" --boot direct
is $? 100 "a kernel panic powers off with status 100"
like "$scratch/panic.log" "^panic: " "the panic prints its reason"
like "$scratch/panic.log" "^  rip [0-9a-f]{16}  cs [0-9a-f]{4}  rflags [0-9a-f]{16}\$" "and the register dump"
like "$scratch/panic.log" "^  (cr2 [0-9a-f]{16}  )?cr3 [0-9a-f]{16}\$" "with the control registers"

# Staying up: the banner, then the monitor's prompt, until the timeout (124);
# meanwhile the machine's options are checked: two CPUs, 512 MiB, a network
# card whose forwarded host port accepts connections.
stay="-V minimal --set init.on_exit=stay"
"$mkimage" build -q $stay -o "$scratch/stay" >/dev/null 2>&1
port=$((20000 + $$ % 20000))
boot stay 20 $stay -o "$scratch/stay" --boot direct --smp 2 --mem 512M --net \
    --forward "tcp:$port:7" &
run=$!
wait_for "$scratch/stay.raw" "anvil> " 1 20
perl -MIO::Socket::INET -e 'exit(IO::Socket::INET->new("127.0.0.1:$ARGV[0]") ? 0 : 1)' "$port"
ok $? "--forward: the host port is forwarded into the guest"
wait $run
is $? 124 "a guest that stays up is stopped at the timeout with 124"
like "$scratch/stay.log" "^Anvil [0-9.]+ x86_64 features: serial monitor\$" "stay: the banner"
like "$scratch/stay.log" "^anvil> " "stay: the monitor's prompt"
like "$scratch/stay.log" "^boot: pvh cmdline \"on_exit=stay[ \"]" "stay: the kernel was told to stay"
like "$scratch/stay.log" "^apic: .* 2 cpus\$" "--smp 2: the kernel finds two CPUs"
like "$scratch/stay.log" "^memory: 5[01][0-9] MiB usable" "--mem 512M: the kernel finds 512 MiB"
like "$scratch/stay.log" "-device virtio-net-pci,netdev=net0" "--net: QEMU has a network card"

# The monitor, typed at as a person would: each command once the prompt is back.
monitor() {
    name=$1
    shift
    converse "$scratch/$name.raw" "anvil> " "$@" |
        "$mkimage" run --no-build $stay -o "$scratch/stay" --boot direct --timeout 120 \
            >"$scratch/$name.raw" 2>&1
    st=$?
    tr -d '\r' <"$scratch/$name.raw" >"$scratch/$name.log"
    return $st
}
monitor typed help mem bogus "poweroff 300" "poweroff 42"
is $? 42 "monitor: poweroff 42 powers off with status 42"
like "$scratch/typed.log" "^  poweroff \[STATUS\] +power off with STATUS" "monitor: help lists the commands"
like "$scratch/typed.log" "^  [0-9a-f]{16}-[0-9a-f]{16} +[0-9]+ KiB usable" "monitor: mem prints the memory map"
like "$scratch/typed.log" "^unknown command 'bogus' \(try help\)" "monitor: an unknown command is named"
like "$scratch/typed.log" "^poweroff: status must be a number from 0 to 126" "monitor: a status out of range is refused"
monitor mpanic panic
is $? 100 "monitor: panic powers off with the panic status 100"
like "$scratch/mpanic.log" "^  rip [0-9a-f]{16}  cs " "monitor: with the register dump"

done_testing
