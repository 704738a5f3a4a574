/*
 * reconcile.c — plans from desired and actual state, applied in place, and
 * the control loop (see reconcile.h).
 */
#include "engine/concepts/reconcile/reconcile.h"
#include "engine/base/budget.h"
#include "engine/concepts/rand/rand.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define NONE ((size_t)-1)

static char *dup_bytes(const char *s, size_t n)
{
	char *d = budget_malloc(n + 1);
	if (d) {
		memcpy(d, s, n);
		d[n] = '\0';
	}
	return d;
}

static char *dup_str(const char *s)
{
	return s ? dup_bytes(s, strlen(s)) : NULL;
}

static void free_strs(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		budget_free(v[i]);
	budget_free(v);
}

static void res_free(struct rec_res *r)
{
	budget_free(r->id);
	budget_free(r->type);
	for (size_t i = 0; i < r->nattrs; i++) {
		budget_free(r->attrs[i].name);
		budget_free(r->attrs[i].value);
	}
	budget_free(r->attrs);
	free_strs(r->deps, r->ndeps);
	free_strs(r->force_new, r->nforce);
	memset(r, 0, sizeof *r);
}

void rec_state_free(struct rec_state *s)
{
	for (size_t i = 0; i < s->n; i++)
		res_free(&s->res[i]);
	budget_free(s->res);
	s->res = NULL;
	s->n = 0;
}

static char **dup_strs(char *const *v, size_t n)
{
	char **d = budget_calloc(n + 1, sizeof *d);
	if (!d)
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (!(d[i] = dup_str(v[i]))) {
			free_strs(d, i);
			return NULL;
		}
	return d;
}

/* Deep copy of resource FROM into TO (zeroed). Returns 0 or -1. */
static int res_copy(struct rec_res *to, const struct rec_res *from)
{
	memset(to, 0, sizeof *to);
	to->id = dup_str(from->id);
	to->type = dup_str(from->type);
	to->attrs = budget_calloc(from->nattrs + 1, sizeof *to->attrs);
	to->deps = dup_strs(from->deps, from->ndeps);
	to->force_new = dup_strs(from->force_new, from->nforce);
	if (to->deps)
		to->ndeps = from->ndeps;
	if (to->force_new)
		to->nforce = from->nforce;
	if (!to->id || !to->type || !to->attrs || !to->deps || !to->force_new)
		goto fail;
	for (size_t i = 0; i < from->nattrs; i++) {
		struct rec_attr *a = &to->attrs[i];
		a->name = dup_str(from->attrs[i].name);
		a->value = dup_bytes(from->attrs[i].value, from->attrs[i].vlen);
		a->vlen = from->attrs[i].vlen;
		to->nattrs = i + 1;
		if (!a->name || !a->value)
			goto fail;
	}
	to->deleted = from->deleted;
	return 0;
fail:
	res_free(to);
	return -1;
}

size_t rec_find(const struct rec_state *s, const char *id)
{
	for (size_t i = 0; i < s->n; i++)
		if (!s->res[i].deleted && strcmp(s->res[i].id, id) == 0)
			return i;
	return NONE;
}

/* ---- validation and order ---- */

/* Depth-first: 0 new, 1 on the path, 2 done. Appends to ORDER (if not
 * NULL) in dependency order. Returns NONE, or the index where a cycle
 * closes. */
static size_t visit(const struct rec_state *s, size_t i, unsigned char *color, size_t *order,
		    size_t *norder)
{
	if (color[i] == 2)
		return NONE;
	if (color[i] == 1)
		return i;
	color[i] = 1;
	const struct rec_res *r = &s->res[i];
	for (size_t k = 0; k < r->ndeps; k++) {
		size_t d = rec_find(s, r->deps[k]);
		if (d == NONE)
			continue;
		size_t c = visit(s, d, color, order, norder);
		if (c != NONE)
			return c;
	}
	color[i] = 2;
	if (order)
		order[(*norder)++] = i;
	return NONE;
}

/* S's indexes in dependency order (each after what it depends on; ties in
 * S's order) into ORDER. Returns NONE, or a resource on a cycle. */
static size_t dep_order(const struct rec_state *s, size_t *order, unsigned char *color)
{
	size_t n = 0;
	memset(color, 0, s->n + 1);
	for (size_t i = 0; i < s->n; i++) {
		if (s->res[i].deleted)
			continue;
		size_t c = visit(s, i, color, order, &n);
		if (c != NONE)
			return c;
	}
	return NONE;
}

const char *rec_validate(const struct rec_state *d, char *buf, size_t size)
{
	if (d->n > REC_MAX_RESOURCES)
		return snprintf(buf, size, "more than %d resources", REC_MAX_RESOURCES), buf;
	for (size_t i = 0; i < d->n; i++) {
		const struct rec_res *r = &d->res[i];
		if (!r->id || !*r->id)
			return snprintf(buf, size, "resource %zu has no id", i + 1), buf;
		for (size_t k = 0; k < i; k++)
			if (strcmp(d->res[k].id, r->id) == 0)
				return snprintf(buf, size, "two resources have the id '%s'", r->id), buf;
	}
	for (size_t i = 0; i < d->n; i++) {
		const struct rec_res *r = &d->res[i];
		for (size_t k = 0; k < r->ndeps; k++)
			if (rec_find(d, r->deps[k]) == NONE)
				return snprintf(buf, size, "'%s' depends on '%s', which is not declared",
						r->id, r->deps[k]), buf;
	}
	unsigned char *color = budget_calloc(d->n + 1, 1);
	if (!color)
		return snprintf(buf, size, "not enough memory"), buf;
	size_t c = dep_order(d, NULL, color);
	budget_free(color);
	if (c != NONE)
		return snprintf(buf, size, "the dependencies of '%s' go round in a circle",
				d->res[c].id), buf;
	return NULL;
}

/* ---- plans ---- */

static const struct rec_attr *attr_of(const struct rec_res *r, const char *name)
{
	for (size_t i = 0; i < r->nattrs; i++)
		if (strcmp(r->attrs[i].name, name) == 0)
			return &r->attrs[i];
	return NULL;
}

static int same_value(const struct rec_attr *a, const struct rec_attr *b)
{
	if (!a || !b)
		return a == b;
	return a->vlen == b->vlen && memcmp(a->value, b->value, a->vlen) == 0;
}

static int forces(const struct rec_res *d, const char *name)
{
	for (size_t i = 0; i < d->nforce; i++)
		if (strcmp(d->force_new[i], name) == 0)
			return 1;
	return 0;
}

static int push_change(struct rec_action *x, const char *name)
{
	char **v = budget_realloc(x->changed, (x->nchanged + 1) * sizeof *v);
	if (!v)
		return -1;
	x->changed = v;
	if (!(v[x->nchanged] = dup_str(name)))
		return -1;
	x->nchanged++;
	return 0;
}

/* Compares desired D with actual A into X (op and changed names); X->op
 * stays REC_CREATE (meaning: nothing to do) when they match. Returns 0 or
 * -1. The deps and force_new lists are the declaration's, not the
 * resource's: they are not compared. */
static int diff(const struct rec_res *d, const struct rec_res *a, struct rec_action *x)
{
	int replace = strcmp(d->type, a->type) != 0;
	if (replace && push_change(x, "type") != 0)
		return -1;
	for (size_t i = 0; i < d->nattrs; i++)
		if (!same_value(&d->attrs[i], attr_of(a, d->attrs[i].name))) {
			if (push_change(x, d->attrs[i].name) != 0)
				return -1;
			replace |= forces(d, d->attrs[i].name);
		}
	for (size_t i = 0; i < a->nattrs; i++)
		if (!attr_of(d, a->attrs[i].name)) {
			if (push_change(x, a->attrs[i].name) != 0)
				return -1;
			replace |= forces(d, a->attrs[i].name);
		}
	if (x->nchanged)
		x->op = replace ? REC_REPLACE : REC_UPDATE;
	return 0;
}

void rec_plan_free(struct rec_plan *p)
{
	for (size_t i = 0; i < p->n; i++)
		free_strs(p->a[i].changed, p->a[i].nchanged);
	budget_free(p->a);
	p->a = NULL;
	p->n = 0;
}

int rec_plan(const struct rec_state *d, const struct rec_state *a, struct rec_plan *p)
{
	p->n = 0;
	size_t cap = d->n + a->n + 1, big = d->n > a->n ? d->n : a->n;
	p->a = budget_calloc(cap, sizeof *p->a);
	size_t *order = budget_calloc(big + 1, sizeof *order);
	unsigned char *color = budget_calloc(big + 1, 1);
	if (!p->a || !order || !color)
		goto fail;
	dep_order(d, order, color);
	for (size_t k = 0; k < d->n; k++) {
		size_t i = order[k], j = rec_find(a, d->res[i].id);
		struct rec_action *x = &p->a[p->n];
		*x = (struct rec_action){REC_CREATE, i, j, NULL, 0};
		if (j == NONE) {
			p->n++;
			continue;
		}
		if (diff(&d->res[i], &a->res[j], x) != 0) {
			p->n++;
			goto fail;
		}
		if (x->nchanged)
			p->n++;
	}
	/* deletes: the actual state's dependency order, reversed */
	size_t m = 0;
	memset(color, 0, big + 1);
	for (size_t i = 0; i < a->n; i++)
		if (!a->res[i].deleted)
			visit(a, i, color, order, &m);
	for (size_t k = m; k-- > 0;) {
		size_t j = order[k];
		if (rec_find(d, a->res[j].id) == NONE)
			p->a[p->n++] = (struct rec_action){REC_DELETE, NONE, j, NULL, 0};
	}
	budget_free(order);
	budget_free(color);
	return 0;
fail:
	budget_free(order);
	budget_free(color);
	rec_plan_free(p);
	return -1;
}

/* ---- applying ---- */

int rec_apply_one(struct rec_state *actual, const struct rec_state *desired,
		  const struct rec_action *x)
{
	if (x->op == REC_DELETE) {
		actual->res[x->actual].deleted = 1;
		return 0;
	}
	struct rec_res fresh;
	if (res_copy(&fresh, &desired->res[x->desired]) != 0)
		return -1;
	if (x->op == REC_CREATE) {
		struct rec_res *v = budget_realloc(actual->res, (actual->n + 1) * sizeof *v);
		if (!v) {
			res_free(&fresh);
			return -1;
		}
		actual->res = v;
		v[actual->n++] = fresh;
		return 0;
	}
	res_free(&actual->res[x->actual]);            /* update and replace: in place */
	actual->res[x->actual] = fresh;
	return 0;
}

void rec_compact(struct rec_state *s)
{
	size_t k = 0;
	for (size_t i = 0; i < s->n; i++) {
		if (s->res[i].deleted)
			res_free(&s->res[i]);
		else
			s->res[k++] = s->res[i];
	}
	s->n = k;
}

/* ---- the loop ---- */

/* Applies drift event E to S. Returns 0 or -1. */
static int drift(struct rec_state *s, const struct rec_drift *e)
{
	size_t i = rec_find(s, e->id);
	if (i == NONE)
		return 0;                              /* already gone: nothing drifts */
	struct rec_res *r = &s->res[i];
	if (!e->attr) {
		r->deleted = 1;
		rec_compact(s);
		return 0;
	}
	char *v = dup_bytes(e->value, e->vlen);
	if (!v)
		return -1;
	for (size_t k = 0; k < r->nattrs; k++)
		if (strcmp(r->attrs[k].name, e->attr) == 0) {
			budget_free(r->attrs[k].value);
			r->attrs[k].value = v;
			r->attrs[k].vlen = e->vlen;
			return 0;
		}
	struct rec_attr *a = budget_realloc(r->attrs, (r->nattrs + 1) * sizeof *a);
	char *name = dup_str(e->attr);
	if (a)
		r->attrs = a;
	if (!a || !name) {
		budget_free(v);
		budget_free(name);
		return -1;
	}
	a[r->nattrs++] = (struct rec_attr){name, v, e->vlen};
	return 0;
}

void rec_loop_report_free(struct rec_loop_report *r)
{
	budget_free(r->ticks);
	memset(r, 0, sizeof *r);
}

/* Whether action X can be tried on ACTUAL now: what it creates or changes
 * has every dependency present; what it deletes has no dependent left. */
static int ready(const struct rec_state *actual, const struct rec_state *desired,
		 const struct rec_action *x)
{
	if (x->op != REC_DELETE) {
		const struct rec_res *d = &desired->res[x->desired];
		for (size_t i = 0; i < d->ndeps; i++)
			if (rec_find(actual, d->deps[i]) == NONE)
				return 0;
		return 1;
	}
	const char *id = actual->res[x->actual].id;
	for (size_t i = 0; i < actual->n; i++) {
		const struct rec_res *r = &actual->res[i];
		if (r->deleted || i == x->actual)
			continue;
		for (size_t k = 0; k < r->ndeps; k++)
			if (strcmp(r->deps[k], id) == 0)
				return 0;
	}
	return 1;
}

/* One reconciliation at T into K. Returns 0 or -1. */
static int tick(struct rec_state *actual, const struct rec_state *desired, struct rng *g,
		double fail, struct rec_tick *k)
{
	struct rec_plan p;
	if (rec_plan(desired, actual, &p) != 0)
		return -1;
	k->planned = p.n;
	for (size_t i = 0; i < p.n; i++) {
		if (!ready(actual, desired, &p.a[i])) {
			k->blocked++;
			continue;
		}
		if (fail > 0 && rng_uniform(g) < fail) {
			k->failed++;
			continue;
		}
		if (rec_apply_one(actual, desired, &p.a[i]) != 0) {
			rec_plan_free(&p);
			return -1;
		}
		k->applied++;
	}
	rec_plan_free(&p);
	rec_compact(actual);
	struct rec_plan after;
	if (rec_plan(desired, actual, &after) != 0)
		return -1;
	k->converged = after.n == 0;
	rec_plan_free(&after);
	return 0;
}

int rec_loop(struct rec_state *actual, const struct rec_state *desired,
	     const struct rec_loop_config *c, struct rec_loop_report *r)
{
	memset(r, 0, sizeof *r);
	r->first_converged = -1;
	size_t n = (size_t)floor(c->until / c->interval) + 1;
	r->ticks = budget_calloc(n + 1, sizeof *r->ticks);
	if (!r->ticks)
		return -1;
	struct rng g;
	rng_seed(&g, c->seed);
	size_t next = 0;
	int in_sync = 0;
	double since = 0;
	for (size_t t = 0; t < n; t++) {
		double now = (double)t * c->interval;
		while (next < c->ndrift && c->drift[next].at <= now) {
			if (drift(actual, &c->drift[next]) != 0)
				goto fail;
			if (in_sync) {                 /* out of sync from the drift on */
				in_sync = 0;
				since = c->drift[next].at;
			}
			next++;
		}
		if (budget_stop())
			goto fail;
		struct rec_tick *k = &r->ticks[r->nticks++];
		k->t = now;
		if (tick(actual, desired, &g, c->fail, k) != 0)
			goto fail;
		r->applied += k->applied;
		r->failed += k->failed;
		r->blocked += k->blocked;
		if (k->converged && !in_sync) {
			r->out_of_sync += now - since;
			in_sync = 1;
			if (r->first_converged < 0)
				r->first_converged = now;
		}
	}
	if (!in_sync)
		r->out_of_sync += (double)(n - 1) * c->interval - since;
	return 0;
fail:
	rec_loop_report_free(r);
	return -1;
}
