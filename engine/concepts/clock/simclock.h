/*
 * simclock.h — simulated time with timers, for deterministic simulations.
 *
 * Time is a double in seconds that only moves when the caller moves it.
 * Timers are kept in a binary min-heap ordered by (due time, id), so timers
 * due at the same instant fire in the order they were set.
 *
 * Invariants (checked by simclock_check): the heap property holds; every
 * pending timer is due at or after now; ids are unique and increasing.
 */
#ifndef BACKLAB_SIMCLOCK_H
#define BACKLAB_SIMCLOCK_H

#include <stddef.h>
#include <stdint.h>

struct simclock;

/* A clock at time START with no timers, or NULL on allocation failure. Free
 * with simclock_free. Memory comes from budget_malloc (budget.h). */
struct simclock *simclock_new(double start);
void simclock_free(struct simclock *c);

double simclock_now(const struct simclock *c);
size_t simclock_pending(const struct simclock *c);

/* Sets a timer DELAY (>= 0) seconds from now; returns its id (>= 1), or 0 if
 * DELAY is negative or not finite or memory runs out (nothing changes). */
uint64_t simclock_after(struct simclock *c, double delay);

/* Cancels a pending timer; returns 1 if it was pending, else 0. */
int simclock_cancel(struct simclock *c, uint64_t id);

/*
 * Moves time towards T (>= now). If a timer is due at or before T, removes
 * the earliest, sets now to its due time, stores its id and time, and returns
 * 1: call again to continue. Otherwise sets now to T and returns 0. Returns
 * -1 (and changes nothing) if T is before now or not finite.
 */
int simclock_pop_due(struct simclock *c, double t, uint64_t *id, double *at);

/* Returns 0 if the invariants hold, else -1. */
int simclock_check(const struct simclock *c);

/* Copies up to MAX pending timers, earliest first (by due time, then id),
 * for inspection; returns the number copied (0 if memory runs out). */
size_t simclock_timers(const struct simclock *c, uint64_t *ids, double *ats, size_t max);

#endif
