// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vici-initiate SOCKET NAME...: asks charon (VICI socket SOCKET, a path)
 * to initiate the CHILD SA NAME under the IKE config NAME, for every NAME
 * at once: all the "initiate" requests go out on one connection before
 * any answer is read, each with timeout -1 (charon answers at once and
 * sets the SAs up in the background), init-limits no. Then it reads one
 * answer per request and prints "initiated N of M"; exit status 0 when
 * charon accepted them all. The e2e hub scenario (selftests/e2e/lib-hub.sh)
 * uses it for the reference: the hub's charon setting up every spoke's
 * tunnel itself. A swanctl process per child would cost 0.1 to 0.5 s each
 * in a TCG guest. The packets are spirecd's own (userspace/spirecd/vici.h).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "vici.h"

static int io_all(int fd, void *buf, size_t len, int writing)
{
	uint8_t *p = buf;

	while (len) {
		ssize_t n = writing ? write(fd, p, len) : read(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* One packet from charon into @buf (at most VICI_MAX_PACKET bytes). */
static int read_packet(int fd, uint8_t *buf, uint32_t *len)
{
	uint8_t hdr[4];

	if (io_all(fd, hdr, 4, 0))
		return -1;
	*len = (uint32_t)hdr[0] << 24 | (uint32_t)hdr[1] << 16 |
	       (uint32_t)hdr[2] << 8 | hdr[3];
	if (*len > VICI_MAX_PACKET)
		return -1;
	return io_all(fd, buf, *len, 0);
}

int main(int argc, char **argv)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct spirecd_vici_request req;
	struct spirecd_vici_reply rep;
	const char *why;
	uint8_t *pkt;
	uint32_t len;
	int fd, i, ok = 0, n = argc - 2;

	if (argc < 3 || strlen(argv[1]) >= sizeof(sun.sun_path)) {
		fprintf(stderr, "usage: vici-initiate SOCKET NAME...\n");
		return 2;
	}
	strcpy(sun.sun_path, argv[1]);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sun, sizeof(sun))) {
		perror(argv[1]);
		return 1;
	}
	for (i = 2; i < argc; i++) {
		spirecd_vici_request_init(&req, "initiate");
		spirecd_vici_request_kv(&req, "child", argv[i]);
		spirecd_vici_request_kv(&req, "ike", argv[i]);
		spirecd_vici_request_kv(&req, "timeout", "-1");
		spirecd_vici_request_kv(&req, "init-limits", "no");
		if (!spirecd_vici_request_finish(&req) || io_all(fd, req.data, req.len, 1)) {
			fprintf(stderr, "vici-initiate: sending %s failed\n", argv[i]);
			return 1;
		}
	}
	pkt = malloc(VICI_MAX_PACKET);
	if (!pkt)
		return 1;
	for (i = 0; i < n; ) {
		if (read_packet(fd, pkt, &len)) {
			fprintf(stderr, "vici-initiate: %s closed after %d answers\n",
				argv[1], i);
			break;
		}
		if (spirecd_vici_reply_parse(pkt, len, NULL, &rep, &why)) {
			fprintf(stderr, "vici-initiate: bad packet: %s\n", why);
			break;
		}
		if (rep.type == VICI_EVENT)
			continue;
		if (rep.type == VICI_CMD_RESPONSE && rep.has_success && rep.success)
			ok++;
		else
			fprintf(stderr, "vici-initiate: %s: %s\n", argv[i + 2],
				rep.errmsg[0] ? rep.errmsg : "refused");
		i++;
	}
	free(pkt);
	close(fd);
	printf("initiated %d of %d\n", ok, n);
	return ok == n ? 0 : 1;
}
