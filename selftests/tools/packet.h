/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Building raw IPv4/IPv6 packets that carry ESP, AH or UDP-encapsulated
 * ESP, well-formed or deliberately broken, for the spirec selftests.
 */
#ifndef SPIREC_SELFTEST_PACKET_H
#define SPIREC_SELFTEST_PACKET_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>

/* Largest packet we build: stays below a 1500-byte MTU. */
#define PKT_MAX_LEN	1400

/* What follows the IP header (and the IPv6 extension headers). */
enum pkt_kind {
	PKT_ESP,		/* ESP header (SPI, seq) and a dummy body */
	PKT_AH,			/* AH header with a 12-byte ICV */
	PKT_UDP_ESP,		/* UDP to 4500 carrying ESP (RFC 3948) */
	PKT_UDP_KEEPALIVE,	/* UDP to 4500, one 0xff byte */
	PKT_UDP_IKE,		/* UDP to 4500, zero marker + IKE header */
	PKT_UDP_RAW,		/* UDP to 4500, `len` bytes of 0x01 0x02 ... */
};

struct pkt_addr {
	int family;		/* AF_INET or AF_INET6 */
	union {
		struct in_addr v4;
		struct in6_addr v6;
	};
};

struct pkt_spec {
	enum pkt_kind kind;
	struct pkt_addr src;
	struct pkt_addr dst;
	uint32_t spi;		/* host order */
	uint32_t seq;		/* host order */
	uint16_t sport;		/* UDP kinds */
	uint16_t dport;		/* UDP kinds */
	/*
	 * Bytes after the IP header (after the UDP header for UDP kinds).
	 * -1: the natural length of the kind. A length shorter than the
	 * kind's header truncates it (malformed packets).
	 */
	int len;
	/*
	 * IPv6 only: number of extension headers before the payload. The
	 * first one is a Hop-by-Hop header, the others Destination Options;
	 * each is 8 bytes of PadN.
	 */
	unsigned int ext_hdrs;
};

/*
 * pkt_build() - write the packet described by @spec into @buf.
 * Returns the packet length, or 0 when it does not fit in @cap.
 */
size_t pkt_build(const struct pkt_spec *spec, uint8_t *buf, size_t cap);

/* Internet checksum of @len bytes, folded and complemented. */
uint16_t pkt_csum(const void *data, size_t len, uint32_t sum);

#endif /* SPIREC_SELFTEST_PACKET_H */
