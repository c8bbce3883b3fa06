// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Action vici: ask the local strongSwan charon, over its VICI socket, to
 * initiate the peer's CHILD SA (under the given IKE config). charon's
 * IKE_AUTH carries INITIAL_CONTACT, so the peer drops its stale SAs and
 * takes the new ones: the black hole closes without waiting for the peer.
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "action.h"
#include "log.h"
#include "vici.h"

/* Events we skip while waiting for the response, at most. */
#define VICI_MAX_EVENTS		1024

/*
 * Initiates in charon at once, at most, whatever the number of workers.
 * charon answers an initiate when the IKE exchange is over, and holds one
 * of its worker threads (16 by default) for that long: 16 initiates at
 * once left a hub's charon no thread for the exchanges themselves
 * (Documentation/performance.rst, Hub and spokes). The others wait here,
 * not started, until one is answered.
 */
static pthread_mutex_t initiate_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t initiate_cond = PTHREAD_COND_INITIALIZER;
static unsigned int initiates_running;

static void initiate_enter(void)
{
	pthread_mutex_lock(&initiate_lock);
	while (initiates_running >= SPIRECD_VICI_INITIATES_MAX)
		pthread_cond_wait(&initiate_cond, &initiate_lock);
	initiates_running++;
	pthread_mutex_unlock(&initiate_lock);
}

static void initiate_leave(void)
{
	pthread_mutex_lock(&initiate_lock);
	initiates_running--;
	pthread_cond_signal(&initiate_cond);
	pthread_mutex_unlock(&initiate_lock);
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Read or write exactly @n bytes before @deadline. */
static int io_full(int fd, void *buf, size_t n, bool wr, long long deadline)
{
	uint8_t *p = buf;

	while (n) {
		struct pollfd pfd = { .fd = fd, .events = wr ? POLLOUT : POLLIN };
		long long left = deadline - now_ms();
		ssize_t r;

		if (left <= 0)
			return -ETIMEDOUT;
		r = poll(&pfd, 1, (int)left);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -errno;
		if (!r)
			return -ETIMEDOUT;
		r = wr ? send(fd, p, n, MSG_NOSIGNAL) : recv(fd, p, n, 0);
		if (r < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (r < 0)
			return -errno;
		if (!r)
			return -ECONNRESET;
		p += r;
		n -= (size_t)r;
	}
	return 0;
}

/* Connect to charon's socket at @path (non-blocking); -1 with @err. */
static int vici_connect(const char *path, char *err, size_t errlen)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd;

	if (strlen(path) >= sizeof(sun.sun_path)) {
		snprintf(err, errlen, "socket path too long");
		return -1;
	}
	strcpy(sun.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0) {
		snprintf(err, errlen, "socket: %s", strerror(errno));
		return -1;
	}
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0 &&
	    errno != EINPROGRESS) {
		snprintf(err, errlen, "cannot connect to %s: %s", path,
			 strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

/*
 * Read one packet before @deadline into *@pkt (malloc'ed, the caller
 * frees it), its length into *@n. Returns 0 or a negative errno; for
 * -EBADMSG (a packet too large) @err is filled in.
 */
static int vici_read_packet(int fd, const char *path, long long deadline,
			    uint8_t **pkt, uint32_t *n, char *err,
			    size_t errlen)
{
	uint8_t hdr[4];
	int ret;

	*pkt = NULL;
	ret = io_full(fd, hdr, 4, false, deadline);
	if (ret)
		return ret;
	*n = (uint32_t)hdr[0] << 24 | (uint32_t)hdr[1] << 16 |
	     (uint32_t)hdr[2] << 8 | hdr[3];
	if (*n > VICI_MAX_PACKET) {
		snprintf(err, errlen, "%s sent a %u-byte packet", path, *n);
		return -EBADMSG;
	}
	*pkt = malloc(*n ? *n : 1);
	if (!*pkt)
		return -ENOMEM;
	ret = io_full(fd, *pkt, *n, false, deadline);
	if (ret) {
		free(*pkt);
		*pkt = NULL;
	}
	return ret;
}

/*
 * What an exchange does with each packet it reads: 0 to read more, 1 when
 * done, a negative errno to stop (for -EBADMSG after filling in @err).
 */
typedef int (*vici_packet_fn)(void *ctx, int fd, const uint8_t *pkt,
			      uint32_t n, long long deadline, char *err,
			      size_t errlen);

/*
 * Connect to charon's socket at @path, send @first and hand each packet
 * to @fn until it is done, all within @timeout_ms. 0, or -1 with @err.
 * *@sent (if not NULL) tells whether all of @first reached the socket:
 * a refused connection (charon's backlog full, charon gone) sends
 * nothing.
 */
static int vici_exchange(const char *path,
			 struct spirecd_vici_request *first,
			 unsigned int timeout_ms, vici_packet_fn fn, void *ctx,
			 bool *sent, char *err, size_t errlen)
{
	long long deadline = now_ms() + timeout_ms;
	uint8_t *pkt = NULL;
	int fd, ret;
	uint32_t n;

	if (sent)
		*sent = false;
	fd = vici_connect(path, err, errlen);
	if (fd < 0)
		return -1;
	ret = io_full(fd, first->data, first->len, true, deadline);
	if (!ret && sent)
		*sent = true;
	while (!ret) {
		ret = vici_read_packet(fd, path, deadline, &pkt, &n, err,
				       errlen);
		if (!ret)
			ret = fn(ctx, fd, pkt, n, deadline, err, errlen);
		free(pkt);
		pkt = NULL;
	}
	if (ret < 0 && ret != -EBADMSG)
		snprintf(err, errlen, "%s: %s", path,
			 ret == -ETIMEDOUT ? "no response in time" :
			 strerror(-ret));
	close(fd);
	return ret < 0 ? -1 : 0;
}

struct call_ctx {
	const char *path;
	const char *want_item;
	struct spirecd_vici_reply *rep;
	int events;
};

static int call_packet(void *ctx, int fd, const uint8_t *pkt, uint32_t n,
		       long long deadline, char *err, size_t errlen)
{
	struct call_ctx *c = ctx;
	const char *why;

	(void)fd;
	(void)deadline;
	if (spirecd_vici_reply_parse(pkt, n, c->want_item, c->rep, &why)) {
		snprintf(err, errlen, "malformed packet from %s: %s", c->path,
			 why);
		return -EBADMSG;
	}
	if (c->rep->type == VICI_CMD_RESPONSE ||
	    c->rep->type == VICI_CMD_UNKNOWN)
		return 1;
	if (c->rep->type != VICI_EVENT || ++c->events > VICI_MAX_EVENTS) {
		snprintf(err, errlen, "unexpected packet type %d from %s",
			 c->rep->type, c->path);
		return -EBADMSG;
	}
	return 0;
}

/*
 * Send a finished request and wait for its CMD_RESPONSE or CMD_UNKNOWN;
 * *@sent as for vici_exchange().
 */
static int vici_call_sent(const char *path, struct spirecd_vici_request *req,
			  unsigned int timeout_ms, const char *want_item,
			  struct spirecd_vici_reply *rep, bool *sent, char *err,
			  size_t errlen)
{
	struct call_ctx c = { .path = path, .want_item = want_item, .rep = rep };

	return vici_exchange(path, req, timeout_ms, call_packet, &c, sent, err,
			     errlen);
}

static int vici_call(const char *path, struct spirecd_vici_request *req,
		     unsigned int timeout_ms, const char *want_item,
		     struct spirecd_vici_reply *rep, char *err, size_t errlen)
{
	return vici_call_sent(path, req, timeout_ms, want_item, rep, NULL, err,
			      errlen);
}

/* IKE SAs list-sas may stream, at most. */
#define VICI_MAX_LIST_SA	65536

struct list_ctx {
	const char *path;
	struct spirecd_vici_request *req;	/* sent once registered */
	bool registered;
	unsigned int events;
	spirecd_vici_ike_sa_cb cb;
	void *cb_ctx;
};

static int list_packet(void *ctx, int fd, const uint8_t *pkt, uint32_t n,
		       long long deadline, char *err, size_t errlen)
{
	struct list_ctx *l = ctx;
	const char *path = l->path, *why = NULL;
	int r;

	if (!n) {
		snprintf(err, errlen, "empty packet from %s", path);
		return -EBADMSG;
	}
	if (!l->registered) {
		if (pkt[0] == VICI_EVENT)
			return 0;	/* someone else's stream: skip it */
		if (pkt[0] == VICI_EVENT_CONFIRM) {
			l->registered = true;
			return io_full(fd, l->req->data, l->req->len,
				       true, deadline);
		}
		snprintf(err, errlen, "%s refused the list-sa event (packet type %u)",
			 path, pkt[0]);
		return -EBADMSG;
	}
	if (pkt[0] == VICI_CMD_RESPONSE)
		return 1;
	if (pkt[0] == VICI_CMD_UNKNOWN) {
		snprintf(err, errlen, "%s does not know list-sas", path);
		return -EBADMSG;
	}
	if (++l->events > VICI_MAX_LIST_SA) {
		snprintf(err, errlen, "%s sent more than %u list-sa events",
			 path, VICI_MAX_LIST_SA);
		return -EBADMSG;
	}
	r = spirecd_vici_list_sa_parse(pkt, n, l->cb, l->cb_ctx, &why);
	if (r == -EBADMSG) {
		/* One bad IKE SA does not hide the others. */
		log_info("malformed list-sa event from %s skipped: %s",
			 path, why);
	} else if (r && pkt[0] != VICI_EVENT) {
		snprintf(err, errlen, "unexpected packet type %u from %s",
			 pkt[0], path);
		return -EBADMSG;
	}
	return 0;
}

int spirecd_vici_list_sas(const char *path, unsigned int timeout_ms,
			  spirecd_vici_ike_sa_cb cb, void *ctx, char *err,
			  size_t errlen)
{
	struct spirecd_vici_request reg, req;
	struct list_ctx l = {
		.path = path, .req = &req, .cb = cb, .cb_ctx = ctx,
	};

	/* list-sas streams one "list-sa" event per IKE SA, to a client
	 * registered for them, before its response. Closing the
	 * connection unregisters. */
	spirecd_vici_request_init_type(&reg, VICI_EVENT_REGISTER, "list-sa");
	spirecd_vici_request_init(&req, "list-sas");
	spirecd_vici_request_kv(&req, "noblock", "yes");
	if (!spirecd_vici_request_finish(&reg) || !spirecd_vici_request_finish(&req)) {
		snprintf(err, errlen, "request too large");
		return -1;
	}
	return vici_exchange(path, &reg, timeout_ms, list_packet, &l, NULL, err,
			     errlen);
}

/* Poll interval while waiting for charon and its connection. */
#define VICI_READY_POLL_MS	20

bool spirecd_vici_wait_ready(const struct spirecd_peer_cfg *pc,
			     unsigned int timeout_ms, char *err, size_t errlen)
{
	long long start = now_ms(), deadline = start + timeout_ms;
	struct spirecd_vici_request req;
	struct spirecd_vici_reply rep;
	bool logged = false;

	spirecd_vici_request_init(&req, "get-conns");
	if (!spirecd_vici_request_finish(&req)) {
		snprintf(err, errlen, "request too large");
		return false;
	}
	for (;;) {
		char why[320];

		if (!vici_call(pc->vici_socket, &req, 1000, pc->vici_ike, &rep,
			       why, sizeof(why))) {
			if (rep.type == VICI_CMD_RESPONSE &&
			    (!pc->vici_ike || rep.item_found)) {
				if (logged)
					log_info("%s: charon ready after %lld ms",
						 pc->name, now_ms() - start);
				return true;
			}
			snprintf(why, sizeof(why), "%s has no connection '%s' loaded",
				 pc->vici_socket, pc->vici_ike);
		}
		if (now_ms() >= deadline) {
			snprintf(err, errlen, "charon not ready after %u ms: %s",
				 timeout_ms, why);
			return false;
		}
		if (!logged)
			log_info("%s: waiting for charon: %s", pc->name, why);
		logged = true;
		usleep(VICI_READY_POLL_MS * 1000);
	}
}

bool spirecd_action_vici(const struct spirecd_job *job, char *msg,
			 size_t len, bool *started)
{
	const struct spirecd_peer_cfg *pc = job->peer;
	unsigned int timeout = job->cfg->vici_timeout_ms;
	struct spirecd_vici_request req;
	struct spirecd_vici_reply rep;
	char tmo[16], err[320];
	long long start = now_ms();
	int rc;

	*started = false;
	if (!pc || !pc->vici_child) {
		snprintf(msg, len, "vici: no vici_child for this peer");
		return false;
	}
	snprintf(tmo, sizeof(tmo), "%u", timeout);
	spirecd_vici_request_init(&req, "initiate");
	spirecd_vici_request_kv(&req, "child", pc->vici_child);
	if (pc->vici_ike)
		spirecd_vici_request_kv(&req, "ike", pc->vici_ike);
	spirecd_vici_request_kv(&req, "timeout", tmo);
	spirecd_vici_request_kv(&req, "init-limits", "no");
	if (!spirecd_vici_request_finish(&req)) {
		snprintf(msg, len, "vici: request too large");
		return false;
	}
	/* spirecd_action_run() waited for charon and checked that the peer
	 * is not healthy. charon answers when its own time-out expires:
	 * allow a bit more. Started once charon has the request: a refused
	 * connection (a busy charon's full backlog) sent nothing to the
	 * peer and starts no hold-down. */
	initiate_enter();
	start = now_ms();	/* the initiate's own time, not the wait's */
	rc = vici_call_sent(pc->vici_socket, &req, timeout + 2000, NULL, &rep,
			    started, err, sizeof(err));
	initiate_leave();
	if (rc) {
		snprintf(msg, len, "vici initiate %s failed: %s",
			 pc->vici_child, err);
		return false;
	}
	if (rep.type == VICI_CMD_UNKNOWN) {
		snprintf(msg, len, "vici: charon does not know the initiate command");
		return false;
	}
	if (!rep.success) {
		snprintf(msg, len, "vici initiate %s refused after %lld ms: %s",
			 pc->vici_child, now_ms() - start,
			 rep.errmsg[0] ? rep.errmsg : "no reason given");
		return false;
	}
	snprintf(msg, len, "vici initiate %s done in %lld ms", pc->vici_child,
		 now_ms() - start);
	return true;
}
