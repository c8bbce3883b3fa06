# SPDX-License-Identifier: GPL-2.0
#
# make demo: the Router A / Router B black hole of Cisco's
# invalid-spi-recovery example, healed by spirec, in the test VM
# (demo/demo.sh). Needs the packages of `make deps`.

.PHONY: demo

demo: module userspace
	demo/demo.sh
