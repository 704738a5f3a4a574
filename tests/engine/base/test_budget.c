/* Unit tests of engine/base/budget.c: accounts, and the system allocator's
 * refusals told to the current account. */
#include "unit.h"
#include "engine/base/budget.h"

#include <stdint.h>

/* Under AddressSanitizer, an allocation too large for any machine returns
 * NULL as malloc would, rather than ending the test. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
	return "allocator_may_return_null=1";
}

struct fake {
	struct budget b; /* first member */
	size_t used, limit;
	/* volatile: compilers take malloc to write nothing but errno, yet the
	 * wrapper's callback writes this */
	volatile int exhausted;
};

static int charge(struct budget *b, size_t n)
{
	struct fake *f = (struct fake *)b;
	if (n > f->limit - f->used)
		return -1;
	f->used += n;
	return 0;
}

static void credit(struct budget *b, size_t n)
{
	((struct fake *)b)->used -= n;
}

static const char *stop(struct budget *b)
{
	return ((struct fake *)b)->exhausted ? "not enough memory" : NULL;
}

static void exhausted(struct budget *b)
{
	((struct fake *)b)->exhausted++;
}

static void t_charges(void)
{
	struct fake f = {{charge, credit, stop, exhausted}, 0, 1000, 0};
	struct budget *prev = budget_enter(&f.b);
	void *a = budget_malloc(600);
	CHECK(a != NULL);
	CHECK_INT(f.used, 600);
	CHECK(budget_malloc(600) == NULL); /* the limit refuses */
	CHECK_INT(f.used, 600);
	a = budget_realloc(a, 100);
	CHECK_INT(f.used, 100);
	budget_free(a);
	CHECK_INT(f.used, 0);
	CHECK_INT(f.exhausted, 0);
	budget_leave(prev);
}

/* A refusal by the system, in charged or uncharged memory, is told to the
 * account: memory that runs out anywhere ends a graded run. */
static void t_system_refusal(void)
{
	static volatile size_t huge = SIZE_MAX / 4; /* no machine has it */
	struct fake f = {{charge, credit, stop, exhausted}, 0, SIZE_MAX, 0};
	struct budget *prev = budget_enter(&f.b);
	CHECK(budget_malloc(huge) == NULL); /* charged, then refused by malloc */
	CHECK_INT(f.exhausted, 1);
	CHECK_INT(f.used, 0);               /* and credited back */
	CHECK(budget_stop() != NULL);
	/* (volatile: the compiler may not drop an allocation it sees unused) */
	void *volatile p = malloc(huge);    /* a concept's own malloc */
	CHECK(p == NULL);
	CHECK_INT(f.exhausted, 2);
	p = calloc(huge, 2);
	CHECK(p == NULL);
	CHECK_INT(f.exhausted, 3);
	void *volatile q = malloc(16);     /* (volatile: kept, as realloc's NULL says) */
	CHECK(q != NULL);
	p = realloc(q, huge);
	int refused = p == NULL;
	free(refused ? q : p);
	CHECK(refused);
	CHECK_INT(f.exhausted, 4);
	budget_leave(prev);
	/* outside an account, malloc is malloc */
	p = malloc(huge);
	CHECK(p == NULL);
	CHECK_INT(f.exhausted, 4);
	CHECK(budget_stop() == NULL);
}

static const struct test tests[] = {
	{"budget/charges", t_charges},
	{"budget/system_refusal", t_system_refusal},
	{0},
};

int main(int argc, char **argv)
{
	return run_tests(tests, argc, argv);
}
