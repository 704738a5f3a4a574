/*
 * budget.c — see budget.h. Each block carries a header with its size and
 * the account it was charged to; the header is as large as max_align_t so
 * that the caller's part keeps malloc's alignment.
 */
#include "engine/base/budget.h"

#include <stdalign.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct head {
	struct budget *owner; /* charged to this account; NULL: none */
	size_t size;          /* bytes of the caller's part */
};

#define HEAD ((sizeof(struct head) + alignof(max_align_t) - 1) / alignof(max_align_t) * \
	      alignof(max_align_t))

static struct budget *current;
static size_t total;

struct budget *budget_enter(struct budget *b)
{
	struct budget *prev = current;
	current = b;
	return prev;
}

void budget_leave(struct budget *previous)
{
	current = previous;
}

struct budget *budget_current(void)
{
	return current;
}

static struct head *head_of(void *p)
{
	return (struct head *)((char *)p - HEAD);
}

void *budget_malloc(size_t n)
{
	if (n > SIZE_MAX - HEAD)
		return NULL;
	if (current && current->charge(current, n) != 0)
		return NULL;
	struct head *h = malloc(HEAD + n);
	if (!h) {
		if (current)
			current->credit(current, n);
		return NULL;
	}
	h->owner = current;
	h->size = n;
	total += n;
	return (char *)h + HEAD;
}

void *budget_calloc(size_t count, size_t size)
{
	if (size && count > SIZE_MAX / size)
		return NULL;
	void *p = budget_malloc(count * size);
	if (p)
		memset(p, 0, count * size);
	return p;
}

void *budget_realloc(void *p, size_t n)
{
	if (!p)
		return budget_malloc(n);
	if (n > SIZE_MAX - HEAD)
		return NULL;
	struct head *h = head_of(p);
	size_t old = h->size;
	struct budget *owner = h->owner;
	if (n > old && owner && owner->charge(owner, n - old) != 0)
		return NULL;
	struct head *nh = realloc(h, HEAD + n);
	if (!nh) {
		if (n > old && owner)
			owner->credit(owner, n - old);
		return n <= old ? p : NULL; /* a shrink keeps the larger block */
	}
	if (n < old && owner)
		owner->credit(owner, old - n);
	nh->size = n;
	total = total - old + n;
	return (char *)nh + HEAD;
}

void budget_free(void *p)
{
	if (!p)
		return;
	struct head *h = head_of(p);
	if (h->owner)
		h->owner->credit(h->owner, h->size);
	total -= h->size;
	free(h);
}

char *budget_strdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *d = budget_malloc(n);
	if (d)
		memcpy(d, s, n);
	return d;
}

const char *budget_stop(void)
{
	return current ? current->stop(current) : NULL;
}

size_t budget_bytes(void)
{
	return total;
}
