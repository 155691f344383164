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
# forwarded port), checks the loopback interface (inet.c) and BusyBox ping, resolves
# a name through netd's DNS forwarder and a DNS server this test runs on the host's
# 127.0.0.1:53, serves 1 KiB and 50 MiB from BusyBox httpd to curl (and 64
# connections at once), has the card's driver killed under a connection (netd takes
# the restarted card back), and has netd killed under a connection and restarted by init.
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
# netd is told to send DNS queries to 10.0.2.2, which QEMU maps to the host's 127.0.0.1:53,
# where this test answers them: no query leaves the machine.
is(system("./mkimage build -q -V network --set 'network.dns=\"10.0.2.2\"' -o $out >/dev/null 2>$scratch/build.log"), 0,
   'build the network variant');
my @list = `cpio -it <$out/initfs.cpio 2>/dev/null`;
ok((grep { m{^bin/(netd|virtio-netd)$} } @list) == 2, 'the initfs holds netd and virtio-netd');

# The pattern both sides agree on: byte i of a fetch (network.c's pattern()).
sub pattern {
    my ($n) = @_;
    return pack('C*', map { ($_ * 131 + ($_ >> 8)) & 0xff } 0 .. $n - 1);
}

# N bytes of the pattern, fast: byte 256*b + j is (131*j + b) & 0xff, so every
# 256-byte block is one of 256 rows.
sub pattern_fast {
    my ($n) = @_;
    my @rows = map { my $r = $_; pack('C*', map { ($_ * 131 + $r) & 0xff } 0 .. 255) } 0 .. 255;
    my $s = join '', map { $rows[$_ & 0xff] } 0 .. int(($n + 255) / 256) - 1;
    return substr($s, 0, $n);
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

# The host's DNS server on 127.0.0.1:53 (UDP), in a child: files.anvil.test is 10.0.2.2,
# every other name is unknown (NXDOMAIN). It reads only what it needs of a query.
my $dns = IO::Socket::INET->new(LocalAddr => '127.0.0.1', LocalPort => 53, Proto => 'udp', ReuseAddr => 1);
ok($dns, 'a DNS server on the host\'s 127.0.0.1:53') or diag("bind 127.0.0.1:53: $!");
my $dns_pid = $dns ? fork // die "fork: $!" : 0;
if ($dns && !$dns_pid) {
    while (defined(my $from = $dns->recv(my $q, 512))) {
        next if length $q < 17;
        my ($id, $flags) = unpack 'n n', $q;
        my ($at, @labels) = (12);
        while ($at < length $q and my $len = ord substr($q, $at, 1)) {
            push @labels, lc substr($q, $at + 1, $len);
            $at += 1 + $len;
        }
        my $question = substr($q, 12, $at + 5 - 12);
        my $qtype = unpack 'n', substr($q, $at + 1, 2);
        my $known = join('.', @labels) eq 'files.anvil.test';
        my $answers = $known && $qtype == 1 ? 1 : 0;
        my $head = pack 'n n n n n n', $id, 0x8180 | ($known ? 0 : 3), 1, $answers, 0, 0;
        my $answer = $answers ? pack('n n n N n C4', 0xc00c, 1, 1, 60, 4, 10, 0, 2, 2) : '';
        $dns->send($head . $question . $answer, 0, $from);
    }
    exit 0;
}
close $dns if $dns;

my $guest_port = free_port();
my $guest_http = free_port();
my $guest_udp = free_port();
my $guest_sock = free_port();
my $s = Serial->start('./mkimage', 'run', '--no-build', '--headless', '-V', 'network', '-o', $out,
                      '--boot', 'direct', '--forward', "tcp:$guest_port:80",
                      '--forward', "udp:$guest_udp:7",
                      '--forward', "tcp:$guest_sock:81", '--forward', "tcp:$guest_http:8080",
                      '--timeout', '480');

# curl ARGS...: what curl wrote to stdout, the console kept flowing meanwhile.
sub curl {
    my @args = @_;
    my $pid = open(my $fh, '-|', 'curl', '-s', '--max-time', '200', @args) or return '';
    my $got = '';
    my $sel = IO::Select->new($fh);
    while (1) {
        $s->pump(0);
        next unless $sel->can_read(0.05);
        last unless sysread($fh, my $chunk, 1 << 20);
        $got .= $chunk;
    }
    close $fh;
    return $got;
}

# BusyBox httpd in the guest: 1 KiB and 50 MiB fetched by curl and compared (the
# guest opens its 64 connections at once itself); then the guest is told to go on.
sub http_checks {
    ok($s->expect(qr/^httpd ready$/m, 240), 'BusyBox httpd serves in the guest') or return diag($s->rest);
    my $base = "http://127.0.0.1:$guest_http";
    ok(curl("$base/small") eq pattern(1024), 'curl fetches the 1 KiB file, byte for byte');
    my $t0 = time;
    my $big = curl("$base/big");
    my $secs = time - $t0;
    ok(length($big) == 50 * 1024 * 1024 && $big eq pattern_fast(50 * 1024 * 1024),
       sprintf('curl fetches the 50 MiB file, byte for byte (%d bytes)', length $big));
    diag(sprintf('50 MiB from httpd in %.1f s: %.1f MiB/s', $secs, 50 / $secs)) if $secs > 0;
    my $c = IO::Socket::INET->new(PeerAddr => '127.0.0.1', PeerPort => $guest_sock);
    print $c "done\n" if $c;
    close $c if $c;
}

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
    http_checks();
}
my $status = $s->finish(300);
kill 'TERM', $server_pid, $echo_pid, ($dns_pid ? $dns_pid : ());
waitpid $server_pid, 0;
waitpid $echo_pid, 0;
waitpid $dns_pid, 0 if $dns_pid;
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
like($log, qr/^ok \d+ - inet: UDP, TCP and raw ICMP sockets over 127\.0\.0\.1 pass$/m,
     'the loopback socket checks (inet.c) pass in the guest');
like($log, qr/^ok \d+ - busybox ping 10\.0\.2\.2 \(QEMU's gateway\) is answered$/m, 'BusyBox ping reaches the gateway');
like($log, qr/^ok \d+ - wget http:\/\/files\.anvil\.test:\d+\/\d+: the name from the host's DNS server/m,
     "a name resolves through netd's forwarder and the host's DNS server");
like($log, qr/^ok \d+ - 64 connections to httpd at once: 64 sent a request, 64 answered 200$/m,
     'BusyBox httpd answers 64 connections at once');
like($log, qr/^ok \d+ - busybox ifconfig eth0: the address, broadcast and mask$/m,
     'BusyBox ifconfig shows the interface');
like($log, qr/^netd: the card is gone \([^)]*\): loopback only until a card opens$/m,
     "netd outlives the card's driver");
like($log, qr/^ok \d+ - netd finds the card again and gets its address$/m, 'and takes the restarted card back');
like($log, qr/^init: netd killed by signal 9, restarting/m, 'init restarts the killed netd');
like($log, qr/^ok \d+ - and a new connection fetches from the host$/m,
     'and the new netd serves connections');

done_testing;
