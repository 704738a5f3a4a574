/* Unit tests of engine/lesson.c and engine/frontmatter.c: the lesson format. */
#include "unit.h"
#include "engine/exercise.h"
#include "engine/lesson.h"
#include "engine/base/sbuf.h"

static struct lesson *parse(const char *text)
{
	struct lesson *l = lesson_scan_text("t.md", text, strlen(text));
	lesson_parse(l);
	return l;
}

/* The diagnostics as "LINE: message" lines, for compact comparisons. */
static char *diags_of(struct lesson *l)
{
	struct sbuf sb = SBUF_INIT;
	diags_sort(&l->diags);
	for (size_t i = 0; i < l->diags.n; i++)
		sbuf_addf(&sb, "%d: %s\n", l->diags.v[i].line, l->diags.v[i].msg);
	return sbuf_detach(&sb);
}

/* True if some diagnostic is on LINE and contains WORDS. */
static int has_diag(struct lesson *l, int line, const char *words)
{
	for (size_t i = 0; i < l->diags.n; i++)
		if (l->diags.v[i].line == line && strstr(l->diags.v[i].msg, words))
			return 1;
	printf("    no diagnostic at line %d containing '%s'; have:\n", line, words);
	char *d = diags_of(l);
	printf("%s", d);
	free(d);
	return 0;
}

#define GOOD                                                                         \
	"---\n"                                                                      \
	"title: LRU eviction\n"                                                      \
	"summary: \"Evict: the least recently used\"\n"                              \
	"minutes: 20\n"                                                              \
	"requires: caching/basics, caching/ttl\n"                                    \
	"timeout: 2.5s\n"                                                            \
	"tags: [eviction, lru]\n"                                                    \
	"---\n"                                                                      \
	"\n"                                                                         \
	"# LRU eviction\n"                                                           \
	"\n"                                                                         \
	"Intro.\n"                                                                   \
	"\n"                                                                         \
	"```lua\n"                                                                   \
	"print(1)\n"                                                                 \
	"```\n"                                                                      \
	"\n"                                                                         \
	"## Why\n"                                                                   \
	"\n"                                                                         \
	"```sql\nSELECT 1;\n```\n"                                                   \
	"\n"                                                                         \
	"```lua\nprint(2)\n```\n"                                                    \
	"\n"                                                                         \
	"## Exercise: Predict the eviction {#predict}\n"                             \
	"\n"                                                                         \
	"Which key?\n"                                                               \
	"\n"                                                                         \
	"```lua check\nexpect(answer):equals(\"b\")\n```\n"                          \
	"```hint\nfirst\n```\n"                                                      \
	"```hint\nsecond\n```\n"                                                     \
	"```solution\nb\n```\n"                                                      \
	"```wrong \"recent again\"\na\n```\n"                                        \
	"```lua wrong\nc\n```\n"                                                     \
	"\n"                                                                         \
	"## Exercise: Pick {#pick}\n"                                                \
	"\n"                                                                         \
	"- [ ] LRU\n"                                                                \
	"  > LRU keeps recency.\n"                                                   \
	"- [x] **FIFO** queue\n"                                                     \
	"- [ ] `CLOCK`\n"                                                            \
	"\n"                                                                         \
	"## Exercise: Build it {#build}\n"                                           \
	"\n"                                                                         \
	"```lua starter\nreturn {}\n```\n"                                           \
	"```lua check\nassert(submission)\n```\n"                                    \
	"```lua solution\nreturn {1}\n```\n"                                         \
	"```lua wrong\nreturn nil\n```\n"

static void t_front_matter(void)
{
	struct lesson *l = parse(GOOD);
	CHECK_INT(l->diags.n, 0);
	CHECK_STR(l->front.title, "LRU eviction");
	CHECK_STR(l->front.summary, "Evict: the least recently used");
	CHECK_INT(l->front.minutes, 20);
	CHECK(l->front.timeout == 2.5);
	CHECK_STR(l->front.requires[0], "caching/basics");
	CHECK_STR(l->front.requires[1], "caching/ttl");
	CHECK(l->front.requires[2] == NULL);
	CHECK_INT(l->front.requires_line, 5);
	CHECK_STR(l->front.tags[1], "lru");
	CHECK_INT(l->body_line, 9);
	lesson_free(l);
}

static void t_steps_and_examples(void)
{
	struct lesson *l = parse(GOOD);
	CHECK_INT(l->nstep, 5);
	CHECK_STR(l->steps[0].title, "LRU eviction");
	CHECK_INT(l->steps[0].line, 10);
	CHECK_STR(l->steps[1].title, "Why");
	CHECK_INT(l->steps[1].line, 18);
	CHECK_STR(l->steps[2].title, "Exercise: Predict the eviction");
	CHECK_INT(l->steps[2].exercise, 0);
	CHECK_INT(l->steps[3].exercise, 1);
	CHECK(l->steps[1].end == l->steps[2].first);
	CHECK(l->steps[4].end == NULL);
	CHECK_INT(l->nexample, 2);
	CHECK_STR(l->examples[0].code, "print(1)\n");
	CHECK_INT(l->examples[0].line, 15);
	CHECK_INT(l->examples[1].step, 1);
	int num = 0;
	/* the second step: heading, sql block, example [2] */
	cmark_node *n = cmark_node_next(cmark_node_next(l->steps[1].first));
	CHECK(lesson_node_role(n, &num) == ROLE_EXAMPLE);
	CHECK_INT(num, 2);
	CHECK(lesson_node_role(cmark_node_next(l->steps[1].first), &num) == ROLE_PLAIN);
	lesson_free(l);
}

static void t_exercise_blocks(void)
{
	struct lesson *l = parse(GOOD);
	struct exercise *e = lesson_exercise(l, "predict");
	CHECK(e);
	CHECK(e->kind == EX_ANSWER);
	CHECK_STR(e->title, "Predict the eviction");
	CHECK_INT(e->line, 28);
	CHECK_STR(e->check.text, "expect(answer):equals(\"b\")\n");
	CHECK_INT(e->check.line, 33);
	CHECK_INT(e->nhint, 2);
	CHECK_STR(e->hints[1].text, "second\n");
	CHECK_STR(e->solution.text, "b\n");
	CHECK_INT(e->nwrong, 2);
	CHECK_STR(e->wrongs[0].expect, "recent again");
	CHECK(e->wrongs[1].expect == NULL);
	CHECK_STR(e->wrongs[1].text, "c\n");
	e = lesson_exercise(l, "build");
	CHECK(e && e->kind == EX_CODE);
	CHECK_STR(e->starter.text, "return {}\n");
	CHECK(lesson_exercise(l, "nope") == NULL);
	/* hidden blocks are gone from the tree, the heading lost its {#id} */
	char *md = cmark_render_commonmark(l->doc, 0, 0);
	CHECK(strstr(md, "expect(answer)") == NULL);
	CHECK(strstr(md, "return {}") == NULL);
	CHECK(strstr(md, "first") == NULL);
	CHECK(strstr(md, "{#") == NULL);
	CHECK(strstr(md, "## Exercise: Predict the eviction\n") != NULL);
	free(md);
	lesson_free(l);
}

static void t_choices(void)
{
	struct lesson *l = parse(GOOD);
	struct exercise *e = lesson_exercise(l, "pick");
	CHECK(e && e->kind == EX_CHOICE);
	CHECK_INT(e->nchoice, 3);
	CHECK(!e->choices[0].correct && e->choices[1].correct && !e->choices[2].correct);
	CHECK_STR(e->choices[0].text, "LRU");
	CHECK_STR(e->choices[1].text, "FIFO queue");
	CHECK_STR(e->choices[2].text, "CLOCK");
	CHECK(e->choices[0].explain != NULL);
	CHECK(cmark_node_get_type(e->choices[0].explain) == CMARK_NODE_BLOCK_QUOTE);
	CHECK_INT(e->choices[1].line, 55);
	char *md = cmark_render_commonmark(l->doc, 0, 0);
	CHECK(strstr(md, "[x]") == NULL && strstr(md, "[ ]") == NULL);
	CHECK(strstr(md, "LRU keeps recency") == NULL);
	CHECK(strstr(md, "**FIFO** queue") != NULL);
	free(md);
	lesson_free(l);
}

static void t_check_hash(void)
{
	struct lesson *a = parse(GOOD);
	char *h1 = exercise_check_hash(lesson_exercise(a, "predict"));
	char *h2 = exercise_check_hash(lesson_exercise(a, "pick"));
	CHECK_INT(strlen(h1), 16);
	CHECK(strcmp(h1, h2) != 0);
	struct sbuf sb = SBUF_INIT;
	sbuf_adds(&sb, GOOD);
	/* rewording the question keeps the hash; changing the check does not */
	char *p = strstr(sb.buf, "Which key?");
	memcpy(p, "WHICH KEY?", 10);
	struct lesson *b = parse(sb.buf);
	char *h3 = exercise_check_hash(lesson_exercise(b, "predict"));
	CHECK_STR(h3, h1);
	p = strstr(sb.buf, "equals(\"b\")");
	p[8] = 'c';
	struct lesson *c = parse(sb.buf);
	char *h4 = exercise_check_hash(lesson_exercise(c, "predict"));
	CHECK(strcmp(h4, h1) != 0);
	free(h1), free(h2), free(h3), free(h4);
	sbuf_free(&sb);
	lesson_free(a), lesson_free(b), lesson_free(c);
}

/* "{#id allow=...}": the id, the list, what the submission's lab holds */
static void t_allow(void)
{
	struct lesson *l = parse("---\ntitle: T\n---\n# T\n\n"
				 "## Exercise: Ring {#ring allow=hash.ketama,clock}\n\n"
				 "```lua check\nlocal r = lab.hash.ring{} local p = lab[\"plot\"]\n```\n"
				 "```starter\nreturn {}\n```\n```solution\nreturn 1\n```\n"
				 "```wrong\nreturn 2\n```\n"
				 "## Exercise: Plain {#plain}\n\n"
				 "```lua check\nreturn\n```\n```starter\nreturn {}\n```\n"
				 "```solution\nreturn 1\n```\n```wrong\nreturn 2\n```\n");
	CHECK_INT(l->diags.n, 0);
	CHECK_INT(l->nscan_ids, 2);
	CHECK_STR(l->scan_ids[0], "ring");
	struct exercise *e = lesson_exercise(l, "ring");
	CHECK(e != NULL);
	CHECK_STR(e->title, "Ring");
	CHECK_STR(e->allow[0], "hash.ketama");
	CHECK_STR(e->allow[1], "clock");
	CHECK(e->allow[2] == NULL);
	char **m = exercise_lab_mentions(e->check.text);
	CHECK_STR(m[0], "hash");
	CHECK_STR(m[1], "plot");
	CHECK(m[2] == NULL);
	exercise_lab_free(m);
	/* rand and clock by default, plot taken (the check names it), the allowed added */
	char **a = exercise_lab_allowed(e);
	CHECK_STR(a[0], "rand");
	CHECK_STR(a[1], "clock");
	CHECK_STR(a[2], "hash.ketama");
	CHECK(a[3] == NULL);
	exercise_lab_free(a);
	a = exercise_lab_allowed(lesson_exercise(l, "plain"));
	CHECK_STR(a[0], "rand");
	CHECK_STR(a[1], "clock");
	CHECK_STR(a[2], "plot");
	CHECK(a[3] == NULL);
	exercise_lab_free(a);
	/* the allowed list is part of what grades the exercise */
	char *h1 = exercise_check_hash(e);
	free(e->allow[1]);
	e->allow[1] = NULL;
	char *h2 = exercise_check_hash(e);
	CHECK(strcmp(h1, h2) != 0);
	free(h1), free(h2);
	lesson_free(l);
}

static void t_err_allow(void)
{
	struct lesson *l = parse("---\ntitle: T\n---\n# T\n\n"
				 "## Exercise: A {#a allow=cahce,hash.ketama deny=x}\n\n"
				 "```lua check\nreturn\n```\n```starter\nreturn {}\n```\n"
				 "```solution\nreturn 1\n```\n```wrong\nreturn 2\n```\n"
				 "## Exercise: B {#b allow=clock}\n\n"
				 "```lua check\nreturn\n```\n```solution\n1\n```\n```wrong\n2\n```\n");
	CHECK(has_diag(l, 6, "allow= names 'cahce', which is not in a lab namespace"));
	CHECK(has_diag(l, 6, "unknown attribute 'deny=x'"));
	CHECK(has_diag(l, 20, "allow= is for code exercises"));
	CHECK_STR(lesson_exercise(l, "a")->allow[0], "hash.ketama");
	CHECK(exercise_lab_allowed(lesson_exercise(l, "b")) == NULL);
	lesson_free(l);
}

/* control characters in a lesson never reach the terminal */
static void t_err_controls(void)
{
	struct lesson *l = parse("---\ntitle: T\x1b]52;c;aGk=\x07\n---\n# T\n\n"
				 "Text \xc2\x9b" "2J and\ttab.\n");
	CHECK(has_diag(l, 2, "3 control characters (the first is U+001B)"));
	CHECK_STR(l->front.title, "T?]52;c;aGk=?");
	CHECK(!memchr(l->src, 0x1b, l->len) && !strstr(l->src, "\xc2\x9b"));
	CHECK(strstr(l->src, "Text ??2J and\ttab."));
	lesson_free(l);
}

/* ---- every diagnostic, with its line ---- */

static void t_err_missing_front_matter(void)
{
	struct lesson *l = parse("# Hello\n\ntext\n");
	CHECK(has_diag(l, 1, "missing front matter"));
	CHECK_INT(l->nstep, 1); /* still shown */
	lesson_free(l);
}

static void t_err_unterminated_front_matter(void)
{
	struct lesson *l = parse("---\ntitle: x\n\n# Hello\n");
	CHECK(has_diag(l, 1, "unterminated front matter"));
	lesson_free(l);
}

static void t_err_unknown_key(void)
{
	struct lesson *l = parse("---\ntitle: x\nlevel: 3\n---\n# x\n");
	CHECK(has_diag(l, 3, "unknown front matter key 'level'"));
	CHECK(has_diag(l, 3, "known: title, summary, minutes, requires, timeout, tags"));
	lesson_free(l);
}

static void t_err_missing_title(void)
{
	struct lesson *l = parse("---\nsummary: s\n---\n# x\n");
	CHECK(has_diag(l, 1, "no 'title'"));
	lesson_free(l);
}

static void t_err_bad_values(void)
{
	struct lesson *l = parse("---\ntitle: x\nminutes: soon\ntimeout: -1\ntitle: y\nnokey\n---\n# x\n");
	CHECK(has_diag(l, 3, "minutes must be a whole number"));
	CHECK(has_diag(l, 4, "timeout must be a number of seconds"));
	CHECK(has_diag(l, 5, "'title' is given twice (first on line 2)"));
	CHECK(has_diag(l, 6, "expected 'key: value'"));
	lesson_free(l);
}

static void t_err_duplicate_exercise(void)
{
	struct lesson *l = parse("---\ntitle: x\n---\n# x\n\n"
				 "## Exercise: One {#same}\n\n- [x] a\n- [ ] b\n\n"
				 "## Exercise: Two {#same}\n\n- [x] a\n- [ ] b\n");
	CHECK(has_diag(l, 11, "duplicate exercise id 'same' (also on line 6)"));
	lesson_free(l);
}

static void t_err_unterminated_fence(void)
{
	struct lesson *l = parse("---\ntitle: x\n---\n# x\n\n```lua\nprint(1)\n\n## Next\n");
	CHECK(has_diag(l, 6, "unterminated code fence"));
	lesson_free(l);
	/* a longer closing fence closes; a shorter one does not */
	l = parse("---\ntitle: x\n---\n# x\n\n````\na\n```\n`````\n");
	CHECK_INT(l->diags.n, 0);
	lesson_free(l);
	l = parse("---\ntitle: x\n---\n# x\n\n~~~~\na\n~~~\n");
	CHECK(has_diag(l, 6, "no closing ~~~~ line"));
	lesson_free(l);
}

static void t_err_backtick_info(void)
{
	struct lesson *l = parse("---\ntitle: x\n---\n# x\n\n```wrong says `a`\nb\n```\n");
	CHECK(has_diag(l, 6, "not a code fence"));
	lesson_free(l);
}

static void t_err_exercise_without_check(void)
{
	struct lesson *l = parse("---\ntitle: x\n---\n# x\n\n## Exercise: Empty {#e}\n\nWords.\n");
	CHECK(has_diag(l, 6, "neither a `lua check` block nor a [ ]/[x] choice list"));
	lesson_free(l);
}

static void t_err_not_utf8(void)
{
	struct lesson *l = parse("---\ntitle: caf\xe9\n---\n");
	CHECK(has_diag(l, 2, "not UTF-8 (byte 0xE9 at offset 14)"));
	CHECK(!l->scanned_ok);
	CHECK(lesson_parse(l) == -1);
	lesson_free(l);
}

static void t_err_unreadable(void)
{
	struct lesson *l = lesson_scan("/nonexistent/dir/01-x.md");
	CHECK(has_diag(l, 0, "cannot read the file: No such file or directory"));
	CHECK(lesson_parse(l) == -1);
	lesson_free(l);
}

static void t_err_exercise_shape(void)
{
	struct lesson *l = parse("---\ntitle: x\n---\n# x\n\n"
				 "```hint\nstray\n```\n\n"              /* 6 */
				 "## Exercise: No id\n\n"               /* 10 */
				 "```lua check\nerror()\n```\n\n"       /* 12 */
				 "## Exercise: Two checks {#two}\n\n"   /* 16 */
				 "```lua check\na()\n```\n"             /* 18 */
				 "```lua check\nb()\n```\n"             /* 21 */
				 "```solution\nx\n```\n```wrong\ny\n```\n"
				 "## Exercise: Choice {#ch}\n\n"        /* 30 */
				 "- [ ] a\n- b\n\n"                     /* 32 */
				 "## Exercise: All right {#all}\n\n"    /* 35 */
				 "- [x] a\n- [x] b\n\n"
				 "```lua check\nx()\n```\n");           /* 40 */
	CHECK(has_diag(l, 6, "a `hint` block outside an exercise"));
	CHECK(has_diag(l, 10, "exercise heading has no id"));
	CHECK(has_diag(l, 10, "has no `solution` block"));
	CHECK(has_diag(l, 10, "has no `wrong` block"));
	CHECK(has_diag(l, 21, "a second `lua check` block (the first is on line 18)"));
	CHECK(has_diag(l, 32, "some items of this choice list have no [ ] or [x] mark"));
	CHECK(has_diag(l, 35, "every choice is marked [x]"));
	CHECK(has_diag(l, 40, "takes no `lua check` block"));
	lesson_free(l);
}

static void t_err_heading_in_list(void)
{
	struct lesson *l = parse("---\ntitle: x\n---\n# x\n\n"
				 "> ## Exercise: Quoted {#q}\n");
	/* the scan sees no exercise either (it needs '##' at the line start) */
	CHECK_INT(l->nex, 0);
	CHECK_INT(l->diags.n, 0);
	lesson_free(l);
}

static void t_block_kinds(void)
{
	CHECK(block_kind_of("lua") == BLOCK_EXAMPLE);
	CHECK(block_kind_of("lua check") == BLOCK_CHECK);
	CHECK(block_kind_of("check") == BLOCK_CODE);
	CHECK(block_kind_of("starter") == BLOCK_STARTER);
	CHECK(block_kind_of("lua starter") == BLOCK_STARTER);
	CHECK(block_kind_of("solution") == BLOCK_SOLUTION);
	CHECK(block_kind_of("wrong feedback words") == BLOCK_WRONG);
	CHECK(block_kind_of("hint") == BLOCK_HINT);
	CHECK(block_kind_of("sql") == BLOCK_CODE);
	CHECK(block_kind_of("") == BLOCK_CODE);
	CHECK(block_kind_of(NULL) == BLOCK_CODE);
}

static void t_opening_step_only_heading(void)
{
	struct lesson *l = parse("---\ntitle: T\n---\n## First\n\nA\n\n## Second\n\nB\n");
	CHECK_INT(l->nstep, 2);
	CHECK_STR(l->steps[0].title, "First");
	CHECK_INT(l->diags.n, 0);
	lesson_free(l);
	l = parse("---\ntitle: T\n---\n\n");
	CHECK(has_diag(l, 4, "no content"));
	lesson_free(l);
}

static void t_bom_and_crlf(void)
{
	struct lesson *l = parse("\xEF\xBB\xBF---\r\ntitle: Win\r\n---\r\n# Win\r\n\r\ntext\r\n");
	CHECK_INT(l->diags.n, 0);
	CHECK_STR(l->front.title, "Win");
	CHECK_INT(l->nstep, 1);
	lesson_free(l);
}

static const struct test tests[] = {
	{"lesson/front_matter", t_front_matter},
	{"lesson/steps_and_examples", t_steps_and_examples},
	{"lesson/exercise_blocks", t_exercise_blocks},
	{"lesson/choices", t_choices},
	{"lesson/check_hash", t_check_hash},
	{"lesson/allow", t_allow},
	{"lesson/err/allow", t_err_allow},
	{"lesson/err/controls", t_err_controls},
	{"lesson/block_kinds", t_block_kinds},
	{"lesson/opening_step_only_heading", t_opening_step_only_heading},
	{"lesson/bom_and_crlf", t_bom_and_crlf},
	{"lesson/err/missing_front_matter", t_err_missing_front_matter},
	{"lesson/err/unterminated_front_matter", t_err_unterminated_front_matter},
	{"lesson/err/unknown_key", t_err_unknown_key},
	{"lesson/err/missing_title", t_err_missing_title},
	{"lesson/err/bad_values", t_err_bad_values},
	{"lesson/err/duplicate_exercise", t_err_duplicate_exercise},
	{"lesson/err/unterminated_fence", t_err_unterminated_fence},
	{"lesson/err/exercise_without_check", t_err_exercise_without_check},
	{"lesson/err/backtick_info", t_err_backtick_info},
	{"lesson/err/not_utf8", t_err_not_utf8},
	{"lesson/err/unreadable", t_err_unreadable},
	{"lesson/err/exercise_shape", t_err_exercise_shape},
	{"lesson/err/heading_in_quote", t_err_heading_in_list},
	{0},
};

int main(int argc, char **argv)
{
	return run_tests(tests, argc, argv);
}
