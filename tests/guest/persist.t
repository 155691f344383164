#!/usr/bin/perl
# tests/guest/persist.t: a root file system that persists on a disk (the disk
# variant, image.root = "disk"). For a pc with a virtio disk (BIOS) and a q35
# with an NVMe disk (UEFI), each on its own writable copy of the raw image:
# boot 1 writes a folder and a file with long names and syncs (the host reads
# them from the image file while the guest still runs), then powers off; the
# host reads them back with mtools and fsck.fat finds the volume clean; boot 2
# sees the file and exits, and the volume is marked clean. Last, a direct boot
# with no disk falls back to the copy of the volume in the initfs (live mode).
use strict;
use warnings;
use File::Temp qw(tempdir);
use FindBin;
use lib "$FindBin::Bin/../lib";
use GuestShell;
use Test::More;

my $PROMPT = qr/\@anvil:[^\n]*# $/;
my $top = "$FindBin::Bin/../..";
my $scratch = tempdir(CLEANUP => 1);
my $built = "$scratch/built";
my $DIR = '/home/A Folder With Spaces/and a sub folder';
my $FILE = 'A Long File Name, written in Anvil.txt';
my $BS_STATE = 65;                 # the boot sector's dirty flag (Linux, fsck.fat)
my $FAT1_CLEAN = 0x08000000;       # FAT[1]'s clean-shutdown bit

chdir $top or die "$top: $!";
is(system("./mkimage build -q -V disk -o '$built' >/dev/null 2>'$scratch/build.log'"), 0,
   'build the disk variant') or diag(`tail -20 '$scratch/build.log'`);
my %initfs = map { chomp; ($_ => 1) } `cpio -it <'$built/initfs.cpio' 2>/dev/null`;
ok($initfs{$_}, "the initfs holds $_") for qw(bin/init bin/pcid bin/virtio-blkd bin/ahcid
                                                bin/nvmed bin/fatd boot/root.img);
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

# fsck.fat -n and the two clean marks fatd clears at mount and sets at unmount.
sub volume_clean {
    my ($img, $what) = @_;
    my $vol = volume($img, "$scratch/vol");
    my $fsck = `/usr/sbin/fsck.fat -n '$vol' 2>&1`;
    is($?, 0, "$what: fsck.fat -n finds nothing to fix") or diag($fsck);
    unlike($fsck, qr/dirty|differences|lost|free cluster/i, "$what: and says nothing is wrong");
    open(my $fh, '<:raw', $vol) or die "$vol: $!";
    read($fh, my $boot, 512);
    my ($bps, $rsvd) = (unpack('v', substr($boot, 11, 2)), unpack('v', substr($boot, 14, 2)));
    seek($fh, $bps * $rsvd + 4, 0);
    read($fh, my $fat1, 4);
    close $fh;
    ok(!(ord(substr($boot, $BS_STATE, 1)) & 1), "$what: the boot sector's dirty flag is clear");
    ok(unpack('V', $fat1) & $FAT1_CLEAN, "$what: FAT[1] says it was shut down cleanly");
}

# persist MACHINE DISK-IF FIRMWARE: the two boots on a writable copy of the image.
sub persist {
    my ($machine, $if, $firmware) = @_;
    my $out = "$scratch/$machine";
    my $img = "$out/anvil.img";
    my @run = ('--boot', 'disk', '--writable', '--machine', $machine, '--disk-if', $if,
               '--firmware', $firmware);

    system('cp', '-a', $built, $out);
    my $g = GuestShell->boot(variant => 'disk', out => $out, prompt => $PROMPT, run => \@run);
    like($g->serial->text, qr{^fatd: root on disk\.$if:0/Anvil root$}m, "$machine: fatd finds the root on disk.$if:");
    $g->cmd('cat /proc/mounts', qr{^disk\.$if:0/Anvil\\040root / vfat rw 0 0$}m,
            "$machine: /proc/mounts names the root's device and type");
    $g->cmd(qq{mkdir -p "$DIR" && echo "kept on $if" > "$DIR/$FILE" && sync && echo synced},
            qr/^synced\n/m, "$machine: write a folder and a file with long names, sync");
    system('cp', $img, "$scratch/running.img");    # QEMU holds a lock on the image
    like(mtype("$scratch/running.img", "$DIR/$FILE"), qr/^kept on $if$/m,
         "$machine: after sync the host reads the file from the image while the guest runs");
    is($g->finish("poweroff\r"), 0, "$machine: poweroff");
    unlike($g->serial->text, qr/fatd: unmounting/, "$machine: fatd unmounted cleanly");
    like(mtype($img, "$DIR/$FILE"), qr/^kept on $if$/m, "$machine: mtype reads the file back");
    like(scalar `mdir -i '$img\@\@$off' '::/home/A Folder With Spaces' 2>&1`,
         qr/and a sub folder/, "$machine: mdir lists the folder by its long name");
    volume_clean($img, "$machine after poweroff");

    $g = GuestShell->boot(variant => 'disk', out => $out, prompt => $PROMPT, run => \@run);
    $g->cmd(qq{cat "$DIR/$FILE"}, qr/^kept on $if\n/m, "$machine: boot 2 reads the file");
    is($g->finish("exit 0\r"), 0, "$machine: exit 0 powers off");
    volume_clean($img, "$machine after exit");
}

persist('pc', 'virtio', 'bios');
persist('q35', 'nvme', 'uefi');

# No disk: fatd waits, says so and serves the initfs's copy.
my $g = GuestShell->boot(variant => 'disk', out => $built, prompt => $PROMPT);
like($g->serial->text, qr/^fatd: no disk has a partition "Anvil root" after \d+ s: LIVE MODE/m,
     'without a disk the console says live mode');
$g->cmd('cat /proc/mounts', qr{^initfs:/boot/root\.img / vfat rw 0 0$}m,
        '/proc/mounts names the copy in the initfs');
$g->cmd('echo session > /tmp/f && cat /tmp/f', qr/^session\n/m, 'the live root is writable');
is($g->finish("exit 0\r"), 0, 'exit 0 powers off');

done_testing();
