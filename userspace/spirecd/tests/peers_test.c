// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests: one recovery per peer at a time, hold-down, bounded entries
 * for unlisted peers, state kept across a reload.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "../peers.h"

static const char conf[] =
	"[global]\nholddown = 30s\naction = hint\n"
	"[peer a]\naddress = 192.0.2.1\naction = hint\n"
	"[peer net]\naddress = 198.51.100.0/24\naction = hint\n";

static void load(const char *text, struct spirecd_config *cfg)
{
	assert_int_equal(spirecd_config_parse("t.conf", text, strlen(text),
					      false, cfg, stderr), 0);
}

static struct spirec_addr A(const char *s)
{
	struct spirec_addr a;

	assert_int_equal(spirec_addr_parse(s, &a), 0);
	return a;
}

static void test_one_at_a_time_then_holddown(void **state)
{
	struct spirecd_config cfg;
	struct spirecd_peers t;
	struct spirec_addr a = A("192.0.2.1");
	const struct spirecd_peer_cfg *pc;
	uint64_t left = 0;

	(void)state;
	load(conf, &cfg);
	assert_int_equal(spirecd_peers_init(&t, &cfg), 0);
	pc = spirecd_config_find(&cfg, &a);
	assert_string_equal(pc->name, "a");

	assert_int_equal(spirecd_peers_claim(&t, &cfg, pc, &a, 1000, &left), SPIRECD_RUN);
	assert_int_equal(spirecd_peers_claim(&t, &cfg, pc, &a, 1001, &left), SPIRECD_BUSY);
	spirecd_peers_release(&t, pc, &a, true, 5000, cfg.holddown_ms);
	assert_int_equal(spirecd_peers_claim(&t, &cfg, pc, &a, 6000, &left), SPIRECD_HOLDDOWN);
	assert_int_equal(left, 29000);
	assert_int_equal(spirecd_peers_claim(&t, &cfg, pc, &a, 34999, &left), SPIRECD_HOLDDOWN);
	assert_int_equal(left, 1);
	assert_int_equal(spirecd_peers_claim(&t, &cfg, pc, &a, 35000, &left), SPIRECD_RUN);
	assert_int_equal(t.st[0].attempts, 2);
	assert_int_equal(t.st[0].successes, 1);
	spirecd_peers_destroy(&t);
	spirecd_config_free(&cfg);
}

/* Every address of a configured prefix is one peer. */
static void test_prefix_is_one_peer(void **state)
{
	struct spirecd_config cfg;
	struct spirecd_peers t;
	struct spirec_addr a = A("198.51.100.1"), b = A("198.51.100.2");
	uint64_t left;

	(void)state;
	load(conf, &cfg);
	assert_int_equal(spirecd_peers_init(&t, &cfg), 0);
	assert_int_equal(spirecd_peers_claim(&t, &cfg, spirecd_config_find(&cfg, &a), &a, 1, &left),
			 SPIRECD_RUN);
	assert_int_equal(spirecd_peers_claim(&t, &cfg, spirecd_config_find(&cfg, &b), &b, 2, &left),
			 SPIRECD_BUSY);
	spirecd_peers_destroy(&t);
	spirecd_config_free(&cfg);
}

/* Unlisted peers: a bounded number of entries, freed by their hold-down
 * only, so a flood of sources can neither grow memory nor skip one. */
static void test_unlisted_bounded(void **state)
{
	struct spirecd_config cfg;
	struct spirecd_peers t;
	struct spirec_addr a;
	uint64_t left;
	char s[64];
	int i;

	(void)state;
	load(conf, &cfg);
	assert_int_equal(spirecd_peers_init(&t, &cfg), 0);
	for (i = 0; i < SPIRECD_UNLISTED_SLOTS; i++) {
		snprintf(s, sizeof(s), "2001:db8::%x", i + 1);
		a = A(s);
		assert_int_equal(spirecd_peers_claim(&t, &cfg, NULL, &a, 100, &left),
				 SPIRECD_RUN);
		spirecd_peers_release(&t, NULL, &a, false, 100, cfg.holddown_ms);
	}
	a = A("203.0.113.1");
	assert_int_equal(spirecd_peers_claim(&t, &cfg, NULL, &a, 200, &left), SPIRECD_FULL);
	/* The first one is still held down. */
	a = A("2001:db8::1");
	assert_int_equal(spirecd_peers_claim(&t, &cfg, NULL, &a, 200, &left), SPIRECD_HOLDDOWN);
	/* Once hold-downs are over, entries are reused. */
	a = A("203.0.113.1");
	assert_int_equal(spirecd_peers_claim(&t, &cfg, NULL, &a, 30100, &left), SPIRECD_RUN);
	assert_int_equal(spirecd_peers_claim(&t, &cfg, NULL, &a, 30101, &left), SPIRECD_BUSY);
	assert_int_equal(t.n, cfg.npeers + SPIRECD_UNLISTED_SLOTS);
	spirecd_peers_destroy(&t);
	spirecd_config_free(&cfg);
}

static void test_reload_keeps_state(void **state)
{
	struct spirecd_config cfg, cfg2;
	struct spirecd_peers t;
	struct spirec_addr a = A("192.0.2.1"), n = A("198.51.100.9");
	uint64_t left;

	(void)state;
	load(conf, &cfg);
	assert_int_equal(spirecd_peers_init(&t, &cfg), 0);
	assert_int_equal(spirecd_peers_claim(&t, &cfg, spirecd_config_find(&cfg, &a), &a, 10, &left),
			 SPIRECD_RUN);
	assert_int_equal(spirecd_peers_claim(&t, &cfg, spirecd_config_find(&cfg, &n), &n, 10, &left),
			 SPIRECD_RUN);
	spirecd_peers_release(&t, spirecd_config_find(&cfg, &n), &n, true, 10, 30000);
	/* New file: peers in another order, one more, "net" with a new prefix. */
	load("[peer new]\naddress = 203.0.113.5\naction = hint\n"
	     "[peer net]\naddress = 198.51.100.0/25\naction = hint\n"
	     "[peer a]\naddress = 192.0.2.1\naction = hint\n", &cfg2);
	assert_int_equal(spirecd_peers_rebuild(&t, &cfg2), 0);
	spirecd_config_free(&cfg);
	/* a is still running; its release finds it in the new table. */
	assert_int_equal(spirecd_peers_claim(&t, &cfg2, spirecd_config_find(&cfg2, &a), &a, 20, &left),
			 SPIRECD_BUSY);
	spirecd_peers_release(&t, spirecd_config_find(&cfg2, &a), &a, true, 20, 30000);
	assert_int_equal(spirecd_peers_claim(&t, &cfg2, spirecd_config_find(&cfg2, &a), &a, 21, &left),
			 SPIRECD_HOLDDOWN);
	/* "net" changed prefix: a new peer, no hold-down. */
	assert_int_equal(spirecd_peers_claim(&t, &cfg2, spirecd_config_find(&cfg2, &n), &n, 21, &left),
			 SPIRECD_RUN);
	spirecd_peers_destroy(&t);
	spirecd_config_free(&cfg2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_one_at_a_time_then_holddown),
		cmocka_unit_test(test_prefix_is_one_peer),
		cmocka_unit_test(test_unlisted_bounded),
		cmocka_unit_test(test_reload_keeps_state),
	};

	return cmocka_run_group_tests_name("spirecd_peers", tests, NULL, NULL);
}
