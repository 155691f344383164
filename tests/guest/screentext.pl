#!/usr/bin/perl
# tests/guest/screentext.pl: reads back the text the kernel's framebuffer console
# drew, from a screenshot, using the kernel's own font and cell layout: only
# pixels of the console's foreground colour count, so firmware or GRUB text
# elsewhere on the screen reads as blanks. Prints one line per text row.
# The picture is a PNG (mkimage run --screenshot) or a PPM (QEMU's screendump).
# Usage: screentext.pl FONT8X8.C SCREENSHOT.PNG|SCREENDUMP.PPM
use strict;
use warnings;
use Compress::Zlib;

# kernel/console/fbcon.c and font8x8.h
my ($font_w, $font_h, $line_gap, $min_cols, $min_rows) = (8, 8, 2, 80, 25);
my $fg = pack('C3', 0xd0, 0xd0, 0xd0);    # FG_RGB
my $font_first = 32;                      # FONT_FIRST, ' '

die "usage: $0 FONT8X8.C SCREENSHOT.PNG|SCREENDUMP.PPM\n" unless @ARGV == 2;
my ($font_file, $png_file) = @ARGV;

# The glyphs, in table order: each {0x.., ...} row of eight bytes is one character.
my %char_of;
open(my $font, '<', $font_file) or die "$font_file: $!\n";
my $code = $font_first;
while (<$font>) {
    next unless /\{\s*((?:0x[0-9a-fA-F]{2}\s*,\s*){7}0x[0-9a-fA-F]{2})\s*\}/;
    my $key = join(',', map { hex } split(/\s*,\s*/, $1));
    $char_of{$key} //= chr($code);
    $code++;
}
close($font);
die "$font_file: no glyphs found\n" unless %char_of;

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

# pick_scale in fbcon.c: the largest scale that keeps 80x25 cells.
my $scale = 1;
$scale++ while int($width / ($font_w * ($scale + 1))) >= $min_cols
    && int($height / (($font_h + $line_gap) * ($scale + 1))) >= $min_rows;
my ($cell_w, $cell_h) = ($font_w * $scale, ($font_h + $line_gap) * $scale);
my ($cols, $rows) = (int($width / $cell_w), int($height / $cell_h));

my @lines;
for my $cy (0 .. $rows - 1) {
    my $text = '';
    for my $cx (0 .. $cols - 1) {
        my @glyph;
        for my $gy (0 .. $font_h - 1) {
            my $bits = 0;
            my $y = $cy * $cell_h + $line_gap / 2 * $scale + $gy * $scale;
            for my $gx (0 .. $font_w - 1) {
                $bits |= 0x80 >> $gx if lit($cx * $cell_w + $gx * $scale, $y);
            }
            push @glyph, $bits;
        }
        $text .= $char_of{join(',', @glyph)} // '?';
    }
    $text =~ s/ +$//;
    push @lines, $text;
}
pop @lines while @lines && $lines[-1] eq '';
print "$_\n" for @lines;
