# SPDX-License-Identifier: GPL-2.0
#
# make demo: the Router A / Router B black hole of Cisco's
# invalid-spi-recovery example, healed by spirec, in the test VM
# (demo/demo.sh). Installs the packages of `make deps` first if its stamp
# is missing. DEMO=ikev1: the IKEv1 variant (Main Mode tunnel, action
# ikev1).

.PHONY: demo

demo: $(DEPS_STAMP)
	$(MAKE) module userspace
	SPIREC_DEMO=$(or $(DEMO),ikev2) demo/demo.sh
