// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Action exec: run the configured command with the event in environment
 * variables (spirecd.conf(5) lists them). It gets no arguments, stdin
 * from /dev/null, stdout and stderr on spirecd's stderr. After
 * exec_timeout it gets SIGTERM, 2 s later SIGKILL. With exec_user it
 * runs as that user (uid, primary gid, no supplementary groups), and it
 * never gets spirecd's capabilities (no ambient or inheritable set).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "action.h"

#define EXEC_KILL_GRACE_MS	2000
#define EXEC_POLL_MS		20

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

#define NENV 14

static void build_env(const struct spirecd_job *job,
		      char store[NENV][SPIRECD_NAME_MAX + 64], char *env[])
{
	const struct spirec_event_msg *ev = &job->ev;
	char a[INET6_ADDRSTRLEN];
	int i = 0;

	snprintf(store[i++], sizeof(store[0]), "SPIREC_PEER=%s",
		 job->peer ? job->peer->name : "");
	snprintf(store[i++], sizeof(store[0]), "SPIREC_FAMILY=%s",
		 spirec_family_name(ev->family));
	snprintf(store[i++], sizeof(store[0]), "SPIREC_SRC=%s",
		 spirec_addr_format(&ev->src, a, sizeof(a)));
	snprintf(store[i++], sizeof(store[0]), "SPIREC_DST=%s",
		 spirec_addr_format(&ev->dst, a, sizeof(a)));
	snprintf(store[i++], sizeof(store[0]), "SPIREC_SPI=0x%08x", ev->spi);
	snprintf(store[i++], sizeof(store[0]), "SPIREC_PROTO=%s",
		 spirec_proto_name(ev->proto));
	snprintf(store[i++], sizeof(store[0]), "SPIREC_ENCAP=%s",
		 spirec_encap_name(ev->encap));
	snprintf(store[i++], sizeof(store[0]), "SPIREC_SPORT=%u", ev->sport);
	snprintf(store[i++], sizeof(store[0]), "SPIREC_DPORT=%u", ev->dport);
	snprintf(store[i++], sizeof(store[0]), "SPIREC_IFINDEX=%u",
		 ev->ifindex);
	snprintf(store[i++], sizeof(store[0]), "SPIREC_MARK=0x%x", ev->mark);
	snprintf(store[i++], sizeof(store[0]), "SPIREC_SUPPRESSED=%llu",
		 (unsigned long long)ev->suppressed);
	snprintf(store[i++], sizeof(store[0]),
		 "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
	env[i] = NULL;
	while (i--)
		env[i] = store[i];
}

/*
 * fork + execve as @uid/@gid (spirecd runs as root here). Between fork
 * and execve only system calls: the parent has threads.
 */
static int spawn_as(pid_t *pid, const char *cmd, char **argv, char **env,
		    uid_t uid, gid_t gid)
{
	sigset_t none;
	pid_t p;

	sigemptyset(&none);
	p = fork();
	if (p < 0)
		return errno;
	if (p == 0) {
		static const int dfl[] = { SIGTERM, SIGINT, SIGHUP, SIGPIPE };
		int fd;

		for (size_t i = 0; i < sizeof(dfl) / sizeof(dfl[0]); i++)
			signal(dfl[i], SIG_DFL);
		sigprocmask(SIG_SETMASK, &none, NULL);
		setpgid(0, 0);
		fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
		if (fd < 0 || dup2(fd, STDIN_FILENO) < 0 ||
		    dup2(STDERR_FILENO, STDOUT_FILENO) < 0)
			_exit(126);
		if (syscall(SYS_setgroups, 0, NULL) < 0 ||
		    syscall(SYS_setresgid, gid, gid, gid) < 0 ||
		    syscall(SYS_setresuid, uid, uid, uid) < 0)
			_exit(126);
		prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
		execve(cmd, argv, env);
		_exit(127);
	}
	*pid = p;
	return 0;
}

bool spirecd_action_exec(const struct spirecd_job *job, char *msg,
			 size_t len)
{
	const char *cmd = job->peer && job->peer->exec ? job->peer->exec :
			  job->cfg->exec;
	char store[NENV][SPIRECD_NAME_MAX + 64];
	char *env[NENV + 1];
	char *argv[2];
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	sigset_t none, dfl;
	long long start = now_ms(), deadline;
	bool termed = false;
	int err, status;
	pid_t pid;

	if (!cmd) {
		snprintf(msg, len, "exec: no command configured");
		return false;
	}
	build_env(job, store, env);
	argv[0] = (char *)cmd;
	argv[1] = NULL;
	if (job->cfg->exec_user) {
		char pwbuf[1024];
		struct passwd pwd, *pw = NULL;

		getpwnam_r(job->cfg->exec_user, &pwd, pwbuf, sizeof(pwbuf),
			   &pw);
		if (!pw) {
			snprintf(msg, len, "exec %s: exec_user '%s' does not exist",
				 cmd, job->cfg->exec_user);
			return false;
		}
		if (pw->pw_uid != geteuid()) {
			if (geteuid() != 0) {
				snprintf(msg, len, "exec %s: spirecd runs as uid %u and cannot switch to exec_user '%s': leave exec_user unset or equal to user",
					 cmd, (unsigned int)geteuid(),
					 job->cfg->exec_user);
				return false;
			}
			err = spawn_as(&pid, cmd, argv, env, pw->pw_uid,
				       pw->pw_gid);
			if (err) {
				snprintf(msg, len, "exec %s: fork: %s", cmd,
					 strerror(err));
				return false;
			}
			goto wait;
		}
	}

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null",
					 O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, STDERR_FILENO, STDOUT_FILENO);
	posix_spawnattr_init(&attr);
	/* Our threads block every signal; the command must not inherit it. */
	sigemptyset(&none);
	sigemptyset(&dfl);
	sigaddset(&dfl, SIGTERM);
	sigaddset(&dfl, SIGINT);
	sigaddset(&dfl, SIGHUP);
	sigaddset(&dfl, SIGPIPE);
	posix_spawnattr_setsigmask(&attr, &none);
	posix_spawnattr_setsigdefault(&attr, &dfl);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK |
				 POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP);
	err = posix_spawn(&pid, cmd, &fa, &attr, argv, env);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	if (err) {
		snprintf(msg, len, "exec %s: %s", cmd, strerror(err));
		return false;
	}

wait:
	deadline = start + job->cfg->exec_timeout_ms;
	for (;;) {
		pid_t r = waitpid(pid, &status, WNOHANG);

		if (r == pid)
			break;
		if (r < 0 && errno != EINTR) {
			snprintf(msg, len, "exec %s: waitpid: %s", cmd,
				 strerror(errno));
			return false;
		}
		if (now_ms() >= deadline) {
			/* Its own process group: helpers it started go too. */
			kill(-pid, termed ? SIGKILL : SIGTERM);
			termed = true;
			deadline = now_ms() + EXEC_KILL_GRACE_MS;
		}
		usleep(EXEC_POLL_MS * 1000);
	}
	if (termed) {
		snprintf(msg, len, "exec %s: killed after the %u ms time-out",
			 cmd, job->cfg->exec_timeout_ms);
		return false;
	}
	if (WIFEXITED(status) && !WEXITSTATUS(status)) {
		snprintf(msg, len, "exec %s: exit 0 after %lld ms", cmd,
			 now_ms() - start);
		return true;
	}
	if (WIFEXITED(status))
		snprintf(msg, len, "exec %s: exit %d after %lld ms", cmd,
			 WEXITSTATUS(status), now_ms() - start);
	else
		snprintf(msg, len, "exec %s: killed by signal %d", cmd,
			 WTERMSIG(status));
	return false;
}
