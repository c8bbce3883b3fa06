/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Packet parser: finds the SPI of an ESP, AH or ESP-in-UDP packet that
 * arrived for this host. Reads headers only through skb_header_pointer()
 * and keeps no state, so it can be tested on hand-made skbs.
 */
#ifndef _SPIREC_PARSE_H
#define _SPIREC_PARSE_H

#include <linux/skbuff.h>
#include <linux/types.h>
#include <net/xfrm.h>

/*
 * RFC 3948 NAT-T port, the default of net.spirec.natt_port: UDP-encapsulated
 * ESP is only looked for on that destination port.
 */
#define SPIREC_NATT_PORT	4500

/* IPv6 extension headers walked before giving up as malformed. */
#define SPIREC_IPV6_MAX_EXTHDRS	8

/**
 * struct spirec_pkt - what the parser found
 * @family: AF_INET or AF_INET6
 * @proto: IPPROTO_ESP or IPPROTO_AH (IPPROTO_ESP for ESP in UDP)
 * @encap: enum spirec_encap
 * @saddr: source address (the peer)
 * @daddr: destination address (this host), used for the state lookup
 * @spi: the SPI, host byte order, never 0
 * @sport: UDP source port, host byte order (encap UDP only, else 0)
 * @dport: UDP destination port, host byte order (encap UDP only, else 0)
 */
struct spirec_pkt {
	u16 family;
	u8 proto;
	u8 encap;
	xfrm_address_t saddr;
	xfrm_address_t daddr;
	u32 spi;
	u16 sport;
	u16 dport;
};

/**
 * enum spirec_parse_result - verdict of the parser
 * @SPIREC_PARSE_IGNORE: not ESP, AH or ESP in UDP (including IKE on the
 *	NAT-T port, NAT keepalives, UDP payloads of exactly 8 bytes, which
 *	xfrm does not take for ESP either, and non-first fragments); nothing
 *	to count
 * @SPIREC_PARSE_OK: @pkt is filled in
 * @SPIREC_PARSE_MALFORMED: ESP/AH/ESP-in-UDP too short to hold an SPI,
 *	SPI 0, or an IPv6 extension header chain that is truncated or longer
 *	than %SPIREC_IPV6_MAX_EXTHDRS
 */
enum spirec_parse_result {
	SPIREC_PARSE_IGNORE,
	SPIREC_PARSE_OK,
	SPIREC_PARSE_MALFORMED,
};

enum spirec_parse_result spirec_parse_ipv4(const struct sk_buff *skb,
					   u16 natt_port,
					   struct spirec_pkt *pkt);
enum spirec_parse_result spirec_parse_ipv6(const struct sk_buff *skb,
					   u16 natt_port,
					   struct spirec_pkt *pkt);

static inline unsigned int spirec_addr_len(u16 family)
{
	return family == AF_INET ? sizeof(struct in_addr) :
				   sizeof(struct in6_addr);
}

#endif /* _SPIREC_PARSE_H */
