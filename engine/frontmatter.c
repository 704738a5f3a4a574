/* frontmatter.c — lesson and module front matter; see frontmatter.h. */
#include "engine/frontmatter.h"
#include "engine/base/sbuf.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX_MINUTES 600
#define MAX_TIMEOUT 120.0

struct line {
	const char *s;
	size_t len; /* without the newline */
	size_t next; /* offset of the following line */
};

static int getline_at(const char *src, size_t len, size_t off, struct line *ln)
{
	if (off >= len)
		return 0;
	const char *nl = memchr(src + off, '\n', len - off);
	size_t end = nl ? (size_t)(nl - src) : len;
	ln->s = src + off;
	ln->len = end - off;
	if (ln->len && ln->s[ln->len - 1] == '\r')
		ln->len--;
	ln->next = nl ? end + 1 : len;
	return 1;
}

static int is_fence(const struct line *ln)
{
	size_t n = ln->len;
	while (n > 3 && (ln->s[n - 1] == ' ' || ln->s[n - 1] == '\t'))
		n--;
	return n == 3 && memcmp(ln->s, "---", 3) == 0;
}

static char *trimmed(const char *s, size_t len)
{
	while (len && isspace((unsigned char)*s))
		s++, len--;
	while (len && isspace((unsigned char)s[len - 1]))
		len--;
	if (len >= 2 && ((s[0] == '"' && s[len - 1] == '"') || (s[0] == '\'' && s[len - 1] == '\'')))
		s++, len -= 2;
	return xstrndup(s, len);
}

char **front_list(const char *value)
{
	size_t len = strlen(value);
	const char *s = value;
	while (len && isspace((unsigned char)*s))
		s++, len--;
	while (len && isspace((unsigned char)s[len - 1]))
		len--;
	if (len >= 2 && s[0] == '[' && s[len - 1] == ']')
		s++, len -= 2;
	size_t n = 0, cap = 4;
	char **v = xmalloc(cap * sizeof *v);
	while (len) {
		const char *comma = memchr(s, ',', len);
		size_t part = comma ? (size_t)(comma - s) : len;
		char *item = trimmed(s, part);
		if (*item) {
			if (n + 1 >= cap)
				v = xrealloc(v, (cap *= 2) * sizeof *v);
			v[n++] = item;
		} else {
			free(item);
		}
		if (!comma)
			break;
		s += part + 1;
		len -= part + 1;
	}
	v[n] = NULL;
	return v;
}

void front_list_free(char **list)
{
	if (!list)
		return;
	for (char **p = list; *p; p++)
		free(*p);
	free(list);
}

void front_free(struct front *f)
{
	free(f->title);
	free(f->summary);
	front_list_free(f->requires);
	front_list_free(f->tags);
	front_list_free(f->uses);
	memset(f, 0, sizeof *f);
}

/* The keys, which kinds of file accept them, and how to store a value. */
enum key_id { K_TITLE, K_SUMMARY, K_MINUTES, K_REQUIRES, K_TIMEOUT, K_TAGS, K_USES, K_COUNT };
static const struct {
	const char *name;
	int module_ok;
} keys[K_COUNT] = {
	[K_TITLE] = {"title", 1},     [K_SUMMARY] = {"summary", 1}, [K_MINUTES] = {"minutes", 0},
	[K_REQUIRES] = {"requires", 1}, [K_TIMEOUT] = {"timeout", 0}, [K_TAGS] = {"tags", 0},
	[K_USES] = {"uses", 0},
};

static void known_keys(struct sbuf *sb, enum front_kind kind)
{
	for (int k = 0; k < K_COUNT; k++) {
		if (kind == FRONT_MODULE && !keys[k].module_ok)
			continue;
		if (sb->len)
			sbuf_adds(sb, ", ");
		sbuf_adds(sb, keys[k].name);
	}
}

static void set_value(const char *path, int lineno, enum key_id k, const char *val,
		      struct front *f, struct diags *d)
{
	char *end;
	switch (k) {
	case K_TITLE:
		f->title = xstrdup(val);
		if (!*val)
			diags_add(d, path, lineno, "title is empty");
		break;
	case K_SUMMARY:
		f->summary = xstrdup(val);
		break;
	case K_MINUTES: {
		long m = strtol(val, &end, 10);
		if (end == val || *end || m < 1 || m > MAX_MINUTES)
			diags_add(d, path, lineno, "minutes must be a whole number from 1 to %d, not '%s'",
				  MAX_MINUTES, val);
		else
			f->minutes = (int)m;
		break;
	}
	case K_TIMEOUT: {
		double t = strtod(val, &end);
		while (*end == ' ')
			end++;
		if (*end == 's' && end[1] == '\0')
			end++;
		if (end == val || *end || !isfinite(t) || t <= 0 || t > MAX_TIMEOUT)
			diags_add(d, path, lineno,
				  "timeout must be a number of seconds above 0 and at most %g, not '%s'",
				  MAX_TIMEOUT, val);
		else
			f->timeout = t;
		break;
	}
	case K_REQUIRES:
		front_list_free(f->requires);
		f->requires = front_list(val);
		f->requires_line = lineno;
		break;
	case K_TAGS:
		front_list_free(f->tags);
		f->tags = front_list(val);
		break;
	case K_USES:
		front_list_free(f->uses);
		f->uses = front_list(val);
		f->uses_line = lineno;
		break;
	case K_COUNT:
		break;
	}
}

static void parse_line(const char *path, int lineno, const struct line *ln, enum front_kind kind,
		       int seen[K_COUNT], struct front *f, struct diags *d)
{
	const char *colon = memchr(ln->s, ':', ln->len);
	if (!colon) {
		diags_add(d, path, lineno, "expected 'key: value' in the front matter");
		return;
	}
	char *key = trimmed(ln->s, (size_t)(colon - ln->s));
	char *val = trimmed(colon + 1, ln->len - (size_t)(colon + 1 - ln->s));
	int k;
	for (k = 0; k < K_COUNT; k++)
		if (strcmp(key, keys[k].name) == 0 && (kind == FRONT_LESSON || keys[k].module_ok))
			break;
	if (k == K_COUNT) {
		struct sbuf known = SBUF_INIT;
		known_keys(&known, kind);
		diags_add(d, path, lineno, "unknown front matter key '%s' (known: %s)", key,
			  sbuf_str(&known));
		sbuf_free(&known);
	} else if (seen[k]) {
		diags_add(d, path, lineno, "'%s' is given twice (first on line %d)", key, seen[k]);
	} else {
		seen[k] = lineno;
		set_value(path, lineno, (enum key_id)k, val, f, d);
	}
	free(key);
	free(val);
}

int front_parse(const char *path, const char *src, size_t len, enum front_kind kind,
		struct front *f, size_t *body_offset, int *body_line, struct diags *d)
{
	memset(f, 0, sizeof *f);
	*body_offset = 0;
	*body_line = 1;
	size_t off = 0;
	if (len >= 3 && memcmp(src, "\xEF\xBB\xBF", 3) == 0) /* a byte-order mark */
		off = *body_offset = 3;
	struct line ln;
	int rc = 0;
	if (!getline_at(src, len, off, &ln) || !is_fence(&ln)) {
		diags_add(d, path, 1, "missing front matter: start the file with a '---' line, "
				      "then 'title: ...', then '---'");
		rc = -1;
		goto done;
	}
	int seen[K_COUNT] = {0};
	int lineno = 1;
	off = ln.next;
	for (;;) {
		if (!getline_at(src, len, off, &ln)) {
			diags_add(d, path, 1, "unterminated front matter: no closing '---' line");
			rc = -1;
			break;
		}
		lineno++;
		off = ln.next;
		if (is_fence(&ln)) {
			*body_offset = off;
			*body_line = lineno + 1;
			break;
		}
		size_t i = 0;
		while (i < ln.len && isspace((unsigned char)ln.s[i]))
			i++;
		if (i == ln.len || ln.s[i] == '#')
			continue;
		parse_line(path, lineno, &ln, kind, seen, f, d);
	}
	if (rc == 0 && !f->title)
		diags_add(d, path, 1, "the front matter has no 'title'");
done:
	if (!f->requires)
		f->requires = front_list("");
	if (!f->tags)
		f->tags = front_list("");
	if (!f->uses)
		f->uses = front_list("");
	return rc;
}
