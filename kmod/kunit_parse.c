// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the packet parser (parse.c) on hand-made IPv4 and IPv6 packets,
 * whole, behind a link-layer header, cut short at every length, and spread
 * over the linear part and two paged fragments at every split point.
 */

#include <asm/unaligned.h>
#include <kunit/test.h>
#include <linux/gfp.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/skbuff.h>
#include <linux/spirec.h>
#include <linux/string.h>
#include <linux/udp.h>
#include <net/ip.h>
#include <net/ipv6.h>

#include "parse.h"

#define PKT_MAX		512
#define PKT_SPI		0x1234abcdU
#define PKT_NATT	SPIREC_NATT_PORT
/* A NAT-mapped source port of the peer. */
#define PKT_SPORT	31337
#define PKT_SRC4	0xc0000201U	/* 192.0.2.1 */
#define PKT_DST4	0xc6336402U	/* 198.51.100.2 */

/**
 * struct pkt_buf - a packet being built
 * @data: the bytes, from the IP header on
 * @len: bytes used
 * @l4: offset of the ESP, AH or UDP header
 * @chain_end: IPv6: bytes the parser must read to walk the whole extension
 *	header chain (0 without extension headers)
 * @iph: IPv4 header, if any
 * @ip6h: IPv6 header, if any
 */
struct pkt_buf {
	u8 data[PKT_MAX];
	unsigned int len;
	unsigned int l4;
	unsigned int chain_end;
	struct iphdr *iph;
	struct ipv6hdr *ip6h;
};

static void *pkt_put(struct pkt_buf *b, unsigned int len)
{
	void *p = b->data + b->len;

	if (WARN_ON(b->len + len > PKT_MAX))
		return b->data;
	b->len += len;
	return p;
}

/* IPv4 header with @optlen bytes of options (NOPs, then EOL). */
static void put_ipv4(struct pkt_buf *b, u8 proto, unsigned int optlen,
		     u16 frag_off)
{
	struct iphdr *iph = pkt_put(b, sizeof(*iph) + optlen);
	u8 *opt = (u8 *)(iph + 1);

	iph->version = 4;
	iph->ihl = (sizeof(*iph) + optlen) / 4;
	iph->ttl = 64;
	iph->protocol = proto;
	iph->frag_off = htons(frag_off);
	iph->saddr = htonl(PKT_SRC4);
	iph->daddr = htonl(PKT_DST4);
	if (optlen) {
		memset(opt, IPOPT_NOOP, optlen);
		opt[optlen - 1] = IPOPT_END;
	}
	b->iph = iph;
	b->l4 = b->len;
}

static void pkt_addr6(struct in6_addr *a, u8 last)
{
	memset(a, 0, sizeof(*a));
	a->s6_addr[0] = 0x20;
	a->s6_addr[1] = 0x01;
	a->s6_addr[2] = 0x0d;
	a->s6_addr[3] = 0xb8;
	a->s6_addr[15] = last;
}

static void put_ipv6(struct pkt_buf *b, u8 nexthdr)
{
	struct ipv6hdr *ip6h = pkt_put(b, sizeof(*ip6h));

	ip6h->version = 6;
	ip6h->nexthdr = nexthdr;
	ip6h->hop_limit = 64;
	pkt_addr6(&ip6h->saddr, 1);
	pkt_addr6(&ip6h->daddr, 2);
	b->ip6h = ip6h;
	b->l4 = b->len;
}

/* Hop-by-hop, routing or destination options header of 8 * @units bytes. */
static void put_opt6(struct pkt_buf *b, u8 nexthdr, unsigned int units)
{
	struct ipv6_opt_hdr *oh = pkt_put(b, 8 * units);
	u8 *pad = (u8 *)(oh + 1);

	oh->nexthdr = nexthdr;
	oh->hdrlen = units - 1;
	/* PadN over the rest: type 1, length. */
	pad[0] = 1;
	pad[1] = 8 * units - 4;
	b->chain_end = b->len - 8 * units + sizeof(*oh);
	b->l4 = b->len;
}

static void put_frag6(struct pkt_buf *b, u8 nexthdr, u16 offset, bool more)
{
	struct frag_hdr *fh = pkt_put(b, sizeof(*fh));

	fh->nexthdr = nexthdr;
	fh->frag_off = htons(offset << 3 | (more ? IP6_MF : 0));
	fh->identification = htonl(0xdb8);
	b->chain_end = b->len;
	b->l4 = b->len;
}

/* ESP header (SPI, sequence number), IV and some ciphertext. */
static void put_esp(struct pkt_buf *b, u32 spi)
{
	__be32 *esp = pkt_put(b, 8 + 16);

	esp[0] = htonl(spi);
	esp[1] = htonl(1);
	memset(esp + 2, 0xa5, 16);
}

/* AH with a 12-byte ICV (hdrlen 4: 24 bytes in 32-bit words, minus 2). */
static void put_ah(struct pkt_buf *b, u32 spi)
{
	struct ip_auth_hdr *ah = pkt_put(b, sizeof(*ah) + 12);

	ah->nexthdr = IPPROTO_TCP;
	ah->hdrlen = 4;
	ah->spi = htonl(spi);
	ah->seq_no = htonl(1);
	memset(ah->auth_data, 0x5a, 12);
}

/* UDP header and @len bytes of @payload; @ulen 0: the real length. */
static void put_udp(struct pkt_buf *b, u16 sport, u16 dport,
		    const void *payload, unsigned int len, unsigned int ulen)
{
	struct udphdr *uh = pkt_put(b, sizeof(*uh));

	uh->source = htons(sport);
	uh->dest = htons(dport);
	uh->len = htons(ulen ? ulen : sizeof(*uh) + len);
	memcpy(pkt_put(b, len), payload, len);
}

static void put_udp_esp(struct pkt_buf *b, u16 sport, u32 spi)
{
	u8 esp[8 + 16];

	put_unaligned_be32(spi, esp);
	put_unaligned_be32(1, esp + 4);
	memset(esp + 8, 0xa5, 16);
	put_udp(b, sport, PKT_NATT, esp, sizeof(esp), 0);
}

static void pkt_finish(struct pkt_buf *b)
{
	if (b->iph)
		b->iph->tot_len = htons(b->len);
	if (b->ip6h)
		b->ip6h->payload_len = htons(b->len - sizeof(*b->ip6h));
}

/* The cases. Every builder leaves a complete packet in @b. */

static const u8 keepalive[] = { 0xff };
static const u8 not_keepalive[] = { 0xfe };
static const u8 ike_marker[] = { 0, 0, 0, 0, 0x11, 0x22, 0x33, 0x44 };
static const u8 short_esp[] = { 0x12, 0x34, 0xab, 0xcd, 0, 0, 0 };
static const u8 just_spi[] = { 0x12, 0x34, 0xab, 0xcd };

static void v4_esp(struct pkt_buf *b)
{
	put_ipv4(b, IPPROTO_ESP, 0, 0);
	put_esp(b, PKT_SPI);
}

static void v4_esp_spi0(struct pkt_buf *b)
{
	put_ipv4(b, IPPROTO_ESP, 0, 0);
	put_esp(b, 0);
}

static void v4_esp_spi_max(struct pkt_buf *b)
{
	put_ipv4(b, IPPROTO_ESP, 0, 0);
	put_esp(b, 0xffffffffU);
}

static void v4_esp_opt4(struct pkt_buf *b)
{
	put_ipv4(b, IPPROTO_ESP, 4, 0);
	put_esp(b, PKT_SPI);
}

static void v4_esp_opt40(struct pkt_buf *b)
{
	put_ipv4(b, IPPROTO_ESP, 40, 0);
	put_esp(b, PKT_SPI);
}

static void v4_esp_first_frag(struct pkt_buf *b)
{
	put_ipv4(b, IPPROTO_ESP, 0, IP_MF);
	put_esp(b, PKT_SPI);
}

static void v4_esp_later_frag(struct pkt_buf *b)
{
	put_ipv4(b, IPPROTO_ESP, 0, 185);
	put_esp(b, PKT_SPI);
}

static void v4_ihl4(struct pkt_buf *b)
{
	put_ipv4(b, IPPROTO_ESP, 0, 0);
	put_esp(b, PKT_SPI);
	b->iph->ihl = 4;
}

static void v4_ah(struct pkt_buf *b)
{
	put_ipv4(b, IPPROTO_AH, 0, 0);
	put_ah(b, PKT_SPI);
}

static void v4_ah_spi0(struct pkt_buf *b)
{
	put_ipv4(b, IPPROTO_AH, 0, 0);
	put_ah(b, 0);
}

static void v4_ah_opt8(struct pkt_buf *b)
{
	put_ipv4(b, IPPROTO_AH, 8, 0);
	put_ah(b, PKT_SPI);
}

static void v4_udp_esp(struct pkt_buf *b)
{
	put_ipv4(b, IPPROTO_UDP, 0, 0);
	put_udp_esp(b, PKT_NATT, PKT_SPI);
}

static void v4_udp_esp_nat(struct pkt_buf *b)
{
	put_ipv4(b, IPPROTO_UDP, 0, 0);
	put_udp_esp(b, PKT_SPORT, PKT_SPI);
}

static void v4_udp_esp_opt12(struct pkt_buf *b)
{
	put_ipv4(b, IPPROTO_UDP, 12, 0);
	put_udp_esp(b, PKT_SPORT, PKT_SPI);
}

/*
 * Exactly the ESP header (SPI and sequence number), nothing after it:
 * xfrm takes only longer payloads for ESP, so this is not ESP.
 */
static void v4_udp_esp_hdr_only(struct pkt_buf *b)
{
	put_ipv4(b, IPPROTO_UDP, 0, 0);
	put_udp(b, PKT_NATT, PKT_NATT, ike_marker, 8, 0);
	put_unaligned_be32(PKT_SPI, b->data + b->l4 + sizeof(struct udphdr));
}

static void v4_udp_keepalive(struct pkt_buf *b)
{
	put_ipv4(b, IPPROTO_UDP, 0, 0);
	put_udp(b, PKT_SPORT, PKT_NATT, keepalive, sizeof(keepalive), 0);
}

static void v4_udp_one_byte(struct pkt_buf *b)
{
	put_ipv4(b, IPPROTO_UDP, 0, 0);
	put_udp(b, PKT_SPORT, PKT_NATT, not_keepalive,
		sizeof(not_keepalive), 0);
}

static void v4_udp_ike(struct pkt_buf *b)
{
	put_ipv4(b, IPPROTO_UDP, 0, 0);
	put_udp(b, PKT_NATT, PKT_NATT, ike_marker, sizeof(ike_marker), 0);
}

static void v4_udp_short_esp(struct pkt_buf *b)
{
	put_ipv4(b, IPPROTO_UDP, 0, 0);
	put_udp(b, PKT_NATT, PKT_NATT, short_esp, sizeof(short_esp), 0);
}

static void v4_udp_just_spi(struct pkt_buf *b)
{
	put_ipv4(b, IPPROTO_UDP, 0, 0);
	put_udp(b, PKT_NATT, PKT_NATT, just_spi, sizeof(just_spi), 0);
}

static void v4_udp_empty(struct pkt_buf *b)
{
	put_ipv4(b, IPPROTO_UDP, 0, 0);
	put_udp(b, PKT_NATT, PKT_NATT, NULL, 0, 0);
}

static void v4_udp_ike_port(struct pkt_buf *b)
{
	put_ipv4(b, IPPROTO_UDP, 0, 0);
	put_udp_esp(b, 500, PKT_SPI);
	/* Port 500: IKE, never ESP. */
	((struct udphdr *)(b->data + b->l4))->dest = htons(500);
}

static void v4_udp_ulen_short(struct pkt_buf *b)
{
	put_ipv4(b, IPPROTO_UDP, 0, 0);
	put_udp(b, PKT_NATT, PKT_NATT, ike_marker, sizeof(ike_marker), 7);
}

static void v4_udp_ulen_long(struct pkt_buf *b)
{
	put_ipv4(b, IPPROTO_UDP, 0, 0);
	put_udp(b, PKT_NATT, PKT_NATT, just_spi, sizeof(just_spi), 8 + 24);
}

/* UDP length shorter than the datagram: only ulen counts. */
static void v4_udp_ulen_keepalive(struct pkt_buf *b)
{
	static const u8 padded[] = { 0xff, 0, 0, 0 };

	put_ipv4(b, IPPROTO_UDP, 0, 0);
	put_udp(b, PKT_SPORT, PKT_NATT, padded, sizeof(padded), 8 + 1);
}

static void v4_tcp(struct pkt_buf *b)
{
	put_ipv4(b, IPPROTO_TCP, 0, 0);
	put_esp(b, PKT_SPI);
}

static void v6_esp(struct pkt_buf *b)
{
	put_ipv6(b, IPPROTO_ESP);
	put_esp(b, PKT_SPI);
}

static void v6_esp_spi0(struct pkt_buf *b)
{
	put_ipv6(b, IPPROTO_ESP);
	put_esp(b, 0);
}

static void v6_ah(struct pkt_buf *b)
{
	put_ipv6(b, IPPROTO_AH);
	put_ah(b, PKT_SPI);
}

static void v6_udp_esp(struct pkt_buf *b)
{
	put_ipv6(b, IPPROTO_UDP);
	put_udp_esp(b, PKT_SPORT, PKT_SPI);
}

static void v6_udp_keepalive(struct pkt_buf *b)
{
	put_ipv6(b, IPPROTO_UDP);
	put_udp(b, PKT_SPORT, PKT_NATT, keepalive, sizeof(keepalive), 0);
}

static void v6_udp_ike(struct pkt_buf *b)
{
	put_ipv6(b, IPPROTO_UDP);
	put_udp(b, PKT_NATT, PKT_NATT, ike_marker, sizeof(ike_marker), 0);
}

static void v6_hop_esp(struct pkt_buf *b)
{
	put_ipv6(b, NEXTHDR_HOP);
	put_opt6(b, IPPROTO_ESP, 1);
	put_esp(b, PKT_SPI);
}

/* Routing (16 bytes: hdrlen counts), destination options, then AH. */
static void v6_rt_dst_ah(struct pkt_buf *b)
{
	put_ipv6(b, NEXTHDR_ROUTING);
	put_opt6(b, NEXTHDR_DEST, 2);
	put_opt6(b, IPPROTO_AH, 1);
	put_ah(b, PKT_SPI);
}

static void v6_hop_dst_udp_esp(struct pkt_buf *b)
{
	put_ipv6(b, NEXTHDR_HOP);
	put_opt6(b, NEXTHDR_DEST, 1);
	put_opt6(b, IPPROTO_UDP, 1);
	put_udp_esp(b, PKT_SPORT, PKT_SPI);
}

static void v6_first_frag_esp(struct pkt_buf *b)
{
	put_ipv6(b, NEXTHDR_FRAGMENT);
	put_frag6(b, IPPROTO_ESP, 0, true);
	put_esp(b, PKT_SPI);
}

static void v6_later_frag_esp(struct pkt_buf *b)
{
	put_ipv6(b, NEXTHDR_FRAGMENT);
	put_frag6(b, IPPROTO_ESP, 1, false);
	put_esp(b, PKT_SPI);
}

static void v6_hop_frag_udp_esp(struct pkt_buf *b)
{
	put_ipv6(b, NEXTHDR_HOP);
	put_opt6(b, NEXTHDR_FRAGMENT, 1);
	put_frag6(b, IPPROTO_UDP, 0, true);
	put_udp_esp(b, PKT_SPORT, PKT_SPI);
}

/* @n destination options headers, then @proto's header. */
static void v6_chain(struct pkt_buf *b, unsigned int n, u8 proto)
{
	unsigned int i;

	put_ipv6(b, NEXTHDR_DEST);
	for (i = 0; i < n; i++)
		put_opt6(b, i + 1 < n ? NEXTHDR_DEST : proto, 1);
	if (proto == IPPROTO_ESP)
		put_esp(b, PKT_SPI);
	else
		put_udp_esp(b, PKT_SPORT, PKT_SPI);
}

static void v6_chain_max(struct pkt_buf *b)
{
	v6_chain(b, SPIREC_IPV6_MAX_EXTHDRS, IPPROTO_ESP);
}

static void v6_chain_max_udp(struct pkt_buf *b)
{
	v6_chain(b, SPIREC_IPV6_MAX_EXTHDRS, IPPROTO_UDP);
}

static void v6_chain_too_long(struct pkt_buf *b)
{
	v6_chain(b, SPIREC_IPV6_MAX_EXTHDRS + 1, IPPROTO_ESP);
}

static void v6_no_next(struct pkt_buf *b)
{
	put_ipv6(b, NEXTHDR_NONE);
	put_esp(b, PKT_SPI);
}

/**
 * struct parse_case - one packet and what the parser must make of it
 * @name: description
 * @family: AF_INET or AF_INET6
 * @build: fills the packet in
 * @want: verdict for the whole packet
 * @proto: IPPROTO_ESP or IPPROTO_AH when @want is %SPIREC_PARSE_OK
 * @encap: enum spirec_encap when @want is %SPIREC_PARSE_OK
 * @spi: SPI when @want is %SPIREC_PARSE_OK
 * @sport: UDP source port when @encap is %SPIREC_ENCAP_UDP
 */
struct parse_case {
	const char *name;
	u16 family;
	void (*build)(struct pkt_buf *b);
	enum spirec_parse_result want;
	u8 proto;
	u8 encap;
	u32 spi;
	u16 sport;
};

#define OK_ESP(fam, fn) \
	{ #fn, fam, fn, SPIREC_PARSE_OK, IPPROTO_ESP, SPIREC_ENCAP_NONE, PKT_SPI }
#define OK_AH(fam, fn) \
	{ #fn, fam, fn, SPIREC_PARSE_OK, IPPROTO_AH, SPIREC_ENCAP_NONE, PKT_SPI }
#define OK_UDP(fam, fn, sport) \
	{ #fn, fam, fn, SPIREC_PARSE_OK, IPPROTO_ESP, SPIREC_ENCAP_UDP, \
	  PKT_SPI, sport }
#define IGNORED(fam, fn)	{ #fn, fam, fn, SPIREC_PARSE_IGNORE }
#define MALFORMED(fam, fn)	{ #fn, fam, fn, SPIREC_PARSE_MALFORMED }

static const struct parse_case parse_cases[] = {
	OK_ESP(AF_INET, v4_esp),
	MALFORMED(AF_INET, v4_esp_spi0),
	{ "v4_esp_spi_max", AF_INET, v4_esp_spi_max, SPIREC_PARSE_OK,
	  IPPROTO_ESP, SPIREC_ENCAP_NONE, 0xffffffffU },
	OK_ESP(AF_INET, v4_esp_opt4),
	OK_ESP(AF_INET, v4_esp_opt40),
	OK_ESP(AF_INET, v4_esp_first_frag),
	IGNORED(AF_INET, v4_esp_later_frag),
	IGNORED(AF_INET, v4_ihl4),
	OK_AH(AF_INET, v4_ah),
	MALFORMED(AF_INET, v4_ah_spi0),
	OK_AH(AF_INET, v4_ah_opt8),
	OK_UDP(AF_INET, v4_udp_esp, PKT_NATT),
	OK_UDP(AF_INET, v4_udp_esp_nat, PKT_SPORT),
	OK_UDP(AF_INET, v4_udp_esp_opt12, PKT_SPORT),
	IGNORED(AF_INET, v4_udp_esp_hdr_only),
	IGNORED(AF_INET, v4_udp_keepalive),
	MALFORMED(AF_INET, v4_udp_one_byte),
	IGNORED(AF_INET, v4_udp_ike),
	MALFORMED(AF_INET, v4_udp_short_esp),
	MALFORMED(AF_INET, v4_udp_just_spi),
	MALFORMED(AF_INET, v4_udp_empty),
	IGNORED(AF_INET, v4_udp_ike_port),
	MALFORMED(AF_INET, v4_udp_ulen_short),
	MALFORMED(AF_INET, v4_udp_ulen_long),
	IGNORED(AF_INET, v4_udp_ulen_keepalive),
	IGNORED(AF_INET, v4_tcp),
	OK_ESP(AF_INET6, v6_esp),
	MALFORMED(AF_INET6, v6_esp_spi0),
	OK_AH(AF_INET6, v6_ah),
	OK_UDP(AF_INET6, v6_udp_esp, PKT_SPORT),
	IGNORED(AF_INET6, v6_udp_keepalive),
	IGNORED(AF_INET6, v6_udp_ike),
	OK_ESP(AF_INET6, v6_hop_esp),
	OK_AH(AF_INET6, v6_rt_dst_ah),
	OK_UDP(AF_INET6, v6_hop_dst_udp_esp, PKT_SPORT),
	OK_ESP(AF_INET6, v6_first_frag_esp),
	IGNORED(AF_INET6, v6_later_frag_esp),
	OK_UDP(AF_INET6, v6_hop_frag_udp_esp, PKT_SPORT),
	OK_ESP(AF_INET6, v6_chain_max),
	OK_UDP(AF_INET6, v6_chain_max_udp, PKT_SPORT),
	MALFORMED(AF_INET6, v6_chain_too_long),
	IGNORED(AF_INET6, v6_no_next),
};

static void parse_case_desc(const struct parse_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(parse, parse_cases, parse_case_desc);

static const struct parse_case *parse_param(struct kunit *test,
					    struct pkt_buf *b)
{
	const struct parse_case *c = test->param_value;

	memset(b, 0, sizeof(*b));
	c->build(b);
	pkt_finish(b);
	return c;
}

/*
 * An skb with @l2 bytes of link-layer header, then the first @head bytes
 * of @b in the linear part and the rest in two page fragments (split in
 * the middle, at different offsets of one page).
 */
static struct sk_buff *pkt_skb(struct kunit *test, const struct pkt_buf *b,
			       unsigned int len, unsigned int l2,
			       unsigned int head)
{
	unsigned int rest = len - head, f1 = rest / 2, f2 = rest - f1;
	struct sk_buff *skb;
	struct page *page;
	int nfrags = 0;

	skb = alloc_skb(l2 + head, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	skb_put_zero(skb, l2);
	skb_set_network_header(skb, l2);
	skb_put_data(skb, b->data, head);
	if (!rest)
		return skb;

	page = alloc_page(GFP_KERNEL);
	if (!page) {
		kfree_skb(skb);
		KUNIT_FAIL(test, "no page");
		return NULL;
	}
	if (f1) {
		memcpy(page_address(page), b->data + head, f1);
		skb_add_rx_frag(skb, nfrags++, page, 0, f1, PAGE_SIZE / 2);
		get_page(page);
	}
	memcpy(page_address(page) + PAGE_SIZE / 2, b->data + head + f1, f2);
	skb_add_rx_frag(skb, nfrags, page, PAGE_SIZE / 2, f2, PAGE_SIZE / 2);
	return skb;
}

static enum spirec_parse_result pkt_parse(u16 family,
					  const struct sk_buff *skb,
					  struct spirec_pkt *pkt)
{
	if (family == AF_INET)
		return spirec_parse_ipv4(skb, PKT_NATT, pkt);
	return spirec_parse_ipv6(skb, PKT_NATT, pkt);
}

/* Checks @pkt against @c when the parser said OK. */
static void parse_expect_pkt(struct kunit *test, const struct parse_case *c,
			     const struct pkt_buf *b,
			     const struct spirec_pkt *pkt)
{
	bool udp = c->encap == SPIREC_ENCAP_UDP;

	KUNIT_EXPECT_EQ(test, pkt->family, c->family);
	KUNIT_EXPECT_EQ(test, pkt->proto, c->proto);
	KUNIT_EXPECT_EQ(test, pkt->encap, c->encap);
	KUNIT_EXPECT_EQ(test, pkt->spi, c->spi);
	KUNIT_EXPECT_EQ(test, pkt->sport, udp ? c->sport : 0);
	KUNIT_EXPECT_EQ(test, pkt->dport, udp ? PKT_NATT : 0);
	if (c->family == AF_INET) {
		KUNIT_EXPECT_EQ(test, ntohl(pkt->saddr.a4), PKT_SRC4);
		KUNIT_EXPECT_EQ(test, ntohl(pkt->daddr.a4), PKT_DST4);
		/* Peer keys and events take all 16 bytes of an address. */
		KUNIT_EXPECT_PTR_EQ(test, memchr_inv(&pkt->saddr.a6[1], 0, 12),
				    NULL);
		KUNIT_EXPECT_PTR_EQ(test, memchr_inv(&pkt->daddr.a6[1], 0, 12),
				    NULL);
	} else {
		KUNIT_EXPECT_TRUE(test, ipv6_addr_equal(&pkt->saddr.in6,
							&b->ip6h->saddr));
		KUNIT_EXPECT_TRUE(test, ipv6_addr_equal(&pkt->daddr.in6,
							&b->ip6h->daddr));
	}
}

/* Whole packet, linear, network header at the start. */
static void parse_whole(struct kunit *test)
{
	const struct parse_case *c;
	struct spirec_pkt pkt;
	struct sk_buff *skb;
	struct pkt_buf b;

	c = parse_param(test, &b);
	skb = pkt_skb(test, &b, b.len, 0, b.len);
	/* What the parser leaves alone shows: it must set every field. */
	memset(&pkt, 0xa5, sizeof(pkt));
	KUNIT_EXPECT_EQ(test, pkt_parse(c->family, skb, &pkt), c->want);
	if (c->want == SPIREC_PARSE_OK)
		parse_expect_pkt(test, c, &b, &pkt);
	kfree_skb(skb);
}

/* Behind a 14-byte link-layer header: offsets from the network header. */
static void parse_behind_l2(struct kunit *test)
{
	const struct parse_case *c;
	struct spirec_pkt pkt;
	struct sk_buff *skb;
	struct pkt_buf b;

	c = parse_param(test, &b);
	skb = pkt_skb(test, &b, b.len, ETH_HLEN, b.len);
	KUNIT_EXPECT_EQ(test, pkt_parse(c->family, skb, &pkt), c->want);
	if (c->want == SPIREC_PARSE_OK)
		parse_expect_pkt(test, c, &b, &pkt);
	kfree_skb(skb);
}

/*
 * What a packet that parses whole must give when cut to @len bytes: no
 * IP header is ignored; a broken IPv6 extension chain is malformed; a
 * missing ESP/AH header (or SPI) is malformed, a missing UDP header is
 * not ours (ignored), a UDP length past the end is malformed.
 */
static enum spirec_parse_result parse_cut_want(const struct parse_case *c,
					       const struct pkt_buf *b,
					       unsigned int len)
{
	unsigned int iplen = c->family == AF_INET ? sizeof(struct iphdr) :
						    sizeof(struct ipv6hdr);
	bool udp = c->encap == SPIREC_ENCAP_UDP;

	if (len < iplen)
		return SPIREC_PARSE_IGNORE;
	if (len < b->chain_end)
		return SPIREC_PARSE_MALFORMED;
	if (udp)
		return len < b->l4 + sizeof(struct udphdr) ?
		       SPIREC_PARSE_IGNORE : SPIREC_PARSE_MALFORMED;
	if (c->proto == IPPROTO_AH)
		return len < b->l4 + offsetofend(struct ip_auth_hdr, spi) ?
		       SPIREC_PARSE_MALFORMED : SPIREC_PARSE_OK;
	return len < b->l4 + sizeof(__be32) ? SPIREC_PARSE_MALFORMED :
					      SPIREC_PARSE_OK;
}

/* Cut short at every length; a packet that does not parse whole never
 * parses cut.
 */
static void parse_truncated(struct kunit *test)
{
	enum spirec_parse_result want, got;
	const struct parse_case *c;
	struct spirec_pkt pkt;
	struct sk_buff *skb;
	struct pkt_buf b;
	unsigned int len;

	c = parse_param(test, &b);
	for (len = 0; len < b.len; len++) {
		skb = pkt_skb(test, &b, len, 0, len);
		got = pkt_parse(c->family, skb, &pkt);
		kfree_skb(skb);
		if (c->want != SPIREC_PARSE_OK) {
			KUNIT_EXPECT_NE_MSG(test, got, SPIREC_PARSE_OK,
					    "cut to %u of %u bytes", len, b.len);
			if (got == SPIREC_PARSE_OK)
				break;
			continue;
		}
		want = parse_cut_want(c, &b, len);
		KUNIT_EXPECT_EQ_MSG(test, got, want, "cut to %u of %u bytes",
				    len, b.len);
		/* The first wrong length is enough to read. */
		if (got != want)
			break;
		if (got == SPIREC_PARSE_OK)
			parse_expect_pkt(test, c, &b, &pkt);
	}
}

/* The same verdict and fields wherever the paged part starts. */
static void parse_paged(struct kunit *test)
{
	enum spirec_parse_result got;
	const struct parse_case *c;
	struct spirec_pkt pkt;
	struct sk_buff *skb;
	struct pkt_buf b;
	unsigned int head;

	c = parse_param(test, &b);
	for (head = 0; head < b.len; head++) {
		skb = pkt_skb(test, &b, b.len, 0, head);
		if (!skb)
			return;
		KUNIT_EXPECT_TRUE(test, skb_is_nonlinear(skb));
		got = pkt_parse(c->family, skb, &pkt);
		kfree_skb(skb);
		KUNIT_EXPECT_EQ_MSG(test, got, c->want,
				    "%u of %u bytes linear", head, b.len);
		if (got != c->want)
			break;
		if (got == SPIREC_PARSE_OK)
			parse_expect_pkt(test, c, &b, &pkt);
	}
}

/*
 * net.spirec.natt_port: ESP in UDP is looked for on the configured port
 * only; the default port is then ordinary UDP.
 */
static void parse_natt_port(struct kunit *test)
{
	static const u16 ports[] = { 4501, 1, 65535 };
	struct spirec_pkt pkt;
	struct sk_buff *skb;
	struct pkt_buf b;
	unsigned int i;
	u16 port;

	for (i = 0; i < ARRAY_SIZE(ports); i++) {
		port = ports[i];
		memset(&b, 0, sizeof(b));
		v4_udp_esp_nat(&b);
		pkt_finish(&b);
		skb = pkt_skb(test, &b, b.len, 0, b.len);
		KUNIT_EXPECT_EQ(test, spirec_parse_ipv4(skb, port, &pkt),
				SPIREC_PARSE_IGNORE);
		kfree_skb(skb);

		((struct udphdr *)(b.data + b.l4))->dest = htons(port);
		skb = pkt_skb(test, &b, b.len, 0, b.len);
		KUNIT_EXPECT_EQ(test, spirec_parse_ipv4(skb, port, &pkt),
				SPIREC_PARSE_OK);
		KUNIT_EXPECT_EQ(test, pkt.encap, SPIREC_ENCAP_UDP);
		KUNIT_EXPECT_EQ(test, pkt.spi, PKT_SPI);
		KUNIT_EXPECT_EQ(test, pkt.sport, PKT_SPORT);
		KUNIT_EXPECT_EQ(test, pkt.dport, port);
		kfree_skb(skb);

		memset(&b, 0, sizeof(b));
		v6_udp_esp(&b);
		pkt_finish(&b);
		((struct udphdr *)(b.data + b.l4))->dest = htons(port);
		skb = pkt_skb(test, &b, b.len, 0, b.len);
		KUNIT_EXPECT_EQ(test, spirec_parse_ipv6(skb, port, &pkt),
				SPIREC_PARSE_OK);
		KUNIT_EXPECT_EQ(test, pkt.dport, port);
		kfree_skb(skb);
	}
}

static struct kunit_case spirec_parse_cases[] = {
	KUNIT_CASE_PARAM(parse_whole, parse_gen_params),
	KUNIT_CASE_PARAM(parse_behind_l2, parse_gen_params),
	KUNIT_CASE_PARAM(parse_truncated, parse_gen_params),
	KUNIT_CASE_PARAM(parse_paged, parse_gen_params),
	KUNIT_CASE(parse_natt_port),
	{}
};

static struct kunit_suite spirec_parse_suite = {
	.name = "spirec_parse",
	.test_cases = spirec_parse_cases,
};

kunit_test_suite(spirec_parse_suite);
