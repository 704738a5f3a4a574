/*
 * broker.c — the queue, the topic and the seeded run of broker.h.
 */
#include "engine/concepts/broker/broker.h"
#include "engine/base/budget.h"
#include "engine/concepts/rand/rand.h"

#include <string.h>

/* Grows the array *P of *CAP elements of SIZE bytes to hold NEED: 0, or -1
 * when memory is refused (*P unchanged). */
static int grow(void *p, size_t *cap, size_t need, size_t size)
{
	if (need <= *cap)
		return 0;
	size_t ncap = *cap ? *cap * 2 : 16;
	while (ncap < need)
		ncap *= 2;
	void *np = budget_realloc(*(void **)p, ncap * size);
	if (!np)
		return -1;
	*(void **)p = np;
	*cap = ncap;
	return 0;
}

void broker_init(struct broker_queue *q, double ack_timeout, uint32_t max_deliveries)
{
	memset(q, 0, sizeof *q);
	q->ack_timeout = ack_timeout;
	q->max_deliveries = max_deliveries;
}

void broker_free(struct broker_queue *q)
{
	for (size_t i = 0; i < q->n; i++)
		budget_free(q->m[i].body);
	budget_free(q->m);
	budget_free(q->ready);
	budget_free(q->unacked);
	budget_free(q->tags);
	budget_free(q->dead);
	budget_free(q->c);
	memset(q, 0, sizeof *q);
}

/* Pushes message I on the ready heap (room was made by the caller). */
static void heap_push(struct broker_queue *q, uint32_t i)
{
	size_t k = q->nready++;
	while (k > 0 && q->ready[(k - 1) / 2] > i) {
		q->ready[k] = q->ready[(k - 1) / 2];
		k = (k - 1) / 2;
	}
	q->ready[k] = i;
}

/* Pops the lowest message index of the (non-empty) ready heap. */
static uint32_t heap_pop(struct broker_queue *q)
{
	uint32_t top = q->ready[0], last = q->ready[--q->nready];
	size_t k = 0;
	for (;;) {
		size_t c = 2 * k + 1;
		if (c >= q->nready)
			break;
		if (c + 1 < q->nready && q->ready[c + 1] < q->ready[c])
			c++;
		if (q->ready[c] >= last)
			break;
		q->ready[k] = q->ready[c];
		k = c;
	}
	if (q->nready > 0)
		q->ready[k] = last;
	return top;
}

uint64_t broker_publish(struct broker_queue *q, const char *body, size_t len)
{
	if (q->n >= UINT32_MAX - 1 || grow(&q->m, &q->cap, q->n + 1, sizeof *q->m) ||
	    grow(&q->ready, &q->readycap, q->nready + 1, sizeof *q->ready))
		return 0;
	char *copy = budget_malloc(len + 1);
	if (!copy)
		return 0;
	memcpy(copy, body, len);
	copy[len] = '\0';
	q->m[q->n] = (struct broker_msg){.body = copy, .len = len, .state = BROKER_READY};
	heap_push(q, (uint32_t)q->n);
	q->n++;
	q->st.published++;
	return q->n;
}

long broker_consumer(struct broker_queue *q, uint32_t prefetch, int autoack)
{
	if (grow(&q->c, &q->ccap, q->nc + 1, sizeof *q->c))
		return -1;
	q->c[q->nc] = (struct broker_consumer){.prefetch = prefetch, .autoack = autoack};
	return (long)q->nc++;
}

/* Takes message I out of the unacked list and off its consumer. */
static void unlist(struct broker_queue *q, uint32_t i)
{
	struct broker_msg *m = &q->m[i];
	size_t s = m->slot;
	q->unacked[s] = q->unacked[--q->nunacked];
	q->m[q->unacked[s]].slot = s;
	q->c[m->consumer].unacked--;
}

/* Message I (no longer in flight) failed a delivery: back on the ready
 * heap, or to the dead-letter queue when REQUEUE is 0 or it reached the
 * limit. 0, or -1 when memory is refused (then it is dead-lettered only
 * if there is room, else requeued; the heap always has room). */
static int fail_delivery(struct broker_queue *q, uint32_t i, int requeue)
{
	struct broker_msg *m = &q->m[i];
	int limit = q->max_deliveries > 0 && m->deliveries >= q->max_deliveries;
	if (!requeue || limit) {
		if (grow(&q->dead, &q->deadcap, q->ndead + 1, sizeof *q->dead) == 0) {
			m->state = BROKER_DEAD;
			q->dead[q->ndead++] = i;
			q->st.dead++;
			return 0;
		}
		m->state = BROKER_READY;
		heap_push(q, i);
		return -1;
	}
	m->state = BROKER_READY;
	heap_push(q, i);
	return 0;
}

size_t broker_expire(struct broker_queue *q, double now)
{
	if (q->ack_timeout <= 0)
		return 0;
	size_t taken = 0;
	for (size_t k = 0; k < q->nunacked;) {
		uint32_t i = q->unacked[k];
		if (q->m[i].deadline > now) {
			k++;
			continue;
		}
		unlist(q, i);            /* moves another message into slot k */
		fail_delivery(q, i, 1);
		q->st.expired++;
		taken++;
	}
	return taken;
}

int broker_receive(struct broker_queue *q, uint32_t c, double now, size_t *msg, uint64_t *tag)
{
	if (c >= q->nc)
		return -1;
	broker_expire(q, now);
	struct broker_consumer *co = &q->c[c];
	if (q->nready == 0 || (co->prefetch > 0 && co->unacked >= co->prefetch))
		return 0;
	if (grow(&q->tags, &q->tagcap, q->ntags + 1, sizeof *q->tags) ||
	    grow(&q->unacked, &q->unackedcap, q->nunacked + 1, sizeof *q->unacked))
		return -1;
	uint32_t i = heap_pop(q);
	struct broker_msg *m = &q->m[i];
	m->deliveries++;
	q->st.delivered++;
	if (m->deliveries > 1)
		q->st.redelivered++;
	q->tags[q->ntags++] = i;
	*tag = q->ntags;
	*msg = i;
	if (co->autoack) {
		m->state = BROKER_ACKED;
		q->st.acked++;
		return 1;
	}
	m->state = BROKER_UNACKED;
	m->consumer = c;
	m->tag = *tag;
	m->deadline = now + q->ack_timeout;
	m->slot = q->nunacked;
	q->unacked[q->nunacked++] = i;
	co->unacked++;
	return 1;
}

/* The message of delivery TAG if that delivery is in flight, else -1. */
static long in_flight(const struct broker_queue *q, uint64_t tag)
{
	if (tag == 0 || tag > q->ntags)
		return -1;
	uint32_t i = q->tags[tag - 1];
	if (q->m[i].state != BROKER_UNACKED || q->m[i].tag != tag)
		return -1;
	return (long)i;
}

int broker_ack(struct broker_queue *q, uint64_t tag)
{
	long i = in_flight(q, tag);
	if (i < 0)
		return 0;
	unlist(q, (uint32_t)i);
	q->m[i].state = BROKER_ACKED;
	q->st.acked++;
	return 1;
}

int broker_nack(struct broker_queue *q, uint64_t tag, int requeue)
{
	long i = in_flight(q, tag);
	if (i < 0)
		return 0;
	unlist(q, (uint32_t)i);
	q->st.nacked++;
	return fail_delivery(q, (uint32_t)i, requeue) ? -1 : 1;
}

long broker_crash(struct broker_queue *q, uint32_t c)
{
	long taken = 0;
	int rc = 0;
	for (size_t k = 0; k < q->nunacked;) {
		uint32_t i = q->unacked[k];
		if (q->m[i].consumer != c) {
			k++;
			continue;
		}
		unlist(q, i);
		rc |= fail_delivery(q, i, 1);
		q->st.crashed++;
		taken++;
	}
	return rc ? -1 : taken;
}

/* ---- topic ---- */

void broker_topic_init(struct broker_topic *t)
{
	memset(t, 0, sizeof *t);
}

/* Frees the filter of KEYS (N keys, some possibly half built). */
static void free_keys(struct broker_filter_key *keys, size_t n)
{
	for (size_t k = 0; keys && k < n; k++) {
		for (size_t v = 0; keys[k].values && v < keys[k].nvalues; v++)
			budget_free(keys[k].values[v]);
		budget_free(keys[k].values);
		budget_free(keys[k].name);
	}
	budget_free(keys);
}

void broker_topic_free(struct broker_topic *t)
{
	for (size_t i = 0; i < t->n; i++)
		free_keys(t->s[i].keys, t->s[i].nkeys);
	budget_free(t->s);
	memset(t, 0, sizeof *t);
}

/* A copy of KEYS, or NULL when memory is refused. */
static struct broker_filter_key *copy_keys(const struct broker_filter_key *keys, size_t n)
{
	struct broker_filter_key *c = budget_calloc(n ? n : 1, sizeof *c);
	if (!c)
		return NULL;
	for (size_t k = 0; k < n; k++) {
		c[k].name = budget_strdup(keys[k].name);
		c[k].values = budget_calloc(keys[k].nvalues ? keys[k].nvalues : 1, sizeof *c[k].values);
		c[k].nvalues = keys[k].nvalues;
		int bad = !c[k].name || !c[k].values;
		for (size_t v = 0; !bad && v < keys[k].nvalues; v++)
			bad = !(c[k].values[v] = budget_strdup(keys[k].values[v]));
		if (bad) {
			free_keys(c, k + 1);
			return NULL;
		}
	}
	return c;
}

long broker_subscribe(struct broker_topic *t, struct broker_queue *q,
		      const struct broker_filter_key *keys, size_t nkeys)
{
	if (grow(&t->s, &t->cap, t->n + 1, sizeof *t->s))
		return -1;
	struct broker_filter_key *c = copy_keys(keys, nkeys);
	if (!c)
		return -1;
	t->s[t->n] = (struct broker_sub){.q = q, .keys = c, .nkeys = nkeys};
	return (long)t->n++;
}

int broker_matches(const struct broker_sub *s, const struct broker_attr *attrs, size_t nattrs)
{
	for (size_t k = 0; k < s->nkeys; k++) {
		const struct broker_filter_key *f = &s->keys[k];
		int ok = 0;
		for (size_t a = 0; !ok && a < nattrs; a++) {
			if (strcmp(attrs[a].name, f->name) != 0)
				continue;
			for (size_t v = 0; !ok && v < f->nvalues; v++)
				ok = strcmp(attrs[a].value, f->values[v]) == 0;
		}
		if (!ok)
			return 0;
	}
	return 1;
}

long broker_topic_publish(struct broker_topic *t, const char *body, size_t len,
			  const struct broker_attr *attrs, size_t nattrs)
{
	long reached = 0;
	t->published++;
	for (size_t i = 0; i < t->n; i++) {
		if (!broker_matches(&t->s[i], attrs, nattrs))
			continue;
		if (broker_publish(t->s[i].q, body, len) == 0)
			return -1;
		t->s[i].matched++;
		t->fanned++;
		reached++;
	}
	return reached;
}

/* ---- the seeded run ---- */

/* What one simulated consumer holds: its deliveries not yet handled. */
struct sim_buf {
	uint32_t *msg;
	uint64_t *tag;
	size_t n, head;
};

struct sim_run {
	struct broker_sim *s;
	struct broker_queue q;
	struct sim_buf *b;
	uint32_t *applied;       /* times each message's effect was applied */
	unsigned char *seen;     /* the dedup store (effectively-once) */
	struct rng r;
};

/* Consumer C takes deliveries until its prefetch is full. 0, or -1. */
static int sim_fill(struct sim_run *w, uint32_t c)
{
	struct sim_buf *b = &w->b[c];
	uint32_t want = w->s->prefetch;
	if (b->head > 0) {                 /* the held deliveries to the front */
		memmove(b->msg, b->msg + b->head, (b->n - b->head) * sizeof *b->msg);
		memmove(b->tag, b->tag + b->head, (b->n - b->head) * sizeof *b->tag);
		b->n -= b->head;
		b->head = 0;
	}
	while (b->n < want) {
		size_t i;
		uint64_t tag;
		int rc = broker_receive(&w->q, c, (double)w->s->steps, &i, &tag);
		if (rc < 0)
			return -1;
		if (rc == 0)
			break;
		b->msg[b->n] = (uint32_t)i;
		b->tag[b->n] = tag;
		b->n++;
	}
	return 0;
}

/* Consumer C handles its oldest delivery, perhaps crashing. 0, or -1. */
static int sim_handle(struct sim_run *w, uint32_t c)
{
	struct broker_sim *s = w->s;
	struct sim_buf *b = &w->b[c];
	if (b->head == b->n)
		return 0;
	uint32_t i = b->msg[b->head];
	uint64_t tag = b->tag[b->head];
	int crashed = rng_uniform(&w->r) < s->crash;
	int before = crashed && rng_below(&w->r, 2) == 0;
	if (!before) {
		if (s->mode != BROKER_EFFECTIVELY_ONCE || !w->seen[i]) {
			w->applied[i]++;
			w->seen[i] = 1;
		}
	}
	if (crashed) {
		s->crashes++;
		b->n = b->head = 0;
		return broker_crash(&w->q, c) < 0 ? -1 : 0;
	}
	if (s->mode != BROKER_AT_MOST_ONCE)
		broker_ack(&w->q, tag);
	b->head++;
	if (b->head == b->n)
		b->n = b->head = 0;
	return 0;
}

/* Whether anything is left to deliver or to handle. */
static int sim_busy(const struct sim_run *w)
{
	if (w->q.nready > 0 || w->q.nunacked > 0)
		return 1;
	for (uint32_t c = 0; c < w->s->consumers; c++)
		if (w->b[c].head < w->b[c].n)
			return 1;
	return 0;
}

/* Builds the run's queue, consumers and buffers. 0, or -1. */
static int sim_setup(struct sim_run *w)
{
	struct broker_sim *s = w->s;
	broker_init(&w->q, 0, s->max_deliveries);
	rng_seed(&w->r, s->seed);
	w->b = budget_calloc(s->consumers, sizeof *w->b);
	w->applied = budget_calloc(s->messages ? s->messages : 1, sizeof *w->applied);
	w->seen = budget_calloc(s->messages ? s->messages : 1, 1);
	if (!w->b || !w->applied || !w->seen)
		return -1;
	for (uint32_t c = 0; c < s->consumers; c++) {
		w->b[c].msg = budget_malloc(s->prefetch * sizeof *w->b[c].msg);
		w->b[c].tag = budget_malloc(s->prefetch * sizeof *w->b[c].tag);
		if (!w->b[c].msg || !w->b[c].tag ||
		    broker_consumer(&w->q, s->prefetch, s->mode == BROKER_AT_MOST_ONCE) < 0)
			return -1;
	}
	for (uint64_t k = 0; k < s->messages; k++)
		if (broker_publish(&w->q, "", 0) == 0)
			return -1;
	return 0;
}

static void sim_teardown(struct sim_run *w)
{
	for (uint32_t c = 0; w->b && c < w->s->consumers; c++) {
		budget_free(w->b[c].msg);
		budget_free(w->b[c].tag);
	}
	budget_free(w->b);
	budget_free(w->applied);
	budget_free(w->seen);
	broker_free(&w->q);
}

/* Counts what the run did into S. */
static void sim_tally(struct sim_run *w)
{
	struct broker_sim *s = w->s;
	for (uint64_t k = 0; k < s->messages; k++) {
		s->effects += w->applied[k];
		if (w->applied[k] > 0)
			s->distinct++;
		else if (w->q.m[k].state != BROKER_DEAD)
			s->lost++;
	}
	s->duplicates = s->effects - s->distinct;
	s->dead = w->q.st.dead;
	s->deliveries = w->q.st.delivered;
	s->redeliveries = w->q.st.redelivered;
}

int broker_simulate(struct broker_sim *s)
{
	s->effects = s->distinct = s->duplicates = s->lost = 0;
	s->dead = s->deliveries = s->redeliveries = s->crashes = s->steps = 0;
	struct sim_run w = {.s = s};
	int rc = sim_setup(&w);
	while (rc == 0 && sim_busy(&w)) {
		if (budget_poll(s->steps)) {
			rc = -2;
			break;
		}
		for (uint32_t c = 0; rc == 0 && c < s->consumers; c++) {
			rc = sim_fill(&w, c);
			if (rc == 0)
				rc = sim_handle(&w, c);
		}
		s->steps++;
	}
	if (rc == 0)
		sim_tally(&w);
	sim_teardown(&w);
	return rc;
}
