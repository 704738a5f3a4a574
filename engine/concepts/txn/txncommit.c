/*
 * txncommit.c — two-phase and three-phase commit: the coordinator and
 * participant behaviours, and their runner; see txn.h for the protocol and
 * its messages.
 */
#include "engine/concepts/txn/txn.h"
#include "engine/concepts/txn/txn_int.h"
#include "engine/base/budget.h"

#include <string.h>

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

/* Start or restart: with a log, resend logged decisions; an undecided
 * transaction is aborted (2PC, presumed abort) or terminated by asking
 * everyone (3PC). 0, or -1 after sim_abort(). */
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

/* A client's {f = "txn", deltas = {...}}: refused (a definite failure)
 * while another transaction collects votes; else logged as begun and
 * prepared at every participant. 0, or -1 after sim_abort(). */
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

/* A vote for TX: a no aborts; the last yes logs commit (2PC) or
 * pre-commit (3PC). A vote for a decided TX gets the decision again. */
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

/* Votes, acknowledgements, status questions (2PC), 3PC's queries and
 * states, and decisions reached by a participant's termination. */
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

/* Every RETRY: resend unacknowledged decisions; time out the vote phase
 * (abort), the pre-commit phase (commit) and a termination (decide). */
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

/* First start: the balance from the configuration. Restart: the disk
 * says what is prepared (TXN_BUG_FORGET: forgets it, aborting). */
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

/* The decision for TX arrives: apply the delta once on commit. A
 * decision for a transaction decided otherwise is left as it is (the
 * checks count it as mixed). 1 if a crash point fired, 0, -1. */
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

/* A prepare: the same vote again if already voted; else vote yes when the
 * balance can pay and no other transaction holds the locks, writing the
 * vote and delta to disk before the vote leaves. */
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

/* Prepare, decisions (acknowledged to the coordinator), 3PC's
 * pre-commit, queries and the states a termination collects. */
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

/* Every RETRY, for each transaction in doubt: 2PC asks the coordinator
 * again every TIMEOUT (TXN_BUG_DECIDE_ALONE: aborts instead); 3PC starts
 * the termination protocol after TIMEOUT and decides TIMEOUT/2 later. */
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
