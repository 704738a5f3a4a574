/*
 * http_lua.c — lab.http: the HTTP/1.1 parser and serializer (http1.h) and
 * HPACK (hpack.h).
 *
 *   lab.http.parse_request(bytes) -> msg, used | nil, err, offset
 *   lab.http.parse_response(bytes [, {head, connect, eof}])
 *   lab.http.parser{type = "request"} -> p; p:feed(bytes) p:finish() ...
 *   lab.http.serialize_request(msg) lab.http.serialize_response(msg)
 *   lab.http.dechunk(bytes) lab.http.chunk(body [, size [, trailers]])
 *   lab.http.hpack_decoder{} lab.http.hpack_encoder{} and the helpers
 *
 * Malformed input is data: nil, a message naming the byte offset, and the
 * 0-based offset itself. Wrong argument types raise.
 */
#include "engine/lab/labkit.h"
#include "engine/concepts/http/hpack.h"
#include "engine/concepts/http/http1.h"

#include <stdio.h>
#include <string.h>

/* ---- messages to Lua ---- */

static void push_span(lua_State *L, const char *buf, struct http_span s)
{
	lua_pushlstring(L, buf + s.off, s.len);
}

static void push_fields(lua_State *L, const char *buf, const struct http_field *f, size_t n)
{
	lua_createtable(L, (int)n, 0); /* push list */
	for (size_t i = 0; i < n; i++) {
		lua_createtable(L, 0, 2); /* push {name, value} */
		push_span(L, buf, f[i].name);
		lua_setfield(L, -2, "name");
		push_span(L, buf, f[i].value);
		lua_setfield(L, -2, "value");
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
}

/* Pushes the message M parsed from BUF as a table. */
static void push_msg(lua_State *L, const char *buf, const struct http_msg *m)
{
	lua_createtable(L, 0, 12); /* push msg */
	if (m->type == HTTP_REQUEST) {
		push_span(L, buf, m->method);
		lua_setfield(L, -2, "method");
		push_span(L, buf, m->target);
		lua_setfield(L, -2, "target");
	} else {
		lab_setint(L, "status", m->status);
		push_span(L, buf, m->reason);
		lua_setfield(L, -2, "reason");
	}
	lua_pushfstring(L, "HTTP/%d.%d", m->major, m->minor);
	lua_setfield(L, -2, "version");
	push_fields(L, buf, m->fields, m->nfields);
	lua_setfield(L, -2, "headers");
	lua_pushlstring(L, m->body, m->body_len);
	lua_setfield(L, -2, "body");
	if (m->chunked) {
		push_fields(L, buf, m->trailers, m->ntrailers);
		lua_setfield(L, -2, "trailers");
		lab_setint(L, "chunks", (lua_Integer)m->nchunks);
	}
	lab_setbool(L, "chunked", m->chunked);
	lab_setbool(L, "keep_alive", m->keep_alive);
	lab_setbool(L, "upgrade", m->upgrade);
	lab_setint(L, "length", (lua_Integer)m->len);
}

static int push_error(lua_State *L, const char *what, size_t off, const char *why)
{
	lua_pushnil(L);
	lua_pushfstring(L, "%s at byte offset %I: %s", what, (lua_Integer)off, why);
	lua_pushinteger(L, (lua_Integer)off);
	return 3;
}

/* Returns the results of one parse: msg, used | nil, err, offset. */
static int parse_result(lua_State *L, const char *buf, size_t len, int rc, const struct http_msg *m,
                        const struct http_error *e)
{
	switch (rc) {
	case HTTP_OK:
		push_msg(L, buf, m);
		lua_pushinteger(L, (lua_Integer)m->len);
		return 2;
	case HTTP_INCOMPLETE:
		return push_error(L, "incomplete message", len,
		                  "the input ends inside the message");
	case HTTP_NOMEM:
		return lab_fail(L, "lab.http: not enough memory");
	default:
		return push_error(L, "malformed message", e->off, e->why);
	}
}

static const struct lab_opt resp_opts[] = {
    {"head", LAB_BOOL, .num = 0, .help = "the response answers a HEAD request: no body"},
    {"connect", LAB_BOOL, .num = 0, .help = "the response answers CONNECT"},
    {"eof", LAB_BOOL, .num = 1, .help = "the input is the whole connection"},
    {NULL},
};
enum { R_HEAD, R_CONNECT, R_EOF };

static int parse_one(lua_State *L, enum http_type type)
{
	size_t len;
	const char *buf = luaL_checklstring(L, 1, &len);
	struct http_opts o = {0};
	if (type == HTTP_RESPONSE) {
		const struct lab_val *v = lab_opts(L, 2, "lab.http.parse_response", resp_opts);
		o.head_response = (int)v[R_HEAD].i;
		o.connect_response = (int)v[R_CONNECT].i;
		o.eof = (int)v[R_EOF].i;
	}
	struct http_msg m;
	struct http_error e;
	int rc = http_parse(buf, len, type, &o, &m, &e);
	int n = parse_result(L, buf, len, rc, &m, &e);
	http_msg_free(&m);
	return n;
}

static int l_parse_request(lua_State *L)
{
	return parse_one(L, HTTP_REQUEST);
}

static int l_parse_response(lua_State *L)
{
	return parse_one(L, HTTP_RESPONSE);
}

/* ---- the stream parser: pipelining and keep-alive ---- */

struct stream {
	enum http_type type;
	struct http_buf in; /* bytes not yet parsed */
	size_t base;        /* stream offset of in.p[0] */
	size_t need;        /* don't parse again before in.len reaches this */
	int dead;           /* an error or an upgrade ended HTTP */
	int closed;         /* a message without keep-alive ended the stream */
	char *methods;      /* queued request methods, NUL-separated */
	size_t nmethods, methods_len;
};

static void free_stream(void *obj)
{
	struct stream *s = obj;
	http_buf_free(&s->in);
	budget_free(s->methods);
}

static const struct lab_class stream_class;

static const struct lab_opt parser_opts[] = {
    {"type", LAB_ENUM, .str = "request", .choices = "request response"},
    {NULL},
};

static int l_parser(lua_State *L)
{
	const struct lab_val *v = lab_opts(L, 1, "lab.http.parser", parser_opts);
	struct stream *s = lab_newobj(L, &stream_class, sizeof *s); /* push parser */
	s->type = v[0].choice == 0 ? HTTP_REQUEST : HTTP_RESPONSE;
	return 1;
}

/* The method the next response answers, popped from the queue ("" if none). */
static void pop_method(struct stream *s, char out[16])
{
	out[0] = '\0';
	if (!s->nmethods)
		return;
	size_t n = strlen(s->methods);
	snprintf(out, 16, "%s", s->methods);
	memmove(s->methods, s->methods + n + 1, s->methods_len - n - 1);
	s->methods_len -= n + 1;
	s->nmethods--;
}

/* Parses what it can; pushes the list of messages, or nil, err, offset. */
static int drain(lua_State *L, struct stream *s, int eof)
{
	lua_newtable(L); /* push list */
	lua_Integer k = 0;
	while (!s->dead && !s->closed && s->in.len > 0 && (eof || s->in.len >= s->need)) {
		struct http_opts o = {.eof = eof};
		char method[16] = "";
		if (s->type == HTTP_RESPONSE && s->nmethods) {
			size_t n = strlen(s->methods);
			snprintf(method, sizeof method, "%s", s->methods);
			o.head_response = n == 4 && memcmp(method, "HEAD", 4) == 0;
			o.connect_response = n == 7 && memcmp(method, "CONNECT", 7) == 0;
		}
		struct http_msg m;
		struct http_error e;
		int rc = http_parse(s->in.p, s->in.len, s->type, &o, &m, &e);
		if (rc == HTTP_INCOMPLETE) {
			s->need = m.need;
			http_msg_free(&m);
			break;
		}
		if (rc != HTTP_OK) {
			http_msg_free(&m);
			s->dead = 1;
			if (rc == HTTP_NOMEM)
				return lab_fail(L, "lab.http: not enough memory");
			return push_error(L, "malformed message", s->base + e.off, e.why);
		}
		push_msg(L, s->in.p, &m);
		lab_setint(L, "offset", (lua_Integer)s->base);
		lua_rawseti(L, -2, ++k);
		if (s->type == HTTP_RESPONSE &&
		    !(m.status >= 100 && m.status < 200 && m.status != 101))
			pop_method(s, method);
		if (m.upgrade)
			s->dead = 1; /* the rest is another protocol: rest() returns it */
		else if (!m.keep_alive)
			s->closed = 1;
		memmove(s->in.p, s->in.p + m.len, s->in.len - m.len);
		s->in.len -= m.len;
		s->base += m.len;
		s->need = 0;
		http_msg_free(&m);
	}
	if (s->closed && s->in.len > 0 && !s->dead) {
		s->dead = 1;
		return push_error(L, "data after the end of the connection", s->base,
		                  "the last message did not keep the connection alive");
	}
	return 1;
}

static int m_feed(lua_State *L)
{
	struct stream *s = lab_self(L, &stream_class);
	size_t len;
	const char *b = luaL_checklstring(L, 2, &len);
	if (s->dead)
		return luaL_error(L, "this parser stopped (after an error or an upgrade)");
	if (http_buf_add(&s->in, b, len) != 0)
		return lab_fail(L, "lab.http.parser: not enough memory");
	return drain(L, s, 0);
}

static int m_finish(lua_State *L)
{
	struct stream *s = lab_self(L, &stream_class);
	if (s->dead)
		return luaL_error(L, "this parser stopped (after an error or an upgrade)");
	int n = drain(L, s, 1);
	s->dead = 1;
	return n;
}

static int m_buffered(lua_State *L)
{
	struct stream *s = lab_self(L, &stream_class);
	lua_pushinteger(L, (lua_Integer)s->in.len);
	return 1;
}

static int m_rest(lua_State *L)
{
	struct stream *s = lab_self(L, &stream_class);
	lua_pushlstring(L, s->in.p ? s->in.p : "", s->in.len);
	return 1;
}

static int m_expect(lua_State *L)
{
	struct stream *s = lab_self(L, &stream_class);
	size_t n;
	const char *meth = luaL_checklstring(L, 2, &n);
	luaL_argcheck(L, n > 0 && n < 16, 2, "a method name");
	char *p = budget_realloc(s->methods, s->methods_len + n + 1);
	if (!p)
		return lab_fail(L, "lab.http.parser: not enough memory");
	memcpy(p + s->methods_len, meth, n + 1);
	s->methods = p;
	s->methods_len += n + 1;
	s->nmethods++;
	return 0;
}

static int m_stream_tostring(lua_State *L)
{
	struct stream *s = lab_self(L, &stream_class);
	lua_pushfstring(L, "lab.http.parser(%s, %d bytes buffered%s)",
			s->type == HTTP_REQUEST ? "requests" : "responses", (int)s->in.len,
			s->dead ? ", stopped" : "");
	return 1;
}

static const luaL_Reg stream_meta[] = {
	{"__tostring", m_stream_tostring},
	{NULL, NULL},
};

static const luaL_Reg stream_methods[] = {
    {"feed", m_feed}, {"finish", m_finish}, {"buffered", m_buffered},
    {"rest", m_rest}, {"expect", m_expect}, {NULL, NULL},
};

static const struct lab_class stream_class = {
    .name = "lab.http.parser",
    .methods = stream_methods,
    .metamethods = stream_meta,
    .free = free_stream,
    .uservalues = 0,
};

/* ---- serializing ---- */

/* Reads T[KEY] (raw) as a string into *OUT, anchored in the table at ANCHOR;
 * absent: DEF. Raises for another type. */
static void get_text(lua_State *L, int t, const char *key, int anchor, struct http_text *out,
                     const char *def)
{
	lua_pushstring(L, key);
	lua_rawget(L, t); /* push t[key] */
	if (lua_isnil(L, -1)) {
		lua_pop(L, 1);
		out->p = def;
		out->len = def ? strlen(def) : 0;
		return;
	}
	if (lua_type(L, -1) != LUA_TSTRING)
		luaL_error(L, "field '%s' must be a string", key);
	out->p = lua_tolstring(L, -1, &out->len);
	lua_rawseti(L, anchor, (lua_Integer)lua_rawlen(L, anchor) + 1); /* anchor it */
}

/* Reads a list of fields at T[KEY]: {name = , value = } or {name, value}.
 * The array is a userdata kept in the table at ANCHOR (collected with it),
 * and so are the strings. NULL with *N = 0 if absent. */
static struct http_out_field *get_fields(lua_State *L, int t, const char *key, int anchor,
                                         size_t *n)
{
	*n = 0;
	lua_pushstring(L, key);
	lua_rawget(L, t); /* push list */
	if (lua_isnil(L, -1)) {
		lua_pop(L, 1);
		return NULL;
	}
	if (!lua_istable(L, -1))
		luaL_error(L, "field '%s' must be a list of {name = ..., value = ...}", key);
	int list = lua_gettop(L);
	size_t cnt = lua_rawlen(L, list);
	struct http_out_field *f = lua_newuserdatauv(L, (cnt ? cnt : 1) * sizeof *f, 0);
	lua_rawseti(L, anchor, (lua_Integer)lua_rawlen(L, anchor) + 1); /* anchor array */
	for (size_t i = 0; i < cnt; i++) {
		lua_rawgeti(L, list, (lua_Integer)i + 1); /* push field */
		int fi = lua_gettop(L);
		if (!lua_istable(L, fi))
			luaL_error(L, "%s[%d] must be a table {name = ..., value = ...}", key,
			           (int)i + 1);
		lua_rawgeti(L, fi, 1); /* push [1] */
		int pair = lua_type(L, -1) == LUA_TSTRING;
		lua_pop(L, 1); /* remove it */
		struct http_text *nv[2] = {&f[i].name, &f[i].value};
		for (int k = 0; k < 2; k++) {
			if (pair) {
				lua_rawgeti(L, fi, k + 1); /* push [k+1] */
			} else {
				lua_pushstring(L, k ? "value" : "name");
				lua_rawget(L, fi); /* push .name/.value */
			}
			if (lua_type(L, -1) != LUA_TSTRING)
				luaL_error(L, "%s[%d] needs a string %s", key, (int)i + 1,
				           k ? "value" : "name");
			nv[k]->p = lua_tolstring(L, -1, &nv[k]->len);
			lua_rawseti(L, anchor, (lua_Integer)lua_rawlen(L, anchor) + 1);
		}
		lua_pop(L, 1); /* remove field */
	}
	lua_pop(L, 1); /* remove list */
	*n = cnt;
	return f;
}

static int serialize(lua_State *L, enum http_type type)
{
	luaL_checktype(L, 1, LUA_TTABLE);
	lua_settop(L, 1);
	lua_newtable(L); /* push anchor (index 2) */
	struct http_out o = {.type = type};
	struct http_text ver;
	get_text(L, 1, "version", 2, &ver, "HTTP/1.1");
	if (ver.len == 8 && memcmp(ver.p, "HTTP/1.0", 8) == 0)
		o.minor = 0;
	else if (ver.len == 8 && memcmp(ver.p, "HTTP/1.1", 8) == 0)
		o.minor = 1;
	else
		return luaL_error(L, "version must be \"HTTP/1.1\" or \"HTTP/1.0\"");
	if (type == HTTP_REQUEST) {
		get_text(L, 1, "method", 2, &o.method, "GET");
		get_text(L, 1, "target", 2, &o.target, "/");
	} else {
		lua_pushstring(L, "status");
		lua_rawget(L, 1);
		if (!lua_isinteger(L, -1))
			return luaL_error(L, "status must be an integer");
		o.status = (int)lua_tointeger(L, -1);
		lua_pop(L, 1);
		get_text(L, 1, "reason", 2, &o.reason, "");
	}
	get_text(L, 1, "body", 2, &o.body, "");
	lua_pushstring(L, "chunked");
	lua_rawget(L, 1);
	o.chunked = lua_toboolean(L, -1);
	lua_pop(L, 1);
	lua_pushstring(L, "chunk_size");
	lua_rawget(L, 1);
	lua_Integer cs = lua_isinteger(L, -1) ? lua_tointeger(L, -1) : 0;
	lua_pop(L, 1);
	luaL_argcheck(L, cs >= 0, 1, "chunk_size must not be negative");
	o.chunk_size = (size_t)cs;
	size_t nf, nt;
	struct http_out_field *f = get_fields(L, 1, "headers", 2, &nf);
	struct http_out_field *t = NULL;
	t = get_fields(L, 1, "trailers", 2, &nt);
	o.fields = f, o.nfields = nf, o.trailers = t, o.ntrailers = nt;
	struct http_buf out = {0};
	struct http_error e;
	int rc = http_write(&o, &out, &e);
	if (rc == HTTP_NOMEM) {
		http_buf_free(&out);
		return lab_fail(L, "lab.http: not enough memory");
	}
	if (rc != HTTP_OK) {
		http_buf_free(&out);
		lua_pushnil(L);
		lua_pushstring(L, e.why);
		return 2;
	}
	lua_pushlstring(L, out.p ? out.p : "", out.len);
	http_buf_free(&out);
	return 1;
}

static int l_serialize_request(lua_State *L)
{
	return serialize(L, HTTP_REQUEST);
}

static int l_serialize_response(lua_State *L)
{
	return serialize(L, HTTP_RESPONSE);
}

static int l_dechunk(lua_State *L)
{
	size_t len, used, nchunks;
	const char *buf = luaL_checklstring(L, 1, &len);
	struct http_buf body = {0};
	struct http_msg m;
	memset(&m, 0, sizeof m);
	struct http_error e;
	int rc = http_dechunk(buf, len, &body, &m, &used, &nchunks, &e);
	int n;
	if (rc == HTTP_OK) {
		lua_pushlstring(L, body.p ? body.p : "", body.len);
		lua_pushinteger(L, (lua_Integer)used);
		push_fields(L, buf, m.trailers, m.ntrailers);
		n = 3;
	} else if (rc == HTTP_INCOMPLETE) {
		n = push_error(L, "incomplete chunked body", len, "the input ends inside it");
	} else if (rc == HTTP_ERROR) {
		n = push_error(L, "malformed chunked body", e.off, e.why);
	} else {
		http_buf_free(&body);
		http_msg_free(&m);
		return lab_fail(L, "lab.http: not enough memory");
	}
	http_buf_free(&body);
	http_msg_free(&m);
	return n;
}

static int l_chunk(lua_State *L)
{
	size_t len;
	const char *body = luaL_checklstring(L, 1, &len);
	lua_Integer size = luaL_optinteger(L, 2, 0);
	luaL_argcheck(L, size >= 0, 2, "the chunk size must not be negative");
	lua_settop(L, 3);
	lua_newtable(L);          /* push anchor (index 4) */
	lua_createtable(L, 0, 1); /* push {trailers = arg 3} */
	lua_pushvalue(L, 3);
	lua_setfield(L, -2, "trailers");
	size_t nt;
	struct http_out_field *t = lua_isnil(L, 3) ? NULL : get_fields(L, 5, "trailers", 4, &nt);
	if (!t)
		nt = 0;
	struct http_buf out = {0};
	int rc = http_write_chunked((struct http_text){body, len}, (size_t)size, t, nt, &out);
	if (rc != HTTP_OK) {
		http_buf_free(&out);
		if (rc == HTTP_NOMEM)
			return lab_fail(L, "lab.http: not enough memory");
		return luaL_error(L, "lab.http.chunk: a trailer field is not valid");
	}
	lua_pushlstring(L, out.p, out.len);
	http_buf_free(&out);
	return 1;
}

/* ---- HPACK ---- */

struct lhpack {
	struct hpack_table t;
	int huffman, index;
};

static void free_hpack(void *obj)
{
	hpack_table_free(&((struct lhpack *)obj)->t);
}

static const struct lab_class decoder_class, encoder_class;

static const struct lab_opt dec_opts[] = {
    {"max_size", LAB_INT, .num = 4096, .min = 0, .max = HPACK_MAX_TABLE,
     .help = "SETTINGS_HEADER_TABLE_SIZE: the table's size limit"},
    {NULL},
};

static const struct lab_opt enc_opts[] = {
    {"max_size", LAB_INT, .num = 4096, .min = 0, .max = HPACK_MAX_TABLE},
    {"huffman", LAB_BOOL, .num = 1, .help = "Huffman-code strings unless that is longer"},
    {"index", LAB_BOOL, .num = 1, .help = "add literals to the dynamic table"},
    {NULL},
};

static int l_hpack_decoder(lua_State *L)
{
	const struct lab_val *v = lab_opts(L, 1, "lab.http.hpack_decoder", dec_opts);
	struct lhpack *h = lab_newobj(L, &decoder_class, sizeof *h); /* push decoder */
	hpack_table_init(&h->t, (size_t)v[0].i);
	return 1;
}

static int l_hpack_encoder(lua_State *L)
{
	const struct lab_val *v = lab_opts(L, 1, "lab.http.hpack_encoder", enc_opts);
	struct lhpack *h = lab_newobj(L, &encoder_class, sizeof *h); /* push encoder */
	hpack_table_init(&h->t, (size_t)v[0].i);
	h->huffman = (int)v[1].i;
	h->index = (int)v[2].i;
	return 1;
}

static const char *const rep_names[] = {"indexed", "incremental", "without", "never"};

static int emit_field(void *arg, const struct hpack_field *f)
{
	lua_State *L = arg;
	lua_createtable(L, 0, 3); /* push field */
	lua_pushlstring(L, f->name, f->nlen);
	lua_setfield(L, -2, "name");
	lua_pushlstring(L, f->value, f->vlen);
	lua_setfield(L, -2, "value");
	lab_setstr(L, "rep", rep_names[f->rep]);
	lua_rawseti(L, -2, (lua_Integer)lua_rawlen(L, -2) + 1);
	return 0;
}

static int m_decode(lua_State *L)
{
	struct lhpack *h = lab_self(L, &decoder_class);
	size_t len;
	const char *buf = luaL_checklstring(L, 2, &len);
	lua_newtable(L); /* push list */
	struct hpack_error e;
	int rc = hpack_decode(&h->t, (const uint8_t *)buf, len, emit_field, L, &e);
	if (rc == -2)
		return lab_fail(L, "lab.http.hpack_decoder: not enough memory");
	if (rc != 0)
		return push_error(L, "malformed header block", e.off, e.why);
	return 1;
}

static int m_table(lua_State *L)
{
	struct lhpack *h = lua_touserdata(L, 1) ? lab_testobj(L, 1, &decoder_class) : NULL;
	if (!h)
		h = lab_checkobj(L, 1, &encoder_class);
	lua_createtable(L, (int)h->t.n, 0); /* push list, newest first */
	for (size_t i = 0; i < h->t.n; i++) {
		const struct hpack_entry *en = &h->t.e[h->t.n - 1 - i];
		lua_createtable(L, 0, 3);
		lua_pushlstring(L, en->name, en->nlen);
		lua_setfield(L, -2, "name");
		lua_pushlstring(L, en->value, en->vlen);
		lua_setfield(L, -2, "value");
		lab_setint(L, "size", (lua_Integer)(en->nlen + en->vlen + HPACK_ENTRY_OVERHEAD));
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	return 1;
}

static int m_size(lua_State *L)
{
	struct lhpack *h = lua_touserdata(L, 1) ? lab_testobj(L, 1, &decoder_class) : NULL;
	if (!h)
		h = lab_checkobj(L, 1, &encoder_class);
	lua_pushinteger(L, (lua_Integer)h->t.size);
	lua_pushinteger(L, (lua_Integer)h->t.max_size);
	return 2;
}

static int m_encode(lua_State *L)
{
	struct lhpack *h = lab_self(L, &encoder_class);
	luaL_checktype(L, 2, LUA_TTABLE);
	lua_Integer upd = -1;
	if (lua_istable(L, 3)) {
		lua_pushstring(L, "size_update");
		lua_rawget(L, 3);
		if (!lua_isnil(L, -1))
			upd = luaL_checkinteger(L, -1);
		lua_pop(L, 1);
		luaL_argcheck(L, upd <= (lua_Integer)h->t.limit, 3,
		              "size_update must not exceed the table's max_size");
	}
	lua_settop(L, 2);
	lua_newtable(L);          /* push anchor (3) */
	lua_createtable(L, 0, 1); /* push {headers = arg 2} (4) */
	lua_pushvalue(L, 2);
	lua_setfield(L, -2, "headers");
	size_t n;
	struct http_out_field *of = get_fields(L, 4, "headers", 3, &n);
	struct hpack_field *f = lua_newuserdatauv(L, (n ? n : 1) * sizeof *f, 0); /* push */
	for (size_t i = 0; i < n; i++) {
		f[i].name = of[i].name.p, f[i].nlen = of[i].name.len;
		f[i].value = of[i].value.p, f[i].vlen = of[i].value.len;
		lua_rawgeti(L, 2, (lua_Integer)i + 1); /* push field */
		lua_pushstring(L, "sensitive");
		lua_rawget(L, -2);
		f[i].rep = lua_toboolean(L, -1) ? HPACK_NEVER : HPACK_INDEXED;
		lua_pop(L, 2);
	}
	struct hpack_enc_opts o = {h->huffman, h->index, (int)(upd + 1)};
	struct http_buf out = {0};
	int rc = hpack_encode(&h->t, f, n, &o, &out);
	if (rc != 0) {
		http_buf_free(&out);
		return lab_fail(L, "lab.http.hpack_encoder: not enough memory");
	}
	lua_pushlstring(L, out.p ? out.p : "", out.len);
	http_buf_free(&out);
	return 1;
}

/* d:settings(n): our SETTINGS_HEADER_TABLE_SIZE changed to N (acknowledged):
 * size updates may now go up to N; the table is not resized until the
 * encoder sends one (RFC 7541 section 4.2). */
static int m_settings(lua_State *L)
{
	struct lhpack *h = lab_self(L, &decoder_class);
	lua_Integer n = luaL_checkinteger(L, 2);
	luaL_argcheck(L, n >= 0 && n <= HPACK_MAX_TABLE, 2, "0 to 2^24");
	h->t.limit = (size_t)n;
	return 0;
}

static int m_hpack_tostring(lua_State *L)
{
	struct lhpack *h = lua_touserdata(L, 1) ? lab_testobj(L, 1, &decoder_class) : NULL;
	const char *what = "decoder";
	if (!h) {
		h = lab_checkobj(L, 1, &encoder_class);
		what = "encoder";
	}
	lua_pushfstring(L, "lab.http.hpack_%s(%d entries, %d of %d bytes)", what, (int)h->t.n,
			(int)h->t.size, (int)h->t.max_size);
	return 1;
}

static const luaL_Reg hpack_meta[] = {
	{"__tostring", m_hpack_tostring},
	{NULL, NULL},
};

static const luaL_Reg decoder_methods[] = {
    {"decode", m_decode},     {"table", m_table}, {"size", m_size},
    {"settings", m_settings}, {NULL, NULL},
};

static const luaL_Reg encoder_methods[] = {
    {"encode", m_encode},
    {"table", m_table},
    {"size", m_size},
    {NULL, NULL},
};

static const struct lab_class decoder_class = {
    .name = "lab.http.hpack_decoder",
    .methods = decoder_methods,
    .metamethods = hpack_meta,
    .free = free_hpack,
    .uservalues = 0,
};
static const struct lab_class encoder_class = {
    .name = "lab.http.hpack_encoder",
    .methods = encoder_methods,
    .metamethods = hpack_meta,
    .free = free_hpack,
    .uservalues = 0,
};

static int l_hpack_integer(lua_State *L)
{
	lua_Integer v = luaL_checkinteger(L, 1);
	lua_Integer prefix = luaL_checkinteger(L, 2);
	luaL_argcheck(L, v >= 0 && v <= 0xffffffff, 1, "0 to 2^32 - 1");
	luaL_argcheck(L, prefix >= 1 && prefix <= 8, 2, "a prefix of 1 to 8 bits");
	struct http_buf out = {0};
	if (hpack_int_encode((uint64_t)v, (int)prefix, 0, &out) != 0)
		return lab_fail(L, "lab.http: not enough memory");
	lua_pushlstring(L, out.p, out.len);
	http_buf_free(&out);
	return 1;
}

static int l_hpack_read_integer(lua_State *L)
{
	size_t len, used;
	const char *buf = luaL_checklstring(L, 1, &len);
	lua_Integer prefix = luaL_checkinteger(L, 2);
	luaL_argcheck(L, prefix >= 1 && prefix <= 8, 2, "a prefix of 1 to 8 bits");
	uint64_t v;
	struct hpack_error e;
	if (hpack_int_decode((const uint8_t *)buf, len, (int)prefix, &v, &used, &e) != 0)
		return push_error(L, "malformed integer", e.off, e.why);
	lua_pushinteger(L, (lua_Integer)v);
	lua_pushinteger(L, (lua_Integer)used);
	return 2;
}

static int l_huffman_encode(lua_State *L)
{
	size_t len;
	const char *s = luaL_checklstring(L, 1, &len);
	struct http_buf out = {0};
	if (hpack_huff_encode(s, len, &out) != 0)
		return lab_fail(L, "lab.http: not enough memory");
	lua_pushlstring(L, out.p ? out.p : "", out.len);
	http_buf_free(&out);
	return 1;
}

static int l_huffman_decode(lua_State *L)
{
	size_t len;
	const char *s = luaL_checklstring(L, 1, &len);
	struct http_buf out = {0};
	struct hpack_error e;
	int rc = hpack_huff_decode((const uint8_t *)s, len, &out, &e);
	if (rc == -2) {
		http_buf_free(&out);
		return lab_fail(L, "lab.http: not enough memory");
	}
	if (rc != 0) {
		http_buf_free(&out);
		return push_error(L, "malformed Huffman string", e.off, e.why);
	}
	lua_pushlstring(L, out.p ? out.p : "", out.len);
	http_buf_free(&out);
	return 1;
}

static int l_hpack_static(lua_State *L)
{
	struct hpack_table t;
	hpack_table_init(&t, 0);
	lua_createtable(L, HPACK_STATIC_LEN, 0); /* push list */
	for (int i = 1; i <= HPACK_STATIC_LEN; i++) {
		const struct hpack_entry *en = hpack_lookup(&t, (uint64_t)i);
		lua_createtable(L, 0, 2);
		lab_setstr(L, "name", en->name);
		lab_setstr(L, "value", en->value);
		lua_rawseti(L, -2, i);
	}
	return 1;
}

static int l_header(lua_State *L)
{
	luaL_checktype(L, 1, LUA_TTABLE);
	size_t nlen;
	const char *name = luaL_checklstring(L, 2, &nlen);
	lua_pushstring(L, "headers");
	lua_rawget(L, 1); /* push msg.headers */
	if (!lua_istable(L, -1))
		return luaL_argerror(L, 1, "a message with a headers list");
	int list = lua_gettop(L);
	luaL_Buffer b;
	int found = 0;
	luaL_buffinit(L, &b);
	for (lua_Integer i = 1; i <= (lua_Integer)lua_rawlen(L, list); i++) {
		lua_rawgeti(L, list, i); /* push field */
		if (!lua_istable(L, -1)) {
			lua_pop(L, 1);
			continue;
		}
		lua_pushstring(L, "name");
		lua_rawget(L, -2);
		size_t fl;
		const char *fn = lua_tolstring(L, -1, &fl);
		int match = fn && fl == nlen && strncasecmp(fn, name, nlen) == 0;
		lua_pop(L, 1);
		if (match) {
			lua_pushstring(L, "value");
			lua_rawget(L, -2);
			if (lua_type(L, -1) == LUA_TSTRING) {
				lua_insert(L, -2); /* value under field */
				lua_pop(L, 1);     /* remove field */
				if (found++)
					luaL_addstring(&b, ", ");
				luaL_addvalue(&b);
				continue;
			}
			lua_pop(L, 1);
		}
		lua_pop(L, 1); /* remove field */
	}
	luaL_pushresult(&b);
	if (!found)
		lua_pushnil(L);
	return 1;
}

static const luaL_Reg functions[] = {
    {"parse_request", l_parse_request},
    {"parse_response", l_parse_response},
    {"parser", l_parser},
    {"serialize_request", l_serialize_request},
    {"serialize_response", l_serialize_response},
    {"dechunk", l_dechunk},
    {"chunk", l_chunk},
    {"header", l_header},
    {"hpack_decoder", l_hpack_decoder},
    {"hpack_encoder", l_hpack_encoder},
    {"hpack_integer", l_hpack_integer},
    {"hpack_read_integer", l_hpack_read_integer},
    {"huffman_encode", l_huffman_encode},
    {"huffman_decode", l_huffman_decode},
    {"hpack_static", l_hpack_static},
    {NULL, NULL},
};

const struct lab_namespace lab_ns_http = {
    .functions = functions,
    .classes =
        (const struct lab_class *const[]){&stream_class, &decoder_class, &encoder_class, NULL},
    .options = (const struct lab_fnopts[]){{"parse_response", resp_opts},
                                           {"parser", parser_opts},
                                           {"hpack_decoder", dec_opts},
                                           {"hpack_encoder", enc_opts},
                                           {NULL}},
};
