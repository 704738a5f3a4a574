/*
 * diag.h — diagnostics about lessons: "path/to/file.md:LINE: message".
 *
 * The engine never prints; it collects diagnostics here and the front end
 * decides where they go. Line numbers are 1-based; 0 means "the whole file".
 */
#ifndef BACKLAB_DIAG_H
#define BACKLAB_DIAG_H

#include <stddef.h>

struct diag {
	char *file;
	int line;
	char *msg;
};

struct diags {
	struct diag *v;
	size_t n, cap;
};

void diags_add(struct diags *d, const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* Moves every diagnostic of src to the end of dst; src is left empty. */
void diags_move(struct diags *dst, struct diags *src);
/* Sorts by file, then line, keeping insertion order among equals. */
void diags_sort(struct diags *d);
/* "file:line: msg" (or "file: msg" for line 0) into a new string; free() it. */
char *diag_format(const struct diag *dg);
void diags_free(struct diags *d);

#endif
