#!/usr/bin/perl
# tests/guest/nopit.t: the laptop variant as it boots on machines whose 8254 is
# clock-gated: q35 under OVMF (UEFI) with the PIT removed, then with the PIT and
# the HPET removed. Both boot with clock=hpet, so the first measures the timers
# against the HPET and the second must fall back to the ACPI PM timer (the plain
# order, PM timer first, is clock.t's). Each time the shell must reach the
# screen and answer keys sent with QMP send-key, read back from the screen.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/../lib";
use File::Temp qw(tempdir);
use Screen;
use Test::More;

my $scratch = tempdir(CLEANUP => 1);
my $PROMPT = qr/^root\@anvil:[^\n]*#$/m;   # screentext.pl drops trailing blanks
my $BOOT_S = 300;                          # OVMF is slower to start than SeaBIOS

# boot_typed NAME, MACHINE, SOURCE: boot with -machine MACHINE, type a sum and
# read its answer from the screen; the boot line must name the timer SOURCE.
sub boot_typed {
    my ($name, $machine, $source) = @_;
    my $s = Screen->boot($scratch, $name, sets => ['kernel.cmdline=clock=hpet'],
                         run => [qw(--firmware uefi --machine q35)],
                         qemu => ['-machine', $machine]);
    my ($text, $up) = $s->wait_screen($PROMPT, $BOOT_S);

    ok($up, "$name: the shell prompt is on the screen") or diag("screen:\n$text");
    like($text, qr/^timer: source $source, /m, "$name: the timer is measured against the $source");
    $s->typed('echo $((6*7)) > /tmp/k; cat /tmp/k', qr/; cat \/tmp\/k\n42\n$PROMPT/m,
              "$name: typed keys reach the shell, the screen shows 42") if $up;
    $s->stop;
    return $text;
}

boot_typed('nopit', 'q35,pit=off', 'hpet');
my $text = boot_typed('nopit-nohpet', 'q35,pit=off,hpet=off', 'pmtimer');
like($text, qr/^timer: clock=hpet is not available here; trying the others$/m,
     'nopit-nohpet: the kernel says the HPET is missing');

done_testing;
