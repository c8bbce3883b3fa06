# SPDX-License-Identifier: GPL-2.0
#
# make install: the tools, their manual pages, the systemd unit, an example
# configuration and a sysctl.d snippet. The module is installed with
# `make dkms-install` (mk/dkms.mk) or the spirec-dkms package.
#
#   DESTDIR     staging root (default: none)
#   PREFIX      default /usr/local
#   SBINDIR     $(PREFIX)/sbin: spirecd, spirecctl (both need CAP_NET_ADMIN)
#   MANDIR      $(PREFIX)/share/man
#   UNITDIR     $(PREFIX)/lib/systemd/system
#   SYSCONFDIR  /etc (spirecd's default configuration is
#               /etc/spirec/spirecd.conf whatever the prefix)
#   SYSUSERSDIR $(PREFIX)/lib/sysusers.d: spirecd.conf creates the system
#               user spirecd the unit runs as (User=spirecd). make install
#               does not create it: run `systemd-sysusers` (or
#               `useradd --system --no-create-home --shell /usr/sbin/nologin
#               spirecd`), then `chown spirecd: /etc/spirec/spirecd.conf`
#               and every psk_file (spirecd(8), SECURITY).
#
# The example configuration (mode 0600: it is where pre-shared keys go)
# and the sysctl.d snippet are installed only where no file of that name
# exists: an administrator's files are never replaced.

ifndef SPIREC_VERSION
SPIREC_VERSION := $(strip $(file < $(CURDIR)/VERSION))
endif

PREFIX ?= /usr/local
SBINDIR ?= $(PREFIX)/sbin
MANDIR ?= $(PREFIX)/share/man
UNITDIR ?= $(PREFIX)/lib/systemd/system
SYSUSERSDIR ?= $(PREFIX)/lib/sysusers.d
SYSCONFDIR ?= /etc
INSTALL ?= install

.PHONY: install uninstall install-tools

install-tools:
	$(MAKE) -C userspace build/spirecd build/spirecctl

install: install-tools
	$(INSTALL) -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(MANDIR)/man8 \
		$(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(UNITDIR)
	$(INSTALL) -m 0755 userspace/build/spirecd userspace/build/spirecctl \
		$(DESTDIR)$(SBINDIR)/
	$(INSTALL) -m 0644 Documentation/spirecd.8 Documentation/spirecctl.8 \
		$(DESTDIR)$(MANDIR)/man8/
	$(INSTALL) -m 0644 Documentation/spirecd.conf.5 $(DESTDIR)$(MANDIR)/man5/
	sed -e 's|/usr/sbin/spirecd|$(SBINDIR)/spirecd|g' \
		-e 's|/etc/spirec/|$(SYSCONFDIR)/spirec/|g' \
		userspace/spirecd/spirecd.service >$(DESTDIR)$(UNITDIR)/spirecd.service.tmp
	chmod 0644 $(DESTDIR)$(UNITDIR)/spirecd.service.tmp
	mv -f $(DESTDIR)$(UNITDIR)/spirecd.service.tmp $(DESTDIR)$(UNITDIR)/spirecd.service
	sed -f userspace/spirecd/spirecd@.service.sed \
		$(DESTDIR)$(UNITDIR)/spirecd.service >$(DESTDIR)$(UNITDIR)/spirecd@.service.tmp
	chmod 0644 $(DESTDIR)$(UNITDIR)/spirecd@.service.tmp
	mv -f $(DESTDIR)$(UNITDIR)/spirecd@.service.tmp $(DESTDIR)$(UNITDIR)/spirecd@.service
	$(INSTALL) -d $(DESTDIR)$(SYSUSERSDIR)
	$(INSTALL) -m 0644 packaging/spirecd.sysusers $(DESTDIR)$(SYSUSERSDIR)/spirecd.conf
	@echo "spirecd.service runs as the system user spirecd: create it with systemd-sysusers, then chown spirecd: /etc/spirec/spirecd.conf and every psk_file"
	$(INSTALL) -d $(DESTDIR)$(SYSCONFDIR)/spirec
	$(INSTALL) -d $(DESTDIR)$(SYSCONFDIR)/sysctl.d
	@if [ -e $(DESTDIR)$(SYSCONFDIR)/spirec/spirecd.conf ]; then \
		echo "$(DESTDIR)$(SYSCONFDIR)/spirec/spirecd.conf exists, left alone"; \
	else \
		echo "$(INSTALL) -m 0600 packaging/spirecd.conf $(DESTDIR)$(SYSCONFDIR)/spirec/spirecd.conf"; \
		$(INSTALL) -m 0600 packaging/spirecd.conf $(DESTDIR)$(SYSCONFDIR)/spirec/spirecd.conf; \
	fi
	@if [ -e $(DESTDIR)$(SYSCONFDIR)/sysctl.d/60-spirec.conf ]; then \
		echo "$(DESTDIR)$(SYSCONFDIR)/sysctl.d/60-spirec.conf exists, left alone"; \
	else \
		echo "$(INSTALL) -m 0644 packaging/sysctl-spirec.conf $(DESTDIR)$(SYSCONFDIR)/sysctl.d/60-spirec.conf"; \
		$(INSTALL) -m 0644 packaging/sysctl-spirec.conf $(DESTDIR)$(SYSCONFDIR)/sysctl.d/60-spirec.conf; \
	fi

# The configuration files stay (they may hold keys); remove them by hand.
uninstall:
	rm -f $(DESTDIR)$(SBINDIR)/spirecd $(DESTDIR)$(SBINDIR)/spirecctl \
		$(DESTDIR)$(MANDIR)/man8/spirecd.8 $(DESTDIR)$(MANDIR)/man8/spirecctl.8 \
		$(DESTDIR)$(MANDIR)/man5/spirecd.conf.5 \
		$(DESTDIR)$(UNITDIR)/spirecd.service \
		$(DESTDIR)$(UNITDIR)/spirecd@.service \
		$(DESTDIR)$(SYSUSERSDIR)/spirecd.conf
