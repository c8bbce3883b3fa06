# SPDX-License-Identifier: GPL-2.0
#
# make deb: the Debian packages spirec-dkms and spirec-tools (debian/),
# built with dpkg-buildpackage -us -uc -b from a copy of the source tree
# (dpkg-buildpackage writes its results next to the tree it builds, and
# the copy keeps the tree's own build products out of the way). The .debs,
# .changes and .buildinfo land in DEB_OUT, default build/deb.
#
# The copy holds the files git knows (tracked, or untracked and not
# ignored) when the tree is a git work tree, else everything but build
# products.

ifndef SPIREC_VERSION
SPIREC_VERSION := $(strip $(file < $(CURDIR)/VERSION))
endif

DEB_OUT ?= $(CURDIR)/build/deb
DEB_BUILD_FLAGS ?= -us -uc -b -J

.PHONY: deb

deb: SHELL := /bin/bash
deb:
	@set -eo pipefail; \
	tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	src=$$tmp/spirec-$(SPIREC_VERSION); mkdir "$$src"; \
	if git -C $(CURDIR) rev-parse --is-inside-work-tree >/dev/null 2>&1; then \
		git -C $(CURDIR) ls-files -z --cached --others --exclude-standard | \
		while IFS= read -r -d '' f; do [ -e "$$f" ] && printf '%s\0' "$$f"; done | \
		tar -C $(CURDIR) --null -T - -cf - | tar -C "$$src" -xf -; \
	else \
		tar -C $(CURDIR) --exclude-vcs --exclude=./build --exclude=./.check \
			--exclude=./userspace/build --exclude='*.o' --exclude='*.ko' \
			--exclude='.*.cmd' -cf - . | tar -C "$$src" -xf -; \
	fi; \
	echo "dpkg-buildpackage $(DEB_BUILD_FLAGS) in $$src"; \
	(cd "$$src" && dpkg-buildpackage $(DEB_BUILD_FLAGS)); \
	mkdir -p $(DEB_OUT); \
	rm -f $(DEB_OUT)/*.deb $(DEB_OUT)/*.changes $(DEB_OUT)/*.buildinfo; \
	mv "$$tmp"/*.deb "$$tmp"/*.changes "$$tmp"/*.buildinfo $(DEB_OUT)/; \
	ls -l $(DEB_OUT)
