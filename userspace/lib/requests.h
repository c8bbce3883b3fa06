/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The spirec requests, one function each, on top of spirec_nl: what
 * spirecctl and spirecd ask the kernel. Every function returns 0 or a
 * negative errno with one line in spirec_nl_error().
 */
#ifndef SPIREC_REQUESTS_H
#define SPIREC_REQUESTS_H

#include "addr.h"
#include "nl.h"
#include "peer.h"
#include "stats.h"

/* SPIREC_CMD_GET_STATS. */
int spirec_get_stats(struct spirec_nl *nl, struct spirec_stats_reply *st);

/*
 * SPIREC_CMD_GET_PEERS: @cb gets every entry; a negative return from it
 * makes the dump fail with that error (the rest is still read).
 */
int spirec_dump_peers(struct spirec_nl *nl,
		      int (*cb)(const struct spirec_peer_row *peer, void *data),
		      void *data);

/* SPIREC_CMD_KNOWN_GET, the same way. */
int spirec_dump_known(struct spirec_nl *nl,
		      int (*cb)(const struct spirec_cidr *pfx, void *data),
		      void *data);

/* SPIREC_CMD_KNOWN_ADD / SPIREC_CMD_KNOWN_DEL of exactly @pfx. */
int spirec_known_add(struct spirec_nl *nl, const struct spirec_cidr *pfx);
int spirec_known_del(struct spirec_nl *nl, const struct spirec_cidr *pfx);

/* SPIREC_CMD_FLUSH_PEERS. */
int spirec_flush_peers(struct spirec_nl *nl);

#endif
