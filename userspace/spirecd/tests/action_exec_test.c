// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests: action exec runs the command with the event in its
 * environment, reports its exit status, and kills it after the time-out.
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
#include <time.h>
#include <unistd.h>

#include <pwd.h>
#include <stdlib.h>

#include "../action.h"

static char dir[] = "/tmp/spirecd-exec-test.XXXXXX";
static char script[300], envout[300];

static void write_script(const char *body)
{
	FILE *f = fopen(script, "w");

	assert_non_null(f);
	fprintf(f, "#!/bin/sh\n%s\n", body);
	fclose(f);
	assert_int_equal(chmod(script, 0700), 0);
}

static void job_init(struct spirecd_job *job, struct spirecd_config *cfg,
		     struct spirecd_peer_cfg *pc)
{
	memset(cfg, 0, sizeof(*cfg));
	memset(pc, 0, sizeof(*pc));
	memset(job, 0, sizeof(*job));
	cfg->exec_timeout_ms = 3000;
	strcpy(pc->name, "router-a");
	pc->exec = script;
	job->cfg = cfg;
	job->peer = pc;
	job->action = SPIRECD_ACTION_EXEC;
	spirec_addr_parse("192.0.2.1", &job->ev.src);
	spirec_addr_parse("192.0.2.2", &job->ev.dst);
	job->ev.family = job->ev.src.family;
	job->ev.spi = 0xc0ffee01;
	job->ev.proto = IPPROTO_ESP;
	job->ev.encap = SPIREC_ENCAP_UDP;
	job->ev.sport = 4500;
	job->ev.dport = 4500;
	job->ev.ifindex = 7;
	job->ev.mark = 0x10;
	job->ev.suppressed = 3;
}

static int setup(void **state)
{
	(void)state;
	if (!mkdtemp(dir))
		return -1;
	snprintf(script, sizeof(script), "%s/hook", dir);
	snprintf(envout, sizeof(envout), "%s/env", dir);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	unlink(script);
	unlink(envout);
	return rmdir(dir);
}

static void test_environment(void **state)
{
	struct spirecd_config cfg;
	struct spirecd_peer_cfg pc;
	struct spirecd_job job;
	char body[512], msg[256], text[2048];
	size_t n;
	FILE *f;

	(void)state;
	snprintf(body, sizeof(body), "env | grep -E '^(SPIREC_|PATH=)' | sort > %s",
		 envout);
	write_script(body);
	job_init(&job, &cfg, &pc);
	assert_true(spirecd_action_exec(&job, msg, sizeof(msg)));
	assert_non_null(strstr(msg, "exit 0"));
	f = fopen(envout, "r");
	assert_non_null(f);
	n = fread(text, 1, sizeof(text) - 1, f);
	fclose(f);
	text[n] = '\0';
	assert_string_equal(text,
		"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n"
		"SPIREC_DPORT=4500\n"
		"SPIREC_DST=192.0.2.2\n"
		"SPIREC_ENCAP=udp\n"
		"SPIREC_FAMILY=inet\n"
		"SPIREC_IFINDEX=7\n"
		"SPIREC_MARK=0x10\n"
		"SPIREC_PEER=router-a\n"
		"SPIREC_PROTO=esp\n"
		"SPIREC_SPI=0xc0ffee01\n"
		"SPIREC_SPORT=4500\n"
		"SPIREC_SRC=192.0.2.1\n"
		"SPIREC_SUPPRESSED=3\n");
}

static void test_exit_status(void **state)
{
	struct spirecd_config cfg;
	struct spirecd_peer_cfg pc;
	struct spirecd_job job;
	char msg[256];

	(void)state;
	write_script("exit 3");
	job_init(&job, &cfg, &pc);
	assert_false(spirecd_action_exec(&job, msg, sizeof(msg)));
	assert_non_null(strstr(msg, "exit 3"));

	write_script("kill -9 $$");
	assert_false(spirecd_action_exec(&job, msg, sizeof(msg)));
	assert_non_null(strstr(msg, "killed by signal 9"));

	pc.exec = "/nonexistent/hook";
	assert_false(spirecd_action_exec(&job, msg, sizeof(msg)));
	assert_non_null(strstr(msg, "No such file"));
}

static void test_timeout(void **state)
{
	struct spirecd_config cfg;
	struct spirecd_peer_cfg pc;
	struct spirecd_job job;
	struct timespec a, b;
	char msg[256];
	long ms;

	(void)state;
	write_script("sleep 30");
	job_init(&job, &cfg, &pc);
	cfg.exec_timeout_ms = 300;
	clock_gettime(CLOCK_MONOTONIC, &a);
	assert_false(spirecd_action_exec(&job, msg, sizeof(msg)));
	clock_gettime(CLOCK_MONOTONIC, &b);
	ms = (b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000;
	assert_non_null(strstr(msg, "killed after the 300 ms time-out"));
	assert_true(ms >= 300 && ms < 5000);
}

/* The global command serves peers without their own. */
static void test_global_command(void **state)
{
	struct spirecd_config cfg;
	struct spirecd_peer_cfg pc;
	struct spirecd_job job;
	char msg[256];

	(void)state;
	write_script("[ -z \"$SPIREC_PEER\" ] && exit 0; exit 1");
	job_init(&job, &cfg, &pc);
	job.peer = NULL;
	cfg.exec = script;
	assert_true(spirecd_action_exec(&job, msg, sizeof(msg)));
}

/* exec_user: the command runs as that user, without capabilities. */
static void test_exec_user(void **state)
{
	struct spirecd_config cfg;
	struct spirecd_peer_cfg pc;
	struct spirecd_job job;
	char body[512], msg[256], text[256] = "";
	struct passwd *pw = getpwnam("nobody");
	unsigned int uid = pw ? pw->pw_uid : 0;
	size_t n;
	FILE *f;

	(void)state;
	if (geteuid() != 0 || !pw)
		skip();
	/* nobody must be able to write there (the test's own directory). */
	assert_int_equal(chmod(dir, 0777), 0);
	snprintf(body, sizeof(body),
		 "{ id -u; grep -E '^Cap(Eff|Prm|Amb)' /proc/self/status; } > %s",
		 envout);
	write_script(body);
	assert_int_equal(chmod(script, 0755), 0);
	unlink(envout);
	job_init(&job, &cfg, &pc);
	cfg.exec_user = "nobody";
	assert_true(spirecd_action_exec(&job, msg, sizeof(msg)));
	f = fopen(envout, "r");
	assert_non_null(f);
	n = fread(text, 1, sizeof(text) - 1, f);
	fclose(f);
	text[n] = '\0';
	print_message("# as exec_user nobody: %s", text);
	assert_int_equal((unsigned int)strtoul(text, NULL, 10), uid);
	assert_non_null(strstr(text, "CapEff:\t0000000000000000"));
	assert_non_null(strstr(text, "CapPrm:\t0000000000000000"));
	assert_non_null(strstr(text, "CapAmb:\t0000000000000000"));
	assert_int_equal(chmod(dir, 0700), 0);

	cfg.exec_user = "no-such-user-spirec";
	assert_false(spirecd_action_exec(&job, msg, sizeof(msg)));
	assert_non_null(strstr(msg, "exec_user 'no-such-user-spirec' does not exist"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_environment),
		cmocka_unit_test(test_exit_status),
		cmocka_unit_test(test_timeout),
		cmocka_unit_test(test_global_command),
		cmocka_unit_test(test_exec_user),
	};

	return cmocka_run_group_tests_name("spirecd_action_exec", tests, setup,
					   teardown);
}
