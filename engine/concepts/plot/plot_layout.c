/*
 * plot_layout.c — the machinery the charts share: text cut to a number of
 * columns, rows of cells, numbers and round steps. See plot_impl.h.
 */
#include "engine/concepts/plot/plot_impl.h"
#include "engine/base/utf8.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int plot_style_check(const struct plot_style *s)
{
	if (s->width < PLOT_MIN_WIDTH || s->width > PLOT_MAX_WIDTH)
		return PLOT_EWIDTH;
	return PLOT_OK;
}

/* ---- text ---- */

/*
 * The next glyph of S[0..LEN): stores its output bytes (NUL-terminated) in
 * OUT and its columns in *COLS, and returns how many input bytes it used.
 * Control characters and malformed UTF-8 become '?' (tab and line breaks a
 * space); in ASCII mode so does every non-ASCII character.
 */
static size_t glyph(const char *s, size_t len, int utf8, char out[5], int *cols)
{
	unsigned char c = (unsigned char)s[0];
	*cols = 1;
	if (c < 0x80) {
		if (c == '\t' || c == '\n' || c == '\r')
			c = ' ';
		else if (c < 0x20 || c == 0x7F)
			c = '?';
		out[0] = (char)c;
		out[1] = '\0';
		return 1;
	}
	uint32_t cp;
	int n = utf8_decode(s, len, &cp);
	int w = utf8_cpwidth(cp);
	if (n == 1 || !utf8 || (cp >= 0x80 && cp < 0xA0)) { /* malformed, ASCII, C1 */
		out[0] = '?';
		out[1] = '\0';
		return (size_t)n;
	}
	memcpy(out, s, (size_t)n);
	out[n] = '\0';
	*cols = w;
	return (size_t)n;
}

int plot_text_width(const char *s, int utf8)
{
	if (!s)
		return 0;
	size_t len = strlen(s), i = 0;
	int w = 0, cols;
	char g[5];
	while (i < len) {
		i += glyph(s + i, len - i, utf8, g, &cols);
		w += cols;
	}
	return w;
}

int plot_text_put(struct sbuf *sb, const char *s, int maxcols, int utf8)
{
	if (!s || maxcols <= 0)
		return 0;
	int total = plot_text_width(s, utf8);
	const char *ell = "";
	int ellw = 0, room = maxcols;
	if (total > maxcols) {
		ell = utf8 ? "\xe2\x80\xa6" : "...";
		ellw = utf8 ? 1 : 3;
		if (ellw >= maxcols)
			ell = "", ellw = 0;
		room = maxcols - ellw;
	}
	size_t len = strlen(s), i = 0;
	int used = 0, cols;
	char g[5];
	while (i < len) {
		size_t n = glyph(s + i, len - i, utf8, g, &cols);
		if (used + cols > room)
			break;
		sbuf_adds(sb, g);
		used += cols;
		i += n;
	}
	sbuf_adds(sb, ell);
	return used + ellw;
}

static void pad(struct sbuf *sb, int n)
{
	while (n-- > 0)
		sbuf_addc(sb, ' ');
}

void plot_text_right(struct sbuf *sb, const char *s, int cols, int utf8)
{
	int w = plot_text_width(s, utf8);
	pad(sb, cols - (w < cols ? w : cols));
	plot_text_put(sb, s, cols, utf8);
}

void plot_text_left(struct sbuf *sb, const char *s, int cols, int utf8)
{
	int w = plot_text_put(sb, s, cols, utf8);
	pad(sb, cols - w);
}

void plot_line_end(struct sbuf *sb, size_t start)
{
	size_t len = sb->len;
	while (len > start && sb->buf[len - 1] == ' ')
		len--;
	sbuf_truncate(sb, len);
	sbuf_addc(sb, '\n');
}

void plot_title(struct sbuf *sb, const struct plot_style *s)
{
	if (!s->title || !*s->title)
		return;
	size_t start = sb->len;
	plot_text_put(sb, s->title, s->width, s->utf8);
	plot_line_end(sb, start);
}

void plot_words(struct sbuf *sb, const char *const *words, size_t n, int width, int utf8)
{
	size_t start = sb->len;
	int col = 0;
	for (size_t i = 0; i < n; i++) {
		int w = plot_text_width(words[i], utf8);
		if (w > width)
			w = width;
		if (col > 0 && col + 2 + w > width) {
			plot_line_end(sb, start);
			start = sb->len;
			col = 0;
		}
		if (col > 0) {
			sbuf_adds(sb, "  ");
			col += 2;
		}
		col += plot_text_put(sb, words[i], width, utf8);
	}
	if (col > 0)
		plot_line_end(sb, start);
}

void plot_note(struct sbuf *sb, int width, int utf8, const char *fmt, ...)
{
	struct sbuf msg = SBUF_INIT, word = SBUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	sbuf_vaddf(&msg, fmt, ap);
	va_end(ap);
	size_t start = sb->len;
	int col = 0;
	for (const char *p = sbuf_str(&msg); *p;) { /* greedy, one word at a time */
		size_t n = strcspn(p, " ");
		sbuf_truncate(&word, 0);
		sbuf_add(&word, p, n);
		int w = plot_text_width(sbuf_str(&word), utf8);
		if (col > 0 && col + 1 + w > width) {
			plot_line_end(sb, start);
			start = sb->len;
			col = 0;
		}
		if (col > 0) {
			sbuf_addc(sb, ' ');
			col++;
		}
		col += plot_text_put(sb, sbuf_str(&word), width, utf8);
		p += n;
		while (*p == ' ')
			p++;
	}
	plot_line_end(sb, start);
	sbuf_free(&word);
	sbuf_free(&msg);
}

/* ---- rows of cells ---- */

void plot_row_init(struct plot_row *r, int cols)
{
	r->cols = cols > 0 ? cols : 0;
	r->cell = xmalloc((size_t)(r->cols ? r->cols : 1) * sizeof *r->cell);
	plot_row_clear(r);
}

void plot_row_clear(struct plot_row *r)
{
	for (int i = 0; i < r->cols; i++)
		memcpy(r->cell[i], " ", 2);
}

void plot_row_free(struct plot_row *r)
{
	free(r->cell);
	r->cell = NULL;
	r->cols = 0;
}

void plot_row_glyph(struct plot_row *r, int col, const char *g)
{
	if (col >= 0 && col < r->cols && strlen(g) < sizeof r->cell[0])
		memcpy(r->cell[col], g, strlen(g) + 1);
}

int plot_row_text(struct plot_row *r, int col, const char *s)
{
	int n = 0;
	for (; s[n]; n++) {
		char g[2] = {(unsigned char)s[n] < 0x80 && (unsigned char)s[n] >= 0x20 ? s[n] : '?', 0};
		plot_row_glyph(r, col + n, g);
	}
	return n;
}

int plot_row_blank(const struct plot_row *r, int from, int to)
{
	if (from < 0)
		from = 0;
	for (int i = from; i < to && i < r->cols; i++)
		if (strcmp(r->cell[i], " ") != 0)
			return 0;
	return 1;
}

void plot_row_emit(struct sbuf *sb, const struct plot_row *r)
{
	size_t start = sb->len;
	for (int i = 0; i < r->cols; i++)
		sbuf_adds(sb, r->cell[i]);
	plot_line_end(sb, start);
}

/* ---- numbers ---- */

static void trim_zeros(char *buf)
{
	if (!strchr(buf, '.') || strpbrk(buf, "eE"))
		return;
	size_t n = strlen(buf);
	while (n > 0 && buf[n - 1] == '0')
		buf[--n] = '\0';
	if (n > 0 && buf[n - 1] == '.')
		buf[--n] = '\0';
	if (strcmp(buf, "-0") == 0)
		strcpy(buf, "0");
}

void plot_fmt_auto(char *buf, double v, int sig)
{
	double a = fabs(v);
	sig = sig < 1 ? 1 : sig > 15 ? 15 : sig;
	if (v == 0) {
		strcpy(buf, "0");
	} else if (!isfinite(v)) {
		strcpy(buf, isnan(v) ? "nan" : v > 0 ? "inf" : "-inf");
	} else if (a < 1e15 && v == trunc(v)) {
		snprintf(buf, PLOT_NUMLEN, "%.0f", v);
	} else if (a >= 1e-4 && a < 1e15) {
		int e = (int)floor(log10(a));
		int dec = sig - 1 - e;
		snprintf(buf, PLOT_NUMLEN, "%.*f", dec > 0 ? dec : 0, v);
		trim_zeros(buf);
	} else {
		snprintf(buf, PLOT_NUMLEN, "%.*g", sig > 1 ? (sig - 1) % 16 : 1, v);
	}
}

/*
 * Checks FMT (one conversion of a double, see plot.h) and writes into OUT
 * (CAP bytes) the format to give snprintf: "%d"/"%i" become "%.0f" and an
 * 'l' length modifier is dropped. Returns 1 if FMT is acceptable.
 */
static int prepare(const char *fmt, char *out, size_t cap)
{
	size_t o = 0;
	int convs = 0;
#define EMIT(c)                                 \
	do {                                    \
		if (o + 1 >= cap)               \
			return 0;               \
		out[o++] = (c);                 \
	} while (0)
	for (const char *p = fmt; *p; p++) {
		if (*p != '%') {
			EMIT(*p);
			continue;
		}
		if (p[1] == '%') {
			EMIT('%');
			EMIT('%');
			p++;
			continue;
		}
		EMIT('%');
		p++;
		while (*p && strchr("-+ #0", *p))
			EMIT(*p++);
		for (int d = 0; *p >= '0' && *p <= '9'; d++, p++) {
			if (d == 2)
				return 0;
			EMIT(*p);
		}
		size_t before_prec = o;
		if (*p == '.') {
			EMIT(*p++);
			for (int d = 0; *p >= '0' && *p <= '9'; d++, p++) {
				if (d == 2)
					return 0;
				EMIT(*p);
			}
		}
		if (*p == 'l')
			p++;
		if (*p && strchr("fFeEgGaA", *p)) {
			EMIT(*p);
		} else if (*p == 'd' || *p == 'i') {
			o = before_prec;
			EMIT('.');
			EMIT('0');
			EMIT('f');
		} else {
			return 0;
		}
		convs++;
	}
#undef EMIT
	out[o] = '\0';
	return convs == 1;
}

int plot_format_valid(const char *fmt)
{
	char tmp[128];
	if (!fmt || strcmp(fmt, "auto") == 0 || strcmp(fmt, "percent") == 0)
		return 1;
	return prepare(fmt, tmp, sizeof tmp);
}

void plot_fmt_value(char *buf, double v, const char *fmt, int maxlen)
{
	char tmp[512], f[128];
	if (maxlen > PLOT_NUMLEN - 1)
		maxlen = PLOT_NUMLEN - 1;
	if (!fmt || strcmp(fmt, "auto") == 0) {
		plot_fmt_auto(tmp, v, 4);
	} else if (strcmp(fmt, "percent") == 0) {
		snprintf(tmp, sizeof tmp, "%.1f%%", v * 100);
		if ((int)strlen(tmp) > maxlen)
			snprintf(tmp, sizeof tmp, "%.3g%%", v * 100);
	} else if (prepare(fmt, f, sizeof f)) {
		snprintf(tmp, sizeof tmp, f, v);
	} else {
		plot_fmt_auto(tmp, v, 4);
	}
	if ((int)strlen(tmp) > maxlen)
		snprintf(tmp, sizeof tmp, "%.3g", v);
	if ((int)strlen(tmp) > maxlen)
		snprintf(tmp, sizeof tmp, "%.0e", v);
	snprintf(buf, (size_t)maxlen + 1, "%s", tmp);
}

/* ---- round steps ---- */

static const int mants[] = {10, 20, 25, 50};

/* Steps stop growing here (10^301): loops that widen a step end by then. */
#define MAXEXP 300

double plot_step_mul(struct plot_step s, double i)
{
	double p = pow(10, abs(s.exp));
	return s.exp >= 0 ? i * s.mant * p : i * s.mant / p;
}

double plot_step_value(struct plot_step s)
{
	return plot_step_mul(s, 1);
}

struct plot_step plot_step_nice(double raw)
{
	if (!(raw > 0) || !isfinite(raw))
		return (struct plot_step){10, MAXEXP};
	int k = (int)floor(log10(raw));
	if (k < -320)
		k = -320;
	if (k > 300)
		k = 300;
	for (;; k++) {
		for (int i = 0; i < 4; i++) {
			struct plot_step s = {mants[i], k - 1};
			if (plot_step_value(s) >= raw * (1 - 1e-12))
				return s;
		}
		if (k - 1 >= MAXEXP) /* raw above 5e301: the largest step there is */
			return (struct plot_step){10, MAXEXP};
	}
}

struct plot_step plot_step_near(double raw)
{
	struct plot_step up = plot_step_nice(raw), down = up;
	if (up.mant == 10)
		down = (struct plot_step){50, up.exp - 1};
	else
		down.mant = up.mant == 20 ? 10 : up.mant == 25 ? 20 : 25;
	return raw / plot_step_value(down) < plot_step_value(up) / raw ? down : up;
}

struct plot_step plot_step_next(struct plot_step s)
{
	for (int i = 0; i < 3; i++)
		if (s.mant == mants[i])
			return (struct plot_step){mants[i + 1], s.exp};
	return (struct plot_step){10, s.exp + 1};
}

int plot_close(double a, double b)
{
	if (a == b)
		return 1;
	return isfinite(a) && isfinite(b) && fabs(a - b) <= 1e-9 * fmax(fabs(a), fabs(b));
}

static int decimals(struct plot_step s)
{
	int d = -s.exp - (s.mant % 10 ? 0 : 1); /* 25 (2.5), 12 (1.2), 15: one more */
	return d > 0 ? d : 0;
}

void plot_fmt_tick(char *buf, double v, struct plot_step s, double maxabs)
{
	static const char *const suffix[] = {"", "k", "M", "G", "T"};
	if (fabs(v) < plot_step_value(s) * 1e-9)
		v = 0; /* not "-0.0" */
	if (maxabs >= 1e15 || plot_step_value(s) < 1e-6) {
		snprintf(buf, PLOT_NUMLEN, "%.3g", v);
		return;
	}
	int j = 0;
	if (maxabs >= 1e4)
		while (j < 4 && maxabs >= pow(1000, j + 1))
			j++;
	if (j == 0) {
		snprintf(buf, PLOT_NUMLEN, "%.*f", decimals(s), v);
		return;
	}
	if (v == 0) {
		strcpy(buf, "0");
		return;
	}
	struct plot_step scaled = {s.mant, s.exp - 3 * j};
	snprintf(buf, PLOT_NUMLEN, "%.*f", decimals(scaled), v / pow(1000, j));
	trim_zeros(buf);
	strcat(buf, suffix[j]);
}

void plot_fmt_logtick(char *buf, double v)
{
	static const char *const suffix[] = {"", "k", "M", "G", "T"};
	double a = fabs(v);
	if (a >= 1e15 || a < 1e-4) {
		snprintf(buf, PLOT_NUMLEN, "%.3g", v);
		return;
	}
	int j = 0;
	while (j < 4 && a >= pow(1000, j + 1) * (1 - 1e-12))
		j++;
	plot_fmt_auto(buf, v / pow(1000, j), 3);
	strcat(buf, suffix[j]);
}

/* ---- ticks and limits ---- */

/* Tick indexes i with i * step inside [lo, hi]: *A..*B. */
static void tick_span(struct plot_step s, double lo, double hi, double *a, double *b)
{
	double st = plot_step_value(s);
	*a = ceil(lo / st);
	if (plot_close(plot_step_mul(s, *a - 1), lo))
		*a -= 1;
	*b = floor(hi / st);
	if (plot_close(plot_step_mul(s, *b + 1), hi))
		*b += 1;
}

static size_t lin_ticks(double lo, double hi, int maxticks, struct plot_step *sp, double *out,
			size_t cap)
{
	struct plot_step s = plot_step_nice((hi - lo) / (maxticks - 1));
	double a, b;
	for (;;) {
		tick_span(s, lo, hi, &a, &b);
		if (b - a + 1 <= maxticks || s.exp >= MAXEXP)
			break;
		s = plot_step_next(s);
	}
	size_t n = 0;
	for (double i = a; i <= b; i++, n++)
		if (n < cap)
			out[n] = plot_step_mul(s, i);
	if (sp)
		*sp = s;
	return n;
}

static size_t log_ticks(double lo, double hi, int maxticks, double *out, size_t cap)
{
	double ea = ceil(log10(lo)), eb = floor(log10(hi));
	if (pow(10, ea - 1) >= lo * (1 - 1e-12))
		ea -= 1;
	if (pow(10, eb + 1) <= hi * (1 + 1e-12))
		eb += 1;
	size_t n = 0;
	if (eb - ea + 1 >= 2) { /* powers of ten, every st-th one */
		double nd = eb - ea + 1, st = 1;
		while (ceil(nd / st) > maxticks)
			st++;
		double first = ceil(ea / st) * st;
		if (first + st > eb) /* fewer than two aligned: start at the first */
			first = ea;
		for (double e = first; e <= eb; e += st, n++)
			if (n < cap)
				out[n] = pow(10, e);
		return n;
	}
	static const int m125[] = {1, 2, 5};
	double tmp[8];
	for (double e = ea - 1; e <= eb; e++)
		for (int i = 0; i < 3; i++) {
			double v = m125[i] * pow(10, e);
			if (v >= lo * (1 - 1e-12) && v <= hi * (1 + 1e-12) && n < 8)
				tmp[n++] = v;
		}
	if (n >= 2 && n <= (size_t)maxticks) {
		for (size_t i = 0; i < n && i < cap; i++)
			out[i] = tmp[i];
		return n;
	}
	return lin_ticks(lo, hi, maxticks, NULL, out, cap);
}

size_t plot_ticks(double lo, double hi, int maxticks, int log, double *out, size_t cap)
{
	if (!(lo < hi) || !isfinite(lo) || !isfinite(hi) || maxticks < 2 || (log && lo <= 0))
		return 0;
	if (!isfinite(hi - lo))
		return 0;
	return log ? log_ticks(lo, hi, maxticks, out, cap)
		   : lin_ticks(lo, hi, maxticks, NULL, out, cap);
}

size_t plot_axis_ticks(double lo, double hi, int maxticks, int log, struct plot_step *sp,
		       double *out, size_t cap)
{
	if (log)
		return log_ticks(lo, hi, maxticks, out, cap);
	return lin_ticks(lo, hi, maxticks, sp, out, cap);
}

struct plot_step plot_widen(double *lo, double *hi, int maxticks, int log)
{
	/* callers keep |lo|, |hi| <= 1e300, so hi - lo is finite */
	struct plot_step s = {10, 0};
	if (log) {
		if (plot_close(*lo, *hi)) {
			*lo /= 10;
			*hi *= 10;
		}
		/* to 1, 2 or 5 times a power of ten: the axis starts at the data,
		 * not at the power of ten below it (5..100, not 1..100) */
		static const double m125[] = {1, 2, 5, 10};
		double d = pow(10, floor(log10(*lo))), a = d / 10 * 5;
		for (int i = 0; i < 4; i++)
			if (m125[i] * d <= *lo * (1 + 1e-12))
				a = m125[i] * d;
		double e = pow(10, floor(log10(*hi))), b = e * 10;
		for (int i = 3; i >= 0; i--)
			if (m125[i] * e >= *hi * (1 - 1e-12))
				b = m125[i] * e;
		*lo = a, *hi = b;
		return s;
	}
	if (plot_close(*lo, *hi)) {
		double d = *lo != 0 ? fabs(*lo) * 0.1 : 1;
		*lo -= d, *hi += d;
	}
	int maxint = maxticks > 3 ? maxticks - 1 : 2; /* one interval cannot straddle 0 */
	s = plot_step_nice((*hi - *lo) / maxint);
	for (; s.exp < MAXEXP; s = plot_step_next(s)) {
		double st = plot_step_value(s);
		double a = floor(*lo / st), b = ceil(*hi / st);
		if (plot_close(plot_step_mul(s, a + 1), *lo))
			a += 1;
		if (plot_close(plot_step_mul(s, b - 1), *hi))
			b -= 1;
		if (b - a <= maxint) {
			double wlo = plot_step_mul(s, a), whi = plot_step_mul(s, b);
			if ((*hi - *lo) / (whi - wlo) < 0.75) { /* too much empty space */
				static const int minor[] = {50, 10, 50, 10}; /* of 10 20 25 50 */
				int i = s.mant == 10 ? 0 : s.mant == 20 ? 1 : s.mant == 25 ? 2 : 3;
				struct plot_step m = {minor[i], s.exp - (i == 0 || i == 2)};
				double ms = plot_step_value(m);
				a = floor(*lo / ms), b = ceil(*hi / ms);
				if (plot_close(plot_step_mul(m, a + 1), *lo))
					a += 1;
				if (plot_close(plot_step_mul(m, b - 1), *hi))
					b -= 1;
				wlo = plot_step_mul(m, a), whi = plot_step_mul(m, b);
			}
			*lo = wlo, *hi = whi;
			return s;
		}
	}
	return s; /* a range too wide to round: keep it */
}
