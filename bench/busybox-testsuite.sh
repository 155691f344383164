#!/bin/sh
# bench/busybox-testsuite.sh: BusyBox's own testsuite (testsuite/ of Debian's busybox
# source package, the one the image's BusyBox is built from) run twice against the
# image's /bin/busybox: on the host, in a chroot of the image's own tree, and inside
# Anvil under QEMU (the bbtest variant). Prints pass/fail/skip per group side by side
# and writes bench/results/busybox-testsuite.txt, with every test that passes on the
# host and fails in Anvil, its reason when known and the start of its output.
# A report: failing tests do not make it fail, only being unable to run does.
#   sh bench/busybox-testsuite.sh [--no-guest | --report] [GROUP...]
# --no-guest runs the host side only; --report only rewrites the report from the
# last run's logs. BBTS_LIMIT (default 1800) is each group's time limit in seconds,
# BBTS_TIMEOUT (default 10800) the whole guest run's.
set -u
. "$(dirname "$0")/lib.sh"

prog=busybox-testsuite
scratch=out/bbts-work               # the source, the suite, the host tree, the logs
image_default=out/bbts-default      # the default image: its BusyBox is the one tested
image_test=out/bbts-bbtest          # the bbtest variant: the default system plus the suite
downloads=${MKIMAGE_CACHE:-out/.cache}/downloads   # where pkgs/busybox keeps the source
limit=${BBTS_LIMIT:-1800}
timeout=${BBTS_TIMEOUT:-10800}
result=bench/results/busybox-testsuite.txt
reasons=bench/busybox-testsuite.reasons

die() {
    echo "$prog: $*" >&2
    exit 1
}
note() { echo "$prog: $*" >&2; }

guest=yes
runs=yes
case ${1-} in
--no-guest) guest=no; shift ;;
--report) runs=no; shift ;;
-*) die "usage: sh bench/busybox-testsuite.sh [--no-guest | --report] [GROUP...]" ;;
esac
groups=$*

# need PACKAGE PROGRAM...: the Debian package to install when a program is missing.
need() {
    pkg=$1
    shift
    for p in "$@"; do
        command -v "$p" >/dev/null 2>&1 || die "'$p' not found: install the Debian package $pkg"
    done
}

# The image's busybox, its Debian version and the testsuite from that same source.
prepare() {
    need cpio cpio
    need dpkg-dev dpkg-source
    need musl-tools musl-gcc
    need util-linux unshare
    [ -x "$mkimage" ] || make -s mkimage >/dev/null || die "cannot build mkimage"
    note "building the default image into $image_default"
    "$mkimage" build -q -V default -o "$image_default" >"$work/build.log" 2>&1 || {
        tail -n 30 "$work/build.log" >&2
        die "the default image does not build"
    }
    mkdir -p "$scratch"
    cpio -i --quiet --to-stdout boot/root.cpio <"$image_default/initfs.cpio" >"$work/root.cpio" &&
        cpio -i --quiet --to-stdout bin/busybox <"$work/root.cpio" >"$scratch/busybox" &&
        chmod 755 "$scratch/busybox" && [ -s "$scratch/busybox" ] ||
        die "no bin/busybox in $image_default/initfs.cpio's boot/root.cpio"
    # The banner names the source: "BusyBox v1.35.0 (Debian 1:1.35.0-4+deb12u1 for Anvil)".
    banner=$("$scratch/busybox" 2>&1 | head -n 1)
    version=$(echo "$banner" | sed -n 's/.*(Debian \([^ ]*\) for Anvil).*/\1/p')
    [ -n "$version" ] || die "cannot read the Debian version in the banner: $banner"
    dsc=$downloads/busybox_${version#*:}.dsc
    if [ ! -f "$dsc" ]; then
        note "$dsc is not kept: asking apt for busybox $version"
        mkdir -p "$scratch/downloads"
        (cd "$scratch/downloads" && apt-get source -qq --download-only "busybox=$version") >&2 ||
            die "apt-get source --download-only busybox=$version failed"
        dsc=$scratch/downloads/busybox_${version#*:}.dsc
    fi
    rm -rf "$scratch/src"
    dpkg-source -x "$dsc" "$scratch/src" >"$work/dpkg-source.log" 2>&1 || {
        cat "$work/dpkg-source.log" >&2
        die "dpkg-source -x $dsc failed"
    }
    configure
    rm -rf "$scratch/suite"
    mkdir -p "$scratch/suite"
    cp -R "$scratch/src/testsuite" "$scratch/src/examples" "$scratch/suite/" &&
        cp "$scratch/src/.config" "$scratch/suite/busybox.config" &&
        cp bench/busybox-testsuite-run.sh "$scratch/suite/run.sh" || die "cannot fill $scratch/suite"
}

# configure: the binary's .config (runtest reads it to skip what is not built), made
# as pkgs/busybox/build.sh makes it: defconfig, config.fragment's lines replacing
# their symbols' lines, then oldconfig.
configure() {
    kh=$top/$scratch/kernel-headers
    fragment=pkgs/busybox/config.fragment
    mkdir -p "$kh"
    ln -sfn /usr/include/linux "$kh/linux"
    ln -sfn /usr/include/asm-generic "$kh/asm-generic"
    ln -sfn /usr/include/mtd "$kh/mtd"
    ln -sfn /usr/include/x86_64-linux-gnu/asm "$kh/asm"
    grep -E '^(CONFIG_[A-Za-z0-9_]+=|# CONFIG_[A-Za-z0-9_]+ is not set$)' "$fragment" >"$work/settings"
    sed -E 's/^# (CONFIG_[A-Za-z0-9_]+) is not set$/\1/; s/=.*//' "$work/settings" >"$work/names"
    (
        cd "$scratch/src" || exit 1
        export KCONFIG_NOTIMESTAMP=1
        make CC=musl-gcc HOSTCC=gcc EXTRA_CFLAGS="-idirafter $kh" defconfig >"$work/config.log" 2>&1 &&
            grep -v -w -F -f "$work/names" .config >.config.new &&
            cat "$work/settings" >>.config.new && mv .config.new .config &&
            yes '' | make CC=musl-gcc HOSTCC=gcc EXTRA_CFLAGS="-idirafter $kh" oldconfig \
                >>"$work/config.log" 2>&1
    ) || {
        tail -n 20 "$work/config.log" >&2
        die "cannot make BusyBox's .config"
    }
    while IFS= read -r line; do
        grep -qxF "$line" "$scratch/src/.config" || die "the .config lost '$line'"
    done <"$work/settings"
}

# The bbtest variant; runs only GROUPs when given. The root tree it boots is also the
# host's chroot, so both sides run the same files.
build_test_image() {
    note "building the bbtest variant into $image_test"
    "$mkimage" build -q -V bbtest -o "$image_test" \
        --set "init.run=/bin/sh /bbtest/run.sh /bbtest $limit $groups" >"$work/build.log" 2>&1 || {
        tail -n 30 "$work/build.log" >&2
        die "the bbtest variant does not build"
    }
    rm -rf "$scratch/host"
    mkdir -p "$scratch/host"
    cpio -i --quiet --to-stdout boot/root.cpio <"$image_test/initfs.cpio" >"$work/root.cpio" &&
        (cd "$scratch/host" && cpio -i --quiet -d -m --no-absolute-filenames <"$work/root.cpio") ||
        die "cannot unpack the bbtest tree"
    cmp -s "$scratch/host/bin/busybox" "$scratch/busybox" ||
        die "the bbtest variant's busybox differs from the default image's"
}

# The host: the image's tree in a chroot, in its own mount, UTS and PID namespaces
# (so mount and hostname tests touch nothing outside), with the host's /dev and a
# fresh /proc; as root there, as in Anvil.
run_host() {
    root=$top/$scratch/host
    user=
    [ "$(id -u)" -eq 0 ] || user=-r
    note "running the testsuite on the host ($(uname -sr))"
    t0=$(now)
    unshare $user -m -u -p -f --mount-proc="$root/proc" sh -c '
        hostname anvil && mount --rbind /dev "$1/dev" || exit 2
        exec chroot "$1" /bin/busybox env -i /bin/sh /bbtest/run.sh /bbtest "$2" $3
    ' sh "$root" "$limit" "$groups" >"$scratch/host.log" 2>&1 ||
        note "the host run ended with status $?"
    elapsed "$t0" "$(now)" >"$scratch/host.secs"
    note "host run: $(cat "$scratch/host.secs") s"
    grep -q '^@@bbts done' "$scratch/host.log" || {
        tail -n 20 "$scratch/host.log" >&2
        die "the host run did not finish: $scratch/host.log"
    }
}

# Anvil: the bbtest variant under QEMU; its console is the log.
run_guest() {
    note "running the testsuite in Anvil (QEMU, at most $timeout s)"
    t0=$(now)
    "$mkimage" run --no-build --headless -V bbtest -o "$image_test" --boot direct --mem 512M \
        --timeout "$timeout" >"$scratch/guest.raw" 2>"$work/run.err"
    st=$?
    elapsed "$t0" "$(now)" >"$scratch/guest.secs"
    note "guest run: $(cat "$scratch/guest.secs") s, mkimage run's status $st (124: the time ran out)"
    tr -d '\r' <"$scratch/guest.raw" >"$scratch/guest.log"
    grep -q '^@@bbts done' "$scratch/guest.log" ||
        note "the guest run did not finish (see $scratch/guest.log): the report counts what it did"
    grep -q '^@@bbts begin' "$scratch/guest.log" || cat "$work/run.err" >&2
}

if [ $runs = yes ]; then
    prepare
    build_test_image
    run_host
    [ $guest = no ] || run_guest
fi
[ -f "$scratch/host.log" ] || die "no host log: run without --report first"
guest_log=$scratch/guest.log
[ $guest = yes ] && [ -f "$guest_log" ] || guest_log=/dev/null
started=no
grep -q '^@@bbts begin' "$guest_log" && started=yes

# results LOG: one line per test, "group<TAB>name<TAB>PASS|FAIL|SKIP", a test name seen
# again in the same group getting " #2", "#3"...; a group cut short gets a TIMEOUT line.
results() {
    awk '
        /^@@bbts group / { g = $3; next }
        /^@@bbts end / && / rc=137 / { printf "%s\t(time limit)\tTIMEOUT\n", g; next }
        g != "" && match($0, /^(PASS|FAIL|SKIPPED|UNTESTED): /) {
            r = substr($0, 1, RLENGTH - 2); n = substr($0, RLENGTH + 1)
            if (r == "SKIPPED" || r == "UNTESTED") r = "SKIP"
            k = g "\t" n; if (++seen[k] > 1) n = n " #" seen[k]
            printf "%s\t%s\t%s\n", g, n, r
        }' "$1"
}
results "$scratch/host.log" >"$work/host.res"
results "$guest_log" >"$work/guest.res"

# A group's counts, the host's and Anvil's side by side; "-" where Anvil never got to it.
table() {
    awk -F '\t' '
        FNR == 1 { side++ }
        { if (!($1 in seen)) { seen[$1] = 1; order[++n] = $1 }
          c[side, $1, $3]++; t[side, $3]++; any[side, $1] = 1 }
        function cell(s, g) {
            if (!any[s, g]) return sprintf("%5s %5s %5s", "-", "-", "-")
            return sprintf("%5d %5d %5d", c[s, g, "PASS"], c[s, g, "FAIL"], c[s, g, "SKIP"])
        }
        END {
            printf "%-18s %17s   %17s\n", "", "host Linux", "Anvil (QEMU)"
            printf "%-18s %5s %5s %5s   %5s %5s %5s\n", "group", "pass", "fail", "skip",
                "pass", "fail", "skip"
            for (i = 1; i <= n; i++)
                printf "%-18s %s   %s%s\n", order[i], cell(1, order[i]), cell(2, order[i]),
                    c[2, order[i], "TIMEOUT"] ? "  time limit" : ""
            printf "%-18s %5d %5d %5d   %5d %5d %5d\n", "total", t[1, "PASS"], t[1, "FAIL"],
                t[1, "SKIP"], t[2, "PASS"], t[2, "FAIL"], t[2, "SKIP"]
        }' "$work/host.res" "$work/guest.res"
}

# Tests that pass on the host and do not in Anvil, with Anvil's result ("not run" when
# the guest never printed one).
regressions() {
    awk -F '\t' '
        FNR == 1 { side++ }
        side == 1 && $3 == "PASS" { key = $1 "\t" $2; host[key] = 1; order[++n] = key }
        side == 2 { anvil[$1 "\t" $2] = $3 }
        END { for (i = 1; i <= n; i++) { k = order[i]
                  r = (k in anvil) ? anvil[k] : "not run"
                  if (r != "PASS") printf "%s\t%s\n", k, r } }' "$work/host.res" "$work/guest.res"
}

# syscall_names: "syscall: 165 not implemented" lines also name the call, from the
# host's Linux headers (the same numbers: Anvil speaks the Linux x86_64 ABI).
syscall_names() {
    awk 'NR == FNR { if ($1 == "#define" && $2 ~ /^__NR_/) name[$3] = substr($2, 6); next }
         $2 == "syscall:" && ($3 in name) { sub(/syscall: [0-9]+/, "& (" name[$3] ")") }
         { print }' /usr/include/x86_64-linux-gnu/asm/unistd_64.h -
}

# reason GROUP NAME: the first line of the reasons file whose group and test glob match.
# shellcheck disable=SC2254 # both columns are globs on purpose
reason() {
    [ -f "$reasons" ] || return 0
    while IFS='	' read -r rg rn why; do
        case $rg in '#'* | '') continue ;; esac
        case $1 in $rg) ;; *) continue ;; esac
        case $2 in $rn) echo "$why"; return 0 ;; esac
    done <"$reasons"
}

# output GROUP NAME: the start of a failed test's output in the Anvil log (the lines
# after its FAIL line, up to the next test).
output() {
    awk -v g="$1" -v n="$2" '
        /^@@bbts group / { in_g = ($3 == g); next }
        in_g && $0 == "FAIL: " n { on = 1; k = 0; next }
        on && (/^(PASS|FAIL|SKIPPED|UNTESTED): / || /^======================$/ || /^@@bbts /) { exit }
        on && k < 8 { print "        " $0; k++ }' "$guest_log"
}

{
    echo "BusyBox's testsuite: the same binary on the host and in Anvil"
    echo
    echo "binary:  $("$scratch/busybox" 2>&1 | head -n 1)"
    echo "         sha256 $(sha256sum "$scratch/busybox" | cut -d' ' -f1), /bin/busybox of the default image"
    echo "suite:   testsuite/ of Debian's busybox source package, the image's BusyBox's source;"
    limit=$(sed -n 's/^@@bbts begin .* limit=//p' "$scratch/host.log")
    echo "         runtest -v per group, SKIP_KNOWN_BUGS=1, each group limited to $limit s,"
    echo "         run as root in the image's own tree (bench/busybox-testsuite-run.sh)"
    host_os=$(sed -n 's/^@@bbts begin \(Linux [0-9]*\.[0-9]*\).*/\1/p' "$scratch/host.log")
    echo "host:    ${host_os:-Linux}, a chroot of that tree, $(cat "$scratch/host.secs" 2>/dev/null) s"
    guest_os=$(sed -n 's/^@@bbts begin \([^=]*\) groups=.*/\1/p' "$guest_log" | sed 's/ *$//')
    echo "Anvil:   ${guest_os:-(the suite did not start)}, QEMU TCG, --boot direct, $(cat "$scratch/guest.secs" 2>/dev/null) s"
    [ $started = no ] || grep -q '^@@bbts done' "$guest_log" ||
        echo "         the guest run did not finish: groups without counts show -"
    echo "date:    $(date -u +%Y-%m-%d)"
    echo
    table
    echo
    regressions >"$work/regress"
    if [ $guest = no ]; then
        echo "(host only: run without --no-guest for Anvil's side)"
        : >"$work/regress"
    elif [ $started = no ]; then
        echo "The suite did not start in Anvil. The end of the console:"
        grep -v '^$' "$guest_log" | tail -n 20 | sed 's/^/    /'
        : >"$work/regress"
    else
        echo "Pass on the host, not in Anvil: $(wc -l <"$work/regress" | tr -d ' ')"
    fi
    while IFS='	' read -r g n r; do
        printf '%s\t%s\t%s\t%s\n' "$g" "$n" "$r" "$(reason "$g" "$n")"
    done <"$work/regress" >"$work/why"
    if [ -s "$work/why" ]; then
        echo
        echo "By cause (tests):"
        awk -F '\t' '{ w = $4 == "" ? "(not yet known)" : $4; if (!(w in c)) o[++n] = w; c[w]++ }
            END { for (i = 1; i <= n; i++) printf "%5d  %s\n", c[o[i]], o[i] }' "$work/why"
    fi
    while IFS='	' read -r g n r why; do
        echo
        echo "$g: $n  [Anvil: $r]"
        [ -z "$why" ] || echo "$why" | fold -s -w 88 | sed '1s/^/    why: /; 1!s/^/         /'
        [ "$r" != FAIL ] || output "$g" "$n"
    done <"$work/why"
    if [ $started = yes ]; then
        echo
        echo "Fail on the host too (the host's result, then Anvil's):"
        awk -F '\t' 'FNR == 1 { side++ }
            side == 1 && $3 == "FAIL" { k = $1 "\t" $2; bad[k] = 1; order[++n] = k }
            side == 2 { anvil[$1 "\t" $2] = $3 }
            END { for (i = 1; i <= n; i++) { k = order[i]; split(k, p, "\t")
                      printf "    %s: %s  [FAIL, %s]\n", p[1], p[2], (k in anvil) ? anvil[k] : "not run" } }' \
            "$work/host.res" "$work/guest.res"
    fi
    [ $started = yes ] || exit 0
    echo
    echo "Run in Anvil only (the host's run printed no result for them):"
    awk -F '\t' 'FNR == 1 { side++ } side == 1 { h[$1 "\t" $2] = 1 }
        side == 2 && !(($1 "\t" $2) in h) { printf "    %s: %s  [%s]\n", $1, $2, $3 }' \
        "$work/host.res" "$work/guest.res"
    echo
    echo "Kernel messages of the Anvil run (calls not implemented, programs killed):"
    grep -E '^(syscall: [0-9]+ not implemented|pid [0-9]+ \(.*killed by signal|oom: |panic)' \
        "$guest_log" | sed -E 's/ \(pid [0-9]+ / (/; s/^pid [0-9]+ /pid N /' | sort | uniq -c |
        sort -rn | syscall_names | head -n 40
} >"$result.tmp"
mv "$result.tmp" "$result"
table
echo "pass on the host, not in Anvil: $(wc -l <"$work/regress" | tr -d ' ') (listed in $result)"
echo "wrote $result"
[ $guest = no ] || [ $started = yes ] || die "the suite did not start in Anvil (see $result)"
