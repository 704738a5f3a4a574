/*
 * lin.h — a linearizability checker for histories of a register or a
 * key-value map.
 *
 * A history is a set of operations, each with the time it was invoked and
 * the time it completed (or none: the outcome is unknown). It is
 * linearizable when every operation can be given a point between its
 * invocation and its completion such that, taken in the order of those
 * points, the operations are a legal run of the sequential model
 * (Herlihy and Wing, "Linearizability: a correctness condition for
 * concurrent objects", TOPLAS 12(3), 1990).
 *
 * The search is Wing and Gong's ("Testing and verifying concurrent
 * objects", JPDC 17, 1993) with Lowe's memoization ("Testing for
 * linearizability", Concurrency and Computation 29(4), 2017): a
 * configuration (the set of operations placed so far, the model's state)
 * that was explored once is not explored again. A map is checked key by
 * key (P-compositionality, Horn and Kroening 2015): a history of a map is
 * linearizable if and only if the history of every key is. Porcupine
 * (Athalye) and Knossos (Kingsbury) work the same way.
 *
 * Values are byte strings, compared as bytes; a value may be nil.
 */
#ifndef BACKLAB_LIN_H
#define BACKLAB_LIN_H

#include <stddef.h>

enum lin_model {
	LIN_REGISTER,     /* read, write; starts nil */
	LIN_CAS_REGISTER, /* read, write, cas old new; starts nil */
	LIN_KV,           /* per key: get, put, cas; a key starts nil */
	LIN_KV_APPEND,    /* per key: get, put, append; a key starts "" */
};

enum lin_f { LIN_READ, LIN_WRITE, LIN_CAS, LIN_APPEND };

/* The names of operations, by verb: read write cas append get put (get is
 * a read of a key, put a write); NULL-terminated. */
extern const char *const lin_verbs[];
extern const enum lin_f lin_verb_f[];

enum lin_status {
	LIN_OK,   /* completed; its output is known */
	LIN_FAIL, /* definitely did not take effect */
	LIN_INFO, /* may or may not have taken effect; output unknown */
};

/* A string of the history's text (off, len); nil when !set. set is 2 for
 * a string the parser read in quotes (a bare token is 1): values compare
 * by their bytes either way. */
struct lin_str {
	size_t off, len;
	int set;
};

struct lin_op {
	enum lin_f f;
	int verb;             /* index in lin_verbs */
	enum lin_status status;
	long long client;
	struct lin_str key;   /* maps only */
	struct lin_str a;     /* write/put/append: the value; cas: the old value */
	struct lin_str b;     /* cas: the new value */
	struct lin_str out;   /* read/get (ok): the value read */
	int cas_ok;           /* cas (ok): 1 it swapped, 0 it found another value */
	double invoke;        /* times; complete is ignored for LIN_INFO */
	double complete;
};

/* Operations and the bytes of their strings. Zeroed: empty. */
struct lin_history {
	struct lin_op *ops;
	size_t n, cap;
	char *text;
	size_t tlen, tcap;
};

/* Adds S (LEN bytes) to H's text: the string, or one with set = 0 when
 * memory was refused (lin_history_add then fails). */
struct lin_str lin_text(struct lin_history *h, const char *s, size_t len);

/* Appends a copy of OP. 0, or -1 when memory is refused (also after an
 * earlier lin_text was). */
int lin_history_add(struct lin_history *h, const struct lin_op *op);

void lin_history_free(struct lin_history *h);

/*
 * Reads a Jepsen history log into H (zeroed): the lines
 *   INFO  jepsen.util - 3	:invoke	:cas	[0 3]
 * of the etcd tests (process, type, f, value: nil, a number or [a b]), and
 * EDN maps such as
 *   {:process 0, :type :ok, :f :get, :key "5", :value "x 0 3 y"}
 * Other lines are skipped. A completion (:ok, :fail, :info) pairs with the
 * process's open invocation; times are event numbers (1, 2, ...); an
 * invocation never completed is LIN_INFO. Reads take their output from
 * the completion; a cas that completed :fail found another value
 * (cas_ok = 0, status LIN_OK), as Jepsen's etcd client reports it.
 * 0, -1 when memory is refused, or the line number (> 0) of a line that
 * starts like a history line and cannot be read, with ERR set.
 */
long lin_parse_jepsen(const char *text, size_t len, struct lin_history *h, const char **err);

/* What lin_check found. */
struct lin_result {
	int linearizable;     /* 1 yes, 0 no, -1 stopped (memory, time) */
	size_t keys;          /* partitions checked */
	size_t explored;      /* configurations tried */
	/* When not linearizable: the key (index of an op of it, or -1 for a
	 * register), the longest order of operations found legal (indices into
	 * the history, *order_n of them), and the operation that could not be
	 * placed after them (an index), with the model's state then. */
	long key_op;
	size_t *order;
	size_t order_n;
	long stuck;
	struct lin_str state; /* in the history's text */
};

/*
 * Checks H against MODEL. Operations with LIN_FAIL status are left out (they
 * did not happen), except a cas of a register that found another value,
 * which lin_parse_jepsen gives as LIN_OK. Returns 0, or -1 when memory was
 * refused or budget_stop() asked to stop (R->linearizable is then -1).
 * Free R with lin_result_free. May add strings to H's text (states).
 */
int lin_check(struct lin_history *h, enum lin_model model, struct lin_result *r);

void lin_result_free(struct lin_result *r);

#endif
