/*
 * sim.c — the simulator's core: the event heap, the network, nodes and their
 * timers, clients, and the run loop. Faults and the nemesis are in
 * simfault.c, the trace in simtrace.c. See sim.h.
 */
#include "engine/concepts/sim/sim_int.h"
#include "engine/concepts/sim/simval.h"
#include "engine/base/budget.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Stream numbers mixed into the seed, one per source of randomness. */
enum { STREAM_NET = 1, STREAM_NEMESIS = 2, STREAM_CLOCKS = 3, STREAM_NODE = 16 };

static void stream_seed(struct rng *r, uint64_t seed, uint64_t stream)
{
	rng_seed(r, seed ^ (stream * 0x9E3779B97F4A7C15ull));
}

int64_t sim_to_ns(double seconds)
{
	if (!(seconds > 0))
		return 0;
	if (seconds > SIM_MAX_TIME)
		return (int64_t)(SIM_MAX_TIME * SIM_NS);
	return (int64_t)llround(seconds * SIM_NS);
}

/* ---- configuration ---- */

struct sim_config sim_config_default(void)
{
	struct sim_config c = {0};
	c.nodes = 3;
	c.net.latency.dist = SIM_CONST;
	c.net.latency.mean = 0.001;
	c.net.reorder_delay = 0.01;
	c.trace = 1;
	return c;
}

static int prob(double p)
{
	return p >= 0 && p <= 1;
}

static int secs(double x)
{
	return x >= 0 && x <= 1e6;
}

static const char *latency_check(const struct sim_latency *l)
{
	if (!secs(l->mean) || !secs(l->min) || !secs(l->max) || !secs(l->sd))
		return "latencies must be between 0 and 10^6 seconds";
	if (l->dist == SIM_UNIFORM && l->min > l->max)
		return "a uniform latency needs min <= max";
	if (l->dist == SIM_EXP && l->min > l->mean)
		return "an exponential latency needs min <= mean";
	if (l->dist > SIM_NORMAL)
		return "unknown latency distribution";
	return NULL;
}

const char *sim_config_check(const struct sim_config *c)
{
	if (c->nodes < 1 || c->nodes > SIM_MAX_NODES)
		return "nodes must be between 1 and 1000";
	const char *why = latency_check(&c->net.latency);
	if (why)
		return why;
	if (!prob(c->net.loss) || !prob(c->net.dup) || !prob(c->net.reorder))
		return "loss, dup and reorder are probabilities between 0 and 1";
	if (!secs(c->net.reorder_delay))
		return "reorder_delay must be between 0 and 10^6 seconds";
	if (!(c->clock_skew >= 0 && c->clock_skew <= 1e6))
		return "clock_skew must be between 0 and 10^6 seconds";
	if (!(c->clock_drift >= 0 && c->clock_drift <= 0.5))
		return "clock_drift must be between 0 and 0.5";
	return NULL;
}

/* ---- errors ---- */

void sim_set_error(struct sim *s, const char *msg)
{
	budget_free(s->error);
	s->error = budget_strdup(msg);
	s->error_static = s->error ? NULL : "not enough memory";
}

static int fail(struct sim *s, const char *msg)
{
	sim_set_error(s, msg);
	return -1;
}

const char *sim_error(const struct sim *s)
{
	if (s->error)
		return s->error;
	return s->error_static ? s->error_static : "no error";
}

void sim_abort(struct sim *s, const char *fmt, ...)
{
	char small[256];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n >= (int)sizeof small) { /* too long for the stack copy: size it */
		char *big = budget_malloc((size_t)n + 1);
		if (big) {
			va_start(ap, fmt);
			vsnprintf(big, (size_t)n + 1, fmt, ap);
			va_end(ap);
			budget_free(s->error);
			s->error = big;
			s->dead = 1;
			return;
		}
	}
	sim_set_error(s, n >= 0 ? small : "error");
	s->dead = 1;
}

/* ---- the heap ---- */

static int before(const struct ev *a, const struct ev *b)
{
	return a->at < b->at || (a->at == b->at && a->seq < b->seq);
}

int sim_push(struct sim *s, const struct ev *e)
{
	if (s->nheap == s->capheap) {
		size_t cap = s->capheap ? 2 * s->capheap : 256;
		struct ev *h = budget_realloc(s->heap, cap * sizeof *h);
		if (!h)
			return fail(s, "not enough memory for the event queue");
		s->heap = h;
		s->capheap = cap;
	}
	struct ev x = *e;
	x.seq = ++s->seq;
	size_t i = s->nheap++;
	while (i > 0) {
		size_t parent = (i - 1) / 2;
		if (!before(&x, &s->heap[parent]))
			break;
		s->heap[i] = s->heap[parent];
		i = parent;
	}
	s->heap[i] = x;
	return 0;
}

static struct ev pop(struct sim *s)
{
	struct ev top = s->heap[0];
	struct ev last = s->heap[--s->nheap];
	size_t i = 0, n = s->nheap;
	for (;;) {
		size_t c = 2 * i + 1;
		if (c >= n)
			break;
		if (c + 1 < n && before(&s->heap[c + 1], &s->heap[c]))
			c++;
		if (!before(&s->heap[c], &last))
			break;
		s->heap[i] = s->heap[c];
		i = c;
	}
	if (n)
		s->heap[i] = last;
	return top;
}

/* ---- the set of pending timers ---- */

static size_t slot_of(uint64_t id, size_t cap)
{
	return (size_t)((id * 0x9E3779B97F4A7C15ull) >> 20) & (cap - 1);
}

static int idset_add(struct idset *t, uint64_t id)
{
	if ((t->count + 1) * 2 > t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 64;
		uint64_t *slot = budget_calloc(cap, sizeof *slot);
		if (!slot)
			return -1;
		for (size_t i = 0; i < t->cap; i++)
			if (t->slot[i]) {
				size_t j = slot_of(t->slot[i], cap);
				while (slot[j])
					j = (j + 1) & (cap - 1);
				slot[j] = t->slot[i];
			}
		budget_free(t->slot);
		t->slot = slot;
		t->cap = cap;
	}
	size_t j = slot_of(id, t->cap);
	while (t->slot[j])
		j = (j + 1) & (t->cap - 1);
	t->slot[j] = id;
	t->count++;
	return 0;
}

/* Removes ID; 1 if it was there. Backward-shift deletion keeps every
 * remaining id reachable from its home slot. */
static int idset_remove(struct idset *t, uint64_t id)
{
	if (!t->cap)
		return 0;
	size_t mask = t->cap - 1, j = slot_of(id, t->cap);
	while (t->slot[j] && t->slot[j] != id)
		j = (j + 1) & mask;
	if (!t->slot[j])
		return 0;
	t->slot[j] = 0;
	t->count--;
	for (size_t k = (j + 1) & mask; t->slot[k]; k = (k + 1) & mask) {
		size_t home = slot_of(t->slot[k], t->cap);
		/* move slot k back to j unless its home lies cyclically in (j, k] */
		if ((j < k) ? (home <= j || home > k) : (home <= j && home > k)) {
			t->slot[j] = t->slot[k];
			t->slot[k] = 0;
			j = k;
		}
	}
	return 1;
}

/* ---- payloads ---- */

static struct payload *payload_new(const uint8_t *p, size_t len)
{
	if (len > UINT32_MAX)
		return NULL;
	struct payload *x = budget_malloc(sizeof *x + len);
	if (!x)
		return NULL;
	x->refs = 1;
	x->len = (uint32_t)len;
	x->trace = -1;
	x->sent = 0;
	if (len)
		memcpy(x->data, p, len);
	return x;
}

static void payload_drop(struct payload *x)
{
	if (x && --x->refs == 0)
		budget_free(x);
}

/* ---- creating ---- */

struct sim *sim_new(const struct sim_config *c)
{
	if (sim_config_check(c))
		return NULL;
	struct sim *s = budget_calloc(1, sizeof *s);
	if (!s)
		return NULL;
	s->cfg = *c;
	s->net = c->net;
	s->n = c->nodes;
	s->nodes = budget_calloc(s->n, sizeof *s->nodes);
	s->oneway = budget_calloc((size_t)s->n * s->n, 1);
	s->group = budget_calloc(s->n, sizeof *s->group);
	if (c->net.fifo)
		s->last_arrival = budget_calloc((size_t)s->n * s->n, sizeof *s->last_arrival);
	if (c->trace)
		s->trace = simtrace_new(s->n);
	if (!s->nodes || !s->oneway || !s->group || (c->net.fifo && !s->last_arrival) ||
	    (c->trace && !s->trace)) {
		sim_free(s);
		return NULL;
	}
	stream_seed(&s->net_rng, c->seed, STREAM_NET);
	stream_seed(&s->nemesis_rng, c->seed, STREAM_NEMESIS);
	struct rng clocks;
	stream_seed(&clocks, c->seed, STREAM_CLOCKS);
	for (uint32_t i = 0; i < s->n; i++) {
		struct node *nd = &s->nodes[i];
		/* always two draws per node, so the stream does not depend on the settings */
		double u1 = rng_uniform(&clocks), u2 = rng_uniform(&clocks);
		nd->base_local = c->clock_skew * (2 * u1 - 1);
		nd->drift = c->clock_drift * (2 * u2 - 1);
		stream_seed(&nd->rng, c->seed, STREAM_NODE + i);
	}
	return s;
}

static void free_areas(struct sim *s, uint32_t i)
{
	struct node *nd = &s->nodes[i];
	if (nd->b && nd->b->destroy) {
		struct sim_ctx c = sim_ctx_of(s, i + 1);
		nd->b->destroy(&c);
	}
	if (nd->release)
		nd->release(nd->ud);
	budget_free(nd->vol);
	budget_free(nd->dur);
}

void sim_free(struct sim *s)
{
	if (!s)
		return;
	if (s->nodes)
		for (uint32_t i = 0; i < s->n; i++)
			free_areas(s, i);
	for (size_t i = 0; i < s->nheap; i++)
		payload_drop(s->heap[i].p);
	for (size_t i = 0; i < s->nfaults; i++) {
		budget_free(s->faults[i].group);
		budget_free(s->faults[i].to);
	}
	for (size_t i = 0; i < s->nops; i++) {
		budget_free(s->ops[i].op);
		budget_free(s->ops[i].result);
	}
	budget_free(s->faults);
	budget_free(s->ops);
	budget_free(s->heap);
	budget_free(s->timers.slot);
	budget_free(s->nodes);
	budget_free(s->oneway);
	budget_free(s->group);
	budget_free(s->last_arrival);
	budget_free(s->error);
	simtrace_free(s->trace);
	budget_free(s);
}

int sim_add_node(struct sim *s, uint32_t id, const struct sim_behaviour *b, void *ud,
		 void (*release)(void *ud))
{
	const char *why = NULL;
	if (id < 1 || id > s->n)
		why = "no such node";
	else if (s->started)
		why = "nodes are added before the simulation runs";
	else if (s->nodes[id - 1].b)
		why = "this node already has a behaviour";
	if (why) {
		if (release)
			release(ud);
		return fail(s, why);
	}
	struct node *nd = &s->nodes[id - 1];
	void *vol = b->vol_size ? budget_calloc(1, b->vol_size) : NULL;
	void *dur = b->dur_size ? budget_calloc(1, b->dur_size) : NULL;
	if ((b->vol_size && !vol) || (b->dur_size && !dur)) {
		budget_free(vol);
		budget_free(dur);
		if (release)
			release(ud);
		return fail(s, "not enough memory for the node's state");
	}
	nd->b = b;
	nd->ud = ud;
	nd->release = release;
	nd->vol = vol;
	nd->dur = dur;
	return 0;
}

uint32_t sim_nodes(const struct sim *s)
{
	return s->n;
}

uint64_t sim_seed(const struct sim *s)
{
	return s->cfg.seed;
}

const struct sim_behaviour *sim_behaviour_of(const struct sim *s, uint32_t node)
{
	return node >= 1 && node <= s->n ? s->nodes[node - 1].b : NULL;
}

struct sim_ctx sim_ctx_of(struct sim *s, uint32_t node)
{
	struct node *nd = &s->nodes[node - 1];
	return (struct sim_ctx){s, node, nd->vol, nd->dur, nd->ud};
}

int sim_up(const struct sim *s, uint32_t node)
{
	return node >= 1 && node <= s->n && s->nodes[node - 1].up;
}

uint32_t sim_incarnation(const struct sim *s, uint32_t node)
{
	return node >= 1 && node <= s->n ? s->nodes[node - 1].inc : 0;
}

struct simtrace *sim_trace(struct sim *s)
{
	return s->trace;
}

long sim_trace_add(struct sim *s, const struct simrec *r, const void *p, size_t len)
{
	if (!s->trace)
		return -1;
	return simtrace_add(s->trace, r, p, len);
}

static void trace_same(struct sim *s, const struct simrec *r, long same)
{
	if (s->trace)
		simtrace_add_same(s->trace, r, same);
}

/* ---- time and clocks ---- */

double sim_now(const struct sim *s)
{
	return (double)s->now / SIM_NS;
}

int64_t sim_now_ns(const struct sim *s)
{
	return s->now;
}

double sim_local_time(const struct sim *s, uint32_t node)
{
	if (node < 1 || node > s->n)
		return 0;
	const struct node *nd = &s->nodes[node - 1];
	return nd->base_local + (double)(s->now - nd->base_t) / SIM_NS * (1 + nd->drift);
}

void sim_clock_of(const struct sim *s, uint32_t node, double *skew, double *drift)
{
	*skew = sim_local_time(s, node) - sim_now(s);
	*drift = node >= 1 && node <= s->n ? s->nodes[node - 1].drift : 0;
}

struct rng *sim_rng(struct sim *s, uint32_t node)
{
	return &s->nodes[node - 1].rng;
}

/* ---- the network ---- */

int sim_blocked(const struct sim *s, uint32_t from, uint32_t to)
{
	uint32_t a = from - 1, b = to - 1;
	return s->group[a] != s->group[b] || s->oneway[(size_t)a * s->n + b];
}

uint16_t sim_group(const struct sim *s, uint32_t node)
{
	return s->group[node - 1];
}

const struct sim_net *sim_net_now(const struct sim *s)
{
	return &s->net;
}

/* A latency in ns drawn from L with the uniforms U1, U2 (always both, so the
 * stream does not depend on the distribution). */
static int64_t draw_latency(const struct sim_latency *l, double u1, double u2)
{
	double x = 0;
	switch (l->dist) {
	case SIM_CONST: x = l->mean; break;
	case SIM_UNIFORM: x = l->min + (l->max - l->min) * u1; break;
	case SIM_EXP: x = l->min - (l->mean - l->min) * log(1.0 - u1); break;
	case SIM_NORMAL:
		x = l->mean + l->sd * sqrt(-2.0 * log(1.0 - u1)) * cos(2.0 * M_PI * u2);
		if (x < l->min)
			x = l->min;
		break;
	}
	return sim_to_ns(x);
}

static void drop(struct sim *s, int why, uint32_t from, uint32_t to, uint64_t id,
		 struct payload *p)
{
	if (why == SIMR_WHY_LOSS)
		s->st.dropped_loss++;
	else if (why == SIMR_WHY_PARTITION)
		s->st.dropped_partition++;
	else
		s->st.dropped_down++;
	struct simrec r = {.at = s->now, .kind = SIMR_DROP, .why = (uint8_t)why, .a = from,
			   .b = to, .id = id, .aux = p->sent};
	trace_same(s, &r, p->trace);
}

/* Schedules one copy of P on link FROM -> TO arriving after LAT ns. */
static int schedule_copy(struct sim *s, uint32_t from, uint32_t to, struct payload *p,
			 int64_t lat, int held)
{
	int64_t at = s->now + lat;
	if (held)
		at += sim_to_ns(s->net.reorder_delay);
	if (s->last_arrival) {
		int64_t *last = &s->last_arrival[(size_t)(from - 1) * s->n + (to - 1)];
		if (at < *last)
			at = *last; /* equal times keep send order through seq */
		*last = at;
	}
	struct ev e = {.at = at, .kind = EV_DELIVER, .node = to, .from = from, .id = s->msgid, .p = p};
	if (sim_push(s, &e) != 0)
		return -1;
	p->refs++;
	return 0;
}

uint64_t sim_send(struct sim *s, uint32_t from, uint32_t to, const uint8_t *msg, size_t len)
{
	if (from < 1 || from > s->n || to < 1 || to > s->n) {
		fail(s, "no such node");
		return 0;
	}
	if (!simval_valid(msg, len)) {
		fail(s, "a message must be one encoded value");
		return 0;
	}
	struct payload *p = payload_new(msg, len);
	if (!p) {
		fail(s, "not enough memory for a message");
		return 0;
	}
	uint64_t id = ++s->msgid;
	p->sent = s->now;
	s->st.sent++;
	s->st.bytes += len;
	struct simrec r = {.at = s->now, .kind = SIMR_SEND, .a = from, .b = to, .id = id};
	p->trace = sim_trace_add(s, &r, msg, len);

	/* the same draws for every message, whatever happens to it */
	double u_loss = rng_uniform(&s->net_rng), u_dup = rng_uniform(&s->net_rng);
	double u_hold = rng_uniform(&s->net_rng);
	double l1 = rng_uniform(&s->net_rng), l2 = rng_uniform(&s->net_rng);
	double l3 = rng_uniform(&s->net_rng), l4 = rng_uniform(&s->net_rng);
	int rc = 0;
	if (sim_blocked(s, from, to)) {
		drop(s, SIMR_WHY_PARTITION, from, to, id, p);
	} else if (u_loss < s->net.loss) {
		drop(s, SIMR_WHY_LOSS, from, to, id, p);
	} else {
		rc = schedule_copy(s, from, to, p, draw_latency(&s->net.latency, l1, l2),
				   u_hold < s->net.reorder);
		if (rc == 0 && u_dup < s->net.dup) {
			s->st.duplicated++;
			struct simrec d = {.at = s->now, .kind = SIMR_DUP, .a = from, .b = to, .id = id};
			trace_same(s, &d, p->trace);
			rc = schedule_copy(s, from, to, p, draw_latency(&s->net.latency, l3, l4), 0);
		}
	}
	payload_drop(p);
	return rc == 0 ? id : 0;
}

/* ---- timers ---- */

uint64_t sim_set_timer(struct sim *s, uint32_t node, double delay, const uint8_t *tag,
		       size_t len)
{
	if (node < 1 || node > s->n || !s->nodes[node - 1].up) {
		fail(s, "timers belong to a running node");
		return 0;
	}
	if (!(delay >= 0 && delay <= SIM_MAX_TIME)) {
		fail(s, "a timer's delay must be between 0 and 10^9 seconds");
		return 0;
	}
	if (tag && !simval_valid(tag, len)) {
		fail(s, "a timer's tag must be one encoded value");
		return 0;
	}
	struct node *nd = &s->nodes[node - 1];
	struct payload *p = NULL;
	if (tag && !(p = payload_new(tag, len))) {
		fail(s, "not enough memory for a timer");
		return 0;
	}
	uint64_t id = s->timerid + 1;
	struct ev e = {.at = s->now + sim_to_ns(delay / (1 + nd->drift)), .kind = EV_TIMER,
		       .node = node, .inc = nd->inc, .id = id, .p = p};
	if (idset_add(&s->timers, id) != 0) {
		payload_drop(p);
		fail(s, "not enough memory for a timer");
		return 0;
	}
	if (sim_push(s, &e) != 0) {
		idset_remove(&s->timers, id);
		payload_drop(p);
		return 0;
	}
	s->timerid = id;
	s->st.timers++;
	if (s->trace) {
		struct simrec r = {.at = s->now, .kind = SIMR_TIMER_SET, .a = node, .id = id, .aux = e.at};
		long t = sim_trace_add(s, &r, tag, tag ? len : 0);
		if (p)
			p->trace = t;
	}
	return id;
}

int sim_cancel_timer(struct sim *s, uint32_t node, uint64_t id)
{
	/* a timer id of another node stays pending: ids are checked at firing */
	if (!idset_remove(&s->timers, id))
		return 0;
	struct simrec r = {.at = s->now, .kind = SIMR_TIMER_CANCEL, .a = node, .id = id};
	sim_trace_add(s, &r, NULL, 0);
	return 1;
}

/* ---- clients ---- */

uint64_t sim_request(struct sim *s, double at, uint32_t client, uint32_t node,
		     const uint8_t *op, size_t len, double timeout)
{
	if (node < 1 || node > s->n) {
		fail(s, "no such node");
		return 0;
	}
	int64_t when = sim_to_ns(at);
	if (!(at >= 0 && at <= SIM_MAX_TIME) || when < s->now) {
		fail(s, "a request's time must be now or later, at most 10^9 seconds");
		return 0;
	}
	if (!(timeout >= 0 && timeout <= SIM_MAX_TIME)) {
		fail(s, "a request's timeout must be between 0 and 10^9 seconds");
		return 0;
	}
	if (!simval_valid(op, len)) {
		fail(s, "an operation must be one encoded value");
		return 0;
	}
	if (s->nops == s->capops) {
		size_t cap = s->capops ? 2 * s->capops : 64;
		struct sim_op *o = budget_realloc(s->ops, cap * sizeof *o);
		if (!o) {
			fail(s, "not enough memory for a request");
			return 0;
		}
		s->ops = o;
		s->capops = cap;
	}
	uint8_t *copy = budget_malloc(len);
	if (!copy) {
		fail(s, "not enough memory for a request");
		return 0;
	}
	memcpy(copy, op, len);
	struct sim_op *o = &s->ops[s->nops];
	*o = (struct sim_op){.id = s->nops + 1, .client = client, .node = node, .invoke = -1,
			     .complete = -1, .op = copy, .op_len = len};
	struct ev e = {.at = when, .kind = EV_INVOKE, .node = node, .id = s->nops};
	if (sim_push(s, &e) != 0) {
		budget_free(copy);
		return 0;
	}
	o->timeout = sim_to_ns(timeout);
	s->nops++;
	return o->id;
}

const struct sim_op *sim_history(const struct sim *s, size_t *n)
{
	*n = s->nops;
	return s->ops;
}

/* Completes op O with STATUS and RESULT (copied). */
static int complete(struct sim *s, struct sim_op *o, enum sim_op_status status,
		    const uint8_t *result, size_t len)
{
	if (result) {
		o->result = budget_malloc(len ? len : 1);
		if (!o->result)
			return fail(s, "not enough memory for a result");
		memcpy(o->result, result, len);
		o->result_len = len;
	}
	o->status = status;
	o->complete = s->now;
	s->st.replies++;
	struct simrec r = {.at = s->now, .kind = SIMR_COMPLETE, .why = (uint8_t)status,
			   .a = o->client, .b = o->node, .id = o->id, .aux = o->invoke};
	sim_trace_add(s, &r, result, result ? len : 0);
	return 0;
}

static int open_op(const struct sim_op *o)
{
	return o->invoke >= 0 && o->status == SIM_OP_PENDING;
}

int sim_reply(struct sim *s, uint32_t node, uint64_t req, int ok, const uint8_t *result,
	      size_t len)
{
	if (req < 1 || req > s->nops)
		return 0;
	struct sim_op *o = &s->ops[req - 1];
	if (!open_op(o) || o->node != node || node < 1 || node > s->n ||
	    o->incarnation != s->nodes[node - 1].inc)
		return 0;
	if (result && !simval_valid(result, len)) {
		fail(s, "a result must be one encoded value");
		return -1;
	}
	return complete(s, o, ok ? SIM_OP_OK : SIM_OP_FAIL, result, len) == 0 ? 1 : -1;
}

/* ---- log ---- */

int sim_log(struct sim *s, uint32_t node, const char *text, size_t len)
{
	if (!s->trace)
		return 0;
	struct simrec r = {.at = s->now, .kind = SIMR_LOG, .a = node};
	return sim_trace_add(s, &r, text, len) < 0 ? fail(s, "not enough memory for the trace") : 0;
}

/* ---- hooks ---- */

void sim_set_hook(struct sim *s, sim_hook_fn hook, void *ud)
{
	s->hook = hook;
	s->hook_ud = ud;
}

int sim_at(struct sim *s, double at, uint64_t token)
{
	int64_t when = sim_to_ns(at);
	if (!(at >= 0 && at <= SIM_MAX_TIME) || when < s->now)
		return fail(s, "a callback's time must be now or later, at most 10^9 seconds");
	struct ev e = {.at = when, .kind = EV_HOOK, .id = token};
	return sim_push(s, &e);
}

/* ---- running ---- */

static struct sim_ctx ctx(struct sim *s, uint32_t node)
{
	return sim_ctx_of(s, node);
}

/* Starts (or restarts) node I+1. */
static int start_node(struct sim *s, uint32_t i, int restart)
{
	struct node *nd = &s->nodes[i];
	nd->up = 1;
	nd->inc++;
	if (nd->vol)
		memset(nd->vol, 0, nd->b->vol_size);
	struct simrec r = {.at = s->now, .kind = restart ? SIMR_RESTART : SIMR_START, .a = i + 1,
			   .aux = nd->inc};
	sim_trace_add(s, &r, NULL, 0);
	if (nd->b && nd->b->start) {
		struct sim_ctx c = ctx(s, i + 1);
		s->running = 1;
		int rc = nd->b->start(&c, restart);
		s->running = 0;
		return rc;
	}
	return 0;
}

int sim_crash_node(struct sim *s, uint32_t id)
{
	struct node *nd = &s->nodes[id - 1];
	if (!nd->up)
		return 0;
	nd->up = 0;
	struct simrec r = {.at = s->now, .kind = SIMR_CRASH, .a = id, .aux = nd->inc};
	sim_trace_add(s, &r, NULL, 0);
	if (nd->b && nd->b->crash) {
		struct sim_ctx c = ctx(s, id);
		nd->b->crash(&c);
	}
	return 0;
}

int sim_restart_node(struct sim *s, uint32_t id)
{
	if (s->nodes[id - 1].up)
		return 0;
	return start_node(s, id - 1, 1);
}

static int deliver(struct sim *s, struct ev *e)
{
	struct node *nd = &s->nodes[e->node - 1];
	struct payload *p = e->p;
	if (!nd->up) {
		drop(s, SIMR_WHY_DOWN, e->from, e->node, e->id, p);
		return 0;
	}
	if (sim_blocked(s, e->from, e->node)) {
		drop(s, SIMR_WHY_PARTITION, e->from, e->node, e->id, p);
		return 0;
	}
	s->st.delivered++;
	struct simrec r = {.at = s->now, .kind = SIMR_DELIVER, .a = e->from, .b = e->node,
			   .id = e->id, .aux = p->sent};
	trace_same(s, &r, p->trace);
	if (!nd->b || !nd->b->receive)
		return 0;
	struct sim_ctx c = ctx(s, e->node);
	s->running = 1;
	int rc = nd->b->receive(&c, e->from, p->data, p->len);
	s->running = 0;
	return rc;
}

static int fire(struct sim *s, struct ev *e)
{
	struct node *nd = &s->nodes[e->node - 1];
	if (!idset_remove(&s->timers, e->id))
		return 0;              /* cancelled */
	if (!nd->up || nd->inc != e->inc)
		return 0;              /* died with its incarnation */
	struct simrec r = {.at = s->now, .kind = SIMR_TIMER_FIRE, .a = e->node, .id = e->id};
	if (e->p)
		trace_same(s, &r, e->p->trace);
	else
		sim_trace_add(s, &r, NULL, 0);
	if (!nd->b || !nd->b->timer)
		return 0;
	struct sim_ctx c = ctx(s, e->node);
	s->running = 1;
	int rc = nd->b->timer(&c, e->id, e->p ? e->p->data : NULL, e->p ? e->p->len : 0);
	s->running = 0;
	return rc;
}

static int invoke(struct sim *s, struct ev *e)
{
	struct sim_op *o = &s->ops[e->id];
	int64_t timeout = o->timeout;
	o->invoke = s->now;
	s->st.requests++;
	struct node *nd = &s->nodes[o->node - 1];
	o->incarnation = nd->inc;
	struct simrec r = {.at = s->now, .kind = SIMR_INVOKE, .a = o->client, .b = o->node,
			   .id = o->id};
	sim_trace_add(s, &r, o->op, o->op_len);
	if (!nd->up || !nd->b || !nd->b->request) {
		static const uint8_t refused[] = {SIMVAL_STR, 7, 'r', 'e', 'f', 'u', 's', 'e', 'd'};
		return complete(s, o, SIM_OP_FAIL, refused, sizeof refused);
	}
	if (timeout > 0) {
		struct ev t = {.at = s->now + timeout, .kind = EV_TIMEOUT, .id = e->id};
		if (sim_push(s, &t) != 0)
			return -1;
	}
	struct sim_ctx c = ctx(s, o->node);
	s->running = 1;
	int rc = nd->b->request(&c, o->id, o->op, o->op_len);
	s->running = 0;
	return rc;
}

static int dispatch(struct sim *s, struct ev *e)
{
	switch (e->kind) {
	case EV_DELIVER: return deliver(s, e);
	case EV_TIMER: return fire(s, e);
	case EV_FAULT: return sim_apply_fault(s, (size_t)e->id);
	case EV_INVOKE: return invoke(s, e);
	case EV_TIMEOUT: {
		struct sim_op *o = &s->ops[e->id];
		return open_op(o) ? complete(s, o, SIM_OP_INFO, NULL, 0) : 0;
	}
	case EV_HOOK:
		if (!s->hook)
			return 0;
		s->running = 1;
		int rc = s->hook(s, s->hook_ud, e->id);
		s->running = 0;
		return rc;
	}
	return 0;
}

static enum sim_status stop_now(struct sim *s)
{
	const char *why = budget_stop();
	if (why) {
		sim_set_error(s, why);
		s->dead = 1;
		return SIM_STOPPED;
	}
	return SIM_IDLE;
}

enum sim_status sim_run(struct sim *s, double until, uint64_t max_events)
{
	if (s->dead)
		return SIM_ERROR;
	if (s->running) {
		fail(s, "the simulation is already running");
		return SIM_ERROR;
	}
	int64_t limit = until >= SIM_MAX_TIME ? INT64_MAX : sim_to_ns(until);
	if (!s->started) {
		s->started = 1;
		for (uint32_t i = 0; i < s->n && !s->dead; i++)
			if (s->nodes[i].b && start_node(s, i, 0) != 0)
				s->dead = 1;
		if (s->dead)
			return budget_stop() ? stop_now(s) : SIM_ERROR;
		if (max_events)
			return SIM_STEPPED; /* starting the nodes was the first step */
	}
	uint64_t done = 0;
	while (s->nheap > 0) {
		if (s->heap[0].at > limit) {
			s->now = limit;
			return SIM_UNTIL;
		}
		if (max_events && done >= max_events)
			return SIM_STEPPED;
		struct ev e = pop(s);
		s->now = e.at;
		int rc = dispatch(s, &e);
		payload_drop(e.p);
		s->st.events++;
		done++;
		if (rc != 0 || s->dead) {
			s->dead = 1;
			if (budget_stop())
				return stop_now(s);
			return SIM_ERROR;
		}
		if ((done & 1023) == 0 && stop_now(s) == SIM_STOPPED)
			return SIM_STOPPED;
	}
	if (limit != INT64_MAX && limit > s->now)
		s->now = limit;
	return SIM_IDLE;
}

int sim_running(const struct sim *s)
{
	return s->running;
}

void sim_stats(const struct sim *s, struct sim_stats *out)
{
	*out = s->st;
	out->pending = s->nheap;
}
