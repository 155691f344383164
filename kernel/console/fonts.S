/* kernel/console/fonts.S: the console fonts mkimage chose ([console] font),
 * embedded whole: small.psf and large.psf are found through the assembler's
 * include path, which mkimage points at the fonts it unpacked. */
#ifdef ANVIL_FEATURE_FBCON
    .section .rodata
    .global fbcon_font_small, fbcon_font_small_end, fbcon_font_large, fbcon_font_large_end
    .balign 8
fbcon_font_small:
    .incbin "small.psf"
fbcon_font_small_end:
    .balign 8
fbcon_font_large:
    .incbin "large.psf"
fbcon_font_large_end:
#endif
    .section .note.GNU-stack, "", @progbits
