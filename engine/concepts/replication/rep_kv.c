/* rep_kv.c — versions, the key-value table and message helpers shared by
 * the replication behaviours; see rep_int.h. */
#include "engine/concepts/replication/rep_int.h"
#include "engine/base/budget.h"

#include <string.h>

int version_cmp(struct version a, struct version b)
{
	if (a.major != b.major)
		return a.major < b.major ? -1 : 1;
	return (a.minor > b.minor) - (a.minor < b.minor);
}

void version_write(struct simw *w, struct version v, int indexed)
{
	if (indexed) {
		simw_int(w, (int64_t)v.major);
		return;
	}
	simw_table(w, 2, 0);
	simw_float(w, v.major);
	simw_int(w, v.minor);
}

int version_read(struct simv v, struct version *out)
{
	int64_t i;
	double d;
	struct simv a, b;
	if (simv_int(v, &i) == 0 && simv_tag(v) == SIMVAL_INT) {
		*out = (struct version){(double)i, 0};
		return 0;
	}
	if (simv_at(v, 1, &a) == 0 && simv_at(v, 2, &b) == 0 && simv_num(a, &d) == 0 &&
	    simv_int(b, &i) == 0) {
		*out = (struct version){d, i};
		return 0;
	}
	return -1;
}

struct kv *kv_find(struct kvtab *t, const char *k, size_t kl)
{
	for (size_t i = 0; i < t->n; i++)
		if (t->e[i].kl == kl && memcmp(t->e[i].key, k, kl) == 0)
			return &t->e[i];
	return NULL;
}

static char *dup(const char *s, size_t n)
{
	char *d = budget_malloc(n + 1);
	if (d) {
		memcpy(d, s, n);
		d[n] = '\0';
	}
	return d;
}

int kv_put(struct kvtab *t, const char *k, size_t kl, const char *v, size_t vl,
	   struct version ver, int lww)
{
	struct kv *e = kv_find(t, k, kl);
	if (e && lww && version_cmp(ver, e->ver) <= 0)
		return 0;
	char *nv = dup(v, vl);
	if (!nv)
		return -1;
	if (!e) {
		char *nk = dup(k, kl);
		struct kv *x = nk ? budget_realloc(t->e, (t->n + 1) * sizeof *x) : NULL;
		if (!x) {
			budget_free(nk);
			budget_free(nv);
			return -1;
		}
		t->e = x;
		e = &t->e[t->n++];
		*e = (struct kv){nk, NULL, kl, 0, {0, 0}};
	}
	budget_free(e->value);
	e->value = nv;
	e->vl = vl;
	e->ver = ver;
	return 1;
}

void kv_free(struct kvtab *t)
{
	for (size_t i = 0; i < t->n; i++) {
		budget_free(t->e[i].key);
		budget_free(t->e[i].value);
	}
	budget_free(t->e);
	t->e = NULL;
	t->n = 0;
}

static void write_entry(struct simw *w, struct kvtab *t, const char *k, size_t kl, int indexed)
{
	struct kv *e = kv_find(t, k, kl);
	simw_table(w, 0, e ? 2 : 1);
	if (e) {
		simw_cstr(w, "value");
		simw_str(w, e->value, e->vl);
	}
	simw_cstr(w, "version");
	version_write(w, e ? e->ver : (struct version){0, 0}, indexed);
}

int field_str(struct simv v, const char *k, const char **s, size_t *n)
{
	struct simv f;
	return simv_get(v, k, &f) == 0 ? simv_str(f, s, n) : -1;
}

int kv_reply_read(struct sim *s, uint32_t node, uint64_t req, struct simv op, struct kvtab *t,
		  int indexed)
{
	struct simw w = SIMW_INIT;
	const char *k;
	size_t kl;
	struct simv keys, e;
	if (field_str(op, "key", &k, &kl) == 0) {
		write_entry(&w, t, k, kl, indexed);
	} else if (simv_get(op, "keys", &keys) == 0) {
		size_t narr, nmap;
		simv_table(keys, &narr, &nmap);
		simw_table(&w, 0, narr);
		for (size_t i = 1; i <= narr; i++) {
			if (simv_at(keys, i, &e) != 0 || simv_str(e, &k, &kl) != 0) {
				simw_free(&w);
				return rep_reply(s, node, req, 0, "keys must be strings", NULL, NULL, 0);
			}
			simw_str(&w, k, kl);
			write_entry(&w, t, k, kl, indexed);
		}
	} else {
		return rep_reply(s, node, req, 0, "a read needs key or keys", NULL, NULL, 0);
	}
	int rc = w.failed ? -1 : sim_reply(s, node, req, 1, w.p, w.len);
	simw_free(&w);
	if (rc < 0) {
		sim_abort(s, "n%u could not reply: %s", node, sim_error(s));
		return -1;
	}
	return 0;
}

int rep_reply(struct sim *s, uint32_t node, uint64_t req, int ok, const char *why,
	       const struct version *ver, const struct version *pred, int indexed)
{
	struct simw w = SIMW_INIT;
	if (why) {
		simw_cstr(&w, why);
	} else {
		simw_table(&w, 0, 1 + (pred != NULL));
		if (pred) {
			simw_cstr(&w, "pred");
			version_write(&w, *pred, indexed);
		}
		simw_cstr(&w, "version");
		version_write(&w, *ver, indexed);
	}
	int rc = w.failed ? -1 : sim_reply(s, node, req, ok, w.p, w.len);
	simw_free(&w);
	if (rc < 0) {
		sim_abort(s, "n%u could not reply: %s", node, sim_error(s));
		return -1;
	}
	return 0;
}

int rep_send(struct sim *s, uint32_t from, uint32_t to, struct simw *w)
{
	int ok = !w->failed && sim_send(s, from, to, w->p, w->len);
	simw_free(w);
	if (!ok) {
		sim_abort(s, "n%u could not send: %s", from, sim_error(s));
		return -1;
	}
	return 0;
}

int rep_timer(struct sim *s, uint32_t node, double delay, const char *tag, int64_t arg)
{
	uint8_t buf[48];
	struct simw w = {buf, 0, sizeof buf, 0};
	simw_table(&w, 2, 0);
	simw_cstr(&w, tag);
	simw_int(&w, arg);
	if (w.failed || !sim_set_timer(s, node, delay, w.p, w.len)) {
		sim_abort(s, "n%u could not set a timer: %s", node, sim_error(s));
		return -1;
	}
	return 0;
}
