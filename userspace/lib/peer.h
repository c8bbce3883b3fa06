/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * SPIREC_CMD_GET_PEERS dump: one entry of the kernel's peer table.
 */
#ifndef SPIREC_PEER_H
#define SPIREC_PEER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "addr.h"

struct spirec_peer_row {
	struct spirec_addr addr;
	uint64_t packets;		/* packets with an unknown SPI */
	uint64_t events;		/* events sent */
	uint64_t suppressed;		/* packets not reported */
	uint32_t last_spi;
	uint8_t last_proto;		/* IPPROTO_ESP or IPPROTO_AH */
	uint8_t last_encap;		/* enum spirec_encap */
	uint64_t last_seen_ms;		/* milliseconds since last packet */
	bool known;			/* on the known-peer list */
};

/*
 * Parse one message of the SPIREC_CMD_GET_PEERS dump: its SPIREC_A_PEER
 * nest. Required: family and addr (length matching the family); counters
 * and last_* are 0 when absent, but when present last_proto must be ESP or
 * AH and last_encap a known encapsulation. Unknown attributes are ignored.
 * Returns 0, -ENOMSG for another command, -EBADMSG if malformed (then
 * *@why says why).
 */
int spirec_peer_row_parse(const void *buf, size_t len, struct spirec_peer_row *peer,
			  const char **why);

#endif
