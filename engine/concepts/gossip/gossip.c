/*
 * gossip.c — memberlist's formulas, gossip dissemination, heartbeats,
 * discovery, and the runners; see gossip.h. SWIM is in swim.c.
 */
#include "engine/concepts/gossip/gossip.h"
#include "engine/concepts/sim/simval.h"
#include "engine/base/budget.h"

#include <math.h>
#include <string.h>

/* ---- formulas ---- */

double swim_suspicion_timeout(double mult, uint32_t n, double interval)
{
	double scale = log10(n > 1 ? (double)n : 1.0);
	if (scale < 1)
		scale = 1;
	scale = floor(scale * 1000) / 1000; /* memberlist keeps three decimals */
	return mult * scale * interval;
}

int swim_retransmit_limit(int mult, uint32_t n)
{
	return mult * (int)ceil(log10((double)n + 1));
}

double swim_remaining_suspicion(int n, int k, double elapsed, double min, double max)
{
	double frac = log((double)n + 1) / log((double)k + 1);
	double raw = max - frac * (max - min);
	double timeout = floor(raw * 1000) / 1000; /* whole milliseconds */
	if (timeout < min)
		timeout = min;
	return timeout - elapsed;
}

/* ---- records ---- */

int gossip_record_init(struct gossip_record *rec, uint32_t n)
{
	memset(rec, 0, sizeof *rec);
	rec->n = n;
	rec->informed = budget_malloc(n * sizeof *rec->informed);
	rec->suspected = budget_malloc((size_t)n * n * sizeof *rec->suspected);
	rec->dead = budget_malloc((size_t)n * n * sizeof *rec->dead);
	if (!rec->informed || !rec->suspected || !rec->dead) {
		gossip_record_free(rec);
		return -1;
	}
	for (uint32_t i = 0; i < n; i++)
		rec->informed[i] = -1;
	for (size_t i = 0; i < (size_t)n * n; i++)
		rec->suspected[i] = rec->dead[i] = -1;
	return 0;
}

void gossip_record_free(struct gossip_record *rec)
{
	budget_free(rec->informed);
	budget_free(rec->suspected);
	budget_free(rec->dead);
	memset(rec, 0, sizeof *rec);
}

void gossip_note(struct sim *s, struct gossip_record *rec, uint32_t observer, uint32_t target,
		 int dead)
{
	if (!rec || observer < 1 || target < 1 || observer > rec->n || target > rec->n)
		return;
	int64_t *slot = &(dead ? rec->dead : rec->suspected)[(size_t)(observer - 1) * rec->n + target - 1];
	if (*slot < 0)
		*slot = sim_now_ns(s);
	if (sim_up(s, target)) {
		if (dead)
			rec->false_deaths++;
		else
			rec->false_suspicions++;
	}
}

/* Sends {t = T} (with K = V when K is not NULL) from FROM to TO. */
static int send2(struct sim *s, uint32_t from, uint32_t to, const char *t, const char *k,
		 int64_t v)
{
	uint8_t buf[64];
	struct simw w = {buf, 0, sizeof buf, 0};
	simw_table(&w, 0, k ? 2 : 1);
	if (k)
		simw_kint(&w, k, v);
	simw_kstr(&w, "t", t);
	if (w.failed || !sim_send(s, from, to, w.p, w.len)) {
		sim_abort(s, "n%u could not send: %s", from, sim_error(s));
		return -1;
	}
	return 0;
}

static int timer(struct sim *s, uint32_t node, double delay, const char *tag)
{
	uint8_t buf[32];
	struct simw w = {buf, 0, sizeof buf, 0};
	simw_cstr(&w, tag);
	if (!sim_set_timer(s, node, delay, w.p, w.len)) {
		sim_abort(s, "n%u could not set a timer: %s", node, sim_error(s));
		return -1;
	}
	return 0;
}

/* A peer of NODE other than itself, at random. */
static uint32_t peer(struct sim *s, uint32_t node)
{
	uint32_t n = sim_nodes(s);
	if (n < 2)
		return node;
	uint32_t p = 1 + (uint32_t)rng_below(sim_rng(s, node), n - 1);
	return p >= node ? p + 1 : p;
}

/* ---- gossip ---- */

struct gnode {
	int knows;
	uint32_t left;  /* rounds left to gossip (ttl) */
};

static void learn(struct sim_ctx *c, const struct gossip_cfg *g)
{
	struct gnode *v = c->vol;
	if (v->knows)
		return;
	v->knows = 1;
	v->left = g->ttl;
	if (g->rec && g->rec->informed[c->node - 1] < 0)
		g->rec->informed[c->node - 1] = sim_now_ns(c->sim);
}

static int g_start(struct sim_ctx *c, int restart)
{
	const struct gossip_cfg *g = c->ud;
	if (c->node == g->origin && !restart)
		learn(c, g);
	/* the first round at a random phase: nodes do not tick in step */
	return timer(c->sim, c->node, g->round * rng_uniform(sim_rng(c->sim, c->node)), "round");
}

static int g_timer(struct sim_ctx *c, uint64_t id, const uint8_t *tag, size_t len)
{
	const struct gossip_cfg *g = c->ud;
	struct gnode *v = c->vol;
	if (v->knows && (g->ttl == 0 || v->left > 0)) {
		for (uint32_t i = 0; i < g->fanout; i++)
			if (send2(c->sim, c->node, peer(c->sim, c->node), "rumor", NULL, 0) != 0)
				return -1;
		if (g->ttl)
			v->left--;
	}
	if (g->pull && !v->knows && send2(c->sim, c->node, peer(c->sim, c->node), "pull", NULL, 0) != 0)
		return -1;
	return timer(c->sim, c->node, g->round, "round");
}

static int g_receive(struct sim_ctx *c, uint32_t from, const uint8_t *msg, size_t len)
{
	const struct gossip_cfg *g = c->ud;
	struct gnode *v = c->vol;
	struct simv m = simv_of(msg, len), t;
	if (simv_get(m, "t", &t) != 0)
		return 0;
	if (simv_is(t, "rumor"))
		learn(c, g);
	else if (simv_is(t, "pull") && v->knows)
		return send2(c->sim, c->node, from, "rumor", NULL, 0);
	return 0;
}

const struct sim_behaviour gossip_behaviour = {
	.name = "gossip",
	.vol_size = sizeof(struct gnode),
	.start = g_start,
	.receive = g_receive,
	.timer = g_timer,
};

/* ---- heartbeats ---- */

struct hbnode {
	int64_t *heard;   /* [n]: last heartbeat from each (ns) */
	uint8_t *down;    /* [n]: suspected now */
};

static void hb_crash(struct sim_ctx *c)
{
	struct hbnode *v = c->vol;
	budget_free(v->heard);
	budget_free(v->down);
	v->heard = NULL;
	v->down = NULL;
}

static int hb_start(struct sim_ctx *c, int restart)
{
	const struct heartbeat_cfg *h = c->ud;
	struct hbnode *v = c->vol;
	uint32_t n = sim_nodes(c->sim);
	v->heard = budget_malloc(n * sizeof *v->heard);
	v->down = budget_calloc(n, 1);
	if (!v->heard || !v->down) {
		hb_crash(c);
		sim_abort(c->sim, "not enough memory");
		return -1;
	}
	for (uint32_t i = 0; i < n; i++)
		v->heard[i] = sim_now_ns(c->sim);
	return timer(c->sim, c->node, h->interval * rng_uniform(sim_rng(c->sim, c->node)), "beat");
}

static int hb_timer(struct sim_ctx *c, uint64_t id, const uint8_t *tag, size_t len)
{
	const struct heartbeat_cfg *h = c->ud;
	struct hbnode *v = c->vol;
	struct sim *s = c->sim;
	uint32_t n = sim_nodes(s);
	for (uint32_t p = 1; p <= n; p++) {
		if (p == c->node)
			continue;
		if (send2(s, c->node, p, "hb", NULL, 0) != 0)
			return -1;
		if (!v->down[p - 1] && sim_now_ns(s) - v->heard[p - 1] > sim_to_ns(h->timeout)) {
			v->down[p - 1] = 1;
			gossip_note(s, h->rec, c->node, p, 0);
			gossip_note(s, h->rec, c->node, p, 1);
		}
	}
	return timer(s, c->node, h->interval, "beat");
}

static int hb_receive(struct sim_ctx *c, uint32_t from, const uint8_t *msg, size_t len)
{
	struct hbnode *v = c->vol;
	v->heard[from - 1] = sim_now_ns(c->sim);
	v->down[from - 1] = 0;
	return 0;
}

const struct sim_behaviour heartbeat_behaviour = {
	.name = "heartbeat",
	.vol_size = sizeof(struct hbnode),
	.start = hb_start,
	.receive = hb_receive,
	.timer = hb_timer,
	.crash = hb_crash,
	.destroy = hb_crash,
};

/* ---- discovery ---- */

struct regnode {
	int64_t *until;   /* [n]: registration valid until (ns); 0: none */
};

static void reg_crash(struct sim_ctx *c)
{
	struct regnode *v = c->vol;
	budget_free(v->until);
	v->until = NULL;
}

static int reg_start(struct sim_ctx *c, int restart)
{
	const struct discovery_cfg *d = c->ud;
	struct regnode *v = c->vol;
	if (!(v->until = budget_calloc(sim_nodes(c->sim), sizeof *v->until))) {
		sim_abort(c->sim, "not enough memory");
		return -1;
	}
	return timer(c->sim, c->node, d->ttl / 10, "sweep");
}

static int reg_timer(struct sim_ctx *c, uint64_t id, const uint8_t *tag, size_t len)
{
	const struct discovery_cfg *d = c->ud;
	struct regnode *v = c->vol;
	int64_t now = sim_now_ns(c->sim);
	for (uint32_t i = 0; i < sim_nodes(c->sim); i++)
		if (v->until[i] && v->until[i] < now) {
			v->until[i] = 0;
			gossip_note(c->sim, d->rec, c->node, i + 1, 1);
		}
	return timer(c->sim, c->node, d->ttl / 10, "sweep");
}

static int reg_receive(struct sim_ctx *c, uint32_t from, const uint8_t *msg, size_t len)
{
	const struct discovery_cfg *d = c->ud;
	struct regnode *v = c->vol;
	struct simv t;
	if (simv_get(simv_of(msg, len), "t", &t) == 0 && simv_is(t, "reg"))
		v->until[from - 1] = sim_now_ns(c->sim) + sim_to_ns(d->ttl);
	return 0;
}

static int reg_request(struct sim_ctx *c, uint64_t req, const uint8_t *op, size_t len)
{
	struct regnode *v = c->vol;
	struct sim *s = c->sim;
	uint32_t n = sim_nodes(s), k = 0;
	for (uint32_t i = 0; i < n; i++)
		k += v->until[i] != 0;
	struct simw w = SIMW_INIT;
	simw_table(&w, k, 0);
	for (uint32_t i = 0; i < n; i++)
		if (v->until[i])
			simw_int(&w, i + 1);
	int rc = w.failed ? -1 : sim_reply(s, c->node, req, 1, w.p, w.len);
	simw_free(&w);
	if (rc < 0)
		sim_abort(s, "the registry could not reply");
	return rc < 0 ? -1 : 0;
}

const struct sim_behaviour registry_behaviour = {
	.name = "registry",
	.vol_size = sizeof(struct regnode),
	.start = reg_start,
	.receive = reg_receive,
	.timer = reg_timer,
	.request = reg_request,
	.crash = reg_crash,
	.destroy = reg_crash,
};

static int svc_start(struct sim_ctx *c, int restart)
{
	const struct discovery_cfg *d = c->ud;
	if (send2(c->sim, c->node, 1, "reg", NULL, 0) != 0)
		return -1;
	return timer(c->sim, c->node, d->ttl / 3, "renew");
}

static int svc_timer(struct sim_ctx *c, uint64_t id, const uint8_t *tag, size_t len)
{
	return svc_start(c, 0);
}

const struct sim_behaviour service_behaviour = {
	.name = "service",
	.start = svc_start,
	.timer = svc_timer,
};

/* ---- runners ---- */

void gossip_detach(struct sim *s)
{
	for (uint32_t i = 1; i <= sim_nodes(s); i++) {
		const struct sim_behaviour *b = sim_behaviour_of(s, i);
		void *ud = sim_ctx_of(s, i).ud;
		if (b == &gossip_behaviour)
			((struct gossip_cfg *)ud)->rec = NULL;
		else if (b == &swim_behaviour)
			((struct swim_cfg *)ud)->rec = NULL;
		else if (b == &heartbeat_behaviour)
			((struct heartbeat_cfg *)ud)->rec = NULL;
		else if (b == &registry_behaviour || b == &service_behaviour)
			((struct discovery_cfg *)ud)->rec = NULL;
	}
}

void gossip_result_free(struct gossip_result *out)
{
	gossip_record_free(&out->rec);
	sim_free(out->sim);
	memset(out, 0, sizeof *out);
}

static void free_ud(void *p)
{
	budget_free(p);
}

/* A simulation of R's network with behaviour B (copying CFG, SIZE bytes,
 * for each node) on nodes FIRST..N, and the crash of R. */
static struct sim *cluster(const struct gossip_run *r, struct gossip_result *out)
{
	if (r->nodes < 1 || r->nodes > SIM_MAX_NODES || !(r->time > 0 && r->time <= 1e6) ||
	    !(r->loss >= 0 && r->loss <= 1) || !(r->latency >= 0 && r->latency <= 100) ||
	    r->crash > r->nodes)
		return NULL;
	struct sim_config c = sim_config_default();
	c.nodes = r->nodes;
	c.seed = r->seed;
	c.net.loss = r->loss;
	c.net.latency = (struct sim_latency){.dist = SIM_EXP, .mean = r->latency,
					     .min = r->latency / 10};
	c.trace = r->trace;
	if (gossip_record_init(&out->rec, r->nodes) != 0)
		return NULL;
	struct sim *s = sim_new(&c);
	if (!s)
		return NULL;
	if (r->crash) {
		struct sim_fault f = {.at = r->crash_at, .kind = SIM_F_CRASH, .node = r->crash};
		if (sim_add_fault(s, &f) != 0) {
			sim_free(s);
			return NULL;
		}
	}
	return s;
}

static int add(struct sim *s, uint32_t id, const struct sim_behaviour *b, const void *cfg,
	       size_t size)
{
	void *ud = budget_malloc(size);
	if (!ud)
		return -1;
	memcpy(ud, cfg, size);
	return sim_add_node(s, id, b, ud, free_ud);
}

/* Runs S to R->time, keeps it in OUT if R->trace, computes detection. */
static int finish(const struct gossip_run *r, struct sim *s, struct gossip_result *out)
{
	enum sim_status st = sim_run(s, r->time, 0);
	if (st == SIM_ERROR || st == SIM_STOPPED) {
		sim_free(s);
		return -1;
	}
	sim_stats(s, &out->stats);
	out->detect_first = out->detect_all = -1;
	if (r->crash) {
		int64_t first = -1, last = -1;
		int all = 1;
		uint32_t n = r->nodes, c = r->crash;
		for (uint32_t o = 1; o <= n; o++) {
			if (o == c)
				continue;
			int64_t t = out->rec.dead[(size_t)(o - 1) * n + c - 1];
			if (t < 0) {
				all = 0;
				continue;
			}
			if (first < 0 || t < first)
				first = t;
			if (t > last)
				last = t;
		}
		int64_t at = sim_to_ns(r->crash_at);
		if (first >= 0)
			out->detect_first = (double)(first - at) / 1e9;
		if (all && last >= 0)
			out->detect_all = (double)(last - at) / 1e9;
	}
	if (r->trace)
		out->sim = s;
	else
		sim_free(s);
	return 0;
}

int gossip_spread(const struct gossip_run *r, const struct gossip_cfg *g, struct gossip_result *out)
{
	memset(out, 0, sizeof *out);
	if (g->fanout < 1 || g->fanout > 1000 || !(g->round > 0 && g->round <= 1e4) ||
	    g->origin < 1 || g->origin > r->nodes)
		return -1;
	struct sim *s = cluster(r, out);
	if (!s) {
		gossip_record_free(&out->rec);
		return -1;
	}
	struct gossip_cfg cfg = *g;
	cfg.rec = &out->rec;
	for (uint32_t i = 1; i <= r->nodes; i++)
		if (add(s, i, &gossip_behaviour, &cfg, sizeof cfg) != 0) {
			sim_free(s);
			gossip_record_free(&out->rec);
			return -1;
		}
	if (finish(r, s, out) != 0) {
		gossip_record_free(&out->rec);
		return -1;
	}
	int64_t last = 0;
	for (uint32_t i = 0; i < r->nodes; i++) {
		if (out->rec.informed[i] >= 0) {
			out->informed++;
			if (out->rec.informed[i] > last)
				last = out->rec.informed[i];
		}
	}
	out->all_informed = out->informed == r->nodes ? (double)last / 1e9 : -1;
	out->rounds = out->all_informed >= 0 ? out->all_informed / g->round : -1;
	return 0;
}

int gossip_heartbeat(const struct gossip_run *r, const struct heartbeat_cfg *c,
		     struct gossip_result *out)
{
	memset(out, 0, sizeof *out);
	if (!(c->interval > 0 && c->interval <= 1e4 && c->timeout > 0 && c->timeout <= 1e6))
		return -1;
	struct sim *s = cluster(r, out);
	if (!s) {
		gossip_record_free(&out->rec);
		return -1;
	}
	struct heartbeat_cfg cfg = *c;
	cfg.rec = &out->rec;
	for (uint32_t i = 1; i <= r->nodes; i++)
		if (add(s, i, &heartbeat_behaviour, &cfg, sizeof cfg) != 0) {
			sim_free(s);
			gossip_record_free(&out->rec);
			return -1;
		}
	if (finish(r, s, out) != 0) {
		gossip_record_free(&out->rec);
		return -1;
	}
	return 0;
}

int gossip_swim(const struct gossip_run *r, const struct swim_cfg *c, struct gossip_result *out)
{
	memset(out, 0, sizeof *out);
	if (!(c->interval > 0 && c->interval <= 1e4 && c->timeout > 0 && c->timeout <= c->interval) ||
	    c->indirect > 64 || !(c->suspicion_mult >= 1 && c->suspicion_mult <= 100) ||
	    !(c->suspicion_max_mult >= 1 && c->suspicion_max_mult <= 100) ||
	    c->retransmit_mult < 1 || c->retransmit_mult > 100 || c->awareness_max < 1 ||
	    c->awareness_max > 100 || c->piggyback < 1 || c->piggyback > 1000)
		return -1;
	struct sim *s = cluster(r, out);
	if (!s) {
		gossip_record_free(&out->rec);
		return -1;
	}
	struct swim_cfg cfg = *c;
	cfg.rec = &out->rec;
	for (uint32_t i = 1; i <= r->nodes; i++)
		if (add(s, i, &swim_behaviour, &cfg, sizeof cfg) != 0) {
			sim_free(s);
			gossip_record_free(&out->rec);
			return -1;
		}
	if (finish(r, s, out) != 0) {
		gossip_record_free(&out->rec);
		return -1;
	}
	return 0;
}

int gossip_discovery(const struct gossip_run *r, const struct discovery_cfg *c, uint32_t lookups,
		     struct gossip_result *out, uint64_t *stale, uint64_t *missing)
{
	memset(out, 0, sizeof *out);
	*stale = *missing = 0;
	if (!(c->ttl > 0 && c->ttl <= 1e6) || r->nodes < 2 || lookups > 1000000 || r->crash == 1)
		return -1;
	struct sim *s = cluster(r, out);
	if (!s) {
		gossip_record_free(&out->rec);
		return -1;
	}
	struct discovery_cfg cfg = *c;
	cfg.rec = &out->rec;
	int bad = add(s, 1, &registry_behaviour, &cfg, sizeof cfg) != 0;
	for (uint32_t i = 2; i <= r->nodes && !bad; i++)
		bad = add(s, i, &service_behaviour, &cfg, sizeof cfg) != 0;
	static const uint8_t lookup[] = {SIMVAL_TABLE, 0, 1, SIMVAL_STR, 1, 'f', SIMVAL_STR, 6,
					 'l', 'o', 'o', 'k', 'u', 'p'};
	for (uint32_t i = 0; i < lookups && !bad; i++)
		bad = !sim_request(s, r->time * (i + 1) / (lookups + 1), 1, 1, lookup, sizeof lookup,
				   c->ttl);
	if (bad) {
		sim_free(s);
		gossip_record_free(&out->rec);
		return -1;
	}
	struct gossip_run keep = *r;
	keep.trace = 1; /* the history is needed below */
	if (finish(&keep, s, out) != 0) {
		gossip_record_free(&out->rec);
		return -1;
	}
	size_t n;
	const struct sim_op *h = sim_history(out->sim, &n);
	int64_t crash = r->crash ? sim_to_ns(r->crash_at) : INT64_MAX;
	uint8_t *listed = budget_malloc(r->nodes + 1);
	if (!listed) {
		gossip_result_free(out);
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		if (h[i].status != SIM_OP_OK || !h[i].result)
			continue;
		memset(listed, 0, r->nodes + 1);
		struct simv v = simv_of(h[i].result, h[i].result_len), e;
		for (size_t j = 1; simv_at(v, j, &e) == 0; j++) {
			int64_t id;
			if (simv_int(e, &id) == 0 && id >= 1 && id <= r->nodes)
				listed[id] = 1;
		}
		int after = h[i].invoke > crash;
		if (after && listed[r->crash])
			(*stale)++;
		int lacks = 0;
		for (uint32_t j = 2; j <= r->nodes; j++)
			lacks |= !listed[j] && !(after && j == r->crash);
		*missing += (uint64_t)lacks;
	}
	budget_free(listed);
	if (!r->trace) {
		sim_free(out->sim);
		out->sim = NULL;
	}
	return 0;
}
