/* Unit tests of repl/highlight.c: Lua syntax classes. */
#include "unit.h"

#include "repl/highlight.h"

/*
 * Classes of SRC as one letter per byte: k keyword, s string, n number or
 * constant, c comment, '.' plain.
 */
static const char *classes(const char *src)
{
	static char out[256];
	unsigned char cls[256];
	size_t len = strlen(src);
	highlight_lua(src, len, cls);
	for (size_t i = 0; i < len; i++)
		out[i] = ".ksnc"[cls[i]];
	out[len] = '\0';
	return out;
}

static void t_tokens(void)
{
	CHECK_STR(classes("local x = nil"), "kkkkk.....nnn");
	CHECK_STR(classes("endx end_ x.end"), "............kkk"); /* whole words only */
	CHECK_STR(classes("if a then"), "kk...kkkk");
	CHECK_STR(classes("x1 = 0x1F + 1.5e-3 + .5"), ".....nnnn...nnnnnn...nn");
	CHECK_STR(classes("p = 0x1p+4"), "....nnnnnn");
}

static void t_strings(void)
{
	CHECK_STR(classes("s = \"a\\\"b\" .. 'c'"), "....ssssss....sss");
	CHECK_STR(classes("[[a]] [==[b]]c]==]"), "sssss.ssssssssssss");
	CHECK_STR(classes("'open\nx"), "sssss.."); /* unterminated: to the newline */
	CHECK_STR(classes("[=[never closed"), "sssssssssssssss");
	CHECK_STR(classes("t[ [[s]] ]"), "...sssss..");
}

static void t_comments(void)
{
	CHECK_STR(classes("x -- note\ny"), "..ccccccc..");
	CHECK_STR(classes("--[[ a\nb ]] z"), "ccccccccccc..");
	CHECK_STR(classes("--[==[ ]] ]==]x"), "cccccccccccccc.");
	CHECK_STR(classes("--[ not long\nz"), "cccccccccccc..");
	CHECK_STR(classes("a - -b"), "......");
}

static const struct test tests[] = {
    {"highlight/tokens", t_tokens},
    {"highlight/strings", t_strings},
    {"highlight/comments", t_comments},
    {0},
};

int main(int argc, char **argv)
{
	return run_tests(tests, argc, argv);
}
