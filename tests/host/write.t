#!/bin/sh
# tests/host/write.t: mkimage write refuses every target that is not a whole
# removable disk; with no real device here, only the refusals can be checked.
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

"$mkimage" write >"$scratch/out" 2>&1
is $? 2 "write without arguments is a usage error"
"$mkimage" write "$img" >"$scratch/out" 2>&1
is $? 2 "write without a device is a usage error"

done_testing
