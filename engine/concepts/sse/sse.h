/*
 * sse.h — the text/event-stream format of Server-Sent Events, parsed as
 * the WHATWG HTML Standard says (section 9.2.6, "Interpreting an event
 * stream"), and written (9.2.5, the format).
 *
 * The stream is UTF-8, decoded with replacement (an invalid sequence reads
 * as U+FFFD); one byte order mark at its very start is dropped. Lines end
 * with CR LF, LF or CR. A line is:
 *   - empty: dispatch the event (if its data buffer is not empty);
 *   - ":..." a comment, ignored (servers send them to keep a connection
 *     alive);
 *   - "name:value" or "name: value" (one space after the colon dropped),
 *     or "name" alone (an empty value). Fields: event (the type), data
 *     (appended, with a LF, to the data buffer), id (the last event ID
 *     buffer, unless the value holds a NUL; it persists from event to
 *     event within the stream),
 *     retry (the reconnection time in ms, when the value is ASCII digits
 *     only). Any other name is ignored.
 * Every empty line first copies the last event ID buffer to the last
 * event ID string (what a reconnecting client sends as Last-Event-ID),
 * even when no event follows; then, if there is data, the data loses its
 * last LF, the type defaults to "message", and the event carries that
 * string. At the end of the stream an
 * event without its empty line is discarded.
 *
 * Every allocation is from the budget (engine/base/budget.h).
 */
#ifndef BACKLAB_SSE_H
#define BACKLAB_SSE_H

#include <stddef.h>
#include <stdint.h>

struct sse_buf {
	char *p;
	size_t len, cap;
};
int sse_buf_add(struct sse_buf *b, const void *p, size_t n); /* -1: no memory */
void sse_buf_free(struct sse_buf *b);

/* A dispatched event; the pointers are valid during the callback only. */
struct sse_event {
	const char *type, *data, *id;
	size_t type_len, data_len, id_len;
	uint64_t line; /* the line (from 1) of the empty line that dispatched it */
};

struct sse_parser {
	struct sse_buf line, data, type, id;
	struct sse_buf last; /* the event source's last event ID string: the id
	                      * buffer as of the last dispatch (an empty line) */
	int has_type;
	int64_t retry;      /* -1 until a retry field sets it */
	int cr;             /* the last byte was a CR: a LF right after it ends nothing */
	int first_line;     /* the next line is the stream's first (a BOM may start it) */
	uint64_t lines;
	int pending;        /* fields seen since the last dispatch */
	unsigned long long work;
};

void sse_init(struct sse_parser *p);
void sse_free(struct sse_parser *p);

/* Returns nonzero to stop. */
typedef int (*sse_callback)(void *ctx, const struct sse_event *ev);

/* Reads N more bytes of the stream, calling CB for each event dispatched.
 * 0, or -1 when memory is refused, budget_stop() says to stop, or CB
 * stopped. */
int sse_feed(struct sse_parser *p, const char *s, size_t n, sse_callback cb, void *ctx);

/* The stream ended: pending fields and a partial line are discarded
 * (returns 1 if there were any, else 0); P can read a new stream, keeping
 * its last event ID string and retry, as a reconnecting EventSource does.
 * The new stream's buffers start empty, the last event ID buffer too. */
int sse_finish(struct sse_parser *p);

/*
 * Appends one event in the wire format: "id: ID" (if ID), "event: TYPE"
 * (if TYPE), "retry: MS" (if RETRY >= 0), one "data: " line per line of
 * DATA (split at CR LF, LF and CR; if DATA is not NULL), then an empty
 * line. Returns 0; -1 with *WHY when TYPE or ID holds a CR or LF, or ID a
 * NUL (the reader would split or ignore them); -2 when memory is refused.
 */
int sse_write(struct sse_buf *b, const char *type, size_t type_len, const char *data,
              size_t data_len, const char *id, size_t id_len, int64_t retry, const char **why);

#endif
