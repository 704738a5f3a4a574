/*
 * quorum.c — leaderless replication with quorums, read repair, sloppy
 * quorums and hinted handoff, as a lab.sim behaviour; see replication.h.
 *
 * Messages: {t = "put", op, key, value, v = {ts, by}[, hint = node]},
 * {t = "putok", op, key, v}, {t = "get", op, key}, {t = "got", op[, value],
 * v}. Any node coordinates the requests it gets. Timers: {"deadline", op},
 * {"handoff", 0}.
 */
#include "engine/concepts/replication/rep_int.h"
#include "engine/concepts/hash/chash.h"
#include "engine/base/budget.h"

#include <string.h>

struct hint {
	uint32_t to;
	char *key, *value;
	size_t kl, vl;
	struct version v;
};

struct qdur {
	struct kvtab store;
	struct hint *hints;
	size_t nhints;
	uint64_t repairs, hinted, handoffs;
};

struct reply {
	uint32_t node;
	struct version v;
};

struct qop {
	uint64_t id, req;
	int write, replied, fell_back, rounds;
	char *key, *value;      /* value: the write's, or the best read */
	size_t kl, vl;
	struct version v;       /* the write's, or the best read (major -1: none) */
	uint32_t acks;
	struct reply *rep;
	size_t nrep;
};

struct qvol {
	struct qop *ops;
	size_t nops;
	uint64_t next;
};

static int oom(struct sim_ctx *c)
{
	sim_abort(c->sim, "n%u (quorum): not enough memory", c->node);
	return -1;
}

static void free_op(struct qop *o)
{
	budget_free(o->key);
	budget_free(o->value);
	budget_free(o->rep);
}

static void q_crash(struct sim_ctx *c)
{
	struct qvol *v = c->vol;
	for (size_t i = 0; i < v->nops; i++)
		free_op(&v->ops[i]);
	budget_free(v->ops);
	memset(v, 0, sizeof *v);
}

static void q_destroy(struct sim_ctx *c)
{
	struct qdur *d = c->dur;
	q_crash(c);
	kv_free(&d->store);
	for (size_t i = 0; i < d->nhints; i++) {
		budget_free(d->hints[i].key);
		budget_free(d->hints[i].value);
	}
	budget_free(d->hints);
	memset(d, 0, sizeof *d);
}

/* The I-th node (0-based) of KEY's walk around the ring of N nodes: the
 * first n of them are its preference list, the rest its fallbacks. */
static uint32_t ring_node(const char *k, size_t kl, uint32_t nodes, uint32_t i)
{
	uint64_t h = chash_hash64(k, kl);
	return 1 + (uint32_t)((h % nodes + i) % nodes);
}

static struct qop *find_op(struct qvol *v, uint64_t id)
{
	for (size_t i = 0; i < v->nops; i++)
		if (v->ops[i].id == id)
			return &v->ops[i];
	return NULL;
}

static void drop_op(struct qvol *v, struct qop *o)
{
	free_op(o);
	*o = v->ops[--v->nops];
}

static int put_msg(struct sim_ctx *c, uint32_t to, uint64_t op, const char *k, size_t kl,
		   const char *val, size_t vl, struct version ver, uint32_t hint)
{
	struct simw w = SIMW_INIT;
	simw_table(&w, 0, 5 + (hint != 0));
	if (hint)
		simw_kint(&w, "hint", hint);
	simw_cstr(&w, "key");
	simw_str(&w, k, kl);
	simw_kint(&w, "op", (int64_t)op);
	simw_kstr(&w, "t", "put");
	simw_cstr(&w, "v");
	version_write(&w, ver, 0);
	simw_cstr(&w, "value");
	simw_str(&w, val, vl);
	return rep_send(c->sim, c->node, to, &w);
}

static int ask(struct sim_ctx *c, struct qop *o, uint32_t to, uint32_t hint)
{
	if (o->write)
		return put_msg(c, to, o->id, o->key, o->kl, o->value, o->vl, o->v, hint);
	struct simw w = SIMW_INIT;
	simw_table(&w, 0, 3);
	simw_cstr(&w, "key");
	simw_str(&w, o->key, o->kl);
	simw_kint(&w, "op", (int64_t)o->id);
	simw_kstr(&w, "t", "get");
	return rep_send(c->sim, c->node, to, &w);
}

static int begin(struct sim_ctx *c, uint64_t req, struct simv op, int write)
{
	const struct quorum_cfg *cfg = c->ud;
	struct qvol *v = c->vol;
	const char *k, *val = "";
	size_t kl, vl = 0;
	if (field_str(op, "key", &k, &kl) != 0 || (write && field_str(op, "value", &val, &vl) != 0))
		return rep_reply(c->sim, c->node, req, 0, "needs a key (and a string value)", NULL,
				  NULL, 0);
	struct qop *x = budget_realloc(v->ops, (v->nops + 1) * sizeof *x);
	if (!x)
		return oom(c);
	v->ops = x;
	struct qop *o = &v->ops[v->nops];
	memset(o, 0, sizeof *o);
	o->id = ++v->next;
	o->req = req;
	o->write = write;
	o->key = budget_malloc(kl + 1);
	o->value = budget_malloc(vl + 1);
	if (!o->key || !o->value) {
		free_op(o);
		return oom(c);
	}
	v->nops++;
	memcpy(o->key, k, kl);
	memcpy(o->value, val, vl);
	o->kl = kl;
	o->vl = vl;
	o->v = write ? (struct version){sim_local_time(c->sim, c->node), c->node}
		     : (struct version){-1, 0};
	uint32_t n = cfg->n < sim_nodes(c->sim) ? cfg->n : sim_nodes(c->sim);
	for (uint32_t i = 0; i < n; i++)
		if (ask(c, o, ring_node(k, kl, sim_nodes(c->sim), i), 0) != 0)
			return -1;
	return rep_timer(c->sim, c->node, cfg->timeout, "deadline", (int64_t)o->id);
}

/* Sends the best value read to the replicas that answered with older. */
static int repair(struct sim_ctx *c, struct qop *o, size_t from)
{
	const struct quorum_cfg *cfg = c->ud;
	struct qdur *d = c->dur;
	if (!cfg->read_repair || o->v.major < 0)
		return 0;
	for (size_t i = from; i < o->nrep; i++)
		if (version_cmp(o->rep[i].v, o->v) < 0) {
			d->repairs++;
			if (put_msg(c, o->rep[i].node, 0, o->key, o->kl, o->value, o->vl, o->v, 0) != 0)
				return -1;
		}
	return 0;
}

static int deadline(struct sim_ctx *c, uint64_t id)
{
	const struct quorum_cfg *cfg = c->ud;
	struct qvol *v = c->vol;
	struct qop *o = find_op(v, id);
	if (!o)
		return 0;
	if (o->replied) {
		drop_op(v, o);
		return 0;
	}
	uint32_t nodes = sim_nodes(c->sim), n = cfg->n < nodes ? cfg->n : nodes;
	if (cfg->sloppy && !o->fell_back) {
		/* every preference node that did not answer is replaced by the next
		 * node of the ring, which holds the write as a hint for it */
		o->fell_back = 1;
		uint32_t next = n;
		for (uint32_t i = 0; i < n; i++) {
			uint32_t p = ring_node(o->key, o->kl, nodes, i);
			int answered = 0;
			for (size_t j = 0; j < o->nrep; j++)
				answered |= o->rep[j].node == p;
			if (answered || next >= nodes)
				continue;
			if (ask(c, o, ring_node(o->key, o->kl, nodes, next++), o->write ? p : 0) != 0)
				return -1;
		}
		return rep_timer(c->sim, c->node, cfg->timeout, "deadline", (int64_t)o->id);
	}
	uint64_t req = o->req;
	drop_op(v, o);
	return rep_reply(c->sim, c->node, req, 0, "not enough replicas answered", NULL, NULL, 0);
}

static int answered(struct sim_ctx *c, uint32_t from, struct simv m, int write)
{
	const struct quorum_cfg *cfg = c->ud;
	struct qvol *v = c->vol;
	struct qop *o = find_op(v, (uint64_t)simv_getint(m, "op", 0));
	struct simv vv;
	struct version got = {-1, 0};
	if (!o || o->write != write)
		return 0;
	for (size_t j = 0; j < o->nrep; j++)
		if (o->rep[j].node == from)
			return 0; /* a duplicate */
	if (simv_get(m, "v", &vv) == 0)
		version_read(vv, &got);
	struct reply *x = budget_realloc(o->rep, (o->nrep + 1) * sizeof *x);
	if (!x)
		return oom(c);
	o->rep = x;
	o->rep[o->nrep++] = (struct reply){from, got};
	if (write) {
		if (++o->acks >= cfg->w && !o->replied) {
			o->replied = 1;
			return rep_reply(c->sim, c->node, o->req, 1, NULL, &o->v, NULL, 0);
		}
		return 0;
	}
	const char *val;
	size_t vl;
	if (version_cmp(got, o->v) > 0 && field_str(m, "value", &val, &vl) == 0) {
		char *nv = budget_malloc(vl + 1);
		if (!nv)
			return oom(c);
		memcpy(nv, val, vl);
		budget_free(o->value);
		o->value = nv;
		o->vl = vl;
		o->v = got;
	}
	if (o->replied) /* a late answer: repair it if it is behind */
		return repair(c, o, o->nrep - 1);
	if (o->nrep < cfg->r)
		return 0;
	o->replied = 1;
	struct simw w = SIMW_INIT;
	simw_table(&w, 0, o->v.major >= 0 ? 2 : 1);
	if (o->v.major >= 0) {
		simw_cstr(&w, "value");
		simw_str(&w, o->value, o->vl);
	}
	simw_cstr(&w, "version");
	version_write(&w, o->v.major >= 0 ? o->v : (struct version){0, 0}, 0);
	int rc = w.failed ? -1 : sim_reply(c->sim, c->node, o->req, 1, w.p, w.len);
	simw_free(&w);
	if (rc < 0)
		return oom(c);
	return repair(c, o, 0);
}

static int on_put(struct sim_ctx *c, uint32_t from, struct simv m)
{
	struct qdur *d = c->dur;
	const char *k, *val;
	size_t kl, vl;
	struct simv vv;
	struct version ver;
	if (field_str(m, "key", &k, &kl) != 0 || field_str(m, "value", &val, &vl) != 0 ||
	    simv_get(m, "v", &vv) != 0 || version_read(vv, &ver) != 0)
		return 0;
	uint32_t hint = (uint32_t)simv_getint(m, "hint", 0);
	if (hint && hint != c->node) { /* keep it for its owner, apart from our data */
		struct hint *x = budget_realloc(d->hints, (d->nhints + 1) * sizeof *x);
		if (!x)
			return oom(c);
		d->hints = x;
		struct hint *h = &d->hints[d->nhints];
		h->key = budget_malloc(kl + 1);
		h->value = budget_malloc(vl + 1);
		if (!h->key || !h->value) {
			budget_free(h->key);
			budget_free(h->value);
			return oom(c);
		}
		memcpy(h->key, k, kl);
		memcpy(h->value, val, vl);
		h->kl = kl;
		h->vl = vl;
		h->to = hint;
		h->v = ver;
		d->nhints++;
		d->hinted++;
	} else if (kv_put(&d->store, k, kl, val, vl, ver, 1) < 0) {
		return oom(c);
	}
	struct simw w = SIMW_INIT;
	simw_table(&w, 0, 4);
	simw_cstr(&w, "key");
	simw_str(&w, k, kl);
	simw_kint(&w, "op", simv_getint(m, "op", 0));
	simw_kstr(&w, "t", "putok");
	simw_cstr(&w, "v");
	version_write(&w, ver, 0);
	return rep_send(c->sim, c->node, from, &w);
}

static int on_get(struct sim_ctx *c, uint32_t from, struct simv m)
{
	struct qdur *d = c->dur;
	const char *k;
	size_t kl;
	if (field_str(m, "key", &k, &kl) != 0)
		return 0;
	struct kv *e = kv_find(&d->store, k, kl);
	struct simw w = SIMW_INIT;
	simw_table(&w, 0, e ? 4 : 2);
	simw_kint(&w, "op", simv_getint(m, "op", 0));
	simw_kstr(&w, "t", "got");
	if (e) {
		simw_cstr(&w, "v");
		version_write(&w, e->ver, 0);
		simw_cstr(&w, "value");
		simw_str(&w, e->value, e->vl);
	}
	return rep_send(c->sim, c->node, from, &w);
}

/* A hint's owner took it: forget it. */
static void handed_off(struct sim_ctx *c, uint32_t from, struct simv m)
{
	struct qdur *d = c->dur;
	const char *k;
	size_t kl;
	struct simv vv;
	struct version ver;
	if (field_str(m, "key", &k, &kl) != 0 || simv_get(m, "v", &vv) != 0 ||
	    version_read(vv, &ver) != 0)
		return;
	for (size_t i = 0; i < d->nhints; i++) {
		struct hint *h = &d->hints[i];
		if (h->to == from && h->kl == kl && memcmp(h->key, k, kl) == 0 &&
		    version_cmp(h->v, ver) == 0) {
			budget_free(h->key);
			budget_free(h->value);
			*h = d->hints[--d->nhints];
			d->handoffs++;
			return;
		}
	}
}

static int q_receive(struct sim_ctx *c, uint32_t from, const uint8_t *msg, size_t len)
{
	struct simv m = simv_of(msg, len), t;
	if (simv_get(m, "t", &t) != 0)
		return 0;
	if (simv_is(t, "put"))
		return on_put(c, from, m);
	if (simv_is(t, "get"))
		return on_get(c, from, m);
	if (simv_is(t, "got"))
		return answered(c, from, m, 0);
	if (simv_is(t, "putok")) {
		if (simv_getint(m, "op", 0) == 0) {
			handed_off(c, from, m);
			return 0;
		}
		return answered(c, from, m, 1);
	}
	return 0;
}

static int q_start(struct sim_ctx *c, int restart)
{
	const struct quorum_cfg *cfg = c->ud;
	if (cfg->handoff > 0)
		return rep_timer(c->sim, c->node, cfg->handoff, "handoff", 0);
	return 0;
}

static int q_timer(struct sim_ctx *c, uint64_t id, const uint8_t *tag, size_t len)
{
	const struct quorum_cfg *cfg = c->ud;
	struct qdur *d = c->dur;
	struct simv t = simv_of(tag, len), a, b;
	int64_t x;
	if (simv_at(t, 1, &a) != 0 || simv_at(t, 2, &b) != 0 || simv_int(b, &x) != 0)
		return 0;
	if (simv_is(a, "deadline"))
		return deadline(c, (uint64_t)x);
	if (simv_is(a, "handoff")) {
		for (size_t i = 0; i < d->nhints; i++) {
			struct hint *h = &d->hints[i];
			if (put_msg(c, h->to, 0, h->key, h->kl, h->value, h->vl, h->v, 0) != 0)
				return -1;
		}
		return rep_timer(c->sim, c->node, cfg->handoff, "handoff", 0);
	}
	return 0;
}

static int q_request(struct sim_ctx *c, uint64_t req, const uint8_t *op, size_t len)
{
	struct simv o = simv_of(op, len), f;
	if (simv_get(o, "f", &f) == 0 && simv_is(f, "read"))
		return begin(c, req, o, 0);
	if (simv_get(o, "f", &f) == 0 && simv_is(f, "write"))
		return begin(c, req, o, 1);
	return rep_reply(c->sim, c->node, req, 0, "unknown operation", NULL, NULL, 0);
}

const struct sim_behaviour quorum_behaviour = {
	.name = "quorum",
	.vol_size = sizeof(struct qvol),
	.dur_size = sizeof(struct qdur),
	.start = q_start,
	.receive = q_receive,
	.timer = q_timer,
	.request = q_request,
	.crash = q_crash,
	.destroy = q_destroy,
};

void quorum_counts(struct sim *s, uint32_t node, uint64_t *repairs, uint64_t *hinted,
		   uint64_t *handoffs);
void quorum_counts(struct sim *s, uint32_t node, uint64_t *repairs, uint64_t *hinted,
		   uint64_t *handoffs)
{
	if (sim_behaviour_of(s, node) != &quorum_behaviour)
		return;
	struct qdur *d = sim_ctx_of(s, node).dur;
	*repairs += d->repairs;
	*hinted += d->hinted;
	*handoffs += d->handoffs;
}
