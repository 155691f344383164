#!/usr/bin/perl
# tests/guest/console.t: the laptop variant used as a person at its screen and
# keyboard would: no serial port, keys pressed through QEMU's machine protocol
# (QMP send-key) reach ps2d through the emulated 8042, the shell on the
# framebuffer console answers, and the screen is read back as text from QEMU's
# screendump with the console's own font. Then a second boot with the de
# keymap, where the keys labelled Z and Y on a US keyboard swap, and a third
# on a q35 machine without an 8042, where ps2d must exit cleanly, once.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/../lib";
use File::Temp qw(tempdir);
use Screen;
use Test::More;
use Time::HiRes qw(sleep time);

my $scratch = tempdir(CLEANUP => 1);
# the prompt "root@anvil:/# ", with the trailing blanks screentext.pl drops
my $PROMPT = qr/^root\@anvil:[^\n]*#$/m;
my $BOOT_S = 240;

my $s = Screen->boot($scratch, 'us');
my ($text, $up) = $s->wait_screen($PROMPT, $BOOT_S);
ok($up, 'the shell prompt is on the screen') or diag("screen:\n$text");
like($text, qr/^ps2d: keyboard ready, keymap us; mouse ready$/m,
     'ps2d found the 8042 and the mouse behind it, and says so');
if ($up) {
    $s->typed('echo hello $((6*7))', qr/^hello 42\n$PROMPT/m,
              'typed: echo hello $((6*7)) shows hello 42');
    $s->typed('echo Anvil Is | tr a-z A-Z', qr/^ANVIL IS\n$PROMPT/m,
              'Shift: capitals and | (tr upcases Anvil Is)');
    $s->qmp->type("sleep 100\n");
    sleep 3;
    $s->qmp->keys('ctrl', 'c');
    ($text, my $ok) = $s->wait_screen(qr/# sleep 100\n\^C\n$PROMPT/m, 20);
    ok($ok, 'Ctrl-C interrupts sleep 100 and the prompt comes back') or diag("screen:\n$text");
    $s->typed('echo x >debug:input', qr/debug:input: Permission denied\n$PROMPT/m,
              'the shell may not type into the console (no console-input grant): EACCES');
}
$s->stop;

# de: the US keys z and y give y and z; the shell sees "echo yz".
$s = Screen->boot($scratch, 'de', sets => ['console.keymap="de"']);
($text, $up) = $s->wait_screen($PROMPT, $BOOT_S);
ok($up, 'de: the shell prompt is on the screen') or diag("screen:\n$text");
like($text, qr/^ps2d: keyboard ready, keymap de; mouse ready$/m, 'de: ps2d uses the keymap from [console]');
$s->typed('echo zy', qr/# echo yz\nyz\n$PROMPT/m, 'de: the keys Z and Y swap') if $up;
$s->stop;

# No 8042 (q35 with i8042=off: its FADT says so). The serial port is added to
# read what happens; the shell must still come up, and ps2d not be restarted.
my $n = Screen->boot($scratch, 'no8042', sets => ['kernel.features=["fbcon","serial"]'],
                     run => [qw(--machine q35 --firmware bios --disk-if ahci)],
                     qemu => [qw(-machine i8042=off)]);
my $serial = '';
for (my $end = time + $BOOT_S; time < $end && $serial !~ /# $/; sleep 1) {
    $serial = $n->output;
}
sleep 2;   # time for a restart that must not come
$serial = $n->output;
$n->stop;
like($serial, qr/^platform: i8042 no$/m, 'no 8042: the kernel reads the FADT flag');
like($serial, qr/^ps2d: the ACPI FADT says there is no 8042 keyboard controller; exiting$/m,
     'no 8042: ps2d says so');
like($serial, qr/^init: ps2d exited with status 0$/m, 'no 8042: ps2d exits 0');
unlike($serial, qr/ps2d.*restarting/, 'no 8042: init does not restart it');
like($serial, qr/# $/, 'no 8042: the shell still comes up');

done_testing;
