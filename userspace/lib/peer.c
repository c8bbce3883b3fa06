// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Parser of SPIREC_CMD_GET_PEERS dump messages.
 */
#include <errno.h>
#include <string.h>
#include <linux/spirec.h>

#include "nl_attr.h"
#include "peer.h"

static int fail(const char **why, const char *reason)
{
	if (why)
		*why = reason;
	return -EBADMSG;
}

static const struct spirec_attr_policy peer_policy[SPIREC_PEER_A_MAX + 1] = {
	[SPIREC_PEER_A_FAMILY]		= { .type = MNL_TYPE_U16 },
	[SPIREC_PEER_A_PACKETS]		= { .type = MNL_TYPE_U64 },
	[SPIREC_PEER_A_EVENTS]		= { .type = MNL_TYPE_U64 },
	[SPIREC_PEER_A_SUPPRESSED]	= { .type = MNL_TYPE_U64 },
	[SPIREC_PEER_A_LAST_SPI]	= { .type = MNL_TYPE_U32 },
	/* IPPROTO_ESP (50) or IPPROTO_AH (51) */
	[SPIREC_PEER_A_LAST_PROTO]	= { .type = MNL_TYPE_U8,
					    .min_value = IPPROTO_ESP,
					    .max_value = IPPROTO_AH },
	[SPIREC_PEER_A_LAST_ENCAP]	= { .type = MNL_TYPE_U8,
					    .min_value = SPIREC_ENCAP_NONE,
					    .max_value = SPIREC_ENCAP_UDP },
	[SPIREC_PEER_A_LAST_SEEN_MS]	= { .type = MNL_TYPE_U64 },
	[SPIREC_PEER_A_KNOWN]		= { .type = MNL_TYPE_U8,
					    .max_value = 1 },
	/* ADDR: its length depends on FAMILY, checked below. */
};

static int parse_entry(const struct nlattr *nest, struct spirec_peer_row *peer,
		       const char **why)
{
	const struct nlattr *tb[SPIREC_PEER_A_MAX + 1];
	struct spirec_attr_table t = {
		.tb = tb, .policy = peer_policy, .max = SPIREC_PEER_A_MAX,
	};
	const struct nlattr *addr;
	uint16_t family;
	int ret;

	ret = spirec_attr_parse_nested(nest, &t);
	if (ret == SPIREC_ATTR_INVALID)
		return fail(why, "peer attribute with a wrong length or value");
	if (ret)
		return fail(why, "truncated peer attribute");
	addr = tb[SPIREC_PEER_A_ADDR];
	if (!tb[SPIREC_PEER_A_FAMILY] || !addr)
		return fail(why, "peer without family or address");
	family = (uint16_t)spirec_attr_uint(tb[SPIREC_PEER_A_FAMILY]);
	peer->packets = spirec_attr_uint(tb[SPIREC_PEER_A_PACKETS]);
	peer->events = spirec_attr_uint(tb[SPIREC_PEER_A_EVENTS]);
	peer->suppressed = spirec_attr_uint(tb[SPIREC_PEER_A_SUPPRESSED]);
	peer->last_spi = (uint32_t)spirec_attr_uint(tb[SPIREC_PEER_A_LAST_SPI]);
	peer->last_proto =
		(uint8_t)spirec_attr_uint(tb[SPIREC_PEER_A_LAST_PROTO]);
	peer->last_encap =
		(uint8_t)spirec_attr_uint(tb[SPIREC_PEER_A_LAST_ENCAP]);
	peer->last_seen_ms = spirec_attr_uint(tb[SPIREC_PEER_A_LAST_SEEN_MS]);
	peer->known = spirec_attr_uint(tb[SPIREC_PEER_A_KNOWN]);
	if (!spirec_addr_len(family))
		return fail(why, "unknown address family");
	if (!spirec_addr_set(&peer->addr, family, mnl_attr_get_payload(addr),
			     mnl_attr_get_payload_len(addr)))
		return fail(why, "address length does not match the family");
	return 0;
}

static const struct spirec_attr_policy peers_msg_policy[SPIREC_A_MAX + 1] = {
	[SPIREC_A_PEER]	= { .type = MNL_TYPE_UNSPEC },	/* parse_entry() */
};

int spirec_peer_row_parse(const void *buf, size_t len, struct spirec_peer_row *peer,
			  const char **why)
{
	const struct nlattr *tb[SPIREC_A_MAX + 1];
	struct spirec_attr_table t = {
		.tb = tb, .policy = peers_msg_policy, .max = SPIREC_A_MAX,
	};
	const struct genlmsghdr *genl;

	memset(peer, 0, sizeof(*peer));
	genl = spirec_genl_header(buf, len);
	if (!genl)
		return fail(why, "truncated message");
	if (genl->cmd != SPIREC_CMD_GET_PEERS)
		return -ENOMSG;

	if (spirec_attr_parse(buf, GENL_HDRLEN, &t))
		return fail(why, "truncated attribute");
	if (!tb[SPIREC_A_PEER])
		return fail(why, "no peer attribute");
	return parse_entry(tb[SPIREC_A_PEER], peer, why);
}
