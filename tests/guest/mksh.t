#!/usr/bin/perl
# tests/guest/mksh.t: mksh (pkgs/mksh, Debian's source) is a working shell in the default
# image. Boots what `make run` boots, starts mksh from ash on the serial console and uses
# it as a person would: external commands (mksh used to hang after each one), arithmetic,
# a pipeline, a background job, ^C, ^Z and fg, then `exit` back to ash and `exit 4`.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/../lib";
use GuestShell;
use Test::More;

# ash's prompt from /etc/profile, "root@anvil:/# "
my $ASH_PROMPT = qr/\@anvil:[^\n]*# $/;
# mksh's, set when it starts; as root mksh keeps only a PS1 that has a '#' in it
my $MKSH_PS1 = 'mksh# ';
my $MKSH_PROMPT = qr/^mksh# $/m;

my $g = GuestShell->boot(variant => 'default', prompt => $ASH_PROMPT);
# cmd LINE, PATTERN, NAME[, PROMPT]: as GuestShell's, waiting for mksh's prompt.
sub cmd {
    my ($line, $re, $name, $prompt) = @_;
    return $g->cmd($line, $re, $name, $prompt // $MKSH_PROMPT);
}

cmd("PS1='$MKSH_PS1' mksh", qr/^(?=mksh# )/m, 'mksh starts from ash with its own prompt');
cmd('echo $KSH_VERSION', qr/^\@\(#\)(MIRBSD KSH R\d+\S*)/m, 'it is mksh');
my $n = cmd('ls /bin | wc -l', qr/^\s*(\d+)\n/m,
            'an external command (ls /bin | wc -l) returns to the prompt');
ok(defined $n && $n >= 50, "it counts the programs in /bin (" . ($n // '?') . ")");
cmd('/bin/true; echo after=$?', qr/^after=0\n/m, 'and another one, by path');
cmd('echo $((6*7))', qr/^42\n/m, 'arithmetic');
cmd("printf '3\\n1\\n2\\n' | sort -r | head -n 1 | tr 3 x", qr/^x\n/m, 'a pipeline of four');
cmd('x=$(echo sub); echo "got $x"', qr/^got sub\n/m, 'command substitution');

cmd('sleep 30 &', qr/^\[1\] (\d+)\n/m, 'a background job starts');
cmd('jobs', qr/^\[1\] \+ Running\s+\\?sleep 30\n/m, 'jobs lists it running');
cmd('kill %1; sleep 1; jobs', qr/^\[1\] \+ Terminated\s+\\?sleep 30\n/m, 'kill %1 terminates it');

# ^C interrupts the foreground job; ^Z stops it and fg continues it.
$g->key_after("sleep 100\r", "\x03", $MKSH_PROMPT, 'Ctrl-C interrupts sleep 100');
cmd('echo st=$?', qr/^st=130\n/m, 'the interrupted job reports SIGINT (130)');
$g->key_after("sleep 100\r", "\x1a", qr/\[1\] \+ Stopped\s+\\?sleep 100\n/, 'Ctrl-Z stops sleep 100');
$g->prompt($MKSH_PROMPT);
cmd('jobs', qr/^\[1\] \+ Stopped\s+\\?sleep 100\n/m, 'jobs lists it stopped');
$g->key_after("fg\r", "\x03", qr/^\\?sleep 100\n(?:.*\n)*?$MKSH_PROMPT/m,
              'fg continues it, and Ctrl-C ends it');
cmd('jobs; echo none', qr/jobs; echo none\nnone\n/, 'no jobs are left');

cmd('exit', qr/^(?=root\@anvil)/m, '`exit` leaves mksh for ash', $ASH_PROMPT);
is($g->finish("exit 4\r"), 4, '`exit 4` in ash powers the machine off with status 4');
like($g->serial->text, qr/^init: \S+ exited with status 4\n/m, 'init saw the shell exit');
unlike($g->serial->text, qr/^syscall: \d+ not implemented \(pid \d+ mksh\)/m,
       'mksh made no system call the kernel lacks');

done_testing();
