// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * spirecctl monitor: print invalid-SPI events as the kernel sends them.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <net/if.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "event.h"
#include "event_json.h"
#include "spirecctl.h"

struct monitor {
	const struct spirecctl *ctl;
	unsigned long max_events;	/* 0: no limit */
	unsigned long events;
};

static volatile sig_atomic_t monitor_stop;

static void on_signal(int sig)
{
	(void)sig;
	monitor_stop = 1;
}

/* "192.0.2.1", "192.0.2.1:4500" or "[2001:db8::1]:4500". */
static void format_endpoint(const struct spirec_addr *a, bool udp,
			    uint16_t port, char *buf, size_t len)
{
	char addr[INET6_ADDRSTRLEN];

	spirec_addr_format(a, addr, sizeof(addr));
	if (!udp)
		snprintf(buf, len, "%s", addr);
	else if (a->family == AF_INET6)
		snprintf(buf, len, "[%s]:%u", addr, port);
	else
		snprintf(buf, len, "%s:%u", addr, port);
}

static void print_text(const struct spirec_event_msg *ev)
{
	char src[INET6_ADDRSTRLEN + 8], dst[INET6_ADDRSTRLEN + 8];
	char ifname[IF_NAMESIZE], stamp[16];
	bool udp = ev->encap == SPIREC_ENCAP_UDP;
	struct timespec now;
	struct tm tm;

	clock_gettime(CLOCK_REALTIME, &now);
	localtime_r(&now.tv_sec, &tm);
	strftime(stamp, sizeof(stamp), "%H:%M:%S", &tm);
	format_endpoint(&ev->src, udp, ev->sport, src, sizeof(src));
	format_endpoint(&ev->dst, udp, ev->dport, dst, sizeof(dst));
	if (!if_indextoname(ev->ifindex, ifname))
		snprintf(ifname, sizeof(ifname), "%u", ev->ifindex);

	printf("%s.%03ld  %-10s %s -> %s  spi 0x%08x  dev %s  mark 0x%x  suppressed %" PRIu64,
	       stamp, now.tv_nsec / 1000000,
	       udp ? "esp-in-udp" : spirec_proto_name(ev->proto), src, dst,
	       ev->spi, ifname, ev->mark, ev->suppressed);
	if (ev->live_sas_known)
		printf("  live_sas %" PRIu32, ev->live_sas);
	putchar('\n');
}

static int event_cb(const struct nlmsghdr *nlh, void *data)
{
	struct monitor *mon = data;
	struct spirec_event_msg ev;
	const char *why = "";
	int ret;

	if (mon->max_events && mon->events >= mon->max_events)
		return 0;
	ret = spirec_event_msg_parse(nlh, nlh->nlmsg_len, &ev, &why);
	if (ret == -ENOMSG)
		return 0;
	if (ret) {
		/* Not fatal: say so and keep listening. */
		spirecctl_error(mon->ctl, "ignoring malformed event: %s", why);
		return 0;
	}
	if (mon->ctl->json)
		spirec_event_write_json(&ev, stdout);
	else
		print_text(&ev);
	fflush(stdout);
	mon->events++;
	return 0;
}

static int parse_count(const char *s, unsigned long *out)
{
	char *end;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	*out = strtoul(s, &end, 10);
	if (errno || *end || !*out)
		return -EINVAL;
	return 0;
}

static int parse_seconds(const char *s, double *out)
{
	char *end;

	if ((*s < '0' || *s > '9') && *s != '.')
		return -EINVAL;
	errno = 0;
	*out = strtod(s, &end);
	if (errno || *end || !isfinite(*out) || *out <= 0 ||
	    *out > (double)INT_MAX / 1000)
		return -EINVAL;
	return 0;
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int run(struct monitor *mon, struct spirec_nl *nl, double seconds)
{
	int64_t deadline = seconds > 0 ? now_ms() + (int64_t)(seconds * 1000) : 0;
	int timeout, ret;

	while (!monitor_stop &&
	       (!mon->max_events || mon->events < mon->max_events)) {
		timeout = -1;
		if (deadline) {
			int64_t left = deadline - now_ms();

			if (left <= 0)
				break;
			timeout = (int)left;
		}
		ret = spirec_nl_recv_events(nl, timeout, event_cb, mon);
		if (ret == 0 || ret == 1 || ret == -EINTR)
			continue;
		if (ret == -ENOBUFS) {
			spirecctl_error(mon->ctl, "warning: %s",
					spirec_nl_error(nl));
			continue;
		}
		return spirecctl_error(mon->ctl, "monitor: %s",
				       spirec_nl_error(nl));
	}
	return SPIRECCTL_EXIT_OK;
}

int spirecctl_cmd_monitor(struct spirecctl *ctl, int argc, char *argv[])
{
	struct monitor mon = { .ctl = ctl };
	struct sigaction sa = { .sa_handler = on_signal };
	struct spirec_nl nl;
	double seconds = 0;
	int c, ret;

	optind = 0;
	opterr = 0;
	while ((c = getopt(argc, argv, "+:c:t:")) != -1) {
		switch (c) {
		case 'c':
			if (parse_count(optarg, &mon.max_events))
				return spirecctl_usage_error(ctl, "monitor: -c wants a positive number of events, not '%s'",
							     optarg);
			break;
		case 't':
			if (parse_seconds(optarg, &seconds))
				return spirecctl_usage_error(ctl, "monitor: -t wants a positive number of seconds, not '%s'",
							     optarg);
			break;
		case ':':
			return spirecctl_usage_error(ctl, "monitor: -%c needs an argument",
						     optopt);
		default:
			return spirecctl_usage_error(ctl, "monitor: unknown option '-%c'",
						     optopt);
		}
	}
	if (optind < argc)
		return spirecctl_usage_error(ctl, "monitor: unexpected argument '%s'",
					     argv[optind]);

	if (spirecctl_nl_open(ctl, &nl, false))
		return SPIRECCTL_EXIT_ERROR;
	if (spirec_nl_join_events(&nl)) {
		ret = spirecctl_error(ctl, "monitor: joining the '%s' group: %s",
				      SPIREC_MCGRP_EVENTS, spirec_nl_error(&nl));
		spirecctl_nl_close(&nl);
		return ret;
	}

	monitor_stop = 0;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	ret = run(&mon, &nl, seconds);
	spirecctl_nl_close(&nl);
	return ret;
}
