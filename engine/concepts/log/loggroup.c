/*
 * loggroup.c — consumer groups: members, assignors, positions and
 * committed offsets (log.h).
 */
#include "engine/concepts/log/log.h"
#include "engine/base/budget.h"

#include <string.h>

#define NONE UINT64_MAX

int plog_group_init(struct plog_group *g, struct plog *l, enum plog_assignor a,
		    enum plog_reset reset)
{
	memset(g, 0, sizeof *g);
	g->l = l;
	g->assignor = a;
	g->reset = reset;
	size_t n = l->nparts;
	g->owner = budget_malloc(n * sizeof *g->owner);
	g->committed = budget_malloc(n * sizeof *g->committed);
	g->position = budget_malloc(n * sizeof *g->position);
	if (!g->owner || !g->committed || !g->position) {
		plog_group_free(g);
		return -1;
	}
	for (size_t p = 0; p < n; p++) {
		g->owner[p] = -1;
		g->committed[p] = NONE;
		g->position[p] = 0;
	}
	return 0;
}

void plog_group_free(struct plog_group *g)
{
	for (size_t i = 0; i < g->nmembers; i++)
		budget_free(g->members[i]);
	budget_free(g->members);
	budget_free(g->owner);
	budget_free(g->committed);
	budget_free(g->position);
	memset(g, 0, sizeof *g);
}

long plog_member(const struct plog_group *g, const char *name)
{
	for (size_t i = 0; i < g->nmembers; i++)
		if (strcmp(g->members[i], name) == 0)
			return (long)i;
	return -1;
}

uint64_t plog_start_for(const struct plog_group *g, uint32_t p)
{
	const struct plog_part *pp = &g->l->p[p];
	uint64_t c = g->committed[p];
	if (c != NONE && c >= pp->start && c <= pp->end)
		return c;
	return g->reset == PLOG_EARLIEST ? pp->start : pp->end;
}

/* The range assignor: sorted members get consecutive runs of partitions,
 * the first n mod m one more (Kafka's RangeAssignor, one topic). */
static void assign_range(const struct plog_group *g, long *to)
{
	size_t n = g->l->nparts, m = g->nmembers, per = n / m, extra = n % m;
	for (size_t i = 0, p = 0; i < m; i++)
		for (size_t k = 0; k < per + (i < extra); k++)
			to[p++] = (long)i;
}

/* Round robin: partition p to member p mod m (RoundRobinAssignor). */
static void assign_roundrobin(const struct plog_group *g, long *to)
{
	for (size_t p = 0; p < g->l->nparts; p++)
		to[p] = (long)(p % g->nmembers);
}

/* Sticky: balanced (counts differ by at most one), and each member keeps
 * as many of the partitions it owned as balance allows; the others go to
 * the members with the fewest. COUNT is scratch of nmembers. */
static void assign_sticky(const struct plog_group *g, long *to, size_t *count)
{
	size_t n = g->l->nparts, m = g->nmembers, floor = n / m, extra = n % m, big = 0;
	memset(count, 0, m * sizeof *count);
	for (size_t p = 0; p < n; p++) {
		long o = g->owner[p];
		to[p] = -1;
		if (o >= 0 && count[o] < floor) {
			to[p] = o;
			count[o]++;
		}
	}
	for (size_t p = 0; p < n; p++) {
		long o = g->owner[p];
		if (to[p] < 0 && o >= 0 && count[o] == floor && big < extra) {
			to[p] = o;
			count[o]++;
			big++;
		}
	}
	for (size_t p = 0; p < n; p++) {
		if (to[p] >= 0)
			continue;
		size_t best = 0;
		for (size_t j = 1; j < m; j++)
			if (count[j] < count[best])
				best = j;
		if (count[best] == floor)
			big++;
		to[p] = (long)best;
		count[best]++;
	}
}

int plog_rebalance(struct plog_group *g)
{
	size_t n = g->l->nparts, m = g->nmembers;
	long *to = budget_malloc(n * sizeof *to);
	size_t *count = budget_malloc((m ? m : 1) * sizeof *count);
	if (!to || !count) {
		budget_free(to);
		budget_free(count);
		return -1;
	}
	if (m == 0)
		for (size_t p = 0; p < n; p++)
			to[p] = -1;
	else if (g->assignor == PLOG_RANGE)
		assign_range(g, to);
	else if (g->assignor == PLOG_ROUNDROBIN_ASSIGN)
		assign_roundrobin(g, to);
	else
		assign_sticky(g, to, count);
	for (size_t p = 0; p < n; p++) {
		if (to[p] != g->owner[p]) {
			if (g->owner[p] != -1)
				g->moved++;
			g->position[p] = to[p] >= 0 ? plog_start_for(g, (uint32_t)p) : 0;
		}
		g->owner[p] = to[p];
	}
	g->generation++;
	budget_free(to);
	budget_free(count);
	return 0;
}

int plog_join(struct plog_group *g, const char *name)
{
	if (plog_member(g, name) >= 0)
		return 0;
	if (g->nmembers == g->cap) {
		size_t ncap = g->cap ? 2 * g->cap : 8;
		char **nm = budget_realloc(g->members, ncap * sizeof *nm);
		if (!nm)
			return -1;
		g->members = nm;
		g->cap = ncap;
	}
	char *copy = budget_strdup(name);
	if (!copy)
		return -1;
	size_t at = 0;
	while (at < g->nmembers && strcmp(g->members[at], name) < 0)
		at++;
	memmove(g->members + at + 1, g->members + at, (g->nmembers - at) * sizeof *g->members);
	g->members[at] = copy;
	g->nmembers++;
	for (size_t p = 0; p < g->l->nparts; p++)
		if (g->owner[p] >= (long)at)
			g->owner[p]++;
	return plog_rebalance(g) ? -1 : 1;
}

int plog_leave(struct plog_group *g, const char *name)
{
	long at = plog_member(g, name);
	if (at < 0)
		return 0;
	budget_free(g->members[at]);
	memmove(g->members + at, g->members + at + 1,
		(g->nmembers - (size_t)at - 1) * sizeof *g->members);
	g->nmembers--;
	for (size_t p = 0; p < g->l->nparts; p++) {
		if (g->owner[p] == at)
			g->owner[p] = -2;        /* no owner, and not "unchanged" */
		else if (g->owner[p] > at)
			g->owner[p]--;
	}
	int rc = plog_rebalance(g);
	for (size_t p = 0; p < g->l->nparts; p++)
		if (g->owner[p] == -2)
			g->owner[p] = -1;
	return rc ? -1 : 1;
}

void plog_restart(struct plog_group *g, long m)
{
	for (uint32_t p = 0; p < g->l->nparts; p++)
		if (g->owner[p] == m)
			g->position[p] = plog_start_for(g, p);
}

void plog_commit(struct plog_group *g, long m)
{
	for (size_t p = 0; p < g->l->nparts; p++)
		if (g->owner[p] == m)
			g->committed[p] = g->position[p];
}

size_t plog_poll(struct plog_group *g, long m, size_t max, struct plog_fetch *out)
{
	size_t got = 0;
	for (uint32_t p = 0; p < g->l->nparts && got < max; p++) {
		if (g->owner[p] != m)
			continue;
		const struct plog_part *pp = &g->l->p[p];
		if (g->position[p] < pp->start)    /* out of range: retention removed it */
			g->position[p] = g->reset == PLOG_EARLIEST ? pp->start : pp->end;
		for (size_t k = plog_seek(pp, g->position[p]); k < pp->n && got < max; k++) {
			out[got++] = (struct plog_fetch){.part = p, .rec = &pp->r[k]};
			g->position[p] = pp->r[k].offset + 1;
		}
	}
	return got;
}
