/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the spirecd.conf parser's files share (not an API): the state of
 * one parse, and the functions each file gives the others.
 *
 *   config.c           entry points, defaults, whole-file checks, freeing
 *   config_problems.c  the problem list ("FILE:LINE: problem", in order)
 *   config_lexer.c     lines, comments, [sections] and key = value
 *   config_keys.c      the keys table, their values, section checks
 *   config_psk.c       psk and psk_file: loading, permissions, wiping
 */
#ifndef SPIRECD_CONFIG_PARSER_H
#define SPIRECD_CONFIG_PARSER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "config.h"

struct problem {
	unsigned int line, seq;
	char *text;
};

/* Keys; bit (1u << id) in parser.seen once a section set it. */
enum key_id {
	K_ACTION, K_HOLDDOWN, K_KNOWN_ONLY, K_ENABLE, K_WORKERS, K_EXEC,
	K_EXEC_TIMEOUT, K_VICI_TIMEOUT, K_IKE_TIMEOUT, K_RCVBUF,
	K_HOLDDOWN_MAX, K_HOLDDOWN_RESET, K_STATUS_FILE, K_VERIFY_QUIET,
	K_VERIFY_WINDOW,
	K_ADDRESS, K_LOCAL_ID, K_REMOTE_ID, K_PSK, K_PSK_FILE, K_IKE,
	K_VICI_SOCKET, K_VICI_CHILD, K_VICI_IKE, K_USER, K_EXEC_USER,
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

/* config_problems.c: one more problem at @line (counted even without
 * @p->errs), and at the end all of them in line order. */
void spirecd_config_problem(struct parser *p, unsigned int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void spirecd_config_problems_flush(struct parser *p);

/* config_lexer.c: every line of @text, to the config_keys.c functions. */
void spirecd_config_lex(struct parser *p, const char *text, size_t len);

/* config_keys.c: what the lexer found. */
void spirecd_config_section_start(struct parser *p, char *hdr);
void spirecd_config_section_broken(struct parser *p);	/* header without ']' */
void spirecd_config_section_end(struct parser *p);
void spirecd_config_key(struct parser *p, const char *key, const char *val,
			bool quoted);

/* config_psk.c */
void spirecd_config_psk_key(struct parser *p, const char *val, bool quoted);
void spirecd_config_psk_file_key(struct parser *p, const char *path);
void spirecd_config_psk_free(struct spirecd_peer_cfg *pc);
/* psk_file owners are root, `user` (@user_uid if @have_user) or us. */
void spirecd_config_psk_owners_check(struct parser *p, bool have_user,
				     uid_t user_uid);

/* config.c: a copy of @s, or NULL after an "out of memory" problem;
 * spirecd_config_set_str() replaces *@slot with one. */
char *spirecd_config_strdup(struct parser *p, const char *s);
void spirecd_config_set_str(struct parser *p, char **slot, const char *val);

#endif
