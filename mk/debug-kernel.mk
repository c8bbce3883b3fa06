# SPDX-License-Identifier: GPL-2.0
#
# The debug kernel (selftests/vm/debug-kernel: KUnit, KASAN, UBSAN, lockdep,
# kmemleak, ...) and spirec.ko built against it.
#   make debug-kernel    build it once (cached outside the clone), print its dir
#   make module-debug    .build/debug/kmod/spirec.ko for the debug kernel (the
#                        tree's kmod/spirec.ko stays the stock kernel's)
#   make check-debug     the net selftests on the debug kernel, then a
#                        kmemleak scan (as `make check` runs them)
#   make check-stock     the net selftests on Debian's stock 6.1 build

DEBUG_MODULE_DIR := .build/debug

# module_into DIR,KDIR,MAKEFLAGS[,WRAPPER]: spirec.ko built from a copy of
# the module sources in DIR (kept, so that rebuilds are incremental) against
# KDIR; WRAPPER runs the build (e.g. selftests/vm/debian-kbuild NAME: the
# kernel's own compiler).
define module_into
	mkdir -p $(1) && tar -cf - $(MODULE_SRCS) | tar -C $(1) -xf - && \
	$(4) $(MAKE) -C $(2) M=$(CURDIR)/$(1) $(3) modules
endef

.PHONY: debug-kernel module-debug check-debug check-stock

debug-kernel:
	selftests/vm/debug-kernel/build.sh

module-debug: SHELL := /bin/bash
module-debug:
	@kdir=$$(selftests/vm/debug-kernel/build.sh) && \
	$(call module_into,$(DEBUG_MODULE_DIR),$$kdir,)

check-debug: module-debug
	selftests/vm/run-selftests-debug

# The net selftests on Debian's stock 6.1 build (not in make check: the
# debug kernel runs them on the same 6.1 source).
check-stock: module
	$(MAKE) -C selftests/tools
	selftests/vm/run-selftests
