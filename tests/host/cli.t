#!/bin/sh
# tests/host/cli.t: mkimage's command line and config errors, without booting.
. "$(dirname "$0")/../tap.sh"
cd "$top" || exit 1

"$mkimage" --help >"$scratch/out" 2>&1
ok $? "mkimage --help exits 0"
for c in build run check list write clean; do
    like "$scratch/out" "^  $c +[a-z]" "--help lists the command $c with what it does"
done
for c in build run check list; do
    "$mkimage" $c --help >"$scratch/out" 2>&1
    ok $? "mkimage $c --help exits 0"
done

"$mkimage" build --bogus >"$scratch/out" 2>&1
is $? 2 "an unknown option is a usage error (exit 2)"
like "$scratch/out" "unknown option '--bogus'" "and says which option"
"$mkimage" check --firmware uefi >/dev/null 2>&1
is $? 2 "check does not take run's options"
"$mkimage" frobnicate >/dev/null 2>&1
is $? 2 "an unknown command is a usage error"

# A syntax error names FILE:LINE:COLUMN, and nothing is written.
printf '[image]\nname = = "x"\nformats = ["iso"]\n' >"$scratch/bad.toml"
"$mkimage" check -c "$scratch/bad.toml" >"$scratch/out" 2>&1
st=$?
ok $((st == 0)) "check of a malformed config fails"
like "$scratch/out" "bad.toml:2:8: " "syntax error names file:line:column"
"$mkimage" build -c "$scratch/bad.toml" -o "$scratch/o" >"$scratch/out" 2>&1
ok $(($? == 0)) "build of a malformed config fails"
like "$scratch/out" "bad.toml:[0-9]+:[0-9]+: " "build names file:line:column too"
[ ! -e "$scratch/o" ]
ok $? "and leaves no output folder behind"

# Manifest errors: wrong type, range, unknown key, unknown feature, bad file.
cat >"$scratch/m.toml" <<'TOML'
[kernel]
timer_hz = 5
features = ["serial", "warp"]
color = "blue"
[[files]]
path = "etc/x"
text = "x"
TOML
"$mkimage" check -c "$scratch/m.toml" >"$scratch/out" 2>&1
ok $(($? == 0)) "check of an invalid manifest fails"
like "$scratch/out" "m.toml:2:12: kernel.timer_hz must be an integer between 18 and 10000" "range error at its value"
like "$scratch/out" "m.toml:3:23: kernel.features: unknown feature \"warp\"" "unknown feature at its item"
like "$scratch/out" "m.toml:4:1: unknown key 'kernel.color'" "unknown key at its key"
like "$scratch/out" "m.toml:6:8: files.path must be an absolute path" "bad image path at its value"

printf '[[files]]\npath = "/a"\nsource = "no-such-file"\n' >"$scratch/s.toml"
"$mkimage" check -c "$scratch/s.toml" >"$scratch/out" 2>&1
ok $(($? == 0)) "a missing source file fails"
like "$scratch/out" "s.toml:3:10: files.source: .*no-such-file: No such file" "and names the file"

# Variants and --set.
"$mkimage" list >"$scratch/out" 2>&1
ok $? "list exits 0"
for v in default minimal test services shell laptop; do
    like "$scratch/out" "^$v +[A-Za-z]" "list shows $v with a description"
done
"$mkimage" check >"$scratch/default" 2>&1
like "$scratch/default" '^features = \["serial", "fbcon"' "default has serial and fbcon"
"$mkimage" check -V minimal >"$scratch/minimal" 2>&1
like "$scratch/minimal" '^features = \["serial", "monitor"\]$' "minimal has serial and the monitor, no fbcon"
printf '[kernel]\nfeatures = ["serial", "fbcon"]\n[variants.less]\nkernel.features.remove = ["fbcon"]\n' \
    >"$scratch/v.toml"
"$mkimage" check -c "$scratch/v.toml" >"$scratch/base" 2>&1
"$mkimage" check -c "$scratch/v.toml" -V less >"$scratch/less" 2>&1
diff "$scratch/base" "$scratch/less" | grep -E '^[<>]' | grep -v '^[<>] # resolved' >"$scratch/diff"
is "$(wc -l <"$scratch/diff" | tr -d ' ')" 2 "a variant's .remove changes exactly one line (features)"
like "$scratch/less" '^features = \["serial"\]$' "and removes just that item"
"$mkimage" check -V laptop >"$scratch/out" 2>&1
like "$scratch/out" '^on_exit = "respawn"$' "laptop stays up: a new shell after each exit"
"$mkimage" check -V nosuch >"$scratch/out" 2>&1
ok $(($? == 0)) "an unknown variant fails"
like "$scratch/out" "no variant 'nosuch' \(known: default, minimal, test, services, shell, laptop(, [a-z]+)*\)" "and lists the known ones"
"$mkimage" check --set kernel.timer_hz=250 --set image.name=demo >"$scratch/out" 2>&1
like "$scratch/out" '^timer_hz = 250$' "--set overrides an integer"
like "$scratch/out" '^name = "demo"$' "--set takes a bare word as a string"
"$mkimage" check --set kernel.timer_hz=fast >"$scratch/out" 2>&1
ok $(($? == 0)) "--set with a bad value fails"
like "$scratch/out" "^--set kernel.timer_hz=fast: kernel.timer_hz must be an integer" "and names the --set"

# run --nic: the card on QEMU's command line, seen by a stand-in QEMU that
# writes its arguments down (nothing boots).
mkdir -p "$scratch/bin" "$scratch/run"
printf '#!/bin/sh\necho "$@" >"%s/qemu.args"\n' "$scratch" >"$scratch/bin/qemu-system-x86_64"
chmod +x "$scratch/bin/qemu-system-x86_64"
: >"$scratch/run/anvil.elf"
PATH="$scratch/bin:$PATH" "$mkimage" run --no-build --boot direct --headless -o "$scratch/run" \
    --nic e1000 >/dev/null 2>&1
like "$scratch/qemu.args" " -netdev user,id=net0 -device e1000,netdev=net0 " \
    "--nic e1000 plugs in an e1000 on user networking (no --net needed)"
PATH="$scratch/bin:$PATH" "$mkimage" run --no-build --boot direct --headless -o "$scratch/run" \
    --net >/dev/null 2>&1
like "$scratch/qemu.args" " -device virtio-net-pci,netdev=net0 " "--net alone is a virtio card"
"$mkimage" run --nic rtl8139 >"$scratch/out" 2>&1
is $? 2 "an unknown --nic is a usage error"
like "$scratch/out" "--nic: .*unknown value 'rtl8139'" "and names the value"

done_testing
