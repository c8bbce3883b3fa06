/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * An event as one line of JSON, the format of `spirecctl -j monitor`.
 */
#ifndef SPIREC_EVENT_JSON_H
#define SPIREC_EVENT_JSON_H

#include <stdio.h>

#include "event.h"

/*
 * Write @ev as one JSON object followed by '\n', with exactly these keys
 * in this order: family ("inet"|"inet6"), src, dst, spi ("0x%08x"), proto
 * ("esp"|"ah"), encap ("none"|"udp"), sport and dport (numbers, only when
 * encap is "udp"), ifindex, mark, suppressed (numbers).
 */
void spirec_event_write_json(const struct spirec_event_msg *ev, FILE *out);

#endif
