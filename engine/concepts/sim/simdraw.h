/*
 * simdraw.h — pictures of a lab.sim run for a terminal: a timeline of the
 * nodes (up, down, partition groups, message rate) and a history of client
 * operations drawn as bars over time. The message-sequence diagram is
 * simtrace_diagram() (simtrace.h).
 *
 * Output is whole lines, no trailing spaces, at most WIDTH columns (40 to
 * 1000); with utf8 = 0 pure ASCII. Deterministic.
 */
#ifndef BACKLAB_SIMDRAW_H
#define BACKLAB_SIMDRAW_H

#include <stddef.h>
#include <stdint.h>

#include "engine/base/sbuf.h"
#include "engine/concepts/sim/simtrace.h"

#define SIMDRAW_MIN_WIDTH 40
#define SIMDRAW_MAX_WIDTH 1000

/*
 * The timeline of nodes over [FROM, TO] ns (TO < 0: to the last record),
 * one lane per node with NODES[id] set (NULL: all), one column per slice
 * of time, each cell the worst state of the node in its slice:
 *
 *   time(s)  0         2.5       5         7.5
 *   n1       ━━━━━━━━━━━━━━AAAAAAAAAAA━━━━━━━━━━━━
 *   n2       ━━━━━━━━━━━━━━BBBBBBBBBBB━━━━━━━━━━━━
 *   n3       ━━━━━━━━━·········━━━━━━━━━━━━━━━━━━━
 *   recv/s   ▁▂▄▆█▇▅▅▅▅▄▄▄▄▄▅▆▇███▇▆▅▄▃  min 0  max 412
 *
 * (· down, A B C.. the groups of a partition in force, > the node's
 * messages blocked one way). Returns 0, or -1 for a width out of range.
 */
int simdraw_timeline(struct sbuf *out, const struct simtrace *t, const uint8_t *nodes,
		     int64_t from, int64_t to, int width, int utf8);

/* One operation of a history. */
struct simdraw_op {
	uint32_t client;
	double invoke;       /* seconds */
	double complete;     /* seconds; < 0: never completed */
	const char *label;   /* what it did and got: "write(x, 1) ok"; borrowed */
	int unknown;         /* timed out or never completed: drawn open-ended */
};

/*
 * Operations as bars on one row per client (more rows when a client's
 * operations overlap), invoke to complete:
 *
 *   time(s)  0              1              2
 *   c1       |-w x 1 ok-|       |-r x: 1-|
 *   c2          |--------r x: 0----------|
 *
 * Labels that do not fit inside their bar are replaced by the operation's
 * number, and listed under the chart. Returns 0, or -1 for a bad width.
 */
int simdraw_history(struct sbuf *out, const struct simdraw_op *ops, size_t n, int width,
		    int utf8);

#endif
