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
use QMP;
use Test::More;
use Time::HiRes qw(sleep time);

my $top = "$FindBin::Bin/../..";
my $scratch = tempdir(CLEANUP => 1);
# the prompt "root@anvil:/# ", with the trailing blanks screentext.pl drops
my $PROMPT = qr/^root\@anvil:[^\n]*#$/m;
my ($BOOT_S, $ANSWER_S) = (240, 60);

chdir $top or die "$top: $!";

# The screen's text now, one line per row.
sub screen {
    my ($q) = @_;
    my $ppm = "$scratch/screen.ppm";

    unlink $ppm;
    $q->screendump($ppm) or return '';
    return scalar `perl tests/guest/screentext.pl '$ppm' 2>/dev/null`;
}

# Wait until the screen matches re; the last screen either way.
sub wait_screen {
    my ($q, $re, $timeout) = @_;
    my $deadline = time + $timeout;
    my $text = '';

    while (time < $deadline) {
        $text = screen($q);
        return ($text, 1) if $text =~ $re;
        sleep 1;
    }
    return ($text, 0);
}

# system() with the command's output (the built files' paths) thrown away.
sub quiet {
    open(my $saved, '>&', \*STDOUT) or die "dup: $!";
    open(STDOUT, '>', '/dev/null');
    my $st = system(@_);
    open(STDOUT, '>&', $saved);
    return $st;
}

# Build the laptop variant (with --set words), boot it from its disk under
# SeaBIOS (GRUB sets the VBE mode) and connect to QMP: (qmp, pid).
sub boot {
    my ($name, @sets) = @_;
    my $out = "$scratch/$name";
    my $sock = "$scratch/$name.qmp";
    my @variant = ('-V', 'laptop', '--set', 'image.formats=["disk"]', map { ('--set', $_) } @sets);

    my $st = quiet('./mkimage', 'build', '-q', @variant, '-o', $out);
    is($st, 0, "build the laptop variant ($name)");
    my $pid = fork // die "fork: $!";
    if ($pid == 0) {
        open(STDOUT, '>', "$scratch/$name.log");
        open(STDERR, '>&', \*STDOUT);
        exec('./mkimage', 'run', '--no-build', '--headless', @variant, '-o', $out, '--boot', 'disk',
             '--firmware', 'bios', '--timeout', '600', '--', '-qmp', "unix:$sock,server=on,wait=off");
        exit 127;
    }
    my $q = QMP->connect($sock, 60);
    ok($q, "$name: QMP answers");
    return ($q, $pid);
}

sub stop {
    my ($pid) = @_;
    kill 'INT', $pid;   # mkimage run kills QEMU and returns
    waitpid $pid, 0;
}

# Type line and Enter, then wait for re on the screen.
sub typed {
    my ($q, $line, $re, $name) = @_;
    $q->type("$line\n");
    my ($text, $ok) = wait_screen($q, $re, $ANSWER_S);
    ok($ok, $name) or diag("typed: $line\nscreen:\n$text");
    return $ok;
}

my ($q, $pid) = boot('us');
my ($text, $up) = $q ? wait_screen($q, $PROMPT, $BOOT_S) : ('', 0);
ok($up, 'the shell prompt is on the screen') or diag("screen:\n$text");
like($text, qr/^ps2d: keyboard ready, keymap us$/m, 'ps2d found the 8042 and says so');
if ($up) {
    typed($q, 'echo hello $((6*7))', qr/^hello 42\n$PROMPT/m, 'typed: echo hello $((6*7)) shows hello 42');
    typed($q, 'echo Anvil Is | tr a-z A-Z', qr/^ANVIL IS\n$PROMPT/m,
          'Shift: capitals and | (tr upcases Anvil Is)');
    $q->type("sleep 100\n");
    sleep 3;
    $q->keys('ctrl', 'c');
    ($text, my $ok) = wait_screen($q, qr/# sleep 100\n\^C\n$PROMPT/m, 20);
    ok($ok, 'Ctrl-C interrupts sleep 100 and the prompt comes back') or diag("screen:\n$text");
    typed($q, 'echo x >debug:input', qr/debug:input: Permission denied\n$PROMPT/m,
          'the shell may not type into the console (no console-input grant): EACCES');
}
stop($pid);

# de: the US keys z and y give y and z; the shell sees "echo yz".
($q, $pid) = boot('de', 'console.keymap="de"');
($text, $up) = $q ? wait_screen($q, $PROMPT, $BOOT_S) : ('', 0);
ok($up, 'de: the shell prompt is on the screen') or diag("screen:\n$text");
like($text, qr/^ps2d: keyboard ready, keymap de$/m, 'de: ps2d uses the keymap from [console]');
typed($q, 'echo zy', qr/# echo yz\nyz\n$PROMPT/m, 'de: the keys Z and Y swap') if $up;
stop($pid);

# No 8042 (q35 with i8042=off: its FADT says so). The serial port is added to
# read what happens; the shell must still come up, and ps2d not be restarted.
my $log = "$scratch/no8042.log";
my @lap = ('-V', 'laptop', '--set', 'image.formats=["disk"]', '--set',
           'kernel.features=["fbcon","serial"]');
is(quiet('./mkimage', 'build', '-q', @lap, '-o', "$scratch/serial"), 0,
   'build the laptop variant with a serial port');
$pid = fork // die "fork: $!";
if ($pid == 0) {
    open(STDOUT, '>', $log);
    open(STDERR, '>&', \*STDOUT);
    exec('./mkimage', 'run', '--no-build', '--headless', @lap, '-o', "$scratch/serial", '--boot', 'disk',
         '--machine', 'q35', '--firmware', 'bios', '--disk-if', 'ahci', '--timeout', '600',
         '--', '-machine', 'i8042=off');
    exit 127;
}
my $serial = '';
for (my $end = time + $BOOT_S; time < $end && $serial !~ /# $/; sleep 1) {
    next unless -e $log;   # the child has not opened it yet
    $serial = do { local (@ARGV, $/) = ($log); <> } // '';
    $serial =~ s/\r//g;
}
sleep 2;   # time for a restart that must not come
$serial = do { local (@ARGV, $/) = ($log); <> } // '';
$serial =~ s/\r//g;
stop($pid);
like($serial, qr/^platform: i8042 no$/m, 'no 8042: the kernel reads the FADT flag');
like($serial, qr/^ps2d: the ACPI FADT says there is no 8042 keyboard controller; exiting$/m,
     'no 8042: ps2d says so');
like($serial, qr/^init: ps2d exited with status 0$/m, 'no 8042: ps2d exits 0');
unlike($serial, qr/ps2d.*restarting/, 'no 8042: init does not restart it');
like($serial, qr/# $/, 'no 8042: the shell still comes up');

done_testing;
