/*
 * schedscore.c — the score plugins of sched.h, in kube-scheduler's integer
 * arithmetic. Sources, kubernetes/kubernetes pkg/scheduler/framework/plugins:
 *
 *   noderesources/least_allocated.go: leastRequestedScore = (capacity -
 *     requested) * 100 / capacity, 0 when requested > capacity; the node's
 *     score is sum(score * weight) / sum(weight), integer division, with
 *     CPU and memory weighted 1 each (resource_allocation.go).
 *   noderesources/most_allocated.go: mostRequestedScore = requested * 100
 *     / capacity, requested capped at capacity ("pods with no requests get
 *     minimum values").
 *   noderesources/resource_allocation.go: for Least/MostAllocated the
 *     requested amounts are the node's NonZeroRequested plus the pod's
 *     non-zero request; pkg/scheduler/util: DefaultMilliCPURequest = 100,
 *     DefaultMemoryRequest = 200 * 1024 * 1024, used for a request not set.
 *   noderesources/balanced_allocation.go: fractions requested/allocatable
 *     (actual requests, capped at 1); with two, std = |f1 - f2| / 2; score
 *     = int64((1 - std) * 100); a pod requesting nothing is skipped.
 *   podtopologyspread/scoring.go: per constraint, weight = ln(domains + 2)
 *     and a node scores sum(count * weight + maxSkew - 1), rounded; then
 *     100 * (max + min - s) / max (100 for all when max is 0); without
 *     constraints of its own a pod gets the system defaults, hostname
 *     maxSkew 3 and zone maxSkew 5 (plugin.go), and then nodes missing a
 *     key are not ignored.
 *   nodeaffinity/node_affinity.go: the sum of the weights of the preferred
 *     terms the node matches, normalised to 100 * s / max.
 */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "engine/base/budget.h"
#include "engine/concepts/sched/sched.h"

int sched_score_all(struct sched *s, const struct sched_pod *p);

static int64_t least(int64_t requested, int64_t capacity)
{
	if (capacity == 0 || requested > capacity)
		return 0;
	return (capacity - requested) * SCHED_MAX_SCORE / capacity;
}

static int64_t most(int64_t requested, int64_t capacity)
{
	if (capacity == 0)
		return 0;
	if (requested > capacity)
		requested = capacity;
	return requested * SCHED_MAX_SCORE / capacity;
}

int64_t sched_fit_score(enum sched_strategy st, int64_t acpu, int64_t amem, int64_t rcpu,
			int64_t rmem)
{
	if (st == SCHED_MOST)
		return (most(rcpu, acpu) + most(rmem, amem)) / 2;
	return (least(rcpu, acpu) + least(rmem, amem)) / 2;
}

int64_t sched_balanced_score(int64_t acpu, int64_t amem, int64_t rcpu, int64_t rmem)
{
	double f[2];
	int n = 0;
	if (acpu > 0)
		f[n++] = (double)rcpu / (double)acpu > 1 ? 1 : (double)rcpu / (double)acpu;
	if (amem > 0)
		f[n++] = (double)rmem / (double)amem > 1 ? 1 : (double)rmem / (double)amem;
	double std = n == 2 ? fabs((f[0] - f[1]) / 2) : 0;
	return (int64_t)((1 - std) * SCHED_MAX_SCORE);
}

static void score_resources(struct sched *s, const struct sched_pod *p)
{
	int64_t nzc = p->cpu < 0 ? SCHED_DEFAULT_CPU : p->cpu;
	int64_t nzm = p->mem < 0 ? SCHED_DEFAULT_MEM : p->mem;
	int64_t rc = p->cpu < 0 ? 0 : p->cpu, rm = p->mem < 0 ? 0 : p->mem;
	int best_effort = rc == 0 && rm == 0;
	for (size_t i = 0; i < s->nnodes; i++) {
		struct sched_eval *e = &s->eval[i];
		const struct sched_node *n = &s->nodes[i];
		if (!e->fits)
			continue;
		e->fit = sched_fit_score(s->cfg.strategy, n->cpu, n->mem, n->nz_cpu + nzc,
					 n->nz_mem + nzm);
		if (!best_effort)
			e->balanced = sched_balanced_score(n->cpu, n->mem, n->req_cpu + rc,
							   n->req_mem + rm);
	}
}

/* ---- PodTopologySpread ---- */

struct domain {
	const char *value;
	int64_t count;
};

/* One constraint's domains (distinct values over the scored nodes). */
struct topo {
	const char *key;
	int64_t max_skew;
	int host;
	struct domain *d;
	size_t nd;
	double weight;
};

static struct domain *find_domain(struct topo *t, const char *v)
{
	for (size_t i = 0; i < t->nd; i++)
		if (strcmp(t->d[i].value, v) == 0)
			return &t->d[i];
	return NULL;
}

/* Whether node N has every key of the constraints. */
static int has_keys(const struct sched_node *n, const struct topo *t, size_t nt)
{
	for (size_t c = 0; c < nt; c++)
		if (!sched_label(n, t[c].key))
			return 0;
	return 1;
}

static int matches_selector(const struct sched_node *n, const struct sched_pod *p)
{
	for (size_t i = 0; i < p->nselector; i++) {
		const char *v = sched_label(n, p->selector[i].key);
		if (!v || strcmp(v, p->selector[i].value) != 0)
			return 0;
	}
	return 1;
}

/* Domains of each constraint over the feasible nodes not ignored
 * (IGNORED[i]), then the pods of P's app counted in them over every node
 * up that matches P's selector. 0, or -1 when the budget says stop (a
 * label with a value per node makes this nodes x nodes). */
static int count_domains(struct sched *s, const struct sched_pod *p, struct topo *t, size_t nt,
			  const char *ignored, int require_all)
{
	size_t scored = 0;
	for (size_t i = 0; i < s->nnodes; i++) {
		if (budget_poll(i + 1))
			return -1;
		if (!s->eval[i].fits || ignored[i])
			continue;
		scored++;
		for (size_t c = 0; c < nt; c++) {
			const char *v = sched_label(&s->nodes[i], t[c].key);
			if (t[c].host || find_domain(&t[c], v ? v : ""))
				continue;
			t[c].d[t[c].nd++] = (struct domain){v ? v : "", 0};
		}
	}
	for (size_t c = 0; c < nt; c++)
		t[c].weight = log((double)(t[c].host ? scored : t[c].nd) + 2);
	const int64_t *count = s->app_count[p->app];
	for (size_t j = 0; j < s->nnodes; j++) {
		const struct sched_node *n = &s->nodes[j];
		if (budget_poll(j + 1))
			return -1;
		if (n->down || !matches_selector(n, p) || (require_all && !has_keys(n, t, nt)))
			continue;
		for (size_t c = 0; c < nt; c++) {
			const char *v = sched_label(n, t[c].key);
			struct domain *d = t[c].host ? NULL : find_domain(&t[c], v ? v : "");
			if (d)
				d->count += count[j];
		}
	}
	return 0;
}

/* The raw score of node I (before normalising). */
static double spread_raw(const struct sched *s, size_t i, const struct sched_pod *p,
			 struct topo *t, size_t nt)
{
	double score = 0;
	for (size_t c = 0; c < nt; c++) {
		const char *v = sched_label(&s->nodes[i], t[c].key);
		if (!v)
			continue;
		int64_t cnt = t[c].host ? s->app_count[p->app][i] : find_domain(&t[c], v)->count;
		score += (double)cnt * t[c].weight + (double)(t[c].max_skew - 1);
	}
	return (double)llround(score);
}

static void spread_normalize(struct sched *s, const char *ignored)
{
	int64_t lo = INT64_MAX, hi = 0;
	for (size_t i = 0; i < s->nnodes; i++) {
		if (!s->eval[i].fits || ignored[i])
			continue;
		int64_t v = (int64_t)s->raw[i];
		lo = v < lo ? v : lo;
		hi = v > hi ? v : hi;
	}
	for (size_t i = 0; i < s->nnodes; i++) {
		if (!s->eval[i].fits || ignored[i])
			continue;
		int64_t v = (int64_t)s->raw[i];
		s->eval[i].spread = hi == 0 ? SCHED_MAX_SCORE : SCHED_MAX_SCORE * (hi + lo - v) / hi;
	}
}

/* 0, or -1 when memory is refused. */
static int score_spread(struct sched *s, const struct sched_pod *p)
{
	static const struct sched_spread defaults[] = {{"hostname", 3}, {"zone", 5}};
	if (p->app < 0 || (!p->explicit_spread && !s->cfg.default_spread))
		return 0;
	const struct sched_spread *cs = p->explicit_spread ? p->spread : defaults;
	size_t nt = p->explicit_spread ? p->nspread : 2;
	struct topo *t = budget_calloc(nt, sizeof *t);
	char *ignored = budget_calloc(s->nnodes ? s->nnodes : 1, 1);
	int rc = -1;
	if (!t || !ignored)
		goto out;
	for (size_t c = 0; c < nt; c++) {
		t[c] = (struct topo){.key = cs[c].key, .max_skew = cs[c].max_skew,
				     .host = strcmp(cs[c].key, "hostname") == 0};
		if (!t[c].host && !(t[c].d = budget_calloc(s->nnodes + 1, sizeof *t[c].d)))
			goto out;
	}
	for (size_t i = 0; i < s->nnodes; i++)
		ignored[i] = p->explicit_spread && s->eval[i].fits && !has_keys(&s->nodes[i], t, nt);
	if (count_domains(s, p, t, nt, ignored, p->explicit_spread))
		goto out;
	for (size_t i = 0; i < s->nnodes; i++)
		if (s->eval[i].fits && !ignored[i])
			s->raw[i] = spread_raw(s, i, p, t, nt);
	spread_normalize(s, ignored);
	rc = 0;
out:
	for (size_t c = 0; t && c < nt; c++)
		budget_free(t[c].d);
	budget_free(t);
	budget_free(ignored);
	return rc;
}

/* ---- NodeAffinity (preferred terms) ---- */

static void score_affinity(struct sched *s, const struct sched_pod *p)
{
	if (p->nprefer == 0)
		return;
	int64_t hi = 0;
	for (size_t i = 0; i < s->nnodes; i++) {
		if (!s->eval[i].fits)
			continue;
		int64_t sum = 0;
		for (size_t k = 0; k < p->nprefer; k++) {
			const char *v = sched_label(&s->nodes[i], p->prefer[k].key);
			if (v && strcmp(v, p->prefer[k].value) == 0)
				sum += p->prefer[k].weight;
		}
		s->eval[i].affinity = sum;
		hi = sum > hi ? sum : hi;
	}
	for (size_t i = 0; hi > 0 && i < s->nnodes; i++)
		if (s->eval[i].fits)
			s->eval[i].affinity = SCHED_MAX_SCORE * s->eval[i].affinity / hi;
}

int sched_score_all(struct sched *s, const struct sched_pod *p)
{
	score_resources(s, p);
	if (score_spread(s, p))
		return -1;
	score_affinity(s, p);
	const struct sched_weights *w = &s->cfg.w;
	for (size_t i = 0; i < s->nnodes; i++) {
		struct sched_eval *e = &s->eval[i];
		if (e->fits)
			e->total = w->fit * e->fit + w->balanced * e->balanced +
				   w->spread * e->spread + w->affinity * e->affinity;
	}
	return 0;
}

/* ---- quantities ---- */

static int64_t unit_of(const char *u, int is_cpu, int *ok)
{
	static const struct { const char *s; int64_t m; } mem[] = {
		{"", 1}, {"k", 1000}, {"M", 1000000}, {"G", 1000000000}, {"T", 1000000000000},
		{"Ki", 1024}, {"Mi", 1048576}, {"Gi", 1073741824}, {"Ti", 1099511627776},
	};
	*ok = 1;
	if (is_cpu) {
		if (strcmp(u, "m") == 0)
			return 1;
		if (*u == '\0')
			return 1000;
	} else {
		for (size_t i = 0; i < sizeof mem / sizeof *mem; i++)
			if (strcmp(u, mem[i].s) == 0)
				return mem[i].m;
	}
	*ok = 0;
	return 0;
}

int sched_quantity(const char *text, int is_cpu, int64_t *out)
{
	const char *q = text;
	double v = 0, scale = 0;
	int digits = 0;
	for (; *q >= '0' && *q <= '9'; q++, digits++)
		v = v * 10 + (*q - '0');
	if (*q == '.')
		for (q++, scale = 1; *q >= '0' && *q <= '9'; q++, digits++)
			v += (*q - '0') * (scale /= 10);
	int ok;
	int64_t m = unit_of(q, is_cpu, &ok);
	if (!digits || !ok || v * (double)m > 9e18)
		return -1;
	*out = (int64_t)llround(v * (double)m);
	return 0;
}
