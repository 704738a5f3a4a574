/*
 * sbuf.h — a growable byte buffer, always NUL-terminated.
 *
 * A zeroed struct sbuf is an empty buffer. Allocation failure aborts the
 * process (like git's strbuf): callers never check, and no half-written
 * state is left behind. Free with sbuf_free(); sbuf_detach() hands the
 * bytes to the caller, who frees them with free().
 */
#ifndef BACKLAB_SBUF_H
#define BACKLAB_SBUF_H

#include <stdarg.h>
#include <stddef.h>

struct sbuf {
	char *buf; /* NUL-terminated when non-NULL */
	size_t len;
	size_t cap;
};

#define SBUF_INIT {NULL, 0, 0}

void sbuf_grow(struct sbuf *sb, size_t extra);
void sbuf_add(struct sbuf *sb, const void *data, size_t len);
void sbuf_adds(struct sbuf *sb, const char *s);
void sbuf_addc(struct sbuf *sb, char c);
void sbuf_addf(struct sbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void sbuf_vaddf(struct sbuf *sb, const char *fmt, va_list ap);
void sbuf_repeat(struct sbuf *sb, const char *s, size_t times);
void sbuf_truncate(struct sbuf *sb, size_t len);
/* The contents ("" when empty); valid until the next change. */
const char *sbuf_str(const struct sbuf *sb);
/* Returns the bytes (never NULL; free() them) and empties the buffer. */
char *sbuf_detach(struct sbuf *sb);
void sbuf_free(struct sbuf *sb);

/* xmalloc-style helpers used across the engine: abort on exhaustion. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
