/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A small client side of strongSwan's VICI protocol (the vici plugin's
 * README): enough to send a command request and read its response.
 *
 * Transport: each packet is a 32-bit big-endian length, then that many
 * bytes. Packet: a type byte (CMD_REQUEST = 0, CMD_RESPONSE = 1,
 * CMD_UNKNOWN = 2, EVENT_REGISTER = 3, EVENT_UNREGISTER = 4,
 * EVENT_CONFIRM = 5, EVENT_UNKNOWN = 6, EVENT = 7); named types (0, 3, 4,
 * 7) follow it with an 8-bit name length and the name; the rest is the
 * message. Message elements: SECTION_START = 1 (name), SECTION_END = 2,
 * KEY_VALUE = 3 (name, 16-bit big-endian value length, value),
 * LIST_START = 4 (name), LIST_ITEM = 5 (value), LIST_END = 6. Names have
 * an 8-bit length.
 */
#ifndef SPIRECD_VICI_H
#define SPIRECD_VICI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum vici_packet_type {
	VICI_CMD_REQUEST = 0,
	VICI_CMD_RESPONSE = 1,
	VICI_CMD_UNKNOWN = 2,
	VICI_EVENT_REGISTER = 3,
	VICI_EVENT_UNREGISTER = 4,
	VICI_EVENT_CONFIRM = 5,
	VICI_EVENT_UNKNOWN = 6,
	VICI_EVENT = 7,
};

enum vici_element {
	VICI_SECTION_START = 1,
	VICI_SECTION_END = 2,
	VICI_KEY_VALUE = 3,
	VICI_LIST_START = 4,
	VICI_LIST_ITEM = 5,
	VICI_LIST_END = 6,
};

/* Largest packet we accept (the server's own limit is 512 KiB). */
#define VICI_MAX_PACKET		(512 * 1024)
/* Deepest section nesting we accept in a response. */
#define VICI_MAX_DEPTH		32

/* A request being built; 4 KiB is plenty for our commands. */
struct vici_request {
	uint8_t data[4096];
	size_t len;
	bool overflow;
};

/* Start a CMD_REQUEST for command @name (with the length prefix). */
void vici_request_init(struct vici_request *req, const char *name);
/* Add "key = value" to the root section. */
void vici_request_kv(struct vici_request *req, const char *key,
		     const char *value);
/* Fill in the length prefix. Returns false if anything did not fit. */
bool vici_request_finish(struct vici_request *req);

/* What a packet from the server said. */
struct vici_reply {
	enum vici_packet_type type;
	char name[256];			/* EVENT packets */
	bool has_success;
	bool success;			/* root "success" was "yes" */
	char errmsg[256];		/* root "errmsg", printable, truncated */
	bool item_found;		/* a root-level list has @want_item */
};

/*
 * Parse one packet (@len bytes after the length prefix) coming from the
 * server: CMD_RESPONSE, CMD_UNKNOWN, EVENT_CONFIRM, EVENT_UNKNOWN or
 * EVENT. The message must be well formed (balanced sections, lists only
 * holding items, lengths inside the packet). With @want_item (may be
 * NULL), out->item_found says whether a list of the root section holds
 * exactly that value (e.g. a name in get-conns' "conns"). Returns 0 or
 * -EBADMSG with *@why saying what was wrong.
 */
int vici_reply_parse(const uint8_t *pkt, size_t len, const char *want_item,
		     struct vici_reply *out, const char **why);

#endif
