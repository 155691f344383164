#!/usr/bin/perl
# tests/guest/screentext.pl: reads back the text the kernel's framebuffer console
# drew, from a screenshot, using the kernel's own fonts and cell layout: only
# pixels of the console's foreground colour count, so firmware or GRUB text
# elsewhere on the screen reads as blanks. Prints one line per text row.
# The fonts are the two mkimage embeds by default (image/fonts.c): PSF1 or PSF2,
# gzip-compressed or not; the kernel takes the large one from 1280 pixels wide.
# The picture is a PNG (mkimage run --screenshot) or a PPM (QEMU's screendump).
# Usage: screentext.pl [SMALL.PSF LARGE.PSF] SCREENSHOT.PNG|SCREENDUMP.PPM
use strict;
use warnings;
use Compress::Zlib;

# kernel/console/fbcon.c and image/fonts.c
my ($large_width, $min_cols, $min_rows) = (1280, 80, 25);
my $fg = pack('C3', 0xd0, 0xd0, 0xd0);    # FG_RGB
my $font_dir = '/usr/share/consolefonts';  # Debian's console-setup-linux
my @fonts = ("$font_dir/Uni2-Terminus16.psf.gz", "$font_dir/Uni2-Terminus32x16.psf.gz");

die "usage: $0 [SMALL.PSF LARGE.PSF] SCREENSHOT.PNG|SCREENDUMP.PPM\n" unless @ARGV == 1 || @ARGV == 3;
@fonts = @ARGV[0, 1] if @ARGV == 3;
my $png_file = $ARGV[-1];

# A PSF font as kernel/console/psf.c reads it: (width, height, {glyph rows => char}),
# ASCII found through the Unicode table when there is one.
sub read_psf {
    my ($file) = @_;
    open(my $in, '<:raw', $file) or die "$file: $!\n";
    my $data = do { local $/; <$in> };
    close($in);
    $data = Compress::Zlib::memGunzip($data) // die "$file: bad gzip data\n" if $data =~ /\A\x1f\x8b/;
    my ($w, $h, $count, $size, $off, $table, $psf2);
    if (substr($data, 0, 4) eq "\x72\xb5\x4a\x86") {
        my $flags;
        (undef, undef, $off, $flags, $count, $size, $h, $w) = unpack('V8', $data);
        ($table, $psf2) = ($flags & 1, 1);
    } elsif (substr($data, 0, 2) eq "\x36\x04") {
        my $mode = ord(substr($data, 2, 1));
        ($w, $h, $size, $off, $count, $table) = (8, ord(substr($data, 3, 1)), ord(substr($data, 3, 1)),
            4, ($mode & 1) ? 512 : 256, $mode & 6);
    } else {
        die "$file: not a PSF font\n";
    }
    die "$file: truncated\n" if length($data) < $off + $count * $size;
    my %glyph_of = map { ($_ => $_) } 0 .. 127;
    %glyph_of = psf_table(substr($data, $off + $count * $size), $count, $psf2) if $table;
    my %char_of;
    for my $c (sort { $a <=> $b } grep { $_ >= 32 && $_ < 127 } keys %glyph_of) {
        my $g = $glyph_of{$c};
        $char_of{unpack('H*', substr($data, $off + $g * $size, $size))} //= chr($c) if $g < $count;
    }
    return ($w, $h, \%char_of);
}

# The Unicode table: per glyph, code points (PSF1: 16-bit, PSF2: UTF-8), a
# sequence after FFFE/FE, the glyph's end at FFFF/FF. ASCII code => glyph.
sub psf_table {
    my ($t, $count, $psf2) = @_;
    my ($g, $seq, %glyph_of) = (0, 0);
    my @units = $psf2 ? unpack('C*', $t) : unpack('v*', $t);
    my ($end, $start) = $psf2 ? (0xff, 0xfe) : (0xffff, 0xfffe);
    for my $u (@units) {
        last if $g >= $count;
        if ($u == $end) { $g++; $seq = 0 }
        elsif ($u == $start) { $seq = 1 }
        elsif (!$seq && $u < 128) { $glyph_of{$u} //= $g }
    }
    return %glyph_of;
}

# PNG: 8-bit RGB, no interlace, every row with filter type 0 (what mkimage writes).
# Both formats become $raw: rows of a filter byte (0) and RGB pixels.
sub read_png {
    my ($data) = @_;
    my ($w, $h, $idat, $pos) = (0, 0, '', 8);
    while ($pos + 8 <= length $data) {
        my ($len, $type) = unpack('N a4', substr($data, $pos, 8));
        my $body = substr($data, $pos + 8, $len);
        if ($type eq 'IHDR') {
            my ($depth, $colour, $interlace);
            ($w, $h, $depth, $colour, undef, undef, $interlace) = unpack('N N C C C C C', $body);
            die "$png_file: want 8-bit RGB without interlace\n"
                unless $depth == 8 && $colour == 2 && $interlace == 0;
        }
        $idat .= $body if $type eq 'IDAT';
        $pos += 12 + $len;
    }
    return ($w, $h, uncompress($idat));
}

# PPM: "P6 WIDTH HEIGHT 255" and the RGB bytes (QEMU writes no comments).
sub read_ppm {
    my ($data) = @_;
    $data =~ /\AP6\s+(\d+)\s+(\d+)\s+255\s/ or die "$png_file: not a P6 PPM\n";
    my ($w, $h, $pixels) = ($1, $2, substr($data, $+[0]));
    return ($w, $h, join('', map { "\0" . substr($pixels, $_ * 3 * $w, 3 * $w) } 0 .. $h - 1));
}

open(my $in, '<:raw', $png_file) or die "$png_file: $!\n";
my $data = do { local $/; <$in> };
close($in);
my ($width, $height, $raw);
if (substr($data, 0, 8) eq "\x89PNG\r\n\x1a\n") {
    ($width, $height, $raw) = read_png($data);
} elsif (substr($data, 0, 2) eq 'P6') {
    ($width, $height, $raw) = read_ppm($data);
} else {
    die "$png_file: not a PNG or PPM\n";
}
die "$png_file: bad image data\n" unless defined $raw && length $raw == $height * (1 + 3 * $width);

sub lit {
    my ($x, $y) = @_;
    my $row = $y * (1 + 3 * $width);
    die "$png_file: row $y uses a filter\n" if ord(substr($raw, $row, 1)) != 0;
    return substr($raw, $row + 1 + 3 * $x, 3) eq $fg;
}

my ($font_w, $font_h, $char_of) = read_psf($fonts[$width >= $large_width ? 1 : 0]);
my $row_bytes = int(($font_w + 7) / 8);

# pick_scale in fbcon.c: the largest scale that keeps 80x25 cells.
my $scale = 1;
$scale++ while int($width / ($font_w * ($scale + 1))) >= $min_cols
    && int($height / ($font_h * ($scale + 1))) >= $min_rows;
my ($cell_w, $cell_h) = ($font_w * $scale, $font_h * $scale);
my ($cols, $rows) = (int($width / $cell_w), int($height / $cell_h));

# One cell's glyph rows, as the font file holds them (hex).
sub cell_glyph {
    my ($cx, $cy) = @_;
    my $rows = '';
    for my $gy (0 .. $font_h - 1) {
        my @bytes = (0) x $row_bytes;
        my $y = $cy * $cell_h + $gy * $scale;
        for my $gx (0 .. $font_w - 1) {
            $bytes[$gx >> 3] |= 0x80 >> ($gx & 7) if lit($cx * $cell_w + $gx * $scale, $y);
        }
        $rows .= pack('C*', @bytes);
    }
    return unpack('H*', $rows);
}

# A cell in reverse video (fbcond's cursor, vi's status line): the glyph's bits
# inverted within the font's width.
my $full_row = pack('C*', map { my $bits = $font_w - 8 * $_; $bits >= 8 ? 0xff : (0xff << (8 - $bits)) & 0xff }
                   0 .. $row_bytes - 1);
sub cell_char {
    my ($cx, $cy) = @_;
    my $hex = cell_glyph($cx, $cy);
    return $char_of->{$hex} if defined $char_of->{$hex};
    my $inverted = unpack('H*', pack('H*', $hex) ^ ($full_row x $font_h));
    return $char_of->{$inverted} // '?';
}

my @lines;
for my $cy (0 .. $rows - 1) {
    my $text = join('', map { cell_char($_, $cy) } 0 .. $cols - 1);
    $text =~ s/ +$//;
    push @lines, $text;
}
pop @lines while @lines && $lines[-1] eq '';
print "$_\n" for @lines;
