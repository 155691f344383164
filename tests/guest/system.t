#!/usr/bin/perl
# tests/guest/system.t: the default image is a system. Boots what `make run` boots
# and types into its serial console as a person would: BusyBox ash under init on
# a writable root, job control, ^C and ^Z, /proc and /dev, and `exit 3` powering
# the machine off with status 3.
use strict;
use warnings;
use File::Basename qw(dirname);
use File::Temp qw(tempdir);
use FindBin;
use lib "$FindBin::Bin/../lib";
use Serial;
use Test::More;

my $top = dirname(dirname($FindBin::Bin));
my $scratch = tempdir(CLEANUP => 1);
my $mkimage = "$top/mkimage";
my $out = "$scratch/default";
# ash's prompt from /etc/profile: \u@\h:\w\$ , "root@anvil:/tmp# "
my $PROMPT = qr/\@anvil:[^\n]*# $/;
my $BOOT_S = 180;       # QEMU start to the prompt, under slow emulation
my $ANSWER_S = 60;      # one command's answer

chdir $top or die "$top: $!";
my $st = system("'$mkimage' build -q -V default -o '$out' >/dev/null 2>'$scratch/build.log'");
is($st, 0, 'build the default variant') or diag(`tail -20 '$scratch/build.log'`);

my $s = Serial->start($mkimage, qw(run --no-build -V default -o), $out,
                      qw(--boot direct --timeout 900));
my $up = defined $s->expect($PROMPT, $BOOT_S);
ok($up, 'boots to the shell prompt') or diag("last output:\n" . $s->rest);

# cmd LINE, PATTERN, NAME: type LINE, wait for PATTERN, then for the prompt.
# Returns PATTERN's first group. Once the prompt is lost every later check fails.
sub cmd {
    my ($line, $re, $name) = @_;
    my $got;

    unless ($up) {
        fail("$name (no prompt)");
        return undef;
    }
    $s->type("$line\r");
    $got = $s->expect($re, $ANSWER_S);
    ok(defined $got, $name) or diag("typed: $line\nafter it:\n" . $s->rest);
    $up = defined $s->expect($PROMPT, $ANSWER_S);
    diag("no prompt after: $line\n" . $s->rest) unless $up;
    return $got;
}

cmd('echo $((6*7))', qr/^42\n/m, 'shell arithmetic');
my $n = cmd('ls /bin | wc -l', qr/^\s*(\d+)\n/m, 'ls /bin | wc -l');
ok(defined $n && $n >= 50, "BusyBox applets are linked in /bin (" . ($n // '?') . ")");
cmd('echo hi > /tmp/x && cat /tmp/x', qr/^hi\n/m, 'a file written in /tmp reads back');
cmd('ls -ld /tmp', qr/^drwxrwxrwt /m, '/tmp has mode 1777');
cmd('cd /tmp && mkdir -p a/b && cd a/b && pwd', qr{^/tmp/a/b\n}m, 'mkdir -p and cd');
cmd('cd /; ln -s /tmp/x /tmp/y && readlink /tmp/y && cat /tmp/y', qr{^/tmp/x\nhi\n}m,
    'a symlink in the ramfs: readlink and follow');
cmd('cat /etc/hostname; id -un', qr/^anvil\nroot\n/m, '/etc/hostname and /etc/passwd');
cmd('ls -l /dev/null', qr/^c/m, '/dev/null is a character device');
cmd('echo gone > /dev/null && head -c 4 /dev/zero | od -An -tx1', qr/^\s*00 00 00 00\n/m,
    '/dev/null and /dev/zero');
cmd('ps', qr/^\s*1 \S+\s+\S+\s+\S*init/m, 'ps shows init as PID 1');
cmd('ps -o pid,comm | grep -c sh', qr/^([1-9]\d*)\n/m, 'ps shows the shell');
cmd('free | grep Mem:', qr/^Mem:\s+[1-9]\d*\s+\d+/m, 'free reads the memory sizes');
cmd('uptime', qr/\bup\b/, 'uptime');
cmd('cat /proc/uptime', qr/^\d+\.\d\d \d+\.\d\d\n/m, '/proc/uptime');
cmd('mount', qr{ on / type }, 'mount lists the root file system');
cmd('awk \'BEGIN { system("echo from-system") }\'', qr/^from-system\n/m,
    'system() runs /bin/sh -c');
cmd('sleep 30 & echo started', qr/^started\n/m, 'a background job starts');
cmd('jobs', qr/^\[1\]\+\s+Running\s+sleep 30/m, 'jobs lists it running');
cmd('kill %1; sleep 1; jobs', qr/^\[1\]\+\s+Terminated\s+sleep 30/m, 'kill %1 terminates it');

# ^C interrupts the foreground job; ^Z stops it and fg continues it.
if ($up) {
    $s->type("sleep 100\r");
    sleep 3;
    $s->type("\x03");
    $up = defined $s->expect($PROMPT, 20);
    ok($up, 'Ctrl-C interrupts sleep 100') or diag($s->rest);
}
else {
    fail('Ctrl-C interrupts sleep 100 (no prompt)');
}
cmd('echo st=$?', qr/^st=130\n/m, 'the interrupted job reports SIGINT (130)');
if ($up) {
    $s->type("sleep 100\r");
    sleep 3;
    $s->type("\x1a");
    ok(defined $s->expect(qr/Stopped/, 20), 'Ctrl-Z stops sleep 100') or diag($s->rest);
    $up = defined $s->expect($PROMPT, 20);
}
else {
    fail('Ctrl-Z stops sleep 100 (no prompt)');
}
cmd('jobs', qr/^\[1\]\+\s+Stopped\s+sleep 100/m, 'jobs lists it stopped');
if ($up) {
    $s->type("fg\r");
    ok(defined $s->expect(qr/^sleep 100\n/m, 20), 'fg continues it');
    sleep 2;
    $s->type("\x03");
    $up = defined $s->expect($PROMPT, 20);
    ok($up, 'Ctrl-C ends the continued job') or diag($s->rest);
}
else {
    fail('fg continues it (no prompt)');
}

$s->type("exit 3\r") if $up;
is($s->finish(120), 3, '`exit 3` powers the machine off with status 3');
like($s->text, qr/^init: \S+ exited with status 3\n/m, 'init saw the shell exit');

done_testing();
