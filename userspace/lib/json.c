// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Streaming JSON writer.
 */
#include <inttypes.h>
#include <string.h>

#include "json.h"

void spirec_json_init(struct spirec_json *j, FILE *out)
{
	memset(j, 0, sizeof(*j));
	j->out = out;
}

/* Comma before a value, unless it follows its key or opens a container. */
static void value_prefix(struct spirec_json *j)
{
	if (j->after_key) {
		j->after_key = false;
		return;
	}
	if (j->need_comma[j->depth])
		fputc(',', j->out);
	j->need_comma[j->depth] = true;
}

static void json_open(struct spirec_json *j, char c)
{
	value_prefix(j);
	fputc(c, j->out);
	if (j->depth < SPIREC_JSON_MAX_DEPTH) {
		j->depth++;
		j->need_comma[j->depth] = false;
	} else {
		j->overflow = true;
	}
}

static void json_close(struct spirec_json *j, char c)
{
	fputc(c, j->out);
	if (j->depth)
		j->depth--;
}

void spirec_json_obj_begin(struct spirec_json *j)
{
	json_open(j, '{');
}

void spirec_json_obj_end(struct spirec_json *j)
{
	json_close(j, '}');
}

void spirec_json_arr_begin(struct spirec_json *j)
{
	json_open(j, '[');
}

void spirec_json_arr_end(struct spirec_json *j)
{
	json_close(j, ']');
}

void spirec_json_key(struct spirec_json *j, const char *key)
{
	value_prefix(j);
	spirec_json_write_string(j->out, key);
	fputc(':', j->out);
	j->after_key = true;
}

void spirec_json_str(struct spirec_json *j, const char *s)
{
	value_prefix(j);
	spirec_json_write_string(j->out, s);
}

void spirec_json_u64(struct spirec_json *j, uint64_t v)
{
	value_prefix(j);
	fprintf(j->out, "%" PRIu64, v);
}

void spirec_json_bool(struct spirec_json *j, bool v)
{
	value_prefix(j);
	fputs(v ? "true" : "false", j->out);
}

void spirec_json_kv_str(struct spirec_json *j, const char *key, const char *s)
{
	spirec_json_key(j, key);
	spirec_json_str(j, s);
}

void spirec_json_kv_u64(struct spirec_json *j, const char *key, uint64_t v)
{
	spirec_json_key(j, key);
	spirec_json_u64(j, v);
}

void spirec_json_kv_bool(struct spirec_json *j, const char *key, bool v)
{
	spirec_json_key(j, key);
	spirec_json_bool(j, v);
}

/*
 * Length of the valid UTF-8 sequence at @s (1-4), or 0 if it is not one:
 * no overlong forms, no surrogates, nothing above U+10FFFF.
 */
static size_t utf8_seq_len(const unsigned char *s)
{
	unsigned char c = s[0];
	size_t n, i;
	uint32_t cp;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf) {
		n = 2;
		cp = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		cp = c & 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		cp = c & 0x07;
	} else {
		return 0;
	}
	for (i = 1; i < n; i++) {
		/* A NUL terminator fails this test, so we never read past it. */
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return n;
}

void spirec_json_write_string(FILE *out, const char *str)
{
	const unsigned char *s = (const unsigned char *)(str ? str : "");
	size_t n;

	fputc('"', out);
	while (*s) {
		switch (*s) {
		case '"':
			fputs("\\\"", out);
			break;
		case '\\':
			fputs("\\\\", out);
			break;
		case '\b':
			fputs("\\b", out);
			break;
		case '\f':
			fputs("\\f", out);
			break;
		case '\n':
			fputs("\\n", out);
			break;
		case '\r':
			fputs("\\r", out);
			break;
		case '\t':
			fputs("\\t", out);
			break;
		default:
			if (*s < 0x20 || *s == 0x7f) {
				fprintf(out, "\\u%04x", *s);
				break;
			}
			n = utf8_seq_len(s);
			if (!n) {
				fputs("\\ufffd", out);
				break;
			}
			fwrite(s, 1, n, out);
			s += n;
			continue;
		}
		s++;
	}
	fputc('"', out);
}
