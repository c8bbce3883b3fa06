// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * spirecd.conf parser: reading the file, the defaults, the checks of the
 * whole file, looking peers up, freeing. Every problem is reported as
 * "FILE:LINE: problem"; a file with any problem is refused as a whole.
 * config_parser.h lists the files that do the rest.
 */
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config_parser.h"
#include "read_file.h"

/* What a file that sets nothing means (spirecd.conf(5)). */
static const struct spirecd_config config_defaults = {
	.action = SPIRECD_ACTION_NONE,
	.holddown_ms = 30000,
	.holddown_max_ms = 900000,
	.holddown_reset_ms = 900000,
	.verify_quiet_ms = 2000,
	.verify_window_ms = 30000,
	.known_peers_only = true,
	.enable = true,
	.workers = 16,
	.exec_timeout_ms = 10000,
	.vici_timeout_ms = 10000,
	.ike_timeout_ms = 1000,
	.rcvbuf = 1u << 20,
};
#define MAX_CONFIG_SIZE		(1 << 20)

const struct spirecd_peer_cfg *
spirecd_config_find(const struct spirecd_config *cfg,
		    const struct spirec_addr *addr)
{
	const struct spirecd_peer_cfg *best = NULL;

	for (size_t i = 0; i < cfg->npeers; i++) {
		const struct spirecd_peer_cfg *pc = &cfg->peers[i];

		if (!spirec_cidr_contains(&pc->prefix, addr))
			continue;
		if (!best || pc->prefix.prefixlen > best->prefix.prefixlen)
			best = pc;
	}
	return best;
}

static void peer_free(struct spirecd_peer_cfg *pc)
{
	free(pc->local_id);
	free(pc->remote_id);
	spirecd_config_psk_free(pc);
	free(pc->psk_file);
	free(pc->ike);
	free(pc->vici_socket);
	free(pc->vici_child);
	free(pc->vici_ike);
	free(pc->exec);
}

void spirecd_config_free(struct spirecd_config *cfg)
{
	for (size_t i = 0; i < cfg->npeers; i++)
		peer_free(&cfg->peers[i]);
	free(cfg->peers);
	free(cfg->path);
	free(cfg->exec);
	free(cfg->status_file);
	free(cfg->user);
	free(cfg->exec_user);
	memset(cfg, 0, sizeof(*cfg));
}

char *spirecd_config_strdup(struct parser *p, const char *s)
{
	char *d = strdup(s);

	if (!d)
		spirecd_config_problem(p, p->line, "out of memory");
	return d;
}

/* Replace *@slot with a copy of @val. */
void spirecd_config_set_str(struct parser *p, char **slot, const char *val)
{
	free(*slot);
	*slot = spirecd_config_strdup(p, val);
}

/*
 * user and exec_user exist; psk_file owners are root, `user` or the user
 * we run as. Without a running spirecd to ask, --check-config checks the
 * same.
 */
static void users_check(struct parser *p)
{
	struct spirecd_config *cfg = p->cfg;
	struct passwd *pw;
	bool have_user = false;
	uid_t user_uid = 0;

	if (p->no_files)
		return;
	if (cfg->user) {
		pw = getpwnam(cfg->user);
		if (!pw)
			spirecd_config_problem(p, cfg->user_line, "user: no user '%s' on this system (see spirecd(8): the packages create it)",
					       cfg->user);
		else {
			have_user = true;
			user_uid = pw->pw_uid;
		}
	}
	if (cfg->exec_user && !getpwnam(cfg->exec_user))
		spirecd_config_problem(p, cfg->exec_user_line, "exec_user: no user '%s' on this system",
				       cfg->exec_user);
	spirecd_config_psk_owners_check(p, have_user, user_uid);
}

/* Whole-file checks: overlapping addresses, exec without a command. */
static void final_checks(struct parser *p)
{
	struct spirecd_config *cfg = p->cfg;

	for (size_t i = 0; i < cfg->npeers; i++) {
		struct spirecd_peer_cfg *a = &cfg->peers[i];

		if (a->action == SPIRECD_ACTION_EXEC && !a->exec && !cfg->exec)
			spirecd_config_problem(p, a->line, "[peer %s]: action exec needs exec (here or in [global])",
					       a->name);
		for (size_t j = 0; j < i; j++) {
			struct spirecd_peer_cfg *b = &cfg->peers[j];

			if (a->prefix.addr.family &&
			    a->prefix.prefixlen == b->prefix.prefixlen &&
			    spirec_cidr_contains(&a->prefix,
						 &b->prefix.addr)) {
				spirecd_config_problem(p, a->line, "[peer %s]: same address as [peer %s] on line %u",
						       a->name, b->name, b->line);
				break;
			}
		}
	}
	if (cfg->action == SPIRECD_ACTION_EXEC && !cfg->exec)
		spirecd_config_problem(p, 1, "[global]: action exec needs exec");
	users_check(p);
}

static const char *default_status_file(void)
{
	const char *env = getenv(SPIRECD_STATUS_FILE_ENV);

	return env && *env ? env : SPIRECD_DEFAULT_STATUS_FILE;
}

static unsigned int config_parse(const char *path, const char *text,
				 size_t len, bool no_files, mode_t mode,
				 struct spirecd_config *cfg, FILE *errs)
{
	struct parser p = {
		.path = path, .errs = errs, .cfg = cfg, .no_files = no_files,
		.file_mode = mode,
	};

	*cfg = config_defaults;
	cfg->path = strdup(path);
	cfg->status_file = strdup(default_status_file());
	if (!cfg->path || !cfg->status_file)
		spirecd_config_problem(&p, 0, "out of memory");

	spirecd_config_lex(&p, text, len);
	spirecd_config_section_end(&p);
	final_checks(&p);
	spirecd_config_problems_flush(&p);
	if (p.errors) {
		spirecd_config_free(cfg);
		return p.errors;
	}
	return 0;
}

unsigned int spirecd_config_parse(const char *path, const char *text,
				  size_t len, bool no_files,
				  struct spirecd_config *cfg, FILE *errs)
{
	return config_parse(path, text, len, no_files, 0600, cfg, errs);
}

unsigned int spirecd_config_load(const char *path, struct spirecd_config *cfg,
				 FILE *errs)
{
	struct stat st;
	unsigned int n;
	char *text;
	size_t len;
	int fd;

	memset(cfg, 0, sizeof(*cfg));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		fprintf(errs, "%s:0: cannot open: %s\n", path, strerror(errno));
		return 1;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) ||
	    st.st_size > MAX_CONFIG_SIZE) {
		fprintf(errs, "%s:0: not a regular file of at most %d bytes\n",
			path, MAX_CONFIG_SIZE);
		close(fd);
		return 1;
	}
	text = spirec_read_fd(fd, (size_t)st.st_size, &len);
	close(fd);
	if (!text) {
		fprintf(errs, "%s:0: out of memory\n", path);
		return 1;
	}
	n = config_parse(path, text, len, false, st.st_mode, cfg, errs);
	explicit_bzero(text, len);
	free(text);
	return n;
}
