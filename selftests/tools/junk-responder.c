// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * junk-responder: a UDP server that answers every datagram with junk, for
 * the spirec fault tests ("the peer answers garbage"). The answers cycle
 * through: random bytes; an IKE header echoing the request's SPIs with a
 * length beyond the datagram; a truncated IKE header; an IKE header whose
 * first payload runs past the end; a zero-length datagram. A request that
 * starts with the 4-byte non-ESP marker (port 4500) gets the marker back
 * in front of the junk. The socket has SO_REUSEADDR: bound to a specific
 * address, it takes that address's datagrams from a wildcard-bound
 * daemon with SO_REUSEADDR (charon) on the same port, until it exits.
 *
 *   junk-responder [-b ADDR] [-p PORT] [-t SECONDS]
 *
 * Prints "answered N" when it ends (SIGTERM, SIGINT or -t).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static uint32_t rnd_state = 2463534242u;

static uint8_t rnd8(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 17;
	rnd_state ^= rnd_state << 5;
	return (uint8_t)rnd_state;
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* IKE header: the request's SPIs, responder SPI made up, flags R. */
static void ike_hdr(uint8_t *p, const uint8_t *req, size_t reqlen,
		    uint8_t next, uint32_t len)
{
	size_t i;

	memset(p, 0, 28);
	if (reqlen >= 8)
		memcpy(p, req, 8);
	for (i = 8; i < 16; i++)
		p[i] = rnd8();
	p[16] = next;
	p[17] = 0x20;		/* IKEv2 */
	p[18] = reqlen >= 19 ? req[18] : 34;	/* exchange type echoed */
	p[19] = 0x20;		/* Response */
	if (reqlen >= 24)
		memcpy(p + 20, req + 20, 4);	/* message ID echoed */
	put32(p + 24, len);
}

static size_t junk(unsigned int n, const uint8_t *req, size_t reqlen,
		   uint8_t *out)
{
	size_t i;

	switch (n % 5) {
	case 0:			/* random bytes */
		for (i = 0; i < 200; i++)
			out[i] = rnd8();
		return 200;
	case 1:			/* length field says 64 KiB */
		ike_hdr(out, req, reqlen, 33, 65535);
		return 28;
	case 2:			/* truncated header */
		ike_hdr(out, req, reqlen, 33, 28);
		return 17;
	case 3:			/* SA payload running past the end */
		ike_hdr(out, req, reqlen, 33, 40);
		out[28] = 0;
		out[29] = 0;
		out[30] = 0x03;		/* payload length 1000 */
		out[31] = 0xe8;
		for (i = 32; i < 40; i++)
			out[i] = rnd8();
		return 40;
	default:		/* nothing at all */
		return 0;
	}
}

int main(int argc, char **argv)
{
	const char *bind_addr = "0.0.0.0";
	unsigned long port = 500, seconds = 0;
	struct sockaddr_storage ss;
	unsigned long long answered = 0;
	struct sigaction sa;
	socklen_t sslen;
	int fd, c, one = 1;

	while ((c = getopt(argc, argv, "b:p:t:")) != -1) {
		switch (c) {
		case 'b':
			bind_addr = optarg;
			break;
		case 'p':
			port = strtoul(optarg, NULL, 0);
			if (!port || port > 65535) {
				fprintf(stderr, "junk-responder: bad port\n");
				return 2;
			}
			break;
		case 't':
			seconds = strtoul(optarg, NULL, 0);
			break;
		default:
			fprintf(stderr, "usage: junk-responder [-b ADDR] [-p PORT] [-t SECONDS]\n");
			return 2;
		}
	}

	memset(&ss, 0, sizeof(ss));
	if (strchr(bind_addr, ':')) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;

		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((uint16_t)port);
		if (inet_pton(AF_INET6, bind_addr, &s6->sin6_addr) != 1)
			goto bad_addr;
		sslen = sizeof(*s6);
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;

		s4->sin_family = AF_INET;
		s4->sin_port = htons((uint16_t)port);
		if (inet_pton(AF_INET, bind_addr, &s4->sin_addr) != 1)
			goto bad_addr;
		sslen = sizeof(*s4);
	}
	fd = socket(ss.ss_family, SOCK_DGRAM, 0);
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one,
				 sizeof(one)) ||
	    bind(fd, (struct sockaddr *)&ss, sslen)) {
		perror("junk-responder: socket/bind");
		return 1;
	}

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	if (seconds) {
		sigaction(SIGALRM, &sa, NULL);
		alarm((unsigned int)seconds);
	}
	printf("listening on %s port %lu\n", bind_addr, port);
	fflush(stdout);

	while (!stop) {
		uint8_t req[2048], out[256 + 4];
		struct sockaddr_storage from;
		socklen_t fromlen = sizeof(from);
		size_t off = 0, len;
		ssize_t n;

		n = recvfrom(fd, req, sizeof(req), 0, (struct sockaddr *)&from,
			     &fromlen);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			perror("junk-responder: recvfrom");
			return 1;
		}
		if (n >= 4 && !req[0] && !req[1] && !req[2] && !req[3]) {
			memset(out, 0, 4);	/* non-ESP marker */
			off = 4;
		}
		len = junk((unsigned int)answered, req + off, (size_t)n - off,
			   out + off);
		if (sendto(fd, out, off + len, 0, (struct sockaddr *)&from,
			   fromlen) < 0)
			perror("junk-responder: sendto");
		answered++;
	}
	printf("answered %llu\n", answered);
	return 0;

bad_addr:
	fprintf(stderr, "junk-responder: bad address '%s'\n", bind_addr);
	return 2;
}
