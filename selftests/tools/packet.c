// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Packet construction for spirec-send: IPv4/IPv6 header, optional IPv6
 * extension header chain, then ESP, AH or UDP (port 4500) payloads.
 */
#include "packet.h"

#include <arpa/inet.h>
#include <string.h>

#define ESP_HDR_LEN	8	/* SPI + sequence number */
#define ESP_BODY_LEN	48	/* stands for IV + ciphertext + ICV */
#define AH_ICV_LEN	12
#define AH_HDR_LEN	(12 + AH_ICV_LEN)
#define IKE_HDR_LEN	28
#define UDP_HDR_LEN	8
#define IPV4_HDR_LEN	20
#define IPV6_HDR_LEN	40
#define EXT_HDR_LEN	8

#define NEXTHDR_HOP	0
#define NEXTHDR_DEST	60
#define NEXTHDR_NONE	59

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v & 0xff;
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = (v >> 16) & 0xff;
	p[2] = (v >> 8) & 0xff;
	p[3] = v & 0xff;
}

static uint32_t csum_add(uint32_t sum, const uint8_t *p, size_t len)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return sum;
}

uint16_t pkt_csum(const void *data, size_t len, uint32_t sum)
{
	return (uint16_t)~csum_add(sum, data, len);
}

static int ip_proto(enum pkt_kind kind)
{
	switch (kind) {
	case PKT_ESP:
		return IPPROTO_ESP;
	case PKT_AH:
		return IPPROTO_AH;
	default:
		return IPPROTO_UDP;
	}
}

static size_t esp_payload(const struct pkt_spec *s, uint8_t *p)
{
	size_t i;

	put32(p, s->spi);
	put32(p + 4, s->seq);
	for (i = 0; i < ESP_BODY_LEN; i++)
		p[ESP_HDR_LEN + i] = 0x5a ^ (uint8_t)i;
	return ESP_HDR_LEN + ESP_BODY_LEN;
}

static size_t ah_payload(const struct pkt_spec *s, uint8_t *p)
{
	p[0] = NEXTHDR_NONE;
	p[1] = AH_HDR_LEN / 4 - 2;	/* RFC 4302: length in 32-bit words - 2 */
	p[2] = 0;
	p[3] = 0;
	put32(p + 4, s->spi);
	put32(p + 8, s->seq);
	memset(p + 12, 0xc3, AH_ICV_LEN);
	return AH_HDR_LEN;
}

static size_t ike_payload(uint8_t *p)
{
	static const uint8_t spi_i[8] = { 0x11, 0x22, 0x33, 0x44,
					  0x55, 0x66, 0x77, 0x88 };

	memset(p, 0, 4 + IKE_HDR_LEN);		/* non-ESP marker + header */
	memcpy(p + 4, spi_i, sizeof(spi_i));	/* responder SPI stays 0 */
	p[4 + 16] = 0;				/* next payload: none */
	p[4 + 17] = 0x20;			/* IKEv2 */
	p[4 + 18] = 34;				/* IKE_SA_INIT */
	p[4 + 19] = 0x08;			/* initiator */
	put32(p + 4 + 24, IKE_HDR_LEN);
	return 4 + IKE_HDR_LEN;
}

/* The bytes after the IP/extension headers (after UDP for UDP kinds). */
static size_t payload(const struct pkt_spec *s, uint8_t *p, size_t cap)
{
	size_t natural, len, i;

	switch (s->kind) {
	case PKT_ESP:
	case PKT_UDP_ESP:
		natural = esp_payload(s, p);
		break;
	case PKT_AH:
		natural = ah_payload(s, p);
		break;
	case PKT_UDP_KEEPALIVE:
		p[0] = 0xff;
		natural = 1;
		break;
	case PKT_UDP_IKE:
		natural = ike_payload(p);
		break;
	case PKT_UDP_RAW:
	default:
		natural = 0;
		break;
	}
	if (s->len < 0)
		return natural;
	len = (size_t)s->len;
	if (len > cap)
		return 0;
	/* Grow with a pattern whose bytes are never 0 or 0xff. */
	for (i = natural; i < len; i++)
		p[i] = 1 + i % 0xfe;
	return len;
}

size_t pkt_build(const struct pkt_spec *s, uint8_t *buf, size_t cap)
{
	uint8_t body[PKT_MAX_LEN];
	size_t iplen, l4off, ext, plen, l4len, i;
	int proto = ip_proto(s->kind);
	int udp = proto == IPPROTO_UDP;
	int v6 = s->src.family == AF_INET6;
	uint32_t sum;

	if (s->src.family != s->dst.family)
		return 0;
	if (!v6 && s->ext_hdrs)
		return 0;
	memset(body, 0, sizeof(body));
	plen = payload(s, body, sizeof(body) - UDP_HDR_LEN);
	if (s->len > 0 && plen == 0)
		return 0;
	ext = v6 ? (size_t)s->ext_hdrs * EXT_HDR_LEN : 0;
	iplen = v6 ? IPV6_HDR_LEN : IPV4_HDR_LEN;
	l4off = iplen + ext;
	l4len = plen + (udp ? UDP_HDR_LEN : 0);
	if (l4off + l4len > cap || l4off + l4len > PKT_MAX_LEN)
		return 0;
	memset(buf, 0, l4off + l4len);

	if (v6) {
		buf[0] = 0x60;
		put16(buf + 4, (uint16_t)(ext + l4len));
		buf[6] = s->ext_hdrs ? NEXTHDR_HOP : proto;
		buf[7] = 64;
		memcpy(buf + 8, &s->src.v6, 16);
		memcpy(buf + 24, &s->dst.v6, 16);
		for (i = 0; i < s->ext_hdrs; i++) {
			uint8_t *e = buf + iplen + i * EXT_HDR_LEN;

			e[0] = i + 1 < s->ext_hdrs ? NEXTHDR_DEST : proto;
			e[1] = 0;	/* 8 bytes */
			e[2] = 1;	/* PadN */
			e[3] = 4;
		}
	} else {
		buf[0] = 0x45;
		put16(buf + 2, (uint16_t)(iplen + l4len));
		buf[8] = 64;
		buf[9] = proto;
		memcpy(buf + 12, &s->src.v4, 4);
		memcpy(buf + 16, &s->dst.v4, 4);
		put16(buf + 10, pkt_csum(buf, IPV4_HDR_LEN, 0));
	}

	if (!udp) {
		memcpy(buf + l4off, body, plen);
		return l4off + l4len;
	}

	put16(buf + l4off, s->sport);
	put16(buf + l4off + 2, s->dport);
	put16(buf + l4off + 4, (uint16_t)l4len);
	memcpy(buf + l4off + UDP_HDR_LEN, body, plen);
	/* Pseudo header: addresses, protocol, UDP length. */
	if (v6)
		sum = csum_add(0, buf + 8, 32);
	else
		sum = csum_add(0, buf + 12, 8);
	sum += IPPROTO_UDP + (uint32_t)l4len;
	sum = csum_add(sum, buf + l4off, l4len);
	sum = (uint16_t)~sum;
	put16(buf + l4off + 6, sum ? (uint16_t)sum : 0xffff);
	return l4off + l4len;
}
