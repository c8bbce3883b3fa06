// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target: the reader of spirecd's status file. A file that
 * parses must give bounded, NUL-terminated, printable fields.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../daemon_status.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_str(const char *s)
{
	size_t n = strnlen(s, SPIRECCTL_STATUS_STR_MAX + 1);

	if (!n || n > SPIRECCTL_STATUS_STR_MAX)
		abort();
	for (size_t i = 0; i < n; i++)
		if (s[i] <= ' ' || s[i] > '~')
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct spirecctl_dstatus st;
	char err[160];
	int ret;

	ret = spirecctl_dstatus_parse((const char *)data, size, &st, err,
				      sizeof(err));
	if (ret) {
		if ((ret != -EINVAL && ret != -ENOMEM) || st.peers ||
		    st.npeers || !memchr(err, '\0', sizeof(err)))
			abort();
		return 0;
	}
	if (st.version != 1 || st.ncounters > SPIRECCTL_STATUS_MAX_COUNTERS ||
	    st.npeers > SPIRECCTL_STATUS_MAX_PEERS)
		abort();
	for (size_t i = 0; i < st.ncounters; i++)
		if (!st.counters[i].key[0] ||
		    strlen(st.counters[i].key) > SPIRECCTL_STATUS_KEY_MAX)
			abort();
	for (size_t i = 0; i < st.npeers; i++) {
		check_str(st.peers[i].addr);
		check_str(st.peers[i].section);
		check_str(st.peers[i].name);
	}
	spirecctl_dstatus_free(&st);
	return 0;
}
