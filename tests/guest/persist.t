#!/usr/bin/perl
# tests/guest/persist.t: a root file system that persists on a disk (the
# default variant, image.root = "disk"), built once with the shell allowed to signal
# services (init.grants = ["signal"]) so that it can kill the block driver.
# Before any boot the host writes, with mtools, a file with a long name down a
# deep path and the two guest scripts below into the image. Then, on its own
# writable copy of the raw image each, a pc with a virtio disk (BIOS) and a q35
# with an AHCI, then an NVMe disk (UEFI) boot once each and the guest: reads
# the host's file; writes with echo, dd, cp (5 MiB), mkdir -p, mv and rm, and
# syncs (the host reads a file from the image while the guest still runs);
# kills the disk's driver in the middle of a 5 MiB cp (init restarts it, fatd
# opens the partition again); powers off. The host then finds the volume
# clean (fsck.fat -n, both clean marks) and reads back every byte with mtools.
# The virtio disk boots again and sees the files. A power cut: QEMU is
# SIGKILLed while the guest writes and fsyncs numbered files; fsck.fat -a
# repairs a copy and every file whose fsync returned is intact. The second
# boot of the virtio disk also mounts a FAT32 stick (NVMe) made on the host at
# /mnt/usb with BusyBox mount, reads and writes it; the host reads it back.
# Last, a direct boot with no disk falls back to the initfs's copy of the tree
# (live mode, ramfsd). Seven boots.
use strict;
use warnings;
use File::Temp qw(tempdir);
use FindBin;
use lib "$FindBin::Bin/../lib";
use GuestShell;
use Test::More;

my $PROMPT = qr/\@anvil:[^\n]*# $/;
my $ANSWER_S = 240;                # a script writing 10 MiB under TCG on shared cores
my $top = "$FindBin::Bin/../..";
my $scratch = tempdir(CLEANUP => 1);
my $built = "$scratch/built";
my $DIR = '/home/A Folder With Spaces/and a sub folder';
my $FILE = 'A Long File Name, written in Anvil.txt';
my $HOST_DIR = '/home/Written on the Host/a folder in it/and one more level';
my $HOST_FILE = 'A file with a long name, from mtools.txt';
my $COPY = '/home/a/b/c/A five MiB copy.bin';
my $STICK_FILE = 'On the stick, from the host.txt';
my $CUT_LINES = 300;               # power cut: file N holds `seq 1 N*300`
my $CUT_AFTER = 12;                # synced files before the cut
my $BS_STATE = 65;                 # the boot sector's dirty flag (Linux, fsck.fat)
my $FAT1_CLEAN = 0x08000000;       # FAT[1]'s clean-shutdown bit

# The guest's writes: every kind the host reads back after power-off.
my $WRITES = <<'SH';
cd /home || exit 1
echo "host $(cksum < "$2")"
echo "echoed on $1" > echo.txt
dd if=/dev/urandom of=src.bin bs=1024 count=5120 2>/dev/null
echo "src $(cksum < src.bin)"
cp src.bin "A five MiB copy.bin"
mkdir -p a/b/c
echo "moved on $1" > a/b/c/first.txt
mv a/b/c/first.txt "a/b/moved here.txt"
mv "A five MiB copy.bin" a/b/c/
echo doomed > doomed.txt && rm doomed.txt src.bin
sync && echo "writes done"
SH

# The driver of disk.$1 killed 2 s into a 5 MiB cp; then a write and a sync.
my $KILL = <<'SH';
cd /home || exit 1
p=$(awk -v s="disk.$1" '$1 == s { print $3 }' sys:schemes)
cp "a/b/c/A five MiB copy.bin" killed.bin &
sleep 2
kill -9 "$p" && echo "killed $p"
if wait $!; then echo "copy completed $(cksum < killed.bin)"; else echo "copy failed"; fi
echo "written after on $1" > after.txt && sync && echo "synced after"
SH

# The power cut's loop: file N is fsync'd (dd conv=fsync) before "synced N".
my $CUT = <<"SH";
mkdir -p /home/cut && cd /home/cut || exit 1
i=1
while [ \$i -le 400 ]; do
    seq 1 \$((i * $CUT_LINES)) | dd of=\$i conv=fsync 2>/dev/null && echo "synced \$i"
    i=\$((i + 1))
done
SH

chdir $top or die "$top: $!";
is(system(qq{./mkimage build -q -V default --set 'init.grants=["signal"]' -o '$built' >/dev/null 2>'$scratch/build.log'}), 0,
   'build the default variant, the shell with the signal grant') or diag(`tail -20 '$scratch/build.log'`);
my %initfs = map { chomp; ($_ => 1) } `cpio -it <'$built/initfs.cpio' 2>/dev/null`;
ok($initfs{$_}, "the initfs holds $_") for qw(bin/init bin/pcid bin/virtio-blkd bin/ahcid
                                                bin/nvmed bin/fatd bin/ramfsd boot/root.cpio);
ok(!$initfs{'bin/busybox'}, 'but not the tree (BusyBox is on the root volume)');
my ($start) = `/usr/sbin/sgdisk -i 3 '$built/anvil.img'` =~ /First sector: (\d+)/;
my ($name) = `/usr/sbin/sgdisk -i 3 '$built/anvil.img'` =~ /Partition name: '([^']*)'/;
is($name, 'Anvil root', 'partition 3 is Anvil root');
my $off = ($start // 0) * 512;

# The root volume of img, copied out: its path.
sub volume {
    my ($img, $to) = @_;
    system("dd if='$img' of='$to' bs=1M iflag=skip_bytes skip=$off 2>/dev/null");
    return $to;
}

sub mtype {
    my ($img, $path) = @_;
    return scalar `mtype -i '$img\@\@$off' '::$path' 2>&1`;
}

# The cksum ("CRC SIZE") of a file in the volume at offset o of img, read with mcopy.
sub mcksum {
    my ($img, $path, $o) = @_;
    unlink "$scratch/got";
    system('mcopy', '-n', '-i', "$img\@\@" . ($o // $off), "::$path", "$scratch/got");
    return -e "$scratch/got" ? scalar(`cksum < '$scratch/got'`) =~ s/\n//r : 'missing';
}

# Host files into the built image before any boot: a file down a deep path with
# long names (mmd makes each folder), and the guest's scripts.
sub host_writes {
    my $i = "$built/anvil.img\@\@$off";
    my $path = '';
    for my $dir (split m{/}, substr($HOST_DIR, 1)) {
        $path .= "/$dir";
        system('mmd', '-D', 's', '-i', $i, "::$path") if $path ne '/home';
    }
    system("seq 1 20000 > '$scratch/host.txt'");
    for (['writes.sh', $WRITES], ['kill.sh', $KILL], ['cut.sh', $CUT]) {
        open(my $fh, '>', "$scratch/$_->[0]") or die "$_->[0]: $!";
        print $fh $_->[1];
        close $fh;
    }
    is(system('mcopy', '-i', $i, "$scratch/host.txt", "::$HOST_DIR/$HOST_FILE"), 0,
       'mcopy puts a file with a long name down a deep path into the image');
    is(system('mcopy', '-i', $i, map("$scratch/$_", qw(writes.sh kill.sh cut.sh)), '::/root/'), 0,
       "and the guest's scripts into /root");
}

# fsck.fat -n and the two clean marks fatd clears at mount and sets at unmount.
sub volume_clean {
    my ($img, $what) = @_;
    my $vol = volume($img, "$scratch/vol");
    my $fsck = `/usr/sbin/fsck.fat -n '$vol' 2>&1`;
    is($?, 0, "$what: fsck.fat -n finds nothing to fix") or diag($fsck);
    unlike($fsck, qr/dirty|differences|lost|free cluster/i, "$what: and says nothing is wrong");
    my ($dirty, $clean) = marks($vol);
    ok(!$dirty, "$what: the boot sector's dirty flag is clear");
    ok($clean, "$what: FAT[1] says it was shut down cleanly");
}

# The boot sector's dirty flag and FAT[1]'s clean bit of a volume file.
sub marks {
    my ($vol) = @_;
    open(my $fh, '<:raw', $vol) or die "$vol: $!";
    read($fh, my $boot, 512);
    my ($bps, $rsvd) = (unpack('v', substr($boot, 11, 2)), unpack('v', substr($boot, 14, 2)));
    seek($fh, $bps * $rsvd + 4, 0);
    read($fh, my $fat1, 4);
    close $fh;
    return (ord(substr($boot, $BS_STATE, 1)) & 1, unpack('V', $fat1) & $FAT1_CLEAN);
}

sub boot_disk {
    my ($out, $machine, $if, $firmware, @qemu) = @_;
    return GuestShell->boot(variant => 'default', out => $out, prompt => $PROMPT, answer => $ANSWER_S,
                            run => ['--boot', 'disk', '--writable', '--machine', $machine,
                                    '--disk-if', $if, '--firmware', $firmware,
                                    @qemu ? ('--', @qemu) : ()]);
}

# The guest's writes, and what the host reads of them while it runs.
sub guest_writes {
    my ($g, $machine, $if, $img) = @_;
    $g->cmd(qq{mkdir -p "$DIR" && echo "kept on $if" > "$DIR/$FILE" && sync && echo synced},
            qr/^synced\n/m, "$if: write a folder and a file with long names, sync");
    system('cp', $img, "$scratch/running.img");    # QEMU holds a lock on the image
    like(mtype("$scratch/running.img", "$DIR/$FILE"), qr/^kept on $if$/m,
         "$if: after sync the host reads the file from the image while the guest runs");
    $g->cmd(qq{sh /root/writes.sh $if "$HOST_DIR/$HOST_FILE"}, qr/^writes done\n/m,
            "$if: echo, dd, cp of 5 MiB, mkdir -p, mv, rm, sync");
    my $t = $g->serial->text;
    my ($src) = $t =~ /^src (\d+ \d+)$/m;
    like($src // '', qr/ 5242880$/, "$if: the guest made a 5 MiB file");
    is(($t =~ /^host (\d+ \d+)$/m)[0], scalar(`cksum < '$scratch/host.txt'`) =~ s/\n//r,
       "$if: the guest reads the file mtools wrote, byte for byte");
    return $src // 'none';
}

# The driver killed in the middle of a cp: the copy completes whole or fails,
# and fatd carries on on the restarted driver.
sub driver_killed {
    my ($g, $if, $driver, $src) = @_;
    $g->cmd("sh /root/kill.sh $if", qr/^synced after\n/m,
            "$if: after the driver is killed mid-copy, a write and sync still work");
    my $t = $g->serial->text;
    like($t, qr/^killed \d+$/m, "$if: the shell kills $driver");
    like($t, qr/^init: $driver killed by signal 9, restarting/m, "$if: init restarts $driver");
    like($t, qr{^fatd: disk\.$if:0/Anvil root reopened: its driver restarted$}m,
         "$if: fatd opens the partition again");
    my ($done) = $t =~ /^copy (completed \d+ \d+|failed)$/m;
    ok(defined $done && ($done eq 'failed' || $done eq "completed $src"),
       "$if: the copy completes with the right bytes or fails (" . ($done // 'no answer') . ')');
    return $done // 'none';
}

# After power-off: mtools reads each write back.
sub host_reads {
    my ($img, $if, $src, $copied) = @_;
    like(mtype($img, "$DIR/$FILE"), qr/^kept on $if$/m, "$if: mtype reads the file back");
    like(scalar `mdir -i '$img\@\@$off' '::/home/A Folder With Spaces' 2>&1`,
         qr/and a sub folder/, "$if: mdir lists the folder by its long name");
    is(mcksum($img, $COPY), $src, "$if: the 5 MiB copy, moved into a/b/c, reads back byte for byte");
    like(mtype($img, '/home/echo.txt'), qr/^echoed on $if$/m, "$if: echo's file");
    like(mtype($img, '/home/a/b/moved here.txt'), qr/^moved on $if$/m, "$if: the moved file");
    like(mtype($img, '/home/a/b/c/first.txt'), qr/not found/i, "$if: not under its old name");
    like(mtype($img, '/home/doomed.txt') . mtype($img, '/home/src.bin'), qr/not found.*not found/is,
         "$if: the removed files are gone");
    like(mtype($img, '/home/after.txt'), qr/^written after on $if$/m,
         "$if: the file written after the driver restart");
    is(mcksum($img, '/home/killed.bin'), $src, "$if: the copy made across the restart")
        if $copied =~ /^completed/;
}

# persist MACHINE DISK-IF FIRMWARE DRIVER: one boot doing every write, then the host's checks.
sub persist {
    my ($machine, $if, $firmware, $driver) = @_;
    my $out = "$scratch/$if";
    my $img = "$out/anvil.img";

    system('cp', '-a', $built, $out);
    my $g = boot_disk($out, $machine, $if, $firmware);
    like($g->serial->text, qr{^fatd: root on disk\.$if:0/Anvil root$}m, "$if: fatd finds the root on disk.$if:");
    $g->cmd('cat /proc/mounts', qr{^disk\.$if:0/Anvil\\040root / vfat rw 0 0$}m,
            "$if: /proc/mounts names the root's device and type");
    my $src = guest_writes($g, $machine, $if, $img);
    my $copied = driver_killed($g, $if, $driver, $src);
    is($g->finish("poweroff\r"), 0, "$if: poweroff");
    unlike($g->serial->text, qr/fatd: unmounting/, "$if: fatd unmounted cleanly");
    volume_clean($img, "$if after poweroff");
    host_reads($img, $if, $src, $copied);
    return ($out, $src);
}

# A second disk (a stick) made on the host: a whole-disk FAT32 volume holding a file.
sub make_stick {
    my ($stick) = @_;
    system("/usr/sbin/mkfs.fat -F 32 -C -n STICK '$stick' 40960 >/dev/null 2>&1") == 0 &&
        system('mcopy', '-i', $stick, "$scratch/host.txt", "::/$STICK_FILE") == 0
        or die "cannot make $stick with mkfs.fat and mcopy\n";
}

# mount(2) through BusyBox: the stick on NVMe at /mnt/usb beside the root; a
# read, a write, /proc/mounts, umount and mount again; left mounted at exit.
sub second_mount {
    my ($g) = @_;
    $g->cmd('mkdir -p /mnt/usb && mount -t vfat disk.nvme:0 /mnt/usb && echo mounted', qr/^mounted\n/m,
            'mount -t vfat disk.nvme:0 /mnt/usb');
    $g->cmd('grep /mnt/usb /proc/mounts', qr{^disk\.nvme:0 /mnt/usb vfat rw 0 0$}m, '/proc/mounts lists it');
    my $sum = $g->cmd(qq{cksum < "/mnt/usb/$STICK_FILE"}, qr/^(\d+ \d+)\n/m, 'cksum of the host\'s file on it');
    is($sum, scalar(`cksum < '$scratch/host.txt'`) =~ s/\n//r, 'the guest reads it byte for byte');
    $g->cmd('cd /mnt/usb && echo "written on the stick" > "From Anvil.txt" && pwd && cd /', qr{^/mnt/usb\n}m,
            'write a file on it; pwd below a mount point');
    $g->cmd('umount /mnt/usb && grep -c usb /proc/mounts', qr/^0\n/m,
            'umount; gone from /proc/mounts');
    $g->cmd('mount -t vfat disk.nvme:0 /mnt/usb && cat "/mnt/usb/From Anvil.txt"', qr/^written on the stick\n/m,
            'mounted again, the file is there');
}

# Boot 2 of one disk: the guest sees what boot 1 wrote; a second disk mounted.
sub reboot {
    my ($out, $src) = @_;
    my $stick = "$scratch/stick.img";
    make_stick($stick);
    my $g = boot_disk($out, 'pc', 'virtio', 'bios', '-drive', "file=$stick,format=raw,if=none,id=stick",
                      '-device', 'nvme,serial=stick0,drive=stick');
    $g->cmd(qq{cat "$DIR/$FILE" /home/after.txt}, qr/^kept on virtio\nwritten after on virtio\n/m,
            'boot 2 reads the files');
    my $sum = $g->cmd(qq{cksum < "$COPY"}, qr/^(\d+ \d+)\n/m, 'boot 2 sums the 5 MiB copy');
    is($sum, $src, 'boot 2 reads the 5 MiB copy byte for byte');
    second_mount($g);
    is($g->finish("exit 0\r"), 0, 'exit 0 powers off');
    volume_clean("$out/anvil.img", 'virtio after exit');
    like(scalar `mtype -i '$stick' '::/From Anvil.txt' 2>&1`, qr/^written on the stick$/m,
         'the host reads the file written on the stick');
    my $fsck = `/usr/sbin/fsck.fat -n '$stick' 2>&1`;
    is($?, 0, 'the stick was left clean at power-off (fsck.fat -n)') or diag($fsck);
}

# The power cut: QEMU killed while the loop writes; the synced files survive fsck.fat -a.
sub power_cut {
    my $out = "$scratch/cut";
    system('cp', '-a', $built, $out);
    my $g = boot_disk($out, 'pc', 'virtio', 'bios');
    $g->serial->type("sh /root/cut.sh\r") if $g->up;
    ok(defined $g->serial->expect(qr/^synced $CUT_AFTER$/m, $ANSWER_S), "cut: $CUT_AFTER files synced");
    is($g->serial->kill_children('KILL'), 1, 'cut: SIGKILL to QEMU');
    $g->serial->finish(60);
    my @synced = $g->serial->text =~ /^synced (\d+)$/mg;
    my $vol = volume("$out/anvil.img", "$scratch/cut.vol");
    ok((marks($vol))[0], 'cut: the boot sector says the volume was in use');
    my $fsck = `/usr/sbin/fsck.fat -a '$vol' 2>&1`;
    ok($? >> 8 <= 1, 'cut: fsck.fat -a repairs the copy (status ' . ($? >> 8) . ')') or diag($fsck);
    $fsck = `/usr/sbin/fsck.fat -n '$vol' 2>&1`;
    is($?, 0, 'cut: then fsck.fat -n finds nothing more') or diag($fsck);
    my @bad = grep { mcksum($vol, "/home/cut/$_", 0) ne cut_sum($_) } @synced;
    is("@bad", '', 'cut: each of the ' . scalar(@synced) . ' synced files is intact');
}

# The cksum of power cut file N as the host makes it.
sub cut_sum {
    my ($n) = @_;
    return scalar(`seq 1 ${\($n * $CUT_LINES)} | cksum`) =~ s/\n//r;
}

host_writes();
my ($virtio, $src) = persist('pc', 'virtio', 'bios', 'virtio-blkd');
persist('q35', 'ahci', 'uefi', 'ahcid');
persist('q35', 'nvme', 'uefi', 'nvmed');
reboot($virtio, $src);
power_cut();

# No disk: fatd waits, says so and serves the initfs's copy. Built without the
# signal grant: a direct boot's init cannot pass it on ("cannot narrow /bin/sh").
is(system("./mkimage build -q -V default -o '$scratch/plain' >/dev/null 2>&1"), 0, 'build the default variant as it is');
my $g = GuestShell->boot(variant => 'default', out => "$scratch/plain", prompt => $PROMPT);
like($g->serial->text, qr/^fatd: no disk has a partition "Anvil root": LIVE MODE/m,
     'without a disk the console says live mode');
$g->cmd('cat /proc/mounts', qr{^file / ramfs rw 0 0$}m,
        '/proc/mounts: ramfsd serves the initfs\'s copy of the tree');
$g->cmd('echo session > /tmp/f && cat /tmp/f', qr/^session\n/m, 'the live root is writable');
is($g->finish("exit 0\r"), 0, 'exit 0 powers off');

done_testing();
