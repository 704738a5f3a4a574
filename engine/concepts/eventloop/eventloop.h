/*
 * eventloop.h — an event loop on a simulated clock, in Node.js's order, and
 * a comparison of three server models on one seeded workload.
 *
 * The loop (Node.js guide "The Node.js Event Loop"; libuv's design
 * overview): after the main script, each iteration runs
 *   timers   the callbacks of timers due (setTimeout: a delay under 1 ms is 1 ms)
 *   poll     the callbacks of completed I/O; when nothing is ready and no
 *            immediate waits, the loop waits (the clock jumps) for the next
 *            timer or I/O completion
 *   check    the immediates queued before the phase began (setImmediate)
 * and after every callback it drains process.nextTick's queue, then the
 * microtasks (promise reactions), again until both are empty (Node's
 * processTicksAndRejections; since Node 11 this happens between any two
 * timer or immediate callbacks). Microtasks queued by microtasks run in the
 * same drain (the HTML standard's "perform a microtask checkpoint", §8.1.7.3).
 * Callbacks take no simulated time unless the program says so (block).
 *
 * The loop hands out callback ids; the caller (the binding) runs them.
 */
#ifndef BACKLAB_EVENTLOOP_H
#define BACKLAB_EVENTLOOP_H

#include <stddef.h>
#include <stdint.h>

enum evl_kind { EVL_MAIN, EVL_TIMER, EVL_IO, EVL_IMMEDIATE, EVL_TICK, EVL_MICRO };
extern const char *const evl_kind_names[];   /* "main", "timer", ... */

struct evl_item {
	int id;
	double due;
	uint64_t seq;
};

struct evl_queue {
	struct evl_item *v;
	size_t n, cap, head;
};

struct evl {
	double now;            /* ms */
	uint64_t seq;
	struct evl_queue timers, io;          /* binary heaps on (due, seq) */
	struct evl_queue immediates, ticks, micros;   /* FIFO */
	int phase;             /* where the iteration is */
	size_t check_left;     /* immediates the current check phase may run */
	int in_micro;          /* draining microtasks */
	int started;
	double startup;         /* ms added to the clock when the loop starts (set it before) */
};

/* An empty loop at time 0. */
void evl_init(struct evl *e);
void evl_free(struct evl *e);

/* Queues callback ID: a timer after DELAY ms, an I/O completing after
 * DELAY ms, an immediate, a nextTick, a microtask. 0; -1 when memory is
 * refused. */
int evl_add(struct evl *e, enum evl_kind kind, double delay, int id);

/*
 * The next callback to run: its id in *ID and its kind in *KIND; the
 * clock may have moved to its time. 1; 0 when nothing is left (the loop
 * exits).
 */
int evl_next(struct evl *e, int *id, enum evl_kind *kind);

/* Server models compared on the same arrivals. */
enum evl_model { EVL_LOOP, EVL_THREADS, EVL_POOL };

struct evl_serve_config {
	enum evl_model model;
	size_t requests;
	double rate;           /* arrivals per second (Poisson) */
	double cpu_ms;         /* CPU per request */
	double io_ms;          /* I/O wait per request */
	size_t block_every;    /* every Nth request blocks (0: none) */
	double block_ms;       /* its blocking call: it holds the CPU (loop) or its thread */
	int workers;           /* pool: threads */
	int cores;             /* threads and pool: CPUs */
	double stack_kb;       /* memory of a thread */
	double conn_kb;        /* memory of a connection's state */
	uint64_t seed;
};

struct evl_serve_result {
	double *arrival, *latency;    /* per request, ms */
	size_t n;
	double throughput;     /* completed per second, first arrival to last completion */
	double p50, p99, max;  /* latency, ms */
	double peak_kb;        /* memory at the peak of concurrent requests */
	size_t peak_concurrent;
};

/*
 * Simulates C->requests requests through C->model; fills R (free with
 * evl_serve_free). 0; -1 when memory is refused or the budget says stop.
 */
int evl_serve(const struct evl_serve_config *c, struct evl_serve_result *r);
void evl_serve_free(struct evl_serve_result *r);

#endif
