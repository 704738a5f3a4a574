/* Unit tests of engine/lint_delegate.c: the delegate files made from a check. */
#include "unit.h"
#include "engine/lint_delegate.h"

static int has(char **v, const char *src)
{
	for (; *v; v++)
		if (strcmp(*v, src) == 0)
			return 1;
	return 0;
}

static void dump(char **v)
{
	for (; *v; v++)
		printf("      [%s]\n", *v);
}

static void t_lru(void)
{
	struct exercise e = {.kind = EX_CODE};
	e.check.text = "expect(submission.new, '`new`'):is_type('function')\n"
		       "-- lab.ring.bogus in a comment, \"lab.x.y(\" in a string\n"
		       "differential{\n"
		       "  subject = submission.new,\n"
		       "  reference = function(cap)\n"
		       "    if cap then return lab.cache.new{capacity = cap, policy = 'lru'} end\n"
		       "  end,\n"
		       "  ops = {put = function(r) return r:int(1, 8) end},\n"
		       "}\n"
		       "local function cost(n) local c = submission:new(n) return c end\n";
	char **v = lint_delegates(&e);
	if (!has(v, "return lab.cache\n") ||
	    !has(v, "return {new = function(cap)\n    if cap then return lab.cache.new{capacity "
		    "= cap, policy = 'lru'} end\n  end}\n") ||
	    !has(v, "return lab.cache.new\n") ||
	    !has(v, "return {new = function(...) return lab.cache.new(...) end}\n")) {
		dump(v);
		CHECK(0);
	}
	for (char **p = v; *p; p++)
		CHECK(!strstr(*p, "ring") && !strstr(*p, "lab.x") && !strstr(*p, "function(n)"));
	lint_delegates_free(v);
}

static void t_none(void)
{
	struct exercise e = {.kind = EX_CODE};
	e.check.text = "expect(submission(2)):equals(4)";
	char **v = lint_delegates(&e);
	CHECK(v[0] == NULL);
	lint_delegates_free(v);
	e.kind = EX_ANSWER;
	e.check.text = "expect(lab.hash.jump(1, 2)):equals(tonumber(answer))";
	v = lint_delegates(&e);
	CHECK(v[0] == NULL);
	lint_delegates_free(v);
}

static void t_cap(void)
{
	struct exercise e = {.kind = EX_CODE};
	e.check.text = "local a = submission.a local b = submission.b local c = submission.c\n"
		       "lab.hash.jump(1, 2) lab.hash.ring{} lab.hash.ketama('x', 0) lab.cache.new{}\n"
		       "lab.lb.new{} lab.rand.new(1) lab.clock.new() lab.plot.bars{}\n";
	char **v = lint_delegates(&e);
	size_t n = 0;
	while (v[n])
		n++;
	CHECK_INT(n, LINT_DELEGATE_MAX);
	lint_delegates_free(v);
}

static const struct test tests[] = {
	{"lint_delegate/lru", t_lru},
	{"lint_delegate/none", t_none},
	{"lint_delegate/cap", t_cap},
	{0},
};

int main(int argc, char **argv)
{
	return run_tests(tests, argc, argv);
}
