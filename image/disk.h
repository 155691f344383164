/* image/disk.h: the raw disk image (formats = ["disk"]): a GPT disk with GRUB in
 * a BIOS boot partition and on a FAT32 EFI system partition, for BIOS and UEFI. */
#ifndef ANVIL_IMAGE_DISK_H
#define ANVIL_IMAGE_DISK_H

/*
 * Partitions, each aligned to 1 MiB (the table is in image/disk.c):
 *   1 "BIOS boot"   1 MiB   GRUB's i386-pc core.img, loaded by boot.img in the MBR
 *   2 "EFI system" 64 MiB   FAT32 labelled label: EFI/BOOT/BOOTX64.EFI and the
 *                           stage's boot/anvil.elf, boot/initfs.cpio, boot/grub/grub.cfg
 *   3 "Anvil root" 32 MiB   zeros, type GPT_TYPE_ANVIL_ROOT; with root_img (the live
 *                           root's FAT32 volume) that volume, the partition its size
 * label is the volume label GRUB searches for (at most 11 characters) and the
 * seed of the disk's GUIDs. efi_binary is GRUB's BOOTX64.EFI for that label, or
 * NULL to make one in tmpdir. Scratch files go in tmpdir and are removed. out is
 * written whole or not at all. Returns 0, or -1 after an error message.
 */
int disk_build(const char *label, const char *stage, const char *efi_binary,
               const char *root_img, const char *tmpdir, const char *out);

#endif
