// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cmocka tests of the raw transport's datagram builder and parser (the
 * path spirecd takes to reach a peer behind a NAT from port 4500).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include <cmocka.h>

#include "../codec.h"
#include "../proto.h"
#include "../transport.h"
#include "raw_pair.h"

/* Raw transports with the marker (raw_pair.h). */
static void t4(struct ike_transport *t)
{
	test_raw_pair(t, false, true);
}

static void t6(struct ike_transport *t)
{
	test_raw_pair(t, true, true);
}

/* The peer's view: swap local and peer. */
static void swap(struct ike_transport *t)
{
	struct sockaddr_storage s = t->local;

	t->local = t->peer;
	t->peer = s;
}

static void msg(uint8_t *m, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		m[i] = (uint8_t)(0x40 + i);
	ike_put32(m + 24, (uint32_t)len);
}

/* IPv4 header in front of a UDP datagram, as a raw socket returns it. */
static size_t ip4(const struct ike_transport *from, uint8_t *out,
		  const uint8_t *udp, size_t len)
{
	memset(out, 0, 20);
	out[0] = 0x45;
	ike_put16(out + 2, (uint16_t)(20 + len));
	out[8] = 64;
	out[9] = 17;
	memcpy(out + 12, &((const struct sockaddr_in *)&from->local)->sin_addr, 4);
	memcpy(out + 16, &((const struct sockaddr_in *)&from->peer)->sin_addr, 4);
	memcpy(out + 20, udp, len);
	return 20 + len;
}

static void test_build_v4(void **state)
{
	struct ike_transport t;
	uint8_t m[IKE_HDR_LEN + 4], out[128];
	size_t n;

	(void)state;
	t4(&t);
	msg(m, sizeof(m));
	n = ike_raw_build(&t, m, sizeof(m), out, sizeof(out));
	assert_int_equal(n, 8 + 4 + sizeof(m));
	assert_int_equal(ike_get16(out), 4500);
	assert_int_equal(ike_get16(out + 2), 31337);
	assert_int_equal(ike_get16(out + 4), n);
	assert_int_not_equal(ike_get16(out + 6), 0);
	assert_int_equal(ike_get32(out + 8), 0);	/* non-ESP marker */
	assert_memory_equal(out + 12, m, sizeof(m));
	/* Too small a buffer: nothing. */
	assert_int_equal(ike_raw_build(&t, m, sizeof(m), out, n - 1), 0);
}

/* What we build, the peer parses: checksum and ports line up. */
static void roundtrip(void (*init)(struct ike_transport *), bool v4)
{
	struct ike_transport me, peer;
	uint8_t m[IKE_HDR_LEN + 5], udp[128], pkt[160];
	size_t n, len, mlen;
	ssize_t off;

	init(&me);
	init(&peer);
	swap(&peer);
	msg(m, sizeof(m));
	n = ike_raw_build(&peer, m, sizeof(m), udp, sizeof(udp));
	assert_true(n > 0);
	len = v4 ? ip4(&peer, pkt, udp, n) : (memcpy(pkt, udp, n), n);
	off = ike_raw_parse(&me, pkt, len, &mlen);
	assert_true(off > 0);
	assert_int_equal(mlen, sizeof(m));
	assert_memory_equal(pkt + off, m, sizeof(m));

	/* A flipped byte of the ports, the length's high byte or the
	 * marker is refused (checksums are not verified: offloads leave
	 * partial sums; a shorter UDP length is a shorter datagram). */
	for (size_t i = 0; i < 12; i++) {
		if (i == 5 || i == 6 || i == 7)
			continue;
		size_t at = (v4 ? 20 : 0) + i;

		pkt[at] ^= 0x01;
		assert_int_equal(ike_raw_parse(&me, pkt, len, &mlen), -1);
		pkt[at] ^= 0x01;
	}
	/* Every truncation is refused. */
	for (size_t l = 0; l < len; l++)
		assert_int_equal(ike_raw_parse(&me, pkt, l, &mlen), -1);
	/* Our own datagram (wrong direction) is refused. */
	n = ike_raw_build(&me, m, sizeof(m), udp, sizeof(udp));
	len = v4 ? ip4(&me, pkt, udp, n) : (memcpy(pkt, udp, n), n);
	assert_int_equal(ike_raw_parse(&me, pkt, len, &mlen), -1);
}

static void test_roundtrip_v4(void **state) { (void)state; roundtrip(t4, true); }
static void test_roundtrip_v6(void **state) { (void)state; roundtrip(t6, false); }

/* IPv4 may leave the UDP checksum out; a zero marker is required. */
static void test_v4_zero_checksum_and_esp(void **state)
{
	struct ike_transport me, peer;
	uint8_t m[IKE_HDR_LEN], udp[128], pkt[160];
	size_t n, len, mlen;

	(void)state;
	t4(&me);
	t4(&peer);
	swap(&peer);
	msg(m, sizeof(m));
	n = ike_raw_build(&peer, m, sizeof(m), udp, sizeof(udp));
	ike_put16(udp + 6, 0);
	len = ip4(&peer, pkt, udp, n);
	assert_int_equal(ike_raw_parse(&me, pkt, len, &mlen), 32);
	/* ESP (non-zero first word) on the same ports is not for us. */
	ike_put32(pkt + 28, 0x12345678);
	assert_int_equal(ike_raw_parse(&me, pkt, len, &mlen), -1);
	/* Another source address is not for us. */
	ike_put32(pkt + 28, 0);
	pkt[15] ^= 1;
	assert_int_equal(ike_raw_parse(&me, pkt, len, &mlen), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_build_v4),
		cmocka_unit_test(test_roundtrip_v4),
		cmocka_unit_test(test_roundtrip_v6),
		cmocka_unit_test(test_v4_zero_checksum_and_esp),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
