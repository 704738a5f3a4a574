/*
 * sched_lua.c — lab.sched: the Lua binding of sched.h.
 *
 *   local c = lab.sched.new{nodes = {{name =, cpu =, memory =, zone =}, ...},
 *                           strategy = "least", weights = {...}, seed = 1}
 *   c:schedule(pod) -> node name | nil, why     c:place(pods) -> placed, pending
 *   c:explain(pod) -> per node {fits, reasons, fit, balanced, spread, affinity, total}, pick
 *   c:retry() c:remove(name) c:fail(node) c:nodes() c:pods() c:fragmentation(probe) c:report()
 *   lab.sched.run{nodes =, pods =, ...} -> c:report() after placing every pod
 *   lab.sched.pack{nodes =, pods =, order =, fit =} -> offline first/best fit
 *   lab.sched.score(node, pod, strategy)  lab.sched.quantity(text, "cpu" | "memory")
 */
#include <stdio.h>
#include <string.h>

#include "engine/concepts/sched/sched.h"
#include "engine/lab/labkit.h"

#define MAX_NODES 10000
#define MAX_PODS 1000000

static const struct lab_class cluster_class;

static void free_cluster(void *obj)
{
	sched_free(obj);
}

/* The quantity at IDX (a number, or text such as "500m" / "256Mi"); -1 if nil. */
static int64_t check_qty(lua_State *L, int idx, int is_cpu, const char *who, const char *what)
{
	int64_t v;
	if (lua_isnil(L, idx))
		return -1;
	if (lua_type(L, idx) == LUA_TNUMBER) {
		lua_Number x = lua_tonumber(L, idx);
		if (!(x >= 0 && x <= 9e18) || x != (lua_Number)(int64_t)x)
			luaL_error(L, "%s: %s must be a whole number >= 0 (%s)", who, what,
				   is_cpu ? "millicores" : "bytes");
		return (int64_t)x;
	}
	if (lua_type(L, idx) != LUA_TSTRING || sched_quantity(lua_tostring(L, idx), is_cpu, &v))
		luaL_error(L, "%s: %s must be %s", who, what,
			   is_cpu ? "millicores or a quantity such as \"500m\" or \"2\""
				  : "bytes or a quantity such as \"256Mi\" or \"1Gi\"");
	return v;
}

/* Reads the map of strings at IDX (absent: none) into labels kept alive in
 * KEEP (strings and array); *N counts them. */
static struct sched_label *check_labels(lua_State *L, int idx, int keep, const char *who,
					const char *what, size_t extra, size_t *n)
{
	size_t count = extra;
	*n = 0;
	if (!lua_isnoneornil(L, idx)) {
		luaL_checktype(L, idx, LUA_TTABLE);
		for (lua_pushnil(L); lua_next(L, idx); lua_pop(L, 1))
			count++;
	}
	struct sched_label *l = lab_scratch(L, (count ? count : 1) * sizeof *l);
	lab_keep(L, keep);
	if (lua_isnoneornil(L, idx))
		return l;
	for (lua_pushnil(L); lua_next(L, idx); lua_pop(L, 1)) {
		if (*n >= count - extra) {
			lua_pop(L, 2);
			break;
		}
		if (lua_type(L, -2) != LUA_TSTRING || lua_type(L, -1) != LUA_TSTRING)
			luaL_error(L, "%s: %s must map strings to strings", who, what);
		lua_pushvalue(L, -2);
		l[*n].key = (char *)lab_keep(L, keep);
		lua_pushvalue(L, -1);
		l[*n].value = (char *)lab_keep(L, keep);
		(*n)++;
	}
	return l;
}

static const struct lab_opt node_opts[] = {
	{"name", LAB_STR, .required = 1, .help = "unique"},
	{"cpu", LAB_ANY, .required = 1, .help = "allocatable: millicores, or \"4\", \"3500m\""},
	{"memory", LAB_ANY, .required = 1, .help = "allocatable: bytes, or \"16Gi\""},
	{"pods", LAB_INT, 110, .min = 1, .max = 1e6, .help = "pods it may hold"},
	{"zone", LAB_STR, .help = "the label zone"},
	{"labels", LAB_TABLE, .help = "{key = value}"},
	{NULL},
};

/* Reads the list of node tables at IDX into a scratch array kept in KEEP. */
static struct sched_nodespec *check_nodes(lua_State *L, int idx, int keep, const char *who,
					  size_t *n)
{
	if (lua_type(L, idx) != LUA_TTABLE)
		luaL_error(L, "%s: option 'nodes' must be a list of node tables", who);
	*n = lua_rawlen(L, idx);
	if (*n == 0 || *n > MAX_NODES)
		luaL_error(L, "%s: 1 to %d nodes", who, MAX_NODES);
	struct sched_nodespec *v = lab_scratch(L, *n * sizeof *v);
	lab_keep(L, keep);
	for (size_t i = 0; i < *n; i++) {
		char whom[96];
		snprintf(whom, sizeof whom, "%s: nodes[%zu]", who, i + 1);
		lua_rawgeti(L, idx, (lua_Integer)i + 1);
		int t = lua_gettop(L);
		const struct lab_val *o = lab_opts(L, t, whom, node_opts);
		lab_keep(L, keep);
		v[i].name = o[0].s;
		lab_optpush(L, t, "cpu");
		v[i].cpu = check_qty(L, -1, 1, whom, "cpu");
		lab_optpush(L, t, "memory");
		v[i].mem = check_qty(L, -1, 0, whom, "memory");
		lua_pop(L, 2);
		v[i].max_pods = o[3].i;
		lab_optpush(L, t, "labels");
		size_t nl;
		struct sched_label *l = check_labels(L, lua_gettop(L), keep, whom, "labels",
						     o[4].set, &nl);
		if (o[4].set)
			l[nl++] = (struct sched_label){"zone", (char *)o[4].s};
		v[i].labels = l;
		v[i].nlabels = nl;
		lua_settop(L, t - 1);
		for (size_t j = 0; j < i; j++)
			if (strcmp(v[j].name, v[i].name) == 0)
				luaL_error(L, "%s: two nodes are named '%s'", who, v[i].name);
	}
	return v;
}

static const struct lab_opt weight_opts[] = {
	{"fit", LAB_INT, 1, .min = 0, .max = 1000, .help = "NodeResourcesFit",
	 LAB_INTO(struct sched_weights, fit)},
	{"balanced", LAB_INT, 1, .min = 0, .max = 1000, .help = "NodeResourcesBalancedAllocation",
	 LAB_INTO(struct sched_weights, balanced)},
	{"spread", LAB_INT, 2, .min = 0, .max = 1000, .help = "PodTopologySpread",
	 LAB_INTO(struct sched_weights, spread)},
	{"affinity", LAB_INT, 2, .min = 0, .max = 1000, .help = "NodeAffinity (preferred)",
	 LAB_INTO(struct sched_weights, affinity)},
	{NULL},
};

#define CLUSTER_OPTS                                                                        \
	{"nodes", LAB_TABLE, .required = 1, .help = "list of nodes (see below)"},           \
	{"strategy", LAB_ENUM, .str = "least", .choices = "least most",                     \
	 .help = "NodeResourcesFit: LeastAllocated or MostAllocated",                       \
	 LAB_INTO(struct sched_config, strategy)},                                          \
	{"weights", LAB_TABLE, .help = "plugin weights (kube-scheduler's defaults)"},       \
	{"seed", LAB_INT, 1, .min = 0, .max = 9e15, .help = "draws among tied nodes",       \
	 LAB_INTO(struct sched_config, seed)},                                              \
	{"default_spread", LAB_BOOL, 1, .help = "pods with an app spread by kube's defaults", \
	 LAB_INTO(struct sched_config, default_spread)}

static const struct lab_opt new_opts[] = {CLUSTER_OPTS, {NULL}};

/* Reads the cluster options at 1 and pushes a new cluster. */
static struct sched *new_cluster(lua_State *L, const char *who, const struct lab_opt *spec)
{
	struct sched_config cfg = {.w = {1, 1, 2, 2}};
	lab_opts_into(L, 1, who, spec, &cfg, 0);
	lab_optsub(L, 1, who, "weights", weight_opts, &cfg.w);
	lua_newtable(L);
	int keep = lua_gettop(L);
	lab_optpush(L, 1, "nodes");
	size_t n;
	struct sched_nodespec *nodes = check_nodes(L, lua_gettop(L), keep, who, &n);
	struct sched *s = lab_newobj(L, &cluster_class, sizeof *s);
	if (sched_init(s, &cfg, nodes, n))
		lab_fail(L, "%s: not enough memory", who);
	return s;
}

static int l_new(lua_State *L)
{
	new_cluster(L, "lab.sched.new", new_opts);
	return 1;
}

/* ---- pods ---- */

struct pref_in {
	int64_t weight;
	const char *key, *value;
};

struct spread_in {
	const char *key;
	int64_t max_skew;
};

static const struct lab_opt pod_opts[] = {
	{"name", LAB_STR, .help = "default pod-N"},
	{"cpu", LAB_ANY, .help = "request: millicores or \"500m\"; unset: none"},
	{"memory", LAB_ANY, .help = "request: bytes or \"256Mi\"; unset: none"},
	{"limits", LAB_TABLE, .help = "{cpu =, memory =}: a request not set is its limit"},
	{"app", LAB_STR, .help = "label: pods of one app spread"},
	{"selector", LAB_TABLE, .help = "{label = value}: required node labels"},
	{"prefer", LAB_TABLE, .help = "{{weight =, key =, value =}}: preferred labels"},
	{"spread", LAB_TABLE, .help = "{{key =, max_skew =}}: soft spread constraints"},
	{NULL},
};

static const struct lab_opt limit_opts[] = {
	{"cpu", LAB_ANY, .help = "millicores or \"500m\""},
	{"memory", LAB_ANY, .help = "bytes or \"256Mi\""},
	{NULL},
};

static const struct lab_opt pref_opts[] = {
	{"weight", LAB_INT, 1, .min = 1, .max = 100, LAB_INTO(struct pref_in, weight)},
	{"key", LAB_STR, .required = 1, LAB_INTO(struct pref_in, key)},
	{"value", LAB_STR, .required = 1, LAB_INTO(struct pref_in, value)},
	{NULL},
};

static const struct lab_opt spread_opts[] = {
	{"key", LAB_STR, .required = 1, LAB_INTO(struct spread_in, key)},
	{"max_skew", LAB_INT, 1, .min = 1, .max = 1000, LAB_INTO(struct spread_in, max_skew)},
	{NULL},
};

/* Reads request and limit of one resource of the pod table T. */
static void check_resource(lua_State *L, int t, int lim, const char *res, int is_cpu,
			   const char *who, int64_t *req, int64_t *limit)
{
	lab_optpush(L, t, res);
	*req = check_qty(L, -1, is_cpu, who, res);
	lua_pop(L, 1);
	*limit = -1;
	if (lim) {
		lab_optpush(L, lim, res);
		*limit = check_qty(L, -1, is_cpu, who, res);
		lua_pop(L, 1);
	}
	if (*req >= 0 && *limit >= 0 && *req > *limit)
		luaL_error(L, "%s: the %s request is above its limit", who, res);
}

static void check_prefs(lua_State *L, int t, int keep, const char *who, struct sched_podspec *p)
{
	size_t n;
	struct pref_in *in = lab_optlist(L, t, who, "prefer", pref_opts, sizeof *in, 100, &n,
					 NULL, NULL);
	lab_keep(L, keep);
	struct sched_pref *v = lab_scratch(L, (n ? n : 1) * sizeof *v);
	lab_keep(L, keep);
	for (size_t i = 0; i < n; i++)
		v[i] = (struct sched_pref){in[i].weight, (char *)in[i].key, (char *)in[i].value};
	p->prefer = v;
	p->nprefer = n;
}

static void check_spread(lua_State *L, int t, int keep, const char *who, struct sched_podspec *p)
{
	size_t n;
	struct spread_in *in = lab_optlist(L, t, who, "spread", spread_opts, sizeof *in, 8, &n,
					   NULL, NULL);
	lab_keep(L, keep);
	struct sched_spread *v = lab_scratch(L, (n ? n : 1) * sizeof *v);
	lab_keep(L, keep);
	for (size_t i = 0; i < n; i++)
		v[i] = (struct sched_spread){(char *)in[i].key, in[i].max_skew};
	p->spread = v;
	p->nspread = n;
}

/* Reads the pod table at T into P, its strings kept in KEEP; NAME is
 * written into BUF when the pod has none. */
static void check_pod(lua_State *L, int t, int keep, const char *who, struct sched_podspec *p,
		      char *buf, size_t size, size_t k)
{
	if (lua_type(L, t) != LUA_TTABLE)
		luaL_error(L, "%s: a pod is a table {cpu =, memory =, ...}", who);
	memset(p, 0, sizeof *p);
	const struct lab_val *o = lab_opts(L, t, who, pod_opts);
	lab_keep(L, keep);
	snprintf(buf, size, "pod-%zu", k);
	p->name = o[0].set ? o[0].s : buf;
	p->app = o[4].set ? o[4].s : NULL;
	int lim = 0;
	if (o[3].set) {
		lab_optpush(L, t, "limits");
		lim = lua_gettop(L);
		lab_opts(L, lim, who, limit_opts);
		lua_pop(L, 1);
	}
	check_resource(L, t, lim, "cpu", 1, who, &p->cpu, &p->lim_cpu);
	check_resource(L, t, lim, "memory", 0, who, &p->mem, &p->lim_mem);
	if (lim)
		lua_remove(L, lim);
	lab_optpush(L, t, "selector");
	p->selector = check_labels(L, lua_gettop(L), keep, who, "selector", 0, &p->nselector);
	lua_pop(L, 1);
	check_prefs(L, t, keep, who, p);
	check_spread(L, t, keep, who, p);
	if (p->nspread && !p->app)
		luaL_error(L, "%s: spread counts the pods of an app: give the pod an app", who);
}

/* Submits the pod table at IDX; pushes its node's name or nil and why. */
static int submit(lua_State *L, struct sched *s, int idx, const char *who)
{
	if (s->npods >= MAX_PODS)
		luaL_error(L, "%s: at most %d pods", who, MAX_PODS);
	lua_newtable(L);
	int keep = lua_gettop(L);
	struct sched_podspec p;
	char name[32];
	check_pod(L, idx, keep, who, &p, name, sizeof name, s->npods + 1);
	long node;
	if (sched_submit(s, &p, &node))
		lab_fail(L, "%s: not enough memory", who);
	lua_settop(L, keep - 1);
	if (node >= 0) {
		lua_pushstring(L, s->nodes[node].name);
		return 1;
	}
	lua_pushnil(L);
	lua_pushstring(L, s->pods[s->npods - 1].reason);
	return 2;
}

static int m_schedule(lua_State *L)
{
	struct sched *s = lab_self(L, &cluster_class);
	return submit(L, s, 2, "c:schedule");
}

/* Submits every pod of the list at IDX, in order; pushes nothing. */
static void place_all(lua_State *L, struct sched *s, int idx, const char *who)
{
	luaL_checktype(L, idx, LUA_TTABLE);
	size_t n = lua_rawlen(L, idx);
	for (size_t i = 1; i <= n; i++) {
		if ((i & 255) == 0)
			lab_poll(L);
		lua_rawgeti(L, idx, (lua_Integer)i);
		int top = lua_gettop(L);
		submit(L, s, top, who);
		lua_settop(L, top - 1);
	}
}

static int count_pending(const struct sched *s)
{
	int n = 0;
	for (size_t i = 0; i < s->npods; i++)
		n += s->pods[i].node < 0;
	return n;
}

static int m_place(lua_State *L)
{
	struct sched *s = lab_self(L, &cluster_class);
	int before = (int)s->npods - count_pending(s);
	place_all(L, s, 2, "c:place");
	int pending = count_pending(s);
	lua_pushinteger(L, (int)s->npods - pending - before);
	lua_pushinteger(L, pending);
	return 2;
}

static const char *const reason_names[] = {"selector", "cpu", "memory", "pods"};

static int m_explain(lua_State *L)
{
	struct sched *s = lab_self(L, &cluster_class);
	lua_newtable(L);
	int keep = lua_gettop(L);
	struct sched_podspec p;
	char name[32];
	check_pod(L, 2, keep, "c:explain", &p, name, sizeof name, s->npods + 1);
	int err;
	long pick = sched_explain(s, &p, &err);
	if (err)
		lab_fail(L, "c:explain: not enough memory");
	lua_createtable(L, (int)s->nnodes, 0);
	for (size_t i = 0; i < s->nnodes; i++) {
		const struct sched_eval *e = &s->eval[i];
		lua_createtable(L, 0, 8);
		lab_setstr(L, "node", s->nodes[i].name);
		lab_setbool(L, "fits", e->fits);
		lua_newtable(L);
		for (int k = 0, m = 0; k < SCHED_R_KINDS; k++)
			if (e->reasons & (1u << k)) {
				lua_pushstring(L, reason_names[k]);
				lua_rawseti(L, -2, ++m);
			}
		lua_setfield(L, -2, "reasons");
		if (e->fits) {
			lab_setint(L, "fit", e->fit);
			lab_setint(L, "balanced", e->balanced);
			lab_setint(L, "spread", e->spread);
			lab_setint(L, "affinity", e->affinity);
			lab_setint(L, "total", e->total);
		}
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	if (pick >= 0)
		lua_pushstring(L, s->nodes[pick].name);
	else {
		char buf[400];
		sched_message(s, buf, sizeof buf);
		lua_pushnil(L);
		lua_pushstring(L, buf);
		return 3;
	}
	return 2;
}

static int m_retry(lua_State *L)
{
	struct sched *s = lab_self(L, &cluster_class);
	size_t placed;
	if (sched_retry(s, &placed))
		lab_fail(L, "c:retry: not enough memory");
	lua_pushinteger(L, (lua_Integer)placed);
	return 1;
}

static int m_remove(lua_State *L)
{
	struct sched *s = lab_self(L, &cluster_class);
	lua_pushboolean(L, sched_remove(s, luaL_checkstring(L, 2)));
	return 1;
}

static long find_node(lua_State *L, const struct sched *s, int idx, const char *who)
{
	const char *name = luaL_checkstring(L, idx);
	for (size_t i = 0; i < s->nnodes; i++)
		if (strcmp(s->nodes[i].name, name) == 0)
			return (long)i;
	return luaL_error(L, "%s: no node named '%s'", who, name);
}

static int m_fail(lua_State *L)
{
	struct sched *s = lab_self(L, &cluster_class);
	long i = find_node(L, s, 2, "c:fail");
	size_t evicted;
	if (sched_fail(s, (size_t)i, &evicted))
		lab_fail(L, "c:fail: not enough memory");
	lua_pushinteger(L, (lua_Integer)evicted);
	return 1;
}

static int m_nodes(lua_State *L)
{
	struct sched *s = lab_self(L, &cluster_class);
	lua_createtable(L, (int)s->nnodes, 0);
	for (size_t i = 0; i < s->nnodes; i++) {
		const struct sched_node *n = &s->nodes[i];
		lua_createtable(L, 0, 12);
		lab_setstr(L, "name", n->name);
		const char *zone = sched_label(n, "zone");
		if (zone)
			lab_setstr(L, "zone", zone);
		lab_setint(L, "cpu", n->cpu);
		lab_setint(L, "memory", n->mem);
		lab_setint(L, "requested_cpu", n->req_cpu);
		lab_setint(L, "requested_memory", n->req_mem);
		lab_setint(L, "free_cpu", n->cpu - n->req_cpu);
		lab_setint(L, "free_memory", n->mem - n->req_mem);
		lab_setint(L, "limits_cpu", n->lim_cpu);
		lab_setint(L, "limits_memory", n->lim_mem);
		lab_setint(L, "pods", n->npods);
		lab_setbool(L, "down", n->down);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	return 1;
}

static int m_pods(lua_State *L)
{
	struct sched *s = lab_self(L, &cluster_class);
	lua_createtable(L, (int)s->npods, 0);
	for (size_t i = 0; i < s->npods; i++) {
		const struct sched_pod *p = &s->pods[i];
		lua_createtable(L, 0, 6);
		lab_setstr(L, "name", p->name);
		if (p->node >= 0)
			lab_setstr(L, "node", s->nodes[p->node].name);
		if (p->reason)
			lab_setstr(L, "reason", p->reason);
		if (p->cpu >= 0)
			lab_setint(L, "cpu", p->cpu);
		if (p->mem >= 0)
			lab_setint(L, "memory", p->mem);
		if (p->app >= 0)
			lab_setstr(L, "app", s->apps[p->app]);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	return 1;
}

static const struct lab_field frag_fields[] = {
	LAB_F(struct sched_frag, free_cpu),     LAB_FAS("free_memory", struct sched_frag, free_mem),
	LAB_F(struct sched_frag, largest_cpu),  LAB_FAS("largest_memory", struct sched_frag, largest_mem),
	LAB_F(struct sched_frag, stranded_cpu), LAB_FAS("stranded_memory", struct sched_frag, stranded_mem),
	LAB_F(struct sched_frag, nodes_used),   LAB_F(struct sched_frag, nodes_empty),
	{NULL},
};

/* Pushes the fragmentation for the probe at IDX (-1 or nil: the pending pods). */
static void push_frag(lua_State *L, const struct sched *s, int idx, const char *who)
{
	int64_t cpu = 0, mem = 0;
	if (idx > 0 && !lua_isnoneornil(L, idx)) {
		lab_opts(L, idx, who, limit_opts);
		lab_optpush(L, idx, "cpu");
		cpu = check_qty(L, -1, 1, who, "cpu");
		lab_optpush(L, idx, "memory");
		mem = check_qty(L, -1, 0, who, "memory");
		lua_pop(L, 3);
		cpu = cpu < 0 ? 0 : cpu;
		mem = mem < 0 ? 0 : mem;
		if (cpu == 0 && mem == 0)
			luaL_error(L, "%s: the probe pod needs cpu or memory", who);
	}
	struct sched_frag f;
	if (sched_frag(s, cpu, mem, &f))
		lab_fail(L, "%s: stopped", who);
	lab_pushfields(L, &f, frag_fields);
	if (cpu > 0 || mem > 0)
		lab_setint(L, "fits", f.fits);
}

static int m_fragmentation(lua_State *L)
{
	struct sched *s = lab_self(L, &cluster_class);
	push_frag(L, s, 2, "c:fragmentation");
	return 1;
}

/* Pushes {placed, pending, nodes_used, nodes_empty, placements, reasons,
 * fragmentation} for S. */
static void push_report(lua_State *L, const struct sched *s)
{
	int pending = count_pending(s);
	lua_createtable(L, 0, 8);
	lab_setint(L, "placed", (lua_Integer)s->npods - pending);
	lab_setint(L, "pending", pending);
	lua_newtable(L);
	lua_newtable(L);
	for (size_t i = 0; i < s->npods; i++) {
		const struct sched_pod *p = &s->pods[i];
		lua_pushstring(L, p->node >= 0 ? s->nodes[p->node].name : p->reason);
		lua_setfield(L, p->node >= 0 ? -3 : -2, p->name);
	}
	lua_setfield(L, -3, "reasons");
	lua_setfield(L, -2, "placements");
	push_frag(L, s, -1, "c:report");
	lua_getfield(L, -1, "nodes_used");
	lua_setfield(L, -3, "nodes_used");
	lua_getfield(L, -1, "nodes_empty");
	lua_setfield(L, -3, "nodes_empty");
	lua_setfield(L, -2, "fragmentation");
}

static int m_report(lua_State *L)
{
	struct sched *s = lab_self(L, &cluster_class);
	push_report(L, s);
	return 1;
}

static int m_tostring(lua_State *L)
{
	struct sched *s = lab_self(L, &cluster_class);
	lua_pushfstring(L, "lab.sched(%d nodes, %d pods, %d pending)", (int)s->nnodes,
			(int)s->npods, count_pending(s));
	return 1;
}

static const struct lab_opt run_opts[] = {
	CLUSTER_OPTS,
	{"pods", LAB_TABLE, .required = 1, .help = "list of pods, placed in order"},
	{NULL},
};

static int l_run(lua_State *L)
{
	struct sched *s = new_cluster(L, "lab.sched.run", run_opts);
	int obj = lua_gettop(L);
	lab_optpush(L, 1, "pods");
	place_all(L, s, lua_gettop(L), "lab.sched.run");
	push_report(L, s);
	lua_pushvalue(L, obj);
	return 2;
}

static const struct lab_opt pack_opts[] = {
	{"nodes", LAB_TABLE, .required = 1, .help = "list of nodes, as for new"},
	{"pods", LAB_TABLE, .required = 1, .help = "list of {cpu =, memory =}"},
	{"order", LAB_ENUM, .str = "decreasing", .choices = "given decreasing",
	 .help = "decreasing: by CPU, then memory"},
	{"fit", LAB_ENUM, .str = "first", .choices = "first best",
	 .help = "first node that fits, or the one left with the least CPU"},
	{NULL},
};

/* lab.sched.pack{nodes =, pods =, order =, fit =}: offline bin packing. */
static int l_pack(lua_State *L)
{
	static const char *const who = "lab.sched.pack";
	const struct lab_val *o = lab_opts(L, 1, who, pack_opts);
	lua_newtable(L);
	int keep = lua_gettop(L);
	lab_optpush(L, 1, "nodes");
	size_t m;
	struct sched_nodespec *nodes = check_nodes(L, lua_gettop(L), keep, who, &m);
	lab_optpush(L, 1, "pods");
	int list = lua_gettop(L);
	size_t n = lua_rawlen(L, list);
	if (n > MAX_PODS)
		luaL_error(L, "%s: at most %d pods", who, MAX_PODS);
	int64_t *req = lab_scratch(L, (2 * n + 1) * sizeof *req);
	long *out = lab_scratch(L, (n + 1) * sizeof *out);
	for (size_t i = 0; i < n; i++) {
		lua_rawgeti(L, list, (lua_Integer)i + 1);
		if (lua_type(L, -1) != LUA_TTABLE)
			luaL_error(L, "%s: pods[%d] must be a table {cpu =, memory =}", who, (int)i + 1);
		lab_optpush(L, -1, "cpu");
		req[i] = check_qty(L, -1, 1, who, "cpu");
		lab_optpush(L, -2, "memory");
		req[n + i] = check_qty(L, -1, 0, who, "memory");
		lua_pop(L, 3);
	}
	if (sched_pack(nodes, m, req, req + n, n, o[2].choice, o[3].choice, out))
		lab_fail(L, "%s: not enough memory", who);
	lua_createtable(L, 0, 3);
	lua_newtable(L);
	lua_Integer placed = 0;
	for (size_t i = 0; i < n; i++)
		if (out[i] >= 0) {
			lua_pushstring(L, nodes[out[i]].name);
			lua_rawseti(L, -2, (lua_Integer)i + 1);
			placed++;
		}
	lua_setfield(L, -2, "placement");
	lab_setint(L, "placed", placed);
	lab_setint(L, "pending", (lua_Integer)n - placed);
	return 1;
}

/* lab.sched.score(node, pod, strategy): NodeResourcesFit's score, or nil. */
static int l_score(lua_State *L)
{
	static const char *const who = "lab.sched.score";
	luaL_checktype(L, 1, LUA_TTABLE);
	luaL_checktype(L, 2, LUA_TTABLE);
	int st = lua_isnoneornil(L, 3) ? 0 : lab_choice(L, 3, who, "strategy", "least most balanced");
	int64_t v[6];
	const char *keys[6] = {"cpu", "memory", "cpu_requested", "memory_requested", "cpu", "memory"};
	for (int k = 0; k < 6; k++) {
		lua_pushstring(L, keys[k]);
		lua_rawget(L, k < 4 ? 1 : 2);
		v[k] = check_qty(L, -1, k % 2 == 0, who, keys[k]);
		lua_pop(L, 1);
		if (k < 2 && v[k] < 0)
			luaL_error(L, "%s: the node needs %s", who, keys[k]);
	}
	int64_t rc = v[2] < 0 ? 0 : v[2], rm = v[3] < 0 ? 0 : v[3];
	int64_t pc = v[4], pm = v[5];
	if (rc + (pc < 0 ? 0 : pc) > v[0] || rm + (pm < 0 ? 0 : pm) > v[1]) {
		lua_pushnil(L);
		return 1;
	}
	if (st == 2)
		lua_pushinteger(L, sched_balanced_score(v[0], v[1], rc + (pc < 0 ? 0 : pc),
							rm + (pm < 0 ? 0 : pm)));
	else
		lua_pushinteger(L, sched_fit_score(st == 1 ? SCHED_MOST : SCHED_LEAST, v[0], v[1],
						   rc + (pc < 0 ? SCHED_DEFAULT_CPU : pc),
						   rm + (pm < 0 ? SCHED_DEFAULT_MEM : pm)));
	return 1;
}

static int l_quantity(lua_State *L)
{
	int cpu = lab_choice(L, 2, "lab.sched.quantity", "kind", "cpu memory") == 0;
	luaL_checkany(L, 1);
	lua_pushinteger(L, check_qty(L, 1, cpu, "lab.sched.quantity", "the quantity"));
	return 1;
}

static const luaL_Reg methods[] = {
	{"schedule", m_schedule}, {"place", m_place},     {"explain", m_explain},
	{"retry", m_retry},       {"remove", m_remove},   {"fail", m_fail},
	{"nodes", m_nodes},       {"pods", m_pods},       {"fragmentation", m_fragmentation},
	{"report", m_report},     {NULL, NULL},
};

static const luaL_Reg metamethods[] = {{"__tostring", m_tostring}, {NULL, NULL}};

static const struct lab_class cluster_class = {
	.name = "lab.sched",
	.methods = methods,
	.metamethods = metamethods,
	.free = free_cluster,
};

static const luaL_Reg functions[] = {
	{"new", l_new},           {"run", l_run},   {"score", l_score},
	{"quantity", l_quantity}, {"pack", l_pack}, {NULL, NULL},
};

const struct lab_namespace lab_ns_sched = {
	.functions = functions,
	.classes = (const struct lab_class *const[]){&cluster_class, NULL},
	.options = (const struct lab_fnopts[]){{"new", new_opts},
					       {"new weights", weight_opts},
					       {"new nodes", node_opts},
					       {"c:schedule", pod_opts},
					       {"run", run_opts},
					       {"pack", pack_opts},
					       {NULL}},
};
