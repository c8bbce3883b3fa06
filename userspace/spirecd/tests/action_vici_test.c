// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Action vici against a socket of the test's own: an initiate counts as
 * started (a hold-down follows) only once charon has the request; a
 * connection charon never accepted (no socket, a full backlog) sent
 * nothing to the peer.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cmocka.h>

#include "../action.h"
#include "../config.h"
#include "vici_build.h"

struct fixture {
	char dir[64];
	char path[96];
	struct spirecd_config cfg;
	struct spirecd_peer_cfg peer;
	struct spirecd_job job;
	int listen_fd;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	strcpy(f->dir, "/tmp/spirecd-vici-test.XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->path, sizeof(f->path), "%s/charon.vici", f->dir);
	snprintf(f->peer.name, sizeof(f->peer.name), "peer");
	f->peer.vici_socket = f->path;
	f->peer.vici_child = "net-net";
	f->cfg.vici_timeout_ms = 2000;
	f->job.cfg = &f->cfg;
	f->job.peer = &f->peer;
	f->job.action = SPIRECD_ACTION_VICI;
	f->listen_fd = -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	if (f->listen_fd >= 0)
		close(f->listen_fd);
	unlink(f->path);
	rmdir(f->dir);
	free(f);
	return 0;
}

/* A listening socket at f->path with a backlog of @backlog. */
static void listen_at(struct fixture *f, int backlog)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };

	strcpy(sun.sun_path, f->path);
	f->listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	assert_true(f->listen_fd >= 0);
	assert_int_equal(bind(f->listen_fd, (struct sockaddr *)&sun,
			      sizeof(sun)), 0);
	assert_int_equal(listen(f->listen_fd, backlog), 0);
}

static void test_no_socket_not_started(void **state)
{
	struct fixture *f = *state;
	bool started = true;
	char msg[512];

	assert_false(spirecd_action_vici(&f->job, msg, sizeof(msg), &started));
	assert_false(started);
	assert_non_null(strstr(msg, "cannot connect"));
}

/* charon busy: its listen queue is full, a connect fails with EAGAIN. */
static void test_backlog_full_not_started(void **state)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct fixture *f = *state;
	int fds[16], n = 0, i;
	bool started = true;
	char msg[512];

	listen_at(f, 0);
	strcpy(sun.sun_path, f->path);
	for (n = 0; n < 16; n++) {
		fds[n] = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
		assert_true(fds[n] >= 0);
		if (connect(fds[n], (struct sockaddr *)&sun, sizeof(sun))) {
			assert_int_equal(errno, EAGAIN);
			close(fds[n]);
			break;
		}
	}
	assert_true(n < 16);
	assert_false(spirecd_action_vici(&f->job, msg, sizeof(msg), &started));
	assert_false(started);
	assert_non_null(strstr(msg, "cannot connect"));
	for (i = 0; i < n; i++)
		close(fds[i]);
}

struct answer {
	int listen_fd;
	const char *success;	/* "yes" or "no" */
	size_t request_len;
};

/* Accept one connection, read one request, answer it. */
static void *answer_one(void *arg)
{
	struct answer *a = arg;
	uint8_t hdr[4], body[4096];
	struct vb b;
	uint32_t len;
	int fd;

	fd = accept(a->listen_fd, NULL, NULL);
	if (fd < 0)
		return NULL;
	if (read(fd, hdr, 4) == 4) {
		len = (uint32_t)hdr[0] << 24 | hdr[1] << 16 | hdr[2] << 8 |
		      hdr[3];
		if (len <= sizeof(body) && read(fd, body, len) == (ssize_t)len)
			a->request_len = len;
	}
	vb_start(&b, VICI_CMD_RESPONSE, NULL);
	vb_kv(&b, "success", a->success);
	vb_kv(&b, "errmsg", "test says so");
	hdr[0] = 0;
	hdr[1] = 0;
	hdr[2] = (uint8_t)(b.len >> 8);
	hdr[3] = (uint8_t)b.len;
	if (write(fd, hdr, 4) == 4 && write(fd, b.buf, b.len) < 0)
		a->request_len = 0;
	close(fd);
	return NULL;
}

static void initiate_answered(struct fixture *f, const char *success,
			      bool want_ok)
{
	struct answer a = { .success = success };
	bool started = false;
	pthread_t t;
	char msg[512];
	bool ok;

	listen_at(f, 4);
	a.listen_fd = f->listen_fd;
	assert_int_equal(pthread_create(&t, NULL, answer_one, &a), 0);
	ok = spirecd_action_vici(&f->job, msg, sizeof(msg), &started);
	assert_int_equal(pthread_join(t, NULL), 0);
	assert_true(a.request_len > 0);
	assert_int_equal(ok, want_ok);
	assert_true(started);
}

static void test_initiated_started(void **state)
{
	initiate_answered(*state, "yes", true);
}

/* charon had the request and refused it: it may have sent to the peer. */
static void test_refused_started(void **state)
{
	initiate_answered(*state, "no", false);
}

struct caller {
	struct fixture *f;
	bool started, ok;
};

static void *call_initiate(void *arg)
{
	struct caller *c = arg;
	char msg[512];

	c->ok = spirecd_action_vici(&c->f->job, msg, sizeof(msg), &c->started);
	return NULL;
}

/* Accept one connection within @ms and read its whole request. */
static int accept_request(int lfd, int ms)
{
	struct pollfd p = { .fd = lfd, .events = POLLIN };
	uint8_t hdr[4], body[4096];
	uint32_t len;
	int fd;

	if (poll(&p, 1, ms) != 1)
		return -1;
	fd = accept(lfd, NULL, NULL);
	if (fd < 0)
		return -1;
	if (read(fd, hdr, 4) != 4)
		goto bad;
	len = (uint32_t)hdr[0] << 24 | hdr[1] << 16 | hdr[2] << 8 | hdr[3];
	if (len > sizeof(body) || read(fd, body, len) != (ssize_t)len)
		goto bad;
	return fd;
bad:
	close(fd);
	return -1;
}

static void answer_yes(int fd)
{
	uint8_t hdr[4] = { 0 };
	struct vb b;

	vb_start(&b, VICI_CMD_RESPONSE, NULL);
	vb_kv(&b, "success", "yes");
	hdr[2] = (uint8_t)(b.len >> 8);
	hdr[3] = (uint8_t)b.len;
	assert_int_equal(write(fd, hdr, 4), 4);
	assert_int_equal(write(fd, b.buf, b.len), (ssize_t)b.len);
	close(fd);
}

/*
 * More callers than SPIRECD_VICI_INITIATES_MAX: charon sees that many
 * initiates and no more until it answers one; then the next comes.
 */
static void test_initiates_capped(void **state)
{
	enum { CALLERS = SPIRECD_VICI_INITIATES_MAX + 2 };
	struct fixture *f = *state;
	struct caller c[CALLERS];
	int held[CALLERS], n = 0, i;
	pthread_t t[CALLERS];

	listen_at(f, CALLERS);
	for (i = 0; i < CALLERS; i++) {
		c[i] = (struct caller){ .f = f };
		assert_int_equal(pthread_create(&t[i], NULL, call_initiate, &c[i]), 0);
	}
	while (n < SPIRECD_VICI_INITIATES_MAX) {
		held[n] = accept_request(f->listen_fd, 10000);
		assert_true(held[n] >= 0);
		n++;
	}
	/* None more while those run (half a second says it: the callers
	 * are all waiting to connect by then). */
	assert_int_equal(accept_request(f->listen_fd, 500), -1);
	answer_yes(held[0]);
	held[0] = accept_request(f->listen_fd, 10000);
	assert_true(held[0] >= 0);
	answer_yes(held[1]);
	held[1] = accept_request(f->listen_fd, 10000);
	assert_true(held[1] >= 0);
	for (i = 0; i < n; i++)
		answer_yes(held[i]);
	for (i = 0; i < CALLERS; i++) {
		assert_int_equal(pthread_join(t[i], NULL), 0);
		assert_true(c[i].ok);
		assert_true(c[i].started);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_no_socket_not_started, setup, teardown),
		cmocka_unit_test_setup_teardown(test_backlog_full_not_started, setup, teardown),
		cmocka_unit_test_setup_teardown(test_initiated_started, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refused_started, setup, teardown),
		cmocka_unit_test_setup_teardown(test_initiates_capped, setup, teardown),
	};

	return cmocka_run_group_tests_name("spirecd_action_vici", tests, NULL, NULL);
}
