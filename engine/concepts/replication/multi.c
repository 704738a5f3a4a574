/*
 * multi.c — multi-leader replication with last-writer-wins, as a lab.sim
 * behaviour; see replication.h.
 *
 * Messages: {t = "repl", entries = {{key, value, ts, by, seq}, ...}} to the
 * other leaders, {t = "rack", seqs = {...}} back. Every node keeps an
 * outbox of its own writes and resends what a peer has not acknowledged
 * every RESEND seconds. Timer: {"resend", 0}.
 */
#include "engine/concepts/replication/rep_int.h"
#include "engine/base/budget.h"

#include <string.h>

#define BATCH 32

struct out {
	char *key, *value;
	size_t kl, vl;
	struct version v;
	uint64_t seq;
	uint8_t *acked;      /* [n + 1] */
};

struct mdur {
	struct kvtab store;
	struct out *out;
	size_t nout;
	uint64_t seq;
};

static int oom(struct sim_ctx *c)
{
	sim_abort(c->sim, "n%u (multi-leader): not enough memory", c->node);
	return -1;
}

static void m_destroy(struct sim_ctx *c)
{
	struct mdur *d = c->dur;
	kv_free(&d->store);
	for (size_t i = 0; i < d->nout; i++) {
		budget_free(d->out[i].key);
		budget_free(d->out[i].value);
		budget_free(d->out[i].acked);
	}
	budget_free(d->out);
	memset(d, 0, sizeof *d);
}

static int send_entries(struct sim_ctx *c, uint32_t to, size_t first, size_t count, int unacked)
{
	struct mdur *d = c->dur;
	size_t k = 0;
	for (size_t i = first; i < d->nout && k < count; i++)
		k += !unacked || !d->out[i].acked[to];
	if (k == 0)
		return 0;
	struct simw w = SIMW_INIT;
	simw_table(&w, 0, 2);
	simw_cstr(&w, "entries");
	simw_table(&w, k, 0);
	size_t sent = 0;
	for (size_t i = first; i < d->nout && sent < k; i++) {
		const struct out *o = &d->out[i];
		if (unacked && o->acked[to])
			continue;
		simw_table(&w, 5, 0);
		simw_str(&w, o->key, o->kl);
		simw_str(&w, o->value, o->vl);
		simw_float(&w, o->v.major);
		simw_int(&w, o->v.minor);
		simw_int(&w, (int64_t)o->seq);
		sent++;
	}
	simw_kstr(&w, "t", "repl");
	return rep_send(c->sim, c->node, to, &w);
}

static int write(struct sim_ctx *c, uint64_t req, struct simv op)
{
	struct mdur *d = c->dur;
	const char *k, *val;
	size_t kl, vl;
	if (field_str(op, "key", &k, &kl) != 0 || field_str(op, "value", &val, &vl) != 0)
		return rep_reply(c->sim, c->node, req, 0, "a write needs a key and a string value",
				  NULL, NULL, 0);
	struct version v = {sim_local_time(c->sim, c->node), c->node};
	struct kv *cur = kv_find(&d->store, k, kl);
	struct version pred = cur ? cur->ver : (struct version){0, 0};
	uint32_t n = sim_nodes(c->sim);
	struct out *x = budget_realloc(d->out, (d->nout + 1) * sizeof *x);
	if (!x)
		return oom(c);
	d->out = x;
	struct out *o = &d->out[d->nout];
	o->key = budget_malloc(kl + 1);
	o->value = budget_malloc(vl + 1);
	o->acked = budget_calloc(n + 1, 1);
	if (!o->key || !o->value || !o->acked ||
	    kv_put(&d->store, k, kl, val, vl, v, 1) < 0) {
		budget_free(o->key);
		budget_free(o->value);
		budget_free(o->acked);
		return oom(c);
	}
	memcpy(o->key, k, kl);
	memcpy(o->value, val, vl);
	o->kl = kl;
	o->vl = vl;
	o->v = v;
	o->seq = ++d->seq;
	d->nout++;
	/* acknowledged at once: the other leaders hear of it later */
	if (rep_reply(c->sim, c->node, req, 1, NULL, &v, &pred, 0) != 0)
		return -1;
	for (uint32_t p = 1; p <= n; p++)
		if (p != c->node && send_entries(c, p, d->nout - 1, 1, 0) != 0)
			return -1;
	return 0;
}

static int m_request(struct sim_ctx *c, uint64_t req, const uint8_t *op, size_t len)
{
	struct mdur *d = c->dur;
	struct simv o = simv_of(op, len), f;
	if (simv_get(o, "f", &f) == 0 && simv_is(f, "read"))
		return kv_reply_read(c->sim, c->node, req, o, &d->store, 0);
	if (simv_get(o, "f", &f) == 0 && simv_is(f, "write"))
		return write(c, req, o);
	return rep_reply(c->sim, c->node, req, 0, "unknown operation", NULL, NULL, 0);
}

static int m_receive(struct sim_ctx *c, uint32_t from, const uint8_t *msg, size_t len)
{
	struct mdur *d = c->dur;
	struct simv m = simv_of(msg, len), t, list, e, f[5];
	if (simv_get(m, "t", &t) != 0)
		return 0;
	if (simv_is(t, "repl") && simv_get(m, "entries", &list) == 0) {
		struct simw w = SIMW_INIT;
		size_t narr, nmap;
		simv_table(list, &narr, &nmap);
		simw_table(&w, 0, 2);
		simw_cstr(&w, "seqs");
		simw_table(&w, narr, 0);
		for (size_t i = 1; simv_at(list, i, &e) == 0; i++) {
			const char *k, *val;
			size_t kl, vl;
			double ts;
			int64_t by, seq;
			int ok = 1;
			for (int q = 0; q < 5; q++)
				ok &= simv_at(e, (size_t)q + 1, &f[q]) == 0;
			if (!ok || simv_str(f[0], &k, &kl) != 0 || simv_str(f[1], &val, &vl) != 0 ||
			    simv_num(f[2], &ts) != 0 || simv_int(f[3], &by) != 0 ||
			    simv_int(f[4], &seq) != 0) {
				simw_int(&w, 0);
				continue;
			}
			if (kv_put(&d->store, k, kl, val, vl, (struct version){ts, by}, 1) < 0) {
				simw_free(&w);
				return oom(c);
			}
			simw_int(&w, seq);
		}
		simw_kstr(&w, "t", "rack");
		return rep_send(c->sim, c->node, from, &w);
	}
	if (simv_is(t, "rack") && simv_get(m, "seqs", &list) == 0) {
		for (size_t i = 1; simv_at(list, i, &e) == 0; i++) {
			int64_t seq;
			if (simv_int(e, &seq) == 0 && seq >= 1 && (size_t)seq <= d->nout &&
			    from <= sim_nodes(c->sim))
				d->out[seq - 1].acked[from] = 1; /* seq i is out[i - 1] */
		}
	}
	return 0;
}

static int m_start(struct sim_ctx *c, int restart)
{
	const struct multi_cfg *cfg = c->ud;
	return rep_timer(c->sim, c->node, cfg->resend, "resend", 0);
}

static int m_timer(struct sim_ctx *c, uint64_t id, const uint8_t *tag, size_t len)
{
	const struct multi_cfg *cfg = c->ud;
	for (uint32_t p = 1; p <= sim_nodes(c->sim); p++)
		if (p != c->node && send_entries(c, p, 0, BATCH, 1) != 0)
			return -1;
	return rep_timer(c->sim, c->node, cfg->resend, "resend", 0);
}

const struct sim_behaviour multi_behaviour = {
	.name = "multi",
	.dur_size = sizeof(struct mdur),
	.start = m_start,
	.receive = m_receive,
	.timer = m_timer,
	.request = m_request,
	.destroy = m_destroy,
};
