/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The kernel's security association database as spirecd sees it: a
 * NETLINK_XFRM dump (XFRM_MSG_GETSA, NLM_F_DUMP) of the states in the
 * caller's network namespace, and the parser of one XFRM_MSG_NEWSA
 * message of that dump (untrusted bytes: every length is checked).
 */
#ifndef SPIRECD_XFRM_SA_H
#define SPIRECD_XFRM_SA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "addr.h"

/* What spirecd needs of one state. */
struct spirecd_xfrm_sa {
	uint16_t family;
	struct spirec_addr saddr, daddr;
	uint32_t spi;			/* host order */
	uint8_t proto;			/* IPPROTO_ESP, IPPROTO_AH, ... */
	uint32_t mark, mark_mask;	/* XFRMA_MARK, 0 if absent */
	bool has_keys;			/* AEAD or cipher (ESP), auth (AH) */
	/*
	 * Usable for traffic: ESP or AH, a non-zero SPI and its keys. A
	 * larval state (an acquire, SPI 0; or an SPI allocated by the IKE
	 * daemon for a negotiation in progress, no keys yet) is not.
	 */
	bool valid;
};

/*
 * Parse one message of @len bytes at @buf (4-byte aligned). Returns 0,
 * -ENOMSG if it is not an XFRM_MSG_NEWSA, or -EBADMSG when it is
 * malformed, with *@why (if @why) saying what was wrong.
 */
int spirecd_xfrm_sa_parse(const void *buf, size_t len,
			  struct spirecd_xfrm_sa *sa, const char **why);

/* Called for every state of the dump; return false to stop early. */
typedef bool (*spirecd_xfrm_sa_cb)(const struct spirecd_xfrm_sa *sa,
				   void *data);

struct spirecd_xfrm_dump_stats {
	unsigned int states;		/* parsed and handed to the callback */
	unsigned int skipped;		/* malformed, skipped */
	const char *last_why;		/* reason of the last one skipped */
};

/*
 * Dump the states of the caller's network namespace (CAP_NET_ADMIN),
 * calling @cb for each one. A malformed message is skipped and counted.
 * Returns 0, or a negative errno with one line in @err.
 */
int spirecd_xfrm_sa_dump(spirecd_xfrm_sa_cb cb, void *data,
			 struct spirecd_xfrm_dump_stats *st, char *err,
			 size_t errlen);

#endif
