/*
 * rep_run.c — the runner of the replication models (clients, faults,
 * failover, lag sampling) and the checkers of what clients saw; see
 * replication.h.
 */
#include "engine/concepts/replication/rep_int.h"
#include "engine/base/budget.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

int64_t leader_max_wait(struct sim *s, uint32_t node);
void quorum_counts(struct sim *s, uint32_t node, uint64_t *repairs, uint64_t *hinted,
		   uint64_t *handoffs);

struct repl_run rep_defaults(enum repl_kind k)
{
	struct repl_run r = {.kind = k, .nodes = 3, .clients = 3, .keys = 3, .seed = 1, .time = 20,
			     .period = 0.2, .writes = 0.5, .latency = 0.01, .reads = READ_ANY,
			     .ryw_window = 1, .timeout = 1, .failover = 2};
	r.leader = (struct leader_cfg){.mode = REPL_ASYNC, .ordered = 1, .resend = 0.1};
	r.quorum = (struct quorum_cfg){.n = 3, .r = 2, .w = 2, .timeout = 0.2, .read_repair = 1,
				       .handoff = 0.5};
	r.multi = (struct multi_cfg){.resend = 0.2};
	return r;
}

const char *rep_check(const struct repl_run *r)
{
	if (r->kind > REPL_MULTI)
		return "unknown kind";
	if (r->nodes < 1 || r->nodes > 64)
		return "nodes must be between 1 and 64";
	if (r->clients < 1 || r->clients > 1000 || r->keys < 1 || r->keys > 1000)
		return "clients and keys must be between 1 and 1000";
	if (!(r->time >= 2 && r->time <= 1e5))
		return "time must be between 2 and 10^5 seconds";
	if (!(r->period >= 1e-3 && r->period <= 1e4) || !(r->writes >= 0 && r->writes <= 1))
		return "period must be at least 1 ms; writes is a share between 0 and 1";
	if (!(r->latency >= 0 && r->latency <= 100) || !(r->loss >= 0 && r->loss <= 1) ||
	    !(r->clock_skew >= 0 && r->clock_skew <= 1e4))
		return "latency, loss or clock skew out of range";
	if (!(r->timeout > 0 && r->timeout <= 1e4))
		return "timeout must be positive";
	if (r->kind == REPL_QUORUM &&
	    (r->quorum.n < 1 || r->quorum.n > r->nodes || r->quorum.r < 1 || r->quorum.w < 1 ||
	     r->quorum.r > r->quorum.n || r->quorum.w > r->quorum.n || !(r->quorum.timeout > 0)))
		return "quorums need 1 <= r, w <= n <= nodes and a positive timeout";
	if (r->kind == REPL_LEADER && !(r->leader.resend > 0 && r->leader.apply_delay >= 0))
		return "resend must be positive";
	if (r->kind == REPL_MULTI && !(r->multi.resend > 0))
		return "resend must be positive";
	return NULL;
}

/* ---- the runner ---- */

struct runner {
	const struct repl_run *r;
	struct sim *s;
	uint32_t leader;
	struct rng rng;
	uint64_t *seq;       /* per client: writes so far */
	double *wrote;       /* per client x key: when it last wrote (s), -1 never */
	double max_lag;
};

static void key_name(char *buf, size_t n, uint32_t k)
{
	snprintf(buf, n, "k%u", k);
}

/* The node a read of KEY by CLIENT goes to. */
static uint32_t read_target(struct runner *x, uint32_t client, uint32_t key)
{
	const struct repl_run *r = x->r;
	uint32_t n = r->nodes;
	if (r->kind != REPL_LEADER)
		return 1 + (client - 1) % n;
	uint32_t any = 1 + (uint32_t)rng_below(&x->rng, n);
	uint32_t follower = n > 1 ? 1 + (uint32_t)rng_below(&x->rng, n - 1) : x->leader;
	if (n > 1 && follower >= x->leader)
		follower++;
	switch (r->reads) {
	case READ_LEADER: return x->leader;
	case READ_ANY: return any;
	case READ_FOLLOWER: return follower;
	case READ_STICKY: return 1 + (client - 1) % n;
	case READ_RYW: {
		double t = x->wrote[(size_t)(client - 1) * r->keys + key - 1];
		return t >= 0 && sim_now(x->s) - t <= r->ryw_window ? x->leader : follower;
	}
	}
	return x->leader;
}

static int client_op(struct runner *x, uint32_t client)
{
	const struct repl_run *r = x->r;
	struct simw w = SIMW_INIT;
	char key[16], key2[16], value[48];
	uint32_t k = 1 + (uint32_t)rng_below(&x->rng, r->keys);
	key_name(key, sizeof key, k);
	uint32_t target;
	if (rng_uniform(&x->rng) < r->writes) {
		snprintf(value, sizeof value, "c%u-%llu", client,
			 (unsigned long long)++x->seq[client - 1]);
		simw_table(&w, 0, 3);
		simw_kstr(&w, "f", "write");
		simw_kstr(&w, "key", key);
		simw_kstr(&w, "value", value);
		target = r->kind == REPL_LEADER ? x->leader : 1 + (client - 1) % r->nodes;
		x->wrote[(size_t)(client - 1) * r->keys + k - 1] = sim_now(x->s);
	} else if (r->multi_key && r->keys >= 2) {
		uint32_t k2 = 1 + (uint32_t)rng_below(&x->rng, r->keys - 1);
		if (k2 >= k)
			k2++;
		key_name(key2, sizeof key2, k2);
		simw_table(&w, 0, 2);
		simw_kstr(&w, "f", "read");
		simw_cstr(&w, "keys");
		simw_table(&w, 2, 0);
		simw_cstr(&w, key);
		simw_cstr(&w, key2);
		target = read_target(x, client, k);
	} else {
		simw_table(&w, 0, 2);
		simw_kstr(&w, "f", "read");
		simw_kstr(&w, "key", key);
		target = read_target(x, client, k);
	}
	int ok = !w.failed &&
		 sim_request(x->s, sim_now(x->s), client, target, w.p, w.len, r->timeout) != 0;
	simw_free(&w);
	double next = sim_now(x->s) + rng_exponential(&x->rng, 1.0 / r->period);
	if (ok && next < r->time - 1)
		ok = sim_at(x->s, next, client) == 0;
	if (!ok)
		sim_abort(x->s, "the clients could not go on: %s", sim_error(x->s));
	return ok ? 0 : -1;
}

/* Failover: the follower with the longest log becomes the leader. */
static int failover(struct runner *x)
{
	uint32_t best = 0;
	int64_t best_len = -1, applied;
	for (uint32_t i = 1; i <= x->r->nodes; i++) {
		int64_t len = leader_log_len(x->s, i, &applied);
		if (sim_up(x->s, i) && len > best_len) {
			best = i;
			best_len = len;
		}
	}
	if (!best)
		return 0;
	x->leader = best;
	if (leader_promote(x->s, best) != 0) {
		sim_abort(x->s, "failover failed");
		return -1;
	}
	return 0;
}

static int sample_lag(struct runner *x)
{
	int64_t applied, lead = leader_log_len(x->s, x->leader, &applied);
	for (uint32_t i = 1; i <= x->r->nodes; i++) {
		int64_t a;
		if (i != x->leader && sim_up(x->s, i) && leader_log_len(x->s, i, &a) >= 0 &&
		    (double)(lead - a) > x->max_lag)
			x->max_lag = (double)(lead - a);
	}
	double next = sim_now(x->s) + 0.05;
	return next < x->r->time ? sim_at(x->s, next, (uint64_t)x->r->clients + 1) : 0;
}

enum { HOOK_FAILOVER = 0 };

static int hook(struct sim *s, void *ud, uint64_t token)
{
	struct runner *x = ud;
	if (token == HOOK_FAILOVER)
		return failover(x);
	if (token <= x->r->clients)
		return client_op(x, (uint32_t)token);
	return sample_lag(x);
}

static void free_ud(void *p)
{
	budget_free(p);
}

/* Adds the faults of R to S. */
static int faults(const struct repl_run *r, struct sim *s)
{
	if (r->crash_at > 0) {
		struct sim_fault f = {.at = r->crash_at, .kind = SIM_F_CRASH, .node = 1};
		if (sim_add_fault(s, &f) != 0)
			return -1;
		if (r->kind == REPL_LEADER && sim_at(s, r->crash_at + r->failover, HOOK_FAILOVER) != 0)
			return -1;
	}
	if (r->part) {
		uint16_t *g = budget_malloc(r->nodes * sizeof *g);
		if (!g)
			return -1;
		for (uint32_t i = 0; i < r->nodes; i++)
			g[i] = (r->part >> i) & 1 ? 1 : 2;
		struct sim_fault p = {.at = r->part_at, .kind = SIM_F_PARTITION, .group = g};
		struct sim_fault h = {.at = r->part_until, .kind = SIM_F_HEAL};
		int rc = sim_add_fault(s, &p) || sim_add_fault(s, &h);
		budget_free(g);
		if (rc)
			return -1;
	}
	return 0;
}

static struct sim *build(const struct repl_run *r)
{
	struct sim_config c = sim_config_default();
	c.nodes = r->nodes;
	c.seed = r->seed;
	c.net.loss = r->loss;
	c.net.reorder = r->reorder;
	c.net.reorder_delay = 5 * r->latency;
	c.net.latency = (struct sim_latency){.dist = SIM_EXP, .mean = r->latency,
					     .min = r->latency / 10};
	c.clock_skew = r->clock_skew;
	c.trace = r->keep;
	struct sim *s = sim_new(&c);
	if (!s)
		return NULL;
	const struct sim_behaviour *b = r->kind == REPL_LEADER   ? &leader_behaviour
					: r->kind == REPL_QUORUM ? &quorum_behaviour
								 : &multi_behaviour;
	const void *cfg = r->kind == REPL_LEADER   ? (const void *)&r->leader
			  : r->kind == REPL_QUORUM ? (const void *)&r->quorum
						   : (const void *)&r->multi;
	size_t size = r->kind == REPL_LEADER   ? sizeof r->leader
		      : r->kind == REPL_QUORUM ? sizeof r->quorum
					       : sizeof r->multi;
	for (uint32_t i = 1; i <= r->nodes; i++) {
		void *ud = budget_malloc(size);
		if (!ud || (memcpy(ud, cfg, size), sim_add_node(s, i, b, ud, free_ud)) != 0) {
			sim_free(s);
			return NULL;
		}
	}
	return s;
}

/* ---- what clients saw ---- */

struct seen {
	uint32_t client;
	int write, ok;
	int64_t invoke, complete;
	const char *key, *value;  /* single-key ops */
	size_t kl, vl;
	struct version v, pred;
	int has_pred;
	struct simv multi;        /* a multi-key read's result */
	int is_multi;
};

static int parse(const struct sim_op *o, struct seen *x)
{
	memset(x, 0, sizeof *x);
	struct simv op = simv_of(o->op, o->op_len), f, ver;
	x->client = o->client;
	x->invoke = o->invoke;
	x->complete = o->complete;
	x->ok = o->status == SIM_OP_OK;
	if (simv_get(op, "f", &f) != 0)
		return -1;
	x->write = simv_is(f, "write");
	if (field_str(op, "key", &x->key, &x->kl) != 0) {
		if (x->write || !x->ok || !o->result)
			return -1;
		x->is_multi = 1;
		x->multi = simv_of(o->result, o->result_len);
		return 0;
	}
	if (x->write)
		field_str(op, "value", &x->value, &x->vl);
	if (!x->ok || !o->result)
		return 0;
	struct simv res = simv_of(o->result, o->result_len);
	if (simv_get(res, "version", &ver) != 0 || version_read(ver, &x->v) != 0)
		return -1;
	if (!x->write)
		field_str(res, "value", &x->value, &x->vl);
	if (simv_get(res, "pred", &ver) == 0 && version_read(ver, &x->pred) == 0)
		x->has_pred = 1;
	return 0;
}

static int same_key(const struct seen *a, const char *k, size_t kl)
{
	return a->key && a->kl == kl && memcmp(a->key, k, kl) == 0;
}

/* Checks one ok single-key read R against everything before it. */
static void check_read(const struct seen *ops, size_t n, const struct seen *r,
		       struct repl_report *out)
{
	struct version latest = {-1, 0}, mine = {-1, 0}, seen = {-1, 0};
	for (size_t j = 0; j < n; j++) {
		const struct seen *o = &ops[j];
		if (!o->ok || o == r || !same_key(o, r->key, r->kl) || o->complete > r->invoke ||
		    o->complete < 0)
			continue;
		if (o->write && version_cmp(o->v, latest) > 0)
			latest = o->v;
		if (o->write && o->client == r->client && version_cmp(o->v, mine) > 0)
			mine = o->v;
		if (!o->write && o->client == r->client && version_cmp(o->v, seen) > 0)
			seen = o->v;
	}
	out->stale += version_cmp(r->v, latest) < 0;
	out->ryw += version_cmp(r->v, mine) < 0;
	out->monotonic += version_cmp(r->v, seen) < 0;
}

/* A multi-key read must reflect a prefix of the log: for each key, no
 * acknowledged write of it between its version and the newest version
 * the read returned. */
static void check_prefix(const struct seen *ops, size_t n, const struct seen *r,
			 struct repl_report *out)
{
	struct simv k, e, vv;
	struct version top = {0, 0};
	size_t narr, nmap;
	if (simv_table(r->multi, &narr, &nmap) != 0)
		return;
	for (size_t i = 0; i < nmap; i++) {
		struct version v;
		if (simv_pair(r->multi, i, &k, &e) == 0 && simv_get(e, "version", &vv) == 0 &&
		    version_read(vv, &v) == 0 && version_cmp(v, top) > 0)
			top = v;
	}
	for (size_t i = 0; i < nmap; i++) {
		const char *key;
		size_t kl;
		struct version v;
		if (simv_pair(r->multi, i, &k, &e) != 0 || simv_str(k, &key, &kl) != 0 ||
		    simv_get(e, "version", &vv) != 0 || version_read(vv, &v) != 0)
			continue;
		for (size_t j = 0; j < n; j++)
			if (ops[j].write && ops[j].ok && same_key(&ops[j], key, kl) &&
			    version_cmp(ops[j].v, v) > 0 && version_cmp(ops[j].v, top) <= 0) {
				out->prefix++;
				return;
			}
	}
}

void rep_check_history(struct sim *s, struct repl_report *out)
{
	size_t n;
	const struct sim_op *h = sim_history(s, &n);
	struct seen *ops = budget_malloc((n ? n : 1) * sizeof *ops);
	if (!ops)
		return;
	size_t m = 0;
	for (size_t i = 0; i < n; i++)
		if (h[i].invoke >= 0 && parse(&h[i], &ops[m]) == 0)
			m++;
	for (size_t i = 0; i < m; i++) {
		if (!ops[i].ok || ops[i].write)
			continue;
		if (ops[i].is_multi)
			check_prefix(ops, m, &ops[i], out);
		else
			check_read(ops, m, &ops[i], out);
	}
	budget_free(ops);
}

/* Multi-leader: acknowledged writes that last writer wins discards in
 * favour of an older one: a write W is lost if a write U of the same key
 * completed before W began and yet carries a larger timestamp (U's clock
 * was ahead). With true clocks, timestamps follow real time and no write
 * is lost this way. */
static void check_lost(struct sim *s, struct repl_report *out)
{
	size_t n;
	const struct sim_op *h = sim_history(s, &n);
	struct seen *ops = budget_malloc((n ? n : 1) * sizeof *ops);
	if (!ops)
		return;
	size_t m = 0;
	for (size_t i = 0; i < n; i++)
		if (h[i].invoke >= 0 && parse(&h[i], &ops[m]) == 0 && ops[m].write && ops[m].ok)
			m++;
	for (size_t i = 0; i < m; i++)
		for (size_t j = 0; j < m; j++)
			if (same_key(&ops[j], ops[i].key, ops[i].kl) && ops[j].complete < ops[i].invoke &&
			    version_cmp(ops[j].v, ops[i].v) > 0) {
				out->lost++;
				break;
			}
	budget_free(ops);
}

int rep_run(const struct repl_run *r, struct repl_report *out)
{
	memset(out, 0, sizeof *out);
	if (rep_check(r))
		return -1;
	struct runner x = {.r = r, .leader = 1};
	rng_seed(&x.rng, r->seed ^ 0xC11E47);
	x.seq = budget_calloc(r->clients, sizeof *x.seq);
	x.wrote = budget_malloc((size_t)r->clients * r->keys * sizeof *x.wrote);
	int rc = -1;
	if (!x.seq || !x.wrote || !(x.s = build(r)))
		goto out;
	for (size_t i = 0; i < (size_t)r->clients * r->keys; i++)
		x.wrote[i] = -1;
	sim_set_hook(x.s, hook, &x);
	if (faults(r, x.s) != 0)
		goto out;
	for (uint32_t c = 1; c <= r->clients; c++)
		if (sim_at(x.s, 0.1 + 0.01 * c, c) != 0)
			goto out;
	if (r->kind == REPL_LEADER && sim_at(x.s, 0.05, r->clients + 1) != 0)
		goto out;
	enum sim_status st = sim_run(x.s, r->time, 0);
	if (st == SIM_ERROR || st == SIM_STOPPED)
		goto out;
	size_t n;
	const struct sim_op *h = sim_history(x.s, &n);
	for (size_t i = 0; i < n; i++) {
		struct simv f;
		int write = simv_get(simv_of(h[i].op, h[i].op_len), "f", &f) == 0 && simv_is(f, "write");
		out->writes += write;
		out->reads += !write;
		out->ok += h[i].status == SIM_OP_OK;
		out->failed += h[i].status == SIM_OP_FAIL;
		out->info += h[i].status == SIM_OP_INFO;
		if (r->kind == REPL_LEADER && write && h[i].status == SIM_OP_OK) {
			struct seen w;
			if (parse(&h[i], &w) == 0 && w.value &&
			    !leader_log_has(x.s, x.leader, w.key, w.kl, w.value, w.vl))
				out->lost++;
		}
	}
	rep_check_history(x.s, out);
	if (r->kind == REPL_MULTI)
		check_lost(x.s, out);
	for (uint32_t i = 1; i <= r->nodes; i++) {
		if (r->kind == REPL_LEADER && i != x.leader) {
			double w = (double)leader_max_wait(x.s, i) / 1e9;
			if (w > out->max_lag_s)
				out->max_lag_s = w;
		}
		if (r->kind == REPL_QUORUM)
			quorum_counts(x.s, i, &out->repairs, &out->hints, &out->handoffs);
	}
	out->max_lag = x.max_lag;
	out->leader = x.leader;
	rc = 0;
out:
	if (x.s)
		sim_set_hook(x.s, NULL, NULL); /* the runner is gone */
	if (rc == 0 && r->keep)
		out->sim = x.s;
	else
		sim_free(x.s);
	budget_free(x.seq);
	budget_free(x.wrote);
	return rc;
}
