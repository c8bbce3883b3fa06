// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer: a request from the peer on our established IKE SA. The
 * input is [exchange type][message ID][flags][first payload type][inner
 * payload chain...]; the chain is sealed with the responder's keys and handed to
 * ike_peer_request(), which must answer, refuse or ignore it without
 * crashing. Answers go to a socketpair, never to a network.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../crypto_aead.h"
#include "../exchange.h"
#include "../proto.h"

static void noop_log(void *ctx, enum ike_log_level level, const char *msg)
{
	(void)ctx;
	(void)level;
	(void)msg;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ike_ctx *c;
	static struct ike_peer_cfg cfg = { .log = noop_log };
	static struct ike_result res;
	static int sv[2] = { -1, -1 };
	struct ike_rx *rx;
	struct ike_header h;
	size_t body, total;
	uint8_t flags, first;

	if (!c) {
		c = calloc(1, sizeof(*c));
		c->rx = malloc(sizeof(*c->rx));
		if (!c || !c->rx ||
		    socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, sv))
			abort();
		c->run.cfg = &cfg;
		c->run.res = &res;
		c->run.tr.fd = sv[0];
		c->spi_i = 0x0102030405060708ULL;
		c->spi_r = 0x1112131415161718ULL;
		c->suite = (struct ike_suite){ IKE_ENCR_AES_GCM_16, 128,
			IKE_INTEG_NONE, IKE_PRF_HMAC_SHA2_256,
			IKE_DH_CURVE25519 };
		memset(c->keys.sk_er, 0x42, sizeof(c->keys.sk_er));
		memset(c->keys.sk_ei, 0x24, sizeof(c->keys.sk_ei));
		c->established = true;
	}
	if (size < 4)
		return 0;
	/* Each input starts from the same SA state. */
	c->peer_mid = 0;
	c->have_last_resp = false;
	c->create_child_pending = false;
	c->peer_deleted = false;
	rx = c->rx;
	flags = data[2] & (IKE_FLAG_I | IKE_FLAG_R);
	h = (struct ike_header){
		.spi_i = c->spi_i, .spi_r = c->spi_r, .next = IKE_PL_SK,
		.version = IKE_VERSION, .exchange = data[0],
		.flags = flags, .msg_id = data[1] % 3,
	};
	first = data[3];
	data += 4;
	size -= 4;
	body = ike_sk_body_len(&c->suite, size);
	total = IKE_HDR_LEN + IKE_GEN_HDR_LEN + body;
	if (total > sizeof(rx->raw))
		return 0;
	h.length = (uint32_t)total;
	ike_header_write(rx->raw, &h);
	rx->raw[IKE_HDR_LEN] = first;
	rx->raw[IKE_HDR_LEN + 1] = 0;
	ike_put16(rx->raw + IKE_HDR_LEN + 2,
		  (uint16_t)(IKE_GEN_HDR_LEN + body));
	if (ike_sk_seal(&c->suite, c->keys.sk_er, NULL, rx->raw,
			IKE_HDR_LEN + IKE_GEN_HDR_LEN, data, size))
		abort();
	rx->len = total;
	rx->h = h;
	ike_peer_request(c);
	/* The same request again: a retransmission. */
	ike_peer_request(c);
	/* Drain whatever we answered. */
	{
		uint8_t buf[IKE_MSG_MAX];

		while (recv(sv[1], buf, sizeof(buf), MSG_DONTWAIT) > 0)
			;
	}
	return 0;
}
