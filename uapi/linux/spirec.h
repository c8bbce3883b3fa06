/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/*
 * spirec: invalid-SPI detection for IPsec peers that lost their SAs.
 *
 * This header is the only definition of the generic netlink family
 * "spirec"; the kernel module (kmod/) and the tools (userspace/) both
 * include it. Documentation/netlink/spirec.yaml describes the same family
 * in the kernel's YAML spec format.
 *
 * Family: SPIREC_GENL_NAME, version SPIREC_GENL_VERSION, netns aware: every
 * request and every event concerns the network namespace of the socket.
 *
 * Requests: SPIREC_CMD_KNOWN_ADD and SPIREC_CMD_KNOWN_DEL take
 * %SPIREC_A_FAMILY, %SPIREC_A_ADDR and %SPIREC_A_PREFIXLEN; every other
 * request takes no attribute. Anything else is refused (EINVAL, with an
 * extended ack message).
 *
 * Permissions: SPIREC_CMD_GET_STATS is open to everyone. Every other
 * command, and joining the SPIREC_MCGRP_EVENTS group, needs CAP_NET_ADMIN
 * over the user namespace that owns the network namespace.
 *
 * Byte order: integers are in host byte order (NLA_U8/U16/U32/U64), except
 * addresses, which are raw network-order bytes (4 bytes for AF_INET, 16 for
 * AF_INET6). u64 attributes are padded with the attribute space's *_PAD.
 */
#ifndef _UAPI_LINUX_SPIREC_H
#define _UAPI_LINUX_SPIREC_H

#define SPIREC_GENL_NAME	"spirec"
#define SPIREC_GENL_VERSION	1

/* Multicast group carrying SPIREC_CMD_EVENT notifications. */
#define SPIREC_MCGRP_EVENTS	"events"

/**
 * enum spirec_cmd - generic netlink commands
 * @SPIREC_CMD_GET_STATS: do. Reply: %SPIREC_A_ENABLED, %SPIREC_A_LISTENERS,
 *	%SPIREC_A_PEER_COUNT and the %SPIREC_A_STATS nest.
 * @SPIREC_CMD_GET_PEERS: dump. One message per entry of the peer table,
 *	each with one %SPIREC_A_PEER nest. Resumes correctly across messages.
 * @SPIREC_CMD_FLUSH_PEERS: do. Empties the peer table (rate limiter state).
 * @SPIREC_CMD_KNOWN_ADD: do. Adds %SPIREC_A_FAMILY + %SPIREC_A_ADDR (and
 *	optional %SPIREC_A_PREFIXLEN, default: full length) to the known-peer
 *	list. -EEXIST if present, -ENOSPC past %SPIREC_KNOWN_MAX entries.
 * @SPIREC_CMD_KNOWN_DEL: do. Removes the exact same entry; -ENOENT if absent.
 * @SPIREC_CMD_KNOWN_GET: dump. One message per known-peer entry, each with
 *	%SPIREC_A_FAMILY, %SPIREC_A_ADDR and %SPIREC_A_PREFIXLEN.
 * @SPIREC_CMD_EVENT: notification on %SPIREC_MCGRP_EVENTS: one packet with
 *	an SPI that matched no xfrm state. Attributes: %SPIREC_A_FAMILY,
 *	%SPIREC_A_SRC, %SPIREC_A_DST, %SPIREC_A_SPI, %SPIREC_A_PROTO,
 *	%SPIREC_A_ENCAP, %SPIREC_A_SPORT and %SPIREC_A_DPORT (only when encap
 *	is %SPIREC_ENCAP_UDP), %SPIREC_A_IFINDEX, %SPIREC_A_MARK,
 *	%SPIREC_A_SUPPRESSED, %SPIREC_A_LIVE_SAS. No event is sent for an SPI
 *	that a state under another mark (a VTI key) holds.
 */
enum spirec_cmd {
	SPIREC_CMD_UNSPEC,
	SPIREC_CMD_GET_STATS,
	SPIREC_CMD_GET_PEERS,
	SPIREC_CMD_FLUSH_PEERS,
	SPIREC_CMD_KNOWN_ADD,
	SPIREC_CMD_KNOWN_DEL,
	SPIREC_CMD_KNOWN_GET,
	SPIREC_CMD_EVENT,

	__SPIREC_CMD_MAX
};
#define SPIREC_CMD_MAX (__SPIREC_CMD_MAX - 1)

/**
 * enum spirec_encap - how the ESP packet arrived
 * @SPIREC_ENCAP_NONE: plain ESP (IP protocol 50) or AH (51)
 * @SPIREC_ENCAP_UDP: ESP in UDP (RFC 3948), destination port 4500
 */
enum spirec_encap {
	SPIREC_ENCAP_NONE,
	SPIREC_ENCAP_UDP,
};

/* Upper bound of the known-peer list per network namespace. */
#define SPIREC_KNOWN_MAX	1024

/**
 * enum spirec_attr - top-level attributes
 * @SPIREC_A_PAD: padding for u64 attributes
 * @SPIREC_A_FAMILY: u16, AF_INET or AF_INET6
 * @SPIREC_A_SRC: binary, source address of the packet (the peer)
 * @SPIREC_A_DST: binary, destination address (this host)
 * @SPIREC_A_SPI: u32, the SPI that matched no state (host byte order)
 * @SPIREC_A_PROTO: u8, IPPROTO_ESP (50) or IPPROTO_AH (51)
 * @SPIREC_A_ENCAP: u8, enum spirec_encap
 * @SPIREC_A_SPORT: u16, UDP source port (encap UDP only)
 * @SPIREC_A_DPORT: u16, UDP destination port (encap UDP only)
 * @SPIREC_A_IFINDEX: u32, ingress interface index
 * @SPIREC_A_MARK: u32, skb->mark used for the state lookup
 * @SPIREC_A_SUPPRESSED: u64, packets of this peer with an unknown SPI that
 *	were not reported since the peer's previous event
 * @SPIREC_A_ADDR: binary, an address (known-peer commands)
 * @SPIREC_A_PREFIXLEN: u8, prefix length of %SPIREC_A_ADDR
 * @SPIREC_A_ENABLED: u8, net.spirec.enabled of this netns
 * @SPIREC_A_LISTENERS: u8, 1 if the events group has listeners
 * @SPIREC_A_PEER_COUNT: u32, entries in the peer table
 * @SPIREC_A_STATS: nest, enum spirec_stats_attr
 * @SPIREC_A_PEER: nest, enum spirec_peer_attr
 * @SPIREC_A_LIVE_SAS: u32, valid ESP and AH states (any SPI, any mark) from
 *	%SPIREC_A_SRC to %SPIREC_A_DST in the event's netns when the event was
 *	made. Not 0: this host still shares IPsec state with the source, so
 *	the packet is no sign of a black hole (a stray packet of a deleted SA,
 *	or a spoofed one). Absent from modules older than this attribute.
 */
enum spirec_attr {
	SPIREC_A_UNSPEC,
	SPIREC_A_PAD,
	SPIREC_A_FAMILY,
	SPIREC_A_SRC,
	SPIREC_A_DST,
	SPIREC_A_SPI,
	SPIREC_A_PROTO,
	SPIREC_A_ENCAP,
	SPIREC_A_SPORT,
	SPIREC_A_DPORT,
	SPIREC_A_IFINDEX,
	SPIREC_A_MARK,
	SPIREC_A_SUPPRESSED,
	SPIREC_A_ADDR,
	SPIREC_A_PREFIXLEN,
	SPIREC_A_ENABLED,
	SPIREC_A_LISTENERS,
	SPIREC_A_PEER_COUNT,
	SPIREC_A_STATS,
	SPIREC_A_PEER,
	SPIREC_A_LIVE_SAS,

	__SPIREC_A_MAX
};
#define SPIREC_A_MAX (__SPIREC_A_MAX - 1)

/**
 * enum spirec_stats_attr - per-netns counters, all u64
 * @SPIREC_STATS_A_INSPECTED: ESP/AH/ESP-in-UDP packets looked at; each is
 *	either counted in @SPIREC_STATS_A_NOT_KNOWN or (while the global
 *	bucket is empty) in @SPIREC_STATS_A_LIMITED_GLOBAL without its SPI
 *	being looked up, or its SPI is looked up (found, or counted below)
 * @SPIREC_STATS_A_UNKNOWN_ESP: ESP packets whose SPI was looked up and
 *	matched no state
 * @SPIREC_STATS_A_UNKNOWN_AH: AH packets whose SPI was looked up and
 *	matched no state
 * @SPIREC_STATS_A_UNKNOWN_ESPINUDP: ESP-in-UDP packets, SPI looked up and
 *	unknown
 * @SPIREC_STATS_A_MALFORMED: truncated or malformed packets (left alone)
 * @SPIREC_STATS_A_EVENTS: events sent to the events group
 * @SPIREC_STATS_A_LIMITED_PEER: suppressed by the per-peer interval
 * @SPIREC_STATS_A_LIMITED_GLOBAL: suppressed by the global token bucket:
 *	packets that arrived while it was empty (SPI not looked up, valid or
 *	not) and unknown SPIs it had no token for
 * @SPIREC_STATS_A_TABLE_FULL: peer table full, no entry could be made
 * @SPIREC_STATS_A_NO_LISTENER: an event was due but nobody listened
 * @SPIREC_STATS_A_NOT_KNOWN: source not on the known-peer list while
 *	known_peers_only is set (SPI not looked up, valid or not)
 * @SPIREC_STATS_A_ALLOC_FAIL: an event or table entry could not be allocated
 * @SPIREC_STATS_A_NOT_BLACKHOLE: events sent with %SPIREC_A_LIVE_SAS not 0:
 *	the source still has live SAs to this host (spirecd ignores them)
 * @SPIREC_STATS_A_OTHER_MARK: detections not reported because a state
 *	under another mark (a VTI tunnel's key) holds the SPI
 */
enum spirec_stats_attr {
	SPIREC_STATS_A_UNSPEC,
	SPIREC_STATS_A_PAD,
	SPIREC_STATS_A_INSPECTED,
	SPIREC_STATS_A_UNKNOWN_ESP,
	SPIREC_STATS_A_UNKNOWN_AH,
	SPIREC_STATS_A_UNKNOWN_ESPINUDP,
	SPIREC_STATS_A_MALFORMED,
	SPIREC_STATS_A_EVENTS,
	SPIREC_STATS_A_LIMITED_PEER,
	SPIREC_STATS_A_LIMITED_GLOBAL,
	SPIREC_STATS_A_TABLE_FULL,
	SPIREC_STATS_A_NO_LISTENER,
	SPIREC_STATS_A_NOT_KNOWN,
	SPIREC_STATS_A_ALLOC_FAIL,
	SPIREC_STATS_A_NOT_BLACKHOLE,
	SPIREC_STATS_A_OTHER_MARK,

	__SPIREC_STATS_A_MAX
};
#define SPIREC_STATS_A_MAX (__SPIREC_STATS_A_MAX - 1)

/**
 * enum spirec_peer_attr - one entry of the peer table
 * @SPIREC_PEER_A_PAD: padding for u64 attributes
 * @SPIREC_PEER_A_FAMILY: u16, AF_INET or AF_INET6
 * @SPIREC_PEER_A_ADDR: binary, the peer's address
 * @SPIREC_PEER_A_PACKETS: u64, packets with an unknown SPI from this peer
 * @SPIREC_PEER_A_EVENTS: u64, events emitted for this peer (detections the
 *	rate limits let through)
 * @SPIREC_PEER_A_SUPPRESSED: u64, packets not reported (rate limited)
 * @SPIREC_PEER_A_LAST_SPI: u32, SPI of the most recent such packet
 * @SPIREC_PEER_A_LAST_PROTO: u8, IPPROTO_ESP or IPPROTO_AH of that packet
 * @SPIREC_PEER_A_LAST_ENCAP: u8, enum spirec_encap of that packet
 * @SPIREC_PEER_A_LAST_SEEN_MS: u64, milliseconds since that packet
 * @SPIREC_PEER_A_KNOWN: u8, 1 if the address is on the known-peer list
 */
enum spirec_peer_attr {
	SPIREC_PEER_A_UNSPEC,
	SPIREC_PEER_A_PAD,
	SPIREC_PEER_A_FAMILY,
	SPIREC_PEER_A_ADDR,
	SPIREC_PEER_A_PACKETS,
	SPIREC_PEER_A_EVENTS,
	SPIREC_PEER_A_SUPPRESSED,
	SPIREC_PEER_A_LAST_SPI,
	SPIREC_PEER_A_LAST_PROTO,
	SPIREC_PEER_A_LAST_ENCAP,
	SPIREC_PEER_A_LAST_SEEN_MS,
	SPIREC_PEER_A_KNOWN,

	__SPIREC_PEER_A_MAX
};
#define SPIREC_PEER_A_MAX (__SPIREC_PEER_A_MAX - 1)

#endif /* _UAPI_LINUX_SPIREC_H */
