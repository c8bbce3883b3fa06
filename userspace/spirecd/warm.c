// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * OpenSSL's first use in a process loads its configuration and providers
 * and seeds its random generators; each thread's first use instantiates
 * its own generators. That is ~15 ms on a PC and hundreds of ms in an
 * emulated (TCG) guest: spirecd pays it at start, not while the first
 * recovery races a black hole.
 */
#include <stdint.h>
#include <time.h>
#include <openssl/rand.h>

#include "log.h"
#include "warm.h"
#include "../ike/crypto_dh.h"
#include "../ike/prf.h"
#include "../ike/proposal.h"
#include "../ike/v1_proposal.h"

#define WARM_MAX_GROUPS	8

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void spirecd_warm_thread(void)
{
	uint8_t b[1];

	/* The calling thread's public and private generators. */
	if (RAND_bytes(b, sizeof(b)) != 1 || RAND_priv_bytes(b, sizeof(b)) != 1)
		log_debug("warm-up: no random bytes yet");
}

/* Generate (and drop) one key pair of the group, once per group. */
static void warm_group(uint16_t group, uint16_t *done, size_t *ndone)
{
	struct ike_dh *dh;

	for (size_t i = 0; i < *ndone; i++)
		if (done[i] == group)
			return;
	if (*ndone == WARM_MAX_GROUPS)
		return;
	done[(*ndone)++] = group;
	dh = ike_dh_new(group);
	if (dh)
		ike_dh_free(dh);
}

void spirecd_warm_up(const struct spirecd_config *cfg)
{
	static const uint8_t key[32];
	struct ike_chunk c = { .p = key, .len = sizeof(key) };
	uint16_t done[WARM_MAX_GROUPS];
	struct ike_sa_payload sa;
	size_t ndone = 0;
	uint8_t out[32];
	char err[160];
	long long t0 = now_ms();

	spirecd_warm_thread();
	for (size_t i = 0; i < cfg->npeers; i++) {
		const struct spirecd_peer_cfg *pc = &cfg->peers[i];

		if (pc->action == SPIRECD_ACTION_IKEV1) {
			struct ike_v1_proposals v1;

			/* The responder picks; the first offer is likely. */
			if (!ike_v1_proposals_parse(pc->ike, &v1, err,
						    sizeof(err)) && v1.n)
				warm_group(v1.t[0].group, done, &ndone);
			continue;
		}
		if (pc->action != SPIRECD_ACTION_IKEV2)
			continue;
		/* Our KE payload uses the first proposal's group. */
		if (ike_proposals_parse(pc->ike, &sa, err, sizeof(err)) < 0)
			continue;
		warm_group(ike_proposals_first_group(&sa), done, &ndone);
	}
	ike_hmac_digest("SHA256", key, sizeof(key), &c, 1, out, sizeof(out));
	log_debug("crypto warm-up: %lld ms, DH groups: %zu", now_ms() - t0,
		  ndone);
}
