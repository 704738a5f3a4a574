/*
 * raft_lua.c — lab.raft: Raft nodes for lab.sim, audited runs, looking
 * inside a cluster, the rules on their own, and an auditor for nodes
 * written in Lua.
 *
 *   lab.raft.node{...}              a behaviour: s:node(ids, lab.raft.node{})
 *   lab.raft.run{nodes, seed, ...}  one audited run under the nemesis
 *   lab.raft.check{runs, seed, ...} many; the first violation
 *   lab.raft.view(s, id)  lab.raft.get(s, id, key)  lab.raft.show(s)
 *   lab.raft.timeline(s, {width})
 *   lab.raft.up_to_date  prev_ok  append  commit_index
 *   lab.raft.auditor{nodes, stable} -> a:observe(id, node [, at]), a:violation()
 */
#include "engine/lab/labkit.h"
#include "engine/concepts/raft/raft.h"
#include "engine/concepts/raft/raft_int.h"
#include "engine/concepts/sim/sim_lua.h"

#include <stdio.h>
#include <string.h>

#define BUGS "none vote commit timer check"
static const int bug_values[] = {0, RAFT_BUG_VOTE, RAFT_BUG_COMMIT, RAFT_BUG_TIMER,
				 RAFT_BUG_CHECK};
static const char *const role_names[] = {"follower", "candidate", "leader"};

#define NODE_OPTS                                                                             \
	{"election", LAB_NUM, 0.15, .min = 1e-3, .max = 1e4,                                   \
	 .help = "timeouts uniform in [election, 2 * election) s"},                            \
	{"heartbeat", LAB_NUM, 0.05, .min = 1e-4, .max = 1e4, .help = "s between AppendEntries"}, \
	{"snapshot_every", LAB_INT, 64, .min = 0, .max = 1e7,                                  \
	 .help = "entries applied before a snapshot (0: never)"},                              \
	{"batch", LAB_INT, 32, .min = 1, .max = 1e6, .help = "entries per AppendEntries"},     \
	{"backup", LAB_ENUM, .str = "hint", .choices = "hint one",                             \
	 .help = "on refusal: to the follower's log end, or by one"},                          \
	{"bug", LAB_ENUM, .str = "none", .choices = BUGS, .help = "a classic bug, for tests"}
enum { O_ELECTION, O_HEARTBEAT, O_SNAP, O_BATCH, O_BACKUP, O_BUG, O_NEXT };

static struct raft_cfg read_cfg(const struct lab_val *o)
{
	struct raft_cfg c = raft_cfg_default();
	c.election = o[O_ELECTION].num;
	c.heartbeat = o[O_HEARTBEAT].num;
	c.snapshot_every = (uint32_t)o[O_SNAP].i;
	c.batch = (uint32_t)o[O_BATCH].i;
	c.backup_one = o[O_BACKUP].choice == 1;
	c.bug = (unsigned)bug_values[o[O_BUG].choice];
	return c;
}

/* ---- nodes ---- */

static const struct lab_opt node_opts[] = {
	NODE_OPTS,
	{"term", LAB_INT, 0, .min = 0, .max = 1e15, .help = "start in this term (tests)"},
	{"log", LAB_TABLE, .help = "start with no-op entries of these terms (tests)"},
	{"campaign", LAB_BOOL, 0, .help = "stand for election at once"},
	{NULL},
};

/* The behaviour's configuration with its preloaded log after it. */
static int l_node(lua_State *L)
{
	const struct lab_val *o = lab_opts(L, 1, "lab.raft.node", node_opts);
	struct raft_cfg c = read_cfg(o);
	c.pre_term = (uint64_t)o[O_NEXT].i;
	c.campaign = (int)o[O_NEXT + 2].i;
	size_t n = 0;
	if (lab_optpush(L, 1, "log")) {
		n = lua_rawlen(L, -1);
		if (n > 100000)
			return luaL_error(L, "lab.raft.node: a log of at most 100000 entries");
	}
	size_t size = sizeof c + n * sizeof(uint64_t);
	uint8_t *buf = budget_malloc(size);
	if (!buf)
		return lab_fail(L, "lab.raft.node: not enough memory");
	uint64_t *terms = (uint64_t *)(buf + sizeof c);
	for (size_t i = 0; i < n; i++) {
		lua_rawgeti(L, -1, (lua_Integer)i + 1);
		lua_Integer t = lua_isinteger(L, -1) ? lua_tointeger(L, -1) : 0;
		lua_pop(L, 1);
		if (t < 1 || (uint64_t)t > c.pre_term) {
			budget_free(buf);
			return luaL_error(L, "lab.raft.node: log[%d] must be a term from 1 to the "
					     "node's term %d", (int)i + 1, (int)c.pre_term);
		}
		terms[i] = (uint64_t)t;
	}
	c.pre_n = n;
	c.pre_log = NULL; /* fixed up per node: the copy lives after the struct */
	memcpy(buf, &c, sizeof c);
	lab_sim_push_behaviour(L, &raft_behaviour, buf, size);
	budget_free(buf);
	return 1;
}

/* ---- looking inside ---- */

static uint32_t check_node(lua_State *L, struct sim *s, int idx, const char *who)
{
	lua_Integer id = luaL_checkinteger(L, idx);
	if (id < 1 || id > sim_nodes(s) || sim_behaviour_of(s, (uint32_t)id) != &raft_behaviour)
		luaL_error(L, "%s: n%d is not a raft node", who, (int)id);
	return (uint32_t)id;
}

static int l_view(lua_State *L)
{
	struct sim *s = lab_sim_check(L, 1);
	uint32_t id = check_node(L, s, 2, "lab.raft.view");
	struct raft_info in;
	raft_info(s, id, &in);
	lua_createtable(L, 0, 16);
	lab_setbool(L, "up", in.up);
	lab_setstr(L, "role", in.up ? role_names[in.role] : "down");
	lab_setint(L, "term", (lua_Integer)in.term);
	lab_setint(L, "vote", in.vote);
	lab_setint(L, "leader", in.leader);
	lab_setint(L, "commit", (lua_Integer)in.commit);
	lab_setint(L, "applied", (lua_Integer)in.applied);
	lab_setint(L, "base", (lua_Integer)in.base);
	lab_setint(L, "base_term", (lua_Integer)in.base_term);
	lab_setint(L, "last", (lua_Integer)(in.base + in.n));
	lab_setint(L, "rejects", (lua_Integer)in.rejects);
	lab_setint(L, "removed", (lua_Integer)in.removed);
	lab_setint(L, "added", (lua_Integer)in.added);
	lab_setint(L, "keys", (lua_Integer)in.keys);
	lua_createtable(L, (int)in.n, 0);
	for (size_t i = 0; i < in.n; i++) {
		lua_pushinteger(L, (lua_Integer)in.terms[i]);
		lua_rawseti(L, -2, (lua_Integer)(in.base + i + 1));
	}
	lua_setfield(L, -2, "log");
	return 1;
}

static int l_entry(lua_State *L)
{
	struct sim *s = lab_sim_check(L, 1);
	uint32_t id = check_node(L, s, 2, "lab.raft.entry");
	lua_Integer idx = luaL_checkinteger(L, 3);
	size_t len;
	const uint8_t *p = idx > 0 ? raft_entry(s, id, (uint64_t)idx, &len) : NULL;
	if (!p)
		lua_pushnil(L);
	else
		lab_sim_decode(L, simv_of(p, len));
	return 1;
}

static int l_get(lua_State *L)
{
	struct sim *s = lab_sim_check(L, 1);
	uint32_t id = check_node(L, s, 2, "lab.raft.get");
	size_t kl;
	const char *k = luaL_checklstring(L, 3, &kl);
	const char *v;
	size_t vl;
	if (!raft_get(s, id, k, kl, &v, &vl))
		lua_pushnil(L);
	else
		lab_sim_decode(L, simv_of((const uint8_t *)v, vl));
	return 1;
}

/* Terms of a log, runs folded: "1 1 1 4 4 5" -> "1x3 4x2 5". */
static void add_terms(struct sbuf *sb, const uint64_t *t, size_t n)
{
	for (size_t i = 0; i < n;) {
		size_t j = i;
		while (j < n && t[j] == t[i])
			j++;
		sbuf_addf(sb, i ? " %llu" : "%llu", (unsigned long long)t[i]);
		if (j - i > 1)
			sbuf_addf(sb, "x%zu", j - i);
		i = j;
	}
}

static int l_show(lua_State *L)
{
	struct sim *s = lab_sim_check(L, 1);
	struct sbuf sb = {0};
	sbuf_addf(&sb, "t = %.3f s\nnode  role       term  vote  commit  snapshot  log (terms; "
		       "4x3 = three entries of term 4)\n", sim_now(s));
	for (uint32_t id = 1; id <= sim_nodes(s); id++) {
		struct raft_info in;
		if (raft_info(s, id, &in) != 0)
			continue;
		char vote[16] = "-";
		if (in.vote)
			snprintf(vote, sizeof vote, "n%u", in.vote);
		sbuf_addf(&sb, "n%-4u %-10s %-5llu %-5s %-7llu %-9llu ", id,
			  in.up ? role_names[in.role] : "down", (unsigned long long)in.term, vote,
			  (unsigned long long)in.commit, (unsigned long long)in.base);
		add_terms(&sb, in.terms, in.n);
		sbuf_addc(&sb, '\n');
	}
	lua_pushlstring(L, sbuf_str(&sb), sb.len);
	sbuf_free(&sb);
	return 1;
}

static const struct lab_opt timeline_opts[] = {
	{"width", LAB_INT, 80, .min = 40, .max = 1000},
	{NULL},
};

static int l_timeline(lua_State *L)
{
	struct sim *s = lab_sim_check(L, 1);
	const struct lab_val *o = lab_opts(L, 2, "lab.raft.timeline", timeline_opts);
	struct sbuf sb = {0};
	if (raft_timeline(&sb, s, (int)o[0].i) != 0) {
		sbuf_free(&sb);
		return lab_fail(L, "lab.raft.timeline: not enough memory");
	}
	lua_pushlstring(L, sbuf_str(&sb), sb.len);
	sbuf_free(&sb);
	return 1;
}

/* ---- runs ---- */

#define RUN_OPTS                                                                              \
	{"nodes", LAB_INT, 5, .min = 1, .max = 99},                                            \
	{"seed", LAB_INT, 1, .help = "the same seed replays the run"},                        \
	{"time", LAB_NUM, 10, .min = 0.01, .max = 1e5, .help = "seconds simulated"},           \
	{"loss", LAB_NUM, 0, .min = 0, .max = 1},                                              \
	{"latency", LAB_NUM, 0.005, .min = 1e-5, .max = 10, .help = "mean, exponential"},      \
	{"nemesis", LAB_STR, .str = "partition isolate crash loss",                            \
	 .help = "fault kinds (\"\": none; \"all\")"},                                         \
	{"clients", LAB_NUM, 20, .min = 0, .max = 1e5, .help = "writes per second"},           \
	{"fault_every", LAB_NUM, 0.4, .min = 1e-3, .max = 1e4, .help = "mean quiet time, s"}, \
	{"fault_for", LAB_NUM, 0.6, .min = 1e-3, .max = 1e4, .help = "mean fault length, s"}, \
	{"kill_voters", LAB_NUM, 0, .min = 0, .max = 1,                                        \
	 .help = "crash a node just after it votes (restart 5 ms on)"},                        \
	{"kill_leaders", LAB_NUM, 0, .min = 0, .max = 1,                                       \
	 .help = "crash a leader just after it commits"},                                      \
	NODE_OPTS
enum { R_NODES, R_SEED, R_TIME, R_LOSS, R_LATENCY, R_NEMESIS, R_CLIENTS, R_EVERY, R_FOR,
       R_KV, R_KL, R_NODE };

static unsigned nemesis_kinds(lua_State *L, const char *s, const char *who)
{
	static const struct {
		const char *name;
		unsigned bit;
	} kinds[] = {{"partition", SIM_N_PARTITION}, {"isolate", SIM_N_ISOLATE},
		     {"oneway", SIM_N_ONEWAY},       {"crash", SIM_N_CRASH},
		     {"loss", SIM_N_LOSS},           {"clock", SIM_N_CLOCK}};
	unsigned bits = 0;
	while (*s) {
		while (*s == ' ' || *s == ',')
			s++;
		size_t len = strcspn(s, " ,");
		if (!len)
			break;
		int found = 0;
		if (len == 3 && memcmp(s, "all", 3) == 0) {
			bits = 0x3f;
			found = 1;
		}
		for (size_t i = 0; i < sizeof kinds / sizeof *kinds && !found; i++)
			if (strlen(kinds[i].name) == len && memcmp(s, kinds[i].name, len) == 0) {
				bits |= kinds[i].bit;
				found = 1;
			}
		if (!found) {
			char word[32];
			snprintf(word, sizeof word, "%.*s", (int)(len < 31 ? len : 31), s);
			luaL_error(L, "%s: nemesis kinds are partition isolate oneway crash loss "
				      "clock all (got '%s')", who, word);
		}
		s += len;
	}
	return bits;
}

static void read_run(lua_State *L, const struct lab_val *o, struct raft_run *r, const char *who)
{
	*r = (struct raft_run){.nodes = (uint32_t)o[R_NODES].i, .seed = (uint64_t)o[R_SEED].i,
			       .time = o[R_TIME].num, .loss = o[R_LOSS].num,
			       .latency = o[R_LATENCY].num, .clients = o[R_CLIENTS].num,
			       .fault_every = o[R_EVERY].num, .fault_for = o[R_FOR].num,
			       .kill_voters = o[R_KV].num, .kill_leaders = o[R_KL].num};
	r->nemesis = nemesis_kinds(L, o[R_NEMESIS].s, who);
	r->cfg = read_cfg(o + R_NODE);
	if (r->clients * r->time > 1e6)
		luaL_error(L, "%s: at most a million client operations (clients * time)", who);
}

static void push_result(lua_State *L, const struct raft_result *res, uint64_t seed)
{
	lua_createtable(L, 0, 12);
	lab_setbool(L, "ok", !res->violated);
	lab_setint(L, "seed", (lua_Integer)seed);
	lab_setint(L, "events", (lua_Integer)res->events);
	lab_setint(L, "leaders", (lua_Integer)res->leaders);
	lab_setint(L, "committed", (lua_Integer)res->committed);
	lab_setint(L, "ok_ops", (lua_Integer)res->ok_ops);
	if (res->violated) {
		lab_setstr(L, "property", res->v.property);
		lab_setstr(L, "violation", res->v.text);
		lab_setnum(L, "at", res->v.at);
		lua_createtable(L, 2, 0);
		for (int i = 0, k = 0; i < 2; i++)
			if (res->v.nodes[i]) {
				lua_pushinteger(L, res->v.nodes[i]);
				lua_rawseti(L, -2, ++k);
			}
		lua_setfield(L, -2, "nodes");
	}
}

static const struct lab_opt run_opts[] = {
	RUN_OPTS,
	{"keep", LAB_BOOL, 0, .help = "return the run as a lab.sim (trace kept)"},
	{NULL},
};

static int l_run(lua_State *L)
{
	static const char who[] = "lab.raft.run";
	const struct lab_val *o = lab_opts(L, 1, who, run_opts);
	struct raft_run r;
	read_run(L, o, &r, who);
	r.trace = (int)o[R_NODE + O_NEXT].i;
	struct raft_result res;
	if (raft_run(&r, &res) != 0)
		return lab_fail(L, "%s: the run failed (not enough memory?)", who);
	push_result(L, &res, r.seed);
	if (res.sim) {
		lab_sim_wrap(L, res.sim);
		res.sim = NULL;
		lua_setfield(L, -2, "sim");
	}
	raft_result_free(&res);
	return 1;
}

static const struct lab_opt check_opts[] = {
	RUN_OPTS,
	{"runs", LAB_INT, 100, .min = 1, .max = 1e6, .help = "seeds seed, seed + 1, ..."},
	{NULL},
};

static int l_check(lua_State *L)
{
	static const char who[] = "lab.raft.check";
	const struct lab_val *o = lab_opts(L, 1, who, check_opts);
	struct raft_run r;
	read_run(L, o, &r, who);
	uint64_t runs = (uint64_t)o[R_NODE + O_NEXT].i, first = r.seed, events = 0, ok_ops = 0;
	for (uint64_t i = 0; i < runs; i++) {
		r.seed = first + i;
		struct raft_result res;
		if (raft_run(&r, &res) != 0)
			return lab_fail(L, "%s: the run failed (not enough memory?)", who);
		events += res.events;
		ok_ops += res.ok_ops;
		if (res.violated) {
			push_result(L, &res, r.seed);
			lab_setint(L, "run", (lua_Integer)i + 1);
			raft_result_free(&res);
			return 1;
		}
		raft_result_free(&res);
	}
	lua_pushnil(L);
	lua_createtable(L, 0, 3);
	lab_setint(L, "runs", (lua_Integer)runs);
	lab_setint(L, "events", (lua_Integer)events);
	lab_setint(L, "ok_ops", (lua_Integer)ok_ops);
	return 2;
}

/* ---- the rules ---- */

/* Reads the array of terms at IDX into a fresh buffer of *N (raises). */
static uint64_t *read_terms(lua_State *L, int idx, size_t *n, const char *who)
{
	luaL_checktype(L, idx, LUA_TTABLE);
	*n = lua_rawlen(L, idx);
	if (*n > 1000000)
		luaL_error(L, "%s: at most a million terms", who);
	uint64_t *t = lua_newuserdatauv(L, (*n ? *n : 1) * sizeof *t, 0);
	for (size_t i = 0; i < *n; i++) {
		lua_rawgeti(L, idx, (lua_Integer)i + 1);
		if (!lua_isinteger(L, -1) || lua_tointeger(L, -1) < 0)
			luaL_error(L, "%s: terms are integers from 0 (item %d)", who, (int)i + 1);
		t[i] = (uint64_t)lua_tointeger(L, -1);
		lua_pop(L, 1);
	}
	return t;
}

static uint64_t check_u(lua_State *L, int idx)
{
	lua_Integer v = luaL_checkinteger(L, idx);
	luaL_argcheck(L, v >= 0, idx, "an index or term from 0");
	return (uint64_t)v;
}

static int l_up_to_date(lua_State *L)
{
	lua_pushboolean(L, raft_up_to_date(check_u(L, 1), check_u(L, 2), check_u(L, 3),
					   check_u(L, 4)));
	return 1;
}

static int l_prev_ok(lua_State *L)
{
	size_t n;
	uint64_t *t = read_terms(L, 1, &n, "lab.raft.prev_ok");
	lua_pushboolean(L, raft_prev_ok(t, n, check_u(L, 2), check_u(L, 3)));
	return 1;
}

/* append(terms, pi, pt, entries) -> accepted, the log after. */
static int l_append(lua_State *L)
{
	size_t n, ne;
	uint64_t *t = read_terms(L, 1, &n, "lab.raft.append");
	uint64_t pi = check_u(L, 2), pt = check_u(L, 3);
	uint64_t *e = read_terms(L, 4, &ne, "lab.raft.append");
	if (!raft_prev_ok(t, n, pi, pt)) {
		lua_pushboolean(L, 0);
		lua_pushvalue(L, 1);
		return 2;
	}
	uint64_t first = raft_first_new(t, n, pi, e, ne);
	size_t keep = first ? (size_t)first - 1 : n;
	size_t total = first ? (size_t)(pi + ne) : n;
	lua_pushboolean(L, 1);
	lua_createtable(L, (int)total, 0);
	for (size_t i = 0; i < total; i++) {
		lua_pushinteger(L, (lua_Integer)(i < keep ? t[i] : e[i - pi]));
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	return 2;
}

static const struct lab_opt commit_opts[] = {
	{"log", LAB_TABLE, .required = 1, .help = "the leader's entry terms"},
	{"match", LAB_TABLE, .required = 1, .help = "the followers' matchIndex"},
	{"term", LAB_INT, .required = 1, .min = 0, .max = 1e15, .help = "the leader's term"},
	{"commit", LAB_INT, 0, .min = 0, .max = 1e15},
	{NULL},
};

static int l_commit_index(lua_State *L)
{
	const struct lab_val *o = lab_opts(L, 1, "lab.raft.commit_index", commit_opts);
	size_t n, nf;
	lab_optpush(L, 1, "log");
	uint64_t *t = read_terms(L, lua_gettop(L), &n, "lab.raft.commit_index");
	lab_optpush(L, 1, "match");
	uint64_t *m = read_terms(L, lua_gettop(L), &nf, "lab.raft.commit_index");
	for (size_t i = 0; i < nf; i++)
		if (m[i] > n)
			return luaL_error(L, "lab.raft.commit_index: match[%d] is past the log's end",
					  (int)i + 1);
	uint64_t c = (uint64_t)o[3].i;
	if (c > n)
		return luaL_error(L, "lab.raft.commit_index: commit is past the log's end");
	lua_pushinteger(L, (lua_Integer)raft_commit_index(t, n, m, nf, (uint64_t)o[2].i, c, 0));
	return 1;
}

/* ---- an auditor for Lua nodes ---- */

static const struct lab_class auditor_class;
struct lauditor;
static int m_violation_push(lua_State *L, struct lauditor *x);

struct lauditor {
	struct raft_audit *a;
	uint32_t n;
	uint64_t *terms, *hashes;  /* scratch */
	size_t cap;
	struct simw w;
};

static void auditor_free(void *p)
{
	struct lauditor *x = p;
	raft_audit_free(x->a);
	budget_free(x->terms);
	budget_free(x->hashes);
	simw_free(&x->w);
	x->a = NULL;
}

static const struct lab_opt auditor_opts[] = {
	{"nodes", LAB_INT, .required = 1, .min = 1, .max = SIM_MAX_NODES},
	{"stable", LAB_BOOL, 0, .help = "no fault: a known leader must not be challenged"},
	{"rules", LAB_BOOL, 0, .help = "also the commitment rule of §5.4.2 itself"},
	{NULL},
};

static int l_auditor(lua_State *L)
{
	const struct lab_val *o = lab_opts(L, 1, "lab.raft.auditor", auditor_opts);
	struct lauditor *x = lab_newobj(L, &auditor_class, sizeof *x);
	x->n = (uint32_t)o[0].i;
	if (!(x->a = raft_audit_new(x->n, (int)o[1].i)))
		return lab_fail(L, "lab.raft.auditor: not enough memory");
	raft_audit_rules(x->a, (int)o[2].i);
	return 1;
}

/* Integer field K of the table at IDX (raw), or DEF. */
static lua_Integer rawint(lua_State *L, int idx, const char *k, lua_Integer def)
{
	lua_pushstring(L, k);
	lua_rawget(L, idx);
	lua_Integer v = lua_isinteger(L, -1) ? lua_tointeger(L, -1) : def;
	lua_pop(L, 1);
	return v;
}

/*
 * a:observe(id, state [, at]): STATE is a plain table {role =, term =,
 * commit =, log = {{term =, op =}, ...}, base =, base_term =} read raw;
 * log entries are at indexes base + 1 ... Returns nil, or the violation.
 */
static int m_observe(lua_State *L)
{
	struct lauditor *x = lab_self(L, &auditor_class);
	lua_Integer id = luaL_checkinteger(L, 2);
	luaL_checktype(L, 3, LUA_TTABLE);
	double at = luaL_optnumber(L, 4, 0);
	if (id < 1 || id > x->n)
		return luaL_error(L, "observe: node ids are 1 to %d", (int)x->n);
	if (!x->a)
		return luaL_error(L, "observe: the auditor is closed");
	struct raft_obs ob = {0};
	lua_pushstring(L, "role");
	lua_rawget(L, 3);
	const char *role = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : "";
	ob.role = strcmp(role, "leader") == 0      ? RAFT_LEADER
		  : strcmp(role, "candidate") == 0 ? RAFT_CANDIDATE
						   : RAFT_FOLLOWER;
	lua_pop(L, 1);
	lua_Integer term = rawint(L, 3, "term", 0), commit = rawint(L, 3, "commit", 0);
	lua_Integer base = rawint(L, 3, "base", 0), bt = rawint(L, 3, "base_term", 0);
	ob.term = term > 0 ? (uint64_t)term : 0;
	ob.commit = commit > 0 ? (uint64_t)commit : 0;
	ob.base = base > 0 ? (uint64_t)base : 0;
	ob.base_term = bt > 0 ? (uint64_t)bt : 0;
	lua_pushstring(L, "log");
	lua_rawget(L, 3);
	int lg = lua_gettop(L);
	size_t n = 0;
	if (lua_istable(L, lg)) {
		while (n < 10000000) {
			lua_rawgeti(L, lg, (lua_Integer)(ob.base + n + 1));
			int is = lua_istable(L, -1);
			lua_pop(L, 1);
			if (!is)
				break;
			n++;
		}
	}
	if (n > x->cap) {
		size_t cap = n + 256;
		uint64_t *t = budget_realloc(x->terms, cap * sizeof *t);
		if (!t)
			return lab_fail(L, "observe: not enough memory");
		x->terms = t;
		uint64_t *h = budget_realloc(x->hashes, cap * sizeof *h);
		if (!h)
			return lab_fail(L, "observe: not enough memory");
		x->hashes = h;
		x->cap = cap;
	}
	for (size_t i = 0; i < n; i++) {
		lua_rawgeti(L, lg, (lua_Integer)(ob.base + i + 1));
		int e = lua_gettop(L);
		lua_Integer t = rawint(L, e, "term", 0);
		x->terms[i] = t > 0 ? (uint64_t)t : 0;
		lua_pushstring(L, "op");
		lua_rawget(L, e);
		simw_reset(&x->w);
		lab_sim_encode(L, -1, &x->w, "a log entry's op");
		x->hashes[i] = raft_hash(x->w.p, x->w.len);
		lua_pop(L, 2);
	}
	lua_settop(L, 4);
	ob.n = n;
	ob.terms = x->terms;
	ob.hashes = x->hashes;
	int r = raft_audit_observe(x->a, at, (uint32_t)id, &ob);
	if (r < 0)
		return lab_fail(L, "observe: not enough memory");
	return m_violation_push(L, x);
}

/* Pushes nil, or the violation as a table {property, text, at, nodes}. */
static int m_violation_push(lua_State *L, struct lauditor *x)
{
	const struct raft_violation *v = x->a ? raft_audit_violation(x->a) : NULL;
	if (!v) {
		lua_pushnil(L);
		return 1;
	}
	lua_createtable(L, 0, 4);
	lab_setstr(L, "property", v->property);
	lab_setstr(L, "text", v->text ? v->text : v->property);
	lab_setnum(L, "at", v->at);
	lua_createtable(L, 2, 0);
	for (int i = 0, k = 0; i < 2; i++)
		if (v->nodes[i]) {
			lua_pushinteger(L, v->nodes[i]);
			lua_rawseti(L, -2, ++k);
		}
	lua_setfield(L, -2, "nodes");
	return 1;
}

static int m_violation(lua_State *L)
{
	return m_violation_push(L, lab_self(L, &auditor_class));
}

/* a:crash(id): the node crashed; its commit index starts again. */
static int m_crash(lua_State *L)
{
	struct lauditor *x = lab_self(L, &auditor_class);
	lua_Integer id = luaL_checkinteger(L, 2);
	if (id < 1 || id > x->n)
		return luaL_error(L, "crash: node ids are 1 to %d", (int)x->n);
	if (x->a)
		raft_audit_crash(x->a, (uint32_t)id);
	return 0;
}

static int m_stats(lua_State *L)
{
	struct lauditor *x = lab_self(L, &auditor_class);
	lua_createtable(L, 0, 2);
	lab_setint(L, "leaders", x->a ? (lua_Integer)raft_audit_leaders(x->a) : 0);
	lab_setint(L, "committed", x->a ? (lua_Integer)raft_audit_committed(x->a) : 0);
	return 1;
}

static const luaL_Reg auditor_methods[] = {
	{"observe", m_observe},
	{"violation", m_violation},
	{"crash", m_crash},
	{"stats", m_stats},
	{NULL, NULL},
};

static const struct lab_class auditor_class = {
	.name = "lab.raft.auditor",
	.methods = auditor_methods,
	.free = auditor_free,
};

static const luaL_Reg functions[] = {
	{"node", l_node},
	{"run", l_run},
	{"check", l_check},
	{"view", l_view},
	{"entry", l_entry},
	{"get", l_get},
	{"show", l_show},
	{"timeline", l_timeline},
	{"up_to_date", l_up_to_date},
	{"prev_ok", l_prev_ok},
	{"append", l_append},
	{"commit_index", l_commit_index},
	{"auditor", l_auditor},
	{NULL, NULL},
};

const struct lab_namespace lab_ns_raft = {
	.functions = functions,
	.classes = (const struct lab_class *const[]){&auditor_class, NULL},
	.options = (const struct lab_fnopts[]){{"node", node_opts},
					       {"run", run_opts},
					       {"check", check_opts},
					       {"timeline", timeline_opts},
					       {"commit_index", commit_opts},
					       {"auditor", auditor_opts},
					       {NULL}},
};
