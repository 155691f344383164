#!/bin/sh
# bench/network.sh: TCP through a virtio-net card and QEMU's user network (slirp):
# Anvil (virtio-netd, netd on lwIP, the kernel's sockets) against Debian's Linux in
# the same QEMU machine (TCG, one CPU, the same memory, virtio-net-pci on -netdev
# user). bench/programs/netbench.c (one static musl program) is the guest side of
# both: Linux runs it as /init (it loads virtio_net from its initramfs and sets up
# eth0 and lo), Anvil as init.run of the network variant (netd has the address by
# DHCP). bench/nethost.pl is the host side: a server on 127.0.0.1 (the guest's
# 10.0.2.2) that times 256 MiB each way, one way through a forwarded port. netbench
# times connects + closes to that server and 64 MiB over 127.0.0.1 in the guest.
# Interleaved runs, the best of each. Prints a table and writes
# bench/results/bench-network-TIMESTAMP.json. No number is asserted, but a measure
# that failed shows no number, says why, and makes the script exit 1.
set -u
. "$(dirname "$0")/lib.sh"

runs=3
run_limit=300           # seconds a guest's run may take, then it is stopped
transfer_mib=256
loop_mib=64
connections=200
guest_port=5001         # netbench's listener, forwarded from the host
loop_port=5002          # netbench's listener on 127.0.0.1
# name|label: the lines of netbench and nethost.pl, in the order of the table.
measures="host_to_guest_mib_s|TCP host -> guest, forwarded port (MiB/s)
guest_to_host_mib_s|TCP guest -> host's 10.0.2.2 (MiB/s)
connect_close_per_s|connect + close, guest -> host (per s)
loopback_mib_s|TCP over 127.0.0.1 in the guest (MiB/s)"
# Linux's modules for a virtio-net card, each after what it depends on (modinfo depends=).
modules="virtio_ring virtio virtio_pci_legacy_dev virtio_pci_modern_dev virtio_pci
failover net_failover virtio_net"

failed=0
fail() { echo "network.sh: $*" >&2; failed=1; }

# A TCP port on 127.0.0.1 that nobody listens on now.
free_port() {
    perl -MIO::Socket::INET -e '
        my $s = IO::Socket::INET->new(LocalAddr => "127.0.0.1", LocalPort => 0, Listen => 1)
            or die "network.sh: no free port: $!\n";
        print $s->sockport, "\n"'
}

# nethost_start SIDE N: bench/nethost.pl for run N of SIDE, once it listens.
nethost_start() {
    perl bench/nethost.pl "$host_port" "$forward_port" "$run_limit" \
        >"$work/$1.$2.host" 2>"$work/$1.$2.hosterr" &
    nethost=$!
    for _ in $(seq 50); do
        perl -MIO::Socket::INET -e 'exit !IO::Socket::INET->new(PeerAddr => "127.0.0.1:$ARGV[0]")' \
            "$host_port" && return 0
        sleep 0.1
    done
    fail "bench/nethost.pl does not listen on $host_port:"
    sed 's/^/  /' "$work/$1.$2.hosterr" >&2
    return 1
}

# nethost_stop SIDE N STATUS: the run's numbers, the guest's and the host's, kept in
# SIDE.N.ok (a measure that failed has no line there); a bad status is a failure.
nethost_stop() {
    kill "$nethost" 2>/dev/null
    wait "$nethost" 2>/dev/null
    cat "$work/$1.$2.out" "$work/$1.$2.host" >"$work/$1.$2.ok"
    [ "$3" = 0 ] && return 0
    case $3 in
    none | 124) echo "the run did not finish in $run_limit s" >"$work/$1.$2.end" ;;
    *) echo "the run ended with status $3" >"$work/$1.$2.end" ;;
    esac
    fail "$1 run $2: $(cat "$work/$1.$2.end"):"
    grep -E '^netbench: .* failed|Kernel panic' "$work/$1.$2.out" | sed 's/^/  /' >&2
    sed 's/^/  /' "$work/$1.$2.hosterr" >&2
}

run_linux() {
    nethost_start linux "$1" || return
    boot_linux "$work/initramfs" "$args" \
        -netdev "user,id=n0,hostfwd=tcp:127.0.0.1:$forward_port-:$guest_port" \
        -device virtio-net-pci,netdev=n0 >"$work/linux.$1.out"
    status=$(linux_init_status "$work/linux.$1.out")
    nethost_stop linux "$1" "${status:-none}"
}

run_anvil() {
    nethost_start anvil "$1" || return
    anvil_run config.toml "$work/anvil" -V network --set "$package" --set "init.run=\"$run\"" \
        --net --forward "tcp:$forward_port:$guest_port" >"$work/anvil.$1.raw"
    status=$?
    tr -d '\r' <"$work/anvil.$1.raw" >"$work/anvil.$1.out"
    nethost_stop anvil "$1" "$status"
}

# The network variant with netbench as the program init runs, built by mkimage from
# its source (a folder of netbench.c and the header it includes), as Linux's copy is.
build_anvil() {
    mkdir -p "$work/netbench-src" &&
        cp bench/programs/netbench.c bench/programs/linux_init.h "$work/netbench-src/" || return 1
    package="packages.netbench={ source = \"$work/netbench-src\", install = \"/bin/netbench\", cc = \"gcc\" }"
    run="/bin/netbench $args"
    "$mkimage" build -q -V network --set "$package" --set "init.run=\"$run\"" -o "$work/anvil" \
        >/dev/null 2>"$work/build.log" && return 0
    cat "$work/build.log" >&2
    return 1
}

build_initramfs() {
    mkdir -p "$work/initramfs" && cp "$work/netbench" "$work/initramfs/init" &&
        linux_modules "$work/initramfs" $modules
}

# why SIDE NAME: the first reason a run of SIDE gave for NAME's failure, or the end
# of its console when it gave none (a hang, a crash).
why() {
    what=${2%_mib_s}
    what=${what%_per_s}
    for p in "^netbench: $what failed" '^netbench: setup failed' '^nethost: ' 'did not finish'; do
        r=$(cat "$work/$1".*.out "$work/$1".*.hosterr "$work/$1".*.end 2>/dev/null | grep -m 1 -e "$p")
        [ -n "$r" ] && break
    done
    [ -n "$r" ] || r="no line from it; the run's console ends: $(tail -n 1 "$work/$1.1.out" 2>/dev/null)"
    echo "$r"
}

row() { printf '%-42s %14s %14s %16s\n' "$1" "$2" "$3" "$4"; }

print_table() {
    row "measure" "Linux" "Anvil" "Anvil vs Linux"
    compare_rows best
    echo
    echo "Best of $runs interleaved runs each, QEMU TCG, pc, 1 CPU, $qemu_mem, virtio-net-pci on"
    echo "QEMU's user network. $transfer_mib MiB each way between the host's 127.0.0.1 and the"
    echo "guest, timed on the host (the guest says when it has all); $connections connects +"
    echo "closes and $loop_mib MiB over 127.0.0.1, timed in the guest. Linux is Debian's"
    echo "$linux_name with netbench as /init (virtio_net from its modules, eth0 set"
    echo "up by ioctl); Anvil is the network variant (virtio-netd, netd on lwIP, DHCP)."
    echo "$measures" | while IFS='|' read -r name label; do
        for side in linux anvil; do
            [ -n "$(best "$side" "$name")" ] || echo "no $side number for $name: $(why "$side" "$name")"
        done
    done
}

# per_run SIDE NAME: NAME's number from each of SIDE's runs, in order, as a JSON list's
# items (null for a run without it).
per_run() {
    for n in $(seq "$runs"); do
        [ "$n" = 1 ] || printf ', '
        or_null "$([ -f "$work/$1.$n.ok" ] && value "$work/$1.$n.ok" "$2")" | tr -d '\n'
    done
}

runs_member() { printf '    "%s": {"linux_qemu_tcg": [%s], "anvil_qemu_tcg": [%s]},\n' "$1" "$3" "$4"; }

write_json() {
    cat <<EOF
{
  "date": "$stamp",
  "cores": $(nproc),
  "runs": $runs,
  "machine": "QEMU TCG, pc, 1 CPU, $qemu_mem, virtio-net-pci, -netdev user",
  "reference": "$linux_name, netbench as /init, virtio_net from its modules",
  "guest": "Anvil network variant: virtio-netd, netd (lwIP), DHCP",
  "transfer_mib": $transfer_mib,
  "loopback_mib": $loop_mib,
  "connections": $connections,
  "every_run_finished": $([ "$failed" = 0 ] && echo true || echo false),
  "results": {
$(compare_json best)
  },
  "every_run": {
$(each_measure runs_member per_run | sed '$ s/,$//')
  }
}
EOF
}

[ -x "$mkimage" ] || make -s mkimage >/dev/null || exit 1
export qemu_mem
host_port=$(free_port) && forward_port=$(free_port) || exit 1
[ "$host_port" != "$forward_port" ] || forward_port=$(free_port) || exit 1
args="$host_port $guest_port $loop_port $transfer_mib $loop_mib $connections"
have_linux=no
have_anvil=no
if build_static bench/programs/netbench.c "$work/netbench"; then
    { linux_kernel && build_initramfs && have_linux=yes; } || fail "no Linux to compare with"
    { build_anvil && have_anvil=yes; } || fail "no Anvil image"
else
    fail "no netbench"
fi
for n in $(seq "$runs"); do
    [ "$have_linux" = no ] || run_linux "$n"
    [ "$have_anvil" = no ] || run_anvil "$n"
done

print_table
save_json network
echo "$measures" | while IFS='|' read -r name label; do
    [ -n "$(best linux "$name")" ] && [ -n "$(best anvil "$name")" ] || exit 1
done || failed=1
exit $failed
