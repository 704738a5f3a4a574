/*
 * fw_lua.c — lab.firewall: the iptables model of fw.h.
 *
 *   local fw = lab.firewall.new{interfaces = {{"eth0", "203.0.113.10/24"}, {"lo", "127.0.0.1/8"}}}
 *   fw:run("-P INPUT DROP")
 *   fw:run("-A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT")
 *   fw:packet{from = "eth0", proto = "tcp", src = "198.51.100.7", sport = 40000,
 *             dst = "203.0.113.10", dport = 22, syn = true}
 *     -> {verdict = "DROP", state = "NEW", path = "INPUT", trace = {...}, ...}
 *   fw:send{...}       a packet this host sends (OUTPUT)
 *   fw:list([chain [, table]])  fw:connections()
 */
#include "engine/concepts/firewall/fw.h"
#include "engine/lab/labkit.h"

#include <string.h>

struct lfw {
	struct fw fw;
};

static void free_fw(void *obj)
{
	fw_free(&((struct lfw *)obj)->fw);
}

static const struct lab_class fw_class;

static const struct lab_opt new_opts[] = {
	{"interfaces", LAB_TABLE, .help = "{{name, \"address/prefix\"}, ...}; the first is the default route"},
	{"forwarding", LAB_BOOL, .num = 1, .help = "route between interfaces (net.ipv4.ip_forward)"},
	{NULL},
};

static int l_new(lua_State *L)
{
	const struct lab_val *o = lab_opts(L, 1, "lab.firewall.new", new_opts);
	struct lfw *f = lab_newobj(L, &fw_class, sizeof *f);      /* push object */
	fw_init(&f->fw);
	f->fw.forwarding = (int)o[1].i;
	char err[256];
	if (lab_optpush(L, 1, "interfaces") == LUA_TTABLE) {      /* push list */
		for (lua_Integer i = 1; lua_rawgeti(L, -1, i) == LUA_TTABLE; i++) { /* push pair */
			lua_rawgeti(L, -1, 1);
			lua_rawgeti(L, -2, 2);
			const char *name = lua_tostring(L, -2), *cidr = lua_tostring(L, -1);
			if (!name || !cidr)
				return luaL_error(L, "lab.firewall.new: interfaces = {{\"eth0\", \"203.0.113.10/24\"}, ...}");
			if (fw_iface(&f->fw, name, cidr, err) != 0)
				return luaL_error(L, "lab.firewall.new: %s", err);
			lua_pop(L, 3);
		}
		lua_pop(L, 1);
	}
	lua_pop(L, 1);
	return 1;
}

static int m_run(lua_State *L)
{
	struct lfw *f = lab_self(L, &fw_class);
	const char *cmd = luaL_checkstring(L, 2);
	if (strncmp(cmd, "iptables ", 9) == 0)
		cmd += 9;
	char err[256];
	if (fw_command(&f->fw, cmd, err) != 0)
		return luaL_error(L, "iptables %s: %s", cmd, err);
	lua_settop(L, 1);
	return 1;                                       /* the firewall, for chaining */
}

static const struct lab_opt packet_opts[] = {
	{"from", LAB_STR, .help = "the interface it arrives on (packet); absent for send"},
	{"proto", LAB_ENUM, .str = "tcp", .choices = "tcp udp icmp"},
	{"src", LAB_STR, .required = 1},
	{"dst", LAB_STR, .required = 1},
	{"sport", LAB_INT, .num = 0, .min = 0, .max = 65535},
	{"dport", LAB_INT, .num = 0, .min = 0, .max = 65535},
	{"syn", LAB_BOOL, .num = 0, .help = "TCP: a SYN (the first packet of a connection)"},
	{"icmp", LAB_INT, .num = 8, .min = 0, .max = 255,
	 .help = "ICMP type: 8 echo request, 0 reply, 3 unreachable, 11 time exceeded"},
	{"inner", LAB_TABLE, .help = "ICMP errors: {proto =, src =, sport =, dst =, dport =}"},
	{NULL},
};
enum { P_FROM, P_PROTO, P_SRC, P_DST, P_SPORT, P_DPORT, P_SYN, P_ICMP, P_INNER };

static int protonum(int choice)
{
	return choice == 0 ? FW_TCP : choice == 1 ? FW_UDP : FW_ICMP;
}

static const char *protoname(int p)
{
	return p == FW_TCP ? "tcp" : p == FW_UDP ? "udp" : p == FW_ICMP ? "icmp" : "all";
}

static void read_inner(lua_State *L, int idx, struct fw_packet *p)
{
	const struct lab_val *o = lab_opts(L, idx, "lab.firewall: inner", packet_opts);
	if (fw_addr(o[P_SRC].s, &p->inner.src) || fw_addr(o[P_DST].s, &p->inner.dst))
		luaL_error(L, "lab.firewall: inner addresses must be IPv4");
	p->inner.proto = protonum(o[P_PROTO].choice);
	p->inner.sport = (int)o[P_SPORT].i;
	p->inner.dport = (int)o[P_DPORT].i;
	p->has_inner = 1;
}

static void push_packet(lua_State *L, const struct fw_packet *p)
{
	char a[16];
	lua_createtable(L, 0, 5);
	lab_setstr(L, "proto", protoname(p->proto));
	fw_format_addr(p->src, a);
	lab_setstr(L, "src", a);
	fw_format_addr(p->dst, a);
	lab_setstr(L, "dst", a);
	lab_setint(L, "sport", p->sport);
	lab_setint(L, "dport", p->dport);
}

static const char *state_name(unsigned s)
{
	return s == FW_NEW ? "NEW" : s == FW_ESTABLISHED ? "ESTABLISHED"
		: s == FW_RELATED ? "RELATED" : "INVALID";
}

static int packet(lua_State *L, int outgoing)
{
	struct lfw *f = lab_self(L, &fw_class);
	const struct lab_val *o = lab_opts(L, 2, "lab.firewall packet", packet_opts);
	struct fw_packet p = {0};
	if (fw_addr(o[P_SRC].s, &p.src) || fw_addr(o[P_DST].s, &p.dst))
		return luaL_error(L, "lab.firewall: src and dst must be IPv4 addresses");
	p.proto = protonum(o[P_PROTO].choice);
	p.sport = (int)o[P_SPORT].i;
	p.dport = (int)o[P_DPORT].i;
	p.syn = (int)o[P_SYN].i;
	p.icmp_type = (int)o[P_ICMP].i;
	if (p.proto == FW_ICMP)
		p.sport = p.dport = 0;
	if (outgoing) {
		if (o[P_FROM].set)
			return luaL_error(L, "lab.firewall.send: a packet this host sends has no 'from'");
	} else {
		if (!o[P_FROM].set)
			return luaL_error(L, "lab.firewall.packet: say the interface it arrives on: from = \"eth0\"");
		p.in = o[P_FROM].s;
	}
	if (lab_optpush(L, 2, "inner") == LUA_TTABLE)
		read_inner(L, lua_gettop(L), &p);
	struct fw_verdict *v = lab_scratch(L, sizeof *v);          /* push scratch */
	char err[256];
	if (fw_packet(&f->fw, &p, v, err) != 0)
		return lab_fail(L, "lab.firewall: %s", err);
	lua_createtable(L, 0, 6);
	lab_setstr(L, "verdict", fw_target_name(v->verdict));
	lab_setstr(L, "state", state_name(v->state));
	lab_setstr(L, "path", v->path);
	push_packet(L, &v->after);
	lua_setfield(L, -2, "after");
	lua_createtable(L, v->ntrace, 0);
	for (int i = 0; i < v->ntrace; i++) {
		lua_pushstring(L, v->trace[i]);
		lua_rawseti(L, -2, i + 1);
	}
	lua_setfield(L, -2, "trace");
	return 1;
}

static int m_packet(lua_State *L) { return packet(L, 0); }
static int m_send(lua_State *L) { return packet(L, 1); }

static int m_list(lua_State *L)
{
	struct lfw *f = lab_self(L, &fw_class);
	const char *chain = luaL_optstring(L, 2, "INPUT");
	const char *table = luaL_optstring(L, 3, "filter");
	int ci = fw_chain_find(&f->fw, strcmp(table, "nat") == 0 ? FW_NAT : FW_FILTER, chain);
	if (ci < 0)
		return luaL_error(L, "lab.firewall: no chain %s in %s", chain, table);
	const struct fw_chain *c = &f->fw.chains[ci];
	lua_createtable(L, (int)c->n, 3);
	for (size_t i = 0; i < c->n; i++) {
		lua_createtable(L, 0, 2);
		lab_setstr(L, "rule", c->rules[i].text);
		lab_setint(L, "packets", (lua_Integer)c->rules[i].packets);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	if (c->builtin) {
		lab_setstr(L, "policy", fw_target_name(c->policy));
		lab_setint(L, "policy_packets", (lua_Integer)c->policy_packets);
	}
	return 1;
}

static int m_connections(lua_State *L)
{
	struct lfw *f = lab_self(L, &fw_class);
	lua_createtable(L, (int)f->fw.nconns, 0);
	for (size_t i = 0; i < f->fw.nconns; i++) {
		const struct fw_conn *c = &f->fw.conns[i];
		lua_createtable(L, 0, 3);
		struct fw_packet o = {.proto = c->orig.proto, .src = c->orig.src, .dst = c->orig.dst,
				      .sport = c->orig.sport, .dport = c->orig.dport};
		struct fw_packet r = {.proto = c->reply.proto, .src = c->reply.src, .dst = c->reply.dst,
				      .sport = c->reply.sport, .dport = c->reply.dport};
		push_packet(L, &o);
		lua_setfield(L, -2, "original");
		push_packet(L, &r);
		lua_setfield(L, -2, "reply");
		lab_setbool(L, "replied", c->replied);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	return 1;
}

static const luaL_Reg methods[] = {
	{"run", m_run},   {"packet", m_packet}, {"send", m_send},
	{"list", m_list}, {"connections", m_connections}, {NULL, NULL},
};
static int m_tostring(lua_State *L)
{
	struct lfw *f = lab_self(L, &fw_class);
	lua_pushfstring(L, "lab.firewall(%d interfaces, %d chains, %d connections)",
			(int)f->fw.nifaces, (int)f->fw.nchains, (int)f->fw.nconns);
	return 1;
}

static const luaL_Reg meta[] = {{"__tostring", m_tostring}, {NULL, NULL}};
static const struct lab_class fw_class = {"lab.firewall", methods, meta, free_fw, 0};

static const luaL_Reg functions[] = {{"new", l_new}, {NULL, NULL}};

const struct lab_namespace lab_ns_firewall = {
	.functions = functions,
	.classes = (const struct lab_class *const[]){&fw_class, NULL},
	.options = (const struct lab_fnopts[]){{"new", new_opts}, {"packet", packet_opts}, {NULL, NULL}},
};
