// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * spirec-flood: the attacker of the spirec benchmarks and fault tests.
 * Sends ESP and ESP-in-UDP (port 4500) packets with random SPIs from
 * random spoofed sources, IPv4 and IPv6 mixed, through raw sockets, as
 * fast as it can (or at --rate), for --duration seconds. Every packet
 * has a fresh SPI and a fresh source address drawn from the given
 * prefixes, so each one is an unknown SPI from a (probably) new peer.
 * SIGINT or SIGTERM end it early (the summary is still printed).
 * Run it inside a test network namespace only.
 */
#include "packet.h"
#include "util.h"

#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <net/if.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BATCH		32

struct prefix {
	struct pkt_addr addr;
	unsigned int len;
};

struct fam {
	bool on;
	int fd;
	struct pkt_addr dst;
	struct prefix src;
	struct sockaddr_storage ss;
	socklen_t sslen;
	unsigned long long sent;
};

struct opts {
	struct fam f4;
	struct fam f6;
	bool esp;
	bool udp;
	double duration;
	unsigned long rate;
	uint64_t seed;
	const char *ifname;
	int len;
};

/* The usage on @f, then exit with @status. */
static _Noreturn void usage(FILE *f, int status)
{
	fprintf(f,
"usage: spirec-flood [-4 DST4 --src4 P/LEN] [-6 DST6 --src6 P/LEN] [options]\n"
"  -4 DST4, --src4 P/LEN   IPv4 destination, spoofed sources from P/LEN\n"
"  -6 DST6, --src6 P/LEN   IPv6 destination, spoofed sources from P/LEN\n"
"  -p, --proto esp|udp|both  ESP, ESP in UDP to 4500, or both (default both)\n"
"  -t, --duration S        seconds to send (default 30)\n"
"  -r, --rate PPS          packets per second in all (default: no limit)\n"
"      --len N             bytes of ESP (SPI, seq, body; default 64)\n"
"      --seed N            random seed (default: from the clock)\n"
"  -I, --interface IF      send through this interface\n"
"Prints \"sent N v4 N v6 N errors E elapsed_ms T pps P\" at the end.\n");
	exit(status);
}

/* FAMILY's source prefix S into @p: its length must leave host bits. */
static void source_prefix(int family, const char *s, struct prefix *p)
{
	p->len = parse_prefix(family, s, &p->addr, "a source prefix");
	if (p->len >= (family == AF_INET ? 32u : 128u))
		die("bad prefix length (it must leave host bits)");
}

/* A random address inside @p (host part random, prefix kept). */
static void random_in(const struct prefix *p, struct pkt_addr *out)
{
	uint8_t *b;
	unsigned int i, nbytes;

	*out = p->addr;
	if (out->family == AF_INET) {
		b = (uint8_t *)&out->v4;
		nbytes = 4;
	} else {
		b = (uint8_t *)&out->v6;
		nbytes = 16;
	}
	for (i = 0; i < nbytes; i++) {
		unsigned int bit0 = i * 8;
		uint8_t keep, r = (uint8_t)rnd();

		if (bit0 + 8 <= p->len)
			continue;
		keep = bit0 >= p->len ? 0 :
		       (uint8_t)(0xff << (8 - (p->len - bit0)));
		b[i] = (uint8_t)((b[i] & keep) | (r & ~keep));
	}
}

static void fam_init(struct fam *f, const char *ifname)
{
	memset(&f->ss, 0, sizeof(f->ss));
	if (f->dst.family == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&f->ss;

		sin->sin_family = AF_INET;
		sin->sin_addr = f->dst.v4;
		f->sslen = sizeof(*sin);
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&f->ss;

		sin6->sin6_family = AF_INET6;
		sin6->sin6_addr = f->dst.v6;
		f->sslen = sizeof(*sin6);
	}
	f->fd = open_raw(f->dst.family, ifname);
}

static unsigned long long errors;
static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

/* One batch of @n packets for family @f; kinds alternate if both. */
static void send_batch(const struct opts *o, struct fam *f, unsigned int n)
{
	static uint8_t bufs[BATCH][PKT_MAX_LEN];
	struct mmsghdr msgs[BATCH];
	struct iovec iov[BATCH];
	unsigned int i, done = 0;

	for (i = 0; i < n; i++) {
		struct pkt_spec spec = {
			.dst = f->dst,
			.sport = 4500,
			.dport = 4500,
			.len = o->len,
		};
		size_t len;

		if (o->esp && o->udp)
			spec.kind = (rnd() & 1) ? PKT_ESP : PKT_UDP_ESP;
		else
			spec.kind = o->esp ? PKT_ESP : PKT_UDP_ESP;
		random_in(&f->src, &spec.src);
		/* SPIs 1..255 are reserved; 0 would be an IKE marker. */
		do
			spec.spi = (uint32_t)rnd();
		while (spec.spi < 256);
		spec.seq = (uint32_t)rnd() | 1;
		if (spec.kind == PKT_UDP_ESP)
			spec.sport = (uint16_t)(1024 + rnd() % 60000);
		len = pkt_build(&spec, bufs[i], sizeof(bufs[i]));
		if (!len)
			die("packet does not fit");
		iov[i].iov_base = bufs[i];
		iov[i].iov_len = len;
		memset(&msgs[i], 0, sizeof(msgs[i]));
		msgs[i].msg_hdr.msg_name = &f->ss;
		msgs[i].msg_hdr.msg_namelen = f->sslen;
		msgs[i].msg_hdr.msg_iov = &iov[i];
		msgs[i].msg_hdr.msg_iovlen = 1;
	}
	while (done < n) {
		int r = sendmmsg(f->fd, msgs + done, n - done, 0);

		if (r < 0) {
			if (errno == EINTR)
				continue;
			/* ENOBUFS, EPERM from a firewall, ...: count, go on. */
			errors++;
			done++;
			continue;
		}
		done += (unsigned int)r;
		f->sent += (unsigned long long)r;
	}
}

enum { O_SRC4 = 256, O_SRC6, O_SEED, O_LEN };

static void parse(int argc, char **argv, struct opts *o)
{
	static const struct option lo[] = {
		{ "src4", required_argument, NULL, O_SRC4 },
		{ "src6", required_argument, NULL, O_SRC6 },
		{ "proto", required_argument, NULL, 'p' },
		{ "duration", required_argument, NULL, 't' },
		{ "rate", required_argument, NULL, 'r' },
		{ "len", required_argument, NULL, O_LEN },
		{ "seed", required_argument, NULL, O_SEED },
		{ "interface", required_argument, NULL, 'I' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *src4 = NULL, *src6 = NULL;
	char *end;
	int c;

	o->esp = o->udp = true;
	o->duration = 30;
	o->len = 64;
	o->seed = now_ns();
	while ((c = getopt_long(argc, argv, "4:6:p:t:r:I:h", lo, NULL)) != -1) {
		switch (c) {
		case '4':
			parse_addr(AF_INET, optarg, &o->f4.dst);
			o->f4.on = true;
			break;
		case '6':
			parse_addr(AF_INET6, optarg, &o->f6.dst);
			o->f6.on = true;
			break;
		case O_SRC4:
			src4 = optarg;
			break;
		case O_SRC6:
			src6 = optarg;
			break;
		case 'I':
			o->ifname = optarg;
			break;
		case 'p':
			if (!strcmp(optarg, "esp"))
				o->udp = false;
			else if (!strcmp(optarg, "udp"))
				o->esp = false;
			else if (strcmp(optarg, "both"))
				die("--proto: esp, udp or both");
			break;
		case 't':
			errno = 0;
			o->duration = strtod(optarg, &end);
			if (errno || end == optarg || *end || !(o->duration > 0))
				die("bad --duration");
			break;
		case 'r':
			errno = 0;
			o->rate = strtoul(optarg, &end, 0);
			if (errno || end == optarg || *end || *optarg == '-')
				die("bad --rate");
			break;
		case O_LEN:
			errno = 0;
			o->len = (int)strtol(optarg, &end, 0);
			if (errno || end == optarg || *end || o->len < 8 ||
			    o->len > 1200)
				die("--len: 8..1200");
			break;
		case O_SEED:
			errno = 0;
			o->seed = strtoull(optarg, &end, 0);
			if (errno || end == optarg || *end)
				die("bad --seed");
			break;
		case 'h':
			usage(stdout, 0);
		default:
			usage(stderr, 2);
		}
	}
	if (optind != argc || (!o->f4.on && !o->f6.on))
		usage(stderr, 2);
	if (o->f4.on != !!src4 || o->f6.on != !!src6)
		die("each destination needs its source prefix (--src4, --src6)");
	if (src4)
		source_prefix(AF_INET, src4, &o->f4.src);
	if (src6)
		source_prefix(AF_INET6, src6, &o->f6.src);
}

int main(int argc, char **argv)
{
	struct opts o;
	uint64_t t0, end, now, elapsed;
	unsigned long long total = 0;
	bool flip = false;
	struct sigaction sa;

	memset(&o, 0, sizeof(o));
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	util_prog = "spirec-flood";
	parse(argc, argv, &o);
	rnd_seed(o.seed ? o.seed : 1);
	if (o.f4.on)
		fam_init(&o.f4, o.ifname);
	if (o.f6.on)
		fam_init(&o.f6, o.ifname);

	t0 = now_ns();
	end = t0 + (uint64_t)(o.duration * 1e9);
	for (;;) {
		struct fam *f;

		now = now_ns();
		if (now >= end || stop)
			break;
		if (o.rate) {
			/* Packets due by now at the rate; sleep when ahead. */
			uint64_t due = (now - t0) * o.rate / 1000000000ull;

			if (total >= due) {
				struct timespec ts = { 0, 1000000 };

				nanosleep(&ts, NULL);
				continue;
			}
		}
		if (o.f4.on && o.f6.on)
			f = flip ? &o.f6 : &o.f4;
		else
			f = o.f4.on ? &o.f4 : &o.f6;
		flip = !flip;
		send_batch(&o, f, o.rate && o.rate < BATCH ? 1 : BATCH);
		total = o.f4.sent + o.f6.sent;
	}
	elapsed = now_ns() - t0;
	printf("sent %llu v4 %llu v6 %llu errors %llu elapsed_ms %" PRIu64
	       " pps %.0f\n", total, o.f4.sent, o.f6.sent, errors,
	       elapsed / 1000000, elapsed ? total * 1e9 / (double)elapsed : 0.0);
	return 0;
}
