// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * spirecd's status file: parser, loader.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "daemon_status.h"
#include "grow.h"
#include "read_file.h"

struct pstate {
	struct spirecctl_dstatus *st;
	unsigned int line;
	char *err;
	size_t errlen;
	size_t peers_cap;
	bool seen_version, seen_pid, seen_started, seen_written;
};

static int fail(struct pstate *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int fail(struct pstate *p, const char *fmt, ...)
{
	va_list ap;
	int n = 0;

	if (p->errlen) {
		n = snprintf(p->err, p->errlen, "line %u: ", p->line);
		if (n < 0 || (size_t)n >= p->errlen)
			n = 0;
		va_start(ap, fmt);
		vsnprintf(p->err + n, p->errlen - (size_t)n, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

static bool is_key_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

/* A decimal u64 of exactly @len bytes. */
static bool parse_u64(const char *s, size_t len, uint64_t *v)
{
	uint64_t r = 0;

	if (!len || len > 20)
		return false;
	for (size_t i = 0; i < len; i++) {
		unsigned int d;

		if (s[i] < '0' || s[i] > '9')
			return false;
		d = (unsigned int)(s[i] - '0');
		if (r > (UINT64_MAX - d) / 10)
			return false;
		r = r * 10 + d;
	}
	*v = r;
	return true;
}

/* A printable value without spaces: copied when it fits. */
static bool copy_str(const char *s, size_t len, char *out)
{
	if (!len || len > SPIRECCTL_STATUS_STR_MAX)
		return false;
	for (size_t i = 0; i < len; i++)
		if (s[i] <= ' ' || s[i] > '~')
			return false;
	memcpy(out, s, len);
	out[len] = '\0';
	return true;
}

static int peer_field(struct pstate *p, struct spirecctl_dstatus_peer *pe,
		      const char *k, size_t klen, const char *v, size_t vlen)
{
	static const struct {
		const char *name;
		size_t off;
	} nums[] = {
		{ "holddown_left_ms",
		  offsetof(struct spirecctl_dstatus_peer, holddown_left_ms) },
		{ "holddown_ms", offsetof(struct spirecctl_dstatus_peer, holddown_ms) },
		{ "level", offsetof(struct spirecctl_dstatus_peer, level) },
		{ "attempts", offsetof(struct spirecctl_dstatus_peer, attempts) },
		{ "successes", offsetof(struct spirecctl_dstatus_peer, successes) },
	};
	char *str = NULL;

#define IS(name) (klen == strlen(name) && !memcmp(k, name, klen))
	if (IS("addr"))
		str = pe->addr;
	else if (IS("section"))
		str = pe->section;
	else if (IS("name"))
		str = pe->name;
	if (str) {
		if (!copy_str(v, vlen, str))
			return fail(p, "peer: %.*s: not 1 to %d printable characters",
				    (int)klen, k, SPIRECCTL_STATUS_STR_MAX);
		return 0;
	}
	if (IS("busy")) {
		if (vlen == 3 && !memcmp(v, "yes", 3))
			pe->busy = true;
		else if (vlen == 2 && !memcmp(v, "no", 2))
			pe->busy = false;
		else
			return fail(p, "peer: busy: not yes or no");
		return 0;
	}
	for (size_t i = 0; i < sizeof(nums) / sizeof(nums[0]); i++)
		if (IS(nums[i].name)) {
			if (!parse_u64(v, vlen,
				       (uint64_t *)((char *)pe + nums[i].off)))
				return fail(p, "peer: %s: not a number",
					    nums[i].name);
			return 0;
		}
#undef IS
	return 0;	/* a field of a later version: ignored */
}

/* "peer k=v k=v ..." (after "peer "). */
static int peer_line(struct pstate *p, const char *s, size_t len)
{
	struct spirecctl_dstatus *st = p->st;
	struct spirecctl_dstatus_peer *pe;
	size_t i = 0;
	int err;

	if (st->npeers == SPIRECCTL_STATUS_MAX_PEERS)
		return fail(p, "more than %d peer lines",
			    SPIRECCTL_STATUS_MAX_PEERS);
	if (spirec_grow(&st->peers, &p->peers_cap, st->npeers,
			sizeof(*st->peers), 16))
		return -ENOMEM;
	pe = &st->peers[st->npeers];
	memset(pe, 0, sizeof(*pe));
	while (i < len) {
		size_t start = i, eq = 0, end;

		while (i < len && s[i] != ' ')
			i++;
		end = i;
		for (size_t j = start; j < end; j++)
			if (s[j] == '=') {
				eq = j;
				break;
			}
		if (!eq || eq == start)
			return fail(p, "peer: expected KEY=VALUE fields");
		for (size_t j = start; j < eq; j++)
			if (!is_key_char(s[j]))
				return fail(p, "peer: bad field name");
		err = peer_field(p, pe, s + start, eq - start, s + eq + 1,
				 end - eq - 1);
		if (err)
			return err;
		if (i < len)
			i++;	/* the space */
	}
	if (!pe->addr[0])
		return fail(p, "peer: no addr");
	if (!pe->section[0])
		strcpy(pe->section, "-");
	if (!pe->name[0])
		strcpy(pe->name, "-");
	st->npeers++;
	return 0;
}

static int parse_line(struct pstate *p, const char *s, size_t len)
{
	struct spirecctl_dstatus *st = p->st;
	size_t k = 0;
	uint64_t v;

	if (!len || s[0] == '#')
		return 0;
	while (k < len && is_key_char(s[k]))
		k++;
	if (!k || k == len || s[k] != ' ')
		return fail(p, "expected KEY VALUE");
	if (k == 4 && !memcmp(s, "peer", 4))
		return peer_line(p, s + 5, len - 5);
	if (k > SPIRECCTL_STATUS_KEY_MAX)
		return fail(p, "key longer than %d bytes",
			    SPIRECCTL_STATUS_KEY_MAX);
	if (!parse_u64(s + k + 1, len - k - 1, &v))
		return fail(p, "%.*s: not a number", (int)k, s);
#define KEY(name, seen, field)						\
	if (k == strlen(name) && !memcmp(s, name, k)) {			\
		if (p->seen)						\
			return fail(p, "%s: twice", name);		\
		p->seen = true;						\
		st->field = v;						\
		return 0;						\
	}
	KEY("version", seen_version, version)
	KEY("pid", seen_pid, pid)
	KEY("started", seen_started, started)
	KEY("written", seen_written, written)
#undef KEY
	for (size_t i = 0; i < st->ncounters; i++)
		if (strlen(st->counters[i].key) == k &&
		    !memcmp(st->counters[i].key, s, k))
			return fail(p, "%.*s: twice", (int)k, s);
	if (st->ncounters == SPIRECCTL_STATUS_MAX_COUNTERS)
		return fail(p, "more than %d counters",
			    SPIRECCTL_STATUS_MAX_COUNTERS);
	memcpy(st->counters[st->ncounters].key, s, k);
	st->counters[st->ncounters].key[k] = '\0';
	st->counters[st->ncounters].value = v;
	st->ncounters++;
	return 0;
}

int spirecctl_dstatus_parse(const char *text, size_t len,
			    struct spirecctl_dstatus *st, char *err,
			    size_t errlen)
{
	struct pstate p = { .st = st, .err = err, .errlen = errlen };
	size_t pos = 0;
	int ret = 0;

	memset(st, 0, sizeof(*st));
	if (errlen)
		err[0] = '\0';
	while (pos < len && !ret) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - (text + pos)) : len - pos;

		p.line++;
		if (!nl) {
			ret = fail(&p, "no newline at the end (a partial file?)");
			break;
		}
		if (memchr(text + pos, '\0', n))
			ret = fail(&p, "NUL byte");
		else
			ret = parse_line(&p, text + pos, n);
		pos += n + 1;
	}
	if (!ret && (!p.seen_version || !p.seen_pid || !p.seen_started ||
		     !p.seen_written)) {
		p.line = 0;
		ret = fail(&p, "version, pid, started or written missing");
	}
	if (!ret && st->version != 1) {
		p.line = 0;
		ret = fail(&p, "version %llu: this spirecctl reads version 1",
			   (unsigned long long)st->version);
	}
	if (ret)
		spirecctl_dstatus_free(st);
	return ret;
}

void spirecctl_dstatus_free(struct spirecctl_dstatus *st)
{
	free(st->peers);
	memset(st, 0, sizeof(*st));
}

int spirecctl_dstatus_load(const char *path, struct spirecctl_dstatus *st,
			   char *err, size_t errlen)
{
	struct stat sb;
	size_t len;
	char *text;
	int fd, ret;

	memset(st, 0, sizeof(*st));
	if (errlen)
		err[0] = '\0';
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &sb) || !S_ISREG(sb.st_mode) ||
	    sb.st_size > SPIRECCTL_STATUS_MAX_SIZE) {
		close(fd);
		snprintf(err, errlen, "not a regular file of at most %u bytes",
			 SPIRECCTL_STATUS_MAX_SIZE);
		return -EINVAL;
	}
	text = spirec_read_fd(fd, (size_t)sb.st_size, &len);
	close(fd);
	if (!text)
		return -ENOMEM;
	ret = spirecctl_dstatus_parse(text, len, st, err, errlen);
	free(text);
	return ret;
}

const char *spirecctl_dstatus_path(const char *opt)
{
	const char *env = getenv(SPIRECCTL_STATUS_ENV);

	if (opt)
		return opt;
	return env && *env ? env : SPIRECCTL_STATUS_FILE;
}

bool spirecctl_pid_alive(uint64_t pid)
{
	if (!pid || pid > INT32_MAX)
		return false;
	return !kill((pid_t)pid, 0) || errno == EPERM;
}
