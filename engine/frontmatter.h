/*
 * frontmatter.h — the `---`-fenced `key: value` block at the top of a lesson
 * (and of a module's module.md).
 *
 *   ---
 *   title: LRU eviction
 *   summary: Evict the least recently used key.
 *   minutes: 20
 *   requires: caching/basics, caching/ttl
 *   timeout: 10
 *   tags: eviction, policies
 *   uses: cache, rand
 *   ---
 *
 * Values may be wrapped in double quotes; lists are comma-separated, with
 * optional [ ]. Blank lines and lines starting with # are ignored. Unknown and
 * repeated keys are errors, as is a missing title.
 */
#ifndef BACKLAB_FRONTMATTER_H
#define BACKLAB_FRONTMATTER_H

#include "engine/base/diag.h"
#include "engine/lesson.h"

enum front_kind {
	FRONT_LESSON, /* title, summary, minutes, requires, timeout, tags, uses */
	FRONT_MODULE, /* title, summary, requires (module ids) */
};

/*
 * Parses the front matter at the start of SRC into OUT (which it fills from
 * zero; free with front_free). Sets *BODY_OFFSET and *BODY_LINE to where the
 * Markdown body starts (the whole file when there is no front matter).
 * Problems are added to D with PATH. Returns 0, or -1 when the front matter
 * is missing or unterminated (OUT is still usable, with what was understood).
 */
int front_parse(const char *path, const char *src, size_t len, enum front_kind kind,
		struct front *out, size_t *body_offset, int *body_line, struct diags *d);
void front_free(struct front *f);

/* Splits "a, b, [c]" into a NULL-terminated array of new strings. */
char **front_list(const char *value);
void front_list_free(char **list);

#endif
