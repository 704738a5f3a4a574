/*
 * net_lua.c — lab.net: addresses, CIDR blocks and a NAT (ipaddr.h, nat.h).
 *
 *   lab.net.cidr("10.1.0.0/16") -> block (a table) | nil, err, offset
 *     block.network .broadcast .first .last .size .hosts .prefix .mask
 *     block:contains(ip or block) block:subnets(prefix) block:subnet(prefix, i)
 *     block:supernet(prefix)
 *   lab.net.parse(ip) -> {version, address, full, value} | nil, err, offset
 *   lab.net.canonical(ip) -> text | nil, err, offset
 *   lab.net.supernet{blocks...} -> list of blocks as text
 *   lab.net.range(first, last) -> list of blocks as text
 *   lab.net.nat{...} -> nat; nat:send(src, dst) nat:receive(src, dst) ...
 *
 * Malformed text is data, not a bug: parse functions return nil, a message
 * and the 0-based byte offset of the first byte refused. Wrong argument
 * types raise.
 */
#include "engine/lab/labkit.h"
#include "engine/concepts/net/ipaddr.h"
#include "engine/concepts/net/nat.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define CIDR_MT "lab.net.cidr"
#define MAX_LIST 65536 /* subnets() and supernet() return at most this many */

static int push_error(lua_State *L, const char *what, const struct ip_error *e)
{
	lua_pushnil(L);
	lua_pushfstring(L, "%s at byte offset %d: %s", what, (int)e->off, e->why);
	lua_pushinteger(L, (lua_Integer)e->off);
	return 3;
}

static void setip(lua_State *L, const char *field, const struct ipaddr *a)
{
	char t[IP_TEXT_MAX];
	ip_format(a, t);
	lab_setstr(L, field, t);
}

/* 2^K (or 2^K - D) as an integer when it fits, else a float. */
static void push_pow2(lua_State *L, int k, double value)
{
	if (k <= 62)
		lua_pushinteger(L, (lua_Integer)value);
	else
		lua_pushnumber(L, value);
}

/* Pushes the block C as a table with its fields and the block metatable. */
static void push_cidr(lua_State *L, const struct cidr *c)
{
	char t[IP_TEXT_MAX];
	int k = ip_bits(c->net.v) - c->prefix;
	lua_createtable(L, 0, 13); /* push block */
	cidr_format(c, t);
	lab_setstr(L, "cidr", t);
	setip(L, "address", &c->given);
	setip(L, "network", &c->net);
	lab_setint(L, "prefix", c->prefix);
	lab_setint(L, "version", c->net.v);
	struct ipaddr m = cidr_mask(c), last = cidr_last(c), first, hlast;
	setip(L, "mask", &m);
	struct ipaddr hm = {m.v, ~m.n & (m.v == 4 ? 0xffffffffu : ~(ip_u128)0)};
	setip(L, "hostmask", &hm);
	if (c->net.v == 4)
		setip(L, "broadcast", &last);
	cidr_hosts(c, &first, &hlast);
	setip(L, "first", &first);
	setip(L, "last", &hlast);
	push_pow2(L, k, ldexp(1.0, k));
	lua_setfield(L, -2, "size");
	push_pow2(L, k, cidr_host_count(c->net.v, k));
	lua_setfield(L, -2, "hosts");
	luaL_setmetatable(L, CIDR_MT);
}

/* Reads argument IDX as a block: a block table (its `cidr` field, raw) or
 * text. Returns 0, or pushes nil, err, offset and returns 3. */
static int get_cidr(lua_State *L, int idx, struct cidr *c)
{
	struct ip_error e;
	size_t len;
	if (lua_istable(L, idx)) {
		lua_pushstring(L, "cidr");
		lua_rawget(L, idx); /* push t.cidr */
		if (lua_type(L, -1) != LUA_TSTRING)
			luaL_argerror(L, idx,
			              "a block from lab.net.cidr or text like '10.0.0.0/8'");
		lua_replace(L, idx); /* the text stays anchored at idx */
	}
	const char *s = luaL_checklstring(L, idx, &len);
	if (cidr_parse(s, len, c, &e) != 0)
		return push_error(L, "bad block", &e);
	return 0;
}

static int get_ip(lua_State *L, int idx, struct ipaddr *a)
{
	struct ip_error e;
	size_t len;
	const char *s = luaL_checklstring(L, idx, &len);
	if (ip_parse(s, len, a, &e) != 0)
		return push_error(L, "bad address", &e);
	return 0;
}

static int l_cidr(lua_State *L)
{
	struct cidr c;
	int r = get_cidr(L, 1, &c);
	if (r)
		return r;
	push_cidr(L, &c);
	return 1;
}

static int l_parse(lua_State *L)
{
	struct ipaddr a;
	int r = get_ip(L, 1, &a);
	if (r)
		return r;
	char t[IP_TEXT_MAX];
	lua_createtable(L, 0, 4); /* push result */
	lab_setint(L, "version", a.v);
	setip(L, "address", &a);
	ip_format_full(&a, t);
	lab_setstr(L, "full", t);
	if (a.v == 4)
		lab_setint(L, "value", (lua_Integer)a.n);
	return 1;
}

static int l_canonical(lua_State *L)
{
	struct ipaddr a;
	int r = get_ip(L, 1, &a);
	if (r)
		return r;
	char t[IP_TEXT_MAX];
	ip_format(&a, t);
	lua_pushstring(L, t);
	return 1;
}

static void push_list(lua_State *L, const struct cidr *v, int n)
{
	char t[IP_TEXT_MAX];
	lua_createtable(L, n, 0); /* push list */
	for (int i = 0; i < n; i++) {
		cidr_format(&v[i], t);
		lua_pushstring(L, t);
		lua_rawseti(L, -2, i + 1);
	}
}

static int l_supernet(lua_State *L)
{
	luaL_checktype(L, 1, LUA_TTABLE);
	lua_Integer n = (lua_Integer)lua_rawlen(L, 1);
	luaL_argcheck(L, n <= MAX_LIST, 1, "at most 65536 blocks");
	size_t sz = (size_t)(n ? n : 1);
	struct cidr *in = budget_malloc(sz * sizeof *in);
	struct ip_range *ranges = budget_malloc(sz * sizeof *ranges);
	if (!in || !ranges) {
		budget_free(in);
		budget_free(ranges);
		return lab_fail(L, "lab.net.supernet: not enough memory");
	}
	for (lua_Integer i = 1; i <= n; i++) {
		lua_rawgeti(L, 1, i); /* push block i */
		int r = get_cidr(L, lua_gettop(L), &in[i - 1]);
		if (r) {
			budget_free(in);
			budget_free(ranges);
			return r;
		}
		lua_pop(L, 1); /* remove it */
	}
	int k = cidr_merge(in, (size_t)n, ranges);
	budget_free(in);
	if (k < 0) {
		budget_free(ranges);
		return luaL_error(L, "lab.net.supernet: the blocks mix IPv4 and IPv6");
	}
	char t[IP_TEXT_MAX];
	struct cidr out[256];
	lua_newtable(L); /* push list */
	lua_Integer w = 0;
	for (int i = 0; i < k; i++) {
		int m = cidr_range(&ranges[i].lo, &ranges[i].hi, out, 256);
		for (int j = 0; j < m; j++) {
			cidr_format(&out[j], t);
			lua_pushstring(L, t);
			lua_rawseti(L, -2, ++w);
		}
	}
	budget_free(ranges);
	return 1;
}

static int l_range(lua_State *L)
{
	struct ipaddr a, b;
	int r = get_ip(L, 1, &a);
	if (r || (r = get_ip(L, 2, &b)))
		return r;
	luaL_argcheck(L, a.v == b.v, 2, "both addresses must be of one version");
	luaL_argcheck(L, a.n <= b.n, 2, "the first address must not come after the last");
	struct cidr out[256];
	int k = cidr_range(&a, &b, out, 256);
	push_list(L, out, k);
	return 1;
}

/* ---- block methods ---- */

static int m_contains(lua_State *L)
{
	struct cidr c, in;
	int r = get_cidr(L, 1, &c);
	if (r)
		return luaL_error(L, "contains: %s", lua_tostring(L, -2));
	if (lua_type(L, 2) == LUA_TSTRING && !strchr(lua_tostring(L, 2), '/')) {
		struct ipaddr a;
		if ((r = get_ip(L, 2, &a)))
			return r;
		lua_pushboolean(L, cidr_contains(&c, &a));
		return 1;
	}
	if ((r = get_cidr(L, 2, &in)))
		return r;
	lua_pushboolean(L, cidr_covers(&c, &in));
	return 1;
}

static int m_subnets(lua_State *L)
{
	struct cidr c, s;
	if (get_cidr(L, 1, &c))
		return luaL_error(L, "subnets: %s", lua_tostring(L, -2));
	lua_Integer p = luaL_checkinteger(L, 2);
	luaL_argcheck(L, p >= c.prefix && p <= ip_bits(c.net.v), 2,
	              "the new prefix must be at least the block's and at most its bits");
	luaL_argcheck(L, p - c.prefix <= 16, 2, "that makes more than 65536 subnets");
	lua_Integer n = (lua_Integer)1 << (p - c.prefix);
	char t[IP_TEXT_MAX];
	lua_createtable(L, (int)n, 0); /* push list */
	for (lua_Integer i = 0; i < n; i++) {
		cidr_subnet(&c, (int)p, (ip_u128)i, &s);
		cidr_format(&s, t);
		lua_pushstring(L, t);
		lua_rawseti(L, -2, i + 1);
	}
	return 1;
}

static int m_subnet(lua_State *L)
{
	struct cidr c, s;
	if (get_cidr(L, 1, &c))
		return luaL_error(L, "subnet: %s", lua_tostring(L, -2));
	lua_Integer p = luaL_checkinteger(L, 2);
	lua_Integer i = luaL_optinteger(L, 3, 1);
	luaL_argcheck(L, p >= c.prefix && p <= ip_bits(c.net.v), 2,
	              "the new prefix must be at least the block's and at most its bits");
	luaL_argcheck(L, i >= 1, 3, "subnets are numbered from 1");
	if (cidr_subnet(&c, (int)p, (ip_u128)(i - 1), &s) != 0)
		return luaL_argerror(L, 3, "there are not that many subnets");
	push_cidr(L, &s);
	return 1;
}

static int m_supernet(lua_State *L)
{
	struct cidr c, s;
	if (get_cidr(L, 1, &c))
		return luaL_error(L, "supernet: %s", lua_tostring(L, -2));
	lua_Integer p = luaL_optinteger(L, 2, c.prefix > 0 ? c.prefix - 1 : 0);
	luaL_argcheck(L, p >= 0 && p <= c.prefix, 2,
	              "the new prefix must be between 0 and the block's");
	cidr_make(&s, &c.net, (int)p);
	push_cidr(L, &s);
	return 1;
}

static int m_tostring(lua_State *L)
{
	lua_pushstring(L, "cidr");
	lua_rawget(L, 1); /* push t.cidr */
	if (lua_type(L, -1) != LUA_TSTRING)
		lua_pushliteral(L, "lab.net.cidr(?)");
	return 1;
}

static const luaL_Reg cidr_methods[] = {
    {"contains", m_contains}, {"subnets", m_subnets}, {"subnet", m_subnet},
    {"supernet", m_supernet}, {NULL, NULL},
};

/* ---- the NAT ---- */

struct lnat {
	struct nat t;
	int clockref; /* registry reference to the clock option, or LUA_NOREF */
};

static void free_nat(void *obj)
{
	nat_free(&((struct lnat *)obj)->t);
}

static const struct lab_class nat_class;

static const char *const behaviours[] = {"independent", "address", "address-port"};

static const struct lab_opt nat_opts[] = {
    {"public", LAB_STR, .str = "203.0.113.1", .help = "the NAT's public IPv4 address"},
    {"mapping", LAB_ENUM, .str = "independent", .choices = "independent address address-port",
     .help = "RFC 4787 section 4.1"},
    {"filtering", LAB_ENUM, .str = "address-port", .choices = "independent address address-port",
     .help = "RFC 4787 section 5"},
    {"timeout", LAB_NUM, .num = 120, .min = 1e-3, .max = 1e9,
     .help = "seconds a mapping lives unused (RFC 4787 REQ-5: at least 120)"},
    {"hairpin", LAB_BOOL, .num = 1, .help = "turn packets to our own address around"},
    {"preserve_port", LAB_BOOL, .num = 1, .help = "keep the internal port when free"},
    {"inbound_refresh", LAB_BOOL, .num = 0, .help = "inbound packets refresh the timer"},
    {"first_port", LAB_INT, .num = 1024, .min = 1, .max = 65535},
    {"last_port", LAB_INT, .num = 65535, .min = 1, .max = 65535},
    {NULL},
};
enum {
	O_PUBLIC,
	O_MAPPING,
	O_FILTERING,
	O_TIMEOUT,
	O_HAIRPIN,
	O_PRESERVE,
	O_REFRESH,
	O_FIRST,
	O_LAST
};

static int l_nat(lua_State *L)
{
	const struct lab_val *o = lab_opts(L, 1, "lab.net.nat", nat_opts);
	struct ipaddr pub;
	struct ip_error e;
	if (ip_parse(o[O_PUBLIC].s, o[O_PUBLIC].len, &pub, &e) != 0 || pub.v != 4)
		return luaL_error(L, "lab.net.nat: option 'public' must be an IPv4 address");
	if (o[O_FIRST].i > o[O_LAST].i)
		return luaL_error(L, "lab.net.nat: first_port is after last_port");
	struct nat_conf conf = {
	    .public_ip = (uint32_t)pub.n,
	    .port_lo = (uint16_t)o[O_FIRST].i,
	    .port_hi = (uint16_t)o[O_LAST].i,
	    .mapping = (enum nat_behaviour)o[O_MAPPING].choice,
	    .filtering = (enum nat_behaviour)o[O_FILTERING].choice,
	    .timeout = o[O_TIMEOUT].num,
	    .hairpin = (int)o[O_HAIRPIN].i,
	    .preserve_port = (int)o[O_PRESERVE].i,
	    .inbound_refresh = (int)o[O_REFRESH].i,
	};
	struct lnat *n = lab_newobj(L, &nat_class, sizeof *n); /* push nat */
	nat_init(&n->t, &conf);
	return 1;
}

/* Reads "a.b.c.d:port" at IDX into EP; raises on bad text (a programming
 * error in a script, not data). */
static struct nat_ep get_ep(lua_State *L, int idx)
{
	size_t len;
	const char *s = luaL_checklstring(L, idx, &len);
	const char *colon = memrchr(s, ':', len);
	struct ipaddr a;
	struct ip_error e;
	if (!colon || ip_parse(s, (size_t)(colon - s), &a, &e) != 0 || a.v != 4)
		luaL_argerror(L, idx, "an IPv4 endpoint like '192.168.1.10:5000'");
	unsigned port = 0;
	size_t i = (size_t)(colon - s) + 1;
	if (i == len)
		luaL_argerror(L, idx, "missing port after ':'");
	for (; i < len; i++) {
		if (s[i] < '0' || s[i] > '9' || (port = port * 10 + (unsigned)(s[i] - '0')) > 65535)
			luaL_argerror(L, idx, "the port is a number 1..65535");
	}
	if (port == 0)
		luaL_argerror(L, idx, "the port is a number 1..65535");
	return (struct nat_ep){(uint32_t)a.n, (uint16_t)port};
}

static void ep_text(struct nat_ep ep, char out[IP_TEXT_MAX + 8])
{
	snprintf(out, IP_TEXT_MAX + 8, "%u.%u.%u.%u:%u", ep.ip >> 24, (ep.ip >> 16) & 255,
	         (ep.ip >> 8) & 255, ep.ip & 255, ep.port);
}

static void set_ep(lua_State *L, const char *field, struct nat_ep ep)
{
	char t[IP_TEXT_MAX + 8];
	ep_text(ep, t);
	lab_setstr(L, field, t);
}

static int push_result(lua_State *L, const struct nat_result *r)
{
	if (r->verdict == NAT_NO_MEMORY)
		return lab_fail(L, "lab.net.nat: not enough memory");
	if (r->verdict != NAT_PASS && r->verdict != NAT_HAIRPIN) {
		lua_pushnil(L);
		lua_pushstring(L, nat_verdict_text(r->verdict));
		return 2;
	}
	lua_createtable(L, 0, 3); /* push packet */
	set_ep(L, "src", r->src);
	set_ep(L, "dst", r->dst);
	lab_setbool(L, "hairpin", r->verdict == NAT_HAIRPIN);
	return 1;
}

static int m_send(lua_State *L)
{
	struct lnat *n = lab_self(L, &nat_class);
	struct nat_ep src = get_ep(L, 2), dst = get_ep(L, 3);
	struct nat_result r;
	nat_outbound(&n->t, n->t.now, src, dst, &r);
	return push_result(L, &r);
}

static int m_receive(lua_State *L)
{
	struct lnat *n = lab_self(L, &nat_class);
	struct nat_ep src = get_ep(L, 2), dst = get_ep(L, 3);
	struct nat_result r;
	if (dst.ip != n->t.conf.public_ip)
		return luaL_argerror(L, 3,
		                     "inbound packets are addressed to the NAT's public address");
	nat_inbound(&n->t, n->t.now, src, dst.port, &r);
	return push_result(L, &r);
}

static int m_advance(lua_State *L)
{
	struct lnat *n = lab_self(L, &nat_class);
	double dt = luaL_checknumber(L, 2);
	luaL_argcheck(L, dt >= 0 && isfinite(dt), 2, "time moves forward only");
	nat_advance(&n->t, n->t.now + dt);
	lua_pushnumber(L, n->t.now);
	return 1;
}

static int m_now(lua_State *L)
{
	struct lnat *n = lab_self(L, &nat_class);
	lua_pushnumber(L, n->t.now);
	return 1;
}

static int m_mappings(lua_State *L)
{
	struct lnat *n = lab_self(L, &nat_class);
	nat_advance(&n->t, n->t.now);
	lua_createtable(L, (int)n->t.n, 0); /* push list */
	for (size_t i = 0; i < n->t.n; i++) {
		const struct nat_map *m = &n->t.m[i];
		lua_createtable(L, 0, 4); /* push mapping */
		set_ep(L, "internal", m->in);
		set_ep(L, "public", (struct nat_ep){n->t.conf.public_ip, m->pub});
		if (n->t.conf.mapping != NAT_INDEPENDENT) {
			char t[IP_TEXT_MAX + 8];
			ep_text(m->remote, t);
			if (n->t.conf.mapping == NAT_ADDRESS)
				*strrchr(t, ':') = '\0';
			lab_setstr(L, "remote", t);
		}
		lab_setnum(L, "expires", m->expires);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	return 1;
}

static int m_nat_tostring(lua_State *L)
{
	struct lnat *n = lab_self(L, &nat_class);
	lua_pushfstring(L, "lab.net.nat(mapping=%s, filtering=%s, %d mappings)",
	                behaviours[n->t.conf.mapping], behaviours[n->t.conf.filtering],
	                (int)n->t.n);
	return 1;
}

static const luaL_Reg nat_methods[] = {
    {"send", m_send}, {"receive", m_receive},   {"advance", m_advance},
    {"now", m_now},   {"mappings", m_mappings}, {NULL, NULL},
};

static const luaL_Reg nat_meta[] = {
    {"__tostring", m_nat_tostring},
    {NULL, NULL},
};

static const struct lab_class nat_class = {
    .name = "lab.net.nat",
    .methods = nat_methods,
    .metamethods = nat_meta,
    .free = free_nat,
    .uservalues = 0,
};

/* Creates the metatable of blocks (plain tables with fields). */
static void fields(lua_State *L)
{
	if (luaL_newmetatable(L, CIDR_MT)) {  /* push metatable */
		luaL_newlib(L, cidr_methods); /* push methods */
		lua_setfield(L, -2, "__index");
		lua_pushcfunction(L, m_tostring);
		lua_setfield(L, -2, "__tostring");
		lua_pushboolean(L, 0);
		lua_setfield(L, -2, "__metatable"); /* locked */
	}
	lua_pop(L, 1); /* remove metatable */
}

static const luaL_Reg functions[] = {
    {"cidr", l_cidr},
    {"parse", l_parse},
    {"canonical", l_canonical},
    {"supernet", l_supernet},
    {"range", l_range},
    {"nat", l_nat},
    {NULL, NULL},
};

const struct lab_namespace lab_ns_net = {
    .functions = functions,
    .fields = fields,
    .classes = (const struct lab_class *const[]){&nat_class, NULL},
    .options = (const struct lab_fnopts[]){{"nat", nat_opts}, {NULL}},
};
