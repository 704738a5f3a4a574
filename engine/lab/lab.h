/*
 * lab.h — the `lab` Lua library, as the engine sees it: a registry of
 * namespaces (lab.cache, lab.hash, ...) and the table built from them.
 *
 * Each namespace is one folder, engine/concepts/NAME/, holding
 *   - the concept: plain C files with no Lua in them;
 *   - its binding: NAME_lua.c (and maybe more *_lua.c files), which defines
 *     `const struct lab_namespace lab_ns_NAME` (labkit.h);
 *   - its reference page: NAME.md, Markdown with a front matter giving the
 *     one-line summary, the namespace's semantic version and the other
 *     concept folders its C code uses. `help lab NAME` and lab.help(NAME)
 *     show this page, with `@options FN` lines expanded from the binding's
 *     option specs.
 * The registry (lab_registry[]) is generated at build time from the folders
 * that have such a page (mk/registry.c): adding a namespace touches no file
 * outside its folder. docs/HACKING.md walks through it.
 */
#ifndef BACKLAB_LAB_H
#define BACKLAB_LAB_H

#include <lauxlib.h>
#include <lua.h>

struct lab_namespace; /* labkit.h */

/* One namespace of the registry. */
struct lab_entry {
	const char *name;                /* lab.NAME */
	const struct lab_namespace *ns;  /* from its binding */
	const char *summary;             /* one line, for `help lab` */
	const char *version;             /* semantic version, "1.2.0" */
	const char *uses;                /* concept folders its C uses, space-separated */
	const char *page;                /* NAME.md without its front matter */
};

/* The registry, sorted by name, terminated by an entry with name NULL. */
extern const struct lab_entry lab_registry[];

/* The entry named NAME, or NULL. */
const struct lab_entry *lab_find(const char *name);

/*
 * Pushes a new `lab` table with every namespace opened afresh, plus
 * lab.help([name]) returning the help text as a string. Every call builds
 * new tables, so two sandbox environments never share one.       [-0, +1]
 */
void lab_push(lua_State *L);

/*
 * Tells the namespaces that draw (lab.plot) how wide the learner's terminal
 * is and whether it shows UTF-8; kept in the state's registry. Graded runs
 * do not call it and get fixed defaults, so checks see the same output
 * everywhere.
 */
void lab_configure(lua_State *L, int width, int utf8);

/*
 * The folder of course data that namespaces reading datasets (lab.sql) look
 * in: the `data/` folder of the module whose lesson is being run or graded.
 * Kept in the state's registry (a copy of DIR; NULL forgets it), so every
 * environment of the state sees the same one. The engine sets it: the
 * grader from the lesson's path, the REPL from the lesson that is open.
 * lab_datadir() gives it (NULL if unset); the string stays valid until the
 * next lab_set_datadir() on L. Setting it runs protected: it returns 0, or
 * -1 (the state out of memory) leaving the old value.             [-0, +0]
 */
int lab_set_datadir(lua_State *L, const char *dir);
const char *lab_datadir(lua_State *L);

/*
 * The data folder of the module of the lesson file LESSON_PATH
 * ("lessons/03-databases/05-sql.md" gives "lessons/03-databases/data"), in
 * a new string the caller frees; NULL if LESSON_PATH is NULL.
 */
char *lab_datadir_of(const char *lesson_path);

/*
 * The help of `lab` (NAME NULL: every namespace with its summary) or of one
 * namespace (its reference page, options expanded), as Markdown in a new
 * string the caller frees; NULL if there is no such namespace.
 */
char *lab_help_text(const char *name);

#endif
