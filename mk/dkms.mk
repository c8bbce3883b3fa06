# SPDX-License-Identifier: GPL-2.0
#
# DKMS: the module rebuilt by dkms for every installed kernel.
#
#   make dkms-src       module sources + dkms.conf into
#                       $(DESTDIR)$(DKMS_SRCDIR)/spirec-$(SPIREC_VERSION)
#   make dkms-install   dkms-src, then dkms add, build and install
#   make dkms-uninstall dkms remove (every kernel), then the sources
#
#   DKMS_SRCDIR   dkms's source tree, default /usr/src (dkms --sourcetree)
#   DKMS_KERNEL   kernel release(s) to build for (dkms -k, one per release;
#                 blank-separated), default: dkms's own default, the
#                 running kernel
#   DKMS_FLAGS    further dkms options, e.g. --dkmstree DIR --installtree
#                 DIR --no-depmod (see dkms(8))
#
# The version is the one in the VERSION file; dkms.conf gets it in place
# of #MODULE_VERSION#.

ifndef SPIREC_VERSION
SPIREC_VERSION := $(strip $(file < $(CURDIR)/VERSION))
endif

DKMS ?= dkms
DKMS_SRCDIR ?= /usr/src
DKMS_KERNEL ?=
DKMS_FLAGS ?=
DKMS_MODULE_SRCS = Kbuild kmod/Kbuild \
	$(sort $(filter-out %.mod.c,$(wildcard kmod/*.c)) $(wildcard kmod/*.h)) \
	uapi/linux/spirec.h
DKMS_DIR = $(DESTDIR)$(DKMS_SRCDIR)/spirec-$(SPIREC_VERSION)
DKMS_ARGS = -m spirec -v $(SPIREC_VERSION) \
	$(if $(filter-out /usr/src /usr/src/,$(DKMS_SRCDIR)),--sourcetree $(DKMS_SRCDIR)) \
	$(DKMS_FLAGS)
DKMS_KARGS = $(foreach k,$(DKMS_KERNEL),-k $(k))

.PHONY: dkms-src dkms-install dkms-uninstall

dkms-src:
	@test -n "$(SPIREC_VERSION)" || { echo "VERSION file missing or empty" >&2; exit 1; }
	rm -rf $(DKMS_DIR)
	for f in $(DKMS_MODULE_SRCS); do \
		install -D -m 0644 $$f $(DKMS_DIR)/$$f || exit 1; \
	done
	sed 's/#MODULE_VERSION#/$(SPIREC_VERSION)/g' dkms.conf >$(DKMS_DIR)/dkms.conf
	chmod 0644 $(DKMS_DIR)/dkms.conf

# A version added before (e.g. an earlier make dkms-install of the same
# version) is removed first, so that the new sources are the ones built.
dkms-install: dkms-src
	@$(DKMS) remove $(DKMS_ARGS) --all >/dev/null 2>&1 || true
	$(DKMS) add $(DKMS_ARGS)
	$(DKMS) build $(DKMS_ARGS) $(DKMS_KARGS)
	$(DKMS) install $(DKMS_ARGS) $(DKMS_KARGS)

dkms-uninstall:
	-$(DKMS) remove $(DKMS_ARGS) --all
	rm -rf $(DKMS_DIR)
