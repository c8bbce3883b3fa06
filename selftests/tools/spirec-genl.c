// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * spirec-genl: send one request of the spirec generic netlink family with
 * exactly the attributes given, including ones spirecctl never sends, and
 * print the kernel's answer, for the selftests of the module's per-
 * operation policies:
 *
 *   spirec-genl [-d [-p MS]] CMD [TYPE:KIND:VALUE]...
 *
 * CMD is the command number (uapi/linux/spirec.h), -d sends it as a dump;
 * -p MS waits MS milliseconds after each of the first PAUSED_DATAGRAMS
 * datagrams of the reply before it reads the next (a dump's later parts
 * are made only then: a test can change the dumped table meanwhile; a
 * pause after every datagram would make a dump of thousands of entries
 * last minutes).
 * KIND is u8, u16, u32 or hex (raw bytes). Prints "ok" and exits 0 when
 * the kernel accepted the request ("ok dump-intr" when a message of the
 * dump carried NLM_F_DUMP_INTR: the dumped table changed meanwhile); prints "error ERRNO: MESSAGE" (the
 * extack message, or "-") and exits 1 when it refused it; exits 2 on a
 * usage or socket problem.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/spirec.h>

#ifndef NETLINK_EXT_ACK
#define NETLINK_EXT_ACK 11
#endif

static _Noreturn void fail(const char *what)
{
	fprintf(stderr, "spirec-genl: %s\n", what);
	exit(2);
}

static int family_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nlattr *a;

	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr))
		if (mnl_attr_get_type(a) == CTRL_ATTR_FAMILY_ID &&
		    !mnl_attr_validate(a, MNL_TYPE_U16))
			*(uint16_t *)data = mnl_attr_get_u16(a);
	return MNL_CB_OK;
}

static struct nlmsghdr *msg_begin(char *buf, uint16_t type, uint16_t flags,
				  uint8_t cmd, uint8_t version)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *g;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	nlh->nlmsg_seq = (uint32_t)time(NULL);
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = version;
	return nlh;
}

/* A reply message carried NLM_F_DUMP_INTR. */
static bool dump_intr;
/* -p: milliseconds to wait after each of the first PAUSED_DATAGRAMS. */
static long pause_ms;
#define PAUSED_DATAGRAMS 3

/* Notes and clears NLM_F_DUMP_INTR (libmnl would stop the dump there). */
static void take_dump_intr(char *buf, int len)
{
	struct nlmsghdr *h = (struct nlmsghdr *)buf;

	while (mnl_nlmsg_ok(h, len)) {
		if (h->nlmsg_flags & NLM_F_DUMP_INTR) {
			h->nlmsg_flags &= (uint16_t)~NLM_F_DUMP_INTR;
			dump_intr = true;
		}
		h = mnl_nlmsg_next(h, &len);
	}
}

/* Runs the exchange; 0, or the negative errno of the kernel's answer. */
static int talk(struct mnl_socket *nl, struct nlmsghdr *nlh,
		mnl_cb_t cb, void *data, const char **msg)
{
	static char buf[16384];
	uint32_t portid = mnl_socket_get_portid(nl);
	int ret, datagrams = 0;

	*msg = NULL;
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		fail("sendto failed");
	for (;;) {
		ret = (int)mnl_socket_recvfrom(nl, buf, sizeof(buf));
		if (ret < 0)
			fail("recvfrom failed");
		take_dump_intr(buf, ret);
		if (pause_ms > 0 && datagrams++ < PAUSED_DATAGRAMS) {
			struct timespec ts = {
				.tv_sec = pause_ms / 1000,
				.tv_nsec = (pause_ms % 1000) * 1000000L,
			};

			nanosleep(&ts, NULL);
		}
		{
			const struct nlmsghdr *h = (const struct nlmsghdr *)buf;

			if (h->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *e = mnl_nlmsg_get_payload(h);
				size_t off = sizeof(*e);
				struct nlattr *attr;

				if (!(h->nlmsg_flags & NLM_F_CAPPED))
					off += e->msg.nlmsg_len - sizeof(e->msg);
				if (e->error && (h->nlmsg_flags & NLM_F_ACK_TLVS))
					mnl_attr_for_each_payload((void *)((const char *)e + off),
								  h->nlmsg_len - MNL_NLMSG_HDRLEN - off)
						if (mnl_attr_get_type(attr) == NLMSGERR_ATTR_MSG)
							*msg = mnl_attr_get_str(attr);
				return e->error;
			}
		}
		ret = mnl_cb_run(buf, (size_t)ret, nlh->nlmsg_seq, portid,
				 cb, data);
		if (ret <= MNL_CB_STOP)
			return ret < 0 ? -errno : 0;
	}
}

static void put_attr(struct nlmsghdr *nlh, const char *spec)
{
	char kind[8], value[256];
	unsigned int type;
	unsigned long v;
	uint8_t bytes[128];
	size_t n = 0;

	if (sscanf(spec, "%u:%7[a-z0-9]:%255s", &type, kind, value) != 3 ||
	    type > 0xffff)
		fail("attributes are TYPE:KIND:VALUE");
	if (!strcmp(kind, "hex")) {
		for (const char *p = value; p[0] && p[1] && n < sizeof(bytes);
		     p += 2) {
			unsigned int b;

			if (sscanf(p, "%2x", &b) != 1)
				fail("hex value expected");
			bytes[n++] = (uint8_t)b;
		}
		mnl_attr_put(nlh, (uint16_t)type, n, bytes);
		return;
	}
	v = strtoul(value, NULL, 0);
	if (!strcmp(kind, "u8"))
		mnl_attr_put_u8(nlh, (uint16_t)type, (uint8_t)v);
	else if (!strcmp(kind, "u16"))
		mnl_attr_put_u16(nlh, (uint16_t)type, (uint16_t)v);
	else if (!strcmp(kind, "u32"))
		mnl_attr_put_u32(nlh, (uint16_t)type, (uint32_t)v);
	else
		fail("KIND is u8, u16, u32 or hex");
}

static int ignore_cb(const struct nlmsghdr *nlh, void *data)
{
	(void)nlh;
	(void)data;
	return MNL_CB_OK;
}

int main(int argc, char **argv)
{
	static char buf[16384];
	struct mnl_socket *nl;
	struct nlmsghdr *nlh;
	uint16_t family = 0;
	const char *msg;
	bool dump = false;
	int one = 1, i = 1, err;

	if (argc > 1 && !strcmp(argv[1], "-d")) {
		dump = true;
		i++;
		if (i + 1 < argc && !strcmp(argv[i], "-p")) {
			pause_ms = strtol(argv[i + 1], NULL, 10);
			i += 2;
		}
	}
	if (i >= argc)
		fail("usage: spirec-genl [-d [-p MS]] CMD [TYPE:KIND:VALUE]...");
	nl = mnl_socket_open(NETLINK_GENERIC);
	if (!nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0)
		fail("cannot open a generic netlink socket");
	mnl_socket_setsockopt(nl, NETLINK_EXT_ACK, &one, sizeof(one));

	nlh = msg_begin(buf, GENL_ID_CTRL, 0, CTRL_CMD_GETFAMILY, 1);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, SPIREC_GENL_NAME);
	if (talk(nl, nlh, family_cb, &family, &msg) || !family)
		fail("family " SPIREC_GENL_NAME " not found");

	nlh = msg_begin(buf, family, dump ? NLM_F_DUMP : 0,
			(uint8_t)strtoul(argv[i++], NULL, 0),
			SPIREC_GENL_VERSION);
	for (; i < argc; i++)
		put_attr(nlh, argv[i]);
	err = talk(nl, nlh, ignore_cb, NULL, &msg);
	mnl_socket_close(nl);
	if (!err) {
		printf(dump_intr ? "ok dump-intr\n" : "ok\n");
		return 0;
	}
	printf("error %d: %s\n", -err, msg ? msg : "-");
	return 1;
}
