/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * SPIREC_CMD_KNOWN_GET dump: one entry of the known-peer list.
 */
#ifndef SPIREC_KNOWN_H
#define SPIREC_KNOWN_H

#include <stddef.h>

#include "addr.h"

/*
 * Parse one message of the SPIREC_CMD_KNOWN_GET dump. Required: family and
 * addr (length matching the family); prefixlen defaults to the full
 * length and must not exceed it. Unknown attributes are ignored.
 * Returns 0, -ENOMSG for another command, -EBADMSG if malformed (then
 * *@why says why).
 */
int spirec_known_parse(const void *buf, size_t len, struct spirec_cidr *pfx,
		       const char **why);

#endif
