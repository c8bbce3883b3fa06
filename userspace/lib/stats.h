/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * SPIREC_CMD_GET_STATS reply: state of this netns and its counters.
 */
#ifndef SPIREC_STATS_H
#define SPIREC_STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/spirec.h>

struct spirec_stats_reply {
	bool enabled;			/* net.spirec.enabled */
	bool listeners;			/* the events group has listeners */
	uint32_t peer_count;		/* entries in the peer table */
	/* Indexed by enum spirec_stats_attr; absent counters read 0. */
	uint64_t counter[SPIREC_STATS_A_MAX + 1];
	uint32_t present;		/* bit n: counter[n] was sent */
};

/*
 * Parse one netlink message holding a SPIREC_CMD_GET_STATS reply.
 * Required: enabled, listeners, peer_count and the stats nest. Unknown
 * attributes and counters are ignored.
 * Returns 0, -ENOMSG for another command, -EBADMSG if malformed (then
 * *@why says why).
 */
int spirec_stats_reply_parse(const void *buf, size_t len, struct spirec_stats_reply *st,
			     const char **why);

/*
 * Name of counter @type ("inspected", "unknown_esp", ...), the key used in
 * JSON and text output; NULL for SPIREC_STATS_A_UNSPEC/PAD and unknown
 * values.
 */
const char *spirec_stats_name(unsigned int type);

#endif
