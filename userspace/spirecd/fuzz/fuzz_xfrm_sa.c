// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target: one datagram of an XFRM_MSG_GETSA dump, each message
 * through spirecd_xfrm_sa_parse() as spirecd_xfrm_sa_dump() does, and the
 * whole input as one message (a length that lies about the buffer).
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <libmnl/libmnl.h>

#include "../../lib/fuzz/fuzz_input.h"
#include "../xfrm_sa.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const void *buf, size_t len)
{
	struct spirecd_xfrm_sa sa;
	const char *why = NULL;
	int ret = spirecd_xfrm_sa_parse(buf, len, &sa, &why);

	if (ret == -EBADMSG && !why)
		abort();	/* every rejection names its reason */
	if (ret && ret != -EBADMSG && ret != -ENOMSG)
		abort();
	if (ret)
		return;
	/* What the parser accepts is consistent. */
	if ((sa.family != AF_INET && sa.family != AF_INET6) ||
	    sa.saddr.family != sa.family || sa.daddr.family != sa.family)
		abort();
	if (sa.valid && (!sa.spi || !sa.has_keys ||
			 (sa.proto != IPPROTO_ESP && sa.proto != IPPROTO_AH)))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct fuzz_input in;
	size_t off = 0;

	if (!fuzz_input_load(&in, data, size))
		return 0;
	check(in.buf, in.len);
	/* Walk the datagram as mnl_cb_run() does, with unsigned bounds
	 * (mnl_nlmsg_ok() casts a huge nlmsg_len to a negative int). */
	while (in.len - off >= sizeof(struct nlmsghdr)) {
		const struct nlmsghdr *nlh =
			(const struct nlmsghdr *)(in.buf + off);

		if (nlh->nlmsg_len < sizeof(*nlh) ||
		    nlh->nlmsg_len > in.len - off)
			break;
		check(nlh, nlh->nlmsg_len);
		off += NLMSG_ALIGN(nlh->nlmsg_len);
		if (off > in.len)
			break;
	}
	return 0;
}
