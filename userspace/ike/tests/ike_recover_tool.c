// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ike-recover: test driver for the IKE library (not installed). Runs
 * ike_recover() or ike_send_hint() against ADDRESS and prints the result
 * as key=value lines.
 *
 *   ike-recover [options] ADDRESS SPI
 *     -p PORT      peer IKE port (500)
 *     -P PORT      peer NAT-T port (4500)
 *     -l ADDR      local address to bind
 *     -s PORT      local source port (ephemeral)
 *     -i ID        local identity (required for recovery)
 *     -r ID        remote identity
 *     -k PSK       pre-shared key (or environment IKE_PSK)
 *     -o LIST      proposals, swanctl style
 *     -t MS        first retransmission timeout (1000)
 *     -n N         transmissions per request (4)
 *     -e           pretend to be behind a NAT (force NAT-T)
 *     -w MS        hold the IKE SA after IKE_AUTH (peer requests)
 *     -H           send the unauthenticated hint instead
 *     -u           hint: the offending packet was UDP-encapsulated
 *     -1           IKEv1 instead (ike_v1_recover(): Main Mode)
 *     -A           IKEv1: the stale SPI is AH's (default ESP)
 *     -v           verbose (-vv: debug)
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../ike.h"

static int verbosity;

static void log_cb(void *ctx, enum ike_log_level level, const char *msg)
{
	(void)ctx;
	if ((int)level <= verbosity)
		fprintf(stderr, "ike: %s\n", msg);
}

static int parse_addr(const char *s, uint16_t port,
		      struct sockaddr_storage *ss, socklen_t *len)
{
	struct sockaddr_in *in = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, s, &in->sin_addr) == 1) {
		in->sin_family = AF_INET;
		in->sin_port = htons(port);
		*len = sizeof(*in);
		return 0;
	}
	if (inet_pton(AF_INET6, s, &in6->sin6_addr) == 1) {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons(port);
		*len = sizeof(*in6);
		return 0;
	}
	return -1;
}

static unsigned long num(const char *s, unsigned long max, const char *what)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno || *end || end == s || v > max) {
		fprintf(stderr, "ike-recover: bad %s '%s'\n", what, s);
		exit(2);
	}
	return v;
}

int main(int argc, char **argv)
{
	struct sockaddr_storage peer, local;
	socklen_t peer_len, local_len = 0;
	struct ike_peer_cfg cfg = { .log = log_cb };
	const char *local_addr = NULL, *psk = getenv("IKE_PSK");
	unsigned long port = 0, sport = 0;
	bool hint = false, encap = false, v1 = false, ah = false;
	struct ike_result res;
	uint32_t spi;
	int opt, rc;

	while ((opt = getopt(argc, argv, "p:P:l:s:i:r:k:o:t:n:ew:Huv1A")) != -1) {
		switch (opt) {
		case 'p': port = num(optarg, 65535, "port"); break;
		case 'P': cfg.peer_natt_port =
			  (uint16_t)num(optarg, 65535, "port"); break;
		case 'l': local_addr = optarg; break;
		case 's': sport = num(optarg, 65535, "port"); break;
		case 'i': cfg.local_id = optarg; break;
		case 'r': cfg.remote_id = optarg; break;
		case 'k': psk = optarg; break;
		case 'o': cfg.proposals = optarg; break;
		case 't': cfg.timeout_ms =
			  (unsigned int)num(optarg, 60000, "timeout"); break;
		case 'n': cfg.tries =
			  (unsigned int)num(optarg, 20, "tries"); break;
		case 'e': cfg.force_encap = true; break;
		case 'w': cfg.hold_ms =
			  (unsigned int)num(optarg, 60000, "hold"); break;
		case 'H': hint = true; break;
		case 'u': encap = true; break;
		case 'v': verbosity++; break;
		case '1': v1 = true; break;
		case 'A': ah = true; break;
		default:
			fprintf(stderr, "usage: ike-recover [options] ADDRESS "
				"SPI (see the source)\n");
			return 2;
		}
	}
	if (argc - optind != 2) {
		fprintf(stderr, "usage: ike-recover [options] ADDRESS SPI\n");
		return 2;
	}
	spi = (uint32_t)num(argv[optind + 1], 0xffffffffUL, "SPI");
	if (parse_addr(argv[optind], (uint16_t)port, &peer, &peer_len)) {
		fprintf(stderr, "ike-recover: bad address '%s'\n",
			argv[optind]);
		return 2;
	}
	if (local_addr || sport) {
		if (parse_addr(local_addr ? local_addr :
			       peer.ss_family == AF_INET ? "0.0.0.0" : "::",
			       (uint16_t)sport, &local, &local_len)) {
			fprintf(stderr, "ike-recover: bad local address\n");
			return 2;
		}
		cfg.local = (struct sockaddr *)&local;
		cfg.local_len = local_len;
	}
	if (hint) {
		struct ike_hint_cfg h = {
			.peer = (struct sockaddr *)&peer, .peer_len = peer_len,
			.udp_encap = encap, .local = cfg.local,
			.local_len = cfg.local_len,
		};
		char err[256];

		if (ike_send_hint(&h, spi, err, sizeof(err))) {
			fprintf(stderr, "ike-recover: %s\n", err);
			return 1;
		}
		printf("hint=sent\n");
		return 0;
	}
	cfg.peer = (struct sockaddr *)&peer;
	cfg.peer_len = peer_len;
	cfg.psk = (const uint8_t *)psk;
	cfg.psk_len = psk ? strlen(psk) : 0;
	rc = v1 ? ike_v1_recover(&cfg, ah ? 2 : 3, spi, &res) :
		  ike_recover(&cfg, spi, &res);
	printf("status=%s\n", ike_status_str(res.status));
	if (res.error[0])
		printf("error=%s\n", res.error);
	printf("spi_i=%016llx\nspi_r=%016llx\n",
	       (unsigned long long)res.spi_i, (unsigned long long)res.spi_r);
	printf("suite=%s\nlocal_port=%u\n", res.suite, res.local_port);
	printf("nat_detected=%d\nnatt=%d\nauthenticated=%d\n",
	       res.nat_detected, res.natt, res.authenticated);
	printf("invalid_spi_acked=%d\ndeleted=%d\npeer_create_child=%d\n",
	       res.invalid_spi_acked, res.deleted, res.peer_create_child);
	printf("invalid_spi_sent=%d\ndelete_sent=%d\n", res.invalid_spi_sent,
	       res.delete_sent);
	printf("peer_requests=%u\nretransmits=%u\npeer_notify=%u\n",
	       res.peer_requests, res.retransmits, res.peer_notify);
	printf("elapsed_ms=%u\n", res.elapsed_ms);
	return rc ? 1 : 0;
}
