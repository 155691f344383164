# tests/lib/Screen.pm: the laptop variant at its screen and keyboard, as Test::More
# checks. Builds the variant (disk image), boots it headless with QMP, presses keys
# with send-key and reads the screen back as text (tests/guest/screentext.pl).
#
#   my $s = Screen->boot($scratch, 'us');                 # SeaBIOS on pc
#   my $u = Screen->boot($scratch, 'nopit', run => [qw(--firmware uefi --machine q35)],
#                        qemu => [qw(-machine q35,pit=off)]);
#   my ($text, $ok) = $s->wait_screen(qr/# $/m, 240);
#   $s->typed('echo $((6*7))', qr/^42$/m, 'arithmetic');
#   $s->qmp->keys('ctrl', 'c');
#   $s->stop;
#
# boot's options: sets => [KEY=VALUE...] for --set, run => [ARGS] replaces
# `--firmware bios`, qemu => [ARGS] goes to QEMU after the QMP socket.
package Screen;

use strict;
use warnings;
use Cwd qw(abs_path);
use File::Basename qw(dirname);
use QMP;
use Test::More;
use Time::HiRes qw(sleep time);

my $TOP = abs_path(dirname(__FILE__) . '/../..');
my $ANSWER_S = 60;      # one command's answer on the screen
my $QMP_S = 60;         # QEMU start to its QMP socket

# system() with the command's output (the built files' paths) thrown away.
sub quiet {
    open(my $saved, '>&', \*STDOUT) or die "dup: $!";
    open(STDOUT, '>', '/dev/null');
    my $st = system(@_);
    open(STDOUT, '>&', $saved);
    return $st;
}

# Build the laptop variant (with the --set words) and boot it from its disk in
# the background, QEMU's output in SCRATCH/NAME.log; connect to QMP.
sub boot {
    my ($class, $scratch, $name, %o) = @_;
    my $out = "$scratch/$name";
    my $sock = "$scratch/$name.qmp";
    my @variant = ('-V', 'laptop', '--set', 'image.formats=["disk"]',
                   map { ('--set', $_) } @{$o{sets} // []});

    chdir $TOP or die "$TOP: $!";
    is(quiet("$TOP/mkimage", 'build', '-q', @variant, '-o', $out), 0,
       "build the laptop variant ($name)");
    my $pid = fork // die "fork: $!";
    if ($pid == 0) {
        open(STDOUT, '>', "$scratch/$name.log");
        open(STDERR, '>&', \*STDOUT);
        exec("$TOP/mkimage", 'run', '--no-build', '--headless', @variant, '-o', $out,
             '--boot', 'disk', @{$o{run} // [qw(--firmware bios)]}, '--timeout', '600',
             '--', '-qmp', "unix:$sock,server=on,wait=off", @{$o{qemu} // []});
        exit 127;
    }
    my $s = bless {name => $name, pid => $pid, shot => "$scratch/$name.ppm",
                   log => "$scratch/$name.log", q => QMP->connect($sock, $QMP_S)}, $class;
    ok($s->{q}, "$name: QMP answers");
    return $s;
}

sub qmp { return $_[0]{q} }

# What QEMU printed so far (the serial line of a variant that has one), without CRs.
sub output {
    my ($s) = @_;
    open(my $in, '<', $s->{log}) or return '';   # the child has not made it yet
    my $text = do { local $/; <$in> } // '';
    $text =~ s/\r//g;
    return $text;
}

# mkimage run kills QEMU on SIGINT and returns.
sub stop {
    my ($s) = @_;
    kill 'INT', $s->{pid};
    waitpid $s->{pid}, 0;
}

# The screen's text now, one line per row.
sub screen {
    my ($s) = @_;

    return '' unless $s->{q};
    unlink $s->{shot};
    $s->{q}->screendump($s->{shot}) or return '';
    return scalar `perl '$TOP/tests/guest/screentext.pl' '$s->{shot}' 2>/dev/null`;
}

# Wait until the screen matches RE: (the last screen, whether it matched).
sub wait_screen {
    my ($s, $re, $timeout) = @_;
    my $deadline = time + $timeout;
    my $text = '';

    while (time < $deadline) {
        $text = $s->screen;
        return ($text, 1) if $text =~ $re;
        last unless $s->{q};
        sleep 1;
    }
    return ($text, 0);
}

# Type LINE and Enter, then check that RE comes on the screen.
sub typed {
    my ($s, $line, $re, $name) = @_;

    $s->{q}->type("$line\n") if $s->{q};
    my ($text, $ok) = $s->wait_screen($re, $ANSWER_S);
    ok($ok, $name) or diag("typed: $line\nscreen:\n$text");
    return $ok;
}

1;
