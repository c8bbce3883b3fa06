// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target: the spirecd.conf parser (psk_file is not opened).
 * A file that parses must give a configuration whose invariants hold.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct spirecd_config cfg;
	FILE *devnull = fopen("/dev/null", "w");

	if (!devnull)
		abort();
	if (!spirecd_config_parse("fuzz.conf", (const char *)data, size, true,
				  &cfg, devnull)) {
		if (cfg.npeers > SPIRECD_MAX_PEERS || cfg.holddown_ms < 1000 ||
		    cfg.holddown_max_ms < 1000 ||
		    (cfg.status_file && cfg.status_file[0] != '/') ||
		    !cfg.workers || !cfg.rcvbuf || cfg.rcvbuf > (64u << 20))
			abort();
		for (size_t i = 0; i < cfg.npeers; i++) {
			const struct spirecd_peer_cfg *p = &cfg.peers[i];

			if (p->prefix.prefixlen >
			    spirec_addr_maxprefix(p->prefix.addr.family))
				abort();
			if (spirecd_config_find(&cfg, &p->prefix.addr) == NULL)
				abort();
			if (p->action == SPIRECD_ACTION_IKEV2 &&
			    (!p->local_id || !p->psk || !p->psk_len))
				abort();
			if (p->action == SPIRECD_ACTION_IKEV1 &&
			    (!p->psk || !p->psk_len))
				abort();
			/* ikev2 and ikev1 only toward a single address. */
			if ((p->action == SPIRECD_ACTION_IKEV2 ||
			     p->action == SPIRECD_ACTION_IKEV1) &&
			    p->prefix.prefixlen !=
			    spirec_addr_maxprefix(p->prefix.addr.family))
				abort();
			if (p->action == SPIRECD_ACTION_VICI &&
			    (!p->vici_child || !p->vici_socket))
				abort();
		}
		spirecd_config_free(&cfg);
	}
	fclose(devnull);
	return 0;
}
