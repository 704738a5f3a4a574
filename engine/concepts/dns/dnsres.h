/*
 * dnsres.h — a recursive resolver over the built-in zones (dnszone.h),
 * with a cache on simulated time.
 *
 * The algorithm is RFC 1034 section 5.3.3's: answer from the cache if it
 * can; otherwise start at the closest zone cut whose NS records are cached
 * (or at the root hints), ask one of its servers, follow referrals (caching
 * the NS records and the glue), look up the address of a name server that
 * came without glue, and follow CNAME chains, across zones if need be (at
 * most 8 links: more, or a loop, is SERVFAIL).
 *
 * Caching: every RRset of a response is cached for its TTL (the smallest
 * TTL of the set, RFC 2181 5.2); NXDOMAIN (for the name, any type) and
 * NODATA (for the name and type) are cached for the TTL of the SOA the
 * server sent, which it set to min(SOA TTL, MINIMUM) (RFC 2308 sections 3
 * and 5). Answers from the cache carry the TTL that remains, in whole
 * seconds. An entry expires when now >= cached at + TTL.
 *
 * Time moves only with dns_resolver_advance(); each query's simulated round
 * trip is added to the resolution's elapsed time, not to the clock.
 */
#ifndef BACKLAB_DNSRES_H
#define BACKLAB_DNSRES_H

#include "engine/concepts/dns/dnswire.h"

enum dns_cache_kind { DNS_CACHE_POSITIVE, DNS_CACHE_NODATA, DNS_CACHE_NXDOMAIN };

struct dns_crr {
	uint8_t *rdata;
	uint16_t n;
};

struct dns_centry {
	char *name;    /* owned */
	uint16_t type; /* 0 for NXDOMAIN */
	enum dns_cache_kind kind;
	double expires;
	uint32_t ttl;       /* as received */
	struct dns_crr *rr; /* positive: the RRset; negative: the SOA (one) */
	size_t nrr;
	char *soa_owner; /* negative entries: the SOA's owner */
};

/* One step of a resolution, for the learner to read. */
struct dns_step {
	int from_cache;          /* answered from the cache */
	int verdict;             /* the resolver's own conclusion (SERVFAIL) */
	const char *server, *ip; /* static (dnszone.c); NULL for cache steps */
	char *name;              /* owned: the name asked about */
	uint16_t type;
	char result[160]; /* "referral to com.", "answer", "NXDOMAIN", ... */
	double rtt;
	int depth; /* 0, or 1.. for lookups of a name server's address */
};

struct dns_resolver {
	double now;
	struct dns_centry *c;
	size_t nc, capc;
	struct dns_step *t; /* the last resolution's steps */
	size_t nt, capt;
	unsigned long queries; /* last resolution */
	double elapsed;        /* last resolution, seconds */
	unsigned long total_queries, total_hits;
	uint16_t next_id;
};

void dns_resolver_init(struct dns_resolver *r);
void dns_resolver_free(struct dns_resolver *r);
void dns_resolver_advance(struct dns_resolver *r, double dt);
void dns_resolver_flush(struct dns_resolver *r);

/* Drops expired entries (lookups ignore them anyway). */
void dns_resolver_prune(struct dns_resolver *r);

/*
 * Resolves NAME, TYPE. The result is a response message in *OUT
 * (initialised here): the answers (the CNAME chain, then the records),
 * the SOA for a negative answer, and the RCODE (NOERROR, NXDOMAIN or
 * SERVFAIL). 0, or -2 without memory.
 */
int dns_resolve(struct dns_resolver *r, const char *name, uint16_t type, struct dns_msg *out);

#endif
