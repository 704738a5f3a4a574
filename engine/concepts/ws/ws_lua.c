/*
 * ws_lua.c — lab.ws: the WebSocket handshake key, frame codec and reader
 * (ws.h).
 *
 *   lab.ws.accept(key) -> Sec-WebSocket-Accept
 *   lab.ws.encode{opcode =, payload =, fin =, mask =, rsv =, code =, reason =}
 *   lab.ws.decode(bytes) -> frame | nil, err
 *   lab.ws.mask(data, key [, offset])   lab.ws.close_ok(code)
 *   local r = lab.ws.reader{role = "server"}   r:feed(bytes) -> events | nil, err, offset, code
 */
#include "engine/lab/labkit.h"
#include "engine/concepts/ws/ws.h"

#include <string.h>

static const char *const op_names[16] = {
	"continuation", "text", "binary", NULL, NULL, NULL, NULL, NULL,
	"close", "ping", "pong", NULL, NULL, NULL, NULL, NULL,
};

static int l_accept(lua_State *L)
{
	size_t n;
	const char *key = luaL_checklstring(L, 1, &n);
	char out[29];
	ws_accept(key, n, out);
	lua_pushstring(L, out);
	return 1;
}

static const struct lab_opt encode_opts[] = {
	{"opcode", LAB_ANY, .str = "text", .help = "text binary close ping pong continuation, or 0-15"},
	{"payload", LAB_STR, .str = "", .help = "the application data (unmasked)"},
	{"fin", LAB_BOOL, .num = 1, .help = "the last frame of its message"},
	{"mask", LAB_STR, .help = "a 4-byte masking key (clients must mask, 5.3)"},
	{"rsv", LAB_INT, .num = 0, .min = 0, .max = 7, .help = "RSV1-3 as a number (extensions)"},
	{"code", LAB_INT, .min = 0, .max = 65535, .str = "none",
	 .help = "close: the status code, written before the payload"},
	{NULL},
};

static int opcode_of(lua_State *L, int idx)
{
	if (lua_type(L, idx) == LUA_TNUMBER) {
		int ok;
		lua_Integer v = lua_tointegerx(L, idx, &ok);
		if (!ok || v < 0 || v > 15)
			luaL_error(L, "lab.ws.encode: option 'opcode' must be a name or 0-15");
		return (int)v;
	}
	static const int codes[] = {WS_CONT, WS_TEXT, WS_BINARY, WS_CLOSE, WS_PING, WS_PONG};
	return codes[lab_choice(L, idx, "lab.ws.encode", "opcode",
	                        "continuation text binary close ping pong")];
}

static void free_buf(void *p)
{
	ws_buf_free(p);
}

static int l_encode(lua_State *L)
{
	const struct lab_val *v = lab_opts(L, 1, "lab.ws.encode", encode_opts);
	struct ws_frame f = {.fin = (int)v[2].i, .rsv = (int)v[4].i};
	if (v[0].set) {
		lab_optpush(L, 1, "opcode");
		f.opcode = opcode_of(L, lua_gettop(L));
		lua_pop(L, 1);
	} else {
		f.opcode = WS_TEXT;
	}
	if (v[3].set) {
		if (v[3].len != 4)
			return luaL_error(L, "lab.ws.encode: option 'mask' must be 4 bytes, not %d",
			                  (int)v[3].len);
		f.masked = 1;
		memcpy(f.key, v[3].s, 4);
	}
	const char *payload = v[1].s;
	size_t n = v[1].len;
	struct ws_buf *pl = lab_holder(L, sizeof *pl, free_buf);      /* push holder */
	if (v[5].set) {
		unsigned char c[2] = {(unsigned char)(v[5].i >> 8), (unsigned char)v[5].i};
		if (ws_buf_add(pl, c, 2) != 0 || ws_buf_add(pl, payload, n) != 0)
			return lab_fail(L, "lab.ws.encode: not enough memory");
		payload = (const char *)pl->p;
		n = pl->len;
	}
	struct ws_buf *out = lab_holder(L, sizeof *out, free_buf);    /* push holder */
	if (ws_write_frame(out, &f, payload, n) != 0)
		return lab_fail(L, "lab.ws.encode: not enough memory");
	lua_pushlstring(L, (const char *)out->p, out->len);
	return 1;
}

static int l_decode(lua_State *L)
{
	size_t n;
	const unsigned char *p = (const unsigned char *)luaL_checklstring(L, 1, &n);
	struct ws_frame f;
	const char *why = NULL;
	int h = ws_parse_header(p, n, &f, &why);
	if (h < 0) {
		lua_pushnil(L);
		lua_pushstring(L, why);
		return 2;
	}
	if (h == 0 || f.len > n - (size_t)h) {
		lua_pushnil(L);
		if (h == 0)
			lua_pushfstring(L, "incomplete frame: the header is not all there (%d bytes)",
			                (int)n);
		else
			lua_pushfstring(L, "incomplete frame: %I payload bytes of %I", (lua_Integer)(n - h),
			                (lua_Integer)f.len);
		return 2;
	}
	lua_createtable(L, 0, 10);
	lab_setbool(L, "fin", f.fin);
	lab_setint(L, "rsv", f.rsv);
	lab_setint(L, "opcode", f.opcode);
	if (op_names[f.opcode])
		lab_setstr(L, "type", op_names[f.opcode]);
	lab_setbool(L, "masked", f.masked);
	if (f.masked) {
		lua_pushlstring(L, (const char *)f.key, 4);
		lua_setfield(L, -2, "mask");
	}
	lab_setint(L, "length", (lua_Integer)f.len);
	lab_setint(L, "header", (lua_Integer)h);
	lab_setint(L, "size", (lua_Integer)(h + (size_t)f.len));
	luaL_Buffer b;
	unsigned char *q = (unsigned char *)luaL_buffinitsize(L, &b, (size_t)f.len);
	memcpy(q, p + h, (size_t)f.len);
	if (f.masked)
		ws_mask(q, (size_t)f.len, f.key, 0);
	luaL_pushresultsize(&b, (size_t)f.len);
	lua_setfield(L, -2, "payload");
	return 1;
}

static int l_mask(lua_State *L)
{
	size_t n, k;
	const char *data = luaL_checklstring(L, 1, &n);
	const char *key = luaL_checklstring(L, 2, &k);
	lua_Integer off = luaL_optinteger(L, 3, 0);
	if (k != 4)
		return luaL_error(L, "lab.ws.mask: the key must be 4 bytes, not %d", (int)k);
	if (off < 0)
		return luaL_error(L, "lab.ws.mask: the offset must be 0 or more");
	luaL_Buffer b;
	unsigned char *q = (unsigned char *)luaL_buffinitsize(L, &b, n);
	memcpy(q, data, n);
	ws_mask(q, n, (const unsigned char *)key, (uint64_t)off);
	luaL_pushresultsize(&b, n);
	return 1;
}

static int l_close_ok(lua_State *L)
{
	lua_Integer c = luaL_checkinteger(L, 1);
	lua_pushboolean(L, c >= 0 && c <= 65535 && ws_close_code_ok((int)c));
	return 1;
}

/* ---- the reader ---- */

static const struct lab_opt reader_opts[] = {
	{"role", LAB_ENUM, .str = "server", .choices = "server client",
	 .help = "server: reads a client's frames, which must be masked; client: the reverse"},
	{"max_message", LAB_INT, .num = 16777216, .min = 1, .max = 1e12,
	 .help = "bytes a message may take; more fails the connection with 1009"},
	{NULL},
};

static void free_reader(void *obj)
{
	ws_reader_free(obj);
}

static const struct lab_class reader_class;

static int l_reader(lua_State *L)
{
	const struct lab_val *v = lab_opts(L, 1, "lab.ws.reader", reader_opts);
	struct ws_reader *r = lab_newobj(L, &reader_class, sizeof *r);   /* push reader */
	ws_reader_init(r, v[0].choice ? WS_CLIENT : WS_SERVER, (uint64_t)v[1].i);
	return 1;
}

struct fctx {
	lua_State *L;
	lua_Integer n;
};

static int on_event(void *ud, const struct ws_event *ev)
{
	struct fctx *c = ud;
	lua_State *L = c->L;
	lua_createtable(L, 0, 6);
	lab_setstr(L, "type", op_names[ev->opcode]);
	if (ev->opcode == WS_CLOSE) {
		lab_setint(L, "code", ev->code);
		lua_pushlstring(L, (const char *)ev->data, ev->len);
		lua_setfield(L, -2, "reason");
	} else {
		lua_pushlstring(L, (const char *)ev->data, ev->len);
		lua_setfield(L, -2, "data");
	}
	lab_setint(L, "frames", (lua_Integer)ev->frames);
	lab_setint(L, "offset", (lua_Integer)ev->offset);
	lua_rawseti(L, -2, ++c->n);
	return 0;
}

static int m_feed(lua_State *L)
{
	struct ws_reader *r = lab_self(L, &reader_class);
	size_t n;
	const char *p = luaL_checklstring(L, 2, &n);
	lua_newtable(L);                                     /* push events */
	struct fctx c = {.L = L};
	int rc = ws_reader_feed(r, p, n, on_event, &c);
	if (rc == -2)
		return lab_fail(L, "lab.ws.reader: not enough memory");
	if (rc == -1) {
		lua_pushnil(L);
		lua_pushfstring(L, "byte offset %I: %s (close with %d)", (lua_Integer)r->fail_offset,
		                r->why, r->fail_code);
		lua_pushinteger(L, (lua_Integer)r->fail_offset);
		lua_pushinteger(L, r->fail_code);
		return 4;
	}
	return 1;
}

static int m_buffered(lua_State *L)
{
	struct ws_reader *r = lab_self(L, &reader_class);
	lua_pushinteger(L, (lua_Integer)r->in.len);
	return 1;
}

static const luaL_Reg reader_methods[] = {
	{"feed", m_feed}, {"buffered", m_buffered}, {NULL, NULL},
};

static const struct lab_class reader_class = {
	.name = "lab.ws.reader", .methods = reader_methods, .free = free_reader};

static const luaL_Reg functions[] = {
	{"accept", l_accept}, {"encode", l_encode}, {"decode", l_decode},
	{"mask", l_mask},     {"close_ok", l_close_ok}, {"reader", l_reader},
	{NULL, NULL},
};

const struct lab_namespace lab_ns_ws = {
	.functions = functions,
	.classes = (const struct lab_class *const[]){&reader_class, NULL},
	.options = (const struct lab_fnopts[]){{"encode", encode_opts}, {"reader", reader_opts}, {NULL}},
};
