// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Extraction of the error code and extended ACK from NLMSG_ERROR and
 * NLMSG_DONE messages.
 */
#include <errno.h>
#include <string.h>

#include "nl_ack.h"
#include "nl_attr.h"

/* Highest errno the kernel can return (include/linux/err.h). */
#define SPIREC_MAX_ERRNO	4095

static void copy_msg(struct spirec_nl_ack *ack, const struct nlattr *a)
{
	const char *s = mnl_attr_get_payload(a);
	size_t len = mnl_attr_get_payload_len(a), i;

	if (len >= sizeof(ack->msg))
		len = sizeof(ack->msg) - 1;
	for (i = 0; i < len && s[i]; i++) {
		unsigned char c = (unsigned char)s[i];

		/* The text goes to a terminal: no escape sequences. */
		ack->msg[i] = (c < 0x20 || c == 0x7f) ? '?' : (char)c;
	}
	ack->msg[i] = '\0';
}

static const struct spirec_attr_policy ack_policy[NLMSGERR_ATTR_MAX + 1] = {
	[NLMSGERR_ATTR_MSG]		= { .type = MNL_TYPE_UNSPEC },
	[NLMSGERR_ATTR_OFFS]		= { .type = MNL_TYPE_U32 },
	[NLMSGERR_ATTR_MISS_TYPE]	= { .type = MNL_TYPE_U32 },
	/* cookie, policy, ...: not shown */
};

/* The extended ACK attributes, @off bytes into the payload of @nlh. */
static int parse_tlvs(const struct nlmsghdr *nlh, size_t off,
		      struct spirec_nl_ack *ack)
{
	const struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	struct spirec_attr_table t = {
		.tb = tb, .policy = ack_policy, .max = NLMSGERR_ATTR_MAX,
	};

	if (spirec_attr_parse(nlh, off, &t))
		return -EBADMSG;
	if (tb[NLMSGERR_ATTR_MSG])
		copy_msg(ack, tb[NLMSGERR_ATTR_MSG]);
	ack->has_offs = tb[NLMSGERR_ATTR_OFFS] != NULL;
	ack->offs = (uint32_t)spirec_attr_uint(tb[NLMSGERR_ATTR_OFFS]);
	ack->has_miss_type = tb[NLMSGERR_ATTR_MISS_TYPE] != NULL;
	ack->miss_type =
		(uint32_t)spirec_attr_uint(tb[NLMSGERR_ATTR_MISS_TYPE]);
	return 0;
}

static int set_error(struct spirec_nl_ack *ack, int32_t err)
{
	if (err > 0 || err < -SPIREC_MAX_ERRNO)
		return -EBADMSG;
	ack->error = -err;
	return 0;
}

int spirec_nl_ack_parse(const void *buf, size_t len,
			struct spirec_nl_ack *ack)
{
	const struct nlmsghdr *nlh = buf;
	const uint8_t *payload = (const uint8_t *)buf + NLMSG_HDRLEN;
	size_t plen, off;
	int32_t err;

	memset(ack, 0, sizeof(*ack));
	if (!buf || len < NLMSG_HDRLEN || nlh->nlmsg_len < NLMSG_HDRLEN ||
	    nlh->nlmsg_len > len)
		return -EBADMSG;
	plen = nlh->nlmsg_len - NLMSG_HDRLEN;

	if (nlh->nlmsg_type == NLMSG_DONE) {
		if (plen < sizeof(err))
			return plen ? -EBADMSG : 0;
		memcpy(&err, payload, sizeof(err));
		if (set_error(ack, err))
			return -EBADMSG;
		off = sizeof(err);
	} else if (nlh->nlmsg_type == NLMSG_ERROR) {
		const struct nlmsgerr *e = (const struct nlmsgerr *)payload;

		if (plen < sizeof(*e))
			return -EBADMSG;
		if (set_error(ack, e->error))
			return -EBADMSG;
		off = sizeof(*e);
		if (!(nlh->nlmsg_flags & NLM_F_CAPPED)) {
			/* The request is echoed; skip its payload. */
			if (e->msg.nlmsg_len < NLMSG_HDRLEN)
				return -EBADMSG;
			off += e->msg.nlmsg_len - NLMSG_HDRLEN;
		}
	} else {
		return -EBADMSG;
	}

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return 0;
	off = NLMSG_ALIGN(off);
	if (off > plen)
		return -EBADMSG;
	return parse_tlvs(nlh, off, ack);
}
