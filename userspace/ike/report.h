/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Logging, failure reporting and the clock of one recovery, shared by
 * the IKEv2 (exchange_io.c) and IKEv1 (v1_exchange.c) exchanges.
 */
#ifndef SPIREC_IKE_REPORT_H
#define SPIREC_IKE_REPORT_H

#include <stdarg.h>
#include <time.h>

#include "ike.h"

/* Hand one formatted line to cfg->log, if there is one. */
void ike_vlog(const struct ike_peer_cfg *cfg, enum ike_log_level lvl,
	      const char *fmt, va_list ap);
/*
 * Record the first failure in @res (status and text, logged as an
 * error); later ones are dropped. Returns IKE_E_FAILED.
 */
int ike_vfail(const struct ike_peer_cfg *cfg, struct ike_result *res,
	      enum ike_status st, const char *fmt, va_list ap);
/* Milliseconds since @start (CLOCK_MONOTONIC). */
long long ike_ms_since(const struct timespec *start);

#endif
