/*
 * events.c — the event store of events.h.
 */
#include "engine/concepts/events/events.h"
#include "engine/base/budget.h"

#include <string.h>

void ev_init(struct ev_store *st)
{
	memset(st, 0, sizeof *st);
}

void ev_free(struct ev_store *st)
{
	for (size_t k = 0; k < st->n; k++) {
		budget_free(st->e[k].type);
		budget_free(st->e[k].data);
	}
	for (size_t i = 0; i < st->ns; i++) {
		budget_free(st->s[i].name);
		budget_free(st->s[i].pos);
		budget_free(st->s[i].snap);
	}
	budget_free(st->e);
	budget_free(st->s);
	memset(st, 0, sizeof *st);
}

/* A NUL-terminated copy of N bytes, or NULL. */
static char *dup_bytes(const char *p, size_t n)
{
	char *c = budget_malloc(n + 1);
	if (c) {
		memcpy(c, p, n);
		c[n] = '\0';
	}
	return c;
}

/* Makes room for NEED elements of SIZE in *P (capacity *CAP): 0 or -1. */
static int grow(void *p, size_t *cap, size_t need, size_t size)
{
	if (need <= *cap)
		return 0;
	size_t ncap = *cap ? *cap : 8;
	while (ncap < need)
		ncap *= 2;
	void *np = budget_realloc(*(void **)p, ncap * size);
	if (!np)
		return -1;
	*(void **)p = np;
	*cap = ncap;
	return 0;
}

long ev_find(const struct ev_store *st, const char *name, size_t nlen)
{
	for (size_t i = 0; i < st->ns; i++)
		if (st->s[i].nlen == nlen && memcmp(st->s[i].name, name, nlen) == 0)
			return (long)i;
	return -1;
}

uint64_t ev_version(const struct ev_store *st, const char *name, size_t nlen)
{
	long i = ev_find(st, name, nlen);
	return i < 0 ? 0 : st->s[i].n;
}

/* The index of stream NAME, created if needed; -1 when memory is refused. */
static long stream_for(struct ev_store *st, const char *name, size_t nlen)
{
	long i = ev_find(st, name, nlen);
	if (i >= 0)
		return i;
	if (grow(&st->s, &st->scap, st->ns + 1, sizeof *st->s))
		return -1;
	char *copy = dup_bytes(name, nlen);
	if (!copy)
		return -1;
	st->s[st->ns] = (struct ev_stream){.name = copy, .nlen = nlen};
	return (long)st->ns++;
}

int ev_append(struct ev_store *st, const char *name, size_t nlen, int any, uint64_t expected,
	      const struct ev_new *ev, size_t n, uint64_t *version)
{
	uint64_t now = ev_version(st, name, nlen);
	*version = now;
	if (!any && expected != now) {
		st->conflicts++;
		return 0;
	}
	long si = stream_for(st, name, nlen);
	if (si < 0)
		return -1;
	struct ev_stream *s = &st->s[si];
	if (grow(&st->e, &st->cap, st->n + n, sizeof *st->e) ||
	    grow(&s->pos, &s->cap, s->n + n, sizeof *s->pos))
		return -1;
	size_t k;
	for (k = 0; k < n; k++) {
		char *t = dup_bytes(ev[k].type, ev[k].tlen), *d = dup_bytes(ev[k].data, ev[k].dlen);
		if (!t || !d) {
			budget_free(t);
			budget_free(d);
			break;
		}
		st->e[st->n + k] = (struct ev_event){.stream = (size_t)si, .version = s->n + k + 1,
						     .type = t, .tlen = ev[k].tlen, .data = d,
						     .dlen = ev[k].dlen};
	}
	if (k < n) {                       /* all or nothing */
		for (size_t j = 0; j < k; j++) {
			budget_free(st->e[st->n + j].type);
			budget_free(st->e[st->n + j].data);
		}
		return -1;
	}
	for (k = 0; k < n; k++)
		s->pos[s->n + k] = st->n + k;
	s->n += n;
	st->n += n;
	*version = s->n;
	return 1;
}

int ev_snapshot(struct ev_store *st, const char *name, size_t nlen, uint64_t version,
		const char *state, size_t slen)
{
	long si = ev_find(st, name, nlen);
	if (si < 0 || version > st->s[si].n || version == 0)
		return 0;
	char *copy = dup_bytes(state, slen);
	if (!copy)
		return -1;
	struct ev_stream *s = &st->s[si];
	budget_free(s->snap);
	s->snap = copy;
	s->slen = slen;
	s->snap_version = version;
	return 1;
}
