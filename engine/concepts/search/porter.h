/*
 * porter.h — the Porter stemmer, as published: M. F. Porter, "An algorithm
 * for suffix stripping", Program 14(3), 130-137, 1980. The original
 * algorithm (steps 1a to 5b), without the later "Martin extensions": its
 * output equals the snowball-data porter/output.txt list (tested against a
 * sample in tests/engine/concepts/search/data/).
 *
 * Words are ASCII lowercase; any byte other than a, e, i, o, u (and y after
 * a consonant) counts as a consonant, so an apostrophe or a UTF-8 byte
 * passes through unchanged.
 */
#ifndef BACKLAB_PORTER_H
#define BACKLAB_PORTER_H

#include <stddef.h>

/* Stems the LEN bytes at W in place and returns the stem's length (never
 * more than LEN). Never fails. */
size_t porter_stem(char *w, size_t len);

#endif
