#!/bin/sh
# bench/busybox-testsuite-run.sh: runs BusyBox's own testsuite against /bin/busybox,
# one group (an applet's tests) at a time under a time limit, and prints each group's
# verbose output between marker lines. The same script runs inside Anvil (the bbtest
# variant's init.run) and in a chroot of the same tree on the host; it is started by
# bench/busybox-testsuite.sh, which counts what it prints.
#   sh busybox-testsuite-run.sh DIR LIMIT [GROUP...]
# DIR holds testsuite/, examples/ and busybox.config (the binary's .config); LIMIT is
# each group's time limit in seconds. Without GROUPs every group in the suite runs.

[ $# -ge 2 ] || {
    echo "usage: sh busybox-testsuite-run.sh DIR LIMIT [GROUP...]" >&2
    exit 2
}
dir=$1
limit=$2
shift 2

# The same environment wherever it runs: no locale, no time zone, applets first.
unset LANG LC_ALL LC_CTYPE LC_MESSAGES TZ CDPATH ENV
export PATH=/bin:/sbin:/usr/bin:/usr/sbin HOME=/root TERM=vt100
export SKIP_KNOWN_BUGS=1 SKIP_INTERNET_TESTS=1

# runtest wants busybox and its .config in the folder above the testsuite (its
# bindir), where it also makes the applet links; some tests copy ../busybox.
bindir=$dir
rm -f "$bindir/busybox"
ln -s /bin/busybox "$bindir/busybox" 2>/dev/null || cp /bin/busybox "$bindir/busybox" || exit 2
cp "$dir/busybox.config" "$bindir/.config" || exit 2
export bindir
cd "$dir/testsuite" || exit 2
export tsdir="$dir/testsuite"

# A group is an old-style folder of test scripts or a new-style NAME.tests file.
if [ $# -eq 0 ]; then
    # shellcheck disable=SC2046 # group names have no blanks: split them
    set -- $(for f in *; do
        [ -d "$f" ] && echo "$f"
        case $f in *.tests) echo "${f%.tests}" ;; esac
    done | sort -u)
fi

echo "@@bbts begin $(uname -sr) groups=$# limit=$limit"
log=/tmp/bbts-group.log
for g in "$@"; do
    echo "@@bbts group $g"
    start=$(date +%s)
    timeout -s KILL "$limit" sh ./runtest -v "$g" </dev/null >"$log" 2>&1
    rc=$?
    cat "$log"
    echo "@@bbts end $g rc=$rc secs=$(($(date +%s) - start))"
    rm -f "$log"
done
echo "@@bbts done"
