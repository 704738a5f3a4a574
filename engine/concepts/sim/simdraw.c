/*
 * simdraw.c — the message-sequence diagram (simtrace.h), the timeline and
 * the history chart (simdraw.h) of lab.sim.
 *
 * Each picture is built a row at a time in an array of cells, each cell one
 * glyph (a short UTF-8 string, one column wide), then written out with
 * trailing spaces removed.
 */
#include "engine/concepts/sim/simdraw.h"
#include "engine/concepts/sim/sim.h"
#include "engine/concepts/sim/simval.h"
#include "engine/concepts/plot/plot.h"
#include "engine/base/budget.h"
#include "engine/base/utf8.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

struct glyphs {
	const char *lane, *down, *h, *cross, *tee_r, *tee_l, *head_r, *head_l, *lost, *self;
	const char *timer, *crash, *restart, *log, *client, *fault, *up, *bar;
};

static const struct glyphs G_UTF8 = {"│", "┆", "─", "┼", "├", "┤", "▶", "◀", "x", "↺",
				     "○", "X", "↑", "•", "◆", "┄", "━", "─"};
static const struct glyphs G_ASCII = {"|", ":", "-", "+", "+", "+", ">", "<", "x", "@",
				      "o", "X", "^", "*", "#", "~", "=", "-"};

static const struct glyphs *glyphs(int utf8)
{
	return utf8 ? &G_UTF8 : &G_ASCII;
}

/* Appends the cells, then ends the line with trailing spaces removed. */
static void put_cells(struct sbuf *out, const char **cell, size_t n)
{
	for (size_t i = 0; i < n; i++)
		sbuf_adds(out, cell[i]);
}

static void end_line(struct sbuf *out, size_t start)
{
	while (out->len > start && out->buf[out->len - 1] == ' ')
		out->len--;
	sbuf_truncate(out, out->len);
	sbuf_addc(out, '\n');
}

/* Appends S[0..LEN) cut to COLS columns, control characters as '?' and,
 * without UTF-8, anything non-ASCII as '?'. Returns the columns used. */
static size_t put_text(struct sbuf *out, const char *s, size_t len, size_t cols, int utf8)
{
	size_t used = 0, i = 0;
	while (i < len) {
		uint32_t cp;
		int n = utf8_decode(s + i, len - i, &cp);
		int w = utf8_cpwidth(cp);
		if (cp < 32 || cp == 127 || (!utf8 && cp > 126)) {
			cp = '?';
			w = 1;
		}
		if (used + (size_t)w > cols) {
			break;
		}
		if (cp == '?' && (s[i] != '?'))
			sbuf_addc(out, '?');
		else
			sbuf_add(out, s + i, (size_t)n);
		used += (size_t)w;
		i += (size_t)n;
	}
	return used;
}

/* ---- the message-sequence diagram ---- */

static int drawable(int kind)
{
	return kind == SIMR_DELIVER || kind == SIMR_DROP || kind == SIMR_TIMER_FIRE ||
	       kind == SIMR_CRASH || kind == SIMR_RESTART || kind == SIMR_FAULT ||
	       kind == SIMR_LOG || kind == SIMR_INVOKE || kind == SIMR_COMPLETE;
}

/* The label of a row after the lanes. HIDDEN names the other end of a
 * message whose other end is not a column (0: none). */
static void row_label(struct sbuf *lb, const struct simtrace *t, const struct simrec *r,
		      uint32_t hidden_from, uint32_t hidden_to)
{
	static const char *const word[] = {"pending", "ok", "fail", "info"};
	const uint8_t *p = simtrace_payload(t, r);
	if (hidden_from)
		sbuf_addf(lb, "from n%u ", hidden_from);
	if (hidden_to)
		sbuf_addf(lb, "to n%u ", hidden_to);
	switch (r->kind) {
	case SIMR_DELIVER:
	case SIMR_DROP:
		sbuf_addf(lb, "#%llu ", (unsigned long long)r->id);
		if (p)
			simval_render(lb, simv_of(p, r->len), 200);
		if (r->kind == SIMR_DROP)
			sbuf_adds(lb, r->why == SIMR_WHY_LOSS        ? " lost"
				      : r->why == SIMR_WHY_PARTITION ? " cut by partition"
								     : " receiver down");
		break;
	case SIMR_TIMER_FIRE:
		sbuf_adds(lb, "timer ");
		if (p)
			simval_render(lb, simv_of(p, r->len), 200);
		break;
	case SIMR_CRASH: sbuf_addf(lb, "n%u crashes", r->a); break;
	case SIMR_RESTART: sbuf_addf(lb, "n%u restarts", r->a); break;
	case SIMR_FAULT:
		sbuf_adds(lb, "fault ");
		if (p)
			simval_render(lb, simv_of(p, r->len), 200);
		break;
	case SIMR_LOG:
		if (p)
			sbuf_add(lb, p, r->len > 200 ? 200 : r->len);
		break;
	case SIMR_INVOKE:
		sbuf_addf(lb, "c%u invokes op%llu ", r->a, (unsigned long long)r->id);
		if (p)
			simval_render(lb, simv_of(p, r->len), 200);
		break;
	case SIMR_COMPLETE:
		sbuf_addf(lb, "c%u op%llu %s ", r->a, (unsigned long long)r->id,
			  word[r->why <= 3 ? r->why : 0]);
		if (p)
			simval_render(lb, simv_of(p, r->len), 200);
		break;
	}
}

/* Draws the arrow of message record R into CELL. */
static void arrow(const char **cell, const struct glyphs *g, int p, int q, int lost, int colw)
{
	if (p == q) {
		cell[p] = lost ? g->lost : g->self;
		return;
	}
	int step = p < q ? 1 : -1;
	cell[p] = p < q ? g->tee_r : g->tee_l;
	for (int x = p + step; x != q; x += step)
		cell[x] = (x % colw == colw / 2) ? g->cross : g->h;
	cell[q] = lost ? g->lost : (p < q ? g->head_r : g->head_l);
}

/* The index of the first record to show: with f->last, the start of the
 * last LIMIT drawable matches. */
static size_t first_shown(const struct simtrace *t, const struct simtrace_filter *f,
			  size_t limit, size_t *skipped)
{
	size_t n = simtrace_count(t), seen = 0, first = 0;
	*skipped = 0;
	if (!f->last)
		return 0;
	for (size_t i = n; i-- > 0;) {
		const struct simrec *r = simtrace_get(t, i);
		if (drawable(r->kind) && simtrace_match(t, r, f)) {
			if (seen == limit) {
				(*skipped)++;
				continue;
			}
			seen++;
			first = i;
		}
	}
	return first;
}

void simtrace_diagram(struct sbuf *out, const struct simtrace *t, const struct simtrace_filter *f)
{
	const struct glyphs *g = glyphs(f->utf8);
	uint32_t n = simtrace_nodes(t);
	size_t width = f->width ? f->width : 100;
	if (width < SIMDRAW_MIN_WIDTH)
		width = SIMDRAW_MIN_WIDTH;
	size_t limit = f->limit ? f->limit : 200;
	int *col = budget_malloc((n + 1) * sizeof *col);
	uint8_t *up = budget_calloc(n + 1, 1);
	const char **cell = budget_malloc(width * sizeof *cell);
	if (!col || !up || !cell) {
		sbuf_adds(out, "(not enough memory to draw)\n");
		goto done;
	}
	/* columns: the shown nodes, as many as fit */
	size_t k = 0, maxk = (width - 12 - 16) / 3;
	uint32_t hidden = 0;
	for (uint32_t id = 1; id <= n; id++) {
		col[id] = -1;
		if (f->nodes && !f->nodes[id])
			continue;
		if (k < maxk)
			col[id] = (int)k++;
		else
			hidden++;
	}
	int colw = k ? (int)((width - 12 - 24) / k) : 3;
	colw = colw < 3 ? 3 : colw > 8 ? 8 : colw;
	size_t lanes = k * (size_t)colw;
	size_t start = out->len;
	sbuf_adds(out, "time(s)     ");
	for (uint32_t id = 1; id <= n; id++) {
		if (col[id] < 0)
			continue;
		char name[16];
		int len = snprintf(name, sizeof name, "n%u", id);
		int pad = colw / 2 - (len - 1) / 2;
		for (int i = 0; i < colw; i++)
			sbuf_addc(out, i >= pad && i - pad < len ? name[i - pad] : ' ');
	}
	end_line(out, start);
	if (hidden)
		sbuf_addf(out, "(%u more nodes not drawn: pick fewer with nodes = {...})\n", hidden);

	size_t skipped;
	size_t first = first_shown(t, f, limit, &skipped);
	if (skipped)
		sbuf_addf(out, "(%zu earlier rows not shown)\n", skipped);
	size_t rows = 0, more = 0;
	struct sbuf lb = SBUF_INIT;
	for (size_t i = 0; i < simtrace_count(t); i++) {
		const struct simrec *r = simtrace_get(t, i);
		if (r->kind == SIMR_START || r->kind == SIMR_RESTART)
			up[r->a <= n ? r->a : 0] = 1;
		if (r->kind == SIMR_CRASH)
			up[r->a <= n ? r->a : 0] = 0;
		if (i < first || !drawable(r->kind) || !simtrace_match(t, r, f))
			continue;
		if (rows == limit) {
			more++;
			continue;
		}
		rows++;
		for (size_t x = 0; x < lanes; x++)
			cell[x] = " ";
		for (uint32_t id = 1; id <= n; id++)
			if (col[id] >= 0)
				cell[col[id] * colw + colw / 2] = up[id] ? g->lane : g->down;
		uint32_t hf = 0, ht = 0;
		int pa = r->a >= 1 && r->a <= n && col[r->a] >= 0 ? col[r->a] * colw + colw / 2 : -1;
		int pb = r->b >= 1 && r->b <= n && col[r->b] >= 0 ? col[r->b] * colw + colw / 2 : -1;
		switch (r->kind) {
		case SIMR_DELIVER:
		case SIMR_DROP:
			if (pa >= 0 && pb >= 0)
				arrow(cell, g, pa, pb, r->kind == SIMR_DROP, colw);
			else if (pb >= 0)
				cell[pb] = r->kind == SIMR_DROP ? g->lost : g->head_r, hf = r->a;
			else if (pa >= 0)
				cell[pa] = r->kind == SIMR_DROP ? g->lost : g->tee_r, ht = r->b;
			break;
		case SIMR_TIMER_FIRE: if (pa >= 0) cell[pa] = g->timer; break;
		case SIMR_CRASH: if (pa >= 0) cell[pa] = g->crash; break;
		case SIMR_RESTART: if (pa >= 0) cell[pa] = g->restart; break;
		case SIMR_LOG: if (pa >= 0) cell[pa] = g->log; break;
		case SIMR_INVOKE:
		case SIMR_COMPLETE: if (pb >= 0) cell[pb] = g->client; break;
		case SIMR_FAULT:
			for (size_t x = 0; x < lanes; x++)
				if (strcmp(cell[x], " ") == 0)
					cell[x] = g->fault;
			break;
		}
		start = out->len;
		sbuf_addf(out, "%11.6f ", (double)r->at / 1e9);
		put_cells(out, cell, lanes);
		sbuf_adds(out, "  ");
		sbuf_truncate(&lb, 0);
		row_label(&lb, t, r, hf, ht);
		size_t used = 12 + lanes + 2;
		if (used < width)
			put_text(out, lb.buf ? lb.buf : "", lb.len, width - used, f->utf8);
		end_line(out, start);
	}
	sbuf_free(&lb);
	if (more)
		sbuf_addf(out, "(%zu more rows not shown)\n", more);
	if (simtrace_full(t))
		sbuf_adds(out, "(the trace is incomplete: it ran out of memory)\n");
done:
	budget_free(col);
	budget_free(up);
	budget_free(cell);
}

/* ---- the timeline ---- */

enum { CELL_UP = 0, CELL_ONEWAY = 1, CELL_GROUP = 2, CELL_DOWN = 255 };

struct tl {
	uint32_t n;
	uint8_t *up;       /* [n + 1] */
	uint16_t *group;   /* [n + 1] */
	uint8_t *blocked;  /* [(n + 1) * (n + 1)] */
	uint32_t *nblock;  /* [n + 1]: blocked links touching the node */
};

/* The cell of every node now, into CELL[1..n]. */
static void cells_now(const struct tl *s, int *cell)
{
	int parted = 0;
	for (uint32_t j = 2; j <= s->n && !parted; j++)
		parted = s->group[j] != s->group[1];
	for (uint32_t id = 1; id <= s->n; id++)
		cell[id] = !s->up[id]     ? CELL_DOWN
			   : parted       ? CELL_GROUP + (s->group[id] ? s->group[id] - 1 : 0)
			   : s->nblock[id] ? CELL_ONEWAY
					   : CELL_UP;
}

static int worse(int a, int b)
{
	return a > b ? a : b;
}

static void set_blocks(struct tl *s, struct simv from, struct simv to, int on)
{
	struct simv_iter ia, ib;
	struct simv k, va, vb;
	int arr;
	if (simv_iter(&ia, from) != 0)
		return;
	while (simv_next(&ia, &arr, &k, &va) == 1) {
		int64_t a, b;
		if (simv_int(va, &a) != 0 || a < 1 || a > s->n || simv_iter(&ib, to) != 0)
			continue;
		while (simv_next(&ib, &arr, &k, &vb) == 1) {
			if (simv_int(vb, &b) != 0 || b < 1 || b > s->n || a == b)
				continue;
			uint8_t *m = &s->blocked[(size_t)a * (s->n + 1) + (size_t)b];
			if (*m == on)
				continue;
			*m = (uint8_t)on;
			s->nblock[a] += on ? 1 : -1;
			s->nblock[b] += on ? 1 : -1;
		}
	}
}

/* Applies a record to the state; whether it may have changed. */
static int tl_apply(struct tl *s, const struct simtrace *t, const struct simrec *r)
{
	if (r->kind == SIMR_START || r->kind == SIMR_RESTART) {
		if (r->a <= s->n)
			s->up[r->a] = 1;
		return 1;
	}
	if (r->kind == SIMR_CRASH) {
		if (r->a <= s->n)
			s->up[r->a] = 0;
		return 1;
	}
	if (r->kind != SIMR_FAULT || !r->len)
		return 0;
	struct simv v = simv_of(simtrace_payload(t, r), r->len), x, y;
	if (simv_get(v, "partition", &x) == 0) {
		struct simv_iter it, jt;
		struct simv k, grp, e;
		int arr;
		uint16_t gi = 0;
		if (simv_iter(&it, x) != 0)
			return 1;
		while (simv_next(&it, &arr, &k, &grp) == 1) {
			gi++;
			if (simv_iter(&jt, grp) != 0)
				continue;
			while (simv_next(&jt, &arr, &k, &e) == 1) {
				int64_t id;
				if (simv_int(e, &id) == 0 && id >= 1 && id <= s->n)
					s->group[id] = gi;
			}
		}
	} else if (simv_get(v, "heal", &x) == 0) {
		memset(s->group, 0, (s->n + 1) * sizeof *s->group);
		memset(s->blocked, 0, (size_t)(s->n + 1) * (s->n + 1));
		memset(s->nblock, 0, (s->n + 1) * sizeof *s->nblock);
	} else if (simv_get(v, "block", &x) == 0 || simv_get(v, "unblock", &y) == 0) {
		int on = simv_get(v, "block", &x) == 0;
		if (!on)
			simv_get(v, "unblock", &x);
		struct simv from, to;
		if (simv_get(x, "from", &from) == 0 && simv_get(x, "to", &to) == 0)
			set_blocks(s, from, to, on);
	}
	return 1;
}

/* A round step near SPAN / 4: 1, 2 or 5 times a power of ten. */
static double nice_step(double span)
{
	double raw = span / 4, p = pow(10, floor(log10(raw)));
	double m = raw / p;
	return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
}

/* The time axis: round values at the columns where they fall. */
static void tick_header(struct sbuf *out, int prefix, int cols, double t0, double t1)
{
	size_t start = out->len;
	sbuf_addf(out, "%-*s", prefix, "time(s)");
	double step = nice_step(t1 - t0);
	int at = 0;
	for (double v = ceil(t0 / step) * step; v <= t1; v += step) {
		int c = (int)((v - t0) / (t1 - t0) * (cols - 1) + 0.5);
		char lab[32];
		int len = snprintf(lab, sizeof lab, "%.6g", fabs(v) < step / 1e6 ? 0 : v);
		if (c < at || c + len > cols)
			continue;
		for (; at < c; at++)
			sbuf_addc(out, ' ');
		sbuf_adds(out, lab);
		at += len + 1;
		sbuf_addc(out, ' ');
	}
	end_line(out, start);
}

static void spark(struct sbuf *out, const char *title, int prefix, const double *y, int cols,
		  int utf8)
{
	char t[32];
	snprintf(t, sizeof t, "%-*s", prefix - 1, title);
	struct plot_spark_opts o = {.style = {.width = prefix + cols + 40, .utf8 = utf8, .title = t}};
	if (o.style.width > PLOT_MAX_WIDTH)
		o.style.width = PLOT_MAX_WIDTH;
	plot_sparkline(out, y, (size_t)cols, &o);
}

int simdraw_timeline(struct sbuf *out, const struct simtrace *t, const uint8_t *nodes,
		     int64_t from, int64_t to, int width, int utf8)
{
	if (width < SIMDRAW_MIN_WIDTH || width > SIMDRAW_MAX_WIDTH)
		return -1;
	const struct glyphs *g = glyphs(utf8);
	uint32_t n = simtrace_nodes(t);
	size_t count = simtrace_count(t);
	if (to < 0)
		to = count ? simtrace_get(t, count - 1)->at : 0;
	if (to <= from)
		to = from + 1000000; /* a millisecond at least */
	const int prefix = 9, cols = width - prefix - 24;
	struct tl s = {.n = n};
	s.up = budget_malloc(n + 1);
	if (s.up)
		memset(s.up, 1, n + 1); /* nodes start at 0, before any slice */
	s.group = budget_calloc(n + 1, sizeof *s.group);
	s.blocked = budget_calloc((size_t)(n + 1) * (n + 1), 1);
	s.nblock = budget_calloc(n + 1, sizeof *s.nblock);
	int *grid = budget_malloc((size_t)(n + 1) * (size_t)cols * sizeof *grid);
	double *recv = budget_calloc((size_t)cols, sizeof *recv);
	double *drops = budget_calloc((size_t)cols, sizeof *drops);
	const char **cell = budget_malloc((size_t)cols * sizeof *cell);
	int *now = budget_malloc((n + 1) * sizeof *now);
	int rc = 0;
	if (!s.up || !s.group || !s.blocked || !s.nblock || !grid || !recv || !drops || !cell ||
	    !now) {
		rc = -1;
		goto done;
	}
	double span = (double)(to - from);
	int cur = 0; /* the slice being filled */
	cells_now(&s, now);
	for (uint32_t id = 1; id <= n; id++)
		grid[id * cols] = now[id];
	for (size_t i = 0; i < count; i++) {
		const struct simrec *r = simtrace_get(t, i);
		if (r->at > to)
			break;
		int c = r->at < from ? 0 : (int)((double)(r->at - from) / span * cols);
		if (c >= cols)
			c = cols - 1;
		while (cur < c) { /* slices before this record keep the state as it was */
			cur++;
			for (uint32_t id = 1; id <= n; id++)
				grid[id * cols + cur] = now[id];
		}
		if (tl_apply(&s, t, r)) {
			cells_now(&s, now);
			for (uint32_t id = 1; id <= n; id++)
				grid[id * cols + c] = r->at >= from ? worse(grid[id * cols + c], now[id])
								    : now[id];
		}
		if (r->at >= from && r->kind == SIMR_DELIVER)
			recv[c]++;
		if (r->at >= from && r->kind == SIMR_DROP)
			drops[c]++;
	}
	while (cur < cols - 1) {
		cur++;
		for (uint32_t id = 1; id <= n; id++)
			grid[id * cols + cur] = now[id];
	}
	tick_header(out, prefix, cols, (double)from / 1e9, (double)to / 1e9);
	static const char *const letters[] = {"A", "B", "C", "D", "E", "F", "G", "H", "I",
					      "J", "K", "L", "M", "N", "O", "P"};
	for (uint32_t id = 1; id <= n; id++) {
		if (nodes && !nodes[id])
			continue;
		for (int c = 0; c < cols; c++) {
			int v = grid[id * cols + c];
			cell[c] = v == CELL_DOWN     ? (utf8 ? "·" : ".")
				  : v == CELL_UP     ? g->up
				  : v == CELL_ONEWAY ? ">"
						     : letters[(v - CELL_GROUP) % 16];
		}
		size_t start = out->len;
		sbuf_addf(out, "n%-*u", prefix - 1, id);
		put_cells(out, cell, (size_t)cols);
		end_line(out, start);
	}
	double secs = span / 1e9 / cols;
	for (int c = 0; c < cols; c++) {
		recv[c] /= secs;
		drops[c] /= secs;
	}
	spark(out, "recv/s", prefix, recv, cols, utf8);
	spark(out, "drop/s", prefix, drops, cols, utf8);
	sbuf_addf(out, "%s up  %s down  A B.. partition groups  > blocked one way\n", g->up,
		  utf8 ? "·" : ".");
done:
	budget_free(s.up);
	budget_free(s.group);
	budget_free(s.blocked);
	budget_free(s.nblock);
	budget_free(grid);
	budget_free(recv);
	budget_free(drops);
	budget_free(cell);
	budget_free(now);
	return rc;
}

/* ---- the history chart ---- */

struct placed {
	size_t row;
	int c0, c1;
};

int simdraw_history(struct sbuf *out, const struct simdraw_op *ops, size_t n, int width,
		    int utf8)
{
	if (width < SIMDRAW_MIN_WIDTH || width > SIMDRAW_MAX_WIDTH)
		return -1;
	if (n == 0) {
		sbuf_adds(out, "(no operations)\n");
		return 0;
	}
	const int prefix = 9, cols = width - prefix;
	double t0 = INFINITY, t1 = -INFINITY;
	for (size_t i = 0; i < n; i++) {
		t0 = fmin(t0, ops[i].invoke);
		t1 = fmax(t1, ops[i].complete >= 0 ? ops[i].complete : ops[i].invoke);
	}
	if (!(t1 > t0))
		t1 = t0 + 1;
	double pad = (t1 - t0) * 0.02;
	t1 += pad;
	struct placed *pl = budget_malloc(n * sizeof *pl);
	size_t *order = budget_malloc(n * sizeof *order);
	const char **cell = budget_malloc((size_t)cols * sizeof *cell);
	if (!pl || !order || !cell) {
		budget_free(pl);
		budget_free(order);
		budget_free(cell);
		return -1;
	}
	/* rows: clients in increasing order; a client's operations share a row
	 * unless they overlap on screen */
	size_t rows = 0;
	for (size_t i = 0; i < n; i++)
		order[i] = i;
	for (size_t i = 1; i < n; i++) { /* insertion sort by client, then invoke: stable */
		size_t x = order[i], j = i;
		while (j > 0 && (ops[order[j - 1]].client > ops[x].client ||
				 (ops[order[j - 1]].client == ops[x].client &&
				  ops[order[j - 1]].invoke > ops[x].invoke))) {
			order[j] = order[j - 1];
			j--;
		}
		order[j] = x;
	}
	size_t client_first = 0; /* first row of the current client */
	for (size_t k = 0; k < n; k++) {
		size_t i = order[k];
		int c0 = (int)((ops[i].invoke - t0) / (t1 - t0) * (cols - 1));
		double end = ops[i].complete >= 0 ? ops[i].complete : t1;
		int c1 = (int)((end - t0) / (t1 - t0) * (cols - 1));
		if (c1 < c0 + 1)
			c1 = c0 + 1;
		if (c1 >= cols)
			c1 = cols - 1;
		if (c0 >= c1)
			c0 = c1 - 1;
		if (k == 0 || ops[i].client != ops[order[k - 1]].client)
			client_first = rows;
		size_t row = client_first;
		for (;; row++) {
			int clash = 0;
			for (size_t j = 0; j < k && !clash; j++) {
				const struct placed *q = &pl[order[j]];
				clash = q->row == row && !(c1 < q->c0 || c0 > q->c1);
			}
			if (!clash)
				break;
		}
		pl[i] = (struct placed){row, c0, c1};
		if (row + 1 > rows)
			rows = row + 1;
	}
	tick_header(out, prefix, cols, t0, t1);
	size_t listed = 0;
	for (size_t row = 0; row < rows; row++) {
		uint32_t client = 0;
		for (size_t c = 0; c < (size_t)cols; c++)
			cell[c] = " ";
		/* labels are written into a side buffer, then placed as cells */
		struct sbuf text = SBUF_INIT;
		size_t *at = budget_calloc((size_t)cols, sizeof *at);
		if (!at) {
			sbuf_free(&text);
			break;
		}
		for (size_t i = 0; i < n; i++) {
			if (pl[i].row != row)
				continue;
			client = ops[i].client;
			int c0 = pl[i].c0, c1 = pl[i].c1;
			cell[c0] = "|";
			for (int c = c0 + 1; c < c1; c++)
				cell[c] = utf8 ? "─" : "-";
			cell[c1] = ops[i].unknown ? "?" : "|";
			const char *lab = ops[i].label ? ops[i].label : "";
			size_t room = (size_t)(c1 - c0 - 1);
			size_t lw = utf8_width(lab, strlen(lab));
			char num[24];
			if (lw > room) {
				snprintf(num, sizeof num, "%zu", i + 1);
				lab = num;
				lw = strlen(num);
				listed++;
			}
			if (lw <= room) { /* place it, one cell per character */
				int c = c0 + 1 + (int)((room - lw) / 2);
				size_t j = 0, len = strlen(lab);
				while (j < len && c < c1) {
					uint32_t cp;
					int b = utf8_decode(lab + j, len - j, &cp);
					if (cp < 32 || cp == 127 || (!utf8 && cp > 126) ||
					    utf8_cpwidth(cp) != 1) {
						at[c] = SIZE_MAX; /* '?' */
					} else {
						at[c] = text.len + 1;
						sbuf_add(&text, lab + j, (size_t)b);
						sbuf_addc(&text, '\0');
					}
					c++;
					j += (size_t)b;
				}
			}
		}
		for (int c = 0; c < cols; c++)
			if (at[c] == SIZE_MAX)
				cell[c] = "?";
			else if (at[c])
				cell[c] = text.buf + at[c] - 1;
		size_t start = out->len;
		sbuf_addf(out, "c%-*u", prefix - 1, client);
		put_cells(out, cell, (size_t)cols);
		end_line(out, start);
		budget_free(at);
		sbuf_free(&text);
	}
	if (listed)
		for (size_t i = 0; i < n; i++) {
			const char *lab = ops[i].label ? ops[i].label : "";
			int c0 = pl[i].c0, c1 = pl[i].c1;
			if (utf8_width(lab, strlen(lab)) <= (size_t)(c1 - c0 - 1))
				continue;
			size_t start = out->len;
			sbuf_addf(out, "  %zu: c%u ", i + 1, ops[i].client);
			put_text(out, lab, strlen(lab), (size_t)width - 12, utf8);
			if (ops[i].complete >= 0)
				sbuf_addf(out, "  [%.4g, %.4g]", ops[i].invoke, ops[i].complete);
			else
				sbuf_addf(out, "  [%.4g, never]", ops[i].invoke);
			end_line(out, start);
		}
	budget_free(pl);
	budget_free(order);
	budget_free(cell);
	return 0;
}
