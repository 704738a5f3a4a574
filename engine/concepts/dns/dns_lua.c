/*
 * dns_lua.c — lab.dns: the wire codec (dnswire.h), the built-in zones and
 * servers (dnszone.h) and the recursive resolver (dnsres.h).
 *
 *   lab.dns.encode(msg [, {compress = true}]) -> bytes | nil, err
 *   lab.dns.decode(bytes) -> msg | nil, err, offset
 *   lab.dns.decode_name(bytes, offset) -> name, used | nil, err, offset
 *   lab.dns.encode_name(name) -> wire bytes | nil, err
 *   lab.dns.query(server, name [, type]) -> the server's response (msg)
 *   lab.dns.roots() lab.dns.zones() lab.dns.servers()
 *   lab.dns.resolver() -> r; r:resolve(name [, type]) r:cache() r:advance(dt)
 */
#include "engine/lab/labkit.h"
#include "engine/concepts/dns/dnsres.h"
#include "engine/concepts/dns/dnswire.h"
#include "engine/concepts/dns/dnszone.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RDATA_TEXT 4096

static const char *const section_names[] = {"answers", "authority", "additional"};

static void push_type(lua_State *L, uint16_t type)
{
	char b[16];
	lua_pushstring(L, dns_type_name(type, b));
}

static void push_rr(lua_State *L, const struct dns_rr *x)
{
	char text[RDATA_TEXT];
	lua_createtable(L, 0, 5); /* push record */
	lab_setstr(L, "name", x->name);
	push_type(L, x->type);
	lua_setfield(L, -2, "type");
	if (x->class == DNS_IN)
		lab_setstr(L, "class", "IN");
	else
		lua_pushfstring(L, "CLASS%d", (int)x->class), lua_setfield(L, -2, "class");
	lab_setint(L, "ttl", (lua_Integer)x->ttl);
	dns_rdata_text(x->type, x->rdata, x->rdlen, text, sizeof text);
	lab_setstr(L, "data", text);
}

/* Pushes M as a table. */
static void push_msg(lua_State *L, const struct dns_msg *m)
{
	uint16_t f = m->flags;
	lua_createtable(L, 0, 16); /* push msg */
	lab_setint(L, "id", m->id);
	lab_setbool(L, "qr", f & DNS_QR);
	lab_setint(L, "opcode", DNS_OPCODE(f));
	lab_setbool(L, "aa", f & DNS_AA);
	lab_setbool(L, "tc", f & DNS_TC);
	lab_setbool(L, "rd", f & DNS_RD);
	lab_setbool(L, "ra", f & DNS_RA);
	lab_setint(L, "z", (f >> 6) & 1);
	lab_setbool(L, "ad", f & DNS_AD);
	lab_setbool(L, "cd", f & DNS_CD);
	int rc = DNS_RCODE(f);
	if (rc <= 5)
		lab_setstr(L, "rcode", dns_rcode_name(rc));
	else
		lua_pushfstring(L, "RCODE%d", rc), lua_setfield(L, -2, "rcode");
	lua_createtable(L, (int)m->nqd, 0); /* push questions */
	for (size_t i = 0; i < m->nqd; i++) {
		lua_createtable(L, 0, 3);
		lab_setstr(L, "name", m->qd[i].name);
		push_type(L, m->qd[i].type);
		lua_setfield(L, -2, "type");
		if (m->qd[i].class == DNS_IN)
			lab_setstr(L, "class", "IN");
		else
			lua_pushfstring(L, "CLASS%d", (int)m->qd[i].class),
			    lua_setfield(L, -2, "class");
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	lua_setfield(L, -2, "questions");
	for (int s = 0; s < 3; s++) {
		lua_createtable(L, (int)m->nrr[s], 0);
		for (size_t i = 0; i < m->nrr[s]; i++) {
			push_rr(L, &m->rr[s][i]);
			lua_rawseti(L, -2, (lua_Integer)i + 1);
		}
		lua_setfield(L, -2, section_names[s]);
	}
}

static int push_error(lua_State *L, const char *what, const struct dns_error *e)
{
	lua_pushnil(L);
	lua_pushfstring(L, "%s at byte offset %I: %s", what, (lua_Integer)e->off, e->why);
	lua_pushinteger(L, (lua_Integer)e->off);
	return 3;
}

static int l_decode(lua_State *L)
{
	size_t len;
	const char *b = luaL_checklstring(L, 1, &len);
	struct dns_msg m;
	struct dns_error e;
	int rc = dns_decode((const uint8_t *)b, len, &m, &e);
	if (rc == 0)
		push_msg(L, &m);
	dns_msg_free(&m);
	if (rc == -2)
		return lab_fail(L, "lab.dns.decode: not enough memory");
	return rc ? push_error(L, "malformed DNS message", &e) : 1;
}

static int l_decode_name(lua_State *L)
{
	size_t len, used;
	const char *b = luaL_checklstring(L, 1, &len);
	lua_Integer off = luaL_optinteger(L, 2, 0);
	luaL_argcheck(L, off >= 0, 2, "a 0-based offset");
	char text[DNS_TEXT_MAX];
	struct dns_error e;
	if (dns_name_decode((const uint8_t *)b, len, (size_t)off, text, &used, &e) != 0)
		return push_error(L, "malformed name", &e);
	lua_pushstring(L, text);
	lua_pushinteger(L, (lua_Integer)used);
	return 2;
}

static int l_encode_name(lua_State *L)
{
	const char *name = luaL_checkstring(L, 1);
	uint8_t wire[255];
	size_t n;
	const char *why;
	if (dns_name_wire(name, wire, &n, &why) != 0) {
		lua_pushnil(L);
		lua_pushstring(L, why);
		return 2;
	}
	lua_pushlstring(L, (const char *)wire, n);
	return 1;
}

/* ---- reading a message table (raw access; strings used while anchored) ---- */

static int rawfield(lua_State *L, int t, const char *k)
{
	lua_pushstring(L, k);
	return lua_rawget(L, t); /* push t[k] */
}

static lua_Integer int_field(lua_State *L, int t, const char *k, lua_Integer def, lua_Integer max)
{
	int ty = rawfield(L, t, k);
	lua_Integer v = def;
	if (ty != LUA_TNIL) {
		if (!lua_isinteger(L, -1))
			luaL_error(L, "field '%s' must be an integer", k);
		v = lua_tointeger(L, -1);
		if (v < 0 || v > max)
			luaL_error(L, "field '%s' must be between 0 and %I", k, max);
	}
	lua_pop(L, 1);
	return v;
}

static int bool_field(lua_State *L, int t, const char *k)
{
	rawfield(L, t, k);
	int v = lua_toboolean(L, -1);
	lua_pop(L, 1);
	return v;
}

/* A type or class field: a name ("A", "IN") or a number. */
static uint16_t code_field(lua_State *L, int t, const char *k, uint16_t def, int is_type)
{
	int ty = rawfield(L, t, k);
	uint16_t v = def;
	if (ty == LUA_TNUMBER && lua_isinteger(L, -1) && lua_tointeger(L, -1) >= 0 &&
	    lua_tointeger(L, -1) <= 65535) {
		v = (uint16_t)lua_tointeger(L, -1);
	} else if (ty == LUA_TSTRING) {
		const char *s = lua_tostring(L, -1);
		if (is_type)
			v = dns_type_code(s);
		else if (strcasecmp(s, "IN") == 0)
			v = DNS_IN;
		else if (strncasecmp(s, "CLASS", 5) == 0 && atoi(s + 5) > 0 && atoi(s + 5) < 65536)
			v = (uint16_t)atoi(s + 5);
		else
			v = 0;
		if (v == 0)
			luaL_error(L, "unknown %s '%s'", is_type ? "type" : "class", s);
	} else if (ty != LUA_TNIL) {
		luaL_error(L, "field '%s' must be a name or a number", k);
	}
	lua_pop(L, 1);
	return v;
}

/* The name field of the table at T, copied into OUT. */
static void name_field(lua_State *L, int t, char out[DNS_TEXT_MAX])
{
	if (rawfield(L, t, "name") != LUA_TSTRING)
		luaL_error(L, "each entry needs a string 'name'");
	snprintf(out, DNS_TEXT_MAX, "%s", lua_tostring(L, -1));
	lua_pop(L, 1);
}

/* Fills the message (argument 2, a light userdata) from the table at 1.
 * Returns true, or nil and a message for bad record data; raises for wrong
 * types. Run under lua_pcall so that the caller frees the message
 * whatever happens. */
static int build(lua_State *L)
{
	struct dns_msg *m = lua_touserdata(L, 2);
	m->id = (uint16_t)int_field(L, 1, "id", 0, 65535);
	uint16_t f = 0;
	f |= bool_field(L, 1, "qr") ? DNS_QR : 0;
	f |= (uint16_t)(int_field(L, 1, "opcode", 0, 15) << 11);
	f |= bool_field(L, 1, "aa") ? DNS_AA : 0;
	f |= bool_field(L, 1, "tc") ? DNS_TC : 0;
	f |= bool_field(L, 1, "rd") ? DNS_RD : 0;
	f |= bool_field(L, 1, "ra") ? DNS_RA : 0;
	f |= (uint16_t)(int_field(L, 1, "z", 0, 1) << 6);
	f |= bool_field(L, 1, "ad") ? DNS_AD : 0;
	f |= bool_field(L, 1, "cd") ? DNS_CD : 0;
	int ty = rawfield(L, 1, "rcode");
	int rcode = 0;
	if (ty == LUA_TSTRING) {
		const char *s = lua_tostring(L, -1);
		for (rcode = 0; rcode <= 5 && strcasecmp(s, dns_rcode_name(rcode)); rcode++)
			;
		if (rcode > 5)
			rcode = strncasecmp(s, "RCODE", 5) == 0 ? atoi(s + 5) : -1;
		if (rcode < 0 || rcode > 15)
			return luaL_error(L, "unknown rcode '%s'", s);
	} else if (ty == LUA_TNUMBER) {
		rcode = lua_isinteger(L, -1) ? (int)lua_tointeger(L, -1) : -1;
		if (rcode < 0 || rcode > 15)
			return luaL_error(L, "rcode must be 0..15");
	}
	lua_pop(L, 1);
	m->flags = (uint16_t)(f | rcode);
	static const char *const lists[4] = {"questions", "answers", "authority", "additional"};
	for (int s = 0; s < 4; s++) {
		if (rawfield(L, 1, lists[s]) == LUA_TNIL) {
			lua_pop(L, 1);
			continue;
		}
		int list = lua_gettop(L);
		if (!lua_istable(L, list))
			return luaL_error(L, "field '%s' must be a list", lists[s]);
		for (lua_Integer i = 1; i <= (lua_Integer)lua_rawlen(L, list); i++) {
			lua_rawgeti(L, list, i); /* push entry */
			int en = lua_gettop(L);
			char name[DNS_TEXT_MAX];
			if (!lua_istable(L, en))
				return luaL_error(L, "%s[%d] must be a table", lists[s], (int)i);
			name_field(L, en, name);
			uint16_t type = code_field(L, en, "type", DNS_A, 1);
			uint16_t class = code_field(L, en, "class", DNS_IN, 0);
			int rc;
			if (s == 0) {
				rc = dns_msg_question(m, name, type, class);
			} else {
				uint32_t ttl = (uint32_t)int_field(L, en, "ttl", 0, 0xFFFFFFFF);
				if (rawfield(L, en, "data") != LUA_TSTRING)
					return luaL_error(L, "%s[%d] needs its data as text",
					                  lists[s], (int)i);
				uint8_t rd[512];
				size_t n;
				const char *why;
				if (dns_rdata_from_text(type, lua_tostring(L, -1), rd, &n, &why) !=
				    0) {
					lua_pushnil(L);
					lua_pushfstring(L, "%s[%d]: %s", lists[s], (int)i, why);
					return 2;
				}
				lua_pop(L, 1); /* remove data */
				rc = dns_msg_rr(m, s - 1, name, type, class, ttl, rd, n);
			}
			if (rc)
				return lab_fail(L, "lab.dns.encode: not enough memory");
			lua_pop(L, 1); /* remove entry */
		}
		lua_pop(L, 1); /* remove list */
	}
	lua_pushboolean(L, 1);
	lua_pushnil(L);
	return 2;
}

static int l_encode(lua_State *L)
{
	luaL_checktype(L, 1, LUA_TTABLE);
	int compress = 1;
	if (lua_istable(L, 2)) {
		rawfield(L, 2, "compress");
		compress = lua_isnil(L, -1) || lua_toboolean(L, -1);
		lua_pop(L, 1);
	}
	struct dns_msg m;
	memset(&m, 0, sizeof m);
	lua_pushcfunction(L, build);
	lua_pushvalue(L, 1);
	lua_pushlightuserdata(L, &m);
	if (lua_pcall(L, 2, 2, 0) != LUA_OK) { /* push error */
		dns_msg_free(&m);
		return lua_error(L);
	}
	if (lua_isnil(L, -2)) { /* nil, message */
		dns_msg_free(&m);
		return 2;
	}
	struct dns_buf out = {0};
	const char *why = NULL;
	int rc = dns_encode(&m, compress, &out, &why);
	dns_msg_free(&m);
	if (rc == -2) {
		dns_buf_free(&out);
		return lab_fail(L, "lab.dns.encode: not enough memory");
	}
	if (rc) {
		dns_buf_free(&out);
		lua_pushnil(L);
		lua_pushstring(L, why ? why : "cannot encode");
		return 2;
	}
	lua_pushlstring(L, (const char *)out.p, out.len);
	dns_buf_free(&out);
	return 1;
}

/* ---- the built-in Internet ---- */

static int l_query(lua_State *L)
{
	const char *server = luaL_checkstring(L, 1);
	const char *name = luaL_checkstring(L, 2);
	const char *tname = luaL_optstring(L, 3, "A");
	uint16_t type = dns_type_code(tname);
	if (!type)
		return luaL_argerror(L, 3, "a record type such as \"A\", \"NS\", \"MX\"");
	const struct dns_server *srv = dns_server_find(server);
	if (!srv)
		return luaL_argerror(L, 1, "no such server (see lab.dns.servers())");
	uint8_t wire[255];
	size_t n;
	const char *why;
	if (dns_name_wire(name, wire, &n, &why) != 0)
		return luaL_argerror(L, 2, why);
	char absname[DNS_TEXT_MAX];
	size_t l = strlen(name);
	snprintf(absname, sizeof absname, "%s%s", name, l && name[l - 1] == '.' ? "" : ".");
	struct dns_msg m;
	int rc = dns_server_answer(srv->ip, 1, absname, type, &m);
	if (rc == 0)
		push_msg(L, &m);
	dns_msg_free(&m);
	if (rc)
		return lab_fail(L, "lab.dns.query: not enough memory");
	return 1;
}

static void push_server(lua_State *L, const struct dns_server *s)
{
	lua_createtable(L, 0, 3);
	lab_setstr(L, "name", s->name);
	lab_setstr(L, "ip", s->ip);
	lab_setnum(L, "rtt", s->rtt);
}

static int l_servers(lua_State *L)
{
	lua_createtable(L, (int)dns_nservers, 0);
	for (size_t i = 0; i < dns_nservers; i++) {
		push_server(L, &dns_servers[i]);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	return 1;
}

static int l_roots(lua_State *L)
{
	lua_newtable(L);
	int k = 0;
	for (size_t i = 0; i < dns_nservers; i++)
		if (strstr(dns_servers[i].name, "root-servers")) {
			push_server(L, &dns_servers[i]);
			lua_rawseti(L, -2, ++k);
		}
	return 1;
}

static int l_zones(lua_State *L)
{
	lua_createtable(L, (int)dns_nzones, 0);
	for (size_t i = 0; i < dns_nzones; i++) {
		const struct dns_zone *z = &dns_zones[i];
		lua_createtable(L, 0, 3);
		lab_setstr(L, "name", z->name);
		lua_newtable(L);
		for (int k = 0; k < 4 && z->servers[k]; k++) {
			const struct dns_server *s = dns_server_find(z->servers[k]);
			lua_pushstring(L, s ? s->name : z->servers[k]);
			lua_rawseti(L, -2, k + 1);
		}
		lua_setfield(L, -2, "servers");
		lua_createtable(L, (int)z->n, 0);
		for (size_t k = 0; k < z->n; k++) {
			lua_createtable(L, 0, 4);
			lab_setstr(L, "name", z->recs[k].owner);
			lab_setstr(L, "type", z->recs[k].type);
			lab_setint(L, "ttl", z->recs[k].ttl);
			lab_setstr(L, "data", z->recs[k].data);
			lua_rawseti(L, -2, (lua_Integer)k + 1);
		}
		lua_setfield(L, -2, "records");
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	return 1;
}

/* ---- the resolver ---- */

static const struct lab_class resolver_class;

static void free_resolver(void *obj)
{
	dns_resolver_free(obj);
}

static int l_resolver(lua_State *L)
{
	struct dns_resolver *r = lab_newobj(L, &resolver_class, sizeof *r); /* push */
	dns_resolver_init(r);
	return 1;
}

static int m_resolve(lua_State *L)
{
	struct dns_resolver *r = lab_self(L, &resolver_class);
	const char *name = luaL_checkstring(L, 2);
	uint16_t type = dns_type_code(luaL_optstring(L, 3, "A"));
	if (!type)
		return luaL_argerror(L, 3, "a record type such as \"A\", \"AAAA\", \"MX\"");
	uint8_t wire[255];
	size_t n;
	const char *why;
	if (dns_name_wire(name, wire, &n, &why) != 0)
		return luaL_argerror(L, 2, why);
	char absname[DNS_TEXT_MAX];
	size_t l = strlen(name);
	snprintf(absname, sizeof absname, "%s%s", name, l && name[l - 1] == '.' ? "" : ".");
	struct dns_msg m;
	int rc = dns_resolve(r, absname, type, &m);
	if (rc) {
		dns_msg_free(&m);
		return lab_fail(L, "lab.dns.resolver: not enough memory");
	}
	push_msg(L, &m);
	dns_msg_free(&m);
	lab_setint(L, "queries", (lua_Integer)r->queries);
	lab_setnum(L, "time", r->elapsed);
	lab_setbool(L, "from_cache", r->queries == 0);
	lua_createtable(L, (int)r->nt, 0); /* push trace */
	for (size_t i = 0; i < r->nt; i++) {
		const struct dns_step *s = &r->t[i];
		lua_createtable(L, 0, 7);
		if (s->from_cache || s->verdict) {
			lab_setstr(L, "server", s->from_cache ? "cache" : "resolver");
		} else {
			lab_setstr(L, "server", s->server);
			lab_setstr(L, "ip", s->ip);
			lab_setnum(L, "rtt", s->rtt);
		}
		lab_setstr(L, "name", s->name);
		push_type(L, s->type);
		lua_setfield(L, -2, "type");
		lab_setstr(L, "result", s->result);
		lab_setint(L, "depth", s->depth);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	lua_setfield(L, -2, "trace");
	return 1;
}

static int cmp_entries(const void *a, const void *b)
{
	const struct dns_centry *x = a, *y = b;
	int c = strcasecmp(x->name, y->name);
	return c ? c : (int)x->type - (int)y->type;
}

static int m_cache(lua_State *L)
{
	struct dns_resolver *r = lab_self(L, &resolver_class);
	dns_resolver_prune(r);
	qsort(r->c, r->nc, sizeof *r->c, cmp_entries);
	static const char *const kinds[] = {"positive", "NODATA", "NXDOMAIN"};
	lua_createtable(L, (int)r->nc, 0);
	for (size_t i = 0; i < r->nc; i++) {
		const struct dns_centry *e = &r->c[i];
		lua_createtable(L, 0, 5);
		lab_setstr(L, "name", e->name);
		if (e->type)
			push_type(L, e->type), lua_setfield(L, -2, "type");
		lab_setstr(L, "kind", kinds[e->kind]);
		double left = e->expires - r->now;
		lab_setint(L, "ttl", (lua_Integer)(left > 0 ? left + 1e-9 : 0));
		lua_createtable(L, (int)e->nrr, 0);
		for (size_t k = 0; k < e->nrr; k++) {
			char text[RDATA_TEXT];
			dns_rdata_text(e->kind == DNS_CACHE_POSITIVE ? e->type : DNS_SOA,
			               e->rr[k].rdata, e->rr[k].n, text, sizeof text);
			lua_pushstring(L, text);
			lua_rawseti(L, -2, (lua_Integer)k + 1);
		}
		lua_setfield(L, -2, "data");
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	return 1;
}

static int m_advance(lua_State *L)
{
	struct dns_resolver *r = lab_self(L, &resolver_class);
	double dt = luaL_checknumber(L, 2);
	luaL_argcheck(L, dt >= 0 && dt < 1e12, 2, "time moves forward only");
	dns_resolver_advance(r, dt);
	lua_pushnumber(L, r->now);
	return 1;
}

static int m_now(lua_State *L)
{
	struct dns_resolver *r = lab_self(L, &resolver_class);
	lua_pushnumber(L, r->now);
	return 1;
}

static int m_flush(lua_State *L)
{
	dns_resolver_flush(lab_self(L, &resolver_class));
	return 0;
}

static int m_stats(lua_State *L)
{
	struct dns_resolver *r = lab_self(L, &resolver_class);
	lua_createtable(L, 0, 3);
	lab_setint(L, "queries", (lua_Integer)r->total_queries);
	lab_setint(L, "cache_hits", (lua_Integer)r->total_hits);
	dns_resolver_prune(r);
	lab_setint(L, "entries", (lua_Integer)r->nc);
	return 1;
}

static int m_resolver_tostring(lua_State *L)
{
	struct dns_resolver *r = lab_self(L, &resolver_class);
	lua_pushfstring(L, "lab.dns.resolver(t=%f, %d cache entries)", r->now, (int)r->nc);
	return 1;
}

static const luaL_Reg resolver_meta[] = {
	{"__tostring", m_resolver_tostring},
	{NULL, NULL},
};

static const luaL_Reg resolver_methods[] = {
    {"resolve", m_resolve}, {"cache", m_cache}, {"advance", m_advance}, {"now", m_now},
    {"flush", m_flush},     {"stats", m_stats}, {NULL, NULL},
};

static const struct lab_class resolver_class = {
    .name = "lab.dns.resolver",
    .methods = resolver_methods,
    .metamethods = resolver_meta,
    .free = free_resolver,
    .uservalues = 0,
};

static const luaL_Reg functions[] = {
    {"encode", l_encode},
    {"decode", l_decode},
    {"decode_name", l_decode_name},
    {"encode_name", l_encode_name},
    {"query", l_query},
    {"roots", l_roots},
    {"servers", l_servers},
    {"zones", l_zones},
    {"resolver", l_resolver},
    {NULL, NULL},
};

const struct lab_namespace lab_ns_dns = {
    .functions = functions,
    .classes = (const struct lab_class *const[]){&resolver_class, NULL},
};
