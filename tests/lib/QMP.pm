# tests/lib/QMP.pm: QEMU's machine protocol (QMP) on a Unix socket, for tests
# that press keys on the guest's keyboard and take pictures of its screen,
# as a person at the window would. Core Perl only.
#
#   my $q = QMP->connect("$dir/qmp.sock", 60) or die;   # QEMU runs with -qmp unix:...
#   $q->type("echo \$((6*7))\n");                      # US layout key presses
#   $q->keys('ctrl', 'c');                              # a chord
#   $q->screendump("$dir/screen.ppm");
package QMP;

use strict;
use warnings;
use IO::Socket::UNIX;
use JSON::PP;
use Time::HiRes qw(sleep time);

my $HOLD_MS = 30;        # how long QEMU holds a key down
my $KEY_GAP_S = 0.06;    # between presses: after the release, so no key repeats

# Characters on a US keyboard: the key (QEMU qcode) and whether Shift is needed.
my %KEY = ("\n" => 'ret', ' ' => 'spc', "\t" => 'tab', '-' => 'minus', '=' => 'equal',
           '[' => 'bracket_left', ']' => 'bracket_right', ';' => 'semicolon',
           "'" => 'apostrophe', '`' => 'grave_accent', '\\' => 'backslash', ',' => 'comma',
           '.' => 'dot', '/' => 'slash');
my %SHIFTED = ('!' => '1', '@' => '2', '#' => '3', '$' => '4', '%' => '5', '^' => '6',
               '&' => '7', '*' => '8', '(' => '9', ')' => '0', '_' => 'minus', '+' => 'equal',
               '{' => 'bracket_left', '}' => 'bracket_right', ':' => 'semicolon',
               '"' => 'apostrophe', '~' => 'grave_accent', '|' => 'backslash', '<' => 'comma',
               '>' => 'dot', '?' => 'slash');

# Connect (retrying until QEMU has made the socket) and leave negotiation mode.
sub connect {
    my ($class, $path, $timeout) = @_;
    my $deadline = time + $timeout;
    my $sock;

    until ($sock = IO::Socket::UNIX->new(Type => SOCK_STREAM, Peer => $path)) {
        return undef if time > $deadline;
        sleep 0.2;
    }
    my $q = bless {sock => $sock, json => JSON::PP->new->canonical}, $class;
    $q->reply or return undef;                  # the greeting
    return defined $q->execute('qmp_capabilities') ? $q : undef;
}

# The next message that is not an event.
sub reply {
    my ($q) = @_;
    while (defined(my $line = readline $q->{sock})) {
        my $msg = eval { $q->{json}->decode($line) } or next;
        return $msg unless exists $msg->{event};
    }
    return undef;
}

# Run a command: its return value, or undef (with the error in $q->{error}).
sub execute {
    my ($q, $cmd, $args) = @_;
    my %req = (execute => $cmd);

    $req{arguments} = $args if $args;
    print {$q->{sock}} $q->{json}->encode(\%req), "\n";
    $q->{sock}->flush;
    my $r = $q->reply;
    $q->{error} = $r ? $r->{error}{desc} : 'no answer';
    return $r && exists $r->{return} ? $r->{return} : undef;
}

# Press the qcodes together (a chord), release them, wait for the release.
sub keys {
    my ($q, @codes) = @_;
    my $ok = $q->execute('send-key', {keys => [map { {type => 'qcode', data => $_} } @codes],
                                      'hold-time' => $HOLD_MS});
    sleep $KEY_GAP_S;
    return defined $ok;
}

# The qcodes that type one character on a US layout.
sub chord_of {
    my ($ch) = @_;
    return ($ch) if $ch =~ /^[a-z0-9]$/;
    return ('shift', lc $ch) if $ch =~ /^[A-Z]$/;
    return ($KEY{$ch}) if exists $KEY{$ch};
    return ('shift', $SHIFTED{$ch}) if exists $SHIFTED{$ch};
    die "QMP: no key for '$ch'\n";
}

# Type a string (US layout); "\n" is Enter.
sub type {
    my ($q, $text) = @_;
    for my $ch (split //, $text) {
        $q->keys(chord_of($ch)) or return 0;
    }
    return 1;
}

sub screendump {
    my ($q, $file) = @_;
    return defined $q->execute('screendump', {filename => $file});
}

1;
