/* Unit tests of engine/base/jsonl.c: the flat-object JSON lines writer and reader. */
#include "unit.h"
#include "engine/base/jsonl.h"

#include <math.h>
#include <stdint.h>

/* Parses text; returns the error message (static buffer) or NULL. */
static const char *parse_err(const char *text)
{
	static char msg[200];
	struct jsonl_obj o = {0};
	char *err = NULL;
	int rc = jsonl_parse(&o, text, strlen(text), &err);
	jsonl_obj_free(&o);
	if (rc == 0)
		return NULL;
	snprintf(msg, sizeof msg, "%s", err);
	free(err);
	return msg;
}

static void t_write_escapes(void)
{
	struct sbuf sb = SBUF_INIT;
	jsonl_begin(&sb);
	jsonl_str(&sb, "a", "q\"b\\s/\n\t\r\b\f\x01\x1f\x7f");
	jsonl_str(&sb, "u", "caf\xC3\xA9 \xF0\x9F\x98\x80");
	jsonl_str(&sb, "n", NULL);
	jsonl_end(&sb);
	CHECK_STR(sbuf_str(&sb), "{\"a\":\"q\\\"b\\\\s/\\n\\t\\r\\b\\f\\u0001\\u001f\\u007f\","
	                         "\"u\":\"caf\xC3\xA9 \xF0\x9F\x98\x80\",\"n\":null}\n");
	sbuf_free(&sb);
}

static void t_write_numbers(void)
{
	struct sbuf sb = SBUF_INIT;
	jsonl_begin(&sb);
	jsonl_int(&sb, "i", INT64_MIN);
	jsonl_int(&sb, "j", 1700000000123);
	jsonl_num(&sb, "x", 0.1);
	jsonl_num(&sb, "y", 1.0);
	jsonl_num(&sb, "z", 2.0 / 3.0);
	jsonl_num(&sb, "w", NAN);
	jsonl_bool(&sb, "t", true);
	jsonl_bool(&sb, "f", false);
	jsonl_null(&sb, "nil");
	jsonl_end(&sb);
	CHECK_STR(sbuf_str(&sb), "{\"i\":-9223372036854775808,\"j\":1700000000123,\"x\":0.1,"
	                         "\"y\":1,\"z\":0.6666666666666666,\"w\":null,\"t\":true,"
	                         "\"f\":false,\"nil\":null}\n");
	sbuf_free(&sb);
}

static void t_parse_values(void)
{
	const char *text =
	    " { \"s\" : \"a\\u00e9\\ud83d\\ude00\\n\\/\" , \"n\":-12.5e1,"
	    "\"i\":9007199254740993,\"t\":true,\"f\":false,\"z\":null,\"e\":\"\"}\r\n";
	struct jsonl_obj o = {0};
	char *err = NULL;
	CHECK(jsonl_parse(&o, text, strlen(text), &err) == 0);
	CHECK_INT(o.n, 7);
	CHECK_STR(o.v[0].key, "s");
	const struct jsonl_value *v = jsonl_get(&o, "s");
	CHECK(v && v->type == JSONL_STR);
	CHECK_STR(v->text, "a\xC3\xA9\xF0\x9F\x98\x80\n/");
	v = jsonl_get(&o, "n");
	CHECK(v && v->type == JSONL_NUM && v->num == -125.0);
	int64_t x = 0;
	CHECK(jsonl_int_of(v, INT64_MIN, INT64_MAX, &x) == -1); /* not an integer literal */
	CHECK(jsonl_int_of(jsonl_get(&o, "i"), 0, INT64_MAX, &x) == 0);
	CHECK(x == 9007199254740993LL); /* exact, unlike a double */
	CHECK(jsonl_int_of(jsonl_get(&o, "i"), 0, 1000, &x) == -1);
	CHECK(jsonl_get(&o, "t")->boolean && !jsonl_get(&o, "f")->boolean);
	CHECK(jsonl_get(&o, "z")->type == JSONL_NULL);
	CHECK_STR(jsonl_get(&o, "e")->text, "");
	CHECK(jsonl_get(&o, "missing") == NULL);
	jsonl_obj_free(&o);
	CHECK(o.n == 0 && o.v == NULL);
}

static void t_parse_empty_object(void)
{
	struct jsonl_obj o = {0};
	char *err = NULL;
	CHECK(jsonl_parse(&o, "{}", 2, &err) == 0);
	CHECK_INT(o.n, 0);
	jsonl_obj_free(&o);
}

static void t_parse_errors(void)
{
	static const struct {
		const char *text, *err;
	} cases[] = {
	    {"", "column 1: expected '{'"},
	    {"[1]", "column 1: expected '{'"},
	    {"{\"a\":{}}", "column 6: nested objects and arrays are not supported"},
	    {"{\"a\":[1]}", "column 6: nested objects and arrays are not supported"},
	    {"{\"a\":1,\"a\":2}", "column 8: duplicate key"},
	    {"{\"a\":1} x", "column 9: unexpected text after the object"},
	    {"{\"a\" 1}", "column 6: expected ':' after a key"},
	    {"{a:1}", "column 2: expected a key in double quotes"},
	    {"{\"a\":1,}", "column 8: expected a key in double quotes"},
	    {"{\"a\":1 \"b\":2}", "column 8: expected ',' or '}'"},
	    {"{\"a\":\"x", "column 8: unterminated string"},
	    {"{\"a\":\"x\\", "column 9: unterminated string"},
	    {"{\"a\":\"\\q\"}", "column 8: unknown escape in string"},
	    {"{\"a\":\"\\u12\"}", "column 11: \\u must be followed by 4 hex digits"},
	    {"{\"a\":\"\\ud800\"}", "column 13: high surrogate not followed by a low one"},
	    {"{\"a\":\"\\ud800\\u0041\"}", "column 19: high surrogate not followed by a low one"},
	    {"{\"a\":\"\\udc00\"}", "column 13: lone low surrogate in \\u escape"},
	    {"{\"a\":\"\\u0000\"}", "column 13: \\u0000 is not allowed"},
	    {"{\"a\":\"\t\"}", "column 7: control character in string (escape it)"},
	    {"{\"a\":\"\xC3\"}", "column 7: invalid UTF-8 in string"},
	    {"{\"a\":\"\xED\xA0\x80\"}", "column 7: invalid UTF-8 in string"},
	    {"{\"a\":\"\xC0\xAF\"}", "column 7: invalid UTF-8 in string"},
	    {"{\"a\":01}", "column 7: leading zero in number"},
	    {"{\"a\":1.}", "column 8: digits expected after '.'"},
	    {"{\"a\":1e}", "column 8: digits expected in exponent"},
	    {"{\"a\":-}", "column 7: bad number"},
	    {"{\"a\":+1}", "column 6: expected a string, number, true, false or null"},
	    {"{\"a\":tru}", "column 6: expected a string, number, true, false or null"},
	    {"{\"a\":1", "column 7: expected ',' or '}'"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *got = parse_err(cases[i].text);
		if (!got || strcmp(got, cases[i].err) != 0)
			printf("      case %zu: %s\n", i, cases[i].text);
		CHECK_STR(got, cases[i].err);
	}
}

static void t_parse_nul_byte(void)
{
	/* a NUL byte inside the text is a control character, not an end */
	const char text[] = "{\"a\":\"x\0y\"}";
	struct jsonl_obj o = {0};
	char *err = NULL;
	CHECK(jsonl_parse(&o, text, sizeof text - 1, &err) == -1);
	CHECK_STR(err, "column 8: control character in string (escape it)");
	free(err);
}

/* Every byte string that is valid UTF-8 survives writer then reader. */
static void t_round_trip(void)
{
	unsigned seed = 12345;
	for (int round = 0; round < 2000; round++) {
		char s[64];
		size_t n = 0;
		int len = (int)(seed % 40);
		for (int i = 0; i < len; i++) {
			seed = seed * 1103515245 + 12345;
			unsigned char c = (unsigned char)(seed >> 16);
			if (c == 0)
				c = 1;
			s[n++] = (char)c;
		}
		s[n] = '\0';
		char *fixed = jsonl_utf8_fix(s);
		CHECK(jsonl_utf8_valid(fixed, strlen(fixed)));
		struct sbuf sb = SBUF_INIT;
		jsonl_begin(&sb);
		jsonl_str(&sb, "k\"ey", fixed);
		jsonl_num(&sb, "x", (double)seed / 7.0);
		jsonl_end(&sb);
		struct jsonl_obj o = {0};
		char *err = NULL;
		int rc = jsonl_parse(&o, sb.buf, sb.len, &err);
		if (rc != 0)
			printf("      %s in %s\n", err, sb.buf);
		CHECK(rc == 0);
		CHECK_STR(jsonl_get(&o, "k\"ey")->text, fixed);
		CHECK(jsonl_get(&o, "x")->num == (double)seed / 7.0);
		jsonl_obj_free(&o);
		sbuf_free(&sb);
		free(fixed);
	}
}

static void t_utf8(void)
{
	CHECK(jsonl_utf8_valid("", 0));
	const char *ok = "abc \xC3\xA9 \xE2\x82\xAC \xF4\x8F\xBF\xBF";
	CHECK(jsonl_utf8_valid(ok, strlen(ok)));
	CHECK(!jsonl_utf8_valid("\xF4\x90\x80\x80", 4)); /* above U+10FFFF */
	CHECK(!jsonl_utf8_valid("\xE0\x80\x80", 3));     /* overlong */
	CHECK(!jsonl_utf8_valid("\xED\xB0\x80", 3));     /* surrogate */
	CHECK(!jsonl_utf8_valid("\xE2\x82", 2));         /* truncated */
	CHECK(!jsonl_utf8_valid("\xFF", 1));
	char *f = jsonl_utf8_fix("a\xFF"
	                         "b\xE2\x82"
	                         "c\xC3\xA9");
	CHECK_STR(f, "a\xEF\xBF\xBD"
	             "b\xEF\xBF\xBD\xEF\xBF\xBD"
	             "c\xC3\xA9");
	free(f);
}

static const struct test tests[] = {
    {"jsonl/write-escapes", t_write_escapes},
    {"jsonl/write-numbers", t_write_numbers},
    {"jsonl/parse-values", t_parse_values},
    {"jsonl/parse-empty-object", t_parse_empty_object},
    {"jsonl/parse-errors", t_parse_errors},
    {"jsonl/parse-nul-byte", t_parse_nul_byte},
    {"jsonl/round-trip", t_round_trip},
    {"jsonl/utf8", t_utf8},
    {0},
};

int main(int argc, char **argv)
{
	return run_tests(tests, argc, argv);
}
