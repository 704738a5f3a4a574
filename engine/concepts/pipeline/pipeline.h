/*
 * pipeline.h — a CI/CD pipeline as a DAG of jobs, run on a number of
 * runners: the critical path (the longest chain of needs, which no number
 * of runners can beat), list scheduling (Graham 1966) in the order jobs
 * are listed or longest-remaining-path first, caches that shorten a job
 * when warm, flaky jobs retried, and deployment gates that run only when
 * every other job passed.
 *
 * Times are seconds on a simulated clock. A job's flaky attempts are drawn
 * from its own stream of the seed, so how many runners there are never
 * changes which attempts fail. Pure C: no Lua, no I/O, no wall clock.
 */
#ifndef BACKLAB_PIPELINE_H
#define BACKLAB_PIPELINE_H

#include <stddef.h>
#include <stdint.h>

#define PIPE_MAX_JOBS 2000
#define PIPE_MAX_WORKERS 100000
#define PIPE_MAX_RETRIES 100
#define PIPE_NONE ((size_t)-1)

enum pipe_order {
	PIPE_LISTED,   /* ready jobs start in the order they are listed */
	PIPE_CRITICAL, /* the ready job with the longest path to the end first */
};

enum pipe_status {
	PIPE_PASSED,
	PIPE_FAILED,  /* every attempt failed */
	PIPE_SKIPPED, /* a job it needs did not pass (for a gate: any job) */
};

struct pipe_job {
	const char *name;     /* borrowed; unique */
	double duration;      /* seconds of one attempt, cache cold; > 0 */
	double cached;        /* seconds of one attempt when the cache is warm; < 0: no cache */
	double flaky;         /* probability that an attempt fails, in [0, 1) */
	int gate;             /* needs every job that is not a gate, and runs only if all passed */
	const size_t *needs;  /* indexes of the jobs it needs; borrowed */
	size_t nneeds;
};

struct pipe_config {
	const struct pipe_job *jobs;
	size_t njobs;
	size_t workers;       /* runners; 0: as many as there are ready jobs */
	int retries;          /* further attempts after a failed one, per job */
	int warm;             /* caches hit: a job with a cache takes .cached */
	enum pipe_order order;
	uint64_t seed;
};

struct pipe_jobrun {
	enum pipe_status status;
	double ready;         /* when its needs had all passed (skipped: when it was skipped) */
	double start, finish; /* skipped: both equal to .ready */
	int attempts;         /* 0 when skipped */
	size_t worker;        /* 0-based runner; PIPE_NONE when skipped */
	double slack;         /* how much later it could finish without delaying the critical path */
	int critical;         /* on the critical path */
};

struct pipe_report {
	struct pipe_jobrun *jobs; /* njobs; owned */
	size_t *path;             /* the critical path, first job first; owned */
	size_t npath;
	double critical;          /* its length in seconds (planned: one attempt each) */
	double makespan;          /* when the last job finished */
	double work;              /* runner-seconds spent, failed attempts included */
	int passed;               /* every job passed */
	size_t first_failed;      /* the job that failed first, or PIPE_NONE */
	size_t *started;          /* job indexes in the order they started; owned */
	size_t nstarted;
};

/*
 * Checks C: names present and unique, durations and probabilities in range,
 * needs in range, no cycle. Returns NULL when it is a DAG, else a message
 * written into BUF (e.g. "a cycle: build -> test -> build").
 */
const char *pipe_validate(const struct pipe_config *c, char *buf, size_t size);

/*
 * Runs the pipeline C (which pipe_validate accepted) and fills R. Returns
 * 0, or -1 when memory runs out (R is then empty). Free R with
 * pipe_report_free.
 */
int pipe_run(const struct pipe_config *c, struct pipe_report *r);

void pipe_report_free(struct pipe_report *r);

/* The seconds one attempt of job J takes under C. */
double pipe_duration(const struct pipe_config *c, size_t j);

#endif
