/*
 * trace.h — W3C Trace Context (W3C Recommendation, 23 November 2021) and
 * traces assembled from spans.
 *
 * traceparent (section 3.2): version "-" trace-id "-" parent-id "-"
 * trace-flags, all lowercase hex (HEXDIGLC): 2, 32, 16 and 2 digits. Version
 * ff is forbidden; an all-zero trace-id or parent-id is invalid; version 00
 * is exactly 55 characters; a higher version is read by its first 55
 * characters, which must be followed by the end or a dash (3.2.4
 * "Versioning of traceparent").
 *
 * tracestate (section 3.3): up to 32 comma-separated list-members key=value,
 * optional blanks around them, empty members allowed; key = simple-key
 * (lcalpha then up to 255 of lcalpha DIGIT _ - * /) or multi-tenant-key
 * (tenant-id "@" system-id: up to 241 and 14 characters); value up to 256
 * printable ASCII characters but ',' and '=', not ending in a space; one
 * entry per key (3.3, "Combined Header Value").
 * Mutations (3.5): a modified or added key moves to the left; past 32
 * entries the right-most go.
 *
 * Spans: a trace is the tree of spans linked by parent ids; its critical
 * path is the chain of work that decided its end: from the root's end,
 * step back through the child that finished last, recursively, and count
 * the time no child covers as the parent's own.
 * Allocation from the budget.
 */
#ifndef BACKLAB_TRACE_H
#define BACKLAB_TRACE_H

#include <stddef.h>
#include <stdint.h>

struct trace_parent {
	unsigned version;
	char trace_id[33];
	char parent_id[17];
	unsigned flags;
};

/* Parses a traceparent value of LEN bytes. Returns 0, or -1 with *WHY
 * (static) saying which rule it breaks. */
int trace_parse_parent(const char *s, size_t len, struct trace_parent *p, const char **why);

/* Writes "00-<trace-id>-<parent-id>-<flags>" (56 bytes with the NUL) for
 * P: the version written is 00 and only the sampled bit is kept (3.2.2.5:
 * other flags MUST be zero in version 00). */
void trace_format_parent(const struct trace_parent *p, char out[56]);

/* A 64-bit id from a seed (splitmix64, never 0) as 16 hex digits; a
 * 128-bit one from two draws as 32. */
void trace_id_hex(uint64_t *state, char *out, int bytes);

#define TRACE_STATE_MAX 32

struct trace_member {
	char *key, *value;
};

struct trace_state {
	struct trace_member m[TRACE_STATE_MAX + 1];
	size_t n;
};

/* Parses a tracestate value of LEN bytes into S (strings allocated, free
 * with trace_state_free). Returns 0, or -1 with *WHY, and S empty. */
int trace_parse_state(const char *s, size_t len, struct trace_state *st, const char **why);
void trace_state_free(struct trace_state *st);
/* Whether KEY / VALUE follow the grammar; *WHY when not. */
int trace_key_ok(const char *key, const char **why);
int trace_value_ok(const char *value, const char **why);
/* Sets KEY to VALUE at the left, removing the key's old entry, and the
 * right-most entry when there would be more than 32. -1: no memory or a
 * bad key/value (*WHY). */
int trace_state_set(struct trace_state *st, const char *key, const char *value, const char **why);

/* ---- spans ---- */

struct trace_span {
	const char *id, *parent, *name; /* parent NULL or "" for a root; not owned */
	double start, finish;
};

struct trace_row {
	size_t span;      /* index into the input */
	long parent;      /* index of the parent span, -1 for a root */
	int depth;
	int orphan;       /* its parent id names no span */
	double self;      /* time no child covers */
	double critical;  /* time it spends on the critical path */
};

struct trace_segment {
	size_t span;
	double from, to;
};

struct trace_tree {
	struct trace_row *rows;       /* depth-first, children by start time */
	size_t nrows, nroots;
	struct trace_segment *path;   /* the critical path of the first root, in time order */
	size_t npath, cappath;
	double start, finish;         /* of the whole trace */
};

/*
 * Assembles N spans: checks ids are unique and non-empty, finish >= start,
 * and no cycle; orders the rows depth-first (roots, then each one's
 * children by start); computes self times and the critical path of the
 * root that finishes last. Returns 0, or -1 with *WHY (static).
 */
int trace_assemble(const struct trace_span *s, size_t n, struct trace_tree *t, const char **why);
void trace_tree_free(struct trace_tree *t);

#endif
