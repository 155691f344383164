#!/bin/sh
# tests/host/cache.t: the build cache: a no-op rebuild compiles nothing, a change
# to one package (or a header it includes) recompiles only it, and a kernel
# header, a kernel feature or the compiler changing rebuilds what depends on it.
. "$(dirname "$0")/../tap.sh"
cd "$top" || exit 1

export MKIMAGE_CACHE="$scratch/cache"
mkdir -p "$scratch/src/one" "$scratch/src/two"
cp -r "$top/kernel" "$top/include" "$scratch/"   # a source tree of its own, to change
printf '#define ONE_WORD "one"\n' >"$scratch/src/one/one.h"
printf '#include <stdio.h>\n#include "one.h"\nint main(void) { puts(ONE_WORD); return 0; }\n' \
    >"$scratch/src/one/one.c"
printf '#include <stdio.h>\nint main(void) { puts("two"); return 0; }\n' >"$scratch/src/two/two.c"
cat >"$scratch/config.toml" <<TOML
[image]
formats = ["iso"]
[kernel]
features = ["serial"]
[packages.one]
source = "src/one"
[packages.two]
source = "src/two"
cc = "gcc"
TOML
build() { "$mkimage" build -c "$scratch/config.toml" -o "$scratch/out" "$@" >/dev/null 2>"$scratch/log"; }

build
ok $? "a first build succeeds"
like "$scratch/log" "^  CC +kernel/main.c" "it compiles the kernel"
like "$scratch/log" "^  tcc +one" "it compiles package one with tcc"
like "$scratch/log" "^  gcc +two" "it compiles package two with gcc"

build
ok $? "a second build succeeds"
unlike "$scratch/log" "^  (CC|LD|tcc|gcc) " "a no-op rebuild compiles and links nothing"
like "$scratch/log" "KERNEL +0 compiled" "the kernel comes from the cache"
like "$scratch/log" "UP-TO-DATE" "and the image is already up to date"

printf '#include <stdio.h>\n#include "one.h"\nint main(void) { puts(ONE_WORD ", changed"); return 0; }\n' \
    >"$scratch/src/one/one.c"
build
like "$scratch/log" "^  tcc +one" "changing package one recompiles it"
unlike "$scratch/log" "^  gcc +two" "but not package two"
unlike "$scratch/log" "^  CC " "nor the kernel"
(cd "$scratch" && cpio -id bin/one <out/initfs.cpio 2>/dev/null)
is "$("$scratch/bin/one")" "one, changed" "the image holds the new program"

printf '#define ONE_WORD "uno"\n' >"$scratch/src/one/one.h"
build
like "$scratch/log" "^  tcc +one" "changing a header recompiles the package that includes it"
unlike "$scratch/log" "^  (gcc +two|CC )" "and nothing else"
(cd "$scratch" && rm -f bin/one && cpio -id bin/one <out/initfs.cpio 2>/dev/null)
is "$("$scratch/bin/one")" "uno, changed" "the image holds the program built with the new header"

printf '/* changed */\n' >>"$scratch/include/anvil/exit.h"
build
like "$scratch/log" "^  CC +kernel/power.c" "changing a kernel header recompiles the kernel file that includes it"
unlike "$scratch/log" "^  (tcc|gcc) " "but no package"

# Another compiler: a gcc first on PATH, then the same one updated in place.
mkdir "$scratch/newbin"
printf '#!/bin/sh\nexec %s "$@"\n' "$(command -v gcc)" >"$scratch/newbin/gcc"
chmod +x "$scratch/newbin/gcc"
PATH="$scratch/newbin:$PATH" build
ok $? "a build with another gcc succeeds"
like "$scratch/log" "^  CC +kernel/main.c" "another gcc recompiles the kernel"
like "$scratch/log" "^  gcc +two" "and the packages built with it"
touch -d 2001-02-03 "$scratch/newbin/gcc"
PATH="$scratch/newbin:$PATH" build
like "$scratch/log" "^  CC +kernel/main.c" "a gcc updated in place recompiles the kernel"
PATH="$scratch/newbin:$PATH" build
unlike "$scratch/log" "^  (CC|LD|tcc|gcc) " "and after that a rebuild compiles nothing again"

build --set 'kernel.features=["serial","fbcon"]'
like "$scratch/log" "^  CC +kernel/main.c" "a feature change recompiles the kernel"

printf 'int main(void) { return nope; }\n' >"$scratch/src/two/two.c"
build
ok $((! $?)) "a compile error fails the build"
like "$scratch/log" "nope" "the compiler's message is shown"
like "$scratch/log" "package two: gcc +two failed" "and the package is named"

"$mkimage" clean -c "$scratch/config.toml" -o "$scratch/out" >/dev/null 2>&1
ok $? "mkimage clean succeeds"
[ ! -e "$scratch/out" ] && [ ! -e "$scratch/cache" ]
ok $? "and removes the outputs and the cache"

done_testing
