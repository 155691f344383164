#!/bin/sh
# bench/files.sh: files on the root served by a user daemon (ramfsd serving file:, as
# in the default system) against Linux's VFS. bench/programs/fsbench.c runs on the
# host in a temporary folder, as /init of Debian's Linux in QEMU (in its initramfs,
# a tmpfs) and in Anvil's /tmp, both guests in the same QEMU machine (TCG, one CPU,
# the same memory), interleaved, each the best of two runs. Prints a table and
# writes bench/results/bench-files-TIMESTAMP.json. No number is asserted, but a run
# that failed shows no number and makes the script exit 1 after the table.
set -u
. "$(dirname "$0")/lib.sh"

runs=2
# name|label: fsbench's lines, in the order of the table.
measures="open_read_close_us|open + 1-byte read + close (us)
stat_us|stat (us)
seq_write_64k_mib_s|sequential 64 KiB writes, 4 MiB (MiB/s)
seq_read_64k_mib_s|sequential 64 KiB reads, 4 MiB (MiB/s)
pread_4k_random_us|random 4 KiB pread (us)
create_write_unlink_us|create + write 100 B + close + unlink (us)"

failed=0
# fail WHAT: note a failure; the table is still printed.
fail() { echo "files.sh: $*" >&2; failed=1; }

# keep SIDE N STATUS: run N of SIDE counts only if it ended with status 0 and
# fsbench got to its end with every measure; only kept runs (SIDE.N.ok) give numbers.
keep() {
    if [ "$3" = 0 ] && grep -qx 'fsbench: done' "$work/$1.$2.out"; then
        cp "$work/$1.$2.out" "$work/$1.$2.ok"
        return
    fi
    fail "$1 run $2 failed (status $3):"
    grep '^fsbench: ' "$work/$1.$2.out" | grep -v ': start in ' | sed 's/^/  /' >&2
}

run_host() {
    "$work/fsbench" "$work/host-dir" >"$work/host.$1.out" 2>&1
    keep host "$1" $?
}

run_linux() {
    boot_linux "$work/initramfs" /tmp >"$work/linux.$1.out"
    status=$(linux_init_status "$work/linux.$1.out")
    keep linux "$1" "${status:-none}"
}

run_anvil() {
    anvil_run "$work/config.toml" "$work/out" >"$work/anvil.$1.raw"
    status=$?
    tr -d '\r' <"$work/anvil.$1.raw" >"$work/anvil.$1.out"
    keep anvil "$1" "$status"
}

# The [services.ramfsd] table of config.toml as it stands, so that file: is served
# here as in the default system.
ramfsd_table() { awk '/^\[/ { on = /^\[services\.ramfsd\]/ } on' config.toml; }

# The default system's root (ramfsd unpacks the tree's archive and serves it as
# file:) with fsbench as the program init runs. fsbench is built with gcc, as the
# Linux runs' copy is, so both guests run the same code.
write_config() {
    mkdir -p "$work/fsbench-src" && cp bench/programs/fsbench.c "$work/fsbench-src/" &&
        cp -r services "$work/" || return 1
    cat >"$work/config.toml" <<EOF
# Written by bench/files.sh: fsbench in /tmp on ramfsd's file:, then power off.
[image]
formats = ["iso"]
root = "ramfs"

[kernel]
features = ["serial"]

[init]
run = "/bin/fsbench /tmp"
on_exit = "poweroff"

[packages.fsbench]
source = "fsbench-src"
install = "/bin/fsbench"
cc = "gcc"

[[files]]
path = "/tmp"
dir = true
mode = 0o1777

EOF
    ramfsd_table >>"$work/config.toml"
}

row() { printf '%-44s %10s %14s %12s %16s\n' "$1" "$2" "$3" "$4" "$5"; }

print_table() {
    row "measure" "host" "Linux in QEMU" "Anvil" "Anvil vs Linux"
    compare_rows best host
    echo
    echo "Best of $runs runs each; each run is fsbench's best of 5 rounds. Linux is Debian's"
    echo "$linux_name, fsbench as /init in its initramfs; Anvil runs it in /tmp"
    echo "on ramfsd's file:. Both in QEMU TCG, 1 CPU, $qemu_mem; under TCG only their"
    echo "ratio means much. The host runs it in a temporary folder ($host_fs)."
}

write_json() {
    cat <<EOF
{
  "date": "$stamp",
  "cores": $(nproc),
  "runs": $runs,
  "machine": "QEMU TCG, pc, 1 CPU, $qemu_mem",
  "reference": "$linux_name, fsbench as /init in its initramfs",
  "guest": "Anvil, ramfsd serving file:, fsbench in /tmp",
  "host_file_system": "$host_fs",
  "every_run_finished": $([ "$failed" = 0 ] && echo true || echo false),
  "results": {
$(compare_json best host)
  }
}
EOF
}

[ -x "$mkimage" ] || make -s mkimage >/dev/null || exit 1
have_fsbench=yes
mkdir -p "$work/host-dir"
host_fs=$(stat -f -c %T "$work/host-dir")
mkdir -p "$work/initramfs/tmp"
build_static bench/programs/fsbench.c "$work/fsbench" && cp "$work/fsbench" "$work/initramfs/init" ||
    { fail "no fsbench for the host and Linux"; have_fsbench=no; }
have_linux=$have_fsbench
[ "$have_linux" = no ] || linux_kernel || { fail "no Linux to compare with"; have_linux=no; }
have_anvil=yes
{ write_config && anvil_build "$work/config.toml" "$work/out"; } || { fail "no Anvil image"; have_anvil=no; }

for n in $(seq "$runs"); do
    [ "$have_fsbench" = no ] || run_host "$n"
    [ "$have_linux" = no ] || run_linux "$n"
    [ "$have_anvil" = no ] || run_anvil "$n"
done

print_table
save_json files
exit $failed
