/*
 * rspolicy.c — the caller's mechanisms of resilience.h: backoff with
 * jitter, the retry budget, the circuit breaker. Each is a few lines and
 * is used alone (lab.resilience.backoff, .budget, .breaker) and by the
 * simulation, so what a learner checks against is what the graph runs.
 */
#include "engine/concepts/resilience/resilience.h"
#include "engine/base/budget.h"

#include <math.h>
#include <string.h>

static const char *const jitter_names[] = {"none", "full", "equal", "decorrelated"};

int rs_jitter_parse(const char *name)
{
	for (int i = 0; i < RS_NJITTERS; i++)
		if (strcmp(name, jitter_names[i]) == 0)
			return i;
	return -1;
}

const char *rs_jitter_name(enum rs_jitter j)
{
	return j < RS_NJITTERS ? jitter_names[j] : "?";
}

double rs_backoff(enum rs_jitter j, double base, double cap, int attempt, double prev,
		  struct rng *r)
{
	double t = attempt >= 1000 ? cap : fmin(cap, base * ldexp(1.0, attempt));
	switch (j) {
	case RS_JITTER_FULL:
		return rng_uniform(r) * t;
	case RS_JITTER_EQUAL:
		return t / 2 + rng_uniform(r) * (t / 2);
	case RS_JITTER_DECORRELATED: {
		double hi = 3 * (prev > 0 ? prev : base);
		return fmin(cap, base + rng_uniform(r) * (hi - base));
	}
	default:
		return t;
	}
}

void rs_budget_init(struct rs_budget *b, double ratio, double min)
{
	*b = (struct rs_budget){.ratio = ratio, .min = min, .tokens = min};
}

void rs_budget_request(struct rs_budget *b)
{
	b->deposits++;
	b->tokens = fmin(b->min, b->tokens + b->ratio);
}

/* A token counts as whole within 1e-9: ten deposits of 0.1 make one, though
 * their sum in binary floating point is 0.9999999999999999. */
int rs_budget_retry(struct rs_budget *b)
{
	if (b->tokens < 1.0 - 1e-9) {
		b->refused++;
		return 0;
	}
	b->tokens = fmax(0.0, b->tokens - 1.0);
	b->withdrawn++;
	return 1;
}

static const char *const state_names[] = {"closed", "open", "half_open"};

const char *rs_breaker_state_name(enum rs_breaker_state s)
{
	return s <= RS_HALF_OPEN ? state_names[s] : "?";
}

int rs_breaker_init(struct rs_breaker *b, const struct rs_breaker_config *c, const char **err)
{
	memset(b, 0, sizeof *b);
	if (!(c->threshold > 0 && c->threshold <= 1))
		return *err = "threshold must be a share in (0, 1]", -1;
	if (c->window < 1 || c->window > RS_MAX_WINDOW)
		return *err = "window must be between 1 and 10000 calls", -1;
	if (c->min_calls < 1 || c->min_calls > c->window)
		return *err = "min_calls must be between 1 and the window", -1;
	if (!(c->open_for >= 0 && isfinite(c->open_for)))
		return *err = "open_for must be a number of seconds", -1;
	if (c->probes < 1)
		return *err = "probes must be at least 1", -1;
	b->c = *c;
	if (!(b->ring = budget_calloc((size_t)c->window, 1)))
		return *err = "not enough memory", -1;
	return 0;
}

void rs_breaker_free(struct rs_breaker *b)
{
	budget_free(b->ring);
	b->ring = NULL;
}

static void go(struct rs_breaker *b, enum rs_breaker_state s, double now)
{
	b->state = s;
	b->transitions++;
	if (s == RS_OPEN)
		b->opened = now;
	if (s == RS_HALF_OPEN)
		b->let_through = b->successes = 0;
	if (s == RS_CLOSED) {
		memset(b->ring, 0, (size_t)b->c.window);
		b->head = b->count = b->failures = 0;
	}
}

enum rs_breaker_state rs_breaker_state_at(const struct rs_breaker *b, double now)
{
	if (b->state == RS_OPEN && now >= b->opened + b->c.open_for)
		return RS_HALF_OPEN;
	return b->state;
}

int rs_breaker_allow(struct rs_breaker *b, double now)
{
	if (b->state == RS_OPEN && now >= b->opened + b->c.open_for)
		go(b, RS_HALF_OPEN, now);
	if (b->state == RS_CLOSED)
		return 1;
	if (b->state == RS_HALF_OPEN && b->let_through < b->c.probes) {
		b->let_through++;
		return 1;
	}
	b->refused++;
	return 0;
}

void rs_breaker_record(struct rs_breaker *b, double now, int ok)
{
	if (b->state == RS_OPEN)
		return;
	if (b->state == RS_HALF_OPEN) {
		if (!ok)
			go(b, RS_OPEN, now);
		else if (++b->successes >= b->c.probes)
			go(b, RS_CLOSED, now);
		return;
	}
	if (b->count == b->c.window)          /* the oldest outcome leaves */
		b->failures -= b->ring[b->head];
	else
		b->count++;
	b->ring[b->head] = !ok;
	b->failures += !ok;
	b->head = (b->head + 1) % b->c.window;
	if (b->count >= b->c.min_calls && b->failures >= b->c.threshold * b->count)
		go(b, RS_OPEN, now);
}
