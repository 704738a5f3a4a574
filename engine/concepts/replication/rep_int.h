/*
 * rep_int.h — what the files of engine/concepts/replication share: a
 * small key-value table with versions, message helpers, and the version
 * order. Not for other folders.
 */
#ifndef BACKLAB_REP_INT_H
#define BACKLAB_REP_INT_H

#include "engine/concepts/replication/replication.h"
#include "engine/concepts/sim/simval.h"

/* A version: a log index (major, minor 0) or a timestamp and a writer. */
struct version {
	double major;
	int64_t minor;
};

int version_cmp(struct version a, struct version b);
/* Writes the version as an integer (leader) or {ts, by}. */
void version_write(struct simw *w, struct version v, int indexed);
/* Reads one; 0, or -1 if V is neither form. */
int version_read(struct simv v, struct version *out);

/* A key's value and version. Keys and values are copied (budget). */
struct kv {
	char *key, *value;
	size_t kl, vl;
	struct version ver;
};

struct kvtab {
	struct kv *e;
	size_t n;
};

struct kv *kv_find(struct kvtab *t, const char *k, size_t kl);
/* Stores VALUE at VER for K; with LWW only if VER is newer. Returns 1 if
 * stored, 0 if not newer, -1 without memory. */
int kv_put(struct kvtab *t, const char *k, size_t kl, const char *v, size_t vl,
	   struct version ver, int lww);
void kv_free(struct kvtab *t);

/* Answers read request REQ (op OP) from T: {value, version} or, for
 * {keys = {...}}, a table of them. 0, or -1 after sim_abort. */
int kv_reply_read(struct sim *s, uint32_t node, uint64_t req, struct simv op, struct kvtab *t,
		  int indexed);

/* Replies to REQ with ok = OK and {version = VER[, pred = PRED]} or the
 * string WHY when WHY is not NULL. 0, or -1 after sim_abort. */
int rep_reply(struct sim *s, uint32_t node, uint64_t req, int ok, const char *why,
	       const struct version *ver, const struct version *pred, int indexed);

/* Sends W's bytes; 0, or -1 after sim_abort (W is freed either way). */
int rep_send(struct sim *s, uint32_t from, uint32_t to, struct simw *w);
int rep_timer(struct sim *s, uint32_t node, double delay, const char *tag, int64_t arg);

/* The string field K of table V, or -1. */
int field_str(struct simv v, const char *k, const char **s, size_t *n);

#endif
