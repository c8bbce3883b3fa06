// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cmocka tests of the privilege drop: in a forked child (root needed,
 * skipped otherwise) become nobody with only CAP_NET_ADMIN and CAP_NET_RAW, not dumpable,
 * unable to get root back; a missing user is a clear error.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <pwd.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/capability.h>

#include "../privdrop.h"

/* CapEff/CapPrm/CapBnd of this process from /proc/self/status. */
static unsigned long long cap_line(const char *key)
{
	FILE *f = fopen("/proc/self/status", "re");
	char line[256];
	unsigned long long v = ~0ULL;

	if (!f)
		return v;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, strlen(key)))
			v = strtoull(line + strlen(key), NULL, 16);
	fclose(f);
	return v;
}

static void test_missing_user(void **state)
{
	char err[256] = "";

	(void)state;
	assert_int_equal(spirecd_drop_privileges("no-such-user-spirec", NULL,
						 err, sizeof(err)), -1);
	assert_non_null(strstr(err, "user 'no-such-user-spirec' does not exist"));
}

static int child_checks(const struct passwd *pwd, const char *dirfile)
{
	/* getpwnam() inside the drop reuses the static struct passwd. */
	struct passwd copy = *pwd, *pw = &copy;
	char name[64];
	unsigned long long na = SPIRECD_CAPS;
	char err[256] = "";
	int fd, v = 1 << 20;

	snprintf(name, sizeof(name), "%s", pwd->pw_name);
	copy.pw_name = name;
	if (spirecd_drop_privileges(pw->pw_name, dirfile, err, sizeof(err))) {
		fprintf(stderr, "# drop: %s\n", err);
		return 10;
	}
	if (getuid() != pw->pw_uid || geteuid() != pw->pw_uid ||
	    getgid() != pw->pw_gid || getgroups(0, NULL) != 0)
		return 11;
	if (cap_line("CapEff:\t") != na || cap_line("CapPrm:\t") != na ||
	    cap_line("CapBnd:\t") != na || cap_line("CapInh:\t") != 0)
		return 12;
	if (prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) != 0)
		return 13;
	if (setuid(0) == 0 || seteuid(0) == 0) {
		fprintf(stderr, "# uid %u euid %u\n", getuid(), geteuid());
		return 14;
	}
	/* CAP_NET_ADMIN still works: SO_RCVBUFFORCE. */
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &v,
				 sizeof(v)) < 0)
		return 15;
	close(fd);
	/* Dropping again as that user only trims, succeeds. */
	if (spirecd_drop_privileges(pw->pw_name, NULL, err, sizeof(err)))
		return 16;
	/* Another user is refused now. */
	if (!spirecd_drop_privileges("root", NULL, err, sizeof(err)) ||
	    !strstr(err, "cannot switch"))
		return 17;
	return 0;
}

static void test_drop_to_nobody(void **state)
{
	struct passwd *pw;
	char dir[] = "/tmp/spirecd-privdrop.XXXXXX", file[64];
	struct stat st;
	int status;
	pid_t pid;

	(void)state;
	pw = getpwnam("nobody");
	if (geteuid() != 0 || !pw)
		skip();
	assert_non_null(mkdtemp(dir));
	snprintf(file, sizeof(file), "%s/run/status", dir);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(child_checks(pw, file));
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	/* The status file's directory was created for that user. */
	snprintf(file, sizeof(file), "%s/run", dir);
	assert_int_equal(stat(file, &st), 0);
	assert_int_equal(st.st_uid, pw->pw_uid);
	rmdir(file);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_missing_user),
		cmocka_unit_test(test_drop_to_nobody),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
