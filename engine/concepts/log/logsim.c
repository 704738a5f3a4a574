/*
 * logsim.c — a seeded run of a consumer group that crashes (log.h).
 */
#include "engine/concepts/log/log.h"
#include "engine/base/budget.h"
#include "engine/concepts/rand/rand.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct lsim {
	struct plog_sim *s;
	struct plog l;
	struct plog_group g;
	uint32_t *seen;          /* times each message was processed */
	unsigned char *down;     /* members crashed, to join again */
	struct plog_fetch *batch;
	struct rng r;
};

/* Writes the messages: key "k<i mod 100>", value "<i>". 0, or -1. */
static int lsim_produce(struct lsim *w)
{
	char key[32], val[32];
	for (uint64_t i = 0; i < w->s->messages; i++) {
		int kl = snprintf(key, sizeof key, "k%llu", (unsigned long long)(i % 100));
		int vl = snprintf(val, sizeof val, "%llu", (unsigned long long)i);
		uint32_t p;
		uint64_t off;
		if (plog_produce(&w->l, -1, key, (size_t)kl, val, (size_t)vl, &p, &off))
			return -1;
	}
	return 0;
}

/* Whether every partition's committed offset reached its end. */
static int lsim_done(const struct lsim *w)
{
	for (uint32_t p = 0; p < w->l.nparts; p++)
		if (w->g.committed[p] != w->l.p[p].end)
			return 0;
	return 1;
}

/* Member NAME polls a batch, processes it and commits as the run says,
 * perhaps crashing. 0, or -1. */
static int lsim_turn(struct lsim *w, const char *name, uint32_t c)
{
	struct plog_sim *s = w->s;
	long m = plog_member(&w->g, name);
	size_t n = plog_poll(&w->g, m, s->batch, w->batch);
	s->polls++;
	int crash = n > 0 && rng_uniform(&w->r) < s->crash;
	size_t upto = crash ? (size_t)rng_below(&w->r, n) : n;
	if (s->commit == PLOG_COMMIT_BEFORE)
		plog_commit(&w->g, m);
	for (size_t k = 0; k < upto; k++)
		w->seen[strtoull(w->batch[k].rec->value, NULL, 10)]++;
	if (crash) {
		s->crashes++;
		w->down[c] = 1;
		return plog_leave(&w->g, name) < 0 ? -1 : 0;
	}
	if (s->commit == PLOG_COMMIT_AFTER)
		plog_commit(&w->g, m);
	return 0;
}

/* One round: crashed members join again, then each member takes a turn. */
static int lsim_round(struct lsim *w)
{
	char name[32];
	for (uint32_t c = 0; c < w->s->consumers; c++) {
		snprintf(name, sizeof name, "c%u", (unsigned)c + 1);
		if (w->down[c]) {
			w->down[c] = 0;
			if (plog_join(&w->g, name) < 0)
				return -1;
		}
	}
	for (uint32_t c = 0; c < w->s->consumers; c++) {
		snprintf(name, sizeof name, "c%u", (unsigned)c + 1);
		if (!w->down[c] && lsim_turn(w, name, c))
			return -1;
	}
	return 0;
}

static void lsim_tally(struct lsim *w)
{
	struct plog_sim *s = w->s;
	for (uint64_t i = 0; i < s->messages; i++) {
		s->processed += w->seen[i];
		if (w->seen[i])
			s->distinct++;
		else
			s->lost++;
	}
	s->duplicates = s->processed - s->distinct;
	s->rebalances = w->g.generation;
}

int plog_simulate(struct plog_sim *s)
{
	s->processed = s->distinct = s->duplicates = s->lost = 0;
	s->crashes = s->rebalances = s->polls = 0;
	struct lsim w = {.s = s};
	rng_seed(&w.r, s->seed);
	int rc = plog_init(&w.l, s->partitions, PLOG_MURMUR2);
	if (rc == 0)
		rc = plog_group_init(&w.g, &w.l, s->assignor, PLOG_EARLIEST);
	w.seen = budget_calloc(s->messages ? s->messages : 1, sizeof *w.seen);
	w.down = budget_calloc(s->consumers, 1);
	w.batch = budget_malloc(s->batch * sizeof *w.batch);
	if (rc || !w.seen || !w.down || !w.batch || lsim_produce(&w))
		rc = -1;
	for (uint32_t c = 0; rc == 0 && c < s->consumers; c++)
		w.down[c] = 1;                     /* all join in the first round */
	for (uint64_t round = 0; rc == 0 && (round == 0 || !lsim_done(&w)); round++) {
		if (budget_poll(round))
			rc = -2;
		else
			rc = lsim_round(&w);
	}
	if (rc == 0)
		lsim_tally(&w);
	budget_free(w.seen);
	budget_free(w.down);
	budget_free(w.batch);
	if (w.g.owner || w.g.members)
		plog_group_free(&w.g);
	plog_free(&w.l);
	return rc;
}
