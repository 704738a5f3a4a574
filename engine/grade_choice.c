/*
 * grade_choice.c — multiple-choice questions, graded without check code.
 *
 * The learner types letters ("b", "B", "a, c", "a c", "a and c", "(b)", "ac")
 * or the text of one choice. Anything else (a letter past the last choice, a
 * word) is unreadable: not an attempt. A question with one correct choice wants exactly
 * that one; with several, exactly the set, and a partly right set scores
 * (right picks - wrong picks) / correct choices, at least 0.
 */
#include "engine/grade_int.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

enum parse { PARSED, NOT_LETTERS, BAD_LETTER };

static int popcount(uint32_t m)
{
	int n = 0;
	for (; m; m &= m - 1)
		n++;
	return n;
}

/* Lowercase, whitespace collapsed and trimmed, a final period dropped. */
static char *simplify(const char *s)
{
	struct sbuf sb = SBUF_INIT;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (isspace(c)) {
			if (sb.len && sb.buf[sb.len - 1] != ' ')
				sbuf_addc(&sb, ' ');
		} else {
			sbuf_addc(&sb, (char)tolower(c));
		}
	}
	while (sb.len && (sb.buf[sb.len - 1] == ' ' || sb.buf[sb.len - 1] == '.'))
		sbuf_truncate(&sb, sb.len - 1);
	return sbuf_detach(&sb);
}

/* The choice whose text is ANSWER (simplified), or -1. */
static int by_text(const struct grade_request *req, const char *answer)
{
	for (size_t i = 0; i < req->nchoice; i++) {
		if (!req->choices[i].text)
			continue;
		char *t = simplify(req->choices[i].text);
		int same = strlen(t) > 1 && strcmp(t, answer) == 0;
		free(t);
		if (same)
			return (int)i;
	}
	return -1;
}

/* Reads letters from S (simplified) into *MASK; *BAD gets an out-of-range
 * letter. */
static enum parse letters(const char *s, size_t n, uint32_t *mask, char *bad)
{
	*mask = 0;
	char *copy = xstrdup(s);
	enum parse result = PARSED;
	for (char *tok = strtok(copy, " ,;/&+"); tok && result == PARSED; tok = strtok(NULL, " ,;/&+")) {
		while (*tok == '(' || *tok == '[')
			tok++;
		size_t len = strlen(tok);
		while (len && strchr(")].:", tok[len - 1]))
			tok[--len] = '\0';
		if (len == 0 || strcmp(tok, "and") == 0 || strcmp(tok, "or") == 0)
			continue;
		for (size_t i = 0; i < len && result == PARSED; i++) {
			if (tok[i] < 'a' || tok[i] > 'z') {
				result = NOT_LETTERS;
			} else if ((size_t)(tok[i] - 'a') >= n) {
				*bad = tok[i];
				result = len == 1 ? BAD_LETTER : NOT_LETTERS;
			} else {
				*mask |= 1u << (tok[i] - 'a');
			}
		}
	}
	free(copy);
	return result;
}

/* "`a`", "`a` and `c`", "`a`, `b` and `d`" */
static void add_letters(struct sbuf *sb, uint32_t mask)
{
	int total = popcount(mask), done = 0;
	for (int i = 0; i < 32; i++) {
		if (!(mask & (1u << i)))
			continue;
		if (done)
			sbuf_adds(sb, done == total - 1 ? " and " : ", ");
		sbuf_addf(sb, "`%c`", 'a' + i);
		done++;
	}
}

static void verdict_text(struct verdict *v, enum verdict_status s, double score, char *text)
{
	v->status = s;
	v->passed = s == VERDICT_PASS;
	v->score = score;
	v->feedback = text;
	v->output = xstrdup("");
	v->check_output = xstrdup("");
}

/* The feedback of a wrong pick on a question with several correct choices. */
static char *multi_feedback(uint32_t got, uint32_t want)
{
	struct sbuf sb = SBUF_INIT;
	uint32_t wrong = got & ~want, missing = want & ~got;
	sbuf_adds(&sb, "Not quite: ");
	if (wrong) {
		add_letters(&sb, wrong);
		sbuf_adds(&sb, popcount(wrong) == 1 ? " is not right" : " are not right");
	}
	if (wrong && missing)
		sbuf_adds(&sb, ", and ");
	if (missing)
		sbuf_addf(&sb, "%d of the %d right choices %s missing", popcount(missing),
			  popcount(want), popcount(missing) == 1 ? "is" : "are");
	sbuf_adds(&sb, ".");
	return sbuf_detach(&sb);
}

void grade_choices(const struct grade_request *req, struct verdict *v)
{
	uint32_t want = 0, got = 0;
	for (size_t i = 0; i < req->nchoice; i++)
		if (req->choices[i].correct)
			want |= 1u << i;
	char last = (char)('a' + req->nchoice - 1), bad = 0;
	char *answer = simplify(req->answer ? req->answer : "");
	int text = by_text(req, answer);
	enum parse p = text >= 0 ? PARSED : letters(answer, req->nchoice, &got, &bad);
	if (text >= 0)
		got = 1u << text;
	free(answer);
	v->picked = got;
	v->answer_read = p == PARSED && got != 0;
	if (p == BAD_LETTER) {
		verdict_text(v, VERDICT_UNREADABLE, 0,
			     xasprintf("There is no choice `%c`: the choices are `a` to `%c`.", bad, last));
	} else if (p == NOT_LETTERS || got == 0) {
		verdict_text(v, VERDICT_UNREADABLE, 0,
			     xasprintf("Type the letter of your choice (`a` to `%c`)%s.", last,
				       popcount(want) > 1 ? ", or several letters such as `a, c`" : ""));
	} else if (got == want) {
		verdict_text(v, VERDICT_PASS, 1, xstrdup("Correct."));
	} else if (popcount(want) == 1) {
		struct sbuf sb = SBUF_INIT;
		if (popcount(got) > 1) {
			sbuf_adds(&sb, "Pick one choice only.");
		} else {
			add_letters(&sb, got);
			sbuf_adds(&sb, " is not the answer.");
		}
		verdict_text(v, VERDICT_FAIL, 0, sbuf_detach(&sb));
	} else {
		int score = popcount(got & want) - popcount(got & ~want);
		verdict_text(v, VERDICT_FAIL, score > 0 ? (double)score / popcount(want) : 0,
			     multi_feedback(got, want));
	}
}
