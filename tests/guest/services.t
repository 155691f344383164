#!/bin/sh
# tests/guest/services.t: schemes served by userspace daemons under init: the
# services variant boots init, which starts echod and crashd from the service
# table mkimage wrote, then runs tests/guest/programs/schemes.c and powers off.
# ramfsd serves file: from RAM; tests/guest/programs/suite.c also runs ramfs.c
# against it (its lines prefixed "ramfs: "), fscache.c (the kernel's cache of
# ramfsd's files, "fscache: "), fsstress.c (clients checking every byte while
# a private ramfsd is killed and restarted, "fsstress: ") and drivers.c, the
# ioport:, irq: and memory: schemes ("drivers: "); hostile.c also plays a lying
# netd under the kernel's sockets ("-n"). Last, svcctl.c (svc list,
# svc restart) under UEFI.
. "$(dirname "$0")/../tap.sh"
cd "$top" || exit 1

out="$scratch/services"
"$mkimage" build -q -V services -o "$out" >/dev/null 2>"$scratch/build.log"
ok $? "build the services variant"
cpio -it <"$out/initfs.cpio" 2>/dev/null >"$scratch/list"
for f in bin/init bin/svc bin/echod bin/crashd etc/anvil/services; do
    like "$scratch/list" "^$f\$" "the initfs holds $f"
done
like "$out/grub.cfg" "multiboot2 .* -- /bin/init\$" "init is PID 1"

"$mkimage" run --no-build --headless -V services -o "$out" --boot direct --timeout 300 \
    >"$scratch/run.raw" 2>&1
is $? 0 "the scheme tests pass and init powers off with their status"
tr -d '\r' <"$scratch/run.raw" >"$scratch/run.log"
n=$(grep -c '^ok [0-9]* - ' "$scratch/run.log")
is "$n" 28 "all 28 scheme checks pass"
grep '^not ok' "$scratch/run.log" | sed 's/^/# /'
like "$scratch/run.log" "^hostile: # seed [0-9]+, 20 s, as netd\$" \
    "the hostile daemon also plays netd under the kernel's sockets (hostile.c -n)"
like "$scratch/run.log" "^init: echod started \(pid [0-9]+\)" "init logs a start"
like "$scratch/run.log" "^init: echod ready" "and readiness (its scheme registered)"
like "$scratch/run.log" "^init: crashd killed by signal 11, restarting in [0-9]+ ms" "and a crash with its backoff"
like "$scratch/run.log" "^init: crashd failed: 5 restarts in 10 s" "a crash loop ends in failed"
like "$scratch/run.log" "^init: echod killed by signal 9, restarting" "a killed daemon is restarted"
like "$scratch/run.log" "^init: echod stopped" "at power-off services are stopped"
like "$scratch/run.log" "^init: greet exited with status 0" "a oneshot task runs to completion"
like "$scratch/run.log" "^init: greet ready" "and counts as ready when it exits 0"
like "$scratch/list" "^bin/ramfsd\$" "the initfs holds bin/ramfsd"
like "$scratch/run.log" "^init: ramfsd ready" "ramfsd registers file:"
like "$scratch/run.log" "^ramfs: 1\.\.41\$" "ramfs.c runs all 41 checks on ramfsd"
unlike "$scratch/run.log" "^ramfs: not ok" "and none fails"
grep '^ramfs: not ok' "$scratch/run.log" | sed 's/^/# /'
like "$scratch/run.log" "^suite: /bin/tests/ramfs passed" "the ramfs program exits 0"
like "$scratch/run.log" "^fscache: 1\.\.[0-9]+\$" "fscache.c (one file through many fds, processes and names) runs"
unlike "$scratch/run.log" "^fscache: not ok" "and none of its checks fails"
grep '^fscache: not ok' "$scratch/run.log" | sed 's/^/# /'
like "$scratch/run.log" "^suite: /bin/tests/fscache passed" "the fscache program exits 0"
like "$scratch/run.log" "^fsstress: ok [0-9]+ - no client read a wrong byte" "fsstress.c: no client reads a wrong byte"
like "$scratch/run.log" "^fsstress: ok [0-9]+ - kill 2: ramfsd dies" "while its ramfsd is killed twice and restarted"
like "$scratch/run.log" "^fsstress: ok [0-9]+ - MemFree is back" "and the memory comes back"
unlike "$scratch/run.log" "^fsstress: not ok" "none of fsstress's checks fails"
grep -E '^fsstress: (not ok|#)' "$scratch/run.log" | sed 's/^/# /'
like "$scratch/run.log" "^suite: /bin/tests/fsstress passed" "the fsstress program exits 0"
like "$scratch/run.log" "^drivers: 1\.\.[0-9]+\$" "drivers.c (ioport:, irq:, memory:) runs"
unlike "$scratch/run.log" "^drivers: not ok" "and none of its checks fails"
grep '^drivers: not ok' "$scratch/run.log" | sed 's/^/# /'
like "$scratch/run.log" "^suite: /bin/tests/drivers passed" "the drivers program exits 0"
like "$scratch/list" "^bin/logd\$" "the initfs holds bin/logd"
like "$scratch/run.log" "^init: logd ready" "logd registers log:"
like "$scratch/run.log" "^logd: 1\.\.[0-9]+\$" "logd.c (the log: scheme) runs"
unlike "$scratch/run.log" "^logd: not ok" "and none of its checks fails"
grep '^logd: not ok' "$scratch/run.log" | sed 's/^/# /'
like "$scratch/run.log" "^suite: /bin/tests/logd passed" "the logd program exits 0"

# The same services from the ISO under UEFI (GRUB and OVMF), running svcctl.c:
# svc list and svc restart, as a user types them.
svcrun="init.run=/bin/tests/svcctl"
"$mkimage" build -q -V services --set "$svcrun" -o "$scratch/svc" >/dev/null 2>&1
"$mkimage" run --no-build --headless -V services --set "$svcrun" -o "$scratch/svc" --boot iso \
    --firmware uefi --timeout 300 >"$scratch/svc.raw" 2>&1
is $? 0 "under UEFI, init starts the services and svcctl passes"
tr -d '\r' <"$scratch/svc.raw" >"$scratch/svc.log"
like "$scratch/svc.log" "^boot: multiboot2 cmdline" "uefi: GRUB loaded the kernel"
like "$scratch/svc.log" "^ok [0-9]+ - svc list shows echod ready" "svc list shows the services"
like "$scratch/svc.log" "^ok [0-9]+ - echod is ready again in a new process" "svc restart gives a service a new process"
like "$scratch/svc.log" "^init: echod killed by signal 15, restarting" "init logs the restart"
unlike "$scratch/svc.log" "^not ok" "and none of svcctl's checks fails"
grep '^not ok' "$scratch/svc.log" | sed 's/^/# /'

done_testing
