/*
 * lesson.h — one lesson file, parsed with cmark (the format is SPEC section 2
 * and docs/authoring.md).
 *
 * A lesson is read in two stages, so that listing a large course stays cheap:
 *
 *   lesson_scan()   reads the file, checks it is UTF-8, parses the front
 *                   matter and finds the exercise headings by a line scan;
 *   lesson_parse()  builds the cmark tree and cuts it into steps, examples
 *                   and exercises with their hidden blocks.
 *
 * After lesson_parse() the cmark tree is ready to show: hidden blocks (check,
 * starter, solution, wrong, hint) and choice explanations are detached from it
 * and kept in struct exercise, the "{#id}" of exercise headings and the
 * "[ ]"/"[x]" markers of choices are removed, and runnable examples and choice
 * lists are tagged so that a renderer can number and letter them
 * (lesson_node_role()).
 *
 * Problems never abort: each is recorded in lesson->diags as file:line:
 * message, and whatever could be understood is kept.
 */
#ifndef BACKLAB_LESSON_H
#define BACKLAB_LESSON_H

#include <cmark.h>
#include <stdbool.h>
#include <stddef.h>

#include "engine/base/diag.h"

/* What a fenced code block is, from the first word of its info string. */
enum block_kind {
	BLOCK_CODE,     /* shown as code: sql, text, http, none, ... */
	BLOCK_EXAMPLE,  /* `lua`: shown, numbered, runnable with `run N` */
	BLOCK_CHECK,    /* `lua check`: hidden grading code */
	BLOCK_STARTER,  /* hidden; written to the learner's file */
	BLOCK_SOLUTION, /* hidden reference: answer text or Lua */
	BLOCK_WRONG,    /* hidden known-wrong submission; repeatable */
	BLOCK_HINT,     /* hidden; revealed in order; repeatable */
};

enum block_kind block_kind_of(const char *info);

/* A hidden block's text, with where it starts in the file. */
struct block {
	char *text;
	int line;     /* line of the first line of content (after the fence) */
	char *expect; /* BLOCK_WRONG only: text the feedback must contain, or NULL */
};

enum exercise_kind {
	EX_CHOICE, /* a [ ]/[x] list; graded without check code */
	EX_ANSWER, /* a typed answer, graded by the check */
	EX_CODE,   /* a Lua file (has a starter), graded by the check */
};

struct choice {
	bool correct;
	int line;
	char *text;           /* plain text of the item, marker removed */
	cmark_node *explain;  /* detached block quote shown after answering, or NULL */
};

struct exercise {
	char *id;    /* local id from {#id}, e.g. "predict" */
	char *title; /* heading text without "Exercise:" and "{#id}" */
	int line;
	int step;    /* index of the step the exercise is */
	enum exercise_kind kind;
	struct block check;    /* text NULL when absent */
	struct block starter;  /* text NULL when absent */
	struct block solution; /* text NULL when absent */
	struct block *wrongs;
	size_t nwrong;
	struct block *hints;
	size_t nhint;
	struct choice *choices;
	size_t nchoice;
	char **allow; /* lab namespaces named by allow= in the heading ("{#id
	                 allow=rand,clock}"), NULL-terminated; never NULL after
	                 lesson_parse(). See exercise_lab_allowed(). */
};

struct step {
	char *title; /* heading text, or the lesson title for the opening step */
	int line;
	cmark_node *first; /* first top-level node of the step */
	cmark_node *end;   /* node after the last one, or NULL for end of document */
	int exercise;      /* index into lesson->ex, or -1 */
};

struct example {
	char *code;
	int line;
	int step;
};

/* Front matter. Absent strings are NULL, absent numbers 0. */
struct front {
	char *title;
	char *summary;
	int minutes;
	double timeout; /* seconds for graded runs; 0 = the default */
	char **requires; /* lesson ids, NULL-terminated (never NULL after scan) */
	char **tags;     /* NULL-terminated (never NULL after scan) */
	char **uses;     /* lab namespaces the lesson calls, NULL-terminated (never NULL
	                    after scan) */
	int uses_line;   /* line of the uses: key, for diagnostics */
	int requires_line; /* line of the requires: key, for diagnostics */
};

struct lesson {
	char *path;   /* as given to lesson_scan(), used in diagnostics */
	char *id;     /* "module/lesson" (set by the catalog) */
	char *module; /* "module" */
	struct front front;
	size_t body_offset; /* where the Markdown body starts in src */
	int body_line;      /* its line number in the file */
	bool scanned_ok; /* false if the file could not be read or is not UTF-8 */

	/* from the scan: exercise ids in order (cheap; NULL-terminated) */
	char **scan_ids;
	size_t nscan_ids;

	/* from lesson_parse() (parsed == true) */
	bool parsed;
	char *src;
	size_t len;
	cmark_node *doc;
	struct step *steps;
	size_t nstep;
	struct exercise *ex;
	size_t nex;
	struct example *examples;
	size_t nexample;

	struct diags diags;
};

/*
 * Reads and scans PATH into a new lesson. Never returns NULL: an unreadable
 * or non-UTF-8 file gives a lesson with scanned_ok false and a diagnostic.
 * Free with lesson_free().
 */
struct lesson *lesson_scan(const char *path);

/* Same for a module's module.md, whose front matter has title and summary. */
struct lesson *lesson_scan_module(const char *path);

/*
 * Same as lesson_scan() on text already in memory (copied); PATH is only used
 * in diagnostics. For tests and for `backlab new`.
 */
struct lesson *lesson_scan_text(const char *path, const char *text, size_t len);

/*
 * Parses the body with cmark (once; later calls do nothing). Returns 0, or -1
 * if the lesson cannot be shown at all (unreadable file). Diagnostics are
 * added to lesson->diags either way.
 */
int lesson_parse(struct lesson *l);

void lesson_free(struct lesson *l);

/* The exercise with local id ID, or NULL. Needs lesson_parse(). */
struct exercise *lesson_exercise(struct lesson *l, const char *id);

/*
 * A fingerprint (16 hex digits; free() it) of what grades the exercise: its
 * kind, check code and choices. When it differs from the one stored with a
 * pass, the pass is stale.
 */
char *exercise_check_hash(const struct exercise *e);

/* How a renderer should treat a node of a parsed lesson's tree. */
enum node_role {
	ROLE_PLAIN,
	ROLE_EXAMPLE, /* a code block: runnable example; *number is its 1-based number */
	ROLE_CHOICES, /* a list: multiple choice; items are lettered a), b), ... */
	ROLE_TABLE,   /* a custom block: a pipe table (engine/mdtable.h); number = columns */
	ROLE_TABLE_ROW,  /* a custom block in a table: a row; number 1 for the header */
	ROLE_TABLE_CELL, /* a paragraph in a row: a cell; number = enum mdtable_align */
};
enum node_role lesson_node_role(cmark_node *node, int *number);
/* Tags NODE (used by the parser, and by tests that build trees by hand). */
void lesson_set_node_role(cmark_node *node, enum node_role role, int number);

/* Letter of the Nth (0-based) choice: 'a'... */
#define CHOICE_LETTER(i) ((char)('a' + (i)))

#endif
