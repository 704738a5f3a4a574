/*
 * logs_lua.c — lab.logs: the Lua binding of logs.h.
 *
 *   lab.logs.parse(text [, {format = "logfmt"|"json"}]) -> records | nil, "line L, column C: why"
 *   lab.logs.query(logs, {where = , by = , of = , top = })
 *   lab.logs.sample(logs, {rate = , by = , seed = , keep = })
 *   lab.logs.cardinality(logs, {labels = {...}})
 *   lab.logs.generate{n = , seed = , users = , error_rate = , format = }
 * LOGS is a text (parsed as FORMAT) or a list of records (tables of
 * strings, numbers and booleans).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/concepts/logs/logs.h"
#include "engine/lab/labkit.h"

static void free_set(void *p)
{
	logs_set_free(p);
}

/* Pushes one record as a Lua table; null fields are left out. [-0, +1] */
static void push_record(lua_State *L, const struct logs_record *r)
{
	lua_createtable(L, 0, (int)r->n);
	for (size_t i = 0; i < r->n; i++) {
		const struct logs_field *f = &r->f[i];
		if (f->type == LOGS_NULL)
			continue;
		if (f->type == LOGS_NUM && f->num == floor(f->num) && fabs(f->num) < 9007199254740992.0)
			lua_pushinteger(L, (lua_Integer)f->num);
		else if (f->type == LOGS_NUM)
			lua_pushnumber(L, f->num);
		else if (f->type == LOGS_TRUE || f->type == LOGS_FALSE)
			lua_pushboolean(L, f->type == LOGS_TRUE);
		else
			lua_pushstring(L, f->val);
		lua_setfield(L, -2, f->key);
	}
}


/* Parses TEXT into a set held on the stack; raises or returns NULL with
 * the message pushed (nil, msg: 2 values) when RAISE is 0.           [-0, +1] */
static struct logs_set *parse_text(lua_State *L, int idx, int json, const char *who, int raise)
{
	size_t len;
	const char *text = lua_tolstring(L, idx, &len);
	struct logs_set *s = lab_holder(L, sizeof *s, free_set); /* push holder */
	size_t line = 0, col = 0;
	const char *why = "";
	int rc = logs_parse(text, len, json, s, &line, &col, &why);
	if (rc == -2)
		lab_fail(L, "%s: %s", who, why);
	if (rc != 0) {
		if (raise)
			luaL_error(L, "%s: line %d, column %d: %s", who, (int)line, (int)col, why);
		lua_pushnil(L);
		lua_pushfstring(L, "line %d, column %d: %s", (int)line, (int)col, why);
		return NULL;
	}
	return s;
}

/* Reads a list of record tables (raw) into a set held on the stack. [-0, +1] */
static struct logs_set *read_records(lua_State *L, int idx, const char *who)
{
	struct logs_set *s = lab_holder(L, sizeof *s, free_set); /* push holder */
	size_t n = lua_rawlen(L, idx);
	s->r = budget_calloc(n ? n : 1, sizeof *s->r);
	if (!s->r)
		lab_fail(L, "%s: out of memory", who);
	s->cap = n ? n : 1;
	for (size_t i = 0; i < n; i++) {
		if (lua_rawgeti(L, idx, (lua_Integer)i + 1) != LUA_TTABLE) /* push record */
			luaL_error(L, "%s: record %d must be a table", who, (int)i + 1);
		struct logs_record *r = &s->r[s->n++];
		r->line = i + 1;
		lua_pushnil(L);
		while (lua_next(L, -2)) {                               /* push key, value */
			if (lua_type(L, -2) != LUA_TSTRING)
				luaL_error(L, "%s: record %d: keys must be strings", who, (int)i + 1);
			size_t kl, vl;
			const char *k = lua_tolstring(L, -2, &kl);
			int t = lua_type(L, -1), rc;
			if (t == LUA_TBOOLEAN) {
				int b = lua_toboolean(L, -1);
				rc = logs_add(r, k, kl, b ? "true" : "false", b ? 4 : 5,
					      b ? LOGS_TRUE : LOGS_FALSE, NAN);
			} else if (t == LUA_TNUMBER) {
				double d = lua_tonumber(L, -1);
				lua_pushvalue(L, -1);
				const char *v = lua_tolstring(L, -1, &vl);   /* a copy, converted */
				rc = logs_add(r, k, kl, v, vl, LOGS_NUM, d);
				lua_pop(L, 1);
			} else if (t == LUA_TSTRING) {
				const char *v = lua_tolstring(L, -1, &vl);
				rc = logs_add(r, k, kl, v, vl, LOGS_STR, NAN);
			} else {
				return luaL_error(L, "%s: record %d: field '%s' must be a string, number or "
						     "boolean", who, (int)i + 1, k), NULL;
			}
			if (rc != 0)
				lab_fail(L, "%s: out of memory", who);
			lua_pop(L, 1);                                  /* remove value */
		}
		lua_pop(L, 1);                                          /* remove record */
	}
	return s;
}

/* The logs at argument 1 (text or records) with OPTS at 2 giving the
 * format. Raises on a parse error.                                 [-0, +1] */
static struct logs_set *get_logs(lua_State *L, const char *who, int json)
{
	if (lua_type(L, 1) == LUA_TSTRING)
		return parse_text(L, 1, json, who, 1);
	if (lua_type(L, 1) == LUA_TTABLE)
		return read_records(L, 1, who);
	luaL_error(L, "%s: logs are a text or a list of records", who);
	return NULL;
}

static const struct lab_opt parse_opts[] = {
	{"format", LAB_ENUM, .str = "logfmt", .choices = "logfmt json", .help = "logfmt or JSON lines"},
	{NULL},
};

static int l_parse(lua_State *L)
{
	luaL_checkstring(L, 1);
	const struct lab_val *o = lab_opts(L, 2, "lab.logs.parse", parse_opts);
	struct logs_set *s = parse_text(L, 1, o[0].choice, "lab.logs.parse", 0);
	if (!s)
		return 2;
	lua_createtable(L, (int)s->n, 0);
	for (size_t i = 0; i < s->n; i++) {
		push_record(L, &s->r[i]);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	return 1;
}

/* Reads the `where` table (key = "op value") of the options at 2 into
 * conditions held on the stack.                                    [-0, +1] */
static struct logs_cond *read_where(lua_State *L, const char *name, size_t *n, const char *who)
{
	lab_optpush(L, 2, name);                                        /* push where */
	int w = lua_gettop(L);
	*n = 0;
	if (lua_istable(L, w)) {
		lua_pushnil(L);
		while (lua_next(L, w))                                  /* push key, value */
			(*n)++, lua_pop(L, 1);
	}
	struct logs_cond *c = lab_scratch(L, (*n + 1) * sizeof *c);     /* push scratch */
	lua_newtable(L);                                                /* push keep */
	int keep = lua_gettop(L);
	size_t i = 0;
	if (lua_istable(L, w)) {
		lua_pushnil(L);
		while (i < *n && lua_next(L, w)) {                      /* push key, value */
			if (lua_type(L, -2) != LUA_TSTRING || lua_type(L, -1) != LUA_TSTRING)
				luaL_error(L, "%s: %s is {key = \"op value\"}, strings (\">= 500\", "
					      "\"~timeout\", \"GET\")", who, name);
			lua_pushvalue(L, -2);                           /* push key */
			const char *k = lab_keep(L, keep);              /* pop key */
			const char *v = lab_keep(L, keep);              /* pop value */
			logs_cond_parse(k, v, &c[i++]);
		}
	}
	*n = i;
	lua_remove(L, w);                                               /* keep scratch, keep */
	return c;
}

static const struct lab_opt query_opts[] = {
	{"format", LAB_ENUM, .str = "logfmt", .choices = "logfmt json", .help = "of a text"},
	{"where", LAB_TABLE, .str = "all", .help = "{key = \"op value\"}: = != < <= > >= ~ (contains) * (exists)"},
	{"by", LAB_ANY, .str = "none", .help = "a key or a list of keys to group by"},
	{"of", LAB_STR, .help = "a numeric key to sum, average and take the max of"},
	{"top", LAB_INT, 0, .min = 0, .max = 1e9, .help = "keep the N largest groups (0: all)"},
	{NULL},
};

struct grp {
	char *key; /* the group's values joined by \x1f */
	size_t rec;
};

static int cmp_grp(const void *a, const void *b)
{
	const struct grp *x = a, *y = b;
	int c = strcmp(x->key, y->key);
	return c ? c : (x->rec > y->rec) - (x->rec < y->rec);
}

struct group_out {
	size_t first, count;
	double sum, max;
	size_t nnum;
};

static int cmp_count(const void *a, const void *b)
{
	const struct group_out *x = a, *y = b;
	if (x->count != y->count)
		return x->count < y->count ? 1 : -1;
	return (x->first > y->first) - (x->first < y->first);
}

static void free_grps(void *p)
{
	struct {
		struct grp *g;
		size_t n;
	} *h = p;
	for (size_t i = 0; i < h->n; i++)
		budget_free(h->g[i].key);
	budget_free(h->g);
}

static int l_query(lua_State *L)
{
	const char *who = "lab.logs.query";
	lua_settop(L, 2);
	const struct lab_val *o = lab_opts(L, 2, who, query_opts);
	struct logs_set *s = get_logs(L, who, o[0].choice);
	size_t nc;
	struct logs_cond *cond = read_where(L, "where", &nc, who);
	/* by: a string or a list of strings */
	lua_newtable(L);                                                /* push keep */
	int keep = lua_gettop(L);
	const char *by[16];
	size_t nby = 0;
	lab_optpush(L, 2, "by");                                        /* push by */
	if (lua_type(L, -1) == LUA_TSTRING) {
		by[nby++] = lab_keep(L, keep);
	} else if (lua_istable(L, -1)) {
		size_t n = lua_rawlen(L, -1);
		if (n > 16)
			return luaL_error(L, "%s: at most 16 keys in by", who);
		for (size_t i = 0; i < n; i++) {
			if (lua_rawgeti(L, -1, (lua_Integer)i + 1) != LUA_TSTRING) /* push key */
				return luaL_error(L, "%s: by must list strings", who);
			by[nby++] = lab_keep(L, keep);
		}
		lua_pop(L, 1);
	} else if (!lua_isnil(L, -1)) {
		return luaL_error(L, "%s: by is a key or a list of keys", who);
	} else {
		lua_pop(L, 1);
	}
	const char *of = o[3].set ? o[3].s : NULL;
	if (nby == 0) { /* the matching records */
		lua_createtable(L, 0, 0);
		lua_Integer k = 0;
		for (size_t i = 0; i < s->n; i++)
			if (logs_match(&s->r[i], cond, nc)) {
				push_record(L, &s->r[i]);
				lua_rawseti(L, -2, ++k);
			}
		return 1;
	}
	struct {
		struct grp *g;
		size_t n;
	} *h = lab_holder(L, sizeof *h, free_grps);                     /* push holder */
	h->g = budget_calloc(s->n ? s->n : 1, sizeof *h->g);
	if (!h->g)
		return lab_fail(L, "%s: out of memory", who);
	struct sbuf key = SBUF_INIT;
	for (size_t i = 0; i < s->n; i++) {
		if (!logs_match(&s->r[i], cond, nc))
			continue;
		sbuf_truncate(&key, 0);
		for (size_t b = 0; b < nby; b++) {
			const struct logs_field *f = logs_get(&s->r[i], by[b]);
			if (b)
				sbuf_addc(&key, '\x1f');
			sbuf_adds(&key, f ? f->val : "");
		}
		h->g[h->n].key = budget_strdup(key.buf ? key.buf : "");
		if (!h->g[h->n].key) {
			sbuf_free(&key);
			return lab_fail(L, "%s: out of memory", who);
		}
		h->g[h->n++].rec = i;
	}
	sbuf_free(&key);
	qsort(h->g, h->n, sizeof *h->g, cmp_grp);
	struct group_out *out = lab_scratch(L, (h->n + 1) * sizeof *out); /* push scratch */
	size_t ng = 0;
	for (size_t i = 0; i < h->n; i++) {
		if (i == 0 || strcmp(h->g[i].key, h->g[i - 1].key) != 0)
			out[ng++] = (struct group_out){.first = i, .max = -INFINITY};
		struct group_out *g = &out[ng - 1];
		g->count++;
		const struct logs_field *f = of ? logs_get(&s->r[h->g[i].rec], of) : NULL;
		char *end;
		double d = f ? strtod(f->val, &end) : NAN;
		if (f && *f->val && !*end && isfinite(d)) {
			g->sum += d;
			g->max = fmax(g->max, d);
			g->nnum++;
		}
	}
	qsort(out, ng, sizeof *out, cmp_count);
	size_t top = o[4].i > 0 && (size_t)o[4].i < ng ? (size_t)o[4].i : ng;
	lua_createtable(L, (int)top, 0);
	for (size_t k = 0; k < top; k++) {
		const struct logs_record *r = &s->r[h->g[out[k].first].rec];
		lua_createtable(L, 0, (int)nby + 4);
		for (size_t b = 0; b < nby; b++) {
			const struct logs_field *f = logs_get(r, by[b]);
			if (f)
				lab_setstr(L, by[b], f->val);
		}
		lab_setint(L, "count", (lua_Integer)out[k].count);
		if (of && out[k].nnum) {
			lab_setnum(L, "sum", out[k].sum);
			lab_setnum(L, "avg", out[k].sum / (double)out[k].nnum);
			lab_setnum(L, "max", out[k].max);
		}
		lua_rawseti(L, -2, (lua_Integer)k + 1);
	}
	return 1;
}

static const struct lab_opt sample_opts[] = {
	{"format", LAB_ENUM, .str = "logfmt", .choices = "logfmt json", .help = "of a text"},
	{"rate", LAB_NUM, .required = 1, .min = 0, .max = 1, .help = "fraction kept"},
	{"by", LAB_STR, .help = "decide per value of this key (a trace id): all or none of a trace"},
	{"seed", LAB_INT, 0, .min = -9.2e18, .max = 9.2e18, .help = "the hash's seed"},
	{"keep", LAB_TABLE, .str = "none", .help = "{key = \"op value\"}: always kept (errors)"},
	{NULL},
};

static int l_sample(lua_State *L)
{
	const char *who = "lab.logs.sample";
	lua_settop(L, 2);
	const struct lab_val *o = lab_opts(L, 2, who, sample_opts);
	struct logs_set *s = get_logs(L, who, o[0].choice);
	size_t nk;
	struct logs_cond *keep = read_where(L, "keep", &nk, who);
	lua_createtable(L, 0, 0);
	lua_Integer k = 0, forced = 0;
	char idx[32];
	for (size_t i = 0; i < s->n; i++) {
		int in;
		if (nk && logs_match(&s->r[i], keep, nk)) {
			in = 1;
			forced++;
		} else if (o[2].set) {
			const struct logs_field *f = logs_get(&s->r[i], o[2].s);
			const char *v = f ? f->val : "";
			in = logs_keep((uint64_t)o[3].i, v, strlen(v), o[1].num);
		} else { /* per record: its position decides */
			int n = snprintf(idx, sizeof idx, "#%zu", i);
			in = logs_keep((uint64_t)o[3].i, idx, (size_t)n, o[1].num);
		}
		if (in) {
			push_record(L, &s->r[i]);
			lua_rawseti(L, -2, ++k);
		}
	}
	lua_createtable(L, 0, 3);
	lab_setint(L, "total", (lua_Integer)s->n);
	lab_setint(L, "kept", k);
	lab_setint(L, "forced", forced);
	return 2;
}

static const struct lab_opt card_opts[] = {
	{"format", LAB_ENUM, .str = "logfmt", .choices = "logfmt json", .help = "of a text"},
	{"labels", LAB_TABLE, .required = 1, .help = "the keys that would become metric labels"},
	{NULL},
};

static int l_cardinality(lua_State *L)
{
	const char *who = "lab.logs.cardinality";
	lua_settop(L, 2);
	const struct lab_val *o = lab_opts(L, 2, who, card_opts);
	struct logs_set *s = get_logs(L, who, o[0].choice);
	lab_optpush(L, 2, "labels");                                    /* push labels */
	int lt = lua_gettop(L);
	size_t nl = lua_rawlen(L, lt);
	if (nl == 0 || nl > 16)
		return luaL_error(L, "%s: labels lists 1 to 16 keys", who);
	lua_newtable(L);                                                /* push keep */
	int keep = lua_gettop(L);
	const char *labels[16];
	for (size_t i = 0; i < nl; i++) {
		if (lua_rawgeti(L, lt, (lua_Integer)i + 1) != LUA_TSTRING)
			return luaL_error(L, "%s: labels must be strings", who);
		labels[i] = lab_keep(L, keep);
	}
	/* distinct values per label, and distinct combinations: sets as Lua tables */
	lua_newtable(L);                                                /* push combos */
	int combos = lua_gettop(L);
	lua_createtable(L, (int)nl, 0);                                 /* push per-label sets */
	int sets = lua_gettop(L);
	for (size_t i = 0; i < nl; i++) {
		lua_newtable(L);
		lua_rawseti(L, sets, (lua_Integer)i + 1);
	}
	lua_Integer series = 0, per[16] = {0};
	struct sbuf key = SBUF_INIT;
	for (size_t r = 0; r < s->n; r++) {
		if ((r & 4095) == 0 && budget_stop()) {
			sbuf_free(&key);
			lab_poll(L);
		}
		sbuf_truncate(&key, 0);
		for (size_t i = 0; i < nl; i++) {
			const struct logs_field *f = logs_get(&s->r[r], labels[i]);
			const char *v = f ? f->val : "";
			if (i)
				sbuf_addc(&key, '\x1f');
			sbuf_adds(&key, v);
			lua_rawgeti(L, sets, (lua_Integer)i + 1);       /* push set */
			lua_pushstring(L, v);
			if (lua_rawget(L, -2) == LUA_TNIL) {            /* push set[v] */
				lua_pushstring(L, v);
				lua_pushboolean(L, 1);
				lua_rawset(L, -4);
				per[i]++;
			}
			lua_pop(L, 2);
		}
		lua_pushlstring(L, key.buf ? key.buf : "", key.len);
		if (lua_rawget(L, combos) == LUA_TNIL) {                /* push combos[key] */
			lua_pushlstring(L, key.buf ? key.buf : "", key.len);
			lua_pushboolean(L, 1);
			lua_rawset(L, combos);
			series++;
		}
		lua_pop(L, 1);
	}
	sbuf_free(&key);
	lua_createtable(L, 0, 3);
	lab_setint(L, "series", series);
	lab_setint(L, "records", (lua_Integer)s->n);
	lua_createtable(L, 0, (int)nl);
	double product = 1;
	for (size_t i = 0; i < nl; i++) {
		lab_setint(L, labels[i], per[i]);
		product *= (double)per[i];
	}
	lua_setfield(L, -2, "per_label");
	lab_setnum(L, "product", product);
	return 1;
}

/* ---- a generator of access logs ---- */

static uint64_t mix(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static double unif(uint64_t *x)
{
	return (double)(mix(x) >> 11) / 9007199254740992.0;
}

static const struct lab_opt gen_opts[] = {
	{"n", LAB_INT, 1000, .min = 1, .max = 1e6, .help = "lines"},
	{"seed", LAB_INT, .required = 1, .min = -9.2e18, .max = 9.2e18, .help = "the same seed, the same lines"},
	{"users", LAB_INT, 100, .min = 1, .max = 1e9, .help = "distinct user ids"},
	{"error_rate", LAB_NUM, 0.02, .min = 0, .max = 1, .help = "fraction of 500s"},
	{"per_trace", LAB_INT, 1, .min = 1, .max = 100, .help = "lines per trace id"},
	{"format", LAB_ENUM, .str = "logfmt", .choices = "logfmt json", .help = "what to write"},
	{NULL},
};

static const char *const paths[] = {"/", "/login", "/search", "/cart", "/orders", "/orders/new",
				    "/product", "/health"};
static const char *const methods[] = {"GET", "GET", "GET", "POST", "GET", "POST", "GET", "GET"};

static int l_generate(lua_State *L)
{
	const struct lab_val *o = lab_opts(L, 1, "lab.logs.generate", gen_opts);
	uint64_t x = (uint64_t)o[1].i;
	struct sbuf out = SBUF_INIT;
	char trace[17] = "";
	int json = o[5].choice;
	for (lua_Integer i = 0; i < o[0].i; i++) {
		if (i % o[4].i == 0)
			snprintf(trace, sizeof trace, "%016llx", (unsigned long long)mix(&x));
		int p = (int)(unif(&x) * 8);
		double u = unif(&x);
		int status = u < o[3].num ? 500 : u < o[3].num + 0.05 ? 404 : 200;
		const char *level = status == 500 ? "error" : status == 404 ? "warn" : "info";
		double ms = round(-log(1 - unif(&x)) * 40 * 10) / 10 + 1;
		lua_Integer user = 1 + (lua_Integer)(unif(&x) * (double)o[2].i);
		double ts = (double)i * 0.25;
		if (json)
			sbuf_addf(&out, "{\"ts\":%.2f,\"level\":\"%s\",\"method\":\"%s\",\"path\":\"%s\","
					"\"status\":%d,\"duration_ms\":%.1f,\"user\":\"u%lld\",\"trace_id\":\"%s\"}\n",
				  ts, level, methods[p], paths[p], status, ms, (long long)user, trace);
		else
			sbuf_addf(&out, "ts=%.2f level=%s method=%s path=%s status=%d duration_ms=%.1f "
					"user=u%lld trace_id=%s%s\n",
				  ts, level, methods[p], paths[p], status, ms, (long long)user, trace,
				  status == 500 ? " msg=\"upstream timed out\"" : "");
	}
	lua_pushlstring(L, out.buf ? out.buf : "", out.len);
	sbuf_free(&out);
	return 1;
}

static const luaL_Reg functions[] = {
	{"parse", l_parse},             {"query", l_query},       {"sample", l_sample},
	{"cardinality", l_cardinality}, {"generate", l_generate}, {NULL, NULL},
};

const struct lab_namespace lab_ns_logs = {
	.functions = functions,
	.options = (const struct lab_fnopts[]){{"parse", parse_opts},
					       {"query", query_opts},
					       {"sample", sample_opts},
					       {"cardinality", card_opts},
					       {"generate", gen_opts},
					       {NULL}},
};
