/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * SPIREC_CMD_EVENT: one packet whose SPI matched no xfrm state.
 */
#ifndef SPIREC_EVENT_H
#define SPIREC_EVENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "addr.h"

struct spirec_event_msg {
	uint16_t family;		/* AF_INET or AF_INET6 */
	struct spirec_addr src;		/* the peer */
	struct spirec_addr dst;		/* this host */
	uint32_t spi;
	uint8_t proto;			/* IPPROTO_ESP or IPPROTO_AH */
	uint8_t encap;			/* enum spirec_encap */
	uint16_t sport, dport;		/* SPIREC_ENCAP_UDP only, else 0 */
	uint32_t ifindex;
	uint32_t mark;
	uint64_t suppressed;
	/* SPIREC_A_LIVE_SAS: valid states from src to dst at the event. */
	uint32_t live_sas;
	bool live_sas_known;		/* the module sent live_sas */
};

/*
 * Parse one netlink message (@len bytes at @buf, 4-byte aligned) holding a
 * SPIREC_CMD_EVENT. Required: family, src, dst, spi, proto, encap, and
 * sport + dport exactly when encap is UDP. ifindex, mark, suppressed and
 * live_sas are 0 when absent (live_sas_known says whether it was sent). Unknown attributes are ignored.
 *
 * Returns 0, -ENOMSG if the message is another command, or -EBADMSG if it
 * is malformed or inconsistent; then *@why (if @why) says what was wrong.
 */
int spirec_event_msg_parse(const void *buf, size_t len, struct spirec_event_msg *ev,
			   const char **why);

/* "esp" or "ah" (or "unknown"), and "none" or "udp" (or "unknown"). */
const char *spirec_proto_name(uint8_t proto);
const char *spirec_encap_name(uint8_t encap);

#endif
