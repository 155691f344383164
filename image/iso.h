/* image/iso.h: the hybrid ISO: ISO 9660 with El Torito boot entries for BIOS and
 * UEFI and an MBR that lets the same file boot when written to a USB stick. */
#ifndef ANVIL_IMAGE_ISO_H
#define ANVIL_IMAGE_ISO_H

/* stage holds the tree to publish (boot/anvil.elf, boot/initfs.cpio,
 * boot/grub/grub.cfg); label names the volume; efi_binary is GRUB's BOOTX64.EFI
 * for that label; out is written whole or not at all. */
int iso_build(const char *label, const char *stage, const char *efi_binary, const char *tmpdir,
              const char *out);

#endif
