/*
 * trace_lua.c — lab.trace: the Lua binding of trace.h.
 *
 *   lab.trace.parse(tp) -> {version, trace_id, parent_id, flags, sampled} | nil, why
 *   lab.trace.start{seed = , sampled = }   lab.trace.child(tp, seed) -> tp | nil, why
 *   lab.trace.state(ts) -> {{key, value}, ...} | nil, why
 *   lab.trace.state_set(ts, key, value) -> ts | nil, why
 *   lab.trace.assemble(spans)   lab.trace.waterfall(spans [, {width = }])
 */
#include <math.h>
#include <string.h>

#include "engine/concepts/trace/trace.h"
#include "engine/lab/labkit.h"

static int fail_nil(lua_State *L, const char *why)
{
	lua_pushnil(L);
	lua_pushstring(L, why);
	return 2;
}

static int l_parse(lua_State *L)
{
	size_t len;
	const char *s = luaL_checklstring(L, 1, &len);
	struct trace_parent p;
	const char *why;
	if (trace_parse_parent(s, len, &p, &why) != 0)
		return fail_nil(L, why);
	lua_createtable(L, 0, 5);
	lab_setint(L, "version", p.version);
	lab_setstr(L, "trace_id", p.trace_id);
	lab_setstr(L, "parent_id", p.parent_id);
	lab_setint(L, "flags", p.flags);
	lab_setbool(L, "sampled", p.flags & 1);
	return 1;
}

static const struct lab_opt start_opts[] = {
	{"seed", LAB_INT, .required = 1, .min = -9.2e18, .max = 9.2e18, .help = "ids come from it"},
	{"sampled", LAB_BOOL, 1, .help = "the sampled flag"},
	{NULL},
};

static int l_start(lua_State *L)
{
	const struct lab_val *o = lab_opts(L, 1, "lab.trace.start", start_opts);
	uint64_t state = (uint64_t)o[0].i;
	struct trace_parent p = {.flags = o[1].i ? 1 : 0};
	trace_id_hex(&state, p.trace_id, 16);
	trace_id_hex(&state, p.parent_id, 8);
	char out[56];
	trace_format_parent(&p, out);
	lua_pushstring(L, out);
	return 1;
}

/* lab.trace.child(tp, seed): what a service sends on: the same trace-id,
 * a new parent-id (its own span, drawn from SEED), version 00, the sampled
 * flag kept. */
static int l_child(lua_State *L)
{
	size_t len;
	const char *s = luaL_checklstring(L, 1, &len);
	uint64_t state = (uint64_t)luaL_checkinteger(L, 2);
	struct trace_parent p;
	const char *why;
	if (trace_parse_parent(s, len, &p, &why) != 0)
		return fail_nil(L, why);
	trace_id_hex(&state, p.parent_id, 8);
	char out[56];
	trace_format_parent(&p, out);
	lua_pushstring(L, out);
	return 1;
}

static void free_state(void *p)
{
	trace_state_free(p);
}

static void push_state(lua_State *L, const struct trace_state *st)
{
	lua_createtable(L, (int)st->n, 0);
	for (size_t i = 0; i < st->n; i++) {
		lua_createtable(L, 2, 0);
		lua_pushstring(L, st->m[i].key);
		lua_rawseti(L, -2, 1);
		lua_pushstring(L, st->m[i].value);
		lua_rawseti(L, -2, 2);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
}

static int l_state(lua_State *L)
{
	size_t len;
	const char *s = luaL_checklstring(L, 1, &len);
	struct trace_state *st = lab_holder(L, sizeof *st, free_state); /* push holder */
	const char *why;
	if (trace_parse_state(s, len, st, &why) != 0)
		return strcmp(why, "out of memory") == 0 ? lab_fail(L, "lab.trace.state: %s", why)
							  : fail_nil(L, why);
	push_state(L, st);
	return 1;
}

static int l_state_set(lua_State *L)
{
	size_t len;
	const char *s = luaL_checklstring(L, 1, &len);
	const char *key = luaL_checkstring(L, 2), *value = luaL_checkstring(L, 3);
	struct trace_state *st = lab_holder(L, sizeof *st, free_state); /* push holder */
	const char *why;
	if (trace_parse_state(s, len, st, &why) != 0 || trace_state_set(st, key, value, &why) != 0)
		return strcmp(why, "out of memory") == 0 ? lab_fail(L, "lab.trace.state_set: %s", why)
							  : fail_nil(L, why);
	struct sbuf out = SBUF_INIT;
	for (size_t i = 0; i < st->n; i++)
		sbuf_addf(&out, "%s%s=%s", i ? "," : "", st->m[i].key, st->m[i].value);
	lua_pushlstring(L, out.buf ? out.buf : "", out.len);
	sbuf_free(&out);
	return 1;
}

/* ---- spans ---- */

struct span_in {
	const char *id, *parent, *name;
	double start, finish, duration;
	const char *trace_id, *service, *kind, *status;
	int attempt;
	double queued;
};

static const struct lab_opt span_opts[] = {
	{"id", LAB_STR, .required = 1, .help = "the span's id", LAB_INTO(struct span_in, id)},
	{"parent", LAB_STR, .help = "its parent's id; none for a root", LAB_INTO(struct span_in, parent)},
	{"name", LAB_STR, .help = "what it did (default: its id)", LAB_INTO(struct span_in, name)},
	{"start", LAB_NUM, .required = 1, .min = -1e15, .max = 1e15, .help = "ms",
	 LAB_INTO(struct span_in, start)},
	{"finish", LAB_NUM, NAN, .str = "start + duration", .min = -1e15, .max = 1e15, .help = "ms",
	 LAB_INTO(struct span_in, finish)},
	{"duration", LAB_NUM, NAN, .str = "finish - start", .min = 0, .max = 1e15, .help = "ms",
	 LAB_INTO(struct span_in, duration)},
	{"trace_id", LAB_STR, .help = "the trace it belongs to: all the spans' must be equal",
	 LAB_INTO(struct span_in, trace_id)},
	{"service", LAB_STR, .help = "who did the work (kept in rows and path)",
	 LAB_INTO(struct span_in, service)},
	{"kind", LAB_STR, .help = "request, client, server... (kept in rows)",
	 LAB_INTO(struct span_in, kind)},
	{"status", LAB_STR, .help = "ok, error, timeout... (kept in rows; the waterfall shows all "
	 "but ok)", LAB_INTO(struct span_in, status)},
	{"attempt", LAB_INT, -1, .str = "none", .min = -1, .max = 1e9,
	 .help = "0 the first try, k the k-th retry (kept in rows)", LAB_INTO(struct span_in, attempt)},
	{"queued", LAB_NUM, NAN, .str = "none", .min = 0, .max = 1e15,
	 .help = "time it waited in a queue (kept in rows)", LAB_INTO(struct span_in, queued)},
	{NULL},
};

static void free_tree(void *p)
{
	trace_tree_free(p);
}

#define MAX_SPANS 100000

/* Reads the spans at IDX, assembles them (the tree stays in a holder on
 * the stack); *OUT gets the spans and *IN the options read (both inside
 * userdata on the stack).                                          [-0, +3] */
static struct trace_tree *assemble(lua_State *L, int idx, const char *who, struct trace_span **out,
				   const struct span_in **inp, size_t *n)
{
	luaL_checktype(L, idx, LUA_TTABLE);
	lua_createtable(L, 0, 1);
	lua_pushvalue(L, idx);
	lua_setfield(L, -2, "spans");                 /* push {spans = list} */
	struct span_in *in = lab_optlist(L, -1, who, "spans", span_opts, sizeof *in, MAX_SPANS, n, NULL,
					 NULL);               /* push the list read */
	lua_remove(L, -2);                            /* remove the wrapper */
	struct trace_span *s = lab_scratch(L, (*n + 1) * sizeof *s); /* push scratch */
	for (size_t i = 0; i < *n; i++) {
		double fin = in[i].finish;
		if (isnan(fin) && isnan(in[i].duration))
			luaL_error(L, "%s: spans[%d]: give finish or duration", who, (int)i + 1);
		if (isnan(fin))
			fin = in[i].start + in[i].duration;
		s[i] = (struct trace_span){in[i].id, in[i].parent, in[i].name ? in[i].name : in[i].id,
					   in[i].start, fin};
		if (in[i].trace_id && in[0].trace_id && strcmp(in[i].trace_id, in[0].trace_id) != 0)
			luaL_error(L, "%s: spans[%d] is of trace %s, spans[1] of trace %s: assemble "
				   "one trace at a time", who, (int)i + 1, in[i].trace_id, in[0].trace_id);
	}
	struct trace_tree *t = lab_holder(L, sizeof *t, free_tree); /* push holder */
	const char *why;
	if (trace_assemble(s, *n, t, &why) != 0)
		lab_fail(L, "%s: %s", who, why);
	*out = s; /* the list read, the spans and the tree stay on the stack */
	*inp = in;
	return t;
}

/* The optional fields of a span, copied into the row on top. */
static void set_extra(lua_State *L, const struct span_in *x)
{
	if (x->trace_id)
		lab_setstr(L, "trace_id", x->trace_id);
	if (x->service)
		lab_setstr(L, "service", x->service);
	if (x->kind)
		lab_setstr(L, "kind", x->kind);
	if (x->status)
		lab_setstr(L, "status", x->status);
	if (x->attempt >= 0)
		lab_setint(L, "attempt", x->attempt);
	if (!isnan(x->queued))
		lab_setnum(L, "queued", x->queued);
}

static int l_assemble(lua_State *L)
{
	struct trace_span *s;
	const struct span_in *in;
	size_t n;
	lua_settop(L, 1);
	struct trace_tree *t = assemble(L, 1, "lab.trace.assemble", &s, &in, &n);
	lua_createtable(L, 0, 5);
	lab_setint(L, "roots", (lua_Integer)t->nroots);
	lab_setnum(L, "start", t->start);
	lab_setnum(L, "finish", t->finish);
	lua_createtable(L, (int)t->nrows, 0);
	for (size_t r = 0; r < t->nrows; r++) {
		const struct trace_row *row = &t->rows[r];
		const struct trace_span *sp = &s[row->span];
		lua_createtable(L, 0, 10);
		lab_setstr(L, "id", sp->id);
		lab_setstr(L, "name", sp->name);
		if (sp->parent && *sp->parent)
			lab_setstr(L, "parent", sp->parent);
		lab_setint(L, "depth", row->depth);
		lab_setnum(L, "start", sp->start);
		lab_setnum(L, "finish", sp->finish);
		lab_setnum(L, "self", row->self);
		lab_setnum(L, "critical", row->critical);
		if (row->orphan)
			lab_setbool(L, "orphan", 1);
		set_extra(L, &in[row->span]);
		lua_rawseti(L, -2, (lua_Integer)r + 1);
	}
	lua_setfield(L, -2, "rows");
	lua_createtable(L, (int)t->npath, 0);
	for (size_t g = 0; g < t->npath; g++) {
		lua_createtable(L, 0, 4);
		lab_setstr(L, "id", s[t->path[g].span].id);
		lab_setstr(L, "name", s[t->path[g].span].name);
		lab_setnum(L, "from", t->path[g].from);
		lab_setnum(L, "to", t->path[g].to);
		if (in[t->path[g].span].service)
			lab_setstr(L, "service", in[t->path[g].span].service);
		lua_rawseti(L, -2, (lua_Integer)g + 1);
	}
	lua_setfield(L, -2, "path");
	return 1;
}

static const struct lab_opt waterfall_opts[] = {
	{"width", LAB_INT, 50, .min = 10, .max = 400, .help = "columns of the time axis"},
	{"digits", LAB_INT, 6, .min = 1, .max = 17, .help = "significant digits of the durations"},
	{NULL},
};

/* One row's bar: '#' where the span is on the critical path, '=' where it
 * is not, over W cells spanning [t0, t0 + len]. SEG[FIRST[span] ..
 * FIRST[span + 1]) are the indexes of the span's path segments. */
static void bar(struct sbuf *out, const struct trace_tree *t, const struct trace_span *sp, size_t span,
		const size_t *first, const size_t *seg, double t0, double len, int w)
{
	int a = (int)floor((sp->start - t0) / len * w), b = (int)ceil((sp->finish - t0) / len * w);
	if (b <= a)
		b = a + 1;
	if (b > w)
		b = w, a = a < w ? a : w - 1;
	for (int c = 0; c < w; c++) {
		char ch = ' ';
		if (c >= a && c < b) {
			ch = '=';
			double lo = t0 + len * c / w, hi = t0 + len * (c + 1) / w;
			for (size_t k = first[span]; k < first[span + 1]; k++) {
				const struct trace_segment *g = &t->path[seg[k]];
				if (g->to > lo && g->from < hi)
					ch = '#';
			}
		}
		sbuf_addc(out, ch);
	}
}

static int l_waterfall(lua_State *L)
{
	struct trace_span *s;
	const struct span_in *in;
	size_t n;
	lua_settop(L, 2);
	const struct lab_val *o = lab_opts(L, 2, "lab.trace.waterfall", waterfall_opts); /* 3 */
	int w = (int)o[0].i, digits = (int)o[1].i;
	struct trace_tree *t = assemble(L, 1, "lab.trace.waterfall", &s, &in, &n);
	size_t label = 4;
	for (size_t r = 0; r < t->nrows; r++) {
		size_t l = 2 * (size_t)t->rows[r].depth + strlen(s[t->rows[r].span].name);
		label = l > label ? l : label;
	}
	label = label > 40 ? 40 : label;
	double len = t->finish - t->start > 0 ? t->finish - t->start : 1;
	size_t *first = lab_scratch(L, (n + 2 + t->npath) * sizeof *first); /* push scratch */
	size_t *seg = first + n + 2;
	for (size_t g = 0; g < t->npath; g++) /* the segments grouped by span */
		first[t->path[g].span + 2]++;
	for (size_t i = 0; i < n; i++)
		first[i + 2] += first[i + 1];
	for (size_t g = 0; g < t->npath; g++)
		seg[first[t->path[g].span + 1]++] = g;
	struct sbuf out = SBUF_INIT;
	for (size_t r = 0; r < t->nrows; r++) {
		const struct trace_row *row = &t->rows[r];
		const struct trace_span *sp = &s[row->span];
		struct sbuf name = SBUF_INIT;
		sbuf_repeat(&name, "  ", (size_t)row->depth);
		sbuf_adds(&name, sp->name);
		if (name.len > label)
			sbuf_truncate(&name, label);
		sbuf_addf(&out, "%-*s |", (int)label, name.buf);
		sbuf_free(&name);
		bar(&out, t, sp, row->span, first, seg, t->start, len, w);
		sbuf_addf(&out, "| %.*g", digits, sp->finish - sp->start);
		if (in[row->span].status && strcmp(in[row->span].status, "ok") != 0)
			sbuf_addf(&out, " %s", in[row->span].status);
		sbuf_addc(&out, '\n');
	}
	lua_pushlstring(L, out.buf ? out.buf : "", out.len);
	sbuf_free(&out);
	return 1;
}

static const luaL_Reg functions[] = {
	{"parse", l_parse},         {"start", l_start},         {"child", l_child},
	{"state", l_state},         {"state_set", l_state_set}, {"assemble", l_assemble},
	{"waterfall", l_waterfall}, {NULL, NULL},
};

const struct lab_namespace lab_ns_trace = {
	.functions = functions,
	.options = (const struct lab_fnopts[]){{"start", start_opts},
					       {"assemble spans", span_opts},
					       {"waterfall", waterfall_opts},
					       {NULL}},
};
