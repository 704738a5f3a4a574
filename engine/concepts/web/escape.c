/* escape.c — contextual output encoding and breakout detection; see escape.h. */
#include "engine/concepts/web/escape.h"
#include "engine/base/budget.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int esc_context_parse(const char *name)
{
	static const char *const names[] = {"html", "attr", "js", "url", "css"};
	for (int i = 0; i < ESC_NCONTEXTS; i++)
		if (strcmp(names[i], name) == 0)
			return i;
	return -1;
}

size_t esc_encoded_max(size_t len)
{
	return 6 * len;       /* the longest: \u2028 for 3 bytes; &#x27; for 1 */
}

static const char hexd[] = "0123456789ABCDEF";

size_t esc_encode(enum esc_context c, const char *s, size_t len, char *out)
{
	size_t o = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char b = (unsigned char)s[i];
		switch (c) {
		case ESC_HTML:
		case ESC_ATTR: {
			const char *rep = b == '&' ? "&amp;" : b == '<' ? "&lt;" : b == '>' ? "&gt;"
					: b == '"' ? "&quot;" : b == '\'' ? "&#x27;" : NULL;
			if (rep) {
				memcpy(out + o, rep, strlen(rep));
				o += strlen(rep);
			} else {
				out[o++] = (char)b;
			}
			break;
		}
		case ESC_JS:
			if (b == 0xe2 && i + 2 < len && (unsigned char)s[i + 1] == 0x80 &&
			    ((unsigned char)s[i + 2] == 0xa8 || (unsigned char)s[i + 2] == 0xa9)) {
				o += (size_t)sprintf(out + o, "\\u%s", (unsigned char)s[i + 2] == 0xa8 ? "2028" : "2029");
				i += 2;
			} else if (b < 0x80 && !isalnum(b)) {
				out[o++] = '\\', out[o++] = 'x', out[o++] = hexd[b >> 4], out[o++] = hexd[b & 15];
			} else {
				out[o++] = (char)b;
			}
			break;
		case ESC_URL:
			if (isalnum(b) || strchr("-._~", b)) {
				out[o++] = (char)b;
			} else {
				out[o++] = '%', out[o++] = hexd[b >> 4], out[o++] = hexd[b & 15];
			}
			break;
		case ESC_CSS:
			if (b < 0x80 && !isalnum(b)) {
				out[o++] = '\\', out[o++] = hexd[b >> 4], out[o++] = hexd[b & 15], out[o++] = ' ';
			} else {
				out[o++] = (char)b;
			}
			break;
		default:
			break;
		}
	}
	out[o] = '\0';
	return o;
}

static int hexval(int c)
{
	return isdigit(c) ? c - '0' : isxdigit(c) ? tolower(c) - 'a' + 10 : -1;
}

static size_t put_utf8(char *o, unsigned long cp)
{
	if (cp < 0x80) {
		o[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (char)(0xc0 | cp >> 6), o[1] = (char)(0x80 | (cp & 63));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (char)(0xe0 | cp >> 12), o[1] = (char)(0x80 | (cp >> 6 & 63));
		o[2] = (char)(0x80 | (cp & 63));
		return 3;
	}
	if (cp > 0x10ffff)
		cp = 0xfffd;
	o[0] = (char)(0xf0 | cp >> 18), o[1] = (char)(0x80 | (cp >> 12 & 63));
	o[2] = (char)(0x80 | (cp >> 6 & 63)), o[3] = (char)(0x80 | (cp & 63));
	return 4;
}

/* Character references (the ones this file writes, and numeric ones). */
static size_t decode_refs(const char *s, size_t len, char *out)
{
	static const struct { const char *name; char c; } named[] = {
		{"amp;", '&'}, {"lt;", '<'}, {"gt;", '>'}, {"quot;", '"'}, {"apos;", '\''},
		{"colon;", ':'}, {"Tab;", '\t'}, {"NewLine;", '\n'},
	};
	size_t o = 0;
	for (size_t i = 0; i < len; i++) {
		if (s[i] != '&') {
			out[o++] = s[i];
			continue;
		}
		if (i + 1 < len && s[i + 1] == '#') {
			int hex = i + 2 < len && (s[i + 2] == 'x' || s[i + 2] == 'X');
			size_t j = i + 2 + (size_t)hex;
			unsigned long cp = 0;
			int digits = 0;
			for (; j < len && (hex ? isxdigit((unsigned char)s[j]) : isdigit((unsigned char)s[j])); j++, digits++)
				cp = cp * (hex ? 16 : 10) + (unsigned long)hexval((unsigned char)s[j]),
				cp = cp > 0x10ffff ? 0x110000 : cp;
			if (digits) {
				if (j < len && s[j] == ';')
					j++;                      /* the ';' is optional for numeric ones */
				o += put_utf8(out + o, cp ? cp : 0xfffd);
				i = j - 1;
				continue;
			}
		}
		int done = 0;
		for (size_t k = 0; k < sizeof named / sizeof named[0] && !done; k++) {
			size_t n = strlen(named[k].name);
			if (i + 1 + n <= len && strncmp(s + i + 1, named[k].name, n) == 0) {
				out[o++] = named[k].c;
				i += n;
				done = 1;
			}
		}
		if (!done)
			out[o++] = '&';
	}
	out[o] = '\0';
	return o;
}

size_t esc_decode(enum esc_context c, const char *s, size_t len, char *out)
{
	size_t o = 0;
	if (c == ESC_HTML || c == ESC_ATTR)
		return decode_refs(s, len, out);
	if (c == ESC_URL) {
		size_t n = decode_refs(s, len, out);
		for (size_t i = 0; i < n; i++) {
			if (out[i] == '%' && i + 2 < n && hexval((unsigned char)out[i + 1]) >= 0 &&
			    hexval((unsigned char)out[i + 2]) >= 0) {
				out[o++] = (char)(hexval((unsigned char)out[i + 1]) * 16 +
						  hexval((unsigned char)out[i + 2]));
				i += 2;
			} else {
				out[o++] = out[i];
			}
		}
		out[o] = '\0';
		return o;
	}
	for (size_t i = 0; i < len; i++) {
		if (s[i] != '\\' || i + 1 >= len) {
			out[o++] = s[i];
			continue;
		}
		if (c == ESC_CSS) {                          /* \ + 1-6 hex digits + optional space */
			size_t j = i + 1;
			unsigned long cp = 0;
			int digits = 0;
			while (j < len && digits < 6 && isxdigit((unsigned char)s[j]))
				cp = cp * 16 + (unsigned long)hexval((unsigned char)s[j++]), digits++;
			if (!digits) {
				out[o++] = s[++i];
				continue;
			}
			if (j < len && s[j] == ' ')
				j++;
			o += put_utf8(out + o, cp ? cp : 0xfffd);
			i = j - 1;
			continue;
		}
		char e = s[++i];                             /* js */
		if ((e == 'x' && i + 2 < len) || (e == 'u' && i + 4 < len)) {
			int n = e == 'x' ? 2 : 4, ok = 1;
			unsigned long cp = 0;
			for (int k = 1; k <= n; k++)
				ok &= hexval((unsigned char)s[i + (size_t)k]) >= 0,
				cp = cp * 16 + (unsigned long)(ok ? hexval((unsigned char)s[i + (size_t)k]) : 0);
			if (ok) {
				o += put_utf8(out + o, cp);
				i += (size_t)n;
				continue;
			}
		}
		out[o++] = e == 'n' ? '\n' : e == 'r' ? '\r' : e == 't' ? '\t' : e == '0' ? '\0' : e;
	}
	out[o] = '\0';
	return o;
}

static int ci_find(const char *s, size_t len, const char *needle)
{
	size_t n = strlen(needle);
	for (size_t i = 0; i + n <= len; i++)
		if (strncasecmp(s + i, needle, n) == 0)
			return 1;
	return 0;
}

static int why(char *w, const char *text)
{
	snprintf(w, 96, "%s", text);
	return 1;
}

int esc_breakout(enum esc_context c, const char *s, size_t len, char *w)
{
	w[0] = '\0';
	switch (c) {
	case ESC_HTML:
		for (size_t i = 0; i + 1 < len; i++)
			if (s[i] == '<' && (isalpha((unsigned char)s[i + 1]) || strchr("/!?", s[i + 1])))
				return why(w, "a '<' that opens a tag");
		return 0;
	case ESC_ATTR:
		if (memchr(s, '"', len))
			return why(w, "a '\"' that ends the attribute");
		return 0;
	case ESC_JS:
		if (ci_find(s, len, "</script"))
			return why(w, "'</script' ends the script element");
		for (size_t i = 0; i < len; i++) {
			if (s[i] == '\\') {
				i++;                      /* an escaped character */
				continue;
			}
			if (s[i] == '\'')
				return why(w, "an unescaped quote ends the string");
			if (s[i] == '\n' || s[i] == '\r')
				return why(w, "a line break inside a string literal");
		}
		if (len && s[len - 1] == '\\') {
			size_t k = 0;
			while (k < len && s[len - 1 - k] == '\\')
				k++;
			if (k % 2)
				return why(w, "a trailing backslash escapes the closing quote");
		}
		return 0;
	case ESC_URL: {
		if (memchr(s, '"', len))
			return why(w, "a '\"' that ends the attribute");
		char *d = budget_malloc(len + 1), *t = budget_malloc(len + 1);
		if (!d || !t) {
			budget_free(d), budget_free(t);
			return why(w, "out of memory");
		}
		size_t n = decode_refs(s, len, d), m = 0;
		for (size_t i = 0; i < n; i++)         /* URL parsers drop these */
			if (d[i] != '\t' && d[i] != '\n' && d[i] != '\r' && !(m == 0 && (unsigned char)d[i] <= ' '))
				t[m++] = d[i];
		t[m] = '\0';
		int bad = strncasecmp(t, "javascript:", 11) == 0 || strncasecmp(t, "vbscript:", 9) == 0 ||
			  strncasecmp(t, "data:", 5) == 0;
		budget_free(d);
		budget_free(t);
		return bad ? why(w, "a javascript:, vbscript: or data: URL runs code") : 0;
	}
	case ESC_CSS:
		for (size_t i = 0; i < len; i++)
			if (strchr("\"';{}<", s[i]) && s[i])
				return why(w, "a character that ends the value or the style");
		if (ci_find(s, len, "expression(") || ci_find(s, len, "url("))
			return why(w, "expression() or url() in a style");
		return 0;
	default:
		return 0;
	}
}
