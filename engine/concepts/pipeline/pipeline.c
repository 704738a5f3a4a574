/*
 * pipeline.c — the pipeline DAG: validation with the cycle named, the
 * critical path with each job's slack, and a list-scheduling run on a
 * simulated clock (see pipeline.h).
 */
#include "engine/concepts/pipeline/pipeline.h"
#include "engine/base/budget.h"
#include "engine/concepts/rand/rand.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

double pipe_duration(const struct pipe_config *c, size_t j)
{
	const struct pipe_job *job = &c->jobs[j];
	return c->warm && job->cached >= 0 ? job->cached : job->duration;
}

/* ---- the graph: every job's needs, a gate's implicit ones included ---- */

struct graph {
	size_t n;
	size_t *pstart, *pred;  /* preds of j: pred[pstart[j] .. pstart[j+1]) */
	size_t *sstart, *succ;  /* succs of j, likewise */
	size_t *topo;           /* a topological order (valid only for a DAG) */
};

static void graph_free(struct graph *g)
{
	budget_free(g->pstart);
	budget_free(g->pred);
	budget_free(g->sstart);
	budget_free(g->succ);
	budget_free(g->topo);
	memset(g, 0, sizeof *g);
}

/* Counts the distinct needs of job J (a gate's implicit ones included) and,
 * when OUT is not NULL, writes them there. STAMP marks what is seen. */
static size_t each_pred(const struct pipe_config *c, size_t j, size_t *stamp, size_t *out)
{
	size_t k = 0;
	const struct pipe_job *job = &c->jobs[j];
	for (size_t i = 0; i < job->nneeds; i++) {
		size_t p = job->needs[i];
		if (stamp[p] != j + 1) {
			stamp[p] = j + 1;
			if (out)
				out[k] = p;
			k++;
		}
	}
	if (job->gate)
		for (size_t p = 0; p < c->njobs; p++)
			if (!c->jobs[p].gate && stamp[p] != j + 1) {
				stamp[p] = j + 1;
				if (out)
					out[k] = p;
				k++;
			}
	return k;
}

/* Builds G from C (needs in range). Returns 0, or -1 without memory. */
static int graph_build(const struct pipe_config *c, struct graph *g)
{
	size_t n = c->njobs;
	memset(g, 0, sizeof *g);
	g->n = n;
	size_t *stamp = budget_calloc(n + 1, sizeof *stamp);
	g->pstart = budget_calloc(n + 1, sizeof *g->pstart);
	g->sstart = budget_calloc(n + 1, sizeof *g->sstart);
	g->topo = budget_calloc(n + 1, sizeof *g->topo);
	if (!stamp || !g->pstart || !g->sstart || !g->topo)
		goto fail;
	size_t total = 0;
	for (size_t j = 0; j < n; j++) {
		g->pstart[j] = total;
		total += each_pred(c, j, stamp, NULL);
	}
	g->pstart[n] = total;
	memset(stamp, 0, (n + 1) * sizeof *stamp);
	g->pred = budget_calloc(total + 1, sizeof *g->pred);
	g->succ = budget_calloc(total + 1, sizeof *g->succ);
	if (!g->pred || !g->succ)
		goto fail;
	for (size_t j = 0; j < n; j++)
		each_pred(c, j, stamp, g->pred + g->pstart[j]);
	for (size_t e = 0; e < total; e++)
		g->sstart[g->pred[e] + 1]++;
	for (size_t j = 0; j < n; j++)
		g->sstart[j + 1] += g->sstart[j];
	memset(stamp, 0, (n + 1) * sizeof *stamp); /* now: successors placed so far */
	for (size_t j = 0; j < n; j++)
		for (size_t e = g->pstart[j]; e < g->pstart[j + 1]; e++) {
			size_t p = g->pred[e];
			g->succ[g->sstart[p] + stamp[p]++] = j;
		}
	budget_free(stamp);
	return 0;
fail:
	budget_free(stamp);
	graph_free(g);
	return -1;
}

/* Kahn's algorithm into g->topo. Returns the number of jobs ordered (n
 * for a DAG). */
static size_t graph_sort(struct graph *g)
{
	size_t n = g->n, head = 0, tail = 0;
	size_t *left = budget_calloc(n + 1, sizeof *left);
	if (!left)
		return 0;
	for (size_t j = 0; j < n; j++) {
		left[j] = g->pstart[j + 1] - g->pstart[j];
		if (left[j] == 0)
			g->topo[tail++] = j;
	}
	while (head < tail) {
		size_t j = g->topo[head++];
		for (size_t e = g->sstart[j]; e < g->sstart[j + 1]; e++)
			if (--left[g->succ[e]] == 0)
				g->topo[tail++] = g->succ[e];
	}
	budget_free(left);
	return tail;
}

/* ---- validation ---- */

/* Depth-first search from J for a cycle; COLOR 0 new, 1 on the path, 2
 * done; ON holds the path. Returns the index in ON where the cycle starts,
 * or PIPE_NONE. */
static size_t find_cycle(const struct graph *g, size_t j, unsigned char *color, size_t *on,
			 size_t *depth)
{
	color[j] = 1;
	on[(*depth)++] = j;
	for (size_t e = g->pstart[j]; e < g->pstart[j + 1]; e++) {
		size_t p = g->pred[e];
		if (color[p] == 1) {
			for (size_t k = 0; k < *depth; k++)
				if (on[k] == p)
					return k;
		}
		if (color[p] == 0) {
			size_t at = find_cycle(g, p, color, on, depth);
			if (at != PIPE_NONE)
				return at;
		}
	}
	color[j] = 2;
	(*depth)--;
	return PIPE_NONE;
}

/* Writes "a cycle: a -> b -> a" into BUF (a needs b needs a, read as
 * "runs after": printed in the order the jobs would have to run). */
static const char *cycle_message(const struct pipe_config *c, const struct graph *g, char *buf,
				 size_t size)
{
	size_t n = g->n, depth = 0;
	unsigned char *color = budget_calloc(n + 1, 1);
	size_t *on = budget_calloc(n + 1, sizeof *on);
	if (!color || !on) {
		budget_free(color);
		budget_free(on);
		snprintf(buf, size, "the needs form a cycle");
		return buf;
	}
	size_t at = PIPE_NONE;
	for (size_t j = 0; j < n && at == PIPE_NONE; j++)
		if (color[j] == 0)
			at = find_cycle(g, j, color, on, &depth);
	int gate = 0;
	size_t used = (size_t)snprintf(buf, size, "a cycle:");
	if (at != PIPE_NONE) {
		/* on[at..depth) is a chain where each needs the next: print it
		 * backwards, so that each job runs after the one before it */
		for (size_t k = depth; k-- > at && used < size;) {
			gate |= c->jobs[on[k]].gate;
			used += (size_t)snprintf(buf + used, size - used, " %s ->", c->jobs[on[k]].name);
		}
		if (used < size)
			used += (size_t)snprintf(buf + used, size - used, " %s", c->jobs[on[depth - 1]].name);
		if (gate && used < size)
			snprintf(buf + used, size - used, " (a gate needs every job that is not a gate)");
	}
	budget_free(color);
	budget_free(on);
	return buf;
}

const char *pipe_validate(const struct pipe_config *c, char *buf, size_t size)
{
	if (c->njobs == 0)
		return snprintf(buf, size, "a pipeline needs at least one job"), buf;
	if (c->njobs > PIPE_MAX_JOBS)
		return snprintf(buf, size, "more than %d jobs", PIPE_MAX_JOBS), buf;
	if (c->retries < 0 || c->retries > PIPE_MAX_RETRIES)
		return snprintf(buf, size, "retries must be between 0 and %d", PIPE_MAX_RETRIES), buf;
	for (size_t j = 0; j < c->njobs; j++) {
		const struct pipe_job *job = &c->jobs[j];
		if (!job->name || !*job->name)
			return snprintf(buf, size, "job %zu has no name", j + 1), buf;
		for (size_t k = 0; k < j; k++)
			if (strcmp(c->jobs[k].name, job->name) == 0)
				return snprintf(buf, size, "two jobs are named '%s'", job->name), buf;
		if (!(job->duration > 0 && job->duration < 1e9))
			return snprintf(buf, size, "job '%s': duration must be above 0", job->name), buf;
		if (job->cached >= 0 && !(job->cached <= job->duration))
			return snprintf(buf, size, "job '%s': a cached run cannot be slower than its duration",
					job->name), buf;
		if (!(job->flaky >= 0 && job->flaky < 1))
			return snprintf(buf, size, "job '%s': flaky must be in [0, 1)", job->name), buf;
		for (size_t i = 0; i < job->nneeds; i++)
			if (job->needs[i] >= c->njobs)
				return snprintf(buf, size, "job '%s' needs a job that does not exist",
						job->name), buf;
	}
	struct graph g;
	if (graph_build(c, &g) != 0)
		return snprintf(buf, size, "not enough memory"), buf;
	const char *msg = graph_sort(&g) == g.n ? NULL : cycle_message(c, &g, buf, size);
	graph_free(&g);
	return msg;
}

/* ---- the critical path ---- */

/* Earliest finish EF, latest finish LF and bottom level BL (the longest
 * path from a job to the end, itself included) of every job. */
static void plan(const struct pipe_config *c, const struct graph *g, double *ef, double *lf,
		 double *bl, struct pipe_report *r)
{
	size_t n = g->n;
	r->critical = 0;
	for (size_t k = 0; k < n; k++) {
		size_t j = g->topo[k];
		double s = 0;
		for (size_t e = g->pstart[j]; e < g->pstart[j + 1]; e++)
			s = fmax(s, ef[g->pred[e]]);
		ef[j] = s + pipe_duration(c, j);
		r->critical = fmax(r->critical, ef[j]);
	}
	for (size_t k = n; k-- > 0;) {
		size_t j = g->topo[k];
		double f = r->critical, b = 0;
		for (size_t e = g->sstart[j]; e < g->sstart[j + 1]; e++) {
			size_t s = g->succ[e];
			f = fmin(f, lf[s] - pipe_duration(c, s));
			b = fmax(b, bl[s]);
		}
		lf[j] = f;
		bl[j] = b + pipe_duration(c, j);
	}
}

/* The critical path into R: from the job that finishes last (the first
 * listed of those), back through the need that finishes last. */
static int trace_path(const struct graph *g, const double *ef, struct pipe_report *r)
{
	size_t n = g->n, end = 0;
	for (size_t j = 1; j < n; j++)
		if (ef[j] > ef[end])
			end = j;
	size_t *back = budget_calloc(n + 1, sizeof *back);
	if (!back)
		return -1;
	size_t len = 0;
	for (size_t j = end; j != PIPE_NONE;) {
		back[len++] = j;
		size_t best = PIPE_NONE;
		for (size_t e = g->pstart[j]; e < g->pstart[j + 1]; e++)
			if (best == PIPE_NONE || ef[g->pred[e]] > ef[best] ||
			    (ef[g->pred[e]] == ef[best] && g->pred[e] < best))
				best = g->pred[e];
		j = best;
	}
	r->path = budget_calloc(len + 1, sizeof *r->path);
	if (!r->path) {
		budget_free(back);
		return -1;
	}
	for (size_t k = 0; k < len; k++)
		r->path[k] = back[len - 1 - k];
	r->npath = len;
	budget_free(back);
	return 0;
}

/* ---- the run ---- */

struct sim {
	const struct pipe_config *c;
	const struct graph *g;
	struct pipe_report *r;
	const double *bl;
	unsigned char *state;   /* 0 waiting, 1 ready, 2 running, 3 done */
	size_t *left;           /* needs not yet passed */
	size_t *busy;           /* runner -> job + 1, 0: free */
	size_t nrunners;
	size_t *stack;          /* jobs to skip */
};

/* Resolves job J as STATUS at time T, and skips (transitively) every job
 * that needs it when it did not pass; a job whose needs have all passed
 * becomes ready. */
static void resolve(struct sim *s, size_t j, enum pipe_status status, double t)
{
	size_t top = 0;
	s->state[j] = 3;
	s->r->jobs[j].status = status;
	s->stack[top++] = j;
	while (top > 0) {
		size_t p = s->stack[--top];
		int passed = s->r->jobs[p].status == PIPE_PASSED;
		for (size_t e = s->g->sstart[p]; e < s->g->sstart[p + 1]; e++) {
			size_t q = s->g->succ[e];
			if (s->state[q] != 0)
				continue;
			if (!passed) {
				struct pipe_jobrun *jr = &s->r->jobs[q];
				s->state[q] = 3;
				jr->status = PIPE_SKIPPED;
				jr->ready = jr->start = jr->finish = t;
				s->stack[top++] = q;
			} else if (--s->left[q] == 0) {
				s->state[q] = 1;
				s->r->jobs[q].ready = t;
			}
		}
	}
}

/* The ready job to start next, or PIPE_NONE. */
static size_t next_ready(const struct sim *s)
{
	size_t best = PIPE_NONE;
	for (size_t j = 0; j < s->g->n; j++)
		if (s->state[j] == 1 &&
		    (best == PIPE_NONE || (s->c->order == PIPE_CRITICAL && s->bl[j] > s->bl[best])))
			best = j;
	return best;
}

/* Starts job J at T on a free runner: its attempts are drawn now, from the
 * job's own stream. */
static void start(struct sim *s, size_t j, double t)
{
	size_t w = 0;
	while (s->busy[w])
		w++;
	s->busy[w] = j + 1;
	if (w + 1 > s->nrunners)
		s->nrunners = w + 1;
	struct rng rng;
	rng_seed(&rng, s->c->seed ^ (0x9E3779B97F4A7C15ULL * (uint64_t)(j + 1)));
	struct pipe_jobrun *jr = &s->r->jobs[j];
	double d = pipe_duration(s->c, j), flaky = s->c->jobs[j].flaky;
	int ok = 0;
	while (!ok && jr->attempts <= s->c->retries) {
		jr->attempts++;
		ok = !(flaky > 0 && rng_uniform(&rng) < flaky);
	}
	jr->worker = w;
	jr->start = t;
	jr->finish = t + d * jr->attempts;
	jr->status = ok ? PIPE_PASSED : PIPE_FAILED;
	s->r->work += d * jr->attempts;
	s->state[j] = 2;
	s->r->started[s->r->nstarted++] = j;
}

static void simulate(struct sim *s)
{
	size_t n = s->g->n, cap = s->c->workers ? s->c->workers : n;
	double t = 0;
	for (size_t j = 0; j < n; j++)
		if (s->left[j] == 0)
			s->state[j] = 1;
	for (;;) {
		size_t running = 0;
		for (size_t w = 0; w < cap && w < n; w++)
			running += s->busy[w] != 0;
		size_t j;
		while (running < cap && (j = next_ready(s)) != PIPE_NONE) {
			start(s, j, t);
			running++;
		}
		if (running == 0)
			break;
		double next = INFINITY;
		for (size_t w = 0; w < cap && w < n; w++)
			if (s->busy[w])
				next = fmin(next, s->r->jobs[s->busy[w] - 1].finish);
		t = next;
		for (size_t k = 0; k < n; k++) /* finishing at t, in listed order */
			if (s->state[k] == 2 && s->r->jobs[k].finish == t) {
				s->busy[s->r->jobs[k].worker] = 0;
				if (s->r->jobs[k].status == PIPE_FAILED && s->r->first_failed == PIPE_NONE)
					s->r->first_failed = k;
				resolve(s, k, s->r->jobs[k].status, t);
			}
		s->r->makespan = t;
	}
}

void pipe_report_free(struct pipe_report *r)
{
	budget_free(r->jobs);
	budget_free(r->path);
	budget_free(r->started);
	memset(r, 0, sizeof *r);
}

int pipe_run(const struct pipe_config *c, struct pipe_report *r)
{
	size_t n = c->njobs;
	memset(r, 0, sizeof *r);
	r->first_failed = PIPE_NONE;
	struct graph g;
	if (graph_build(c, &g) != 0)
		return -1;
	graph_sort(&g);
	struct sim s = {.c = c, .g = &g, .r = r};
	double *ef = budget_calloc(3 * n + 1, sizeof *ef);
	s.state = budget_calloc(n + 1, 1);
	s.left = budget_calloc(n + 1, sizeof *s.left);
	s.busy = budget_calloc(n + 1, sizeof *s.busy);
	s.stack = budget_calloc(n + 1, sizeof *s.stack);
	r->jobs = budget_calloc(n + 1, sizeof *r->jobs);
	r->started = budget_calloc(n + 1, sizeof *r->started);
	int rc = -1;
	if (!ef || !s.state || !s.left || !s.busy || !s.stack || !r->jobs || !r->started)
		goto out;
	double *lf = ef + n, *bl = ef + 2 * n;
	plan(c, &g, ef, lf, bl, r);
	if (trace_path(&g, ef, r) != 0)
		goto out;
	for (size_t j = 0; j < n; j++) {
		s.left[j] = g.pstart[j + 1] - g.pstart[j];
		r->jobs[j].worker = PIPE_NONE;
		r->jobs[j].slack = lf[j] - ef[j];
		r->jobs[j].critical = fabs(r->jobs[j].slack) <= 1e-9 * fmax(1, r->critical);
	}
	s.bl = bl;
	simulate(&s);
	r->passed = 1;
	for (size_t j = 0; j < n; j++)
		r->passed &= r->jobs[j].status == PIPE_PASSED;
	rc = 0;
out:
	budget_free(ef);
	budget_free(s.state);
	budget_free(s.left);
	budget_free(s.busy);
	budget_free(s.stack);
	graph_free(&g);
	if (rc != 0)
		pipe_report_free(r);
	return rc;
}
