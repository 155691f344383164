#!/usr/bin/perl
# tests/guest/fbcond.t: the laptop variant's screen drawn by fbcond, the
# console as a terminal: cursor addressing lands where asked, BusyBox vi edits
# a file on the screen, the console's window is fbcond's grid, and when fbcond
# dies the kernel draws again and init starts it anew. One boot.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/../lib";
use File::Temp qw(tempdir);
use Screen;
use Test::More;
use Time::HiRes qw(sleep);

my $scratch = tempdir(CLEANUP => 1);
my $PROMPT = qr/^root\@anvil:[^\n]*#$/m;
my $BOOT_S = 240;

my $s = Screen->boot($scratch, 'fbcond');
my ($text, $up) = $s->wait_screen($PROMPT, $BOOT_S);
ok($up, 'the shell prompt is on the screen') or diag("screen:\n$text");
SKIP: {
    skip 'no prompt', 6 unless $up;
    # The screen is 1024x768 with the 8x16 font: 128 x 48 cells.
    $s->typed('stty size', qr/^48 128$/m, 'stty size: the console is fbcond\'s 48 rows, 128 columns');

    $s->qmp->type("clear; printf '\\033[5;10Hhere\\n'; sleep 5\n");
    ($text, my $ok) = $s->wait_screen(qr/\A(?:[^\n]*\n){4} {9}here/, 20);
    ok($ok, 'CSI 2J and 5;10H: "here" at row 5, column 10') or diag("screen:\n$text");
    $s->wait_screen($PROMPT, 20);

    $s->qmp->type("vi /tmp/s.txt\n");
    sleep 5;
    $s->qmp->type("ihello");
    $s->qmp->keys('esc');
    $s->qmp->type(":wq\n");
    sleep 3;
    $s->typed('cat /tmp/s.txt', qr/^hello\n$PROMPT/m, 'vi on the screen: ihello, Esc, :wq saves hello');

    $s->typed('kill -9 $(pidof fbcond); sleep 1; echo kernel draws', qr/^kernel draws$/m,
              'fbcond killed: the text still comes on the screen');
    $s->wait_screen(qr/fbcond/, 5);
    sleep 5;
    $s->typed('pidof fbcond >/dev/null && echo back; stty size', qr/^back\n48 128$/m,
              'init restarted fbcond, and the window is its grid again');
}
$s->stop;
done_testing();
