/*
 * raftrun.c — audited runs of a Raft cluster under the nemesis, and the
 * timeline of roles and terms drawn from the nodes' trace lines.
 */
#include "engine/concepts/raft/raft.h"
#include "engine/concepts/raft/raft_int.h"
#include "engine/concepts/sim/simtrace.h"
#include "engine/base/budget.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What the targeted faults watch: each node's vote and commit index when
 * last seen, and their own random stream. */
struct adversary {
	const struct raft_run *r;
	struct rng g;
	uint32_t *vote;
	uint64_t *commit;
	uint64_t *led;       /* the term it was last seen leading */
};

/* Crashes NODE now and restarts it AFTER seconds later. 0 or -1. */
static int kill(struct sim *s, uint32_t node, double after)
{
	struct sim_fault f = {.at = sim_now(s), .kind = SIM_F_CRASH, .node = node};
	if (sim_add_fault(s, &f) != 0)
		return -1;
	f.kind = SIM_F_RESTART;
	f.at += after;
	return sim_add_fault(s, &f);
}

static int adversary_look(struct adversary *x, struct sim *s, uint32_t id,
			  const struct raft_info *in)
{
	uint32_t oldv = x->vote[id - 1];
	uint64_t oldc = x->commit[id - 1], oldl = x->led[id - 1];
	x->vote[id - 1] = in->vote;
	x->commit[id - 1] = in->commit;
	if (in->role == RAFT_LEADER)
		x->led[id - 1] = in->term;
	if (x->r->kill_voters > 0 && in->role == RAFT_FOLLOWER && in->vote && in->vote != oldv &&
	    rng_uniform(&x->g) < x->r->kill_voters)
		return kill(s, id, 0.005);
	if (x->r->kill_leaders > 0 && in->role == RAFT_LEADER &&
	    (in->commit > oldc || in->term != oldl) &&
	    rng_uniform(&x->g) < x->r->kill_leaders)
		return kill(s, id, x->r->fault_for);
	return 0;
}

static int audit_nodes(struct raft_audit *a, struct sim *s, uint32_t *inc, struct adversary *x)
{
	uint32_t n = sim_nodes(s);
	for (uint32_t id = 1; id <= n; id++) {
		if (sim_behaviour_of(s, id) != &raft_behaviour)
			continue;
		uint32_t now = sim_incarnation(s, id);
		if (inc && inc[id - 1] != now) {
			if (inc[id - 1])
				raft_audit_crash(a, id);
			inc[id - 1] = now;
		}
		if (!sim_up(s, id) || !raft_take_dirty(s, id))
			continue;
		struct raft_info in;
		raft_info(s, id, &in);
		struct raft_obs o = {in.role, in.term, in.commit, in.base, in.base_term,
				     in.n, in.terms, in.hashes};
		int r = raft_audit_observe(a, sim_now(s), id, &o);
		if (r)
			return r;
		if (x && adversary_look(x, s, id, &in) != 0)
			return -1;
	}
	return 0;
}

int raft_audit_sim(struct raft_audit *a, struct sim *s)
{
	return audit_nodes(a, s, NULL, NULL);
}

/* Client writes: RATE per second from 0.5 s to the end, to nodes drawn
 * from the seed, each a put or an append with a session (client, seq). */
static int schedule_clients(struct sim *s, const struct raft_run *r)
{
	if (r->clients <= 0)
		return 0;
	struct rng g;
	rng_seed(&g, r->seed * 7919 + 17);
	int64_t seq[4] = {0};
	char key[8];
	uint64_t k = 0;
	for (double at = 0.5; at < r->time; at += 1.0 / r->clients, k++) {
		int client = (int)rng_below(&g, 4);
		struct simw w = SIMW_INIT;
		snprintf(key, sizeof key, "k%d", (int)rng_below(&g, 3));
		simw_table(&w, 0, 5);
		simw_kint(&w, "client", client + 1);
		simw_kstr(&w, "f", rng_below(&g, 2) ? "append" : "put");
		simw_kstr(&w, "key", key);
		simw_kint(&w, "seq", ++seq[client]);
		char val[24];
		snprintf(val, sizeof val, "%llu,", (unsigned long long)k);
		simw_kstr(&w, "value", val);
		uint32_t node = 1 + (uint32_t)rng_below(&g, r->nodes);
		int ok = !w.failed && sim_request(s, at, (uint32_t)client + 1, node, w.p, w.len, 1.0);
		simw_free(&w);
		if (!ok)
			return -1;
	}
	return 0;
}

static struct sim *build(const struct raft_run *r)
{
	struct sim_config c = sim_config_default();
	c.nodes = r->nodes;
	c.seed = r->seed;
	c.trace = r->trace;
	c.net.loss = r->loss;
	c.net.latency = (struct sim_latency){SIM_EXP, r->latency, r->latency / 10, 0, 0};
	struct sim *s = sim_new(&c);
	if (!s)
		return NULL;
	for (uint32_t id = 1; id <= r->nodes; id++) {
		struct raft_cfg *cfg = budget_malloc(sizeof *cfg);
		if (!cfg)
			goto fail;
		*cfg = r->cfg;
		cfg->log_state = r->trace && r->cfg.log_state;
		if (sim_add_node(s, id, &raft_behaviour, cfg, budget_free) != 0)
			goto fail;
	}
	if (r->nemesis) {
		struct sim_nemesis n = {.kinds = r->nemesis, .start = 0.5,
					.until = r->time > 3 ? r->time - 1.5 : r->time,
					.interval = r->fault_every, .duration = r->fault_for,
					.loss = 0.3};
		if (sim_nemesis(s, &n) < 0)
			goto fail;
	}
	if (schedule_clients(s, r) != 0)
		goto fail;
	return s;
fail:
	sim_free(s);
	return NULL;
}

int raft_run(const struct raft_run *r, struct raft_result *out)
{
	memset(out, 0, sizeof *out);
	struct sim *s = build(r);
	if (!s)
		return -1;
	struct raft_audit *a = raft_audit_new(r->nodes, r->nemesis == 0 && r->loss == 0);
	uint32_t *inc = budget_calloc(r->nodes, sizeof *inc);
	struct adversary x = {r, {{0}}, budget_calloc(r->nodes, sizeof *x.vote),
			      budget_calloc(r->nodes, sizeof *x.commit),
			      budget_calloc(r->nodes, sizeof *x.led)};
	rng_seed(&x.g, r->seed ^ 0x5deece66dull);
	int rc = -1;
	if (!a || !inc || !x.vote || !x.commit || !x.led)
		goto done;
	enum sim_status st;
	int bad = 0;
	while ((st = sim_run(s, r->time, 1)) == SIM_STEPPED)
		if ((bad = audit_nodes(a, s, inc, &x)) != 0)
			break;
	if (bad < 0 || st == SIM_ERROR || st == SIM_STOPPED)
		goto done;
	const struct raft_violation *v = raft_audit_violation(a);
	if (v) {
		out->violated = 1;
		out->v = *v;
		size_t len = strlen(v->text);
		if (!(out->v.text = budget_malloc(len + 1)))
			goto done;
		memcpy(out->v.text, v->text, len + 1);
	}
	struct sim_stats ss;
	sim_stats(s, &ss);
	out->events = ss.events;
	out->leaders = raft_audit_leaders(a);
	out->committed = raft_audit_committed(a);
	size_t nops;
	const struct sim_op *ops = sim_history(s, &nops);
	for (size_t i = 0; i < nops; i++)
		out->ok_ops += ops[i].status == SIM_OP_OK;
	rc = 0;
done:
	raft_audit_free(a);
	budget_free(inc);
	budget_free(x.vote);
	budget_free(x.commit);
	budget_free(x.led);
	if (rc == 0 && r->trace)
		out->sim = s;
	else
		sim_free(s);
	return rc;
}

void raft_result_free(struct raft_result *out)
{
	budget_free(out->v.text);
	if (out->sim)
		sim_free(out->sim);
	memset(out, 0, sizeof *out);
}

/* ---- the timeline ---- */

/* Reads "raft term=T role=R ..." into *TERM and *ROLE ('F', 'C', 'L'). */
static int parse_line(const uint8_t *p, size_t len, uint64_t *term, char *role)
{
	char buf[128];
	if (len >= sizeof buf || len < 5 || memcmp(p, "raft ", 5) != 0)
		return 0;
	memcpy(buf, p, len);
	buf[len] = 0;
	unsigned long long t;
	char r[16];
	if (sscanf(buf, "raft term=%llu role=%15s", &t, r) != 2)
		return 0;
	*term = t;
	*role = r[0] == 'l' ? 'L' : r[0] == 'c' ? 'C' : 'F';
	return 1;
}

int raft_timeline(struct sbuf *out, struct sim *s, int width)
{
	if (width < 40 || width > 1000)
		return -1;
	struct simtrace *t = sim_trace(s);
	uint32_t n = sim_nodes(s);
	size_t cols = (size_t)width - 9, count = t ? simtrace_count(t) : 0;
	int64_t end = sim_now_ns(s);
	if (end <= 0)
		end = 1;
	char *lane = budget_malloc((size_t)n * cols);
	uint64_t *term = budget_calloc(cols, sizeof *term);
	char *state = budget_malloc(n);
	uint64_t *nodeterm = budget_calloc(n, sizeof *nodeterm);
	if (!lane || !term || !state || !nodeterm) {
		budget_free(lane);
		budget_free(term);
		budget_free(state);
		budget_free(nodeterm);
		return -1;
	}
	memset(state, 'F', n);
	size_t i = 0;
	for (size_t col = 0; col < cols; col++) {
		int64_t until = (int64_t)((double)end * (double)(col + 1) / (double)cols);
		char lead[SIM_MAX_NODES + 1] = {0};
		for (; i < count; i++) {
			const struct simrec *r = simtrace_get(t, i);
			if (r->at > until)
				break;
			if (r->a < 1 || r->a > n)
				continue;
			uint64_t tm;
			char role;
			if (r->kind == SIMR_CRASH)
				state[r->a - 1] = '.';
			else if (r->kind == SIMR_RESTART)
				state[r->a - 1] = 'F';
			else if (r->kind == SIMR_LOG &&
				 parse_line(simtrace_payload(t, r), r->len, &tm, &role)) {
				state[r->a - 1] = role;
				nodeterm[r->a - 1] = tm;
				if (role == 'L')
					lead[r->a] = 1;
			}
		}
		for (uint32_t id = 1; id <= n; id++) {
			lane[(size_t)(id - 1) * cols + col] = lead[id] ? 'L' : state[id - 1];
			if (nodeterm[id - 1] > term[col])
				term[col] = nodeterm[id - 1];
		}
	}
	sbuf_addf(out, "%-9s0%*s%.2f s\n", "time", (int)cols - 7, "", (double)end / SIM_NS);
	for (uint32_t id = 1; id <= n; id++) {
		char name[16];
		snprintf(name, sizeof name, "n%u", id);
		sbuf_addf(out, "%-9s", name);
		sbuf_add(out, lane + (size_t)(id - 1) * cols, cols);
		sbuf_addc(out, '\n');
	}
	sbuf_addf(out, "%-9s", "term");
	for (size_t col = 0; col < cols; col++)
		sbuf_addc(out, term[col] == 0 ? ' ' : term[col] < 10 ? (char)('0' + term[col])
			  : term[col] < 36 ? (char)('a' + term[col] - 10) : '+');
	sbuf_adds(out, "\n(F follower, C candidate, L leader, . down; term in base 36, + past z)\n");
	budget_free(lane);
	budget_free(term);
	budget_free(state);
	budget_free(nodeterm);
	return 0;
}
