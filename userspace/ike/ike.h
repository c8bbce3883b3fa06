/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * spirec's IKEv2 initiator: recovery of a peer that keeps sending ESP
 * for SAs we lost (an "invalid SPI black hole").
 *
 * ike_recover() runs, over one UDP socket:
 *   IKE_SA_INIT -> IKE_AUTH (PSK, INITIAL_CONTACT, no CHILD SA, RFC 6023)
 *   -> INFORMATIONAL { N(INVALID_SPI, spi) } -> INFORMATIONAL { D(IKE) }
 * A peer that authenticates an IKE_AUTH carrying INITIAL_CONTACT drops
 * every other IKE SA (and its CHILD SAs) between the same identities, so
 * its stale state is gone and it re-keys with the real responder.
 *
 * ike_send_hint() sends the unauthenticated RFC 7296 1.5 hint instead.
 *
 * Both calls block; they are safe to call from several threads at once
 * (no global state besides OpenSSL's).
 */
#ifndef SPIREC_IKE_H
#define SPIREC_IKE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#define IKE_PORT	500
#define IKE_NATT_PORT	4500

enum ike_log_level { IKE_LOG_ERR, IKE_LOG_INFO, IKE_LOG_DEBUG };

struct ike_peer_cfg {
	/* Peer address; its port is the peer's IKE port (0 means 500). */
	const struct sockaddr *peer;
	socklen_t peer_len;
	/* Peer's NAT-T port, used with the non-ESP marker (0 means 4500). */
	uint16_t peer_natt_port;
	/* Optional source address and port (port 0: ephemeral). */
	const struct sockaddr *local;
	socklen_t local_len;
	/* SO_MARK for the socket, 0 for none. */
	uint32_t fwmark;
	/* swanctl-style proposals, NULL for IKE_DEFAULT_PROPOSALS. */
	const char *proposals;
	/* Our identity (required) and the peer's (optional: sent as IDr
	 * and required to match the responder's IDr). */
	const char *local_id;
	const char *remote_id;
	const uint8_t *psk;
	size_t psk_len;
	/* Retransmission (RFC 7296 2.1): first timeout, doubled after each
	 * try; number of transmissions of each request. 0: 1000 ms, 4. */
	unsigned int timeout_ms;
	unsigned int tries;
	/* Pretend to be behind a NAT (float to the NAT-T port). */
	bool force_encap;
	/*
	 * Reach a peer behind a NAT through the mapping its ESP in UDP
	 * came in on: @peer's port is the NAT's mapped port, @local's port
	 * our NAT-T port (owned by the local IKE daemon). Every message
	 * goes from @local to @peer with the non-ESP marker, through a raw
	 * socket (CAP_NET_RAW) that reads a copy of the answers; no float.
	 */
	bool via_nat_mapping;
	/*
	 * After IKE_AUTH, hold the new IKE SA up to this long before the
	 * INVALID_SPI notify, answering the peer's requests; a
	 * CREATE_CHILD_SA from the peer (a trap policy firing) ends the
	 * hold at once, and our Delete then makes the peer re-establish
	 * with its real responder. 0: no hold.
	 */
	unsigned int hold_ms;
	/* Optional log sink; messages carry no secrets. */
	void (*log)(void *ctx, enum ike_log_level level, const char *msg);
	void *log_ctx;
};

enum ike_status {
	IKE_STATUS_OK,		/* SA authenticated, INVALID_SPI sent */
	IKE_STATUS_CONFIG,	/* bad configuration, nothing was sent */
	IKE_STATUS_NETWORK,	/* socket error */
	IKE_STATUS_TIMEOUT,	/* no (valid) answer after every try */
	IKE_STATUS_REFUSED,	/* peer answered with an error notify */
	IKE_STATUS_AUTH,	/* authentication failed (either side) */
	IKE_STATUS_PROTOCOL,	/* malformed or unexpected answer */
	IKE_STATUS_NO_CHILDLESS,	/* peer lacks RFC 6023 support */
	IKE_STATUS_INTERNAL,	/* out of memory, OpenSSL failure */
};

struct ike_result {
	enum ike_status status;
	char error[256];	/* human-readable reason if not OK */
	uint16_t peer_notify;	/* error notify type the peer sent, or 0 */
	uint64_t spi_i, spi_r;
	char suite[64];		/* negotiated algorithms, swanctl style */
	uint16_t local_port;	/* our source port */
	bool nat_detected;	/* NAT-D said a NAT is in the way */
	bool natt;		/* floated to the NAT-T port */
	bool authenticated;	/* IKE_AUTH completed, INITIAL_CONTACT sent */
	bool invalid_spi_acked;	/* peer answered INFORMATIONAL N(INVALID_SPI) */
	bool deleted;		/* peer answered our Delete */
	bool peer_create_child;	/* peer sent CREATE_CHILD_SA (unanswered) */
	bool invalid_spi_sent;	/* IKEv1: Informational D + N(INVALID-SPI) */
	bool delete_sent;	/* IKEv1: Informational D(ISAKMP) */
	unsigned int peer_requests;	/* peer requests on our IKE SA */
	unsigned int retransmits;
	unsigned int elapsed_ms;
};

/*
 * Recover @cfg's peer for the ESP/AH SPI @spi (host byte order). Fills
 * @out; returns 0 when out->status is IKE_STATUS_OK, -1 otherwise.
 */
int ike_recover(const struct ike_peer_cfg *cfg, uint32_t spi,
		struct ike_result *out);

const char *ike_status_str(enum ike_status status);

/*
 * IKEv1 (v1_exchange.c): Main Mode with @cfg's PSK and identities (no
 * local_id: the source address), INITIAL-CONTACT in message 5, then one
 * Informational { HASH(1), D(@proto, @spi), N(INVALID-SPI, @spi) } and
 * one { HASH(1), D(ISAKMP) } of our own SA. @proto is the IKEv1
 * protocol ID: 2 (AH) or 3 (ESP). IKEv1 Informationals are not
 * acknowledged: 0 (out->status IKE_STATUS_OK) once Main Mode completed
 * and both were sent; -1 otherwise. @cfg->proposals in swanctl syntax
 * for version 1 (v1_proposal.h); hold_ms and force_encap are ignored.
 */
int ike_v1_recover(const struct ike_peer_cfg *cfg, uint8_t proto,
		   uint32_t spi, struct ike_result *out);

struct ike_hint_cfg {
	/*
	 * Where the offending packet came from: its source address and,
	 * for UDP-encapsulated ESP, its source port (the hint then goes to
	 * that port with the non-ESP marker). Without encapsulation the
	 * port is ignored and the hint goes to port 500.
	 */
	const struct sockaddr *peer;
	socklen_t peer_len;
	bool udp_encap;
	/* Optional source address/port (port 0: ephemeral), SO_MARK. */
	const struct sockaddr *local;
	socklen_t local_len;
	uint32_t fwmark;
};

/*
 * Send one unprotected INFORMATIONAL { N(INVALID_SPI, spi) } with random
 * IKE SPIs (RFC 7296 1.5). Never waits for nor reads an answer. Returns
 * 0, or -1 with a message in @err. The caller rate-limits (2.21.4).
 */
int ike_send_hint(const struct ike_hint_cfg *h, uint32_t spi,
		  char *err, size_t errlen);

#endif
