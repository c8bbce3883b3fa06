// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Known-peer list and sysctls from the configuration.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <libmnl/libmnl.h>
#include <linux/spirec.h>

#include "kernel_sync.h"
#include "log.h"

static int known_change(struct spirec_nl *nl, uint8_t cmd,
			const struct spirec_cidr *pfx)
{
	struct nlmsghdr *nlh = spirec_nl_msg(nl, cmd, false);

	mnl_attr_put_u16(nlh, SPIREC_A_FAMILY, pfx->addr.family);
	mnl_attr_put(nlh, SPIREC_A_ADDR, spirec_addr_len(pfx->addr.family),
		     pfx->addr.bytes);
	mnl_attr_put_u8(nlh, SPIREC_A_PREFIXLEN, pfx->prefixlen);
	return spirec_nl_request(nl, nlh, NULL, NULL);
}

static bool has_prefix(const struct spirecd_config *cfg,
		       const struct spirec_cidr *pfx)
{
	for (size_t i = 0; i < cfg->npeers; i++) {
		const struct spirec_cidr *q = &cfg->peers[i].prefix;

		if (q->addr.family == pfx->addr.family &&
		    q->prefixlen == pfx->prefixlen &&
		    !memcmp(q->addr.bytes, pfx->addr.bytes,
			    spirec_addr_len(q->addr.family)))
			return true;
	}
	return false;
}

static int sysctl_set(const char *name, bool on)
{
	char path[128];
	int fd, err = 0;

	snprintf(path, sizeof(path), SPIRECD_SYSCTL_DIR "/%s", name);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		err = -errno;
	else if (write(fd, on ? "1\n" : "0\n", 2) != 2)
		err = -errno;
	if (fd >= 0)
		close(fd);
	if (err)
		log_err("cannot set net.spirec.%s = %d: %s", name, on,
			strerror(-err));
	else
		log_info("net.spirec.%s = %d", name, on);
	return err;
}

int spirecd_kernel_sync(struct spirec_nl *nl, const struct spirecd_config *old,
			const struct spirecd_config *cfg)
{
	char text[SPIREC_ADDR_STRLEN];
	unsigned int added = 0;
	int ret = 0, err;

	for (size_t i = 0; i < cfg->npeers; i++) {
		const struct spirec_cidr *pfx = &cfg->peers[i].prefix;

		err = known_change(nl, SPIREC_CMD_KNOWN_ADD, pfx);
		if (!err)
			added++;
		else if (err != -EEXIST) {
			log_err("known-peer list: cannot add %s: %s",
				spirec_cidr_format(pfx, text, sizeof(text)),
				spirec_nl_error(nl));
			ret = err;
		}
	}
	if (old) {
		for (size_t i = 0; i < old->npeers; i++) {
			const struct spirec_cidr *pfx = &old->peers[i].prefix;

			if (has_prefix(cfg, pfx))
				continue;
			err = known_change(nl, SPIREC_CMD_KNOWN_DEL, pfx);
			if (err && err != -ENOENT) {
				log_err("known-peer list: cannot remove %s: %s",
					spirec_cidr_format(pfx, text,
							   sizeof(text)),
					spirec_nl_error(nl));
				ret = err;
			}
		}
	}
	log_info("known-peer list: %zu configured peers (%u added)",
		 cfg->npeers, added);
	if (cfg->known_peers_only || (old && old->known_peers_only))
		if ((err = sysctl_set("known_peers_only",
				      cfg->known_peers_only)))
			ret = err;
	if (cfg->enable)
		if ((err = sysctl_set("enabled", true)))
			ret = err;
	return ret;
}
