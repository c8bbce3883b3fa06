// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Parser of SPIREC_CMD_EVENT notifications.
 */
#include <errno.h>
#include <string.h>
#include <linux/spirec.h>

#include "attr.h"
#include "event.h"

#define BIT(n)	(1u << (n))

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

int spirec_event_parse(const void *buf, size_t len, struct spirec_event *ev,
		       const char **why)
{
	const struct nlattr *src = NULL, *dst = NULL, *a;
	const struct genlmsghdr *genl;
	struct spirec_attr_iter it;
	uint32_t seen = 0;
	uint16_t type;
	bool ok;
	int ret;

	memset(ev, 0, sizeof(*ev));
	if (spirec_genl_msg_begin(buf, len, &genl, &it))
		return fail(why, "truncated message");
	if (genl->cmd != SPIREC_CMD_EVENT)
		return -ENOMSG;

	while ((ret = spirec_attr_next(&it, &a)) > 0) {
		type = spirec_attr_type(a);
		switch (type) {
		case SPIREC_A_FAMILY:
			ok = spirec_attr_u16(a, &ev->family);
			break;
		case SPIREC_A_SRC:
			src = a;
			ok = true;
			break;
		case SPIREC_A_DST:
			dst = a;
			ok = true;
			break;
		case SPIREC_A_SPI:
			ok = spirec_attr_u32(a, &ev->spi);
			break;
		case SPIREC_A_PROTO:
			ok = spirec_attr_u8(a, &ev->proto);
			break;
		case SPIREC_A_ENCAP:
			ok = spirec_attr_u8(a, &ev->encap);
			break;
		case SPIREC_A_SPORT:
			ok = spirec_attr_u16(a, &ev->sport);
			break;
		case SPIREC_A_DPORT:
			ok = spirec_attr_u16(a, &ev->dport);
			break;
		case SPIREC_A_IFINDEX:
			ok = spirec_attr_u32(a, &ev->ifindex);
			break;
		case SPIREC_A_MARK:
			ok = spirec_attr_u32(a, &ev->mark);
			break;
		case SPIREC_A_SUPPRESSED:
			ok = spirec_attr_u64(a, &ev->suppressed);
			break;
		case SPIREC_A_LIVE_SAS:
			ok = spirec_attr_u32(a, &ev->live_sas);
			ev->live_sas_known = ok;
			break;
		default:
			continue;	/* newer kernel: ignore */
		}
		if (!ok)
			return fail(why, "attribute with a wrong length");
		seen |= BIT(type);
	}
	if (ret < 0)
		return fail(why, "truncated attribute");

	if (!(seen & BIT(SPIREC_A_FAMILY)) || !src || !dst ||
	    !(seen & BIT(SPIREC_A_SPI)) || !(seen & BIT(SPIREC_A_PROTO)) ||
	    !(seen & BIT(SPIREC_A_ENCAP)))
		return fail(why, "required attribute missing");
	if (!spirec_addr_len(ev->family))
		return fail(why, "unknown address family");
	if (!spirec_addr_set(&ev->src, ev->family, spirec_attr_data(src),
			     spirec_attr_len(src)) ||
	    !spirec_addr_set(&ev->dst, ev->family, spirec_attr_data(dst),
			     spirec_attr_len(dst)))
		return fail(why, "address length does not match the family");
	if (ev->proto != IPPROTO_ESP && ev->proto != IPPROTO_AH)
		return fail(why, "protocol is neither ESP nor AH");

	switch (ev->encap) {
	case SPIREC_ENCAP_NONE:
		if (seen & (BIT(SPIREC_A_SPORT) | BIT(SPIREC_A_DPORT)))
			return fail(why, "UDP ports without UDP encapsulation");
		break;
	case SPIREC_ENCAP_UDP:
		if (ev->proto != IPPROTO_ESP)
			return fail(why, "UDP encapsulation of AH");
		if (!(seen & BIT(SPIREC_A_SPORT)) ||
		    !(seen & BIT(SPIREC_A_DPORT)))
			return fail(why, "UDP encapsulation without ports");
		break;
	default:
		return fail(why, "unknown encapsulation");
	}
	return 0;
}
