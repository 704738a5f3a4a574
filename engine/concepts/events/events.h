/*
 * events.h — an event store: streams of events with optimistic
 * concurrency on the stream's version, one global order, and snapshots.
 *
 * As event stores such as EventStoreDB keep them: each stream (one
 * aggregate: "account-17") is an append-only list of events numbered
 * 1, 2, 3 (its version is the number of events in it); an append names
 * the version the writer last saw (the expected version) and fails when
 * the stream has moved on, so two writers that read the same state
 * cannot both append. Every event also has a position in the store's one
 * global order (1, 2, ...), which projections read. A snapshot stores a
 * state string at a version, so that loading an aggregate replays only
 * the events after it.
 */
#ifndef BACKLAB_EVENTS_H
#define BACKLAB_EVENTS_H

#include <stddef.h>
#include <stdint.h>

struct ev_event {
	size_t stream;           /* index of its stream */
	uint64_t version;        /* its number in its stream, from 1 */
	char *type, *data;
	size_t tlen, dlen;
};

struct ev_stream {
	char *name;
	size_t nlen;
	uint64_t *pos;           /* global positions (from 0) of its events */
	size_t n, cap;           /* n is the version */
	char *snap;              /* the latest snapshot, or NULL */
	size_t slen;
	uint64_t snap_version;
};

struct ev_store {
	struct ev_event *e;      /* global order: position k + 1 is e[k] */
	size_t n, cap;
	struct ev_stream *s;
	size_t ns, scap;
	uint64_t conflicts;
};

/* One event to append. */
struct ev_new {
	const char *type, *data;
	size_t tlen, dlen;
};

void ev_init(struct ev_store *st);
void ev_free(struct ev_store *st);

/* The index of stream NAME, or -1 when there is none. */
long ev_find(const struct ev_store *st, const char *name, size_t nlen);

/* The version of stream NAME (0 when it has no event). */
uint64_t ev_version(const struct ev_store *st, const char *name, size_t nlen);

/* Appends N events to stream NAME if its version is EXPECTED (any
 * version when ANY). 1 and *VERSION the new version; 0 on a conflict
 * (*VERSION the current version; nothing appended); -1 when memory is
 * refused (nothing appended). */
int ev_append(struct ev_store *st, const char *name, size_t nlen, int any, uint64_t expected,
	      const struct ev_new *ev, size_t n, uint64_t *version);

/* Stores STATE as stream NAME's snapshot at VERSION (at most the
 * stream's version). 1, 0 when VERSION is beyond the stream, -1 when
 * memory is refused. */
int ev_snapshot(struct ev_store *st, const char *name, size_t nlen, uint64_t version,
		const char *state, size_t slen);

#endif
