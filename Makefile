# SPDX-License-Identifier: GPL-2.0
#
# spirec top-level Makefile.
#   make            module (kmod/spirec.ko) and tools (userspace/)
#   make deps       install every Debian package the build and the tests need
#   make check      unit tests, W=1 and sparse builds, VM selftests; ends with
#                   "N passed, N failed" and fails on any failure
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

.PHONY: all module module-w1 module-sparse userspace deps check clean unit fuzz

all: module userspace

module:
	@test -n "$(KDIR)" || { echo "no kernel headers: run 'make deps' or set KDIR" >&2; exit 1; }
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

# Warnings are errors for these two: W=1 and sparse must stay silent.
module-w1:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean >/dev/null
	$(MAKE) -C $(KDIR) M=$(CURDIR) W=1 KCFLAGS=-Werror modules

module-sparse:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean >/dev/null
	$(MAKE) -C $(KDIR) M=$(CURDIR) C=2 modules 2>&1 | tee .sparse.log
	@! grep -E '(warning|error):' .sparse.log

userspace:
	$(MAKE) -C userspace

unit:
	$(MAKE) -C userspace test

# FUZZ_SECONDS=N (default 600): every libFuzzer target, time shared.
fuzz:
	$(MAKE) -C userspace fuzz

deps:
	./selftests/deps.sh

check:
	./selftests/check.sh

clean:
	-$(MAKE) -C $(KDIR) M=$(CURDIR) clean
	$(MAKE) -C userspace clean
	rm -f .sparse.log
