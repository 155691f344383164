#!/bin/sh
# pkgs/setup-sources.sh: lets `apt-get source` (the pkgs/ recipes) work by adding a deb-src twin of
# the system's Debian `deb` entries (once), then refreshing apt's lists. Run as root.
set -eu

prog=setup-sources
dir=/etc/apt/sources.list.d
# Our own files, so the system's own files are never edited.
ours822=$dir/anvil-deb-src.sources
ourslist=$dir/anvil-deb-src.list
sys822=$dir/debian.sources
syslist=/etc/apt/sources.list

die() {
    echo "$prog: $*" >&2
    exit 1
}

[ "$(id -u)" = 0 ] || die "must run as root (it writes under /etc/apt and runs apt-get update)"
command -v apt-get >/dev/null 2>&1 || die "apt-get not found (package apt)"

# has_src: true if a Debian deb-src entry is already configured (by us or by the system).
has_src() {
    [ -e "$ours822" ] || [ -e "$ourslist" ] && return 0
    [ -f "$sys822" ] && grep -Eq '^Types:.*deb-src' "$sys822" && return 0
    [ -f "$syslist" ] && grep -Eq '^[[:space:]]*deb-src[[:space:]]' "$syslist" && return 0
    return 1
}

added=no
if ! has_src; then
    tmp=$(mktemp)
    trap 'rm -f "$tmp"' EXIT
    if [ -f "$sys822" ]; then
        # deb822 (Debian 12 default): copy each enabled `Types: deb` stanza, with
        # its Types set to deb-src and its comments dropped.
        awk 'BEGIN { RS = "" }
        {
            n = split($0, line, "\n"); out = ""; isdeb = 0; off = 0
            for (i = 1; i <= n; i++) {
                l = line[i]
                if (l ~ /^#/) continue
                if (l ~ /^Types:/) {
                    if (l ~ /[: \t]deb([ \t]|$)/) isdeb = 1
                    l = "Types: deb-src"
                }
                if (l ~ /^Enabled:[ \t]*[Nn][Oo]/) off = 1
                out = out l "\n"
            }
            if (isdeb && !off) printf "%s%s", (count++ ? "\n" : ""), out
        }' "$sys822" >"$tmp"
        target=$ours822
    elif [ -f "$syslist" ]; then
        # One-line format: each `deb [options] URI suite components` becomes deb-src.
        sed -n 's/^[[:space:]]*deb\([[:space:]]\)/deb-src\1/p' "$syslist" >"$tmp"
        target=$ourslist
    else
        die "neither $sys822 nor $syslist exists: no Debian entry to copy"
    fi
    [ -s "$tmp" ] || die "no enabled 'deb' entry found to copy as deb-src"
    {
        echo "# Added by Anvil's pkgs/setup-sources.sh: Debian source packages"
        echo "# for the pkgs/ recipes (apt-get source). Copied from the system's deb entries."
        cat "$tmp"
    } >"$target"
    chmod 644 "$target"
    echo "$prog: added $target"
    added=yes
fi

# Refresh only when needed: the entry is new, or apt has no source index yet.
if [ "$added" = yes ] || [ -z "$(apt-cache showsrc busybox 2>/dev/null | head -n 1)" ]; then
    echo "$prog: apt-get update"
    apt-get update -qq || die "apt-get update failed"
fi
[ -n "$(apt-cache showsrc busybox 2>/dev/null | head -n 1)" ] ||
    die "apt still finds no source package 'busybox' after apt-get update"
echo "$prog: Debian source packages are available (apt-get source works)"
