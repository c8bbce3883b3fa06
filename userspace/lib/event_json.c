// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * JSON form of an event.
 */
#include <linux/spirec.h>

#include "event_json.h"
#include "json.h"

void spirec_event_write_json(const struct spirec_event_msg *ev, FILE *out)
{
	char src[INET6_ADDRSTRLEN], dst[INET6_ADDRSTRLEN], spi[11];
	struct spirec_json j;

	spirec_addr_format(&ev->src, src, sizeof(src));
	spirec_addr_format(&ev->dst, dst, sizeof(dst));
	snprintf(spi, sizeof(spi), "0x%08x", ev->spi);

	spirec_json_init(&j, out);
	spirec_json_obj_begin(&j);
	spirec_json_kv_str(&j, "family", spirec_family_name(ev->family));
	spirec_json_kv_str(&j, "src", src);
	spirec_json_kv_str(&j, "dst", dst);
	spirec_json_kv_str(&j, "spi", spi);
	spirec_json_kv_str(&j, "proto", spirec_proto_name(ev->proto));
	spirec_json_kv_str(&j, "encap", spirec_encap_name(ev->encap));
	if (ev->encap == SPIREC_ENCAP_UDP) {
		spirec_json_kv_u64(&j, "sport", ev->sport);
		spirec_json_kv_u64(&j, "dport", ev->dport);
	}
	spirec_json_kv_u64(&j, "ifindex", ev->ifindex);
	spirec_json_kv_u64(&j, "mark", ev->mark);
	spirec_json_kv_u64(&j, "suppressed", ev->suppressed);
	if (ev->live_sas_known)
		spirec_json_kv_u64(&j, "live_sas", ev->live_sas);
	spirec_json_obj_end(&j);
	fputc('\n', out);
}
