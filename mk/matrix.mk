# SPDX-License-Identifier: GPL-2.0
#
# Kernel matrix: spirec against Debian kernels other than the machine's own
# (fetched through a private apt list, unpacked under
# /var/cache/spirec/kernel/debian-NAME; see selftests/vm/debian-kernel):
#   6.12   the newest 6.12 of the release's backports suite
#   sid    the newest kernel of Debian sid, whatever its series (7.2 at
#          the time of writing), built by sid's compiler (gcc-16, fetched
#          into the same cache: selftests/vm/debian-kbuild)
# For each NAME:
#   make kernel-NAME     fetch and unpack it once, print its root
#   make module-NAME     W=1 -Werror build against its headers into
#                        .build/NAME/kmod/spirec.ko
#   make check-NAME      the net selftests in a guest booting it

MATRIX_KERNELS := 6.12 sid

define matrix_kernel
.PHONY: kernel-$(1) module-$(1) check-$(1)

kernel-$(1):
	selftests/vm/debian-kernel $(1)

module-$(1): SHELL := /bin/bash
module-$(1):
	@root=$$$$(selftests/vm/debian-kernel $(1)) && kver=$$$$(cat $$$$root/../kver) && \
	$$(call module_into,.build/$(1),$$$$root/usr/src/linux-headers-$$$$kver,W=1 KCFLAGS=-Werror,selftests/vm/debian-kbuild $(1))

check-$(1): module-$(1)
	selftests/vm/run-selftests-debian $(1)
endef

$(foreach k,$(MATRIX_KERNELS),$(eval $(call matrix_kernel,$(k))))
