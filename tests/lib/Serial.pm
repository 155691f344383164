# tests/lib/Serial.pm: an expect-style driver for a guest's serial console. It runs
# a command (`mkimage run ...`, whose stdin and stdout are the guest's serial line),
# types into it and waits for what a person would wait for. Core Perl only.
#
#   my $s = Serial->start(qw(./mkimage run --no-build -V default --boot direct));
#   $s->expect(qr/# $/, 60) or die;        # the shell prompt
#   $s->type("echo \$((6*7))\r");
#   my $m = $s->expect(qr/^(\d+)$/m, 10);  # the match's first group, or undef
#   my $status = $s->finish(30);           # its exit status after stdin closes
package Serial;

use strict;
use warnings;
use IO::Select;
use IPC::Open3;
use Symbol qw(gensym);
use Time::HiRes qw(time sleep);

# Typed bytes go out one at a time with this pause, as from a keyboard: the
# UART has a 16-byte FIFO and a guest busy elsewhere must not lose keys.
my $KEY_GAP_S = 0.002;

sub start {
    my ($class, @cmd) = @_;
    my ($in, $out) = (gensym, gensym);
    my $pid = open3($in, $out, undef, @cmd);    # stderr joins stdout

    binmode $in;
    binmode $out;
    return bless {pid => $pid, in => $in, out => $out, sel => IO::Select->new($out),
                  raw => '', pos => 0, eof => 0, status => undef}, $class;
}

# Everything received so far, with carriage returns and terminal escapes removed.
sub text {
    my ($s) = @_;
    my $t = $s->{raw};

    $t =~ s/\r//g;
    $t =~ s/\e\[[0-9;?]*[A-Za-z]//g;
    $t =~ s/\e[=>]//g;
    return $t;
}

# Read whatever arrives within $wait seconds; false at end of output.
sub pump {
    my ($s, $wait) = @_;
    my $buf;

    return 0 if $s->{eof};
    return 1 unless $s->{sel}->can_read($wait < 0 ? 0 : $wait);
    my $n = sysread($s->{out}, $buf, 65536);
    if (!$n) {
        $s->{eof} = 1;
        return 0;
    }
    $s->{raw} .= $buf;
    return 1;
}

# Type a string, byte by byte. \r is Enter, \x03 is Ctrl-C, \x1a Ctrl-Z.
sub type {
    my ($s, $str) = @_;

    for my $ch (split //, $str) {
        syswrite($s->{in}, $ch) or return 0;
        sleep $KEY_GAP_S;
        $s->pump(0);
    }
    return 1;
}

# Wait up to $timeout seconds for $re in the output after the last match. Returns
# the first group (or the whole match) and moves past it; undef on timeout or end.
sub expect {
    my ($s, $re, $timeout) = @_;
    my $deadline = time + $timeout;

    for (;;) {
        my $t = $s->text;
        pos($t) = $s->{pos};
        if ($t =~ /$re/g) {
            $s->{pos} = pos($t);
            return defined $1 ? $1 : $&;
        }
        my $left = $deadline - time;
        return undef if $left <= 0 || !$s->pump($left > 0.5 ? 0.5 : $left) && $s->{eof};
    }
}

# What arrived after the last match (for failure messages).
sub rest {
    my ($s) = @_;
    return substr($s->text, $s->{pos});
}

# Send SIG to the command's children (mkimage run's QEMU: SIGKILL is a power cut);
# how many there were.
sub kill_children {
    my ($s, $sig) = @_;
    my @kids = split ' ', `pgrep -P $s->{pid}`;

    kill $sig, @kids if @kids;
    return scalar @kids;
}

# Close stdin, read to the end (at most $timeout s), reap; the exit status, or
# undef when the command had to be killed.
sub finish {
    my ($s, $timeout) = @_;
    my $deadline = time + $timeout;

    close $s->{in};
    while (!$s->{eof} && time < $deadline) {
        $s->pump($deadline - time);
    }
    if (!$s->{eof}) {
        kill 'TERM', $s->{pid};
        waitpid $s->{pid}, 0;
        return undef;
    }
    waitpid $s->{pid}, 0;
    return $? >> 8;
}

1;
