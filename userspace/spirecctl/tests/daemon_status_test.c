// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests: the reader of spirecd's status file (valid files, every
 * kind of malformed one with its line, bounds) and what spirecctl status
 * prints from it (running, stale pid, no file, unreadable; text and JSON).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../daemon_status.h"
#include "../spirecctl.h"
#include "capture.h"

static const char good[] =
	"# spirecd status\n"
	"version 1\n"
	"pid 4321\n"
	"started 1764758400\n"
	"written 1764758460\n"
	"recoveries_started 4\n"
	"recoveries_ok 1\n"
	"recoveries_failed 1\n"
	"recoveries_not_started 1\n"
	"guard_not_blackhole 7\n"
	"peer addr=192.0.2.1 section=192.0.2.1/32 name=a busy=no holddown_left_ms=50000 holddown_ms=60000 level=2 attempts=2 successes=1\n"
	"peer addr=198.51.100.7 section=198.51.100.0/24 name=net busy=yes holddown_left_ms=0 holddown_ms=0 level=0 attempts=1 successes=0\n"
	"peer addr=2001:db8::1 section=- name=- busy=no holddown_left_ms=0 holddown_ms=0 level=0 attempts=1 successes=0 later_field=x\n";

static void test_parse_good(void **state)
{
	struct spirecctl_dstatus st;
	char err[128];

	(void)state;
	assert_int_equal(spirecctl_dstatus_parse(good, strlen(good), &st, err,
						 sizeof(err)), 0);
	assert_int_equal(st.version, 1);
	assert_int_equal(st.pid, 4321);
	assert_int_equal(st.started, 1764758400);
	assert_int_equal(st.written, 1764758460);
	assert_int_equal(st.ncounters, 5);
	assert_string_equal(st.counters[0].key, "recoveries_started");
	assert_int_equal(st.counters[0].value, 4);
	assert_string_equal(st.counters[4].key, "guard_not_blackhole");
	assert_int_equal(st.counters[4].value, 7);
	assert_int_equal(st.npeers, 3);
	assert_string_equal(st.peers[0].addr, "192.0.2.1");
	assert_string_equal(st.peers[0].section, "192.0.2.1/32");
	assert_string_equal(st.peers[0].name, "a");
	assert_false(st.peers[0].busy);
	assert_int_equal(st.peers[0].holddown_left_ms, 50000);
	assert_int_equal(st.peers[0].holddown_ms, 60000);
	assert_int_equal(st.peers[0].level, 2);
	assert_int_equal(st.peers[0].attempts, 2);
	assert_int_equal(st.peers[0].successes, 1);
	assert_true(st.peers[1].busy);
	assert_string_equal(st.peers[2].name, "-");
	spirecctl_dstatus_free(&st);
}

static void expect_badn(const char *text, size_t len, const char *want)
{
	struct spirecctl_dstatus st;
	char err[128];

	if (spirecctl_dstatus_parse(text, len, &st, err,
				    sizeof(err)) != -EINVAL ||
	    strcmp(err, want))
		fail_msg("for:\n%s\nwanted: %s\ngot: %s", text, want, err);
	assert_null(st.peers);
	assert_int_equal(st.npeers, 0);
	spirecctl_dstatus_free(&st);
}

#define HDR "version 1\npid 1\nstarted 2\nwritten 3\n"

/* What the reader says of malformed files, and the files that bring it.
 * sizeof, not strlen: some hold a NUL byte. */
#define F(text)	{ text, sizeof(text) - 1 }

static const struct bad_case {
	const char *want;
	struct {
		const char *text;
		size_t len;
	} files[4];		/* up to the first NULL text */
} bad_cases[] = {
	{ "line 0: version, pid, started or written missing",
	  {
		F(""),
		F("version 1\npid 1\nstarted 2\n"),
	  } },
	{ "line 0: version 2: this spirecctl reads version 1",
	  { F("version 2\npid 1\nstarted 2\nwritten 3\n") } },
	{ "line 5: no newline at the end (a partial file?)", { F(HDR "x 1") } },
	{ "line 5: pid: twice", { F(HDR "pid 4\n") } },
	{ "line 6: a: twice", { F(HDR "a 1\na 2\n") } },
	{ "line 5: a: not a number",
	  {
		F(HDR "a -1\n"),
		F(HDR "a 18446744073709551616\n"),
		F(HDR "a 1 \n"),
	  } },
	{ "line 5: expected KEY VALUE",
	  {
		F(HDR "A 1\n"),
		F(HDR " a 1\n"),
		F(HDR "a\n"),
	  } },
	{ "line 5: NUL byte",
	  {
		F(HDR "# a\0b\n"),
		F(HDR "a\0 1\n"),
	  } },
	{ "line 5: key longer than 47 bytes",
	  { F(HDR "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa 1\n") } },
	{ "line 5: peer: no addr", { F(HDR "peer name=a\n") } },
	{ "line 5: peer: busy: not yes or no", { F(HDR "peer addr=1 busy=maybe\n") } },
	{ "line 5: peer: level: not a number", { F(HDR "peer addr=1 level=x\n") } },
	{ "line 5: peer: expected KEY=VALUE fields",
	  {
		F(HDR "peer addr=1  level=1\n"),
		F(HDR "peer addr=1 =1\n"),
	  } },
	{ "line 5: peer: bad field name", { F(HDR "peer addr=1 Name=1\n") } },
	{ "line 5: peer: addr: not 1 to 63 printable characters",
	  {
		F(HDR "peer addr=\n"),
		F(HDR "peer addr=a\tb\n"),
		F(HDR "peer addr=1234567890123456789012345678901234567890123456789012345678901234\n"),
	  } },
};

static void test_parse_bad(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		const struct bad_case *c = &bad_cases[i];

		for (size_t j = 0; c->files[j].text; j++)
			expect_badn(c->files[j].text, c->files[j].len, c->want);
	}
}

/* Counters and peers are bounded. */
static void test_parse_bounds(void **state)
{
	struct spirecctl_dstatus st;
	size_t cap = 64 * (SPIRECCTL_STATUS_MAX_COUNTERS + 1) + 64, len;
	char *text = malloc(cap), err[128];
	int ret;

	(void)state;
	assert_non_null(text);
	len = (size_t)snprintf(text, cap, HDR);
	for (int i = 0; i <= SPIRECCTL_STATUS_MAX_COUNTERS; i++)
		len += (size_t)snprintf(text + len, cap - len, "c%d %d\n", i, i);
	ret = spirecctl_dstatus_parse(text, len, &st, err, sizeof(err));
	free(text);
	assert_int_equal(ret, -EINVAL);
	assert_string_equal(err, "line 69: more than 64 counters");

	cap = 16 * (SPIRECCTL_STATUS_MAX_PEERS + 1) + 64;
	text = malloc(cap);
	assert_non_null(text);
	len = (size_t)snprintf(text, cap, HDR);
	for (int i = 0; i <= SPIRECCTL_STATUS_MAX_PEERS; i++)
		len += (size_t)snprintf(text + len, cap - len, "peer addr=%x\n", i);
	ret = spirecctl_dstatus_parse(text, len, &st, err, sizeof(err));
	free(text);
	assert_int_equal(ret, -EINVAL);
	assert_string_equal(err, "line 65541: more than 65536 peer lines");
}

/* spirecctl status, through spirecctl_main() with its output captured. */
static char path[] = "/tmp/spirecctl-status-test.XXXXXX";

static void write_status(const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void status(struct result *r, bool json)
{
	char *argv[] = { "spirecctl", "--status-file", path,
			 json ? "-j" : "status", json ? "status" : NULL, NULL };

	capture_run(r, json ? 5 : 4, argv);
}

static void test_status_running(void **state)
{
	char text[4096];
	struct result r;

	(void)state;
	/* Our own pid is alive; written long ago: no hold-down left. */
	snprintf(text, sizeof(text), "version 1\npid %d\nstarted 1764758400\nwritten 1764758460\n%s",
		 (int)getpid(), strstr(good, "recoveries_started"));
	write_status(text);
	status(&r, false);
	assert_non_null(strstr(r.out, "spirecd:          running (pid "));
	assert_non_null(strstr(r.out, ", since 2025-12-03 10:40:00 UTC)\n"));
	assert_non_null(strstr(r.out, "recoveries:       4 started, 1 ok, 1 failed, 1 not started, 0 not needed\n"));
	assert_non_null(strstr(r.out, "guard_not_blackhole: 7\n"));
	assert_non_null(strstr(r.out, "spirecd peers:    3\n"));
	assert_non_null(strstr(r.out, "  192.0.2.1 (a, 192.0.2.1/32): idle, hold-down 60 s, level 2, 2 attempts, 1 successes\n"));
	assert_non_null(strstr(r.out, "  198.51.100.7 (net, 198.51.100.0/24): recovery running, hold-down 0 s, level 0, 1 attempts, 0 successes\n"));
	assert_non_null(strstr(r.out, "  2001:db8::1: idle, hold-down 0 s"));
	status(&r, true);
	assert_non_null(strstr(r.out, ",\"spirecd\":{\"running\":true,\"status_file\":\""));
	assert_non_null(strstr(r.out, "\"started\":1764758400,\"written\":1764758460,\"counters\":{\"recoveries_started\":4,\"recoveries_ok\":1,\"recoveries_failed\":1,\"recoveries_not_started\":1,\"guard_not_blackhole\":7},\"peers\":[{\"addr\":\"192.0.2.1\",\"name\":\"a\",\"section\":\"192.0.2.1/32\",\"busy\":false,\"holddown_left_ms\":0,\"holddown_ms\":60000,\"level\":2,\"attempts\":2,\"successes\":1},"));
	assert_non_null(strstr(r.out, "{\"addr\":\"2001:db8::1\",\"busy\":false,"));
	assert_non_null(strstr(r.out, "}]}}\n"));

	/* Written just now: the hold-down left is shown. */
	snprintf(text, sizeof(text), "version 1\npid %d\nstarted 1\nwritten %lld\n"
		 "peer addr=192.0.2.1 section=192.0.2.1/32 name=a busy=no holddown_left_ms=600000 holddown_ms=900000 level=6 attempts=6 successes=6\n",
		 (int)getpid(), (long long)time(NULL));
	write_status(text);
	status(&r, false);
	assert_non_null(strstr(r.out, "  192.0.2.1 (a, 192.0.2.1/32): hold-down 600 s left, hold-down 900 s, level 6") ||
			strstr(r.out, "  192.0.2.1 (a, 192.0.2.1/32): hold-down 599 s left, hold-down 900 s, level 6"));
}

static void test_status_not_running(void **state)
{
	char text[256];
	struct result r;
	pid_t child;

	(void)state;
	/* A pid that is gone: a child we reaped. */
	child = fork();
	assert_true(child >= 0);
	if (!child)
		_exit(0);
	assert_int_equal(waitpid(child, NULL, 0), child);
	snprintf(text, sizeof(text), "version 1\npid %d\nstarted 1\nwritten 2\n",
		 (int)child);
	write_status(text);
	status(&r, false);
	assert_non_null(strstr(r.out, "spirecd:          not running (pid "));
	assert_non_null(strstr(r.out, " is gone; stale status file /tmp/spirecctl-status-test."));
	status(&r, true);
	assert_non_null(strstr(r.out, "\"spirecd\":{\"running\":false,\"reason\":\"pid gone, stale status file\","));

	/* Unreadable. */
	write_status("version 1\npid 1\n");
	status(&r, false);
	assert_non_null(strstr(r.out, "spirecd:          unknown (status file /tmp/spirecctl-status-test."));
	assert_non_null(strstr(r.out, ": line 0: version, pid, started or written missing)\n"));
	status(&r, true);
	assert_non_null(strstr(r.out, "\"error\":\"line 0: version, pid, started or written missing\"}}\n"));

	/* No file; the environment names it when no option does. */
	assert_int_equal(unlink(path), 0);
	status(&r, false);
	assert_non_null(strstr(r.out, "spirecd:          not running (no status file)\n"));
	status(&r, true);
	assert_non_null(strstr(r.out, "\"spirecd\":{\"running\":false,\"reason\":\"no status file\"}}\n"));
	setenv(SPIRECCTL_STATUS_ENV, path, 1);
	assert_string_equal(spirecctl_dstatus_path(NULL), path);
	assert_string_equal(spirecctl_dstatus_path("/x"), "/x");
	unsetenv(SPIRECCTL_STATUS_ENV);
	assert_string_equal(spirecctl_dstatus_path(NULL), "/run/spirec/spirecd.status");
	write_status("");	/* for teardown */
}

static void test_pid_alive(void **state)
{
	(void)state;
	assert_true(spirecctl_pid_alive((uint64_t)getpid()));
	assert_false(spirecctl_pid_alive(0));
	assert_false(spirecctl_pid_alive(1ull << 40));
}

static int setup(void **state)
{
	int fd;

	(void)state;
	fd = mkstemp(path);
	if (fd < 0)
		return -1;
	close(fd);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	return unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_good),
		cmocka_unit_test(test_parse_bad),
		cmocka_unit_test(test_parse_bounds),
		cmocka_unit_test(test_status_running),
		cmocka_unit_test(test_status_not_running),
		cmocka_unit_test(test_pid_alive),
	};

	return cmocka_run_group_tests_name("spirecctl_daemon_status", tests,
					   setup, teardown);
}
