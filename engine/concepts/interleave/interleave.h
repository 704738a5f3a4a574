/*
 * interleave.h — a deterministic interleaving explorer: threads written as
 * lists of atomic steps over shared variables, locks and semaphores, run
 * over every schedule (the order in which the scheduler picks the threads'
 * next steps), or over a seeded sample of schedules when the states are too
 * many.
 *
 * Every step is one scheduling point: between any two steps of a thread,
 * any other thread may run. A thread has its own registers (local
 * variables, all 0 at first); the shared variables, locks and semaphores
 * are everybody's. A state is the whole machine: each thread's next step,
 * the number of steps it has run, its registers, the shared variables, who
 * holds each lock and each semaphore's count. Since every step raises the
 * total of steps run, the states form a graph without cycles, and the
 * explorer visits each reachable state once (state caching, the exact
 * reduction: it prunes no schedule, it shares their common suffixes). The
 * number of schedules is then counted by paths through that graph, exactly,
 * however many there are (Godefroid, "Partial-Order Methods for the
 * Verification of Concurrent Systems", LNCS 1032, 1996, ch. 2 for the model).
 *
 * A schedule ends when every thread has finished ("done"), when some have
 * not but none can run ("deadlock": each waits for a lock or a semaphore),
 * when a thread runs more than max_steps steps ("runaway", a loop that does
 * not end), or at a step that is an error ("fault": unlocking a lock the
 * thread does not hold).
 */
#ifndef BACKLAB_INTERLEAVE_H
#define BACKLAB_INTERLEAVE_H

#include <stddef.h>
#include <stdint.h>

#include "engine/base/sbuf.h"

enum ilv_op {
	ILV_READ,       /* reg = var */
	ILV_WRITE,      /* var = a */
	ILV_SET,        /* reg = a */
	ILV_ADD,        /* reg = reg + a */
	ILV_LOCK,       /* waits until the lock is free, then holds it */
	ILV_UNLOCK,     /* releases a lock the thread holds (else: fault) */
	ILV_CAS,        /* if var == a then var = b, reg = 1 else reg = 0 */
	ILV_ATOMIC_ADD, /* reg = var; var = var + a, in one step */
	ILV_WAIT,       /* waits until the semaphore is above 0, then takes 1 */
	ILV_SIGNAL,     /* gives the semaphore 1 */
	ILV_JZ,         /* if reg == 0, the next step is target */
	ILV_JNZ,        /* if reg != 0, the next step is target */
	ILV_JMP,        /* the next step is target */
	ILV_NOPS
};

/* The names of the ops, as threads spell them ("read", "atomic_add"...). */
extern const char *const ilv_op_names[];

/* An operand: a constant (reg < 0) or a register of the thread. */
struct ilv_arg {
	int reg;
	int64_t k;
};

struct ilv_step {
	enum ilv_op op;
	int obj;              /* the variable, lock or semaphore; -1: none */
	int reg;              /* the register written; -1: none */
	struct ilv_arg a, b;  /* operands, as the op says */
	int target;           /* jumps: the step to go to, from 0 */
};

struct ilv_thread {
	struct ilv_step *steps;
	int nsteps;
	int nregs;
	char **regnames;      /* nregs names, for drawing */
};

/*
 * A program: the threads and what they share. Names are owned by the
 * program (budget_strdup); ilv_program_free releases all of it.
 */
struct ilv_program {
	struct ilv_thread *threads;
	int nthreads;
	int nvars, nlocks, nsems;
	char **varnames, **locknames, **semnames;
	int64_t *varinit;     /* nvars initial values */
	int64_t *seminit;     /* nsems initial counts */
	int max_steps;        /* per thread, per schedule; above it: runaway */
};

enum ilv_kind { ILV_DONE, ILV_DEADLOCK, ILV_RUNAWAY, ILV_FAULT, ILV_RUNNING };
extern const char *const ilv_kind_names[];

/* One distinct end of the schedules: its kind and its shared variables. */
struct ilv_outcome {
	enum ilv_kind kind;
	int64_t *vars;        /* nvars values */
	uint64_t schedules;   /* schedules ending here (saturates at UINT64_MAX) */
	double schedules_f;   /* the same as a double (exact up to 2^53) */
	int bad;              /* set by the caller: this end breaks the invariant */
	int *first;           /* sample mode: the first schedule that ended here */
	size_t nfirst;
};

struct ilv_config {
	size_t max_states;    /* above it, sample instead (0: never sample) */
	size_t samples;       /* schedules drawn in sample mode */
	uint64_t seed;        /* of the sample */
};

/* What exploring found. Free with ilv_result_free. */
struct ilv_result {
	int exhaustive;       /* every schedule (1) or a sample (0) */
	size_t states;        /* states visited (exhaustive) */
	uint64_t schedules;   /* exhaustive: all schedules; sample: samples run */
	double schedules_f;
	int overflow;         /* schedules > UINT64_MAX: only schedules_f holds */
	struct ilv_outcome *outcomes;
	size_t noutcomes;
	int nvars;
	/* exhaustive: the graph, for ilv_first_bad */
	void *graph;
};

/* Releases what P holds (P itself is the caller's); safe on a zeroed P. */
void ilv_program_free(struct ilv_program *p);

/*
 * Explores every schedule of P, or, when the reachable states exceed
 * C->max_states, C->samples schedules drawn with C->seed (each step picks
 * one of the threads that can run, uniformly). Fills R. 0; -1 when memory
 * is refused or the budget says stop (R then holds nothing).
 */
int ilv_explore(const struct ilv_program *p, const struct ilv_config *c, struct ilv_result *r);

/*
 * After the caller has marked the bad outcomes (bad = 1), the first
 * schedule, in order of thread number (thread 1 preferred at each step),
 * that ends in a bad outcome: a new array of thread numbers from 0 in
 * *SCHED (budget_free it) and its length in *N, and the outcome's index in
 * *WHICH. 1 if found, 0 if no schedule ends badly, -1 if memory is refused.
 * In sample mode, the first sampled schedule that ended badly.
 */
int ilv_first_bad(const struct ilv_program *p, const struct ilv_result *r, int **sched,
		  size_t *n, size_t *which);

void ilv_result_free(struct ilv_result *r);

/* One step of a replayed schedule: which thread ran which step, and what it did. */
struct ilv_event {
	int thread;
	int step;             /* from 0 */
	char text[96];        /* "read x -> r = 0" (names cut at 24 bytes) */
};

/*
 * Runs P along SCHED (N thread numbers from 0); stops early at an end.
 * Fills *KIND (ILV_RUNNING if the schedule ended before the program did),
 * VARS (p->nvars values) and, when EV is not NULL, EV[0..*NEV) (EV must
 * hold N events). Returns 0, the index + 1 in SCHED of a pick that cannot
 * run (a finished or waiting thread, a number out of range, or any pick
 * after the program ended), or (size_t)-1 when memory is refused.
 */
size_t ilv_replay(const struct ilv_program *p, const int *sched, size_t n, enum ilv_kind *kind,
		  int64_t *vars, struct ilv_event *ev, size_t *nev);

/*
 * Draws events as one column per thread, time going down, into SB:
 *      T1                      T2
 *    1 read x -> r = 0
 *    2                         read x -> r = 0
 */
void ilv_draw(const struct ilv_program *p, const struct ilv_event *ev, size_t nev, struct sbuf *sb);

/* The multinomial (n1 + ... + nk)! / (n1! ... nk!): the schedules of K
 * independent threads of N[i] steps. UINT64_MAX if it overflows. */
uint64_t ilv_multinomial(const int *n, int k);

#endif
