// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * spirec-send: send ESP, AH or ESP-in-UDP packets with chosen (or random)
 * SPIs and (spoofed) source addresses through a raw socket, for the spirec
 * selftests. Well-formed and malformed packets; run it inside a test
 * network namespace only.
 */
#include "packet.h"
#include "util.h"

#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <net/if.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_SOURCES	65536

struct opts {
	int family;
	struct pkt_spec spec;
	bool spi_random;
	unsigned long count;
	uint64_t interval_ns;
	double duration;
	const char *ifname;
	struct pkt_addr prefix;
	unsigned int prefix_len;
	unsigned int sources;
	uint64_t seed;
	bool keep_going;
	bool quiet;
};

/* The usage on @f, then exit with @status. */
static _Noreturn void usage(FILE *f, int status)
{
	fprintf(f,
"usage: spirec-send -4|-6 -s SRC -d DST [options]\n"
"  -p, --proto esp|ah|udp     payload (udp: ESP in UDP to port 4500); default esp\n"
"  -m, --malformed KIND       esp-short|ah-short|udp-runt|keepalive|zero-marker|\n"
"                             ext-chain (IPv6: 32 extension headers, then ESP)\n"
"      --spi N|random         SPI (default 0x0badc0de); random: new one per packet\n"
"      --seq N                ESP/AH sequence number of the first packet (default 1)\n"
"      --sport N, --dport N   UDP ports (default 4500, 4500)\n"
"      --len N                bytes after the IP header (after UDP for udp kinds)\n"
"      --ext N                IPv6 extension headers before the payload\n"
"  -c, --count N              packets to send (default 1; 0: until --duration)\n"
"  -r, --rate PPS             packets per second (default: as fast as possible)\n"
"  -i, --interval USEC        microseconds between packets\n"
"  -t, --duration S           stop after S seconds\n"
"      --src-prefix P/LEN     spoof sources from this prefix ...\n"
"  -n, --sources N            ... N distinct addresses, used in turn\n"
"      --seed N               random seed (SPIs, source choice)\n"
"  -I, --interface IFNAME     send through this interface\n"
"  -k, --keep-going           ignore send errors (count them)\n"
"  -q, --quiet                no summary\n"
"Prints \"sent N errors E elapsed_ms T\" on stdout at the end.\n");
	exit(status);
}

static bool parse_ulong(const char *s, unsigned long max, unsigned long *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno || end == s || *end || *s == '-' || v > max)
		return false;
	*out = v;
	return true;
}

static unsigned long num(const char *s, unsigned long max, const char *what)
{
	unsigned long v;

	if (!parse_ulong(s, max, &v)) {
		fprintf(stderr, "spirec-send: bad %s: '%s'\n", what, s);
		exit(2);
	}
	return v;
}

/* Host bits of @a past @plen set to @host (up to 64 bits of host part). */
static void make_host(const struct pkt_addr *pfx, unsigned int plen,
		      uint64_t host, struct pkt_addr *out)
{
	unsigned int bits = (pfx->family == AF_INET ? 32 : 128) - plen;
	uint8_t *b = pfx->family == AF_INET ? (uint8_t *)&out->v4 :
					     (uint8_t *)&out->v6;
	unsigned int len = pfx->family == AF_INET ? 4 : 16;
	unsigned int i;

	*out = *pfx;
	if (bits > 64)
		bits = 64;
	for (i = 0; i < bits; i++) {
		unsigned int bit = len * 8 - 1 - i;	/* from the right */
		uint8_t mask = 1u << (7 - bit % 8);

		if (host >> i & 1)
			b[bit / 8] |= mask;
		else
			b[bit / 8] &= ~mask;
	}
}

/*
 * N distinct host parts from the prefix: a random start and an odd stride
 * walk all host values modulo 2^bits without repeating; the all-zeros and
 * (IPv4) all-ones hosts are skipped.
 */
static struct pkt_addr *make_sources(const struct opts *o)
{
	unsigned int bits = (o->family == AF_INET ? 32 : 128) - o->prefix_len;
	uint64_t span_mask, start, stride, h, j;
	struct pkt_addr *v;
	unsigned int n = 0;

	if (bits == 0)
		die("--src-prefix has no host bits");
	span_mask = bits >= 64 ? UINT64_MAX : (1ull << bits) - 1;
	if (bits < 32 && o->sources > span_mask - 1)
		die("--sources: more addresses than the prefix holds");
	v = calloc(o->sources, sizeof(*v));
	if (!v)
		die("out of memory");
	start = rnd() & span_mask;
	stride = (rnd() | 1) & span_mask;
	if (!stride)
		stride = 1;
	for (j = 0; n < o->sources; j++) {
		h = (start + j * stride) & span_mask;
		if (h == 0 || (o->family == AF_INET && h == span_mask))
			continue;
		make_host(&o->prefix, o->prefix_len, h, &v[n++]);
	}
	return v;
}

static void set_malformed(struct opts *o, const char *kind)
{
	struct pkt_spec *s = &o->spec;

	if (!strcmp(kind, "esp-short")) {
		s->kind = PKT_ESP;		/* less than the SPI */
		s->len = 3;
	} else if (!strcmp(kind, "ah-short")) {
		s->kind = PKT_AH;		/* ends inside the SPI */
		s->len = 6;
	} else if (!strcmp(kind, "udp-runt")) {
		s->kind = PKT_UDP_RAW;		/* 1-3 bytes; default 2 */
		if (s->len < 0)
			s->len = 2;
	} else if (!strcmp(kind, "keepalive")) {
		s->kind = PKT_UDP_KEEPALIVE;
	} else if (!strcmp(kind, "zero-marker")) {
		s->kind = PKT_UDP_IKE;
	} else if (!strcmp(kind, "ext-chain")) {
		s->kind = PKT_ESP;
		if (!s->ext_hdrs)
			s->ext_hdrs = 32;
	} else {
		fprintf(stderr, "spirec-send: unknown malformed kind '%s'\n",
			kind);
		exit(2);
	}
}

static void parse(int argc, char **argv, struct opts *o)
{
	enum { O_SPI = 256, O_SEQ, O_SPORT, O_DPORT, O_LEN, O_EXT, O_PREFIX,
	       O_SEED };
	static const struct option lo[] = {
		{ "proto", required_argument, NULL, 'p' },
		{ "malformed", required_argument, NULL, 'm' },
		{ "spi", required_argument, NULL, O_SPI },
		{ "seq", required_argument, NULL, O_SEQ },
		{ "sport", required_argument, NULL, O_SPORT },
		{ "dport", required_argument, NULL, O_DPORT },
		{ "len", required_argument, NULL, O_LEN },
		{ "ext", required_argument, NULL, O_EXT },
		{ "count", required_argument, NULL, 'c' },
		{ "rate", required_argument, NULL, 'r' },
		{ "interval", required_argument, NULL, 'i' },
		{ "duration", required_argument, NULL, 't' },
		{ "src-prefix", required_argument, NULL, O_PREFIX },
		{ "sources", required_argument, NULL, 'n' },
		{ "seed", required_argument, NULL, O_SEED },
		{ "interface", required_argument, NULL, 'I' },
		{ "keep-going", no_argument, NULL, 'k' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *src = NULL, *dst = NULL, *prefix = NULL, *malformed = NULL;
	const char *proto = "esp";
	char *end;
	int c;

	memset(o, 0, sizeof(*o));
	o->spec.spi = 0x0badc0de;
	o->spec.seq = 1;
	o->spec.sport = 4500;
	o->spec.dport = 4500;
	o->spec.len = -1;
	o->count = 1;
	o->seed = 0;

	while ((c = getopt_long(argc, argv, "46s:d:p:m:c:r:i:t:n:I:kqh", lo,
				NULL)) != -1) {
		switch (c) {
		case '4':
			o->family = AF_INET;
			break;
		case '6':
			o->family = AF_INET6;
			break;
		case 's':
			src = optarg;
			break;
		case 'd':
			dst = optarg;
			break;
		case 'p':
			proto = optarg;
			break;
		case 'm':
			malformed = optarg;
			break;
		case O_SPI:
			if (!strcmp(optarg, "random"))
				o->spi_random = true;
			else
				o->spec.spi = (uint32_t)num(optarg, UINT32_MAX,
							    "SPI");
			break;
		case O_SEQ:
			o->spec.seq = (uint32_t)num(optarg, UINT32_MAX, "seq");
			break;
		case O_SPORT:
			o->spec.sport = (uint16_t)num(optarg, 65535, "port");
			break;
		case O_DPORT:
			o->spec.dport = (uint16_t)num(optarg, 65535, "port");
			break;
		case O_LEN:
			o->spec.len = (int)num(optarg, PKT_MAX_LEN, "length");
			break;
		case O_EXT:
			o->spec.ext_hdrs = (unsigned int)num(optarg, 160,
							     "header count");
			break;
		case 'c':
			o->count = num(optarg, ULONG_MAX, "count");
			break;
		case 'r':
			o->interval_ns = 1000000000ull /
				num(optarg, 100000000, "rate");
			break;
		case 'i':
			o->interval_ns = 1000ull * num(optarg, 60000000,
						       "interval");
			break;
		case 't':
			o->duration = strtod(optarg, &end);
			if (*end || end == optarg || o->duration <= 0)
				die("bad --duration");
			break;
		case O_PREFIX:
			prefix = optarg;
			break;
		case 'n':
			o->sources = (unsigned int)num(optarg, MAX_SOURCES,
						       "source count");
			break;
		case O_SEED:
			o->seed = num(optarg, ULONG_MAX, "seed");
			break;
		case 'I':
			o->ifname = optarg;
			break;
		case 'k':
			o->keep_going = true;
			break;
		case 'q':
			o->quiet = true;
			break;
		case 'h':
			usage(stdout, 0);
		default:
			usage(stderr, 2);
		}
	}
	if (optind != argc || !o->family || !dst || (!src && !prefix))
		usage(stderr, 2);
	if (!strcmp(proto, "esp"))
		o->spec.kind = PKT_ESP;
	else if (!strcmp(proto, "ah"))
		o->spec.kind = PKT_AH;
	else if (!strcmp(proto, "udp"))
		o->spec.kind = PKT_UDP_ESP;
	else
		die("--proto must be esp, ah or udp");
	if (malformed)
		set_malformed(o, malformed);
	if (o->spec.ext_hdrs && o->family != AF_INET6)
		die("extension headers need -6");
	parse_addr(o->family, dst, &o->spec.dst);
	if (src)
		parse_addr(o->family, src, &o->spec.src);
	if (prefix) {
		o->prefix_len = parse_prefix(o->family, prefix, &o->prefix,
					     "--src-prefix");
		if (!o->sources)
			o->sources = 1;
	} else if (o->sources) {
		die("--sources needs --src-prefix");
	}
	if (o->count == 0 && o->duration <= 0)
		die("--count 0 needs --duration");
}

static void sleep_until(uint64_t t)
{
	struct timespec ts = {
		.tv_sec = (time_t)(t / 1000000000ull),
		.tv_nsec = (long)(t % 1000000000ull),
	};

	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) ==
	       EINTR)
		;
}

int main(int argc, char **argv)
{
	struct sockaddr_storage ss;
	struct pkt_addr *srcs = NULL;
	uint8_t buf[PKT_MAX_LEN];
	unsigned long sent = 0, errors = 0, i;
	uint64_t start, deadline = 0, seed;
	socklen_t sslen;
	struct opts o;
	size_t len;
	int fd;

	util_prog = "spirec-send";
	parse(argc, argv, &o);
	if (o.seed) {
		seed = o.seed;
	} else if (getrandom(&seed, sizeof(seed), 0) != sizeof(seed)) {
		seed = (uint64_t)now_ns() ^ (uint64_t)getpid();
	}
	rnd_seed(seed);
	if (o.sources)
		srcs = make_sources(&o);

	memset(&ss, 0, sizeof(ss));
	if (o.family == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&ss;

		sin->sin_family = AF_INET;
		sin->sin_addr = o.spec.dst.v4;
		sslen = sizeof(*sin);
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;

		sin6->sin6_family = AF_INET6;
		sin6->sin6_addr = o.spec.dst.v6;
		sslen = sizeof(*sin6);
	}
	fd = open_raw(o.family, o.ifname);

	start = now_ns();
	if (o.duration > 0)
		deadline = start + (uint64_t)(o.duration * 1e9);
	for (i = 0; o.count == 0 || i < o.count; i++) {
		if (deadline && now_ns() >= deadline)
			break;
		if (o.interval_ns)
			sleep_until(start + i * o.interval_ns);
		if (srcs)
			o.spec.src = srcs[i % o.sources];
		if (o.spi_random)
			do
				o.spec.spi = (uint32_t)(rnd() >> 32);
			while (o.spec.spi < 256);	/* 1-255: reserved */
		len = pkt_build(&o.spec, buf, sizeof(buf));
		if (!len)
			die("packet does not fit");
		for (;;) {
			if (sendto(fd, buf, len, 0, (struct sockaddr *)&ss,
				   sslen) == (ssize_t)len) {
				sent++;
				break;
			}
			if (errno == ENOBUFS || errno == EAGAIN) {
				usleep(1000);
				continue;
			}
			if (!o.keep_going) {
				perror("spirec-send: sendto");
				return 1;
			}
			errors++;
			break;
		}
		o.spec.seq++;
	}
	if (!o.quiet)
		printf("sent %lu errors %lu elapsed_ms %" PRIu64 "\n", sent,
		       errors, (now_ns() - start) / 1000000);
	free(srcs);
	close(fd);
	return 0;
}
