#!/bin/sh
# tests/host/write.t: mkimage write refuses every target that is not a whole
# removable disk, and really writes and verifies one: as root, a loop device
# stands in for the stick, made "removable" in a mount namespace of its own.
. "$(dirname "$0")/../tap.sh"
cd "$top" || exit 1

img="$scratch/anvil.img"
head -c 4096 /dev/zero >"$img"

# refused TARGET PATTERN NAME: exit 1 with a message matching PATTERN, target untouched.
refused() {
    "$mkimage" write "$img" "$1" --yes >"$scratch/out" 2>&1
    is $? 1 "$3: exit 1"
    like "$scratch/out" "^mkimage: write: .*$2" "$3: says why"
}

printf 'precious' >"$scratch/file"
refused "$scratch/file" "not a block device" "a regular file is refused"
is "$(cat "$scratch/file")" "precious" "and is left as it was"
refused /dev/null "character device, not a block device" "/dev/null is refused"
mkdir "$scratch/dir"
refused "$scratch/dir" "directory, not a block device" "a directory is refused"
refused "$scratch/missing" "No such file or directory" "a missing path is refused"
[ ! -e "$scratch/missing" ]
ok $? "and is not created"

"$mkimage" write "$scratch/no-such.img" /dev/null --yes >"$scratch/out" 2>&1
is $? 1 "a missing image is refused"
like "$scratch/out" "no-such.img" "and named"

# A real block device: a loop device over a file. Only root can make one.
if [ "$(id -u)" -eq 0 ] && command -v losetup >/dev/null && unshare -m true 2>/dev/null &&
    truncate -s 16M "$scratch/stick" && dev=$(losetup -f --show "$scratch/stick" 2>/dev/null); then
    sysdir=$(readlink -f "/sys/class/block/${dev#/dev/}")
    refused "$dev" "neither removable nor on USB" "a fixed disk (a loop device) is refused"
    cmp -s -n 4096 "$scratch/stick" /dev/zero
    ok $? "and is left as it was"
    # 4 MiB and one sector: the last write is not a whole 4 KiB block.
    head -c $((4 * 1024 * 1024 + 512)) /dev/urandom >"$scratch/big.img"
    echo 1 >"$scratch/one"
    unshare -m sh -c 'mount --bind "$1" "$2/removable" && "$3" write "$4" "$5" --yes' sh \
        "$scratch/one" "$sysdir" "$mkimage" "$scratch/big.img" "$dev" >"$scratch/out" 2>&1
    is $? 0 "a removable disk is written"
    like "$scratch/out" "written to $dev and verified" "and verified"
    cmp -n "$(wc -c <"$scratch/big.img")" "$scratch/big.img" "$dev" >/dev/null 2>&1
    ok $? "the disk holds the image byte for byte"
    cmp -s -i "$(wc -c <"$scratch/big.img")" -n 4096 "$dev" /dev/zero
    ok $? "and nothing after it was touched"
    head -c $((32 * 1024 * 1024)) /dev/zero >"$scratch/huge.img"
    unshare -m sh -c 'mount --bind "$1" "$2/removable" && "$3" write "$4" "$5" --yes' sh \
        "$scratch/one" "$sysdir" "$mkimage" "$scratch/huge.img" "$dev" >"$scratch/out" 2>&1
    is $? 1 "an image larger than the disk is refused"
    like "$scratch/out" "^mkimage: write: .*larger" "and says why"
    losetup -d "$dev"
else
    for what in "fixed disk refused" "says why" "removable disk written" "verified" "byte for byte" \
        "nothing after" "too large refused" "says why" "left as it was"; do
        ok 0 "loop device: $what # SKIP needs root, losetup and unshare"
    done
fi

"$mkimage" write >"$scratch/out" 2>&1
is $? 2 "write without arguments is a usage error"
"$mkimage" write "$img" >"$scratch/out" 2>&1
is $? 2 "write without a device is a usage error"

done_testing
