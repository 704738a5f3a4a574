/*
 * sched.c — the cluster, the filters, placing and removing pods, and the
 * fragmentation of what is left (the score plugins are in schedscore.c).
 *
 * Sources, kubernetes/kubernetes (pkg/scheduler):
 *   framework/plugins/noderesources/fit.go, fitsRequest: "Too many pods"
 *     when the pod count would pass the node's; "Insufficient cpu" when a
 *     request > 0 is above allocatable minus requested (actual requests,
 *     no defaults); the same for memory.
 *   framework/plugins/nodeaffinity: "node(s) didn't match Pod's node
 *     affinity/selector"; the filter plugins run in the profile's order
 *     (NodeAffinity before NodeResourcesFit) and a node stops at the first
 *     that fails.
 *   framework/types.go, FitError.Error: "0/%v nodes are available: " then
 *     "N reason" for each reason, sorted as strings, joined by ", ", ".".
 *   schedule_one.go, selectHost: the highest score, ties by reservoir
 *     sampling (the k-th tied node replaces the pick with probability 1/k).
 */
#include "engine/concepts/sched/sched.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/base/budget.h"

/* In schedscore.c: fills the scores of S->eval's feasible nodes for P.
 * 0, or -1 when memory is refused. */
int sched_score_all(struct sched *s, const struct sched_pod *p);

static const char *const reason_text[SCHED_R_KINDS] = {
	"node(s) didn't match Pod's node affinity/selector",
	"Insufficient cpu",
	"Insufficient memory",
	"Too many pods",
};

const char *sched_label(const struct sched_node *n, const char *key)
{
	if (strcmp(key, "hostname") == 0)
		return n->name;
	for (size_t i = 0; i < n->nlabels; i++)
		if (strcmp(n->labels[i].key, key) == 0)
			return n->labels[i].value;
	return NULL;
}

static void free_labels(struct sched_label *l, size_t n)
{
	for (size_t i = 0; l && i < n; i++) {
		budget_free(l[i].key);
		budget_free(l[i].value);
	}
	budget_free(l);
}

/* A copy of the N labels at SRC into *DST: 0, or -1 (nothing kept). */
static int copy_labels(struct sched_label **dst, const struct sched_label *src, size_t n)
{
	*dst = NULL;
	if (n == 0)
		return 0;
	struct sched_label *l = budget_calloc(n, sizeof *l);
	if (!l)
		return -1;
	for (size_t i = 0; i < n; i++) {
		l[i].key = budget_strdup(src[i].key);
		l[i].value = budget_strdup(src[i].value);
		if (!l[i].key || !l[i].value) {
			free_labels(l, n);
			return -1;
		}
	}
	*dst = l;
	return 0;
}

int sched_init(struct sched *s, const struct sched_config *cfg,
	       const struct sched_nodespec *specs, size_t n)
{
	memset(s, 0, sizeof *s);
	s->cfg = *cfg;
	rng_seed(&s->rng, cfg->seed);
	s->nodes = budget_calloc(n ? n : 1, sizeof *s->nodes);
	s->eval = budget_calloc(n ? n : 1, sizeof *s->eval);
	s->raw = budget_calloc(n ? n : 1, sizeof *s->raw);
	if (!s->nodes || !s->eval || !s->raw)
		goto fail;
	for (size_t i = 0; i < n; i++) {
		struct sched_node *d = &s->nodes[i];
		s->nnodes = i + 1;
		d->name = budget_strdup(specs[i].name);
		d->cpu = specs[i].cpu;
		d->mem = specs[i].mem;
		d->max_pods = specs[i].max_pods;
		d->nlabels = specs[i].nlabels;
		if (!d->name || copy_labels(&d->labels, specs[i].labels, specs[i].nlabels))
			goto fail;
	}
	return 0;
fail:
	sched_free(s);
	return -1;
}

static void free_pod(struct sched_pod *p)
{
	budget_free(p->name);
	budget_free(p->reason);
	free_labels(p->selector, p->nselector);
	for (size_t i = 0; p->prefer && i < p->nprefer; i++) {
		budget_free(p->prefer[i].key);
		budget_free(p->prefer[i].value);
	}
	budget_free(p->prefer);
	for (size_t i = 0; p->spread && i < p->nspread; i++)
		budget_free(p->spread[i].key);
	budget_free(p->spread);
	memset(p, 0, sizeof *p);
}

void sched_free(struct sched *s)
{
	for (size_t i = 0; s->nodes && i < s->nnodes; i++) {
		budget_free(s->nodes[i].name);
		free_labels(s->nodes[i].labels, s->nodes[i].nlabels);
	}
	for (size_t i = 0; i < s->npods; i++)
		free_pod(&s->pods[i]);
	for (size_t i = 0; i < s->napps; i++) {
		budget_free(s->apps[i]);
		budget_free(s->app_count[i]);
	}
	budget_free(s->apps);
	budget_free(s->app_count);
	budget_free(s->pods);
	budget_free(s->nodes);
	budget_free(s->eval);
	budget_free(s->raw);
	memset(s, 0, sizeof *s);
}

/* The index of the app NAME, added if new: >= 0, or -1 (memory). */
static int intern_app(struct sched *s, const char *name)
{
	for (size_t i = 0; i < s->napps; i++)
		if (strcmp(s->apps[i], name) == 0)
			return (int)i;
	char **apps = budget_realloc(s->apps, (s->napps + 1) * sizeof *apps);
	if (!apps)
		return -1;
	s->apps = apps;
	int64_t **counts = budget_realloc(s->app_count, (s->napps + 1) * sizeof *counts);
	if (!counts)
		return -1;
	s->app_count = counts;
	char *copy = budget_strdup(name);
	int64_t *c = budget_calloc(s->nnodes ? s->nnodes : 1, sizeof *c);
	if (!copy || !c) {
		budget_free(copy);
		budget_free(c);
		return -1;
	}
	s->apps[s->napps] = copy;
	s->app_count[s->napps] = c;
	return (int)s->napps++;
}

/* The pod of the spec P, in *D (strings copied): 0, or -1 (D holds nothing). */
static int make_pod(struct sched *s, const struct sched_podspec *p, struct sched_pod *d)
{
	memset(d, 0, sizeof *d);
	d->node = -1;
	d->app = -1;
	d->cpu = p->cpu < 0 ? p->lim_cpu : p->cpu;
	d->mem = p->mem < 0 ? p->lim_mem : p->mem;
	d->lim_cpu = p->lim_cpu;
	d->lim_mem = p->lim_mem;
	d->nselector = p->nselector;
	d->nprefer = p->nprefer;
	d->nspread = p->nspread;
	d->explicit_spread = p->nspread > 0;
	d->name = budget_strdup(p->name);
	if (!d->name || copy_labels(&d->selector, p->selector, p->nselector))
		goto fail;
	if (p->app && (d->app = intern_app(s, p->app)) < 0)
		goto fail;
	if (p->nprefer && !(d->prefer = budget_calloc(p->nprefer, sizeof *d->prefer)))
		goto fail;
	for (size_t i = 0; i < p->nprefer; i++) {
		d->prefer[i].weight = p->prefer[i].weight;
		d->prefer[i].key = budget_strdup(p->prefer[i].key);
		d->prefer[i].value = budget_strdup(p->prefer[i].value);
		if (!d->prefer[i].key || !d->prefer[i].value)
			goto fail;
	}
	if (p->nspread && !(d->spread = budget_calloc(p->nspread, sizeof *d->spread)))
		goto fail;
	for (size_t i = 0; i < p->nspread; i++) {
		d->spread[i].max_skew = p->spread[i].max_skew;
		if (!(d->spread[i].key = budget_strdup(p->spread[i].key)))
			goto fail;
	}
	return 0;
fail:
	free_pod(d);
	return -1;
}

static int64_t req_of(int64_t v)
{
	return v < 0 ? 0 : v;
}

/* The filters for pod P on node N: 0 (fits) or the reasons. */
static unsigned filter(const struct sched_node *n, const struct sched_pod *p)
{
	for (size_t i = 0; i < p->nselector; i++) {
		const char *v = sched_label(n, p->selector[i].key);
		if (!v || strcmp(v, p->selector[i].value) != 0)
			return SCHED_R_SELECTOR;
	}
	unsigned r = 0;
	int64_t cpu = req_of(p->cpu), mem = req_of(p->mem);
	if (n->npods + 1 > n->max_pods)
		r |= SCHED_R_PODS;
	if (cpu > 0 && cpu > n->cpu - n->req_cpu)
		r |= SCHED_R_CPU;
	if (mem > 0 && mem > n->mem - n->req_mem)
		r |= SCHED_R_MEM;
	return r;
}

/* Picks the best feasible node of S->eval, ties drawn with R: or -1. */
static long select_host(const struct sched *s, struct rng *r)
{
	long best = -1;
	uint64_t tied = 0;
	for (size_t i = 0; i < s->nnodes; i++) {
		const struct sched_eval *e = &s->eval[i];
		if (!e->fits)
			continue;
		if (best < 0 || e->total > s->eval[best].total) {
			best = (long)i;
			tied = 1;
		} else if (e->total == s->eval[best].total && rng_below(r, ++tied) == 0) {
			best = (long)i;
		}
	}
	return best;
}

/* Filters and scores every node for P into S->eval. 0, or -1 (memory). */
static int evaluate(struct sched *s, const struct sched_pod *p)
{
	for (size_t i = 0; i < s->nnodes; i++) {
		struct sched_eval *e = &s->eval[i];
		memset(e, 0, sizeof *e);
		if (s->nodes[i].down)
			continue;
		e->reasons = filter(&s->nodes[i], p);
		e->fits = e->reasons == 0;
	}
	return sched_score_all(s, p);
}

long sched_explain(struct sched *s, const struct sched_podspec *spec, int *err)
{
	struct sched_pod p;
	*err = 0;
	if (make_pod(s, spec, &p) || evaluate(s, &p)) {
		free_pod(&p);
		*err = 1;
		return -1;
	}
	free_pod(&p);
	struct rng copy = s->rng;
	return select_host(s, &copy);
}

static void bind(struct sched *s, struct sched_pod *p, size_t i)
{
	struct sched_node *n = &s->nodes[i];
	n->req_cpu += req_of(p->cpu);
	n->req_mem += req_of(p->mem);
	n->nz_cpu += p->cpu < 0 ? SCHED_DEFAULT_CPU : p->cpu;
	n->nz_mem += p->mem < 0 ? SCHED_DEFAULT_MEM : p->mem;
	n->lim_cpu += req_of(p->lim_cpu);
	n->lim_mem += req_of(p->lim_mem);
	n->npods++;
	if (p->app >= 0)
		s->app_count[p->app][i]++;
	p->node = (long)i;
	budget_free(p->reason);
	p->reason = NULL;
}

static void unbind(struct sched *s, struct sched_pod *p)
{
	struct sched_node *n = &s->nodes[p->node];
	n->req_cpu -= req_of(p->cpu);
	n->req_mem -= req_of(p->mem);
	n->nz_cpu -= p->cpu < 0 ? SCHED_DEFAULT_CPU : p->cpu;
	n->nz_mem -= p->mem < 0 ? SCHED_DEFAULT_MEM : p->mem;
	n->lim_cpu -= req_of(p->lim_cpu);
	n->lim_mem -= req_of(p->lim_mem);
	n->npods--;
	if (p->app >= 0)
		s->app_count[p->app][p->node]--;
	p->node = -1;
}

/* Places P (already in S->pods) or records why not. 0, or -1 (memory). */
static int place(struct sched *s, struct sched_pod *p)
{
	if (evaluate(s, p))
		return -1;
	long i = select_host(s, &s->rng);
	if (i >= 0) {
		bind(s, p, (size_t)i);
		return 0;
	}
	char buf[400];
	sched_message(s, buf, sizeof buf);
	char *r = budget_strdup(buf);
	if (!r)
		return -1;
	budget_free(p->reason);
	p->reason = r;
	return 0;
}

int sched_submit(struct sched *s, const struct sched_podspec *spec, long *node)
{
	*node = -1;
	if (s->npods == s->podcap) {
		size_t cap = s->podcap ? 2 * s->podcap : 16;
		struct sched_pod *pods = budget_realloc(s->pods, cap * sizeof *pods);
		if (!pods)
			return -1;
		s->pods = pods;
		s->podcap = cap;
	}
	struct sched_pod *p = &s->pods[s->npods];
	if (make_pod(s, spec, p))
		return -1;
	s->npods++;
	if (place(s, p)) {
		free_pod(p);
		s->npods--;
		return -1;
	}
	*node = p->node;
	return 0;
}

int sched_retry(struct sched *s, size_t *placed)
{
	*placed = 0;
	for (size_t i = 0; i < s->npods; i++) {
		if (budget_poll(i))
			return -1;
		if (s->pods[i].node >= 0)
			continue;
		if (place(s, &s->pods[i]))
			return -1;
		if (s->pods[i].node >= 0)
			(*placed)++;
	}
	return 0;
}

int sched_remove(struct sched *s, const char *name)
{
	for (size_t i = 0; i < s->npods; i++) {
		if (strcmp(s->pods[i].name, name) != 0)
			continue;
		if (s->pods[i].node >= 0)
			unbind(s, &s->pods[i]);
		free_pod(&s->pods[i]);
		memmove(&s->pods[i], &s->pods[i + 1], (s->npods - i - 1) * sizeof *s->pods);
		s->npods--;
		return 1;
	}
	return 0;
}

int sched_fail(struct sched *s, size_t n, size_t *evicted)
{
	*evicted = 0;
	s->nodes[n].down = 1;
	for (size_t i = 0; i < s->npods; i++) {
		struct sched_pod *p = &s->pods[i];
		if (p->node != (long)n)
			continue;
		char *r = budget_strdup("its node failed");
		if (!r)
			return -1;
		unbind(s, p);
		p->reason = r;
		(*evicted)++;
	}
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

void sched_message(const struct sched *s, char *buf, size_t size)
{
	size_t up = 0, count[SCHED_R_KINDS] = {0};
	for (size_t i = 0; i < s->nnodes; i++) {
		if (s->nodes[i].down)
			continue;
		up++;
		for (int k = 0; k < SCHED_R_KINDS; k++)
			if (s->eval[i].reasons & (1u << k))
				count[k]++;
	}
	if (up == 0) {
		snprintf(buf, size, "no nodes available to schedule pods");
		return;
	}
	char parts[SCHED_R_KINDS][80];
	const char *sorted[SCHED_R_KINDS];
	size_t n = 0;
	for (int k = 0; k < SCHED_R_KINDS; k++)
		if (count[k]) {
			snprintf(parts[n], sizeof parts[n], "%zu %s", count[k], reason_text[k]);
			sorted[n] = parts[n];
			n++;
		}
	qsort(sorted, n, sizeof *sorted, cmp_str);
	int used = snprintf(buf, size, "0/%zu nodes are available:", up);
	for (size_t k = 0; k < n && used > 0 && (size_t)used < size; k++)
		used += snprintf(buf + used, size - (size_t)used, "%s %s", k ? "," : "", sorted[k]);
	if (used > 0 && (size_t)used < size)
		snprintf(buf + used, size - (size_t)used, ".");
}

/* Copies of a CPU x MEM pod that fit in node N's free capacity. */
static int64_t copies(const struct sched_node *n, int64_t cpu, int64_t mem)
{
	int64_t k = n->max_pods - n->npods;
	if (cpu > 0 && (n->cpu - n->req_cpu) / cpu < k)
		k = (n->cpu - n->req_cpu) / cpu;
	if (mem > 0 && (n->mem - n->req_mem) / mem < k)
		k = (n->mem - n->req_mem) / mem;
	return k < 0 ? 0 : k;
}

/* Whether some pending pod passes the filters on node N: 1, 0, or -1
 * when the budget says stop. */
static int pending_fits(const struct sched *s, const struct sched_node *n)
{
	for (size_t i = 0; i < s->npods; i++) {
		if (budget_poll(i + 1))
			return -1;
		if (s->pods[i].node < 0 && filter(n, &s->pods[i]) == 0)
			return 1;
	}
	return 0;
}

int sched_frag(const struct sched *s, int64_t cpu, int64_t mem, struct sched_frag *f)
{
	memset(f, 0, sizeof *f);
	int pending = 0;
	for (size_t i = 0; i < s->npods && !pending; i++)
		pending = s->pods[i].node < 0;
	for (size_t i = 0; i < s->nnodes; i++) {
		const struct sched_node *n = &s->nodes[i];
		if (n->down)
			continue;
		int64_t fc = n->cpu - n->req_cpu, fm = n->mem - n->req_mem;
		f->free_cpu += fc;
		f->free_mem += fm;
		f->largest_cpu = fc > f->largest_cpu ? fc : f->largest_cpu;
		f->largest_mem = fm > f->largest_mem ? fm : f->largest_mem;
		if (n->npods)
			f->nodes_used++;
		else
			f->nodes_empty++;
		if (cpu > 0 || mem > 0) {
			int64_t k = copies(n, cpu, mem);
			f->fits += k;
			f->stranded_cpu += fc - k * cpu;
			f->stranded_mem += fm - k * mem;
		} else if (pending) {
			int fits = pending_fits(s, n);
			if (fits < 0)
				return -1;
			f->stranded_cpu += fits ? 0 : fc;
			f->stranded_mem += fits ? 0 : fm;
		}
	}
	return 0;
}
