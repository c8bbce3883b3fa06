// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests: spirecctl argument parsing, dispatch and exit statuses, and
 * the sysctl writer. Nothing here changes the host: commands that would
 * reach the kernel are only run where they must fail before doing so.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../spirecctl.h"
#include "capture.h"

#define MAX_ARGS	8
/* Run spirecctl with the NULL-terminated arguments, capturing output. */
static void run(struct result *r, ...)
{
	char *argv[MAX_ARGS + 2] = { "spirecctl" };
	int argc = 1;
	va_list ap;
	char *arg;

	va_start(ap, r);
	while ((arg = va_arg(ap, char *)) && argc <= MAX_ARGS)
		argv[argc++] = arg;
	va_end(ap);
	capture_run(r, argc, argv);
}

/* Exactly one line on stderr, and it starts with "spirecctl: ". */
static void assert_one_error_line(const struct result *r)
{
	const char *nl = strchr(r->err, '\n');

	assert_non_null(nl);
	assert_int_equal(nl[1], '\0');
	assert_int_equal(strncmp(r->err, "spirecctl: ", 11), 0);
}

static void assert_usage_error(struct result *r, const char *want_err)
{
	assert_int_equal(r->rc, SPIRECCTL_EXIT_USAGE);
	assert_string_equal(r->out, "");
	assert_one_error_line(r);
	if (want_err)
		assert_string_equal(r->err, want_err);
}

static void test_no_command(void **state)
{
	struct result r;

	(void)state;
	run(&r, NULL);
	assert_int_equal(r.rc, SPIRECCTL_EXIT_USAGE);
	assert_non_null(strstr(r.err, "Usage: spirecctl [-j] [-n NETNS] COMMAND"));
	run(&r, "-j", NULL);
	assert_int_equal(r.rc, SPIRECCTL_EXIT_USAGE);
}

/* -n NAME: one path component, a namespace that exists; else exit 1. */
static void test_netns(void **state)
{
	struct result r;

	(void)state;
	run(&r, "-n", "../etc", "status", NULL);
	assert_int_equal(r.rc, SPIRECCTL_EXIT_ERROR);
	assert_one_error_line(&r);
	assert_string_equal(r.err, "spirecctl: -n '../etc': not a network namespace name (one path component, as ip netns add takes it)\n");
	run(&r, "-n", "", "status", NULL);
	assert_int_equal(r.rc, SPIRECCTL_EXIT_ERROR);
	run(&r, "-n", "spirec-test-absent-ns", "stats", NULL);
	assert_int_equal(r.rc, SPIRECCTL_EXIT_ERROR);
	assert_one_error_line(&r);
	assert_non_null(strstr(r.err, "-n spirec-test-absent-ns: /run/netns/spirec-test-absent-ns: No such file or directory"));
	assert_string_equal(r.out, "");
	run(&r, "-n", NULL);
	assert_usage_error(&r, NULL);
}

static void test_unknown(void **state)
{
	struct result r;

	(void)state;
	run(&r, "frobnicate", NULL);
	assert_usage_error(&r, "spirecctl: unknown command 'frobnicate' (see 'spirecctl help')\n");
	run(&r, "-x", "status", NULL);
	assert_usage_error(&r, "spirecctl: unknown option '-x' (see 'spirecctl help')\n");
	run(&r, "--bogus", "status", NULL);
	assert_usage_error(&r, "spirecctl: unknown option '--bogus' (see 'spirecctl help')\n");
	run(&r, "--status-file", NULL);
	assert_usage_error(&r, "spirecctl: option '--status-file' needs an argument (see 'spirecctl help')\n");
	/* -j is also taken after the command; other options are not. */
	run(&r, "status", "-x", NULL);
	assert_usage_error(&r, "spirecctl: status: unexpected argument '-x' (see 'spirecctl help')\n");
	run(&r, "help", "-j", NULL);
	assert_int_equal(r.rc, 0);
	run(&r, "monitor", "-j", "-c", "0", NULL);
	assert_usage_error(&r, "spirecctl: monitor: -c wants a positive number of events, not '0' (see 'spirecctl help')\n");
	run(&r, "monitor", "-c", "0", "--json", NULL);
	assert_usage_error(&r, "spirecctl: monitor: -c wants a positive number of events, not '0' (see 'spirecctl help')\n");
	/* Names match exactly. */
	run(&r, "stat", NULL);
	assert_usage_error(&r, NULL);
	run(&r, "STATUS", NULL);
	assert_usage_error(&r, NULL);
}

static void test_help(void **state)
{
	static const char *const names[] = {
		"status", "stats", "peers", "monitor", "flush", "enable",
		"disable", "known", "help",
	};
	struct result r;
	size_t i;

	(void)state;
	run(&r, "help", NULL);
	assert_int_equal(r.rc, 0);
	assert_string_equal(r.err, "");
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char line[32];

		snprintf(line, sizeof(line), "\n  %-8s  ", names[i]);
		if (!strstr(r.out, line))
			fail_msg("help does not list '%s'", names[i]);
	}
	run(&r, "-h", NULL);
	assert_int_equal(r.rc, 0);
	assert_non_null(strstr(r.out, "Commands:"));
	run(&r, "--help", NULL);
	assert_int_equal(r.rc, 0);
	run(&r, "help", "me", NULL);
	assert_usage_error(&r, NULL);

	run(&r, "monitor", "-h", NULL);
	assert_int_equal(r.rc, 0);
	assert_string_equal(r.out, "Usage: spirecctl [-j] monitor [-c COUNT] [-t SECONDS]\n");
	run(&r, "known", "--help", NULL);
	assert_int_equal(r.rc, 0);
	assert_string_equal(r.out, "Usage: spirecctl [-j] known add|del ADDR[/PREFIX]... | list\n");
}

/* --version and -V print "spirecctl VERSION" and nothing else. */
static void test_version(void **state)
{
	static const char *const opts[] = { "--version", "-V" };
	struct result r;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(opts) / sizeof(opts[0]); i++) {
		run(&r, opts[i], NULL);
		assert_int_equal(r.rc, 0);
		assert_string_equal(r.out, "spirecctl " SPIREC_VERSION "\n");
		assert_string_equal(r.err, "");
	}
	assert_true(strlen(SPIREC_VERSION) > 0);
}

static void test_extra_arguments(void **state)
{
	static const char *const cmds[] = {
		"status", "stats", "peers", "flush", "enable", "disable",
	};
	struct result r;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		run(&r, cmds[i], "extra", NULL);
		assert_usage_error(&r, NULL);
	}
}

static void test_known_usage(void **state)
{
	struct result r;

	(void)state;
	run(&r, "known", NULL);
	assert_usage_error(&r, NULL);
	run(&r, "known", "add", NULL);
	assert_usage_error(&r, "spirecctl: known add: wants ADDR[/PREFIX]... (see 'spirecctl help')\n");
	/* One bad argument among several: nothing is sent. */
	run(&r, "known", "add", "192.0.2.1", "192.0.2.300", NULL);
	assert_usage_error(&r, "spirecctl: known add: '192.0.2.300': not an IPv4 or IPv6 address (see 'spirecctl help')\n");
	run(&r, "known", "replace", "192.0.2.1", NULL);
	assert_usage_error(&r, "spirecctl: known: unknown subcommand 'replace' (see 'spirecctl help')\n");
	run(&r, "known", "list", "all", NULL);
	assert_usage_error(&r, NULL);

	/* Bad addresses are usage errors, found before any netlink. */
	run(&r, "known", "add", "192.0.2.300", NULL);
	assert_usage_error(&r, "spirecctl: known add: '192.0.2.300': not an IPv4 or IPv6 address (see 'spirecctl help')\n");
	run(&r, "known", "del", "2001:db8::/129", NULL);
	assert_usage_error(&r, "spirecctl: known del: '2001:db8::/129': bad prefix length (0-32 for IPv4, 0-128 for IPv6) (see 'spirecctl help')\n");
	run(&r, "known", "add", "192.0.2.1/24", NULL);
	assert_usage_error(&r, "spirecctl: known add: '192.0.2.1/24': address has bits set beyond the prefix length (see 'spirecctl help')\n");
	run(&r, "-j", "known", "add", "peer.example", NULL);
	assert_usage_error(&r, NULL);
	run(&r, "known", "add", "", NULL);
	assert_usage_error(&r, NULL);
}

static void test_monitor_usage(void **state)
{
	static const char *const bad[][2] = {
		{ "-c", "0" }, { "-c", "-1" }, { "-c", "abc" }, { "-c", "5x" },
		{ "-c", "" }, { "-c", " 5" },
		{ "-c", "99999999999999999999999" },
		{ "-t", "0" }, { "-t", "-1" }, { "-t", "abc" }, { "-t", "nan" },
		{ "-t", "inf" }, { "-t", "1e300" }, { "-t", "" },
	};
	struct result r;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		run(&r, "monitor", bad[i][0], bad[i][1], NULL);
		if (r.rc != SPIRECCTL_EXIT_USAGE)
			fail_msg("monitor %s '%s' gave %d", bad[i][0], bad[i][1],
				 r.rc);
		assert_one_error_line(&r);
	}
	run(&r, "monitor", "-c", NULL);
	assert_usage_error(&r, "spirecctl: monitor: -c needs an argument (see 'spirecctl help')\n");
	run(&r, "monitor", "-z", NULL);
	assert_usage_error(&r, "spirecctl: monitor: unknown option '-z' (see 'spirecctl help')\n");
	run(&r, "monitor", "now", NULL);
	assert_usage_error(&r, "spirecctl: monitor: unexpected argument 'now' (see 'spirecctl help')\n");
}

/*
 * Without the module (this host, the build machine), commands that need
 * the family fail with exit 1 and the one documented line. Skipped where
 * the module is loaded.
 */
static void test_module_absent(void **state)
{
	static const char *const cmds[] = { "stats", "peers", "flush" };
	struct result r;
	size_t i;

	(void)state;
	run(&r, "status", NULL);
	if (r.rc == 0)
		skip();
	assert_int_equal(r.rc, SPIRECCTL_EXIT_ERROR);
	assert_non_null(strstr(r.out, "not loaded"));
	assert_string_equal(r.err, "");	/* the answer, not an error */
	run(&r, "--status-file", "/nonexistent/spirecd.status", "-j", "status", NULL);
	assert_int_equal(r.rc, SPIRECCTL_EXIT_ERROR);
	assert_string_equal(r.out, "{\"module\":false,\"spirecd\":{\"running\":false,\"reason\":\"no status file\"}}\n");

	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		run(&r, cmds[i], NULL);
		assert_int_equal(r.rc, SPIRECCTL_EXIT_ERROR);
		assert_string_equal(r.out, "");
		assert_string_equal(r.err, "spirecctl: " SPIREC_NL_NO_FAMILY_MSG "\n");
	}
	run(&r, "known", "add", "192.0.2.0/24", NULL);
	assert_int_equal(r.rc, SPIRECCTL_EXIT_ERROR);
	assert_string_equal(r.err, "spirecctl: " SPIREC_NL_NO_FAMILY_MSG "\n");
	run(&r, "monitor", "-c", "1", NULL);
	assert_int_equal(r.rc, SPIRECCTL_EXIT_ERROR);
	assert_string_equal(r.err, "spirecctl: " SPIREC_NL_NO_FAMILY_MSG "\n");
}

static void test_sysctl_write(void **state)
{
	char path[] = "/tmp/spirecctl-test-XXXXXX", buf[8] = { 0 };
	struct spirecctl ctl = { .prog = "spirecctl" };
	struct capture c;
	struct result r;
	int fd;

	(void)state;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);

	assert_int_equal(spirecctl_set_enabled(&ctl, path, true), 0);
	fd = open(path, O_RDONLY);
	assert_int_equal(read(fd, buf, sizeof(buf) - 1), 2);
	close(fd);
	assert_string_equal(buf, "1\n");

	assert_int_equal(spirecctl_sysctl_write(path, "0\n"), 0);
	fd = open(path, O_RDONLY);
	memset(buf, 0, sizeof(buf));
	assert_int_equal(read(fd, buf, sizeof(buf) - 1), 2);
	close(fd);
	assert_string_equal(buf, "0\n");
	unlink(path);

	/* Missing file (module not loaded): -ENOENT and exit 1. */
	assert_int_equal(spirecctl_sysctl_write(path, "1\n"), -ENOENT);
	capture_begin(&c);
	r.rc = spirecctl_set_enabled(&ctl, path, true);
	capture_end(&c, &r);
	assert_int_equal(r.rc, SPIRECCTL_EXIT_ERROR);
	assert_one_error_line(&r);
	assert_non_null(strstr(r.err, "not found: load the module with 'modprobe spirec'"));
	assert_int_equal(spirecctl_sysctl_write("/proc/version", "1\n") < 0,
			 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_command),
		cmocka_unit_test(test_unknown),
		cmocka_unit_test(test_netns),
		cmocka_unit_test(test_help),
		cmocka_unit_test(test_version),
		cmocka_unit_test(test_extra_arguments),
		cmocka_unit_test(test_known_usage),
		cmocka_unit_test(test_monitor_usage),
		cmocka_unit_test(test_module_absent),
		cmocka_unit_test(test_sysctl_write),
	};

	return cmocka_run_group_tests_name("spirecctl_dispatch", tests, NULL,
					   NULL);
}
