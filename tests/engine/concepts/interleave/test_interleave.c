/* Unit tests of engine/concepts/interleave: schedule counts against the
 * multinomial formula and hand-worked traces. */
#include "unit.h"
#include "engine/base/budget.h"
#include "engine/concepts/interleave/interleave.h"

/* A program of K threads of N[i] local steps each (add r 1), no sharing. */
static void independent(struct ilv_program *p, const int *n, int k)
{
	memset(p, 0, sizeof *p);
	p->nthreads = k;
	p->max_steps = 100;
	p->threads = budget_calloc((size_t)k, sizeof *p->threads);
	for (int t = 0; t < k; t++) {
		struct ilv_thread *th = &p->threads[t];
		th->nsteps = n[t];
		th->nregs = 1;
		th->regnames = budget_calloc(1, sizeof *th->regnames);
		th->regnames[0] = budget_strdup("r");
		th->steps = budget_calloc((size_t)n[t] + 1, sizeof *th->steps);
		for (int i = 0; i < n[t]; i++)
			th->steps[i] = (struct ilv_step){ILV_ADD, -1, 0, {-1, 1}, {-1, 0}, -1};
	}
}

static void t_multinomial(void)
{
	/* (n1 + ... + nk)! / (n1! ... nk!), worked by hand */
	CHECK_INT(ilv_multinomial((int[]){3, 3}, 2), 20);
	CHECK_INT(ilv_multinomial((int[]){2, 3, 4}, 3), 1260);
	CHECK_INT(ilv_multinomial((int[]){1, 1, 1, 1}, 4), 24);
	CHECK(ilv_multinomial((int[]){10, 10, 10}, 3) == 5550996791340ull);
	CHECK(ilv_multinomial((int[]){40, 40, 40}, 3) == UINT64_MAX);   /* 1.23e55 */
}

static void t_independent_counts(void)
{
	static const int shapes[][3] = {{1, 1, 0}, {3, 3, 0}, {2, 3, 4}, {5, 1, 2}, {10, 10, 10}};
	static const uint64_t want[] = {2, 20, 1260, 168, 5550996791340ull};
	for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
		int k = shapes[i][2] ? 3 : 2;
		struct ilv_program p;
		struct ilv_result r;
		independent(&p, shapes[i], k);
		struct ilv_config c = {0, 0, 1};
		CHECK(ilv_explore(&p, &c, &r) == 0);
		CHECK(r.exhaustive && !r.overflow);
		CHECK(r.schedules == want[i]);
		CHECK(r.schedules == ilv_multinomial(shapes[i], k));
		size_t states = 1;
		for (int t = 0; t < k; t++)
			states *= (size_t)shapes[i][t] + 1;
		CHECK_INT(r.states, states);   /* every (pc1, pc2, pc3), once */
		CHECK_INT(r.noutcomes, 1);
		CHECK(r.outcomes[0].kind == ILV_DONE);
		ilv_result_free(&r);
		ilv_program_free(&p);
	}
}

static void t_overflow_flagged(void)
{
	struct ilv_program p;
	struct ilv_result r;
	independent(&p, (int[]){40, 40, 40}, 3);
	struct ilv_config c = {0, 0, 1};
	CHECK(ilv_explore(&p, &c, &r) == 0);
	CHECK(r.overflow);
	CHECK(r.schedules_f > 1.2315e55 && r.schedules_f < 1.2316e55);   /* 120!/(40!)^3 */
	ilv_result_free(&r);
	ilv_program_free(&p);
}

static void t_sample_when_too_many(void)
{
	struct ilv_program p;
	struct ilv_result r, r2;
	independent(&p, (int[]){10, 10, 10}, 3);
	struct ilv_config c = {100, 50, 7};
	CHECK(ilv_explore(&p, &c, &r) == 0);
	CHECK(!r.exhaustive);
	CHECK_INT(r.schedules, 50);
	CHECK_INT(r.noutcomes, 1);
	CHECK_INT(r.outcomes[0].nfirst, 30);   /* a whole schedule: 30 steps */
	CHECK(ilv_explore(&p, &c, &r2) == 0);
	CHECK(memcmp(r.outcomes[0].first, r2.outcomes[0].first, 30 * sizeof(int)) == 0);
	ilv_result_free(&r);
	ilv_result_free(&r2);
	ilv_program_free(&p);
}

static const struct test tests[] = {
	{"interleave/multinomial", t_multinomial},
	{"interleave/independent_counts", t_independent_counts},
	{"interleave/overflow_flagged", t_overflow_flagged},
	{"interleave/sample_when_too_many", t_sample_when_too_many},
	{0},
};

int main(int argc, char **argv)
{
	return run_tests(tests, argc, argv);
}
