/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The UDP socket of one IKE SA: connected to the peer (so the kernel
 * only hands us the peer's datagrams), optionally on the NAT-T port with
 * the 4-byte non-ESP marker (RFC 3948 2.2).
 */
#ifndef SPIREC_IKE_TRANSPORT_H
#define SPIREC_IKE_TRANSPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>

struct ike_transport {
	int fd;
	struct sockaddr_storage peer;
	socklen_t peer_len;
	struct sockaddr_storage local;	/* after connect(): real source */
	socklen_t local_len;
	bool marker;
	/*
	 * Raw mode (ike_transport_open_raw()): @fd is a raw IPPROTO_UDP
	 * socket bound to the local and connected to the peer address;
	 * UDP headers with the ports of @local and @peer are written and
	 * checked here, so the source port may be one the local IKE daemon
	 * owns (its NAT-T port) without taking it from it.
	 */
	bool raw;
};

int ike_transport_open(struct ike_transport *t, const struct sockaddr *peer,
		       socklen_t peer_len, const struct sockaddr *local,
		       socklen_t local_len, uint32_t fwmark,
		       char *err, size_t errlen);
/*
 * Raw mode: send from @local's port (say the local IKE daemon's NAT-T
 * port 4500, bound by that daemon) to @peer's port (say a NAT's mapped
 * port) with the non-ESP marker, and read the answers from a copy of
 * the peer's UDP datagrams to that port (raw sockets get one of every
 * datagram; the daemon's socket gets its own and drops IKE messages for
 * SPIs it does not know). Needs CAP_NET_RAW. A kernel BPF filter passes
 * only datagrams from @peer's port to @local's port; addresses, ports
 * and lengths are verified here, UDP checksums not (offloads on virtual
 * links leave partial sums; IKE's own checks cover the message).
 */
int ike_transport_open_raw(struct ike_transport *t, const struct sockaddr *peer,
			   socklen_t peer_len, const struct sockaddr *local,
			   socklen_t local_len, uint32_t fwmark,
			   char *err, size_t errlen);
struct ike_peer_cfg;
/*
 * Open @t toward @cfg's peer as an exchange starts: port 500 when the
 * peer's address has none; raw mode (above) when @cfg->via_nat_mapping;
 * the non-ESP marker when the peer's port is its NAT-T port
 * (@cfg->peer_natt_port, else 4500).
 */
int ike_transport_open_cfg(struct ike_transport *t,
			   const struct ike_peer_cfg *cfg,
			   char *err, size_t errlen);
/* Re-target the peer's port; @marker adds/strips the non-ESP marker. */
int ike_transport_set_port(struct ike_transport *t, uint16_t port,
			   bool marker, char *err, size_t errlen);
int ike_transport_send(struct ike_transport *t, const uint8_t *buf,
		       size_t len);
/*
 * Wait up to @timeout_ms for one IKE message. Returns its length, 0 on
 * timeout, -errno on a socket error (e.g. -ECONNREFUSED). Datagrams
 * that cannot be IKE (ESP on the NAT-T port, keepalives) are skipped.
 */
ssize_t ike_transport_recv(struct ike_transport *t, uint8_t *buf,
			   size_t cap, int timeout_ms);
void ike_transport_close(struct ike_transport *t);

/*
 * Raw mode helpers, exposed for the unit tests and the fuzzer. Build: UDP
 * header (ports from @t, checksum over the pseudo-header) and, with
 * @t->marker, the non-ESP marker, then @len bytes of @msg into @out (cap
 * @cap); returns the datagram's length or 0 if it does not fit. Parse:
 * @pkt as a raw socket returned it (IPv4: from the IP header; IPv6: from
 * the UDP header) against @t's addresses and ports; returns the offset
 * of the IKE message in @pkt and its length in @msglen, or -1 when it is
 * not a datagram for this exchange.
 */
size_t ike_raw_build(const struct ike_transport *t, const uint8_t *msg,
		     size_t len, uint8_t *out, size_t cap);
ssize_t ike_raw_parse(const struct ike_transport *t, const uint8_t *pkt,
		      size_t len, size_t *msglen);

/* An AF_INET/AF_INET6 address of at least its family's size. */
bool ike_sockaddr_valid(const struct sockaddr *sa, socklen_t len);
uint16_t ike_sockaddr_port(const struct sockaddr *sa);
void ike_sockaddr_set_port(struct sockaddr *sa, uint16_t port);
/* "192.0.2.1:500" / "[2001:db8::1]:500" */
void ike_sockaddr_format(const struct sockaddr *sa, char *buf, size_t len);

#endif
