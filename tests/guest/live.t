#!/usr/bin/perl
# tests/guest/live.t: the live variant: the root is a FAT32 volume that fatd
# serves from RAM. Boots it and, in BusyBox sh, lists /, writes, reads, renames
# and removes files and folders with long names, makes symbolic links, changes
# modes, and runs BusyBox's tools over the tree; /dev and /proc still work.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/../lib";
use GuestShell;
use Test::More;

my $PROMPT = qr/\@anvil:[^\n]*# $/;
my $g = GuestShell->boot(variant => 'live', prompt => $PROMPT);

$g->cmd('ls /', qr/^bin\b.*\betc\b.*\btmp\b/ms, 'ls / lists the tree');
$g->cmd('ls / | grep -ci anvmeta', qr/^0\n/m, 'the metadata files stay hidden');
$g->cmd('stat -f -c %T /', qr/^msdos\n/m, 'the root is a FAT file system');
my $n = $g->cmd('ls /bin | wc -l', qr/^\s*(\d+)\n/m, 'ls /bin | wc -l');
ok(defined $n && $n >= 50, "BusyBox's links are in /bin (" . ($n // '?') . ")");
$g->cmd('readlink /bin/ls; ls -l /bin/ls', qr{^/bin/busybox\nl.* /bin/ls -> /bin/busybox\n}m,
        "BusyBox's links are symbolic links");
$g->cmd('ls -ld /tmp /root', qr/^drwx------ .* \/root\ndrwxrwxrwt .* \/tmp\n/m,
        'modes from the tree: /tmp 1777, /root 0700');
$g->cmd('cat /etc/hostname', qr/^anvil\n/m, '/etc/hostname reads');

$g->cmd('cd /tmp && mkdir -p "A Long Folder Name/with deeper/levels" && cd "A Long Folder Name/with deeper/levels" && pwd',
        qr{^/tmp/A Long Folder Name/with deeper/levels\n}m, 'mkdir -p with long names, and cd');
$g->cmd('echo "some text for a file" > "a file with a long name.txt" && cat "a file with a long name.txt"',
        qr/^some text for a file\n/m, 'write and read a file with a long name');
$g->cmd('seq 1 20000 > numbers && wc -l < numbers && tail -n 1 numbers && md5sum numbers | cut -c1-8',
        qr/^20000\n20000\n([0-9a-f]{8})\n/m, 'a 100 KiB file spanning many clusters');
$g->cmd('mv "a file with a long name.txt" "Renamed File.TXT" && ls', qr/^Renamed File\.TXT\s*\n?.*numbers/ms,
        'rename a file');
$g->cmd('mv Renamed\ File.TXT renamed\ file.txt && ls | grep -i renamed', qr/^renamed file\.txt\n/m,
        'rename to another case');
$g->cmd('cp numbers /tmp/copy && cmp numbers /tmp/copy && echo same', qr/^same\n/m, 'cp and cmp');
$g->cmd('ln -s "/tmp/A Long Folder Name/with deeper/levels/numbers" /tmp/link && head -n 2 /tmp/link',
        qr/^1\n2\n/m, 'ln -s, and read through the link');
$g->cmd('ls -l /tmp/link', qr/^l.* \/tmp\/link -> \/tmp\/A Long Folder Name/m, 'ls -l shows the link');
$g->cmd('chmod 640 numbers && ls -l numbers', qr/^-rw-r----- .* numbers\n/m, 'chmod 640');
$g->cmd('chmod 755 numbers && stat -c %a numbers', qr/^755\n/m, 'chmod 755');
$g->cmd('truncate -s 10 numbers && wc -c < numbers', qr/^\s*10\n/m, 'truncate');
$g->cmd('cd /tmp && find "A Long Folder Name" | sort', qr{^A Long Folder Name\nA Long Folder Name/with deeper\nA Long Folder Name/with deeper/levels\nA Long Folder Name/with deeper/levels/numbers\nA Long Folder Name/with deeper/levels/renamed file\.txt\n}m,
        'find walks the tree');
$g->cmd('rmdir "A Long Folder Name" 2>&1', qr/not empty/i, 'rmdir of a full folder fails');
$g->cmd('rm -rf "A Long Folder Name" && ls /tmp', qr/^copy\s+link\n/m, 'rm -rf removes a tree');
$g->cmd('cat /tmp/link 2>&1', qr/No such file/, 'the link now dangles');
$g->cmd('mkdir /tmp/many && cd /tmp/many && for i in $(seq 1 60); do echo $i > "entry number $i"; done; ls | wc -l',
        qr/^\s*60\n/m, '60 long names in one folder');
$g->cmd('cat "entry number 42"; rm -f entry*; ls | wc -l; cd /', qr/^42\n\s*0\n/m, 'read one, remove all');
$g->cmd('tar cf /tmp/etc.tar /etc 2>/dev/null; tar tf /tmp/etc.tar | grep -c etc/', qr/^([1-9]\d*)\n/m,
        'tar over /etc');
$g->cmd('grep -r root /etc/passwd && du -s /bin | cut -f1 | grep -c "^[0-9]"', qr/^root:x:0:0.*\n1\n/m,
        'grep and du over the tree');
$g->cmd('df -P / | tail -n 1', qr{^initfs:/boot/root\.img\s+6\d{4}\s+\d+\s+\d+}m,
        'df (long names unwrapped by -P) shows the 64 MiB volume from /proc/mounts');
$g->cmd('echo gone > /dev/null && head -c 4 /dev/zero | od -An -tx1', qr/^\s*00 00 00 00\n/m,
        '/dev/null and /dev/zero still reach the kernel');
$g->cmd('ls /dev | grep -c null; cat /proc/uptime', qr/^1\n\d+\.\d\d \d+\.\d\d\n/m, '/dev lists, /proc works');
$g->cmd('sync && echo synced', qr/^synced\n/m, 'sync');

is($g->finish("exit 3\r"), 3, '`exit 3` powers the machine off with status 3');
unlike($g->serial->text, qr/fatd: unmounting/, 'fatd unmounted cleanly');

done_testing();
