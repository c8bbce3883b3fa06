# SPDX-License-Identifier: GPL-2.0
#
# make demo: the Router A / Router B black hole of Cisco's
# invalid-spi-recovery example, healed by spirec, in the test VM
# (demo/demo.sh). Installs the packages of `make deps` first if its stamp
# is missing.

.PHONY: demo

demo: $(DEPS_STAMP)
	$(MAKE) module userspace
	demo/demo.sh
