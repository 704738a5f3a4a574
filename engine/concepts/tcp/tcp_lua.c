/*
 * tcp_lua.c — lab.tcp: the connection simulator (tcpsim.h), the state
 * diagram and the RTO estimator (tcpfsm.h).
 *
 *   local c = lab.tcp.new{delay = 0.05, loss = 0.01, seed = 1, ...}
 *   c:connect() c:send(bytes [, side]) c:close([side]) c:run([until])
 *   c:step() c:segments([from]) c:print([from]) c:state([side])
 *   c:states([side]) c:cwnd([side]) c:stats([side]) c:now()
 *   lab.tcp.simulate{bytes = n, ...} -> everything of one transfer
 *   lab.tcp.transition(state, event) -> next, send | nil, err
 *   lab.tcp.rto{} -> e; e:sample(rtt) e:timeout() e:get()
 */
#include "engine/lab/labkit.h"
#include "engine/concepts/tcp/tcpsim.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const char *const sides[] = {"client", "server", NULL};

static const struct lab_opt new_opts[] = {
    {"delay", LAB_NUM, .num = 0.05, .min = 0, .max = 1e4, .help = "one-way delay, seconds"},
    {"loss", LAB_NUM, .num = 0, .min = 0, .max = 1, .help = "probability each segment is lost"},
    {"bandwidth", LAB_NUM, .num = 0, .min = 0, .max = 1e12,
     .help = "bytes a second each way (0: no limit)"},
    {"queue", LAB_INT, .num = 0, .min = 0, .max = 1e6,
     .help = "segments the bottleneck holds before it drops (0: no limit)"},
    {"mss", LAB_INT, .num = 1000, .min = 1, .max = 65495, .help = "maximum segment size"},
    {"rwnd", LAB_INT, .num = 65535, .min = 1, .max = 1e9, .help = "receive buffer, bytes"},
    {"read_rate", LAB_NUM, .num = 0, .min = 0, .max = 1e12,
     .help = "bytes a second the receiver reads (0: at once)"},
    {"iw", LAB_INT, .num = 0, .min = 0, .max = 1000,
     .help = "initial window in segments (0: RFC 5681's)"},
    {"ssthresh", LAB_NUM, .num = 65535, .min = 1, .max = 1e12, .help = "initial ssthresh, bytes"},
    {"initial_rto", LAB_NUM, .num = 1, .min = 1e-3, .max = 3600},
    {"min_rto", LAB_NUM, .num = 1, .min = 0, .max = 3600, .help = "RFC 6298 2.4 (Linux: 0.2)"},
    {"max_rto", LAB_NUM, .num = 60, .min = 1e-3, .max = 1e5},
    {"granularity", LAB_NUM, .num = 0, .min = 0, .max = 10, .help = "clock granularity G"},
    {"msl", LAB_NUM, .num = 30, .min = 0, .max = 1e5, .help = "TIME_WAIT lasts 2 MSL"},
    {"syn_retries", LAB_INT, .num = 6, .min = 0, .max = 100},
    {"server", LAB_ENUM, .str = "listen", .choices = "listen closed"},
    {"autoclose", LAB_BOOL, .num = 1, .help = "the server closes when the client has"},
    {"seed", LAB_INT, .num = 1, .help = "losses and initial sequence numbers"},
    {"client_iss", LAB_INT, .num = -1, .min = -1, .max = 4294967295.0,
	 .help = "initial sequence number (-1: drawn from the seed)"},
    {"server_iss", LAB_INT, .num = -1, .min = -1, .max = 4294967295.0,
	 .help = "(-1: drawn from the seed)"},
    {"drop", LAB_TABLE, .help = "segment numbers to lose, e.g. {5, 6}"},
    {"max_events", LAB_INT, .num = 2000000, .min = 1, .max = 1e9},
    {NULL},
};
enum {
	O_DELAY,
	O_LOSS,
	O_BW,
	O_QUEUE,
	O_MSS,
	O_RWND,
	O_READ,
	O_IW,
	O_SSTHRESH,
	O_IRTO,
	O_MINRTO,
	O_MAXRTO,
	O_G,
	O_MSL,
	O_SYNRETRIES,
	O_SERVER,
	O_AUTOCLOSE,
	O_SEED,
	O_CISS,
	O_SISS,
	O_DROP,
	O_MAXEV
};

static const struct lab_opt sim_opts_extra[] = {
    {"bytes", LAB_INT, .num = 100000, .min = 0, .max = 1e10, .help = "the client sends"},
    {"until", LAB_NUM, .num = 3600, .min = 0, .max = 1e7, .help = "stop at this time"},
    {NULL},
};

struct lconn {
	struct tcp_sim *s;
	size_t reported; /* segments returned by run() so far */
};

static void free_conn(void *obj)
{
	struct lconn *c = obj;
	tcp_sim_free(c->s);
	c->s = NULL;
}

static const struct lab_class conn_class;

/* Builds the configuration from the options at index IDX (spec SPEC). */
static void read_conf(lua_State *L, const struct lab_val *o, int idx, struct tcp_conf *c,
                      unsigned **drop)
{
	tcp_conf_defaults(c);
	c->delay = o[O_DELAY].num;
	c->loss = o[O_LOSS].num;
	c->bandwidth = o[O_BW].num;
	c->queue = (int)o[O_QUEUE].i;
	c->mss = (uint32_t)o[O_MSS].i;
	c->rwnd = (uint32_t)o[O_RWND].i;
	c->read_rate = o[O_READ].num;
	c->iw = (uint32_t)o[O_IW].i;
	c->ssthresh = o[O_SSTHRESH].num;
	c->initial_rto = o[O_IRTO].num;
	c->min_rto = o[O_MINRTO].num;
	c->max_rto = o[O_MAXRTO].num;
	c->granularity = o[O_G].num;
	c->msl = o[O_MSL].num;
	c->syn_retries = (int)o[O_SYNRETRIES].i;
	c->server_listen = o[O_SERVER].choice == 0;
	c->server_autoclose = (int)o[O_AUTOCLOSE].i;
	c->seed = (uint64_t)o[O_SEED].i;
	c->max_events = (unsigned long)o[O_MAXEV].i;
	if (c->min_rto > c->max_rto)
		luaL_error(L, "lab.tcp: min_rto is above max_rto");
	struct rng r;
	rng_seed(&r, c->seed ^ 0x5bd1e995u);
	for (int i = 0; i < 2; i++) {
		lua_Integer v = o[i ? O_SISS : O_CISS].i;
		c->iss[i] = v >= 0 ? (uint32_t)v : (uint32_t)rng_next(&r);
	}
	*drop = NULL;
	if (lab_optpush(L, idx, "drop") == LUA_TTABLE) { /* push drop list */
		size_t n = lua_rawlen(L, -1);
		*drop = lua_newuserdatauv(L, (n ? n : 1) * sizeof **drop, 0); /* push */
		lua_insert(L, -2); /* keep it under the list */
		for (size_t i = 0; i < n; i++) {
			lua_rawgeti(L, -1, (lua_Integer)i + 1);
			if (!lua_isinteger(L, -1) || lua_tointeger(L, -1) < 1)
				luaL_error(L, "lab.tcp: drop lists segment numbers (1, 2, ...)");
			(*drop)[i] = (unsigned)lua_tointeger(L, -1);
			lua_pop(L, 1);
		}
		c->drop = *drop;
		c->ndrop = n;
	}
	lua_pop(L, 1); /* remove drop list (or nil) */
}

static int l_new(lua_State *L)
{
	const struct lab_val *o = lab_opts(L, 1, "lab.tcp.new", new_opts);
	struct tcp_conf c;
	unsigned *drop;
	read_conf(L, o, 1, &c, &drop);
	struct lconn *lc = lab_newobj(L, &conn_class, sizeof *lc); /* push conn */
	lc->s = tcp_sim_new(&c);
	if (!lc->s)
		return lab_fail(L, "lab.tcp.new: not enough memory");
	return 1;
}

static int side_arg(lua_State *L, int idx)
{
	return luaL_checkoption(L, idx, "client", sides);
}

static const char *flag_text(unsigned f, char buf[24])
{
	buf[0] = '\0';
	const char *names[] = {"SYN", "ACK", "FIN", "RST"};
	static const unsigned order[] = {TCP_SYN, TCP_FIN, TCP_RST, TCP_ACK};
	static const int name_of[] = {0, 2, 3, 1};
	for (int i = 0; i < 4; i++)
		if (f & order[i]) {
			if (buf[0])
				strcat(buf, ",");
			strcat(buf, names[name_of[i]]);
		}
	return buf;
}

static void push_seg(lua_State *L, const struct tcp_sim *s, const struct tcp_seg *g)
{
	static const char *const lost[] = {NULL, "random", "drop", "queue"};
	char f[24];
	lua_createtable(L, 0, 14); /* push segment */
	lab_setint(L, "n", g->n);
	lab_setnum(L, "t", g->sent);
	lab_setstr(L, "from", sides[g->from]);
	lab_setstr(L, "to", sides[1 - g->from]);
	lab_setstr(L, "flags", flag_text(g->flags, f));
	/* a RST answering a stray segment has no ISS of its own: its number as is */
	lab_setint(L, "seq",
	           (g->flags & TCP_RST) ? (lua_Integer)g->seq
	                                : (lua_Integer)(uint32_t)(g->seq - s->e[g->from].iss));
	if (g->flags & TCP_ACK)
		lab_setint(L, "ack", (lua_Integer)(uint32_t)(g->ack - s->e[1 - g->from].iss));
	lab_setint(L, "rawseq", g->seq);
	lab_setint(L, "rawack", g->ack);
	lab_setint(L, "len", g->len);
	lab_setint(L, "wnd", g->wnd);
	if (g->lost)
		lab_setstr(L, "lost", lost[g->lost]);
	else
		lab_setnum(L, "arrive", g->arrive);
	lab_setbool(L, "retrans", g->retrans);
	lab_setbool(L, "probe", g->probe);
}

static void push_segs(lua_State *L, const struct tcp_sim *s, size_t from)
{
	lua_createtable(L, (int)(s->nseg - from), 0);
	for (size_t i = from; i < s->nseg; i++) {
		push_seg(L, s, &s->seg[i]);
		lua_rawseti(L, -2, (lua_Integer)(i - from) + 1);
	}
}

static struct lconn *conn(lua_State *L)
{
	struct lconn *c = lab_self(L, &conn_class);
	return c;
}

static int check(lua_State *L, int rc, const char *who, const char *why)
{
	if (rc < 0)
		return lab_fail(L, "%s: %s", who, why ? why : "failed");
	return 0;
}

static int m_connect(lua_State *L)
{
	struct lconn *c = conn(L);
	const char *why = NULL;
	if (tcp_connect(c->s, &why) < 0)
		check(L, -1, "connect", why);
	return 0;
}

static int m_send(lua_State *L)
{
	struct lconn *c = conn(L);
	lua_Integer n = luaL_checkinteger(L, 2);
	luaL_argcheck(L, n >= 0 && n <= 10000000000LL, 2, "a number of bytes, 0 to 10^10");
	const char *why = NULL;
	if (tcp_write(c->s, side_arg(L, 3), (uint64_t)n, &why) < 0)
		check(L, -1, "send", why);
	return 0;
}

static int m_close(lua_State *L)
{
	struct lconn *c = conn(L);
	const char *why = NULL;
	if (tcp_close(c->s, side_arg(L, 2), &why) < 0)
		check(L, -1, "close", why);
	return 0;
}

static int m_run(lua_State *L)
{
	struct lconn *c = conn(L);
	double until = luaL_optnumber(L, 2, INFINITY);
	const char *why = NULL;
	if (tcp_run(c->s, until, &why) < 0)
		check(L, -1, "run", why);
	push_segs(L, c->s, c->reported);
	c->reported = c->s->nseg;
	return 1;
}

static int m_step(lua_State *L)
{
	struct lconn *c = conn(L);
	const char *why = NULL;
	int rc = tcp_step(c->s, &why);
	if (rc < 0)
		check(L, rc, "step", why);
	lua_pushboolean(L, rc > 0);
	push_segs(L, c->s, c->reported);
	c->reported = c->s->nseg;
	return 2;
}

static int m_segments(lua_State *L)
{
	struct lconn *c = conn(L);
	lua_Integer from = luaL_optinteger(L, 2, 1);
	luaL_argcheck(L, from >= 1, 2, "segments are numbered from 1");
	push_segs(L, c->s, (size_t)from - 1 < c->s->nseg ? (size_t)from - 1 : c->s->nseg);
	return 1;
}

/* One line per segment, with relative sequence numbers. */
static int m_print(lua_State *L)
{
	struct lconn *c = conn(L);
	lua_Integer from = luaL_optinteger(L, 2, 1);
	const struct tcp_sim *s = c->s;
	luaL_Buffer b;
	luaL_buffinit(L, &b);
	for (size_t i = from > 0 ? (size_t)from - 1 : 0; i < s->nseg; i++) {
		const struct tcp_seg *g = &s->seg[i];
		char f[24], line[160], ack[24] = "";
		if (g->flags & TCP_ACK)
			snprintf(ack, sizeof ack, " ack=%u",
			         (uint32_t)(g->ack - s->e[1 - g->from].iss));
		snprintf(line, sizeof line, "%3u %8.3f %s %-7s seq=%u%s len=%u win=%u%s%s%s\n",
		         g->n, g->sent, g->from ? "server -> client" : "client -> server",
		         flag_text(g->flags, f),
		         (g->flags & TCP_RST) ? g->seq : (uint32_t)(g->seq - s->e[g->from].iss),
		         ack, g->len, g->wnd, g->retrans ? " (retransmission)" : "",
		         g->probe ? " (window probe)" : "", g->lost ? "  LOST" : "");
		luaL_addstring(&b, line);
	}
	luaL_pushresult(&b);
	return 1;
}

static int m_state(lua_State *L)
{
	struct lconn *c = conn(L);
	lua_pushstring(L, tcp_state_name(c->s->e[side_arg(L, 2)].st));
	return 1;
}

static int f_from(lua_State *L, const void *ch, const void *ud)
{
	lua_pushstring(L, tcp_state_name(((const struct tcp_change *)ch)->from));
	return 1;
}

static int f_to(lua_State *L, const void *ch, const void *ud)
{
	lua_pushstring(L, tcp_state_name(((const struct tcp_change *)ch)->to));
	return 1;
}

static const struct lab_field change_fields[] = {
	LAB_F(struct tcp_change, t), LAB_FFN("from", f_from), LAB_FFN("to", f_to), {NULL},
};
static const struct lab_field cwnd_fields[] = {
	LAB_F(struct tcp_point, t), LAB_F(struct tcp_point, cwnd), LAB_F(struct tcp_point, ssthresh),
	{NULL},
};

static int m_states(lua_State *L)
{
	struct lconn *c = conn(L);
	const struct tcp_end *e = &c->s->e[side_arg(L, 2)];
	LAB_STRUCTS(L, e->ch, e->nch, change_fields, NULL);
	return 1;
}

static void push_cwnd(lua_State *L, const struct tcp_end *e)
{
	LAB_COLUMNS(L, e->cw, e->ncw, cwnd_fields);
}

static int m_cwnd(lua_State *L)
{
	struct lconn *c = conn(L);
	push_cwnd(L, &c->s->e[side_arg(L, 2)]);
	return 1;
}

#define EF(name, m) LAB_FAS(name, struct tcp_end, m)
static const struct lab_field stats_fields[] = {
	EF("segments", sent), EF("retransmissions", retrans), EF("timeouts", timeouts),
	EF("fast_retransmits", fast_retx), EF("probes", probes), EF("dup_acks", dup_acks_rcvd),
	EF("bytes_written", written), EF("bytes_delivered", delivered), EF("cwnd", cwnd),
	EF("ssthresh", ssthresh), EF("rto", rto.rto), EF("error", error), {NULL},
};

static void push_stats(lua_State *L, const struct tcp_sim *s, const struct tcp_end *e)
{
	lab_pushfields(L, e, stats_fields);
	lab_setstr(L, "state", tcp_state_name(e->st));
	uint64_t acked = e->una > 1 ? e->una - 1 : 0; /* the SYN is not a byte */
	lab_setint(L, "bytes_acked", (lua_Integer)(acked > e->written ? e->written : acked));
	if (e->rto.have_sample) {
		lab_setnum(L, "srtt", e->rto.srtt);
		lab_setnum(L, "rttvar", e->rto.rttvar);
	}
	if (e->t_acked > 0)
		lab_setnum(L, "t_acked", e->t_acked);
	if (e->t_delivered > 0)
		lab_setnum(L, "t_delivered", e->t_delivered);
	(void)s;
}

static int m_stats(lua_State *L)
{
	struct lconn *c = conn(L);
	push_stats(L, c->s, &c->s->e[side_arg(L, 2)]);
	return 1;
}

static int m_now(lua_State *L)
{
	lua_pushnumber(L, conn(L)->s->now);
	return 1;
}

static int m_tostring(lua_State *L)
{
	struct lconn *c = conn(L);
	lua_pushfstring(L, "lab.tcp(t=%f, client %s, server %s, %d segments)", c->s->now,
	                tcp_state_name(c->s->e[0].st), tcp_state_name(c->s->e[1].st),
	                (int)c->s->nseg);
	return 1;
}

static const luaL_Reg conn_methods[] = {
    {"connect", m_connect}, {"send", m_send},         {"close", m_close}, {"run", m_run},
    {"step", m_step},       {"segments", m_segments}, {"print", m_print}, {"state", m_state},
    {"states", m_states},   {"cwnd", m_cwnd},         {"stats", m_stats}, {"now", m_now},
    {NULL, NULL},
};

static const luaL_Reg conn_meta[] = {
    {"__tostring", m_tostring},
    {NULL, NULL},
};

static const struct lab_class conn_class = {
    .name = "lab.tcp",
    .methods = conn_methods,
    .metamethods = conn_meta,
    .free = free_conn,
    .uservalues = 0,
};

/* lab.tcp.simulate{bytes = n, until = t, ...new options}: connect, send,
 * close, run. Unknown options are refused against both specs. */
static int l_simulate(lua_State *L)
{
	static struct lab_opt all[sizeof new_opts / sizeof *new_opts + 2];
	if (!all[0].name) {
		size_t n = sizeof new_opts / sizeof *new_opts - 1;
		memcpy(all, new_opts, n * sizeof *all);
		all[n] = sim_opts_extra[0];
		all[n + 1] = sim_opts_extra[1];
	}
	const struct lab_val *o = lab_opts(L, 1, "lab.tcp.simulate", all);
	size_t nbase = sizeof new_opts / sizeof *new_opts - 1;
	struct tcp_conf c;
	unsigned *drop;
	read_conf(L, o, 1, &c, &drop);
	struct lconn *lc = lab_newobj(L, &conn_class, sizeof *lc); /* push conn */
	lc->s = tcp_sim_new(&c);
	if (!lc->s)
		return lab_fail(L, "lab.tcp.simulate: not enough memory");
	const char *why = NULL;
	struct tcp_sim *s = lc->s;
	if (tcp_connect(s, &why) < 0)
		check(L, -1, "simulate", why);
	if (o[nbase].i > 0)
		if (tcp_write(s, TCP_CLIENT, (uint64_t)o[nbase].i, &why) < 0)
			check(L, -1, "simulate", why);
	if (tcp_close(s, TCP_CLIENT, &why) < 0)
		check(L, -1, "simulate", why);
	if (tcp_run(s, o[nbase + 1].num, &why) < 0)
		check(L, -1, "simulate", why);
	lua_createtable(L, 0, 8); /* push result */
	lab_setnum(L, "duration", s->e[0].t_acked > 0 ? s->e[0].t_acked : NAN);
	lab_setnum(L, "t_delivered", s->e[1].t_delivered);
	push_segs(L, s, 0);
	lua_setfield(L, -2, "segments");
	push_cwnd(L, &s->e[0]);
	lua_setfield(L, -2, "cwnd");
	lua_createtable(L, 0, 2);
	push_stats(L, s, &s->e[0]);
	lua_setfield(L, -2, "client");
	push_stats(L, s, &s->e[1]);
	lua_setfield(L, -2, "server");
	lua_setfield(L, -2, "stats");
	lua_pushvalue(L, -2); /* the connection itself */
	lua_setfield(L, -2, "conn");
	return 1;
}

static int l_transition(lua_State *L)
{
	const char *st = luaL_checkstring(L, 1), *ev = luaL_checkstring(L, 2);
	int s = tcp_state_code(st), e = tcp_event_code(ev);
	if (s < 0)
		return luaL_argerror(L, 1, "a state such as \"ESTABLISHED\" (lab.tcp.states())");
	if (e < 0)
		return luaL_argerror(L, 2, "an event such as \"rcv_syn\" (lab.tcp.events())");
	enum tcp_state next;
	const char *send;
	if (tcp_transition((enum tcp_state)s, (enum tcp_event)e, &next, &send) != 0) {
		lua_pushnil(L);
		lua_pushfstring(L, "no transition from %s on %s", tcp_state_name((enum tcp_state)s),
		                tcp_event_name((enum tcp_event)e));
		return 2;
	}
	lua_pushstring(L, tcp_state_name(next));
	lua_pushstring(L, send);
	return 2;
}

static int l_states(lua_State *L)
{
	lua_createtable(L, TCP_NSTATES, 0);
	for (int i = 0; i < TCP_NSTATES; i++) {
		lua_pushstring(L, tcp_state_name((enum tcp_state)i));
		lua_rawseti(L, -2, i + 1);
	}
	return 1;
}

static int l_events(lua_State *L)
{
	lua_createtable(L, TCP_NEVENTS, 0);
	for (int i = 0; i < TCP_NEVENTS; i++) {
		lua_pushstring(L, tcp_event_name((enum tcp_event)i));
		lua_rawseti(L, -2, i + 1);
	}
	return 1;
}

/* ---- the RTO estimator ---- */

static const struct lab_class rto_class;

static const struct lab_opt rto_opts[] = {
    {"initial", LAB_NUM, .num = 1, .min = 1e-6, .max = 1e5, .help = "RTO before any sample"},
    {"min", LAB_NUM, .num = 1, .min = 0, .max = 1e5, .help = "lower bound (2.4)"},
    {"max", LAB_NUM, .num = 60, .min = 1e-6, .max = 1e6, .help = "upper bound (2.5)"},
    {"granularity", LAB_NUM, .num = 0, .min = 0, .max = 100, .help = "clock granularity G"},
    {NULL},
};

static int l_rto(lua_State *L)
{
	const struct lab_val *o = lab_opts(L, 1, "lab.tcp.rto", rto_opts);
	if (o[1].num > o[2].num)
		return luaL_error(L, "lab.tcp.rto: min is above max");
	struct tcp_rto *r = lab_newobj(L, &rto_class, sizeof *r); /* push */
	tcp_rto_init(r, o[0].num, o[1].num, o[2].num, o[3].num);
	return 1;
}

static int m_sample(lua_State *L)
{
	struct tcp_rto *r = lab_self(L, &rto_class);
	double rtt = luaL_checknumber(L, 2);
	luaL_argcheck(L, rtt >= 0 && isfinite(rtt), 2, "a round-trip time in seconds");
	lua_pushnumber(L, tcp_rto_sample(r, rtt));
	return 1;
}

static int m_timeout(lua_State *L)
{
	lua_pushnumber(L, tcp_rto_timeout(lab_self(L, &rto_class)));
	return 1;
}

static int m_get(lua_State *L)
{
	struct tcp_rto *r = lab_self(L, &rto_class);
	lua_createtable(L, 0, 3);
	lab_setnum(L, "rto", r->rto);
	if (r->have_sample) {
		lab_setnum(L, "srtt", r->srtt);
		lab_setnum(L, "rttvar", r->rttvar);
	}
	return 1;
}

static int m_rto_tostring(lua_State *L)
{
	struct tcp_rto *r = lab_self(L, &rto_class);
	lua_pushfstring(L, "lab.tcp.rto(rto=%f s)", r->rto);
	return 1;
}

static const luaL_Reg rto_meta[] = {
	{"__tostring", m_rto_tostring},
	{NULL, NULL},
};

static const luaL_Reg rto_methods[] = {
    {"sample", m_sample},
    {"timeout", m_timeout},
    {"get", m_get},
    {NULL, NULL},
};

static const struct lab_class rto_class = {
    .name = "lab.tcp.rto",
    .methods = rto_methods,
    .metamethods = rto_meta,
    .free = NULL,
    .uservalues = 0,
};

static const luaL_Reg functions[] = {
    {"new", l_new},       {"simulate", l_simulate}, {"transition", l_transition},
    {"states", l_states}, {"events", l_events},     {"rto", l_rto},
    {NULL, NULL},
};

const struct lab_namespace lab_ns_tcp = {
    .functions = functions,
    .classes = (const struct lab_class *const[]){&conn_class, &rto_class, NULL},
    .options = (const struct lab_fnopts[]){{"new", new_opts}, {"rto", rto_opts}, {NULL}},
};
