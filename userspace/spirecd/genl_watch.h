/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Watch the generic netlink controller's "notify" group for the spirec
 * family appearing (module loaded) and disappearing (module unloaded).
 */
#ifndef SPIRECD_GENL_WATCH_H
#define SPIRECD_GENL_WATCH_H

#include <stddef.h>

#include "nl.h"

struct spirecd_genl_watch {
	struct spirec_nl nl;		/* on the controller's family */
	char buf[16384];
};

enum spirecd_genl_change {
	SPIRECD_GENL_NONE,
	SPIRECD_GENL_NEW,		/* family registered */
	SPIRECD_GENL_DEL,		/* family unregistered */
	SPIRECD_GENL_LOST,		/* notifications were lost */
};

/* Returns 0 or a negative errno. */
int spirecd_genl_watch_open(struct spirecd_genl_watch *w);
void spirecd_genl_watch_close(struct spirecd_genl_watch *w);
int spirecd_genl_watch_fd(const struct spirecd_genl_watch *w);

/* Read one datagram: what happened to the family @name, if anything. */
enum spirecd_genl_change spirecd_genl_watch_read(struct spirecd_genl_watch *w,
						 const char *name);

/* Pure parser, for the tests: one controller message. */
enum spirecd_genl_change spirecd_genl_watch_parse(const void *buf, size_t len,
						  const char *name);

#endif
