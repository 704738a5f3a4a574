/*
 * Unit tests of engine/concepts/reconcile in C: a plan and its apply on
 * hand-built states, the loop with drift, and no block left allocated
 * (the binding's tests cover the rest through Lua).
 */
#include "unit.h"
#include "engine/base/budget.h"
#include "engine/concepts/reconcile/reconcile.h"

#include <string.h>

static char *S(const char *s)
{
	char *d = budget_malloc(strlen(s) + 1);
	strcpy(d, s);
	return d;
}

/* a: no deps; b: depends on a, attribute v = VALUE */
static void make(struct rec_state *s, const char *value)
{
	s->n = 2;
	s->res = budget_calloc(2, sizeof *s->res);
	s->res[0].id = S("a");
	s->res[0].type = S("t");
	s->res[0].attrs = budget_calloc(1, sizeof(struct rec_attr));
	s->res[0].deps = budget_calloc(1, sizeof(char *));
	s->res[0].force_new = budget_calloc(1, sizeof(char *));
	s->res[1].id = S("b");
	s->res[1].type = S("t");
	s->res[1].attrs = budget_calloc(1, sizeof(struct rec_attr));
	s->res[1].attrs[0] = (struct rec_attr){S("v"), S(value), strlen(value)};
	s->res[1].nattrs = 1;
	s->res[1].deps = budget_calloc(1, sizeof(char *));
	s->res[1].deps[0] = S("a");
	s->res[1].ndeps = 1;
	s->res[1].force_new = budget_calloc(1, sizeof(char *));
}

static void t_plan_apply(void)
{
	struct rec_state d = {0}, a = {0};
	make(&d, "s1");
	char buf[100];
	CHECK(rec_validate(&d, buf, sizeof buf) == NULL);
	struct rec_plan p;
	CHECK_INT(rec_plan(&d, &a, &p), 0);
	CHECK_INT((int)p.n, 2);
	CHECK(p.a[0].op == REC_CREATE && strcmp(d.res[p.a[0].desired].id, "a") == 0);
	for (size_t i = 0; i < p.n; i++)
		CHECK_INT(rec_apply_one(&a, &d, &p.a[i]), 0);
	rec_compact(&a);
	rec_plan_free(&p);
	CHECK_INT(rec_plan(&d, &a, &p), 0);
	CHECK_INT((int)p.n, 0);
	rec_plan_free(&p);
	/* the actual b drifts: an update of v */
	budget_free(a.res[1].attrs[0].value);
	a.res[1].attrs[0].value = S("s2");
	CHECK_INT(rec_plan(&d, &a, &p), 0);
	CHECK_INT((int)p.n, 1);
	CHECK(p.a[0].op == REC_UPDATE && p.a[0].nchanged == 1);
	CHECK_STR(p.a[0].changed[0], "v");
	rec_plan_free(&p);
	/* nothing desired: b is deleted before a */
	struct rec_state none = {0};
	CHECK_INT(rec_plan(&none, &a, &p), 0);
	CHECK_INT((int)p.n, 2);
	CHECK(p.a[0].op == REC_DELETE && strcmp(a.res[p.a[0].actual].id, "b") == 0);
	rec_plan_free(&p);
	rec_state_free(&a);
	rec_state_free(&d);
	CHECK_INT(budget_bytes(), 0);
}

static void t_loop(void)
{
	struct rec_state d = {0}, a = {0};
	make(&d, "s1");
	struct rec_drift drift[] = {{95, "b", "v", "zz", 2}, {130, "a", NULL, NULL, 0}};
	struct rec_loop_config c = {30, 300, 0, 1, drift, 2};
	struct rec_loop_report r;
	CHECK_INT(rec_loop(&a, &d, &c, &r), 0);
	CHECK(r.first_converged == 0);
	CHECK_INT((int)r.nticks, 11);
	/* v drifts at 95, fixed at 120; a deleted at 130, created again at 150 */
	CHECK(r.ticks[4].planned == 1 && r.ticks[4].converged);
	CHECK(r.ticks[5].planned == 1 && r.ticks[5].applied == 1);
	CHECK(r.out_of_sync == (120 - 95) + (150 - 130));
	rec_loop_report_free(&r);
	rec_state_free(&a);
	rec_state_free(&d);
	CHECK_INT(budget_bytes(), 0);
}

static const struct test tests[] = {
	{"reconcile/plan_apply", t_plan_apply},
	{"reconcile/loop", t_loop},
	{0},
};

int main(int argc, char **argv)
{
	return run_tests(tests, argc, argv);
}
