// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer: an ISAKMP datagram as the peer sends it: header, payload
 * chain (exact and padded, as after decryption), and every payload body
 * through its parser: the responder's SA against a fixed offer,
 * Notification, Delete.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "../err.h"
#include "../v1_codec.h"
#include "../v1_proposal.h"
#include "../v1_proto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void bodies(const struct ike_payload_list *pl,
		   const struct ike_v1_proposals *offered)
{
	for (size_t i = 0; i < pl->n; i++) {
		const struct ike_payload *p = &pl->pl[i];
		struct ike_v1_suite s;
		struct ike_v1_notify n;
		struct ike_v1_delete d;
		char err[200];
		bool found = false;

		switch (p->type) {
		case IKE_V1_PL_SA:
			if (ike_v1_sa_parse(p->body, p->len, offered, &s, err,
					    sizeof(err)))
				break;
			for (size_t j = 0; j < offered->n; j++)
				found |= offered->t[j].encr == s.encr &&
					 offered->t[j].group == s.group &&
					 offered->t[j].hash == s.hash;
			if (!found)
				abort();
			break;
		case IKE_V1_PL_N:
			if (!ike_v1_notify_parse(p->body, p->len, &n) &&
			    8 + n.spi_len + n.data_len != p->len)
				abort();
			break;
		case IKE_V1_PL_D:
			if (!ike_v1_delete_parse(p->body, p->len, &d) &&
			    8 + (size_t)d.spi_size * d.nspis != p->len)
				abort();
			break;
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ike_v1_proposals offered;
	static int init;
	struct ike_payload_list pl;
	struct ike_header h;
	char err[200];

	if (!init) {
		if (ike_v1_proposals_parse("aes128-aes256-sha1-sha256-modp2048-ecp256,3des-sha1-modp1024",
					   &offered, err, sizeof(err)))
			abort();
		init = 1;
	}
	if (ike_v1_header_parse(data, size, &h) == IKE_OK) {
		if (ike_v1_payloads_parse(h.next, data + IKE_HDR_LEN,
					  size - IKE_HDR_LEN, false, &pl) ==
		    IKE_OK)
			bodies(&pl, &offered);
	}
	/* The same bytes as a decrypted body: first byte is the type. */
	if (size >= 1 && ike_v1_payloads_parse(data[0], data + 1, size - 1,
					       true, &pl) == IKE_OK)
		bodies(&pl, &offered);
	return 0;
}
