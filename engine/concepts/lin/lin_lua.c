/*
 * lin_lua.c — lab.lin: the linearizability checker (lin.h) from Lua.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "engine/concepts/lin/lin.h"
#include "engine/concepts/sim/simdraw.h"
#include "engine/lab/labkit.h"

#define SETTINGS "lab.lin settings"

static const char *const status_names[] = {"ok", "fail", "info"};

static void configure(lua_State *L, int width, int utf8)
{
	lua_createtable(L, 0, 2);
	lua_pushinteger(L, width);
	lua_setfield(L, -2, "width");
	lua_pushboolean(L, utf8);
	lua_setfield(L, -2, "utf8");
	lua_setfield(L, LUA_REGISTRYINDEX, SETTINGS);
}

static void settings(lua_State *L, int *width, int *utf8)
{
	*width = 100;
	*utf8 = 1;
	if (lua_getfield(L, LUA_REGISTRYINDEX, SETTINGS) == LUA_TTABLE) {
		if (lua_getfield(L, -1, "width") == LUA_TNUMBER)
			*width = (int)lua_tointeger(L, -1);
		lua_getfield(L, -2, "utf8");
		*utf8 = lua_toboolean(L, -1);
		lua_pop(L, 2);
	}
	lua_pop(L, 1);
	if (*width < 40)
		*width = 40;
	if (*width > 200)
		*width = 200;
}

static void free_history(void *p)
{
	lin_history_free(p);
}

/* Pushes a value of H: nil, an integer for a bare integer token, or a
 * string. */
static void push_value(lua_State *L, const struct lin_history *h, struct lin_str s)
{
	if (!s.set) {
		lua_pushnil(L);
		return;
	}
	const char *b = h->text + s.off;
	if (s.set == 1 && s.len > 0 && s.len < 19) {
		size_t i = b[0] == '-';
		while (i < s.len && b[i] >= '0' && b[i] <= '9')
			i++;
		if (i == s.len && s.len > (size_t)(b[0] == '-')) {
			lua_Integer x = 0; /* the text is not NUL-terminated here */
			for (i = b[0] == '-'; i < s.len; i++)
				x = x * 10 + (b[i] - '0');
			lua_pushinteger(L, b[0] == '-' ? -x : x);
			return;
		}
	}
	lua_pushlstring(L, b, s.len);
}

/* Pushes operation I of H as a table. */
static void push_op(lua_State *L, const struct lin_history *h, size_t i)
{
	const struct lin_op *o = &h->ops[i];
	lua_createtable(L, 0, 8);
	lua_pushinteger(L, o->client);
	lua_setfield(L, -2, "client");
	lab_setstr(L, "f", lin_verbs[o->verb]);
	if (o->key.set) {
		push_value(L, h, o->key);
		lua_setfield(L, -2, "key");
	}
	if (o->f == LIN_CAS) {
		lua_createtable(L, 2, 0);
		push_value(L, h, o->a);
		lua_rawseti(L, -2, 1);
		push_value(L, h, o->b);
		lua_rawseti(L, -2, 2);
		lua_setfield(L, -2, "value");
		if (o->status == LIN_OK)
			lab_setbool(L, "output", o->cas_ok);
	} else if (o->f != LIN_READ) {
		push_value(L, h, o->a);
		lua_setfield(L, -2, "value");
	} else if (o->status == LIN_OK) {
		push_value(L, h, o->out);
		lua_setfield(L, -2, "output");
	}
	lab_setstr(L, "status", status_names[o->status]);
	lab_setnum(L, "invoke", o->invoke);
	if (o->status != LIN_INFO)
		lab_setnum(L, "complete", o->complete);
}

/* lab.lin.parse_jepsen(text) -> history */
static int l_parse_jepsen(lua_State *L)
{
	size_t len;
	const char *text = luaL_checklstring(L, 1, &len);
	struct lin_history *h = lab_holder(L, sizeof *h, free_history);
	const char *err;
	long bad = lin_parse_jepsen(text, len, h, &err);
	if (bad < 0)
		return lab_fail(L, "lab.lin.parse_jepsen: not enough memory");
	if (bad > 0)
		return luaL_error(L, "lab.lin.parse_jepsen: line %d: %s", (int)bad, err);
	lua_createtable(L, (int)(h->n < 1000000 ? h->n : 0), 0);
	for (size_t i = 0; i < h->n; i++) {
		push_op(L, h, i);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	return 1;
}

/* ---- reading a history ---- */

/* The text of the value on top of the stack (popped) into H: nil, a
 * string, a number (integral values as integers: 3.0 is "3"), a boolean. */
static struct lin_str value_text(lua_State *L, struct lin_history *h, const char *what, size_t i)
{
	struct lin_str s = {0, 0, 0};
	char buf[64];
	switch (lua_type(L, -1)) {
	case LUA_TNIL:
		break;
	case LUA_TSTRING: {
		size_t n;
		const char *p = lua_tolstring(L, -1, &n);
		s = lin_text(h, p, n);
		s.set = s.set ? 2 : 0;
		break;
	}
	case LUA_TNUMBER: {
		double d = lua_tonumber(L, -1);
		int n;
		if (lua_isinteger(L, -1))
			n = snprintf(buf, sizeof buf, "%lld", (long long)lua_tointeger(L, -1));
		else if (isfinite(d) && d == floor(d) && fabs(d) < 9e15)
			n = snprintf(buf, sizeof buf, "%.0f", d);
		else
			n = snprintf(buf, sizeof buf, "%.17g", d);
		s = lin_text(h, buf, (size_t)n);
		break;
	}
	case LUA_TBOOLEAN:
		s = lin_text(h, lua_toboolean(L, -1) ? "true" : "false",
			     lua_toboolean(L, -1) ? 4 : 5);
		break;
	default:
		luaL_error(L, "lab.lin.check: history[%d].%s must be a string, a number, a boolean "
			   "or nil, not a %s",
			   (int)i, what, luaL_typename(L, -1));
	}
	lua_pop(L, 1);
	return s;
}

static const char *const models[] = {"register", "cas_register", "kv", "kv_append", NULL};

static int verb_index(const char *f)
{
	for (int v = 0; lin_verbs[v]; v++)
		if (strcmp(lin_verbs[v], f) == 0)
			return v;
	return -1;
}

/* A finite number field of the table at T, or raise. */
static double time_field(lua_State *L, int t, const char *name, size_t i)
{
	if (lab_optpush(L, t, name) != LUA_TNUMBER || !isfinite(lua_tonumber(L, -1)))
		luaL_error(L, "lab.lin.check: history[%d].%s must be a finite number (a time)",
			   (int)i, name);
	double x = lua_tonumber(L, -1);
	lua_pop(L, 1);
	return x;
}

/* Reads element I (1-based) of the history at IDX into H for MODEL. Every
 * read is raw: no metamethod of the learner's tables runs. */
static void read_op(lua_State *L, int idx, size_t i, enum lin_model model, struct lin_history *h)
{
	struct lin_op o;
	memset(&o, 0, sizeof o);
	int top = lua_gettop(L);
	if (lua_rawgeti(L, idx, (lua_Integer)i) != LUA_TTABLE)
		luaL_error(L, "lab.lin.check: history[%d] must be a table, not a %s", (int)i,
			   luaL_typename(L, -1));
	int e = lua_gettop(L), src = e;
	const char *outname = "output";
	/* a lab.sim history keeps f, key and value in .op, the output in .result */
	if (lab_optpush(L, e, "op") == LUA_TTABLE) {
		src = lua_gettop(L);
		outname = "result";
	}
	if (lab_optpush(L, src, "f") != LUA_TSTRING)
		luaL_error(L, "lab.lin.check: history[%d].f must be a string (read, write, cas, "
			   "append, get or put)", (int)i);
	o.verb = verb_index(lua_tostring(L, -1));
	if (o.verb < 0)
		luaL_error(L, "lab.lin.check: history[%d].f is '%s': expected read, write, cas, "
			   "append, get or put", (int)i, lua_tostring(L, -1));
	lua_pop(L, 1);
	o.f = lin_verb_f[o.verb];
	if ((o.f == LIN_CAS && (model == LIN_REGISTER || model == LIN_KV_APPEND)) ||
	    (o.f == LIN_APPEND && model != LIN_KV_APPEND))
		luaL_error(L, "lab.lin.check: history[%d] is %s %s, which model '%s' has not", (int)i,
			   o.f == LIN_CAS ? "a" : "an", lin_verbs[o.verb], models[model]);
	if (lab_optpush(L, e, "client") == LUA_TNUMBER)
		o.client = (long long)lua_tonumber(L, -1);
	lua_pop(L, 1);
	if (model == LIN_KV || model == LIN_KV_APPEND) {
		lab_optpush(L, src, "key");
		if (lua_isnil(L, -1))
			luaL_error(L, "lab.lin.check: history[%d] has no key (model '%s' is a map)",
				   (int)i, models[model]);
		o.key = value_text(L, h, "key", i);
	}
	o.status = LIN_OK;
	if (lab_optpush(L, e, "status") == LUA_TSTRING) {
		const char *st = lua_tostring(L, -1);
		if (strcmp(st, "ok") == 0)
			o.status = LIN_OK;
		else if (strcmp(st, "fail") == 0)
			o.status = LIN_FAIL;
		else if (strcmp(st, "info") == 0 || strcmp(st, "pending") == 0)
			o.status = LIN_INFO;
		else
			luaL_error(L, "lab.lin.check: history[%d].status is '%s': expected ok, fail "
				   "or info", (int)i, st);
	} else if (!lua_isnil(L, -1)) {
		luaL_error(L, "lab.lin.check: history[%d].status must be a string", (int)i);
	}
	lua_pop(L, 1);
	lab_optpush(L, src, "value");
	if (o.f == LIN_CAS) {
		if (!lua_istable(L, -1))
			luaL_error(L, "lab.lin.check: history[%d] is a cas: its value must be {old, new}",
				   (int)i);
		lua_rawgeti(L, -1, 1);
		o.a = value_text(L, h, "value[1]", i);
		lua_rawgeti(L, -1, 2);
		o.b = value_text(L, h, "value[2]", i);
		lua_pop(L, 1);
	} else if (o.f != LIN_READ) {
		o.a = value_text(L, h, "value", i);
	} else {
		lua_pop(L, 1);
	}
	if (o.status == LIN_OK) {
		lab_optpush(L, e, outname);
		if (o.f == LIN_READ) {
			o.out = value_text(L, h, outname, i);
		} else if (o.f == LIN_CAS) {
			if (!lua_isboolean(L, -1))
				luaL_error(L, "lab.lin.check: history[%d] is a cas that completed: its %s "
					   "must be true (it swapped) or false (it found another value)",
					   (int)i, outname);
			o.cas_ok = lua_toboolean(L, -1);
			lua_pop(L, 1);
		} else {
			lua_pop(L, 1);
		}
	}
	o.invoke = time_field(L, e, "invoke", i);
	o.complete = INFINITY;
	if (o.status != LIN_INFO) {
		o.complete = time_field(L, e, "complete", i);
		if (o.complete < o.invoke)
			luaL_error(L, "lab.lin.check: history[%d] completes (%f) before it is invoked (%f)",
				   (int)i, o.complete, o.invoke);
	}
	if (lin_history_add(h, &o) != 0)
		lab_fail(L, "lab.lin.check: not enough memory");
	lua_settop(L, top);
}

static const struct lab_opt check_opts[] = {
	{"model", LAB_ENUM, .str = "register", .choices = "register cas_register kv kv_append",
	 .help = "the sequential object the history ran against"},
	{"history", LAB_TABLE, .required = 1,
	 .help = "operations: {f =, key =, value =, output =, status =, invoke =, complete =}, "
		 "or a lab.sim history"},
	{NULL},
};

/* "c2 read x -> 1" into SB for operation I of H. */
static void describe(struct sbuf *sb, const struct lin_history *h, size_t i, int with_client)
{
	const struct lin_op *o = &h->ops[i];
	if (with_client)
		sbuf_addf(sb, "c%lld ", o->client);
	sbuf_adds(sb, lin_verbs[o->verb]);
	struct lin_str parts[3] = {o->key, o->a, o->b};
	int n = o->f == LIN_CAS ? 3 : o->f == LIN_READ ? 1 : 2;
	for (int k = 0; k < n; k++) {
		struct lin_str s = parts[k];
		if (k == 0 && !s.set)
			continue;
		if (s.set)
			sbuf_addf(sb, " %.*s", (int)(s.len > 40 ? 40 : s.len), h->text + s.off);
		else
			sbuf_adds(sb, " nil");
	}
	if (o->status == LIN_INFO)
		sbuf_adds(sb, " ?");
	else if (o->f == LIN_READ)
		sbuf_addf(sb, " -> %.*s", o->out.set ? (int)(o->out.len > 40 ? 40 : o->out.len) : 3,
			  o->out.set ? h->text + o->out.off : "nil");
	else if (o->f == LIN_CAS)
		sbuf_adds(sb, o->cas_ok ? " -> true" : " -> false");
}

static void add_op_line(struct sbuf *sb, const struct lin_history *h, size_t i)
{
	const struct lin_op *o = &h->ops[i];
	sbuf_addf(sb, "  #%zu ", i + 1);
	describe(sb, h, i, 1);
	if (o->status == LIN_INFO)
		sbuf_addf(sb, "   invoked %g, outcome unknown\n", o->invoke);
	else
		sbuf_addf(sb, "   %g to %g\n", o->invoke, o->complete);
}

/* Pushes the explanation of R as a table. */
static void push_explanation(lua_State *L, struct lin_history *h, const struct lin_result *r,
			     enum lin_model model)
{
	lua_createtable(L, 0, 6);
	struct sbuf sb = SBUF_INIT;
	sbuf_adds(&sb, "not linearizable");
	if (r->key_op >= 0) {
		struct lin_str k = h->ops[r->key_op].key;
		sbuf_addf(&sb, " (key %.*s)", (int)k.len, h->text + k.off);
		push_value(L, h, k);
		lua_setfield(L, -2, "key");
	}
	if (r->order_n == 0)
		sbuf_adds(&sb, ": no operation can take effect first.\n");
	else
		sbuf_addf(&sb, ": the longest legal order found places %zu operation%s:\n",
			  r->order_n, r->order_n == 1 ? "" : "s");
	lua_createtable(L, (int)r->order_n, 0);
	for (size_t i = 0; i < r->order_n; i++) {
		add_op_line(&sb, h, r->order[i]);
		lua_pushinteger(L, (lua_Integer)r->order[i] + 1);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	lua_setfield(L, -2, "order");
	lua_pushinteger(L, r->stuck + 1);
	lua_setfield(L, -2, "op");
	push_value(L, h, r->state);
	lua_setfield(L, -2, "state");
	const char *what = model == LIN_KV || model == LIN_KV_APPEND ? "the key" : "the register";
	sbuf_addf(&sb, "then %s holds %.*s, and this operation must take effect before it "
		  "completes, but cannot:\n",
		  what, r->state.set ? (int)r->state.len : 3,
		  r->state.set ? h->text + r->state.off : "nil");
	add_op_line(&sb, h, (size_t)r->stuck);
	/* the operations drawn: the order, then the one that cannot be placed */
	size_t n = r->order_n + 1;
	struct simdraw_op *ops = lab_scratch(L, n * sizeof *ops);
	struct sbuf *labels = lab_scratch(L, n * sizeof *labels);
	for (size_t i = 0; i < n; i++) {
		size_t k = i < r->order_n ? r->order[i] : (size_t)r->stuck;
		const struct lin_op *o = &h->ops[k];
		sbuf_addf(&labels[i], "#%zu ", k + 1);
		describe(&labels[i], h, k, 0);
		ops[i] = (struct simdraw_op){(uint32_t)(o->client < 0 ? 0 : o->client), o->invoke,
					     o->status == LIN_INFO ? -1 : o->complete,
					     sbuf_str(&labels[i]), o->status == LIN_INFO};
	}
	int width, utf8;
	settings(L, &width, &utf8);
	struct sbuf draw = SBUF_INIT;
	if (simdraw_history(&draw, ops, n, width, utf8) == 0)
		sbuf_addf(&sb, "\n%s", sbuf_str(&draw));
	sbuf_free(&draw);
	for (size_t i = 0; i < n; i++)
		sbuf_free(&labels[i]);
	lua_pop(L, 2); /* the scratch */
	lua_pushlstring(L, sb.buf ? sb.buf : "", sb.len);
	lua_setfield(L, -2, "text");
	sbuf_free(&sb);
}

/* lab.lin.check{model =, history =} -> true, stats | false, explanation */
static int l_check(lua_State *L)
{
	const struct lab_val *v = lab_opts(L, 1, "lab.lin.check", check_opts);
	enum lin_model model = (enum lin_model)v[0].choice;
	lab_optpush(L, 1, "history");
	int hi = lua_gettop(L);
	size_t n = lua_rawlen(L, hi);
	struct lin_history *h = lab_holder(L, sizeof *h, free_history);
	for (size_t i = 1; i <= n; i++)
		read_op(L, hi, i, model, h);
	struct lin_result r;
	if (lin_check(h, model, &r) != 0) {
		lin_result_free(&r);
		return lab_fail(L, "lab.lin.check: not enough memory");
	}
	if (r.linearizable == 1) {
		lua_pushboolean(L, 1);
		lua_createtable(L, 0, 3);
		lab_setint(L, "operations", (lua_Integer)n);
		lab_setint(L, "keys", (lua_Integer)r.keys);
		lab_setint(L, "explored", (lua_Integer)r.explored);
		lin_result_free(&r);
		return 2;
	}
	lua_pushboolean(L, 0);
	push_explanation(L, h, &r, model);
	lab_setint(L, "explored", (lua_Integer)r.explored);
	lin_result_free(&r);
	return 2;
}

static const luaL_Reg functions[] = {
	{"parse_jepsen", l_parse_jepsen},
	{"check", l_check},
	{NULL, NULL},
};

const struct lab_namespace lab_ns_lin = {
	.functions = functions,
	.options = (const struct lab_fnopts[]){{"check", check_opts}, {NULL}},
	.configure = configure,
};
