#!/usr/bin/perl
# tests/guest/e1000.t: e1000d, the Intel 8254x driver, under netd in one boot of
# the network variant on QEMU's `-device e1000` (`mkimage run --nic e1000`),
# with QEMU user networking, which never leaves this machine. netd is pointed at
# net.e1000: and PID 1 runs BusyBox sh, typed into over the serial console: it
# waits for netd's DHCP address in netcfg:, reads net.e1000:mac, and fetches
# 4 MiB with BusyBox wget from a server on the host's 127.0.0.1 (the guest's
# 10.0.2.2); the host compares the guest's sha256sum with its own.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/../lib";
use Digest::SHA qw(sha256_hex);
use File::Temp qw(tempdir);
use IO::Socket::INET;
use Serial;
use Test::More;
use Time::HiRes qw(time);

my $top = "$FindBin::Bin/../..";
my $scratch = tempdir(CLEANUP => 1);
my $out = "$scratch/e1000";
my $BIG = 4 * 1024 * 1024;
my $PROMPT = qr/^[^ \n]* ?[#\$] \z/m;

chdir $top or die "cd $top: $!";
my @sets = ('init.run="/bin/sh"');   # netd takes the first card that opens: here net.e1000
my $build = join ' ', './mkimage build -q -V network -o', $out, map { "--set '$_'" } @sets;
is(system("$build >/dev/null 2>$scratch/build.log"), 0,
   'build the network variant with a shell as init.run');
my @list = `cpio -it <$out/initfs.cpio 2>/dev/null`;
ok((grep { m{^bin/(netd|e1000d)$} } @list) == 2, 'the initfs holds netd and e1000d');

# The bytes the host serves: byte i is (i * 131 + (i >> 8)) & 0xff, as network.t's.
sub pattern {
    my ($n) = @_;
    return pack('C*', map { ($_ * 131 + ($_ >> 8)) & 0xff } 0 .. $n - 1);
}
my $big = pattern($BIG);

# The host's HTTP server, in a child: GET /N answers N bytes of the pattern.
my $server = IO::Socket::INET->new(LocalAddr => '127.0.0.1', LocalPort => 0, Listen => 4,
                                   ReuseAddr => 1) or die "listen: $!";
my $port = $server->sockport;
my $server_pid = fork // die "fork: $!";
if (!$server_pid) {
    while (my $c = $server->accept) {
        my $line = <$c> // '';
        if ($line =~ m{^GET /(\d+) HTTP/1\.[01]\r?$} && $1 <= $BIG) {
            my $n = $1;
            1 while defined($line = <$c>) && $line =~ /\S/;   # the headers
            print $c "HTTP/1.0 200 OK\r\nContent-Length: $n\r\n\r\n", substr($big, 0, $n);
        }
        close $c;
    }
    exit 0;
}
close $server;

my $s = Serial->start('./mkimage', 'run', '--no-build', '-V', 'network', '-o', $out,
                      '--boot', 'direct', '--nic', 'e1000', '--timeout', '240');

# Type a line at the prompt; its echo and what it printed, up to a mark it
# prints after (a sum, so the echoed line is not the mark), and the seconds
# from Enter to the mark; undef on timeout.
sub run_line {
    my ($line, $secs) = @_;
    return undef unless $s->expect($PROMPT, $secs);
    $s->type("$line; echo =\$((40+2))=");
    my $t0 = time;
    $s->type("\r");
    my $got = $s->expect(qr/(.*?)^=42=$/ms, $secs);
    return wantarray ? ($got, time - $t0) : $got;
}

my $cfg = run_line('for i in $(seq 60); do grep -q "state bound" netcfg: && break; sleep 1; done; '
                   . 'cat netcfg: net.e1000:mac', 120);
like($cfg // '', qr/^address 10\.0\.2\.15$/m, 'netd got 10.0.2.15 by DHCP over e1000d')
    or diag($s->rest);
like($cfg // '', qr/^52:54:00:12:34:56$/m, 'net.e1000:mac reads the MAC QEMU gave the card');
my ($sum, $secs) = run_line("wget -q -O - http://10.0.2.2:$port/$BIG | sha256sum", 120);
like($sum // '', qr/^\Q${\ sha256_hex($big)}\E  -$/m, 'BusyBox wget fetched 4 MiB, the same bytes')
    or diag($s->rest);
diag(sprintf('4 MiB fetched and summed in %.2f s: %.2f MiB/s', $secs, 4 / $secs)) if $sum;
$s->type("exit 0\r") if $sum;
my $status = $s->finish(60);
kill 'TERM', $server_pid;
waitpid $server_pid, 0;
my $log = $s->text;

is($status, 0, 'the shell exits and init powers off with its status');
like($log, qr/^e1000d: [0-9a-f:.]+ 82540EM, MAC 52:54:00:12:34:56, 256\+256 descriptors, link up, (INTx on line \d+|MSI on vector 0x[0-9a-f]+)$/m,
     'e1000d drives the 82540EM with an interrupt');
like($log, qr/^netd: lwIP [^ ]+ on net\.e1000,/m, 'netd runs on net.e1000:');
unlike($log, qr/^virtio-netd: [0-9a-f]{2}:/m, 'virtio-netd finds no card');

done_testing;
