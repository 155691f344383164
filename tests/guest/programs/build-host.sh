#!/bin/sh
# tests/guest/programs/build-host.sh: builds every guest test program as a static musl
# binary with musl-gcc (into OUT/gcc) and with tcc (into OUT/tcc), then runs each set's
# `all` on this host. Usage: build-host.sh OUT [ARGS FOR all...]
set -u

MUSL_LIB=/usr/lib/x86_64-linux-musl
MUSL_INCLUDE=/usr/include/x86_64-linux-musl
TCC_LIB=/usr/lib/x86_64-linux-gnu/tcc
# Programs tcc cannot build; they are left out of OUT/tcc (and `all` there reports them
# missing). None at present: threads.c builds with tcc but skips its _Thread_local checks,
# as tcc has no thread-local storage.
GCC_ONLY=""

if [ $# -lt 1 ]; then
    echo "usage: $0 OUT [ARGS FOR all...]" >&2
    exit 2
fi
out=$1
shift
src=$(cd "$(dirname "$0")" && pwd) || exit 1
failed=0

build_gcc() {
    musl-gcc -static -O2 -Wall -Wextra -Werror "$1" -o "$2"
}

# tcc has no driver for musl, so musl's start files and libc are named one by one.
build_tcc() {
    tcc -nostdinc -nostdlib -static \
        -I"$TCC_LIB/include" -I"$MUSL_INCLUDE" \
        "$MUSL_LIB/crt1.o" "$MUSL_LIB/crti.o" \
        "$1" \
        "$MUSL_LIB/libc.a" "$TCC_LIB/libtcc1.a" \
        "$MUSL_LIB/crtn.o" -o "$2"
}

gcc_only() {
    for g in $GCC_ONLY; do
        [ "$g" = "$1" ] && return 0
    done
    return 1
}

# build_all COMPILER: every program into $out/COMPILER.
build_all() {
    mkdir -p "$out/$1" || exit 1
    for c in "$src"/*.c; do
        name=$(basename "$c" .c)
        if [ "$1" = tcc ] && gcc_only "$name"; then
            echo "$1: $name skipped (needs gcc)"
            continue
        fi
        if ! "build_$1" "$c" "$out/$1/$name"; then
            echo "$1: $name does not build"
            failed=1
        fi
    done
}

run_all() {
    compiler=$1
    shift
    echo "== $compiler: $out/$compiler/all $*"
    # Linux is not what is under test here: the fuzzer's minute is for Anvil; on the host a
    # few seconds show that its checks hold on Linux too.
    if ! FUZZ_SECONDS=${FUZZ_SECONDS:-8} "$out/$compiler/all" "$@"; then
        echo "== $compiler: some tests failed"
        failed=1
    fi
}

build_all gcc
build_all tcc
run_all gcc "$@"
run_all tcc "$@"
if [ $failed -ne 0 ]; then
    echo "build-host: FAILED"
    exit 1
fi
echo "build-host: all built and passed with musl-gcc and tcc"
