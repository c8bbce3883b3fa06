// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests: the not-a-black-hole rule (guard.c): the decision, the IKE
 * peer's addresses, which states count, the per-peer log rate limit, the
 * event loop's check and its counter.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "../guard.h"

static struct spirec_addr A(const char *s)
{
	struct spirec_addr a;

	assert_int_equal(spirec_addr_parse(s, &a), 0);
	return a;
}

static void test_decide(void **state)
{
	struct spirecd_guard_facts f = { 0 };

	(void)state;
	/* Nothing known: act (a real black hole, or every view missing). */
	assert_int_equal(spirecd_guard_decide(&f), SPIRECD_GUARD_NONE);
	/* Known and empty everywhere: act. */
	f.event_known = f.xfrm_known = f.ike_known = true;
	assert_int_equal(spirecd_guard_decide(&f), SPIRECD_GUARD_NONE);
	/* Any view with live state wins, in order. */
	f.ike_live = 1;
	assert_int_equal(spirecd_guard_decide(&f), SPIRECD_GUARD_IKE);
	f.xfrm_live = 3;
	assert_int_equal(spirecd_guard_decide(&f), SPIRECD_GUARD_XFRM);
	f.event_live = 2;
	assert_int_equal(spirecd_guard_decide(&f), SPIRECD_GUARD_EVENT);
	/* A count is only believed when its view is known. */
	f.event_known = f.xfrm_known = f.ike_known = false;
	assert_int_equal(spirecd_guard_decide(&f), SPIRECD_GUARD_NONE);
	/* The ENOBUFS catch-up has no live_sas: the dump decides. */
	memset(&f, 0, sizeof(f));
	f.xfrm_known = true;
	f.xfrm_live = 1;
	assert_int_equal(spirecd_guard_decide(&f), SPIRECD_GUARD_XFRM);
}

static const char conf[] =
	"[peer a4]\naddress = 192.0.2.1\nlocal_id = b.example\n"
	"remote_id = a.example\naction = hint\n"
	"[peer a6]\naddress = 2001:db8::1\nlocal_id = b.example\n"
	"remote_id = a.example\naction = hint\n"
	/* same remote_id, other local_id: another IKE identity pair */
	"[peer a-other]\naddress = 192.0.2.7\nlocal_id = c.example\n"
	"remote_id = a.example\naction = hint\n"
	/* same identities, but a prefix: not one address */
	"[peer a-net]\naddress = 198.51.100.0/24\nlocal_id = b.example\n"
	"remote_id = a.example\naction = hint\n"
	/* no remote_id: its identity is unknown, never grouped */
	"[peer x]\naddress = 203.0.113.1\nlocal_id = b.example\naction = hint\n"
	"[peer y]\naddress = 203.0.113.2\nlocal_id = b.example\naction = hint\n";

static void load(struct spirecd_config *cfg)
{
	assert_int_equal(spirecd_config_parse("t.conf", conf, strlen(conf),
					      false, cfg, stderr), 0);
}

static bool has(const struct spirec_addr *v, size_t n, const char *s)
{
	struct spirec_addr a = A(s);

	for (size_t i = 0; i < n; i++)
		if (v[i].family == a.family &&
		    !memcmp(v[i].bytes, a.bytes, spirec_addr_len(a.family)))
			return true;
	return false;
}

static void test_peer_addrs(void **state)
{
	struct spirec_addr out[SPIRECD_GUARD_MAX_ADDRS], src;
	struct spirecd_config cfg;
	const struct spirecd_peer_cfg *pc;
	size_t n;

	(void)state;
	load(&cfg);

	/* The IPv4 section: its own address and the IPv6 one. */
	src = A("192.0.2.1");
	pc = spirecd_config_find(&cfg, &src);
	assert_string_equal(pc->name, "a4");
	n = spirecd_guard_peer_addrs(&cfg, pc, &src, out, SPIRECD_GUARD_MAX_ADDRS);
	assert_int_equal(n, 2);
	assert_true(has(out, n, "192.0.2.1"));
	assert_true(has(out, n, "2001:db8::1"));
	assert_false(has(out, n, "192.0.2.7"));

	/* From the prefix section: the event's source first, then the
	 * single addresses with the same identities. */
	src = A("198.51.100.9");
	pc = spirecd_config_find(&cfg, &src);
	assert_string_equal(pc->name, "a-net");
	n = spirecd_guard_peer_addrs(&cfg, pc, &src, out, SPIRECD_GUARD_MAX_ADDRS);
	assert_int_equal(n, 3);
	assert_memory_equal(&out[0], &src, sizeof(src));
	assert_true(has(out, n, "192.0.2.1"));
	assert_true(has(out, n, "2001:db8::1"));

	/* Another local_id: alone. */
	src = A("192.0.2.7");
	pc = spirecd_config_find(&cfg, &src);
	n = spirecd_guard_peer_addrs(&cfg, pc, &src, out, SPIRECD_GUARD_MAX_ADDRS);
	assert_int_equal(n, 1);

	/* No remote_id: alone, even with the same local_id as another. */
	src = A("203.0.113.1");
	pc = spirecd_config_find(&cfg, &src);
	assert_string_equal(pc->name, "x");
	n = spirecd_guard_peer_addrs(&cfg, pc, &src, out, SPIRECD_GUARD_MAX_ADDRS);
	assert_int_equal(n, 1);

	/* Unlisted: alone. */
	src = A("192.0.2.200");
	n = spirecd_guard_peer_addrs(&cfg, NULL, &src, out, SPIRECD_GUARD_MAX_ADDRS);
	assert_int_equal(n, 1);
	assert_true(has(out, n, "192.0.2.200"));

	/* Bounded. */
	src = A("192.0.2.1");
	pc = spirecd_config_find(&cfg, &src);
	assert_int_equal(spirecd_guard_peer_addrs(&cfg, pc, &src, out, 1), 1);
	assert_int_equal(spirecd_guard_peer_addrs(&cfg, pc, &src, out, 0), 0);
	spirecd_config_free(&cfg);
}

static void test_sa_counts(void **state)
{
	struct spirec_addr addrs[2] = { A("192.0.2.1"), A("2001:db8::1") };
	struct spirecd_xfrm_sa sa = { 0 };

	(void)state;
	sa.family = AF_INET;
	sa.saddr = A("192.0.2.1");
	sa.daddr = A("198.51.100.2");
	sa.proto = IPPROTO_ESP;
	sa.spi = 0x1234;
	sa.valid = true;
	sa.mark = 99;			/* any mark */
	assert_true(spirecd_guard_sa_counts(&sa, addrs, 2));
	/* The peer's other address. */
	sa.family = AF_INET6;
	sa.saddr = A("2001:db8::1");
	sa.daddr = A("2001:db8::2");
	assert_true(spirecd_guard_sa_counts(&sa, addrs, 2));
	/* Our outbound SA to the peer does not say the peer is alive. */
	sa.saddr = A("2001:db8::2");
	sa.daddr = A("2001:db8::1");
	assert_false(spirecd_guard_sa_counts(&sa, addrs, 2));
	/* Larval. */
	sa.saddr = A("192.0.2.1");
	sa.valid = false;
	assert_false(spirecd_guard_sa_counts(&sa, addrs, 2));
	/* Another peer. */
	sa.valid = true;
	sa.saddr = A("192.0.2.2");
	assert_false(spirecd_guard_sa_counts(&sa, addrs, 2));
}

static void test_rate_limit(void **state)
{
	static struct spirecd_guard_rl rl;
	struct spirec_addr a = A("192.0.2.1"), b = A("2001:db8::1");
	uint64_t sup = 77, t = 1000000;

	(void)state;
	assert_true(spirecd_guard_rl_allow(&rl, &a, t, &sup));
	assert_int_equal(sup, 0);
	/* The same peer within the minute: held back, counted. */
	assert_false(spirecd_guard_rl_allow(&rl, &a, t + 1, &sup));
	assert_false(spirecd_guard_rl_allow(&rl, &a, t + 59999, &sup));
	/* Another peer is not held back by the first. */
	assert_true(spirecd_guard_rl_allow(&rl, &b, t + 2, &sup));
	assert_int_equal(sup, 0);
	/* A minute later: logged, with the count of lines held back. */
	assert_true(spirecd_guard_rl_allow(&rl, &a, t + 60000, &sup));
	assert_int_equal(sup, 2);
	assert_false(spirecd_guard_rl_allow(&rl, &a, t + 60001, &sup));
	assert_true(spirecd_guard_rl_allow(&rl, &a, t + 200000, &sup));
	assert_int_equal(sup, 1);

	/* A full table reuses the entry logged longest ago. */
	memset(&rl, 0, sizeof(rl));
	for (unsigned int i = 0; i < SPIRECD_GUARD_RL_SLOTS; i++) {
		struct spirec_addr x = a;

		x.bytes[2] = (uint8_t)(i >> 8);
		x.bytes[3] = (uint8_t)i;
		assert_true(spirecd_guard_rl_allow(&rl, &x, t + i, &sup));
	}
	assert_true(spirecd_guard_rl_allow(&rl, &b, t + 1000, &sup));
	/* b took the slot of x = 192.0.0.0, the oldest... */
	a.bytes[2] = a.bytes[3] = 0;
	assert_true(spirecd_guard_rl_allow(&rl, &a, t + 1001, &sup));
	/* ...which evicted the next oldest, not b: b is still held back. */
	assert_false(spirecd_guard_rl_allow(&rl, &b, t + 1002, &sup));
}

static void test_event_check(void **state)
{
	struct spirecd_guard_counters c0, c1;
	struct spirec_event ev = { 0 };

	(void)state;
	ev.family = AF_INET;
	ev.src = A("192.0.2.1");
	ev.dst = A("198.51.100.2");
	ev.spi = 0xdeadbeef;
	ev.proto = IPPROTO_ESP;

	spirecd_guard_counters(&c0);
	/* An older module or the peer-table catch-up: no live_sas. */
	assert_false(spirecd_guard_event("a (192.0.2.1)", &ev));
	/* The module counted no live SA: a black hole. */
	ev.live_sas_known = true;
	assert_false(spirecd_guard_event("a (192.0.2.1)", &ev));
	/* Live SAs: ignored, twice (the second line rate-limited). */
	ev.live_sas = 2;
	assert_true(spirecd_guard_event("a (192.0.2.1)", &ev));
	assert_true(spirecd_guard_event("a (192.0.2.1)", &ev));
	spirecd_guard_counters(&c1);
	assert_int_equal(c1.ignored_event - c0.ignored_event, 2);
	assert_int_equal(c1.log_suppressed - c0.log_suppressed, 1);
	assert_int_equal(c1.ignored_xfrm, c0.ignored_xfrm);
	assert_int_equal(c1.acted, c0.acted);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decide),
		cmocka_unit_test(test_peer_addrs),
		cmocka_unit_test(test_sa_counts),
		cmocka_unit_test(test_rate_limit),
		cmocka_unit_test(test_event_check),
	};

	return cmocka_run_group_tests_name("spirecd_guard", tests, NULL, NULL);
}
