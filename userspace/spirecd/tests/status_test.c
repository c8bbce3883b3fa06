// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests: the status file's content (counters, one line per peer
 * entry), its atomic write, the thread that keeps it up to date and its
 * removal at stop.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../status.h"

static const char conf[] =
	"[global]\nholddown = 30s\naction = hint\n"
	"[peer a]\naddress = 192.0.2.1\naction = hint\n"
	"[peer net]\naddress = 198.51.100.0/24\naction = hint\n";

static struct spirec_addr A(const char *s)
{
	struct spirec_addr a;

	assert_int_equal(spirec_addr_parse(s, &a), 0);
	return a;
}

/* A table with: a held down (level 2), one address of net busy, one
 * unlisted peer after a recovery that sent nothing. */
static void setup_table(struct spirecd_config *cfg, struct spirecd_recovery_table *t)
{
	struct spirec_addr a = A("192.0.2.1"), n = A("198.51.100.7"),
			   u = A("2001:db8::1");
	uint64_t left;

	assert_int_equal(spirecd_config_parse("t.conf", conf, strlen(conf),
					      false, cfg, stderr), 0);
	assert_int_equal(spirecd_recovery_init(t, cfg), 0);
	assert_int_equal(spirecd_recovery_claim(t, cfg, &cfg->peers[0], &a, 1000, &left), SPIRECD_RUN);
	spirecd_recovery_release(t, cfg, &cfg->peers[0], &a, SPIRECD_DONE_OK, 2000, NULL);
	assert_int_equal(spirecd_recovery_claim(t, cfg, &cfg->peers[0], &a, 40000, &left), SPIRECD_RUN);
	spirecd_recovery_release(t, cfg, &cfg->peers[0], &a, SPIRECD_DONE_FAILED, 41000, NULL);
	assert_int_equal(spirecd_recovery_claim(t, cfg, &cfg->peers[1], &n, 41000, &left), SPIRECD_RUN);
	assert_int_equal(spirecd_recovery_claim(t, cfg, NULL, &u, 41000, &left), SPIRECD_RUN);
	spirecd_recovery_release(t, cfg, NULL, &u, SPIRECD_DONE_NOTHING, 41500, NULL);
}

static void test_format(void **state)
{
	struct spirecd_config cfg;
	struct spirecd_recovery_table t;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	(void)state;
	setup_table(&cfg, &t);
	f = open_memstream(&buf, &len);
	assert_non_null(f);
	spirecd_status_format(f, &t, 4321, 1764758400, 1764758460, 51000);
	fclose(f);
	assert_string_equal(buf,
		"# spirecd status, see spirecd(8): \"KEY VALUE\" lines, then one \"peer\" line per peer\n"
		"version 1\n"
		"pid 4321\n"
		"started 1764758400\n"
		"written 1764758460\n"
		"recoveries_started 4\n"
		"recoveries_ok 1\n"
		"recoveries_failed 1\n"
		"recoveries_not_started 1\n"
		"recoveries_not_needed 0\n"
		"not_blackhole_event 0\n"
		"not_blackhole_xfrm 0\n"
		"not_blackhole_ike 0\n"
		"guard_xfrm_errors 0\n"
		"guard_ike_unavailable 0\n"
		"verify_healed 0\n"
		"verify_unhealed 0\n"
		"verify_pending 0\n"
		"verify_last_heal_ms 0\n"
		"peer addr=192.0.2.1 section=192.0.2.1/32 name=a busy=no holddown_left_ms=50000 holddown_ms=60000 level=2 attempts=2 successes=1\n"
		"peer addr=198.51.100.7 section=198.51.100.0/24 name=net busy=yes holddown_left_ms=0 holddown_ms=0 level=0 attempts=1 successes=0\n"
		"peer addr=2001:db8::1 section=- name=- busy=no holddown_left_ms=0 holddown_ms=0 level=0 attempts=1 successes=0\n");
	free(buf);
	spirecd_recovery_destroy(&t);
	spirecd_config_free(&cfg);
}

static char tmpdir[] = "/tmp/spirecd-status-test.XXXXXX";

static int entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	assert_non_null(d);
	while ((e = readdir(d)))
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

static void slurp(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");
	size_t n;

	assert_non_null(f);
	n = fread(buf, 1, len - 1, f);
	buf[n] = '\0';
	fclose(f);
}

/* Written whole, mode 0644, no temporary file left; the directory is
 * created when missing; an impossible path is an error. */
static void test_write(void **state)
{
	struct spirecd_config cfg;
	struct spirecd_recovery_table t;
	char dir[256], path[300], buf[4096];
	struct stat st;

	(void)state;
	setup_table(&cfg, &t);
	snprintf(dir, sizeof(dir), "%s/run", tmpdir);
	snprintf(path, sizeof(path), "%s/spirecd.status", dir);
	assert_int_equal(spirecd_status_write(path, &t, 99, 1000), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0644);
	assert_int_equal(entries(dir), 1);
	slurp(path, buf, sizeof(buf));
	assert_non_null(strstr(buf, "\npid 99\nstarted 1000\n"));
	assert_non_null(strstr(buf, "\npeer addr=192.0.2.1 section=192.0.2.1/32 name=a busy=no "));
	/* Again: replaced, still one file. */
	assert_int_equal(spirecd_status_write(path, &t, 100, 1000), 0);
	assert_int_equal(entries(dir), 1);
	slurp(path, buf, sizeof(buf));
	assert_non_null(strstr(buf, "\npid 100\n"));
	assert_int_equal(unlink(path), 0);
	assert_int_equal(rmdir(dir), 0);
	snprintf(path, sizeof(path), "%s/no/such/dir/spirecd.status", tmpdir);
	assert_int_equal(spirecd_status_write(path, &t, 1, 1), -ENOENT);
	spirecd_recovery_destroy(&t);
	spirecd_config_free(&cfg);
}

/* The thread writes at start, rewrites after a change, and the file is
 * removed at stop. */
static void test_thread(void **state)
{
	struct spirecd_config cfg;
	struct spirecd_recovery_table t;
	struct spirecd_status s;
	struct spirec_addr b = A("198.51.100.8");
	char path[300], buf[4096];
	uint64_t left;
	int i;

	(void)state;
	setup_table(&cfg, &t);
	snprintf(path, sizeof(path), "%s/spirecd.status", tmpdir);
	assert_int_equal(spirecd_status_start(&s, path, &t), 0);
	slurp(path, buf, sizeof(buf));
	assert_non_null(strstr(buf, "\nrecoveries_started 4\n"));
	assert_null(strstr(buf, "198.51.100.8"));
	assert_int_equal(spirecd_recovery_claim(&t, &cfg, &cfg.peers[1], &b, 60000, &left), SPIRECD_RUN);
	for (i = 0; i < 40; i++) {
		usleep(100000);
		slurp(path, buf, sizeof(buf));
		if (strstr(buf, "198.51.100.8"))
			break;
	}
	assert_non_null(strstr(buf, "\npeer addr=198.51.100.8 section=198.51.100.0/24 name=net busy=yes "));
	assert_non_null(strstr(buf, "\nrecoveries_started 5\n"));
	spirecd_status_stop(&s);
	assert_int_equal(access(path, F_OK), -1);
	assert_int_equal(entries(tmpdir), 0);
	/* No path: nothing at all. */
	assert_int_equal(spirecd_status_start(&s, NULL, &t), 0);
	spirecd_status_stop(&s);
	spirecd_recovery_destroy(&t);
	spirecd_config_free(&cfg);
}

static int setup(void **state)
{
	(void)state;
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	return rmdir(tmpdir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_write),
		cmocka_unit_test(test_thread),
	};

	return cmocka_run_group_tests_name("spirecd_status", tests, setup,
					   teardown);
}
