#!/usr/bin/perl
# bench/nethost.pl PORT FORWARD LIMIT: the host side of bench/network.sh. A server on
# 127.0.0.1:PORT (the guest's 10.0.2.2:PORT) that takes one request a connection:
#   "recv N\n" then N bytes: it times them from the request to the last byte, says "ok";
#   "send N\n": it connects to 127.0.0.1:FORWARD (forwarded to the guest's listener),
#     sends N bytes and times them until the guest's "ok", then says "ok" here too;
#   nothing (the guest closes at once): a connection of the connection rate.
# Prints "guest_to_host_mib_s V MiB/s" and "host_to_guest_mib_s V MiB/s" for each
# transfer that finished, problems on stderr; ends after LIMIT seconds.
use strict;
use warnings;
use IO::Socket::INET;
use Time::HiRes qw(time);

my ($port, $forward, $limit) = @ARGV;
die "usage: nethost.pl PORT FORWARD LIMIT\n" unless defined $limit && $limit =~ /^\d+$/;
my $CHUNK = 256 * 1024;
my $MIB = 1024 * 1024;
my $MAX_BYTES = 4096 * $MIB;
my $block = "\0" x $CHUNK;

$| = 1;
$SIG{ALRM} = sub { print STDERR "nethost: $limit s are up\n"; exit 1 };
$SIG{PIPE} = 'IGNORE';
alarm $limit;
my $server = IO::Socket::INET->new(LocalAddr => '127.0.0.1', LocalPort => $port, Listen => 64,
                                   ReuseAddr => 1)
    or die "nethost: cannot listen on 127.0.0.1:$port: $!\n";

# read_line SOCKET: the first line and what came after it, or nothing at the end.
sub read_line {
    my ($c) = @_;
    my $buf = '';
    while ($buf !~ /\n/) {
        my $n = sysread($c, $buf, $CHUNK, length $buf);
        return unless $n;
    }
    return split /\n/, $buf, 2;
}

sub write_all {
    my ($c, $total) = @_;
    while ($total > 0) {
        my $n = syswrite($c, $block, $total < $CHUNK ? $total : $CHUNK);
        return 0 unless $n;
        $total -= $n;
    }
    return 1;
}

sub rate { sprintf '%.2f', $_[0] / $MIB / $_[1] }

# The guest sends $n bytes (some may have come with the request).
sub take {
    my ($c, $n, $got, $t0) = @_;
    while ($got < $n) {
        my $r = sysread($c, my $buf, $CHUNK);
        if (!$r) {
            print STDERR "nethost: the guest's data ended at $got of $n bytes\n";
            return;
        }
        $got += $r;
    }
    my $t = time - $t0;
    syswrite($c, "ok\n");
    print 'guest_to_host_mib_s ', rate($n, $t), " MiB/s\n";
}

# Send $n bytes to the guest's forwarded port; its "ok" ends the time.
sub give {
    my ($c, $n) = @_;
    my $d = IO::Socket::INET->new(PeerAddr => '127.0.0.1', PeerPort => $forward);
    if (!$d) {
        print STDERR "nethost: cannot connect to 127.0.0.1:$forward: $!\n";
        return;
    }
    my $t0 = time;
    my ($line) = write_all($d, $n) ? read_line($d) : ();
    my $t = time - $t0;
    if (!defined $line || $line ne 'ok') {
        print STDERR "nethost: the guest did not say ok after $n bytes\n";
        return;
    }
    syswrite($c, "ok\n");
    print 'host_to_guest_mib_s ', rate($n, $t), " MiB/s\n";
}

while (1) {
    my $c = $server->accept or next;
    my $t0 = time;
    my ($line, $rest) = read_line($c);
    if (!defined $line) {
        # a connection of the rate: the guest closed it
    } elsif ($line =~ /^recv (\d+)$/ && $1 <= $MAX_BYTES) {
        take($c, $1, length($rest // ''), $t0);
    } elsif ($line =~ /^send (\d+)$/ && $1 <= $MAX_BYTES) {
        give($c, $1);
    } else {
        print STDERR "nethost: a request it does not know: $line\n";
    }
    close $c;
}
