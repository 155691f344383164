# tests/lib/GuestShell.pm: a shell session on a booted image, as Test::More checks.
# Builds a variant, boots it with its serial console on a Serial driver, waits for
# the prompt, then types commands and checks their answers. Once the prompt is lost,
# every later check fails at once instead of waiting.
#
#   my $g = GuestShell->boot(variant => 'default', prompt => qr/# $/);
#   $g->cmd('echo $((6*7))', qr/^42\n/m, 'arithmetic');
#   $g->key_after("sleep 100\r", "\x03", qr/# $/, 'Ctrl-C interrupts sleep');
#   is($g->finish("exit 3\r"), 3, 'exit 3 powers off with 3');
#
# boot's options beside variant and prompt: out => DIR boots what is already
# built there (no build), run => [ARGS] replaces `--boot direct` (say
# [qw(--boot disk --writable)]; it may end with -- and QEMU's own arguments), answer => S waits S seconds for each command's
# answer (for commands that write megabytes under TCG).
package GuestShell;

use strict;
use warnings;
use Cwd qw(abs_path);
use File::Basename qw(dirname);
use File::Temp qw(tempdir);
use Serial;
use Test::More;
use Time::HiRes qw(time);

my $BOOT_S = 180;       # QEMU start to the prompt, under slow emulation
my $ANSWER_S = 60;      # one command's answer
my $KEY_S = 20;         # what a control key should bring
my $SETTLE_S = 3;       # a job's start before a control key reaches it

sub boot {
    my ($class, %o) = @_;
    my $top = abs_path(dirname(__FILE__) . '/../..');
    my $scratch = tempdir(CLEANUP => 1);
    my $mkimage = "$top/mkimage";
    my $out = $o{out} // "$scratch/$o{variant}";
    my $g = bless {prompt => $o{prompt}, up => 0, answer => $o{answer} // $ANSWER_S}, $class;

    chdir $top or die "$top: $!";
    unless ($o{out}) {
        my $st = system("'$mkimage' build -q -V $o{variant} -o '$out' >/dev/null 2>'$scratch/build.log'");
        is($st, 0, "build the $o{variant} variant") or diag(`tail -20 '$scratch/build.log'`);
    }
    $g->{s} = Serial->start($mkimage, qw(run --no-build -V), $o{variant}, '-o', $out,
                            qw(--timeout 900), @{$o{run} // [qw(--boot direct)]});
    $g->{up} = defined $g->{s}->expect($o{prompt}, $BOOT_S);
    ok($g->{up}, 'boots to the shell prompt') or diag("last output:\n" . $g->{s}->rest);
    return $g;
}

sub serial { return $_[0]{s} }
sub up { return $_[0]{up} }

# Wait for the prompt (or PROMPT); false, with what came instead, when it does not come.
sub prompt {
    my ($g, $prompt, $timeout) = @_;

    $g->{up} = defined $g->{s}->expect($prompt // $g->{prompt}, $timeout // $g->{answer});
    diag("no prompt; instead:\n" . $g->{s}->rest) unless $g->{up};
    return $g->{up};
}

# cmd LINE, PATTERN, NAME[, PROMPT]: type LINE, check that PATTERN comes, then wait
# for the prompt (or PROMPT: a command that starts or leaves a shell). Returns the
# pattern's first group.
sub cmd {
    my ($g, $line, $re, $name, $prompt) = @_;

    unless ($g->{up}) {
        fail("$name (no prompt)");
        return undef;
    }
    $g->{s}->type("$line\r");
    my $got = $g->{s}->expect($re, $g->{answer});
    ok(defined $got, $name) or diag("typed: $line\nafter it:\n" . $g->{s}->rest);
    $g->prompt($prompt);
    return $got;
}

# key_after LINE, KEY, PATTERN, NAME: type LINE (a command that runs a while), then
# the control KEY, and check that PATTERN comes. Returns the seconds from the key
# to the pattern, on the host's clock (undef when it did not come).
sub key_after {
    my ($g, $line, $key, $re, $name) = @_;

    unless ($g->{up}) {
        fail("$name (no prompt)");
        return undef;
    }
    $g->{s}->type($line);
    sleep $SETTLE_S;
    my $t0 = time;
    $g->{s}->type($key);
    $g->{up} = defined $g->{s}->expect($re, $KEY_S);
    ok($g->{up}, $name) or diag($g->{s}->rest);
    return $g->{up} ? time - $t0 : undef;
}

# said LINE: type LINE, wait for the prompt, and return everything that came
# between (the echo of LINE included), or undef without a prompt.
sub said {
    my ($g, $line) = @_;

    return undef unless $g->{up};
    my $start = length $g->{s}->text;
    $g->{s}->type("$line\r");
    return $g->prompt ? substr($g->{s}->text, $start) : undef;
}

# finish TEXT: type TEXT when the prompt is there (the command that powers off),
# then the exit status of mkimage run (the guest's), or undef when it hung.
sub finish {
    my ($g, $text) = @_;

    $g->{s}->type($text) if $g->{up};
    return $g->{s}->finish(120);
}

1;
