/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The raw transport of the tests and the raw fuzzer: local
 * 198.51.100.2:4500 or [2001:db8::2]:4500, peer (the NAT)
 * 198.51.100.1:31337 or [2001:db8::1]:31337; no socket.
 */
#ifndef SPIREC_IKE_TEST_RAW_PAIR_H
#define SPIREC_IKE_TEST_RAW_PAIR_H

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <string.h>

#include "../transport.h"

static inline socklen_t test_raw_addr(struct sockaddr_storage *ss, bool v6,
				      const char *v4a, const char *v6a,
				      uint16_t port)
{
	struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;

	ss->ss_family = v6 ? AF_INET6 : AF_INET;
	if (v6)
		inet_pton(AF_INET6, v6a, &s6->sin6_addr);
	else
		inet_pton(AF_INET, v4a, &s4->sin_addr);
	ike_sockaddr_set_port((struct sockaddr *)ss, port);
	return v6 ? sizeof(*s6) : sizeof(*s4);
}

static inline void test_raw_pair(struct ike_transport *t, bool v6,
				 bool marker)
{
	memset(t, 0, sizeof(*t));
	t->fd = -1;
	t->raw = true;
	t->marker = marker;
	t->local_len = test_raw_addr(&t->local, v6, "198.51.100.2",
				     "2001:db8::2", 4500);
	t->peer_len = test_raw_addr(&t->peer, v6, "198.51.100.1",
				    "2001:db8::1", 31337);
}

#endif
