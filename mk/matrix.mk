# SPDX-License-Identifier: GPL-2.0
#
# Kernel matrix: spirec against Debian's kernel of another series (from the
# backports suite, fetched through a private apt list, unpacked under
# /var/cache/spirec/kernel/debian-SERIES; see selftests/vm/debian-kernel).
#   make kernel-6.12     fetch and unpack it once, print its root
#   make module-6.12     W=1 -Werror build against its headers into
#                        .build/6.12/kmod/spirec.ko
#   make check-6.12      the net selftests in a guest booting it

.PHONY: kernel-6.12 module-6.12 check-6.12

kernel-6.12:
	selftests/vm/debian-kernel 6.12

module-6.12: SHELL := /bin/bash
module-6.12:
	@root=$$(selftests/vm/debian-kernel 6.12) && kver=$$(cat $$root/../kver) && \
	$(call module_into,.build/6.12,$$root/usr/src/linux-headers-$$kver,W=1 KCFLAGS=-Werror)

check-6.12: module-6.12
	selftests/vm/run-selftests-debian 6.12
