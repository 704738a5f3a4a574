/*
 * sched.h — a Kubernetes-like pod scheduler over a cluster of nodes:
 * filters, then scores, as kube-scheduler's default profile does.
 *
 * A node has allocatable CPU (millicores), memory (bytes) and a pod count;
 * a pod has requests (what the scheduler reserves) and limits (enforced at
 * run time, never used to place it). For each pod, in the order given:
 *
 *   filter   NodeAffinity (every label of the pod's selector on the node:
 *            "node(s) didn't match Pod's node affinity/selector"), then
 *            NodeResourcesFit (a request above what is unrequested on the
 *            node: "Insufficient cpu", "Insufficient memory"; "Too many
 *            pods"). A pod no node passes stays pending with kube-
 *            scheduler's message "0/3 nodes are available: 3 Insufficient
 *            cpu." (reasons counted over nodes, sorted as strings).
 *   score    each plugin gives every feasible node 0..100, times its
 *            weight, summed: NodeResourcesFit (LeastAllocated or
 *            MostAllocated on the non-zero requests: 100m CPU and 200 MiB
 *            for a request not set), NodeResourcesBalancedAllocation,
 *            PodTopologySpread (pods of the same app), NodeAffinity
 *            (preferred terms). The integer arithmetic is kube-scheduler's
 *            (pkg/scheduler/framework/plugins/...), cited in sched.c.
 *   select   the highest total; ties go to one of the tied nodes drawn
 *            with the seeded generator (kube-scheduler's reservoir
 *            sampling in selectHost), so a seed replays a run.
 *
 * No taints, no inter-pod affinity, no preemption, no init containers or
 * overhead: a pod is one container.
 */
#ifndef BACKLAB_SCHED_H
#define BACKLAB_SCHED_H

#include <stddef.h>
#include <stdint.h>

#include "engine/concepts/rand/rand.h"

#define SCHED_DEFAULT_CPU 100                    /* millicores, a request not set */
#define SCHED_DEFAULT_MEM (200LL * 1024 * 1024)  /* bytes, a request not set */
#define SCHED_MAX_SCORE 100

enum sched_strategy { SCHED_LEAST, SCHED_MOST };

/* Filter failures (bits of struct sched_eval.reasons), in message order. */
enum {
	SCHED_R_SELECTOR = 1, /* node(s) didn't match Pod's node affinity/selector */
	SCHED_R_CPU = 2,      /* Insufficient cpu */
	SCHED_R_MEM = 4,      /* Insufficient memory */
	SCHED_R_PODS = 8,     /* Too many pods */
	SCHED_R_KINDS = 4,
};

struct sched_label {
	char *key, *value;
};

/* A preferred node-affinity term: WEIGHT (1..100) when the node has KEY=VALUE. */
struct sched_pref {
	int64_t weight;
	char *key, *value;
};

/* A soft topology spread constraint over the node label KEY ("hostname" is
 * the node's name). */
struct sched_spread {
	char *key;
	int64_t max_skew;
};

/* What the caller gives for a node or a pod; strings are borrowed (copied
 * by sched_init / sched_submit). */
struct sched_nodespec {
	const char *name;
	int64_t cpu, mem, max_pods;
	const struct sched_label *labels; /* key/value borrowed */
	size_t nlabels;
};

struct sched_podspec {
	const char *name;
	int64_t cpu, mem;          /* requests; -1: not set (a set limit is then the request) */
	int64_t lim_cpu, lim_mem;  /* limits; -1: none */
	const char *app;           /* NULL: none (no spreading) */
	const struct sched_label *selector;
	size_t nselector;
	const struct sched_pref *prefer;
	size_t nprefer;
	const struct sched_spread *spread; /* none and an app: the system defaults */
	size_t nspread;
};

struct sched_node {
	char *name;
	int64_t cpu, mem, max_pods;  /* allocatable */
	struct sched_label *labels;
	size_t nlabels;
	int down;                    /* failed: holds nothing, counts for nothing */
	int64_t req_cpu, req_mem;    /* requests of its pods (not set: 0) */
	int64_t nz_cpu, nz_mem;      /* the same with the non-zero defaults */
	int64_t lim_cpu, lim_mem;    /* limits of its pods that set one */
	int64_t npods;
};

struct sched_pod {
	char *name;
	int64_t cpu, mem, lim_cpu, lim_mem; /* as in the spec, request defaulted to limit */
	int app;                            /* index in apps, -1: none */
	struct sched_label *selector;
	size_t nselector;
	struct sched_pref *prefer;
	size_t nprefer;
	struct sched_spread *spread;
	size_t nspread;
	int explicit_spread;                /* spread given (else system defaults) */
	long node;                          /* index, -1: pending */
	char *reason;                       /* pending: why; else NULL */
};

struct sched_weights {
	int64_t fit, balanced, spread, affinity;
};

struct sched_config {
	enum sched_strategy strategy;
	struct sched_weights w;
	uint64_t seed;
	int default_spread;  /* pods with an app and no spread get kube's defaults */
};

/* One node's verdict for one pod. */
struct sched_eval {
	int fits;
	unsigned reasons;
	int64_t fit, balanced, spread, affinity, total;
};

struct sched {
	struct sched_config cfg;
	struct rng rng;
	struct sched_node *nodes;
	size_t nnodes;
	struct sched_pod *pods;
	size_t npods, podcap;
	char **apps;
	size_t napps;
	int64_t **app_count;        /* [app][node]: bound pods of that app */
	struct sched_eval *eval;    /* nnodes, scratch */
	double *raw;                /* nnodes, scratch */
};

/* Fragmentation of the free capacity. */
struct sched_frag {
	int64_t free_cpu, free_mem;        /* unrequested, over nodes that are up */
	int64_t largest_cpu, largest_mem;  /* the most unrequested on one node */
	int64_t stranded_cpu, stranded_mem;/* free that the probe (or no pending pod) can use */
	int64_t fits;                      /* copies of the probe that still fit */
	int64_t nodes_used, nodes_empty;   /* up nodes with pods / without */
};

/* Makes S a cluster of the N nodes of SPECS (names unique, checked by the
 * caller). 0, or -1 when memory is refused (S then holds nothing). */
int sched_init(struct sched *s, const struct sched_config *cfg,
	       const struct sched_nodespec *specs, size_t n);
void sched_free(struct sched *s);

/* Filters and scores every node for the pod P without placing it: fills
 * S->eval (one per node; a node down neither fits nor counts). Returns the
 * node the scheduler would pick (ties drawn from a copy of the generator,
 * which does not advance), or -1. -1 too when memory is refused for an app
 * name, with *ERR set. */
long sched_explain(struct sched *s, const struct sched_podspec *p, int *err);

/* Adds the pod P and places it: *NODE is its node's index or -1 (pending,
 * the reason kept in the pod). 0, or -1 when memory is refused (the pod is
 * then not added). */
int sched_submit(struct sched *s, const struct sched_podspec *p, long *node);

/* Tries every pending pod again, in the order they came; *PLACED counts
 * those placed. 0, or -1 when memory is refused or the budget says stop. */
int sched_retry(struct sched *s, size_t *placed);

/* Removes the first pod named NAME (bound or pending), freeing what it
 * requested. 1 when found, else 0. */
int sched_remove(struct sched *s, const char *name);

/* Marks node I down: its pods become pending (reason "node failed"),
 * *EVICTED counts them. 0, or -1 when memory is refused. */
int sched_fail(struct sched *s, size_t i, size_t *evicted);

/* The message kube-scheduler gives when REASONS (per node, N nodes up)
 * leave no node: into BUF. */
void sched_message(const struct sched *s, char *buf, size_t size);

/* Free capacity and how usable it is: for a probe pod of CPU and MEM
 * (either may be 0, not both), how many copies still fit and what is left
 * over; with CPU and MEM both 0, stranded is the free capacity on nodes no
 * pending pod fits on (by selector and resources). 0, or -1 when the
 * budget says stop. */
int sched_frag(const struct sched *s, int64_t cpu, int64_t mem, struct sched_frag *f);

/* NodeResourcesFit's score for one node (allocatable ACPU, AMEM; requested
 * RCPU, RMEM with the pod's included and non-zero defaults applied). */
int64_t sched_fit_score(enum sched_strategy st, int64_t acpu, int64_t amem, int64_t rcpu,
			int64_t rmem);

/* NodeResourcesBalancedAllocation's score (requested with the pod's). */
int64_t sched_balanced_score(int64_t acpu, int64_t amem, int64_t rcpu, int64_t rmem);

/* Packs the N pods (requests CPU[i], MEM[i]; -1 counts 0) on the M nodes
 * offline: in the order given or DECREASING (CPU, then memory, then
 * order), each on the FIRST node that fits or (BEST) the one left with the
 * least CPU, then memory. OUT[i] is the node's index or -1. 0, or -1 when
 * memory is refused. */
int sched_pack(const struct sched_nodespec *nodes, size_t m, const int64_t *cpu,
	       const int64_t *mem, size_t n, int decreasing, int best, long *out);

/* A Kubernetes quantity in TEXT: CPU ("500m", "2", "1.5") in millicores, or
 * memory ("256Mi", "1Gi", "1G", "1000") in bytes. 0, or -1 for text that is
 * not one (or overflows). */
int sched_quantity(const char *text, int is_cpu, int64_t *out);

/* The label KEY of node N ("hostname" is its name), or NULL. */
const char *sched_label(const struct sched_node *n, const char *key);

#endif
