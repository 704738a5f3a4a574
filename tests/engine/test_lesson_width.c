/* The lesson parser's code-width rule: shown code must fit 80 columns. */
#include "unit.h"
#include "engine/lesson.h"

static void t_wide_code_line(void)
{
	const char *text = "---\ntitle: x\n---\n# x\n\n```lua\nshort()\n"
			   "print(\"a line of Lua that goes on and on, well past what an eighty-column terminal shows\")\n"
			   "```\n\n```sql\nSELECT 1;\n```\n";
	struct lesson *l = lesson_scan_text("w.md", text, strlen(text));
	lesson_parse(l);
	CHECK_INT(l->diags.n, 1);
	CHECK_INT(l->diags.v[0].line, 8);
	CHECK(strstr(l->diags.v[0].msg, "columns wide"));
	lesson_free(l);
}

static void t_hidden_blocks_may_be_wide(void)
{
	const char *text = "---\ntitle: x\n---\n# x\n\n## Exercise: E {#e}\n\n```lua check\n"
			   "expect(answer):equals(\"x\", \"a long message for the learner, longer than eighty columns\")\n"
			   "```\n```solution\nx\n```\n```wrong\ny\n```\n";
	struct lesson *l = lesson_scan_text("w.md", text, strlen(text));
	lesson_parse(l);
	CHECK_INT(l->diags.n, 0);
	lesson_free(l);
}

static const struct test tests[] = {
	{"lesson/width/wide_code_line", t_wide_code_line},
	{"lesson/width/hidden_blocks_may_be_wide", t_hidden_blocks_may_be_wide},
	{0},
};

int main(int argc, char **argv)
{
	return run_tests(tests, argc, argv);
}
