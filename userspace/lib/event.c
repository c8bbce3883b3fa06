// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Parser of SPIREC_CMD_EVENT notifications.
 */
#include <errno.h>
#include <string.h>
#include <linux/spirec.h>

#include "event.h"
#include "nl_attr.h"

static int fail(const char **why, const char *reason)
{
	if (why)
		*why = reason;
	return -EBADMSG;
}

const char *spirec_proto_name(uint8_t proto)
{
	switch (proto) {
	case IPPROTO_ESP:
		return "esp";
	case IPPROTO_AH:
		return "ah";
	default:
		return "unknown";
	}
}

const char *spirec_encap_name(uint8_t encap)
{
	switch (encap) {
	case SPIREC_ENCAP_NONE:
		return "none";
	case SPIREC_ENCAP_UDP:
		return "udp";
	default:
		return "unknown";
	}
}

static const struct spirec_attr_policy event_policy[SPIREC_A_MAX + 1] = {
	[SPIREC_A_FAMILY]	= { .type = MNL_TYPE_U16 },
	[SPIREC_A_SPI]		= { .type = MNL_TYPE_U32 },
	[SPIREC_A_PROTO]	= { .type = MNL_TYPE_U8 },
	[SPIREC_A_ENCAP]	= { .type = MNL_TYPE_U8 },
	[SPIREC_A_SPORT]	= { .type = MNL_TYPE_U16 },
	[SPIREC_A_DPORT]	= { .type = MNL_TYPE_U16 },
	[SPIREC_A_IFINDEX]	= { .type = MNL_TYPE_U32 },
	[SPIREC_A_MARK]		= { .type = MNL_TYPE_U32 },
	[SPIREC_A_SUPPRESSED]	= { .type = MNL_TYPE_U64 },
	[SPIREC_A_LIVE_SAS]	= { .type = MNL_TYPE_U32 },
	/* SRC and DST: their length depends on FAMILY, checked below. */
};

int spirec_event_msg_parse(const void *buf, size_t len, struct spirec_event_msg *ev,
			   const char **why)
{
	const struct nlattr *tb[SPIREC_A_MAX + 1];
	struct spirec_attr_table t = {
		.tb = tb, .policy = event_policy, .max = SPIREC_A_MAX,
	};
	const struct nlattr *src, *dst;
	const struct genlmsghdr *genl;
	int ret;

	memset(ev, 0, sizeof(*ev));
	genl = spirec_genl_header(buf, len);
	if (!genl)
		return fail(why, "truncated message");
	if (genl->cmd != SPIREC_CMD_EVENT)
		return -ENOMSG;

	ret = spirec_attr_parse(buf, GENL_HDRLEN, &t);
	if (ret == SPIREC_ATTR_INVALID)
		return fail(why, "attribute with a wrong length");
	if (ret)
		return fail(why, "truncated attribute");
	src = tb[SPIREC_A_SRC];
	dst = tb[SPIREC_A_DST];
	if (!tb[SPIREC_A_FAMILY] || !src || !dst || !tb[SPIREC_A_SPI] ||
	    !tb[SPIREC_A_PROTO] || !tb[SPIREC_A_ENCAP])
		return fail(why, "required attribute missing");
	ev->family = (uint16_t)spirec_attr_uint(tb[SPIREC_A_FAMILY]);
	ev->spi = (uint32_t)spirec_attr_uint(tb[SPIREC_A_SPI]);
	ev->proto = (uint8_t)spirec_attr_uint(tb[SPIREC_A_PROTO]);
	ev->encap = (uint8_t)spirec_attr_uint(tb[SPIREC_A_ENCAP]);
	ev->sport = (uint16_t)spirec_attr_uint(tb[SPIREC_A_SPORT]);
	ev->dport = (uint16_t)spirec_attr_uint(tb[SPIREC_A_DPORT]);
	ev->ifindex = (uint32_t)spirec_attr_uint(tb[SPIREC_A_IFINDEX]);
	ev->mark = (uint32_t)spirec_attr_uint(tb[SPIREC_A_MARK]);
	ev->suppressed = spirec_attr_uint(tb[SPIREC_A_SUPPRESSED]);
	ev->live_sas = (uint32_t)spirec_attr_uint(tb[SPIREC_A_LIVE_SAS]);
	ev->live_sas_known = tb[SPIREC_A_LIVE_SAS] != NULL;

	if (!spirec_addr_len(ev->family))
		return fail(why, "unknown address family");
	if (!spirec_addr_set(&ev->src, ev->family, mnl_attr_get_payload(src),
			     mnl_attr_get_payload_len(src)) ||
	    !spirec_addr_set(&ev->dst, ev->family, mnl_attr_get_payload(dst),
			     mnl_attr_get_payload_len(dst)))
		return fail(why, "address length does not match the family");
	if (ev->proto != IPPROTO_ESP && ev->proto != IPPROTO_AH)
		return fail(why, "protocol is neither ESP nor AH");

	switch (ev->encap) {
	case SPIREC_ENCAP_NONE:
		if (tb[SPIREC_A_SPORT] || tb[SPIREC_A_DPORT])
			return fail(why, "UDP ports without UDP encapsulation");
		break;
	case SPIREC_ENCAP_UDP:
		if (ev->proto != IPPROTO_ESP)
			return fail(why, "UDP encapsulation of AH");
		if (!tb[SPIREC_A_SPORT] || !tb[SPIREC_A_DPORT])
			return fail(why, "UDP encapsulation without ports");
		break;
	default:
		return fail(why, "unknown encapsulation");
	}
	return 0;
}
