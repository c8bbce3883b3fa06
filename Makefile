# SPDX-License-Identifier: GPL-2.0
#
# spirec top-level Makefile.
#   make            module (kmod/spirec.ko) and tools (userspace/)
#   make deps       install every Debian package the build and the tests need
#                   (and fetch the kernel's netlink generator, see below)
#   make netlink-gen  regenerate uapi/linux/spirec.h, kmod/netlink-gen.[ch]
#                   from Documentation/netlink/spirec.yaml (commit them)
#   make check      unit tests, W=1 and sparse builds, VM selftests; ends with
#                   "N passed, N failed" and fails on any failure
#
# `make check` and `make demo` run `make deps` themselves when the stamp
# .deps.stamp is missing or older than selftests/deps.sh (the package list).
#
# KDIR: kernel build tree. Default: /lib/modules/$(uname -r)/build when it
# exists, else the newest installed Debian linux-headers-*-amd64.

KVER_RUNNING := $(shell uname -r)
KDIR_NEWEST := $(lastword $(sort $(wildcard /usr/src/linux-headers-*-amd64)))
ifneq ($(wildcard /lib/modules/$(KVER_RUNNING)/build/Makefile),)
KDIR ?= /lib/modules/$(KVER_RUNNING)/build
else
KDIR ?= $(KDIR_NEWEST)
endif
export KDIR

.PHONY: all module module-w1 module-sparse module-checkpatch userspace deps check clean unit fuzz \
	netlink-gen netlink-gen-check

all: module userspace

module:
	@test -n "$(KDIR)" || { echo "no kernel headers: run 'make deps' or set KDIR" >&2; exit 1; }
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

# Warnings are errors for these two: W=1 and sparse must stay silent. Each
# builds a scratch copy of the sources, so the tree's own kmod/spirec.ko
# (maybe in use by a VM run) is never cleaned away under it.
MODULE_SRCS := Kbuild kmod/Kbuild $(wildcard kmod/*.c kmod/*.h) uapi/linux/spirec.h
define module_scratch_build
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	tar -cf - $(MODULE_SRCS) | tar -C "$$tmp" -xf - && \
	$(MAKE) -C $(KDIR) M=$$tmp $(1) modules 2>&1 | tee $(2); \
	exit $${PIPESTATUS[0]}
endef

module-w1: SHELL := /bin/bash
module-w1:
	$(call module_scratch_build,W=1 KCFLAGS=-Werror,/dev/null)

module-sparse: SHELL := /bin/bash
module-sparse:
	$(call module_scratch_build,C=2,.sparse.log)
	@! grep -E '(warning|error):' .sparse.log

module-checkpatch:
	kmod/checkpatch.sh

# The generic netlink contract is the spec: the kernel's own generator
# (tools/net/ynl/ynl-gen-c.py of Debian's linux-source-6.12, unpacked by
# `make deps` into /var/cache/spirec/ynl) writes the uapi header and the
# module's policies and op table from it. The generated files are
# committed; netlink-gen-check (a stage of make check) fails when they are
# stale.
netlink-gen:
	selftests/netlink-gen

netlink-gen-check:
	selftests/netlink-gen --check

userspace:
	$(MAKE) -C userspace

unit:
	$(MAKE) -C userspace test

# FUZZ_SECONDS=N (default 600): every libFuzzer target, time shared.
fuzz:
	$(MAKE) -C userspace fuzz

DEPS_STAMP := .deps.stamp

deps:
	./selftests/deps.sh
	@touch $(DEPS_STAMP)

$(DEPS_STAMP): selftests/deps.sh
	./selftests/deps.sh
	@touch $@

check: $(DEPS_STAMP)
	./selftests/check.sh

clean:
	-$(MAKE) -C $(KDIR) M=$(CURDIR) clean
	$(MAKE) -C userspace clean
	rm -f .sparse.log

# Further targets, one file per concern (kunit, packaging, demo, ...).
include $(sort $(wildcard mk/*.mk))
