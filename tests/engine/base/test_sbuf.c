/* Unit tests of engine/base/sbuf.c and engine/diag.c. */
#include "unit.h"
#include "engine/base/diag.h"
#include "engine/base/sbuf.h"

static void t_sbuf_add(void)
{
	struct sbuf sb = SBUF_INIT;
	CHECK_STR(sbuf_str(&sb), "");
	sbuf_adds(&sb, "ab");
	sbuf_addc(&sb, 'c');
	sbuf_addf(&sb, "%d-%s", 42, "x");
	CHECK_STR(sbuf_str(&sb), "abc42-x");
	CHECK_INT(sb.len, 7);
	sbuf_truncate(&sb, 2);
	CHECK_STR(sbuf_str(&sb), "ab");
	sbuf_repeat(&sb, "=", 3);
	CHECK_STR(sbuf_str(&sb), "ab===");
	char *s = sbuf_detach(&sb);
	CHECK_STR(s, "ab===");
	CHECK(sb.buf == NULL && sb.len == 0);
	free(s);
}

static void t_sbuf_grow_large(void)
{
	struct sbuf sb = SBUF_INIT;
	for (int i = 0; i < 10000; i++)
		sbuf_addf(&sb, "%04d", i % 10000);
	CHECK_INT(sb.len, 40000);
	CHECK(memcmp(sb.buf + 39996, "9999", 4) == 0);
	CHECK(sb.buf[sb.len] == '\0');
	sbuf_free(&sb);
}

static void t_diag_format_sort(void)
{
	struct diags d = {0};
	diags_add(&d, "b.md", 3, "third");
	diags_add(&d, "a.md", 9, "second");
	diags_add(&d, "a.md", 2, "first");
	diags_add(&d, "a.md", 0, "whole file");
	diags_sort(&d);
	char *s = diag_format(&d.v[0]);
	CHECK_STR(s, "a.md: whole file");
	free(s);
	s = diag_format(&d.v[1]);
	CHECK_STR(s, "a.md:2: first");
	free(s);
	CHECK_STR(d.v[3].msg, "third");
	struct diags e = {0};
	diags_add(&e, "c.md", 1, "moved");
	diags_move(&d, &e);
	CHECK_INT(d.n, 5);
	CHECK_INT(e.n, 0);
	diags_free(&d);
}

static const struct test tests[] = {
	{"sbuf/add", t_sbuf_add},
	{"sbuf/grow_large", t_sbuf_grow_large},
	{"diag/format_sort", t_diag_format_sort},
	{0},
};

int main(int argc, char **argv)
{
	return run_tests(tests, argc, argv);
}
