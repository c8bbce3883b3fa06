// SPDX-License-Identifier: GPL-2.0-or-later
/* Shared by the IKE fuzzers: run every typed parser on a payload list. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "../payloads.h"
#include "fuzz_common.h"

void ike_fuzz_payloads(const struct ike_payload_list *pl)
{
	static struct ike_sa_payload sa;

	for (size_t i = 0; i < pl->n; i++) {
		const struct ike_payload *p = &pl->pl[i];
		struct ike_typed_data td;
		struct ike_notify n;
		struct ike_delete d;
		struct ike_ke ke;

		switch (p->type) {
		case IKE_PL_SA:
			if (ike_sa_parse(p->body, p->len, &sa) == 0 &&
			    (sa.nprop == 0 || sa.nprop > IKE_MAX_PROPOSALS))
				abort();
			break;
		case IKE_PL_KE:
			if (ike_ke_parse(p->body, p->len, &ke) == 0 &&
			    ke.data + ke.len != p->body + p->len)
				abort();
			break;
		case IKE_PL_NONCE:
			ike_nonce_parse(p->body, p->len);
			break;
		case IKE_PL_IDI:
		case IKE_PL_IDR:
			ike_id_payload_parse(p->body, p->len, &td);
			break;
		case IKE_PL_AUTH:
			ike_auth_payload_parse(p->body, p->len, &td);
			break;
		case IKE_PL_NOTIFY:
			if (ike_notify_parse(p->body, p->len, &n) == 0 &&
			    n.data + n.data_len != p->body + p->len)
				abort();
			break;
		case IKE_PL_DELETE:
			ike_delete_parse(p->body, p->len, &d);
			break;
		}
	}
}
