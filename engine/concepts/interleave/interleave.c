/*
 * interleave.c — the interleaving explorer (interleave.h): a state graph
 * walked depth first with each state visited once, schedules counted as
 * paths through it, and a seeded sample when the graph is too big.
 *
 * A state is an array of int64_t words:
 *   [0]                      the end: 0 running, else ILV_FAULT/ILV_RUNAWAY + 1
 *   [1 + 2t], [2 + 2t]       thread t's next step and steps run so far
 *   then each thread's registers, the shared variables, each lock's holder
 *   (-1: free) and each semaphore's count.
 */
#include "engine/concepts/interleave/interleave.h"

#include <stdio.h>
#include <string.h>

#include "engine/base/budget.h"
#include "engine/concepts/rand/rand.h"

const char *const ilv_op_names[] = {"read", "write", "set", "add", "lock", "unlock", "cas",
				    "atomic_add", "wait", "signal", "jz", "jnz", "jmp", NULL};
const char *const ilv_kind_names[] = {"done", "deadlock", "runaway", "fault", "running", NULL};

/* Where each part of a state starts. */
struct layout {
	size_t words;
	size_t *regs;         /* per thread: index of its first register */
	size_t vars, locks, sems;
};

/* The graph of states of an exhaustive run. */
struct graph {
	size_t words, n, cap;
	int64_t *st;          /* n states of `words` words */
	int32_t *succ;        /* n * nthreads successors (-1: that thread cannot run) */
	int32_t *out;         /* n: the outcome of a terminal state, else -1 */
	uint32_t *post;       /* states in postorder (descendants first) */
	size_t npost;
	uint32_t *hash;       /* open addressing: state index + 1, 0 empty */
	size_t hcap;
};

static int layout_init(const struct ilv_program *p, struct layout *l)
{
	l->regs = budget_calloc((size_t)p->nthreads + 1, sizeof *l->regs);
	if (!l->regs)
		return -1;
	size_t w = 1 + 2 * (size_t)p->nthreads;
	for (int t = 0; t < p->nthreads; t++) {
		l->regs[t] = w;
		w += (size_t)p->threads[t].nregs;
	}
	l->vars = w;
	l->locks = l->vars + (size_t)p->nvars;
	l->sems = l->locks + (size_t)p->nlocks;
	l->words = l->sems + (size_t)p->nsems;
	return 0;
}

static void initial_state(const struct ilv_program *p, const struct layout *l, int64_t *s)
{
	memset(s, 0, l->words * sizeof *s);
	for (int i = 0; i < p->nvars; i++)
		s[l->vars + (size_t)i] = p->varinit[i];
	for (int i = 0; i < p->nlocks; i++)
		s[l->locks + (size_t)i] = -1;
	for (int i = 0; i < p->nsems; i++)
		s[l->sems + (size_t)i] = p->seminit[i];
}

static int64_t wrapadd(int64_t a, int64_t b)
{
	return (int64_t)((uint64_t)a + (uint64_t)b);
}

static int64_t argval(const int64_t *s, const struct layout *l, int t, struct ilv_arg a)
{
	return a.reg < 0 ? a.k : s[l->regs[t] + (size_t)a.reg];
}

/* Can thread T take its next step in S? (A finished or waiting thread cannot.) */
static int can_run(const struct ilv_program *p, const struct layout *l, const int64_t *s, int t)
{
	const struct ilv_thread *th = &p->threads[t];
	int64_t pc = s[1 + 2 * t];
	if (s[0] != 0 || pc >= th->nsteps)
		return 0;
	const struct ilv_step *st = &th->steps[pc];
	if (st->op == ILV_LOCK)
		return s[l->locks + (size_t)st->obj] < 0;
	if (st->op == ILV_WAIT)
		return s[l->sems + (size_t)st->obj] > 0;
	return 1;
}

/* The register name of thread T, cut for the event text. */
static const char *rname(const struct ilv_program *p, int t, int r)
{
	return p->threads[t].regnames[r];
}

/* Text of operand A of thread T in S: "5" or "r (= 5)". */
static void argtext(const struct ilv_program *p, const int64_t *s, const struct layout *l, int t,
		    struct ilv_arg a, char *buf, size_t size)
{
	if (a.reg < 0)
		snprintf(buf, size, "%lld", (long long)a.k);
	else
		snprintf(buf, size, "%.24s", rname(p, t, a.reg));
	(void)s;
	(void)l;
}

/*
 * Runs thread T's next step on S in place (the caller checked can_run).
 * With TEXT, writes what happened ("read x -> r = 0").
 */
static void exec_step(const struct ilv_program *p, const struct layout *l, int64_t *s, int t,
		      char *text, size_t size)
{
	const struct ilv_thread *th = &p->threads[t];
	int64_t *pc = &s[1 + 2 * t], *ran = &s[2 + 2 * t];
	const struct ilv_step *st = &th->steps[*pc];
	int64_t *regs = &s[l->regs[t]];
	size_t obj = st->obj >= 0 ? (size_t)st->obj : 0;
	int64_t *var = &s[l->vars], *lk = &s[l->locks], *sem = &s[l->sems];
	/* only the op's own kind of object is indexed by obj */
	switch (st->op) {
	case ILV_READ: case ILV_WRITE: case ILV_CAS: case ILV_ATOMIC_ADD: var += obj; break;
	case ILV_LOCK: case ILV_UNLOCK: lk += obj; break;
	case ILV_WAIT: case ILV_SIGNAL: sem += obj; break;
	default: break;
	}
	int64_t a = argval(s, l, t, st->a), b = argval(s, l, t, st->b), next = *pc + 1;
	char at[40] = "", bt[40] = "";
	if (text) {
		argtext(p, s, l, t, st->a, at, sizeof at);
		argtext(p, s, l, t, st->b, bt, sizeof bt);
	}
	if (*ran >= p->max_steps) {
		s[0] = ILV_RUNAWAY + 1;
		if (text)
			snprintf(text, size, "runaway: over %d steps", p->max_steps);
		return;
	}
	(*ran)++;
	switch (st->op) {
	case ILV_READ:
		regs[st->reg] = *var;
		if (text)
			snprintf(text, size, "read %.24s -> %.24s = %lld", p->varnames[st->obj],
				 rname(p, t, st->reg), (long long)*var);
		break;
	case ILV_WRITE:
		*var = a;
		if (text)
			snprintf(text, size, "write %.24s = %lld", p->varnames[st->obj], (long long)a);
		break;
	case ILV_SET:
		regs[st->reg] = a;
		if (text)
			snprintf(text, size, "set %.24s = %lld", rname(p, t, st->reg), (long long)a);
		break;
	case ILV_ADD:
		regs[st->reg] = wrapadd(regs[st->reg], a);
		if (text)
			snprintf(text, size, "add %.24s + %s -> %lld", rname(p, t, st->reg), at,
				 (long long)regs[st->reg]);
		break;
	case ILV_LOCK:
		*lk = t;
		if (text)
			snprintf(text, size, "lock %.24s", p->locknames[st->obj]);
		break;
	case ILV_UNLOCK:
		if (*lk != t) {
			s[0] = ILV_FAULT + 1;
			if (text)
				snprintf(text, size, "unlock %.24s: not held (fault)", p->locknames[st->obj]);
			return;
		}
		*lk = -1;
		if (text)
			snprintf(text, size, "unlock %.24s", p->locknames[st->obj]);
		break;
	case ILV_CAS: {
		int ok = *var == a;
		if (ok)
			*var = b;
		if (st->reg >= 0)
			regs[st->reg] = ok;
		if (text)
			snprintf(text, size, "cas %.24s %lld -> %lld: %s", p->varnames[st->obj],
				 (long long)a, (long long)b, ok ? "ok" : "failed");
		break;
	}
	case ILV_ATOMIC_ADD: {
		int64_t old = *var;
		*var = wrapadd(old, a);
		if (st->reg >= 0)
			regs[st->reg] = old;
		if (text)
			snprintf(text, size, "atomic_add %.24s + %lld -> %lld", p->varnames[st->obj],
				 (long long)a, (long long)*var);
		break;
	}
	case ILV_WAIT:
		(*sem)--;
		if (text)
			snprintf(text, size, "wait %.24s -> %lld", p->semnames[st->obj], (long long)*sem);
		break;
	case ILV_SIGNAL:
		(*sem)++;
		if (text)
			snprintf(text, size, "signal %.24s -> %lld", p->semnames[st->obj], (long long)*sem);
		break;
	case ILV_JZ:
	case ILV_JNZ:
	case ILV_JMP: {
		int jump = st->op == ILV_JMP || (st->op == ILV_JZ) == (regs[st->reg] == 0);
		if (jump)
			next = st->target;
		if (text)
			snprintf(text, size, "%s%s%.24s -> step %lld", ilv_op_names[st->op],
				 st->op == ILV_JMP ? "" : " ", st->op == ILV_JMP ? "" : rname(p, t, st->reg),
				 (long long)next + 1);
		break;
	}
	default:
		break;
	}
	*pc = next;
}

/* The end of S, or -1 if some thread can still run. */
static int end_of(const struct ilv_program *p, const struct layout *l, const int64_t *s)
{
	if (s[0] != 0)
		return (int)s[0] - 1;
	int unfinished = 0;
	for (int t = 0; t < p->nthreads; t++) {
		if (can_run(p, l, s, t))
			return -1;
		if (s[1 + 2 * t] < p->threads[t].nsteps)
			unfinished = 1;
	}
	return unfinished ? ILV_DEADLOCK : ILV_DONE;
}

/* The outcome of end KIND with S's variables, added if new; -1 if memory is refused. */
static long find_outcome(struct ilv_result *r, const struct layout *l, int kind, const int64_t *s)
{
	const int64_t *v = s + l->vars;
	size_t bytes = (size_t)r->nvars * sizeof *v;
	for (size_t i = 0; i < r->noutcomes; i++)
		if ((int)r->outcomes[i].kind == kind && memcmp(r->outcomes[i].vars, v, bytes) == 0)
			return (long)i;
	struct ilv_outcome *o = budget_realloc(r->outcomes, (r->noutcomes + 1) * sizeof *o);
	if (!o)
		return -1;
	r->outcomes = o;
	o = &o[r->noutcomes];
	memset(o, 0, sizeof *o);
	o->kind = (enum ilv_kind)kind;
	o->vars = budget_malloc(bytes ? bytes : 1);
	if (!o->vars)
		return -1;
	memcpy(o->vars, v, bytes);
	return (long)r->noutcomes++;
}

static uint64_t hash_state(const int64_t *s, size_t words)
{
	uint64_t h = 1469598103934665603ull;
	for (size_t i = 0; i < words; i++) {
		h ^= (uint64_t)s[i];
		h *= 1099511628211ull;
		h ^= h >> 29;
	}
	return h;
}

static void graph_free(struct graph *g)
{
	if (!g)
		return;
	budget_free(g->st);
	budget_free(g->succ);
	budget_free(g->out);
	budget_free(g->post);
	budget_free(g->hash);
	budget_free(g);
}

static int graph_rehash(struct graph *g, size_t cap)
{
	uint32_t *h = budget_calloc(cap, sizeof *h);
	if (!h)
		return -1;
	for (size_t i = 0; i < g->n; i++) {
		size_t k = (size_t)hash_state(g->st + i * g->words, g->words) & (cap - 1);
		while (h[k])
			k = (k + 1) & (cap - 1);
		h[k] = (uint32_t)i + 1;
	}
	budget_free(g->hash);
	g->hash = h;
	g->hcap = cap;
	return 0;
}

/*
 * The index of state S in G, added if new (*ISNEW set). -1 when memory is
 * refused, -2 when G already holds LIMIT states.
 */
static long graph_add(struct graph *g, int nthreads, const int64_t *s, size_t limit, int *isnew)
{
	*isnew = 0;
	uint64_t h = hash_state(s, g->words);
	size_t k = (size_t)h & (g->hcap - 1);
	for (; g->hash[k]; k = (k + 1) & (g->hcap - 1)) {
		size_t i = g->hash[k] - 1;
		if (memcmp(g->st + i * g->words, s, g->words * sizeof *s) == 0)
			return (long)i;
	}
	if (limit && g->n >= limit)
		return -2;
	if (g->n == g->cap) {
		size_t cap = g->cap ? g->cap * 2 : 1024;
		int64_t *st = budget_realloc(g->st, cap * g->words * sizeof *st);
		if (!st)
			return -1;
		g->st = st;
		int32_t *succ = budget_realloc(g->succ, cap * (size_t)nthreads * sizeof *succ);
		if (!succ)
			return -1;
		g->succ = succ;
		int32_t *out = budget_realloc(g->out, cap * sizeof *out);
		if (!out)
			return -1;
		g->out = out;
		uint32_t *post = budget_realloc(g->post, cap * sizeof *post);
		if (!post)
			return -1;
		g->post = post;
		g->cap = cap;
	}
	size_t i = g->n++;
	memcpy(g->st + i * g->words, s, g->words * sizeof *s);
	for (int t = 0; t < nthreads; t++)
		g->succ[i * (size_t)nthreads + (size_t)t] = -1;
	g->out[i] = -1;
	g->hash[k] = (uint32_t)i + 1;
	*isnew = 1;
	if (g->n * 2 > g->hcap && graph_rehash(g, g->hcap * 2) != 0)
		return -1;
	return (long)i;
}

/* A DFS frame: a state and the next thread to try from it. */
struct frame {
	uint32_t state;
	int next;
};

/*
 * Builds the whole graph of P into G and its outcomes into R. 0; -1 memory
 * or stop; -2 over LIMIT states.
 */
static int build_graph(const struct ilv_program *p, const struct layout *l, struct graph *g,
		       size_t limit, struct ilv_result *r)
{
	int T = p->nthreads, isnew;
	unsigned long long steps = 0;
	int64_t *cur = budget_malloc(l->words * sizeof *cur);
	struct frame *stack = NULL;
	size_t depth = 0, cap = 0;
	int rc = -1;
	if (!cur)
		return -1;
	initial_state(p, l, cur);
	if (graph_add(g, T, cur, limit, &isnew) < 0)
		goto out;
	for (int pushed = 1; pushed || depth > 0;) {
		if (pushed) {   /* a new state: the root, or just added */
			pushed = 0;
			uint32_t si = (uint32_t)g->n - 1;
			int end = end_of(p, l, g->st + (size_t)si * l->words);
			if (end >= 0) {
				long o = find_outcome(r, l, end, g->st + (size_t)si * l->words);
				if (o < 0)
					goto out;
				g->out[si] = (int32_t)o;
				g->post[g->npost++] = si;
				if (depth == 0)
					break;
				continue;
			}
			if (depth == cap) {
				cap = cap ? cap * 2 : 64;
				struct frame *ns = budget_realloc(stack, cap * sizeof *ns);
				if (!ns)
					goto out;
				stack = ns;
			}
			stack[depth++] = (struct frame){si, 0};
		}
		struct frame *f = &stack[depth - 1];
		if (f->next >= T) {   /* every thread tried: finished */
			g->post[g->npost++] = f->state;
			depth--;
			continue;
		}
		int t = f->next++;
		const int64_t *s = g->st + (size_t)f->state * l->words;
		if (!can_run(p, l, s, t))
			continue;
		if (budget_poll(++steps))
			goto out;
		memcpy(cur, s, l->words * sizeof *cur);
		exec_step(p, l, cur, t, NULL, 0);
		long k = graph_add(g, T, cur, limit, &isnew);
		if (k < 0) {
			rc = (int)k;
			goto out;
		}
		g->succ[(size_t)f->state * (size_t)T + (size_t)t] = (int32_t)k;
		pushed = isnew;
	}
	rc = 0;
out:
	budget_free(cur);
	budget_free(stack);
	return rc;
}

/* Counts the paths from the root to every terminal state into R's outcomes. */
static int count_paths(const struct ilv_program *p, struct graph *g, struct ilv_result *r)
{
	size_t T = (size_t)p->nthreads;
	uint64_t *paths = budget_calloc(g->n, sizeof *paths);
	double *pf = budget_calloc(g->n, sizeof *pf);
	if (!paths || !pf) {
		budget_free(paths);
		budget_free(pf);
		return -1;
	}
	paths[0] = 1;
	pf[0] = 1;
	for (size_t i = g->npost; i-- > 0;) {   /* reverse postorder: parents first */
		uint32_t s = g->post[i];
		if (g->out[s] >= 0) {
			struct ilv_outcome *o = &r->outcomes[g->out[s]];
			if (UINT64_MAX - o->schedules < paths[s])
				r->overflow = 1, o->schedules = UINT64_MAX;
			else
				o->schedules += paths[s];
			o->schedules_f += pf[s];
			if (UINT64_MAX - r->schedules < paths[s])
				r->overflow = 1, r->schedules = UINT64_MAX;
			else
				r->schedules += paths[s];
			r->schedules_f += pf[s];
			continue;
		}
		for (size_t t = 0; t < T; t++) {
			int32_t k = g->succ[s * T + t];
			if (k < 0)
				continue;
			if (UINT64_MAX - paths[k] < paths[s])
				paths[k] = UINT64_MAX, r->overflow = 1;
			else
				paths[k] += paths[s];
			pf[k] += pf[s];
		}
	}
	budget_free(paths);
	budget_free(pf);
	return 0;
}

/* Runs C->samples random schedules of P into R. 0, or -1 (memory, stop). */
static int sample(const struct ilv_program *p, const struct layout *l, const struct ilv_config *c,
		  struct ilv_result *r)
{
	size_t T = (size_t)p->nthreads, maxlen = (size_t)p->max_steps * T + T + 1;
	int64_t *s = budget_malloc(l->words * sizeof *s);
	int *path = budget_malloc(maxlen * sizeof *path), *can = budget_malloc(T * sizeof *can);
	int rc = -1;
	struct rng g;
	rng_seed(&g, c->seed);
	if (!s || !path || !can)
		goto out;
	for (size_t run = 0; run < c->samples; run++) {
		size_t n = 0;
		initial_state(p, l, s);
		int end;
		while ((end = end_of(p, l, s)) < 0) {
			size_t k = 0;
			for (size_t t = 0; t < T; t++)
				if (can_run(p, l, s, (int)t))
					can[k++] = (int)t;
			int t = can[rng_below(&g, k)];
			exec_step(p, l, s, t, NULL, 0);
			path[n++] = t;
			if (budget_poll(run * 64 + n))
				goto out;
		}
		long o = find_outcome(r, l, end, s);
		if (o < 0)
			goto out;
		struct ilv_outcome *oc = &r->outcomes[o];
		if (oc->schedules++ == 0) {
			oc->first = budget_malloc((n ? n : 1) * sizeof *oc->first);
			if (!oc->first)
				goto out;
			memcpy(oc->first, path, n * sizeof *path);
			oc->nfirst = n;
		}
		oc->schedules_f += 1;
		r->schedules++;
		r->schedules_f += 1;
	}
	rc = 0;
out:
	budget_free(s);
	budget_free(path);
	budget_free(can);
	return rc;
}

void ilv_result_free(struct ilv_result *r)
{
	for (size_t i = 0; i < r->noutcomes; i++) {
		budget_free(r->outcomes[i].vars);
		budget_free(r->outcomes[i].first);
	}
	budget_free(r->outcomes);
	graph_free(r->graph);
	memset(r, 0, sizeof *r);
}

int ilv_explore(const struct ilv_program *p, const struct ilv_config *c, struct ilv_result *r)
{
	struct layout l;
	memset(r, 0, sizeof *r);
	r->nvars = p->nvars;
	if (layout_init(p, &l) != 0)
		return -1;
	struct graph *g = budget_calloc(1, sizeof *g);
	int rc = -1;
	if (!g)
		goto out;
	g->words = l.words;
	if (graph_rehash(g, 1024) != 0)
		goto out;
	r->graph = g;
	rc = build_graph(p, &l, g, c->max_states, r);
	if (rc == 0) {
		r->exhaustive = 1;
		r->states = g->n;
		rc = count_paths(p, g, r);
	} else if (rc == -2) {   /* too many states: a sample instead */
		ilv_result_free(r);
		r->nvars = p->nvars;
		g = NULL;
		rc = sample(p, &l, c, r);
	}
out:
	if (rc != 0) {
		if (!r->graph)
			graph_free(g);
		ilv_result_free(r);
	}
	budget_free(l.regs);
	return rc;
}

int ilv_first_bad(const struct ilv_program *p, const struct ilv_result *r, int **sched,
		  size_t *n, size_t *which)
{
	*sched = NULL;
	*n = 0;
	if (!r->exhaustive) {   /* sample: the first bad draw, by outcome order of discovery */
		/* outcomes are found in sample order, so the first bad outcome is the earliest */
		for (size_t i = 0; i < r->noutcomes; i++) {
			const struct ilv_outcome *o = &r->outcomes[i];
			if (!o->bad)
				continue;
			*sched = budget_malloc((o->nfirst ? o->nfirst : 1) * sizeof **sched);
			if (!*sched)
				return -1;
			memcpy(*sched, o->first, o->nfirst * sizeof **sched);
			*n = o->nfirst;
			*which = i;
			return 1;
		}
		return 0;
	}
	const struct graph *g = r->graph;
	size_t T = (size_t)p->nthreads;
	char *reach = budget_calloc(g->n, 1);
	if (!reach)
		return -1;
	for (size_t i = 0; i < g->npost; i++) {   /* descendants first */
		uint32_t s = g->post[i];
		if (g->out[s] >= 0) {
			reach[s] = (char)(r->outcomes[g->out[s]].bad != 0);
			continue;
		}
		for (size_t t = 0; t < T && !reach[s]; t++)
			if (g->succ[s * T + t] >= 0 && reach[g->succ[s * T + t]])
				reach[s] = 1;
	}
	int found = 0;
	if (reach[0]) {
		size_t len = 0, cap = 64;
		int *path = budget_malloc(cap * sizeof *path);
		uint32_t s = 0;
		if (!path)
			goto done;
		while (g->out[s] < 0) {
			size_t t = 0;
			while (g->succ[s * T + t] < 0 || !reach[g->succ[s * T + t]])
				t++;
			if (len == cap) {
				int *np = budget_realloc(path, 2 * cap * sizeof *np);
				if (!np) {
					budget_free(path);
					found = -1;
					goto done;
				}
				path = np;
				cap *= 2;
			}
			path[len++] = (int)t;
			s = (uint32_t)g->succ[s * T + t];
		}
		*sched = path;
		*n = len;
		*which = (size_t)g->out[s];
		found = 1;
	}
done:
	budget_free(reach);
	return found;
}

size_t ilv_replay(const struct ilv_program *p, const int *sched, size_t n, enum ilv_kind *kind,
		  int64_t *vars, struct ilv_event *ev, size_t *nev)
{
	struct layout l;
	size_t bad = 0, i = 0;
	if (nev)
		*nev = 0;
	*kind = ILV_RUNNING;
	if (layout_init(p, &l) != 0)
		return (size_t)-1;
	int64_t *s = budget_malloc(l.words * sizeof *s);
	if (!s) {
		budget_free(l.regs);
		return (size_t)-1;
	}
	initial_state(p, &l, s);
	int end = end_of(p, &l, s);
	for (; i < n; i++) {
		int t = sched[i];
		if (end >= 0 || t < 0 || t >= p->nthreads || !can_run(p, &l, s, t)) {
			bad = i + 1;
			break;
		}
		struct ilv_event *e = ev ? &ev[(*nev)++] : NULL;
		if (e) {
			e->thread = t;
			e->step = (int)s[1 + 2 * t];
		}
		exec_step(p, &l, s, t, e ? e->text : NULL, e ? sizeof e->text : 0);
		end = end_of(p, &l, s);
	}
	if (end >= 0)
		*kind = (enum ilv_kind)end;
	else if (bad)
		*kind = ILV_RUNNING;
	memcpy(vars, s + l.vars, (size_t)p->nvars * sizeof *vars);
	budget_free(s);
	budget_free(l.regs);
	return bad;
}

void ilv_draw(const struct ilv_program *p, const struct ilv_event *ev, size_t nev, struct sbuf *sb)
{
	enum { COL = 34 };
	sbuf_adds(sb, "     ");
	for (int t = 0; t < p->nthreads; t++) {
		char head[16];
		snprintf(head, sizeof head, "T%d", t + 1);
		if (t + 1 < p->nthreads)
			sbuf_addf(sb, "%-*s", COL, head);
		else
			sbuf_adds(sb, head);
	}
	sbuf_addc(sb, '\n');
	for (size_t i = 0; i < nev; i++) {
		sbuf_addf(sb, "%4zu ", i + 1);
		for (int t = 0; t < ev[i].thread; t++)
			sbuf_repeat(sb, " ", COL);
		sbuf_addf(sb, "%d: %s\n", ev[i].step + 1, ev[i].text);
	}
}

uint64_t ilv_multinomial(const int *n, int k)
{
	/* the product of binomials C(n1 + .. + ni, ni), each built exactly */
	uint64_t total = 1;
	int sum = 0;
	for (int i = 0; i < k; i++) {
		uint64_t c = 1;
		for (int j = 1; j <= n[i]; j++) {   /* C(sum + j, j) from C(sum + j - 1, j - 1) */
			unsigned __int128 q = (unsigned __int128)c * (unsigned)(sum + j) / (unsigned)j;
			if (q > UINT64_MAX)
				return UINT64_MAX;
			c = (uint64_t)q;
		}
		sum += n[i];
		unsigned __int128 y = (unsigned __int128)total * c;
		if (y > UINT64_MAX)
			return UINT64_MAX;
		total = (uint64_t)y;
	}
	return total;
}

void ilv_program_free(struct ilv_program *p)
{
	for (int t = 0; t < p->nthreads; t++) {
		struct ilv_thread *th = &p->threads[t];
		for (int r = 0; r < th->nregs; r++)
			budget_free(th->regnames[r]);
		budget_free(th->regnames);
		budget_free(th->steps);
	}
	budget_free(p->threads);
	for (int i = 0; i < p->nvars; i++)
		budget_free(p->varnames[i]);
	for (int i = 0; i < p->nlocks; i++)
		budget_free(p->locknames[i]);
	for (int i = 0; i < p->nsems; i++)
		budget_free(p->semnames[i]);
	budget_free(p->varnames);
	budget_free(p->locknames);
	budget_free(p->semnames);
	budget_free(p->varinit);
	budget_free(p->seminit);
	memset(p, 0, sizeof *p);
}
