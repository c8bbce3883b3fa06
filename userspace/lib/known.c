// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Parser of SPIREC_CMD_KNOWN_GET dump messages.
 */
#include <errno.h>
#include <string.h>
#include <linux/spirec.h>

#include "known.h"
#include "nl_attr.h"

static int fail(const char **why, const char *reason)
{
	if (why)
		*why = reason;
	return -EBADMSG;
}

static const struct spirec_attr_policy known_policy[SPIREC_A_MAX + 1] = {
	[SPIREC_A_FAMILY]	= { .type = MNL_TYPE_U16 },
	[SPIREC_A_PREFIXLEN]	= { .type = MNL_TYPE_U8 },
	/* ADDR: its length depends on FAMILY, checked below. */
};

int spirec_known_parse(const void *buf, size_t len, struct spirec_cidr *pfx,
		       const char **why)
{
	const struct nlattr *tb[SPIREC_A_MAX + 1];
	struct spirec_attr_table t = {
		.tb = tb, .policy = known_policy, .max = SPIREC_A_MAX,
	};
	const struct genlmsghdr *genl;
	const struct nlattr *addr;
	uint16_t family;
	uint8_t plen;
	int ret;

	memset(pfx, 0, sizeof(*pfx));
	genl = spirec_genl_header(buf, len);
	if (!genl)
		return fail(why, "truncated message");
	if (genl->cmd != SPIREC_CMD_KNOWN_GET)
		return -ENOMSG;

	ret = spirec_attr_parse(buf, GENL_HDRLEN, &t);
	if (ret == SPIREC_ATTR_INVALID)
		return fail(why, t.bad_type == SPIREC_A_FAMILY ?
				 "family with a wrong length" :
				 "prefix length with a wrong length");
	if (ret)
		return fail(why, "truncated attribute");
	addr = tb[SPIREC_A_ADDR];
	if (!tb[SPIREC_A_FAMILY] || !addr)
		return fail(why, "entry without family or address");
	family = (uint16_t)spirec_attr_uint(tb[SPIREC_A_FAMILY]);
	plen = (uint8_t)spirec_attr_uint(tb[SPIREC_A_PREFIXLEN]);
	pfx->has_prefixlen = tb[SPIREC_A_PREFIXLEN] != NULL;
	if (!spirec_addr_len(family))
		return fail(why, "unknown address family");
	if (!spirec_addr_set(&pfx->addr, family, mnl_attr_get_payload(addr),
			     mnl_attr_get_payload_len(addr)))
		return fail(why, "address length does not match the family");
	if (!pfx->has_prefixlen)
		plen = (uint8_t)spirec_addr_maxprefix(family);
	else if (plen > spirec_addr_maxprefix(family))
		return fail(why, "prefix length longer than the address");
	pfx->prefixlen = plen;
	return 0;
}
