// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Least privilege (spirecd(8), SECURITY): spirecd needs CAP_NET_ADMIN for
 * its netlink commands, the module's event group, SO_RCVBUFFORCE, the
 * net.spirec sysctls and the per-socket IPsec bypass of its IKE sockets,
 * and CAP_NET_RAW for the raw socket that reaches a peer behind a NAT from
 * the local IKE daemon's NAT-T port (ike/transport.c).
 * Its IKE sockets bind no privileged port (ephemeral source ports), so no
 * CAP_NET_BIND_SERVICE; PSKs are read while still root, before the drop.
 * No libcap: capget/capset and prctl directly.
 */
#include <errno.h>
#include <grp.h>
#include <libgen.h>
#include <pwd.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/capability.h>

#include "privdrop.h"

int spirecd_user_ids(const char *user, uid_t *uid, gid_t *gid,
		     char *err, size_t errlen)
{
	struct passwd *pw;

	errno = 0;
	pw = getpwnam(user);
	if (!pw) {
		snprintf(err, errlen, "user '%s' does not exist%s%s", user,
			 errno ? ": " : "", errno ? strerror(errno) : "");
		return -1;
	}
	*uid = pw->pw_uid;
	*gid = pw->pw_gid;
	return 0;
}

static int caps_set(uint64_t permitted, uint64_t effective,
		    char *err, size_t errlen)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct d[2];

	memset(d, 0, sizeof(d));
	d[0].permitted = (uint32_t)permitted;
	d[1].permitted = (uint32_t)(permitted >> 32);
	d[0].effective = (uint32_t)effective;
	d[1].effective = (uint32_t)(effective >> 32);
	if (syscall(SYS_capset, &hdr, d) < 0) {
		snprintf(err, errlen, "capset: %s", strerror(errno));
		return -1;
	}
	return 0;
}

int spirecd_caps_keep_needed(char *err, size_t errlen)
{
	return caps_set(SPIRECD_CAPS, SPIRECD_CAPS, err, errlen);
}

/* Drop everything but SPIRECD_CAPS from the bounding set (needs
 * CAP_SETPCAP; without it, e.g. under systemd, the unit's
 * CapabilityBoundingSet= did that already).
 */
static void bounding_trim(void)
{
	for (int c = 0; c <= 63; c++) {
		if (SPIRECD_CAPS & (1ULL << c))
			continue;
		if (prctl(PR_CAPBSET_READ, c, 0, 0, 0) < 0)
			break;		/* past the kernel's last cap */
		prctl(PR_CAPBSET_DROP, c, 0, 0, 0);
	}
}

static int give_dir(const char *file, uid_t uid, gid_t gid, char *err,
		    size_t errlen)
{
	char *tmp = strdup(file), *dir;
	struct stat st;
	int ret = 0;

	if (!tmp) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	dir = dirname(tmp);
	if (mkdir(dir, 0755) == 0) {
		if (chown(dir, uid, gid) < 0) {
			snprintf(err, errlen, "chown %s: %s", dir,
				 strerror(errno));
			ret = -1;
		}
	} else if (errno != EEXIST) {
		snprintf(err, errlen, "mkdir %s: %s", dir, strerror(errno));
		ret = -1;
	} else if (stat(dir, &st) == 0 && st.st_uid != uid) {
		/* A directory of our own from a previous run as root. */
		if (!strcmp(dir, "/run/spirec") && st.st_uid == 0 &&
		    chown(dir, uid, gid) < 0) {
			snprintf(err, errlen, "chown %s: %s", dir,
				 strerror(errno));
			ret = -1;
		}
	}
	free(tmp);
	return ret;
}

int spirecd_drop_privileges(const char *user, const char *mkdir_for,
			    char *err, size_t errlen)
{
	uid_t uid, ru, eu, su;
	gid_t gid;

	if (spirecd_user_ids(user, &uid, &gid, err, errlen))
		return -1;
	if (geteuid() != 0) {
		if (geteuid() != uid) {
			snprintf(err, errlen, "running as uid %u, neither root nor user '%s' (uid %u): cannot switch",
				 (unsigned int)geteuid(), user,
				 (unsigned int)uid);
			return -1;
		}
		/* Already the user (systemd User=): trim what we hold. */
		prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
		return spirecd_caps_keep_needed(err, errlen);
	}
	if (mkdir_for && give_dir(mkdir_for, uid, gid, err, errlen))
		return -1;
	bounding_trim();
	if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0) {
		snprintf(err, errlen, "PR_SET_KEEPCAPS: %s", strerror(errno));
		return -1;
	}
	if (setgroups(0, NULL) < 0 || setresgid(gid, gid, gid) < 0) {
		snprintf(err, errlen, "setgroups/setresgid %u: %s",
			 (unsigned int)gid, strerror(errno));
		return -1;
	}
	if (setresuid(uid, uid, uid) < 0) {
		snprintf(err, errlen, "setresuid %u: %s", (unsigned int)uid,
			 strerror(errno));
		return -1;
	}
	prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0);
	/* The uid change reset it to fs.suid_dumpable; we hold PSKs. */
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	if (spirecd_caps_keep_needed(err, errlen))
		return -1;
	if (uid != 0 && (setresuid(0, 0, 0) == 0 || getresuid(&ru, &eu, &su) ||
			 ru != uid || eu != uid || su != uid)) {
		snprintf(err, errlen, "still able to become root after the switch to '%s'",
			 user);
		return -1;
	}
	return 0;
}
