/*
 * Tests of repl/render.c: golden outputs, and the guarantees every output
 * keeps (width, no escape without colour, valid UTF-8).
 *
 * Golden files live in tests/repl/render/: NAME.md is rendered into
 * NAME.txt (width 60, no colour), NAME.ansi (colour on, escape bytes stored
 * raw), NAME.ascii.txt (an ASCII terminal) and NAME.w20.txt (width 20).
 * Roles are tagged by hand, as the lesson parser would: fenced `lua` blocks
 * become numbered examples, and a list right after an HTML block
 * "<!-- choices -->" becomes a multiple choice (the comment is removed).
 *
 * UPDATE_GOLDEN=1 rewrites the expected files from the current output;
 * read each one before committing it.
 */
#include "unit.h"

#include <stdbool.h>
#include <time.h>

#include "engine/isolate.h"
#include "engine/lesson.h"
#include "engine/mdtable.h"
#include "engine/base/sbuf.h"
#include "engine/base/utf8.h"
#include "repl/render.h"

struct golden {
	const char *md, *out;
	int width;
	bool color, utf8;
	int first_example; /* number of the first `lua` block */
};

static const struct golden goldens[] = {
    {"blocks.md", "blocks.txt", 60, false, true, 1},
    {"blocks.md", "blocks.ansi", 60, true, true, 1},
    {"blocks.md", "blocks.ascii.txt", 60, false, false, 1},
    {"blocks.md", "blocks.w20.txt", 20, false, true, 1},
    {"nesting.md", "nesting.txt", 60, false, true, 1},
    {"nesting.md", "nesting.w20.txt", 20, false, true, 1},
    {"wrapping.md", "wrapping.txt", 60, false, true, 1},
    {"wrapping.md", "wrapping.ansi", 60, true, true, 1},
    {"wrapping.md", "wrapping.w20.txt", 20, false, true, 1},
    {"lesson.md", "lesson.txt", 60, false, true, 3},
    {"lesson.md", "lesson.ansi", 60, true, true, 3},
    {"lesson.md", "lesson.ascii.txt", 60, false, false, 3},
    {"tables.md", "tables.txt", 60, false, true, 1},
    {"tables.md", "tables.ansi", 60, true, true, 1},
    {"tables.md", "tables.w20.txt", 20, false, true, 1},
};
#define NGOLDEN (sizeof goldens / sizeof goldens[0])

/* tests/repl/render/NAME, found beside this file. */
static char *golden_path(const char *name)
{
	const char *slash = strrchr(__FILE__, '/');
	int dir = slash ? (int)(slash - __FILE__) : 1;
	return xasprintf("%.*s/render/%s", dir, slash ? __FILE__ : ".", name);
}

static bool read_file(const char *path, struct sbuf *sb)
{
	char buf[4096];
	size_t n;
	FILE *f = fopen(path, "rb");
	if (!f)
		return false;
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		sbuf_add(sb, buf, n);
	fclose(f);
	return true;
}

static bool write_file(const char *path, const char *s, size_t len)
{
	FILE *f = fopen(path, "wb");
	bool ok = f && fwrite(s, 1, len, f) == len;
	return f && fclose(f) == 0 && ok;
}

static cmark_node *child_of_type(cmark_node *n, cmark_node_type t)
{
	for (; n; n = cmark_node_next(n))
		if (cmark_node_get_type(n) == t)
			return n;
	return NULL;
}

/* Tags roles as the lesson parser would (see the comment at the top). */
static void tag_roles(cmark_node *doc, int number)
{
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;
	cmark_node *drop = NULL;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		const char *info, *lit;
		if (ev != CMARK_EVENT_ENTER)
			continue;
		info = cmark_node_get_fence_info(n);
		lit = cmark_node_get_literal(n);
		if (cmark_node_get_type(n) == CMARK_NODE_CODE_BLOCK && info && !strcmp(info, "lua"))
			lesson_set_node_role(n, ROLE_EXAMPLE, number++);
		if (cmark_node_get_type(n) == CMARK_NODE_HTML_BLOCK && lit &&
		    !strcmp(lit, "<!-- choices -->\n")) {
			lesson_set_node_role(cmark_node_next(n), ROLE_CHOICES, 0);
			drop = n;
		}
	}
	cmark_iter_free(it);
	if (drop)
		cmark_node_free(drop); /* unlinks it */
}

static char *render_doc(cmark_node *doc, int width, bool color, bool utf8)
{
	struct render_opts o = {width, color, utf8};
	struct sbuf out = SBUF_INIT;
	render_blocks(&out, cmark_node_first_child(doc), NULL, &o);
	return sbuf_detach(&out);
}

static char *render_file(const char *md, int width, bool color, bool utf8, int number)
{
	char *path = golden_path(md);
	struct sbuf src = SBUF_INIT;
	cmark_node *doc;
	char *out;
	if (!read_file(path, &src)) {
		printf("    cannot read %s\n", path);
		free(path);
		return NULL;
	}
	doc = cmark_parse_document(src.buf, src.len, CMARK_OPT_DEFAULT);
	mdtable_rewrite(doc, src.buf, src.len, NULL, NULL); /* as the lesson parser does */
	tag_roles(doc, number);
	out = render_doc(doc, width, color, utf8);
	cmark_node_free(doc);
	sbuf_free(&src);
	free(path);
	return out;
}

/* Prints a line with escapes made visible. */
static void show_line(const char *label, const char *s, size_t len)
{
	printf("      %s [", label);
	for (size_t i = 0; i < len; i++)
		fputs(s[i] == '\033' ? "\\e" : (char[2]){s[i], 0}, stdout);
	printf("]\n");
}

/* Reports the first line where GOT and WANT differ; true if they do not. */
static bool same_text(const char *got, const char *want)
{
	int line = 1;
	const char *g = got, *w = want;
	while (*g && *w && *g == *w) {
		if (*g == '\n') {
			line++;
			got = g + 1;
			want = w + 1;
		}
		g++, w++;
	}
	if (!*g && !*w)
		return true;
	printf("    first difference at line %d\n", line);
	show_line("got: ", got, strcspn(got, "\n"));
	show_line("want:", want, strcspn(want, "\n"));
	return false;
}

static void check_golden(const struct golden *c)
{
	char *got = render_file(c->md, c->width, c->color, c->utf8, c->first_example);
	char *path = golden_path(c->out);
	struct sbuf want = SBUF_INIT;
	bool ok;
	CHECK(got);
	if (getenv("UPDATE_GOLDEN") && *getenv("UPDATE_GOLDEN")) {
		ok = write_file(path, got, strlen(got));
		printf("    updated %s\n", path);
	} else {
		ok = read_file(path, &want);
		if (!ok)
			printf("    cannot read %s (UPDATE_GOLDEN=1 writes it)\n", path);
		ok = ok && same_text(got, sbuf_str(&want));
	}
	free(got);
	free(path);
	sbuf_free(&want);
	CHECK(ok);
}

#define GOLDEN_TEST(i)                                                                             \
	static void t_golden_##i(void)                                                             \
	{                                                                                          \
		check_golden(&goldens[i]);                                                         \
	}
GOLDEN_TEST(0)
GOLDEN_TEST(1)
GOLDEN_TEST(2)
GOLDEN_TEST(3)
GOLDEN_TEST(4)
GOLDEN_TEST(5)
GOLDEN_TEST(6)
GOLDEN_TEST(7)
GOLDEN_TEST(8)
GOLDEN_TEST(9)
GOLDEN_TEST(10)
GOLDEN_TEST(11)
GOLDEN_TEST(12)
GOLDEN_TEST(13)
GOLDEN_TEST(14)

/* Display columns of a line, escape sequences excluded. */
static size_t line_cols(const char *s, size_t len)
{
	size_t cols = 0, i = 0, start = 0;
	for (; i < len; i++) {
		if (s[i] != '\033')
			continue;
		cols += utf8_width(s + start, i - start);
		while (i < len && s[i] != 'm')
			i++;
		start = i + 1;
	}
	return cols + utf8_width(s + start, len - start);
}

/*
 * Checks what every output keeps: valid UTF-8, lines within WIDTH, no
 * trailing space, no blank line first or last, a final newline, and escape
 * bytes only in SGR sequences (and none at all without colour).
 */
static bool well_formed(const char *out, int width, bool color)
{
	size_t len = strlen(out);
	const char *p = out;
	if (!utf8_valid(out, len, NULL))
		return printf("    invalid UTF-8\n"), false;
	if (len && (out[len - 1] != '\n' || out[0] == '\n' || (len > 1 && out[len - 2] == '\n')))
		return printf("    blank line first or last, or no final newline\n"), false;
	while (*p) {
		size_t n = strcspn(p, "\n");
		const char *esc = memchr(p, '\033', n);
		if (line_cols(p, n) > (size_t)width || (n && p[n - 1] == ' ')) {
			show_line("bad line:", p, n);
			return false;
		}
		for (; esc; esc = memchr(esc + 1, '\033', n - (size_t)(esc + 1 - p))) {
			size_t k = 1 + (esc[1] == '[') + strspn(esc + 2, "0123456789;");
			if (!color || esc[1] != '[' || esc[k] != 'm') {
				show_line("stray escape:", p, n);
				return false;
			}
		}
		p += n + (p[n] == '\n');
	}
	return true;
}

static void t_every_width(void)
{
	static const char *const files[] = {"blocks.md", "wrapping.md", "lesson.md", "nesting.md",
					    "tables.md"};
	for (size_t f = 0; f < 5; f++) {
		for (int width = 20; width <= 100; width++) {
			for (int mode = 0; mode < 4; mode++) {
				bool color = mode & 1, utf8 = mode & 2;
				char *out = render_file(files[f], width, color, utf8, 1);
				bool ok = out && well_formed(out, width, color);
				if (!ok)
					printf("    %s at width %d, color %d, utf8 %d\n", files[f],
					       width, color, utf8);
				free(out);
				CHECK(ok);
			}
		}
	}
}

static char *md(const char *s, int width, bool color)
{
	struct render_opts o = {width, color, true};
	struct sbuf out = SBUF_INIT;
	render_markdown(&out, s, strlen(s), &o);
	return sbuf_detach(&out);
}

#define CHECK_MD(src, width, color, want)                                                          \
	do {                                                                                       \
		char *got_ = md(src, width, color);                                                \
		bool same_ = strcmp(got_, want) == 0;                                              \
		if (!same_)                                                                        \
			same_text(got_, want);                                                     \
		free(got_);                                                                        \
		CHECK(same_);                                                                      \
	} while (0)

static void t_feedback(void)
{
	const char *fb = "The `get` made **a** recent again.";
	CHECK_MD(fb, 60, false, "The `get` made *a* recent again.\n");
	CHECK_MD(fb, 60, true, "The \033[36mget\033[0m made \033[1ma\033[0m recent again.\n");
	CHECK_MD(fb, 12, false, "The `get`\nmade *a*\nrecent\nagain.\n");
	CHECK_MD("", 60, false, "");
	CHECK_MD("\n\n", 60, false, "");
}

static void t_wrap_edges(void)
{
	CHECK_MD("aaaa bbbbb", 10, false, "aaaa bbbbb\n");    /* exactly the width */
	CHECK_MD("aaaa bbbbbb", 10, false, "aaaa\nbbbbbb\n"); /* one over */
	CHECK_MD("abcdefghijklmnopqrstuvwxyz", 10, false,
	         "abcdefghij\nklmnopqrst\nuvwxyz\n"); /* longer than the width */
	CHECK_MD("ab abcdefghijklmnop", 10, false, "ab\nabcdefghij\nklmnop\n");
	CHECK_MD(
	    "a\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe3\x81\xae\xe3\x83\x86", 10, false,
	    "a\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe3\x81\xae\n\xe3\x83\x86\n"); /* a日本語の|テ */
	CHECK_MD("cafe\xcc\x81 cafe\xcc\x81", 9, false,
	         "cafe\xcc\x81 cafe\xcc\x81\n"); /* 9 columns */
	CHECK_MD("e\xcc\x81"
	         "e\xcc\x81"
	         "e\xcc\x81"
	         "e\xcc\x81",
	         2, false,
	         "e\xcc\x81"
	         "e\xcc\x81\n"
	         "e\xcc\x81"
	         "e\xcc\x81\n"); /* marks stay with their base */
	CHECK_MD("many     spaces\tand\ttabs", 60, false, "many spaces and tabs\n");
	CHECK_MD("`a  b`", 60, false, "`a  b`\n"); /* code keeps its spaces */
	CHECK_MD(
	    "x `aaa bbb ccc` y", 9, true,
	    "x \033[36maaa bbb\033[0m\n\033[36mccc\033[0m y\n"); /* style resumes after the break */
}

static void t_no_escape(void)
{
	/* ESC and C1 controls in every kind of text never reach the output */
	const char *src = "# h\033[31m\n\nt\033[2Jx `c\033]0;x\a` [l](u\033x) \xc2\x9b"
	                  "31m\n\n"
	                  "```lua\033[1m\nprint(1)\033[0m\n```\n\n<div>\033[5m</div>\n";
	char *plain = md(src, 40, false);
	char *color = md(src, 40, true);
	CHECK(!strchr(plain, '\033'));
	CHECK(!strstr(plain, "\xc2\x9b"));
	CHECK(well_formed(plain, 40, false));
	CHECK(well_formed(color, 40, true));
	free(plain);
	free(color);
}

static void t_invalid_utf8(void)
{
	char *out = md("bad \xff\xfe bytes \xe2\x82", 60, false);
	CHECK(utf8_valid(out, strlen(out), NULL));
	CHECK(strstr(out, "\xef\xbf\xbd"));
	free(out);
}

static void t_detached_node(void)
{
	const char *src = "- [x] b\n\n  > Because the `get` made **a** recent.\n";
	cmark_node *doc = cmark_parse_document(src, strlen(src), 0);
	cmark_node *item = cmark_node_first_child(cmark_node_first_child(doc));
	cmark_node *quote = child_of_type(cmark_node_first_child(item), CMARK_NODE_BLOCK_QUOTE);
	struct render_opts o = {60, false, true};
	struct sbuf out = SBUF_INIT;
	CHECK(quote);
	cmark_node_unlink(quote);
	cmark_node_free(doc);
	render_node(&out, quote, &o);
	CHECK_STR(out.buf, "\xe2\x94\x82 Because the `get` made *a* recent.\n");
	o.utf8 = false;
	sbuf_truncate(&out, 0);
	render_node(&out, quote, &o);
	CHECK_STR(out.buf, "| Because the `get` made *a* recent.\n");
	cmark_node_free(quote);
	sbuf_free(&out);
}

static void t_step_range(void)
{
	const char *src = "# T\n\nintro\n\n## A\n\npara a\n\n## B\n\npara b\n\n## C\n\npara c\n";
	cmark_node *doc = cmark_parse_document(src, strlen(src), 0);
	cmark_node *b = cmark_node_first_child(doc);
	struct render_opts o = {60, false, false};
	struct sbuf out = SBUF_INIT;
	for (int i = 0; i < 4; i++)
		b = cmark_node_next(b); /* T, intro, A, para a -> B */
	render_blocks(&out, b, cmark_node_next(cmark_node_next(b)), &o);
	CHECK_STR(out.buf, "B\n-\n\npara b\n");
	sbuf_truncate(&out, 0);
	render_blocks(&out, cmark_node_next(cmark_node_next(b)), NULL, &o);
	CHECK_STR(out.buf, "C\n-\n\npara c\n");
	sbuf_add(&out, "kept|", 5); /* appends, never resets */
	render_blocks(&out, b, cmark_node_next(b), &o);
	CHECK_STR(out.buf, "C\n-\n\npara c\nkept|B\n-\n");
	cmark_node_free(doc);
	sbuf_free(&out);
}

static void t_example_and_choices(void)
{
	const char *src = "```lua\nx = 1\n```\n\n```\nplain\n```\n\n1. one\n2. two\n";
	cmark_node *doc = cmark_parse_document(src, strlen(src), 0);
	cmark_node *code = cmark_node_first_child(doc);
	char *out;
	lesson_set_node_role(code, ROLE_EXAMPLE, 12);
	lesson_set_node_role(cmark_node_last_child(doc), ROLE_CHOICES, 0);
	out = render_doc(doc, 60, false, true);
	CHECK_STR(out, "  [12] lua\n    x = 1\n\n    plain\n\na) one\nb) two\n");
	free(out);
	out = render_doc(doc, 60, true, true);
	CHECK(strstr(out, "\033[36m[12]\033[0m \033[2mlua\033[0m\n    x = \033[35m1\033[0m\n"));
	CHECK(strstr(out, "\033[1;36ma)\033[0m one\n"));
	free(out);
	cmark_node_free(doc);
}

/* A very long step (a 200-fold lesson and a 100,000-word paragraph) renders
 * whole and within the width; its time is in `make bench` (enginebench). */
static void t_long_step(void)
{
	char *path = golden_path("lesson.md");
	struct sbuf src = SBUF_INIT, big = SBUF_INIT, out = SBUF_INIT;
	struct render_opts o = {80, false, true};
	CHECK(read_file(path, &src));
	for (int i = 0; i < 200; i++)
		sbuf_add(&big, src.buf, src.len);
	sbuf_repeat(&big, "word ", 100000); /* one paragraph of 100000 words */
	render_markdown(&out, big.buf, big.len, &o);
	CHECK(out.len > big.len);
	size_t words = 0;
	for (const char *line = out.buf; *line;) {
		const char *nl = strchr(line, '\n');
		size_t n = nl ? (size_t)(nl - line) : strlen(line);
		CHECK(utf8_width(line, n) <= 80);
		if (n >= 4 && strncmp(line, "word", 4) == 0)
			for (const char *w = line; (w = strstr(w, "word")) && w < line + n; w += 4)
				words++;
		line += n + (nl != NULL);
	}
	CHECK_INT(words, 100000);
	free(path);
	sbuf_free(&src);
	sbuf_free(&big);
	sbuf_free(&out);
}

/* Renders pathological input PAT_MAKE(n) in a child with a CPU limit: at
 * these sizes a linear renderer takes well under a second of CPU, one that
 * is quadratic in the input hours, and the limit (a bound for that, not a
 * speed; CPU time, which load does not inflate) kills it. */
struct patho {
	const char *name;
	const char *open, *mid, *close; /* OPEN x N, MID, CLOSE x N */
	const char *want;               /* text the output must hold */
};

static void render_patho(struct isolate_out *out, void *arg)
{
	const struct patho *p = arg;
	size_t n = 200000;
	struct sbuf md = SBUF_INIT, plain = SBUF_INIT, ansi = SBUF_INIT;
	struct render_opts o = {80, false, true}; /* without colour: marks for each node */
	sbuf_repeat(&md, p->open, n);
	sbuf_adds(&md, p->mid);
	sbuf_repeat(&md, p->close, n);
	render_markdown(&plain, md.buf, md.len, &o);
	o.color = true;
	render_markdown(&ansi, md.buf, md.len, &o);
	int found = strstr(sbuf_str(&plain), p->want) && strstr(sbuf_str(&ansi), p->want);
	isolate_puts(out, 'r', found ? "found" : "missing");
	sbuf_free(&md);
	sbuf_free(&plain);
	sbuf_free(&ansi);
}

static void t_linear(void)
{
	static const struct patho cases[] = {
		{"nested emphasis", "*", "deep", "*", "deep"},
		{"nested strong", "**", "deep", "**", "deep"},
		{"nested emphasis, underscores", "_", "deep", "_", "deep"},
		{"nested links", "[", " deep ", "](u)", "deep"},
		{"links in emphasis", "*[", " deep ", "](u)*", "deep"},
		{"nested quotes", ">", " deep", "", "deep"},
		{"nested lists", "- ", "deep", "", "deep"},
		{"nested quoted lists", "> - ", "deep", "", "deep"},
		{"emphasis after emphasis", "a *b* ", "deep", "", "deep"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct isolate_limits lim = {120, 0, 0};
		struct isolate_result res;
		isolate_run(render_patho, (void *)&cases[i], &lim, NULL, &res);
		if (getenv("RENDER_VERBOSE"))
			printf("    %s: %ld ms\n", cases[i].name, res.wall_ms);
		size_t len = 0;
		const char *r = isolate_get(&res, 'r', &len);
		if (!r || len != 5 || memcmp(r, "found", 5) != 0) {
			printf("    %s: %s\n", cases[i].name,
			       res.end == ISOLATE_TIMEOUT ? "killed at its limit: superlinear"
			       : r                        ? "rendered without its text"
							  : "the child died");
			unit_fail_(__FILE__, __LINE__, cases[i].name);
		}
		isolate_result_free(&res);
	}
}

static const struct test tests[] = {
    {"render/golden/blocks.txt", t_golden_0},
    {"render/golden/blocks.ansi", t_golden_1},
    {"render/golden/blocks.ascii.txt", t_golden_2},
    {"render/golden/blocks.w20.txt", t_golden_3},
    {"render/golden/nesting.txt", t_golden_4},
    {"render/golden/nesting.w20.txt", t_golden_5},
    {"render/golden/wrapping.txt", t_golden_6},
    {"render/golden/wrapping.ansi", t_golden_7},
    {"render/golden/wrapping.w20.txt", t_golden_8},
    {"render/golden/lesson.txt", t_golden_9},
    {"render/golden/lesson.ansi", t_golden_10},
    {"render/golden/lesson.ascii.txt", t_golden_11},
    {"render/golden/tables.txt", t_golden_12},
    {"render/golden/tables.ansi", t_golden_13},
    {"render/golden/tables.w20.txt", t_golden_14},
    {"render/every_width", t_every_width},
    {"render/feedback", t_feedback},
    {"render/wrap_edges", t_wrap_edges},
    {"render/no_escape", t_no_escape},
    {"render/invalid_utf8", t_invalid_utf8},
    {"render/detached_node", t_detached_node},
    {"render/step_range", t_step_range},
    {"render/example_and_choices", t_example_and_choices},
    {"render/long_step", t_long_step},
    {"render/linear", t_linear},
    {0},
};

int main(int argc, char **argv)
{
	_Static_assert(NGOLDEN == 15, "one test per golden");
	return run_tests(tests, argc, argv);
}
