// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * spirecd.conf pre-shared keys: psk (inline, only in a file nobody else
 * can read), psk_file (a regular file of at most SPIRECD_PSK_MAX bytes,
 * mode 0600 or stricter, owned by root or spirecd's user), and wiping
 * every copy of a key once it is no longer needed.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config_parser.h"

/* Wipe and free the key of @pc. */
void spirecd_config_psk_free(struct spirecd_peer_cfg *pc)
{
	if (pc->psk)
		explicit_bzero(pc->psk, pc->psk_len);
	free(pc->psk);
	pc->psk = NULL;
}

/* 0x-prefixed hexadecimal PSK, as swanctl.conf allows. */
static bool psk_from_hex(const char *s, uint8_t **out, size_t *outlen)
{
	size_t n = strlen(s) / 2;
	uint8_t *b;

	if (strlen(s) % 2 || !n)
		return false;
	b = malloc(n);
	if (!b)
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned int v;

		if (!isxdigit((unsigned char)s[2 * i]) ||
		    !isxdigit((unsigned char)s[2 * i + 1]) ||
		    sscanf(s + 2 * i, "%2x", &v) != 1) {
			explicit_bzero(b, n);	/* the key bytes before the bad digit */
			free(b);
			return false;
		}
		b[i] = (uint8_t)v;
	}
	*out = b;
	*outlen = n;
	return true;
}

static bool set_psk(struct parser *p, struct spirecd_peer_cfg *pc,
		    const char *val, bool quoted)
{
	spirecd_config_psk_free(pc);
	if (!quoted && !strncmp(val, "0x", 2)) {
		if (!psk_from_hex(val + 2, &pc->psk, &pc->psk_len)) {
			spirecd_config_problem(p, p->line, "psk: bad hexadecimal key after 0x");
			return false;
		}
		return true;
	}
	pc->psk_len = strlen(val);
	if (pc->psk_len > SPIRECD_PSK_MAX) {
		spirecd_config_problem(p, p->line, "psk: longer than %d bytes",
				       SPIRECD_PSK_MAX);
		return false;
	}
	pc->psk = malloc(pc->psk_len ? pc->psk_len : 1);
	if (!pc->psk) {
		spirecd_config_problem(p, p->line, "out of memory");
		return false;
	}
	memcpy(pc->psk, val, pc->psk_len);
	return true;
}

/*
 * Read a PSK file: no access for group or others; its owner must be root,
 * spirecd's user or the user spirecd runs as (checked in final_checks, once
 * `user` is known).
 */
static void load_psk_file(struct parser *p, struct spirecd_peer_cfg *pc,
			  const char *path)
{
	char buf[SPIRECD_PSK_MAX + 2];
	struct stat st;
	ssize_t n;
	size_t len;
	int fd;

	if (path[0] != '/') {
		spirecd_config_problem(p, p->line, "psk_file: '%s' is not an absolute path",
				       path);
		return;
	}
	spirecd_config_set_str(p, &pc->psk_file, path);
	if (p->no_files) {
		set_psk(p, pc, "fuzz", true);
		return;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	if (fd < 0) {
		spirecd_config_problem(p, p->line, "psk_file: cannot open '%s': %s", path,
				       strerror(errno));
		return;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		spirecd_config_problem(p, p->line, "psk_file: '%s' is not a regular file",
				       path);
		goto out;
	}
	if (st.st_mode & (S_IRWXG | S_IRWXO)) {
		spirecd_config_problem(p, p->line,
				       "psk_file: '%s' is accessible by group or others (mode %04o): chmod 600 it",
				       path, (unsigned int)(st.st_mode & 07777));
		goto out;
	}
	n = read(fd, buf, sizeof(buf));
	if (n < 0) {
		spirecd_config_problem(p, p->line, "psk_file: cannot read '%s': %s", path,
				       strerror(errno));
		goto out;
	}
	len = (size_t)n;
	/* One trailing newline (as written by echo) is not part of it. */
	if (len && buf[len - 1] == '\n')
		len--;
	if (len && buf[len - 1] == '\r')
		len--;
	if (len > SPIRECD_PSK_MAX) {
		spirecd_config_problem(p, p->line, "psk_file: '%s' is longer than %d bytes",
				       path, SPIRECD_PSK_MAX);
		goto out;
	}
	if (!len) {
		spirecd_config_problem(p, p->line, "psk_file: '%s' is empty", path);
		goto out;
	}
	buf[len] = '\0';
	if (memchr(buf, '\0', len)) {
		spirecd_config_problem(p, p->line, "psk_file: '%s' contains a NUL byte", path);
		goto out;
	}
	pc->psk_file_uid = st.st_uid;
	set_psk(p, pc, buf, true);
out:
	explicit_bzero(buf, sizeof(buf));
	close(fd);
}

/* psk = KEY (or 0xHEX unquoted), inline in the configuration file. */
void spirecd_config_psk_key(struct parser *p, const char *val, bool quoted)
{
	struct spirecd_peer_cfg *pc = p->peer;

	if (p->seen & (1u << K_PSK_FILE)) {
		spirecd_config_problem(p, p->line, "psk: psk_file is already set in this section: use one of them");
		return;
	}
	p->psk_line = p->line;
	if (p->file_mode & (S_IRWXG | S_IRWXO)) {
		spirecd_config_problem(p, p->line,
				       "psk: a key written inline in a file that group or others can read (mode %04o): chmod 600 the file or use psk_file",
				       (unsigned int)(p->file_mode & 07777));
		return;
	}
	set_psk(p, pc, val, quoted);
}

/* psk_file = PATH: the key from a file only its owner can read. */
void spirecd_config_psk_file_key(struct parser *p, const char *path)
{
	struct spirecd_peer_cfg *pc = p->peer;

	if (p->seen & (1u << K_PSK)) {
		spirecd_config_problem(p, p->line, "psk_file: psk is already set in this section: use one of them");
		return;
	}
	p->psk_line = p->line;
	pc->psk_file_line = p->line;
	load_psk_file(p, pc, path);
}

void spirecd_config_psk_owners_check(struct parser *p, bool have_user,
				     uid_t user_uid)
{
	struct spirecd_config *cfg = p->cfg;

	for (size_t i = 0; i < cfg->npeers; i++) {
		const struct spirecd_peer_cfg *pc = &cfg->peers[i];
		uid_t o = pc->psk_file_uid;

		if (!pc->psk_file || !pc->psk)
			continue;
		if (o == 0 || o == geteuid() || (have_user && o == user_uid))
			continue;
		spirecd_config_problem(p, pc->psk_file_line, "psk_file: '%s' is owned by uid %u, not by root or spirecd's user: chown it",
				       pc->psk_file, (unsigned int)o);
	}
}
