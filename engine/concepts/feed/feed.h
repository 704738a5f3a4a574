/*
 * feed.h — home timelines: fan-out on write, fan-out on read, and the
 * hybrid, on a seeded social graph with a power-law follower count.
 *
 * The model (every draw from a struct rng seeded from SEED):
 *
 * - USERS people; AUTHORS ordinary accounts that post, each with a Pareto
 *   follower count (mean FOLLOWERS, tail index ALPHA, capped at USERS), or
 *   the counts ACCOUNTS given; then CELEBRITIES accounts with
 *   CELEBRITY_FOLLOWERS each. Accounts are numbered 1.. in that order.
 * - READERS sampled users whose timeline reads are simulated. A reader
 *   follows an ordinary account of f followers with probability
 *   f x FOLLOWS / F (F: the ordinary accounts' followers in all, so a
 *   reader follows about FOLLOWS of them), and a celebrity with
 *   probability f / USERS; drawn once per run.
 * - Posts: a Poisson process of POSTS a second, each by an ordinary
 *   account drawn uniformly; each celebrity posts as a Poisson process of
 *   CELEBRITY_POSTS a second; plus the posts POSTS_AT given. Reads: a
 *   Poisson process of READS a second, each by a reader drawn uniformly.
 *   Nothing random arrives at or after DURATION.
 * - Each post is pushed (fan-out on write) or left for reading (pulled).
 *   A pushed post of an account with f followers is f timeline writes,
 *   done by a pool of WORKERS writing WORKER_RATE a second each, which
 *   shares one queue and splits a post among its workers: the pool writes
 *   W = WORKERS x WORKER_RATE a second, posts in arrival order. A post
 *   that starts at s (the pool free, or its arrival) has its j-th write
 *   done at s + j / W: that follower's delivery lag is s + j/W - arrival.
 *   A pulled post is visible at once (lag 0) to every follower.
 * - A read takes READ_BASE seconds (the timeline cache) plus PULL_COST
 *   for every followee it must merge: with "read", all its followees;
 *   otherwise the followees whose posts are left for reading, which with
 *   "hybrid" are the accounts of at least THRESHOLD followers (from the
 *   start), and with a rule those that had a post pulled (from then on:
 *   the account is marked, and its readers merge it on every read).
 */
#ifndef BACKLAB_FEED_H
#define BACKLAB_FEED_H

#include <stddef.h>
#include <stdint.h>

#include "engine/concepts/rand/rand.h"

#define FEED_MAX_USERS 1e10
#define FEED_MAX_ACCOUNTS 1000000
#define FEED_MAX_READERS 100000
#define FEED_MAX_EVENTS 1e7   /* posts, and reads, a run may have */
#define FEED_MAX_EDGES 5e7    /* sampled follows of the readers */

enum feed_strategy { FEED_WRITE, FEED_READ, FEED_HYBRID, FEED_RULE };

struct feed_post_at {
	double at;            /* >= 0 */
	int64_t author;       /* 1 .. the number of accounts */
};

struct feed_config {
	uint64_t seed;
	double duration;            /* > 0 s */
	double users;               /* >= 1 */
	int64_t authors;            /* ordinary accounts (ignored when naccounts > 0) */
	double followers;           /* their mean follower count, >= 1 */
	double alpha;               /* Pareto tail index, > 1 */
	const double *accounts;     /* NACCOUNTS follower counts, or NULL */
	size_t naccounts;
	int64_t celebrities;
	double celebrity_followers; /* <= users */
	double posts;               /* posts a second by ordinary accounts */
	double celebrity_posts;     /* posts a second by each celebrity */
	const struct feed_post_at *posts_at;
	size_t nposts_at;
	double reads;               /* timeline reads a second */
	int64_t readers;            /* >= 1 */
	double follows;             /* ordinary followees of a reader, mean, >= 0 */
	int64_t workers;            /* >= 1 */
	double worker_rate;         /* timeline writes a second per worker, > 0 */
	enum feed_strategy strategy;
	double threshold;           /* hybrid */
	double read_base;           /* s */
	double pull_cost;           /* s per followee merged */
};

/* What a post looks like to the decision. */
struct feed_postinfo {
	double at;            /* arrival, s */
	int64_t author;       /* 1-based */
	double followers;
	double backlog;       /* s of fan-out work queued when it arrives */
	double pool;          /* W, writes a second */
};

struct feed_result {
	uint64_t posts, pushed, pulled, reads;
	uint64_t accounts;          /* ordinary + celebrities */
	double deliveries;          /* sum of followers over the posts */
	double writes;              /* timeline writes of pushed posts */
	double write_rate;          /* writes / duration */
	double storage;             /* timeline entries written (= writes) */
	double backlog;             /* s of fan-out work left at DURATION */
	double lag_p50, lag_p99, lag_max, lag_mean; /* over deliveries; 0 when none */
	double read_p50, read_p99, read_max, read_mean; /* NaN when no read */
	double pulls_mean;          /* followees merged per read */
	double follows_mean;        /* followees per reader */
	double followers_max;       /* the largest account */
};

struct feed;

/*
 * Builds the graph and the posts of C (copied: C's arrays may go). NULL
 * with *WHY set (a static message) when C is out of range or memory is
 * refused; the run then holds nothing.
 */
struct feed *feed_new(const struct feed_config *c, const char **why);

/* Frees S (NULL is fine). */
void feed_free(struct feed *s);

/* The number of posts, in arrival order (ties: the order they were made). */
size_t feed_nposts(const struct feed *s);

/* Post I (from 0) as the decision sees it; valid for the next post to
 * decide (its backlog depends on the decisions before it). */
void feed_postinfo(const struct feed *s, size_t i, struct feed_postinfo *out);

/* The strategy's decision for post I: 1 pull, 0 push (a rule: -1). */
int feed_builtin(const struct feed *s, size_t i);

/*
 * Decides post I: PULL (1) leaves it for reading, 0 pushes it. Posts are
 * decided in order, each once: -1 (and nothing changes) otherwise.
 */
int feed_decide(struct feed *s, size_t i, int pull);

/*
 * Runs the reads and fills R once every post is decided. 0, or -1 with
 * *WHY when a post is undecided or budget_stop() says to stop.
 */
int feed_finish(struct feed *s, struct feed_result *r, const char **why);

/* feed_new, the strategy's decisions, feed_finish. 0 or -1 with *WHY
 * (a rule strategy is an error here). */
int feed_run(const struct feed_config *c, struct feed_result *r, const char **why);

#endif
