// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Parser of SPIREC_CMD_GET_STATS replies and the counter names.
 */
#include <errno.h>
#include <string.h>

#include "nl_attr.h"
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

/* Every counter is a u64; PAD and counters newer than us are ignored. */
static int counter_cb(const struct nlattr *a, void *data)
{
	static const struct spirec_attr_policy u64 = { .type = MNL_TYPE_U64 };
	struct spirec_stats_reply *st = data;
	uint16_t type = mnl_attr_get_type(a);

	if (!spirec_stats_name(type))
		return 0;
	if (!spirec_attr_valid(a, &u64))
		return SPIREC_ATTR_INVALID;
	st->counter[type] = mnl_attr_get_u64(a);
	st->present |= BIT(type);
	return 0;
}

static int parse_counters(const struct nlattr *nest, struct spirec_stats_reply *st,
			  const char **why)
{
	int ret = spirec_attr_for_each_nested(nest, counter_cb, st);

	if (ret == SPIREC_ATTR_INVALID)
		return fail(why, "counter with a wrong length");
	if (ret)
		return fail(why, "truncated counter attribute");
	return 0;
}

static const struct spirec_attr_policy stats_policy[SPIREC_A_MAX + 1] = {
	[SPIREC_A_ENABLED]	= { .type = MNL_TYPE_U8, .max_value = 1 },
	[SPIREC_A_LISTENERS]	= { .type = MNL_TYPE_U8, .max_value = 1 },
	[SPIREC_A_PEER_COUNT]	= { .type = MNL_TYPE_U32 },
	[SPIREC_A_STATS]	= { .type = MNL_TYPE_UNSPEC },	/* counters */
};

int spirec_stats_reply_parse(const void *buf, size_t len, struct spirec_stats_reply *st,
			     const char **why)
{
	const struct nlattr *tb[SPIREC_A_MAX + 1];
	struct spirec_attr_table t = {
		.tb = tb, .policy = stats_policy, .max = SPIREC_A_MAX,
	};
	const struct genlmsghdr *genl;
	int ret;

	memset(st, 0, sizeof(*st));
	genl = spirec_genl_header(buf, len);
	if (!genl)
		return fail(why, "truncated message");
	if (genl->cmd != SPIREC_CMD_GET_STATS)
		return -ENOMSG;

	ret = spirec_attr_parse(buf, GENL_HDRLEN, &t);
	if (ret == SPIREC_ATTR_INVALID)
		return fail(why, "attribute with a wrong length or value");
	if (ret)
		return fail(why, "truncated attribute");
	if (!tb[SPIREC_A_ENABLED] || !tb[SPIREC_A_LISTENERS] ||
	    !tb[SPIREC_A_PEER_COUNT] || !tb[SPIREC_A_STATS])
		return fail(why, "required attribute missing");
	st->enabled = spirec_attr_uint(tb[SPIREC_A_ENABLED]);
	st->listeners = spirec_attr_uint(tb[SPIREC_A_LISTENERS]);
	st->peer_count = (uint32_t)spirec_attr_uint(tb[SPIREC_A_PEER_COUNT]);
	return parse_counters(tb[SPIREC_A_STATS], st, why);
}
