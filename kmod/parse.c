// SPDX-License-Identifier: GPL-2.0
/*
 * Packet parser for the LOCAL_IN hooks. At LOCAL_IN IPv4 packets are
 * reassembled already; IPv6 ones are not, so only first fragments can be
 * parsed.
 */

#include <linux/in.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/spirec.h>
#include <linux/udp.h>
#include <net/ip.h>
#include <net/ipv6.h>

#include "parse.h"

static enum spirec_parse_result spirec_set_spi(struct spirec_pkt *pkt,
					       __be32 spi)
{
	/* SPI 0 is reserved (RFC 4303 2.1) and never on the wire. */
	if (!spi)
		return SPIREC_PARSE_MALFORMED;
	pkt->spi = ntohl(spi);
	return SPIREC_PARSE_OK;
}

static enum spirec_parse_result spirec_parse_esp(const struct sk_buff *skb,
						 unsigned int off,
						 struct spirec_pkt *pkt)
{
	const __be32 *spi;
	__be32 _spi;

	spi = skb_header_pointer(skb, off, sizeof(_spi), &_spi);
	if (!spi)
		return SPIREC_PARSE_MALFORMED;
	pkt->proto = IPPROTO_ESP;
	pkt->encap = SPIREC_ENCAP_NONE;
	pkt->sport = 0;
	pkt->dport = 0;
	return spirec_set_spi(pkt, *spi);
}

static enum spirec_parse_result spirec_parse_ah(const struct sk_buff *skb,
						unsigned int off,
						struct spirec_pkt *pkt)
{
	const struct ip_auth_hdr *ah;
	struct ip_auth_hdr _ah;

	/* Only the fields up to and including the SPI must be there. */
	ah = skb_header_pointer(skb, off, offsetofend(struct ip_auth_hdr, spi),
				&_ah);
	if (!ah)
		return SPIREC_PARSE_MALFORMED;
	pkt->proto = IPPROTO_AH;
	pkt->encap = SPIREC_ENCAP_NONE;
	pkt->sport = 0;
	pkt->dport = 0;
	return spirec_set_spi(pkt, ah->spi);
}

/*
 * RFC 3948 on the NAT-T port (net.spirec.natt_port, 4500 by default): a
 * single 0xff byte is a NAT keepalive, a zero four-byte marker starts an
 * IKE message, anything else is ESP whose header (SPI and sequence
 * number, 8 bytes) must be complete. Like xfrm's UDP encapsulation
 * receive path, which treats a payload as ESP only when it is longer than
 * the ESP header, exactly 8 bytes are not ESP: xfrm hands them to the IKE
 * daemon's socket, so they are ignored here too.
 */
static enum spirec_parse_result spirec_parse_udp(const struct sk_buff *skb,
						 unsigned int off, u16 natt_port,
						 struct spirec_pkt *pkt)
{
	const struct udphdr *uh;
	struct udphdr _uh;
	unsigned int ulen, plen;
	const __be32 *marker;
	__be32 _marker;
	const u8 *byte;
	u8 _byte;

	uh = skb_header_pointer(skb, off, sizeof(_uh), &_uh);
	if (!uh || uh->dest != htons(natt_port))
		return SPIREC_PARSE_IGNORE;

	ulen = ntohs(uh->len);
	if (ulen < sizeof(*uh) || ulen > skb->len - off)
		return SPIREC_PARSE_MALFORMED;
	plen = ulen - sizeof(*uh);
	off += sizeof(*uh);

	if (plen == 1) {
		byte = skb_header_pointer(skb, off, sizeof(_byte), &_byte);
		if (byte && *byte == 0xff)
			return SPIREC_PARSE_IGNORE;
	}
	if (plen < sizeof(_marker))
		return SPIREC_PARSE_MALFORMED;

	marker = skb_header_pointer(skb, off, sizeof(_marker), &_marker);
	if (!marker)
		return SPIREC_PARSE_MALFORMED;
	if (!*marker)
		return SPIREC_PARSE_IGNORE;
	if (plen < sizeof(struct ip_esp_hdr))
		return SPIREC_PARSE_MALFORMED;
	if (plen == sizeof(struct ip_esp_hdr))
		return SPIREC_PARSE_IGNORE;

	pkt->proto = IPPROTO_ESP;
	pkt->encap = SPIREC_ENCAP_UDP;
	pkt->sport = ntohs(uh->source);
	pkt->dport = ntohs(uh->dest);
	return spirec_set_spi(pkt, *marker);
}

static bool spirec_l4_wanted(u8 proto)
{
	return proto == IPPROTO_ESP || proto == IPPROTO_AH ||
	       proto == IPPROTO_UDP;
}

/* Inlined into both parsers: one call less per packet. */
static __always_inline enum spirec_parse_result
spirec_parse_l4(const struct sk_buff *skb, unsigned int off, u8 proto,
		u16 natt_port, struct spirec_pkt *pkt)
{
	switch (proto) {
	case IPPROTO_ESP:
		return spirec_parse_esp(skb, off, pkt);
	case IPPROTO_AH:
		return spirec_parse_ah(skb, off, pkt);
	case IPPROTO_UDP:
		return spirec_parse_udp(skb, off, natt_port, pkt);
	default:
		return SPIREC_PARSE_IGNORE;
	}
}

/**
 * spirec_parse_ipv4 - parse an IPv4 packet at its network header
 * @skb: the packet; skb_network_offset() marks the IPv4 header
 * @natt_port: UDP destination port of ESP in UDP (host byte order)
 * @pkt: filled in when %SPIREC_PARSE_OK is returned
 *
 * Return: enum spirec_parse_result
 */
enum spirec_parse_result spirec_parse_ipv4(const struct sk_buff *skb,
					   u16 natt_port,
					   struct spirec_pkt *pkt)
{
	unsigned int off = skb_network_offset(skb);
	const struct iphdr *iph;
	struct iphdr _iph;

	iph = skb_header_pointer(skb, off, sizeof(_iph), &_iph);
	if (!iph || iph->ihl < 5)
		return SPIREC_PARSE_IGNORE;
	/* Most packets: nothing more to look at. */
	if (!spirec_l4_wanted(iph->protocol))
		return SPIREC_PARSE_IGNORE;
	/* Non-first fragments carry no header to parse. */
	if (iph->frag_off & htons(IP_OFFSET))
		return SPIREC_PARSE_IGNORE;

	pkt->family = AF_INET;
	/* The rest of each address zero: keys and netlink copy all of it. */
	pkt->saddr = (xfrm_address_t){ .a4 = iph->saddr };
	pkt->daddr = (xfrm_address_t){ .a4 = iph->daddr };
	return spirec_parse_l4(skb, off + iph->ihl * 4, iph->protocol,
			       natt_port, pkt);
}

/**
 * spirec_parse_ipv6 - parse an IPv6 packet at its network header
 * @skb: the packet; skb_network_offset() marks the IPv6 header
 * @natt_port: UDP destination port of ESP in UDP (host byte order)
 * @pkt: filled in when %SPIREC_PARSE_OK is returned
 *
 * Walks the extension headers itself: ipv6_skip_exthdr() would skip AH,
 * which is one of the headers looked for.
 *
 * Return: enum spirec_parse_result
 */
enum spirec_parse_result spirec_parse_ipv6(const struct sk_buff *skb,
					   u16 natt_port,
					   struct spirec_pkt *pkt)
{
	unsigned int off = skb_network_offset(skb);
	const struct ipv6_opt_hdr *oh;
	const struct ipv6hdr *ip6h;
	const struct frag_hdr *fh;
	struct ipv6_opt_hdr _oh;
	struct ipv6hdr _ip6h;
	struct frag_hdr _fh;
	unsigned int i;
	u8 nexthdr;

	ip6h = skb_header_pointer(skb, off, sizeof(_ip6h), &_ip6h);
	if (!ip6h)
		return SPIREC_PARSE_IGNORE;

	pkt->family = AF_INET6;
	pkt->saddr.in6 = ip6h->saddr;
	pkt->daddr.in6 = ip6h->daddr;
	nexthdr = ip6h->nexthdr;
	off += sizeof(*ip6h);

	for (i = 0; i <= SPIREC_IPV6_MAX_EXTHDRS; i++) {
		switch (nexthdr) {
		case NEXTHDR_HOP:
		case NEXTHDR_ROUTING:
		case NEXTHDR_DEST:
			oh = skb_header_pointer(skb, off, sizeof(_oh), &_oh);
			if (!oh)
				return SPIREC_PARSE_MALFORMED;
			nexthdr = oh->nexthdr;
			off += ipv6_optlen(oh);
			break;
		case NEXTHDR_FRAGMENT:
			fh = skb_header_pointer(skb, off, sizeof(_fh), &_fh);
			if (!fh)
				return SPIREC_PARSE_MALFORMED;
			if (fh->frag_off & htons(IP6_OFFSET))
				return SPIREC_PARSE_IGNORE;
			nexthdr = fh->nexthdr;
			off += sizeof(*fh);
			break;
		default:
			return spirec_parse_l4(skb, off, nexthdr, natt_port,
					       pkt);
		}
	}
	return SPIREC_PARSE_MALFORMED;
}
