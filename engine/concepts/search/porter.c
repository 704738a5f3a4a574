/*
 * porter.c — Porter (1980) suffix stripping. The paper's notation: a word
 * is [C](VC)^m[V]; m is the measure of the stem left before a suffix; *v*
 * the stem has a vowel; *d it ends in a double consonant; *o it ends
 * consonant-vowel-consonant, the last not w, x or y. Each step tries its
 * suffixes longest first and applies at most one rule: once the longest
 * suffix matches, a failed condition ends the step.
 */
#include "engine/concepts/search/porter.h"

#include <string.h>

struct word {
	char *b;   /* the letters */
	size_t n;  /* the current length */
};

static int porter_aeiou(char c)
{
	return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
}

/* Whether b[i] is a consonant, given PREV, whether b[i - 1] is one (any
 * value for i = 0): y is one at the start or after a vowel. */
static int porter_next(const struct word *w, size_t i, int prev)
{
	if (porter_aeiou(w->b[i]))
		return 0;
	if (w->b[i] != 'y')
		return 1;
	return i == 0 ? 1 : !prev;
}

/* 1 if b[i] is a consonant. Walks back over a run of y only (no
 * recursion: a word of a million y's costs a million steps, once). */
static int porter_cons(const struct word *w, size_t i)
{
	if (w->b[i] != 'y')
		return !porter_aeiou(w->b[i]);
	size_t j = i;
	while (j > 0 && w->b[j - 1] == 'y')
		j--;
	int c = j == 0 ? 1 : porter_aeiou(w->b[j - 1]);
	return (i - j) % 2 == 0 ? c : !c;
}

/* m, the number of VC sequences in the first K letters: the vowel to
 * consonant changes, in one pass. */
static int porter_measure(const struct word *w, size_t k)
{
	int m = 0, prev = 1;
	for (size_t i = 0; i < k; i++) {
		int c = porter_next(w, i, prev);
		if (i > 0 && c && !prev)
			m++;
		prev = c;
	}
	return m;
}

/* *v*: a vowel among the first K letters. */
static int porter_hasvowel(const struct word *w, size_t k)
{
	int prev = 1;
	for (size_t i = 0; i < k; i++) {
		prev = porter_next(w, i, prev);
		if (!prev)
			return 1;
	}
	return 0;
}

/* *d: the first K letters end in a double consonant. */
static int porter_double(const struct word *w, size_t k)
{
	return k >= 2 && w->b[k - 1] == w->b[k - 2] && porter_cons(w, k - 1);
}

/* *o: the first K letters end cvc, the last c not w, x or y. */
static int porter_cvc(const struct word *w, size_t k)
{
	if (k < 3 || !porter_cons(w, k - 1) || porter_cons(w, k - 2) || !porter_cons(w, k - 3))
		return 0;
	char c = w->b[k - 1];
	return c != 'w' && c != 'x' && c != 'y';
}

/* 1 if the word ends in S. */
static int porter_ends(const struct word *w, const char *s)
{
	size_t n = strlen(s);
	return n <= w->n && memcmp(w->b + w->n - n, s, n) == 0;
}

/* Replaces the last OLDLEN letters by S (never longer than what it replaces
 * plus one letter; the buffer had room for the original word). */
static void porter_set(struct word *w, size_t oldlen, const char *s)
{
	size_t n = strlen(s);
	memcpy(w->b + w->n - oldlen, s, n);
	w->n = w->n - oldlen + n;
}

static void porter_step1a(struct word *w)
{
	if (porter_ends(w, "sses"))
		porter_set(w, 4, "ss");
	else if (porter_ends(w, "ies"))
		porter_set(w, 3, "i");
	else if (porter_ends(w, "ss"))
		return;
	else if (porter_ends(w, "s"))
		w->n--;
}

static void porter_step1b(struct word *w)
{
	if (porter_ends(w, "eed")) {
		if (porter_measure(w, w->n - 3) > 0)
			w->n--;
		return;
	}
	size_t cut;
	if (porter_ends(w, "ed"))
		cut = 2;
	else if (porter_ends(w, "ing"))
		cut = 3;
	else
		return;
	if (!porter_hasvowel(w, w->n - cut))
		return;
	w->n -= cut;
	if (porter_ends(w, "at") || porter_ends(w, "bl") || porter_ends(w, "iz")) {
		w->b[w->n++] = 'e';    /* room: the word had "ed" or "ing" */
	} else if (porter_double(w, w->n)) {
		char c = w->b[w->n - 1];
		if (c != 'l' && c != 's' && c != 'z')
			w->n--;
	} else if (porter_measure(w, w->n) == 1 && porter_cvc(w, w->n)) {
		w->b[w->n++] = 'e';
	}
}

static void porter_step1c(struct word *w)
{
	if (porter_ends(w, "y") && porter_hasvowel(w, w->n - 1))
		w->b[w->n - 1] = 'i';
}

struct rule {
	const char *from, *to;
};

/* Applies the longest rule of RULES whose suffix the word has, when the
 * stem's measure is above MINM; returns 1 if a suffix matched at all. */
static int porter_rules(struct word *w, const struct rule *rules, int minm)
{
	const struct rule *best = NULL;
	for (const struct rule *r = rules; r->from; r++)
		if (porter_ends(w, r->from) && (!best || strlen(r->from) > strlen(best->from)))
			best = r;
	if (!best)
		return 0;
	size_t n = strlen(best->from);
	if (porter_measure(w, w->n - n) > minm)
		porter_set(w, n, best->to);
	return 1;
}

static const struct rule step2[] = {
	{"ational", "ate"}, {"tional", "tion"}, {"enci", "ence"},   {"anci", "ance"},
	{"izer", "ize"},    {"abli", "able"},   {"alli", "al"},     {"entli", "ent"},
	{"eli", "e"},       {"ousli", "ous"},   {"ization", "ize"}, {"ation", "ate"},
	{"ator", "ate"},    {"alism", "al"},    {"iveness", "ive"}, {"fulness", "ful"},
	{"ousness", "ous"}, {"aliti", "al"},    {"iviti", "ive"},   {"biliti", "ble"},
	{NULL, NULL},
};

static const struct rule step3[] = {
	{"icate", "ic"}, {"ative", ""}, {"alize", "al"}, {"iciti", "ic"},
	{"ical", "ic"},  {"ful", ""},   {"ness", ""},    {NULL, NULL},
};

static const struct rule step4[] = {
	{"al", ""},   {"ance", ""}, {"ence", ""}, {"er", ""},  {"ic", ""},   {"able", ""},
	{"ible", ""}, {"ant", ""},  {"ement", ""}, {"ment", ""}, {"ent", ""}, {"ion", ""},
	{"ou", ""},   {"ism", ""},  {"ate", ""},  {"iti", ""}, {"ous", ""},  {"ive", ""},
	{"ize", ""},  {NULL, NULL},
};

/* Step 4 with its one extra condition: -ion goes only after s or t. */
static void porter_step4(struct word *w)
{
	if (porter_ends(w, "ion") && !porter_ends(w, "tion") && !porter_ends(w, "sion")) {
		/* the longest matching suffix is "ion" (no rule is longer and
		 * ends so), and its condition fails */
		return;
	}
	porter_rules(w, step4, 1);
}

static void porter_step5(struct word *w)
{
	if (porter_ends(w, "e")) {
		int m = porter_measure(w, w->n - 1);
		if (m > 1 || (m == 1 && !porter_cvc(w, w->n - 1)))
			w->n--;
	}
	if (porter_ends(w, "ll") && porter_measure(w, w->n) > 1)
		w->n--;
}

size_t porter_stem(char *b, size_t len)
{
	struct word w = {b, len};
	porter_step1a(&w);
	porter_step1b(&w);
	porter_step1c(&w);
	porter_rules(&w, step2, 0);
	porter_rules(&w, step3, 0);
	porter_step4(&w);
	porter_step5(&w);
	return w.n;
}
