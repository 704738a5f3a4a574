/* diag.c — collected diagnostics; see diag.h. */
#include "engine/base/diag.h"
#include "engine/base/sbuf.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void diags_add(struct diags *d, const char *file, int line, const char *fmt, ...)
{
	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 8;
		d->v = xrealloc(d->v, d->cap * sizeof *d->v);
	}
	struct sbuf sb = SBUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	sbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	d->v[d->n].file = xstrdup(file ? file : "?");
	d->v[d->n].line = line;
	d->v[d->n].msg = sbuf_detach(&sb);
	d->n++;
}

void diags_move(struct diags *dst, struct diags *src)
{
	for (size_t i = 0; i < src->n; i++) {
		if (dst->n == dst->cap) {
			dst->cap = dst->cap ? dst->cap * 2 : 8;
			dst->v = xrealloc(dst->v, dst->cap * sizeof *dst->v);
		}
		dst->v[dst->n++] = src->v[i];
	}
	free(src->v);
	src->v = NULL;
	src->n = src->cap = 0;
}

void diags_sort(struct diags *d)
{
	/* insertion sort: stable, and lists are short */
	for (size_t i = 1; i < d->n; i++) {
		struct diag x = d->v[i];
		size_t j = i;
		while (j > 0) {
			int c = strcmp(d->v[j - 1].file, x.file);
			if (c < 0 || (c == 0 && d->v[j - 1].line <= x.line))
				break;
			d->v[j] = d->v[j - 1];
			j--;
		}
		d->v[j] = x;
	}
}

char *diag_format(const struct diag *dg)
{
	if (dg->line > 0)
		return xasprintf("%s:%d: %s", dg->file, dg->line, dg->msg);
	return xasprintf("%s: %s", dg->file, dg->msg);
}

void diags_free(struct diags *d)
{
	for (size_t i = 0; i < d->n; i++) {
		free(d->v[i].file);
		free(d->v[i].msg);
	}
	free(d->v);
	d->v = NULL;
	d->n = d->cap = 0;
}
