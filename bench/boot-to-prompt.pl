#!/usr/bin/perl
# bench/boot-to-prompt.pl: how long from QEMU's start until the kernel's banner and
# until the default image's shell prompt, booted directly (-kernel), from the ISO
# under SeaBIOS and under OVMF. Best of N runs per way, interleaved; each run must
# reach the prompt and power off with the status typed (`exit 7`), else it counts
# as failed and the script exits 1. Prints a table; writes bench/results/boot-to-prompt.txt.
# Usage: bench/boot-to-prompt.pl [RUNS]   (default 3)
use strict;
use warnings;
use File::Basename qw(dirname);
use FindBin;
use lib "$FindBin::Bin/../tests/lib";
use Serial;
use Time::HiRes qw(time);

my $runs = $ARGV[0] // 3;
my $top = dirname($FindBin::Bin);
my $out = "$top/out/bench-prompt";
my $PROMPT = qr/\@anvil:[^\n]*# $/;
my $BANNER = qr/^Anvil \S+ x86_64/m;
my @ways = (
    ['direct', qw(--boot direct)],
    ['iso, BIOS', qw(--boot iso --firmware bios)],
    ['iso, UEFI', qw(--boot iso --firmware uefi)],
);

chdir $top or die "$top: $!";
system("./mkimage build -q -V default -o '$out' >/dev/null") == 0 or die "build failed\n";

# One boot: seconds to the banner and to the prompt, or undef when it failed.
sub one {
    my (@how) = @_;
    my $t0 = time;
    my $s = Serial->start('./mkimage', qw(run --no-build -V default -o), $out, @how,
                          qw(--display none --timeout 300));
    my ($banner, $prompt);

    $banner = time - $t0 if defined $s->expect($BANNER, 240);
    $prompt = time - $t0 if defined $banner && defined $s->expect($PROMPT, 240);
    $s->type("exit 7\r") if defined $prompt;
    my $st = $s->finish(60);
    return (defined $prompt && defined $st && $st == 7) ? ($banner, $prompt) : ();
}

my (%best, $failed);
for my $r (1 .. $runs) {
    for my $w (@ways) {
        my ($name, @how) = @$w;
        my ($b, $p) = one(@how);
        if (!defined $p) {
            warn "boot-to-prompt: $name, run $r: no prompt or wrong status\n";
            $failed++;
            next;
        }
        $best{$name}{banner} = $b if !defined $best{$name}{banner} || $b < $best{$name}{banner};
        $best{$name}{prompt} = $p if !defined $best{$name}{prompt} || $p < $best{$name}{prompt};
    }
}

my $table = sprintf("%-12s %12s %12s %12s\n", 'boot', 'banner (s)', 'prompt (s)', 'difference');
for my $w (@ways) {
    my $b = $best{$w->[0]};
    $table .= defined $b
        ? sprintf("%-12s %12.2f %12.2f %12.2f\n", $w->[0], $b->{banner}, $b->{prompt},
                  $b->{prompt} - $b->{banner})
        : sprintf("%-12s %12s %12s %12s\n", $w->[0], 'failed', 'failed', '-');
}
my $note = "QEMU start to the kernel banner and to the shell prompt (\"root\@anvil:/# \"), "
    . "default variant, TCG, best of $runs interleaved runs\n";
print $note, $table;
mkdir "$top/bench/results";
open my $f, '>', "$top/bench/results/boot-to-prompt.txt" or die $!;
print $f $note, $table;
close $f;
exit($failed ? 1 : 0);
