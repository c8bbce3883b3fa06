// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Parser of SPIREC_CMD_KNOWN_GET dump messages.
 */
#include <errno.h>
#include <string.h>
#include <linux/spirec.h>

#include "attr.h"
#include "known.h"

static int fail(const char **why, const char *reason)
{
	if (why)
		*why = reason;
	return -EBADMSG;
}

int spirec_known_parse(const void *buf, size_t len, struct spirec_prefix *pfx,
		       const char **why)
{
	const struct nlattr *a, *addr = NULL;
	const struct genlmsghdr *genl;
	struct spirec_attr_iter it;
	bool have_family = false;
	uint16_t family = 0;
	uint8_t plen = 0;
	int ret;

	memset(pfx, 0, sizeof(*pfx));
	if (spirec_genl_msg_begin(buf, len, &genl, &it))
		return fail(why, "truncated message");
	if (genl->cmd != SPIREC_CMD_KNOWN_GET)
		return -ENOMSG;

	while ((ret = spirec_attr_next(&it, &a)) > 0) {
		switch (spirec_attr_type(a)) {
		case SPIREC_A_FAMILY:
			if (!spirec_attr_u16(a, &family))
				return fail(why, "family with a wrong length");
			have_family = true;
			break;
		case SPIREC_A_ADDR:
			addr = a;
			break;
		case SPIREC_A_PREFIXLEN:
			if (!spirec_attr_u8(a, &plen))
				return fail(why, "prefix length with a wrong length");
			pfx->has_prefixlen = true;
			break;
		default:
			break;
		}
	}
	if (ret < 0)
		return fail(why, "truncated attribute");
	if (!have_family || !addr)
		return fail(why, "entry without family or address");
	if (!spirec_addr_len(family))
		return fail(why, "unknown address family");
	if (!spirec_addr_set(&pfx->addr, family, spirec_attr_data(addr),
			     spirec_attr_len(addr)))
		return fail(why, "address length does not match the family");
	if (!pfx->has_prefixlen)
		plen = (uint8_t)spirec_addr_maxprefix(family);
	else if (plen > spirec_addr_maxprefix(family))
		return fail(why, "prefix length longer than the address");
	pfx->prefixlen = plen;
	return 0;
}
