// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * spirecd.conf keys: which exist in [global] and in [peer NAME], their
 * values, and the checks of a section once it is complete.
 */
#include <ctype.h>
#include <stddef.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "config_parser.h"
#include "grow.h"
#include "../ike/identity.h"
#include "../ike/proposal.h"
#include "../ike/v1_proposal.h"

#define MAX_WORKERS		64
#define MAX_RCVBUF		(64u << 20)
#define DEFAULT_VICI_SOCKET	"/var/run/charon.vici"

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

struct unit {
	const char *suffix;
	unsigned int mult;
};

/*
 * Decimal digits (a value of at most @digits_max) followed by one of
 * @units' suffixes: the value times the unit, if at most @max.
 */
static bool parse_scaled(const char *s, unsigned long long digits_max,
			 const struct unit *units, size_t nunits,
			 unsigned int max, unsigned int *out)
{
	unsigned long long v = 0;
	const char *q = s;

	if (!isdigit((unsigned char)*q))
		return false;
	while (isdigit((unsigned char)*q)) {
		v = v * 10 + (unsigned long long)(*q++ - '0');
		if (v > digits_max)
			return false;
	}
	for (size_t i = 0; i < nunits; i++) {
		if (strcmp(q, units[i].suffix))
			continue;
		if (v * units[i].mult > max)
			return false;
		*out = (unsigned int)(v * units[i].mult);
		return true;
	}
	return false;
}

bool spirecd_duration_parse(const char *s, unsigned int max_ms,
			    unsigned int *ms)
{
	static const struct unit units[] = {
		{ "", 1000 }, { "s", 1000 }, { "ms", 1 }, { "m", 60000 },
		{ "h", 3600000 },
	};

	return parse_scaled(s, 100000000ULL, units,
			    sizeof(units) / sizeof(units[0]), max_ms, ms);
}

bool spirecd_size_parse(const char *s, unsigned int max, unsigned int *bytes)
{
	static const struct unit units[] = {
		{ "", 1 }, { "k", 1024 }, { "K", 1024 },
		{ "m", 1024 * 1024 }, { "M", 1024 * 1024 },
	};

	return parse_scaled(s, 0xffffffffULL, units,
			    sizeof(units) / sizeof(units[0]), max, bytes);
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

static bool check_identity(struct parser *p, const char *key, const char *val)
{
	struct ike_identity id;
	char err[160];

	if (ike_identity_parse(val, &id, err, sizeof(err)) < 0) {
		spirecd_config_problem(p, p->line, "%s: '%s': %s", key, val, err);
		return false;
	}
	return true;
}

static bool check_path(struct parser *p, const char *key, const char *val)
{
	if (val[0] != '/') {
		spirecd_config_problem(p, p->line, "%s: '%s' is not an absolute path", key,
				       val);
		return false;
	}
	return true;
}

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

/* The [global] durations: their bounds and their field of the config. */
#define DURATION(id, min_ms, max_ms, field)				\
	{ id, min_ms, max_ms, offsetof(struct spirecd_config, field) }

static const struct duration_key {
	enum key_id id;
	unsigned int min_ms, max_ms;
	size_t field_off;
} durations[] = {
	DURATION(K_HOLDDOWN, 1000, 86400000, holddown_ms),
	DURATION(K_HOLDDOWN_MAX, 1000, 86400000, holddown_max_ms),
	DURATION(K_HOLDDOWN_RESET, 0, 86400000, holddown_reset_ms),
	DURATION(K_VERIFY_QUIET, 100, 60000, verify_quiet_ms),
	DURATION(K_VERIFY_WINDOW, 0, 600000, verify_window_ms),
	DURATION(K_EXEC_TIMEOUT, 100, 3600000, exec_timeout_ms),
	DURATION(K_VICI_TIMEOUT, 100, 600000, vici_timeout_ms),
	DURATION(K_IKE_TIMEOUT, 100, 60000, ike_timeout_ms),
};

static void set_duration(struct parser *p, const char *key, const char *val,
			 unsigned int min_ms, unsigned int max_ms,
			 unsigned int *slot)
{
	unsigned int ms;

	if (!spirecd_duration_parse(val, max_ms, &ms) || ms < min_ms)
		spirecd_config_problem(p, p->line,
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

	for (size_t i = 0; i < sizeof(durations) / sizeof(durations[0]); i++) {
		const struct duration_key *d = &durations[i];

		if (d->id == id) {
			set_duration(p, key, val, d->min_ms, d->max_ms,
				     (unsigned int *)((char *)cfg +
						      d->field_off));
			return;
		}
	}
	switch (id) {
	case K_ACTION:
		a = spirecd_action_parse(val);
		if (a < 0)
			spirecd_config_problem(p, p->line, "action: '%s' is not one of ikev2, ikev1, hint, vici, exec, none",
					       val);
		else if (a == SPIRECD_ACTION_IKEV2 || a == SPIRECD_ACTION_IKEV1 ||
			 a == SPIRECD_ACTION_VICI)
			spirecd_config_problem(p, p->line, "action: '%s' needs per-peer settings: in [global] use hint, exec or none",
					       val);
		else
			cfg->action = (enum spirecd_action)a;
		break;
	case K_STATUS_FILE:
		free(cfg->status_file);
		cfg->status_file = NULL;
		if (strcmp(val, "none") && check_path(p, key, val))
			cfg->status_file = spirecd_config_strdup(p, val);
		break;
	case K_KNOWN_ONLY:
	case K_ENABLE:
		b = parse_bool(val);
		if (b < 0)
			spirecd_config_problem(p, p->line, "%s: '%s' is not yes or no", key,
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
			spirecd_config_problem(p, p->line, "workers: '%s' is not a number from 1 to %d",
					       val, MAX_WORKERS);
		else
			cfg->workers = (unsigned int)v;
		break;
	}
	case K_EXEC:
		if (check_path(p, key, val))
			spirecd_config_set_str(p, &cfg->exec, val);
		break;
	case K_USER:
	case K_EXEC_USER:
		if (!val[0] || strlen(val) > 32 || strchr(val, '/') ||
		    strchr(val, ':')) {
			spirecd_config_problem(p, p->line, "%s: '%s' is not a user name", key,
					       val);
			break;
		}
		if (id == K_USER) {
			spirecd_config_set_str(p, &cfg->user, val);
			cfg->user_line = p->line;
		} else {
			spirecd_config_set_str(p, &cfg->exec_user, val);
			cfg->exec_user_line = p->line;
		}
		break;
	case K_RCVBUF:
		if (!spirecd_size_parse(val, MAX_RCVBUF, &cfg->rcvbuf) ||
		    !cfg->rcvbuf)
			spirecd_config_problem(p, p->line, "rcvbuf: '%s' is not a size from 1 to %uM bytes (e.g. 4096, 256k, 1M)",
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
		aerr = spirec_cidr_parse(val, &pc->prefix);
		if (aerr)
			spirecd_config_problem(p, p->line, "address: '%s': %s", val,
					       spirec_addr_strerror(aerr));
		break;
	case K_LOCAL_ID:
		if (check_identity(p, key, val))
			spirecd_config_set_str(p, &pc->local_id, val);
		break;
	case K_REMOTE_ID:
		if (check_identity(p, key, val))
			spirecd_config_set_str(p, &pc->remote_id, val);
		break;
	case K_PSK:
		spirecd_config_psk_key(p, val, quoted);
		break;
	case K_PSK_FILE:
		spirecd_config_psk_file_key(p, val);
		break;
	case K_IKE:
		/* Checked in peer_finish(): the syntax depends on action. */
		spirecd_config_set_str(p, &pc->ike, val);
		pc->ike_line = p->line;
		break;
	case K_ACTION:
		a = spirecd_action_parse(val);
		if (a < 0) {
			spirecd_config_problem(p, p->line, "action: '%s' is not one of ikev2, ikev1, hint, vici, exec, none",
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
			spirecd_config_set_str(p, &pc->vici_socket, val);
		break;
	case K_VICI_CHILD:
	case K_VICI_IKE:
		if (strlen(val) > 255) {
			spirecd_config_problem(p, p->line, "%s: longer than 255 bytes", key);
			break;
		}
		spirecd_config_set_str(p, id == K_VICI_CHILD ? &pc->vici_child :
				       &pc->vici_ike, val);
		break;
	case K_EXEC:
		if (check_path(p, key, val))
			spirecd_config_set_str(p, &pc->exec, val);
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
		spirecd_config_problem(p, pc->ike_line, "ike: '%s': %s%s", pc->ike, err,
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

		spirec_cidr_format(&pc->prefix, a, sizeof(a));
		spirecd_config_problem(p, p->addr_line, "[peer %s]: action %s needs a single address, not the prefix %s: IKE would go to any address an unauthenticated packet claims (offline PSK attack)",
				       pc->name, what, a);
	}
	if (need_id && !pc->local_id)
		spirecd_config_problem(p, l, "[peer %s]: action %s needs local_id", pc->name,
				       what);
	if (!(p->seen & ((1u << K_PSK) | (1u << K_PSK_FILE))))
		spirecd_config_problem(p, l, "[peer %s]: action %s needs psk or psk_file",
				       pc->name, what);
}

/* Checks of a [peer] section once it is complete. */
static void peer_finish(struct parser *p)
{
	struct spirecd_peer_cfg *pc = p->peer;
	unsigned int l = pc->line;

	if (!(p->seen & (1u << K_ADDRESS))) {
		spirecd_config_problem(p, l, "[peer %s]: no address", pc->name);
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
			spirecd_config_problem(p, l, "[peer %s]: action vici needs vici_child",
					       pc->name);
		if (!pc->vici_socket)
			spirecd_config_set_str(p, &pc->vici_socket, DEFAULT_VICI_SOCKET);
		break;
	default:
		break;
	}
	if (pc->psk && !pc->psk_len)
		spirecd_config_problem(p, p->psk_line, "psk: empty");
	p->peer = NULL;
}

void spirecd_config_section_end(struct parser *p)
{
	if (p->sec == SEC_PEER && p->peer)
		peer_finish(p);
	p->seen = 0;
	p->has_action = false;
	p->psk_line = 0;
	p->addr_line = 0;
}

void spirecd_config_section_broken(struct parser *p)
{
	spirecd_config_section_end(p);
	p->sec = SEC_BAD;
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

void spirecd_config_section_start(struct parser *p, char *hdr)
{
	struct spirecd_config *cfg = p->cfg;
	char *name;

	spirecd_config_section_end(p);
	p->sec = SEC_BAD;
	if (!strcmp(hdr, "global")) {
		if (p->global_seen)
			spirecd_config_problem(p, p->line, "[global] appears twice");
		p->global_seen = true;
		p->sec = SEC_GLOBAL;
		return;
	}
	if (strncmp(hdr, "peer", 4) || !isspace((unsigned char)hdr[4])) {
		spirecd_config_problem(p, p->line, "unknown section [%s]: want [global] or [peer NAME]",
				       hdr);
		return;
	}
	name = hdr + 5;
	while (isspace((unsigned char)*name))
		name++;
	if (!valid_name(name)) {
		spirecd_config_problem(p, p->line, "[peer %s]: a name is 1 to %d letters, digits, '.', '_' or '-'",
				       name, SPIRECD_NAME_MAX);
		return;
	}
	for (size_t i = 0; i < cfg->npeers; i++)
		if (!strcmp(cfg->peers[i].name, name)) {
			spirecd_config_problem(p, p->line, "[peer %s]: already defined on line %u",
					       name, cfg->peers[i].line);
			return;
		}
	if (cfg->npeers == SPIRECD_MAX_PEERS) {
		spirecd_config_problem(p, p->line, "[peer %s]: more than %d peers", name,
				       SPIRECD_MAX_PEERS);
		return;
	}
	if (spirec_grow(&cfg->peers, &p->cap, cfg->npeers, sizeof(*cfg->peers), 4)) {
		spirecd_config_problem(p, p->line, "out of memory");
		return;
	}
	p->peer = &cfg->peers[cfg->npeers++];
	memset(p->peer, 0, sizeof(*p->peer));
	strcpy(p->peer->name, name);
	p->peer->line = p->line;
	p->peer->action = SPIRECD_ACTION_IKEV2;
	p->sec = SEC_PEER;
}

/* "key = value" of the current section. */
void spirecd_config_key(struct parser *p, const char *key, const char *val,
			bool quoted)
{
	const struct key_def *kd = NULL;

	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (!strcmp(keys[i].name, key))
			kd = &keys[i];
	switch (p->sec) {
	case SEC_NONE:
		spirecd_config_problem(p, p->line, "%s: outside of any section ([global] or [peer NAME] first)",
				       key);
		return;
	case SEC_BAD:
		return;	/* the section header was already reported */
	case SEC_GLOBAL:
		if (!kd || !kd->global) {
			spirecd_config_problem(p, p->line, "unknown key '%s' in [global]",
					       key);
			return;
		}
		break;
	case SEC_PEER:
		if (!kd || !kd->peer) {
			spirecd_config_problem(p, p->line, "unknown key '%s' in [peer %s]",
					       key, p->peer->name);
			return;
		}
		break;
	}
	if (p->seen & (1u << kd->id)) {
		spirecd_config_problem(p, p->line, "%s: set twice in this section", key);
		return;
	}
	p->seen |= 1u << kd->id;
	if (p->sec == SEC_GLOBAL)
		global_key(p, kd->id, key, val);
	else
		peer_key(p, kd->id, key, val, quoted);
}
