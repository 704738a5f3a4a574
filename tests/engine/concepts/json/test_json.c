/*
 * Tests of the JSON parser's events and errors and of the writers
 * (engine/concepts/json/json.c), in C: what the binding builds on.
 */
#include "unit.h"
#include "engine/concepts/json/json.h"

#include <string.h>

/* Events written as a string: "[ 1 s:x ]" style. */
static const char *trace(void *ctx, const struct json_event *ev)
{
	struct json_buf *b = ctx;
	char t[64];
	int n = 0;
	switch (ev->kind) {
	case JSON_NULL: n = snprintf(t, sizeof t, "null"); break;
	case JSON_FALSE: n = snprintf(t, sizeof t, "false"); break;
	case JSON_TRUE: n = snprintf(t, sizeof t, "true"); break;
	case JSON_INT: n = snprintf(t, sizeof t, "%lld", (long long)ev->i); break;
	case JSON_FLOAT: n = snprintf(t, sizeof t, "%g", ev->d); break;
	case JSON_STRING: n = snprintf(t, sizeof t, "s:%.*s", (int)ev->len, ev->s); break;
	case JSON_KEY: n = snprintf(t, sizeof t, "k:%.*s", (int)ev->len, ev->s); break;
	case JSON_ARRAY: n = snprintf(t, sizeof t, "["); break;
	case JSON_OBJECT: n = snprintf(t, sizeof t, "{"); break;
	case JSON_END: n = snprintf(t, sizeof t, "end"); break;
	}
	if (ev->parent == 'a')
		n += snprintf(t + n, sizeof t - (size_t)n, "@%zu", ev->index);
	json_buf_add(b, t, (size_t)n);
	json_buf_add(b, " ", 1);
	return NULL;
}

static void t_events(void)
{
	struct json_buf b = {0};
	struct json_error e;
	const char *doc = "{\"a\": [1, -2.5, \"x\\ny\", [], {}], \"b\": null}";
	CHECK(json_parse(doc, strlen(doc), NULL, trace, &b, &e) == 0);
	CHECK_STR(b.p, "{ k:a [ 1@1 -2.5@2 s:x\ny@3 [@4 end@4 {@5 end@5 end k:b null end ");
	json_buf_free(&b);
}

static void t_errors(void)
{
	static const struct {
		const char *doc;
		size_t off, line, col;
	} cases[] = {
		{"[1,]", 3, 1, 4},
		{"\n\r\n  x", 5, 3, 3},
		{"\r[\r1,\r}", 6, 4, 1},
		{"[\"\xc3\xa9\", tru]", 7, 1, 7},
		{"[[[", 3, 1, 4},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct json_buf b = {0};
		struct json_error e;
		CHECK(json_parse(cases[i].doc, strlen(cases[i].doc), NULL, trace, &b, &e) == -1);
		CHECK_INT(e.off, cases[i].off);
		CHECK_INT(e.line, cases[i].line);
		CHECK_INT(e.column, cases[i].col);
		CHECK(e.why != NULL);
		json_buf_free(&b);
	}
}

static void t_writers(void)
{
	struct json_buf b = {0};
	size_t bad = 0;
	CHECK(json_write_string(&b, "a\"\\\b\f\n\r\t\x01/\xc3\xa9", 12, 0, &bad) == 0);
	CHECK_STR(b.p, "\"a\\\"\\\\\\b\\f\\n\\r\\t\\u0001/\xc3\xa9\"");
	b.len = 0;
	CHECK(json_write_string(&b, "\xf0\x9d\x84\x9e", 4, 1, &bad) == 0);
	CHECK_STR(b.p, "\"\\ud834\\udd1e\"");
	b.len = 0;
	CHECK(json_write_string(&b, "ok\xed\xa0\x80", 5, 0, &bad) == -1);
	CHECK_INT(bad, 2);
	b.len = 0;
	CHECK(json_write_double(&b, 0.1) == 0 && json_write_double(&b, 3.0) == 0);
	CHECK_STR(b.p, "0.13.0");
	CHECK(json_write_double(&b, 1.0 / 0.0) == -1);
	json_buf_free(&b);
}

static const struct test tests[] = {
	{"json/events", t_events},
	{"json/errors", t_errors},
	{"json/writers", t_writers},
	{0},
};

int main(int argc, char **argv)
{
	return run_tests(tests, argc, argv);
}
