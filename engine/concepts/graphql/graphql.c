/*
 * graphql.c — the dataset, the query parser and the executor of the tiny
 * GraphQL-style engine (graphql.h).
 */
#include "engine/concepts/graphql/graphql.h"
#include "engine/base/budget.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char gq_schema_text[] =
	"type Query {\n"
	"  users(first: Int): [User]\n"
	"  user(id: Int): User\n"
	"  posts(first: Int): [Post]\n"
	"}\n"
	"type User { id: Int  name: String  posts(first: Int): [Post] }\n"
	"type Post { id: Int  title: String  author: User  comments(first: Int): [Comment] }\n"
	"type Comment { id: Int  body: String  author: User  post: Post }\n";

/* ---- the dataset ---- */

static const char *const table_names[] = {"users", "posts", "comments"};
static const char *const columns[3][3] = {
	{"id", NULL, NULL}, {"id", "author_id", NULL}, {"id", "post_id", "author_id"}};

const char *gq_table_name(enum gq_table t)
{
	return table_names[t];
}

int gq_column(enum gq_table t, const char *name)
{
	for (int c = 0; c < 3; c++)
		if (columns[t][c] && strcmp(columns[t][c], name) == 0)
			return c;
	return -1;
}

static int64_t colval(const struct gq_row *r, int col)
{
	return col == 0 ? r->id : r->ref[col - 1];
}

static const char *const first_names[] = {"Ada", "Grace", "Alan", "Edsger", "Barbara",
					  "Donald", "Frances", "Ken", "Radia", "Leslie",
					  "Margaret", "Dennis"};

static char *text(const char *fmt, const char *s, long long n)
{
	char buf[64];
	if (s)
		snprintf(buf, sizeof buf, fmt, s, n);
	else
		snprintf(buf, sizeof buf, fmt, n);
	size_t len = strlen(buf);
	char *p = budget_malloc(len + 1);
	if (p)
		memcpy(p, buf, len + 1);
	return p;
}

static struct gq_row *add_row(struct gq_db *db, enum gq_table t, size_t *cap)
{
	if (db->n[t] == *cap) {
		size_t c = *cap ? 2 * *cap : 16;
		struct gq_row *p = budget_realloc(db->rows[t], c * sizeof *p);
		if (!p)
			return NULL;
		db->rows[t] = p;
		*cap = c;
	}
	struct gq_row *r = &db->rows[t][db->n[t]++];
	memset(r, 0, sizeof *r);
	r->id = (int64_t)db->n[t];
	return r;
}

int gq_db_init(struct gq_db *db, size_t users, uint64_t seed)
{
	memset(db, 0, sizeof *db);
	struct rng r;
	rng_seed(&r, seed);
	size_t cap[3] = {0, 0, 0};
	for (size_t u = 0; u < users; u++) {
		struct gq_row *row = add_row(db, GQ_USERS, &cap[0]);
		if (!row)
			return -1;
		size_t k = u / 12;
		row->text = k ? text("%s %lld", first_names[u % 12], (long long)k + 1)
			      : text("%s", first_names[u % 12], 0);
		if (!row->text)
			return -1;
	}
	/* posts in id order, by random authors: each user writes 0 to 4 */
	for (size_t u = 0; u < users; u++) {
		uint64_t np = rng_below(&r, 5);
		for (uint64_t i = 0; i < np; i++) {
			struct gq_row *p = add_row(db, GQ_POSTS, &cap[1]);
			if (!p)
				return -1;
			p->ref[0] = (int64_t)u + 1;
			p->text = text("post %lld", NULL, (long long)p->id);
			if (!p->text)
				return -1;
		}
	}
	for (size_t i = 0; i < db->n[GQ_POSTS]; i++) {
		uint64_t nc = rng_below(&r, 4);
		for (uint64_t j = 0; j < nc; j++) {
			struct gq_row *c = add_row(db, GQ_COMMENTS, &cap[2]);
			if (!c)
				return -1;
			c->ref[0] = (int64_t)(rng_below(&r, db->n[GQ_POSTS]) + 1);
			c->ref[1] = (int64_t)(rng_below(&r, users) + 1);
			c->text = text("comment %lld", NULL, (long long)c->id);
			if (!c->text)
				return -1;
		}
	}
	return 0;
}

void gq_db_reset(struct gq_db *db)
{
	for (size_t i = 0; i < db->nlog; i++)
		budget_free(db->log[i]);
	db->nlog = 0;
	db->queries = db->fetched = 0;
}

void gq_db_free(struct gq_db *db)
{
	gq_db_reset(db);
	budget_free(db->log);
	for (int t = 0; t < 3; t++) {
		for (size_t i = 0; i < db->n[t]; i++)
			budget_free(db->rows[t][i].text);
		budget_free(db->rows[t]);
	}
	memset(db, 0, sizeof *db);
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

/* Logs the query: "SELECT * FROM t WHERE col IN (k1, k2, ...)". */
static int log_query(struct gq_db *db, enum gq_table t, int col, const int64_t *keys, size_t n,
		     size_t limit)
{
	char buf[200];
	int len = snprintf(buf, sizeof buf, "SELECT * FROM %s", table_names[t]);
	if (keys && n == 1)
		len += snprintf(buf + len, sizeof buf - (size_t)len, " WHERE %s = %lld",
				columns[t][col], (long long)keys[0]);
	else if (keys) {
		len += snprintf(buf + len, sizeof buf - (size_t)len, " WHERE %s IN (",
				columns[t][col]);
		for (size_t i = 0; i < n && i < 6; i++)
			len += snprintf(buf + len, sizeof buf - (size_t)len, "%s%lld",
					i ? ", " : "", (long long)keys[i]);
		if (n > 6)
			len += snprintf(buf + len, sizeof buf - (size_t)len, ", ... %zu keys", n);
		len += snprintf(buf + len, sizeof buf - (size_t)len, ")");
	}
	if (limit != GQ_NO_LIMIT)
		snprintf(buf + len, sizeof buf - (size_t)len, " LIMIT %zu", limit);
	if (db->nlog == db->caplog) {
		size_t c = db->caplog ? 2 * db->caplog : 16;
		char **p = budget_realloc(db->log, c * sizeof *p);
		if (!p)
			return -1;
		db->log = p;
		db->caplog = c;
	}
	size_t l = strlen(buf);
	char *s = budget_malloc(l + 1);
	if (!s)
		return -1;
	memcpy(s, buf, l + 1);
	db->log[db->nlog++] = s;
	return 0;
}

int gq_fetch(struct gq_db *db, enum gq_table t, int col, const int64_t *keys, size_t n,
	     size_t limit, size_t **out, size_t *nout)
{
	*out = NULL;
	*nout = 0;
	int64_t *sorted = NULL;
	if (keys && n > 0) {
		sorted = budget_malloc(n * sizeof *sorted);
		if (!sorted)
			return -1;
		memcpy(sorted, keys, n * sizeof *sorted);
		qsort(sorted, n, sizeof *sorted, cmp_i64);
	}
	size_t cap = 0;
	int rc = 0;
	for (size_t i = 0; i < db->n[t] && rc == 0; i++) {
		int64_t v = colval(&db->rows[t][i], col);
		if (keys && !bsearch(&v, sorted, n, sizeof *sorted, cmp_i64))
			continue;
		if (*nout == limit)
			break;
		if (*nout == cap) {
			cap = cap ? 2 * cap : 16;
			size_t *p = budget_realloc(*out, cap * sizeof *p);
			if (!p) {
				rc = -1;
				break;
			}
			*out = p;
		}
		(*out)[(*nout)++] = i;
	}
	budget_free(sorted);
	db->queries++;
	db->fetched += *nout;
	if (rc == 0)
		rc = log_query(db, t, col, keys ? keys : NULL, keys ? n : 0, limit);
	return rc;
}

/* ---- the parser ---- */

struct parser {
	const char *s, *p, *end;
	const char *why;
	size_t off;
	int nomem;
};

static void skip(struct parser *ps)
{
	while (ps->p < ps->end) {
		char c = *ps->p;
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ',')
			ps->p++;
		else if (c == '#')
			while (ps->p < ps->end && *ps->p != '\n')
				ps->p++;
		else
			break;
	}
}

static int perr(struct parser *ps, const char *why)
{
	if (!ps->why) {
		ps->why = why;
		ps->off = (size_t)(ps->p - ps->s);
	}
	return -1;
}

static int is_name_start(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static int is_name(char c)
{
	return is_name_start(c) || (c >= '0' && c <= '9');
}

static char *name(struct parser *ps)
{
	skip(ps);
	if (ps->p >= ps->end || !is_name_start(*ps->p)) {
		perr(ps, "expected a name");
		return NULL;
	}
	const char *b = ps->p;
	while (ps->p < ps->end && is_name(*ps->p))
		ps->p++;
	size_t n = (size_t)(ps->p - b);
	char *s = budget_malloc(n + 1);
	if (!s) {
		ps->nomem = 1;
		return NULL;
	}
	memcpy(s, b, n);
	s[n] = '\0';
	return s;
}

static void field_free(struct gq_field *f)
{
	budget_free(f->name);
	for (size_t i = 0; i < f->nargs; i++) {
		budget_free(f->args[i].name);
		budget_free(f->args[i].s);
	}
	budget_free(f->args);
	for (size_t i = 0; i < f->nsel; i++)
		field_free(&f->sel[i]);
	budget_free(f->sel);
	memset(f, 0, sizeof *f);
}

void gq_query_free(struct gq_query *q)
{
	field_free(&q->root);
}

static int value(struct parser *ps, struct gq_arg *a)
{
	skip(ps);
	if (ps->p >= ps->end)
		return perr(ps, "expected a value");
	if (*ps->p == '"') {
		const char *b = ++ps->p;
		while (ps->p < ps->end && *ps->p != '"' && *ps->p != '\\' && *ps->p != '\n')
			ps->p++;
		if (ps->p >= ps->end || *ps->p != '"')
			return perr(ps, "a string ends with '\"' on its line (no escapes here)");
		size_t n = (size_t)(ps->p - b);
		a->kind = GQ_ARG_STR;
		a->s = budget_malloc(n + 1);
		if (!a->s) {
			ps->nomem = 1;
			return -1;
		}
		memcpy(a->s, b, n);
		a->s[n] = '\0';
		ps->p++;
		return 0;
	}
	if (*ps->p == '-' || (*ps->p >= '0' && *ps->p <= '9')) {
		int neg = *ps->p == '-';
		ps->p += neg;
		if (ps->p >= ps->end || *ps->p < '0' || *ps->p > '9')
			return perr(ps, "expected digits");
		int64_t v = 0;
		while (ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9') {
			if (v > 100000000000000LL)
				return perr(ps, "an integer too large");
			v = v * 10 + (*ps->p++ - '0');
		}
		if (ps->p < ps->end && (*ps->p == '.' || *ps->p == 'e' || *ps->p == 'E'))
			return perr(ps, "only integer numbers are in this subset");
		a->kind = GQ_ARG_INT;
		a->i = neg ? -v : v;
		return 0;
	}
	const char *b = ps->p;
	char *w = name(ps);
	if (!w)
		return -1;
	int t = strcmp(w, "true") == 0, f = strcmp(w, "false") == 0;
	budget_free(w);
	if (!t && !f) {
		ps->p = b;
		return perr(ps, "expected an integer, a string, true or false "
				"(variables and enums are not in this subset)");
	}
	a->kind = GQ_ARG_BOOL;
	a->i = t;
	return 0;
}

static int selection(struct parser *ps, struct gq_field *f, int depth);

static int field(struct parser *ps, struct gq_field *f, int depth)
{
	skip(ps);
	f->off = (size_t)(ps->p - ps->s);
	f->name = name(ps);
	if (!f->name)
		return -1;
	skip(ps);
	if (ps->p < ps->end && *ps->p == ':')
		return perr(ps, "aliases are not in this subset");
	if (ps->p < ps->end && *ps->p == '(') {
		ps->p++;
		for (;;) {
			skip(ps);
			if (ps->p < ps->end && *ps->p == ')') {
				ps->p++;
				break;
			}
			struct gq_arg *a = budget_realloc(f->args, (f->nargs + 1) * sizeof *a);
			if (!a) {
				ps->nomem = 1;
				return -1;
			}
			f->args = a;
			a = &f->args[f->nargs++];
			memset(a, 0, sizeof *a);
			if (!(a->name = name(ps)))
				return -1;
			skip(ps);
			if (ps->p >= ps->end || *ps->p != ':')
				return perr(ps, "expected ':' after the argument's name");
			ps->p++;
			if (value(ps, a))
				return -1;
		}
		skip(ps);
	}
	if (ps->p < ps->end && *ps->p == '{')
		return selection(ps, f, depth + 1);
	return 0;
}

static int selection(struct parser *ps, struct gq_field *f, int depth)
{
	skip(ps);
	if (depth > 32)
		return perr(ps, "selections nested deeper than 32");
	if (ps->p >= ps->end || *ps->p != '{')
		return perr(ps, "expected '{'");
	ps->p++;
	size_t cap = 0;
	for (;;) {
		skip(ps);
		if (ps->p >= ps->end)
			return perr(ps, "'{' without '}'");
		if (*ps->p == '}') {
			ps->p++;
			break;
		}
		if (*ps->p == '.')
			return perr(ps, "fragments are not in this subset");
		if (f->nsel == cap) {
			cap = cap ? 2 * cap : 4;
			struct gq_field *s = budget_realloc(f->sel, cap * sizeof *s);
			if (!s) {
				ps->nomem = 1;
				return -1;
			}
			f->sel = s;
		}
		memset(&f->sel[f->nsel], 0, sizeof f->sel[0]);
		f->nsel++;
		if (field(ps, &f->sel[f->nsel - 1], depth))
			return -1;
	}
	if (f->nsel == 0)
		return perr(ps, "a selection set selects at least one field");
	return 0;
}

int gq_parse(const char *text_, size_t len, struct gq_query *q, const char **why, size_t *off)
{
	struct parser ps = {.s = text_, .p = text_, .end = text_ + len};
	memset(q, 0, sizeof *q);
	skip(&ps);
	if (ps.end - ps.p >= 5 && memcmp(ps.p, "query", 5) == 0 &&
	    (ps.end - ps.p == 5 || !is_name(ps.p[5]))) {
		ps.p += 5;
		skip(&ps);
		if (ps.p < ps.end && is_name_start(*ps.p)) {
			char *n = name(&ps);     /* the operation's name: ignored */
			budget_free(n);
		}
		skip(&ps);
		if (ps.p < ps.end && *ps.p == '(')
			perr(&ps, "variables are not in this subset");
	} else if (ps.p < ps.end && is_name_start(*ps.p)) {
		perr(&ps, "only queries are in this subset (no mutation or subscription)");
	}
	int rc = ps.why ? -1 : selection(&ps, &q->root, 0);
	if (rc == 0) {
		skip(&ps);
		if (ps.p < ps.end)
			rc = perr(&ps, "text after the query");
	}
	if (rc != 0) {
		gq_query_free(q);
		if (ps.nomem)
			return -2;
		*why = ps.why;
		*off = ps.off;
		return -1;
	}
	return 0;
}

/* ---- the executor ---- */

enum fkind { F_ID, F_TEXT, F_LIST, F_ONE };

struct fdesc {
	const char *name;
	enum fkind kind;
	enum gq_table target;
	int target_col;     /* the target's column to match */
	int key_from;       /* the parent's column giving the key */
	const char *arg;    /* the one argument it takes, or NULL */
};

#define ROOT 3  /* the Query type */

static const struct fdesc fields[4][5] = {
	[GQ_USERS] = {{"id", F_ID, 0, 0, 0, NULL}, {"name", F_TEXT, 0, 0, 0, NULL},
		      {"posts", F_LIST, GQ_POSTS, 1, 0, "first"}},
	[GQ_POSTS] = {{"id", F_ID, 0, 0, 0, NULL}, {"title", F_TEXT, 0, 0, 0, NULL},
		      {"author", F_ONE, GQ_USERS, 0, 1, NULL},
		      {"comments", F_LIST, GQ_COMMENTS, 1, 0, "first"}},
	[GQ_COMMENTS] = {{"id", F_ID, 0, 0, 0, NULL}, {"body", F_TEXT, 0, 0, 0, NULL},
			 {"author", F_ONE, GQ_USERS, 0, 2, NULL},
			 {"post", F_ONE, GQ_POSTS, 0, 1, NULL}},
	[ROOT] = {{"users", F_LIST, GQ_USERS, -1, 0, "first"},
		  {"user", F_ONE, GQ_USERS, 0, -1, "id"},
		  {"posts", F_LIST, GQ_POSTS, -1, 0, "first"}},
};

static const char *const type_names[] = {"User", "Post", "Comment", "Query"};

struct ex {
	struct gq_db *db;
	int batch;
	const char *why;
	size_t off;
	char msg[160];
	unsigned long steps;
};

void gq_val_free(struct gq_val *v)
{
	if (!v)
		return;
	for (size_t i = 0; v->items && i < v->n; i++)
		gq_val_free(&v->items[i]);
	budget_free(v->items);
	budget_free(v->keys);
	memset(v, 0, sizeof *v);
}

static int xerr(struct ex *x, const struct gq_field *f, const char *fmt, const char *a,
		const char *b)
{
	snprintf(x->msg, sizeof x->msg, fmt, a, b);
	x->why = x->msg;
	x->off = f->off;
	return -1;
}

/* Checks F's arguments against D; sets *LIMIT (first) or *KEY (id). */
static int args_of(struct ex *x, const struct gq_field *f, const struct fdesc *d, size_t *limit,
		   int64_t *key, int *has_key)
{
	*limit = GQ_NO_LIMIT;
	*has_key = 0;
	for (size_t i = 0; i < f->nargs; i++) {
		const struct gq_arg *a = &f->args[i];
		if (!d->arg || strcmp(a->name, d->arg) != 0)
			return xerr(x, f, "Unknown argument '%s' on field '%s'", a->name, f->name);
		if (a->kind != GQ_ARG_INT || (strcmp(d->arg, "first") == 0 && a->i < 0))
			return xerr(x, f, "Argument '%s' of '%s' takes an Int (>= 0 for first)",
				    a->name, f->name);
		if (strcmp(d->arg, "first") == 0)
			*limit = (size_t)a->i;
		else
			*key = a->i, *has_key = 1;
	}
	if (d->arg && strcmp(d->arg, "id") == 0 && !*has_key)
		return xerr(x, f, "Field '%s' needs the argument '%s'", f->name, d->arg);
	return 0;
}

struct pair {
	int64_t key;
	size_t row;
};

static int cmp_pair(const void *a, const void *b)
{
	const struct pair *p = a, *q = b;
	if (p->key != q->key)
		return p->key < q->key ? -1 : 1;
	return p->row < q->row ? -1 : p->row > q->row;
}

static int exec_sel(struct ex *x, int type, const size_t *rows, size_t n,
		    const struct gq_field *parent, struct gq_val *objs);

/* Resolves relation field F (described by D) for the N parents (rows of
 * TYPE) into slot K of each object. */
static int relation(struct ex *x, int type, const size_t *rows, size_t n,
		    const struct gq_field *f, const struct fdesc *d, size_t k, struct gq_val *objs)
{
	size_t limit;
	int64_t argkey = 0;
	int has_key;
	if (args_of(x, f, d, &limit, &argkey, &has_key))
		return -1;
	if (!f->sel)
		return xerr(x, f, "Field '%s' of type '%s' must have a selection of subfields",
			    f->name, type_names[d->target]);
	size_t per = d->kind == F_ONE ? 1 : limit;
	/* the key each parent asks for */
	int64_t *keys = budget_malloc((n + 1) * sizeof *keys);
	size_t **got = budget_calloc(n + 1, sizeof *got), *ngot = budget_calloc(n + 1, sizeof *ngot);
	int rc = keys && got && ngot ? 0 : -2;
	for (size_t i = 0; rc == 0 && i < n; i++)
		keys[i] = type == ROOT ? argkey
			  : colval(&x->db->rows[type][rows[i]], d->key_from);
	int all = type == ROOT && d->target_col < 0;
	if (rc == 0 && n == 0) {
		/* no parents: nothing to ask */
	} else if (rc == 0 && (!x->batch || n == 1)) {
		for (size_t i = 0; rc == 0 && i < n; i++) {
			if (budget_poll(x->steps++))
				rc = -3;
			else if (gq_fetch(x->db, d->target, all ? 0 : d->target_col,
					  all ? NULL : &keys[i], all ? 0 : 1, per, &got[i], &ngot[i]))
				rc = -2;
		}
	} else if (rc == 0) {
		/* a dataloader: the distinct keys of all parents, one query */
		int64_t *uniq = budget_malloc(n * sizeof *uniq);
		size_t nu = 0, *fetched = NULL, nf = 0;
		struct pair *pairs = NULL;
		if (!uniq)
			rc = -2;
		for (size_t i = 0; rc == 0 && i < n; i++) {
			size_t j = 0;
			while (j < nu && uniq[j] != keys[i])
				j++;
			if (j == nu)
				uniq[nu++] = keys[i];
			if (budget_poll(x->steps++))
				rc = -3;
		}
		if (rc == 0 && gq_fetch(x->db, d->target, d->target_col, uniq, nu, GQ_NO_LIMIT,
					&fetched, &nf))
			rc = -2;
		if (rc == 0 && !(pairs = budget_malloc((nf + 1) * sizeof *pairs)))
			rc = -2;
		for (size_t i = 0; rc == 0 && i < nf; i++) {
			pairs[i].row = fetched[i];
			pairs[i].key = colval(&x->db->rows[d->target][fetched[i]], d->target_col);
		}
		if (rc == 0)
			qsort(pairs, nf, sizeof *pairs, cmp_pair);
		for (size_t i = 0; rc == 0 && i < n; i++) {
			size_t lo = 0, hi = nf;  /* the first pair with key >= keys[i] */
			while (lo < hi) {
				size_t mid = (lo + hi) / 2;
				if (pairs[mid].key < keys[i])
					lo = mid + 1;
				else
					hi = mid;
			}
			size_t cnt = 0;
			while (lo + cnt < nf && pairs[lo + cnt].key == keys[i] && cnt < per)
				cnt++;
			if (cnt && !(got[i] = budget_malloc(cnt * sizeof *got[i])))
				rc = -2;
			for (size_t c = 0; rc == 0 && c < cnt; c++)
				got[i][c] = pairs[lo + c].row;
			ngot[i] = cnt;
		}
		budget_free(uniq);
		budget_free(fetched);
		budget_free(pairs);
	}
	/* the children of every parent, in one level, then hung on their parents */
	size_t total = 0;
	for (size_t i = 0; rc == 0 && i < n; i++)
		total += ngot[i];
	size_t *flat = rc == 0 ? budget_malloc((total + 1) * sizeof *flat) : NULL;
	struct gq_val *cv = rc == 0 ? budget_calloc(total + 1, sizeof *cv) : NULL;
	if (rc == 0 && (!flat || !cv))
		rc = -2;
	for (size_t i = 0, t = 0; rc == 0 && i < n; i++)
		for (size_t c = 0; c < ngot[i]; c++)
			flat[t++] = got[i][c];
	if (rc == 0)
		rc = exec_sel(x, d->target, flat, total, f, cv);
	for (size_t i = 0, t = 0; rc == 0 && i < n; i++) {
		struct gq_val *slot = &objs[i].items[k];
		if (d->kind == F_ONE) {
			if (ngot[i])
				*slot = cv[t], memset(&cv[t], 0, sizeof cv[t]);
			else
				slot->k = GQ_V_NULL;
		} else {
			slot->k = GQ_V_LIST;
			slot->items = budget_calloc(ngot[i] + 1, sizeof *slot->items);
			if (!slot->items) {
				rc = -2;
				break;
			}
			slot->n = ngot[i];
			for (size_t c = 0; c < ngot[i]; c++)
				slot->items[c] = cv[t + c], memset(&cv[t + c], 0, sizeof cv[t]);
		}
		t += ngot[i];
	}
	for (size_t i = 0; cv && i < total; i++)
		gq_val_free(&cv[i]);
	budget_free(cv);
	budget_free(flat);
	for (size_t i = 0; got && i < n; i++)
		budget_free(got[i]);
	budget_free(got);
	budget_free(ngot);
	budget_free(keys);
	return rc;
}

static int exec_sel(struct ex *x, int type, const size_t *rows, size_t n,
		    const struct gq_field *parent, struct gq_val *objs)
{
	const struct gq_field *sel = parent->sel;
	size_t nsel = parent->nsel;
	for (size_t i = 0; i < n; i++) {
		objs[i].k = GQ_V_OBJ;
		objs[i].n = nsel;
		objs[i].items = budget_calloc(nsel, sizeof *objs[i].items);
		objs[i].keys = budget_calloc(nsel, sizeof *objs[i].keys);
		if (!objs[i].items || !objs[i].keys)
			return -2;
		for (size_t k = 0; k < nsel; k++)
			objs[i].keys[k] = sel[k].name;
	}
	for (size_t k = 0; k < nsel; k++) {
		const struct gq_field *f = &sel[k];
		for (size_t j = 0; j < k; j++)
			if (strcmp(sel[j].name, f->name) == 0)
				return xerr(x, f, "Field '%s' is selected twice in one set%s", f->name, "");
		const struct fdesc *d = NULL;
		for (int j = 0; j < 5 && fields[type][j].name; j++)
			if (strcmp(fields[type][j].name, f->name) == 0)
				d = &fields[type][j];
		if (!d)
			return xerr(x, f, "Cannot query field '%s' on type '%s'", f->name,
				    type_names[type]);
		if (d->kind == F_ID || d->kind == F_TEXT) {
			if (f->sel || f->nargs)
				return xerr(x, f, "Field '%s' is a scalar: no arguments, no %s",
					    f->name, "selection");
			for (size_t i = 0; i < n; i++) {
				const struct gq_row *r = &x->db->rows[type][rows[i]];
				struct gq_val *v = &objs[i].items[k];
				if (d->kind == F_ID)
					v->k = GQ_V_INT, v->i = r->id;
				else
					v->k = GQ_V_STR, v->s = r->text;
			}
			continue;
		}
		int rc = relation(x, type, rows, n, f, d, k, objs);
		if (rc)
			return rc;
	}
	return 0;
}

int gq_execute(struct gq_db *db, const struct gq_query *q, int batch, struct gq_val *out,
	       char *why, size_t wsize, size_t *off)
{
	struct ex x = {.db = db, .batch = batch};
	size_t root_row = 0;
	memset(out, 0, sizeof *out);
	struct gq_val *objs = budget_calloc(1, sizeof *objs);
	if (!objs)
		return -2;
	int rc = exec_sel(&x, ROOT, &root_row, 1, &q->root, objs);
	if (rc == 0) {
		*out = objs[0];
	} else {
		gq_val_free(objs);
		if (rc == -1) {
			snprintf(why, wsize, "%s", x.why);
			*off = x.off;
		}
	}
	budget_free(objs);
	return rc;
}
