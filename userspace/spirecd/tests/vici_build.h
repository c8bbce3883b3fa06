/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Test helper: build VICI packets as charon sends them (header only,
 * static inline functions).
 */
#ifndef SPIRECD_TEST_VICI_BUILD_H
#define SPIRECD_TEST_VICI_BUILD_H

#include <stdint.h>
#include <string.h>

#include "../vici.h"

struct vb {
	uint8_t buf[8192];
	size_t len;
};

static inline void vb_u8(struct vb *b, uint8_t v)
{
	b->buf[b->len++] = v;
}

static inline void vb_name(struct vb *b, const char *s)
{
	vb_u8(b, (uint8_t)strlen(s));
	memcpy(b->buf + b->len, s, strlen(s));
	b->len += strlen(s);
}

static inline void vb_value(struct vb *b, const char *s)
{
	vb_u8(b, (uint8_t)(strlen(s) >> 8));
	vb_u8(b, (uint8_t)strlen(s));
	memcpy(b->buf + b->len, s, strlen(s));
	b->len += strlen(s);
}

/* A packet: type, and the name for named types (NULL: none). */
static inline void vb_start(struct vb *b, enum spirecd_vici_packet_type t, const char *name)
{
	b->len = 0;
	vb_u8(b, (uint8_t)t);
	if (name)
		vb_name(b, name);
}

static inline void vb_section(struct vb *b, const char *name)
{
	vb_u8(b, VICI_SECTION_START);
	vb_name(b, name);
}

static inline void vb_end(struct vb *b)
{
	vb_u8(b, VICI_SECTION_END);
}

static inline void vb_kv(struct vb *b, const char *k, const char *v)
{
	vb_u8(b, VICI_KEY_VALUE);
	vb_name(b, k);
	vb_value(b, v);
}

static inline void vb_list(struct vb *b, const char *name, const char *item)
{
	vb_u8(b, VICI_LIST_START);
	vb_name(b, name);
	vb_u8(b, VICI_LIST_ITEM);
	vb_value(b, item);
	vb_u8(b, VICI_LIST_END);
}

/*
 * One IKE SA as vici_query.c's list-sas writes it, with one CHILD SA per
 * state in @child_states (NULL-terminated), spi-in c0000001, c0000002...
 */
static inline void vb_list_sa(struct vb *b, const char *conn, const char *state,
		       const char *remote_host, const char *remote_id,
		       const char *const *child_states)
{
	char spi[16], name[32];

	vb_start(b, VICI_EVENT, "list-sa");
	vb_section(b, conn);
	vb_kv(b, "uniqueid", "7");
	vb_kv(b, "version", "2");
	vb_kv(b, "state", state);
	vb_kv(b, "local-host", "198.51.100.2");
	vb_kv(b, "local-port", "500");
	vb_kv(b, "local-id", "router-b.example.org");
	vb_kv(b, "remote-host", remote_host);
	vb_kv(b, "remote-port", "500");
	vb_kv(b, "remote-id", remote_id);
	vb_kv(b, "initiator-spi", "a1b2c3d4e5f60708");
	vb_list(b, "tasks-queued", "CHILD_CREATE");
	vb_section(b, "child-sas");
	for (unsigned int i = 0; child_states && child_states[i]; i++) {
		snprintf(name, sizeof(name), "net-%u", i + 1);
		vb_section(b, name);
		vb_kv(b, "name", "net");
		vb_kv(b, "state", child_states[i]);
		vb_kv(b, "protocol", "ESP");
		snprintf(spi, sizeof(spi), "c000000%x", i + 1);
		vb_kv(b, "spi-in", spi);
		vb_kv(b, "spi-out", "cafe0001");
		vb_list(b, "local-ts", "198.51.100.0/24");
		vb_list(b, "remote-ts", "192.0.2.0/24");
		vb_end(b);
	}
	vb_end(b);
	vb_end(b);
}

#endif
