/*
 * rsim.h — the inside of resilience.h's simulation, shared by rsim.c (the
 * event loop, pools, counting, faults) and rsgraph.c (services, calls and
 * the caller's policy). Not for bindings.
 */
#ifndef BACKLAB_RSIM_H
#define BACKLAB_RSIM_H

#include "engine/concepts/resilience/resilience.h"

enum ev_type { EV_ARRIVAL, EV_BURST, EV_JOB_ARRIVE, EV_WORK_DONE, EV_REPLY, EV_TIMEOUT,
	       EV_RETRY, EV_FAULT, EV_TICK, EV_SWITCH };

struct ev {
	double t;
	uint64_t seq;
	int type;
	int a;          /* a job, a call, a burst, a fault, an interval */
	uint32_t gen;   /* the generation of the job or call */
	int b;          /* EV_REPLY: outcome; EV_FAULT: 0 start, 1 end */
};

/* Outcomes of an attempt, as a callee replies. */
enum { OUT_FAIL, OUT_OK, OUT_DEGRADED };

/* A request's op. */
enum { OP_READ, OP_WRITE };

/* The LRU cache of a service: a map of keys (linear probing, at most half
 * full) to nodes in a doubly linked list, most recent first. Grows with
 * its content; CAP items at most. */
struct rs_lru_node {
	uint64_t key;
	int32_t prev, next;      /* free nodes: next in the free list */
};

struct rs_lru {
	int64_t cap, count;
	int32_t *slots;          /* node index, -1: empty */
	size_t nslots;
	struct rs_lru_node *nodes;
	size_t nnodes, capnodes;
	int32_t head, tail, free;
};

enum job_state { JOB_FREE, JOB_SENT, JOB_QUEUED, JOB_WORKING, JOB_WAITING };

struct job {
	int service;
	int call;              /* the caller's call this job answers */
	uint32_t call_gen;     /* ... and the attempt's generation */
	uint32_t gen;
	enum job_state state;
	double arrived;
	int dep;               /* the next dependency to call */
	int degraded;          /* a fallback answered for one of them */
	int span;              /* its SERVER span; -1: not traced */
	uint64_t key;          /* of the request it serves (0: none) */
	unsigned char op;      /* OP_READ or OP_WRITE */
	unsigned char async;   /* brought by an async call: its reply goes nowhere */
	unsigned char missed;  /* a read the cache missed: insert on success */
};

struct call {
	int edge;
	int job;               /* the job waiting for it; -1: a client request */
	uint32_t job_gen;
	uint32_t gen;          /* of the current attempt */
	int live, pending;     /* pending: an attempt is in flight */
	int attempt;           /* retries made so far */
	double created, prev;  /* prev: the last backoff */
	int tspan;             /* the span its attempts hang from; -1: not traced */
	int aspan;             /* the CLIENT span of the current attempt */
	uint64_t key;          /* of the request */
	unsigned char op;
};

struct edge {
	int from, to;          /* from -1: the client */
	const struct rs_policy *p;
	struct rs_breaker br;
	struct rs_budget bud;
	int inflight;
	int async;             /* 1: the caller does not wait for the work */
};

struct svc {
	const struct rs_service_cfg *c;
	int busy;
	int *q;                /* waiting jobs, a ring of qcap */
	size_t qhead, qlen, qcap;
	struct ratelimit *rl;
	int down;
	double slow, err, brown;
	int edges[RS_MAX_CALLS];
	double area, since;    /* worker-seconds busy until SINCE */
	struct rs_lru lru;
	double *lag;           /* lags of its async jobs */
	uint64_t async_failed;
	size_t nlag, cap_lag;
};

struct sim {
	const struct rs_config *c;
	struct rs_result *r;
	const char *failed;    /* why the run stopped */
	double now;
	uint64_t seq;
	struct ev *ev;
	size_t nev, cap_ev;
	struct job *jobs;
	size_t njobs, cap_jobs, nfree_jobs;
	int *free_jobs;
	struct call *calls;
	size_t ncalls, cap_calls, nfree_calls;
	int *free_calls;
	struct svc svc[RS_MAX_SERVICES];
	struct edge edges[RS_MAX_SERVICES * RS_MAX_CALLS + 1];
	int nedges;
	int fault_svc[RS_MAX_FAULTS];
	int switch_svc[RS_MAX_SWITCHES];
	size_t cap_tr;
	double *lat, *ilat;    /* client latencies: all, this interval's */
	size_t nlat, cap_lat, nilat, cap_ilat;
	struct rng r_arrive, r_work, r_fail, r_jitter, r_trace;
	struct rng r_key, r_op;    /* keys and ops of client requests */
	struct rs_zipf zipf;
	double *lat_op[2];         /* client latencies by op (writes > 0 only) */
	size_t nlat_op[2], cap_lat_op[2];
	uint64_t id_state;     /* draws span and trace ids */
	size_t cap_spans;
};

/* rsim.c. Functions returning int return 0, or -1 with s->failed set. */
int rs_push(struct sim *s, double t, int type, int a, uint32_t gen, int b);
int rs_new_job(struct sim *s);
int rs_new_call(struct sim *s);
void rs_free_job(struct sim *s, int j);
void rs_free_call(struct sim *s, int c);
size_t rs_interval(const struct sim *s);
struct rs_count *rs_svc_now(struct sim *s, int svc);
int rs_keep_latency(struct sim *s, double v, int interval_too);
int rs_keep(struct sim *s, double **arr, size_t *n, size_t *cap, double v);
void rs_busy(struct sim *s, int svc, int delta);

/* rskeys.c. The insert returns -1 when memory runs out. */
void rs_lru_init(struct rs_lru *c, int64_t cap);
void rs_lru_free(struct rs_lru *c);
int rs_lru_hit(struct rs_lru *c, uint64_t key);          /* 1: there (now the most recent) */
int rs_lru_insert(struct rs_lru *c, uint64_t key);
void rs_lru_delete(struct rs_lru *c, uint64_t key);
void rs_lru_clear(struct rs_lru *c);

/* rstrace.c */
int rs_trace_request(struct sim *s);
int rs_span_open(struct sim *s, int parent, enum rs_span_kind kind, int service, int peer,
		 int attempt);
void rs_span_end(struct sim *s, int span, enum rs_span_status status);
int rs_trace_close(struct sim *s, double end);

/* rsgraph.c */
int rs_setup_graph(struct sim *s);
void rs_free_graph(struct sim *s);
int rs_client_request(struct sim *s);
int rs_job_arrive(struct sim *s, int j, uint32_t gen);
int rs_work_done(struct sim *s, int j, uint32_t gen);
int rs_attempt_result(struct sim *s, int c, uint32_t gen, int outcome, int timed_out);
int rs_retry(struct sim *s, int c, uint32_t gen);
int rs_crash(struct sim *s, int svc);
int rs_dispatch(struct sim *s, int svc);

#endif
