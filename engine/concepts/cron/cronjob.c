/*
 * cronjob.c — the simulated CronJob controller of cronjob.h.
 *
 * Kubernetes' controller (pkg/controller/cronjob/utils.go,
 * mostRecentScheduleTime, and cronjob_controllerv2.go, syncCronJob) looks
 * at the times missed since the last one it scheduled and creates a Job
 * for the most recent only, unless that is past startingDeadlineSeconds;
 * then it applies concurrencyPolicy against the Jobs still active.
 */
#include "engine/concepts/cron/cronjob.h"

#include <string.h>

#include "engine/base/budget.h"
#include "engine/concepts/rand/rand.h"

/* The end of the downtime that covers T (windows chained when one starts
 * inside another), or -1 when the controller is up at T. */
static int64_t down_until(const struct cronjob_config *cfg, int64_t t)
{
	int64_t until = -1;
	for (int moved = 1; moved;) {
		moved = 0;
		int64_t at = until < 0 ? t : until;
		for (size_t i = 0; i < cfg->ndown; i++)
			if (cfg->down[i].from <= at && at < cfg->down[i].to && cfg->down[i].to > until) {
				until = cfg->down[i].to;
				moved = 1;
			}
	}
	return until;
}

/* Starts run R at S under the policy, against RUNS[0 .. k). */
static void start(struct cronjob_run *runs, size_t k, struct cronjob_run *r, int64_t s,
		  int64_t duration, enum cronjob_policy policy)
{
	int active = 0;
	for (size_t i = 0; i < k; i++)
		if (runs[i].status != CRONJOB_SKIPPED && runs[i].start <= s && s < runs[i].end)
			active = 1;
	if (active && policy == CRONJOB_FORBID) {
		r->status = CRONJOB_SKIPPED;
		r->reason = CRONJOB_OVERLAP;
		return;
	}
	if (active && policy == CRONJOB_REPLACE)
		for (size_t i = 0; i < k; i++)
			if (runs[i].status != CRONJOB_SKIPPED && runs[i].start <= s && s < runs[i].end) {
				runs[i].end = s;
				runs[i].replaced = 1;
			}
	r->start = s;
	r->end = s + duration;
}

/* The fire times of C in (from, to] into a new array. 0, -1, -2. */
static int fire_times(const struct cron *c, const struct cronjob_config *cfg,
		      struct cronjob_run **runs, size_t *n)
{
	size_t cap = 16;
	*n = 0;
	*runs = budget_malloc(cap * sizeof **runs);
	if (!*runs)
		return -1;
	for (int64_t t = cfg->from; cron_next(c, t, &t) == 0 && t <= cfg->to;) {
		if (*n == cfg->max_runs)
			return -2;
		if (budget_poll(*n))
			return -1;
		if (*n == cap) {
			struct cronjob_run *more = budget_realloc(*runs, 2 * cap * sizeof *more);
			if (!more)
				return -1;
			*runs = more;
			cap *= 2;
		}
		(*runs)[(*n)++] = (struct cronjob_run){.scheduled = t};
	}
	return 0;
}

int cronjob_simulate(const struct cron *c, const struct cronjob_config *cfg,
		     struct cronjob_run **out, size_t *n)
{
	struct cronjob_run *runs;
	int rc = fire_times(c, cfg, &runs, n);
	if (rc) {
		budget_free(runs);
		*out = NULL;
		*n = 0;
		return rc;
	}
	struct rng g;
	rng_seed(&g, cfg->seed);
	for (size_t k = 0; k < *n; k++) {
		struct cronjob_run *r = &runs[k];
		int64_t jitter = cfg->jitter > 0 ? rng_range(&g, 0, cfg->jitter) : 0;
		int64_t duration = cfg->durations[k % cfg->ndurations];
		int64_t back = down_until(cfg, r->scheduled);
		if (back < 0) {
			r->status = CRONJOB_RAN;
			start(runs, k, r, r->scheduled + jitter, duration, cfg->policy);
			continue;
		}
		/* missed: only the last time missed before BACK may start, at BACK */
		r->status = CRONJOB_SKIPPED;
		r->reason = CRONJOB_DOWN;
		if (k + 1 < *n && runs[k + 1].scheduled < back)
			continue;
		if (cfg->deadline >= 0 && back - r->scheduled > cfg->deadline) {
			r->reason = CRONJOB_DEADLINE;
			continue;
		}
		r->status = CRONJOB_LATE;
		r->reason = CRONJOB_NONE;
		start(runs, k, r, back + jitter, duration, cfg->policy);
	}
	*out = runs;
	return 0;
}
