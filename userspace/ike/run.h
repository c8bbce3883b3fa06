/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What a recovery of either version (exchange.c: IKEv2, v1_exchange.c:
 * IKEv1) keeps and does alike: its settings and result, the socket, the
 * DH value, the clock; logging and failure reporting; the start and end
 * of ike_recover() and ike_v1_recover(); one request/response round with
 * retransmissions.
 */
#ifndef SPIREC_IKE_RUN_H
#define SPIREC_IKE_RUN_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "crypto_dh.h"
#include "ike.h"
#include "transport.h"

struct ike_run {
	const struct ike_peer_cfg *cfg;
	struct ike_result *res;
	struct ike_transport tr;
	struct ike_dh *dh;
	struct timespec start;
};

/* Hand one formatted line to cfg->log, if there is one. */
void ike_run_log(struct ike_run *r, enum ike_log_level lvl,
		 const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/*
 * Record the first failure in the result (status and text, logged as an
 * error); later ones are dropped. Returns IKE_E_FAILED.
 */
int ike_run_fail(struct ike_run *r, enum ike_status st, const char *fmt,
		 ...) __attribute__((format(printf, 3, 4)));
/* Milliseconds since the recovery started. */
long long ike_run_ms(const struct ike_run *r);

/*
 * Start a recovery in @r (NULL: its context could not be allocated, a
 * failure recorded in @out): @out cleared, the clock started. IKE_OK or
 * IKE_E_FAILED.
 */
int ike_run_start(struct ike_run *r, const struct ike_peer_cfg *cfg,
		  struct ike_result *out);
/*
 * Open the socket toward the peer; then a random initiator SPI (never
 * 0, into @spi and the result) and @nonce_len random bytes of @nonce.
 * IKE_OK or IKE_E_FAILED.
 */
int ike_run_open(struct ike_run *r, uint64_t *spi, uint8_t *nonce,
		 size_t nonce_len);
/* Close what @r holds and stamp the elapsed time: ike_recover()'s
 * return value, @ret or -1 when the status is not IKE_STATUS_OK. */
int ike_run_end(struct ike_run *r, int ret);

/*
 * One request/response round: send @msg (@len bytes), then hand every
 * datagram received into @buf (@cap bytes) to @take(@ctx, its length),
 * retransmitting after timeout_ms (doubled each time) up to tries times.
 * @take returns IKE_E_AGAIN to keep waiting, anything else ends the
 * round with that. Without an answer: IKE_E_TIMEOUT with *@last_err the
 * last socket error (0 for none), failure not yet recorded; the debug
 * line "@no_answer after N ms" is logged after each wait. IKE_E_NETWORK
 * (recorded) when the socket fails.
 */
int ike_run_round(struct ike_run *r, const uint8_t *msg, size_t len,
		  uint8_t *buf, size_t cap, int (*take)(void *ctx, size_t n),
		  void *ctx, const char *no_answer, int *last_err);
/*
 * After the NAT-D hashes: when that of our address (@local_ok) or the
 * peer's did not match, record a NAT in the result and say where.
 */
void ike_run_nat(struct ike_run *r, bool local_ok, bool peer_ok);
/* The number of transmissions of a round. */
unsigned int ike_run_tries(const struct ike_run *r);

#endif
