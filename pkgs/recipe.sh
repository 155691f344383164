# pkgs/recipe.sh: what every recipe that builds a Debian source package shares.
# A recipe sets prog, sources this file with its arguments, then calls need and
# debian_source:
#   prog=NAME/build.sh
#   . "$(dirname "$0")/../recipe.sh"      # checks "$@" (OUTFILE), sets scratch out jobs dl
#   need PACKAGE PROGRAM...
#   debian_source NAME                   # sets dsc and version, unpacks into ./src
# mkimage runs a recipe in a scratch dir: MKIMAGE_JOBS=N MKIMAGE_DOWNLOADS=DIR sh build.sh OUT

die() {
    echo "$prog: error: $*" >&2
    exit 1
}
note() {
    echo "$prog: $*"
}
# show_log FILE: the end of a log, for a failure message (lines cut: some logs are wide).
show_log() {
    echo "$prog: last lines of $1:" >&2
    tail -n 40 "$1" | cut -c 1-400 >&2
}

[ $# -eq 1 ] || die "usage: MKIMAGE_JOBS=N MKIMAGE_DOWNLOADS=DIR sh build.sh OUTFILE"
scratch=$(pwd)
out=$1
case $out in /*) ;; *) out=$scratch/$out ;; esac
jobs=${MKIMAGE_JOBS:-1}
case $jobs in '' | *[!0-9]* | 0) die "MKIMAGE_JOBS must be a positive number, not '$jobs'" ;; esac
# Without a persistent folder the download lands in the scratch dir (and is lost).
dl=${MKIMAGE_DOWNLOADS:-$scratch/downloads}
case $dl in /*) ;; *) dl=$scratch/$dl ;; esac

# need PACKAGE PROGRAM...: each Debian package this recipe uses, named when missing.
need() {
    pkg=$1
    shift
    for p in "$@"; do
        command -v "$p" >/dev/null 2>&1 ||
            die "'$p' not found: install the Debian package $pkg (apt-get install $pkg)"
    done
}

# debian_source NAME: Debian's source package NAME, kept in the downloads folder, unpacked
# into ./src with Debian's patch series applied. apt-get checks the files against the
# archive's signed index and skips those it already has, so a rebuild fetches nothing;
# dpkg-source checks the tarballs against the .dsc. Sets dsc and version.
debian_source() {
    mkdir -p "$dl"
    aptlog=$scratch/apt.log
    rm -rf "$scratch/uris"
    mkdir "$scratch/uris"
    # --print-uris leaves out files already in its cwd, so it runs in an empty folder.
    if (cd "$scratch/uris" && apt-get source --print-uris -qq "$1") >"$scratch/apt-uris" 2>"$aptlog"; then
        dsc=$(awk '$2 ~ /\.dsc$/ { print $2 }' "$scratch/apt-uris")
        [ -n "$dsc" ] || die "apt-get source --print-uris $1 named no .dsc file"
        if ! (cd "$dl" && apt-get source --download-only "$1") >>"$aptlog" 2>&1; then
            show_log "$aptlog"
            die "apt-get source could not download $1 into $dl"
        fi
    else
        # apt has no source index (no deb-src entry or lists not updated): an earlier download will do.
        dsc=$(cd "$dl" && ls "$1"_*.dsc 2>/dev/null | sort -V | tail -n 1)
        if [ -z "$dsc" ]; then
            cat "$aptlog" >&2
            die "apt-get source cannot find Debian's $1 source package. Add the deb-src entry and refresh apt by running, as root: sh pkgs/setup-sources.sh"
        fi
        note "warning: apt has no source index for $1; using the earlier download $dsc"
    fi
    # The first Version field: the .dsc is signed inline, and the signature has one of its own.
    version=$(sed -n '/^Version: */{s///p;q;}' "$dl/$dsc")
    [ -n "$version" ] || die "no Version field in $dl/$dsc"
    note "source: Debian $1 $version ($dsc)"
    rm -rf src
    if ! dpkg-source -x "$dl/$dsc" src >dpkg-source.log 2>&1; then
        show_log dpkg-source.log
        die "dpkg-source -x $dsc failed"
    fi
}
