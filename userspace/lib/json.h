/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A tiny streaming JSON writer: objects, arrays, strings, integers and
 * booleans, written to a stdio stream. Commas are placed automatically.
 */
#ifndef SPIREC_JSON_H
#define SPIREC_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define SPIREC_JSON_MAX_DEPTH	16

struct spirec_json {
	FILE *out;
	unsigned int depth;
	bool need_comma[SPIREC_JSON_MAX_DEPTH + 1];
	bool after_key;
	bool overflow;		/* nesting deeper than the maximum */
};

void spirec_json_init(struct spirec_json *j, FILE *out);

void spirec_json_obj_begin(struct spirec_json *j);
void spirec_json_obj_end(struct spirec_json *j);
void spirec_json_arr_begin(struct spirec_json *j);
void spirec_json_arr_end(struct spirec_json *j);

/* Object member name; the next value written is its value. */
void spirec_json_key(struct spirec_json *j, const char *key);

void spirec_json_str(struct spirec_json *j, const char *s);
void spirec_json_u64(struct spirec_json *j, uint64_t v);
void spirec_json_bool(struct spirec_json *j, bool v);

/* Shorthands for "key": value. */
void spirec_json_kv_str(struct spirec_json *j, const char *key, const char *s);
void spirec_json_kv_u64(struct spirec_json *j, const char *key, uint64_t v);
void spirec_json_kv_bool(struct spirec_json *j, const char *key, bool v);

/*
 * Write @s as a quoted JSON string: '"' and '\\' escaped, control
 * characters as \n, \t, ... or \u00XX, bytes that are not valid UTF-8
 * replaced by \ufffd so the output always is valid JSON.
 */
void spirec_json_write_string(FILE *out, const char *s);

#endif
