// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * spirecd.conf lexer. Line oriented: "[global]", "[peer NAME]",
 * "key = value", "#" or ";" comments (whole lines, or after whitespace
 * following a value), values optionally in double quotes with \" and \\
 * escapes. What it finds goes to config_keys.c.
 */
#include <ctype.h>
#include <string.h>

#include "config_parser.h"

/*
 * Split "key = value" in place. The value may be "quoted" (with \" and
 * \\); unquoted, it ends at a '#' or ';' that follows whitespace.
 */
static bool split_kv(struct parser *p, char *s, char **key, char **val,
		     bool *quoted)
{
	char *eq = strchr(s, '='), *v, *e;

	if (!eq) {
		spirecd_config_problem(p, p->line, "expected 'key = value', '[section]' or a comment");
		return false;
	}
	for (e = eq; e > s && isspace((unsigned char)e[-1]); e--)
		;
	*e = '\0';
	*key = s;
	if (!**key) {
		spirecd_config_problem(p, p->line, "missing key before '='");
		return false;
	}
	v = eq + 1;
	while (isspace((unsigned char)*v))
		v++;
	*quoted = *v == '"';
	if (*quoted) {
		char *w = ++v, *r = v;

		for (;;) {
			if (!*r) {
				spirecd_config_problem(p, p->line, "%s: unterminated quoted value",
						       *key);
				return false;
			}
			if (*r == '"')
				break;
			if (*r == '\\' && (r[1] == '"' || r[1] == '\\'))
				r++;
			*w++ = *r++;
		}
		e = r + 1;
		*w = '\0';
		while (isspace((unsigned char)*e))
			e++;
		if (*e && *e != '#' && *e != ';') {
			spirecd_config_problem(p, p->line, "%s: unexpected text after the quoted value",
					       *key);
			return false;
		}
	} else {
		for (e = v; *e; e++)
			if ((*e == '#' || *e == ';') &&
			    (e == v || isspace((unsigned char)e[-1])))
				break;
		*e = '\0';
		while (e > v && isspace((unsigned char)e[-1]))
			*--e = '\0';
		if (!*v) {
			spirecd_config_problem(p, p->line, "%s: empty value", *key);
			return false;
		}
	}
	*val = v;
	return true;
}

static void lex_line(struct parser *p, char *s)
{
	char *key, *val, *end;
	bool quoted;

	while (isspace((unsigned char)*s))
		s++;
	if (!*s || *s == '#' || *s == ';')
		return;
	if (*s == '[') {
		end = strchr(s, ']');
		if (!end) {
			spirecd_config_problem(p, p->line, "section header without ']'");
			spirecd_config_section_broken(p);
			return;
		}
		*end++ = '\0';
		while (isspace((unsigned char)*end))
			end++;
		if (*end && *end != '#' && *end != ';')
			spirecd_config_problem(p, p->line, "unexpected text after the section header");
		spirecd_config_section_start(p, s + 1);
		return;
	}
	if (!split_kv(p, s, &key, &val, &quoted))
		return;
	spirecd_config_key(p, key, val, quoted);
}

/* Each line of @text, without its "\n" or "\r\n", to lex_line(). */
void spirecd_config_lex(struct parser *p, const char *text, size_t len)
{
	char line[SPIRECD_LINE_MAX + 1];
	size_t pos = 0;

	while (pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - (text + pos)) : len - pos;

		p->line++;
		if (n && text[pos + n - 1] == '\r')
			n--;
		if (n > SPIRECD_LINE_MAX) {
			spirecd_config_problem(p, p->line, "line longer than %d bytes",
					       SPIRECD_LINE_MAX);
		} else if (memchr(text + pos, '\0', n)) {
			spirecd_config_problem(p, p->line, "NUL byte in the line");
		} else {
			memcpy(line, text + pos, n);
			line[n] = '\0';
			lex_line(p, line);
		}
		pos += nl ? (size_t)(nl - (text + pos)) + 1 : len - pos;
	}
	explicit_bzero(line, sizeof(line));	/* it may have held a psk */
}
