// SPDX-License-Identifier: GPL-2.0-or-later
/* IKEv1 phase-1 key derivation and hashes (RFC 2409 5, appendix B). */
#include <string.h>

#include <openssl/crypto.h>

#include "codec.h"
#include "err.h"
#include "v1_keys.h"

int ike_v1_derive_keys(const struct ike_v1_suite *s,
		       const uint8_t *psk, size_t psk_len,
		       const struct ike_v1_phase1 *p, struct ike_v1_keys *k)
{
	uint8_t cky[16], hv[IKE_V1_HASH_MAX];
	uint8_t expand[IKE_V1_KEY_MAX + IKE_V1_HASH_MAX];
	uint8_t c0 = 0;
	size_t hl = ike_v1_hash_len(s->hash);
	size_t kl = ike_v1_key_len(s->encr, s->keylen);
	size_t bs = ike_v1_block_len(s->encr);
	int err;

	memset(k, 0, sizeof(*k));
	if (!hl || !kl || !bs)
		return IKE_E_UNSUPPORTED;
	k->prf_len = hl;
	k->key_len = kl;
	k->block_len = bs;
	ike_put64(cky, p->cky_i);
	ike_put64(cky + 8, p->cky_r);
	{
		struct ike_chunk in[2] = {
			{ p->ni, p->ni_len }, { p->nr, p->nr_len },
		};

		err = ike_v1_prf(s->hash, psk, psk_len, in, 2, k->skeyid);
		if (err)
			goto out;
	}
	/* SKEYID_d, then SKEYID_a and SKEYID_e, each over the one before. */
	for (uint8_t i = 0; i < 3; i++) {
		uint8_t *const out[3] = { k->skeyid_d, k->skeyid_a,
					  k->skeyid_e };
		struct ike_chunk in[4] = {
			{ i ? out[i - 1] : NULL, hl },
			{ p->gxy, p->gxy_len }, { cky, 16 }, { &i, 1 },
		};

		err = ike_v1_prf(s->hash, k->skeyid, hl, i ? in : in + 1,
				 i ? 4 : 3, out[i]);
		if (err)
			goto out;
	}
	if (hl >= kl) {
		memcpy(k->enc_key, k->skeyid_e, kl);
	} else {
		/* Appendix B: K1 = prf(SKEYID_e, 0), Kn = prf(SKEYID_e, Kn-1) */
		size_t done = 0;

		while (done < kl) {
			struct ike_chunk in = done ?
				(struct ike_chunk){ expand + done - hl, hl } :
				(struct ike_chunk){ &c0, 1 };

			err = ike_v1_prf(s->hash, k->skeyid_e, hl, &in, 1,
					 expand + done);
			if (err)
				goto out;
			done += hl;
		}
		memcpy(k->enc_key, expand, kl);
	}
	{
		struct ike_chunk in[2] = {
			{ p->gxi, p->gxi_len }, { p->gxr, p->gxr_len },
		};

		err = ike_v1_hash(s->hash, in, 2, hv);
		if (err)
			goto out;
		memcpy(k->iv, hv, bs);
	}
out:
	OPENSSL_cleanse(expand, sizeof(expand));
	OPENSSL_cleanse(hv, sizeof(hv));
	if (err)
		ike_v1_keys_wipe(k);
	return err;
}

int ike_v1_auth_hash(const struct ike_v1_suite *s,
		     const struct ike_v1_keys *k, bool initiator,
		     const struct ike_v1_phase1 *p, const uint8_t *id_b,
		     size_t id_len, uint8_t *out)
{
	uint8_t ci[8], cr[8];
	struct ike_chunk in[6];

	ike_put64(ci, p->cky_i);
	ike_put64(cr, p->cky_r);
	in[0] = (struct ike_chunk){ initiator ? p->gxi : p->gxr,
				    initiator ? p->gxi_len : p->gxr_len };
	in[1] = (struct ike_chunk){ initiator ? p->gxr : p->gxi,
				    initiator ? p->gxr_len : p->gxi_len };
	in[2] = (struct ike_chunk){ initiator ? ci : cr, 8 };
	in[3] = (struct ike_chunk){ initiator ? cr : ci, 8 };
	in[4] = (struct ike_chunk){ p->sai_b, p->sai_len };
	in[5] = (struct ike_chunk){ id_b, id_len };
	return ike_v1_prf(s->hash, k->skeyid, k->prf_len, in, 6, out);
}

int ike_v1_phase2_iv(const struct ike_v1_suite *s,
		     const struct ike_v1_keys *k, uint32_t mid, uint8_t *iv)
{
	uint8_t m[4], hv[IKE_V1_HASH_MAX];
	struct ike_chunk in[2] = { { k->iv, k->block_len }, { m, 4 } };
	int err;

	ike_put32(m, mid);
	err = ike_v1_hash(s->hash, in, 2, hv);
	if (!err)
		memcpy(iv, hv, k->block_len);
	OPENSSL_cleanse(hv, sizeof(hv));
	return err;
}

int ike_v1_info_hash(const struct ike_v1_suite *s,
		     const struct ike_v1_keys *k, uint32_t mid,
		     const uint8_t *pl, size_t pl_len, uint8_t *out)
{
	uint8_t m[4];
	struct ike_chunk in[2] = { { m, 4 }, { pl, pl_len } };

	ike_put32(m, mid);
	return ike_v1_prf(s->hash, k->skeyid_a, k->prf_len, in, 2, out);
}

void ike_v1_keys_wipe(struct ike_v1_keys *k)
{
	OPENSSL_cleanse(k, sizeof(*k));
}
