// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * spirecd.conf parser. Line oriented: "[global]", "[peer NAME]",
 * "key = value", "#" or ";" comments (whole lines, or after whitespace
 * following a value), values optionally in double quotes with \" and \\
 * escapes. Every problem is reported as "FILE:LINE: problem"; a file with
 * any problem is refused as a whole.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "read_file.h"
#include "../ike/identity.h"
#include "../ike/proposal.h"
#include "../ike/v1_proposal.h"

#define DEFAULT_HOLDDOWN_MS	30000
#define DEFAULT_HOLDDOWN_MAX_MS	900000
#define DEFAULT_HOLDDOWN_RESET_MS 900000
#define DEFAULT_VERIFY_QUIET_MS	2000
#define DEFAULT_VERIFY_WINDOW_MS 30000
#define DEFAULT_WORKERS		4
#define MAX_WORKERS		64
#define DEFAULT_EXEC_TIMEOUT_MS	10000
#define DEFAULT_VICI_TIMEOUT_MS	10000
#define DEFAULT_IKE_TIMEOUT_MS	1000
#define DEFAULT_RCVBUF		(1u << 20)
#define MAX_RCVBUF		(64u << 20)
#define DEFAULT_VICI_SOCKET	"/var/run/charon.vici"
#define MAX_CONFIG_SIZE		(1 << 20)

struct problem {
	unsigned int line, seq;
	char *text;
};

struct parser {
	const char *path;
	FILE *errs;
	unsigned int errors;
	struct problem *problems;	/* printed sorted by line at the end */
	size_t nproblems, problems_cap;
	unsigned int line;
	bool no_files;
	mode_t file_mode;		/* of the configuration file */
	struct spirecd_config *cfg;
	enum { SEC_NONE, SEC_GLOBAL, SEC_PEER, SEC_BAD } sec;
	struct spirecd_peer_cfg *peer;	/* current [peer] */
	bool global_seen;
	uint32_t seen;			/* keys seen in the section */
	unsigned int psk_line;		/* where psk/psk_file was set */
	unsigned int addr_line;		/* where address was set */
	bool has_action;
	size_t cap;			/* of cfg->peers */
};

static void problem(struct parser *p, unsigned int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void problem(struct parser *p, unsigned int line, const char *fmt, ...)
{
	struct problem *pb;
	char *text = NULL;
	va_list ap;
	int n;

	p->errors++;
	if (!p->errs)
		return;
	va_start(ap, fmt);
	n = vasprintf(&text, fmt, ap);
	va_end(ap);
	if (n < 0)
		text = NULL;
	if (p->nproblems == p->problems_cap) {
		size_t cap = p->problems_cap ? p->problems_cap * 2 : 8;

		pb = reallocarray(p->problems, cap, sizeof(*pb));
		if (!pb) {
			/* Out of memory: say it now rather than never. */
			fprintf(p->errs, "%s:%u: %s\n", p->path, line,
				text ? text : "out of memory");
			free(text);
			return;
		}
		p->problems = pb;
		p->problems_cap = cap;
	}
	pb = &p->problems[p->nproblems];
	pb->line = line;
	pb->seq = (unsigned int)p->nproblems++;
	pb->text = text;
}

static int problem_cmp(const void *a, const void *b)
{
	const struct problem *x = a, *y = b;

	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Print the problems in line order, then forget them. */
static void problems_flush(struct parser *p)
{
	if (p->nproblems)
		qsort(p->problems, p->nproblems, sizeof(*p->problems),
		      problem_cmp);
	for (size_t i = 0; i < p->nproblems; i++) {
		fprintf(p->errs, "%s:%u: %s\n", p->path, p->problems[i].line,
			p->problems[i].text ? p->problems[i].text :
			"out of memory");
		free(p->problems[i].text);
	}
	free(p->problems);
	p->problems = NULL;
	p->nproblems = p->problems_cap = 0;
}

const char *spirecd_action_name(enum spirecd_action action)
{
	switch (action) {
	case SPIRECD_ACTION_NONE: return "none";
	case SPIRECD_ACTION_IKEV2: return "ikev2";
	case SPIRECD_ACTION_HINT: return "hint";
	case SPIRECD_ACTION_VICI: return "vici";
	case SPIRECD_ACTION_EXEC: return "exec";
	case SPIRECD_ACTION_IKEV1: return "ikev1";
	}
	return "?";
}

int spirecd_action_parse(const char *s)
{
	static const enum spirecd_action all[] = {
		SPIRECD_ACTION_NONE, SPIRECD_ACTION_IKEV2, SPIRECD_ACTION_HINT,
		SPIRECD_ACTION_VICI, SPIRECD_ACTION_EXEC, SPIRECD_ACTION_IKEV1,
	};

	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		if (!strcmp(s, spirecd_action_name(all[i])))
			return (int)all[i];
	return -1;
}

bool spirecd_duration_parse(const char *s, unsigned int max_ms,
			    unsigned int *ms)
{
	unsigned long long v = 0, mult;
	const char *q = s;

	if (!isdigit((unsigned char)*q))
		return false;
	while (isdigit((unsigned char)*q)) {
		v = v * 10 + (unsigned long long)(*q++ - '0');
		if (v > 100000000ULL)
			return false;
	}
	if (!*q || !strcmp(q, "s"))
		mult = 1000;
	else if (!strcmp(q, "ms"))
		mult = 1;
	else if (!strcmp(q, "m"))
		mult = 60000;
	else if (!strcmp(q, "h"))
		mult = 3600000;
	else
		return false;
	if (v * mult > max_ms)
		return false;
	*ms = (unsigned int)(v * mult);
	return true;
}

bool spirecd_size_parse(const char *s, unsigned int max, unsigned int *bytes)
{
	unsigned long long v = 0, mult;
	const char *q = s;

	if (!isdigit((unsigned char)*q))
		return false;
	while (isdigit((unsigned char)*q)) {
		v = v * 10 + (unsigned long long)(*q++ - '0');
		if (v > 0xffffffffULL)
			return false;
	}
	if (!*q)
		mult = 1;
	else if (!strcmp(q, "k") || !strcmp(q, "K"))
		mult = 1024;
	else if (!strcmp(q, "m") || !strcmp(q, "M"))
		mult = 1024 * 1024;
	else
		return false;
	if (v * mult > max)
		return false;
	*bytes = (unsigned int)(v * mult);
	return true;
}

static int parse_bool(const char *s)
{
	if (!strcmp(s, "yes") || !strcmp(s, "true") || !strcmp(s, "on") ||
	    !strcmp(s, "1"))
		return 1;
	if (!strcmp(s, "no") || !strcmp(s, "false") || !strcmp(s, "off") ||
	    !strcmp(s, "0"))
		return 0;
	return -1;
}

bool spirecd_prefix_contains(const struct spirec_prefix *pfx,
			     const struct spirec_addr *addr)
{
	unsigned int bits = pfx->prefixlen, full = bits / 8, rest = bits % 8;

	if (pfx->addr.family != addr->family)
		return false;
	if (memcmp(pfx->addr.bytes, addr->bytes, full))
		return false;
	if (rest) {
		uint8_t mask = (uint8_t)(0xff << (8 - rest));

		if ((pfx->addr.bytes[full] ^ addr->bytes[full]) & mask)
			return false;
	}
	return true;
}

const struct spirecd_peer_cfg *
spirecd_config_find(const struct spirecd_config *cfg,
		    const struct spirec_addr *addr)
{
	const struct spirecd_peer_cfg *best = NULL;

	for (size_t i = 0; i < cfg->npeers; i++) {
		const struct spirecd_peer_cfg *pc = &cfg->peers[i];

		if (!spirecd_prefix_contains(&pc->prefix, addr))
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
	if (pc->psk)
		explicit_bzero(pc->psk, pc->psk_len);
	free(pc->psk);
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

static char *dup_or_die(struct parser *p, const char *s)
{
	char *d = strdup(s);

	if (!d)
		problem(p, p->line, "out of memory");
	return d;
}

/* Replace *@slot with a copy of @val. */
static void set_str(struct parser *p, char **slot, const char *val)
{
	free(*slot);
	*slot = dup_or_die(p, val);
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
	if (pc->psk) {
		explicit_bzero(pc->psk, pc->psk_len);
		free(pc->psk);
		pc->psk = NULL;
	}
	if (!quoted && !strncmp(val, "0x", 2)) {
		if (!psk_from_hex(val + 2, &pc->psk, &pc->psk_len)) {
			problem(p, p->line, "psk: bad hexadecimal key after 0x");
			return false;
		}
		return true;
	}
	pc->psk_len = strlen(val);
	if (pc->psk_len > SPIRECD_PSK_MAX) {
		problem(p, p->line, "psk: longer than %d bytes",
			SPIRECD_PSK_MAX);
		return false;
	}
	pc->psk = malloc(pc->psk_len ? pc->psk_len : 1);
	if (!pc->psk) {
		problem(p, p->line, "out of memory");
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
		problem(p, p->line, "psk_file: '%s' is not an absolute path",
			path);
		return;
	}
	set_str(p, &pc->psk_file, path);
	if (p->no_files) {
		set_psk(p, pc, "fuzz", true);
		return;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	if (fd < 0) {
		problem(p, p->line, "psk_file: cannot open '%s': %s", path,
			strerror(errno));
		return;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		problem(p, p->line, "psk_file: '%s' is not a regular file",
			path);
		goto out;
	}
	if (st.st_mode & (S_IRWXG | S_IRWXO)) {
		problem(p, p->line,
			"psk_file: '%s' is accessible by group or others (mode %04o): chmod 600 it",
			path, (unsigned int)(st.st_mode & 07777));
		goto out;
	}
	n = read(fd, buf, sizeof(buf));
	if (n < 0) {
		problem(p, p->line, "psk_file: cannot read '%s': %s", path,
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
		problem(p, p->line, "psk_file: '%s' is longer than %d bytes",
			path, SPIRECD_PSK_MAX);
		goto out;
	}
	if (!len) {
		problem(p, p->line, "psk_file: '%s' is empty", path);
		goto out;
	}
	buf[len] = '\0';
	if (memchr(buf, '\0', len)) {
		problem(p, p->line, "psk_file: '%s' contains a NUL byte", path);
		goto out;
	}
	pc->psk_file_uid = st.st_uid;
	set_psk(p, pc, buf, true);
out:
	explicit_bzero(buf, sizeof(buf));
	close(fd);
}

static bool check_identity(struct parser *p, const char *key, const char *val)
{
	struct ike_identity id;
	char err[160];

	if (ike_identity_parse(val, &id, err, sizeof(err)) < 0) {
		problem(p, p->line, "%s: '%s': %s", key, val, err);
		return false;
	}
	return true;
}

static bool check_path(struct parser *p, const char *key, const char *val)
{
	if (val[0] != '/') {
		problem(p, p->line, "%s: '%s' is not an absolute path", key,
			val);
		return false;
	}
	return true;
}

enum key_id {
	K_ACTION, K_HOLDDOWN, K_KNOWN_ONLY, K_ENABLE, K_WORKERS, K_EXEC,
	K_EXEC_TIMEOUT, K_VICI_TIMEOUT, K_IKE_TIMEOUT, K_RCVBUF,
	K_HOLDDOWN_MAX, K_HOLDDOWN_RESET, K_STATUS_FILE, K_VERIFY_QUIET,
	K_VERIFY_WINDOW,
	K_ADDRESS, K_LOCAL_ID, K_REMOTE_ID, K_PSK, K_PSK_FILE, K_IKE,
	K_VICI_SOCKET, K_VICI_CHILD, K_VICI_IKE, K_USER, K_EXEC_USER,
};

static const struct key_def {
	const char *name;
	enum key_id id;
	bool global, peer;
} keys[] = {
	{ "action", K_ACTION, true, true },
	{ "holddown", K_HOLDDOWN, true, false },
	{ "holddown_max", K_HOLDDOWN_MAX, true, false },
	{ "holddown_reset", K_HOLDDOWN_RESET, true, false },
	{ "status_file", K_STATUS_FILE, true, false },
	{ "verify_quiet", K_VERIFY_QUIET, true, false },
	{ "verify_window", K_VERIFY_WINDOW, true, false },
	{ "known_peers_only", K_KNOWN_ONLY, true, false },
	{ "enable", K_ENABLE, true, false },
	{ "workers", K_WORKERS, true, false },
	{ "exec", K_EXEC, true, true },
	{ "exec_timeout", K_EXEC_TIMEOUT, true, false },
	{ "vici_timeout", K_VICI_TIMEOUT, true, false },
	{ "ike_timeout", K_IKE_TIMEOUT, true, false },
	{ "rcvbuf", K_RCVBUF, true, false },
	{ "user", K_USER, true, false },
	{ "exec_user", K_EXEC_USER, true, false },
	{ "address", K_ADDRESS, false, true },
	{ "local_id", K_LOCAL_ID, false, true },
	{ "remote_id", K_REMOTE_ID, false, true },
	{ "psk", K_PSK, false, true },
	{ "psk_file", K_PSK_FILE, false, true },
	{ "ike", K_IKE, false, true },
	{ "vici_socket", K_VICI_SOCKET, false, true },
	{ "vici_child", K_VICI_CHILD, false, true },
	{ "vici_ike", K_VICI_IKE, false, true },
};

static void set_duration(struct parser *p, const char *key, const char *val,
			 unsigned int min_ms, unsigned int max_ms,
			 unsigned int *slot)
{
	unsigned int ms;

	if (!spirecd_duration_parse(val, max_ms, &ms) || ms < min_ms)
		problem(p, p->line,
			"%s: '%s' is not a duration from %ums to %us (e.g. 30s, 500ms, 2m)",
			key, val, min_ms, max_ms / 1000);
	else
		*slot = ms;
}

static void global_key(struct parser *p, enum key_id id, const char *key,
		       const char *val)
{
	struct spirecd_config *cfg = p->cfg;
	int b, a;

	switch (id) {
	case K_ACTION:
		a = spirecd_action_parse(val);
		if (a < 0)
			problem(p, p->line, "action: '%s' is not one of ikev2, ikev1, hint, vici, exec, none",
				val);
		else if (a == SPIRECD_ACTION_IKEV2 || a == SPIRECD_ACTION_IKEV1 ||
			 a == SPIRECD_ACTION_VICI)
			problem(p, p->line, "action: '%s' needs per-peer settings: in [global] use hint, exec or none",
				val);
		else
			cfg->action = (enum spirecd_action)a;
		break;
	case K_HOLDDOWN:
		set_duration(p, key, val, 1000, 86400000, &cfg->holddown_ms);
		break;
	case K_HOLDDOWN_MAX:
		set_duration(p, key, val, 1000, 86400000,
			     &cfg->holddown_max_ms);
		break;
	case K_HOLDDOWN_RESET:
		set_duration(p, key, val, 0, 86400000,
			     &cfg->holddown_reset_ms);
		break;
	case K_VERIFY_QUIET:
		set_duration(p, key, val, 100, 60000, &cfg->verify_quiet_ms);
		break;
	case K_VERIFY_WINDOW:
		set_duration(p, key, val, 0, 600000, &cfg->verify_window_ms);
		break;
	case K_STATUS_FILE:
		free(cfg->status_file);
		cfg->status_file = NULL;
		if (strcmp(val, "none") && check_path(p, key, val))
			cfg->status_file = dup_or_die(p, val);
		break;
	case K_KNOWN_ONLY:
	case K_ENABLE:
		b = parse_bool(val);
		if (b < 0)
			problem(p, p->line, "%s: '%s' is not yes or no", key,
				val);
		else if (id == K_KNOWN_ONLY)
			cfg->known_peers_only = b;
		else
			cfg->enable = b;
		break;
	case K_WORKERS: {
		char *end;
		unsigned long v;

		errno = 0;
		v = strtoul(val, &end, 10);
		if (!isdigit((unsigned char)val[0]) || *end || errno ||
		    v < 1 || v > MAX_WORKERS)
			problem(p, p->line, "workers: '%s' is not a number from 1 to %d",
				val, MAX_WORKERS);
		else
			cfg->workers = (unsigned int)v;
		break;
	}
	case K_EXEC:
		if (check_path(p, key, val))
			set_str(p, &cfg->exec, val);
		break;
	case K_EXEC_TIMEOUT:
		set_duration(p, key, val, 100, 3600000, &cfg->exec_timeout_ms);
		break;
	case K_VICI_TIMEOUT:
		set_duration(p, key, val, 100, 600000, &cfg->vici_timeout_ms);
		break;
	case K_IKE_TIMEOUT:
		set_duration(p, key, val, 100, 60000, &cfg->ike_timeout_ms);
		break;
	case K_USER:
	case K_EXEC_USER:
		if (!val[0] || strlen(val) > 32 || strchr(val, '/') ||
		    strchr(val, ':')) {
			problem(p, p->line, "%s: '%s' is not a user name", key,
				val);
			break;
		}
		if (id == K_USER) {
			set_str(p, &cfg->user, val);
			cfg->user_line = p->line;
		} else {
			set_str(p, &cfg->exec_user, val);
			cfg->exec_user_line = p->line;
		}
		break;
	case K_RCVBUF:
		if (!spirecd_size_parse(val, MAX_RCVBUF, &cfg->rcvbuf) ||
		    !cfg->rcvbuf)
			problem(p, p->line, "rcvbuf: '%s' is not a size from 1 to %uM bytes (e.g. 4096, 256k, 1M)",
				val, MAX_RCVBUF >> 20);
		break;
	default:
		break;
	}
}

static void peer_key(struct parser *p, enum key_id id, const char *key,
		     const char *val, bool quoted)
{
	struct spirecd_peer_cfg *pc = p->peer;
	enum spirec_addr_err aerr;
	int a;

	switch (id) {
	case K_ADDRESS:
		p->addr_line = p->line;
		aerr = spirec_prefix_parse(val, &pc->prefix);
		if (aerr)
			problem(p, p->line, "address: '%s': %s", val,
				spirec_addr_strerror(aerr));
		break;
	case K_LOCAL_ID:
		if (check_identity(p, key, val))
			set_str(p, &pc->local_id, val);
		break;
	case K_REMOTE_ID:
		if (check_identity(p, key, val))
			set_str(p, &pc->remote_id, val);
		break;
	case K_PSK:
		if (p->seen & (1u << K_PSK_FILE)) {
			problem(p, p->line, "psk: psk_file is already set in this section: use one of them");
			break;
		}
		p->psk_line = p->line;
		if (p->file_mode & (S_IRWXG | S_IRWXO)) {
			problem(p, p->line,
				"psk: a key written inline in a file that group or others can read (mode %04o): chmod 600 the file or use psk_file",
				(unsigned int)(p->file_mode & 07777));
			break;
		}
		set_psk(p, pc, val, quoted);
		break;
	case K_PSK_FILE:
		if (p->seen & (1u << K_PSK)) {
			problem(p, p->line, "psk_file: psk is already set in this section: use one of them");
			break;
		}
		p->psk_line = p->line;
		pc->psk_file_line = p->line;
		load_psk_file(p, pc, val);
		break;
	case K_IKE:
		/* Checked in peer_finish(): the syntax depends on action. */
		set_str(p, &pc->ike, val);
		pc->ike_line = p->line;
		break;
	case K_ACTION:
		a = spirecd_action_parse(val);
		if (a < 0) {
			problem(p, p->line, "action: '%s' is not one of ikev2, ikev1, hint, vici, exec, none",
				val);
			break;
		}
		pc->action = (enum spirecd_action)a;
		p->has_action = true;
		break;
	case K_VICI_SOCKET:
		if (!strncmp(val, "unix://", 7))
			val += 7;
		if (check_path(p, key, val))
			set_str(p, &pc->vici_socket, val);
		break;
	case K_VICI_CHILD:
	case K_VICI_IKE:
		if (strlen(val) > 255) {
			problem(p, p->line, "%s: longer than 255 bytes", key);
			break;
		}
		set_str(p, id == K_VICI_CHILD ? &pc->vici_child :
			&pc->vici_ike, val);
		break;
	case K_EXEC:
		if (check_path(p, key, val))
			set_str(p, &pc->exec, val);
		break;
	default:
		break;
	}
}

/* ike = in the syntax of the peer's action (IKEv1 or IKEv2 keywords). */
static void check_ike(struct parser *p, struct spirecd_peer_cfg *pc)
{
	char err[160];
	int rc;

	if (!pc->ike)
		return;
	if (pc->action == SPIRECD_ACTION_IKEV1) {
		struct ike_v1_proposals v1;

		rc = ike_v1_proposals_parse(pc->ike, &v1, err, sizeof(err));
	} else {
		struct ike_sa_payload sa;

		rc = ike_proposals_parse(pc->ike, &sa, err, sizeof(err));
	}
	if (rc < 0)
		problem(p, pc->ike_line, "ike: '%s': %s%s", pc->ike, err,
			pc->action == SPIRECD_ACTION_IKEV1 ?
			" (action ikev1: IKEv1 proposals)" : "");
}

/* ikev2 and ikev1: one address, local_id (if @need_id), a PSK. */
static void check_ike_peer(struct parser *p, struct spirecd_peer_cfg *pc,
			   const char *what, bool need_id)
{
	unsigned int l = pc->line;

	if ((p->seen & (1u << K_ADDRESS)) && pc->prefix.addr.family &&
	    pc->prefix.prefixlen !=
	    spirec_addr_maxprefix(pc->prefix.addr.family)) {
		char a[SPIREC_ADDR_STRLEN];

		spirec_prefix_format(&pc->prefix, a, sizeof(a));
		problem(p, p->addr_line, "[peer %s]: action %s needs a single address, not the prefix %s: IKE would go to any address an unauthenticated packet claims (offline PSK attack)",
			pc->name, what, a);
	}
	if (need_id && !pc->local_id)
		problem(p, l, "[peer %s]: action %s needs local_id", pc->name,
			what);
	if (!(p->seen & ((1u << K_PSK) | (1u << K_PSK_FILE))))
		problem(p, l, "[peer %s]: action %s needs psk or psk_file",
			pc->name, what);
}

/* Checks of a [peer] section once it is complete. */
static void peer_finish(struct parser *p)
{
	struct spirecd_peer_cfg *pc = p->peer;
	unsigned int l = pc->line;

	if (!(p->seen & (1u << K_ADDRESS))) {
		problem(p, l, "[peer %s]: no address", pc->name);
	}
	check_ike(p, pc);
	switch (pc->action) {
	case SPIRECD_ACTION_IKEV2:
		check_ike_peer(p, pc, "ikev2", true);
		break;
	case SPIRECD_ACTION_IKEV1:
		/* No local_id: Main Mode's usual address identity. */
		check_ike_peer(p, pc, "ikev1", false);
		break;
	case SPIRECD_ACTION_VICI:
		if (!pc->vici_child)
			problem(p, l, "[peer %s]: action vici needs vici_child",
				pc->name);
		if (!pc->vici_socket)
			set_str(p, &pc->vici_socket, DEFAULT_VICI_SOCKET);
		break;
	default:
		break;
	}
	if (pc->psk && !pc->psk_len)
		problem(p, p->psk_line, "psk: empty");
	p->peer = NULL;
}

static void section_end(struct parser *p)
{
	if (p->sec == SEC_PEER && p->peer)
		peer_finish(p);
	p->seen = 0;
	p->has_action = false;
	p->psk_line = 0;
	p->addr_line = 0;
}

static bool valid_name(const char *s)
{
	size_t n = strlen(s);

	if (!n || n > SPIRECD_NAME_MAX)
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("._-", *s))
			return false;
	return true;
}

static void section_start(struct parser *p, char *hdr)
{
	struct spirecd_config *cfg = p->cfg;
	char *name;

	section_end(p);
	p->sec = SEC_BAD;
	if (!strcmp(hdr, "global")) {
		if (p->global_seen)
			problem(p, p->line, "[global] appears twice");
		p->global_seen = true;
		p->sec = SEC_GLOBAL;
		return;
	}
	if (strncmp(hdr, "peer", 4) || !isspace((unsigned char)hdr[4])) {
		problem(p, p->line, "unknown section [%s]: want [global] or [peer NAME]",
			hdr);
		return;
	}
	name = hdr + 5;
	while (isspace((unsigned char)*name))
		name++;
	if (!valid_name(name)) {
		problem(p, p->line, "[peer %s]: a name is 1 to %d letters, digits, '.', '_' or '-'",
			name, SPIRECD_NAME_MAX);
		return;
	}
	for (size_t i = 0; i < cfg->npeers; i++)
		if (!strcmp(cfg->peers[i].name, name)) {
			problem(p, p->line, "[peer %s]: already defined on line %u",
				name, cfg->peers[i].line);
			return;
		}
	if (cfg->npeers == SPIRECD_MAX_PEERS) {
		problem(p, p->line, "[peer %s]: more than %d peers", name,
			SPIRECD_MAX_PEERS);
		return;
	}
	if (cfg->npeers == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 4;
		struct spirecd_peer_cfg *np;

		np = reallocarray(cfg->peers, cap, sizeof(*np));
		if (!np) {
			problem(p, p->line, "out of memory");
			return;
		}
		cfg->peers = np;
		p->cap = cap;
	}
	p->peer = &cfg->peers[cfg->npeers++];
	memset(p->peer, 0, sizeof(*p->peer));
	strcpy(p->peer->name, name);
	p->peer->line = p->line;
	p->peer->action = SPIRECD_ACTION_IKEV2;
	p->sec = SEC_PEER;
}

/*
 * Split "key = value" in place. The value may be "quoted" (with \" and
 * \\); unquoted, it ends at a '#' or ';' that follows whitespace.
 */
static bool split_kv(struct parser *p, char *s, char **key, char **val,
		     bool *quoted)
{
	char *eq = strchr(s, '='), *v, *e;

	if (!eq) {
		problem(p, p->line, "expected 'key = value', '[section]' or a comment");
		return false;
	}
	for (e = eq; e > s && isspace((unsigned char)e[-1]); e--)
		;
	*e = '\0';
	*key = s;
	if (!**key) {
		problem(p, p->line, "missing key before '='");
		return false;
	}
	v = eq + 1;
	while (isspace((unsigned char)*v))
		v++;
	*quoted = *v == '"';
	if (*quoted) {
		char *w = ++v, *r = v;

		for (;;) {
			if (!*r) {
				problem(p, p->line, "%s: unterminated quoted value",
					*key);
				return false;
			}
			if (*r == '"')
				break;
			if (*r == '\\' && (r[1] == '"' || r[1] == '\\'))
				r++;
			*w++ = *r++;
		}
		e = r + 1;
		*w = '\0';
		while (isspace((unsigned char)*e))
			e++;
		if (*e && *e != '#' && *e != ';') {
			problem(p, p->line, "%s: unexpected text after the quoted value",
				*key);
			return false;
		}
	} else {
		for (e = v; *e; e++)
			if ((*e == '#' || *e == ';') &&
			    (e == v || isspace((unsigned char)e[-1])))
				break;
		*e = '\0';
		while (e > v && isspace((unsigned char)e[-1]))
			*--e = '\0';
		if (!*v) {
			problem(p, p->line, "%s: empty value", *key);
			return false;
		}
	}
	*val = v;
	return true;
}

static void parse_line(struct parser *p, char *s)
{
	const struct key_def *kd = NULL;
	char *key, *val, *end;
	bool quoted;

	while (isspace((unsigned char)*s))
		s++;
	if (!*s || *s == '#' || *s == ';')
		return;
	if (*s == '[') {
		end = strchr(s, ']');
		if (!end) {
			problem(p, p->line, "section header without ']'");
			section_end(p);
			p->sec = SEC_BAD;
			return;
		}
		*end++ = '\0';
		while (isspace((unsigned char)*end))
			end++;
		if (*end && *end != '#' && *end != ';')
			problem(p, p->line, "unexpected text after the section header");
		section_start(p, s + 1);
		return;
	}
	if (!split_kv(p, s, &key, &val, &quoted))
		return;
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (!strcmp(keys[i].name, key))
			kd = &keys[i];
	switch (p->sec) {
	case SEC_NONE:
		problem(p, p->line, "%s: outside of any section ([global] or [peer NAME] first)",
			key);
		return;
	case SEC_BAD:
		return;	/* the section header was already reported */
	case SEC_GLOBAL:
		if (!kd || !kd->global) {
			problem(p, p->line, "unknown key '%s' in [global]",
				key);
			return;
		}
		break;
	case SEC_PEER:
		if (!kd || !kd->peer) {
			problem(p, p->line, "unknown key '%s' in [peer %s]",
				key, p->peer->name);
			return;
		}
		break;
	}
	if (p->seen & (1u << kd->id)) {
		problem(p, p->line, "%s: set twice in this section", key);
		return;
	}
	p->seen |= 1u << kd->id;
	if (p->sec == SEC_GLOBAL)
		global_key(p, kd->id, key, val);
	else
		peer_key(p, kd->id, key, val, quoted);
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
			problem(p, cfg->user_line, "user: no user '%s' on this system (see spirecd(8): the packages create it)",
				cfg->user);
		else {
			have_user = true;
			user_uid = pw->pw_uid;
		}
	}
	if (cfg->exec_user && !getpwnam(cfg->exec_user))
		problem(p, cfg->exec_user_line, "exec_user: no user '%s' on this system",
			cfg->exec_user);
	for (size_t i = 0; i < cfg->npeers; i++) {
		const struct spirecd_peer_cfg *pc = &cfg->peers[i];
		uid_t o = pc->psk_file_uid;

		if (!pc->psk_file || !pc->psk)
			continue;
		if (o == 0 || o == geteuid() || (have_user && o == user_uid))
			continue;
		problem(p, pc->psk_file_line, "psk_file: '%s' is owned by uid %u, not by root or spirecd's user: chown it",
			pc->psk_file, (unsigned int)o);
	}
}

/* Whole-file checks: overlapping addresses, exec without a command. */
static void final_checks(struct parser *p)
{
	struct spirecd_config *cfg = p->cfg;

	for (size_t i = 0; i < cfg->npeers; i++) {
		struct spirecd_peer_cfg *a = &cfg->peers[i];

		if (a->action == SPIRECD_ACTION_EXEC && !a->exec && !cfg->exec)
			problem(p, a->line, "[peer %s]: action exec needs exec (here or in [global])",
				a->name);
		for (size_t j = 0; j < i; j++) {
			struct spirecd_peer_cfg *b = &cfg->peers[j];

			if (a->prefix.addr.family &&
			    a->prefix.prefixlen == b->prefix.prefixlen &&
			    spirecd_prefix_contains(&a->prefix,
						    &b->prefix.addr)) {
				problem(p, a->line, "[peer %s]: same address as [peer %s] on line %u",
					a->name, b->name, b->line);
				break;
			}
		}
	}
	if (cfg->action == SPIRECD_ACTION_EXEC && !cfg->exec)
		problem(p, 1, "[global]: action exec needs exec");
	users_check(p);
}

static unsigned int config_parse(const char *path, const char *text,
				 size_t len, bool no_files, mode_t mode,
				 struct spirecd_config *cfg, FILE *errs)
{
	struct parser p = {
		.path = path, .errs = errs, .cfg = cfg, .no_files = no_files,
		.file_mode = mode,
	};
	char line[SPIRECD_LINE_MAX + 1];
	size_t pos = 0;

	memset(cfg, 0, sizeof(*cfg));
	cfg->action = SPIRECD_ACTION_NONE;
	cfg->holddown_ms = DEFAULT_HOLDDOWN_MS;
	cfg->holddown_max_ms = DEFAULT_HOLDDOWN_MAX_MS;
	cfg->holddown_reset_ms = DEFAULT_HOLDDOWN_RESET_MS;
	cfg->verify_quiet_ms = DEFAULT_VERIFY_QUIET_MS;
	cfg->verify_window_ms = DEFAULT_VERIFY_WINDOW_MS;
	cfg->known_peers_only = true;
	cfg->enable = true;
	cfg->workers = DEFAULT_WORKERS;
	cfg->exec_timeout_ms = DEFAULT_EXEC_TIMEOUT_MS;
	cfg->vici_timeout_ms = DEFAULT_VICI_TIMEOUT_MS;
	cfg->ike_timeout_ms = DEFAULT_IKE_TIMEOUT_MS;
	cfg->rcvbuf = DEFAULT_RCVBUF;
	cfg->path = strdup(path);
	cfg->status_file = strdup(SPIRECD_DEFAULT_STATUS_FILE);
	if (!cfg->path || !cfg->status_file)
		problem(&p, 0, "out of memory");

	while (pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - (text + pos)) : len - pos;

		p.line++;
		if (n && text[pos + n - 1] == '\r')
			n--;
		if (n > SPIRECD_LINE_MAX) {
			problem(&p, p.line, "line longer than %d bytes",
				SPIRECD_LINE_MAX);
		} else if (memchr(text + pos, '\0', n)) {
			problem(&p, p.line, "NUL byte in the line");
		} else {
			memcpy(line, text + pos, n);
			line[n] = '\0';
			parse_line(&p, line);
		}
		pos += nl ? (size_t)(nl - (text + pos)) + 1 : len - pos;
	}
	section_end(&p);
	final_checks(&p);
	problems_flush(&p);
	explicit_bzero(line, sizeof(line));
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
