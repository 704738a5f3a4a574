/*
 * sse_lua.c — lab.sse: the text/event-stream parser and writer (sse.h).
 *
 *   local p = lab.sse.parser()   p:feed(text) -> events   p:finish()
 *   p:last_event_id()  p:retry()
 *   lab.sse.parse(text) -> events, {last_event_id =, retry =, discarded =}
 *   lab.sse.format{event =, data =, id =, retry =} -> text
 */
#include "engine/lab/labkit.h"
#include "engine/concepts/sse/sse.h"

static void free_parser(void *obj)
{
	sse_free(obj);
}

static const struct lab_class parser_class;

struct fctx {
	lua_State *L;
	lua_Integer n;
};

static int on_event(void *ud, const struct sse_event *ev)
{
	struct fctx *c = ud;
	lua_State *L = c->L;
	lua_createtable(L, 0, 4);
	lua_pushlstring(L, ev->type, ev->type_len);
	lua_setfield(L, -2, "type");
	lua_pushlstring(L, ev->data, ev->data_len);
	lua_setfield(L, -2, "data");
	lua_pushlstring(L, ev->id, ev->id_len);
	lua_setfield(L, -2, "id");
	lab_setint(L, "line", (lua_Integer)ev->line);
	lua_rawseti(L, -2, ++c->n);
	return 0;
}

/* Feeds the string at IDX to P, pushing the list of events.        [-0, +1] */
static void feed(lua_State *L, struct sse_parser *p, int idx, const char *who)
{
	size_t n;
	const char *s = luaL_checklstring(L, idx, &n);
	lua_newtable(L);                                      /* push events */
	struct fctx c = {.L = L};
	if (sse_feed(p, s, n, on_event, &c) != 0)
		lab_fail(L, "%s: not enough memory", who);
}

static int l_parser(lua_State *L)
{
	struct sse_parser *p = lab_newobj(L, &parser_class, sizeof *p);  /* push parser */
	sse_init(p);
	return 1;
}

static int m_feed(lua_State *L)
{
	feed(L, lab_self(L, &parser_class), 2, "lab.sse.parser");
	return 1;
}

static int m_finish(lua_State *L)
{
	lua_pushboolean(L, sse_finish(lab_self(L, &parser_class)));
	return 1;
}

static int m_last_event_id(lua_State *L)
{
	struct sse_parser *p = lab_self(L, &parser_class);
	lua_pushlstring(L, p->last.p ? p->last.p : "", p->last.len);
	return 1;
}

static int m_retry(lua_State *L)
{
	struct sse_parser *p = lab_self(L, &parser_class);
	if (p->retry < 0)
		lua_pushnil(L);
	else
		lua_pushinteger(L, (lua_Integer)p->retry);
	return 1;
}

static const luaL_Reg parser_methods[] = {
	{"feed", m_feed}, {"finish", m_finish}, {"last_event_id", m_last_event_id},
	{"retry", m_retry}, {NULL, NULL},
};

static const struct lab_class parser_class = {
	.name = "lab.sse.parser", .methods = parser_methods, .free = free_parser};

static int l_parse(lua_State *L)
{
	luaL_checkstring(L, 1);
	struct sse_parser *p = lab_newobj(L, &parser_class, sizeof *p);  /* push parser */
	sse_init(p);
	int obj = lua_gettop(L);
	feed(L, p, 1, "lab.sse.parse");                                 /* push events */
	lua_createtable(L, 0, 3);                                       /* push state */
	lab_setbool(L, "discarded", sse_finish(p));
	lua_pushlstring(L, p->last.p ? p->last.p : "", p->last.len);
	lua_setfield(L, -2, "last_event_id");
	if (p->retry >= 0)
		lab_setint(L, "retry", (lua_Integer)p->retry);
	(void)obj;
	return 2;
}

static const struct lab_opt format_opts[] = {
	{"event", LAB_STR, .help = "the event type (none: \"message\")"},
	{"data", LAB_STR, .help = "the data; each line becomes a data: line"},
	{"id", LAB_STR, .help = "the event's id (what Last-Event-ID resumes from)"},
	{"retry", LAB_INT, .min = 0, .max = 1e12, .str = "none", .help = "reconnection time, ms"},
	{NULL},
};

static void free_buf(void *b)
{
	sse_buf_free(b);
}

static int l_format(lua_State *L)
{
	const struct lab_val *v = lab_opts(L, 1, "lab.sse.format", format_opts);
	struct sse_buf *b = lab_holder(L, sizeof *b, free_buf);          /* push holder */
	const char *why = NULL;
	int rc = sse_write(b, v[0].set ? v[0].s : NULL, v[0].len, v[1].set ? v[1].s : NULL,
	                   v[1].len, v[2].set ? v[2].s : NULL, v[2].len, v[3].set ? v[3].i : -1,
	                   &why);
	if (rc == -1)
		return luaL_error(L, "lab.sse.format: %s", why);
	if (rc != 0)
		return lab_fail(L, "lab.sse.format: not enough memory");
	lua_pushlstring(L, b->p, b->len);
	return 1;
}

static const luaL_Reg functions[] = {
	{"parser", l_parser}, {"parse", l_parse}, {"format", l_format}, {NULL, NULL},
};

const struct lab_namespace lab_ns_sse = {
	.functions = functions,
	.classes = (const struct lab_class *const[]){&parser_class, NULL},
	.options = (const struct lab_fnopts[]){{"format", format_opts}, {NULL}},
};
