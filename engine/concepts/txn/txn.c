/*
 * txn.c — the shared pieces (steps, crash points, messages, the record,
 * the timeline) and the commit protocols, 2PC and 3PC; see txn.h. Sagas
 * and the outbox are in txnsaga.c.
 */
#include "engine/concepts/txn/txn.h"
#include "engine/concepts/txn/txn_int.h"
#include "engine/base/budget.h"
#include "engine/base/sbuf.h"

#include <stdio.h>
#include <string.h>

/* ---- steps ---- */

static const struct {
	const char *name;
	char role;
	int only3;
} step_info[TXN_S_COUNT] = {
	[TXN_S_NONE] = {"none", 0, 0},
	[TXN_S_BEFORE_PREPARE] = {"before_prepare", 'c', 0},
	[TXN_S_MID_PREPARE] = {"mid_prepare", 'c', 0},
	[TXN_S_AFTER_PREPARE] = {"after_prepare", 'c', 0},
	[TXN_S_BEFORE_LOG] = {"before_log", 'c', 0},
	[TXN_S_AFTER_LOG] = {"after_log", 'c', 0},
	[TXN_S_MID_DECISION] = {"mid_decision", 'c', 0},
	[TXN_S_AFTER_DECISION] = {"after_decision", 'c', 0},
	[TXN_S_AFTER_PRECOMMIT_LOG] = {"after_precommit_log", 'c', 1},
	[TXN_S_MID_PRECOMMIT] = {"mid_precommit", 'c', 1},
	[TXN_S_BEFORE_VOTE] = {"before_vote", 'p', 0},
	[TXN_S_AFTER_VOTE] = {"after_vote", 'p', 0},
	[TXN_S_BEFORE_APPLY] = {"before_apply", 'p', 0},
	[TXN_S_AFTER_APPLY] = {"after_apply", 'p', 0},
	[TXN_S_AFTER_PRECOMMIT] = {"after_precommit", 'p', 1},
	[TXN_S_AFTER_STEP] = {"after_step", 'o', 0},
	[TXN_S_AFTER_UNDO] = {"after_undo", 'o', 0},
	[TXN_S_AFTER_WRITE] = {"after_write", 's', 0},
	[TXN_S_AFTER_PUBLISH] = {"after_publish", 's', 0},
};

const char *txn_step_name(enum txn_step s)
{
	return s < TXN_S_COUNT ? step_info[s].name : "?";
}

char txn_step_role(enum txn_step s, int *only3pc)
{
	if (s >= TXN_S_COUNT)
		return 0;
	if (only3pc)
		*only3pc = step_info[s].only3;
	return step_info[s].role;
}

enum txn_step txn_step_of(const char *name)
{
	for (int i = 1; i < TXN_S_COUNT; i++)
		if (strcmp(step_info[i].name, name) == 0)
			return (enum txn_step)i;
	return TXN_S_NONE;
}

const char *txn_state_name(enum txn_state s)
{
	static const char *const names[] = {"none", "prepared", "precommit", "commit", "abort"};
	return s <= TXN_ABORTED ? names[s] : "?";
}

/* ---- the record ---- */

void txn_note(struct sim *s, struct txn_record *rec, uint32_t node, uint32_t tx,
	      enum txn_ev kind, int32_t arg)
{
	if (!rec)
		return;
	int64_t now = sim_now_ns(s);
	if (tx >= 1 && tx <= TXN_MAX_TX && node >= 1 && node <= rec->nodes) {
		size_t i = (size_t)(tx - 1) * rec->nodes + node - 1;
		if (kind == TXN_E_VOTE && arg == 1 && rec->prepared[i] < 0)
			rec->prepared[i] = now;
		if ((kind == TXN_E_DECIDE || kind == TXN_E_LOG) && arg != 3 && rec->decided[i] < 0)
			rec->decided[i] = now;
	}
	if (rec->nev >= TXN_MAX_EVENTS) {
		rec->lost++;
		return;
	}
	rec->ev[rec->nev++] = (struct txn_event){.at = now, .node = node, .tx = tx, .kind = kind,
						 .arg = arg};
}

int txn_record_init(struct txn_record *rec, uint32_t nodes)
{
	memset(rec, 0, sizeof *rec);
	rec->nodes = nodes;
	rec->ev = budget_malloc(TXN_MAX_EVENTS * sizeof *rec->ev);
	if (!rec->ev)
		return -1;
	for (size_t i = 0; i < TXN_MAX_TX * (TXN_MAX_PART + 1); i++)
		rec->prepared[i] = rec->decided[i] = -1;
	return 0;
}

void txn_event_text(const struct txn_event *e, char *buf, size_t size)
{
	static const char *const dec[] = {"?", "commit", "abort", "precommit"};
	const char *d = e->arg >= 0 && e->arg <= 3 ? dec[e->arg] : "?";
	switch (e->kind) {
	case TXN_E_BEGIN: snprintf(buf, size, "begins tx %u", e->tx); break;
	case TXN_E_PREPARE: snprintf(buf, size, "sends prepare to n%d (tx %u)", (int)e->arg, e->tx); break;
	case TXN_E_VOTE:
		snprintf(buf, size, "votes %s (tx %u)%s", e->arg ? "yes" : "no", e->tx,
			 e->arg ? ": prepared, in doubt" : "");
		break;
	case TXN_E_LOG: snprintf(buf, size, "logs %s (tx %u)", d, e->tx); break;
	case TXN_E_DECIDE: snprintf(buf, size, "learns %s (tx %u)", d, e->tx); break;
	case TXN_E_CRASH:
		snprintf(buf, size, "CRASHES at %s", txn_step_name((enum txn_step)e->arg));
		break;
	case TXN_E_RESTART: snprintf(buf, size, "restarts from its log"); break;
	case TXN_E_ASK: snprintf(buf, size, "in doubt, asks for the decision (tx %u)", e->tx); break;
	case TXN_E_PRECOMMIT: snprintf(buf, size, "pre-commits (tx %u)", e->tx); break;
	case TXN_E_TERMINATE:
		snprintf(buf, size, "times out: asks the others (termination, tx %u)", e->tx);
		break;
	case TXN_E_PARTITION: snprintf(buf, size, "PARTITION: n1 n2 | the rest"); break;
	case TXN_E_DO: snprintf(buf, size, "does step %d (saga %u)", (int)e->arg, e->tx); break;
	case TXN_E_UNDO:
		snprintf(buf, size, "compensates step %d (saga %u)", (int)e->arg, e->tx);
		break;
	case TXN_E_REFUSE: snprintf(buf, size, "refuses step %d (saga %u)", (int)e->arg, e->tx); break;
	case TXN_E_SAGA_END:
		snprintf(buf, size, "saga %u %s", e->tx, e->arg == 1 ? "completed" : "compensated");
		break;
	case TXN_E_WRITE:
		snprintf(buf, size, "writes order %u%s", e->tx, e->arg ? " + outbox row" : "");
		break;
	case TXN_E_PUBLISH: snprintf(buf, size, "publishes event %u", e->tx); break;
	case TXN_E_APPLY: snprintf(buf, size, "applies event %u", e->tx); break;
	case TXN_E_SKIP: snprintf(buf, size, "skips event %u (seen)", e->tx); break;
	}
}

int txn_timeline(const struct txn_record *rec, struct sbuf *out)
{
	char text[96];
	for (size_t i = 0; i < rec->nev; i++) {
		budget_poll(i);
		if (budget_stop())
			return -1;
		const struct txn_event *e = &rec->ev[i];
		txn_event_text(e, text, sizeof text);
		sbuf_addf(out, "%8.3f  n%-2u %s\n", (double)e->at / SIM_NS, e->node, text);
	}
	if (rec->lost)
		sbuf_addf(out, "(%zu more events not kept)\n", rec->lost);
	return 0;
}

/* ---- crash points ---- */

int txn_crash_at(struct sim_ctx *c, struct txn_crash *cr, uint32_t ncr, struct txn_record *rec,
		 enum txn_step step, uint32_t tx, int *dying)
{
	for (uint32_t i = 0; i < ncr; i++) {
		struct txn_crash *k = &cr[i];
		if (k->fired || (k->node && k->node != c->node) || k->step != step || (k->tx && k->tx != tx))
			continue;
		k->fired = 1;
		*dying = 1;
		txn_note(c->sim, rec, c->node, tx, TXN_E_CRASH, (int32_t)step);
		struct sim_fault f = {.at = sim_now(c->sim), .kind = SIM_F_CRASH, .node = c->node};
		if (sim_add_fault(c->sim, &f) != 0)
			goto fail;
		if (k->down >= 0) {
			f.kind = SIM_F_RESTART;
			f.at += k->down;
			if (sim_add_fault(c->sim, &f) != 0)
				goto fail;
		}
		return 1;
	}
	return 0;
fail:
	sim_abort(c->sim, "n%u could not crash: %s", c->node, sim_error(c->sim));
	return -1;
}

/* ---- messages ---- */

int txn_send(struct sim *s, uint32_t from, uint32_t to, const char *t, const char *k1,
	     int64_t v1, const char *k2, int64_t v2, const char *kb, int b)
{
	uint8_t buf[128];
	struct simw w = {buf, 0, sizeof buf, 0};
	simw_table(&w, 0, 1 + (k1 != NULL) + (k2 != NULL) + (kb != NULL));
	simw_kstr(&w, "t", t);
	if (k1)
		simw_kint(&w, k1, v1);
	if (k2)
		simw_kint(&w, k2, v2);
	if (kb)
		simw_kbool(&w, kb, b);
	if (w.failed || !sim_send(s, from, to, w.p, w.len)) {
		sim_abort(s, "n%u could not send: %s", from, sim_error(s));
		return -1;
	}
	return 0;
}

int txn_tick(struct sim *s, uint32_t node, double delay)
{
	uint8_t tag = SIMVAL_NIL;
	if (!sim_set_timer(s, node, delay, &tag, 1)) {
		sim_abort(s, "n%u could not set a timer: %s", node, sim_error(s));
		return -1;
	}
	return 0;
}

/* The message's type and tx; 0, or -1 if it is not one of ours. */
int txn_msg(const uint8_t *msg, size_t len, struct simv *t, int64_t *tx, const char *txkey)
{
	struct simv m = simv_of(msg, len);
	if (simv_get(m, "t", t) != 0)
		return -1;
	*tx = simv_getint(m, txkey, 0);
	return *tx >= 1 && *tx <= TXN_MAX_TX ? 0 : -1;
}

/* ---- 2PC / 3PC: the coordinator ---- */

struct coord_dur {
	uint32_t ntx;
	uint8_t decision[TXN_MAX_TX + 1];          /* NONE, PRECOMMIT (3PC), COMMITTED, ABORTED */
	int32_t delta[TXN_MAX_TX + 1][TXN_MAX_PART + 2];
};

struct coord_vol {
	int dying;
	uint32_t active;                          /* the tx collecting votes / pre-acks */
	uint8_t vdecision[TXN_MAX_TX + 1];        /* TXN_BUG_NO_LOG: the decision in memory */
	uint64_t req[TXN_MAX_TX + 1];
	uint8_t vote[TXN_MAX_TX + 1][TXN_MAX_PART + 2];  /* 0 none, 1 yes, 2 no */
	uint8_t ack[TXN_MAX_TX + 1][TXN_MAX_PART + 2];
	uint8_t preack[TXN_MAX_TX + 1][TXN_MAX_PART + 2];
	uint8_t phase[TXN_MAX_TX + 1];            /* 1 votes, 2 pre-acks, 3 terminating */
	int64_t since[TXN_MAX_TX + 1];            /* ns the phase began */
	uint8_t seen[TXN_MAX_TX + 1][TXN_MAX_PART + 2];  /* termination: state + 1 */
};

static const struct txn_cfg *cfg_of(struct sim_ctx *c)
{
	return c->ud;
}

static struct txn_record *rec_of(struct sim_ctx *c)
{
	return cfg_of(c)->rec;
}

static int crash(struct sim_ctx *c, int *dying, enum txn_step step, uint32_t tx)
{
	struct txn_cfg *cfg = c->ud;
	return txn_crash_at(c, cfg->crash, cfg->ncrash, cfg->rec, step, tx, dying);
}

static uint8_t coord_decision(struct sim_ctx *c, uint32_t tx)
{
	struct coord_dur *d = c->dur;
	struct coord_vol *v = c->vol;
	uint8_t x = d->decision[tx];
	if (cfg_of(c)->bug == TXN_BUG_NO_LOG && (x == TXN_COMMITTED || x == TXN_ABORTED))
		x = 0; /* never logged */
	if (!x)
		x = v->vdecision[tx];
	return x;
}

static const char *decision_msg(uint8_t d)
{
	return d == TXN_COMMITTED ? "commit" : "abort";
}

/* Sends the decision of TX to every participant not yet acked; with STEPS,
 * crash points mid / after. 1 if a crash point fired, 0, -1. */
static int coord_send_decision(struct sim_ctx *c, uint32_t tx, int steps)
{
	struct coord_vol *v = c->vol;
	uint8_t d = coord_decision(c, tx);
	uint32_t n = sim_nodes(c->sim), sent = 0;
	for (uint32_t p = 2; p <= n; p++) {
		if (v->ack[tx][p])
			continue;
		if (txn_send(c->sim, c->node, p, decision_msg(d), "tx", tx, NULL, 0, NULL, 0) != 0)
			return -1;
		if (steps && ++sent == 1 && p < n) {
			int r = crash(c, &v->dying, TXN_S_MID_DECISION, tx);
			if (r)
				return r;
		}
	}
	return steps ? crash(c, &v->dying, TXN_S_AFTER_DECISION, tx) : 0;
}

/* Logs decision D (TXN_COMMITTED / TXN_ABORTED) for TX and sends it. */
static int coord_decide(struct sim_ctx *c, uint32_t tx, uint8_t d)
{
	struct coord_dur *du = c->dur;
	struct coord_vol *v = c->vol;
	if (cfg_of(c)->bug == TXN_BUG_NO_LOG)
		v->vdecision[tx] = d;
	else
		du->decision[tx] = d;
	if (v->active == tx)
		v->active = 0;
	v->phase[tx] = 0;
	txn_note(c->sim, rec_of(c), c->node, tx, TXN_E_LOG, d == TXN_COMMITTED ? 1 : 2);
	int r = crash(c, &v->dying, TXN_S_AFTER_LOG, tx);
	if (r)
		return r < 0 ? -1 : 0;
	r = coord_send_decision(c, tx, 1);
	if (r)
		return r < 0 ? -1 : 0;
	if (v->req[tx]) {
		uint8_t buf[16];
		struct simw w = {buf, 0, sizeof buf, 0};
		simw_cstr(&w, decision_msg(d));
		if (sim_reply(c->sim, c->node, v->req[tx], 1, w.p, w.len) < 0)
			return -1;
		v->req[tx] = 0;
	}
	return 0;
}

/* The 3PC termination rule over the states seen (state + 1) and OWN. */
static uint8_t terminate_rule(const uint8_t *seen, uint32_t n, uint8_t own)
{
	int commit = own == TXN_COMMITTED, abort = own == TXN_ABORTED, pre = own == TXN_PRECOMMIT;
	for (uint32_t i = 1; i <= n; i++) {
		if (!seen[i])
			continue;
		uint8_t s = seen[i] - 1;
		commit |= s == TXN_COMMITTED;
		abort |= s == TXN_ABORTED;
		pre |= s == TXN_PRECOMMIT;
	}
	if (commit)
		return TXN_COMMITTED;
	if (abort)
		return TXN_ABORTED;
	return pre ? TXN_COMMITTED : TXN_ABORTED;
}

static int query_all(struct sim_ctx *c, uint32_t tx)
{
	uint32_t n = sim_nodes(c->sim);
	for (uint32_t p = 1; p <= n; p++)
		if (p != c->node && txn_send(c->sim, c->node, p, "query", "tx", tx, NULL, 0, NULL, 0))
			return -1;
	txn_note(c->sim, rec_of(c), c->node, tx, TXN_E_TERMINATE, 0);
	return 0;
}

static int coord_start(struct sim_ctx *c, int restart)
{
	struct coord_dur *d = c->dur;
	struct coord_vol *v = c->vol;
	const struct txn_cfg *cfg = cfg_of(c);
	if (sim_nodes(c->sim) > TXN_MAX_PART + 1) {
		sim_abort(c->sim, "lab.txn: at most %d participants", TXN_MAX_PART);
		return -1;
	}
	if (restart) {
		txn_note(c->sim, rec_of(c), c->node, 0, TXN_E_RESTART, 0);
		for (uint32_t tx = 1; tx <= d->ntx; tx++) {
			uint8_t x = coord_decision(c, tx);
			if (x == TXN_COMMITTED || x == TXN_ABORTED) {
				if (coord_send_decision(c, tx, 0) != 0)
					return -1;
			} else if (cfg->three) {
				v->phase[tx] = 3; /* termination: ask everyone */
				v->since[tx] = sim_now_ns(c->sim);
				if (query_all(c, tx) != 0)
					return -1;
			} else if (coord_decide(c, tx, TXN_ABORTED) != 0) { /* presumed abort */
				return -1;
			}
		}
	}
	return txn_tick(c->sim, c->node, cfg->retry);
}

static int coord_request(struct sim_ctx *c, uint64_t req, const uint8_t *op, size_t len)
{
	struct coord_dur *d = c->dur;
	struct coord_vol *v = c->vol;
	if (v->dying)
		return 0;
	struct simv o = simv_of(op, len), f, deltas, x;
	const char *why = NULL;
	if (simv_get(o, "f", &f) != 0 || !simv_is(f, "txn"))
		why = "the coordinator takes {f = \"txn\", deltas = {[node] = amount}}";
	else if (v->active)
		why = "busy: a transaction is collecting votes";
	else if (d->ntx >= TXN_MAX_TX)
		why = "too many transactions";
	if (why) {
		uint8_t buf[128];
		struct simw w = {buf, 0, sizeof buf, 0};
		simw_cstr(&w, why);
		return sim_reply(c->sim, c->node, req, 0, w.p, w.len) < 0 ? -1 : 0;
	}
	uint32_t tx = ++d->ntx, n = sim_nodes(c->sim);
	int has = simv_get(o, "deltas", &deltas) == 0;
	for (uint32_t p = 2; p <= n; p++) {
		int64_t dv = 0;
		if (has && simv_geti(deltas, p, &x) == 0)
			simv_int(x, &dv);
		d->delta[tx][p] = (int32_t)dv;
	}
	v->req[tx] = req;
	txn_note(c->sim, rec_of(c), c->node, tx, TXN_E_BEGIN, 0);
	int r = crash(c, &v->dying, TXN_S_BEFORE_PREPARE, tx);
	if (r)
		return r < 0 ? -1 : 0;
	v->active = tx;
	v->phase[tx] = 1;
	v->since[tx] = sim_now_ns(c->sim);
	for (uint32_t p = 2; p <= n; p++) {
		if (txn_send(c->sim, c->node, p, "prepare", "tx", tx, "delta", d->delta[tx][p], NULL,
			     0))
			return -1;
		txn_note(c->sim, rec_of(c), c->node, tx, TXN_E_PREPARE, (int32_t)p);
		if (p == 2 && n > 2 && (r = crash(c, &v->dying, TXN_S_MID_PREPARE, tx)) != 0)
			return r < 0 ? -1 : 0;
	}
	r = crash(c, &v->dying, TXN_S_AFTER_PREPARE, tx);
	return r < 0 ? -1 : 0;
}

/* 3PC: every vote is yes: log pre-commit, send it (with the partition). */
static int coord_precommit(struct sim_ctx *c, uint32_t tx)
{
	struct coord_dur *d = c->dur;
	struct coord_vol *v = c->vol;
	const struct txn_cfg *cfg = cfg_of(c);
	d->decision[tx] = TXN_PRECOMMIT;
	txn_note(c->sim, rec_of(c), c->node, tx, TXN_E_LOG, 3);
	int r = crash(c, &v->dying, TXN_S_AFTER_PRECOMMIT_LOG, tx);
	if (r)
		return r < 0 ? -1 : 0;
	v->phase[tx] = 2;
	v->since[tx] = sim_now_ns(c->sim);
	uint32_t n = sim_nodes(c->sim);
	for (uint32_t p = 2; p <= n; p++) {
		if (txn_send(c->sim, c->node, p, "precommit", "tx", tx, NULL, 0, NULL, 0))
			return -1;
		if (p == 2 && cfg->partition > 0 && n > 2) {
			uint16_t group[TXN_MAX_PART + 2] = {0};
			for (uint32_t i = 0; i < n; i++)
				group[i] = i < 2 ? 1 : 2;
			struct sim_fault f = {.at = sim_now(c->sim), .kind = SIM_F_PARTITION,
					      .group = group};
			struct sim_fault h = {.at = sim_now(c->sim) + cfg->partition,
					      .kind = SIM_F_HEAL};
			if (sim_add_fault(c->sim, &f) != 0 || sim_add_fault(c->sim, &h) != 0) {
				sim_abort(c->sim, "lab.txn: %s", sim_error(c->sim));
				return -1;
			}
			txn_note(c->sim, rec_of(c), c->node, tx, TXN_E_PARTITION, 0);
		}
		if (p == 2 && n > 2 && (r = crash(c, &v->dying, TXN_S_MID_PRECOMMIT, tx)) != 0)
			return r < 0 ? -1 : 0;
	}
	return 0;
}

static int coord_vote(struct sim_ctx *c, uint32_t from, uint32_t tx, int yes)
{
	struct coord_vol *v = c->vol;
	uint8_t d = coord_decision(c, tx);
	if (d == TXN_COMMITTED || d == TXN_ABORTED)
		return txn_send(c->sim, c->node, from, decision_msg(d), "tx", tx, NULL, 0, NULL, 0);
	if (v->active != tx || v->phase[tx] != 1)
		return 0;
	v->vote[tx][from] = yes ? 1 : 2;
	if (!yes)
		return coord_decide(c, tx, TXN_ABORTED);
	uint32_t n = sim_nodes(c->sim);
	for (uint32_t p = 2; p <= n; p++)
		if (v->vote[tx][p] != 1)
			return 0;
	int r = crash(c, &v->dying, TXN_S_BEFORE_LOG, tx);
	if (r)
		return r < 0 ? -1 : 0;
	return cfg_of(c)->three ? coord_precommit(c, tx) : coord_decide(c, tx, TXN_COMMITTED);
}

static int coord_receive(struct sim_ctx *c, uint32_t from, const uint8_t *msg, size_t len)
{
	struct coord_vol *v = c->vol;
	struct simv t, m = simv_of(msg, len), x;
	int64_t tx64;
	if (v->dying || from < 2 || txn_msg(msg, len, &t, &tx64, "tx") != 0)
		return 0;
	uint32_t tx = (uint32_t)tx64, n = sim_nodes(c->sim);
	struct coord_dur *d = c->dur;
	if (tx > d->ntx)
		return 0;
	uint8_t dec = coord_decision(c, tx);
	int final = dec == TXN_COMMITTED || dec == TXN_ABORTED;
	if (simv_is(t, "vote"))
		return coord_vote(c, from, tx, simv_get(m, "yes", &x) == 0 && simv_tag(x) == SIMVAL_TRUE);
	if (simv_is(t, "ack")) {
		if (simv_get(m, "pre", &x) == 0 && simv_tag(x) == SIMVAL_TRUE) {
			if (final || v->phase[tx] != 2)
				return 0;
			v->preack[tx][from] = 1;
			for (uint32_t p = 2; p <= n; p++)
				if (!v->preack[tx][p])
					return 0;
			return coord_decide(c, tx, TXN_COMMITTED);
		}
		v->ack[tx][from] = 1;
		return 0;
	}
	if (simv_is(t, "status")) {
		if (final)
			return txn_send(c->sim, c->node, from, decision_msg(dec), "tx", tx, NULL, 0,
					NULL, 0);
		if (v->active == tx || cfg_of(c)->three)
			return 0;
		return coord_decide(c, tx, TXN_ABORTED); /* presumed abort */
	}
	if (simv_is(t, "query")) {
		uint8_t buf[64];
		struct simw w = {buf, 0, sizeof buf, 0};
		simw_table(&w, 0, 3);
		simw_kstr(&w, "t", "state");
		simw_kint(&w, "tx", tx);
		simw_kstr(&w, "s", txn_state_name(dec == TXN_PRECOMMIT ? TXN_PRECOMMIT
						  : final ? dec : TXN_NONE));
		return sim_send(c->sim, c->node, from, w.p, w.len) ? 0 : -1;
	}
	if (simv_is(t, "state") && v->phase[tx] == 3) {
		const char *s;
		size_t sl;
		if (simv_getstr(m, "s", &s, &sl) == 0)
			for (int k = 0; k <= TXN_ABORTED; k++)
				if (strlen(txn_state_name(k)) == sl &&
				    memcmp(s, txn_state_name(k), sl) == 0)
					v->seen[tx][from] = (uint8_t)(k + 1);
		return 0;
	}
	if ((simv_is(t, "commit") || simv_is(t, "abort")) && !final && cfg_of(c)->three)
		return coord_decide(c, tx, simv_is(t, "commit") ? TXN_COMMITTED : TXN_ABORTED);
	return 0;
}

static int coord_timer(struct sim_ctx *c, uint64_t id, const uint8_t *tag, size_t len)
{
	(void)id, (void)tag, (void)len;
	struct coord_dur *d = c->dur;
	struct coord_vol *v = c->vol;
	const struct txn_cfg *cfg = cfg_of(c);
	if (v->dying)
		return 0;
	int64_t now = sim_now_ns(c->sim), tmo = sim_to_ns(cfg->timeout);
	for (uint32_t tx = 1; tx <= d->ntx && !v->dying; tx++) {
		uint8_t x = coord_decision(c, tx);
		if (x == TXN_COMMITTED || x == TXN_ABORTED) {
			if (coord_send_decision(c, tx, 0) != 0)
				return -1;
			continue;
		}
		int r = 0;
		if (v->phase[tx] == 1 && now - v->since[tx] >= tmo)
			r = coord_decide(c, tx, TXN_ABORTED);
		else if (v->phase[tx] == 2 && now - v->since[tx] >= tmo)
			r = coord_decide(c, tx, TXN_COMMITTED);
		else if (v->phase[tx] == 3 && now - v->since[tx] >= tmo / 2)
			r = coord_decide(c, tx, terminate_rule(v->seen[tx], sim_nodes(c->sim), x));
		if (r)
			return -1;
	}
	if (v->dying)
		return 0;
	return txn_tick(c->sim, c->node, cfg->retry);
}

const struct sim_behaviour txn_coordinator_behaviour = {
	.name = "txn coordinator",
	.vol_size = sizeof(struct coord_vol),
	.dur_size = sizeof(struct coord_dur),
	.start = coord_start,
	.receive = coord_receive,
	.timer = coord_timer,
	.request = coord_request,
};

int txn_decision(struct sim *s, uint32_t node, uint32_t tx)
{
	if (node < 1 || node > sim_nodes(s) || sim_behaviour_of(s, node) != &txn_coordinator_behaviour ||
	    tx < 1 || tx > TXN_MAX_TX)
		return -1;
	struct sim_ctx c = sim_ctx_of(s, node);
	struct coord_dur *d = c.dur;
	uint8_t x = d->decision[tx];
	if (cfg_of(&c)->bug == TXN_BUG_NO_LOG && sim_up(s, node)) {
		struct coord_vol *v = c.vol;
		x = v->vdecision[tx];
	}
	return x == TXN_COMMITTED || x == TXN_ABORTED ? x : TXN_NONE;
}

/* ---- 2PC / 3PC: the participant ---- */

struct part_dur {
	int inited;
	int64_t balance;
	uint8_t state[TXN_MAX_TX + 1];
	int32_t delta[TXN_MAX_TX + 1];
};

struct part_vol {
	int dying;
	int64_t since[TXN_MAX_TX + 1];      /* ns of the last news about tx */
	uint8_t terminating[TXN_MAX_TX + 1];
	uint8_t seen[TXN_MAX_TX + 1][TXN_MAX_PART + 2];
};

static int part_start(struct sim_ctx *c, int restart)
{
	struct part_dur *d = c->dur;
	struct part_vol *v = c->vol;
	const struct txn_cfg *cfg = cfg_of(c);
	if (!d->inited) {
		d->inited = 1;
		d->balance = cfg->balance;
	}
	if (restart) {
		txn_note(c->sim, rec_of(c), c->node, 0, TXN_E_RESTART, 0);
		for (uint32_t tx = 1; tx <= TXN_MAX_TX; tx++) {
			if (d->state[tx] != TXN_PREPARED && d->state[tx] != TXN_PRECOMMIT)
				continue;
			if (cfg->bug == TXN_BUG_FORGET) { /* the vote was in memory: gone */
				d->state[tx] = TXN_ABORTED;
				txn_note(c->sim, rec_of(c), c->node, tx, TXN_E_DECIDE, 2);
			}
			v->since[tx] = sim_now_ns(c->sim);
		}
	}
	return txn_tick(c->sim, c->node, cfg->retry);
}

static int part_learn(struct sim_ctx *c, uint32_t tx, int commit)
{
	struct part_dur *d = c->dur;
	struct part_vol *v = c->vol;
	uint8_t s = d->state[tx];
	if (s == TXN_PREPARED || s == TXN_PRECOMMIT) {
		int r = crash(c, &v->dying, TXN_S_BEFORE_APPLY, tx);
		if (r)
			return r;
		if (commit)
			d->balance += d->delta[tx];
		d->state[tx] = commit ? TXN_COMMITTED : TXN_ABORTED;
		txn_note(c->sim, rec_of(c), c->node, tx, TXN_E_DECIDE, commit ? 1 : 2);
		return crash(c, &v->dying, TXN_S_AFTER_APPLY, tx);
	}
	if (s == TXN_NONE && !commit) {
		d->state[tx] = TXN_ABORTED;
		txn_note(c->sim, rec_of(c), c->node, tx, TXN_E_DECIDE, 2);
	}
	return 0; /* decided already (a mismatch is left for the checks to see) */
}

static int part_prepare(struct sim_ctx *c, uint32_t tx, int64_t delta)
{
	struct part_dur *d = c->dur;
	struct part_vol *v = c->vol;
	const struct txn_cfg *cfg = cfg_of(c);
	uint8_t s = d->state[tx];
	if (s != TXN_NONE)
		return txn_send(c->sim, c->node, 1, "vote", "tx", tx, NULL, 0, "yes",
				s != TXN_ABORTED);
	int r = crash(c, &v->dying, TXN_S_BEFORE_VOTE, tx);
	if (r)
		return r < 0 ? -1 : 0;
	int locked = 0;
	for (uint32_t k = 1; k <= TXN_MAX_TX; k++)
		locked |= k != tx && (d->state[k] == TXN_PREPARED || d->state[k] == TXN_PRECOMMIT);
	int yes = cfg->vote_no != c->node && d->balance + delta >= 0 && !locked;
	d->state[tx] = yes ? TXN_PREPARED : TXN_ABORTED; /* durable before the vote leaves */
	d->delta[tx] = (int32_t)delta;
	v->since[tx] = sim_now_ns(c->sim);
	if (txn_send(c->sim, c->node, 1, "vote", "tx", tx, NULL, 0, "yes", yes))
		return -1;
	txn_note(c->sim, rec_of(c), c->node, tx, TXN_E_VOTE, yes);
	r = crash(c, &v->dying, TXN_S_AFTER_VOTE, tx);
	return r < 0 ? -1 : 0;
}

static int part_receive(struct sim_ctx *c, uint32_t from, const uint8_t *msg, size_t len)
{
	struct part_dur *d = c->dur;
	struct part_vol *v = c->vol;
	struct simv t, m = simv_of(msg, len);
	int64_t tx64;
	if (v->dying || txn_msg(msg, len, &t, &tx64, "tx") != 0)
		return 0;
	uint32_t tx = (uint32_t)tx64;
	int r = 0;
	if (simv_is(t, "prepare")) {
		return part_prepare(c, tx, simv_getint(m, "delta", 0));
	} else if (simv_is(t, "commit") || simv_is(t, "abort")) {
		r = part_learn(c, tx, simv_is(t, "commit"));
		if (r == 0 && from == 1)
			r = txn_send(c->sim, c->node, 1, "ack", "tx", tx, NULL, 0, NULL, 0);
	} else if (simv_is(t, "precommit")) {
		if (d->state[tx] == TXN_PREPARED) {
			d->state[tx] = TXN_PRECOMMIT;
			v->since[tx] = sim_now_ns(c->sim);
			txn_note(c->sim, rec_of(c), c->node, tx, TXN_E_PRECOMMIT, 0);
		}
		if (d->state[tx] == TXN_PRECOMMIT) {
			r = txn_send(c->sim, c->node, 1, "ack", "tx", tx, NULL, 0, "pre", 1);
			if (r == 0)
				r = crash(c, &v->dying, TXN_S_AFTER_PRECOMMIT, tx);
		}
	} else if (simv_is(t, "query")) {
		uint8_t buf[64];
		struct simw w = {buf, 0, sizeof buf, 0};
		simw_table(&w, 0, 3);
		simw_kstr(&w, "t", "state");
		simw_kint(&w, "tx", tx);
		simw_kstr(&w, "s", txn_state_name(d->state[tx]));
		r = sim_send(c->sim, c->node, from, w.p, w.len) ? 0 : -1;
	} else if (simv_is(t, "state") && v->terminating[tx]) {
		const char *s;
		size_t sl;
		if (simv_getstr(m, "s", &s, &sl) == 0 && from <= TXN_MAX_PART + 1)
			for (int k = 0; k <= TXN_ABORTED; k++)
				if (strlen(txn_state_name(k)) == sl &&
				    memcmp(s, txn_state_name(k), sl) == 0)
					v->seen[tx][from] = (uint8_t)(k + 1);
	}
	return r < 0 ? -1 : 0;
}

/* 3PC: the termination protocol's end: decide by the rule, tell everyone. */
static int part_terminate(struct sim_ctx *c, uint32_t tx)
{
	struct part_dur *d = c->dur;
	struct part_vol *v = c->vol;
	v->terminating[tx] = 0;
	uint8_t x = terminate_rule(v->seen[tx], sim_nodes(c->sim), d->state[tx]);
	int r = part_learn(c, tx, x == TXN_COMMITTED);
	if (r)
		return r < 0 ? -1 : 0;
	uint32_t n = sim_nodes(c->sim);
	for (uint32_t p = 1; p <= n; p++)
		if (p != c->node &&
		    txn_send(c->sim, c->node, p, decision_msg(x), "tx", tx, NULL, 0, NULL, 0))
			return -1;
	return 0;
}

static int part_timer(struct sim_ctx *c, uint64_t id, const uint8_t *tag, size_t len)
{
	(void)id, (void)tag, (void)len;
	struct part_dur *d = c->dur;
	struct part_vol *v = c->vol;
	const struct txn_cfg *cfg = cfg_of(c);
	if (v->dying)
		return 0;
	int64_t now = sim_now_ns(c->sim), tmo = sim_to_ns(cfg->timeout);
	for (uint32_t tx = 1; tx <= TXN_MAX_TX && !v->dying; tx++) {
		uint8_t s = d->state[tx];
		if (s != TXN_PREPARED && s != TXN_PRECOMMIT)
			continue;
		if (cfg->three) {
			if (v->terminating[tx] && now - v->since[tx] >= tmo / 2) {
				if (part_terminate(c, tx) != 0)
					return -1;
			} else if (!v->terminating[tx] && now - v->since[tx] >= tmo) {
				v->terminating[tx] = 1;
				memset(v->seen[tx], 0, sizeof v->seen[tx]);
				v->since[tx] = now;
				if (query_all(c, tx) != 0)
					return -1;
			}
			continue;
		}
		if (now - v->since[tx] < tmo)
			continue;
		v->since[tx] = now;
		if (cfg->bug == TXN_BUG_DECIDE_ALONE) {
			d->state[tx] = TXN_ABORTED;
			txn_note(c->sim, rec_of(c), c->node, tx, TXN_E_DECIDE, 2);
			continue;
		}
		txn_note(c->sim, rec_of(c), c->node, tx, TXN_E_ASK, 0);
		if (txn_send(c->sim, c->node, 1, "status", "tx", tx, NULL, 0, NULL, 0))
			return -1;
	}
	if (v->dying)
		return 0;
	return txn_tick(c->sim, c->node, cfg->retry);
}

/* {f = "read"}: replies {balance = b, states = {[tx] = "commit", ...}}. */
static int part_request(struct sim_ctx *c, uint64_t req, const uint8_t *op, size_t len)
{
	(void)op, (void)len;
	struct part_dur *d = c->dur;
	struct part_vol *v = c->vol;
	if (v->dying)
		return 0;
	struct simw w = SIMW_INIT;
	simw_table(&w, 0, 1);
	simw_kint(&w, "balance", d->balance);
	int r = w.failed ? -1 : sim_reply(c->sim, c->node, req, 1, w.p, w.len);
	simw_free(&w);
	return r < 0 ? -1 : 0;
}

const struct sim_behaviour txn_participant_behaviour = {
	.name = "txn participant",
	.vol_size = sizeof(struct part_vol),
	.dur_size = sizeof(struct part_dur),
	.start = part_start,
	.receive = part_receive,
	.timer = part_timer,
	.request = part_request,
};

int txn_participant(struct sim *s, uint32_t node, uint32_t tx, int64_t *balance)
{
	if (node < 1 || node > sim_nodes(s) || sim_behaviour_of(s, node) != &txn_participant_behaviour ||
	    tx < 1 || tx > TXN_MAX_TX)
		return -1;
	struct sim_ctx c = sim_ctx_of(s, node);
	struct part_dur *d = c.dur;
	if (balance)
		*balance = d->balance;
	return d->state[tx];
}

/* ---- runners ---- */

void txn_result_free(struct txn_result *out)
{
	if (out->sim)
		sim_free(out->sim);
	budget_free(out->rec.ev);
	memset(out, 0, sizeof *out);
}

struct sim *txn_new_sim(const struct txn_run *run, uint32_t nodes, struct txn_result *out)
{
	memset(out, 0, sizeof *out);
	struct sim_config c = sim_config_default();
	c.nodes = nodes;
	c.seed = run->seed;
	c.net.loss = run->loss;
	c.net.latency = (struct sim_latency){.dist = SIM_CONST, .mean = run->latency};
	c.trace = run->trace;
	if (txn_record_init(&out->rec, nodes) != 0)
		return NULL;
	out->nodes = nodes;
	struct sim *s = sim_new(&c);
	if (!s)
		budget_free(out->rec.ev), out->rec.ev = NULL;
	return s;
}

/* Draws one crash point for a node of ROLE (c/p/o/s), or for any node. */
void txn_draw_crash(struct rng *r, const struct txn_run *run, uint32_t nodes, int three,
		    const char *roles, struct txn_crash *out)
{
	enum txn_step pick[TXN_S_COUNT];
	uint32_t node = 1 + (uint32_t)rng_below(r, nodes), n = 0;
	char role = node == 1 ? roles[0] : roles[1];
	for (int s = 1; s < TXN_S_COUNT; s++) {
		int only3;
		if (txn_step_role((enum txn_step)s, &only3) == role && (!only3 || three))
			pick[n++] = (enum txn_step)s;
	}
	*out = (struct txn_crash){.node = node, .step = n ? pick[rng_below(r, n)] : TXN_S_NONE,
				  .tx = 1 + (uint32_t)rng_below(r, run->txns ? run->txns : 1),
				  .down = 0.2 + 2.8 * rng_uniform(r)};
}

int txn_finish(const struct txn_run *run, struct sim *s, struct txn_result *out)
{
	if (run->nemesis == 2) {
		struct sim_nemesis nm = {.kinds = SIM_N_PARTITION | SIM_N_CRASH | SIM_N_LOSS,
					 .start = 0.3, .until = run->time * 0.6, .interval = 1,
					 .duration = 1, .loss = 0.3};
		if (sim_nemesis(s, &nm) < 0)
			goto fail;
	}
	enum sim_status st = sim_run(s, run->time, 0);
	if (st == SIM_ERROR || st == SIM_STOPPED)
		goto fail;
	sim_stats(s, &out->stats);
	return 0;
fail:
	sim_free(s);
	txn_result_free(out);
	return -1;
}

int txn_commit_run(const struct txn_run *run, struct txn_cfg *cfg0, struct txn_result *out)
{
	uint32_t nodes = run->participants + 1;
	if (run->participants < 1 || run->participants > TXN_MAX_PART || run->txns > TXN_MAX_TX)
		return -1;
	struct sim *s = txn_new_sim(run, nodes, out);
	if (!s)
		return -1;
	/* the nodes share one configuration, owned by the simulation (node 1) */
	struct txn_cfg *cfg = budget_malloc(sizeof *cfg);
	if (!cfg) {
		sim_free(s);
		txn_result_free(out);
		return -1;
	}
	*cfg = *cfg0;
	if (sim_add_node(s, 1, &txn_coordinator_behaviour, cfg, budget_free) != 0)
		goto fail; /* it freed cfg */
	cfg->rec = &out->rec;
	struct rng r;
	rng_seed(&r, run->seed ^ 0x7478u);
	if (run->nemesis && cfg->ncrash < TXN_MAX_CRASH)
		txn_draw_crash(&r, run, nodes, cfg->three, "cp", &cfg->crash[cfg->ncrash++]);
	for (uint32_t p = 2; p <= nodes; p++)
		if (sim_add_node(s, p, &txn_participant_behaviour, cfg, NULL) != 0)
			goto fail;
	for (uint32_t k = 1; k <= run->txns; k++) {
		/* moves 1..8 from one participant to another; the rest take part with 0 */
		uint32_t from = 2 + (uint32_t)rng_below(&r, run->participants), to = from;
		if (run->participants > 1)
			while (to == from)
				to = 2 + (uint32_t)rng_below(&r, run->participants);
		int64_t amount = 1 + (int64_t)rng_below(&r, 8);
		struct simw w = SIMW_INIT;
		simw_table(&w, 0, 2);
		simw_kstr(&w, "f", "txn");
		simw_cstr(&w, "deltas");
		simw_table(&w, 0, from == to ? 0 : 2);
		if (from != to) {
			simw_int(&w, from), simw_int(&w, -amount);
			simw_int(&w, to), simw_int(&w, amount);
		}
		uint64_t id = w.failed ? 0 : sim_request(s, 0.1 + (k - 1), 1, 1, w.p, w.len, 5);
		simw_free(&w);
		if (!id)
			goto fail;
	}
	if (txn_finish(run, s, out) != 0)
		return -1;
	memcpy(out->crash, cfg->crash, sizeof out->crash);
	out->ncrash = cfg->ncrash;
	struct sim_ctx cc = sim_ctx_of(s, 1);
	struct coord_dur *cd = cc.dur;
	out->txns = cd->ntx;
	for (uint32_t tx = 1; tx <= cd->ntx; tx++) {
		int commit = 0, abort = 0, doubt = 0;
		for (uint32_t p = 1; p <= nodes; p++) {
			size_t i = (size_t)(tx - 1) * nodes + p - 1;
			int st = p == 1 ? txn_decision(s, 1, tx) : txn_participant(s, p, tx, NULL);
			if (p == 1 && st == TXN_NONE && cd->decision[tx] == TXN_PRECOMMIT)
				st = TXN_PRECOMMIT;
			out->state[i] = (uint8_t)st;
			out->delta[i] = p == 1 ? 0 : cd->delta[tx][p];
			commit |= st == TXN_COMMITTED;
			abort |= st == TXN_ABORTED;
			doubt |= p > 1 && (st == TXN_PREPARED || st == TXN_PRECOMMIT);
		}
		out->mixed += commit && abort;
		out->unfinished += doubt;
	}
	for (uint32_t p = 2; p <= nodes; p++)
		txn_participant(s, p, 1, &out->balance[p]);
	cfg->rec = NULL; /* a kept simulation may run on without the record */
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
