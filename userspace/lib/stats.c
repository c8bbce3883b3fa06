// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Parser of SPIREC_CMD_GET_STATS replies and the counter names.
 */
#include <errno.h>
#include <string.h>

#include "attr.h"
#include "stats.h"

#define BIT(n)	(1u << (n))

static const char *const stats_names[SPIREC_STATS_A_MAX + 1] = {
	[SPIREC_STATS_A_INSPECTED]		= "inspected",
	[SPIREC_STATS_A_UNKNOWN_ESP]		= "unknown_esp",
	[SPIREC_STATS_A_UNKNOWN_AH]		= "unknown_ah",
	[SPIREC_STATS_A_UNKNOWN_ESPINUDP]	= "unknown_espinudp",
	[SPIREC_STATS_A_MALFORMED]		= "malformed",
	[SPIREC_STATS_A_EVENTS]			= "events",
	[SPIREC_STATS_A_LIMITED_PEER]		= "limited_peer",
	[SPIREC_STATS_A_LIMITED_GLOBAL]		= "limited_global",
	[SPIREC_STATS_A_TABLE_FULL]		= "table_full",
	[SPIREC_STATS_A_NO_LISTENER]		= "no_listener",
	[SPIREC_STATS_A_NOT_KNOWN]		= "not_known",
	[SPIREC_STATS_A_ALLOC_FAIL]		= "alloc_fail",
	[SPIREC_STATS_A_NOT_BLACKHOLE]		= "not_blackhole",
	[SPIREC_STATS_A_OTHER_MARK]		= "other_mark",
};

const char *spirec_stats_name(unsigned int type)
{
	if (type > SPIREC_STATS_A_MAX)
		return NULL;
	return stats_names[type];
}

static int fail(const char **why, const char *reason)
{
	if (why)
		*why = reason;
	return -EBADMSG;
}

static int parse_counters(const struct nlattr *nest, struct spirec_stats *st,
			  const char **why)
{
	struct spirec_attr_iter it;
	const struct nlattr *a;
	uint16_t type;
	int ret;

	spirec_attr_nested_begin(nest, &it);
	while ((ret = spirec_attr_next(&it, &a)) > 0) {
		type = spirec_attr_type(a);
		if (!spirec_stats_name(type))
			continue;	/* PAD, or a counter newer than us */
		if (!spirec_attr_u64(a, &st->counter[type]))
			return fail(why, "counter with a wrong length");
		st->present |= BIT(type);
	}
	if (ret < 0)
		return fail(why, "truncated counter attribute");
	return 0;
}

int spirec_stats_parse(const void *buf, size_t len, struct spirec_stats *st,
		       const char **why)
{
	const struct genlmsghdr *genl;
	const struct nlattr *a, *nest = NULL;
	struct spirec_attr_iter it;
	uint32_t seen = 0;
	uint8_t u8 = 0;
	uint16_t type;
	bool ok;
	int ret;

	memset(st, 0, sizeof(*st));
	if (spirec_genl_msg_begin(buf, len, &genl, &it))
		return fail(why, "truncated message");
	if (genl->cmd != SPIREC_CMD_GET_STATS)
		return -ENOMSG;

	while ((ret = spirec_attr_next(&it, &a)) > 0) {
		type = spirec_attr_type(a);
		switch (type) {
		case SPIREC_A_ENABLED:
			ok = spirec_attr_u8(a, &u8) && u8 <= 1;
			st->enabled = u8;
			break;
		case SPIREC_A_LISTENERS:
			ok = spirec_attr_u8(a, &u8) && u8 <= 1;
			st->listeners = u8;
			break;
		case SPIREC_A_PEER_COUNT:
			ok = spirec_attr_u32(a, &st->peer_count);
			break;
		case SPIREC_A_STATS:
			nest = a;
			ok = true;
			break;
		default:
			continue;
		}
		if (!ok)
			return fail(why, "attribute with a wrong length or value");
		seen |= BIT(type);
	}
	if (ret < 0)
		return fail(why, "truncated attribute");
	if (!(seen & BIT(SPIREC_A_ENABLED)) ||
	    !(seen & BIT(SPIREC_A_LISTENERS)) ||
	    !(seen & BIT(SPIREC_A_PEER_COUNT)) || !nest)
		return fail(why, "required attribute missing");
	return parse_counters(nest, st, why);
}
