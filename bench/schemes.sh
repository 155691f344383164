#!/bin/sh
# bench/schemes.sh: the scheme protocol's costs (bench/programs/schemebench.c
# against services/bulkd in Anvil under QEMU): open+read+close, a 1-byte read,
# 64 KiB reads, a daemon's restart to serving again, beside the pipe round
# trip on the host's Linux and in the guest. Prints a table and writes
# bench/results/bench-schemes-TIMESTAMP.json. No number is asserted, but a run
# that failed (a build, a bad guest status, a measure that could not finish)
# makes the script exit 1 after the table.
set -u
. "$(dirname "$0")/lib.sh"

[ -x "$mkimage" ] || make -s mkimage >/dev/null || exit 1

# shown FILE NAME: the value, or n/a, so a missing number cannot shift the columns.
shown() { or_na "$(value "$1" "$2")"; }

failed=0
# fail WHAT: note a failure; the table is still printed.
fail() { echo "schemes.sh: $*" >&2; failed=1; }

: >"$work/host.txt"
if build_static bench/programs/schemebench.c "$work/schemebench"; then
    "$work/schemebench" -s >"$work/host.txt" || fail "schemebench failed on the host"
else
    fail "schemebench does not build for the host"
fi

cp -r services "$work/"
cat >"$work/config.toml" <<TOML
[image]
formats = ["iso"]
[kernel]
features = ["serial"]
[init]
run = "/bin/schemebench -s"
on_exit = "poweroff"
grants = ["signal"]     # the restart measure kills bulkd, which it does not own
[packages.bench]
source = "$top/bench/programs"
install = "/bin"
each = true
cc = "gcc"
[services.bulkd]
program = "bulkd"
provides = ["bulk"]
uses = ["debug"]
restart = "always"
TOML
: >"$work/guest.txt"
status=null
if anvil_build "$work/config.toml" "$work/out"; then
    anvil_run "$work/config.toml" "$work/out" >"$work/guest.raw"
    status=$?
    tr -d '\r' <"$work/guest.raw" >"$work/guest.txt"
    [ "$status" -eq 0 ] || fail "the guest powered off with status $status, not 0"
    grep -qx 'schemebench: done' "$work/guest.txt" || fail "schemebench did not finish cleanly in Anvil"
    grep '^# .*failed' "$work/guest.txt" | sed 's/^# /  /' >&2
else
    fail "no image to run"
fi

row() { printf '%-40s %14s %16s\n' "$1" "$2" "$3"; }
{
    row "measure" "host Linux" "Anvil, QEMU TCG"
    row "pipe round trip, 1 byte (us)" "$(shown "$work/host.txt" pipe_round_trip_us)" \
        "$(shown "$work/guest.txt" pipe_round_trip_us)"
    for m in scheme_open_read_close_us scheme_read_1_byte_us scheme_read_64k_mib_s \
        restart_to_serving_ms; do
        row "$m" "n/a" "$(shown "$work/guest.txt" "$m")"
    done
} | tee "$work/table"
echo "(a user scheme is Anvil's; the host has none: its reference is the pipe round trip)"
echo "guest exit status: $status"

stamp=$(date -u +%Y%m%dT%H%M%SZ)
result="bench/results/bench-schemes-$stamp.json"
awk -v date="$stamp" -v status="$status" '
    NR == 1 { printf "{\n  \"date\": \"%s\",\n  \"guest_exit_status\": %s,\n  \"results\": {\n", date, status; next }
    { sub(/^ +/, ""); g = $NF; h = $(NF - 1); $NF = ""; $(NF - 1) = ""; sub(/ +$/, "")
      rows[++n] = sprintf("    \"%s\": {\"host\": %s, \"anvil\": %s}", $0,
                          h == "n/a" ? "null" : h, g == "n/a" ? "null" : g) }
    END { for (i = 1; i <= n; i++) printf "%s%s\n", rows[i], i < n ? "," : ""; print "  }\n}" }
' "$work/table" >"$result"
echo "wrote $result"
exit $failed
