/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * spirecd.conf: an INI-style file, documented in spirecd.conf(5).
 *
 *   [global]       action, holddown, holddown_max, holddown_reset,
 *                  known_peers_only, enable, workers, exec, exec_timeout,
 *                  vici_timeout, ike_timeout, rcvbuf, status_file
 *   [peer NAME]    address, local_id, remote_id, psk | psk_file, ike,
 *                  action, vici_socket, vici_child, vici_ike, exec
 *
 * Every problem is reported as "FILE:LINE: problem" and the whole file is
 * refused when there is at least one.
 */
#ifndef SPIRECD_CONFIG_H
#define SPIRECD_CONFIG_H

#include <stdbool.h>
#include <sys/types.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "addr.h"

#define SPIRECD_DEFAULT_CONFIG		"/etc/spirec/spirecd.conf"
#define SPIRECD_DEFAULT_STATUS_FILE	"/run/spirec/spirecd.status"
/*
 * The default status_file when set and not empty (a status_file key
 * still wins): spirecd@NAME.service sets it to /run/spirec-netns/NAME/
 * spirecd.status, where `spirecctl -n NAME status` looks.
 */
#define SPIRECD_STATUS_FILE_ENV		"SPIRECD_STATUS_FILE"
#define SPIRECD_MAX_PEERS		1024	/* = SPIREC_KNOWN_MAX */
#define SPIRECD_NAME_MAX		63
#define SPIRECD_PSK_MAX			1024
#define SPIRECD_LINE_MAX		4096

enum spirecd_action {
	SPIRECD_ACTION_NONE,
	SPIRECD_ACTION_IKEV2,
	SPIRECD_ACTION_HINT,
	SPIRECD_ACTION_VICI,
	SPIRECD_ACTION_EXEC,
	SPIRECD_ACTION_IKEV1,
};

struct spirecd_peer_cfg {
	char name[SPIRECD_NAME_MAX + 1];
	unsigned int line;		/* of its [peer NAME] header */
	struct spirec_cidr prefix;
	enum spirecd_action action;
	char *local_id, *remote_id;
	uint8_t *psk;			/* from psk or psk_file */
	size_t psk_len;
	char *psk_file;
	unsigned int psk_file_line;	/* where psk_file was set */
	uid_t psk_file_uid;		/* its owner (checked at the end) */
	char *ike;			/* proposals, NULL: library default
					 * (IKEv2 or IKEv1 syntax by action) */
	unsigned int ike_line;		/* where ike was set */
	char *vici_socket, *vici_child, *vici_ike;
	char *exec;
};

struct spirecd_config {
	char *path;
	enum spirecd_action action;	/* for peers not listed */
	unsigned int holddown_ms;	/* after one recovery */
	unsigned int holddown_max_ms;	/* cap of the escalation */
	unsigned int verify_quiet_ms;	/* verify.h: no unknown SPI this long */
	unsigned int verify_window_ms;	/* ... within this (0: no verification) */
	unsigned int holddown_reset_ms;	/* quiet time that resets it */
	bool known_peers_only;
	bool enable;			/* set net.spirec.enabled = 1 */
	unsigned int workers;		/* recoveries running at once */
	char *exec;			/* exec action of unlisted peers */
	unsigned int exec_timeout_ms;
	unsigned int vici_timeout_ms;
	unsigned int ike_timeout_ms;	/* first retransmission time-out */
	unsigned int rcvbuf;		/* events socket SO_RCVBUF, bytes */
	char *status_file;		/* NULL: none */
	char *user;			/* run as this user (NULL: as started) */
	char *exec_user;		/* exec commands as this user */
	unsigned int user_line, exec_user_line;
	struct spirecd_peer_cfg *peers;
	size_t npeers;
};

/* Read @path. Returns the number of problems (0: @cfg is filled in; else
 * @cfg is empty), each one printed to @errs as "PATH:LINE: problem". */
unsigned int spirecd_config_load(const char *path, struct spirecd_config *cfg,
				 FILE *errs);

/*
 * Parse @len bytes of @text as if read from @path. With @no_files,
 * psk_file is checked for syntax only (fuzzing).
 */
unsigned int spirecd_config_parse(const char *path, const char *text,
				  size_t len, bool no_files,
				  struct spirecd_config *cfg, FILE *errs);

void spirecd_config_free(struct spirecd_config *cfg);

/* The peer whose address or prefix contains @addr, longest prefix first;
 * NULL if none. */
const struct spirecd_peer_cfg *
spirecd_config_find(const struct spirecd_config *cfg,
		    const struct spirec_addr *addr);

/* "none", "ikev2", ... and back (-1 if unknown). */
const char *spirecd_action_name(enum spirecd_action action);
int spirecd_action_parse(const char *s);

/* Parse "30s", "500ms", "2m", "1h" or a plain number of seconds into
 * milliseconds. Returns false if malformed or above @max_ms. */
bool spirecd_duration_parse(const char *s, unsigned int max_ms,
			    unsigned int *ms);

/* Parse "4096", "256k" or "1M" (powers of 1024) into bytes. Returns false
 * if malformed or above @max. */
bool spirecd_size_parse(const char *s, unsigned int max, unsigned int *bytes);

#endif
