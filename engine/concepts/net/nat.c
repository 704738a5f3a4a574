/*
 * nat.c — NAT44 mapping and filtering per RFC 4787 (see nat.h).
 */
#include "engine/concepts/net/nat.h"

#include "engine/base/budget.h"

#include <string.h>

void nat_init(struct nat *t, const struct nat_conf *conf)
{
	memset(t, 0, sizeof *t);
	t->conf = *conf;
	t->next_port = conf->port_lo;
}

void nat_free(struct nat *t)
{
	for (size_t i = 0; i < t->n; i++)
		budget_free(t->m[i].seen);
	budget_free(t->m);
	t->m = NULL;
	t->n = t->cap = 0;
}

static void drop(struct nat *t, size_t i)
{
	budget_free(t->m[i].seen);
	memmove(&t->m[i], &t->m[i + 1], (t->n - i - 1) * sizeof *t->m);
	t->n--;
}

void nat_advance(struct nat *t, double now)
{
	if (now > t->now)
		t->now = now;
	for (size_t i = 0; i < t->n;) {
		if (t->now >= t->m[i].expires)
			drop(t, i);
		else
			i++;
	}
}

static int same_ep(struct nat_ep a, struct nat_ep b)
{
	return a.ip == b.ip && a.port == b.port;
}

/* The mapping outbound packets from SRC to DST use, or NULL. */
static struct nat_map *find_out(struct nat *t, struct nat_ep src, struct nat_ep dst)
{
	for (size_t i = 0; i < t->n; i++) {
		struct nat_map *m = &t->m[i];
		if (!same_ep(m->in, src))
			continue;
		if (t->conf.mapping == NAT_INDEPENDENT ||
		    (t->conf.mapping == NAT_ADDRESS && m->remote.ip == dst.ip) ||
		    (t->conf.mapping == NAT_ADDRESS_PORT && same_ep(m->remote, dst)))
			return m;
	}
	return NULL;
}

static struct nat_map *find_pub(struct nat *t, uint16_t pub)
{
	for (size_t i = 0; i < t->n; i++)
		if (t->m[i].pub == pub)
			return &t->m[i];
	return NULL;
}

/* A free public port, or 0 when all are taken. */
static uint16_t alloc_port(struct nat *t, uint16_t wanted)
{
	const struct nat_conf *c = &t->conf;
	if (c->preserve_port && wanted >= c->port_lo && wanted <= c->port_hi &&
	    !find_pub(t, wanted))
		return wanted;
	unsigned span = (unsigned)c->port_hi - c->port_lo + 1;
	for (unsigned k = 0; k < span; k++) {
		uint16_t p = t->next_port;
		t->next_port = p == c->port_hi ? c->port_lo : (uint16_t)(p + 1);
		if (!find_pub(t, p))
			return p;
	}
	return 0;
}

/* Remembers that M sent to DST (for filtering). -1 without memory. */
static int remember(struct nat_map *m, struct nat_ep dst)
{
	for (size_t i = 0; i < m->nseen; i++)
		if (same_ep(m->seen[i], dst))
			return 0;
	if (m->nseen == m->capseen) {
		size_t cap = m->capseen ? 2 * m->capseen : 4;
		struct nat_ep *s = budget_realloc(m->seen, cap * sizeof *s);
		if (!s)
			return -1;
		m->seen = s;
		m->capseen = cap;
	}
	m->seen[m->nseen++] = dst;
	return 0;
}

static int permitted(const struct nat *t, const struct nat_map *m, struct nat_ep src)
{
	if (t->conf.filtering == NAT_INDEPENDENT)
		return 1;
	for (size_t i = 0; i < m->nseen; i++) {
		if (m->seen[i].ip != src.ip)
			continue;
		if (t->conf.filtering == NAT_ADDRESS || m->seen[i].port == src.port)
			return 1;
	}
	return 0;
}

/* The mapping for SRC -> DST, made if needed. NULL with R->verdict set. */
static struct nat_map *mapping_for(struct nat *t, struct nat_ep src, struct nat_ep dst,
                                   struct nat_result *r)
{
	struct nat_map *m = find_out(t, src, dst);
	if (m)
		return m;
	if (t->n == t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 8;
		struct nat_map *nm = budget_realloc(t->m, cap * sizeof *nm);
		if (!nm) {
			r->verdict = NAT_NO_MEMORY;
			return NULL;
		}
		t->m = nm;
		t->cap = cap;
	}
	uint16_t pub = alloc_port(t, src.port);
	if (pub == 0) {
		r->verdict = NAT_NO_PORTS;
		return NULL;
	}
	m = &t->m[t->n++];
	memset(m, 0, sizeof *m);
	m->in = src;
	m->remote = dst;
	if (t->conf.mapping == NAT_ADDRESS)
		m->remote.port = 0;
	if (t->conf.mapping == NAT_INDEPENDENT)
		m->remote = (struct nat_ep){0, 0};
	m->pub = pub;
	m->created = t->now;
	return m;
}

void nat_outbound(struct nat *t, double now, struct nat_ep src, struct nat_ep dst,
                  struct nat_result *r)
{
	nat_advance(t, now);
	struct nat_map *m = mapping_for(t, src, dst, r);
	if (!m)
		return;
	if (remember(m, dst) != 0) {
		r->verdict = NAT_NO_MEMORY;
		if (m->nseen == 0)
			t->n--; /* the mapping just made holds nothing yet */
		return;
	}
	m->expires = t->now + t->conf.timeout;
	r->src = (struct nat_ep){t->conf.public_ip, m->pub};
	r->dst = dst;
	r->verdict = NAT_PASS;
	if (dst.ip != t->conf.public_ip)
		return;
	/* to our own public address: hairpinning (RFC 4787 section 6) */
	if (!t->conf.hairpin) {
		r->verdict = NAT_DROPPED;
		return;
	}
	struct nat_map *target = find_pub(t, dst.port);
	if (!target || target == m) {
		r->verdict = NAT_NO_MAPPING;
		return;
	}
	if (!permitted(t, target, r->src)) {
		r->verdict = NAT_FILTERED;
		return;
	}
	r->dst = target->in;
	r->verdict = NAT_HAIRPIN;
}

void nat_inbound(struct nat *t, double now, struct nat_ep src, uint16_t pub, struct nat_result *r)
{
	nat_advance(t, now);
	struct nat_map *m = find_pub(t, pub);
	r->src = src;
	r->dst = (struct nat_ep){t->conf.public_ip, pub};
	if (!m) {
		r->verdict = NAT_NO_MAPPING;
		return;
	}
	if (!permitted(t, m, src)) {
		r->verdict = NAT_FILTERED;
		return;
	}
	if (t->conf.inbound_refresh)
		m->expires = t->now + t->conf.timeout;
	r->dst = m->in;
	r->verdict = NAT_PASS;
}

const char *nat_verdict_text(enum nat_verdict v)
{
	switch (v) {
	case NAT_PASS:
		return "passed";
	case NAT_HAIRPIN:
		return "hairpinned";
	case NAT_NO_MAPPING:
		return "no mapping for that public port";
	case NAT_FILTERED:
		return "filtered: the internal host never sent to this sender";
	case NAT_NO_PORTS:
		return "no free public port";
	case NAT_NO_MEMORY:
		return "not enough memory";
	case NAT_DROPPED:
		return "dropped: this NAT does not hairpin";
	}
	return "?";
}
