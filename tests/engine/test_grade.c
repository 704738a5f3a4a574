/*
 * test_grade.c — grading: the check API's messages, normalisation, the
 * differential helper, partial credit, seeds, check errors against wrong
 * answers, choices, Ctrl-C, and the adversarial corpus in
 * tests/engine/sandbox/ (see its README.md).
 */
#include "unit.h"

#include "engine/grade.h"
#include "engine/isolate.h"
#include "engine/base/sbuf.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define CORPUS "tests/engine/sandbox"
#define HANG 60 /* seconds: the limit of runs that are to end by themselves */

#define CHECK_HAS(hay, needle)                                                     \
	do {                                                                       \
		const char *h_ = (hay), *n_ = (needle);                            \
		if (!h_ || !strstr(h_, n_)) {                                      \
			unit_fail_(__FILE__, __LINE__, #hay " contains " #needle); \
			printf("      text: [%s]\n      want: [%s]\n", h_ ? h_ : "(null)", n_); \
			return;                                                    \
		}                                                                  \
	} while (0)

/* ---- helpers ---- */

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	struct sbuf sb = SBUF_INIT;
	char buf[4096];
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		sbuf_add(&sb, buf, n);
	fclose(f);
	return sbuf_detach(&sb);
}

static struct verdict answer_seeded(const char *check, const char *answer, uint64_t seed)
{
	struct grade_request r = {.kind = GRADE_ANSWER, .check = check, .check_file = "lesson.md",
				  .check_line = 41, .answer = answer, .seed = seed};
	r.limits.timeout = HANG; /* returns when done: a bound for a hang, on any load */
	struct verdict v;
	grade_run(&r, &v);
	return v;
}

static struct verdict answer(const char *check, const char *text)
{
	return answer_seeded(check, text, 42);
}

static struct verdict code_seeded(const char *check, const char *source, uint64_t seed)
{
	struct grade_request r = {.kind = GRADE_CODE, .check = check, .check_file = "lesson.md",
				  .check_line = 41, .source = source, .source_name = "cache.lua",
				  .seed = seed};
	r.limits.timeout = HANG; /* returns when done: a bound for a hang, on any load */
	struct verdict v;
	grade_run(&r, &v);
	return v;
}

static struct verdict code(const char *check, const char *source)
{
	return code_seeded(check, source, 42);
}

/* ---- the check API, one row per message ---- */

struct row {
	const char *check;
	const char *answer;
	enum verdict_status status;
	const char *feedback; /* exact, or NULL for "don't care" */
};

static const struct row rows[] = {
	{"expect(answer):equals('b')", "b", VERDICT_PASS, "Correct."},
	{"expect(answer):equals('b')", "a", VERDICT_FAIL, "Expected `\"b\"`, got `\"a\"`."},
	{"expect(answer):equals('b', 'Think about recency.')", "a", VERDICT_FAIL, "Think about recency."},
	{"expect(tonumber(answer), 'the count'):equals(3)", "4", VERDICT_FAIL,
	 "the count: expected `3`, got `4`."},
	{"expect({1, {2, 3}, x = 'y'}):equals({1, {2, 3}, x = 'y'})", "", VERDICT_PASS, NULL},
	{"expect({1, {2, 4}}):equals({1, {2, 3}})", "", VERDICT_FAIL,
	 "Expected `{1, {2, 3}}`, got `{1, {2, 4}}`."},
	{"expect(answer):not_equals('a')", "a", VERDICT_FAIL, "Expected something other than `\"a\"`."},
	{"expect(answer):number():near(3.14, 0.01)", "3.2", VERDICT_FAIL,
	 "Expected `3.14` (± 0.01), got `3.2`."},
	{"expect(answer):number():near(3.14, 0.01)", "3.145", VERDICT_PASS, NULL},
	{"expect(answer):number():near(100, '5%')", "106", VERDICT_FAIL, "Expected `100` (± 5%), got `106`."},
	{"expect(answer):number():near(100, '5%')", "104", VERDICT_PASS, NULL},
	{"expect(answer):near(1)", "one", VERDICT_FAIL, "Expected a number near `1`, got `\"one\"`."},
	{"expect(answer):matches('^%d+$')", "12a", VERDICT_FAIL,
	 "Expected text matching `^%d+$`, got `\"12a\"`."},
	{"expect(answer):matches('^%d+$')", "12", VERDICT_PASS, NULL},
	{"expect(answer):contains('cache')", "a store", VERDICT_FAIL,
	 "Expected text containing `\"cache\"`, got `\"a store\"`."},
	{"expect({1, 2}):contains(3)", "", VERDICT_FAIL, "Expected a table containing `3`, got `{1, 2}`."},
	{"expect({1, {2}}):contains({2})", "", VERDICT_PASS, NULL},
	{"expect(tonumber(answer)):is_type('integer')", "2.5", VERDICT_FAIL,
	 "Expected an integer, got `2.5` (a number)."},
	{"expect(answer):is_type('table')", "x", VERDICT_FAIL, "Expected a table, got `\"x\"` (a string)."},
	{"expect(answer == 'yes'):is_true('Say yes.')", "no", VERDICT_FAIL, "Say yes."},
	{"expect(answer == 'yes'):is_true()", "no", VERDICT_FAIL, "Expected a true value, got `false`."},
	{"expect(answer):is_false()", "x", VERDICT_FAIL, "Expected false or nil, got `\"x\"`."},
	{"expect(answer):is_nil()", "x", VERDICT_FAIL, "Expected nil, got `\"x\"`."},
	{"expect(tonumber(answer)):not_nil()", "x", VERDICT_FAIL, "Expected a value, got nil."},
	{"expect(#answer):at_least(5)", "abc", VERDICT_FAIL, "Expected at least `5`, got `3`."},
	{"expect(#answer):at_most(2)", "abc", VERDICT_FAIL, "Expected at most `2`, got `3`."},
	{"expect(tonumber(answer)):between(1, 10)", "11", VERDICT_FAIL,
	 "Expected a number between `1` and `10`, got `11`."},
	{"expect(answer):has_length(3)", "ab", VERDICT_FAIL, "Expected length 3, got length 2: `\"ab\"`."},
	{"expect(answer):normalized():one_of({'lru', 'least recently used'})", " LRU. ", VERDICT_PASS, NULL},
	{"expect(answer):normalized():one_of({'lru', 'least recently used'})", "FIFO", VERDICT_FAIL,
	 "Expected one of `{\"lru\", \"least recently used\"}`, got `\"fifo\"`."},
	{"expect(tonumber(answer)):satisfies(function(n) return n % 2 == 0 end, 'is not even')", "3",
	 VERDICT_FAIL, "`3` is not even."},
	{"expect(function() error('boom') end):fails('bo+m')", "", VERDICT_PASS, NULL},
	{"expect(function() return 1 end):fails()", "", VERDICT_FAIL, "Expected an error, but it returned `1`."},
	{"expect(function() error('bang', 0) end):fails('boom')", "", VERDICT_FAIL,
	 "Expected an error matching `boom`, got `bang`."},
	{"expect(function() error('bang', 0) end):fails():equals('bang')", "", VERDICT_PASS, NULL},
	{"expect(function() error('bang', 0) end):succeeds()", "", VERDICT_FAIL,
	 "Expected no error, got `bang`."},
	{"expect(function() return 7 end):succeeds():equals(7)", "", VERDICT_PASS, NULL},
	{"expect({name = 'x'}, 't'):field('name'):equals('y')", "", VERDICT_FAIL,
	 "t.name: expected `\"y\"`, got `\"x\"`."},
	{"expect(answer):trim():fold():equals('lru')", "  LrU \n", VERDICT_PASS, NULL},
	{"expect(answer):squish():equals('a b')", " a \t b ", VERDICT_PASS, NULL},
	{"expect(answer):number('ms'):near(2)", "2 ms", VERDICT_PASS, NULL},
	{"expect(answer):number('ms'):near(2)", "2ms", VERDICT_PASS, NULL},
	{"expect(answer):number('ms'):near(2)", "0.002 s", VERDICT_PASS, NULL},
	{"expect(answer):number('ms'):near(2)", "2", VERDICT_PASS, NULL},
	{"expect(answer):number('ms'):near(2)", "2 MB", VERDICT_UNREADABLE,
	 "Type a time in ms (for example `2` or `2 ms`): `2 MB` is a size, not a time."},
	{"expect(answer):number():equals(1000)", "1,000", VERDICT_PASS, NULL},
	{"expect(answer):number('%'):equals(50)", "50%", VERDICT_PASS, NULL},
	{"fail('Nope: **bold**')", "", VERDICT_FAIL, "Nope: **bold**"},
	{"error('Think again.')", "", VERDICT_FAIL, "Think again."},
	{"assert(answer == 'x', 'Not x.')", "y", VERDICT_FAIL, "Not x."},
	{"local ok, v = try(function() error('e', 0) end) expect(ok):is_false() expect(v):equals('e')", "",
	 VERDICT_PASS, NULL},
	{"expect(show({a = 1, [2] = 'b', 1})):equals('`{1, \"b\", a = 1}`')", "", VERDICT_PASS, NULL},
	{"expect(same({1, 2}, {1, 2})):is_true() expect(same(0/0, 0/0)):is_true()", "", VERDICT_PASS, NULL},
	{"return", "", VERDICT_PASS, "Correct."},
	/* check errors, told apart from wrong answers */
	{"expect(answer):equals(", "", VERDICT_CHECK_ERROR, NULL},
	{"expect(1):near('x')", "", VERDICT_CHECK_ERROR, NULL},
	{"expect(1, 2)", "", VERDICT_CHECK_ERROR, NULL},
	{"expect('x'):matches('[')", "", VERDICT_CHECK_ERROR, NULL},
	{"error({code = 1})", "", VERDICT_CHECK_ERROR, NULL},
	{"credit(3, 2)", "", VERDICT_CHECK_ERROR, NULL},
	{"rng:int(5, 1)", "", VERDICT_CHECK_ERROR, NULL},
	{"differential{input = 1}", "", VERDICT_CHECK_ERROR, NULL},
	{"local t = nil; t.x = 1", "", VERDICT_FAIL, NULL},
	{NULL, NULL, 0, NULL},
};

static void t_api_rows(void)
{
	for (const struct row *r = rows; r->check; r++) {
		struct verdict v = answer(r->check, r->answer);
		int ok = v.status == r->status && (!r->feedback || strcmp(v.feedback, r->feedback) == 0);
		if (!ok) {
			unit_fail_(__FILE__, __LINE__, r->check);
			printf("      answer: [%s]\n      status: %s, want %s\n      got:  [%s]\n      want: [%s]\n",
			       r->answer, verdict_status_name(v.status), verdict_status_name(r->status),
			       v.feedback, r->feedback ? r->feedback : "(any)");
		}
		verdict_free(&v);
	}
}

static void t_check_errors(void)
{
	/* syntax error in the check: the lesson's file and line */
	struct verdict v = answer("local x = \nexpect(", "");
	CHECK_INT(v.status, VERDICT_CHECK_ERROR);
	CHECK_HAS(v.feedback, "does not compile");
	CHECK_HAS(v.feedback, "lesson.md:42:");
	verdict_free(&v);
	/* API misuse: the check's line */
	v = answer("\n\nexpect(1):near('x')", "");
	CHECK_INT(v.status, VERDICT_CHECK_ERROR);
	CHECK_HAS(v.feedback, "lesson.md:43: near: the expected value must be a number");
	verdict_free(&v);
	/* a Lua error in the check's own code: reported, and flagged for lint */
	v = answer("local t = nil\nt.x = 1", "");
	CHECK_INT(v.status, VERDICT_FAIL);
	CHECK(v.check_raised);
	CHECK_HAS(v.feedback, "The check could not use your answer");
	CHECK_HAS(v.feedback, "lesson.md:42: attempt to index a nil value");
	verdict_free(&v);
	/* a deliberate error is a plain failure */
	v = answer("error('Wrong.')", "");
	CHECK(!v.check_raised);
	CHECK_STR(v.feedback, "Wrong.");
	verdict_free(&v);
	/* no check at all */
	struct grade_request r = {.kind = GRADE_ANSWER, .answer = "x"};
	CHECK_INT(grade_run(&r, &v), -1);
	CHECK_INT(v.status, VERDICT_CHECK_ERROR);
	verdict_free(&v);
}

static void t_submission_errors(void)
{
	const char *check = "expect(submission.add(2, 3)):equals(5)";
	struct verdict v = code(check, "local M = {}\nfunction M.add(a, b)\n  return a + nil\nend\nreturn M");
	CHECK_INT(v.status, VERDICT_FAIL);
	CHECK_HAS(v.feedback, "Your code raised an error:");
	CHECK_HAS(v.feedback, "cache.lua:3: attempt to perform arithmetic on a nil value");
	CHECK(!v.check_raised);
	verdict_free(&v);
	v = code(check, "local M = {\n\nreturn M");
	CHECK_INT(v.status, VERDICT_FAIL);
	CHECK_HAS(v.feedback, "Your file does not compile:");
	CHECK_HAS(v.feedback, "cache.lua:3:");
	verdict_free(&v);
	v = code(check, "local M = {}\nerror('not yet')\nreturn M");
	CHECK_HAS(v.feedback, "Your file raised an error while it was loading:");
	CHECK_HAS(v.feedback, "cache.lua:2: not yet");
	verdict_free(&v);
	v = code(check, "local M = {}\nfunction M.add(a, b) return a + b end");
	CHECK_INT(v.status, VERDICT_FAIL);
	CHECK_HAS(v.feedback, "Your file returned nothing");
	verdict_free(&v);
	/* a missing function makes the check's own code raise */
	v = code(check, "return {}");
	CHECK_INT(v.status, VERDICT_FAIL);
	CHECK(v.check_raised);
	CHECK_HAS(v.feedback, "attempt to call a nil value (field 'add')");
	verdict_free(&v);
	v = code(check, "return {add = function(a, b) return a + b end}");
	CHECK_INT(v.status, VERDICT_PASS);
	CHECK(v.passed);
	CHECK(v.score == 1.0);
	verdict_free(&v);
}

/* lab_allow: the learner's file sees only what the exercise allows; the
 * check sees all of lab */
static void t_lab_allow(void)
{
	static const char *const allow[] = {"rand", "hash.ketama", NULL};
	const char *check = "expect(lab.cache, 'the check\\'s lab.cache'):not_nil()\n"
			    "expect(submission.probe()):equals('ok')";
	const char *src =
		"local function raises(f) local ok, e = pcall(f) return not ok and e end\n"
		"return {probe = function()\n"
		"  assert(lab.rand.new(1), 'rand')\n"
		"  assert(lab.hash.ketama('a', 0), 'ketama')\n"
		"  assert(lab.help and lab.nosuch == nil, 'help, nil')\n"
		"  assert(getmetatable(lab) == false, 'locked')\n"
		"  assert(raises(function() return lab.cache end):find('lab.cache is not available'), 'cache')\n"
		"  assert(raises(function() return lab.hash.ring end):find('lab.hash.ring is not available'), 'ring')\n"
		"  assert(raises(function() return lab['clock'] end), 'clock')\n"
		"  for k in pairs(lab) do assert(k == 'rand' or k == 'hash' or k == 'help', k) end\n"
		"  return 'ok'\n"
		"end}";
	struct grade_request r = {.kind = GRADE_CODE, .check = check, .check_file = "lesson.md",
				  .source = src, .source_name = "m.lua", .seed = 1, .lab_allow = allow};
	r.limits.timeout = HANG;
	struct verdict v;
	grade_run(&r, &v);
	CHECK_STR(v.feedback, "Correct.");
	verdict_free(&v);
	/* the reference handed back fails, with a message saying why */
	r.source = "return lab.cache.new";
	grade_run(&r, &v);
	CHECK_INT(v.status, VERDICT_FAIL);
	CHECK_HAS(v.feedback, "m.lua:1: lab.cache is not available to your code in this exercise");
	verdict_free(&v);
	/* a function the namespace does not have: the lesson's bug */
	static const char *const bad[] = {"hash.nosuch", NULL};
	r.lab_allow = bad;
	r.source = "return {}";
	grade_run(&r, &v);
	CHECK_INT(v.status, VERDICT_CHECK_ERROR);
	CHECK_HAS(v.feedback, "allow= names lab.hash.nosuch, which lab.hash does not have");
	verdict_free(&v);
}

/* reload(n): the learner's file loaded again in a fresh environment, with
 * the same view of lab and math.random seeded apart; its errors are the
 * learner's; typed answers have no file to reload. */
static void t_reload(void)
{
	static const char *const allow[] = {"rand", NULL};
	const char *check =
		"local a, b, c = reload(1), reload(2), reload(1)\n"
		"expect(a ~= submission and a ~= b):is_true('a fresh module each time')\n"
		"expect(submission.n(), 'first load'):equals(1)\n"
		"expect(a.n(), 'reload(1)'):equals(1)\n"
		"expect(a.x ~= submission.x, 'another math.random seed'):is_true()\n"
		"expect(a.x, 'the same n, the same seed'):equals(c.x)\n"
		"expect(a.x ~= b.x, 'another n, another seed'):is_true()\n"
		"expect(a.ok, 'lab.rand in the copy'):is_true()\n";
	const char *src =
		"local count = 0\n"
		"return {n = function() count = count + 1 return count end, x = math.random(1 << 40),\n"
		"  ok = lab.rand.new(1) ~= nil and not pcall(function() return lab.cache end)}";
	struct grade_request r = {.kind = GRADE_CODE, .check = check, .check_file = "lesson.md",
				  .source = src, .source_name = "m.lua", .seed = 3, .lab_allow = allow};
	r.limits.timeout = HANG;
	struct verdict v;
	grade_run(&r, &v);
	CHECK_STR(v.feedback, "Correct.");
	verdict_free(&v);
	/* the copy raising is the learner's error, shown with their file */
	r.source = "local n = math.random(1 << 40)\nreturn {n = n, f = function() error('late') end}";
	r.check = "reload(1).f()";
	grade_run(&r, &v);
	CHECK_INT(v.status, VERDICT_FAIL);
	CHECK_HAS(v.feedback, "m.lua:2: late");
	verdict_free(&v);
	v = answer("reload()", "x");
	CHECK_INT(v.status, VERDICT_CHECK_ERROR);
	CHECK_HAS(v.feedback, "`reload()` is for code exercises");
	verdict_free(&v);
}

/* Memory that runs out in C code, charged to the run or not, is the memory
 * verdict even when the code catches the error, frees everything and
 * returns a right answer (issue 8: lab.clock timers in a pcall loop until
 * realloc failed under RLIMIT_AS). */
static void t_memory_caught(void)
{
	if (isolate_under_asan())
		SKIP("RLIMIT_AS, the system's refusal, is not set under AddressSanitizer");
	const char *src =
		"local keep = {}\n"
		"local ok, err = pcall(function()\n"
		"  for i = 1, 1000 do keep[i] = lab.cache.new{capacity = 1e7} end\n"
		"end)\n"
		"keep = nil collectgarbage() collectgarbage()\n"
		"return {add = function(a, b) return a + b end, caught = err}";
	struct grade_request r = {.kind = GRADE_CODE, .check = "expect(submission.add(2, 3)):equals(5)",
				  .check_file = "lesson.md", .source = src, .source_name = "m.lua",
				  .seed = 1};
	r.limits.timeout = HANG;
	r.limits.memory = 64 << 20;
	struct verdict v;
	grade_run(&r, &v);
	CHECK_STR(verdict_status_name(v.status), "memory");
	CHECK(!v.passed);
	verdict_free(&v);
}

/* Text the learner's code made is quoted so that it renders as text: an
 * error message holding a blank line and a heading cannot add a heading to
 * the feedback (issue 8: a fake "✓ Correct" inside a failed verdict). */
static void t_feedback_quotes(void)
{
	const char *evil = "local m = 'x`\\n\\n# \u2713 Correct\\n\\n```\\n`y'\n";
	struct {
		const char *check, *src;
	} cases[] = {
		{"differential{name = 'f', subject = submission.f, reference = function() return 1 end,"
		 " input = function() return 1 end}",
		 "return {f = function() error(m, 0) end}"},
		{"property{input = function() return 1 end, holds = function() submission.f() end}",
		 "return {f = function() error(m, 0) end}"},
		{"expect(submission.f()):equals('y')", "return {f = function() return m end}"},
		{"expect(submission.f):fails('nothing like this')", "return {f = function() error(m, 0) end}"},
		{"expect(submission.f()):contains('z')", "return {f = function() return m end}"},
		{"expect(code(submission.f())):equals('')", "return {f = function() return m end}"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *src = xasprintf("%s%s", evil, cases[i].src);
		struct verdict v = code(cases[i].check, src);
		free(src);
		if (v.status != VERDICT_FAIL || strstr(v.feedback, "\n#") ||
		    strstr(v.feedback, "\n\n") || !strstr(v.feedback, "Correct")) {
			printf("    case %zu: %s\n      feedback: [%s]\n", i + 1,
			       verdict_status_name(v.status), v.feedback);
			unit_fail_(__FILE__, __LINE__, "the learner's text stays quoted");
		}
		verdict_free(&v);
	}
}

/* Control characters in the learner's text are shown as Lua escapes in the
 * feedback, not sent on (an OSC 52 clipboard write, a screen clear). */
static void t_feedback_escapes(void)
{
	struct verdict v = code("expect(submission.f()):equals('y')",
				"return {f = function() return '\\27]52;c;aGk=\\7\\27[2J\\0end' end}");
	CHECK_INT(v.status, VERDICT_FAIL);
	CHECK(strstr(v.feedback, "\\27]52;c;aGk=\\7\\27[2J") != NULL);
	CHECK(strchr(v.feedback, '\033') == NULL && strchr(v.feedback, '\007') == NULL);
	verdict_free(&v);
	v = code("expect(submission.f):fails('z')", "return {f = function() error('\\27[2J\\7x', 0) end}");
	CHECK_INT(v.status, VERDICT_FAIL);
	CHECK(strstr(v.feedback, "\\27[2J\\7x") != NULL);
	CHECK(strchr(v.feedback, '\033') == NULL && strchr(v.feedback, '\007') == NULL);
	verdict_free(&v);
}

static void t_output(void)
{
	const char *src = "print('hello', 1)\nreturn {f = function() print('later') end}";
	struct verdict v = code("expect(output):equals('hello\\t1\\n')\nsubmission.f()\n"
				"expect(printed()):contains('later')\nprint('from the check')",
				src);
	CHECK_INT(v.status, VERDICT_PASS);
	CHECK_STR(v.output, "hello\t1\nlater\n");            /* the learner's, also when called */
	CHECK_STR(v.check_output, "from the check\n");         /* labelled apart */
	verdict_free(&v);
	struct grade_request r = {.kind = GRADE_CODE, .check = "return", .source =
				  "for i = 1, 1000 do print(string.rep('x', 99)) end return 1", .seed = 1};
	r.limits.output = 1024;
	grade_run(&r, &v);
	CHECK_INT(v.status, VERDICT_PASS);
	CHECK(strlen(v.output) < 1200);
	CHECK_HAS(v.output, "[output truncated: 98976 more bytes were not kept]");
	verdict_free(&v);
}

static void t_normalisation(void)
{
	const char *check =
		"local q = quantity\n"
		"expect(q('2 ms', 's')):equals(0.002)\n"
		"expect(q('2ms', 'ms')):equals(2)\n"
		"expect(q('0.002 s', 'ms')):equals(2)\n"
		"expect(q('50%')):equals(0.5)\n"
		"expect(q('50 %', '%')):equals(50)\n"
		"expect(q('1,000')):equals(1000)\n"
		"expect(q('1,000.5')):equals(1000.5)\n"
		"expect(q('1_000 ms', 's')):equals(1)\n"
		"expect(q('1.5k')):equals(1500)\n"
		"expect(q('2 MiB', 'KiB')):equals(2048)\n"
		"expect(q('3 GB', 'mb')):equals(3000)\n"
		"expect(q('1e3 us', 'ms')):equals(1)\n"
		"expect(q('-3 s', 'ms')):equals(-3000)\n"
		"expect(q('5 minutes', 's')):equals(300)\n"
		"expect(q('3', 'ms')):equals(3)\n"
		"expect(q(' 7 ')):equals(7)\n"
		"expect(q('1,00')):is_nil()\n"
		"expect(q('abc')):is_nil()\n"
		"expect(q('2 parsecs')):equals(2)\n" /* a trailing noun */
		"expect(q('2 ms or more')):is_nil()\n"
		"expect(select(2, q('2 MB', 'ms'))):equals('a size, not a time')\n"
		"expect(normalize('  \"LRU\".  ')):equals('lru')\n"
		"expect(normalize('`b`')):equals('b')\n"
		"expect(normalize('Least   Recently\\tUsed')):equals('least recently used')\n"
		"expect(normalize('0.5.')):equals('0.5.')\n"
		"expect(trim('\\t x \\n')):equals('x')\n"
		"expect(squish(' a  b ')):equals('a b')\n"
		"expect(fold('AbC')):equals('abc')\n";
	struct verdict v = answer(check, "");
	CHECK_STR(v.feedback, "Correct.");
	verdict_free(&v);
}

static void t_rng_and_seeds(void)
{
	const char *check =
		"local a, b = rng.new(5), rng.new(5)\n"
		"for i = 1, 100 do expect(a:int(1, 1000)):equals(b:int(1, 1000)) end\n"
		"for i = 1, 100 do expect(rng:int(3, 4)):between(3, 4) end\n"
		"local f = rng:float() expect(f):at_least(0) expect(f):at_most(1)\n"
		"expect(#rng:shuffle({1, 2, 3})):equals(3)\n"
		"expect(#rng:sample({1, 2, 3, 4}, 2)):equals(2)\n"
		"expect(#rng:string(8)):equals(8)\n"
		"expect(rng.new(1):int(1, 1000000)):not_equals(rng.new(2):int(1, 1000000))\n"
		"fail('draw ' .. rng:int(1, 1000000000) .. ' ' .. math.random(1, 1000000000))";
	struct verdict v1 = answer_seeded(check, "", 777), v2 = answer_seeded(check, "", 777),
		       v3 = answer_seeded(check, "", 778);
	CHECK_INT(v1.status, VERDICT_FAIL);
	CHECK_HAS(v1.feedback, "draw ");
	CHECK_STR(v1.feedback, v2.feedback);
	CHECK(strcmp(v1.feedback, v3.feedback) != 0);
	CHECK_INT(v1.seed, 777);
	verdict_free(&v1);
	verdict_free(&v2);
	verdict_free(&v3);
	/* the learner's math.random is seeded too */
	const char *src = "return {x = math.random(1, 1000000000)}";
	v1 = code_seeded("fail(tostring(submission.x))", src, 9);
	v2 = code_seeded("fail(tostring(submission.x))", src, 9);
	CHECK_STR(v1.feedback, v2.feedback);
	verdict_free(&v1);
	verdict_free(&v2);
}

/* ---- the differential helper ---- */

static const char *lru_check =
	"local function ref_new(cap)\n"
	"  local self = {cap = cap, order = {}, vals = {}}\n"
	"  local function touch(k)\n"
	"    for i, x in ipairs(self.order) do if x == k then table.remove(self.order, i) break end end\n"
	"    table.insert(self.order, k)\n"
	"  end\n"
	"  function self:get(k) local v = self.vals[k]; if v ~= nil then touch(k) end; return v end\n"
	"  function self:put(k, v)\n"
	"    local ev\n"
	"    if self.vals[k] == nil and #self.order >= self.cap then\n"
	"      ev = table.remove(self.order, 1); self.vals[ev] = nil\n"
	"    end\n"
	"    touch(k); self.vals[k] = v; return ev\n"
	"  end\n"
	"  return self\n"
	"end\n"
	"differential{\n"
	"  cases = 200, partial = PARTIAL,\n"
	"  setup = function(rng) return rng:int(1, 4) end,\n"
	"  subject = submission.new,\n"
	"  reference = ref_new,\n"
	"  ops = {\n"
	"    put = function(rng) return rng:int(1, 6), rng:int(1, 99) end,\n"
	"    get = function(rng) return rng:int(1, 6) end,\n"
	"  },\n"
	"}\n";

static const char *lru_good =
	"local M = {}\n"
	"function M.new(cap)\n"
	"  local c = {cap = cap, order = {}, vals = {}}\n"
	"  local function touch(k)\n"
	"    for i, x in ipairs(c.order) do if x == k then table.remove(c.order, i) break end end\n"
	"    c.order[#c.order + 1] = k\n"
	"  end\n"
	"  function c:get(k) local v = self.vals[k]; if v ~= nil then TOUCH end; return v end\n"
	"  function c:put(k, v)\n"
	"    local ev\n"
	"    if self.vals[k] == nil and #self.order >= self.cap then\n"
	"      ev = table.remove(self.order, 1); self.vals[ev] = nil\n"
	"    end\n"
	"    touch(k); self.vals[k] = v; return ev\n"
	"  end\n"
	"  return c\n"
	"end\n"
	"return M\n";

/* S with every WHAT replaced by WITH, in a new string. */
static char *replace(const char *s, const char *what, const char *with)
{
	struct sbuf sb = SBUF_INIT;
	size_t n = strlen(what);
	for (const char *p; (p = strstr(s, what)); s = p + n) {
		sbuf_add(&sb, s, (size_t)(p - s));
		sbuf_adds(&sb, with);
	}
	sbuf_adds(&sb, s);
	return sbuf_detach(&sb);
}

static int count(const char *s, const char *what)
{
	int n = 0;
	for (; (s = strstr(s, what)); s += strlen(what))
		n++;
	return n;
}

static void t_differential(void)
{
	char *check = replace(lru_check, "PARTIAL", "false");
	char *good = replace(lru_good, "TOUCH", "touch(k)");
	char *fifo = replace(lru_good, "TOUCH", "local _ = k");
	char *raises = replace(lru_good, "TOUCH", "touch(k); if k == 5 then local x = nil; return x.y end");
	struct verdict v = code_seeded(check, good, 12345);
	CHECK_STR(v.feedback, "Correct.");
	verdict_free(&v);

	v = code_seeded(check, fifo, 12345);
	CHECK_INT(v.status, VERDICT_FAIL);
	CHECK(strncmp(v.feedback, "After `new(", 11) == 0);
	CHECK_HAS(v.feedback, "; the reference returned `");
	CHECK_HAS(v.feedback, " of 200, seed 12345).");
	CHECK(count(v.feedback, "`put(") + count(v.feedback, "`get(") <= 6); /* shrunk */
	struct verdict again = code_seeded(check, fifo, 12345);
	CHECK_STR(again.feedback, v.feedback); /* replay */
	verdict_free(&again);
	verdict_free(&v);

	v = code_seeded(check, raises, 12345);
	CHECK_INT(v.status, VERDICT_FAIL);
	CHECK_HAS(v.feedback, "`get(5)` raised `cache.lua:8: attempt to index a nil value (local 'x')`");
	CHECK_HAS(v.feedback, "; the reference returned");
	verdict_free(&v);

	v = code_seeded(check, "return {new = function() return {put = function() end} end}", 1);
	CHECK_HAS(v.feedback, "there is no method get");
	verdict_free(&v);
	v = code_seeded(check, "return {}", 1);
	CHECK_STR(v.feedback, "`new` is not a function (it is `nil`).");
	verdict_free(&v);
	v = code_seeded(check, "return {new = function() return 5 end}", 1);
	CHECK_HAS(v.feedback, "returned `5`, not an object");
	verdict_free(&v);
	free(check);
	free(good);
	free(fifo);
	free(raises);
}

static void t_partial_credit(void)
{
	char *check = replace(lru_check, "PARTIAL", "true");
	char *fifo = replace(lru_good, "TOUCH", "local _ = k");
	char *good = replace(lru_good, "TOUCH", "touch(k)");
	struct verdict v = code_seeded(check, fifo, 12345);
	CHECK_INT(v.status, VERDICT_FAIL);
	CHECK_INT(v.cases_total, 200);
	CHECK(v.cases_passed > 0 && v.cases_passed < 200);
	CHECK(v.score > 0 && v.score < 1);
	CHECK(v.score == v.cases_passed / 200.0);
	CHECK_HAS(v.feedback, " of 200, seed 12345).");
	verdict_free(&v);
	v = code_seeded(check, good, 12345);
	CHECK_INT(v.status, VERDICT_PASS);
	CHECK_INT(v.cases_passed, 200);
	CHECK(v.score == 1.0);
	verdict_free(&v);
	v = answer("credit(2, 5) fail('Two of five.')", "");
	CHECK(v.score == 0.4);
	CHECK_INT(v.cases_passed, 2);
	CHECK_INT(v.cases_total, 5);
	verdict_free(&v);
	free(check);
	free(fifo);
	free(good);
}

static void t_differential_functions(void)
{
	const char *check =
		"local function fib(n) local a, b = 0, 1 for _ = 1, n do a, b = b, a + b end return a end\n"
		"differential{name = 'fib', subject = submission.fib, reference = fib,\n"
		"  input = function(rng) return rng:int(0, 20) end, cases = 50}\n";
	struct verdict v = code(check, "return {fib = function(n) if n < 2 then return n end "
				       "local a, b = 0, 1 for _ = 1, n do a, b = b, a + b end return a end}");
	CHECK_STR(v.feedback, "Correct.");
	verdict_free(&v);
	v = code(check, "return {fib = function(n) return n end}");
	CHECK_INT(v.status, VERDICT_FAIL);
	CHECK(strncmp(v.feedback, "`fib(", 5) == 0);
	CHECK_HAS(v.feedback, "; the reference returned `");
	CHECK_HAS(v.feedback, " of 50, seed 42).");
	verdict_free(&v);

	const char *prop =
		"property{cases = 30,\n"
		"  input = function(r) return r:list(r:int(0, 6), function(r) return r:int(1, 9) end) end,\n"
		"  holds = function(list)\n"
		"    local out = submission.sort(list)\n"
		"    for i = 2, #out do expect(out[i - 1] <= out[i], 'sorted'):is_true('Not sorted.') end\n"
		"    return true\n"
		"  end}\n";
	v = code(prop, "return {sort = function(t) table.sort(t) return t end}");
	CHECK_STR(v.feedback, "Correct.");
	verdict_free(&v);
	v = code(prop, "return {sort = function(t) return t end}");
	CHECK(strncmp(v.feedback, "For input `{", 12) == 0);
	CHECK_HAS(v.feedback, "}`: Not sorted. (case ");
	verdict_free(&v);

	/* the other spelling: check returns nothing to pass, a message to fail */
	const char *says =
		"property{cases = 50, args = function(r) return r:int(-9, 9) end,\n"
		"  check = function(x) if submission(x) ~= math.abs(x) then\n"
		"    return ('abs(%d) is wrong'):format(x) end end}\n";
	v = code(says, "return math.abs");
	CHECK_STR(v.feedback, "Correct.");
	verdict_free(&v);
	v = code(says, "return function(x) return x end");
	CHECK(strncmp(v.feedback, "For input `-", 12) == 0);
	CHECK_HAS(v.feedback, " is wrong (case ");
	verdict_free(&v);
}

/* ---- choices ---- */

static void t_choices(void)
{
	static const struct grade_choice one[] = {{false, "FIFO"}, {true, "LRU"}, {false, "LFU"},
						  {false, "Random"}};
	static const struct grade_choice two[] = {{true, "a"}, {false, "b"}, {true, "c"}, {false, "d"}};
	static const struct {
		const struct grade_choice *c;
		const char *typed;
		enum verdict_status status;
		double score;
		const char *feedback;
	} cases[] = {
		{one, "b", VERDICT_PASS, 1, "Correct."},
		{one, " B ", VERDICT_PASS, 1, "Correct."},
		{one, "(b)", VERDICT_PASS, 1, "Correct."},
		{one, "b.", VERDICT_PASS, 1, "Correct."},
		{one, "lru", VERDICT_PASS, 1, "Correct."},
		{one, "a", VERDICT_FAIL, 0, "`a` is not the answer."},
		{one, "a, b", VERDICT_FAIL, 0, "Pick one choice only."},
		{one, "e", VERDICT_UNREADABLE, 0, "There is no choice `e`: the choices are `a` to `d`."},
		{one, "", VERDICT_UNREADABLE, 0, "Type the letter of your choice (`a` to `d`)."},
		{one, "least", VERDICT_UNREADABLE, 0, "Type the letter of your choice (`a` to `d`)."},
		{two, "a, c", VERDICT_PASS, 1, "Correct."},
		{two, "a c", VERDICT_PASS, 1, "Correct."},
		{two, "ac", VERDICT_PASS, 1, "Correct."},
		{two, "C and A", VERDICT_PASS, 1, "Correct."},
		{two, "a", VERDICT_FAIL, 0.5, "Not quite: 1 of the 2 right choices is missing."},
		{two, "a b", VERDICT_FAIL, 0,
		 "Not quite: `b` is not right, and 1 of the 2 right choices is missing."},
		{two, "a b c", VERDICT_FAIL, 0.5, "Not quite: `b` is not right."},
		{NULL, NULL, 0, 0, NULL},
	};
	for (int i = 0; cases[i].c; i++) {
		struct grade_request r = {.kind = GRADE_CHOICE, .choices = cases[i].c, .nchoice = 4,
					  .answer = cases[i].typed};
		struct verdict v;
		CHECK_INT(grade_run(&r, &v), 0);
		if (v.status != cases[i].status || v.score != cases[i].score ||
		    strcmp(v.feedback, cases[i].feedback) != 0) {
			unit_fail_(__FILE__, __LINE__, cases[i].typed);
			printf("      got: %s %g [%s]\n      want: [%s]\n", verdict_status_name(v.status),
			       v.score, v.feedback, cases[i].feedback);
		}
		verdict_free(&v);
	}
	struct grade_request r = {.kind = GRADE_CHOICE, .choices = two, .nchoice = 4, .answer = "a, d"};
	struct verdict v;
	grade_run(&r, &v);
	CHECK_INT(v.picked, 1u | 8u);
	verdict_free(&v);
}

/* ---- Ctrl-C ---- */

static volatile sig_atomic_t cancel_flag;

static void on_sigint(int sig)
{
	(void)sig;
	cancel_flag = 1;
}

static int open_fds(void)
{
	int n = 0;
	DIR *d = opendir("/proc/self/fd");
	if (!d)
		return -1;
	while (readdir(d))
		n++;
	closedir(d);
	return n;
}

static void t_cancel(void)
{
	struct sigaction sa = {0}, old;
	sa.sa_handler = on_sigint;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old);
	int fds = open_fds();
	cancel_flag = 0;
	pid_t helper = fork();
	if (helper == 0) {
		struct timespec ts = {0, 200 * 1000000};
		nanosleep(&ts, NULL);
		kill(getppid(), SIGINT);
		_exit(0);
	}
	struct grade_request r = {.kind = GRADE_ANSWER, .check = "while true do end", .answer = "",
				  .cancel = &cancel_flag};
	r.limits.timeout = HANG;
	struct verdict v;
	grade_run(&r, &v);
	waitpid(helper, NULL, 0);
	sigaction(SIGINT, &old, NULL);
	CHECK_INT(v.status, VERDICT_CANCELLED); /* not a timeout: Ctrl-C stopped it */
	CHECK(!v.passed);
	CHECK(v.duration_ms >= 150); /* not before the signal */
	CHECK_HAS(v.feedback, "cancelled");
	verdict_free(&v);
	CHECK_INT(open_fds(), fds);
	errno = 0;
	CHECK(waitpid(-1, NULL, WNOHANG) == -1 && errno == ECHILD); /* no zombie */
	/* a flag already set cancels at once */
	cancel_flag = 1;
	grade_run(&r, &v);
	CHECK_INT(v.status, VERDICT_CANCELLED); /* a set flag cancels: no 10 s timeout */
	verdict_free(&v);
}

/* ---- the adversarial corpus ---- */

struct corpus {
	char dir[64];
	char canary[96];
	char create[96];
	char *check; /* standard_check.lua */
};

static int corpus_setup(struct corpus *c)
{
	snprintf(c->dir, sizeof c->dir, "/tmp/backlab-corpus.XXXXXX");
	if (!mkdtemp(c->dir))
		return -1;
	snprintf(c->canary, sizeof c->canary, "%s/canary", c->dir);
	snprintf(c->create, sizeof c->create, "%s/created", c->dir);
	FILE *f = fopen(c->canary, "w");
	if (!f)
		return -1;
	fputs("canary\n", f);
	fclose(f);
	c->check = slurp(CORPUS "/standard_check.lua");
	return c->check ? 0 : -1;
}

static void corpus_teardown(struct corpus *c)
{
	unlink(c->canary);
	unlink(c->create);
	rmdir(c->dir);
	free(c->check);
}

static int host_untouched(const struct corpus *c)
{
	char *s = slurp(c->canary);
	int ok = s && strcmp(s, "canary\n") == 0 && access(c->create, F_OK) != 0;
	free(s);
	return ok;
}

/* The value of header line "-- KEY: value" in TEXT, in a new string, or NULL. */
static char *header(const char *text, const char *key)
{
	char tag[32];
	snprintf(tag, sizeof tag, "-- %s: ", key);
	const char *p = strstr(text, tag);
	if (!p)
		return NULL;
	p += strlen(tag);
	return xstrndup(p, strcspn(p, "\n"));
}

static int status_accepted(enum verdict_status s, const char *expect)
{
	const char *name = verdict_status_name(s);
	char want[32];
	snprintf(want, sizeof want, "%s", name);
	for (char *q = want; *q; q++)
		if (*q == ' ')
			*q = '_';
	char *list = xstrdup(expect);
	int ok = 0;
	for (char *tok = strtok(list, " "); tok; tok = strtok(NULL, " "))
		ok |= strcmp(tok, want) == 0;
	free(list);
	return ok;
}

/* Grades one corpus file; returns 0 if it behaved, printing why not. */
static int corpus_one(const struct corpus *c, const char *name)
{
	char path[512];
	snprintf(path, sizeof path, CORPUS "/%s", name);
	char *raw = slurp(path), *expect = raw ? header(raw, "expect") : NULL;
	if (!expect) {
		printf("    %s: no \"-- expect:\" line\n", name);
		free(raw);
		return -1;
	}
	char *feedback = header(raw, "feedback");
	char *check_name = header(raw, "check"), *own_check = NULL;
	if (check_name) { /* a check of its own, in the corpus folder */
		snprintf(path, sizeof path, CORPUS "/%s", check_name);
		own_check = slurp(path);
		free(check_name);
		if (!own_check) {
			printf("    %s: cannot read its check %s\n", name, path);
			free(raw);
			free(expect);
			free(feedback);
			return -1;
		}
	}
	char *t1 = replace(raw, "@CANARY@", c->canary), *text = replace(t1, "@CREATE@", c->create);
	int hostile_check = strncmp(name, "chk_", 4) == 0;
	struct grade_request r = {.check_file = "lesson.md", .check_line = 1, .seed = 7};
	r.limits.memory = isolate_under_asan() ? 16 << 20 : 64 << 20; /* ASan allocates slowly */
	/* Files that may end in a timeout get a short limit, to keep the suite
	 * quick; every other one a limit it cannot reach on a loaded machine
	 * (a memory bomb must meet its memory limit first, even under ASan) */
	r.limits.timeout = status_accepted(VERDICT_TIMEOUT, expect) ? 0.4 : HANG;
	if (hostile_check) {
		r.kind = GRADE_ANSWER;
		r.check = text;
		r.answer = "42";
	} else {
		r.kind = GRADE_CODE;
		r.check = own_check ? own_check : c->check;
		r.source = text;
		r.source_name = name;
	}
	struct verdict v;
	grade_run(&r, &v);
	/* the parent kills at its wall deadline (three times the limit and a
	 * second, grade.c): a run past it by far is a hang (a bound for that,
	 * not a speed) */
	int ok = !v.passed && status_accepted(v.status, expect) &&
		 v.duration_ms < (long)(r.limits.timeout * 3000) + 61000 &&
		 host_untouched(c) && (!feedback || strstr(v.feedback, feedback));
	if (!ok || getenv("CORPUS_VERBOSE"))
		printf("    %s: %s in %ld ms (want %s%s%s)%s\n      feedback: %s\n", name,
		       verdict_status_name(v.status), v.duration_ms, expect, feedback ? ", feedback: " : "",
		       feedback ? feedback : "", host_untouched(c) ? "" : " HOST TOUCHED", v.feedback);
	verdict_free(&v);
	free(raw);
	free(expect);
	free(feedback);
	free(own_check);
	free(t1);
	free(text);
	return ok ? 0 : -1;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static int is_corpus_file(const struct dirent *d)
{
	size_t n = strlen(d->d_name);
	return (strncmp(d->d_name, "sub_", 4) == 0 || strncmp(d->d_name, "chk_", 4) == 0) && n > 4 &&
	       strcmp(d->d_name + n - 4, ".lua") == 0;
}

static void t_corpus(void)
{
	struct corpus c;
	CHECK(corpus_setup(&c) == 0);
	struct dirent **names;
	int n = scandir(CORPUS, &names, is_corpus_file, by_name);
	CHECK(n >= 30);
	int subs = 0, checks = 0, bad = 0;
	for (int i = 0; i < n; i++) {
		const char *name = names[i]->d_name;
		if (name[0] == 's')
			subs++;
		else
			checks++;
		if (corpus_one(&c, name) != 0)
			bad++;
		free(names[i]);
	}
	free(names);
	corpus_teardown(&c);
	CHECK(subs >= 25 && checks >= 5);
	CHECK_INT(bad, 0);
	errno = 0;
	CHECK(waitpid(-1, NULL, WNOHANG) == -1 && errno == ECHILD);
}

/* The corpus' check passes a correct solution, and fails a plainly wrong one. */
static void t_corpus_control(void)
{
	char *check = slurp(CORPUS "/standard_check.lua"), *good = slurp(CORPUS "/good_solution.lua");
	CHECK(check && good);
	struct verdict v = code(check, good);
	CHECK_STR(v.feedback, "Correct.");
	verdict_free(&v);
	v = code(check, "return {add = function(a, b) return a + b + 1 end}");
	CHECK_STR(v.feedback, "`add(2, 3)`: expected `5`, got `6`.");
	verdict_free(&v);
	free(check);
	free(good);
}

/* instructions(): a deterministic cost, proportional to the work done */
static void t_instructions(void)
{
	struct verdict v = answer(
		"local function loop(n) local x = 0 for i = 1, n do x = x + i end return x end\n"
		"local a, r = instructions(loop, 100000)\n"
		"local b = instructions(loop, 100000)\n"
		"local c = instructions(loop, 1000000)\n"
		"expect(r):equals(5000050000)\n"
		"expect(a):between(200000, 800000)\n"
		"expect(b):equals(a, 'the same code costs the same')\n"
		"expect(c / a):between(9, 11, 'ten times the work')\n"
		"expect(function() instructions(error, 'x') end):fails('x')\n",
		"");
	if (!v.passed)
		printf("    %s\n", v.feedback);
	CHECK(v.passed);
	verdict_free(&v);
}

/* instructions() counts every coroutine's instructions (a coroutine that
 * died before a periodic hook fired counted nothing) and the work library
 * functions do for the code */
static void t_instructions_hidden_work(void)
{
	struct verdict v = answer(
		"local function work() local x = 0 for j = 1, 60 do x = x + j end return x end\n"
		"local function cost(...) return (instructions(...)) end\n"
		"local plain = instructions(function() for i = 1, 2000 do work() end end)\n"
		"local coro = instructions(function()\n"
		"  for i = 1, 2000 do coroutine.wrap(work)() end end)\n"
		"expect(coro):at_least(plain, 'the work in coroutines counts')\n"
		"expect(coro):at_most(plain + 2000 * 20 + 1000, 'and no more than the wrapping')\n"
		"local created = instructions(function()\n"
		"  for i = 1, 2000 do local co = coroutine.create(work) coroutine.resume(co) end end)\n"
		"expect(created):at_least(plain)\n"
		"-- bytes scanned and copied by the string library\n"
		"local s = string.rep('a', 100000) .. 'b'\n"
		"expect(cost(string.find, s, 'b', 1, true)):at_least(100000)\n"
		"expect(cost(string.find, s, 'a', 1, true)):at_most(1000)\n"
		"expect(cost(function() return s:find('b', 99990, true) end)):at_most(1000)\n"
		"expect(cost(function() return s:match('(b)') end)):at_least(100000)\n"
		"expect(cost(function() return s:gsub('b', 'c') end)):at_least(200000)\n"
		"expect(cost(function() return s:sub(2) end)):at_least(100000)\n"
		"expect(cost(function() return s .. 'x' end)):at_least(100000)\n"
		"expect(cost(string.rep, 'x', 50000)):at_least(50000)\n"
		"expect(cost(string.byte, s, 1, -1)):at_least(100000)\n"
		"-- elements moved and handled by the table library\n"
		"local t = {} for i = 1, 50000 do t[i] = i end\n"
		"expect(cost(table.insert, t, 1, 0)):at_least(50000)\n"
		"expect(cost(table.insert, t, 0)):at_most(1000)\n"
		"expect(cost(table.remove, t, 1)):at_least(50000)\n"
		"expect(cost(table.remove, t)):at_most(1000)\n"
		"expect(cost(table.concat, t, ',')):at_least(50000)\n"
		"expect(cost(table.sort, t)):at_least(50000 * 15)\n"
		"expect(cost(table.move, t, 1, 50000, 2)):at_least(50000)\n"
		"expect(cost(function() return select('#', table.unpack(t, 1, 5000)) end)):at_least(5000)\n"
		"expect(cost(utf8.len, s)):at_least(100000)\n"
		"-- errors keep their names and positions\n"
		"local ok, e = pcall(function() return string.find() end)\n"
		"expect(e):matches(\"^lesson.md:%d+: bad argument #1 to 'find'\")\n"
		"ok, e = pcall(function() return ('x'):find({}) end)\n"
		"expect(e):matches(\"^lesson.md:%d+: bad argument #1 to 'find'\")\n"
		"ok, e = pcall(function() return table.insert(1, 2) end)\n"
		"expect(e):matches(\"^lesson.md:%d+: bad argument #1 to 'insert'\")\n",
		"");
	if (!v.passed)
		printf("    %s\n", v.feedback);
	CHECK(v.passed);
	verdict_free(&v);
}

static const struct test tests[] = {
	{"grade/api-messages", t_api_rows},
	{"grade/check-errors", t_check_errors},
	{"grade/submission-errors", t_submission_errors},
	{"grade/output", t_output},
	{"grade/feedback-quotes", t_feedback_quotes},
	{"grade/lab-allow", t_lab_allow},
	{"grade/reload", t_reload},
	{"grade/memory-caught", t_memory_caught},
	{"grade/feedback-escapes", t_feedback_escapes},
	{"grade/normalisation", t_normalisation},
	{"grade/rng-and-seeds", t_rng_and_seeds},
	{"grade/differential", t_differential},
	{"grade/partial-credit", t_partial_credit},
	{"grade/differential-functions", t_differential_functions},
	{"grade/choices", t_choices},
	{"grade/cancel", t_cancel},
	{"grade/corpus-control", t_corpus_control},
	{"grade/corpus", t_corpus},
	{"grade/instructions", t_instructions},
	{"grade/instructions-hidden-work", t_instructions_hidden_work},
	{NULL, NULL},
};

int main(int argc, char **argv)
{
	return run_tests(tests, argc, argv);
}
