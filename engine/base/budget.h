/*
 * budget.h — the memory and the time that C code spends on behalf of
 * untrusted Lua code, counted against the sandbox's limits.
 *
 * Concepts (engine/concepts/) are pure C and know nothing of Lua or of the
 * sandbox, yet what they allocate and how long they loop is the learner's
 * doing: `lab.cache.new{capacity = 1e12}` or a simulation of 10^12 requests
 * must end with "not enough memory" or a stop, exactly as a Lua loop would.
 * So concepts allocate with budget_malloc() and friends instead of malloc(),
 * and long loops poll budget_stop().
 *
 * Whoever runs untrusted code (the sandbox) installs an account with
 * budget_enter() for the length of a call, and restores the previous one
 * with budget_leave(). An allocation is charged to the account current when
 * it is made, and credited back to that same account when it is freed, even
 * if another account is current by then (each block remembers its owner in a
 * small header). Outside any account nothing is counted and nothing stops:
 * trusted callers (the engine's tests, benchmarks) just get malloc.
 *
 * A refused charge is final: the account's charge hook is expected to note
 * that the limit was reached (the sandbox then ends the run with its memory
 * verdict, whatever the code catches), and the allocation returns NULL, as
 * malloc would. Concepts treat NULL as they treat malloc's NULL: they leave
 * their state as it was and return an error.
 *
 * So is a refusal by the system. The build links backlab's C code with the
 * linker's --wrap for malloc, calloc and realloc (see the Makefile), and the
 * wrappers (budget_wrap.c) tell the current account's exhausted() when one
 * of them returns NULL: memory that ran out anywhere in backlab's own C code
 * during a run (under a graded run's RLIMIT_AS, say), charged or not, ends
 * the run with the memory verdict.
 *
 * Not thread-safe: the engine runs Lua on one thread per process.
 */
#ifndef BACKLAB_BUDGET_H
#define BACKLAB_BUDGET_H

#include <stddef.h>

struct budget {
	/* Asks for N more bytes: 0 if granted, -1 if the limit refuses them. */
	int (*charge)(struct budget *b, size_t n);
	/* Gives N bytes back. */
	void (*credit)(struct budget *b, size_t n);
	/* Why the running code must stop now (time, interrupt, memory), as a
	 * message such as "timed out after 5 s", or NULL to go on. */
	const char *(*stop)(struct budget *b);
	/* The system refused memory while this account was current (malloc's
	 * NULL: the process limit of a graded run): the code ran out of memory
	 * as surely as if the limit had refused it. May be NULL. */
	void (*exhausted)(struct budget *b);
};

/*
 * Makes B the current account (NULL: none) and returns the previous one, to
 * be given back to budget_leave() when the call that needed B returns.
 * Calls nest.
 */
struct budget *budget_enter(struct budget *b);
void budget_leave(struct budget *previous);

/* The current account, or NULL. */
struct budget *budget_current(void);

/*
 * malloc, calloc, realloc, free and strdup, charged to the current account.
 * NULL when the account refuses or the system has no memory; a refused
 * realloc leaves the block as it was. budget_free(NULL) does nothing. Blocks
 * from these functions must be freed with budget_free() (and only them).
 */
void *budget_malloc(size_t n);
void *budget_calloc(size_t count, size_t size);
void *budget_realloc(void *p, size_t n);
void budget_free(void *p);
char *budget_strdup(const char *s);

/*
 * For long loops in C: the reason the current account's code must stop, or
 * NULL (always NULL outside an account). Cheap enough to call every few
 * thousand iterations (it may read a clock).
 */
const char *budget_stop(void);

/*
 * The same, for the Ith round of a loop: looks only every 4096 rounds, so a
 * loop calls it every round. Nonzero when the loop must stop.
 */
static inline int budget_poll(unsigned long long i)
{
	return (i & 0xFFF) == 0 && budget_stop() != NULL;
}

/*
 * Bytes held by budget blocks, in total and charged to no account (both for
 * tests and `make bench`).
 */
size_t budget_bytes(void);

#endif
