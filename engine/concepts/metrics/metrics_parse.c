/*
 * metrics_parse.c — the Prometheus text exposition format (version 0.0.4)
 * read line by line, as the "Exposition formats" page, section "Text format
 * details", describes it:
 *   - lines end with \n; empty lines are ignored; tokens are separated by
 *     blanks and tabs, leading and trailing ones ignored;
 *   - a line whose first token is # is a comment, unless the second token is
 *     HELP (then a metric name and the docstring, with \\ and \n escapes) or
 *     TYPE (then a metric name and one of counter, gauge, histogram, summary,
 *     untyped); only one of each per metric name, and TYPE before the
 *     metric's first sample;
 *   - a sample: metric_name [ "{" label="value" { "," label="value" } [ "," ]
 *     "}" ] value [ timestamp ], label values escaping \\, \" and \n, the
 *     value a Go float (NaN, +Inf, -Inf too), the timestamp an int64 of
 *     milliseconds;
 *   - all lines of one metric come as one group (a histogram's _bucket,
 *     _sum and _count series belong to it).
 * Errors give the line and the byte column where reading failed.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "engine/base/budget.h"
#include "engine/concepts/metrics/metrics.h"

struct known {
	char *name;
	int type;   /* -1: none yet */
	int help;   /* a HELP line was seen */
	int closed; /* its group ended (another metric's lines came after it) */
	int sampled;
};

struct metrics_parser {
	const char *p, *end, *line_start;
	size_t line;
	const char *why;
	const char *at; /* where the error is */
	struct known *k;
	size_t nk, capk;
	long cur;       /* index of the metric whose group is open, -1 none */
	struct sbuf tmp;              /* unescaped values, NUL-separated */
	size_t *lname, *lvalue;       /* label offsets into tmp */
	size_t nl, capl;
	const char **pairs;           /* label names then values, for the event */
	size_t cappairs;
};

static int fail(struct metrics_parser *ps, const char *at, const char *why)
{
	ps->at = at;
	ps->why = why;
	return -1;
}

static void blanks(struct metrics_parser *ps, const char *eol)
{
	while (ps->p < eol && (*ps->p == ' ' || *ps->p == '\t'))
		ps->p++;
}

static int is_name_char(int c, int first, int colon)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (colon && c == ':') ||
	       (!first && c >= '0' && c <= '9');
}

/* Reads a name at ps->p into TMP (appended, NUL-terminated); returns its
 * offset, or (size_t)-1 with the error set. */
static size_t read_name(struct metrics_parser *ps, const char *eol, int colon, const char *what)
{
	const char *s = ps->p;
	while (ps->p < eol && is_name_char((unsigned char)*ps->p, ps->p == s, colon))
		ps->p++;
	if (ps->p == s) {
		fail(ps, s, what);
		return (size_t)-1;
	}
	size_t off = ps->tmp.len;
	sbuf_add(&ps->tmp, s, (size_t)(ps->p - s));
	sbuf_addc(&ps->tmp, '\0');
	return off;
}

static struct known *known_find(struct metrics_parser *ps, const char *name)
{
	for (size_t i = 0; i < ps->nk; i++)
		if (strcmp(ps->k[i].name, name) == 0)
			return &ps->k[i];
	return NULL;
}

static struct known *known_get(struct metrics_parser *ps, const char *name)
{
	struct known *k = known_find(ps, name);
	if (k)
		return k;
	if (ps->nk == ps->capk) {
		size_t c = ps->capk ? ps->capk * 2 : 16;
		struct known *n = budget_realloc(ps->k, c * sizeof *n);
		if (!n)
			return NULL;
		ps->k = n;
		ps->capk = c;
	}
	char *d = budget_strdup(name);
	if (!d)
		return NULL;
	ps->k[ps->nk] = (struct known){.name = d, .type = -1};
	return &ps->k[ps->nk++];
}

/* Opens the group of K (closing the one open); an error if K's group was
 * closed before. */
static int enter_group(struct metrics_parser *ps, struct known *k, const char *at)
{
	long idx = (long)(k - ps->k);
	if (ps->cur == idx)
		return 0;
	if (k->closed)
		return fail(ps, at, "the lines of this metric are not in one group");
	if (ps->cur >= 0)
		ps->k[ps->cur].closed = 1;
	ps->cur = idx;
	return 0;
}

static int comment(struct metrics_parser *ps, const char *eol, metrics_parse_cb cb, void *ctx)
{
	ps->p++; /* # */
	blanks(ps, eol);
	const char *kw = ps->p;
	while (ps->p < eol && *ps->p != ' ' && *ps->p != '\t')
		ps->p++;
	size_t kwlen = (size_t)(ps->p - kw);
	int help = kwlen == 4 && memcmp(kw, "HELP", 4) == 0;
	int type = kwlen == 4 && memcmp(kw, "TYPE", 4) == 0;
	if (!help && !type)
		return 0; /* a plain comment */
	blanks(ps, eol);
	const char *name_at = ps->p;
	size_t name = read_name(ps, eol, 1, "a metric name was expected");
	if (name == (size_t)-1)
		return -1;
	if (ps->p < eol && *ps->p != ' ' && *ps->p != '\t')
		return fail(ps, ps->p, "a metric name was expected");
	struct metrics_event ev = {.line = ps->line};
	struct known *k = known_get(ps, ps->tmp.buf + name);
	if (!k)
		return fail(ps, name_at, "out of memory");
	if (enter_group(ps, k, name_at) != 0)
		return -1;
	blanks(ps, eol);
	if (help) {
		if (k->help)
			return fail(ps, name_at, "a second HELP line for this metric");
		k->help = 1;
		size_t text = ps->tmp.len;
		for (; ps->p < eol; ps->p++) {
			if (*ps->p == '\\' && ps->p + 1 < eol && (ps->p[1] == '\\' || ps->p[1] == 'n')) {
				ps->p++;
				sbuf_addc(&ps->tmp, *ps->p == 'n' ? '\n' : '\\');
			} else {
				sbuf_addc(&ps->tmp, *ps->p);
			}
		}
		sbuf_addc(&ps->tmp, '\0');
		ev.kind = METRICS_EV_HELP;
		ev.text = ps->tmp.buf + text;
	} else {
		const char *t = ps->p;
		while (ps->p < eol && *ps->p != ' ' && *ps->p != '\t')
			ps->p++;
		int found = -1;
		for (int i = 0; metrics_type_names[i]; i++)
			if (strlen(metrics_type_names[i]) == (size_t)(ps->p - t) &&
			    memcmp(metrics_type_names[i], t, (size_t)(ps->p - t)) == 0)
				found = i;
		if (found < 0)
			return fail(ps, t, "the type must be counter, gauge, histogram, summary or untyped");
		blanks(ps, eol);
		if (ps->p < eol)
			return fail(ps, ps->p, "nothing may follow the type");
		if (k->type >= 0)
			return fail(ps, name_at, "a second TYPE line for this metric");
		if (k->sampled)
			return fail(ps, name_at, "TYPE must come before the metric's first sample");
		k->type = found;
		ev.kind = METRICS_EV_TYPE;
		ev.type = (enum metrics_type)found;
	}
	ev.name = ps->tmp.buf + name;
	return cb(ctx, &ev) == 0 ? 0 : fail(ps, kw, "stopped");
}

/* Reads label="value" pairs up to and past the closing brace. */
static int labels(struct metrics_parser *ps, const char *eol)
{
	ps->p++; /* { */
	for (;;) {
		blanks(ps, eol);
		if (ps->p < eol && *ps->p == '}') {
			ps->p++;
			return 0;
		}
		size_t name = read_name(ps, eol, 0, "a label name or } was expected");
		if (name == (size_t)-1)
			return -1;
		blanks(ps, eol);
		if (ps->p >= eol || *ps->p != '=')
			return fail(ps, ps->p, "= was expected after the label name");
		ps->p++;
		blanks(ps, eol);
		if (ps->p >= eol || *ps->p != '"')
			return fail(ps, ps->p, "a label value must be in double quotes");
		ps->p++;
		size_t value = ps->tmp.len;
		for (;;) {
			if (ps->p >= eol)
				return fail(ps, ps->p, "the label value has no closing quote");
			if (*ps->p == '"')
				break;
			if (*ps->p == '\\') {
				ps->p++;
				if (ps->p >= eol || (*ps->p != '\\' && *ps->p != '"' && *ps->p != 'n'))
					return fail(ps, ps->p - 1, "a label value may escape only \\\\, \\\" and \\n");
				sbuf_addc(&ps->tmp, *ps->p == 'n' ? '\n' : *ps->p);
			} else {
				sbuf_addc(&ps->tmp, *ps->p);
			}
			ps->p++;
		}
		ps->p++; /* closing quote */
		sbuf_addc(&ps->tmp, '\0');
		for (size_t i = 0; i < ps->nl; i++)
			if (strcmp(ps->tmp.buf + ps->lname[i], ps->tmp.buf + name) == 0)
				return fail(ps, ps->p, "a label name appears twice");
		if (ps->nl == ps->capl) {
			size_t c = ps->capl ? ps->capl * 2 : 8;
			size_t *a = budget_realloc(ps->lname, c * sizeof *a);
			if (!a)
				return fail(ps, ps->p, "out of memory");
			ps->lname = a;
			size_t *b = budget_realloc(ps->lvalue, c * sizeof *b);
			if (!b)
				return fail(ps, ps->p, "out of memory");
			ps->lvalue = b;
			ps->capl = c;
		}
		ps->lname[ps->nl] = name;
		ps->lvalue[ps->nl++] = value;
		blanks(ps, eol);
		if (ps->p < eol && *ps->p == ',') {
			ps->p++;
			continue;
		}
		if (ps->p < eol && *ps->p == '}') {
			ps->p++;
			return 0;
		}
		return fail(ps, ps->p, ", or } was expected after a label");
	}
}

/* The token [S, S + N) as a NUL-terminated copy (budget; free it). */
static char *token(const char *s, size_t n)
{
	char *b = budget_malloc(n + 1);
	if (b) {
		memcpy(b, s, n);
		b[n] = '\0';
	}
	return b;
}

/* A Go float: digits, exponents, NaN and Inf spelled in any case, a sign. */
static int read_value(struct metrics_parser *ps, const char *eol, double *v)
{
	const char *s = ps->p;
	while (ps->p < eol && *ps->p != ' ' && *ps->p != '\t')
		ps->p++;
	size_t n = (size_t)(ps->p - s);
	if (n == 0)
		return fail(ps, s, "a value was expected");
	char *buf = token(s, n);
	if (!buf)
		return fail(ps, s, "out of memory");
	int rc = 0;
	const char *b = buf + (buf[0] == '+' || buf[0] == '-');
	if (strcasecmp(b, "nan") == 0 || strcasecmp(b, "inf") == 0 || strcasecmp(b, "infinity") == 0) {
		*v = strcasecmp(b, "nan") == 0 ? NAN : buf[0] == '-' ? -INFINITY : INFINITY;
	} else if (strspn(b, "0123456789.eE+-") != strlen(b)) { /* no hex floats, no words */
		rc = fail(ps, s, "not a number");
	} else {
		char *endp;
		errno = 0;
		*v = strtod(buf, &endp);
		if (*endp || endp == buf || (errno == ERANGE && fabs(*v) > 1))
			rc = fail(ps, s, "not a number");
	}
	budget_free(buf);
	return rc;
}

static int read_ts(struct metrics_parser *ps, const char *eol, int64_t *ts)
{
	const char *s = ps->p;
	if (ps->p < eol && (*ps->p == '-' || *ps->p == '+'))
		ps->p++;
	const char *d = ps->p;
	while (ps->p < eol && *ps->p >= '0' && *ps->p <= '9')
		ps->p++;
	if (ps->p == d || (ps->p < eol && *ps->p != ' ' && *ps->p != '\t'))
		return fail(ps, s, "the timestamp must be an integer of milliseconds");
	char *buf = token(s, (size_t)(ps->p - s));
	if (!buf)
		return fail(ps, s, "out of memory");
	errno = 0;
	long long t = strtoll(buf, NULL, 10);
	budget_free(buf);
	if (errno == ERANGE)
		return fail(ps, s, "the timestamp is out of range");
	*ts = (int64_t)t;
	return 0;
}

/* The family a sample named NAME belongs to: NAME less _bucket, _sum or
 * _count when that base name is a histogram (or _sum/_count: a summary). */
static struct known *family_of(struct metrics_parser *ps, const char *name)
{
	static const char *const sfx[] = {"_bucket", "_sum", "_count", NULL};
	size_t n = strlen(name);
	for (int i = 0; sfx[i]; i++) {
		size_t m = strlen(sfx[i]);
		if (n <= m || strcmp(name + n - m, sfx[i]) != 0)
			continue;
		for (size_t j = 0; j < ps->nk; j++) {
			struct known *k = &ps->k[j];
			if (strlen(k->name) == n - m && memcmp(k->name, name, n - m) == 0 &&
			    (k->type == METRICS_HISTOGRAM || (k->type == METRICS_SUMMARY && i > 0)))
				return k;
		}
	}
	return known_get(ps, name);
}

static int sample(struct metrics_parser *ps, const char *eol, metrics_parse_cb cb, void *ctx)
{
	const char *start = ps->p;
	size_t name = read_name(ps, eol, 1, "a metric name was expected");
	if (name == (size_t)-1)
		return -1;
	ps->nl = 0;
	const char *after = ps->p;
	blanks(ps, eol);
	if (ps->p < eol && *ps->p == '{') {
		if (labels(ps, eol) != 0)
			return -1;
	} else if (ps->p == after && ps->p < eol) {
		return fail(ps, ps->p, "a blank or { was expected after the metric name");
	}
	blanks(ps, eol);
	struct metrics_event ev = {.kind = METRICS_EV_SAMPLE, .line = ps->line};
	if (read_value(ps, eol, &ev.value) != 0)
		return -1;
	blanks(ps, eol);
	if (ps->p < eol) {
		if (read_ts(ps, eol, &ev.ts) != 0)
			return -1;
		ev.has_ts = 1;
		blanks(ps, eol);
		if (ps->p < eol)
			return fail(ps, ps->p, "nothing may follow the timestamp");
	}
	struct known *k = family_of(ps, ps->tmp.buf + name);
	if (!k)
		return fail(ps, start, "out of memory");
	if (enter_group(ps, k, start) != 0)
		return -1;
	k->sampled = 1;
	if (2 * ps->nl + 1 > ps->cappairs) {
		const char **np = budget_realloc(ps->pairs, (2 * ps->nl + 1) * sizeof *np);
		if (!np)
			return fail(ps, start, "out of memory");
		ps->pairs = np;
		ps->cappairs = 2 * ps->nl + 1;
	}
	const char **pairs = ps->pairs;
	for (size_t i = 0; i < ps->nl; i++) {
		pairs[i] = ps->tmp.buf + ps->lname[i];
		pairs[ps->nl + i] = ps->tmp.buf + ps->lvalue[i];
	}
	ev.name = ps->tmp.buf + name;
	ev.family = k->name;
	ev.type = k->type < 0 ? METRICS_UNTYPED : (enum metrics_type)k->type;
	ev.lnames = pairs;
	ev.lvalues = pairs + ps->nl;
	ev.nlabels = ps->nl;
	int rc = cb(ctx, &ev);
	return rc == 0 ? 0 : fail(ps, start, "stopped");
}

struct metrics_parser *metrics_parser_new(void)
{
	return budget_calloc(1, sizeof(struct metrics_parser));
}

/* Releases what the last parse kept (the parser stays usable). */
static void parser_clear(struct metrics_parser *ps)
{
	for (size_t i = 0; i < ps->nk; i++)
		budget_free(ps->k[i].name);
	budget_free(ps->k);
	budget_free(ps->lname);
	budget_free(ps->lvalue);
	budget_free(ps->pairs);
	sbuf_free(&ps->tmp);
	memset(ps, 0, sizeof *ps);
}

void metrics_parser_free(struct metrics_parser *ps)
{
	if (!ps)
		return;
	parser_clear(ps);
	budget_free(ps);
}

int metrics_parse(struct metrics_parser *ps, const char *text, size_t len, metrics_parse_cb cb,
		  void *ctx, size_t *line, size_t *col, const char **why)
{
	parser_clear(ps);
	ps->p = text;
	ps->end = text + len;
	ps->cur = -1;
	int rc = 0;
	while (ps->p < ps->end && rc == 0) {
		ps->line++;
		ps->line_start = ps->p;
		const char *eol = memchr(ps->p, '\n', (size_t)(ps->end - ps->p));
		if (!eol)
			eol = ps->end;
		const char *nul = memchr(ps->p, '\0', (size_t)(eol - ps->p));
		sbuf_truncate(&ps->tmp, 0);
		blanks(ps, eol);
		if (budget_stop())
			rc = fail(ps, ps->p, "stopped");
		else if (nul)
			rc = fail(ps, nul, "a NUL byte in the text");
		else if (ps->p < eol && *ps->p == '#')
			rc = comment(ps, eol, cb, ctx);
		else if (ps->p < eol)
			rc = sample(ps, eol, cb, ctx);
		if (rc == 0)
			ps->p = eol < ps->end ? eol + 1 : eol;
	}
	if (rc != 0) {
		*line = ps->line;
		*col = (size_t)(ps->at - ps->line_start) + 1;
		*why = ps->why;
	}
	return rc;
}
