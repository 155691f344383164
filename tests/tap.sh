# tests/tap.sh: the Test Anything Protocol for shell tests, read by prove.
# Source it, call ok/is/like, and end with `done_testing`.

tap_n=0
tap_failed=0

# ok STATUS NAME: pass when STATUS is 0.
ok() {
    tap_n=$((tap_n + 1))
    if [ "$1" -eq 0 ]; then
        echo "ok $tap_n - $2"
    else
        echo "not ok $tap_n - $2"
        tap_failed=$((tap_failed + 1))
    fi
}

# is GOT WANT NAME
is() {
    [ "$1" = "$2" ]
    st=$?
    ok $st "$3"
    [ $st -eq 0 ] || printf '#   got:  %s\n#   want: %s\n' "$1" "$2"
}

# like FILE PATTERN NAME: FILE has a line matching the extended regex PATTERN.
like() {
    grep -Eq -- "$2" "$1"
    st=$?
    ok $st "$3"
    if [ $st -ne 0 ]; then
        echo "#   no line of $1 matches: $2"
        sed 's/^/#   | /' "$1" | tail -n 15
    fi
}

# unlike FILE PATTERN NAME: no line of FILE matches.
unlike() {
    ! grep -Eq -- "$2" "$1"
    ok $? "$3"
}

# wait_for FILE PATTERN [COUNT [SECONDS]]: wait until COUNT (default 1) lines of
# FILE match the extended regex PATTERN; false after SECONDS (default 120). For
# waiting on a guest's output as it arrives, instead of sleeping a fixed time.
wait_for() {
    wait_end=$(($(date +%s) + ${4:-120}))
    while :; do
        wait_seen=$(grep -Eac -- "$2" "$1" 2>/dev/null)
        [ "${wait_seen:-0}" -lt "${3:-1}" ] || return 0
        [ "$(date +%s)" -lt "$wait_end" ] || return 1
        sleep 0.2
    done
}

# converse LOG PATTERN LINE...: the typing side of a session with a guest whose
# console output goes to LOG: before each LINE, wait for one more line matching
# PATTERN (a prompt) than before, then type LINE and Enter. Stops when a prompt
# does not come. Pipe it into `mkimage run` (not --headless).
converse() {
    conv_log=$1 conv_prompt=$2 conv_n=0
    shift 2
    for conv_line in "$@"; do
        conv_n=$((conv_n + 1))
        wait_for "$conv_log" "$conv_prompt" "$conv_n" || return 1
        printf '%s\r' "$conv_line"
    done
}

done_testing() {
    echo "1..$tap_n"
    [ "$tap_failed" -eq 0 ]
}

# The repository's top folder, and a scratch folder removed at exit.
top=$(cd "$(dirname "$0")/../.." && pwd)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
mkimage="$top/mkimage"
