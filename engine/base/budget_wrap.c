/*
 * budget_wrap.c — the system allocator, wrapped at link time (budget.h):
 * the build links backlab's C code with -Wl,--wrap=malloc (calloc,
 * realloc), so that their calls come here. A NULL from the system while an
 * account is current is told to the account (budget.exhausted): the code it
 * runs has exhausted memory, charged or not.
 *
 * In a file of its own so that a program linked without --wrap does not pull
 * it in (nothing then refers to __wrap_malloc), and needs no __real_malloc.
 */
#include "engine/base/budget.h"

#include <stdlib.h>

void *__real_malloc(size_t n);
void *__real_calloc(size_t count, size_t size);
void *__real_realloc(void *p, size_t n);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t count, size_t size);
void *__wrap_realloc(void *p, size_t n);

/* Tells the current account that the system refused memory; NULL. */
static void *refused(void)
{
	struct budget *b = budget_current();
	if (b && b->exhausted)
		b->exhausted(b);
	return NULL;
}

void *__wrap_malloc(size_t n)
{
	void *p = __real_malloc(n);
	return p || !n ? p : refused();
}

void *__wrap_calloc(size_t count, size_t size)
{
	void *p = __real_calloc(count, size);
	return p || !count || !size ? p : refused();
}

void *__wrap_realloc(void *p, size_t n)
{
	void *q = __real_realloc(p, n);
	return q || !n ? q : refused();
}
