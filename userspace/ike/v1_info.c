// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Encryption of IKEv1 messages (RFC 2408 3.1, RFC 2409 appendix B) and
 * the protected Informational exchange (RFC 2409 5.7: HASH(1) =
 * prf(SKEYID_a, M-ID | N/D)).
 */
#include <string.h>

#include <openssl/crypto.h>

#include "err.h"
#include "v1_exchange.h"
#include "v1_proto.h"

size_t ike_v1_seal(const struct ike_v1_suite *s, const struct ike_v1_keys *k,
		   uint8_t *iv, const struct ike_header *h,
		   const uint8_t *chain, size_t chain_len, uint8_t first,
		   uint8_t *out, size_t cap)
{
	size_t bs = k->block_len, pad, total;
	struct ike_header hh = *h;

	if (!bs)
		return 0;
	pad = (bs - chain_len % bs) % bs;
	total = IKE_HDR_LEN + chain_len + pad;
	if (!chain_len || total > cap)
		return 0;
	hh.next = first;
	hh.version = IKE_V1_VERSION;
	hh.flags |= IKE_V1_FLAG_E;
	hh.length = (uint32_t)total;
	ike_header_write(out, &hh);
	memcpy(out + IKE_HDR_LEN, chain, chain_len);
	memset(out + IKE_HDR_LEN + chain_len, 0, pad);
	if (ike_v1_cbc(s->encr, k->enc_key, k->key_len, iv, out + IKE_HDR_LEN,
		       chain_len + pad, true))
		return 0;
	return total;
}

size_t ike_v1_info_build(const struct ike_v1_suite *s,
			 const struct ike_v1_keys *k, uint64_t cky_i,
			 uint64_t cky_r, uint32_t mid,
			 const struct ike_builder *chain,
			 uint8_t *out, size_t cap)
{
	struct ike_header h = {
		.spi_i = cky_i, .spi_r = cky_r,
		.exchange = IKE_V1_EXCH_INFO, .msg_id = mid,
	};
	uint8_t plain[IKE_MSG_MAX], iv[IKE_V1_BLOCK_MAX];
	size_t hl = k->prf_len, len = 0, n = 0;

	if (chain->overflow || !chain->len ||
	    IKE_GEN_HDR_LEN + hl + chain->len > sizeof(plain))
		return 0;
	/* HASH payload first, the chain after it. */
	plain[0] = ike_builder_first_type(chain);
	plain[1] = 0;
	ike_put16(plain + 2, (uint16_t)(IKE_GEN_HDR_LEN + hl));
	memcpy(plain + IKE_GEN_HDR_LEN + hl, chain->buf, chain->len);
	len = IKE_GEN_HDR_LEN + hl + chain->len;
	if (ike_v1_info_hash(s, k, mid, chain->buf, chain->len,
			     plain + IKE_GEN_HDR_LEN) ||
	    ike_v1_phase2_iv(s, k, mid, iv))
		goto out;
	n = ike_v1_seal(s, k, iv, &h, plain, len, IKE_V1_PL_HASH, out, cap);
out:
	OPENSSL_cleanse(plain, sizeof(plain));
	OPENSSL_cleanse(iv, sizeof(iv));
	return n;
}

int ike_v1_info_open(const struct ike_v1_suite *s,
		     const struct ike_v1_keys *k, const uint8_t *msg,
		     size_t len, uint8_t *plain, struct ike_payload_list *pl)
{
	uint8_t iv[IKE_V1_BLOCK_MAX], hv[IKE_V1_HASH_MAX];
	struct ike_header h;
	size_t body, hl = k->prf_len, off;
	int rc;

	rc = ike_v1_header_parse(msg, len, &h);
	if (rc)
		return rc;
	if (h.exchange != IKE_V1_EXCH_INFO || !(h.flags & IKE_V1_FLAG_E) ||
	    h.next != IKE_V1_PL_HASH)
		return IKE_E_SYNTAX;
	body = len - IKE_HDR_LEN;
	if (!body || body % k->block_len)
		return IKE_E_LENGTH;
	rc = ike_v1_phase2_iv(s, k, h.msg_id, iv);
	if (rc)
		return rc;
	memcpy(plain, msg + IKE_HDR_LEN, body);
	rc = ike_v1_cbc(s->encr, k->enc_key, k->key_len, iv, plain, body,
			false);
	if (rc)
		goto out;
	rc = ike_v1_payloads_parse(IKE_V1_PL_HASH, plain, body, true, pl);
	if (rc)
		goto out;
	if (pl->n < 1 || pl->pl[0].type != IKE_V1_PL_HASH ||
	    pl->pl[0].len != hl) {
		rc = IKE_E_SYNTAX;
		goto out;
	}
	/* Everything after the HASH payload up to the end of the chain. */
	off = IKE_GEN_HDR_LEN + hl;
	{
		size_t end = off;
		uint8_t type = plain[0];

		while (type != IKE_V1_PL_NONE) {
			type = plain[end];
			end += ike_get16(plain + end + 2);
		}
		rc = ike_v1_info_hash(s, k, h.msg_id, plain + off, end - off,
				      hv);
	}
	if (rc)
		goto out;
	if (CRYPTO_memcmp(hv, pl->pl[0].body, hl))
		rc = IKE_E_INTEGRITY;
out:
	OPENSSL_cleanse(iv, sizeof(iv));
	OPENSSL_cleanse(hv, sizeof(hv));
	return rc;
}
