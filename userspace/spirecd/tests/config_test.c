// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests: spirecd.conf parsing. Every key, every error message with
 * its line number, psk_file permissions.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <pwd.h>
#include <unistd.h>

#include "../config.h"

static char errbuf[8192];

/* Parse @text; the problems land in errbuf. */
static unsigned int parse(const char *text, struct spirecd_config *cfg)
{
	FILE *f = fmemopen(errbuf, sizeof(errbuf), "w");
	unsigned int n;

	assert_non_null(f);
	n = spirecd_config_parse("t.conf", text, strlen(text), false, cfg, f);
	fclose(f);
	return n;
}

/* @text must fail with exactly one problem, @want. */
static void expect_error(const char *text, const char *want)
{
	struct spirecd_config cfg;
	char line[512];

	snprintf(line, sizeof(line), "%s\n", want);
	if (parse(text, &cfg) != 1 || strcmp(errbuf, line))
		fail_msg("for:\n%s\nwanted: %sgot: %s", text, line, errbuf);
	assert_int_equal(cfg.npeers, 0);
	assert_null(cfg.peers);
}

static void test_defaults(void **state)
{
	struct spirecd_config cfg;

	(void)state;
	assert_int_equal(parse("", &cfg), 0);
	assert_int_equal(cfg.action, SPIRECD_ACTION_NONE);
	assert_int_equal(cfg.holddown_ms, 30000);
	assert_int_equal(cfg.holddown_max_ms, 15 * 60000);
	assert_int_equal(cfg.holddown_reset_ms, 15 * 60000);
	/* Safe by default: only configured peers are reported. */
	assert_true(cfg.known_peers_only);
	assert_string_equal(cfg.status_file, "/run/spirec/spirecd.status");
	assert_true(cfg.enable);
	assert_int_equal(cfg.workers, 16);
	assert_int_equal(cfg.exec_timeout_ms, 10000);
	assert_int_equal(cfg.vici_timeout_ms, 10000);
	assert_int_equal(cfg.ike_timeout_ms, 1000);
	assert_int_equal(cfg.rcvbuf, 1 << 20);
	assert_int_equal(cfg.npeers, 0);
	assert_string_equal(cfg.path, "t.conf");
	spirecd_config_free(&cfg);
}

static const char full[] =
	"# comment\n"
	"; another comment\n"
	"[global]\n"
	"action = hint              # default for peers not listed\n"
	"holddown = 2m\n"
	"holddown_max = 1h\n"
	"holddown_reset = 0\n"
	"status_file = /run/x/spirecd.status\n"
	"known_peers_only = no\n"
	"enable = no\n"
	"workers = 8\n"
	"exec = /usr/local/sbin/default-hook\n"
	"exec_timeout = 5s\n"
	"vici_timeout = 1500ms\n"
	"ike_timeout = 250ms\n"
	"rcvbuf = 256k\n"
	"\n"
	"[peer router-a]\n"
	"  address = 192.0.2.1        ; an address\n"
	"  local_id = 192.0.2.2\n"
	"  remote_id = 192.0.2.1\n"
	"  psk = \"a secret # not a comment \\\"quoted\\\" \\\\\"   # comment\n"
	"  ike = aes256-sha256-modp2048\n"
	"  action = ikev2\n"
	"[peer net.b_2]\r\n"
	"address = 2001:db8::/32\r\n"
	"action = vici\r\n"
	"vici_socket = unix:///run/charon.vici\r\n"
	"vici_child = net-net\r\n"
	"vici_ike = gw\r\n"
	"[peer c]\n"
	"address = 198.51.100.0/24\n"
	"action = exec\n"
	"exec = /usr/local/sbin/on-invalid-spi\n"
	"[peer d]\n"
	"address = 203.0.113.9\n"
	"local_id = d.example.org\n"
	"psk = 0x00ff10\n";

static void test_every_key(void **state)
{
	struct spirecd_config cfg;
	const struct spirecd_peer_cfg *p;
	char buf[SPIREC_ADDR_STRLEN];

	(void)state;
	assert_int_equal(parse(full, &cfg), 0);
	assert_int_equal(cfg.action, SPIRECD_ACTION_HINT);
	assert_int_equal(cfg.holddown_ms, 120000);
	assert_int_equal(cfg.holddown_max_ms, 3600000);
	assert_int_equal(cfg.holddown_reset_ms, 0);
	assert_string_equal(cfg.status_file, "/run/x/spirecd.status");
	assert_false(cfg.known_peers_only);
	assert_false(cfg.enable);
	assert_int_equal(cfg.workers, 8);
	assert_string_equal(cfg.exec, "/usr/local/sbin/default-hook");
	assert_int_equal(cfg.exec_timeout_ms, 5000);
	assert_int_equal(cfg.vici_timeout_ms, 1500);
	assert_int_equal(cfg.ike_timeout_ms, 250);
	assert_int_equal(cfg.rcvbuf, 256 * 1024);
	assert_int_equal(cfg.npeers, 4);

	p = &cfg.peers[0];
	assert_string_equal(p->name, "router-a");
	assert_int_equal(p->line, 18);
	assert_string_equal(spirec_cidr_format(&p->prefix, buf, sizeof(buf)),
			    "192.0.2.1/32");
	assert_string_equal(p->local_id, "192.0.2.2");
	assert_string_equal(p->remote_id, "192.0.2.1");
	assert_int_equal(p->psk_len, strlen("a secret # not a comment \"quoted\" \\"));
	assert_memory_equal(p->psk, "a secret # not a comment \"quoted\" \\",
			    p->psk_len);
	assert_string_equal(p->ike, "aes256-sha256-modp2048");
	assert_int_equal(p->action, SPIRECD_ACTION_IKEV2);

	p = &cfg.peers[1];
	assert_string_equal(p->name, "net.b_2");
	assert_string_equal(spirec_cidr_format(&p->prefix, buf, sizeof(buf)),
			    "2001:db8::/32");
	assert_int_equal(p->action, SPIRECD_ACTION_VICI);
	assert_string_equal(p->vici_socket, "/run/charon.vici");
	assert_string_equal(p->vici_child, "net-net");
	assert_string_equal(p->vici_ike, "gw");

	p = &cfg.peers[2];
	assert_int_equal(p->action, SPIRECD_ACTION_EXEC);
	assert_string_equal(p->exec, "/usr/local/sbin/on-invalid-spi");

	p = &cfg.peers[3];
	assert_int_equal(p->action, SPIRECD_ACTION_IKEV2);	/* default */
	assert_int_equal(p->psk_len, 3);
	assert_memory_equal(p->psk, "\x00\xff\x10", 3);
	assert_null(p->ike);
	assert_null(p->remote_id);
	spirecd_config_free(&cfg);
}

static void test_find_longest_prefix(void **state)
{
	struct spirecd_config cfg;
	struct spirec_addr a;

	(void)state;
	assert_int_equal(parse("[peer net]\naddress = 198.51.100.0/24\naction = none\n"
			       "[peer host]\naddress = 198.51.100.7\naction = hint\n"
			       "[peer v6]\naddress = 2001:db8::/32\naction = none\n",
			       &cfg), 0);
	spirec_addr_parse("198.51.100.7", &a);
	assert_string_equal(spirecd_config_find(&cfg, &a)->name, "host");
	spirec_addr_parse("198.51.100.8", &a);
	assert_string_equal(spirecd_config_find(&cfg, &a)->name, "net");
	spirec_addr_parse("198.51.101.8", &a);
	assert_null(spirecd_config_find(&cfg, &a));
	spirec_addr_parse("2001:db8:1::1", &a);
	assert_string_equal(spirecd_config_find(&cfg, &a)->name, "v6");
	spirec_addr_parse("2001:db9::1", &a);
	assert_null(spirecd_config_find(&cfg, &a));
	spirecd_config_free(&cfg);
}

static void test_durations(void **state)
{
	unsigned int ms;

	(void)state;
	assert_true(spirecd_duration_parse("30", 100000, &ms));
	assert_int_equal(ms, 30000);
	assert_true(spirecd_duration_parse("30s", 100000, &ms));
	assert_int_equal(ms, 30000);
	assert_true(spirecd_duration_parse("250ms", 100000, &ms));
	assert_int_equal(ms, 250);
	assert_true(spirecd_duration_parse("1m", 100000, &ms));
	assert_int_equal(ms, 60000);
	assert_true(spirecd_duration_parse("1h", 3600000, &ms));
	assert_int_equal(ms, 3600000);
	assert_false(spirecd_duration_parse("2h", 3600000, &ms));
	assert_false(spirecd_duration_parse("", 1000, &ms));
	assert_false(spirecd_duration_parse("-1s", 1000, &ms));
	assert_false(spirecd_duration_parse("1 s", 1000, &ms));
	assert_false(spirecd_duration_parse("99999999999999s", ~0u, &ms));
}

static void test_sizes(void **state)
{
	unsigned int b;

	(void)state;
	assert_true(spirecd_size_parse("1", 100, &b));
	assert_int_equal(b, 1);
	assert_true(spirecd_size_parse("4096", 1 << 20, &b));
	assert_int_equal(b, 4096);
	assert_true(spirecd_size_parse("256k", 1 << 20, &b));
	assert_int_equal(b, 256 * 1024);
	assert_true(spirecd_size_parse("1M", 1 << 20, &b));
	assert_int_equal(b, 1 << 20);
	assert_false(spirecd_size_parse("2M", 1 << 20, &b));
	assert_false(spirecd_size_parse("", 100, &b));
	assert_false(spirecd_size_parse("1 k", 1 << 20, &b));
	assert_false(spirecd_size_parse("1kb", 1 << 20, &b));
	assert_false(spirecd_size_parse("-1", 100, &b));
	assert_false(spirecd_size_parse("99999999999999", ~0u, &b));
	assert_false(spirecd_size_parse("4194304M", ~0u, &b));
}

static void test_syntax_errors(void **state)
{
	(void)state;
	expect_error("holddown = 1s\n",
		     "t.conf:1: holddown: outside of any section ([global] or [peer NAME] first)");
	expect_error("[global]\nthis is not a pair\n",
		     "t.conf:2: expected 'key = value', '[section]' or a comment");
	expect_error("[global]\n = 3\n", "t.conf:2: missing key before '='");
	expect_error("[global]\naction =   # nothing\n",
		     "t.conf:2: action: empty value");
	expect_error("[global\n", "t.conf:1: section header without ']'");
	expect_error("[global] x\n",
		     "t.conf:1: unexpected text after the section header");
	expect_error("[globals]\n",
		     "t.conf:1: unknown section [globals]: want [global] or [peer NAME]");
	expect_error("[global]\n[global]\n", "t.conf:2: [global] appears twice");
	expect_error("[peer]\n",
		     "t.conf:1: unknown section [peer]: want [global] or [peer NAME]");
	expect_error("[peer a/b]\n",
		     "t.conf:1: [peer a/b]: a name is 1 to 63 letters, digits, '.', '_' or '-'");
	expect_error("[peer a]\naddress = 192.0.2.1\naction = hint\n[peer a]\n",
		     "t.conf:4: [peer a]: already defined on line 1");
	expect_error("[global]\nfoo = 1\n", "t.conf:2: unknown key 'foo' in [global]");
	expect_error("[global]\naddress = 192.0.2.1\n",
		     "t.conf:2: unknown key 'address' in [global]");
	expect_error("[peer a]\naddress = 192.0.2.1\naction = hint\nholddown = 1s\n",
		     "t.conf:4: unknown key 'holddown' in [peer a]");
	expect_error("[global]\naction = hint\naction = none\n",
		     "t.conf:3: action: set twice in this section");
	expect_error("[peer a]\naddress = 192.0.2.1\naction = hint\nlocal_id = \"x\n",
		     "t.conf:4: local_id: unterminated quoted value");
	expect_error("[peer a]\naddress = 192.0.2.1\naction = hint\nlocal_id = \"x\" y\n",
		     "t.conf:4: local_id: unexpected text after the quoted value");
	{
		static const char nul[] = "[global]\nac\0tion = hint\n";
		struct spirecd_config cfg;
		FILE *f = fmemopen(errbuf, sizeof(errbuf), "w");

		assert_int_equal(spirecd_config_parse("t.conf", nul,
						      sizeof(nul) - 1, false,
						      &cfg, f), 1);
		fclose(f);
		assert_string_equal(errbuf, "t.conf:2: NUL byte in the line\n");
	}
	{
		char *big = malloc(SPIRECD_LINE_MAX + 64);

		assert_non_null(big);
		strcpy(big, "[global]\nexec = /");
		memset(big + strlen(big), 'x', SPIRECD_LINE_MAX);
		strcpy(big + strlen("[global]\nexec = /") + SPIRECD_LINE_MAX, "\n");
		expect_error(big, "t.conf:2: line longer than 4096 bytes");
		free(big);
	}
}

static void test_value_errors(void **state)
{
	(void)state;
	expect_error("[global]\naction = reboot\n",
		     "t.conf:2: action: 'reboot' is not one of ikev2, ikev1, hint, vici, exec, none");
	expect_error("[global]\naction = ikev2\n",
		     "t.conf:2: action: 'ikev2' needs per-peer settings: in [global] use hint, exec or none");
	expect_error("[global]\naction = vici\n",
		     "t.conf:2: action: 'vici' needs per-peer settings: in [global] use hint, exec or none");
	expect_error("[global]\naction = exec\n",
		     "t.conf:1: [global]: action exec needs exec");
	expect_error("[global]\nholddown = 500ms\n",
		     "t.conf:2: holddown: '500ms' is not a duration from 1000ms to 86400s (e.g. 30s, 500ms, 2m)");
	expect_error("[global]\nholddown = soon\n",
		     "t.conf:2: holddown: 'soon' is not a duration from 1000ms to 86400s (e.g. 30s, 500ms, 2m)");
	expect_error("[global]\nholddown_max = 500ms\n",
		     "t.conf:2: holddown_max: '500ms' is not a duration from 1000ms to 86400s (e.g. 30s, 500ms, 2m)");
	expect_error("[global]\nholddown_reset = 2d\n",
		     "t.conf:2: holddown_reset: '2d' is not a duration from 0ms to 86400s (e.g. 30s, 500ms, 2m)");
	expect_error("[global]\nstatus_file = spirecd.status\n",
		     "t.conf:2: status_file: 'spirecd.status' is not an absolute path");
	expect_error("[peer a]\naddress = 192.0.2.1\naction = hint\nholddown_max = 1m\n",
		     "t.conf:4: unknown key 'holddown_max' in [peer a]");
	expect_error("[global]\nexec_timeout = 2h\n",
		     "t.conf:2: exec_timeout: '2h' is not a duration from 100ms to 3600s (e.g. 30s, 500ms, 2m)");
	expect_error("[global]\nvici_timeout = 50ms\n",
		     "t.conf:2: vici_timeout: '50ms' is not a duration from 100ms to 600s (e.g. 30s, 500ms, 2m)");
	expect_error("[global]\nike_timeout = 2m\n",
		     "t.conf:2: ike_timeout: '2m' is not a duration from 100ms to 60s (e.g. 30s, 500ms, 2m)");
	expect_error("[global]\nrcvbuf = 0\n",
		     "t.conf:2: rcvbuf: '0' is not a size from 1 to 64M bytes (e.g. 4096, 256k, 1M)");
	expect_error("[global]\nrcvbuf = 65M\n",
		     "t.conf:2: rcvbuf: '65M' is not a size from 1 to 64M bytes (e.g. 4096, 256k, 1M)");
	expect_error("[peer p]\naddress = 192.0.2.1\naction = hint\nrcvbuf = 4096\n",
		     "t.conf:4: unknown key 'rcvbuf' in [peer p]");
	expect_error("[global]\nknown_peers_only = maybe\n",
		     "t.conf:2: known_peers_only: 'maybe' is not yes or no");
	expect_error("[global]\nenable = 2\n",
		     "t.conf:2: enable: '2' is not yes or no");
	expect_error("[global]\nworkers = 0\n",
		     "t.conf:2: workers: '0' is not a number from 1 to 64");
	expect_error("[global]\nworkers = 65\n",
		     "t.conf:2: workers: '65' is not a number from 1 to 64");
	expect_error("[global]\nworkers = -1\n",
		     "t.conf:2: workers: '-1' is not a number from 1 to 64");
	expect_error("[global]\nexec = hook.sh\n",
		     "t.conf:2: exec: 'hook.sh' is not an absolute path");
	expect_error("[peer a]\naddress = 192.0.2.1/24\naction = hint\n",
		     "t.conf:2: address: '192.0.2.1/24': address has bits set beyond the prefix length");
	expect_error("[peer a]\naddress = router-a\naction = hint\n",
		     "t.conf:2: address: 'router-a': not an IPv4 or IPv6 address");
	expect_error("[peer a]\naddress = 192.0.2.1\naction = hint\nlocal_id = keyid:#0g\n",
		     "t.conf:4: local_id: 'keyid:#0g': key id 'keyid:#0g' is not an even number of hex digits");
	expect_error("[peer a]\naddress = 192.0.2.1\naction = hint\nike = aes999-sha1\n",
		     "t.conf:4: ike: 'aes999-sha1': unknown algorithm 'aes999'");
	expect_error("[peer a]\naddress = 192.0.2.1\nlocal_id = a\npsk = 0xabc\n",
		     "t.conf:4: psk: bad hexadecimal key after 0x");
	expect_error("[peer a]\naddress = 192.0.2.1\nlocal_id = a\npsk = \"\"\n",
		     "t.conf:4: psk: empty");
	expect_error("[peer a]\naddress = 192.0.2.1\nlocal_id = a\npsk = x\npsk_file = /k\n",
		     "t.conf:5: psk_file: psk is already set in this section: use one of them");
	expect_error("[peer a]\naddress = 192.0.2.1\nlocal_id = a\npsk_file = k.psk\n",
		     "t.conf:4: psk_file: 'k.psk' is not an absolute path");
	expect_error("[peer a]\naddress = 192.0.2.1\naction = vici\nvici_socket = charon.vici\nvici_child = c\n",
		     "t.conf:4: vici_socket: 'charon.vici' is not an absolute path");
	expect_error("[global]\nexec = /bin/true\n"
		     "[peer a]\naddress = 192.0.2.1\naction = exec\nexec = ./x\n",
		     "t.conf:6: exec: './x' is not an absolute path");
}

static void test_peer_errors(void **state)
{
	(void)state;
	expect_error("[peer a]\naction = hint\n", "t.conf:1: [peer a]: no address");
	expect_error("[peer a]\naddress = 192.0.2.1\npsk = x\n",
		     "t.conf:1: [peer a]: action ikev2 needs local_id");
	expect_error("[peer a]\naddress = 192.0.2.1\nlocal_id = a\n",
		     "t.conf:1: [peer a]: action ikev2 needs psk or psk_file");
	expect_error("[peer a]\naddress = 192.0.2.1\naction = vici\n",
		     "t.conf:1: [peer a]: action vici needs vici_child");
	expect_error("[peer a]\naddress = 192.0.2.1\naction = exec\n",
		     "t.conf:1: [peer a]: action exec needs exec (here or in [global])");
	expect_error("[peer a]\naddress = 192.0.2.0/24\naction = hint\n"
		     "[peer b]\naddress = 192.0.2.0/24\naction = none\n",
		     "t.conf:4: [peer b]: same address as [peer a] on line 1");
}

/* ikev2 toward a prefix would send IKE_AUTH to whatever address an
 * unauthenticated packet claims: refused, with the address's line. */
static void test_ikev2_single_address(void **state)
{
	struct spirecd_config cfg;

	(void)state;
	expect_error("[peer a]\nlocal_id = a\npsk = x\naddress = 192.0.2.0/24\naction = ikev2\n",
		     "t.conf:4: [peer a]: action ikev2 needs a single address, not the prefix 192.0.2.0/24: IKE would go to any address an unauthenticated packet claims (offline PSK attack)");
	/* ikev2 is the default action of a [peer]. */
	expect_error("[peer v6]\naddress = 2001:db8::/64\nlocal_id = a\npsk = x\n",
		     "t.conf:2: [peer v6]: action ikev2 needs a single address, not the prefix 2001:db8::/64: IKE would go to any address an unauthenticated packet claims (offline PSK attack)");
	/* Even the whole address space. */
	expect_error("[peer all]\naddress = 0.0.0.0/0\nlocal_id = a\npsk = x\n",
		     "t.conf:2: [peer all]: action ikev2 needs a single address, not the prefix 0.0.0.0/0: IKE would go to any address an unauthenticated packet claims (offline PSK attack)");
	/* A /32 or /128 is a single address. */
	assert_int_equal(parse("[peer a]\naddress = 192.0.2.1/32\nlocal_id = a\npsk = x\n"
			       "[peer b]\naddress = 2001:db8::1/128\nlocal_id = a\npsk = x\n",
			       &cfg), 0);
	spirecd_config_free(&cfg);
	/* Prefixes are fine for the other actions. */
	assert_int_equal(parse("[global]\nexec = /bin/true\n"
			       "[peer v]\naddress = 192.0.2.0/24\naction = vici\nvici_child = c\n"
			       "[peer h]\naddress = 198.51.100.0/24\naction = hint\n"
			       "[peer e]\naddress = 2001:db8::/32\naction = exec\n"
			       "[peer n]\naddress = 203.0.113.0/24\naction = none\n",
			       &cfg), 0);
	spirecd_config_free(&cfg);
	/* [global] action (unlisted peers, any address): never ikev2. */
	expect_error("[global]\naction = ikev2\n",
		     "t.conf:2: action: 'ikev2' needs per-peer settings: in [global] use hint, exec or none");
}

static void test_status_file_none(void **state)
{
	struct spirecd_config cfg;

	(void)state;
	assert_int_equal(parse("[global]\nstatus_file = none\n", &cfg), 0);
	assert_null(cfg.status_file);
	spirecd_config_free(&cfg);
}

/* $SPIRECD_STATUS_FILE (spirecd@NAME.service) is the default; the key wins. */
static void test_status_file_env(void **state)
{
	struct spirecd_config cfg;

	(void)state;
	assert_int_equal(setenv("SPIRECD_STATUS_FILE", "/run/spirec-netns/red/spirecd.status", 1), 0);
	assert_int_equal(parse("[global]\n", &cfg), 0);
	assert_string_equal(cfg.status_file, "/run/spirec-netns/red/spirecd.status");
	spirecd_config_free(&cfg);
	assert_int_equal(parse("[global]\nstatus_file = /run/x/s\n", &cfg), 0);
	assert_string_equal(cfg.status_file, "/run/x/s");
	spirecd_config_free(&cfg);
	assert_int_equal(setenv("SPIRECD_STATUS_FILE", "", 1), 0);
	assert_int_equal(parse("[global]\n", &cfg), 0);
	assert_string_equal(cfg.status_file, "/run/spirec/spirecd.status");
	spirecd_config_free(&cfg);
	assert_int_equal(unsetenv("SPIRECD_STATUS_FILE"), 0);
}

static void test_vici_default_socket(void **state)
{
	struct spirecd_config cfg;

	(void)state;
	assert_int_equal(parse("[peer a]\naddress = 192.0.2.1\naction = vici\nvici_child = c\n",
			       &cfg), 0);
	assert_string_equal(cfg.peers[0].vici_socket, "/var/run/charon.vici");
	assert_null(cfg.peers[0].vici_ike);
	spirecd_config_free(&cfg);
}

static void test_exec_from_global(void **state)
{
	struct spirecd_config cfg;

	(void)state;
	assert_int_equal(parse("[global]\nexec = /bin/true\n"
			       "[peer a]\naddress = 192.0.2.1\naction = exec\n",
			       &cfg), 0);
	assert_null(cfg.peers[0].exec);
	spirecd_config_free(&cfg);
}

static void test_many_errors_all_reported(void **state)
{
	struct spirecd_config cfg;

	(void)state;
	assert_int_equal(parse("[global]\naction = x\nholddown = y\n[peer a]\n", &cfg), 5);
	assert_non_null(strstr(errbuf, "t.conf:2: action"));
	assert_non_null(strstr(errbuf, "t.conf:3: holddown"));
	assert_non_null(strstr(errbuf, "t.conf:4: [peer a]: no address"));
	assert_non_null(strstr(errbuf, "t.conf:4: [peer a]: action ikev2 needs local_id"));
	assert_non_null(strstr(errbuf, "t.conf:4: [peer a]: action ikev2 needs psk or psk_file"));
}

static void test_too_many_peers(void **state)
{
	struct spirecd_config cfg;
	size_t cap = (SPIRECD_MAX_PEERS + 1) * 64, len = 0;
	char *text = malloc(cap);
	unsigned int n;

	(void)state;
	assert_non_null(text);
	for (unsigned int i = 0; i <= SPIRECD_MAX_PEERS; i++)
		len += (size_t)snprintf(text + len, cap - len,
					"[peer p%u]\naddress = 2001:db8::%x\naction = none\n",
					i, i + 1);
	n = parse(text, &cfg);
	free(text);	/* before any assertion can jump out */
	assert_int_equal(n, 1);
	assert_string_equal(errbuf, "t.conf:3073: [peer p1024]: more than 1024 peers\n");
}

/* psk_file: content, newline, permissions, kinds of file. */
static char tmpdir[] = "/tmp/spirecd-config-test.XXXXXX";

static void write_file(const char *name, const char *content, mode_t mode,
		       char *path, size_t len)
{
	FILE *f;

	snprintf(path, len, "%s/%s", tmpdir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(content, f);
	fclose(f);
	assert_int_equal(chmod(path, mode), 0);
}

static void psk_file_case(const char *name, const char *content, mode_t mode,
			  const char *want_err, const char *want_psk)
{
	struct spirecd_config cfg;
	char path[256], text[512], err[512];
	unsigned int n;

	write_file(name, content, mode, path, sizeof(path));
	snprintf(text, sizeof(text),
		 "[peer a]\naddress = 192.0.2.1\nlocal_id = a\npsk_file = %s\n",
		 path);
	n = parse(text, &cfg);
	if (want_err) {
		snprintf(err, sizeof(err), want_err, path);
		assert_int_equal(n, 1);
		assert_string_equal(errbuf, err);
		return;
	}
	assert_int_equal(n, 0);
	assert_int_equal(cfg.peers[0].psk_len, strlen(want_psk));
	assert_memory_equal(cfg.peers[0].psk, want_psk, strlen(want_psk));
	assert_string_equal(cfg.peers[0].psk_file, path);
	spirecd_config_free(&cfg);
}

static void test_psk_file(void **state)
{
	struct spirecd_config cfg;
	char text[512];

	(void)state;
	assert_non_null(mkdtemp(tmpdir));
	psk_file_case("ok.psk", "top secret\n", 0600, NULL, "top secret");
	psk_file_case("crlf.psk", "s3\r\n", 0400, NULL, "s3");
	psk_file_case("nonl.psk", "raw", 0600, NULL, "raw");
	psk_file_case("world.psk", "x\n", 0644,
		      "t.conf:4: psk_file: '%s' is accessible by group or others (mode 0644): chmod 600 it\n",
		      NULL);
	psk_file_case("group.psk", "x\n", 0640,
		      "t.conf:4: psk_file: '%s' is accessible by group or others (mode 0640): chmod 600 it\n",
		      NULL);
	psk_file_case("groupw.psk", "x\n", 0620,
		      "t.conf:4: psk_file: '%s' is accessible by group or others (mode 0620): chmod 600 it\n",
		      NULL);
	psk_file_case("empty.psk", "\n", 0600,
		      "t.conf:4: psk_file: '%s' is empty\n", NULL);

	snprintf(text, sizeof(text),
		 "[peer a]\naddress = 192.0.2.1\nlocal_id = a\npsk_file = %s/missing\n",
		 tmpdir);
	assert_int_equal(parse(text, &cfg), 1);
	assert_non_null(strstr(errbuf, "missing': No such file or directory"));

	snprintf(text, sizeof(text),
		 "[peer a]\naddress = 192.0.2.1\nlocal_id = a\npsk_file = %s\n",
		 tmpdir);
	assert_int_equal(parse(text, &cfg), 1);
	assert_non_null(strstr(errbuf, "is not a regular file"));
}

/* Load @text from a file of @mode; returns the problem count. */
static unsigned int load_mode(const char *name, const char *text,
			      mode_t mode, struct spirecd_config *cfg,
			      char *path, size_t len)
{
	FILE *f = fmemopen(errbuf, sizeof(errbuf), "w");
	unsigned int n;

	assert_non_null(f);
	write_file(name, text, mode, path, len);
	n = spirecd_config_load(path, cfg, f);
	fclose(f);
	return n;
}

/* An inline psk in a configuration file that group or others can read. */
static void test_inline_psk_mode(void **state)
{
	static const char text[] =
		"[peer a]\naddress = 192.0.2.1\nlocal_id = a\npsk = secret\n";
	struct spirecd_config cfg;
	char path[256], want[512];

	(void)state;
	assert_int_equal(load_mode("ok.conf", text, 0600, &cfg, path,
				   sizeof(path)), 0);
	assert_int_equal(cfg.peers[0].psk_len, 6);
	spirecd_config_free(&cfg);
	assert_int_equal(load_mode("g.conf", text, 0640, &cfg, path,
				   sizeof(path)), 1);
	snprintf(want, sizeof(want), "%s:4: psk: a key written inline in a file that group or others can read (mode 0640): chmod 600 the file or use psk_file\n",
		 path);
	assert_string_equal(errbuf, want);
	assert_int_equal(load_mode("o.conf", text, 0604, &cfg, path,
				   sizeof(path)), 1);
	assert_non_null(strstr(errbuf, ":4: psk: a key written inline"));
	assert_non_null(strstr(errbuf, "(mode 0604)"));
	/* Without an inline key the mode does not matter. */
	assert_int_equal(load_mode("nokey.conf", "[global]\naction = none\n",
				   0644, &cfg, path, sizeof(path)), 0);
	spirecd_config_free(&cfg);
}

/* psk_file owned by someone else than root or spirecd's user. */
static void test_psk_file_owner(void **state)
{
	struct spirecd_config cfg;
	char path[256], text[512], want[768];

	(void)state;
	if (geteuid() != 0)
		skip();
	write_file("nobody.psk", "k\n", 0600, path, sizeof(path));
	assert_int_equal(chown(path, 65534, 65534), 0);
	snprintf(text, sizeof(text),
		 "[peer a]\naddress = 192.0.2.1\nlocal_id = a\npsk_file = %s\n",
		 path);
	assert_int_equal(parse(text, &cfg), 1);
	snprintf(want, sizeof(want), "t.conf:4: psk_file: '%s' is owned by uid 65534, not by root or spirecd's user: chown it\n",
		 path);
	assert_string_equal(errbuf, want);
	/* ... unless that uid is spirecd's user. */
	if (getpwuid(65534)) {
		snprintf(text, sizeof(text),
			 "[global]\nuser = %s\n[peer a]\naddress = 192.0.2.1\nlocal_id = a\npsk_file = %s\n",
			 getpwuid(65534)->pw_name, path);
		assert_int_equal(parse(text, &cfg), 0);
		spirecd_config_free(&cfg);
	}
	write_file("root.psk", "k\n", 0600, path, sizeof(path));
	snprintf(text, sizeof(text),
		 "[peer a]\naddress = 192.0.2.1\nlocal_id = a\npsk_file = %s\n",
		 path);
	assert_int_equal(parse(text, &cfg), 0);
	spirecd_config_free(&cfg);
}

static void test_users(void **state)
{
	struct spirecd_config cfg;

	(void)state;
	expect_error("[global]\nuser = no-such-user-spirec\n",
		     "t.conf:2: user: no user 'no-such-user-spirec' on this system (see spirecd(8): the packages create it)");
	expect_error("[global]\nexec_user = no-such-user-spirec\n",
		     "t.conf:2: exec_user: no user 'no-such-user-spirec' on this system");
	expect_error("[global]\nuser = a/b\n",
		     "t.conf:2: user: 'a/b' is not a user name");
	expect_error("[peer a]\naction = none\naddress = 192.0.2.1\nuser = root\n",
		     "t.conf:4: unknown key 'user' in [peer a]");
	assert_int_equal(parse("[global]\nuser = root\nexec_user = root\n",
			       &cfg), 0);
	assert_string_equal(cfg.user, "root");
	assert_string_equal(cfg.exec_user, "root");
	spirecd_config_free(&cfg);
}

static int cleanup(void **state)
{
	char cmd[128];

	(void)state;
	if (strchr(tmpdir, 'X'))
		return 0;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) ? -1 : 0;
}

static void test_load_file(void **state)
{
	struct spirecd_config cfg;
	char path[256];
	FILE *f;

	(void)state;
	write_file("ok.conf", "[global]\naction = hint\n", 0644, path,
		   sizeof(path));
	f = fmemopen(errbuf, sizeof(errbuf), "w");
	assert_int_equal(spirecd_config_load(path, &cfg, f), 0);
	fclose(f);
	assert_int_equal(cfg.action, SPIRECD_ACTION_HINT);
	assert_string_equal(cfg.path, path);
	spirecd_config_free(&cfg);

	f = fmemopen(errbuf, sizeof(errbuf), "w");
	assert_int_equal(spirecd_config_load("/nonexistent/spirecd.conf", &cfg, f), 1);
	fclose(f);
	assert_string_equal(errbuf, "/nonexistent/spirecd.conf:0: cannot open: No such file or directory\n");
}

static void test_ikev1(void **state)
{
	struct spirecd_config cfg;

	(void)state;
	/* ike = before action = : checked once the section is complete. */
	assert_int_equal(parse("[peer a]\naddress = 192.0.2.1\nike = 3des-sha1-modp1024\naction = ikev1\npsk = s\n",
			       &cfg), 0);
	assert_int_equal(cfg.peers[0].action, SPIRECD_ACTION_IKEV1);
	assert_null(cfg.peers[0].local_id);	/* the address then */
	assert_string_equal(cfg.peers[0].ike, "3des-sha1-modp1024");
	spirecd_config_free(&cfg);
	assert_int_equal(parse("[peer a]\naddress = 2001:db8::1\naction = ikev1\npsk = s\nlocal_id = @a.example.org\nremote_id = 2001:db8::1\n",
			       &cfg), 0);
	spirecd_config_free(&cfg);
	expect_error("[peer a]\naddress = 192.0.2.1\nike = 3des-sha1-modp1024\nlocal_id = a\npsk = s\n",
		     "t.conf:3: ike: '3des-sha1-modp1024': algorithm '3des' is not supported");
	expect_error("[peer a]\naddress = 192.0.2.1\naction = ikev1\npsk = s\nike = aes128gcm16-prfsha256-modp2048\n",
		     "t.conf:5: ike: 'aes128gcm16-prfsha256-modp2048': 'aes128gcm16' is not an IKEv1 algorithm this implementation supports (AEAD ciphers are IKEv2 only) (action ikev1: IKEv1 proposals)");
	expect_error("[peer a]\naddress = 192.0.2.1\naction = ikev1\nike = aes128-sha1\npsk = s\n",
		     "t.conf:4: ike: 'aes128-sha1': 'aes128-sha1' needs a cipher, a hash and a DH group (action ikev1: IKEv1 proposals)");
	expect_error("[peer a]\naddress = 192.0.2.1\naction = ikev1\n",
		     "t.conf:1: [peer a]: action ikev1 needs psk or psk_file");
	expect_error("[peer a]\naddress = 192.0.2.0/24\naction = ikev1\npsk = s\n",
		     "t.conf:2: [peer a]: action ikev1 needs a single address, not the prefix 192.0.2.0/24: IKE would go to any address an unauthenticated packet claims (offline PSK attack)");
	expect_error("[global]\naction = ikev1\n",
		     "t.conf:2: action: 'ikev1' needs per-peer settings: in [global] use hint, exec or none");
}

static void test_action_names(void **state)
{
	(void)state;
	assert_int_equal(spirecd_action_parse("ikev1"), SPIRECD_ACTION_IKEV1);
	assert_string_equal(spirecd_action_name(SPIRECD_ACTION_IKEV1), "ikev1");
	assert_int_equal(spirecd_action_parse("ikev2"), SPIRECD_ACTION_IKEV2);
	assert_int_equal(spirecd_action_parse("hint"), SPIRECD_ACTION_HINT);
	assert_int_equal(spirecd_action_parse("vici"), SPIRECD_ACTION_VICI);
	assert_int_equal(spirecd_action_parse("exec"), SPIRECD_ACTION_EXEC);
	assert_int_equal(spirecd_action_parse("none"), SPIRECD_ACTION_NONE);
	assert_int_equal(spirecd_action_parse("IKEv2"), -1);
	assert_string_equal(spirecd_action_name(SPIRECD_ACTION_VICI), "vici");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_every_key),
		cmocka_unit_test(test_find_longest_prefix),
		cmocka_unit_test(test_durations),
		cmocka_unit_test(test_sizes),
		cmocka_unit_test(test_syntax_errors),
		cmocka_unit_test(test_value_errors),
		cmocka_unit_test(test_peer_errors),
		cmocka_unit_test(test_ikev2_single_address),
		cmocka_unit_test(test_status_file_none),
		cmocka_unit_test(test_status_file_env),
		cmocka_unit_test(test_vici_default_socket),
		cmocka_unit_test(test_exec_from_global),
		cmocka_unit_test(test_many_errors_all_reported),
		cmocka_unit_test(test_too_many_peers),
		cmocka_unit_test(test_psk_file),
		cmocka_unit_test(test_inline_psk_mode),
		cmocka_unit_test(test_psk_file_owner),
		cmocka_unit_test(test_users),
		cmocka_unit_test(test_load_file),
		cmocka_unit_test(test_action_names),
		cmocka_unit_test(test_ikev1),
	};

	return cmocka_run_group_tests_name("spirecd_config", tests, NULL,
					   cleanup);
}
