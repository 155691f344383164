#!/bin/sh
# tests/guest/busybox.t: a program nobody here wrote runs on Anvil: BusyBox,
# built by pkgs/busybox from Debian's source package with musl, as PID 1's shell
# (the shell variant), driven by typing on the serial console, booted under UEFI.
. "$(dirname "$0")/../tap.sh"
cd "$top" || exit 1

out="$scratch/shell"
"$mkimage" build -q -V shell -o "$out" >/dev/null 2>"$scratch/build.log"
st=$?
ok $st "build the shell variant (BusyBox from Debian's source, with musl)"
[ $st -eq 0 ] || sed 's/^/# /' "$scratch/build.log" | tail -20
cpio -it <"$out/initfs.cpio" 2>/dev/null | grep -qx bin/busybox
ok $? "/bin/busybox is in the initfs"

# Typed as a person at the serial console would: each line once the shell's
# prompt is back. Booted from the ISO under UEFI, so this variant is also
# checked through GRUB and OVMF.
converse "$scratch/run.raw" "^[^ ]* ?[#$] " 'echo sum=$((6*7))' 'cat /etc/motd' 'ls /bin' 'seq 5 | wc -l' \
    'printf "%s\n" b a c | sort | tr "\n" " "; echo' 'mkdir /x; echo "st=$?"' 'exit 7' |
    "$mkimage" run --no-build -V shell -o "$out" --boot iso --firmware uefi --timeout 300 \
        >"$scratch/run.raw" 2>&1
is $? 7 "the shell's exit status (7) powers the machine off"
tr -d '\r' <"$scratch/run.raw" | sed 's/\x1b\[[0-9;]*m//g' >"$scratch/run.log"
like "$scratch/run.log" "^sum=42\$" "echo with shell arithmetic"
like "$scratch/run.log" "^Welcome to Anvil.\$" "cat of a file in the initfs"
like "$scratch/run.log" "(^| )busybox( |\$)" "ls of the initfs lists busybox"
like "$scratch/run.log" "(^| )hello( |\$)" "and hello"
like "$scratch/run.log" "^5\$" "a pipeline between two processes (seq | wc)"
like "$scratch/run.log" "^a b c \$" "a three-stage pipeline (printf | sort | tr)"
like "$scratch/run.log" "^st=1\$" "mkdir on the read-only initfs fails cleanly"
like "$scratch/run.log" "^init: exited with status 7" "the kernel saw the shell exit"

done_testing
