/*
 * test_answers.c — the table of typed answers the check API reads, and of
 * those it refuses: expect(answer):number(), :numbers(), :word() (engine/
 * lua/check_answer.lua; docs/authoring.md, "Reading typed answers").
 *
 * Every row is graded as a typed-answer exercise. An accepted form must be
 * read as exactly its value; a refused form must be "unreadable" (not an
 * attempt); a near miss must be read and then fail the value check.
 */
#include "unit.h"

#include "engine/grade.h"
#include "engine/base/sbuf.h"

#include <math.h>

static struct verdict grade(const char *check, const char *text)
{
	struct grade_request r = {.kind = GRADE_ANSWER, .check = check, .check_file = "lesson.md",
				  .answer = text, .seed = 1};
	r.limits.timeout = 10;
	struct verdict v;
	grade_run_here(&r, &v);
	return v;
}

/* One quantity: UNIT (a Lua expression: nil or "ms"), the text, and the
 * value it must be read as (NAN: it must be refused as unreadable). */
struct qrow {
	const char *unit;
	const char *text;
	double want;
};

#define NO NAN

static const struct qrow qrows[] = {
	/* plain numbers and separators */
	{"nil", "42", 42},
	{"nil", " 42 ", 42},
	{"nil", "2,050", 2050},
	{"nil", "1,000,000", 1e6},
	{"nil", "1_000", 1000},
	{"nil", "2\xc2\xa0" "050", 2050},        /* no-break space between groups */
	{"nil", "2\xe2\x80\xaf" "050", 2050},    /* narrow no-break space */
	{"nil", "-3.5", -3.5},
	{"nil", "\xe2\x88\x92" "3.5", -3.5},     /* − minus sign */
	{"nil", ".5", 0.5},
	{"nil", "1e3", 1000},
	{"nil", "2.5e-3", 0.0025},
	{"nil", "1.5k", 1500},
	{"nil", "2M", 2e6},
	{"nil", "2 million", 2e6},
	/* leading words and markers */
	{"nil", "about 200", 200},
	{"nil", "About 200.", 200},
	{"nil", "~200", 200},
	{"nil", "~ 200", 200},
	{"nil", "\xe2\x89\x88" "200", 200},      /* ≈ */
	{"nil", "roughly 200", 200},
	{"nil", "approximately 200", 200},
	{"nil", "t=65", 65},
	{"nil", "t = 65", 65},
	{"nil", "at 65", 65},
	{"nil", "at t=65", 65},
	{"nil", "= 65", 65},
	{"nil", "HTTP 304", 304},
	{"nil", "304 Not Modified", 304},
	{"nil", "the answer is 42", 42},
	/* trailing count nouns, full stops, quotes */
	{"nil", "64 entries", 64},
	{"nil", "64entries", 64},
	{"nil", "2050 writes", 2050},
	{"nil", "2,050 writes.", 2050},
	{"nil", "42.", 42},
	{"nil", "\"42\"", 42},
	{"nil", "`42`", 42},
	{"nil", "'42'.", 42},
	{"nil", "(42)", 42},
	{"nil", "200 workers (2.005 s each)", 200},
	/* fractions, percentages, multipliers */
	{"nil", "4/5", 0.8},
	{"nil", "1/2", 0.5},
	{"nil", "80%", 0.8},
	{"nil", "about 80%", 0.8},
	{"nil", "80 %", 0.8},
	{"nil", "80 percent", 0.8},
	{"nil", "3.16x", 3.16},
	{"nil", "3.16 x", 3.16},
	{"nil", "3.16\xc3\x97", 3.16},           /* 3.16× */
	{"nil", "x3.16", 3.16},
	{"nil", "\xc3\x97" "3.16", 3.16},        /* ×3.16 */
	{"nil", "3.16 times", 3.16},
	/* a number with a superscript power is read as its value */
	{"nil", "3\xc2\xb3", 27},                /* 3³ */
	{"nil", "3\xc2\xb3 = 27", 27},
	{"nil", "10\xe2\x81\xb6", 1e6},          /* 10⁶ */
	{"\"s\"", "10\xe2\x81\xbb\xc2\xb3 s", 0.001}, /* 10⁻³ s */
	{"nil", "2\xc2\xb9\xe2\x81\xb0", 1024}, /* 2¹⁰ */
	{"nil", "p99 ratio 3.16", 3.16},
	{"\"%\"", "80%", 80},
	{"\"%\"", "80", 80},
	{"\"%\"", "4/5", 80},
	{"\"%\"", "0.8x", 80},
	/* units and conversions */
	{"\"ms\"", "2", 2},
	{"\"ms\"", "2 ms", 2},
	{"\"ms\"", "~2 ms", 2},
	{"\"ms\"", "2 ms.", 2},
	{"\"ms\"", "2ms", 2},
	{"\"ms\"", "2 msec", 2},
	{"\"ms\"", "2 milliseconds", 2},
	{"\"ms\"", "0.002 s", 2},
	{"\"ms\"", "2000 \xc2\xb5s", 2},         /* µs */
	{"\"ms\"", "2000 us", 2},
	{"\"ms\"", "2 ms per request", 2},
	{"\"s\"", "65", 65},
	{"\"s\"", "at 65 seconds", 65},
	{"\"s\"", "t=65s", 65},
	{"\"s\"", "65 secs", 65},
	{"\"s\"", "1 min", 60},
	{"\"s\"", "1.5 minutes", 90},
	{"\"s\"", "2 h", 7200},
	{"\"s\"", "1 day", 86400},
	{"\"s\"", "3/4 s", 0.75},
	{"\"KiB\"", "2 MiB", 2048},
	{"\"mb\"", "3 GB", 3000},
	{"\"tb\"", "3.65 PB", 3650},
	{"\"TiB\"", "2 PiB", 2048},
	{"\"tb\"", "1.5 petabytes", 1500},
	{"nil", "2 ms", 0.002},
	{"nil", "5 minutes", 300},
	/* compound durations: one time */
	{"\"s\"", "2 min 20 s", 140},
	{"\"s\"", "2min20s", 140},
	{"\"s\"", "1h30m", 5400},
	{"\"s\"", "1 m 5 s", 65},
	{"\"s\"", "1 hour and 30 minutes", 5400},
	{"\"s\"", "about 2 minutes 20 seconds.", 140},
	{"\"s\"", "t=1m5s", 65},
	{"\"s\"", "1 h 2 min 3.5 s", 3723.5},
	{"\"ms\"", "1 s 250 ms", 1250},
	{"\"min\"", "1 h 30 min", 90},
	{"nil", "2 min 20 s", 140},
	/* numbers in a label: before `:`, `=` or `->` */
	{"nil", "3 entries: 10", 10},
	{"nil", "with 64 entries: 2", 2},
	{"nil", "size 4 -> 8", 8},
	/* refused: no number, several, a bound, another dimension */
	{"nil", "", NO},
	{"nil", "n", NO},
	{"nil", "ne", NO},
	{"nil", "two", NO},
	{"nil", "about", NO},
	{"nil", "1 or 2", NO},
	{"nil", "2-3", NO},
	{"nil", "200 300", NO},
	{"nil", "less than 200", NO},
	{"nil", "not 200", NO},
	{"nil", "at least 200", NO},
	{"nil", "at most 200", NO},
	{"nil", "200 or more", NO},
	{"nil", "200+", NO},
	{"nil", "< 200", NO},
	{"nil", "\xe2\x89\xa4" "200", NO},       /* ≤ */
	{"nil", "over 9000", NO},
	{"\"ms\"", "2 MB", NO},
	{"\"ms\"", "2%", NO},
	{"\"s\"", "2 GiB", NO},
	/* not compound durations: several numbers */
	{"\"s\"", "2 min 20", NO},
	{"\"s\"", "2 20 s", NO},
	{"\"s\"", "20 s 2 min", NO},
	{"\"s\"", "2 min 80 s", NO},
	{"\"s\"", "1.5 min 20 s", NO},
	{"\"s\"", "2 min, 20 s", NO},
	{"\"s\"", "2 min or 20 s", NO},
	{"\"s\"", "2 min -20 s", NO},
	{"\"s\"", "1 h 1 h", NO},
	{"\"s\"", "2:20", NO},
	{"\"s\"", "less than 2 min 20 s", NO},
	{"\"s\"", "2 MB 20 s", NO},
	{"\"%\"", "2 s", NO},
	/* a plain count: another dimension is refused, a count suffix multiplies */
	{"\"count\"", "3", 3},
	{"\"count\"", "3 runners", 3},
	{"\"count\"", "54,000 messages", 54000},
	{"\"count\"", "54k", 54000},
	{"\"count\"", "3 s", NO},
	{"\"count\"", "54,000 s", NO},
	{"\"count\"", "3%", NO},
	{"\"count\"", "2 MB", NO},
	{NULL, NULL, 0},
};

static void t_quantities(void)
{
	for (const struct qrow *q = qrows; q->text; q++) {
		char check[512];
		if (isnan(q->want))
			snprintf(check, sizeof check, "expect(answer):number(%s)", q->unit);
		else
			snprintf(check, sizeof check,
				 "local v = expect(answer):number(%s).value\n"
				 "if math.abs(v - %.17g) > 1e-9 * math.max(1, math.abs(v)) then\n"
				 "  fail('read as ' .. v)\nend",
				 q->unit, q->want);
		struct verdict v = grade(check, q->text);
		enum verdict_status want = isnan(q->want) ? VERDICT_UNREADABLE : VERDICT_PASS;
		if (v.status != want || (want == VERDICT_PASS) != v.answer_read) {
			unit_fail_(__FILE__, __LINE__, "number()");
			printf("      text: [%s] unit %s\n      status: %s (want %s), read %d\n"
			       "      feedback: %s\n",
			       q->text, q->unit, verdict_status_name(v.status), verdict_status_name(want),
			       v.answer_read, v.feedback);
		}
		verdict_free(&v);
	}
}

/* Near misses: read, then rejected by the value check (a recorded attempt). */
static const struct {
	const char *check, *text;
} misses[] = {
	{"expect(answer):number('ms'):near(2, 0.005)", "2.1 ms"},
	{"expect(answer):number('ms'):near(2, 0.005)", "about 2.01 ms"},
	{"expect(answer):number('ms'):near(2, 0.005)", "2 s"},
	{"expect(answer):number('ms'):near(2, 0.005)", "0.2 ms"},
	{"expect(answer):number():equals(2050)", "2,051"},
	{"expect(answer):number():equals(2050)", "205"},
	{"expect(answer):number():equals(2050)", "2.050"},
	{"expect(answer):number():equals(2050)", "2050 thousand"},
	{"expect(answer):number():equals(64)", "65 entries"},
	{"expect(answer):number():near(0.8, 0.01)", "4/6"},
	{"expect(answer):number():near(0.8, 0.01)", "8%"},
	{"expect(answer):number():near(3.16, '2%')", "3.3x"},
	{"expect(answer):number():equals(304)", "HTTP 200"},
	{"expect(answer):number('s'):equals(65)", "at 65 minutes"},
	{"expect(answer):number('s'):equals(65)", "t=66"},
	{"expect(answer):number():near(200.5, 3)", "about 20"},
	{"expect(answer):number('s'):equals(140)", "2 min 21 s"},
	{"expect(answer):number('s'):equals(140)", "2 min 2 s"},
	{"expect(answer):number('s'):equals(140)", "2 h 20 s"},
	{"expect(answer):number('s'):equals(140)", "2 min 20 ms"},
	{"expect(answer):number('s'):equals(5400)", "1h3m"},
	{"expect(answer):number('s'):equals(65)", "1 min 50 s"},
	{"expect(answer):numbers(2):equals{10, 8}", "3 entries: 10, 4 entries: 9"},
	{"expect(answer):numbers(2):equals{10, 8}", "3 entries: 8, 4 entries: 10"},
	{NULL, NULL},
};

static void t_near_misses(void)
{
	for (int i = 0; misses[i].check; i++) {
		struct verdict v = grade(misses[i].check, misses[i].text);
		if (v.status != VERDICT_FAIL || !v.answer_read) {
			unit_fail_(__FILE__, __LINE__, misses[i].check);
			printf("      text: [%s]: %s, read %d: %s\n", misses[i].text,
			       verdict_status_name(v.status), v.answer_read, v.feedback);
		}
		verdict_free(&v);
	}
}

/* The edge of a tolerance is inside it, whatever binary floating point
 * makes of the difference (2.41 - 2.4 = 0.0100000000000002); a hair past
 * it is outside. */
static const struct {
	const char *check, *text;
	int pass;
} edges[] = {
	{"expect(answer):number():near(2.4, 0.01)", "2.41", 1},
	{"expect(answer):number():near(2.4, 0.01)", "2.39", 1},
	{"expect(answer):number():near(2.4000000000000004, 0.01)", "2.39", 1},
	{"expect(answer):number():near(2.25, 0.05)", "2.3", 1},
	{"expect(answer):number():near(2.25, 0.05)", "2.2", 1},
	{"expect(answer):number():near(2.25, '2%')", "2.295", 1},
	{"expect(answer):number():near(2.4, 0.01)", "2.4101", 0},
	{"expect(answer):number():near(2.4, 0.01)", "2.3899", 0},
	{"expect(answer):number():near(2.25, 0.05)", "2.31", 0},
	{"expect(answer):number():near(1000, 1)", "1001.01", 0},
	{NULL, NULL, 0},
};

static void t_near_edges(void)
{
	for (int i = 0; edges[i].check; i++) {
		struct verdict v = grade(edges[i].check, edges[i].text);
		enum verdict_status want = edges[i].pass ? VERDICT_PASS : VERDICT_FAIL;
		if (v.status != want) {
			unit_fail_(__FILE__, __LINE__, edges[i].check);
			printf("      text: [%s]: %s (want %s): %s\n", edges[i].text,
			       verdict_status_name(v.status), verdict_status_name(want), v.feedback);
		}
		verdict_free(&v);
	}
}

/* Several numbers: COUNT and UNIT (Lua expressions), the text, and the
 * values joined by spaces ("" for refused). */
static const struct {
	const char *count, *unit, *text, *want;
} nrows[] = {
	{"4", "nil", "9 10 10 8", "9 10 10 8"},
	{"4", "nil", "9, 10, 10, 8", "9 10 10 8"},
	{"4", "nil", "9,10,10,8", "9 10 10 8"},
	{"4", "nil", "FIFO3=9 FIFO4=10 LRU3=10 LRU4=8", "9 10 10 8"},
	{"4", "nil", "fifo3: 9, fifo4: 10, lru3: 10, lru4: 8.", "9 10 10 8"},
	{"4", "nil", "(9, 10, 10, 8)", "9 10 10 8"},
	{"5", "nil", "200,429,401,200,429", "200 429 401 200 429"},
	{"2", "nil", "8938 19", "8938 19"},
	{"2", "nil", "8,938 and 19", "8938 19"},
	{"3", "nil", "modulo 0.8997, ring (160 points) 0.1003, jump 0.0983",
	 "0.8997 0.1003 0.0983"},
	{"3", "nil", "90%, 10%, 9.8%", "0.9 0.1 0.098"},
	{"2", "\"s\"", "interval=0.5s fall=2", "0.5 2"},
	{"2", "\"s\"", "500 ms, 2", "0.5 2"},
	{"nil", "nil", "1 2 3", "1 2 3"},
	/* compound durations, one number each */
	{"2", "\"s\"", "2 min 20 s, 1h30m", "140 5400"},
	{"nil", "\"s\"", "1 m 5 s 3 s", "65 3"},
	{"2", "\"s\"", "1 h and 30 min", "3600 1800"},
	{"1", "\"s\"", "1 h and 30 min", "5400"},
	/* numbers in labels: before `:`, `=`, `->` or `=>`, back to a separator */
	{"2", "nil", "3 entries: 10, 4 entries: 8", "10 8"},
	{"nil", "nil", "3 entries: 10, 4 entries: 8", "10 8"},
	{"2", "nil", "3 entries: 10 misses; 4 entries: 8 misses.", "10 8"},
	{"2", "nil", "3 entries: 10 4 entries: 8", "10 8"},
	{"2", "nil", "3: 10, 4: 8", "10 8"},
	{"2", "nil", "size 3 = 10 and size 4 = 8", "10 8"},
	{"2", "nil", "3 -> 10, 4 => 8", "10 8"},
	{"3", "nil", "64 KiB: 1, 2, 3", "1 2 3"},
	{"2", "nil", "3 entries: 10, 8", "10 8"},
	{"4", "nil", "3 entries: 10, 4 entries: 8", ""},
	{"2", "nil", "3 entries: 10, 4 entries:", ""},
	{"4", "nil", "9 10 10", ""},
	{"2", "nil", "one two", ""},
	{"2", "\"s\"", "2 MB 3", ""},
	{"nil", "nil", "none", ""},
	{NULL, NULL, NULL, NULL},
};

static void t_numbers(void)
{
	for (int i = 0; nrows[i].text; i++) {
		char check[512];
		snprintf(check, sizeof check,
			 "local t = expect(answer):numbers(%s, %s).value\n"
			 "local parts = {}\n"
			 "for k, x in ipairs(t) do parts[k] = string.format('%%.12g', x) end\n"
			 "expect(table.concat(parts, ' ')):equals(%s)",
			 nrows[i].count, nrows[i].unit, "'WANT'");
		struct sbuf sb = SBUF_INIT;
		const char *at = strstr(check, "WANT");
		sbuf_add(&sb, check, (size_t)(at - check));
		sbuf_adds(&sb, nrows[i].want);
		sbuf_adds(&sb, at + 4);
		struct verdict v = grade(sb.buf, nrows[i].text);
		enum verdict_status want = *nrows[i].want ? VERDICT_PASS : VERDICT_UNREADABLE;
		if (v.status != want) {
			unit_fail_(__FILE__, __LINE__, "numbers()");
			printf("      text: [%s]: %s (want %s): %s\n", nrows[i].text,
			       verdict_status_name(v.status), verdict_status_name(want), v.feedback);
		}
		verdict_free(&v);
		sbuf_free(&sb);
	}
}

static void t_labels(void)
{
	struct verdict v = grade("local e = expect(answer):numbers(4)\n"
				 "expect(table.concat(e.labels, ',')):equals('fifo3,fifo4,lru3,lru4')",
				 "FIFO3=9 FIFO4=10 LRU3=10 LRU4=8");
	CHECK_STR(v.feedback, "Correct.");
	verdict_free(&v);
	/* a number before a label mark is part of the label */
	v = grade("local e = expect(answer):numbers(2)\n"
		  "expect(table.concat(e.labels, ',')):equals('3 entries,4 entries')",
		  "3 entries: 10, 4 entries: 8");
	CHECK_STR(v.feedback, "Correct.");
	verdict_free(&v);
	v = grade("local v, l = numbers(answer)\n"
		  "expect(table.concat(v, ',') .. '/' .. table.concat(l, ','))\n"
		  "  :equals('10,8/3 entries,4 entries')\n"
		  "local q, dim = quantity('2 min 20 s')\n"
		  "expect(q .. dim):equals('140time')",
		  "3 entries: 10, 4 entries: 8");
	CHECK_STR(v.feedback, "Correct.");
	verdict_free(&v);
}

static void t_words(void)
{
	const char *check = "expect(answer):word{'a', 'b', 'c', 'd'}:equals('a', 'Not that key.')";
	struct verdict v = grade(check, " `A`. ");
	CHECK_INT(v.status, VERDICT_PASS);
	verdict_free(&v);
	v = grade(check, "c");
	CHECK_INT(v.status, VERDICT_FAIL);
	CHECK(v.answer_read);
	CHECK_STR(v.feedback, "Not that key.");
	verdict_free(&v);
	v = grade(check, "ne");
	CHECK_INT(v.status, VERDICT_UNREADABLE);
	CHECK_STR(v.feedback, "Type one of `a`, `b`, `c` or `d`: `ne` is not one of them.");
	verdict_free(&v);
	v = grade("expect(answer):word()", "two words");
	CHECK_INT(v.status, VERDICT_UNREADABLE);
	verdict_free(&v);
}

/* What an unreadable answer is told, and that a code exercise fails
 * instead (a submission's value is not a typed answer). */
static void t_messages(void)
{
	struct verdict v = grade("expect(answer):number('ms'):near(2)", "ne");
	CHECK_INT(v.status, VERDICT_UNREADABLE);
	CHECK_STR(v.feedback, "Type a time in ms (for example `2` or `2 ms`): `ne` has no "
			      "number in it.");
	verdict_free(&v);
	v = grade("expect(answer):number():near(2)", "1 or 2");
	CHECK_STR(v.feedback, "Type a number (for example `42`): `1 or 2` is 2 numbers, not one.");
	verdict_free(&v);
	v = grade("expect(answer):number('s'):near(140)", "2 min 80 s");
	CHECK_STR(v.feedback, "Type a time in s (for example `2` or `2 s`): `2 min 80 s` is 2 times, "
			      "not one: write a duration largest unit first, each part less than one "
			      "of the unit before (`2 min 20 s`).");
	verdict_free(&v);
	v = grade("expect(answer):number():near(2)", "at least 2");
	CHECK_STR(v.feedback,
		  "Type a number (for example `42`): `at least 2` is a bound (least), not one value.");
	verdict_free(&v);
	/* a lone M asked for a size: minutes, and the learner is told why */
	v = grade("expect(answer):number('b', 'Type a size.')", "4 M");
	CHECK_INT(v.status, VERDICT_UNREADABLE);
	CHECK_STR(v.feedback, "Type a size. `4 M` is a time (`m` alone is minutes), not a "
			      "size: write `MB` or `MiB`.");
	verdict_free(&v);
	v = grade("expect(answer):number('ms', 'Give a time, such as `3 ms`.')", "x");
	CHECK_STR(v.feedback, "Give a time, such as `3 ms`.");
	verdict_free(&v);
	/* the author's message, then what is wrong when it is more than no number */
	v = grade("expect(answer):number('s', 'Give a time in seconds.')", "1 min 5");
	CHECK_STR(v.feedback, "Give a time in seconds. `1 min 5` is 2 numbers, not one.");
	verdict_free(&v);
	v = grade("expect(answer):numbers(2, nil, 'Type two counts.')", "1 2 3");
	CHECK_STR(v.feedback, "Type two counts. `1 2 3` has 3 numbers, not 2.");
	verdict_free(&v);
	/* a long answer is quoted cut, on a character boundary (é is bytes 60-61) */
	v = grade("expect(answer):numbers(2, nil, 'Type two counts.')",
		  "1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23\xc3\xa9\xc3\xa9 24");
	CHECK_STR(v.feedback, "Type two counts. `1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 "
			      "22 23…` has 24 numbers, not 2.");
	verdict_free(&v);
	v = grade("expect(answer):numbers(2, nil, 'Type two counts.')", "none");
	CHECK_STR(v.feedback, "Type two counts.");
	verdict_free(&v);
	v = grade("unreadable('Type a port number.')", "x");
	CHECK_INT(v.status, VERDICT_UNREADABLE);
	CHECK_STR(v.feedback, "Type a port number.");
	verdict_free(&v);
	/* a check that never reads the form: a wrong answer, not read */
	v = grade("expect(answer):trim():equals('yes')", "ne");
	CHECK_INT(v.status, VERDICT_FAIL);
	CHECK(!v.answer_read);
	verdict_free(&v);
	struct grade_request r = {.kind = GRADE_CODE, .check = "expect(submission):number()",
				  .source = "return 'x'", .seed = 1};
	grade_run_here(&r, &v);
	CHECK_INT(v.status, VERDICT_FAIL);
	verdict_free(&v);
}

/* Choices: a letter outside them, or a word, is not an attempt. */
static void t_choices(void)
{
	struct grade_choice ch[] = {{false, "FIFO"}, {true, "LRU"}, {false, "LFU"}};
	const char *unread[] = {"h", "sh", "two", "d", "", "q"};
	for (size_t i = 0; i < sizeof unread / sizeof *unread; i++) {
		struct grade_request r = {.kind = GRADE_CHOICE, .answer = unread[i], .choices = ch,
					  .nchoice = 3};
		struct verdict v;
		grade_run(&r, &v);
		if (v.status != VERDICT_UNREADABLE) {
			unit_fail_(__FILE__, __LINE__, unread[i]);
			printf("      %s: %s\n", verdict_status_name(v.status), v.feedback);
		}
		verdict_free(&v);
	}
	struct grade_request r = {.kind = GRADE_CHOICE, .answer = "a", .choices = ch, .nchoice = 3};
	struct verdict v;
	grade_run(&r, &v);
	CHECK_INT(v.status, VERDICT_FAIL);
	CHECK(v.answer_read);
	verdict_free(&v);
}

/* The status travels from the isolated child like every other field. */
static void t_isolated(void)
{
	struct grade_request r = {.kind = GRADE_ANSWER, .check = "expect(answer):number()",
				  .answer = "ne", .seed = 1};
	struct verdict v;
	grade_run(&r, &v);
	CHECK_INT(v.status, VERDICT_UNREADABLE);
	verdict_free(&v);
	r.answer = "7";
	grade_run(&r, &v);
	CHECK_INT(v.status, VERDICT_PASS);
	CHECK(v.answer_read);
	verdict_free(&v);
}

static const struct test tests[] = {
	{"answers/quantities", t_quantities},
	{"answers/near_misses", t_near_misses},
	{"answers/near_edges", t_near_edges},
	{"answers/numbers", t_numbers},
	{"answers/labels", t_labels},
	{"answers/words", t_words},
	{"answers/messages", t_messages},
	{"answers/choices", t_choices},
	{"answers/isolated", t_isolated},
	{NULL, NULL},
};

int main(int argc, char **argv)
{
	return run_tests(tests, argc, argv);
}
