// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <openssl/rand.h>

#include "err.h"
#include "run.h"

static void vlog(struct ike_run *r, enum ike_log_level lvl, const char *fmt,
		 va_list ap)
{
	char buf[512];

	if (!r->cfg->log)
		return;
	vsnprintf(buf, sizeof(buf), fmt, ap);
	r->cfg->log(r->cfg->log_ctx, lvl, buf);
}

void ike_run_log(struct ike_run *r, enum ike_log_level lvl,
		 const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(r, lvl, fmt, ap);
	va_end(ap);
}

int ike_run_fail(struct ike_run *r, enum ike_status st, const char *fmt,
		 ...)
{
	va_list ap;

	if (r->res->status == IKE_STATUS_OK) {
		r->res->status = st;
		va_start(ap, fmt);
		vsnprintf(r->res->error, sizeof(r->res->error), fmt, ap);
		va_end(ap);
		ike_run_log(r, IKE_LOG_ERR, "%s", r->res->error);
	}
	return IKE_E_FAILED;
}

long long ike_run_ms(const struct ike_run *r)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)(ts.tv_sec - r->start.tv_sec) * 1000 +
	       (ts.tv_nsec - r->start.tv_nsec) / 1000000;
}

int ike_run_start(struct ike_run *r, const struct ike_peer_cfg *cfg,
		  struct ike_result *out)
{
	memset(out, 0, sizeof(*out));
	if (!r) {
		out->status = IKE_STATUS_INTERNAL;
		snprintf(out->error, sizeof(out->error), "out of memory");
		return IKE_E_FAILED;
	}
	r->cfg = cfg;
	r->res = out;
	r->tr.fd = -1;
	clock_gettime(CLOCK_MONOTONIC, &r->start);
	return IKE_OK;
}

int ike_run_open(struct ike_run *r, uint64_t *spi, uint8_t *nonce,
		 size_t nonce_len)
{
	char err[256];

	if (ike_transport_open_cfg(&r->tr, r->cfg, err, sizeof(err)))
		return ike_run_fail(r, IKE_STATUS_NETWORK, "%s", err);
	r->res->local_port = ike_sockaddr_port((struct sockaddr *)&r->tr.local);
	do {
		if (RAND_bytes((uint8_t *)spi, sizeof(*spi)) != 1 ||
		    RAND_bytes(nonce, (int)nonce_len) != 1)
			return ike_run_fail(r, IKE_STATUS_INTERNAL,
					    "RAND_bytes failed");
	} while (!*spi);
	r->res->spi_i = *spi;
	return IKE_OK;
}

int ike_run_end(struct ike_run *r, int ret)
{
	r->res->elapsed_ms = (unsigned int)ike_run_ms(r);
	if (r->res->status != IKE_STATUS_OK)
		ret = -1;
	ike_transport_close(&r->tr);
	ike_dh_free(r->dh);
	r->dh = NULL;
	return ret;
}

void ike_run_nat(struct ike_run *r, bool local_ok, bool peer_ok)
{
	if (local_ok && peer_ok)
		return;
	r->res->nat_detected = true;
	ike_run_log(r, IKE_LOG_INFO, "NAT detected (%s)",
		    !local_ok ? "in front of us" : "in front of the peer");
}

unsigned int ike_run_tries(const struct ike_run *r)
{
	return r->cfg->tries ? r->cfg->tries : 4;
}

int ike_run_round(struct ike_run *r, const uint8_t *msg, size_t len,
		  uint8_t *buf, size_t cap, int (*take)(void *ctx, size_t n),
		  void *ctx, const char *no_answer, int *last_err)
{
	unsigned int timeout = r->cfg->timeout_ms ? r->cfg->timeout_ms : 1000;
	unsigned int tries = ike_run_tries(r);

	*last_err = 0;
	for (unsigned int try = 0; try < tries; try++, timeout *= 2) {
		long long deadline;
		int rc = ike_transport_send(&r->tr, msg, len);

		if (rc < 0 && rc != -ECONNREFUSED) {
			ike_run_fail(r, IKE_STATUS_NETWORK, "send: %s",
				     strerror(-rc));
			return IKE_E_NETWORK;
		}
		if (try)
			r->res->retransmits++;
		deadline = ike_run_ms(r) + timeout;
		for (;;) {
			long long left = deadline - ike_run_ms(r);
			ssize_t n;

			if (left <= 0)
				break;
			n = ike_transport_recv(&r->tr, buf, cap, (int)left);
			if (n == 0)
				break;
			if (n < 0) {
				*last_err = (int)-n;
				if (n != -ECONNREFUSED) {
					ike_run_fail(r, IKE_STATUS_NETWORK,
						     "recv: %s",
						     strerror(*last_err));
					return IKE_E_NETWORK;
				}
				continue;
			}
			rc = take(ctx, (size_t)n);
			if (rc != IKE_E_AGAIN)
				return rc;
		}
		ike_run_log(r, IKE_LOG_DEBUG, "%s after %u ms", no_answer,
			    timeout);
	}
	return IKE_E_TIMEOUT;
}
