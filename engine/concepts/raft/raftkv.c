/*
 * raftkv.c — the replicated state machine of lab.raft: a key-value map with
 * put, get and append, and client sessions for exactly-once writes
 * (Ongaro and Ousterhout 2014, §8).
 */
#include "engine/concepts/raft/raft_int.h"
#include "engine/base/budget.h"

#include <string.h>

const char *rkv_valid(struct simv op)
{
	struct simv f, k, v;
	if (simv_tag(op) != SIMVAL_TABLE || simv_get(op, "f", &f) != 0)
		return "an operation is a table with f = \"put\", \"get\" or \"append\"";
	if (!simv_is(f, "put") && !simv_is(f, "get") && !simv_is(f, "append"))
		return "f must be \"put\", \"get\" or \"append\"";
	if (simv_get(op, "key", &k) != 0 || simv_tag(k) != SIMVAL_STR)
		return "key must be a string";
	if (!simv_is(f, "get") && (simv_get(op, "value", &v) != 0 || simv_tag(v) != SIMVAL_STR))
		return "value must be a string";
	return NULL;
}

static struct rkv_ent *find(const struct rkv *kv, const char *key, size_t kl)
{
	for (size_t i = 0; i < kv->n; i++)
		if (kv->e[i].kl == kl && memcmp(kv->e[i].key, key, kl) == 0)
			return &kv->e[i];
	return NULL;
}

int rkv_get(const struct rkv *kv, const char *key, size_t kl, const char **v, size_t *vl)
{
	struct rkv_ent *e = find(kv, key, kl);
	if (!e)
		return 0;
	*v = (const char *)e->val;
	*vl = e->vl;
	return 1;
}

/* Sets KEY to the string value bytes VAL (a simval string). 0 or -1. */
static int put(struct rkv *kv, const char *key, size_t kl, const uint8_t *val, size_t vl)
{
	uint8_t *copy = budget_malloc(vl);
	if (!copy)
		return -1;
	memcpy(copy, val, vl);
	struct rkv_ent *e = find(kv, key, kl);
	if (e) {
		budget_free(e->val);
		e->val = copy;
		e->vl = vl;
		return 0;
	}
	if (kv->n == kv->cap) {
		size_t cap = kv->cap ? 2 * kv->cap : 8;
		struct rkv_ent *ne = budget_realloc(kv->e, cap * sizeof *ne);
		if (!ne) {
			budget_free(copy);
			return -1;
		}
		kv->e = ne;
		kv->cap = cap;
	}
	char *k = budget_malloc(kl ? kl : 1);
	if (!k) {
		budget_free(copy);
		return -1;
	}
	memcpy(k, key, kl);
	kv->e[kv->n++] = (struct rkv_ent){k, kl, copy, vl};
	return 0;
}

static struct rkv_sess *session(struct rkv *kv, int64_t client)
{
	for (size_t i = 0; i < kv->ns; i++)
		if (kv->s[i].client == client)
			return &kv->s[i];
	if (kv->ns == kv->scap) {
		size_t cap = kv->scap ? 2 * kv->scap : 8;
		struct rkv_sess *ns = budget_realloc(kv->s, cap * sizeof *ns);
		if (!ns)
			return NULL;
		kv->s = ns;
		kv->scap = cap;
	}
	kv->s[kv->ns] = (struct rkv_sess){client, 0, NULL, 0};
	return &kv->s[kv->ns++];
}

/* Runs OP on KV, its result into RES. 0 or -1. */
static int run(struct rkv *kv, struct simv op, struct simw *res)
{
	struct simv f, kv_, v;
	const char *key;
	size_t kl;
	simv_get(op, "f", &f);
	simv_get(op, "key", &kv_);
	simv_str(kv_, &key, &kl);
	if (simv_is(f, "get")) {
		struct rkv_ent *e = find(kv, key, kl);
		if (e)
			simw_raw(res, e->val, e->vl);
		return 0;
	}
	simv_get(op, "value", &v);
	if (simv_is(f, "put"))
		return put(kv, key, kl, v.p, v.len);
	/* append: the old string then the new */
	const char *add, *old = "";
	size_t al, ol = 0;
	simv_str(v, &add, &al);
	struct rkv_ent *e = find(kv, key, kl);
	if (e)
		simv_str(simv_of(e->val, e->vl), &old, &ol);
	struct simw w = SIMW_INIT;
	char *joined = budget_malloc(ol + al + 1);
	if (!joined)
		return -1;
	memcpy(joined, old, ol);
	memcpy(joined + ol, add, al);
	simw_str(&w, joined, ol + al);
	budget_free(joined);
	int r = w.failed ? -1 : put(kv, key, kl, w.p, w.len);
	simw_free(&w);
	return r;
}

int rkv_apply(struct rkv *kv, struct simv op, struct simw *res)
{
	if (rkv_valid(op))
		return 0; /* a no-op */
	int64_t client = simv_getint(op, "client", 0), seq = simv_getint(op, "seq", 0);
	if (client <= 0 || seq <= 0)
		return run(kv, op, res);
	struct rkv_sess *s = session(kv, client);
	if (!s)
		return -1;
	if (seq <= s->seq) {
		/* a retry: the first run's result, the operation not run again */
		if (seq == s->seq && s->res)
			simw_raw(res, s->res, s->rl);
		return 0;
	}
	size_t at = res->len;
	if (run(kv, op, res) != 0)
		return -1;
	uint8_t *copy = NULL;
	size_t rl = res->len - at;
	if (rl) {
		if (!(copy = budget_malloc(rl)))
			return -1;
		memcpy(copy, res->p + at, rl);
	}
	budget_free(s->res);
	s->seq = seq;
	s->res = copy;
	s->rl = rl;
	return 0;
}

void rkv_encode(const struct rkv *kv, struct simw *w)
{
	simw_table(w, 2, 0);
	simw_table(w, 2 * kv->n, 0);
	for (size_t i = 0; i < kv->n; i++) {
		simw_str(w, kv->e[i].key, kv->e[i].kl);
		simw_raw(w, kv->e[i].val, kv->e[i].vl);
	}
	simw_table(w, 3 * kv->ns, 0);
	for (size_t i = 0; i < kv->ns; i++) {
		simw_int(w, kv->s[i].client);
		simw_int(w, kv->s[i].seq);
		if (kv->s[i].res)
			simw_raw(w, kv->s[i].res, kv->s[i].rl);
		else
			simw_nil(w);
	}
}

int rkv_decode(struct rkv *kv, struct simv v)
{
	struct simv a, b, x, y, z;
	size_t na, nb, nm;
	if (simv_tag(v) == SIMVAL_NIL)
		return 0;
	if (simv_at(v, 1, &a) != 0 || simv_at(v, 2, &b) != 0 || simv_table(a, &na, &nm) != 0 ||
	    simv_table(b, &nb, &nm) != 0 || na % 2 || nb % 3)
		return -1;
	for (size_t i = 1; i <= na; i += 2) {
		const char *k;
		size_t kl;
		if (simv_at(a, i, &x) != 0 || simv_at(a, i + 1, &y) != 0 || simv_str(x, &k, &kl) ||
		    put(kv, k, kl, y.p, y.len) != 0)
			return -1;
	}
	for (size_t i = 1; i <= nb; i += 3) {
		int64_t client, seq;
		if (simv_at(b, i, &x) || simv_at(b, i + 1, &y) || simv_at(b, i + 2, &z) ||
		    simv_int(x, &client) || simv_int(y, &seq))
			return -1;
		struct rkv_sess *s = session(kv, client);
		if (!s)
			return -1;
		s->seq = seq;
		if (simv_tag(z) != SIMVAL_NIL) {
			if (!(s->res = budget_malloc(z.len)))
				return -1;
			memcpy(s->res, z.p, z.len);
			s->rl = z.len;
		}
	}
	return 0;
}

void rkv_free(struct rkv *kv)
{
	for (size_t i = 0; i < kv->n; i++) {
		budget_free(kv->e[i].key);
		budget_free(kv->e[i].val);
	}
	for (size_t i = 0; i < kv->ns; i++)
		budget_free(kv->s[i].res);
	budget_free(kv->e);
	budget_free(kv->s);
	memset(kv, 0, sizeof *kv);
}
