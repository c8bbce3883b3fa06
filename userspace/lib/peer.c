// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Parser of SPIREC_CMD_GET_PEERS dump messages.
 */
#include <errno.h>
#include <string.h>
#include <linux/spirec.h>

#include "attr.h"
#include "peer.h"

#define BIT(n)	(1u << (n))

static int fail(const char **why, const char *reason)
{
	if (why)
		*why = reason;
	return -EBADMSG;
}

static int parse_entry(const struct nlattr *nest, struct spirec_peer *peer,
		       const char **why)
{
	const struct nlattr *a, *addr = NULL;
	struct spirec_attr_iter it;
	uint16_t family = 0, type;
	uint32_t seen = 0;
	uint8_t known = 0;
	bool ok;
	int ret;

	spirec_attr_nested_begin(nest, &it);
	while ((ret = spirec_attr_next(&it, &a)) > 0) {
		type = spirec_attr_type(a);
		switch (type) {
		case SPIREC_PEER_A_FAMILY:
			ok = spirec_attr_u16(a, &family);
			break;
		case SPIREC_PEER_A_ADDR:
			addr = a;
			ok = true;
			break;
		case SPIREC_PEER_A_PACKETS:
			ok = spirec_attr_u64(a, &peer->packets);
			break;
		case SPIREC_PEER_A_EVENTS:
			ok = spirec_attr_u64(a, &peer->events);
			break;
		case SPIREC_PEER_A_SUPPRESSED:
			ok = spirec_attr_u64(a, &peer->suppressed);
			break;
		case SPIREC_PEER_A_LAST_SPI:
			ok = spirec_attr_u32(a, &peer->last_spi);
			break;
		case SPIREC_PEER_A_LAST_PROTO:
			ok = spirec_attr_u8(a, &peer->last_proto) &&
			     (peer->last_proto == IPPROTO_ESP ||
			      peer->last_proto == IPPROTO_AH);
			break;
		case SPIREC_PEER_A_LAST_ENCAP:
			ok = spirec_attr_u8(a, &peer->last_encap) &&
			     (peer->last_encap == SPIREC_ENCAP_NONE ||
			      peer->last_encap == SPIREC_ENCAP_UDP);
			break;
		case SPIREC_PEER_A_LAST_SEEN_MS:
			ok = spirec_attr_u64(a, &peer->last_seen_ms);
			break;
		case SPIREC_PEER_A_KNOWN:
			ok = spirec_attr_u8(a, &known) && known <= 1;
			peer->known = known;
			break;
		default:
			continue;
		}
		if (!ok)
			return fail(why, "peer attribute with a wrong length or value");
		seen |= BIT(type);
	}
	if (ret < 0)
		return fail(why, "truncated peer attribute");
	if (!(seen & BIT(SPIREC_PEER_A_FAMILY)) || !addr)
		return fail(why, "peer without family or address");
	if (!spirec_addr_len(family))
		return fail(why, "unknown address family");
	if (!spirec_addr_set(&peer->addr, family, spirec_attr_data(addr),
			     spirec_attr_len(addr)))
		return fail(why, "address length does not match the family");
	return 0;
}

int spirec_peer_parse(const void *buf, size_t len, struct spirec_peer *peer,
		      const char **why)
{
	const struct nlattr *a, *nest = NULL;
	const struct genlmsghdr *genl;
	struct spirec_attr_iter it;
	int ret;

	memset(peer, 0, sizeof(*peer));
	if (spirec_genl_msg_begin(buf, len, &genl, &it))
		return fail(why, "truncated message");
	if (genl->cmd != SPIREC_CMD_GET_PEERS)
		return -ENOMSG;

	while ((ret = spirec_attr_next(&it, &a)) > 0) {
		if (spirec_attr_type(a) == SPIREC_A_PEER)
			nest = a;
	}
	if (ret < 0)
		return fail(why, "truncated attribute");
	if (!nest)
		return fail(why, "no peer attribute");
	return parse_entry(nest, peer, why);
}
