#!/usr/bin/perl
# tests/guest/system.t: the default image is a system. Boots what `make run` boots
# and types into its serial console as a person would: BusyBox ash under init on
# a writable root, job control, ^C (timed on the host) and ^Z, the serial
# terminal's settings (stty -a), echo, BusyBox vi, /proc and /dev, a
# pseudo-terminal (BusyBox script), logger to syslogd over an AF_UNIX socket, Ncat
# over AF_UNIX stream and datagram sockets, and `exit 3` powering the machine off with
# status 3.
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
# AF_UNIX datagrams between unmodified programs: BusyBox syslogd binds /dev/log,
# logger sends to it through musl's syslog(3) (socket, connect, send).
$g->cmd('syslogd -O /tmp/messages; for i in $(seq 50); do test -S /dev/log && break; sleep 0.1; done; '
        . 'logger -t socktest hello-over-af-unix; for i in $(seq 50); do grep -q hello-over /tmp/messages && break; '
        . 'sleep 0.1; done; test -S /dev/log && grep -c hello-over-af-unix /tmp/messages',
        qr/^1\n/m, 'logger reaches syslogd over /dev/log (AF_UNIX datagrams), a socket for test -S');
# Ncat (pkgs/ncat) between two processes over AF_UNIX: a stream listener writes what one
# client sends to a file and exits when it closes; a datagram listener gets one line. The
# datagram client stays up a while after sending: the listener connects back to the
# client's socket (ncat deletes it on exit), as it does on Linux.
$g->cmd('seq 300 > /tmp/nc.in; ncat -lU /tmp/nc.sock > /tmp/nc.got & l=$!; '
        . 'for i in $(seq 50); do test -S /tmp/nc.sock && break; sleep 0.1; done; '
        . 'ncat -U /tmp/nc.sock < /tmp/nc.in; wait $l; cmp /tmp/nc.in /tmp/nc.got && echo nc-stream-ok',
        qr/^nc-stream-ok\n/m, 'ncat -lU and ncat -U carry a file over an AF_UNIX stream');
$g->cmd('ncat -luU /tmp/nc.dg < /dev/null > /tmp/nc.dgot & l=$!; '
        . 'for i in $(seq 50); do test -S /tmp/nc.dg && break; sleep 0.1; done; '
        . '{ echo hello-dgram; sleep 2; } | ncat -uU /tmp/nc.dg; for i in $(seq 50); do '
        . 'grep -q hello-dgram /tmp/nc.dgot && break; sleep 0.1; done; kill $l; cat /tmp/nc.dgot',
        qr/^hello-dgram\n/m, 'ncat -luU gets a line that ncat -uU sends as an AF_UNIX datagram');
# TCP over 127.0.0.1, which netd serves in the default image without a card: Ncat to
# Ncat, and BusyBox nc to Ncat: nc half-closes (shutdown SHUT_WR) at the end of its input,
# the listener sees the end and closes, and nc exits. Listeners in the background read
# /dev/null (from the terminal they would stop with SIGTTIN, as on Linux).
$g->cmd('ncat -l 127.0.0.1 5555 < /dev/null > /tmp/nct.got & l=$!; sleep 1; '
        . 'ncat 127.0.0.1 5555 < /tmp/nc.in; wait $l; cmp /tmp/nc.in /tmp/nct.got && echo nc-tcp-ok',
        qr/^nc-tcp-ok\n/m, 'ncat -l and ncat carry a file over TCP on 127.0.0.1');
$g->cmd('ncat -l 127.0.0.1 5556 < /dev/null > /tmp/bbnc.got & l=$!; sleep 1; '
        . 'busybox nc 127.0.0.1 5556 < /tmp/nc.in; wait $l; cmp /tmp/nc.in /tmp/bbnc.got && echo bbnc-ok',
        qr/^bbnc-ok\n/m, 'BusyBox nc sends a file to ncat -l and ends after its half-close');
$g->cmd('cat netcfg:', qr/^state nocard\n/m, 'netcfg: says netd has no card (loopback only)');
# /etc/resolv.conf names netd's forwarder, which has no server to ask here: it says so at once.
$g->cmd('cat /etc/resolv.conf; busybox nslookup files.anvil.test 2>&1 | grep -c SERVFAIL',
        qr/^nameserver 127\.0\.0\.1\n[1-9]\d*\n/m,
        "nslookup through netd's forwarder without a server: SERVFAIL, not a timeout");
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

# ^C interrupts the foreground job at once; ^Z stops it and fg continues it.
my $took = $g->key_after("sleep 100\r", "\x03", $PROMPT, 'Ctrl-C interrupts sleep 100');
ok(defined $took && $took < 1, 'the prompt is back within a second of Ctrl-C (host clock: '
   . (defined $took ? sprintf('%.3f s', $took) : 'never') . ')');
$g->cmd('echo st=$?', qr/^st=130\n/m, 'the interrupted job reports SIGINT (130)');
$g->key_after("sleep 100\r", "\x1a", qr/Stopped/, 'Ctrl-Z stops sleep 100');
$g->prompt;
$g->cmd('jobs', qr/^\[1\]\+\s+Stopped\s+sleep 100/m, 'jobs lists it stopped');
$g->key_after("fg\r", "\x03", qr/^sleep 100\n(?:.*\n)*?.*$PROMPT/m,
              'fg continues it, and Ctrl-C ends it');
$g->cmd('echo st=$?', qr/^st=130\n/m, 'the continued job ends by SIGINT (130)');

# The serial line is a terminal as Linux sets one up: its settings, its size
# (vi needs it), and each typed line echoed once.
my $stty = $g->said('stty -a') // '';
like($stty, qr/^speed 38400 baud; rows 25; columns 80;/m, 'stty -a: speed, rows and columns');
like($stty, qr/^intr = \^C; .*eof = \^D;/m, 'stty -a: intr is ^C, eof ^D');
like($stty, qr/; susp = \^Z;/, 'stty -a: susp is ^Z');
like($stty, qr/^isig icanon iexten echo /m, 'stty -a: canonical mode with echo and signals');
like($stty, qr/ icrnl /, 'stty -a: Enter (CR) reads as a newline');
like($stty, qr/^opost .* onlcr /m, 'stty -a: output turns NL into CR NL');
like($g->said('echo once-$((1+1))') // '', qr/\Aecho once-\$\(\(1\+1\)\)\nonce-2\n\S*$PROMPT\z/,
     'a typed line is echoed exactly once');

# BusyBox vi on the serial terminal: insert a line, Escape, :wq.
vi_keys($g, "vi /tmp/v.txt\r", qr/~\s*~/, 'vi opens a new file and draws the empty lines');
vi_keys($g, "ihello from vi\e", qr/hello ?from ?vi/, 'vi: insert mode shows the text');
$g->serial->type(":wq\r");
ok($g->prompt, 'vi: Escape, then :wq writes the file and quits');
$g->cmd('cat /tmp/v.txt', qr/^hello from vi\n/m, 'the file holds the line typed in vi');

is($g->finish("exit 3\r"), 3, '`exit 3` powers the machine off with status 3');
like($g->serial->text, qr/^init: \S+ exited with status 3\n/m, 'init saw the shell exit');

done_testing();

# vi_keys G, KEYS, PATTERN, NAME: type KEYS into a full-screen program, then wait
# for PATTERN. A pause after each, so vi sees a lone Escape as the key itself.
sub vi_keys {
    my ($g, $keys, $re, $name) = @_;

    $g->serial->type($keys);
    sleep 1;
    ok(defined $g->serial->expect($re, 20), $name) or diag($g->serial->rest);
}
