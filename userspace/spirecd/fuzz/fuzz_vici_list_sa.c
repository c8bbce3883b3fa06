// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target: "list-sa" events from charon (spirecd_vici_list_sa_parse(),
 * on top of spirecd_vici_message_walk()), and what the guard makes of each IKE
 * SA (spirecd_guard_ike_live()).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../guard.h"
#include "../vici.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool printable(const char *s, size_t max)
{
	size_t n = strnlen(s, max);

	if (n == max)
		return false;	/* not terminated */
	for (size_t i = 0; i < n; i++)
		if (s[i] < 0x20 || s[i] > 0x7e)
			return false;
	return true;
}

static int sa_cb(const struct spirecd_vici_ike_sa *sa, void *ctx)
{
	static const uint32_t spis[] = { 1, 0xc0000001, 0xffffffff };
	struct spirec_addr addr = { .family = AF_INET };
	unsigned int live;

	(void)ctx;
	if (!printable(sa->name, sizeof(sa->name)) ||
	    !printable(sa->state, sizeof(sa->state)) ||
	    !printable(sa->remote_host, sizeof(sa->remote_host)) ||
	    !printable(sa->remote_id, sizeof(sa->remote_id)))
		abort();
	if (sa->children_installed > sa->children ||
	    sa->nspi_in > sa->children_installed ||
	    sa->nspi_in > VICI_IKE_SA_MAX_SPIS)
		abort();
	addr.bytes[0] = 192;
	addr.bytes[2] = 2;
	addr.bytes[3] = 1;
	live = spirecd_guard_ike_live(sa, NULL, &addr, 1, NULL, 0);
	if (live > sa->children_installed)
		abort();
	if (spirecd_guard_ike_live(sa, NULL, &addr, 1, spis, 3) > live)
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *why = NULL;
	int ret = spirecd_vici_list_sa_parse(data, size, sa_cb, NULL, &why);

	if (ret == -EBADMSG && !why)
		abort();	/* every rejection names its reason */
	if (ret && ret != -EBADMSG && ret != -ENOMSG)
		abort();
	return 0;
}
