/*
 * fuzz_regex.c — libFuzzer target for lab.jsonschema's pattern engine
 * (engine/concepts/jsonschema/regex.c).
 *
 * The bytes up to the first NUL are a pattern, the rest a subject (no NUL:
 * the input is both). A pattern is matched or refused with a reason, never
 * a crash or a hang (the NFA runs in time linear in the subject); a
 * pattern that matches X also matches X with text around it (patterns are
 * not anchored, so a match can only be lost to an anchor).
 *
 *   make fuzz && build/fuzz/fuzz_regex -max_total_time=60 tests/fuzz/corpus/fuzz_regex
 */
#include "engine/concepts/jsonschema/jsonschema.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define check(cond)                                                                                \
	((cond)                                                                                    \
	     ? (void)0                                                                             \
	     : (fprintf(stderr, "%s:%d: check(%s) failed\n", __FILE__, __LINE__, #cond), abort()))

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	const char *nul = memchr(s, 0, size);
	size_t plen = nul ? (size_t)(nul - s) : size;
	const char *subj = nul ? nul + 1 : s;
	size_t slen = nul ? size - plen - 1 : size;
	const char *why = NULL;
	int m = js_regex_match(s, plen, subj, slen, &why);
	check(m == 0 || m == 1 || (m == -1 && why));
	if (m == 1 && !memchr(s, '^', plen) && !memchr(s, '$', plen) && slen < 4000) {
		char *wide = malloc(slen + 2);
		check(wide != NULL);
		wide[0] = 'q';
		memcpy(wide + 1, subj, slen);
		wide[slen + 1] = 'q';
		check(js_regex_match(s, plen, wide, slen + 2, &why) == 1);
		free(wide);
	}
	return 0;
}
