/*
 * mdtable.h — tables in lesson Markdown, written as pipe tables (the GitHub
 * syntax, which libcmark alone reads as one paragraph full of pipes):
 *
 *   | kind   | the learner          | graded by |
 *   | ------ | -------------------- | --------: |
 *   | choice | types letters        |  the marks |
 *
 * A header row, a delimiter row (dashes, a colon at the right for right
 * alignment, at both ends for centred), then body rows; every row starts
 * with `|`; `\|` is a pipe inside a cell. Cells hold inline Markdown.
 *
 * mdtable_rewrite() replaces each such paragraph of a parsed document with a
 * custom block (role ROLE_TABLE, number = columns) whose children are rows
 * (custom blocks, ROLE_TABLE_ROW, number 1 for the header) whose children
 * are cells (paragraphs, ROLE_TABLE_CELL, number = enum mdtable_align), so
 * that a renderer can draw a grid. A paragraph that starts like a table but
 * is not one (no delimiter row, or one with another number of cells) is left
 * as it is and reported: learners would see a pile of pipes.
 */
#ifndef BACKLAB_MDTABLE_H
#define BACKLAB_MDTABLE_H

#include <cmark.h>
#include <stddef.h>

enum mdtable_align { MDTABLE_LEFT, MDTABLE_RIGHT, MDTABLE_CENTER };

/* Called for a paragraph that looks like a table but is not one: LINE is
 * its line in SRC (1-based), MSG says why. */
typedef void (*mdtable_problem_fn)(void *ud, int line, const char *msg);

/*
 * Rewrites the pipe tables of DOC, parsed from SRC[0..LEN), in place.
 * PROBLEM (may be NULL) hears about paragraphs that look like tables but
 * are not. Returns the number of tables made.
 */
int mdtable_rewrite(cmark_node *doc, const char *src, size_t len, mdtable_problem_fn problem,
		    void *ud);

#endif
