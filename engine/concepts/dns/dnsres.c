/*
 * dnsres.c — the recursive resolver and its cache (see dnsres.h).
 */
#include "engine/concepts/dns/dnsres.h"

#include "engine/base/budget.h"
#include "engine/concepts/dns/dnszone.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define MAX_CHAIN 8
#define MAX_STEPS 24
#define MAX_DEPTH 3

void dns_resolver_init(struct dns_resolver *r)
{
	memset(r, 0, sizeof *r);
	r->next_id = 1;
}

static void entry_free(struct dns_centry *e)
{
	for (size_t i = 0; i < e->nrr; i++)
		budget_free(e->rr[i].rdata);
	budget_free(e->rr);
	budget_free(e->name);
	budget_free(e->soa_owner);
}

static void steps_clear(struct dns_resolver *r)
{
	for (size_t i = 0; i < r->nt; i++)
		budget_free(r->t[i].name);
	r->nt = 0;
}

void dns_resolver_flush(struct dns_resolver *r)
{
	for (size_t i = 0; i < r->nc; i++)
		entry_free(&r->c[i]);
	r->nc = 0;
}

void dns_resolver_free(struct dns_resolver *r)
{
	dns_resolver_flush(r);
	steps_clear(r);
	budget_free(r->c);
	budget_free(r->t);
	memset(r, 0, sizeof *r);
}

void dns_resolver_advance(struct dns_resolver *r, double dt)
{
	if (dt > 0)
		r->now += dt;
}

void dns_resolver_prune(struct dns_resolver *r)
{
	size_t w = 0;
	for (size_t i = 0; i < r->nc; i++) {
		if (r->now >= r->c[i].expires)
			entry_free(&r->c[i]);
		else
			r->c[w++] = r->c[i];
	}
	r->nc = w;
}

static char *dup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = budget_malloc(n);
	if (p)
		memcpy(p, s, n);
	return p;
}

/* ---- the cache ---- */

static struct dns_centry *find(struct dns_resolver *r, const char *name, uint16_t type)
{
	for (size_t i = 0; i < r->nc; i++) {
		struct dns_centry *e = &r->c[i];
		if (e->type == type && r->now < e->expires && dns_name_eq(e->name, name))
			return e;
	}
	return NULL;
}

/* Replaces the entry for NAME, TYPE with a new one holding the records of
 * SEC in M that have that owner and type (or, negative, the SOA there). */
static int store(struct dns_resolver *r, const char *name, uint16_t type, enum dns_cache_kind kind,
                 const struct dns_msg *m, int sec, uint16_t rrtype)
{
	for (size_t i = 0; i < r->nc; i++)
		if (r->c[i].type == type && dns_name_eq(r->c[i].name, name)) {
			entry_free(&r->c[i]);
			r->c[i] = r->c[--r->nc];
			break;
		}
	if (r->nc == r->capc) {
		size_t cap = r->capc ? 2 * r->capc : 32;
		struct dns_centry *c = budget_realloc(r->c, cap * sizeof *c);
		if (!c)
			return -2;
		r->c = c;
		r->capc = cap;
	}
	struct dns_centry e = {0};
	e.type = type;
	e.kind = kind;
	e.ttl = 0xFFFFFFFFu;
	e.name = dup(name);
	int rc = e.name ? 0 : -2;
	for (size_t i = 0; rc == 0 && i < m->nrr[sec]; i++) {
		const struct dns_rr *x = &m->rr[sec][i];
		if (x->type != rrtype ||
		    (kind == DNS_CACHE_POSITIVE && !dns_name_eq(x->name, name)))
			continue;
		struct dns_crr *rr = budget_realloc(e.rr, (e.nrr + 1) * sizeof *rr);
		uint8_t *d = budget_malloc(x->rdlen ? x->rdlen : 1);
		if (rr)
			e.rr = rr;
		if (!rr || !d) {
			budget_free(d);
			rc = -2;
			break;
		}
		memcpy(d, x->rdata, x->rdlen);
		e.rr[e.nrr++] = (struct dns_crr){d, x->rdlen};
		if (x->ttl < e.ttl)
			e.ttl = x->ttl;
		if (kind != DNS_CACHE_POSITIVE && !e.soa_owner && !(e.soa_owner = dup(x->name)))
			rc = -2;
	}
	if (rc != 0 || e.nrr == 0) {
		entry_free(&e);
		return rc;
	}
	e.expires = r->now + e.ttl;
	r->c[r->nc++] = e;
	return 0;
}

/* Caches every RRset of section SEC of M. */
static int store_all(struct dns_resolver *r, const struct dns_msg *m, int sec)
{
	for (size_t i = 0; i < m->nrr[sec]; i++) {
		const struct dns_rr *x = &m->rr[sec][i];
		int first = 1;
		for (size_t k = 0; k < i; k++)
			if (m->rr[sec][k].type == x->type &&
			    dns_name_eq(m->rr[sec][k].name, x->name))
				first = 0;
		if (first && store(r, x->name, x->type, DNS_CACHE_POSITIVE, m, sec, x->type))
			return -2;
	}
	return 0;
}

static uint32_t remaining(const struct dns_resolver *r, const struct dns_centry *e)
{
	double left = e->expires - r->now;
	return left <= 0 ? 0 : (uint32_t)floor(left + 1e-9);
}

/* Appends the cached records of E to section SEC of OUT. */
static int from_cache(struct dns_resolver *r, const struct dns_centry *e, struct dns_msg *out,
                      int sec)
{
	uint16_t type = e->kind == DNS_CACHE_POSITIVE ? e->type : DNS_SOA;
	const char *owner = e->kind == DNS_CACHE_POSITIVE ? e->name : e->soa_owner;
	for (size_t i = 0; i < e->nrr; i++)
		if (dns_msg_rr(out, sec, owner, type, DNS_IN, remaining(r, e), e->rr[i].rdata,
		               e->rr[i].n))
			return -2;
	return 0;
}

/* ---- the trace ---- */

static struct dns_step *step(struct dns_resolver *r, const char *name, uint16_t type, int depth)
{
	if (r->nt == r->capt) {
		size_t cap = r->capt ? 2 * r->capt : 16;
		struct dns_step *t = budget_realloc(r->t, cap * sizeof *t);
		if (!t)
			return NULL;
		r->t = t;
		r->capt = cap;
	}
	struct dns_step *s = &r->t[r->nt];
	memset(s, 0, sizeof *s);
	if (!(s->name = dup(name)))
		return NULL;
	s->type = type;
	s->depth = depth;
	r->nt++;
	return s;
}

static int cache_step(struct dns_resolver *r, const char *name, uint16_t type, int depth,
                      const char *what)
{
	struct dns_step *s = step(r, name, type, depth);
	if (!s)
		return -2;
	s->from_cache = 1;
	snprintf(s->result, sizeof s->result, "%s", what);
	r->total_hits++;
	return 0;
}

/* The resolver gives up on NAME: SERVFAIL in OUT, and a step saying why. */
static int servfail(struct dns_resolver *r, struct dns_msg *out, const char *name, uint16_t type,
                    int depth, const char *why)
{
	out->flags = (uint16_t)((out->flags & ~15u) | DNS_SERVFAIL);
	struct dns_step *s = step(r, name, type, depth);
	if (!s)
		return -2;
	s->verdict = 1;
	snprintf(s->result, sizeof s->result, "SERVFAIL: %s", why);
	return 0;
}

/* ---- asking the servers ---- */

static int resolve(struct dns_resolver *r, const char *name, uint16_t type, struct dns_msg *out,
                   int depth);

/* The target of the CNAME record of NAME in section 0 of M, or NULL. */
static const char *cname_in(const struct dns_msg *m, const char *name, char buf[DNS_TEXT_MAX])
{
	for (size_t i = 0; i < m->nrr[DNS_ANSWER]; i++) {
		const struct dns_rr *x = &m->rr[DNS_ANSWER][i];
		size_t used;
		struct dns_error e;
		if (x->type == DNS_CNAME && dns_name_eq(x->name, name) &&
		    dns_name_decode(x->rdata, x->rdlen, 0, buf, &used, &e) == 0)
			return buf;
	}
	return NULL;
}

/* An address of one of the name servers of ZONE (from the cache, or looked
 * up), as text in IP; 0, 1 if none could be found, -2 without memory. */
static int server_ip(struct dns_resolver *r, const char *zone, int depth, char ip[64])
{
	if (strcmp(zone, ".") == 0) {
		snprintf(ip, 64, "%s", dns_servers[0].ip); /* the root hints */
		return 0;
	}
	struct dns_centry *ns = find(r, zone, DNS_NS);
	for (int pass = 0; ns && pass < 2; pass++) {
		for (size_t i = 0; i < ns->nrr; i++) {
			char host[DNS_TEXT_MAX];
			size_t used;
			struct dns_error e;
			if (dns_name_decode(ns->rr[i].rdata, ns->rr[i].n, 0, host, &used, &e) != 0)
				continue;
			struct dns_centry *a = find(r, host, DNS_A);
			if (!a && pass == 1 && depth < MAX_DEPTH) { /* no glue: look it up */
				struct dns_msg tmp;
				int rc = resolve(r, host, DNS_A, &tmp, depth + 1);
				dns_msg_free(&tmp);
				if (rc)
					return rc;
				ns = find(r, zone, DNS_NS); /* the cache may have moved */
				if (!ns)
					return 1;
				a = find(r, host, DNS_A);
			}
			if (a && a->nrr && a->rr[0].n == 4) {
				const uint8_t *d = a->rr[0].rdata;
				snprintf(ip, 64, "%u.%u.%u.%u", d[0], d[1], d[2], d[3]);
				return 0;
			}
		}
	}
	return 1;
}

/* The deepest ancestor of NAME whose NS records are cached, or ".". */
static const char *closest_cut(struct dns_resolver *r, const char *name)
{
	const char *p = name;
	for (;;) {
		if (strcmp(p, ".") == 0)
			return ".";
		if (find(r, p, DNS_NS))
			return p;
		const char *dot = strchr(p, '.');
		while (dot && dot > p && dot[-1] == '\\')
			dot = strchr(dot + 1, '.');
		p = dot && dot[1] ? dot + 1 : ".";
	}
}

/*
 * Asks servers about NAME, TYPE from the closest known cut down, following
 * referrals. 0 with the final response in *RESP, 1 for SERVFAIL (with *WHY),
 * -2 without memory.
 */
static int iterate(struct dns_resolver *r, const char *name, uint16_t type, struct dns_msg *resp,
                   int depth, const char **why)
{
	char zone[DNS_TEXT_MAX];
	snprintf(zone, sizeof zone, "%s", closest_cut(r, name));
	memset(resp, 0, sizeof *resp);
	for (int n = 0; n < MAX_STEPS; n++) {
		char ip[64];
		int rc = server_ip(r, zone, depth, ip);
		if (rc == 1) {
			*why = "no address for any name server of the zone";
			return 1;
		}
		if (rc)
			return rc;
		const struct dns_server *srv = dns_server_find(ip);
		if (dns_server_answer(ip, r->next_id++, name, type, resp))
			return -2;
		struct dns_step *s = step(r, name, type, depth);
		if (!s)
			return -2;
		s->server = srv ? srv->name : "?";
		s->ip = srv ? srv->ip : "?";
		s->rtt = srv ? srv->rtt : 0;
		r->elapsed += s->rtt;
		r->queries++;
		r->total_queries++;
		int rcode = DNS_RCODE(resp->flags);
		if (rcode == DNS_REFUSED) {
			snprintf(s->result, sizeof s->result, "REFUSED");
			*why = "a server refused (lame delegation)";
			return 1;
		}
		int referral = !(resp->flags & DNS_AA) && resp->nrr[DNS_ANSWER] == 0 &&
		               resp->nrr[DNS_AUTHORITY] > 0 &&
		               resp->rr[DNS_AUTHORITY][0].type == DNS_NS;
		if (!referral) {
			char buf[DNS_TEXT_MAX];
			const char *t = cname_in(resp, name, buf);
			if (rcode == DNS_NXDOMAIN)
				snprintf(s->result, sizeof s->result, "NXDOMAIN");
			else if (resp->nrr[DNS_ANSWER] == 0)
				snprintf(s->result, sizeof s->result, "NODATA");
			else if (t && type != DNS_CNAME)
				snprintf(s->result, sizeof s->result, "answer: CNAME %.140s", t);
			else
				snprintf(s->result, sizeof s->result, "answer");
			return 0;
		}
		const char *cut = resp->rr[DNS_AUTHORITY][0].name;
		snprintf(s->result, sizeof s->result, "referral to %.140s", cut);
		if (!dns_name_under(cut, zone) || dns_name_eq(cut, zone) ||
		    !dns_name_under(name, cut)) {
			*why = "a referral that does not lead closer to the name";
			return 1;
		}
		if (store(r, cut, DNS_NS, DNS_CACHE_POSITIVE, resp, DNS_AUTHORITY, DNS_NS) ||
		    store_all(r, resp, DNS_ADDITIONAL))
			return -2;
		snprintf(zone, sizeof zone, "%s", cut);
		dns_msg_free(resp);
	}
	*why = "too many referrals";
	return 1;
}

/* Copies the records of section SEC of M owned by NAME with TYPE to OUT. */
static int copy_rrs(const struct dns_msg *m, int sec, const char *name, uint16_t type,
                    struct dns_msg *out, int osec)
{
	for (size_t i = 0; i < m->nrr[sec]; i++) {
		const struct dns_rr *x = &m->rr[sec][i];
		if (x->type == type && (!name || dns_name_eq(x->name, name)) &&
		    dns_msg_rr(out, osec, x->name, x->type, x->class, x->ttl, x->rdata, x->rdlen))
			return -2;
	}
	return 0;
}

static int resolve(struct dns_resolver *r, const char *name, uint16_t type, struct dns_msg *out,
                   int depth)
{
	memset(out, 0, sizeof *out);
	out->flags = DNS_QR | DNS_RA | DNS_RD;
	if (dns_msg_question(out, name, type, DNS_IN))
		return -2;
	char cur[DNS_TEXT_MAX], buf[DNS_TEXT_MAX], seen[MAX_CHAIN + 1][DNS_TEXT_MAX];
	snprintf(cur, sizeof cur, "%s", name);
	int hops = 0, rc;
	for (;;) {
		int loop = 0;
		for (int k = 0; k < hops && k <= MAX_CHAIN; k++)
			loop |= dns_name_eq(seen[k], cur);
		if (hops > MAX_CHAIN || loop)
			return servfail(r, out, cur, type, depth,
			                loop ? "a CNAME loop" : "a CNAME chain longer than 8");
		if (hops <= MAX_CHAIN)
			snprintf(seen[hops], sizeof seen[hops], "%s", cur);
		struct dns_centry *e;
		if ((e = find(r, cur, 0))) {
			out->flags |= DNS_NXDOMAIN;
			return from_cache(r, e, out, DNS_AUTHORITY) ||
			               cache_step(r, cur, type, depth, "NXDOMAIN (cached)")
			           ? -2
			           : 0;
		}
		if ((e = find(r, cur, type))) {
			int neg = e->kind == DNS_CACHE_NODATA;
			return from_cache(r, e, out, neg ? DNS_AUTHORITY : DNS_ANSWER) ||
			               cache_step(r, cur, type, depth,
			                          neg ? "NODATA (cached)" : "answer (cached)")
			           ? -2
			           : 0;
		}
		if (type != DNS_CNAME && (e = find(r, cur, DNS_CNAME))) {
			size_t used;
			struct dns_error de;
			if (from_cache(r, e, out, DNS_ANSWER) ||
			    cache_step(r, cur, DNS_CNAME, depth, "CNAME (cached)"))
				return -2;
			if (dns_name_decode(e->rr[0].rdata, e->rr[0].n, 0, buf, &used, &de) != 0)
				return -2;
			snprintf(cur, sizeof cur, "%s", buf);
			hops++;
			continue; /* the loop check at the top sees the new name */
		}
		struct dns_msg resp;
		const char *why = NULL;
		rc = iterate(r, cur, type, &resp, depth, &why);
		if (rc == 1) {
			dns_msg_free(&resp);
			return servfail(r, out, cur, type, depth, why);
		}
		if (rc) {
			dns_msg_free(&resp);
			return rc;
		}
		rc = store_all(r, &resp, DNS_ANSWER);
		int hops_before = hops;
		/* follow the chain inside the response */
		const char *t;
		int looped = 0;
		while (rc == 0 && type != DNS_CNAME && hops < MAX_CHAIN && !looped &&
		       (t = cname_in(&resp, cur, buf))) {
			rc = copy_rrs(&resp, DNS_ANSWER, cur, DNS_CNAME, out, DNS_ANSWER);
			snprintf(cur, sizeof cur, "%s", t);
			for (int k = 0; k <= hops; k++)
				looped |= dns_name_eq(seen[k], cur);
			hops++;
			if (!looped)
				snprintf(seen[hops], sizeof seen[hops], "%s", cur);
		}
		if (looped) {
			dns_msg_free(&resp);
			return rc ? rc : servfail(r, out, cur, type, depth, "a CNAME loop");
		}
		int got = 0;
		for (size_t i = 0; i < resp.nrr[DNS_ANSWER]; i++)
			got |= resp.rr[DNS_ANSWER][i].type == type &&
			       dns_name_eq(resp.rr[DNS_ANSWER][i].name, cur);
		int rcode = DNS_RCODE(resp.flags);
		int soa = resp.nrr[DNS_AUTHORITY] && resp.rr[DNS_AUTHORITY][0].type == DNS_SOA;
		int done = 1;
		if (rc == 0 && got) {
			rc = copy_rrs(&resp, DNS_ANSWER, cur, type, out, DNS_ANSWER);
		} else if (rc == 0 && rcode == DNS_NXDOMAIN) {
			out->flags |= DNS_NXDOMAIN;
			rc = store(r, cur, 0, DNS_CACHE_NXDOMAIN, &resp, DNS_AUTHORITY, DNS_SOA);
			if (rc == 0)
				rc = copy_rrs(&resp, DNS_AUTHORITY, NULL, DNS_SOA, out,
				              DNS_AUTHORITY);
		} else if (rc == 0 && soa) {
			rc = store(r, cur, type, DNS_CACHE_NODATA, &resp, DNS_AUTHORITY, DNS_SOA);
			if (rc == 0)
				rc = copy_rrs(&resp, DNS_AUTHORITY, NULL, DNS_SOA, out,
				              DNS_AUTHORITY);
		} else if (hops > hops_before) {
			done = 0; /* a CNAME into another zone: go on with its target */
		} else {
			rc = servfail(r, out, cur, type, depth, "a response with nothing to use");
		}
		dns_msg_free(&resp);
		if (rc || done)
			return rc;
	}
}

int dns_resolve(struct dns_resolver *r, const char *name, uint16_t type, struct dns_msg *out)
{
	steps_clear(r);
	r->queries = 0;
	r->elapsed = 0;
	return resolve(r, name, type, out, 0);
}
