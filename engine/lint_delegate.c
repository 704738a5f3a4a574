/*
 * lint_delegate.c — delegate-to-the-reference submissions, generated from a
 * check's text and graded (see lint_delegate.h). The check is read with a
 * small Lua tokenizer: names, strings and comments are told apart, enough to
 * find `lab.X.F`, `submission.K` and whole `function ... end` literals.
 */
#include "engine/lint_delegate.h"
#include "engine/base/sbuf.h"
#include "engine/exercise.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

enum tok_kind { TOK_NAME, TOK_STRING, TOK_PUNCT };

struct tok {
	enum tok_kind kind;
	size_t start, end; /* bytes [start, end) of the text */
};

struct toks {
	const char *text;
	struct tok *v;
	size_t n, cap;
};

static void push_tok(struct toks *t, enum tok_kind kind, size_t start, size_t end)
{
	if (t->n == t->cap)
		t->v = xrealloc(t->v, (t->cap = t->cap ? t->cap * 2 : 64) * sizeof *t->v);
	t->v[t->n++] = (struct tok){kind, start, end};
}

/* If S[I] opens a long bracket ([[, [==[), the offset past its close (or the
 * end of the text); else 0. */
static size_t long_bracket(const char *s, size_t i)
{
	if (s[i] != '[')
		return 0;
	size_t level = 0, j = i + 1;
	while (s[j] == '=')
		level++, j++;
	if (s[j] != '[')
		return 0;
	for (j++; s[j]; j++) {
		if (s[j] != ']')
			continue;
		size_t k = j + 1, l = 0;
		while (s[k] == '=')
			l++, k++;
		if (l == level && s[k] == ']')
			return k + 1;
	}
	return j;
}

static void tokenize(struct toks *t, const char *s)
{
	t->text = s;
	for (size_t i = 0; s[i];) {
		unsigned char c = (unsigned char)s[i];
		size_t end;
		if (isspace(c)) {
			i++;
		} else if (c == '-' && s[i + 1] == '-') { /* comment */
			end = long_bracket(s, i + 2);
			i = end ? end : i + 2 + strcspn(s + i + 2, "\n");
		} else if ((end = long_bracket(s, i)) != 0) {
			push_tok(t, TOK_STRING, i, end);
			i = end;
		} else if (c == '"' || c == '\'') {
			size_t j = i + 1;
			while (s[j] && s[j] != (char)c && s[j] != '\n')
				j += s[j] == '\\' && s[j + 1] ? 2 : 1;
			end = s[j] == (char)c ? j + 1 : j;
			push_tok(t, TOK_STRING, i, end);
			i = end;
		} else if (isalpha(c) || c == '_') {
			size_t j = i;
			while (isalnum((unsigned char)s[j]) || s[j] == '_')
				j++;
			push_tok(t, TOK_NAME, i, j);
			i = j;
		} else {
			push_tok(t, TOK_PUNCT, i, i + 1);
			i++;
		}
	}
}

/* Whether token K exists and is the name or punctuation WORD. */
static int is(const struct toks *t, size_t k, const char *word)
{
	if (k >= t->n || t->v[k].kind == TOK_STRING)
		return 0;
	size_t n = t->v[k].end - t->v[k].start;
	return strlen(word) == n && memcmp(t->text + t->v[k].start, word, n) == 0;
}

static char *tok_text(const struct toks *t, size_t k)
{
	return xstrndup(t->text + t->v[k].start, t->v[k].end - t->v[k].start);
}

/* ---- lists of unique strings ---- */

struct list {
	char **v;
	size_t n;
};

/* Adds S (taken) unless it is there already. */
static void add_unique(struct list *l, char *s)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i], s) == 0) {
			free(s);
			return;
		}
	l->v = xrealloc(l->v, (l->n + 2) * sizeof *l->v);
	l->v[l->n++] = s;
	l->v[l->n] = NULL;
}

static void list_free(struct list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
}

static int in_names(char **names, const char *s)
{
	for (; *names; names++)
		if (strcmp(*names, s) == 0)
			return 1;
	return 0;
}

/* ---- what the check names ---- */

/* The fields the check reads from `submission` ("new", "pick"). */
static void submission_keys(const struct toks *t, struct list *keys)
{
	for (size_t k = 0; k + 2 < t->n; k++)
		if (is(t, k, "submission") && (is(t, k + 1, ".") || is(t, k + 1, ":")) &&
		    t->v[k + 2].kind == TOK_NAME)
			add_unique(keys, tok_text(t, k + 2));
}

/* "X.F" for every lab.X.F of the check whose X is in NAMES. */
static void lab_functions(const struct toks *t, char **names, struct list *fns)
{
	for (size_t k = 0; k + 4 < t->n; k++) {
		if (!is(t, k, "lab") || (k > 0 && is(t, k - 1, ".")) || !is(t, k + 1, ".") ||
		    t->v[k + 2].kind != TOK_NAME || !is(t, k + 3, ".") || t->v[k + 4].kind != TOK_NAME)
			continue;
		char *ns = tok_text(t, k + 2), *fn = tok_text(t, k + 4);
		if (in_names(names, ns))
			add_unique(fns, xasprintf("%s.%s", ns, fn));
		free(ns);
		free(fn);
	}
}

/* The token index of the `end` closing the block opened at token K (a
 * `function`), or t->n if it is not closed. */
static size_t block_end(const struct toks *t, size_t k)
{
	int depth = 0;
	for (size_t j = k; j < t->n; j++) {
		if (t->v[j].kind != TOK_NAME)
			continue;
		if (is(t, j, "function") || is(t, j, "do") || is(t, j, "if") || is(t, j, "repeat"))
			depth++;
		else if ((is(t, j, "end") || is(t, j, "until")) && --depth == 0)
			return j;
	}
	return t->n;
}

/* Every function of the check whose body names lab, as an anonymous
 * function expression ("function(cap) ... end"). */
static void lab_literals(const struct toks *t, struct list *lits)
{
	for (size_t k = 0; k < t->n; k++) {
		if (!is(t, k, "function"))
			continue;
		size_t close = block_end(t, k), open = k + 1;
		while (open < close && !is(t, open, "("))
			open++;                        /* past the name of `function name(` */
		if (close >= t->n || open >= close)
			continue;
		char *body = xstrndup(t->text + t->v[open].start, t->v[close].end - t->v[open].start);
		char **m = exercise_lab_mentions(body);
		if (m[0])
			add_unique(lits, xasprintf("function%s", body));
		exercise_lab_free(m);
		free(body);
	}
}

/* ---- the delegates ---- */

static void add_keyed(struct list *out, const struct list *keys, const char *value)
{
	for (size_t i = 0; i < keys->n; i++)
		add_unique(out, xasprintf("return {%s = %s}\n", keys->v[i], value));
}

char **lint_delegates(const struct exercise *e)
{
	struct list out = {xcalloc(1, sizeof(char *)), 0};
	if (e->kind != EX_CODE || !e->check.text)
		return out.v;
	char **names = exercise_lab_mentions(e->check.text);
	struct toks t = {0};
	tokenize(&t, e->check.text);
	struct list keys = {0}, fns = {0}, lits = {0};
	submission_keys(&t, &keys);
	lab_functions(&t, names, &fns);
	lab_literals(&t, &lits);
	for (char **ns = names; *ns; ns++) {
		add_unique(&out, xasprintf("return lab.%s\n", *ns));
		add_unique(&out, xasprintf("local t = {}\nfor k in pairs(lab.%s) do\n"
					   "  t[k] = function(...) return lab.%s[k](...) end\nend\n"
					   "return t\n",
					   *ns, *ns));
	}
	for (size_t i = 0; i < lits.n; i++) {
		add_unique(&out, xasprintf("return %s\n", lits.v[i]));
		add_keyed(&out, &keys, lits.v[i]);
	}
	for (size_t i = 0; i < fns.n; i++) {
		char *fwd = xasprintf("function(...) return lab.%s(...) end", fns.v[i]);
		add_unique(&out, xasprintf("return lab.%s\n", fns.v[i]));
		add_unique(&out, xasprintf("return %s\n", fwd));
		add_keyed(&out, &keys, fwd);
		free(fwd);
	}
	for (size_t i = LINT_DELEGATE_MAX; i < out.n; i++) {
		free(out.v[i]);
		out.v[i] = NULL;
	}
	list_free(&keys);
	list_free(&fns);
	list_free(&lits);
	free(t.v);
	exercise_lab_free(names);
	return out.v;
}

void lint_delegates_free(char **sources)
{
	for (char **p = sources; p && *p; p++)
		free(*p);
	free(sources);
}

/* The first line of SRC, cut to about 60 bytes, for a message. */
static char *summary(const char *src)
{
	size_t n = strcspn(src, "\n");
	if (n > 60)
		n = 60;
	while (n > 0 && ((unsigned char)src[n] & 0xC0) == 0x80)
		n--;                                   /* not inside a UTF-8 sequence */
	return xasprintf("%.*s%s", (int)n, src, src[n] && src[n] != '\n' ? "…" : "");
}

size_t lint_delegates_check(const struct lesson *l, const struct exercise *e, uint64_t seed,
			    struct diags *d)
{
	char **srcs = lint_delegates(e);
	size_t runs = 0;
	for (char **s = srcs; *s; s++) {
		struct verdict v;
		runs++;
		exercise_grade(l, e, *s, "delegate.lua", seed, NULL, &v);
		if (v.passed) {
			char *what = summary(*s);
			diags_add(d, l->path, e->line,
				  "exercise '%s': a file that hands back lab's own reference passes "
				  "(`%s`): the learner's file must not reach what the check compares "
				  "with (narrow allow=, see docs/authoring.md)",
				  e->id, what);
			free(what);
			verdict_free(&v);
			break;                         /* one is enough to say it */
		}
		verdict_free(&v);
	}
	lint_delegates_free(srcs);
	return runs;
}
