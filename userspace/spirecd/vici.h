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

enum spirecd_vici_packet_type {
	VICI_CMD_REQUEST = 0,
	VICI_CMD_RESPONSE = 1,
	VICI_CMD_UNKNOWN = 2,
	VICI_EVENT_REGISTER = 3,
	VICI_EVENT_UNREGISTER = 4,
	VICI_EVENT_CONFIRM = 5,
	VICI_EVENT_UNKNOWN = 6,
	VICI_EVENT = 7,
};

enum spirecd_vici_element {
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
struct spirecd_vici_request {
	uint8_t data[4096];
	size_t len;
	bool overflow;
};

/* Start a CMD_REQUEST for command @name (with the length prefix). */
void spirecd_vici_request_init(struct spirecd_vici_request *req, const char *name);
/* The same for another named packet type (EVENT_REGISTER,
 * EVENT_UNREGISTER: @name is the event). */
void spirecd_vici_request_init_type(struct spirecd_vici_request *req,
				    enum spirecd_vici_packet_type type, const char *name);
/* Add "key = value" to the root section. */
void spirecd_vici_request_kv(struct spirecd_vici_request *req, const char *key,
			     const char *value);
/* Fill in the length prefix. Returns false if anything did not fit. */
bool spirecd_vici_request_finish(struct spirecd_vici_request *req);

/* What a packet from the server said. */
struct spirecd_vici_reply {
	enum spirecd_vici_packet_type type;
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
int spirecd_vici_reply_parse(const uint8_t *pkt, size_t len, const char *want_item,
			     struct spirecd_vici_reply *out, const char **why);

/*
 * One element of a message, as spirecd_vici_message_walk() hands it out. @depth
 * is the nesting of the section holding the element (0: the root); a
 * SECTION_START at depth d opens a section whose elements are at d + 1,
 * and its SECTION_END is reported at d again. @name (not NUL-terminated)
 * is set for SECTION_START, KEY_VALUE and LIST_START; @val for KEY_VALUE
 * and LIST_ITEM (LIST_ITEM and LIST_END belong to the list last started).
 */
struct spirecd_vici_elem {
	enum spirecd_vici_element type;
	unsigned int depth;
	const uint8_t *name;
	size_t nlen;
	const uint8_t *val;
	size_t vlen;
};

/* Return non-zero to stop the walk (it then fails). */
typedef int (*spirecd_vici_walk_cb)(const struct spirecd_vici_elem *e, void *ctx);

/*
 * Walk a message (@len bytes: the elements after a packet's type and
 * name), checking it as spirecd_vici_reply_parse() does, and call @cb (may be
 * NULL) for each element in order. Returns 0 or -EBADMSG with *@why.
 */
int spirecd_vici_message_walk(const uint8_t *msg, size_t len, spirecd_vici_walk_cb cb,
			      void *ctx, const char **why);

#define VICI_IKE_SA_MAX_SPIS	16

/* What list-sas says of one IKE SA (a "list-sa" event). Strings are
 * printable ASCII, truncated. */
struct spirecd_vici_ike_sa {
	char name[128];			/* the connection */
	char state[32];			/* "ESTABLISHED", ... */
	char remote_host[64];
	char remote_id[256];
	unsigned int children;		/* CHILD SAs listed */
	unsigned int children_installed; /* in state INSTALLED */
	/* spi-in of the INSTALLED ones (hex text in the event), the first
	 * VICI_IKE_SA_MAX_SPIS */
	uint32_t spi_in[VICI_IKE_SA_MAX_SPIS];
	unsigned int nspi_in;
};

/* Called for each IKE SA of a "list-sa" event; non-zero stops the parse,
 * which then fails ("rejected by the reader"). */
typedef int (*spirecd_vici_ike_sa_cb)(const struct spirecd_vici_ike_sa *sa, void *ctx);

/*
 * Parse one packet (after the length prefix) that should be a "list-sa"
 * EVENT: every section of its root is an IKE SA (name = connection; keys
 * state, remote-host, remote-id; section child-sas holding one section
 * per CHILD SA with keys state and spi-in). Calls @cb for each. Returns 0,
 * -ENOMSG if the packet is another event or type, or -EBADMSG with *@why.
 */
int spirecd_vici_list_sa_parse(const uint8_t *pkt, size_t len, spirecd_vici_ike_sa_cb cb,
			       void *ctx, const char **why);

#endif
