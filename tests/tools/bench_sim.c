/*
 * bench_sim.c — simulated events per second of lab.sim with built-in C
 * nodes. Each node relays every message it gets to a random peer, and 64
 * messages circulate among 16 nodes over a lossy, jittery network, so the
 * heap holds ~64 events and every event is a delivery that sends one
 * message. Medians of 5 runs of 2,000,000 events; with and without the
 * trace (and the bytes the trace holds per event); and nodes that send on
 * a timer every millisecond (timers and deliveries) under a nemesis
 * drawing every kind of fault. Rates per second of wall clock and per
 * second of this process's CPU time.
 */
#include "engine/concepts/sim/sim.h"
#include "engine/concepts/sim/simtrace.h"
#include "engine/concepts/sim/simval.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define EVENTS 2000000

/* Seconds on clock ID: CLOCK_MONOTONIC (wall) or CLOCK_PROCESS_CPUTIME_ID
 * (this process's CPU, user and kernel: what the run itself cost, less
 * the waits for a CPU that a loaded machine adds). */
static double now(clockid_t id)
{
	struct timespec ts;
	clock_gettime(id, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static int relay_send(struct sim_ctx *c, int64_t hops)
{
	struct sim *s = c->sim;
	uint32_t to = 1 + (uint32_t)rng_below(sim_rng(s, c->node), sim_nodes(s));
	uint8_t buf[16];
	struct simw w = {buf, 0, sizeof buf, 0}; /* a stack buffer: never grows */
	simw_int(&w, hops);
	return sim_send(s, c->node, to, w.p, w.len) ? 0 : -1;
}

static int relay_start(struct sim_ctx *c, int restart)
{
	for (int i = 0; i < 4; i++)
		if (relay_send(c, 0) != 0)
			return -1;
	return 0;
}

static int relay_receive(struct sim_ctx *c, uint32_t from, const uint8_t *msg, size_t len)
{
	int64_t hops = 0;
	simv_int(simv_of(msg, len), &hops);
	return relay_send(c, hops + 1);
}

static const struct sim_behaviour relay = {
	.name = "relay", .start = relay_start, .receive = relay_receive};

/* A ticker sends a message to a random peer every millisecond (of its own
 * clock): it keeps going whatever the nemesis does. */
static int tick_start(struct sim_ctx *c, int restart)
{
	return sim_set_timer(c->sim, c->node, 0.001, NULL, 0) ? 0 : -1;
}

static int tick_timer(struct sim_ctx *c, uint64_t id, const uint8_t *tag, size_t len)
{
	if (relay_send(c, 0) != 0)
		return -1;
	return tick_start(c, 0);
}

static const struct sim_behaviour ticker = {
	.name = "ticker", .start = tick_start, .timer = tick_timer};

static double trace_bytes; /* per event, in the last traced run */

static double cpu_time; /* CPU seconds of the last run */

static double run(int trace, int nemesis)
{
	struct sim_config c = sim_config_default();
	c.nodes = 16;
	c.seed = 1;
	c.trace = trace;
	c.net.loss = 0.0;
	c.net.dup = 0.0;
	c.net.latency = (struct sim_latency){.dist = SIM_EXP, .mean = 0.005, .min = 0.001};
	struct sim *s = sim_new(&c);
	for (uint32_t i = 1; i <= 16; i++)
		sim_add_node(s, i, nemesis ? &ticker : &relay, NULL, NULL);
	if (nemesis) {
		struct sim_nemesis nm = {.kinds = SIM_N_PARTITION | SIM_N_ISOLATE | SIM_N_ONEWAY |
						  SIM_N_CRASH | SIM_N_LOSS | SIM_N_CLOCK,
					 .start = 1, .until = 1e4, .interval = 1, .duration = 1,
					 .loss = 0.5, .clock_jump = 0.1};
		sim_nemesis(s, &nm);
	}
	sim_run(s, SIM_MAX_TIME, 1); /* the nodes start */
	double t0 = now(CLOCK_MONOTONIC), c0 = now(CLOCK_PROCESS_CPUTIME_ID);
	enum sim_status st = sim_run(s, SIM_MAX_TIME, EVENTS);
	double t = now(CLOCK_MONOTONIC) - t0;
	cpu_time = now(CLOCK_PROCESS_CPUTIME_ID) - c0;
	struct sim_stats stats;
	sim_stats(s, &stats);
	if (st != SIM_STEPPED || stats.events != EVENTS) {
		fprintf(stderr, "bench_sim: the run ended early (%s)\n", sim_error(s));
		exit(1);
	}
	if (trace)
		trace_bytes = (double)simtrace_bytes(sim_trace(s)) / EVENTS;
	sim_free(s);
	return t;
}

static void report(const char *name, int trace, int nemesis)
{
	double t[5], c[5];
	for (int i = 0; i < 5; i++) {
		t[i] = run(trace, nemesis);
		c[i] = cpu_time;
	}
	qsort(t, 5, sizeof *t, cmp);
	qsort(c, 5, sizeof *c, cmp);
	printf("  %-44s %8.2fM events/s (%.2fM per CPU s)", name, EVENTS / t[2] / 1e6,
	       EVENTS / c[2] / 1e6);
	if (trace)
		printf("  (trace: %.0f bytes/event)", trace_bytes);
	printf("\n");
}

int main(void)
{
	printf("lab.sim, C nodes (16 relays, 64 messages in flight, %d events):\n", EVENTS);
	report("no trace", 0, 0);
	report("trace recorded", 1, 0);
	report("tickers, no trace, nemesis (every fault)", 0, 1);
	report("tickers, trace recorded, nemesis", 1, 1);
	return 0;
}
