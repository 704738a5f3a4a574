/* Unit tests of engine/concepts/simclock.c. */
#include "unit.h"
#include "engine/concepts/rand/rand.h"
#include "engine/concepts/clock/simclock.h"

static void t_fires_in_order(void)
{
	struct simclock *c = simclock_new(10);
	CHECK(simclock_now(c) == 10);
	uint64_t a = simclock_after(c, 5), b = simclock_after(c, 1), d = simclock_after(c, 5);
	CHECK(a && b && d && simclock_pending(c) == 3);
	uint64_t id;
	double at;
	CHECK(simclock_pop_due(c, 12, &id, &at) == 1);
	CHECK(id == b && at == 11 && simclock_now(c) == 11);
	CHECK(simclock_pop_due(c, 12, &id, &at) == 0);
	CHECK(simclock_now(c) == 12);
	CHECK(simclock_pop_due(c, 20, &id, &at) == 1 && id == a && at == 15); /* tie: set first */
	CHECK(simclock_pop_due(c, 20, &id, &at) == 1 && id == d);
	CHECK(simclock_pop_due(c, 20, &id, &at) == 0 && simclock_now(c) == 20);
	CHECK(simclock_pop_due(c, 19, &id, &at) == -1 && simclock_now(c) == 20);
	CHECK(simclock_after(c, -1) == 0);
	CHECK(simclock_check(c) == 0);
	simclock_free(c);
}

static void t_cancel_and_heap(void)
{
	struct simclock *c = simclock_new(0);
	struct rng r;
	rng_seed(&r, 1);
	uint64_t ids[500];
	for (int i = 0; i < 500; i++)
		ids[i] = simclock_after(c, (double)rng_below(&r, 1000));
	for (int i = 0; i < 500; i += 3)
		CHECK(simclock_cancel(c, ids[i]) == 1);
	CHECK(simclock_cancel(c, ids[0]) == 0);
	CHECK(simclock_check(c) == 0);
	double last = -1;
	uint64_t id;
	double at;
	size_t fired = 0;
	while (simclock_pop_due(c, 2000, &id, &at) == 1) {
		CHECK(at >= last);
		CHECK((id - 1) % 3 != 0); /* cancelled ones never fire */
		last = at;
		fired++;
		CHECK(simclock_check(c) == 0);
	}
	CHECK_INT(fired, 500 - 167);
	simclock_free(c);
}

static const struct test tests[] = {
	{"simclock/fires_in_order", t_fires_in_order},
	{"simclock/cancel_and_heap", t_cancel_and_heap},
	{0},
};

int main(int argc, char **argv)
{
	return run_tests(tests, argc, argv);
}
