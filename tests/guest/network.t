#!/usr/bin/perl
# tests/guest/network.t: virtio-netd and netd (TCP/IP on lwIP) in one boot of the
# network variant with QEMU user networking, which never leaves this machine: a
# random free host port forwarded to the guest's port 80, and a server on the
# host's 127.0.0.1 that the guest reaches as 10.0.2.2. The guest program
# (tests/guest/programs/network.c) checks the DHCP address in netcfg:, echoes
# what the host sends to its listener (1 KiB, then 4 MiB, compared here byte for
# byte), answers a datagram the host sends to a second forwarded port (UDP),
# fetches a pattern from the host's TCP server and a datagram from its UDP echo
# server, does the same through the socket calls (AF_INET; BusyBox wget over
# HTTP; a socket server on port 81 the host connects to through a third
# forwarded port), and has netd killed under a connection and restarted by init.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/../lib";
use File::Temp qw(tempdir);
use IO::Select;
use IO::Socket::INET;
use Serial;
use Test::More;
use Time::HiRes qw(time sleep);

my $top = "$FindBin::Bin/../..";
my $scratch = tempdir(CLEANUP => 1);
my $out = "$scratch/network";
my $BIG = 4 * 1024 * 1024;

chdir $top or die "cd $top: $!";
is(system("./mkimage build -q -V network -o $out >/dev/null 2>$scratch/build.log"), 0,
   'build the network variant');
my @list = `cpio -it <$out/initfs.cpio 2>/dev/null`;
ok((grep { m{^bin/(netd|virtio-netd)$} } @list) == 2, 'the initfs holds netd and virtio-netd');

# The pattern both sides agree on: byte i of a fetch (network.c's pattern()).
sub pattern {
    my ($n) = @_;
    return pack('C*', map { ($_ * 131 + ($_ >> 8)) & 0xff } 0 .. $n - 1);
}

# A port nobody listens on now, picked at random (the test may run beside others).
sub free_port {
    for (1 .. 50) {
        my $p = 20000 + int(rand(40000));
        my $s = IO::Socket::INET->new(LocalAddr => '127.0.0.1', LocalPort => $p, Listen => 1,
                                      ReuseAddr => 0) or next;
        close $s;
        return $p;
    }
    die 'no free port';
}

# The host's server, in a child, each connection in a child of its own: "get N"
# sends N bytes of the pattern and closes; "hold" keeps the connection open until
# the guest's side goes (never, when netd dies under it: its end just vanishes).
my $server = IO::Socket::INET->new(LocalAddr => '127.0.0.1', LocalPort => 0, Listen => 8,
                                   ReuseAddr => 1) or die "listen: $!";
my $server_port = $server->sockport;
my $server_pid = fork // die "fork: $!";
if (!$server_pid) {
    $SIG{CHLD} = 'IGNORE';
    $SIG{TERM} = sub { kill 'TERM', -$$; exit 0 };
    setpgrp;
    while (my $c = $server->accept) {
        if (fork) {
            close $c;
            next;
        }
        my $line = <$c> // '';
        if ($line =~ /^get (\d+)$/ && $1 <= 16 * 1024 * 1024) {
            print $c pattern($1);
        } elsif ($line =~ m{^GET /(\d+) HTTP/1\.[01]\r?$} && $1 <= 16 * 1024 * 1024) {
            my $n = $1;
            1 while defined($line = <$c>) && $line =~ /\S/;   # the headers
            print $c "HTTP/1.0 200 OK\r\nContent-Length: $n\r\n\r\n", pattern($n);
        } elsif ($line =~ /^hold$/) {
            1 while sysread($c, my $b, 4096);
        }
        exit 0;
    }
    exit 0;
}
close $server;

# The host's UDP echo server, in a child.
my $echo = IO::Socket::INET->new(LocalAddr => '127.0.0.1', LocalPort => 0, Proto => 'udp')
    or die "udp: $!";
my $echo_port = $echo->sockport;
my $echo_pid = fork // die "fork: $!";
if (!$echo_pid) {
    while (defined(my $from = $echo->recv(my $d, 65536))) {
        $echo->send($d, 0, $from);
    }
    exit 0;
}
close $echo;

my $guest_port = free_port();
my $guest_udp = free_port();
my $guest_sock = free_port();
my $s = Serial->start('./mkimage', 'run', '--no-build', '--headless', '-V', 'network', '-o', $out,
                      '--boot', 'direct', '--forward', "tcp:$guest_port:80",
                      '--forward', "udp:$guest_udp:7",
                      '--forward', "tcp:$guest_sock:81", '--timeout', '300');

# echo_exchange DATA: send DATA to the guest's echo listener while reading the echo
# back (both at once: neither side's buffers hold 4 MiB); what came back.
sub echo_exchange {
    my ($data) = @_;
    my $c = IO::Socket::INET->new(PeerAddr => '127.0.0.1', PeerPort => $guest_port) or return '';
    my ($sent, $back) = (0, '');
    my $sel = IO::Select->new($c);
    my $deadline = time + 120;

    $c->blocking(0);
    while (time < $deadline) {
        if ($sent < length $data) {
            my $n = syswrite($c, $data, 65536, $sent);
            $sent += $n if $n;
            shutdown($c, 1) if $sent == length $data;
        }
        $s->pump(0);   # keep the console flowing
        next unless $sel->can_read(0.01);
        my $n = sysread($c, my $chunk, 65536);
        last if defined $n && $n == 0;
        $back .= $chunk if $n;
    }
    close $c;
    return $back;
}

my $up = $s->expect(qr/^listening on 80$/m, 240);
ok($up, 'the guest listens on port 80 (netd got its address by DHCP)') or diag($s->rest);
if ($up) {
    my $small = join '', map { chr(int(rand(256))) } 1 .. 1024;
    ok(echo_exchange($small) eq $small, '1 KiB to the guest comes back the same');
    my $big = pattern($BIG);
    my $t0 = time;
    my $back = echo_exchange($big);
    my $secs = time - $t0;
    ok($back eq $big, sprintf('4 MiB to the guest comes back the same (%d bytes back)', length $back));
    diag(sprintf('4 MiB echoed in %.2f s: %.2f MiB/s each way', $secs, 4 / $secs)) if $secs > 0;
    my $c = IO::Socket::INET->new(PeerAddr => '127.0.0.1', PeerPort => $guest_port);
    print $c "port $server_port $echo_port\n" if $c;
    close $c if $c;
    ok($s->expect(qr/^udp bound on 7$/m, 60), 'the guest binds udp:bind/7') or diag($s->rest);
    my $u = IO::Socket::INET->new(PeerAddr => '127.0.0.1', PeerPort => $guest_udp, Proto => 'udp');
    my ($answer, $sel) = ('', IO::Select->new($u));
    for (1 .. 20) {   # UDP: sent again until the answer comes
        $u->send('hello udp');
        $s->pump(0);
        if ($sel->can_read(0.5)) {
            $u->recv($answer, 65536);
            last;
        }
    }
    is($answer, 'HELLO UDP', 'a datagram to the forwarded UDP port is answered by the guest');
    ok($s->expect(qr/^socket listening on 81$/m, 120), 'the guest listens through the socket calls')
        or diag($s->rest);
    my $sc = IO::Socket::INET->new(PeerAddr => '127.0.0.1', PeerPort => $guest_sock);
    my $reply = '';
    if ($sc) {
        print $sc "hello socket\n";
        $sc->flush;
        my $sel2 = IO::Select->new($sc);
        for (1 .. 200) {
            $s->pump(0);
            next unless $sel2->can_read(0.1);
            last unless sysread($sc, my $chunk, 256);
            $reply .= $chunk;
        }
        close $sc;
    }
    is($reply, "HELLO SOCKET\n", 'its accepted socket answers the host');
}
my $status = $s->finish(300);
kill 'TERM', $server_pid, $echo_pid;
waitpid $server_pid, 0;
waitpid $echo_pid, 0;
my $log = $s->text;
if (open my $fh, '>', "$scratch/guest.log") {
    print $fh $log;
}

is($status, 0, "the guest's checks pass and init powers off with their status");
my @failed = $log =~ /^(not ok .*)$/mg;
is(scalar @failed, 0, 'no guest check fails') or diag(join "\n", @failed);
like($log, qr/^virtio-netd: [0-9a-f:.]+ at ports 0x[0-9a-f]+, MAC 52:54:00:12:34:56, \d+\+\d+ buffers, MSI-X$/m,
     'virtio-netd drives the card with MSI-X');
like($log, qr/^netd: 10\.0\.2\.15\/24 gateway 10\.0\.2\.2 \(dhcp\)$/m, 'netd logs its DHCP address');
like($log, qr/^netcfg address 10\.0\.2\.15$/m, 'netcfg: says 10.0.2.15');
like($log, qr/^ok \d+ - tcp:10\.0\.2\.2:\d+: 1 MiB fetched from the host/m,
     'the guest fetched from the host server');
like($log, qr/^ok \d+ - udp:10\.0\.2\.2:\d+: a datagram to the host's echo server comes back$/m,
     "a datagram from the guest to the host's UDP echo server comes back");
like($log, qr/^ok \d+ - a datagram comes with its sender, 10\.0\.2\.2:\d+$/m,
     'the bound handle names the sender');
like($log, qr/^ok \d+ - busybox wget http:\/\/10\.0\.2\.2:\d+\/\d+: the bytes, the same$/m,
     'unmodified BusyBox wget fetches over HTTP through the socket calls');
like($log, qr/^init: netd killed by signal 9, restarting/m, 'init restarts the killed netd');
like($log, qr/^ok \d+ - and a new connection fetches from the host$/m,
     'and the new netd serves connections');

done_testing;
