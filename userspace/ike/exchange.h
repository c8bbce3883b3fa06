/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Internals of the recovery exchange shared by exchange.c (the steps),
 * exchange_io.c (protected messages, retransmission) and
 * peer_request.c (answering the peer on our IKE SA).
 */
#ifndef SPIREC_IKE_EXCHANGE_H
#define SPIREC_IKE_EXCHANGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "codec.h"
#include "crypto_dh.h"
#include "identity.h"
#include "ike.h"
#include "keys.h"
#include "payloads.h"
#include "run.h"
#include "transport.h"

#define IKE_NONCE_LEN	32
#define IKE_RX_MAX	65535

struct ike_rx {
	struct ike_header h;
	size_t len;
	uint8_t raw[IKE_RX_MAX];
	size_t plain_len;
	uint8_t plain[IKE_RX_MAX];
	struct ike_payload_list pl;	/* outer, or inner when protected */
	int parse_err;			/* of the payload chain */
};

struct ike_ctx {
	struct ike_run run;	/* settings, result, socket, DH, clock */
	struct ike_sa_payload offered;
	struct ike_identity idi, idr;
	bool have_idr;
	uint64_t spi_i, spi_r;
	uint8_t ni[IKE_NONCE_LEN];
	uint8_t nr[IKE_NONCE_MAX];
	size_t nr_len;
	uint8_t cookie[IKE_COOKIE_MAX];
	size_t cookie_len;
	struct ike_suite suite;
	struct ike_keys keys;
	struct ike_builder out;		/* request being sent */
	uint8_t init_req[IKE_MSG_MAX];
	size_t init_req_len;
	uint8_t *init_resp;
	size_t init_resp_len;
	uint32_t peer_mid;		/* next request id expected from peer */
	bool have_last_resp;
	uint8_t last_resp[IKE_MSG_MAX];	/* our answer to the peer's last */
	size_t last_resp_len;
	bool create_child_pending;
	uint32_t create_child_mid;
	bool established;
	bool peer_deleted;
	/* Unauthenticated error notify seen in an IKE_SA_INIT response and
	 * set aside (RFC 7296 2.21.1); reported only if nothing better
	 * arrives before the retransmission timeout.
	 */
	uint16_t init_error_notify;
	struct ike_rx *rx;
};

/* Log, and record the first failure (returns IKE_E_FAILED): run.h. */
#define ike_log(c, ...)	ike_run_log(&(c)->run, __VA_ARGS__)
#define ike_fail(c, ...)	ike_run_fail(&(c)->run, __VA_ARGS__)

/* Seal @inner into a protected message of ours (initiator keys). */
int ike_build_protected(struct ike_ctx *c, uint8_t exchange, bool resp,
			uint32_t mid, struct ike_builder *inner,
			uint8_t *out, size_t *out_len);
/* Parse c->rx; for protected messages verify the ICV first. */
int ike_rx_open(struct ike_ctx *c, bool protected);
/*
 * Send c->out, wait for the response with retransmissions (RFC 7296
 * 2.1), handling peer requests meanwhile. IKE_OK; IKE_E_TIMEOUT or
 * IKE_E_NETWORK, the failure recorded in the result; or
 * IKE_E_PEER_DELETED when the peer deleted the IKE SA meanwhile.
 */
int ike_transact(struct ike_ctx *c, uint8_t exchange, uint32_t mid,
		 bool protected);
/*
 * Receive for up to @ms, answering peer requests, until the peer sent
 * CREATE_CHILD_SA or deleted the SA. Returns IKE_OK or IKE_E_NETWORK.
 */
int ike_hold(struct ike_ctx *c, unsigned int ms);
/* A request from the peer is in c->rx (header checked). */
void ike_peer_request(struct ike_ctx *c);

#endif
