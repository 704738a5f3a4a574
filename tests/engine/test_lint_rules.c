/*
 * test_lint_rules.c — lint's rules about what learners would see
 * (engine/lint_rules.c): fence info strings, one-line feedback cut at words,
 * where a check's error points, answers taken for commands, requires cycles.
 */
#include "unit.h"

#include "engine/lint_rules.h"

static void t_fences(void)
{
	const char *fine[] = {"lua", "lua check", "lua starter", "solution", "wrong it is b",
			      "lua wrong recency", "hint", "text", "sql", "sh", "http", "json", "",
			      NULL};
	for (int i = 0; fine[i]; i++) {
		char *p = lint_fence_problem(fine[i]);
		if (p) {
			unit_fail_(__FILE__, __LINE__, fine[i]);
			printf("      %s\n", p);
			free(p);
		}
	}
	char *p = lint_fence_problem("hnit");
	CHECK(p && strstr(p, "unknown block '```hnit'") && strstr(p, "did you mean `hint`?"));
	free(p);
	p = lint_fence_problem("check");
	CHECK(p && strstr(p, "did you mean `lua check`?"));
	free(p);
	p = lint_fence_problem("lua chek");
	CHECK(p && strstr(p, "did you mean `lua check`?"));
	free(p);
	p = lint_fence_problem("solutoin");
	CHECK(p && strstr(p, "did you mean `solution`?"));
	free(p);
}

static void t_feedback_line(void)
{
	const char *fb = "The check of this exercise does not compile (a bug in the lesson):\n\n"
			 "```\nles.md:42: unexpected symbol near 'end'\nmore\n```\n";
	char *s = lint_feedback_line(fb, 300, true);
	CHECK_STR(s, "les.md:42: unexpected symbol near 'end'");
	free(s);
	s = lint_feedback_line(fb, 300, false);
	CHECK_STR(s, "The check of this exercise does not compile (a bug in the lesson): les.md:42: "
		     "unexpected symbol near 'end'");
	free(s);
	CHECK_INT(lint_feedback_file_line(fb, "les.md"), 42);
	CHECK_INT(lint_feedback_file_line(fb, "other.md"), 0);
	/* cut at a word, never inside one */
	s = lint_feedback_line("alpha beta gamma delta epsilon", 14, false);
	CHECK_STR(s, "alpha beta…");
	free(s);
	s = lint_feedback_line("one\n\nsecond paragraph", 100, false);
	CHECK_STR(s, "one");
	free(s);
	/* a single long word is cut on a character boundary */
	s = lint_feedback_line("ééééééééééééééééééé", 9, false);
	CHECK_STR(s, "éééé…");
	free(s);
}

static void t_answer_as_command(void)
{
	const char *cmds[] = {"next", "new", "check", "continue", "help", "hint", "show", NULL};
	struct verdict v = {0};
	char *m = lint_answer_as_command("c", &v, cmds);
	CHECK(m && strstr(m, "`c`") && strstr(m, "`check` and `continue`"));
	free(m);
	m = lint_answer_as_command("ne", &v, cmds);
	CHECK(m && strstr(m, "`next` and `new`"));
	free(m);
	CHECK(lint_answer_as_command("42", &v, cmds) == NULL);
	CHECK(lint_answer_as_command("next", &v, cmds) == NULL); /* a whole name: lint's other rule */
	CHECK(lint_answer_as_command("a b a c a", &v, cmds) == NULL);
	v.answer_read = true;
	CHECK(lint_answer_as_command("c", &v, cmds) == NULL);
}

static void t_course(void)
{
	struct catalog c;
	char *err = NULL;
	CHECK(catalog_load(&c, "tests/fixtures/lint", &err) == 0);
	struct diags d = {0};
	lint_course_rules(&c, &d);
	int self = 0, circle = 0;
	for (size_t i = 0; i < d.n; i++) {
		self += strstr(d.v[i].msg, "requires itself") != NULL;
		circle += strstr(d.v[i].msg, "goes round in a circle") != NULL;
	}
	CHECK_INT(self, 1);
	CHECK_INT(circle, 2);
	diags_free(&d);
	catalog_free(&c);
	CHECK(catalog_load(&c, "tests/fixtures/course", &err) == 0);
	lint_course_rules(&c, &d);
	CHECK_INT(d.n, 0);
	catalog_free(&c);
}

static const struct test tests[] = {
	{"lint_rules/fences", t_fences},
	{"lint_rules/feedback_line", t_feedback_line},
	{"lint_rules/answer_as_command", t_answer_as_command},
	{"lint_rules/course", t_course},
	{NULL, NULL},
};

int main(int argc, char **argv)
{
	return run_tests(tests, argc, argv);
}
