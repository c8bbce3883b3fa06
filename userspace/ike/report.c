// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdio.h>

#include "err.h"
#include "report.h"

void ike_vlog(const struct ike_peer_cfg *cfg, enum ike_log_level lvl,
	      const char *fmt, va_list ap)
{
	char buf[512];

	if (!cfg->log)
		return;
	vsnprintf(buf, sizeof(buf), fmt, ap);
	cfg->log(cfg->log_ctx, lvl, buf);
}

int ike_vfail(const struct ike_peer_cfg *cfg, struct ike_result *res,
	      enum ike_status st, const char *fmt, va_list ap)
{
	if (res->status == IKE_STATUS_OK) {
		res->status = st;
		vsnprintf(res->error, sizeof(res->error), fmt, ap);
		if (cfg->log)
			cfg->log(cfg->log_ctx, IKE_LOG_ERR, res->error);
	}
	return IKE_E_FAILED;
}

long long ike_ms_since(const struct timespec *start)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)(ts.tv_sec - start->tv_sec) * 1000 +
	       (ts.tv_nsec - start->tv_nsec) / 1000000;
}
