/*
 * txn.c — the shared pieces of lab.txn: steps, crash points, messages, the
 * record and its timeline, and what every runner does; see txn.h. The
 * commit protocols are in txncommit.c, sagas and the outbox in txnsaga.c.
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
