/*
 * cronjob.h — a job scheduler over a cron expression on simulated time,
 * as Kubernetes' CronJob controller runs one (Kubernetes documentation,
 * "CronJob"; API CronJobSpec; pkg/controller/cronjob):
 *
 *   - each time the expression fires, a run starts, JITTER seconds later
 *     at most (a seeded uniform delay: not in Kubernetes, the usual cure
 *     for every job of a fleet starting in the same second);
 *   - while the controller is DOWN it starts nothing. When it comes back
 *     it starts only the most recent time it missed (mostRecentScheduleTime),
 *     and only if it is no more than DEADLINE seconds late
 *     (startingDeadlineSeconds; -1: no deadline); the other missed times
 *     are skipped;
 *   - when a run is due while an earlier one is still running, the
 *     concurrencyPolicy decides: ALLOW starts it too, FORBID skips the new
 *     one, REPLACE stops the running ones and starts the new one.
 *
 * A run takes DURATIONS[k mod n] seconds (the k-th time, from 0).
 */
#ifndef BACKLAB_CRONJOB_H
#define BACKLAB_CRONJOB_H

#include <stddef.h>
#include <stdint.h>

#include "engine/concepts/cron/cron.h"

enum cronjob_policy { CRONJOB_ALLOW, CRONJOB_FORBID, CRONJOB_REPLACE };

enum cronjob_status {
	CRONJOB_RAN,      /* started on time (plus its jitter) */
	CRONJOB_LATE,     /* started when the controller came back */
	CRONJOB_SKIPPED,  /* never started: see the reason */
};

enum cronjob_reason {
	CRONJOB_NONE,
	CRONJOB_DOWN,     /* missed while the controller was down; a later time ran, or none */
	CRONJOB_DEADLINE, /* the controller came back more than the deadline late */
	CRONJOB_OVERLAP,  /* Forbid: an earlier run was still running */
};

struct cronjob_run {
	int64_t scheduled;    /* when the expression fired */
	int64_t start, end;   /* when it ran (skipped: both 0) */
	enum cronjob_status status;
	enum cronjob_reason reason;
	int replaced;         /* stopped early by a later run (Replace) */
};

struct cronjob_window {
	int64_t from, to;     /* the controller is down in [from, to) */
};

struct cronjob_config {
	int64_t from, to;                 /* fire times in (from, to] */
	const int64_t *durations;         /* >= 1 of them, each >= 0 */
	size_t ndurations;
	enum cronjob_policy policy;
	int64_t deadline;                 /* seconds; -1: none */
	int64_t jitter;                   /* seconds, >= 0 */
	uint64_t seed;
	const struct cronjob_window *down;
	size_t ndown;
	size_t max_runs;                  /* more fire times is an error */
};

/* Runs the controller for C over CFG: *RUNS gets one record per fire
 * time, in order (*N of them; free with budget_free). 0; -1 when memory
 * is refused or the budget says stop; -2 when there are more than
 * max_runs fire times. Nothing is kept on error. */
int cronjob_simulate(const struct cron *c, const struct cronjob_config *cfg,
		     struct cronjob_run **runs, size_t *n);

#endif
