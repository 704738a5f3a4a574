/*
 * sandbox_explain.c — what a Lua error means when the code reached for
 * something the sandbox leaves out (io, os.execute, require...): "attempt to
 * index a nil value (global 'io')" says nothing to a learner who does not
 * know lessons run in a sandbox. See sandbox.h.
 */
#include "engine/sandbox.h"
#include "engine/base/sbuf.h"

#include <stdio.h>
#include <string.h>

/* Globals the sandbox leaves out, and fields of its os and string. */
static const char *const missing_globals[] = {
	"io", "debug", "package", "require", "dofile", "loadfile", "warn", NULL,
};
static const struct {
	const char *field, *name;
} missing_fields[] = {
	{"execute", "os.execute"}, {"remove", "os.remove"},   {"rename", "os.rename"},
	{"exit", "os.exit"},       {"getenv", "os.getenv"},   {"tmpname", "os.tmpname"},
	{"setlocale", "os.setlocale"}, {"dump", "string.dump"}, {"popen", "io.popen"},
};

char *sandbox_explain_error(const char *msg)
{
	if (!msg || !strstr(msg, "a nil value ("))
		return NULL;
	const char *what = NULL;
	for (const char *const *g = missing_globals; *g && !what; g++) {
		char pat[64];
		snprintf(pat, sizeof pat, "(global '%s')", *g);
		if (strstr(msg, pat))
			what = *g;
	}
	for (size_t i = 0; !what && i < sizeof missing_fields / sizeof *missing_fields; i++) {
		char pat[64];
		snprintf(pat, sizeof pat, "(field '%s')", missing_fields[i].field);
		if (strstr(msg, pat))
			what = missing_fields[i].name;
	}
	if (!what)
		return NULL;
	return xasprintf("%s is not available here: lessons run in a sandbox (no files, no "
			 "processes, no network; `lab` has what the lessons need).",
			 what);
}
