#!/usr/bin/perl
# tests/guest/system.t: the default image is a system. Boots what `make run` boots
# and types into its serial console as a person would: BusyBox ash under init on
# a writable root, job control, ^C and ^Z, /proc and /dev, a pseudo-terminal
# (BusyBox script), and `exit 3` powering the machine off with status 3.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/../lib";
use GuestShell;
use Test::More;

# ash's prompt from /etc/profile: \u@\h:\w\$ , "root@anvil:/tmp# "
my $PROMPT = qr/\@anvil:[^\n]*# $/;
my $g = GuestShell->boot(variant => 'default', prompt => $PROMPT);

$g->cmd('echo $((6*7))', qr/^42\n/m, 'shell arithmetic');
my $n = $g->cmd('ls /bin | wc -l', qr/^\s*(\d+)\n/m, 'ls /bin | wc -l');
ok(defined $n && $n >= 50, "BusyBox applets are linked in /bin (" . ($n // '?') . ")");
$g->cmd('echo hi > /tmp/x && cat /tmp/x', qr/^hi\n/m, 'a file written in /tmp reads back');
$g->cmd('ls -ld /tmp', qr/^drwxrwxrwt /m, '/tmp has mode 1777');
$g->cmd('cd /tmp && mkdir -p a/b && cd a/b && pwd', qr{^/tmp/a/b\n}m, 'mkdir -p and cd');
$g->cmd('cd /; ln -s /tmp/x /tmp/y && readlink /tmp/y && cat /tmp/y', qr{^/tmp/x\nhi\n}m,
        'a symlink in the ramfs: readlink and follow');
$g->cmd('cat /etc/hostname; id -un', qr/^anvil\nroot\n/m, '/etc/hostname and /etc/passwd');
$g->cmd('ls -l /dev/null', qr/^c/m, '/dev/null is a character device');
$g->cmd('echo gone > /dev/null && head -c 4 /dev/zero | od -An -tx1', qr/^\s*00 00 00 00\n/m,
        '/dev/null and /dev/zero');
$g->cmd('ps', qr/^\s*1 \S+\s+\S+\s+\S*init/m, 'ps shows init as PID 1');
$g->cmd('ps -o pid,comm | grep -c sh', qr/^([1-9]\d*)\n/m, 'ps shows the shell');
$g->cmd('free | grep Mem:', qr/^Mem:\s+[1-9]\d*\s+\d+/m, 'free reads the memory sizes');
$g->cmd('uptime', qr/\bup\b/, 'uptime');
$g->cmd('cat /proc/uptime', qr/^\d+\.\d\d \d+\.\d\d\n/m, '/proc/uptime');
$g->cmd('mount', qr{ on / type }, 'mount lists the root file system');
$g->cmd('awk \'BEGIN { system("echo from-system") }\'', qr/^from-system\n/m,
        'system() runs /bin/sh -c');
$g->cmd('sleep 30 & echo started', qr/^started\n/m, 'a background job starts');
$g->cmd('jobs', qr/^\[1\]\+\s+Running\s+sleep 30/m, 'jobs lists it running');
$g->cmd('kill %1; sleep 1; jobs', qr/^\[1\]\+\s+Terminated\s+sleep 30/m, 'kill %1 terminates it');

# ^C interrupts the foreground job; ^Z stops it and fg continues it.
$g->key_after("sleep 100\r", "\x03", $PROMPT, 'Ctrl-C interrupts sleep 100');
$g->cmd('echo st=$?', qr/^st=130\n/m, 'the interrupted job reports SIGINT (130)');
$g->key_after("sleep 100\r", "\x1a", qr/Stopped/, 'Ctrl-Z stops sleep 100');
$g->prompt;
$g->cmd('jobs', qr/^\[1\]\+\s+Stopped\s+sleep 100/m, 'jobs lists it stopped');
$g->key_after("fg\r", "\x03", qr/^sleep 100\n(?:.*\n)*?.*$PROMPT/m,
              'fg continues it, and Ctrl-C ends it');

# A pseudo-terminal: BusyBox script runs sh -c on /dev/pts/N and relays its output.
$g->cmd("script -q -c 'tty; echo in-pty' /tmp/typescript", qr{^/dev/pts/\d+\r*\n\r*in-pty\r*\n}m,
        'script runs a shell on a pseudo-terminal: tty names /dev/pts/N');
$g->cmd('grep -c in-pty /tmp/typescript', qr/^1\n/m, 'the typescript holds its output');
$g->cmd('ls /dev/pts | wc -l', qr/^\s*0\n/m, 'the pair is gone once script is done');

is($g->finish("exit 3\r"), 3, '`exit 3` powers the machine off with status 3');
like($g->serial->text, qr/^init: \S+ exited with status 3\n/m, 'init saw the shell exit');

done_testing();
