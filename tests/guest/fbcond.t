#!/usr/bin/perl
# tests/guest/fbcond.t: the laptop variant's screen drawn by fbcond, the
# console as a terminal: cursor addressing lands where asked, BusyBox vi edits
# a file on the screen, the console's window is fbcond's grid; Alt+F2 shows a
# second terminal with its own shell, console:vt1/text holds what vt1 shows,
# Shift+PgUp scrolls back; the PS/2 mouse's events reach input:mouse; and when
# fbcond dies the kernel draws again, ps2d types into the console again, and
# init starts fbcond anew and a shell on vt2 again. One boot.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/../lib";
use File::Temp qw(tempdir);
use Screen;
use Test::More;
use JSON::PP;
use Time::HiRes qw(sleep);

my $scratch = tempdir(CLEANUP => 1);
my $PROMPT = qr/^root\@anvil:[^\n]*#$/m;
my $BOOT_S = 240;

my $s = Screen->boot($scratch, 'fbcond');
my ($text, $up) = $s->wait_screen($PROMPT, $BOOT_S);
ok($up, 'the shell prompt is on the screen') or diag("screen:\n$text");
SKIP: {
    skip 'no prompt', 17 unless $up;
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

    # The issue's check: typed on the screen, shown on the screen, and in the
    # console service's own text of vt1 (read on vt2, so it cannot be an echo).
    $s->typed('echo $((6*7)) > /tmp/k; cat /tmp/k', qr/^42\n$PROMPT/m,
              'echo $((6*7)) > /tmp/k; cat /tmp/k shows 42 on the screen');
    $s->qmp->keys('alt', 'f2');
    ($text, $ok) = $s->wait_screen(qr/\A(?!.*42)(?:Welcome to Anvil\.\n)?$PROMPT/s, 20);
    ok($ok, 'Alt+F2: another terminal, with its own shell prompt') or diag("screen:\n$text");
    $s->typed('tty; grep -x 42 console:vt1/text; cat console:active',
              qr{^/dev/pts/\d+\n42\n2\n$PROMPT}m,
              'vt2 is a pseudo-terminal; console:vt1/text has the 42 vt1 shows; console:active is 2');
    $s->qmp->keys('alt', 'f1');
    ($text, $ok) = $s->wait_screen(qr/^42\n$PROMPT/m, 20);
    ok($ok && $text !~ m{/dev/pts}, 'Alt+F1: vt1 again, as it was') or diag("screen:\n$text");

    # Scrollback: 48 rows show 154..200 and the prompt; half a screen back
    # shows 130, and 200 has gone below.
    $s->typed('seq 1 200', qr/^200\n$PROMPT/m, 'seq 1 200 fills the screen');
    $s->qmp->keys('shift', 'pgup');
    # (painting takes a while under emulation: wait for the whole of it)
    ($text, $ok) = $s->wait_screen(qr/\A(?!.*^200$)(?=.*^130\n131$)/ms, 20);
    ok($ok, 'Shift+PgUp scrolls back half a screen') or diag("screen:\n$text");
    $s->qmp->keys('shift', 'pgdn');
    ($text, $ok) = $s->wait_screen(qr/^200\n$PROMPT/m, 20);
    ok($ok, 'Shift+PgDn comes back down') or diag("screen:\n$text");

    # The mouse: three events (x, y, left button) read from input:mouse.
    $s->qmp->type("dd if=input:mouse of=/tmp/m bs=24 count=3 2>/dev/null &\n");
    sleep 3;
    $s->qmp->execute('input-send-event', {events => [
        {type => 'rel', data => {axis => 'x', value => 10}},
        {type => 'rel', data => {axis => 'y', value => 5}},
        {type => 'btn', data => {down => JSON::PP::true, button => 'left'}}]});
    sleep 1;
    $s->qmp->execute('input-send-event', {events => [
        {type => 'btn', data => {down => JSON::PP::false, button => 'left'}}]});
    $s->typed('wait; clear; od -An -v -tx4 -w24 /tmp/m', qr/0000000a$/m, 'the mouse: events read');
    $text = $s->screen;
    like($text, qr/^ \S+ \S+ 00000002 00000000 00000000 0000000a$/m, 'the mouse: REL_X +10');
    like($text, qr/^ \S+ \S+ 00010002 00000000 00000000 00000005$/m, 'the mouse: REL_Y +5 (down)');
    like($text, qr/^ \S+ \S+ 01100001 00000001 00000000 00000000$/m, 'the mouse: BTN_LEFT pressed');

    $s->typed('kill -9 $(pidof fbcond); sleep 1; echo kernel draws', qr/^kernel draws$/m,
              'fbcond killed: the text still comes on the screen');
    $s->wait_screen(qr/fbcond/, 5);
    sleep 5;
    $s->typed('pidof fbcond >/dev/null && echo back; stty size', qr/^back\n48 128$/m,
              'init restarted fbcond, and the window is its grid again');
    sleep 2;
    $s->qmp->keys('alt', 'f2');
    $s->typed('tty', qr{^/dev/pts/\d+\n$PROMPT}m, 'and init started a shell on its new vt2');
}
$s->stop;
done_testing();
