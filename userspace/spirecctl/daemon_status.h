/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Reading spirecd's status file (format: spirecd(8), spirecd/status.h).
 * The parser takes bytes from a file anyone with write access to its
 * directory could have written: it checks everything and bounds what it
 * keeps.
 */
#ifndef SPIRECCTL_DAEMON_STATUS_H
#define SPIRECCTL_DAEMON_STATUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SPIRECCTL_STATUS_FILE		"/run/spirec/spirecd.status"
#define SPIRECCTL_STATUS_ENV		"SPIRECCTL_STATUS_FILE"
/* spirecd@NAME.service's status file (its RuntimeDirectory=spirec-netns/NAME) */
#define SPIRECCTL_NETNS_STATUS_FMT	"/run/spirec-netns/%s/spirecd.status"
/* where `ip netns add NAME` mounts the namespace */
#define SPIRECCTL_NETNS_DIR		"/run/netns"
#define SPIRECCTL_STATUS_MAX_SIZE	(8u << 20)
#define SPIRECCTL_STATUS_MAX_COUNTERS	64
#define SPIRECCTL_STATUS_MAX_PEERS	65536
#define SPIRECCTL_STATUS_KEY_MAX	47
#define SPIRECCTL_STATUS_STR_MAX	63

struct spirecctl_dstatus_counter {
	char key[SPIRECCTL_STATUS_KEY_MAX + 1];
	uint64_t value;
};

struct spirecctl_dstatus_peer {
	char addr[SPIRECCTL_STATUS_STR_MAX + 1];
	char section[SPIRECCTL_STATUS_STR_MAX + 1];	/* "-": unlisted */
	char name[SPIRECCTL_STATUS_STR_MAX + 1];	/* "-": unlisted */
	bool busy;
	uint64_t holddown_left_ms, holddown_ms, level, attempts, successes;
};

struct spirecctl_dstatus {
	uint64_t version, pid, started, written;
	/* Every other "KEY NUMBER" line, in file order. */
	struct spirecctl_dstatus_counter counters[SPIRECCTL_STATUS_MAX_COUNTERS];
	size_t ncounters;
	struct spirecctl_dstatus_peer *peers;
	size_t npeers;
};

/*
 * Parse @len bytes. Returns 0, or -EINVAL with "line N: problem" in @err
 * (or -ENOMEM); @st is then empty. spirecctl_dstatus_free() in any case.
 */
int spirecctl_dstatus_parse(const char *text, size_t len,
			    struct spirecctl_dstatus *st, char *err,
			    size_t errlen);
void spirecctl_dstatus_free(struct spirecctl_dstatus *st);

/* Read and parse @path: 0, -ENOENT (no file), other -errno or -EINVAL
 * (@err says why). */
int spirecctl_dstatus_load(const char *path, struct spirecctl_dstatus *st,
			   char *err, size_t errlen);

/* The status file to read: the env override, else the default. */
const char *spirecctl_dstatus_path(const char *opt);

/* Is process @pid alive? */
bool spirecctl_pid_alive(uint64_t pid);

#endif
