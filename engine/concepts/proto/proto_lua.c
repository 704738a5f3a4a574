/*
 * proto_lua.c — lab.proto: the protobuf wire format, driven by a schema
 * given as a Lua table (proto.h has the wire primitives).
 *
 *   local s = lab.proto.schema{Person = {{1, "name", "string"},
 *                                        {2, "id", "int32"},
 *                                        {4, "tags", "string", "repeated"}}}
 *   s:encode("Person", {name = "Ada", id = 150}) -> bytes
 *   s:decode("Person", bytes) -> table | nil, err, offset
 *   lab.proto.fields(bytes)    the records, no schema needed
 *   lab.proto.varint(n) lab.proto.read_varint(bytes [, pos])
 *   lab.proto.zigzag(n [, bits]) lab.proto.unzigzag(z)
 *
 * Fields are written in field-number order, then the unknown fields a
 * decode kept (t._unknown, the records' bytes as read).
 */
#include "engine/lab/labkit.h"
#include "engine/base/utf8.h"
#include "engine/concepts/proto/proto.h"

#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 100 /* nesting of messages, as protobuf's default limit */
#define UNKNOWN "_unknown"

enum ptype {
	T_INT32, T_INT64, T_UINT32, T_UINT64, T_SINT32, T_SINT64, T_BOOL, T_ENUM,
	T_FIXED32, T_FIXED64, T_SFIXED32, T_SFIXED64, T_FLOAT, T_DOUBLE,
	T_STRING, T_BYTES, T_MESSAGE,
};

static const char *const type_names[] = {
	"int32", "int64", "uint32", "uint64", "sint32", "sint64", "bool", "enum",
	"fixed32", "fixed64", "sfixed32", "sfixed64", "float", "double",
	"string", "bytes", NULL,
};

static const char *const wire_names[] = {"VARINT", "I64", "LEN", "SGROUP", "EGROUP", "I32"};

static enum proto_wire wire_of(int t)
{
	switch (t) {
	case T_FIXED32: case T_SFIXED32: case T_FLOAT: return PROTO_I32;
	case T_FIXED64: case T_SFIXED64: case T_DOUBLE: return PROTO_I64;
	case T_STRING: case T_BYTES: case T_MESSAGE: return PROTO_LEN;
	default: return PROTO_VARINT;
	}
}

struct pfield {
	uint32_t number;
	char *name;
	int type;
	int msg;      /* T_MESSAGE: index of its message type */
	int repeated;
	int packed;   /* repeated scalars of a numeric type: one LEN record */
};

struct pmsg {
	char *name;
	struct pfield *f; /* sorted by number */
	size_t n;
};

struct enc;

struct pschema {
	struct pmsg *m;  /* sorted by name */
	size_t n;
	struct enc *enc; /* encode's buffers, kept from call to call; NULL at first */
};

static void free_enc(void *obj);

static void free_schema(void *obj)
{
	struct pschema *s = obj;
	if (s->enc) {
		free_enc(s->enc);
		budget_free(s->enc);
		s->enc = NULL;
	}
	for (size_t i = 0; i < s->n; i++) {
		for (size_t k = 0; k < s->m[i].n; k++)
			budget_free(s->m[i].f[k].name);
		budget_free(s->m[i].f);
		budget_free(s->m[i].name);
	}
	budget_free(s->m);
	s->m = NULL;
	s->n = 0;
}

static const struct lab_class schema_class;

/* ---- the schema ---- */

static int name_cmp(const void *a, const void *b)
{
	return strcmp(((const struct pmsg *)a)->name, ((const struct pmsg *)b)->name);
}

static int num_cmp(const void *a, const void *b)
{
	const struct pfield *x = a, *y = b;
	return (x->number > y->number) - (x->number < y->number);
}

static int find_msg(const struct pschema *s, const char *name)
{
	size_t lo = 0, hi = s->n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(s->m[mid].name, name);
		if (c == 0)
			return (int)mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

static const struct pfield *find_field(const struct pmsg *m, uint32_t number)
{
	size_t lo = 0, hi = m->n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (m->f[mid].number == number)
			return &m->f[mid];
		if (m->f[mid].number < number)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static char *dup_or_fail(lua_State *L, const char *s)
{
	char *d = budget_strdup(s);
	if (!d)
		lab_fail(L, "lab.proto.schema: not enough memory");
	return d;
}

static void *alloc_or_fail(lua_State *L, size_t n, size_t size)
{
	void *p = budget_calloc(n ? n : 1, size);
	if (!p)
		lab_fail(L, "lab.proto.schema: not enough memory");
	return p;
}

/* Reads field spec K of message M from the table at IDX: {number, name,
 * type [, "repeated" | "unpacked"]}. Types of messages are resolved later. */
static void read_field(lua_State *L, int idx, const struct pschema *s, struct pmsg *m, size_t k)
{
	struct pfield *f = &m->f[k];
	if (!lua_istable(L, idx))
		luaL_error(L, "lab.proto.schema: %s: field %d must be a table {number, name, type}",
		           m->name, (int)k + 1);
	lua_rawgeti(L, idx, 1);
	lua_rawgeti(L, idx, 2);
	lua_rawgeti(L, idx, 3);
	lua_rawgeti(L, idx, 4);
	int isnum;
	lua_Integer num = lua_tointegerx(L, -4, &isnum);
	if (!isnum || num < 1 || num > PROTO_MAX_FIELD || (num >= 19000 && num <= 19999))
		luaL_error(L, "lab.proto.schema: %s: field %d: the number must be an integer in "
		              "1..536870911, not 19000-19999 (reserved)", m->name, (int)k + 1);
	if (lua_type(L, -3) != LUA_TSTRING || lua_rawlen(L, -3) == 0 ||
	    strcmp(lua_tostring(L, -3), UNKNOWN) == 0)
		luaL_error(L, "lab.proto.schema: %s: field %d: the name must be a string (not '"
		              UNKNOWN "')", m->name, (int)k + 1);
	if (lua_type(L, -2) != LUA_TSTRING)
		luaL_error(L, "lab.proto.schema: %s.%s: the type must be a string", m->name,
		           lua_tostring(L, -3));
	f->number = (uint32_t)num;
	f->name = dup_or_fail(L, lua_tostring(L, -3));
	f->type = T_MESSAGE;
	for (int t = 0; type_names[t]; t++)
		if (strcmp(type_names[t], lua_tostring(L, -2)) == 0)
			f->type = t;
	f->msg = -1;
	if (f->type == T_MESSAGE) {
		f->msg = find_msg(s, lua_tostring(L, -2));
		if (f->msg < 0)
			luaL_error(L, "lab.proto.schema: %s.%s: unknown type '%s' (a scalar type, or a "
			              "message of the schema)", m->name, f->name, lua_tostring(L, -2));
	}
	if (!lua_isnil(L, -1)) {
		const char *label = lua_tostring(L, -1);
		if (!label || (strcmp(label, "repeated") != 0 && strcmp(label, "unpacked") != 0))
			luaL_error(L, "lab.proto.schema: %s.%s: the 4th item must be \"repeated\" or "
			              "\"unpacked\" (repeated, one record per value)", m->name, f->name);
		f->repeated = 1;
		f->packed = strcmp(label, "repeated") == 0 && wire_of(f->type) != PROTO_LEN;
	}
	lua_pop(L, 4);
}

static void check_unique(lua_State *L, const struct pmsg *m)
{
	for (size_t i = 0; i < m->n; i++)
		for (size_t k = i + 1; k < m->n; k++) {
			if (m->f[i].number == m->f[k].number)
				luaL_error(L, "lab.proto.schema: %s: fields %s and %s share number %d",
				           m->name, m->f[i].name, m->f[k].name, (int)m->f[i].number);
			if (strcmp(m->f[i].name, m->f[k].name) == 0)
				luaL_error(L, "lab.proto.schema: %s: two fields named %s", m->name,
				           m->f[i].name);
		}
}

static int l_schema(lua_State *L)
{
	luaL_checktype(L, 1, LUA_TTABLE);
	struct pschema *s = lab_newobj(L, &schema_class, sizeof *s);     /* push schema */
	size_t n = 0;
	lua_pushnil(L);
	while (lua_next(L, 1)) {
		lua_pop(L, 1);
		if (lua_type(L, -1) != LUA_TSTRING)
			luaL_error(L, "lab.proto.schema: message names must be strings");
		n++;
	}
	if (n == 0)
		luaL_error(L, "lab.proto.schema: the schema has no message");
	s->m = alloc_or_fail(L, n, sizeof *s->m);
	lua_pushnil(L);
	while (lua_next(L, 1)) {
		lua_pop(L, 1);
		s->m[s->n++].name = dup_or_fail(L, lua_tostring(L, -1));
	}
	qsort(s->m, s->n, sizeof *s->m, name_cmp);
	for (size_t i = 0; i < s->n; i++) {
		struct pmsg *m = &s->m[i];
		lua_pushstring(L, m->name);
		if (lua_rawget(L, 1) != LUA_TTABLE)                          /* push fields */
			luaL_error(L, "lab.proto.schema: %s must be a list of fields", m->name);
		int idx = lua_gettop(L);
		m->n = (size_t)lua_rawlen(L, idx);
		m->f = alloc_or_fail(L, m->n, sizeof *m->f);
		for (size_t k = 0; k < m->n; k++) {
			lua_rawgeti(L, idx, (lua_Integer)k + 1);
			read_field(L, lua_gettop(L), s, m, k);
			lua_pop(L, 1);
		}
		lua_pop(L, 1);                                                /* pop fields */
		check_unique(L, m);
		qsort(m->f, m->n, sizeof *m->f, num_cmp);
	}
	return 1;
}

/* ---- encode ---- */

/* Buffers per nesting level, owned by the schema object (reused by every
 * encode, freed with it), so that an error raised in the middle leaks
 * nothing. */
struct enc {
	lua_State *L;
	const struct pschema *s;
	struct proto_buf msg[MAX_DEPTH + 1], packed[MAX_DEPTH + 1];
	struct proto_buf path;
};

static void free_enc(void *obj)
{
	struct enc *e = obj;
	for (int i = 0; i <= MAX_DEPTH; i++) {
		proto_buf_free(&e->msg[i]);
		proto_buf_free(&e->packed[i]);
	}
	proto_buf_free(&e->path);
}

static void oom(lua_State *L)
{
	lab_fail(L, "lab.proto: not enough memory");
}

static void add(struct enc *e, struct proto_buf *b, const void *p, size_t n)
{
	if (proto_buf_add(b, p, n) != 0)
		oom(e->L);
}

/* Raises "lab.proto.encode: Person.phones[2].number: WHAT". */
static int efail(struct enc *e, const char *what)
{
	add(e, &e->path, "", 1);
	return luaL_error(e->L, "lab.proto.encode: %s: %s", (const char *)e->path.p, what);
}

static void path_push(struct enc *e, const char *sep, const char *name, lua_Integer i)
{
	if (e->path.len && e->path.p[e->path.len - 1] == '\0')
		e->path.len--;
	add(e, &e->path, sep, strlen(sep));
	if (name) {
		add(e, &e->path, name, strlen(name));
	} else {
		char t[32];
		int k = snprintf(t, sizeof t, "[%lld]", (long long)i);
		add(e, &e->path, t, (size_t)k);
	}
}

static lua_Integer want_int(struct enc *e, int idx, lua_Integer lo, lua_Integer hi,
                            const char *range)
{
	int ok;
	lua_Integer v = lua_tointegerx(e->L, idx, &ok);
	if (!ok || lua_type(e->L, idx) != LUA_TNUMBER)
		efail(e, lua_pushfstring(e->L, "expected an integer, got %s", luaL_typename(e->L, idx)));
	if (v < lo || v > hi)
		efail(e, lua_pushfstring(e->L, "%I is out of range (%s)", v, range));
	return v;
}

static void enc_message(struct enc *e, int msg, int idx, int depth);

/* The value at IDX of field F (one element if F is repeated), without tag. */
static void enc_value(struct enc *e, const struct pfield *f, int idx, struct proto_buf *b,
                      int depth)
{
	lua_State *L = e->L;
	int rc = 0;
	switch (f->type) {
	case T_INT32: case T_ENUM:
		rc = proto_put_varint(b, (uint64_t)want_int(e, idx, INT32_MIN, INT32_MAX, "int32"));
		break;
	case T_INT64: case T_UINT64:
		rc = proto_put_varint(b, (uint64_t)want_int(e, idx, LUA_MININTEGER, LUA_MAXINTEGER, ""));
		break;
	case T_UINT32:
		rc = proto_put_varint(b, (uint64_t)want_int(e, idx, 0, UINT32_MAX, "uint32"));
		break;
	case T_SINT32:
		rc = proto_put_varint(b, proto_zigzag32((int32_t)want_int(e, idx, INT32_MIN, INT32_MAX,
		                                                          "sint32")));
		break;
	case T_SINT64:
		rc = proto_put_varint(b, proto_zigzag64((int64_t)want_int(e, idx, LUA_MININTEGER,
		                                                          LUA_MAXINTEGER, "")));
		break;
	case T_BOOL:
		if (!lua_isboolean(L, idx))
			efail(e, lua_pushfstring(L, "expected a boolean, got %s", luaL_typename(L, idx)));
		rc = proto_put_varint(b, (uint64_t)lua_toboolean(L, idx));
		break;
	case T_FIXED32:
		rc = proto_put_fixed32(b, (uint32_t)want_int(e, idx, 0, UINT32_MAX, "fixed32"));
		break;
	case T_SFIXED32:
		rc = proto_put_fixed32(b, (uint32_t)(int32_t)want_int(e, idx, INT32_MIN, INT32_MAX,
		                                                      "sfixed32"));
		break;
	case T_FIXED64: case T_SFIXED64:
		rc = proto_put_fixed64(b, (uint64_t)want_int(e, idx, LUA_MININTEGER, LUA_MAXINTEGER, ""));
		break;
	case T_FLOAT: case T_DOUBLE: {
		if (lua_type(L, idx) != LUA_TNUMBER)
			efail(e, lua_pushfstring(L, "expected a number, got %s", luaL_typename(L, idx)));
		double d = (double)lua_tonumber(L, idx);
		if (f->type == T_FLOAT) {
			float x = (float)d;
			uint32_t u;
			memcpy(&u, &x, 4);
			rc = proto_put_fixed32(b, u);
		} else {
			uint64_t u;
			memcpy(&u, &d, 8);
			rc = proto_put_fixed64(b, u);
		}
		break;
	}
	case T_STRING: case T_BYTES: {
		size_t n;
		if (lua_type(L, idx) != LUA_TSTRING)
			efail(e, lua_pushfstring(L, "expected a string, got %s", luaL_typename(L, idx)));
		const char *s = lua_tolstring(L, idx, &n);
		size_t bad;
		if (f->type == T_STRING && !utf8_valid(s, n, &bad))
			efail(e, lua_pushfstring(L, "a string must be UTF-8 (byte %I is not; use bytes)",
			                         (lua_Integer)bad));
		if (proto_put_varint(b, n) != 0)
			oom(L);
		add(e, b, s, n);
		break;
	}
	case T_MESSAGE: {
		if (!lua_istable(L, idx))
			efail(e, lua_pushfstring(L, "expected a table (a %s message), got %s",
			                         e->s->m[f->msg].name, luaL_typename(L, idx)));
		if (depth + 1 > MAX_DEPTH)
			efail(e, "messages nested deeper than 100 (does a table contain itself?)");
		enc_message(e, f->msg, idx, depth + 1);
		struct proto_buf *sub = &e->msg[depth + 1];
		if (proto_put_varint(b, sub->len) != 0)
			oom(L);
		add(e, b, sub->p, sub->len);
		break;
	}
	}
	if (rc != 0)
		oom(L);
}

static void enc_field(struct enc *e, const struct pfield *f, int idx, int depth)
{
	lua_State *L = e->L;
	struct proto_buf *b = &e->msg[depth];
	if (!f->repeated) {
		if (proto_put_tag(b, f->number, wire_of(f->type)) != 0)
			oom(L);
		enc_value(e, f, idx, b, depth);
		return;
	}
	if (!lua_istable(L, idx))
		efail(e, lua_pushfstring(L, "a repeated field takes a list, got %s", luaL_typename(L, idx)));
	lua_Integer n = (lua_Integer)lua_rawlen(L, idx);
	size_t mark = e->path.len;
	struct proto_buf *pk = &e->packed[depth];
	pk->len = 0;
	for (lua_Integer i = 1; i <= n; i++) {
		path_push(e, "", NULL, i);
		lua_rawgeti(L, idx, i);                               /* push item */
		if (f->packed) {
			enc_value(e, f, lua_gettop(L), pk, depth);
		} else {
			if (proto_put_tag(b, f->number, wire_of(f->type)) != 0)
				oom(L);
			enc_value(e, f, lua_gettop(L), b, depth);
		}
		lua_pop(L, 1);                                        /* pop item */
		e->path.len = mark;
	}
	if (f->packed && n > 0) {
		if (proto_put_tag(b, f->number, PROTO_LEN) != 0 || proto_put_varint(b, pk->len) != 0)
			oom(L);
		add(e, b, pk->p, pk->len);
	}
}

static int has_field(const struct pmsg *m, const char *name)
{
	for (size_t k = 0; k < m->n; k++)
		if (strcmp(m->f[k].name, name) == 0)
			return 1;
	return 0;
}

/* Encodes the table at IDX as message MSG into e->msg[DEPTH]. */
static void enc_message(struct enc *e, int msg, int idx, int depth)
{
	lua_State *L = e->L;
	const struct pmsg *m = &e->s->m[msg];
	e->msg[depth].len = 0;
	luaL_checkstack(L, 6, "lab.proto nesting");
	lua_pushnil(L);
	while (lua_next(L, idx)) {                             /* no stray keys */
		lua_pop(L, 1);
		if (lua_type(L, -1) != LUA_TSTRING)
			efail(e, lua_pushfstring(L, "%s has a key that is not a field name (a %s)",
			                         m->name, luaL_typename(L, -1)));
		const char *k = lua_tostring(L, -1);
		if (strcmp(k, UNKNOWN) != 0 && !has_field(m, k))
			efail(e, lua_pushfstring(L, "%s has no field '%s'", m->name, k));
	}
	for (size_t k = 0; k < m->n; k++) {
		const struct pfield *f = &m->f[k];
		lua_pushstring(L, f->name);
		if (lua_rawget(L, idx) != LUA_TNIL) {                /* push value */
			size_t mark = e->path.len;
			path_push(e, ".", f->name, 0);
			enc_field(e, f, lua_gettop(L), depth);
			e->path.len = mark;
		}
		lua_pop(L, 1);                                       /* pop value */
	}
	lua_pushliteral(L, UNKNOWN);
	if (lua_rawget(L, idx) == LUA_TSTRING) {                 /* push unknown */
		size_t n;
		const char *u = lua_tolstring(L, -1, &n);
		add(e, &e->msg[depth], u, n);
	}
	lua_pop(L, 1);
}

static int m_encode(lua_State *L)
{
	struct pschema *s = lab_self(L, &schema_class);
	const char *type = luaL_checkstring(L, 2);
	luaL_checktype(L, 3, LUA_TTABLE);
	int msg = find_msg(s, type);
	if (msg < 0)
		return luaL_error(L, "lab.proto.encode: the schema has no message '%s'", type);
	if (!s->enc && !(s->enc = budget_calloc(1, sizeof *s->enc)))
		return lab_fail(L, "lab.proto.encode: not enough memory");
	struct enc *e = s->enc;
	e->L = L;
	e->s = s;
	e->path.len = 0;
	add(e, &e->path, type, strlen(type));
	enc_message(e, msg, 3, 0);
	lua_pushlstring(L, (const char *)e->msg[0].p, e->msg[0].len);
	return 1;
}

/* ---- decode ---- */

struct dec {
	lua_State *L;
	const struct pschema *s;
	const unsigned char *base;
	int msgslot;
	size_t records;
};

/* Puts "byte offset N: MSG.FIELD: WHAT" in the message slot; returns -1. */
static int dfail(struct dec *d, const unsigned char *at, const struct pmsg *m,
                 const struct pfield *f, const char *what)
{
	lua_State *L = d->L;
	lua_pushfstring(L, "byte offset %I: %s%s%s: %s", (lua_Integer)(at - d->base), m->name,
	                f ? "." : "", f ? f->name : "", what);
	lua_replace(L, d->msgslot);
	lua_pushinteger(L, (lua_Integer)(at - d->base));
	lua_replace(L, d->msgslot + 1);
	return -1;
}

static int dec_message(struct dec *d, int msg, const unsigned char *p, size_t len, int depth);
static int dec_message_into(struct dec *d, int msg, const unsigned char *p, size_t len, int depth);

/* Pushes the value of one element of F from the record R (for packed
 * fields, the caller makes R from each element). 0 or -1. */
static int dec_value(struct dec *d, const struct pmsg *m, const struct pfield *f,
                     const struct proto_record *r, int depth)
{
	lua_State *L = d->L;
	uint64_t u = r->u;
	switch (f->type) {
	case T_INT32: case T_ENUM: case T_SFIXED32: lua_pushinteger(L, (int32_t)(uint32_t)u); break;
	case T_UINT32: case T_FIXED32: lua_pushinteger(L, (lua_Integer)(uint32_t)u); break;
	case T_INT64: case T_UINT64: case T_FIXED64: case T_SFIXED64:
		lua_pushinteger(L, (lua_Integer)u);
		break;
	case T_SINT32: lua_pushinteger(L, proto_unzigzag32((uint32_t)u)); break;
	case T_SINT64: lua_pushinteger(L, (lua_Integer)proto_unzigzag64(u)); break;
	case T_BOOL: lua_pushboolean(L, u != 0); break;
	case T_FLOAT: {
		uint32_t w = (uint32_t)u;
		float x;
		memcpy(&x, &w, 4);
		lua_pushnumber(L, (lua_Number)x);
		break;
	}
	case T_DOUBLE: {
		double x;
		memcpy(&x, &u, 8);
		lua_pushnumber(L, (lua_Number)x);
		break;
	}
	case T_STRING: case T_BYTES: {
		size_t bad;
		if (f->type == T_STRING && !utf8_valid((const char *)r->data, r->len, &bad))
			return dfail(d, r->data + bad, m, f, "string is not valid UTF-8");
		lua_pushlstring(L, (const char *)r->data, r->len);
		break;
	}
	case T_MESSAGE:
		if (depth + 1 > MAX_DEPTH)
			return dfail(d, r->data, m, f, "messages nested deeper than 100");
		return dec_message(d, f->msg, r->data, r->len, depth + 1);
	}
	return 0;
}

/* Stores the value on top into field F of the table below it (appended
 * for repeated fields).                                             [-1, +0] */
static void store(lua_State *L, const struct pfield *f)
{
	if (!f->repeated) {
		lua_setfield(L, -2, f->name);
		return;
	}
	if (lua_getfield(L, -2, f->name) != LUA_TTABLE) {      /* push list */
		lua_pop(L, 1);
		lua_newtable(L);
		lua_pushvalue(L, -1);
		lua_setfield(L, -4, f->name);
	}
	lua_insert(L, -2);                                     /* list, value */
	lua_rawseti(L, -2, (lua_Integer)lua_rawlen(L, -2) + 1);
	lua_pop(L, 1);                                         /* pop list */
}

/* The elements of a packed field, one after another in R's payload. */
static int dec_packed(struct dec *d, const struct pmsg *m, const struct pfield *f,
                      const struct proto_record *r, int depth)
{
	size_t pos = 0;
	enum proto_wire w = wire_of(f->type);
	while (pos < r->len) {
		struct proto_record e = {.field = f->number, .wire = w};
		const char *why;
		if (w == PROTO_VARINT) {
			if (proto_get_varint(r->data, r->len, &pos, &e.u, &why) != 0)
				return dfail(d, r->data + pos, m, f, why);
		} else {
			size_t n = w == PROTO_I64 ? 8 : 4;
			if (r->len - pos < n)
				return dfail(d, r->data + pos, m, f, "packed values do not fill the length");
			for (size_t k = 0; k < n; k++)
				e.u |= (uint64_t)r->data[pos + k] << (8 * k);
			pos += n;
		}
		if (dec_value(d, m, f, &e, depth) != 0)
			return -1;
		store(d->L, f);
	}
	return 0;
}

static int dec_record(struct dec *d, const struct pmsg *m, const struct proto_record *r,
                      const unsigned char *p, int depth)
{
	lua_State *L = d->L;
	const struct pfield *f = find_field(m, r->field);
	if (!f) {                                   /* unknown: kept as bytes */
		lua_getfield(L, -1, UNKNOWN);
		size_t n = 0;
		const char *old = lua_tolstring(L, -1, &n);
		luaL_Buffer b;
		luaL_buffinit(L, &b);
		if (old)
			luaL_addlstring(&b, old, n);
		luaL_addlstring(&b, (const char *)p + r->start, r->end - r->start);
		luaL_pushresult(&b);
		lua_setfield(L, -3, UNKNOWN);
		lua_pop(L, 1);                          /* pop old */
		return 0;
	}
	enum proto_wire w = wire_of(f->type);
	if (f->repeated && r->wire == PROTO_LEN && w != PROTO_LEN)
		return dec_packed(d, m, f, r, depth);   /* packed, whatever the schema says */
	if (r->wire != w) {
		return dfail(d, p + r->start, m, f,
		             lua_pushfstring(L, "wire type %d (%s), the schema says %d (%s)", (int)r->wire,
		                             wire_names[r->wire], (int)w, wire_names[w]));
	}
	if (f->type == T_MESSAGE && !f->repeated) {
		/* a message field seen again merges into the first (protobuf.dev, "Last One Wins") */
		if (lua_getfield(L, -1, f->name) != LUA_TTABLE) {
			lua_pop(L, 1);
			lua_newtable(L);
		}
		if (depth + 1 > MAX_DEPTH)
			return dfail(d, r->data, m, f, "messages nested deeper than 100");
		if (dec_message_into(d, f->msg, r->data, r->len, depth + 1) != 0)
			return -1;
		lua_setfield(L, -2, f->name);
		return 0;
	}
	if (dec_value(d, m, f, r, depth) != 0)
		return -1;
	store(L, f);
	return 0;
}

/* Decodes LEN bytes at P as message MSG into the table on top. */
static int dec_message_into(struct dec *d, int msg, const unsigned char *p, size_t len, int depth)
{
	lua_State *L = d->L;
	const struct pmsg *m = &d->s->m[msg];
	size_t pos = 0;
	luaL_checkstack(L, 8, "lab.proto nesting");
	while (pos < len) {
		struct proto_record r;
		const char *why;
		if ((++d->records & 4095) == 0)
			lab_poll(L);
		if (proto_next(p, len, &pos, &r, &why) != 0)
			return dfail(d, p + pos, m, NULL, why);
		if (dec_record(d, m, &r, p, depth) != 0)
			return -1;
	}
	return 0;
}

static int dec_message(struct dec *d, int msg, const unsigned char *p, size_t len, int depth)
{
	lua_newtable(d->L);
	return dec_message_into(d, msg, p, len, depth);
}

static int m_decode(lua_State *L)
{
	const struct pschema *s = lab_self(L, &schema_class);
	const char *type = luaL_checkstring(L, 2);
	size_t len;
	const char *bytes = luaL_checklstring(L, 3, &len);
	int msg = find_msg(s, type);
	if (msg < 0)
		return luaL_error(L, "lab.proto.decode: the schema has no message '%s'", type);
	lua_settop(L, 3);
	lua_pushnil(L);                                 /* 4: message slot */
	lua_pushnil(L);                                 /* 5: offset slot */
	struct dec d = {.L = L, .s = s, .base = (const unsigned char *)bytes, .msgslot = 4};
	if (dec_message(&d, msg, d.base, len, 0) != 0) {
		lua_pushnil(L);
		lua_pushvalue(L, 4);
		lua_pushvalue(L, 5);
		return 3;
	}
	return 1;
}

static const luaL_Reg schema_methods[] = {
	{"encode", m_encode}, {"decode", m_decode}, {NULL, NULL},
};

static const struct lab_class schema_class = {
	.name = "lab.proto.schema", .methods = schema_methods, .free = free_schema};

/* ---- the wire, without a schema ---- */

static int l_fields(lua_State *L)
{
	size_t len, pos = 0;
	const unsigned char *p = (const unsigned char *)luaL_checklstring(L, 1, &len);
	lua_newtable(L);                                /* push list */
	for (lua_Integer i = 1; pos < len; i++) {
		struct proto_record r;
		const char *why;
		if ((i & 4095) == 0)
			lab_poll(L);
		if (proto_next(p, len, &pos, &r, &why) != 0) {
			lua_pushnil(L);
			lua_pushfstring(L, "byte offset %I: %s", (lua_Integer)pos, why);
			lua_pushinteger(L, (lua_Integer)pos);
			return 3;
		}
		lua_createtable(L, 0, 5);
		lab_setint(L, "field", (lua_Integer)r.field);
		lab_setint(L, "wire", (lua_Integer)r.wire);
		lab_setstr(L, "type", wire_names[r.wire]);
		lab_setint(L, "offset", (lua_Integer)r.start);
		if (r.wire == PROTO_LEN)
			lua_pushlstring(L, (const char *)r.data, r.len);
		else
			lua_pushinteger(L, (lua_Integer)r.u);
		lua_setfield(L, -2, "value");
		lua_rawseti(L, -2, i);
	}
	return 1;
}

static int l_varint(lua_State *L)
{
	lua_Integer v = luaL_checkinteger(L, 1);
	unsigned char t[10];
	size_t n = 0;
	uint64_t u = (uint64_t)v;
	do {
		t[n] = (unsigned char)(u & 0x7F);
		u >>= 7;
		if (u)
			t[n] |= 0x80;
		n++;
	} while (u);
	lua_pushlstring(L, (const char *)t, n);
	return 1;
}

static int l_read_varint(lua_State *L)
{
	size_t len;
	const unsigned char *p = (const unsigned char *)luaL_checklstring(L, 1, &len);
	lua_Integer at = luaL_optinteger(L, 2, 1);
	if (at < 1 || (size_t)at > len + 1)
		return luaL_error(L, "lab.proto.read_varint: position %I is outside the bytes", at);
	size_t pos = (size_t)at - 1;
	uint64_t v;
	const char *why;
	if (proto_get_varint(p, len, &pos, &v, &why) != 0) {
		lua_pushnil(L);
		lua_pushstring(L, why);
		return 2;
	}
	lua_pushinteger(L, (lua_Integer)v);
	lua_pushinteger(L, (lua_Integer)pos + 1);
	return 2;
}

static int l_zigzag(lua_State *L)
{
	lua_Integer n = luaL_checkinteger(L, 1);
	lua_Integer bits = luaL_optinteger(L, 2, 64);
	if (bits == 32) {
		if (n < INT32_MIN || n > INT32_MAX)
			return luaL_error(L, "lab.proto.zigzag: %I does not fit in 32 bits", n);
		lua_pushinteger(L, (lua_Integer)proto_zigzag32((int32_t)n));
	} else if (bits == 64) {
		lua_pushinteger(L, (lua_Integer)proto_zigzag64((int64_t)n));
	} else {
		return luaL_error(L, "lab.proto.zigzag: bits must be 32 or 64");
	}
	return 1;
}

static int l_unzigzag(lua_State *L)
{
	lua_pushinteger(L, (lua_Integer)proto_unzigzag64((uint64_t)luaL_checkinteger(L, 1)));
	return 1;
}

static const luaL_Reg functions[] = {
	{"schema", l_schema},   {"fields", l_fields},   {"varint", l_varint},
	{"read_varint", l_read_varint}, {"zigzag", l_zigzag}, {"unzigzag", l_unzigzag},
	{NULL, NULL},
};

const struct lab_namespace lab_ns_proto = {
	.functions = functions,
	.classes = (const struct lab_class *const[]){&schema_class, NULL},
};
