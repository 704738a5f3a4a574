/* Unit tests of engine/utf8.c. */
#include "unit.h"
#include "engine/base/utf8.h"

static void t_valid(void)
{
	size_t bad = 99;
	CHECK(utf8_valid("plain", 5, NULL));
	CHECK(utf8_valid("caf\xc3\xa9 \xe2\x80\x94 \xf0\x9f\x98\x80", 14, NULL));
	CHECK(!utf8_valid("ab\xff", 3, &bad));
	CHECK_INT(bad, 2);
	CHECK(!utf8_valid("a\xc0\xaf", 3, &bad)); /* overlong '/' */
	CHECK_INT(bad, 1);
	CHECK(!utf8_valid("\xed\xa0\x80", 3, &bad)); /* surrogate U+D800 */
	CHECK(!utf8_valid("\xf4\x90\x80\x80", 4, &bad)); /* above U+10FFFF */
	CHECK(!utf8_valid("\xe2\x80", 2, &bad)); /* truncated */
	CHECK_INT(bad, 0);
	CHECK(!utf8_valid("caf\xe9", 4, &bad)); /* Latin-1 */
	CHECK_INT(bad, 3);
}

static void t_decode(void)
{
	uint32_t cp;
	CHECK_INT(utf8_decode("\xe2\x82\xac", 3, &cp), 3);
	CHECK_INT(cp, 0x20AC);
	CHECK_INT(utf8_decode("\xf0\x9f\x98\x80", 4, &cp), 4);
	CHECK_INT(cp, 0x1F600);
	CHECK_INT(utf8_decode("\x80", 1, &cp), 1);
	CHECK_INT(cp, 0xFFFD);
}

static void t_width(void)
{
	CHECK_INT(utf8_width("abc", 3), 3);
	CHECK_INT(utf8_width("caf\xc3\xa9", 5), 4);          /* é precomposed */
	CHECK_INT(utf8_width("cafe\xcc\x81", 6), 4);         /* e + combining acute */
	CHECK_INT(utf8_width("\xe6\x97\xa5\xe6\x9c\xac", 6), 4); /* 日本 */
	CHECK_INT(utf8_width("\xf0\x9f\x98\x80", 4), 2);     /* emoji */
	CHECK_INT(utf8_width("\xe2\x96\x88\xe2\x96\x91", 6), 2); /* block elements */
	CHECK_INT(utf8_cpwidth('\t'), 0);
}

static const struct test tests[] = {
	{"utf8/valid", t_valid},
	{"utf8/decode", t_decode},
	{"utf8/width", t_width},
	{0},
};

int main(int argc, char **argv)
{
	return run_tests(tests, argc, argv);
}
