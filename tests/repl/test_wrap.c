/* Unit tests of repl/wrap.c: the line writer under the renderer. */
#include "unit.h"

#include "repl/wrap.h"

static struct sbuf out;
static struct wrap w;

static void start(int width, bool color)
{
	sbuf_truncate(&out, 0);
	wrap_init(&w, &out, width, color);
}

/* Ends the writing; returns the output (valid until the next start()). */
static const char *done(void)
{
	wrap_finish(&w);
	return sbuf_str(&out);
}

static void t_words(void)
{
	start(11, false);
	wrap_text(&w, "one two  three\nfour", 19, 0);
	CHECK_STR(done(), "one two\nthree four\n");
	start(11, false);
	wrap_text(&w, "sp", 2, 0);
	wrap_text(&w, "lit", 3, WRAP_BOLD); /* pieces of one word stay together */
	wrap_text(&w, " word ", 6, 0);
	wrap_text(&w, "longerthanaline", 15, 0);
	CHECK_STR(done(), "split word\nlongerthana\nline\n");
}

static void t_prefixes(void)
{
	start(12, false);
	wrap_push(&w, "- ", 0, "  ", 0);
	wrap_text(&w, "a hanging indent", 16, 0);
	wrap_cr(&w);
	wrap_pop(&w);
	wrap_push(&w, "- ", 0, "  ", 0);
	wrap_pop(&w); /* an empty item still shows its marker */
	CHECK_STR(done(), "- a hanging\n  indent\n-\n");
}

static void t_blank_lines(void)
{
	start(20, false);
	wrap_blank(&w); /* nothing before: no blank line */
	wrap_push(&w, "> ", 0, "> ", 0);
	wrap_text(&w, "q1", 2, 0);
	wrap_blank(&w);
	wrap_text(&w, "q2", 2, 0);
	wrap_blank(&w);
	wrap_pop(&w); /* the blank line due now has no bar */
	wrap_text(&w, "after", 5, 0);
	wrap_blank(&w);
	wrap_blank(&w); /* one blank line, and none at the end */
	CHECK_STR(done(), "> q1\n>\n> q2\n\nafter\n");
}

static void t_break_and_pre(void)
{
	start(14, false);
	wrap_text(&w, "a", 1, 0);
	wrap_break(&w);
	wrap_break(&w); /* an empty line */
	wrap_push(&w, "  ", 0, "+ ", 0);
	wrap_pre(&w, "x\ty  z 123456", 13, 0);
	wrap_break(&w);
	wrap_pop(&w);
	CHECK_STR(done(), "a\n\n  x   y  z 123\n+ 456\n"); /* tab to column 4 */
}

static void t_color(void)
{
	start(12, true);
	wrap_push(&w, "| ", WRAP_DIM, "| ", WRAP_DIM);
	wrap_text(&w, "bold words wrap", 15, WRAP_BOLD);
	wrap_pop(&w);
	/* the style is reset at each line's end and resumed after the prefix */
	CHECK_STR(done(), "\033[2m|\033[0m \033[1mbold words\033[0m\n"
	                  "\033[2m|\033[0m \033[1mwrap\033[0m\n");
	start(20, true);
	wrap_text(&w, "a", 1, WRAP_BOLD | WRAP_CYAN);
	wrap_text(&w, "b", 1, WRAP_ITALIC | WRAP_UNDERLINE);
	wrap_text(&w, "c\033[31m", 6, 0); /* ESC in the text is dropped */
	CHECK_STR(done(), "\033[1;36ma\033[0;3;4mb\033[0mc[31m\n");
	start(20, false);
	wrap_text(&w, "no\033 escape", 10, WRAP_BOLD);
	CHECK_STR(done(), "no escape\n");
}

static void t_measure_and_merge(void)
{
	start(10, false);
	wrap_measure(&w);
	wrap_text(&w, "abc defghij k", 13, 0);
	wrap_cr(&w);
	CHECK_INT(wrap_widest(&w), 9);
	CHECK_INT(wrap_avail(&w), 10);
	wrap_push(&w, "      ", 0, "      ", 0);
	CHECK_INT(wrap_avail(&w), 10); /* never less than WRAP_MIN_TEXT */
	wrap_pop(&w);
	done();
	CHECK_INT(wrap_style_merge(WRAP_BOLD | WRAP_CYAN, WRAP_ITALIC),
	          WRAP_BOLD | WRAP_ITALIC | WRAP_CYAN);
	CHECK_INT(wrap_style_merge(WRAP_CYAN, WRAP_GREEN | WRAP_DIM), WRAP_GREEN | WRAP_DIM);
}

static void t_cleanup(void)
{
	sbuf_free(&out);
}

static const struct test tests[] = {
    {"wrap/words", t_words},
    {"wrap/prefixes", t_prefixes},
    {"wrap/blank_lines", t_blank_lines},
    {"wrap/break_and_pre", t_break_and_pre},
    {"wrap/color", t_color},
    {"wrap/measure_and_merge", t_measure_and_merge},
    {"wrap/cleanup", t_cleanup},
    {0},
};

int main(int argc, char **argv)
{
	return run_tests(tests, argc, argv);
}
