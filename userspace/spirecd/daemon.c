// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Event loop. Two netlink sockets on the spirec family (one joined to
 * "events", one for requests, so replies and events never mix), one on
 * the controller's notifications, a signalfd. When the module goes away
 * the spirec sockets are closed; when it comes back (or every second
 * while it is missing) the family is resolved again, the group joined,
 * the known-peer list and sysctls pushed again, and the peer table read
 * to catch up. The same catch-up runs after ENOBUFS.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <unistd.h>
#include <libmnl/libmnl.h>
#include <linux/spirec.h>

#include "daemon.h"
#include "genl_watch.h"
#include "guard.h"
#include "kernel_sync.h"
#include "log.h"
#include "nl.h"
#include "peer.h"
#include "status.h"
#include "verify.h"
#include "warm.h"

/* Peer-table entries this recent count as missed events after ENOBUFS
 * or a (re)start. */
#define RESYNC_WINDOW_MS	10000
#define RETRY_MS		1000
/* A module that just appeared may not have its sysctls yet. */
#define SYNC_RETRIES		10

struct spirecd {
	struct spirecd_cfgref *cur;
	struct spirecd_recovery_table recoveries;
	struct spirecd_workers workers;
	struct spirecd_status status;
	struct spirec_nl ev, req;
	bool up;
	bool sync_pending;
	unsigned int sync_tries;	/* retries left */
	struct spirecd_genl_watch watch;
	bool watching;
	int sigfd;
	bool down_logged;
};

static void handle_event(struct spirecd *d, const struct spirec_event_msg *ev,
			 const char *how)
{
	const struct spirecd_config *cfg = &d->cur->cfg;
	const struct spirecd_peer_cfg *pc = spirecd_config_find(cfg, &ev->src);
	enum spirecd_action action = pc ? pc->action : cfg->action;
	struct spirecd_work *wk;
	struct spirecd_job job = {
		.cfg = cfg, .peer = pc, .action = action, .ev = *ev,
		.event_ms = spirecd_now_ms(),
	};
	uint64_t left = 0;

	spirecd_job_label(&job);
	if (action == SPIRECD_ACTION_NONE) {
		log_info("peer %s: spi 0x%08x (%s%s)%s: action none: logged only",
			 job.label, ev->spi, spirec_proto_name(ev->proto),
			 ev->encap == SPIREC_ENCAP_UDP ? " in udp" : "", how);
		return;
	}
	/* Live SAs from the peer at the packet: not a black hole (guard.h).
	 * No claim, no hold-down: the peer is not touched. */
	if (spirecd_guard_event(job.label, ev))
		return;
	switch (spirecd_recovery_claim(&d->recoveries, cfg, pc, &ev->src,
				       spirecd_now_ms(), &left)) {
	case SPIRECD_BUSY:
		log_info("peer %s: spi 0x%08x%s: a recovery is running: ignored",
			 job.label, ev->spi, how);
		return;
	case SPIRECD_HOLDDOWN:
		log_info("peer %s: spi 0x%08x%s: hold-down, %llu.%llu s left: ignored",
			 job.label, ev->spi, how,
			 (unsigned long long)(left / 1000),
			 (unsigned long long)(left % 1000 / 100));
		return;
	case SPIRECD_FULL:
		if (pc)
			log_warn("peer %s: spi 0x%08x%s: all %d address entries of [peer %s] are busy or held down: ignored",
				 job.label, ev->spi, how, SPIRECD_PREFIX_ADDRS,
				 pc->name);
		else
			log_warn("peer %s: spi 0x%08x%s: all %d entries for unlisted peers are in use: ignored",
				 job.label, ev->spi, how, SPIRECD_UNLISTED_SLOTS);
		return;
	case SPIRECD_RUN:
		break;
	}
	wk = calloc(1, sizeof(*wk));
	if (!wk) {
		log_err("peer %s: out of memory: ignored", job.label);
		spirecd_recovery_release(&d->recoveries, cfg, pc, &ev->src,
					 SPIRECD_DONE_NOTHING, spirecd_now_ms(),
					 NULL);
		return;
	}
	wk->ref = spirecd_cfgref_get(d->cur);
	wk->job = job;
	log_notice("peer %s: spi 0x%08x (%s%s)%s: action %s: starting",
		   job.label, ev->spi, spirec_proto_name(ev->proto),
		   ev->encap == SPIREC_ENCAP_UDP ? " in udp" : "", how,
		   spirecd_action_name(action));
	spirecd_workers_submit(&d->workers, wk);
}

static int event_cb(const struct nlmsghdr *nlh, void *data)
{
	struct spirecd *d = data;
	struct spirec_event_msg ev;
	const char *why = "";
	int err;

	err = spirec_event_msg_parse(nlh, nlh->nlmsg_len, &ev, &why);
	if (err == -ENOMSG)
		return 0;
	if (err) {
		log_warn("malformed event from the kernel ignored: %s", why);
		return 0;
	}
	handle_event(d, &ev, "");
	return 0;
}

/* Catch up from the kernel's peer table: recent unknown-SPI packets. */
static int resync_cb(const struct nlmsghdr *nlh, void *data)
{
	struct spirecd *d = data;
	struct spirec_event_msg ev;
	struct spirec_peer_row p;
	const char *why = "";

	if (spirec_peer_row_parse(nlh, nlh->nlmsg_len, &p, &why))
		return 0;
	if (!p.events || p.last_seen_ms > RESYNC_WINDOW_MS)
		return 0;
	memset(&ev, 0, sizeof(ev));
	ev.family = p.addr.family;
	ev.src = p.addr;
	ev.spi = p.last_spi;
	ev.proto = p.last_proto;
	ev.encap = p.last_encap;
	/* The table does not keep the port: assume the usual NAT-T one. */
	if (ev.encap == SPIREC_ENCAP_UDP)
		ev.sport = ev.dport = 4500;
	handle_event(d, &ev, " [from the peer table]");
	return 0;
}

static void resync(struct spirecd *d, const char *why)
{
	log_info("reading the kernel's peer table (%s)", why);
	if (spirec_nl_request(&d->req, spirec_nl_msg(&d->req,
						     SPIREC_CMD_GET_PEERS,
						     true), resync_cb, d))
		log_err("peer table: %s", spirec_nl_error(&d->req));
	else if (d->req.dump_intr)
		log_warn("peer table: it changed while it was read (NLM_F_DUMP_INTR): peers may have been missed; their next packets bring events");
}

/*
 * The events socket's receive buffer: what a burst of events may fill
 * while spirecd is busy before the kernel drops the rest (ENOBUFS, then a
 * re-sync). SO_RCVBUFFORCE (CAP_NET_ADMIN) may exceed net.core.rmem_max;
 * the kernel doubles the value for its bookkeeping and has a minimum.
 */
static void set_rcvbuf(struct spirecd *d)
{
	int fd = mnl_socket_get_fd(d->ev.sock);
	int size = (int)d->cur->cfg.rcvbuf, got = 0;
	socklen_t len = sizeof(got);

	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)) &&
	    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size)))
		log_warn("events socket: cannot set the receive buffer to %d bytes: %s",
			 size, strerror(errno));
	if (!getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &got, &len))
		log_info("events socket: receive buffer %d bytes (rcvbuf = %d)",
			 got, size);
}

static void go_down(struct spirecd *d, const char *why)
{
	if (d->up) {
		spirec_nl_close(&d->ev);
		spirec_nl_close(&d->req);
	}
	d->up = false;
	d->down_logged = true;
	log_warn("spirec family gone (%s): waiting for the module", why);
}

static void try_up(struct spirecd *d)
{
	int err;

	if (d->up)
		return;
	err = spirec_nl_open(&d->ev);
	if (!err)
		err = spirec_nl_join_events(&d->ev);
	if (err) {
		if (!d->down_logged)
			log_warn("%s; will retry", spirec_nl_error(&d->ev));
		d->down_logged = true;
		spirec_nl_close(&d->ev);
		return;
	}
	err = spirec_nl_open(&d->req);
	if (err) {
		log_err("%s; will retry", spirec_nl_error(&d->req));
		spirec_nl_close(&d->ev);
		return;
	}
	d->up = true;
	d->down_logged = false;
	set_rcvbuf(d);
	log_notice("listening on generic netlink family %s (id %u), group %s",
		   SPIREC_GENL_NAME, d->ev.family_id, SPIREC_MCGRP_EVENTS);
	d->sync_pending = spirecd_kernel_sync(&d->req, NULL, &d->cur->cfg) != 0;
	d->sync_tries = SYNC_RETRIES;
	resync(d, "start");
}

static void reload(struct spirecd *d)
{
	struct spirecd_cfgref *n = calloc(1, sizeof(*n));
	const char *path = d->cur->cfg.path;
	char *errs = NULL;
	size_t errlen = 0;
	unsigned int problems;
	FILE *f;

	if (!n) {
		log_err("reload: out of memory: keeping the running configuration");
		return;
	}
	f = open_memstream(&errs, &errlen);
	if (!f) {
		log_err("reload: out of memory: keeping the running configuration");
		free(n);
		return;
	}
	problems = spirecd_config_load(path, &n->cfg, f);
	fclose(f);
	if (problems) {
		char *line, *save = NULL;

		log_err("reload of %s refused (%u problems): keeping the running configuration",
			path, problems);
		for (line = strtok_r(errs, "\n", &save); line;
		     line = strtok_r(NULL, "\n", &save))
			log_err("%s", line);
		free(errs);
		free(n);
		return;
	}
	free(errs);
	atomic_init(&n->refs, 1);
	if (spirecd_recovery_rebuild(&d->recoveries, &n->cfg)) {
		log_err("reload: out of memory: keeping the running configuration");
		spirecd_cfgref_put(n);
		return;
	}
	if (d->up) {
		d->sync_pending = spirecd_kernel_sync(&d->req, &d->cur->cfg,
						      &n->cfg) != 0;
		d->sync_tries = SYNC_RETRIES;
	}
	if (n->cfg.workers != d->workers.n)
		log_notice("reload: workers = %u takes effect at the next start (running with %u)",
			   n->cfg.workers, d->workers.n);
	if ((!n->cfg.status_file) != (!d->status.path) ||
	    (d->status.path && strcmp(n->cfg.status_file, d->status.path)))
		log_notice("reload: status_file = %s takes effect at the next start (writing %s)",
			   n->cfg.status_file ? n->cfg.status_file : "none",
			   d->status.path ? d->status.path : "none");
	spirecd_cfgref_put(d->cur);
	d->cur = n;
	if (d->up)
		set_rcvbuf(d);
	spirecd_warm_up(&n->cfg);
	spirecd_verify_configure(n->cfg.verify_quiet_ms,
				 n->cfg.verify_window_ms);
	log_notice("reloaded %s: %zu peers, default action %s, hold-down %u ms",
		   n->cfg.path, n->cfg.npeers, spirecd_action_name(n->cfg.action),
		   n->cfg.holddown_ms);
}

/* false: time to exit. */
static bool handle_signal(struct spirecd *d)
{
	struct signalfd_siginfo si;

	if (read(d->sigfd, &si, sizeof(si)) != sizeof(si))
		return true;
	switch (si.ssi_signo) {
	case SIGHUP:
		log_notice("SIGHUP: reloading %s", d->cur->cfg.path);
		reload(d);
		return true;
	case SIGTERM:
	case SIGINT:
		log_notice("signal %u: exiting", si.ssi_signo);
		return false;
	default:
		return true;
	}
}

static void handle_watch(struct spirecd *d)
{
	switch (spirecd_genl_watch_read(&d->watch, SPIREC_GENL_NAME)) {
	case SPIRECD_GENL_DEL:
		if (d->up)
			go_down(d, "module unloaded");
		break;
	case SPIRECD_GENL_NEW:
		log_notice("spirec family registered (module loaded)");
		try_up(d);
		break;
	case SPIRECD_GENL_LOST:
		/* Cannot tell what happened: start over. */
		if (d->up)
			go_down(d, "controller notifications lost");
		try_up(d);
		break;
	case SPIRECD_GENL_NONE:
		break;
	}
}

static void handle_events(struct spirecd *d)
{
	int ret = spirec_nl_recv_events(&d->ev, 0, event_cb, d);

	if (ret >= 0 || ret == -EINTR)
		return;
	if (ret == -ENOBUFS) {
		log_warn("%s", spirec_nl_error(&d->ev));
		resync(d, "events lost");
		return;
	}
	go_down(d, spirec_nl_error(&d->ev));
}

int spirecd_run(struct spirecd_cfgref *cfg)
{
	struct spirecd d = { .cur = cfg, .sigfd = -1 };
	uint64_t next_verify = 0;
	sigset_t mask;
	int err, rc = 0;

	sigemptyset(&mask);
	sigaddset(&mask, SIGHUP);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	/* Threads inherit this mask: only the signalfd sees signals. */
	pthread_sigmask(SIG_BLOCK, &mask, NULL);
	signal(SIGPIPE, SIG_IGN);
	d.sigfd = signalfd(-1, &mask, SFD_CLOEXEC);
	if (d.sigfd < 0) {
		log_err("signalfd: %s", strerror(errno));
		return 1;
	}
	if (spirecd_recovery_init(&d.recoveries, &cfg->cfg)) {
		log_err("out of memory");
		return 1;
	}
	spirecd_warm_up(&cfg->cfg);
	spirecd_verify_configure(cfg->cfg.verify_quiet_ms,
				 cfg->cfg.verify_window_ms);
	err = spirecd_workers_start(&d.workers, cfg->cfg.workers, &d.recoveries);
	if (err) {
		log_err("cannot start worker threads: %s", strerror(-err));
		return 1;
	}
	spirecd_status_start(&d.status, cfg->cfg.status_file, &d.recoveries);
	err = spirecd_genl_watch_open(&d.watch);
	if (err)
		log_warn("cannot watch the generic netlink controller (%s): polling for the module every %d ms",
			 strerror(-err), RETRY_MS);
	d.watching = !err;
	log_notice("started: %s, %zu peers, default action %s, hold-down %u ms, %u workers",
		   cfg->cfg.path, cfg->cfg.npeers,
		   spirecd_action_name(cfg->cfg.action), cfg->cfg.holddown_ms,
		   cfg->cfg.workers);
	try_up(&d);

	for (;;) {
		struct pollfd pfd[4];
		int n = 0, iw = -1, ie = -1, iv = -1, timeout = -1;

		pfd[n++] = (struct pollfd){ .fd = d.sigfd, .events = POLLIN };
		/* A worker finished a recovery: verify it (verify.h). */
		if (spirecd_verify_fd() >= 0) {
			iv = n;
			pfd[n++] = (struct pollfd){
				.fd = spirecd_verify_fd(), .events = POLLIN };
		}
		if (d.watching) {
			iw = n;
			pfd[n++] = (struct pollfd){
				.fd = spirecd_genl_watch_fd(&d.watch),
				.events = POLLIN };
		}
		if (d.up) {
			ie = n;
			pfd[n++] = (struct pollfd){
				.fd = mnl_socket_get_fd(d.ev.sock),
				.events = POLLIN };
		}
		if (!d.up || (d.sync_pending && d.sync_tries) || !d.watching)
			timeout = RETRY_MS;
		if (d.up && spirecd_verify_pending())
			timeout = SPIRECD_VERIFY_TICK_MS;
		if (poll(pfd, (nfds_t)n, timeout) < 0) {
			if (errno == EINTR)
				continue;
			log_err("poll: %s", strerror(errno));
			rc = 1;
			break;
		}
		if (pfd[0].revents && !handle_signal(&d))
			break;
		if (iw >= 0 && pfd[iw].revents)
			handle_watch(&d);
		if (ie >= 0 && d.up && pfd[ie].revents)
			handle_events(&d);
		/* New items: verify now (if the module is there). */
		if (iv >= 0 && pfd[iv].revents) {
			spirecd_verify_drain();
			next_verify = 0;
		}
		if (d.up && spirecd_now_ms() >= next_verify) {
			spirecd_verify_tick(&d.req, spirecd_now_ms());
			next_verify = spirecd_now_ms() + SPIRECD_VERIFY_TICK_MS;
		}
		if (!d.up)
			try_up(&d);
		else if (d.sync_pending && d.sync_tries) {
			d.sync_tries--;
			d.sync_pending = spirecd_kernel_sync(&d.req, NULL,
							     &d.cur->cfg) != 0;
		}
	}

	spirecd_workers_stop(&d.workers);
	spirecd_status_stop(&d.status);
	if (d.up) {
		spirec_nl_close(&d.ev);
		spirec_nl_close(&d.req);
	}
	if (d.watching)
		spirecd_genl_watch_close(&d.watch);
	spirecd_recovery_destroy(&d.recoveries);
	spirecd_cfgref_put(d.cur);
	close(d.sigfd);
	return rc;
}
