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

done_testing() {
    echo "1..$tap_n"
    [ "$tap_failed" -eq 0 ]
}

# The repository's top folder, and a scratch folder removed at exit.
top=$(cd "$(dirname "$0")/../.." && pwd)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
mkimage="$top/mkimage"
