/*
 * raft.c — the rules of Raft on arrays, and a Raft node as a lab.sim
 * behaviour (see raft.h). The key-value state machine is raftkv.c.
 */
#include "engine/concepts/raft/raft.h"
#include "engine/concepts/raft/raft_int.h"
#include "engine/base/budget.h"

#include <stdio.h>
#include <string.h>

/* ---- the rules ---- */

int raft_up_to_date(uint64_t vt, uint64_t vi, uint64_t ct, uint64_t ci)
{
	return ct > vt || (ct == vt && ci >= vi);
}

int raft_prev_ok(const uint64_t *terms, size_t n, uint64_t pi, uint64_t pt)
{
	if (pi == 0)
		return 1;
	return pi <= n && terms[pi - 1] == pt;
}

uint64_t raft_first_new(const uint64_t *terms, size_t n, uint64_t pi, const uint64_t *e,
			size_t ne)
{
	for (size_t k = 0; k < ne; k++) {
		uint64_t idx = pi + 1 + k;
		if (idx > n || terms[idx - 1] != e[k])
			return idx;
	}
	return 0;
}

uint64_t raft_commit_index(const uint64_t *terms, size_t n, const uint64_t *match, size_t nf,
			   uint64_t term, uint64_t commit, int any_term)
{
	for (uint64_t idx = n; idx > commit; idx--) {
		if (!any_term && terms[idx - 1] != term)
			continue;
		size_t have = 1; /* the leader */
		for (size_t i = 0; i < nf; i++)
			have += match[i] >= idx;
		if (2 * have > nf + 1)
			return idx;
	}
	return commit;
}

uint64_t raft_hash(const uint8_t *p, size_t n)
{
	uint64_t h = 1469598103934665603ull;
	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 1099511628211ull;
	return h;
}

struct raft_cfg raft_cfg_default(void)
{
	return (struct raft_cfg){.election = 0.15, .heartbeat = 0.05, .snapshot_every = 64,
				 .batch = 32, .log_state = 1};
}

/* ---- the log (durable) ---- */

/* Term of entry IDX (base's term for IDX == base; 0 for 0 or unknown). */
static uint64_t term_at(const struct rdur *d, uint64_t idx)
{
	if (idx == d->base)
		return d->base_term;
	if (idx < d->base || idx > d->base + d->n)
		return 0;
	return d->terms[idx - d->base - 1];
}

/* The index of the last entry (the base when the log is empty). */
static uint64_t last_index(const struct rdur *d)
{
	return d->base + d->n;
}

/* Cuts the log to end at IDX (> base). */
static void log_cut(struct rdur *d, uint64_t idx, struct rvol *v)
{
	while (last_index(d) > idx) {
		d->n--;
		budget_free(d->cmds[d->n]);
		d->cmds[d->n] = NULL;
		v->removed++;
	}
}

/* Appends an entry of TERM with command CMD (copied). 0 or -1. */
static int log_append(struct rdur *d, uint64_t term, const uint8_t *cmd, size_t len)
{
	if (d->n == d->cap) {
		size_t cap = d->cap ? 2 * d->cap : 16;
		uint64_t *t = budget_realloc(d->terms, cap * sizeof *t);
		if (!t)
			return -1;
		d->terms = t;
		uint64_t *h = budget_realloc(d->hashes, cap * sizeof *h);
		if (!h)
			return -1;
		d->hashes = h;
		uint8_t **c = budget_realloc(d->cmds, cap * sizeof *c);
		if (!c)
			return -1;
		d->cmds = c;
		size_t *l = budget_realloc(d->lens, cap * sizeof *l);
		if (!l)
			return -1;
		d->lens = l;
		d->cap = cap;
	}
	uint8_t *copy = budget_malloc(len ? len : 1);
	if (!copy)
		return -1;
	memcpy(copy, cmd, len);
	d->terms[d->n] = term;
	d->hashes[d->n] = raft_hash(cmd, len);
	d->cmds[d->n] = copy;
	d->lens[d->n] = len;
	d->n++;
	return 0;
}

/* Drops entries up to IDX (base < IDX <= last), which becomes the base. */
static void log_drop_prefix(struct rdur *d, uint64_t idx)
{
	size_t k = (size_t)(idx - d->base);
	uint64_t t = term_at(d, idx);
	for (size_t i = 0; i < k; i++)
		budget_free(d->cmds[i]);
	memmove(d->terms, d->terms + k, (d->n - k) * sizeof *d->terms);
	memmove(d->hashes, d->hashes + k, (d->n - k) * sizeof *d->hashes);
	memmove(d->cmds, d->cmds + k, (d->n - k) * sizeof *d->cmds);
	memmove(d->lens, d->lens + k, (d->n - k) * sizeof *d->lens);
	d->n -= k;
	d->base = idx;
	d->base_term = t;
}

/* Frees what the durable area holds (at the end of the simulation). */
static void dur_free(struct rdur *d)
{
	for (size_t i = 0; i < d->n; i++)
		budget_free(d->cmds[i]);
	budget_free(d->terms);
	budget_free(d->hashes);
	budget_free(d->cmds);
	budget_free(d->lens);
	budget_free(d->snap);
	memset(d, 0, sizeof *d);
}

/* Frees what the volatile area holds (at a crash and at the end). */
static void vol_free(struct rvol *v)
{
	rkv_free(&v->kv);
	budget_free(v->next);
	budget_free(v->match);
	budget_free(v->granted);
	budget_free(v->pend);
	memset(v, 0, sizeof *v);
}

/* ---- helpers ---- */

/* Ends the run with WHAT about this node; returns -1 for the caller. */
static int fail(struct sim_ctx *c, const char *what)
{
	sim_abort(c->sim, "n%u (raft): %s", c->node, what);
	return -1;
}

static const uint8_t NIL[1] = {0};

/* Encodes a message with W, sends it to TO. */
static int send_w(struct sim_ctx *c, uint32_t to, struct simw *w)
{
	if (w->failed || !sim_send(c->sim, c->node, to, w->p, w->len)) {
		simw_free(w);
		return fail(c, "cannot send");
	}
	simw_free(w);
	return 0;
}

/* With log_state, writes "raft term=T role=R commit=C" to the trace when
 * any of them changed since the last line (raft_timeline reads them). */
static void note_state(struct sim_ctx *c)
{
	const struct raft_cfg *cfg = c->ud;
	struct rvol *v = c->vol;
	struct rdur *d = c->dur;
	if (!cfg->log_state)
		return;
	if (v->logged_role == (int)v->role + 1 && v->logged_term == d->term &&
	    v->logged_commit == v->commit)
		return;
	static const char *const roles[] = {"follower", "candidate", "leader"};
	char line[128];
	int k = snprintf(line, sizeof line, "raft term=%llu role=%s commit=%llu",
			 (unsigned long long)d->term, roles[v->role], (unsigned long long)v->commit);
	sim_log(c->sim, c->node, line, (size_t)k);
	v->logged_role = (int)v->role + 1;
	v->logged_term = d->term;
	v->logged_commit = v->commit;
}

/* (Re)starts the election timer: uniform in [election, 2 * election). */
static int arm_election(struct sim_ctx *c)
{
	const struct raft_cfg *cfg = c->ud;
	struct rvol *v = c->vol;
	if (v->etimer)
		sim_cancel_timer(c->sim, c->node, v->etimer);
	double t = cfg->election * (1 + rng_uniform(sim_rng(c->sim, c->node)));
	uint8_t tag[2] = {SIMVAL_INT, 2}; /* zigzag(1) = 2 */
	v->etimer = sim_set_timer(c->sim, c->node, t, tag, 2);
	return v->etimer ? 0 : fail(c, "cannot set a timer");
}

/* Sets the heartbeat timer (leaders; candidates re-ask for votes on it). */
static int arm_heartbeat(struct sim_ctx *c)
{
	const struct raft_cfg *cfg = c->ud;
	struct rvol *v = c->vol;
	uint8_t tag[2] = {SIMVAL_INT, 4}; /* zigzag(2) = 4 */
	v->htimer = sim_set_timer(c->sim, c->node, cfg->heartbeat, tag, 2);
	return v->htimer ? 0 : fail(c, "cannot set a timer");
}

/* Steps down: stops heartbeats; a leader forgets its open requests. */
static void become_follower(struct sim_ctx *c)
{
	struct rvol *v = c->vol;
	if (v->role != RAFT_FOLLOWER && v->htimer) {
		sim_cancel_timer(c->sim, c->node, v->htimer);
		v->htimer = 0;
	}
	if (v->role == RAFT_LEADER)
		v->npend = 0; /* open requests time out: they may still commit */
	v->role = RAFT_FOLLOWER;
}

/* A message of a higher term: adopt it, forget the vote, follow (a
 * leader stepping down starts its election timer again). */
static int see_term(struct sim_ctx *c, uint64_t term)
{
	struct rdur *d = c->dur;
	struct rvol *v = c->vol;
	if (term <= d->term)
		return 0;
	d->term = term;
	d->vote = 0;
	v->leader = 0;
	become_follower(c);
	return v->etimer ? 0 : arm_election(c);
}

/* ---- applying ---- */

/* Applies entries up to the commit index, answers the requests waiting
 * on them (if the entry is still the one appended for them), and takes a
 * snapshot when SNAPSHOT_EVERY entries were applied past the last. */
static int apply_committed(struct sim_ctx *c)
{
	const struct raft_cfg *cfg = c->ud;
	struct rvol *v = c->vol;
	struct rdur *d = c->dur;
	struct simw res = SIMW_INIT;
	while (v->applied < v->commit) {
		uint64_t idx = ++v->applied;
		size_t k = (size_t)(idx - d->base - 1);
		simw_reset(&res);
		if (rkv_apply(&v->kv, simv_of(d->cmds[k], d->lens[k]), &res) != 0) {
			simw_free(&res);
			return fail(c, "no memory for the state machine");
		}
		for (size_t i = 0; i < v->npend; i++) {
			if (v->pend[i].index != idx)
				continue;
			if (v->pend[i].term == d->terms[k])
				sim_reply(c->sim, c->node, v->pend[i].req, 1,
					  res.len ? res.p : NULL, res.len);
			v->pend[i] = v->pend[--v->npend];
			i--;
		}
	}
	simw_free(&res);
	if (cfg->snapshot_every && v->applied - d->base >= cfg->snapshot_every) {
		struct simw w = SIMW_INIT;
		rkv_encode(&v->kv, &w);
		if (w.failed) {
			simw_free(&w);
			return fail(c, "no memory for a snapshot");
		}
		budget_free(d->snap);
		d->snap = w.p;
		d->snap_len = w.len;
		log_drop_prefix(d, v->applied);
	}
	return 0;
}

/* ---- leader ---- */

/* InstallSnapshot to TO (§7): the whole snapshot in one message. */
static int send_snapshot(struct sim_ctx *c, uint32_t to)
{
	struct rdur *d = c->dur;
	struct simw w = SIMW_INIT;
	simw_table(&w, 0, 5);
	simw_cstr(&w, "data");
	if (d->snap)
		simw_raw(&w, d->snap, d->snap_len);
	else
		simw_nil(&w);
	simw_kint(&w, "li", (int64_t)d->base);
	simw_kint(&w, "lt", (int64_t)d->base_term);
	simw_kstr(&w, "t", "is");
	simw_kint(&w, "term", (int64_t)d->term);
	return send_w(c, to, &w);
}

/* AppendEntries to TO from its nextIndex, at most BATCH entries (a
 * snapshot instead when that entry was compacted away). */
static int send_append(struct sim_ctx *c, uint32_t to)
{
	const struct raft_cfg *cfg = c->ud;
	struct rvol *v = c->vol;
	struct rdur *d = c->dur;
	uint64_t next = v->next[to - 1];
	if (next <= d->base)
		return send_snapshot(c, to);
	uint64_t last = last_index(d);
	size_t ne = next <= last ? (size_t)(last - next + 1) : 0;
	if (ne > cfg->batch)
		ne = cfg->batch;
	struct simw w = SIMW_INIT;
	simw_table(&w, 0, 6);
	simw_kint(&w, "c", (int64_t)v->commit);
	simw_cstr(&w, "e");
	simw_table(&w, ne, 0);
	for (size_t k = 0; k < ne; k++) {
		size_t at = (size_t)(next - d->base - 1) + k;
		simw_table(&w, 2, 0);
		simw_int(&w, (int64_t)d->terms[at]);
		simw_raw(&w, d->cmds[at], d->lens[at]);
	}
	simw_kint(&w, "pi", (int64_t)(next - 1));
	simw_kint(&w, "pt", (int64_t)term_at(d, next - 1));
	simw_kstr(&w, "t", "ae");
	simw_kint(&w, "term", (int64_t)d->term);
	return send_w(c, to, &w);
}

/* AppendEntries to every other node. */
static int broadcast_append(struct sim_ctx *c)
{
	uint32_t n = sim_nodes(c->sim);
	for (uint32_t p = 1; p <= n; p++)
		if (p != c->node && send_append(c, p) != 0)
			return -1;
	return 0;
}

/* Leader: moves the commit index by the rule of §5.4.2 and applies. */
static int advance_commit(struct sim_ctx *c)
{
	const struct raft_cfg *cfg = c->ud;
	struct rvol *v = c->vol;
	struct rdur *d = c->dur;
	uint32_t n = sim_nodes(c->sim);
	/* the rule works on the entries after base; match indexes are global */
	uint64_t m[SIM_MAX_NODES];
	size_t nf = 0;
	for (uint32_t p = 1; p <= n; p++)
		if (p != c->node)
			m[nf++] = v->match[p - 1] > d->base ? v->match[p - 1] - d->base : 0;
	uint64_t from = v->commit > d->base ? v->commit - d->base : 0;
	uint64_t ci = raft_commit_index(d->terms, d->n, m, nf, d->term, from,
					(cfg->bug & RAFT_BUG_COMMIT) != 0);
	if (ci + d->base > v->commit && ci > from) {
		v->commit = ci + d->base;
		return apply_committed(c);
	}
	return 0;
}

/* Won the election: appends a no-op of its term (§8), resets
 * nextIndex/matchIndex (Figure 2) and heartbeats at once. */
static int become_leader(struct sim_ctx *c)
{
	struct rvol *v = c->vol;
	struct rdur *d = c->dur;
	uint32_t n = sim_nodes(c->sim);
	v->role = RAFT_LEADER;
	v->leader = c->node;
	if (v->etimer) {
		sim_cancel_timer(c->sim, c->node, v->etimer);
		v->etimer = 0;
	}
	if (v->htimer)
		sim_cancel_timer(c->sim, c->node, v->htimer);
	/* §8: a no-op of its own term, so earlier entries commit with it */
	if (log_append(d, d->term, NIL, 1) != 0)
		return fail(c, "no memory for the log");
	for (uint32_t p = 1; p <= n; p++) { /* Figure 2: last log index + 1 */
		v->next[p - 1] = last_index(d) + 1;
		v->match[p - 1] = 0;
	}
	v->match[c->node - 1] = last_index(d);
	if (n == 1 && advance_commit(c) != 0)
		return -1;
	if (broadcast_append(c) != 0)
		return -1;
	return arm_heartbeat(c);
}

/* ---- candidate ---- */

/* RequestVote to TO with the last log index and term (§5.4.1). */
static int send_vote_request(struct sim_ctx *c, uint32_t to)
{
	struct rdur *d = c->dur;
	struct simw w = SIMW_INIT;
	simw_table(&w, 0, 4);
	simw_kint(&w, "li", (int64_t)last_index(d));
	simw_kint(&w, "lt", (int64_t)term_at(d, last_index(d)));
	simw_kstr(&w, "t", "rv");
	simw_kint(&w, "term", (int64_t)d->term);
	return send_w(c, to, &w);
}

/* Election timeout: a new term, a vote for itself, RequestVote to all. */
static int campaign(struct sim_ctx *c)
{
	struct rvol *v = c->vol;
	struct rdur *d = c->dur;
	uint32_t n = sim_nodes(c->sim);
	become_follower(c);
	v->role = RAFT_CANDIDATE;
	v->leader = 0;
	d->term++;
	d->vote = c->node;
	memset(v->granted, 0, n);
	v->granted[c->node - 1] = 1;
	v->votes = 1;
	if (arm_election(c) != 0)
		return -1;
	if (2 * v->votes > n)
		return become_leader(c);
	for (uint32_t p = 1; p <= n; p++)
		if (p != c->node && send_vote_request(c, p) != 0)
			return -1;
	return arm_heartbeat(c); /* asks again those who did not answer */
}

/* ---- handlers ---- */

/* Sends {t = T, term, ok = OK[, K = VAL]} to TO. */
static int reply_w(struct sim_ctx *c, uint32_t to, const char *t, int ok, const char *k,
		   uint64_t val)
{
	struct rdur *d = c->dur;
	struct simw w = SIMW_INIT;
	simw_table(&w, 0, k ? 4 : 3);
	if (k)
		simw_kint(&w, k, (int64_t)val);
	simw_kbool(&w, "ok", ok);
	simw_kstr(&w, "t", t);
	simw_kint(&w, "term", (int64_t)d->term);
	return send_w(c, to, &w);
}

/* RequestVote: one vote per term, to an up-to-date candidate; a vote
 * granted resets the election timer (unless RAFT_BUG_TIMER). */
static int on_vote_request(struct sim_ctx *c, uint32_t from, struct simv m, uint64_t term)
{
	const struct raft_cfg *cfg = c->ud;
	struct rdur *d = c->dur;
	uint64_t li = (uint64_t)simv_getint(m, "li", 0), lt = (uint64_t)simv_getint(m, "lt", 0);
	int grant = term == d->term && (d->vote == 0 || d->vote == from) &&
		    raft_up_to_date(term_at(d, last_index(d)), last_index(d), lt, li);
	if (grant) {
		d->vote = from;
		if (!(cfg->bug & RAFT_BUG_TIMER) && arm_election(c) != 0)
			return -1;
	}
	return reply_w(c, from, "rvr", grant, NULL, 0);
}

/* A vote: a majority makes the candidate leader. */
static int on_vote(struct sim_ctx *c, uint32_t from, struct simv m, uint64_t term)
{
	struct rvol *v = c->vol;
	struct rdur *d = c->dur;
	struct simv ok;
	if (v->role != RAFT_CANDIDATE || term != d->term || simv_get(m, "ok", &ok) != 0 ||
	    simv_tag(ok) != SIMVAL_TRUE || v->granted[from - 1])
		return 0;
	v->granted[from - 1] = 1;
	v->votes++;
	if (2 * v->votes > sim_nodes(c->sim))
		return become_leader(c);
	return 0;
}

/* Reads the entries' terms of an AppendEntries into T (NE of them). */
static int entry_terms(struct simv e, size_t ne, uint64_t *t)
{
	for (size_t k = 0; k < ne; k++) {
		struct simv x, tv;
		int64_t term;
		if (simv_at(e, k + 1, &x) != 0 || simv_at(x, 1, &tv) != 0 ||
		    simv_int(tv, &term) != 0)
			return -1;
		t[k] = (uint64_t)term;
	}
	return 0;
}

/* AppendEntries (§5.3): the consistency check, conflicting entries cut,
 * new ones appended, the commit index followed; answers m = the index of
 * the last entry sent, or a refusal with h = where to retry. */
static int on_append(struct sim_ctx *c, uint32_t from, struct simv m, uint64_t term)
{
	const struct raft_cfg *cfg = c->ud;
	struct rvol *v = c->vol;
	struct rdur *d = c->dur;
	if (term < d->term)
		return reply_w(c, from, "aer", 0, "h", 0);
	if (v->role != RAFT_FOLLOWER)
		become_follower(c);
	v->leader = from;
	if (arm_election(c) != 0)
		return -1;
	uint64_t pi = (uint64_t)simv_getint(m, "pi", 0), pt = (uint64_t)simv_getint(m, "pt", 0);
	uint64_t lc = (uint64_t)simv_getint(m, "c", 0);
	struct simv e;
	size_t ne = 0, nm;
	if (simv_get(m, "e", &e) != 0 || simv_table(e, &ne, &nm) != 0)
		return fail(c, "an AppendEntries without entries");
	uint64_t *t = budget_malloc((ne ? ne : 1) * sizeof *t);
	if (!t)
		return fail(c, "no memory");
	if (entry_terms(e, ne, t) != 0) {
		budget_free(t);
		return fail(c, "an AppendEntries with a malformed entry");
	}
	uint64_t last = last_index(d);
	/* the bug: an entry at prevLogIndex is enough, whatever its term */
	int check_term = !(cfg->bug & RAFT_BUG_CHECK);
	if (pi > last || (check_term && pi >= d->base && term_at(d, pi) != pt)) {
		budget_free(t);
		v->rejects++;
		uint64_t hint = pi > last ? last + 1 : pi;
		return reply_w(c, from, "aer", 0, "h", hint);
	}
	/* entries at or below the snapshot are committed: skip them */
	size_t skip = pi < d->base ? (size_t)(d->base - pi) : 0;
	if (skip > ne)
		skip = ne;
	uint64_t start = pi + skip;
	uint64_t first = raft_first_new(d->terms, d->n, start - d->base, t + skip, ne - skip);
	if (first) {
		uint64_t at = first + d->base; /* global index of the first new entry */
		if (at <= last_index(d))
			log_cut(d, at - 1, v);
		for (uint64_t idx = at; idx <= pi + ne; idx++) {
			struct simv x, cmd;
			simv_at(e, (size_t)(idx - pi), &x);
			if (simv_at(x, 2, &cmd) != 0 || log_append(d, t[idx - pi - 1], cmd.p, cmd.len)) {
				budget_free(t);
				return fail(c, "no memory for the log");
			}
			v->added++;
		}
	}
	budget_free(t);
	uint64_t newest = pi + ne;
	if (lc > v->commit) {
		uint64_t nc = lc < newest ? lc : newest;
		if (nc > last_index(d))
			nc = last_index(d);
		if (nc > v->commit) {
			v->commit = nc;
			if (apply_committed(c) != 0)
				return -1;
		}
	}
	return reply_w(c, from, "aer", 1, "m", newest);
}

/* Leader: a follower's answer moves matchIndex/nextIndex (by one, or to
 * its hint) and perhaps the commit index; sends what is still missing. */
static int on_append_reply(struct sim_ctx *c, uint32_t from, struct simv m, uint64_t term)
{
	const struct raft_cfg *cfg = c->ud;
	struct rvol *v = c->vol;
	struct rdur *d = c->dur;
	if (v->role != RAFT_LEADER || term != d->term)
		return 0;
	struct simv ok;
	if (simv_get(m, "ok", &ok) == 0 && simv_tag(ok) == SIMVAL_TRUE) {
		uint64_t mi = (uint64_t)simv_getint(m, "m", 0);
		if (mi > last_index(d))
			mi = last_index(d);
		if (mi > v->match[from - 1])
			v->match[from - 1] = mi;
		if (v->next[from - 1] < v->match[from - 1] + 1)
			v->next[from - 1] = v->match[from - 1] + 1;
		if (advance_commit(c) != 0)
			return -1;
		if (v->role == RAFT_LEADER && v->next[from - 1] <= last_index(d))
			return send_append(c, from);
		return 0;
	}
	uint64_t hint = (uint64_t)simv_getint(m, "h", 0);
	uint64_t next = v->next[from - 1] > 1 ? v->next[from - 1] - 1 : 1;
	if (!cfg->backup_one && hint && hint < next)
		next = hint;
	if (next <= v->match[from - 1])
		next = v->match[from - 1] + 1;
	v->next[from - 1] = next;
	return send_append(c, from);
}

/* InstallSnapshot (§7): replaces the state machine; keeps the entries
 * after the snapshot if the log agrees at its last index, else drops all. */
static int on_snapshot(struct sim_ctx *c, uint32_t from, struct simv m, uint64_t term)
{
	struct rvol *v = c->vol;
	struct rdur *d = c->dur;
	if (term < d->term)
		return reply_w(c, from, "isr", 0, "m", 0);
	if (v->role != RAFT_FOLLOWER)
		become_follower(c);
	v->leader = from;
	if (arm_election(c) != 0)
		return -1;
	uint64_t li = (uint64_t)simv_getint(m, "li", 0), lt = (uint64_t)simv_getint(m, "lt", 0);
	struct simv data;
	if (li > v->commit && li > d->base && simv_get(m, "data", &data) == 0) {
		struct rkv kv = {0};
		if (rkv_decode(&kv, data) != 0) {
			rkv_free(&kv);
			return fail(c, "a malformed snapshot");
		}
		uint8_t *copy = budget_malloc(data.len);
		if (!copy) {
			rkv_free(&kv);
			return fail(c, "no memory for a snapshot");
		}
		memcpy(copy, data.p, data.len);
		if (li <= last_index(d) && term_at(d, li) == lt) {
			log_drop_prefix(d, li); /* §7: keep what follows */
		} else {
			log_cut(d, d->base, v);
			d->base = li;
			d->base_term = lt;
		}
		budget_free(d->snap);
		d->snap = copy;
		d->snap_len = data.len;
		rkv_free(&v->kv);
		v->kv = kv;
		v->commit = v->applied = li;
	}
	return reply_w(c, from, "isr", 1, "m", li);
}

/* Any message: a higher term first makes the node a follower of it;
 * messages without a term are not Raft's and are ignored. */
static int rf_receive(struct sim_ctx *c, uint32_t from, const uint8_t *msg, size_t len)
{
	struct rvol *v = c->vol;
	struct simv m = simv_of(msg, len);
	int64_t term;
	struct simv tv;
	if (simv_get(m, "term", &tv) != 0 || simv_int(tv, &term) != 0 || term < 0)
		return 0; /* not ours */
	v->dirty = 1;
	int r = see_term(c, (uint64_t)term);
	if (r)
		return r;
	struct simv kind;
	if (simv_get(m, "t", &kind) != 0)
		r = 0;
	else if (simv_is(kind, "rv"))
		r = on_vote_request(c, from, m, (uint64_t)term);
	else if (simv_is(kind, "rvr"))
		r = on_vote(c, from, m, (uint64_t)term);
	else if (simv_is(kind, "ae"))
		r = on_append(c, from, m, (uint64_t)term);
	else if (simv_is(kind, "aer"))
		r = on_append_reply(c, from, m, (uint64_t)term);
	else if (simv_is(kind, "is"))
		r = on_snapshot(c, from, m, (uint64_t)term);
	else if (simv_is(kind, "isr")) {
		struct rdur *d = c->dur;
		uint64_t mi = (uint64_t)simv_getint(m, "m", 0);
		if (v->role == RAFT_LEADER && (uint64_t)term == d->term && mi <= last_index(d) &&
		    mi > v->match[from - 1]) {
			v->match[from - 1] = mi;
			v->next[from - 1] = mi + 1;
			r = send_append(c, from);
		}
	}
	note_state(c);
	return r;
}

/* Timers: 1 election, 2 heartbeat; a stale timer (not the current id)
 * is ignored. */
static int rf_timer(struct sim_ctx *c, uint64_t id, const uint8_t *tag, size_t len)
{
	struct rvol *v = c->vol;
	int64_t k = 0;
	simv_int(simv_of(tag, len), &k);
	v->dirty = 1;
	int r = 0;
	if (k == 1 && id == v->etimer) {
		v->etimer = 0;
		if (v->role != RAFT_LEADER)
			r = campaign(c);
	} else if (k == 2 && id == v->htimer) {
		v->htimer = 0;
		if (v->role == RAFT_LEADER) {
			r = broadcast_append(c);
			if (!r)
				r = arm_heartbeat(c);
		} else if (v->role == RAFT_CANDIDATE) {
			uint32_t n = sim_nodes(c->sim);
			for (uint32_t p = 1; p <= n && !r; p++)
				if (!v->granted[p - 1])
					r = send_vote_request(c, p);
			if (!r)
				r = arm_heartbeat(c);
		}
	}
	note_state(c);
	return r;
}

/* A definite failure for a client: {error = WHY[, leader = id]}. */
static int refuse(struct sim_ctx *c, uint64_t req, const char *why, uint32_t leader)
{
	struct simw w = SIMW_INIT;
	simw_table(&w, 0, leader ? 2 : 1);
	simw_kstr(&w, "error", why);
	if (leader)
		simw_kint(&w, "leader", leader);
	int r = w.failed ? -1 : sim_reply(c->sim, c->node, req, 0, w.p, w.len);
	simw_free(&w);
	return r < 0 ? fail(c, "cannot reply") : 0;
}

/* A client operation: a leader appends it and answers once applied. */
static int rf_request(struct sim_ctx *c, uint64_t req, const uint8_t *op, size_t len)
{
	struct rvol *v = c->vol;
	struct rdur *d = c->dur;
	v->dirty = 1;
	if (v->role != RAFT_LEADER)
		return refuse(c, req, "not leader", v->leader);
	const char *why = rkv_valid(simv_of(op, len));
	if (why)
		return refuse(c, req, why, 0);
	if (log_append(d, d->term, op, len) != 0)
		return fail(c, "no memory for the log");
	struct rpend *p = budget_realloc(v->pend, (v->npend + 1) * sizeof *p);
	if (!p)
		return fail(c, "no memory");
	v->pend = p;
	v->pend[v->npend++] = (struct rpend){last_index(d), d->term, req};
	v->match[c->node - 1] = last_index(d);
	if (sim_nodes(c->sim) == 1)
		return advance_commit(c);
	return broadcast_append(c);
}

/* Start or restart: rebuilds the volatile state from the snapshot (the
 * log replays as the commit index comes back). */
static int rf_start(struct sim_ctx *c, int restart)
{
	const struct raft_cfg *cfg = c->ud;
	struct rvol *v = c->vol;
	struct rdur *d = c->dur;
	uint32_t n = sim_nodes(c->sim);
	v->next = budget_calloc(n, sizeof *v->next);
	v->match = budget_calloc(n, sizeof *v->match);
	v->granted = budget_calloc(n, 1);
	if (!v->next || !v->match || !v->granted)
		return fail(c, "no memory");
	v->dirty = 1;
	if (!restart && cfg->pre_n) {
		const uint64_t *pre = cfg->pre_log ? cfg->pre_log
						   : (const uint64_t *)(const void *)(cfg + 1);
		d->term = cfg->pre_term;
		for (size_t i = 0; i < cfg->pre_n; i++)
			if (log_append(d, pre[i], NIL, 1) != 0)
				return fail(c, "no memory");
	} else if (!restart) {
		d->term = cfg->pre_term;
	}
	if (restart && (cfg->bug & RAFT_BUG_VOTE))
		d->vote = 0; /* the bug: votedFor was never written to disk */
	if (d->snap && rkv_decode(&v->kv, simv_of(d->snap, d->snap_len)) != 0)
		return fail(c, "a malformed snapshot on disk");
	v->commit = v->applied = d->base;
	v->role = RAFT_FOLLOWER;
	if (!restart && cfg->campaign) {
		int r = campaign(c);
		note_state(c);
		return r;
	}
	int r = arm_election(c);
	note_state(c);
	return r;
}

static void rf_crash(struct sim_ctx *c)
{
	vol_free(c->vol);
}

static void rf_destroy(struct sim_ctx *c)
{
	if (c->vol)
		vol_free(c->vol);
	if (c->dur)
		dur_free(c->dur);
}

const struct sim_behaviour raft_behaviour = {
	.name = "raft",
	.vol_size = sizeof(struct rvol),
	.dur_size = sizeof(struct rdur),
	.start = rf_start,
	.receive = rf_receive,
	.timer = rf_timer,
	.request = rf_request,
	.crash = rf_crash,
	.destroy = rf_destroy,
};

/* ---- looking inside ---- */

int raft_info(struct sim *s, uint32_t node, struct raft_info *out)
{
	memset(out, 0, sizeof *out);
	if (node < 1 || node > sim_nodes(s) || sim_behaviour_of(s, node) != &raft_behaviour)
		return -1;
	struct sim_ctx c = sim_ctx_of(s, node);
	struct rdur *d = c.dur;
	struct rvol *v = c.vol;
	out->up = sim_up(s, node);
	out->term = d->term;
	out->vote = d->vote;
	out->base = d->base;
	out->base_term = d->base_term;
	out->n = d->n;
	out->terms = d->terms;
	out->hashes = d->hashes;
	if (out->up) {
		out->role = v->role;
		out->commit = v->commit;
		out->applied = v->applied;
		out->leader = v->leader;
		out->rejects = v->rejects;
		out->removed = v->removed;
		out->added = v->added;
		out->keys = v->kv.n;
	}
	return 0;
}

int raft_get(struct sim *s, uint32_t node, const char *key, size_t kl, const char **val,
	     size_t *vl)
{
	if (node < 1 || node > sim_nodes(s) || sim_behaviour_of(s, node) != &raft_behaviour ||
	    !sim_up(s, node))
		return 0;
	struct rvol *v = sim_ctx_of(s, node).vol;
	return rkv_get(&v->kv, key, kl, val, vl);
}

const uint8_t *raft_entry(struct sim *s, uint32_t node, uint64_t idx, size_t *len)
{
	if (node < 1 || node > sim_nodes(s) || sim_behaviour_of(s, node) != &raft_behaviour)
		return NULL;
	struct rdur *d = sim_ctx_of(s, node).dur;
	if (idx <= d->base || idx > last_index(d))
		return NULL;
	*len = d->lens[idx - d->base - 1];
	return d->cmds[idx - d->base - 1];
}

int raft_take_dirty(struct sim *s, uint32_t node)
{
	struct rvol *v = sim_ctx_of(s, node).vol;
	int d = v->dirty;
	v->dirty = 0;
	return d;
}
