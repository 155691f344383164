#!/bin/sh
# tests/host/programs.t: the guest test programs are ordinary Linux programs too:
# each builds with musl-gcc and with tcc, `all` passes on this host's Linux with
# both (tests/guest/programs/build-host.sh), and so do ramfs.c and fscache.c on a
# host folder, and inet.c over the host's 127.0.0.1 (fsstress.c skips: it needs Anvil's ramfsd).
# A check that fails here and passes in Anvil tests Anvil's quirks, not Linux's ABI.
. "$(dirname "$0")/../tap.sh"
cd "$top" || exit 1

sh tests/guest/programs/build-host.sh "$scratch/bin" -q >"$scratch/log" 2>&1
st=$?
ok $st "build-host.sh: every program builds and passes on the host"
[ $st -eq 0 ] || grep -E 'does not build|not ok|FAILED|failed' "$scratch/log" | sed 's/^/#   /'
unlike "$scratch/log" "does not build" "every program builds with musl-gcc and with tcc"
for cc in gcc tcc; do
    sed -n "/^== $cc:/,/^== /p" "$scratch/log" >"$scratch/$cc.log"
    like "$scratch/$cc.log" "^ok [0-9]+ - stdio\$" "$cc: all ran the programs"
    unlike "$scratch/$cc.log" "^not ok" "$cc: none of them fails on Linux"
done

"$scratch/bin/gcc/ramfs" "$scratch/ramfs-test" "$top/config.toml" >"$scratch/ramfs.log" 2>&1
ok $? "ramfs.c passes on a host folder, reading a seeded file"
grep '^not ok' "$scratch/ramfs.log" | sed 's/^/#   /'

"$scratch/bin/gcc/fscache" >"$scratch/fscache.log" 2>&1
ok $? "fscache.c passes in a folder of the host's /tmp"
grep '^not ok' "$scratch/fscache.log" | sed 's/^/#   /'
"$scratch/bin/gcc/inet" >"$scratch/inet.log" 2>&1
ok $? "inet.c passes over the host's 127.0.0.1 (as root: the raw ICMP socket too)"
grep '^not ok' "$scratch/inet.log" | sed 's/^/#   /'

"$scratch/bin/gcc/fsstress" >"$scratch/fsstress.log" 2>&1
ok $? "fsstress.c exits 0 on the host"
like "$scratch/fsstress.log" "^ok 1 - fsstress # SKIP needs Anvil" "where it skips, saying why"

done_testing
