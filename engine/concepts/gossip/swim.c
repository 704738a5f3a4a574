/*
 * swim.c — SWIM failure detection with Lifeguard, as a lab.sim behaviour;
 * see gossip.h for the protocol.
 *
 * Messages (simval tables): {t = "ping", seq =, u = updates},
 * {t = "ack", seq =, u =}, {t = "pingreq", seq =, target =, u =},
 * {t = "nack", seq =}; updates are {kind, node, incarnation, from} with
 * kind 0 alive, 1 suspect, 2 dead. Timers: "period", "ptimeout", a member
 * id (its suspicion), {relay = seq} (a ping made for another node).
 */
#include "engine/concepts/gossip/gossip.h"
#include "engine/concepts/sim/simval.h"
#include "engine/base/budget.h"

#include <math.h>
#include <string.h>

enum { ALIVE, SUSPECT, DEAD };

struct member {
	uint8_t state;
	uint64_t inc;
	int64_t since;      /* suspicion start (ns) */
	int confirms;       /* independent suspicions after the first */
	uint64_t timer;     /* the suspicion timer */
};

struct update {
	uint8_t kind;
	uint32_t node, from;
	uint64_t inc;
	int sent;
};

struct relay {
	uint64_t seq, orig;
	uint32_t requester, target;
};

struct swnode {
	uint32_t n;
	struct member *m;
	uint64_t *conf;            /* [n * words]: who suspected each member */
	size_t words;
	uint32_t *order, next;     /* probe order (shuffled), position */
	uint64_t seq;
	uint32_t target;
	uint64_t probe_seq;
	int probing, acked;
	uint32_t expected_nacks, nacks;
	int lhm;
	struct update *q;
	size_t nq;
	struct relay *relay;
	size_t nrelay, caprelay;
};

struct swdur {
	uint64_t inc;              /* own incarnation: survives restarts */
};

struct swim_cfg swim_cfg_lan(void)
{
	return (struct swim_cfg){.interval = 1.0, .timeout = 0.5, .indirect = 3,
				 .suspicion_mult = 4, .suspicion_max_mult = 6,
				 .retransmit_mult = 4, .lifeguard = 1, .awareness_max = 8,
				 .piggyback = 8};
}

static void release(struct swnode *v)
{
	budget_free(v->m);
	budget_free(v->conf);
	budget_free(v->order);
	budget_free(v->q);
	budget_free(v->relay);
	memset(v, 0, sizeof *v);
}

static void sw_crash(struct sim_ctx *c)
{
	release(c->vol);
}

static int fail(struct sim *s, uint32_t node)
{
	sim_abort(s, "n%u (swim): %s", node, sim_error(s));
	return -1;
}

/* ---- dissemination ---- */

static int enqueue(struct swnode *v, uint8_t kind, uint32_t node, uint64_t inc, uint32_t from)
{
	for (size_t i = 0; i < v->nq; i++)
		if (v->q[i].node == node) { /* the newest news about a node replaces the old */
			v->q[i] = (struct update){kind, node, from, inc, 0};
			return 0;
		}
	struct update *q = budget_realloc(v->q, (v->nq + 1) * sizeof *q);
	if (!q)
		return -1;
	v->q = q;
	v->q[v->nq++] = (struct update){kind, node, from, inc, 0};
	return 0;
}

/* The indices of up to CFG->piggyback updates to send, least sent first
 * (ties: lower node id), into IDX; returns how many. */
static size_t pick(struct swnode *v, const struct swim_cfg *cfg, size_t *idx)
{
	size_t k = 0;
	while (k < cfg->piggyback && k < v->nq) {
		size_t best = SIZE_MAX;
		for (size_t i = 0; i < v->nq; i++) {
			int taken = 0;
			for (size_t j = 0; j < k && !taken; j++)
				taken = idx[j] == i;
			if (taken)
				continue;
			if (best == SIZE_MAX || v->q[i].sent < v->q[best].sent ||
			    (v->q[i].sent == v->q[best].sent && v->q[i].node < v->q[best].node))
				best = i;
		}
		idx[k++] = best;
	}
	return k;
}

static void write_updates(struct simw *w, struct swnode *v, const size_t *idx, size_t k)
{
	simw_cstr(w, "u");
	simw_table(w, k, 0);
	for (size_t j = 0; j < k; j++) {
		struct update *u = &v->q[idx[j]];
		simw_table(w, 4, 0);
		simw_int(w, u->kind);
		simw_int(w, u->node);
		simw_int(w, (int64_t)u->inc);
		simw_int(w, u->from);
		u->sent++;
	}
}

static void drop_spent(struct swnode *v, int limit)
{
	size_t k = 0;
	for (size_t i = 0; i < v->nq; i++)
		if (v->q[i].sent < limit)
			v->q[k++] = v->q[i];
	v->nq = k;
}

/* Sends {t = T, seq = SEQ[, target = TARGET], u = updates} to TO. */
static int send(struct sim_ctx *c, uint32_t to, const char *t, uint64_t seq, uint32_t target,
		int with_updates)
{
	const struct swim_cfg *cfg = c->ud;
	struct swnode *v = c->vol;
	size_t idx[64], k = 0;
	size_t *ix = idx;
	if (cfg->piggyback > 64 && !(ix = budget_malloc(cfg->piggyback * sizeof *ix)))
		return fail(c->sim, c->node);
	if (with_updates)
		k = pick(v, cfg, ix);
	struct simw w = SIMW_INIT;
	simw_table(&w, 0, 2 + (target != 0) + (with_updates != 0));
	simw_kint(&w, "seq", (int64_t)seq);
	simw_kstr(&w, "t", t);
	if (target)
		simw_kint(&w, "target", target);
	if (with_updates)
		write_updates(&w, v, ix, k);
	if (ix != idx)
		budget_free(ix);
	drop_spent(v, swim_retransmit_limit(cfg->retransmit_mult, v->n));
	int ok = !w.failed && sim_send(c->sim, c->node, to, w.p, w.len);
	simw_free(&w);
	return ok ? 0 : fail(c->sim, c->node);
}

/* ---- suspicion ---- */

static int set_tag_timer(struct sim_ctx *c, double delay, struct simw *w, uint64_t *id)
{
	if (w->failed || !(*id = sim_set_timer(c->sim, c->node, delay < 0 ? 0 : delay, w->p, w->len)))
		return fail(c->sim, c->node);
	return 0;
}

/* (Re)sets the suspicion timer of member X from its confirmations. */
static int arm_suspicion(struct sim_ctx *c, uint32_t x)
{
	const struct swim_cfg *cfg = c->ud;
	struct swnode *v = c->vol;
	struct member *m = &v->m[x - 1];
	double min = swim_suspicion_timeout(cfg->suspicion_mult, v->n, cfg->interval);
	double max = cfg->suspicion_max_mult * min, left = min;
	double elapsed = (double)(sim_now_ns(c->sim) - m->since) / 1e9;
	if (cfg->lifeguard) {
		int k = (int)cfg->suspicion_mult - 2;
		if ((int)v->n - 2 < k)
			k = 0;
		left = k < 1 ? min - elapsed
			     : swim_remaining_suspicion(m->confirms, k, elapsed, min, max);
	} else {
		left = min - elapsed;
	}
	if (m->timer)
		sim_cancel_timer(c->sim, c->node, m->timer);
	uint8_t buf[16];
	struct simw w = {buf, 0, sizeof buf, 0};
	simw_int(&w, x);
	return set_tag_timer(c, left, &w, &m->timer);
}

static void refute(struct sim_ctx *c, uint64_t inc)
{
	const struct swim_cfg *cfg = c->ud;
	struct swnode *v = c->vol;
	struct swdur *d = c->dur;
	if (inc < d->inc)
		return;
	d->inc = inc + 1;
	v->m[c->node - 1].inc = d->inc;
	enqueue(v, ALIVE, c->node, d->inc, c->node);
	if (cfg->rec)
		cfg->rec->refutations++;
	if (cfg->lifeguard && v->lhm < cfg->awareness_max - 1)
		v->lhm++;
}

/* Applies an update; 0 or -1. */
static int apply(struct sim_ctx *c, uint8_t kind, uint32_t x, uint64_t inc, uint32_t from)
{
	const struct swim_cfg *cfg = c->ud;
	struct swnode *v = c->vol;
	if (x < 1 || x > v->n || from < 1 || from > v->n)
		return 0;
	struct member *m = &v->m[x - 1];
	uint64_t *conf = &v->conf[(x - 1) * v->words];
	if (x == c->node) {
		if (kind != ALIVE)
			refute(c, inc);
		return 0;
	}
	switch (kind) {
	case ALIVE:
		if (inc <= m->inc && !(m->state != ALIVE && inc > m->inc))
			return 0;
		if (m->timer)
			sim_cancel_timer(c->sim, c->node, m->timer);
		*m = (struct member){ALIVE, inc, 0, 0, 0};
		return enqueue(v, ALIVE, x, inc, from);
	case SUSPECT:
		if (m->state == DEAD || inc < m->inc)
			return 0;
		if (m->state == SUSPECT && inc == m->inc) { /* a confirmation? */
			if (conf[(from - 1) / 64] >> ((from - 1) % 64) & 1)
				return 0;
			conf[(from - 1) / 64] |= 1ull << ((from - 1) % 64);
			m->confirms++;
			if (enqueue(v, SUSPECT, x, inc, from) != 0)
				return -1;
			return cfg->lifeguard ? arm_suspicion(c, x) : 0;
		}
		m->state = SUSPECT;
		m->inc = inc;
		m->since = sim_now_ns(c->sim);
		m->confirms = 0;
		memset(conf, 0, v->words * 8);
		conf[(from - 1) / 64] |= 1ull << ((from - 1) % 64);
		gossip_note(c->sim, cfg->rec, c->node, x, 0);
		if (enqueue(v, SUSPECT, x, inc, from) != 0)
			return -1;
		return arm_suspicion(c, x);
	case DEAD:
		if (m->state == DEAD || inc < m->inc)
			return 0;
		if (m->timer)
			sim_cancel_timer(c->sim, c->node, m->timer);
		*m = (struct member){DEAD, inc, 0, 0, 0};
		gossip_note(c->sim, cfg->rec, c->node, x, 1);
		return enqueue(v, DEAD, x, inc, from);
	}
	return 0;
}

static int apply_all(struct sim_ctx *c, struct simv msg)
{
	struct simv u, e, f;
	if (simv_get(msg, "u", &u) != 0)
		return 0;
	for (size_t i = 1; simv_at(u, i, &e) == 0; i++) {
		int64_t x[4];
		int ok = 1;
		for (int k = 0; k < 4; k++)
			ok &= simv_at(e, (size_t)k + 1, &f) == 0 && simv_int(f, &x[k]) == 0 && x[k] >= 0;
		if (ok && x[0] <= DEAD && apply(c, (uint8_t)x[0], (uint32_t)x[1], (uint64_t)x[2],
					       (uint32_t)x[3]) != 0)
			return -1;
	}
	return 0;
}

/* ---- probing ---- */

static int tag_timer(struct sim_ctx *c, double delay, const char *tag)
{
	uint8_t buf[32];
	struct simw w = {buf, 0, sizeof buf, 0};
	simw_cstr(&w, tag);
	uint64_t id;
	return set_tag_timer(c, delay, &w, &id);
}

static void shuffle(struct sim_ctx *c)
{
	struct swnode *v = c->vol;
	struct rng *r = sim_rng(c->sim, c->node);
	for (uint32_t i = v->n; i > 1; i--) {
		uint32_t j = (uint32_t)rng_below(r, i);
		uint32_t t = v->order[i - 1];
		v->order[i - 1] = v->order[j];
		v->order[j] = t;
	}
	v->next = 0;
}

/* The next member to probe (not itself, not dead), or 0. */
static uint32_t next_target(struct sim_ctx *c)
{
	struct swnode *v = c->vol;
	for (uint32_t tries = 0; tries < 2 * v->n; tries++) {
		if (v->next >= v->n)
			shuffle(c);
		uint32_t x = v->order[v->next++];
		if (x != c->node && v->m[x - 1].state != DEAD)
			return x;
	}
	return 0;
}

static int period(struct sim_ctx *c)
{
	const struct swim_cfg *cfg = c->ud;
	struct swnode *v = c->vol;
	if (v->probing && !v->acked) {
		struct member *m = &v->m[v->target - 1];
		if (m->state == ALIVE && apply(c, SUSPECT, v->target, m->inc, c->node) != 0)
			return -1;
		/* Lifeguard: helpers that could not reach the target owe a nack; a
		 * missing nack means this node's own network is in doubt. Without
		 * helpers, the failed probe itself counts. */
		if (cfg->lifeguard)
			v->lhm += v->expected_nacks ? (int)(v->expected_nacks - v->nacks) : 1;
	} else if (v->probing && cfg->lifeguard) {
		v->lhm--;
	}
	if (v->lhm < 0)
		v->lhm = 0;
	if (v->lhm > cfg->awareness_max - 1)
		v->lhm = cfg->awareness_max - 1;
	if (cfg->rec && (uint64_t)v->lhm > cfg->rec->lhm_max)
		cfg->rec->lhm_max = (uint64_t)v->lhm;
	double scale = cfg->lifeguard ? v->lhm + 1 : 1;
	v->probing = 0;
	uint32_t x = next_target(c);
	if (x) {
		v->target = x;
		v->probe_seq = ++v->seq;
		v->probing = 1;
		v->acked = 0;
		v->expected_nacks = v->nacks = 0;
		if (send(c, x, "ping", v->probe_seq, 0, 1) != 0 ||
		    tag_timer(c, cfg->timeout * scale, "ptimeout") != 0)
			return -1;
	}
	return tag_timer(c, cfg->interval * scale, "period");
}

/* The probe timed out: ask others to ping the target. */
static int indirect(struct sim_ctx *c)
{
	const struct swim_cfg *cfg = c->ud;
	struct swnode *v = c->vol;
	if (!v->probing || v->acked)
		return 0;
	uint32_t asked = 0;
	for (uint32_t tries = 0; tries < 4 * v->n && asked < cfg->indirect; tries++) {
		uint32_t h = 1 + (uint32_t)rng_below(sim_rng(c->sim, c->node), v->n);
		if (h == c->node || h == v->target || v->m[h - 1].state == DEAD)
			continue;
		if (send(c, h, "pingreq", v->probe_seq, v->target, 1) != 0)
			return -1;
		asked++;
	}
	if (cfg->lifeguard)
		v->expected_nacks = asked;
	return 0;
}

static int relay_timeout(struct sim_ctx *c, uint64_t seq)
{
	struct swnode *v = c->vol;
	for (size_t i = 0; i < v->nrelay; i++)
		if (v->relay[i].seq == seq) {
			struct relay r = v->relay[i];
			v->relay[i] = v->relay[--v->nrelay];
			return send(c, r.requester, "nack", r.orig, 0, 0);
		}
	return 0;
}

/* ---- callbacks ---- */

static int sw_start(struct sim_ctx *c, int restart)
{
	const struct swim_cfg *cfg = c->ud;
	struct swnode *v = c->vol;
	struct swdur *d = c->dur;
	uint32_t n = sim_nodes(c->sim);
	v->n = n;
	v->words = (n + 63) / 64;
	v->m = budget_calloc(n, sizeof *v->m);
	v->conf = budget_calloc((size_t)n * v->words, 8);
	v->order = budget_malloc(n * sizeof *v->order);
	if (!v->m || !v->conf || !v->order) {
		release(v);
		sim_abort(c->sim, "n%u (swim): not enough memory", c->node);
		return -1;
	}
	for (uint32_t i = 0; i < n; i++)
		v->order[i] = i + 1;
	shuffle(c);
	if (restart) { /* back: announce a newer incarnation than any it had */
		d->inc++;
		if (enqueue(v, ALIVE, c->node, d->inc, c->node) != 0)
			return fail(c->sim, c->node);
	}
	v->m[c->node - 1].inc = d->inc;
	return tag_timer(c, cfg->interval * rng_uniform(sim_rng(c->sim, c->node)), "period");
}

static int sw_timer(struct sim_ctx *c, uint64_t id, const uint8_t *tag, size_t len)
{
	struct simv t = simv_of(tag, len), f;
	int64_t x;
	if (simv_is(t, "period"))
		return period(c);
	if (simv_is(t, "ptimeout"))
		return indirect(c);
	if (simv_int(t, &x) == 0) { /* a suspicion ran out */
		struct swnode *v = c->vol;
		struct member *m = x >= 1 && x <= v->n ? &v->m[x - 1] : NULL;
		if (m && m->state == SUSPECT && m->timer == id) {
			m->timer = 0;
			return apply(c, DEAD, (uint32_t)x, m->inc, c->node);
		}
		return 0;
	}
	if (simv_get(t, "relay", &f) == 0 && simv_int(f, &x) == 0)
		return relay_timeout(c, (uint64_t)x);
	return 0;
}

static int sw_receive(struct sim_ctx *c, uint32_t from, const uint8_t *msg, size_t len)
{
	const struct swim_cfg *cfg = c->ud;
	struct swnode *v = c->vol;
	struct simv m = simv_of(msg, len), t;
	if (simv_get(m, "t", &t) != 0)
		return 0;
	if (apply_all(c, m) != 0)
		return -1;
	uint64_t seq = (uint64_t)simv_getint(m, "seq", 0);
	if (simv_is(t, "ping"))
		return send(c, from, "ack", seq, 0, 1);
	if (simv_is(t, "ack")) {
		if (v->probing && seq == v->probe_seq) {
			v->acked = 1;
			return 0;
		}
		for (size_t i = 0; i < v->nrelay; i++)
			if (v->relay[i].seq == seq) { /* an ack we asked for another node */
				struct relay r = v->relay[i];
				v->relay[i] = v->relay[--v->nrelay];
				return send(c, r.requester, "ack", r.orig, 0, 1);
			}
		return 0;
	}
	if (simv_is(t, "nack")) {
		if (v->probing && seq == v->probe_seq)
			v->nacks++;
		return 0;
	}
	if (simv_is(t, "pingreq")) {
		int64_t target = simv_getint(m, "target", 0);
		if (target < 1 || target > v->n)
			return 0;
		if (v->nrelay == v->caprelay) {
			size_t cap = v->caprelay ? 2 * v->caprelay : 8;
			struct relay *x = budget_realloc(v->relay, cap * sizeof *x);
			if (!x)
				return fail(c->sim, c->node);
			v->relay = x;
			v->caprelay = cap;
		}
		uint64_t mine = ++v->seq;
		v->relay[v->nrelay++] = (struct relay){mine, seq, from, (uint32_t)target};
		uint8_t buf[32];
		struct simw w = {buf, 0, sizeof buf, 0};
		simw_table(&w, 0, 1);
		simw_kint(&w, "relay", (int64_t)mine);
		uint64_t id;
		/* Lifeguard: a helper nacks after 80% of the probe timeout, so the
		 * nack arrives before the requester's probe period ends */
		if (send(c, (uint32_t)target, "ping", mine, 0, 1) != 0 ||
		    set_tag_timer(c, 0.8 * cfg->timeout, &w, &id) != 0)
			return -1;
	}
	return 0;
}

const struct sim_behaviour swim_behaviour = {
	.name = "swim",
	.vol_size = sizeof(struct swnode),
	.dur_size = sizeof(struct swdur),
	.start = sw_start,
	.receive = sw_receive,
	.timer = sw_timer,
	.crash = sw_crash,
	.destroy = sw_crash,
};

int swim_view(struct sim *s, uint32_t node, uint32_t m, uint64_t *inc)
{
	if (sim_behaviour_of(s, node) != &swim_behaviour || !sim_up(s, node))
		return -1;
	struct sim_ctx c = sim_ctx_of(s, node);
	struct swnode *v = c.vol;
	if (!v->m || m < 1 || m > v->n)
		return -1;
	*inc = v->m[m - 1].inc;
	return v->m[m - 1].state;
}

int swim_lhm(struct sim *s, uint32_t node)
{
	if (sim_behaviour_of(s, node) != &swim_behaviour || !sim_up(s, node))
		return -1;
	struct sim_ctx c = sim_ctx_of(s, node);
	return ((struct swnode *)c.vol)->lhm;
}
