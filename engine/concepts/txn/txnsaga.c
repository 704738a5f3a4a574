/*
 * txnsaga.c — sagas (an orchestrator with a log, idempotent services,
 * compensations in reverse) and the transactional outbox (a relay that
 * publishes at least once, a consumer that may skip duplicates); see txn.h.
 */
#include "engine/concepts/txn/txn.h"
#include "engine/concepts/txn/txn_int.h"
#include "engine/base/budget.h"

#include <string.h>

/* ---- sagas: the orchestrator ---- */

enum { SG_NONE, SG_RUNNING, SG_COMPENSATING, SG_COMPLETED, SG_COMPENSATED, SG_STOPPED };

struct orch_dur {
	uint8_t status[TXN_MAX_TX + 1];
	uint8_t step[TXN_MAX_TX + 1];       /* the step being done / undone */
};

struct orch_vol {
	int dying;
	uint8_t status[TXN_MAX_TX + 1];     /* TXN_BUG_NO_SAGA_LOG: progress in memory */
	uint8_t step[TXN_MAX_TX + 1];
	uint64_t req[TXN_MAX_TX + 1];
};

static struct saga_cfg *scfg(struct sim_ctx *c)
{
	return c->ud;
}

/* The progress of saga K: in the log, or in memory with the bug. */
static uint8_t *sg_status(struct sim_ctx *c, uint32_t k)
{
	struct orch_dur *d = c->dur;
	struct orch_vol *v = c->vol;
	return scfg(c)->bug == TXN_BUG_NO_SAGA_LOG ? &v->status[k] : &d->status[k];
}

static uint8_t *sg_step(struct sim_ctx *c, uint32_t k)
{
	struct orch_dur *d = c->dur;
	struct orch_vol *v = c->vol;
	return scfg(c)->bug == TXN_BUG_NO_SAGA_LOG ? &v->step[k] : &d->step[k];
}

static int sg_crash(struct sim_ctx *c, enum txn_step step, uint32_t k)
{
	struct orch_vol *v = c->vol;
	struct saga_cfg *cfg = c->ud;
	return txn_crash_at(c, cfg->crash, cfg->ncrash, cfg->rec, step, k, &v->dying);
}

static int sg_end(struct sim_ctx *c, uint32_t k, uint8_t st);

/* Sends the message saga K waits for now (do or undo of its step), or
 * ends it when its log says it is over (a crash came just before). */
static int sg_send(struct sim_ctx *c, uint32_t k)
{
	uint8_t st = *sg_status(c, k), step = *sg_step(c, k);
	if (st != SG_RUNNING && st != SG_COMPENSATING)
		return 0;
	if (st == SG_RUNNING && step > sim_nodes(c->sim) - 1)
		return sg_end(c, k, SG_COMPLETED);
	if (st == SG_COMPENSATING && step == 0)
		return sg_end(c, k, SG_COMPENSATED);
	return txn_send(c->sim, c->node, 1u + step, st == SG_RUNNING ? "do" : "undo", "saga", k,
			"step", step, NULL, 0);
}

static int sg_end(struct sim_ctx *c, uint32_t k, uint8_t st)
{
	struct orch_vol *v = c->vol;
	*sg_status(c, k) = st;
	txn_note(c->sim, scfg(c)->rec, c->node, k, TXN_E_SAGA_END, st == SG_COMPLETED ? 1 : 2);
	if (!v->req[k])
		return 0;
	uint8_t buf[32];
	struct simw w = {buf, 0, sizeof buf, 0};
	simw_cstr(&w, st == SG_COMPLETED ? "completed" : st == SG_COMPENSATED ? "compensated"
									  : "stopped");
	int r = sim_reply(c->sim, c->node, v->req[k], 1, w.p, w.len);
	v->req[k] = 0;
	return r < 0 ? -1 : 0;
}

static int orch_start(struct sim_ctx *c, int restart)
{
	if (sim_nodes(c->sim) > TXN_MAX_PART + 1) {
		sim_abort(c->sim, "lab.txn: a saga has at most %d steps (nodes 2..%d)", TXN_MAX_PART,
			  TXN_MAX_PART + 1);
		return -1;
	}
	if (restart) {
		txn_note(c->sim, scfg(c)->rec, c->node, 0, TXN_E_RESTART, 0);
		for (uint32_t k = 1; k <= TXN_MAX_TX; k++) /* resume from the log */
			if (sg_send(c, k) != 0)
				return -1;
	}
	return txn_tick(c->sim, c->node, scfg(c)->retry);
}

static int orch_request(struct sim_ctx *c, uint64_t req, const uint8_t *op, size_t len)
{
	struct orch_vol *v = c->vol;
	if (v->dying)
		return 0;
	struct simv o = simv_of(op, len), f;
	int64_t k = simv_getint(o, "saga", 0);
	if (simv_get(o, "f", &f) != 0 || !simv_is(f, "saga") || k < 1 || k > TXN_MAX_TX ||
	    *sg_status(c, (uint32_t)k) != SG_NONE) {
		uint8_t buf[96];
		struct simw w = {buf, 0, sizeof buf, 0};
		simw_cstr(&w, "the orchestrator takes {f = \"saga\", saga = k}, k new, 1..64");
		return sim_reply(c->sim, c->node, req, 0, w.p, w.len) < 0 ? -1 : 0;
	}
	v->req[k] = req;
	*sg_status(c, (uint32_t)k) = SG_RUNNING;
	*sg_step(c, (uint32_t)k) = 1;
	return sg_send(c, (uint32_t)k);
}

static int orch_receive(struct sim_ctx *c, uint32_t from, const uint8_t *msg, size_t len)
{
	struct orch_vol *v = c->vol;
	struct simv t, m = simv_of(msg, len), x;
	int64_t k64;
	if (v->dying || txn_msg(msg, len, &t, &k64, "saga") != 0)
		return 0;
	uint32_t k = (uint32_t)k64;
	uint8_t *st = sg_status(c, k), *step = sg_step(c, k);
	if (simv_getint(m, "step", -1) != *step || from != 1u + *step)
		return 0; /* a late or duplicate reply */
	if (*st == SG_RUNNING && simv_is(t, "done")) {
		int ok = simv_get(m, "ok", &x) == 0 && simv_tag(x) == SIMVAL_TRUE;
		if (!ok) {
			if (scfg(c)->bug == TXN_BUG_NO_COMPENSATE)
				return sg_end(c, k, SG_STOPPED);
			*st = SG_COMPENSATING;
			--*step;
			return sg_send(c, k);
		}
		++*step;
		int r = sg_crash(c, TXN_S_AFTER_STEP, k);
		if (r)
			return r < 0 ? -1 : 0;
		return sg_send(c, k);
	}
	if (*st == SG_COMPENSATING && simv_is(t, "undone")) {
		--*step;
		int r = sg_crash(c, TXN_S_AFTER_UNDO, k);
		if (r)
			return r < 0 ? -1 : 0;
		return sg_send(c, k);
	}
	return 0;
}

static int orch_timer(struct sim_ctx *c, uint64_t id, const uint8_t *tag, size_t len)
{
	(void)id, (void)tag, (void)len;
	struct orch_vol *v = c->vol;
	if (v->dying)
		return 0;
	for (uint32_t k = 1; k <= TXN_MAX_TX; k++) /* retry what waits */
		if (sg_send(c, k) != 0)
			return -1;
	return txn_tick(c->sim, c->node, scfg(c)->retry);
}

const struct sim_behaviour txn_orchestrator_behaviour = {
	.name = "saga orchestrator",
	.vol_size = sizeof(struct orch_vol),
	.dur_size = sizeof(struct orch_dur),
	.start = orch_start,
	.receive = orch_receive,
	.timer = orch_timer,
	.request = orch_request,
};

/* ---- sagas: a service ---- */

struct svc_dur {
	uint8_t applied[TXN_MAX_TX + 1], undone[TXN_MAX_TX + 1];
	uint32_t dos[TXN_MAX_TX + 1], undos[TXN_MAX_TX + 1];
	int64_t undo_at[TXN_MAX_TX + 1];
};

static int svc_receive(struct sim_ctx *c, uint32_t from, const uint8_t *msg, size_t len)
{
	struct svc_dur *d = c->dur;
	const struct saga_cfg *cfg = c->ud;
	struct simv t, m = simv_of(msg, len);
	int64_t k64;
	if (txn_msg(msg, len, &t, &k64, "saga") != 0)
		return 0;
	uint32_t k = (uint32_t)k64, step = c->node - 1;
	if (simv_getint(m, "step", -1) != step)
		return 0;
	if (simv_is(t, "do")) {
		int refuse = cfg->fail_step == step && cfg->fail_every && k % cfg->fail_every == 0;
		if (refuse)
			txn_note(c->sim, cfg->rec, c->node, k, TXN_E_REFUSE, (int32_t)step);
		else if (!d->applied[k] && !d->undone[k]) {
			d->applied[k] = 1;
			d->dos[k]++;
			txn_note(c->sim, cfg->rec, c->node, k, TXN_E_DO, (int32_t)step);
		}
		return txn_send(c->sim, c->node, from, "done", "saga", k, "step", step, "ok", !refuse);
	}
	if (simv_is(t, "undo")) {
		if (d->applied[k]) {
			d->applied[k] = 0;
			d->undos[k]++;
			d->undo_at[k] = sim_now_ns(c->sim);
			txn_note(c->sim, cfg->rec, c->node, k, TXN_E_UNDO, (int32_t)step);
		}
		d->undone[k] = 1; /* a late do must not apply now */
		return txn_send(c->sim, c->node, from, "undone", "saga", k, "step", step, NULL, 0);
	}
	return 0;
}

const struct sim_behaviour txn_service_behaviour = {
	.name = "saga service",
	.dur_size = sizeof(struct svc_dur),
	.receive = svc_receive,
};

int txn_service(struct sim *s, uint32_t node, uint32_t saga, uint32_t *dos, uint32_t *undos,
		int64_t *undo_at)
{
	if (node < 1 || node > sim_nodes(s) || sim_behaviour_of(s, node) != &txn_service_behaviour ||
	    saga < 1 || saga > TXN_MAX_TX)
		return -1;
	struct svc_dur *d = sim_ctx_of(s, node).dur;
	if (dos)
		*dos = d->dos[saga];
	if (undos)
		*undos = d->undos[saga];
	if (undo_at)
		*undo_at = d->undos[saga] ? d->undo_at[saga] : -1;
	return d->applied[saga];
}

int txn_saga_run(const struct txn_run *run, struct saga_cfg *cfg0, struct txn_result *out)
{
	uint32_t nodes = run->participants + 1;
	if (run->participants < 1 || run->participants > TXN_MAX_PART || run->txns > TXN_MAX_TX)
		return -1;
	struct sim *s = txn_new_sim(run, nodes, out);
	if (!s)
		return -1;
	struct saga_cfg *cfg = budget_malloc(sizeof *cfg);
	if (!cfg) {
		sim_free(s);
		txn_result_free(out);
		return -1;
	}
	*cfg = *cfg0;
	cfg->rec = &out->rec;
	if (sim_add_node(s, 1, &txn_orchestrator_behaviour, cfg, budget_free) != 0)
		goto fail;
	struct rng r;
	rng_seed(&r, run->seed ^ 0x736167u);
	if (run->nemesis && cfg->ncrash < TXN_MAX_CRASH)
		txn_draw_crash(&r, run, 1, 0, "o", &cfg->crash[cfg->ncrash++]);
	for (uint32_t p = 2; p <= nodes; p++)
		if (sim_add_node(s, p, &txn_service_behaviour, cfg, NULL) != 0)
			goto fail;
	for (uint32_t k = 1; k <= run->txns; k++) {
		uint8_t buf[64];
		struct simw w = {buf, 0, sizeof buf, 0};
		simw_table(&w, 0, 2);
		simw_kstr(&w, "f", "saga");
		simw_kint(&w, "saga", k);
		if (!sim_request(s, 0.1 + (k - 1), 1, 1, w.p, w.len, 0))
			goto fail;
	}
	if (txn_finish(run, s, out) != 0)
		return -1;
	memcpy(out->crash, cfg->crash, sizeof out->crash);
	out->ncrash = cfg->ncrash;
	out->txns = run->txns;
	struct sim_ctx oc = sim_ctx_of(s, 1);
	for (uint32_t k = 1; k <= run->txns; k++) {
		uint32_t applied = 0;
		for (uint32_t p = 2; p <= nodes; p++) {
			int a = txn_service(s, p, k, NULL, NULL, NULL);
			out->done[(k - 1) * TXN_MAX_PART + p - 2] = (uint8_t)a;
			applied += a == 1;
		}
		uint8_t st = *sg_status(&oc, k);
		out->started += st != SG_NONE;
		out->completed += st == SG_COMPLETED;
		out->compensated += st == SG_COMPENSATED;
		out->broken += applied != 0 && applied != run->participants;
	}
	cfg->rec = NULL;
	if (run->trace)
		out->sim = s;
	else
		sim_free(s);
	return 0;
fail:
	sim_free(s);
	txn_result_free(out);
	return -1;
}

/* ---- the outbox ---- */

struct ob_dur {
	uint8_t order[TXN_MAX_TX + 1];
	uint8_t outbox[TXN_MAX_TX + 1];   /* 1 to publish, 2 acknowledged */
};

struct ob_vol {
	int dying;
};

static int ob_request(struct sim_ctx *c, uint64_t req, const uint8_t *op, size_t len)
{
	struct ob_dur *d = c->dur;
	struct ob_vol *v = c->vol;
	struct outbox_cfg *cfg = c->ud;
	if (v->dying)
		return 0;
	int64_t k = simv_getint(simv_of(op, len), "id", 0);
	if (k < 1 || k > TXN_MAX_TX || d->order[k]) {
		uint8_t buf[64];
		struct simw w = {buf, 0, sizeof buf, 0};
		simw_cstr(&w, "orders are {f = \"order\", id = k}, k new, 1..64");
		return sim_reply(c->sim, c->node, req, 0, w.p, w.len) < 0 ? -1 : 0;
	}
	d->order[k] = 1; /* one local transaction: the row, and the outbox row */
	if (!cfg->dual)
		d->outbox[k] = 1;
	txn_note(c->sim, cfg->rec, c->node, (uint32_t)k, TXN_E_WRITE, !cfg->dual);
	int r = txn_crash_at(c, cfg->crash, cfg->ncrash, cfg->rec, TXN_S_AFTER_WRITE, (uint32_t)k,
			     &v->dying);
	if (r)
		return r < 0 ? -1 : 0;
	if (cfg->dual) {
		if (txn_send(c->sim, c->node, 2, "event", "id", k, NULL, 0, NULL, 0))
			return -1;
		txn_note(c->sim, cfg->rec, c->node, (uint32_t)k, TXN_E_PUBLISH, 0);
	}
	uint8_t ok = SIMVAL_TRUE;
	return sim_reply(c->sim, c->node, req, 1, &ok, 1) < 0 ? -1 : 0;
}

static int ob_start(struct sim_ctx *c, int restart)
{
	struct outbox_cfg *cfg = c->ud;
	if (restart)
		txn_note(c->sim, cfg->rec, c->node, 0, TXN_E_RESTART, 0);
	return cfg->dual ? 0 : txn_tick(c->sim, c->node, cfg->retry);
}

/* The relay: publishes every outbox row not acknowledged yet. */
static int ob_timer(struct sim_ctx *c, uint64_t id, const uint8_t *tag, size_t len)
{
	(void)id, (void)tag, (void)len;
	struct ob_dur *d = c->dur;
	struct ob_vol *v = c->vol;
	struct outbox_cfg *cfg = c->ud;
	if (v->dying)
		return 0;
	for (uint32_t k = 1; k <= TXN_MAX_TX; k++) {
		if (d->outbox[k] != 1)
			continue;
		if (txn_send(c->sim, c->node, 2, "event", "id", k, NULL, 0, NULL, 0))
			return -1;
		txn_note(c->sim, cfg->rec, c->node, k, TXN_E_PUBLISH, 0);
		int r = txn_crash_at(c, cfg->crash, cfg->ncrash, cfg->rec, TXN_S_AFTER_PUBLISH, k,
				     &v->dying);
		if (r)
			return r < 0 ? -1 : 0;
	}
	return txn_tick(c->sim, c->node, cfg->retry);
}

static int ob_receive(struct sim_ctx *c, uint32_t from, const uint8_t *msg, size_t len)
{
	(void)from;
	struct ob_dur *d = c->dur;
	struct ob_vol *v = c->vol;
	struct simv t;
	int64_t k;
	if (!v->dying && txn_msg(msg, len, &t, &k, "id") == 0 && simv_is(t, "ack") &&
	    d->outbox[k] == 1)
		d->outbox[k] = 2;
	return 0;
}

const struct sim_behaviour txn_outbox_behaviour = {
	.name = "outbox service",
	.vol_size = sizeof(struct ob_vol),
	.dur_size = sizeof(struct ob_dur),
	.start = ob_start,
	.receive = ob_receive,
	.timer = ob_timer,
	.request = ob_request,
};

struct cons_dur {
	uint32_t applied[TXN_MAX_TX + 1];
};

static int cons_receive(struct sim_ctx *c, uint32_t from, const uint8_t *msg, size_t len)
{
	struct cons_dur *d = c->dur;
	struct outbox_cfg *cfg = c->ud;
	struct simv t;
	int64_t k;
	if (txn_msg(msg, len, &t, &k, "id") != 0 || !simv_is(t, "event"))
		return 0;
	if (cfg->idempotent && d->applied[k]) {
		txn_note(c->sim, cfg->rec, c->node, (uint32_t)k, TXN_E_SKIP, 0);
	} else {
		d->applied[k]++; /* the effect and the id seen, in one local transaction */
		txn_note(c->sim, cfg->rec, c->node, (uint32_t)k, TXN_E_APPLY, 0);
	}
	return txn_send(c->sim, c->node, from, "ack", "id", k, NULL, 0, NULL, 0);
}

const struct sim_behaviour txn_consumer_behaviour = {
	.name = "outbox consumer",
	.dur_size = sizeof(struct cons_dur),
	.receive = cons_receive,
};

int txn_outbox_run(const struct txn_run *run, struct outbox_cfg *cfg0, struct txn_result *out)
{
	if (run->txns > TXN_MAX_TX)
		return -1;
	struct sim *s = txn_new_sim(run, 2, out);
	if (!s)
		return -1;
	struct outbox_cfg *cfg = budget_malloc(sizeof *cfg);
	if (!cfg) {
		sim_free(s);
		txn_result_free(out);
		return -1;
	}
	*cfg = *cfg0;
	cfg->rec = &out->rec;
	if (sim_add_node(s, 1, &txn_outbox_behaviour, cfg, budget_free) != 0)
		goto fail;
	struct rng r;
	rng_seed(&r, run->seed ^ 0x6f7574u);
	if (run->nemesis && cfg->ncrash < TXN_MAX_CRASH) {
		struct txn_crash *k = &cfg->crash[cfg->ncrash];
		txn_draw_crash(&r, run, 1, 0, "s", k);
		if (cfg->dual && k->step == TXN_S_AFTER_PUBLISH)
			k->step = TXN_S_AFTER_WRITE; /* no relay to crash */
		cfg->ncrash++;
	}
	if (sim_add_node(s, 2, &txn_consumer_behaviour, cfg, NULL) != 0)
		goto fail;
	double gap = run->txns ? (run->time * 0.5) / run->txns : 1;
	for (uint32_t k = 1; k <= run->txns; k++) {
		uint8_t buf[64];
		struct simw w = {buf, 0, sizeof buf, 0};
		simw_table(&w, 0, 2);
		simw_kstr(&w, "f", "order");
		simw_kint(&w, "id", k);
		if (!sim_request(s, 0.1 + (k - 1) * gap, 1, 1, w.p, w.len, 0))
			goto fail;
	}
	if (txn_finish(run, s, out) != 0)
		return -1;
	memcpy(out->crash, cfg->crash, sizeof out->crash);
	out->ncrash = cfg->ncrash;
	out->txns = run->txns;
	struct ob_dur *od = sim_ctx_of(s, 1).dur;
	struct cons_dur *cd = sim_ctx_of(s, 2).dur;
	for (uint32_t k = 1; k <= TXN_MAX_TX; k++) {
		out->orders += od->order[k];
		out->applied += cd->applied[k];
		out->duplicates += cd->applied[k] > 1 ? cd->applied[k] - 1 : 0;
		out->missing += od->order[k] && !cd->applied[k];
	}
	for (size_t i = 0; i < out->rec.nev; i++)
		out->published += out->rec.ev[i].kind == TXN_E_PUBLISH;
	cfg->rec = NULL;
	if (run->trace)
		out->sim = s;
	else
		sim_free(s);
	return 0;
fail:
	sim_free(s);
	txn_result_free(out);
	return -1;
}
