# Makefile: the two commands a newcomer needs (make run, make test) and the
# pieces they are made of. mkimage does the real building; `make help` lists targets.

CC ?= gcc
HOST_CFLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -Werror -O2 -g
IMAGE_SRCS = $(sort $(wildcard image/*.c))
IMAGE_HDRS = $(wildcard image/*.h include/anvil/*.h)
# fatd's FAT32 core (no scheme, no daemon loop) is also built on the host for its tests
FAT_CORE_SRCS = $(filter-out $(addprefix services/fatd/,main.c findroot.c mountsrv.c ops.c paths.c walk.c),$(wildcard services/fatd/*.c))
HOST_TESTS = $(patsubst tests/host/%.c,out/tests/%,$(wildcard tests/host/test_*.c))
VARIANT ?= default
QEMU_ARGS ?=
# make run boots the raw disk, which the guest writes (its root partition): files
# persist from one run to the next until a rebuild replaces the image
RUN_ARGS ?= --boot disk --writable

.PHONY: all help deps kernel image run test test-host test-guest bench bench-busybox clean

all: mkimage image ## build mkimage and the default image

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | expand -t 14

deps: ## check build and test tools; install missing Debian packages when root
	@sh image/deps.sh

mkimage: mkimage.c $(IMAGE_SRCS) $(IMAGE_HDRS) ## the image builder
	$(CC) $(HOST_CFLAGS) -o $@ mkimage.c $(IMAGE_SRCS)

image: deps mkimage ## build the image of VARIANT (default: default) into out/VARIANT/
	./mkimage build -V $(VARIANT)

kernel: image ## the kernel, built with its image: out/VARIANT/anvil.elf

run: deps mkimage ## build and boot VARIANT's disk in QEMU on this terminal: a shell (exit or Ctrl-A X quits)
	./mkimage run -V $(VARIANT) $(RUN_ARGS) -- $(QEMU_ARGS)

# ps2d's key path (scan codes, layouts, modifiers, terminal bytes) on the host.
PS2D_KEYS = $(addprefix services/ps2d/,scancode.c keymap.c keymaps.c keyboard.c mouse.c) services/lib/vtkeys.c
out/tests/test_keymap: tests/host/test_keymap.c $(PS2D_KEYS) $(wildcard services/ps2d/*.h) services/lib/vtkeys.h Makefile
	@mkdir -p out/tests
	$(CC) $(HOST_CFLAGS) -fsanitize=address,undefined -fno-sanitize-recover=all -Iinclude \
		-Iservices/ps2d -Iservices/lib -o $@ $< $(PS2D_KEYS)

# fbcond's terminal model (escape sequences, the screen grid) on the host.
FBCOND_VT = services/fbcond/vt.c services/fbcond/vt_csi.c
out/tests/test_vt: tests/host/test_vt.c $(FBCOND_VT) $(wildcard services/fbcond/*.h) tests/host/tap.h Makefile
	@mkdir -p out/tests
	$(CC) $(HOST_CFLAGS) -fsanitize=address,undefined -fno-sanitize-recover=all -Iinclude \
		-Iservices/fbcond -o $@ $< $(FBCOND_VT)

# The kernel's CPUID 0x15/0x16 arithmetic (kernel/arch/x86_64/tsc_cpuid.c) on the host.
out/tests/test_tsc_cpuid: tests/host/test_tsc_cpuid.c kernel/arch/x86_64/tsc_cpuid.c kernel/arch/x86_64/tsc_cpuid.h tests/host/tap.h Makefile
	@mkdir -p out/tests
	$(CC) $(HOST_CFLAGS) -fsanitize=address,undefined -fno-sanitize-recover=all -Ikernel \
		-o $@ $< kernel/arch/x86_64/tsc_cpuid.c

# The kernel's PSF font reader (kernel/console/psf.c) on the host, with Debian's fonts.
out/tests/test_psf: tests/host/test_psf.c kernel/console/psf.c kernel/console/psf.h include/anvil/psf.h tests/host/tap.h Makefile
	@mkdir -p out/tests
	$(CC) $(HOST_CFLAGS) -fsanitize=address,undefined -fno-sanitize-recover=all -Ikernel -Iinclude \
		-DANVIL_FEATURE_FBCON -o $@ $< kernel/console/psf.c

out/tests/%: tests/host/%.c $(IMAGE_SRCS) $(IMAGE_HDRS) $(wildcard tests/host/*.h) Makefile
	@mkdir -p out/tests
	$(CC) $(HOST_CFLAGS) -fsanitize=address,undefined -fno-sanitize-recover=all -Iimage -o $@ $< $(IMAGE_SRCS)

out/tests/test_fat: tests/host/test_fat.c $(FAT_CORE_SRCS) $(wildcard services/fatd/*.h) tests/host/tap.h Makefile
	@mkdir -p out/tests
	$(CC) $(HOST_CFLAGS) -fsanitize=address,undefined -fno-sanitize-recover=all -Iservices/fatd -o $@ $< $(FAT_CORE_SRCS)

test-host: deps mkimage $(HOST_TESTS) ## unit tests of mkimage's parts and its command line
	prove $(HOST_TESTS) tests/host/*.t

test-guest: deps mkimage ## boot images in QEMU and check them from the outside
	prove tests/guest/*.t

test: deps mkimage $(HOST_TESTS) ## the whole suite (ends with prove's Result line)
	prove --timer $(HOST_TESTS) tests/host/*.t tests/guest/*.t

bench: deps mkimage ## benchmarks: print a table, write bench/results/
	sh bench/build-and-boot.sh
	perl bench/boot-to-prompt.pl
	sh bench/kernel.sh
	sh bench/schemes.sh
	sh bench/files.sh
	sh bench/storage.sh
	sh bench/busybox-testsuite.sh

bench-busybox: deps mkimage ## BusyBox's own testsuite on the host and in Anvil, side by side
	sh bench/busybox-testsuite.sh

clean: ## remove every build output
	rm -rf out mkimage bench/results
