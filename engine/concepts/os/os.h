/*
 * os.h — operating-system mechanisms to measure: page replacement over a
 * reference string (OSTEP, Arpaci-Dusseau, ch. 22), a TLB in front of the
 * page table (ch. 19) and multi-level page tables (ch. 20).
 *
 * Page replacement: a memory of F frames and a string of page references.
 * A reference to a page in a frame is a hit; any other is a fault, which
 * loads the page into a free frame or, when none is free, into the frame
 * of a victim the policy picks:
 *   fifo    the page loaded longest ago
 *   lru     the page used longest ago
 *   opt     the page used again farthest in the future, or never (Belady,
 *           "A study of replacement algorithms for a virtual-storage
 *           computer", IBM Systems Journal 5(2), 1966): the fewest faults
 *   clock   a hand sweeps the frames; a frame whose use bit is set gets the
 *           bit cleared and is passed over, the first with a clear bit is
 *           the victim (every reference sets the page's bit)
 *   second  second chance: a FIFO queue whose head, if its use bit is set,
 *           has it cleared and goes to the tail; the same choices as clock,
 *           kept as a queue instead of a circle
 *   random  a frame drawn from the seed
 *   ws      the working set (Denning, "The working set model for program
 *           behavior", CACM 11(5), 1968): no fixed frames; a page stays
 *           resident while it was referenced in the last `window`
 *           references, so a reference is a fault when its page was not
 *           among the `window` references before it; W(t, window) is the
 *           set of pages of references t - window + 1 .. t
 */
#ifndef BACKLAB_OS_H
#define BACKLAB_OS_H

#include <stddef.h>
#include <stdint.h>

enum os_policy { OS_FIFO, OS_LRU, OS_OPT, OS_CLOCK, OS_SECOND, OS_RANDOM, OS_WS };

struct os_paging_config {
	enum os_policy policy;
	int frames;          /* >= 1; not used by ws */
	int window;          /* ws: the window tau, in references (>= 1) */
	uint64_t seed;       /* random */
};

/* One reference of a traced run. */
struct os_ref {
	int64_t page;
	int hit;
	int64_t evicted;     /* the page evicted by this fault, or -1 */
	int frame;           /* the frame the page is in after it, from 0 (ws: -1) */
};

struct os_paging_result {
	size_t faults, hits;
	size_t max_ws;       /* ws: the largest working set; else the frames used */
	double mean_ws;      /* ws: the mean working-set size over the references */
};

/*
 * Runs REFS[0..N) under C. When TRACE is not NULL it gets N entries, and
 * when FRAMES is not NULL it gets N * c->frames pages (-1: free), the
 * frames' contents after each reference (not for ws). 0; -1 when memory is
 * refused or the budget says stop.
 */
int os_paging(const int64_t *refs, size_t n, const struct os_paging_config *c,
	      struct os_paging_result *r, struct os_ref *trace, int64_t *frames);

/*
 * Searches for Belady's anomaly: reference strings of LENGTH references
 * over PAGES pages, drawn from SEED, run under POLICY with F and F + 1
 * frames, until one faults more with F + 1. Writes it to OUT (LENGTH
 * entries) and the two fault counts; returns the try that found it (from
 * 1), 0 if TRIES strings show none, -1 on memory or stop.
 */
long os_belady(enum os_policy policy, int f, int pages, size_t length, long tries,
	       uint64_t seed, int64_t *out, size_t *faults_f, size_t *faults_f1);

/* A multi-level page table over the address space's VPN bits. */
struct os_pt_config {
	int va_bits;         /* virtual address bits (<= 62) */
	int page_bits;       /* offset bits: the page is 2^page_bits bytes */
	int nlevels;
	int levels[8];       /* index bits per level, from the top; sum = va_bits - page_bits */
	int pte_bytes;       /* one entry's size */
};

struct os_pt_result {
	size_t pages;        /* distinct pages mapped */
	uint64_t tables[8];  /* tables allocated at each level */
	double bytes;        /* memory of all tables */
	double linear_bytes; /* one flat table of 2^(va_bits - page_bits) entries */
};

/*
 * Counts the tables a multi-level page table allocates to map the pages of
 * ADDRS[0..N) (virtual addresses, each < 2^va_bits): a table at level i
 * has 2^levels[i] entries of pte_bytes, and exists when some mapped page
 * goes through it. 0; -1 when memory is refused or stop.
 */
int os_pagetable(const struct os_pt_config *c, const int64_t *addrs, size_t n,
		 struct os_pt_result *r);

#endif
