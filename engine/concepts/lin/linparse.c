/*
 * linparse.c — Jepsen history logs into a lin_history (lin.h): the tab-
 * separated lines of the etcd tests and the EDN maps of the kv tests.
 */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "engine/base/budget.h"
#include "engine/concepts/lin/lin.h"

const char *const lin_verbs[] = {"read", "write", "cas", "append", "get", "put", NULL};
const enum lin_f lin_verb_f[] = {LIN_READ, LIN_WRITE, LIN_CAS, LIN_APPEND, LIN_READ, LIN_WRITE};

/* One parsed value: nil, one token, or a vector of two. */
struct val {
	int kind;                /* 0 nil, 1 scalar, 2 pair */
	struct lin_str s[2];
};

struct line {
	long long process;
	int have_process;
	char type[8];            /* invoke ok fail info */
	int verb;                /* -1 unknown */
	struct val key, value;
	int have_key;
};

struct cursor {
	const char *p, *end;
	struct lin_history *h;
	int nomem;
};

static void skip(struct cursor *c, const char *also)
{
	while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' || *c->p == '\r' ||
				 (also && strchr(also, *c->p))))
		c->p++;
}

/* A bare token (a number, nil, a keyword's name) up to a delimiter. */
static size_t token(struct cursor *c, const char **start)
{
	*start = c->p;
	while (c->p < c->end && !strchr(" \t\r,]}[{\"", *c->p))
		c->p++;
	return (size_t)(c->p - *start);
}

static int add_text(struct cursor *c, const char *s, size_t len, struct lin_str *out)
{
	*out = lin_text(c->h, s, len);
	if (!out->set)
		c->nomem = 1;
	return out->set ? 0 : -1;
}

/* A string literal at c->p ("..." with \" \\ \n \t escapes). */
static int string_lit(struct cursor *c, struct lin_str *out)
{
	c->p++; /* the quote */
	char *buf = budget_malloc((size_t)(c->end - c->p) + 1);
	if (!buf) {
		c->nomem = 1;
		return -1;
	}
	size_t n = 0;
	while (c->p < c->end && *c->p != '"') {
		char ch = *c->p++;
		if (ch == '\\' && c->p < c->end) {
			ch = *c->p++;
			ch = ch == 'n' ? '\n' : ch == 't' ? '\t' : ch == 'r' ? '\r' : ch;
		}
		buf[n++] = ch;
	}
	if (c->p >= c->end) {
		budget_free(buf);
		return -1;
	}
	c->p++;
	int rc = add_text(c, buf, n, out);
	budget_free(buf);
	if (rc == 0)
		out->set = 2; /* quoted: a string, even when it looks like a number */
	return rc;
}

/* A scalar: nil (kind 0), a string, a number or a keyword (its name). */
static int scalar(struct cursor *c, struct val *v, int i)
{
	if (c->p < c->end && *c->p == '"') {
		v->kind = 1;
		return string_lit(c, &v->s[i]);
	}
	const char *t;
	size_t n = token(c, &t);
	if (n == 0)
		return -1;
	if (n == 3 && memcmp(t, "nil", 3) == 0) {
		v->s[i].set = 0;
		return 0;
	}
	if (*t == ':')
		t++, n--;
	v->kind = 1;
	return add_text(c, t, n, &v->s[i]);
}

static int value(struct cursor *c, struct val *v)
{
	memset(v, 0, sizeof *v);
	if (c->p < c->end && *c->p == '[') {
		c->p++;
		skip(c, ",");
		if (scalar(c, v, 0) != 0)
			return -1;
		skip(c, ",");
		if (scalar(c, v, 1) != 0)
			return -1;
		skip(c, ",");
		if (c->p >= c->end || *c->p != ']')
			return -1;
		c->p++;
		v->kind = 2;
		return 0;
	}
	return scalar(c, v, 0);
}

static int verb_of(const char *s, size_t n)
{
	for (int i = 0; lin_verbs[i]; i++)
		if (strlen(lin_verbs[i]) == n && memcmp(lin_verbs[i], s, n) == 0)
			return i;
	return -1;
}

static int keyword(struct cursor *c, char *out, size_t size, int *verb)
{
	if (c->p >= c->end || *c->p != ':')
		return -1;
	const char *t;
	size_t n = token(c, &t);
	t++, n--;
	if (verb)
		*verb = verb_of(t, n);
	if (out) {
		if (n >= size)
			return -1;
		memcpy(out, t, n);
		out[n] = '\0';
	}
	return 0;
}

static int integer(struct cursor *c, long long *out)
{
	const char *t;
	size_t n = token(c, &t);
	if (n == 0 || n > 18)
		return -1;
	long long x = 0;
	for (size_t i = 0; i < n; i++) {
		if (!isdigit((unsigned char)t[i]))
			return -1;
		x = x * 10 + (t[i] - '0');
	}
	*out = x;
	return 0;
}

/* INFO  jepsen.util - 3	:invoke	:cas	[0 3] (from after the dash) */
static int etcd_line(struct cursor *c, struct line *l)
{
	skip(c, NULL);
	if (integer(c, &l->process) != 0)
		return -1;
	l->have_process = 1;
	skip(c, NULL);
	if (keyword(c, l->type, sizeof l->type, NULL) != 0)
		return -1;
	skip(c, NULL);
	if (keyword(c, NULL, 0, &l->verb) != 0)
		return -1;
	skip(c, NULL);
	if (value(c, &l->value) != 0)
		return -1;
	skip(c, NULL);
	return c->p == c->end ? 0 : -1;
}

/* {:process 0, :type :ok, :f :get, :key "5", :value "x 0 3 y"} */
static int edn_line(struct cursor *c, struct line *l)
{
	c->p++; /* { */
	for (;;) {
		skip(c, ",");
		if (c->p < c->end && *c->p == '}') {
			c->p++;
			break;
		}
		char name[16];
		if (keyword(c, name, sizeof name, NULL) != 0)
			return -1;
		skip(c, NULL);
		if (strcmp(name, "process") == 0) {
			if (integer(c, &l->process) != 0)
				return -1;
			l->have_process = 1;
		} else if (strcmp(name, "type") == 0) {
			if (keyword(c, l->type, sizeof l->type, NULL) != 0)
				return -1;
		} else if (strcmp(name, "f") == 0) {
			if (keyword(c, NULL, 0, &l->verb) != 0)
				return -1;
		} else if (strcmp(name, "key") == 0) {
			if (value(c, &l->key) != 0 || l->key.kind == 2)
				return -1;
			l->have_key = 1;
		} else if (strcmp(name, "value") == 0) {
			if (value(c, &l->value) != 0)
				return -1;
		} else {
			struct val skipped; /* :time, :index, ... */
			if (value(c, &skipped) != 0)
				return -1;
		}
	}
	skip(c, NULL);
	return c->p == c->end ? 0 : -1;
}

struct open_op {
	long long process;
	size_t op;
};

long lin_parse_jepsen(const char *text, size_t len, struct lin_history *h, const char **err)
{
	*err = NULL;
	struct open_op *open = NULL;
	size_t nopen = 0, capopen = 0;
	long lineno = 0, bad = 0;
	double now = 0;
	const char *end = text + len;
	for (const char *p = text; p < end && !bad;) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		if (!eol)
			eol = end;
		lineno++;
		struct cursor c = {p, eol, h, 0};
		struct line l;
		memset(&l, 0, sizeof l);
		l.verb = -1;
		const char *dash = NULL;
		for (const char *q = p; q + 14 <= eol; q++)
			if (memcmp(q, "jepsen.util - ", 14) == 0) {
				dash = q + 14;
				break;
			}
		skip(&c, NULL);
		int rc;
		if (dash) {
			c.p = dash;
			rc = etcd_line(&c, &l);
		} else if (c.p < eol && *c.p == '{') {
			rc = edn_line(&c, &l);
		} else {
			p = eol + (eol < end);
			continue;
		}
		p = eol + (eol < end);
		if (c.nomem)
			goto nomem;
		if (rc == 0 && (!l.have_process || l.verb < 0))
			rc = -1;
		if (rc != 0) {
			*err = l.verb < 0 && rc == 0 ? "an unknown :f" : "a line that cannot be read";
			bad = lineno;
			break;
		}
		now += 1;
		size_t k = 0;
		while (k < nopen && open[k].process != l.process)
			k++;
		if (strcmp(l.type, "invoke") == 0) {
			if (k < nopen) {
				*err = "a second :invoke of a process whose operation is open";
				bad = lineno;
				break;
			}
			struct lin_op o;
			memset(&o, 0, sizeof o);
			o.verb = l.verb;
			o.f = lin_verb_f[l.verb];
			o.status = LIN_INFO;
			o.client = l.process;
			o.key = l.key.s[0];
			o.invoke = now;
			o.complete = INFINITY;
			if (o.f == LIN_CAS) {
				if (l.value.kind != 2) {
					*err = "a cas whose value is not [old new]";
					bad = lineno;
					break;
				}
				o.a = l.value.s[0];
				o.b = l.value.s[1];
			} else if (o.f != LIN_READ) {
				o.a = l.value.s[0];
			}
			if (nopen == capopen) {
				size_t cap = capopen ? capopen * 2 : 16;
				struct open_op *n = budget_realloc(open, cap * sizeof *n);
				if (!n)
					goto nomem;
				open = n;
				capopen = cap;
			}
			if (lin_history_add(h, &o) != 0)
				goto nomem;
			open[nopen++] = (struct open_op){l.process, h->n - 1};
			continue;
		}
		if (k == nopen) {
			*err = "a completion without an :invoke";
			bad = lineno;
			break;
		}
		struct lin_op *o = &h->ops[open[k].op];
		open[k] = open[--nopen];
		if (strcmp(l.type, "ok") == 0) {
			o->status = LIN_OK;
			o->complete = now;
			if (o->f == LIN_READ)
				o->out = l.value.s[0];
			if (o->f == LIN_CAS)
				o->cas_ok = 1;
		} else if (strcmp(l.type, "fail") == 0) {
			o->complete = now;
			o->status = o->f == LIN_CAS ? LIN_OK : LIN_FAIL;
			o->cas_ok = 0;
		} else if (strcmp(l.type, "info") == 0) {
			o->status = LIN_INFO;
		} else {
			*err = "a :type other than :invoke, :ok, :fail or :info";
			bad = lineno;
			break;
		}
	}
	budget_free(open);
	return bad;
nomem:
	budget_free(open);
	*err = "not enough memory";
	return -1;
}
