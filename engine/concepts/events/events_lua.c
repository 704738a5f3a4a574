/*
 * events_lua.c — lab.events: the Lua binding of events.h.
 *
 *   local es = lab.events.new()
 *   es:append(stream, expected, {{type =, data =}, ...}) -> version
 *                                          | nil, "conflict", version
 *   es:read(stream [, after]) es:all([after]) es:version(stream)
 *   es:project(fn, init [, stream]) es:snapshot(stream, version, state)
 *   es:load(stream) es:stats()
 */
#include "engine/lab/labkit.h"
#include "engine/concepts/events/events.h"

#include <string.h>

static void free_store(void *obj)
{
	ev_free(obj);
}

static const struct lab_class store_class;

static int l_new(lua_State *L)
{
	struct ev_store *st = lab_newobj(L, &store_class, sizeof *st); /* push store */
	ev_init(st);
	return 1;
}

/* A stream name at IDX: 1 to 255 bytes. */
static const char *check_stream(lua_State *L, int idx, size_t *n)
{
	const char *s = luaL_checklstring(L, idx, n);
	if (*n == 0 || *n > 255)
		luaL_error(L, "lab.events: a stream name is 1 to 255 bytes (got %I)", (lua_Integer)*n);
	return s;
}

/* Reads events[k].NAME (a string, or a number shown as one; data may be
 * absent: "") into KEEP. */
static const char *event_field(lua_State *L, int keep, const char *name, size_t k, size_t *len)
{
	lua_pushstring(L, name);
	lua_rawget(L, -2);
	if (lua_isnil(L, -1) && name[0] == 'd') {
		lua_pop(L, 1);
		lua_pushliteral(L, "");
	}
	if (lua_type(L, -1) == LUA_TNUMBER)
		lua_tostring(L, -1);              /* the copy on the stack becomes a string */
	if (lua_type(L, -1) != LUA_TSTRING)
		luaL_error(L, "lab.events: append: events[%I].%s must be a string, not a %s",
			   (lua_Integer)k + 1, name, luaL_typename(L, -1));
	*len = lua_rawlen(L, -1);
	return lab_keep(L, keep);
}

static int m_append(lua_State *L)
{
	struct ev_store *st = lab_self(L, &store_class);
	size_t nlen;
	const char *name = check_stream(L, 2, &nlen);
	int any = lua_type(L, 3) == LUA_TSTRING && strcmp(lua_tostring(L, 3), "any") == 0;
	lua_Integer expected = 0;
	if (!any) {
		expected = luaL_checkinteger(L, 3);
		luaL_argcheck(L, expected >= 0, 3, "the expected version is 0 or more, or \"any\"");
	}
	luaL_checktype(L, 4, LUA_TTABLE);
	lua_settop(L, 4);
	lua_newtable(L);                                   /* push keep (5) */
	size_t n = lua_rawlen(L, 4);
	luaL_argcheck(L, n >= 1 && n <= 100000, 4, "1 to 100000 events");
	struct ev_new *ev = lab_scratch(L, n * sizeof *ev); /* push (6) */
	for (size_t k = 0; k < n; k++) {
		if (lua_rawgeti(L, 4, (lua_Integer)k + 1) != LUA_TTABLE)
			return luaL_error(L, "lab.events: append: events[%I] must be a table",
					  (lua_Integer)k + 1);
		ev[k].type = event_field(L, 5, "type", k, &ev[k].tlen);
		ev[k].data = event_field(L, 5, "data", k, &ev[k].dlen);
		lua_pop(L, 1);
	}
	uint64_t version;
	int rc = ev_append(st, name, nlen, any, (uint64_t)expected, ev, n, &version);
	if (rc < 0)
		return lab_fail(L, "lab.events: append: not enough memory");
	if (rc == 0) {
		lua_pushnil(L);
		lua_pushliteral(L, "conflict");
		lua_pushinteger(L, (lua_Integer)version);
		return 3;
	}
	lua_pushinteger(L, (lua_Integer)version);
	return 1;
}

/* Pushes the event at global index K as a table. */
static void push_event(lua_State *L, const struct ev_store *st, size_t k)
{
	const struct ev_event *e = &st->e[k];
	const struct ev_stream *s = &st->s[e->stream];
	lua_createtable(L, 0, 5);
	lua_pushlstring(L, s->name, s->nlen);
	lua_setfield(L, -2, "stream");
	lab_setint(L, "version", (lua_Integer)e->version);
	lab_setint(L, "position", (lua_Integer)k + 1);
	lua_pushlstring(L, e->type, e->tlen);
	lua_setfield(L, -2, "type");
	lua_pushlstring(L, e->data, e->dlen);
	lua_setfield(L, -2, "data");
}

static int m_read(lua_State *L)
{
	struct ev_store *st = lab_self(L, &store_class);
	size_t nlen;
	const char *name = check_stream(L, 2, &nlen);
	lua_Integer after = luaL_optinteger(L, 3, 0);
	long si = ev_find(st, name, nlen);
	lua_newtable(L);
	if (si < 0)
		return 1;
	const struct ev_stream *s = &st->s[si];
	lua_Integer out = 0;
	for (size_t v = after < 0 ? 0 : (size_t)after; v < s->n; v++) {
		push_event(L, st, s->pos[v]);
		lua_rawseti(L, -2, ++out);
	}
	return 1;
}

static int m_all(lua_State *L)
{
	struct ev_store *st = lab_self(L, &store_class);
	lua_Integer after = luaL_optinteger(L, 2, 0);
	lua_newtable(L);
	lua_Integer out = 0;
	for (size_t k = after < 0 ? 0 : (size_t)after; k < st->n; k++) {
		push_event(L, st, k);
		lua_rawseti(L, -2, ++out);
	}
	return 1;
}

static int m_version(lua_State *L)
{
	struct ev_store *st = lab_self(L, &store_class);
	size_t nlen;
	const char *name = check_stream(L, 2, &nlen);
	lua_pushinteger(L, (lua_Integer)ev_version(st, name, nlen));
	return 1;
}

/* es:project(fn, init [, stream]): state = fn(state, event) over the
 * events (of one stream, or all) as they were when it was called. */
static int m_project(lua_State *L)
{
	struct ev_store *st = lab_self(L, &store_class);
	luaL_checktype(L, 2, LUA_TFUNCTION);
	lua_settop(L, 4);
	long si = -1;
	size_t upto = st->n;
	if (!lua_isnil(L, 4)) {
		size_t nlen;
		const char *name = check_stream(L, 4, &nlen);
		si = ev_find(st, name, nlen);
		if (si < 0) {
			lua_pushvalue(L, 3);
			return 1;
		}
		upto = st->s[si].n;
	}
	lua_pushvalue(L, 3);                               /* push state */
	for (size_t k = 0; k < upto; k++) {
		size_t g = si < 0 ? k : st->s[si].pos[k];  /* re-read: fn may append */
		lua_pushvalue(L, 2);
		lua_insert(L, -2);                         /* fn, state */
		push_event(L, st, g);
		lua_call(L, 2, 1);                         /* state = fn(state, event) */
		lab_poll(L);
	}
	return 1;
}

static int m_snapshot(lua_State *L)
{
	struct ev_store *st = lab_self(L, &store_class);
	size_t nlen, slen;
	const char *name = check_stream(L, 2, &nlen);
	lua_Integer v = luaL_checkinteger(L, 3);
	const char *state = luaL_checklstring(L, 4, &slen);
	int rc = v < 1 ? 0 : ev_snapshot(st, name, nlen, (uint64_t)v, state, slen);
	if (rc < 0)
		return lab_fail(L, "lab.events: snapshot: not enough memory");
	lua_pushboolean(L, rc);
	return 1;
}

static int m_load(lua_State *L)
{
	struct ev_store *st = lab_self(L, &store_class);
	size_t nlen;
	const char *name = check_stream(L, 2, &nlen);
	long si = ev_find(st, name, nlen);
	if (si < 0 || !st->s[si].snap) {
		lua_pushnil(L);
		lua_pushinteger(L, 0);
		return 2;
	}
	lua_pushlstring(L, st->s[si].snap, st->s[si].slen);
	lua_pushinteger(L, (lua_Integer)st->s[si].snap_version);
	return 2;
}

static int m_stats(lua_State *L)
{
	struct ev_store *st = lab_self(L, &store_class);
	lua_createtable(L, 0, 3);
	lab_setint(L, "events", (lua_Integer)st->n);
	lab_setint(L, "streams", (lua_Integer)st->ns);
	lab_setint(L, "conflicts", (lua_Integer)st->conflicts);
	return 1;
}

static const luaL_Reg methods[] = {
	{"append", m_append}, {"read", m_read}, {"all", m_all}, {"version", m_version},
	{"project", m_project}, {"snapshot", m_snapshot}, {"load", m_load}, {"stats", m_stats},
	{NULL, NULL},
};

static const struct lab_class store_class = {
	.name = "lab.events", .methods = methods, .free = free_store};

static const luaL_Reg functions[] = {{"new", l_new}, {NULL, NULL}};

const struct lab_namespace lab_ns_events = {
	.functions = functions,
	.classes = (const struct lab_class *const[]){&store_class, NULL},
};
