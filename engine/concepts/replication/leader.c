/*
 * leader.c — single-leader replication as a lab.sim behaviour; see
 * replication.h.
 *
 * Messages: {t = "append", e = epoch, from = i, entries = {{key, value,
 * epoch, at}, ...}} from the leader (entries i, i+1, ...; none: a
 * heartbeat), {t = "ack", e = epoch, upto = i} from a follower that holds
 * every entry up to i. Timers: {"resend", 0} on the leader, {"apply", i}
 * on a slow follower.
 */
#include "engine/concepts/replication/rep_int.h"
#include "engine/base/budget.h"

#include <string.h>

#define BATCH 32

struct lentry {
	char *key, *value;
	size_t kl, vl;
	uint64_t epoch;
	int64_t at;       /* when the leader appended it (ns) */
	int present, ready, applied;
};

struct ldur {             /* the disk: survives a crash */
	struct lentry *log;   /* log[i - 1] is entry i */
	size_t len, cap;
	struct kvtab kv;
	int64_t applied;      /* ordered: entries 1..applied applied */
	uint64_t epoch;
	int leader;
	int64_t max_wait;     /* longest append-to-apply (ns) */
};

struct lvol {
	int64_t *pos;         /* leader: each follower's acknowledged prefix */
	struct {
		uint64_t req;
		int64_t index;
	} *pend;
	size_t npend;
};

static void free_entry(struct lentry *e)
{
	budget_free(e->key);
	budget_free(e->value);
	memset(e, 0, sizeof *e);
}

static void l_crash(struct sim_ctx *c)
{
	struct lvol *v = c->vol;
	budget_free(v->pos);
	budget_free(v->pend);
	memset(v, 0, sizeof *v);
}

static void l_destroy(struct sim_ctx *c)
{
	struct ldur *d = c->dur;
	l_crash(c);
	for (size_t i = 0; i < d->len; i++)
		free_entry(&d->log[i]);
	budget_free(d->log);
	kv_free(&d->kv);
	memset(d, 0, sizeof *d);
}

static int oom(struct sim_ctx *c)
{
	sim_abort(c->sim, "n%u (leader): not enough memory", c->node);
	return -1;
}

/* The highest i with entries 1..i all present. */
static int64_t contig(const struct ldur *d)
{
	int64_t i = 0;
	while ((size_t)i < d->len && d->log[i].present)
		i++;
	return i;
}

static int grow(struct ldur *d, size_t want)
{
	if (want <= d->cap)
		return 0;
	size_t cap = d->cap ? d->cap : 64;
	while (cap < want)
		cap *= 2;
	struct lentry *x = budget_realloc(d->log, cap * sizeof *x);
	if (!x)
		return -1;
	memset(x + d->cap, 0, (cap - d->cap) * sizeof *x);
	d->log = x;
	d->cap = cap;
	return 0;
}

static void truncate_log(struct ldur *d, size_t len)
{
	for (size_t i = len; i < d->len; i++)
		free_entry(&d->log[i]);
	if (d->len > len)
		d->len = len;
	if (d->applied > (int64_t)len)
		d->applied = (int64_t)len;
}

static int store(struct ldur *d, size_t idx, const char *k, size_t kl, const char *val, size_t vl,
		 uint64_t epoch, int64_t at)
{
	if (grow(d, idx) != 0)
		return -1;
	struct lentry *e = &d->log[idx - 1];
	free_entry(e);
	e->key = budget_malloc(kl + 1);
	e->value = budget_malloc(vl + 1);
	if (!e->key || !e->value) {
		free_entry(e);
		return -1;
	}
	memcpy(e->key, k, kl);
	e->key[kl] = '\0';
	memcpy(e->value, val, vl);
	e->value[vl] = '\0';
	e->kl = kl;
	e->vl = vl;
	e->epoch = epoch;
	e->at = at;
	e->present = 1;
	if (idx > d->len)
		d->len = idx;
	return 0;
}

/* Applies what is ready: in log order, or (unordered) each ready entry. */
static int apply(struct sim_ctx *c)
{
	const struct leader_cfg *cfg = c->ud;
	struct ldur *d = c->dur;
	int64_t now = sim_now_ns(c->sim);
	for (size_t i = 0; i < d->len; i++) {
		struct lentry *e = &d->log[i];
		if (cfg->ordered && (int64_t)i != d->applied)
			continue;
		if (!e->present || !e->ready || e->applied) {
			if (cfg->ordered)
				break;
			continue;
		}
		if (kv_put(&d->kv, e->key, e->kl, e->value, e->vl, (struct version){(double)(i + 1), 0},
			   0) < 0)
			return oom(c);
		e->applied = 1;
		if (cfg->ordered)
			d->applied = (int64_t)i + 1;
		else
			d->applied++;
		if (now - e->at > d->max_wait)
			d->max_wait = now - e->at;
	}
	return 0;
}

static int is_slow(const struct leader_cfg *cfg, uint32_t node)
{
	return cfg->apply_delay > 0 && (cfg->slow == 0 || cfg->slow == node);
}

/* Sends entries FROM..FROM+BATCH-1 (those the leader has) to F. */
static int send_from(struct sim_ctx *c, uint32_t f, int64_t from)
{
	struct ldur *d = c->dur;
	int64_t last = from + BATCH - 1 < (int64_t)d->len ? from + BATCH - 1 : (int64_t)d->len;
	size_t k = last >= from ? (size_t)(last - from + 1) : 0;
	struct simw w = SIMW_INIT;
	simw_table(&w, 0, 4);
	simw_kint(&w, "e", (int64_t)d->epoch);
	simw_cstr(&w, "entries");
	simw_table(&w, k, 0);
	for (int64_t i = from; i <= last; i++) {
		const struct lentry *e = &d->log[i - 1];
		simw_table(&w, 4, 0);
		simw_str(&w, e->key, e->kl);
		simw_str(&w, e->value, e->vl);
		simw_int(&w, (int64_t)e->epoch);
		simw_int(&w, e->at);
	}
	simw_kint(&w, "from", from);
	simw_kstr(&w, "t", "append");
	return rep_send(c->sim, c->node, f, &w);
}

static int commit(struct sim_ctx *c)
{
	const struct leader_cfg *cfg = c->ud;
	struct lvol *v = c->vol;
	uint32_t n = sim_nodes(c->sim);
	size_t k = 0;
	for (size_t i = 0; i < v->npend; i++) {
		uint32_t have = 0;
		for (uint32_t f = 1; f <= n; f++)
			have += f != c->node && v->pos[f] >= v->pend[i].index;
		uint32_t need = cfg->mode == REPL_SYNC ? n - 1 : 1;
		if (have >= need) {
			struct version ver = {(double)v->pend[i].index, 0};
			if (rep_reply(c->sim, c->node, v->pend[i].req, 1, NULL, &ver, NULL, 1) != 0)
				return -1;
		} else {
			v->pend[k++] = v->pend[i];
		}
	}
	v->npend = k;
	return 0;
}

static int resend(struct sim_ctx *c)
{
	const struct leader_cfg *cfg = c->ud;
	struct ldur *d = c->dur;
	struct lvol *v = c->vol;
	if (!d->leader)
		return 0;
	for (uint32_t f = 1; f <= sim_nodes(c->sim); f++)
		if (f != c->node && send_from(c, f, v->pos[f] + 1) != 0)
			return -1;
	return rep_timer(c->sim, c->node, cfg->resend, "resend", 0);
}

static int l_start(struct sim_ctx *c, int restart)
{
	struct ldur *d = c->dur;
	struct lvol *v = c->vol;
	if (!(v->pos = budget_calloc(sim_nodes(c->sim) + 1, sizeof *v->pos)))
		return oom(c);
	if (!restart && c->node == 1 && d->epoch == 0) {
		d->leader = 1;
		d->epoch = 1;
	}
	return d->leader ? resend(c) : 0;
}

static int write(struct sim_ctx *c, uint64_t req, struct simv op)
{
	const struct leader_cfg *cfg = c->ud;
	struct ldur *d = c->dur;
	struct lvol *v = c->vol;
	const char *k, *val;
	size_t kl, vl;
	if (field_str(op, "key", &k, &kl) != 0 || field_str(op, "value", &val, &vl) != 0)
		return rep_reply(c->sim, c->node, req, 0, "a write needs a key and a string value",
				  NULL, NULL, 1);
	size_t idx = d->len + 1;
	if (store(d, idx, k, kl, val, vl, d->epoch, sim_now_ns(c->sim)) != 0 ||
	    kv_put(&d->kv, k, kl, val, vl, (struct version){(double)idx, 0}, 0) < 0)
		return oom(c);
	d->log[idx - 1].ready = d->log[idx - 1].applied = 1;
	d->applied = (int64_t)idx;
	/* streamed at once to every follower; gaps are filled by the resends */
	for (uint32_t f = 1; f <= sim_nodes(c->sim); f++)
		if (f != c->node && send_from(c, f, (int64_t)idx) != 0)
			return -1;
	if (cfg->mode == REPL_ASYNC || sim_nodes(c->sim) == 1) {
		struct version ver = {(double)idx, 0};
		return rep_reply(c->sim, c->node, req, 1, NULL, &ver, NULL, 1);
	}
	void *x = budget_realloc(v->pend, (v->npend + 1) * sizeof *v->pend);
	if (!x)
		return oom(c);
	v->pend = x;
	v->pend[v->npend].req = req;
	v->pend[v->npend++].index = (int64_t)idx;
	return commit(c);
}

static int l_request(struct sim_ctx *c, uint64_t req, const uint8_t *op, size_t len)
{
	struct ldur *d = c->dur;
	struct simv o = simv_of(op, len), f;
	if (simv_get(o, "f", &f) != 0)
		return rep_reply(c->sim, c->node, req, 0, "an operation needs f", NULL, NULL, 1);
	if (simv_is(f, "read"))
		return kv_reply_read(c->sim, c->node, req, o, &d->kv, 1);
	if (simv_is(f, "write")) {
		if (!d->leader)
			return rep_reply(c->sim, c->node, req, 0, "not the leader", NULL, NULL, 1);
		return write(c, req, o);
	}
	return rep_reply(c->sim, c->node, req, 0, "unknown operation", NULL, NULL, 1);
}

static int append(struct sim_ctx *c, uint32_t from, struct simv m)
{
	const struct leader_cfg *cfg = c->ud;
	struct ldur *d = c->dur;
	uint64_t e = (uint64_t)simv_getint(m, "e", 0);
	int64_t first = simv_getint(m, "from", 1);
	if (e < d->epoch || first < 1)
		return 0;
	if (e > d->epoch) { /* a new leader: what we hold beyond its start is not its */
		d->epoch = e;
		d->leader = 0;
		truncate_log(d, (size_t)first - 1);
	}
	struct simv entries, x, f[4];
	if (simv_get(m, "entries", &entries) != 0)
		return 0;
	for (size_t j = 1; simv_at(entries, j, &x) == 0; j++) {
		size_t idx = (size_t)first + j - 1;
		if (idx <= d->len && d->log[idx - 1].present)
			continue;
		const char *k, *val;
		size_t kl, vl;
		int64_t ep, at;
		for (int q = 0; q < 4; q++)
			if (simv_at(x, (size_t)q + 1, &f[q]) != 0)
				return 0;
		if (simv_str(f[0], &k, &kl) != 0 || simv_str(f[1], &val, &vl) != 0 ||
		    simv_int(f[2], &ep) != 0 || simv_int(f[3], &at) != 0)
			return 0;
		if (store(d, idx, k, kl, val, vl, (uint64_t)ep, at) != 0)
			return oom(c);
		if (is_slow(cfg, c->node)) {
			if (rep_timer(c->sim, c->node, cfg->apply_delay, "apply", (int64_t)idx) != 0)
				return -1;
		} else {
			d->log[idx - 1].ready = 1;
		}
	}
	if (apply(c) != 0)
		return -1;
	struct simw w = SIMW_INIT;
	simw_table(&w, 0, 3);
	simw_kint(&w, "e", (int64_t)d->epoch);
	simw_kstr(&w, "t", "ack");
	simw_kint(&w, "upto", contig(d));
	return rep_send(c->sim, c->node, from, &w);
}

static int l_receive(struct sim_ctx *c, uint32_t from, const uint8_t *msg, size_t len)
{
	struct ldur *d = c->dur;
	struct lvol *v = c->vol;
	struct simv m = simv_of(msg, len), t;
	if (simv_get(m, "t", &t) != 0)
		return 0;
	if (simv_is(t, "append"))
		return append(c, from, m);
	if (simv_is(t, "ack") && d->leader && (uint64_t)simv_getint(m, "e", 0) == d->epoch) {
		int64_t upto = simv_getint(m, "upto", 0);
		if (upto > v->pos[from])
			v->pos[from] = upto;
		return commit(c);
	}
	return 0;
}

static int l_timer(struct sim_ctx *c, uint64_t id, const uint8_t *tag, size_t len)
{
	struct ldur *d = c->dur;
	struct simv t = simv_of(tag, len), a, b;
	int64_t idx;
	if (simv_at(t, 1, &a) != 0 || simv_at(t, 2, &b) != 0 || simv_int(b, &idx) != 0)
		return 0;
	if (simv_is(a, "resend"))
		return resend(c);
	if (simv_is(a, "apply") && idx >= 1 && (size_t)idx <= d->len) {
		d->log[idx - 1].ready = 1;
		return apply(c);
	}
	return 0;
}

const struct sim_behaviour leader_behaviour = {
	.name = "leader",
	.vol_size = sizeof(struct lvol),
	.dur_size = sizeof(struct ldur),
	.start = l_start,
	.receive = l_receive,
	.timer = l_timer,
	.request = l_request,
	.crash = l_crash,
	.destroy = l_destroy,
};

int leader_promote(struct sim *s, uint32_t node)
{
	if (sim_behaviour_of(s, node) != &leader_behaviour || !sim_up(s, node))
		return -1;
	uint64_t epoch = 0;
	for (uint32_t i = 1; i <= sim_nodes(s); i++)
		if (sim_behaviour_of(s, i) == &leader_behaviour) {
			struct ldur *x = sim_ctx_of(s, i).dur;
			if (x->epoch > epoch)
				epoch = x->epoch;
			x->leader = 0;
		}
	struct sim_ctx c = sim_ctx_of(s, node);
	struct ldur *d = c.dur;
	struct lvol *v = c.vol;
	truncate_log(d, (size_t)contig(d)); /* its log is what it holds without gaps */
	d->leader = 1;
	d->epoch = epoch + 1;
	for (uint32_t i = 0; i <= sim_nodes(s); i++)
		v->pos[i] = 0;
	return resend(&c);
}

int64_t leader_log_len(struct sim *s, uint32_t node, int64_t *applied)
{
	if (sim_behaviour_of(s, node) != &leader_behaviour)
		return -1;
	struct ldur *d = sim_ctx_of(s, node).dur;
	*applied = d->applied;
	return contig(d);
}

int leader_log_has(struct sim *s, uint32_t node, const char *key, size_t kl, const char *value,
		   size_t vl)
{
	if (sim_behaviour_of(s, node) != &leader_behaviour)
		return 0;
	struct ldur *d = sim_ctx_of(s, node).dur;
	for (size_t i = 0; i < d->len; i++) {
		const struct lentry *e = &d->log[i];
		if (e->present && e->kl == kl && e->vl == vl && memcmp(e->key, key, kl) == 0 &&
		    memcmp(e->value, value, vl) == 0)
			return 1;
	}
	return 0;
}

int64_t leader_max_wait(struct sim *s, uint32_t node);
int64_t leader_max_wait(struct sim *s, uint32_t node)
{
	if (sim_behaviour_of(s, node) != &leader_behaviour)
		return 0;
	return ((struct ldur *)sim_ctx_of(s, node).dur)->max_wait;
}
