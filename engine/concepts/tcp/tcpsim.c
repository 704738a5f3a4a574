/*
 * tcpsim.c — the TCP connection simulator (see tcpsim.h).
 *
 * Internally every sequence number is an offset from its side's ISS, as a
 * 64-bit count (0 is the SYN, 1 the first data byte), so no comparison
 * needs modular arithmetic; segments carry the 32-bit numbers RFC 9293
 * puts on the wire.
 */
#include "engine/concepts/tcp/tcpsim.h"

#include "engine/base/budget.h"

#include <math.h>
#include <string.h>

enum { EV_ARRIVE, EV_RTO, EV_PERSIST, EV_TIMEWAIT, EV_WINDOW };

struct tcp_ev {
	double t;
	unsigned long id;
	int kind, side;
	size_t seg;
	unsigned gen;
};

#define HEADER 40

void tcp_conf_defaults(struct tcp_conf *c)
{
	memset(c, 0, sizeof *c);
	c->delay = 0.05;
	c->mss = 1000;
	c->rwnd = 65535;
	c->ssthresh = 65535;
	c->initial_rto = 1.0;
	c->min_rto = 1.0;
	c->max_rto = 60.0;
	c->msl = 30;
	c->syn_retries = 6;
	c->server_listen = 1;
	c->server_autoclose = 1;
	c->seed = 1;
	c->max_events = 2000000;
}

/* ---- events: a binary heap ordered by (time, id) ---- */

static int before(const struct tcp_ev *a, const struct tcp_ev *b)
{
	return a->t < b->t || (a->t == b->t && a->id < b->id);
}

static void push(struct tcp_sim *s, double t, int kind, int side, size_t seg, unsigned gen)
{
	if (s->nev == s->capev) {
		size_t cap = s->capev ? 2 * s->capev : 64;
		struct tcp_ev *e = budget_realloc(s->ev, cap * sizeof *e);
		if (!e) {
			s->nomem = 1;
			return;
		}
		s->ev = e;
		s->capev = cap;
	}
	struct tcp_ev ev = {t, s->evid++, kind, side, seg, gen};
	size_t i = s->nev++;
	while (i > 0 && before(&ev, &s->ev[(i - 1) / 2])) {
		s->ev[i] = s->ev[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	s->ev[i] = ev;
}

static struct tcp_ev pop(struct tcp_sim *s)
{
	struct tcp_ev top = s->ev[0], last = s->ev[--s->nev];
	size_t i = 0;
	for (;;) {
		size_t c = 2 * i + 1;
		if (c >= s->nev)
			break;
		if (c + 1 < s->nev && before(&s->ev[c + 1], &s->ev[c]))
			c++;
		if (!before(&s->ev[c], &last))
			break;
		s->ev[i] = s->ev[c];
		i = c;
	}
	if (s->nev)
		s->ev[i] = last;
	return top;
}

/* ---- records ---- */

static void note_cwnd(struct tcp_sim *s, struct tcp_end *e)
{
	if (e->ncw == e->capcw) {
		size_t cap = e->capcw ? 2 * e->capcw : 64;
		struct tcp_point *p = budget_realloc(e->cw, cap * sizeof *p);
		if (!p) {
			s->nomem = 1;
			return;
		}
		e->cw = p;
		e->capcw = cap;
	}
	e->cw[e->ncw++] = (struct tcp_point){s->now, e->cwnd, e->ssthresh};
}

static void set_state(struct tcp_sim *s, struct tcp_end *e, enum tcp_state st)
{
	if (e->st == st)
		return;
	if (e->nch == e->capch) {
		size_t cap = e->capch ? 2 * e->capch : 16;
		struct tcp_change *c = budget_realloc(e->ch, cap * sizeof *c);
		if (!c) {
			s->nomem = 1;
			return;
		}
		e->ch = c;
		e->capch = cap;
	}
	e->ch[e->nch++] = (struct tcp_change){s->now, e->st, st};
	e->st = st;
}

/* ---- the link ---- */

static int dropped(const struct tcp_sim *s, unsigned n)
{
	for (size_t i = 0; i < s->conf.ndrop; i++)
		if (s->drop[i] == n)
			return 1;
	return 0;
}

/* How many segments of direction DIR still wait to leave at time NOW. */
static size_t queued(struct tcp_sim *s, int dir)
{
	size_t w = 0;
	for (size_t i = 0; i < s->ndep[dir]; i++)
		if (s->depart[dir][i] > s->now)
			s->depart[dir][w++] = s->depart[dir][i];
	s->ndep[dir] = w;
	return w;
}

static void transmit(struct tcp_sim *s, struct tcp_seg *g)
{
	int dir = g->from;
	double u = rng_uniform(&s->rng); /* drawn for every segment: runs replay */
	if (dropped(s, g->n))
		g->lost = TCP_LOST_DROP;
	else if (u < s->conf.loss)
		g->lost = TCP_LOST_RANDOM;
	double depart = s->now;
	if (!g->lost && s->conf.bandwidth > 0) {
		if (s->conf.queue > 0 && queued(s, dir) >= (size_t)s->conf.queue) {
			g->lost = TCP_LOST_QUEUE;
		} else {
			double start = s->link_free[dir] > s->now ? s->link_free[dir] : s->now;
			depart = start + (g->len + HEADER) / s->conf.bandwidth;
			s->link_free[dir] = depart;
			if (s->ndep[dir] == s->capdep[dir]) {
				size_t cap = s->capdep[dir] ? 2 * s->capdep[dir] : 64;
				double *d = budget_realloc(s->depart[dir], cap * sizeof *d);
				if (!d) {
					s->nomem = 1;
					return;
				}
				s->depart[dir] = d;
				s->capdep[dir] = cap;
			}
			s->depart[dir][s->ndep[dir]++] = start; /* waits until it starts to leave */
		}
	}
	if (g->lost) {
		g->arrive = -1;
		return;
	}
	g->arrive = depart + s->conf.delay;
	push(s, g->arrive, EV_ARRIVE, 1 - dir, (size_t)(g - s->seg), 0);
}

static double window_of(const struct tcp_sim *s, const struct tcp_end *e);

/* Sends a segment from E: FLAGS, at send offset OFF, LEN bytes. */
static void send_seg(struct tcp_sim *s, struct tcp_end *e, unsigned flags, uint64_t off,
                     uint32_t len, int probe)
{
	if (s->nseg == s->capseg) {
		size_t cap = s->capseg ? 2 * s->capseg : 256;
		struct tcp_seg *g = budget_realloc(s->seg, cap * sizeof *g);
		if (!g) {
			s->nomem = 1;
			return;
		}
		s->seg = g;
		s->capseg = cap;
	}
	struct tcp_seg *g = &s->seg[s->nseg++];
	memset(g, 0, sizeof *g);
	g->n = (unsigned)s->nseg;
	g->from = e->side;
	g->flags = flags;
	g->seq = (uint32_t)(e->iss + off);
	g->ack = (flags & TCP_ACK) ? (uint32_t)(e->irs + e->rcv_nxt) : 0;
	g->len = len;
	double w = window_of(s, e);
	g->wnd = (uint32_t)(w > 0 ? w : 0);
	e->adv_wnd = g->wnd;
	g->sent = s->now;
	g->retrans = (len > 0 || (flags & (TCP_SYN | TCP_FIN))) && off < e->max && !probe;
	g->probe = probe;
	e->sent++;
	if (g->retrans)
		e->retrans++;
	transmit(s, g);
}

/* ---- timers ---- */

static void rto_start(struct tcp_sim *s, struct tcp_end *e)
{
	e->rto_on = 1;
	push(s, s->now + e->rto.rto, EV_RTO, e->side, 0, ++e->rto_gen);
}

static void rto_stop(struct tcp_end *e)
{
	e->rto_on = 0;
	e->rto_gen++;
}

static void persist_start(struct tcp_sim *s, struct tcp_end *e)
{
	if (e->persist_on)
		return;
	e->persist_on = 1;
	push(s, s->now + e->rto.rto, EV_PERSIST, e->side, 0, ++e->persist_gen);
}

/* ---- the receiving application ---- */

static void drain(struct tcp_sim *s, struct tcp_end *e)
{
	if (s->conf.read_rate <= 0 || e->buffered <= 0) {
		e->last_read = s->now;
		return;
	}
	double got = (s->now - e->last_read) * s->conf.read_rate;
	if (got >= e->buffered - 1e-9) { /* emptied: when exactly */
		e->t_delivered = e->last_read + e->buffered / s->conf.read_rate;
		got = e->buffered;
	}
	e->buffered -= got;
	e->delivered += (uint64_t)llround(got);
	if (e->buffered < 1e-9)
		e->buffered = 0;
	e->last_read = s->now;
}

static double window_of(const struct tcp_sim *s, const struct tcp_end *e)
{
	double w = (double)s->conf.rwnd - ceil(e->buffered - 1e-9);
	return w > 0 ? floor(w) : 0;
}

/* Bytes reach the receiving application (or its buffer). */
static void take(struct tcp_sim *s, struct tcp_end *e, uint64_t n)
{
	if (s->conf.read_rate > 0) {
		drain(s, e);
		e->buffered += (double)n;
	} else {
		e->delivered += n;
		e->t_delivered = s->now;
	}
}

/* After advertising a small window, announce it again once it reaches
 * min(MSS, RWND/2) (receiver-side silly window avoidance). */
static void window_watch(struct tcp_sim *s, struct tcp_end *e)
{
	double thr = fmin(s->conf.mss, s->conf.rwnd / 2.0);
	if (e->win_on || s->conf.read_rate <= 0 || e->adv_wnd >= thr)
		return;
	double need = e->buffered - (s->conf.rwnd - thr);
	e->win_on = 1;
	push(s, s->now + (need > 0 ? need / s->conf.read_rate : 0), EV_WINDOW, e->side, 0,
	     ++e->win_gen);
}

/* ---- sending ---- */

static int synchronized(enum tcp_state st)
{
	return st >= TCP_ESTABLISHED;
}

/* Sends what the windows allow. Returns the segments sent. */
static int output(struct tcp_sim *s, struct tcp_end *e)
{
	int sent = 0;
	if (e->st != TCP_ESTABLISHED && e->st != TCP_CLOSE_WAIT && e->st != TCP_FIN_WAIT_1 &&
	    e->st != TCP_CLOSING && e->st != TCP_LAST_ACK)
		return 0;
	uint32_t mss = s->conf.mss;
	for (int guard = 0; guard < 100000 && !s->nomem; guard++) {
		uint64_t data_end = e->written + 1, flight = e->nxt - e->una;
		double wnd = fmin(e->cwnd, (double)e->snd_wnd);
		if (e->nxt < data_end) {
			uint64_t avail = data_end - e->nxt;
			double room = wnd > (double)flight ? wnd - (double)flight : 0;
			if (room < 1) {
				if (e->snd_wnd == 0 && flight == 0)
					persist_start(s, e);
				break;
			}
			uint64_t len = avail < mss ? avail : mss;
			if ((double)len > room)
				len = (uint64_t)room;
			if (len < mss && len < avail && flight > 0)
				break; /* sender silly window avoidance */
			int fresh = e->nxt == e->max;
			send_seg(s, e, TCP_ACK, e->nxt, (uint32_t)len, 0);
			if (fresh && !e->timing) {
				e->timing = 1;
				e->timed_off = e->nxt + len;
				e->timed_at = s->now;
			}
			e->nxt += len;
			if (e->nxt > e->max)
				e->max = e->nxt;
			if (!e->rto_on)
				rto_start(s, e);
			sent++;
			continue;
		}
		if (e->closing && e->nxt == data_end) {
			send_seg(s, e, TCP_FIN | TCP_ACK, e->nxt, 0, 0);
			e->fin_sent = 1;
			e->fin_off = data_end;
			e->nxt++;
			if (e->nxt > e->max)
				e->max = e->nxt;
			if (e->st == TCP_ESTABLISHED)
				set_state(s, e, TCP_FIN_WAIT_1);
			else if (e->st == TCP_CLOSE_WAIT)
				set_state(s, e, TCP_LAST_ACK);
			if (!e->rto_on)
				rto_start(s, e);
			sent++;
		}
		break;
	}
	return sent;
}

static void ack_now(struct tcp_sim *s, struct tcp_end *e)
{
	if (output(s, e) == 0)
		send_seg(s, e, TCP_ACK, e->nxt, 0, 0);
}

/* ---- the timers firing ---- */

static void on_rto(struct tcp_sim *s, struct tcp_end *e)
{
	e->rto_on = 0;
	e->timeouts++;
	if (e->st == TCP_SYN_SENT || e->st == TCP_SYN_RECEIVED) {
		if (++e->syn_tries > s->conf.syn_retries) {
			e->error = "connection timed out";
			set_state(s, e, e->st == TCP_SYN_SENT ? TCP_CLOSED : TCP_LISTEN);
			return;
		}
		tcp_rto_timeout(&e->rto);
		send_seg(s, e, e->st == TCP_SYN_SENT ? TCP_SYN : TCP_SYN | TCP_ACK, 0, 0, 0);
		rto_start(s, e);
		return;
	}
	if (e->una >= e->max)
		return;
	double flight = (double)(e->nxt - e->una);
	e->ssthresh = fmax(flight / 2, 2.0 * s->conf.mss); /* RFC 5681 equation (4) */
	e->cwnd = s->conf.mss;                             /* the loss window */
	e->recovery = 0;
	e->dupacks = 0;
	e->timing = 0;   /* Karn: no sample */
	e->nxt = e->una; /* go back N */
	tcp_rto_timeout(&e->rto);
	note_cwnd(s, e);
	output(s, e);
	if (!e->rto_on)
		rto_start(s, e);
}

static void on_persist(struct tcp_sim *s, struct tcp_end *e)
{
	e->persist_on = 0;
	if (e->snd_wnd > 0 || e->nxt >= e->written + 1 || e->nxt != e->una || !synchronized(e->st))
		return;
	send_seg(s, e, TCP_ACK, e->nxt, 1, 1); /* a one-byte window probe */
	e->probes++;
	if (e->nxt + 1 > e->max)
		e->max = e->nxt + 1;
	tcp_rto_timeout(&e->rto);
	persist_start(s, e);
}

/* ---- receiving ---- */

/* The 64-bit offset of the 32-bit sequence number SEQ near REF (relative
 * to BASE). */
static uint64_t unwrap(uint32_t seq, uint32_t base, uint64_t ref)
{
	int32_t d = (int32_t)(seq - (uint32_t)(base + ref));
	return (uint64_t)((int64_t)ref + d);
}

static void rst_reply(struct tcp_sim *s, struct tcp_end *e, const struct tcp_seg *g)
{
	if (g->flags & TCP_RST)
		return;
	struct tcp_seg copy = *g; /* send_seg may move s->seg */
	if (copy.flags & TCP_ACK) {
		uint32_t iss = e->iss;
		e->iss = copy.ack; /* seq = SEG.ACK */
		send_seg(s, e, TCP_RST, 0, 0, 0);
		e->iss = iss;
	} else {
		uint32_t irs = e->irs;
		uint64_t rn = e->rcv_nxt;
		e->irs = copy.seq;
		e->rcv_nxt =
		    copy.len + ((copy.flags & TCP_SYN) ? 1 : 0) + ((copy.flags & TCP_FIN) ? 1 : 0);
		uint32_t iss = e->iss;
		e->iss = 0;
		send_seg(s, e, TCP_RST | TCP_ACK, 0, 0, 0);
		e->iss = iss;
		e->irs = irs;
		e->rcv_nxt = rn;
	}
}

static void new_ack(struct tcp_sim *s, struct tcp_end *e, uint64_t ack)
{
	uint32_t mss = s->conf.mss;
	uint64_t acked = ack - e->una;
	e->una = ack;
	if (e->nxt < e->una)
		e->nxt = e->una;
	if (e->timing && ack >= e->timed_off) {
		tcp_rto_sample(&e->rto, s->now - e->timed_at);
		e->timing = 0;
	}
	if (e->recovery) { /* Reno: any new ACK ends fast recovery */
		e->cwnd = e->ssthresh;
		e->recovery = 0;
	} else if (e->cwnd < e->ssthresh) {
		e->cwnd += acked < mss ? (double)acked : mss; /* slow start */
	} else {
		e->cwnd += (double)mss * mss / e->cwnd; /* congestion avoidance */
	}
	e->dupacks = 0;
	note_cwnd(s, e);
	if (e->una >= e->written + 1 && e->t_acked < s->now)
		e->t_acked = s->now;
	if (e->una >= e->max)
		rto_stop(e);
	else
		rto_start(s, e);
}

static void dup_ack(struct tcp_sim *s, struct tcp_end *e)
{
	uint32_t mss = s->conf.mss;
	e->dup_acks_rcvd++;
	if (++e->dupacks == 3 && !e->recovery) { /* fast retransmit */
		double flight = (double)(e->nxt - e->una);
		e->ssthresh = fmax(flight / 2, 2.0 * mss);
		uint64_t end = e->written + 1;
		uint32_t len =
		    (uint32_t)(e->una < end ? (end - e->una < mss ? end - e->una : mss) : 0);
		send_seg(s, e, e->una == e->fin_off && e->fin_sent ? TCP_FIN | TCP_ACK : TCP_ACK,
		         e->una, len, 0);
		e->fast_retx++;
		e->timing = 0;
		e->cwnd = e->ssthresh + 3.0 * mss;
		e->recovery = 1;
		note_cwnd(s, e);
		rto_start(s, e);
	} else if (e->recovery) {
		e->cwnd += mss; /* inflate */
		note_cwnd(s, e);
	}
}

/* The peer's FIN has arrived in order. */
static void fin_in(struct tcp_sim *s, struct tcp_end *e)
{
	e->rcv_nxt++;
	switch (e->st) {
	case TCP_ESTABLISHED:
		set_state(s, e, TCP_CLOSE_WAIT);
		if (e->side == TCP_SERVER && s->conf.server_autoclose)
			e->closing = 1;
		break;
	case TCP_FIN_WAIT_1:
		set_state(s, e,
		          e->una >= e->fin_off + 1 && e->fin_sent ? TCP_TIME_WAIT : TCP_CLOSING);
		break;
	case TCP_FIN_WAIT_2:
		set_state(s, e, TCP_TIME_WAIT);
		break;
	default:
		break;
	}
	if (e->st == TCP_TIME_WAIT)
		push(s, s->now + 2 * s->conf.msl, EV_TIMEWAIT, e->side, 0, ++e->tw_gen);
}

/* Data at receive offset OFF, LEN bytes: into the stream or kept aside. */
static void data_in(struct tcp_sim *s, struct tcp_end *e, uint64_t off, uint64_t len)
{
	double w = window_of(s, e);
	uint64_t limit = e->rcv_nxt + (uint64_t)w;
	if (off > e->rcv_nxt) {
		uint64_t hi = off + len < limit ? off + len : limit;
		if (hi > off) {
			if (e->nooo == e->capooo) {
				size_t cap = e->capooo ? 2 * e->capooo : 16;
				struct tcp_range *r = budget_realloc(e->ooo, cap * sizeof *r);
				if (!r) {
					s->nomem = 1;
					return;
				}
				e->ooo = r;
				e->capooo = cap;
			}
			e->ooo[e->nooo++] = (struct tcp_range){off, hi};
		}
		return;
	}
	uint64_t end = off + len < limit ? off + len : limit;
	if (end > e->rcv_nxt) {
		take(s, e, end - e->rcv_nxt);
		e->rcv_nxt = end;
	}
	for (int merged = 1; merged;) { /* segments kept aside may now fit */
		merged = 0;
		for (size_t i = 0; i < e->nooo; i++) {
			if (e->ooo[i].lo > e->rcv_nxt)
				continue;
			if (e->ooo[i].hi > e->rcv_nxt) {
				take(s, e, e->ooo[i].hi - e->rcv_nxt);
				e->rcv_nxt = e->ooo[i].hi;
			}
			e->ooo[i--] = e->ooo[--e->nooo];
			merged = 1;
		}
	}
}

static void on_listen(struct tcp_sim *s, struct tcp_end *e, const struct tcp_seg *g)
{
	if (g->flags & TCP_RST)
		return;
	if (g->flags & TCP_ACK) {
		rst_reply(s, e, g);
		return;
	}
	if (!(g->flags & TCP_SYN))
		return;
	e->irs = g->seq;
	e->rcv_nxt = 1;
	e->snd_wnd = g->wnd;
	e->syn_tries = 0;
	set_state(s, e, TCP_SYN_RECEIVED);
	send_seg(s, e, TCP_SYN | TCP_ACK, 0, 0, 0);
	e->nxt = e->max = 1;
	e->timing = 1;
	e->timed_off = 1;
	e->timed_at = s->now;
	rto_start(s, e);
}

static void on_syn_sent(struct tcp_sim *s, struct tcp_end *e, const struct tcp_seg *g)
{
	int ack_ok = (g->flags & TCP_ACK) && g->ack == (uint32_t)(e->iss + 1);
	if ((g->flags & TCP_ACK) && !ack_ok) {
		rst_reply(s, e, g);
		return;
	}
	if (g->flags & TCP_RST) {
		if (ack_ok) {
			e->error = "connection refused";
			rto_stop(e);
			set_state(s, e, TCP_CLOSED);
		}
		return;
	}
	if (!(g->flags & TCP_SYN))
		return;
	e->irs = g->seq;
	e->rcv_nxt = 1;
	e->snd_wnd = g->wnd;
	if (ack_ok) {
		e->una = 1;
		if (e->timing && e->syn_tries == 0)
			tcp_rto_sample(&e->rto, s->now - e->timed_at);
		e->timing = 0;
		rto_stop(e);
		set_state(s, e, TCP_ESTABLISHED);
		ack_now(s, e);
	} else { /* simultaneous open */
		set_state(s, e, TCP_SYN_RECEIVED);
		send_seg(s, e, TCP_SYN | TCP_ACK, 0, 0, 0);
	}
}

/* RFC 9293 3.10.7.4: is the segment within the receive window? */
static int acceptable(const struct tcp_sim *s, const struct tcp_end *e, uint64_t off,
                      uint64_t seglen)
{
	uint64_t w = (uint64_t)window_of(s, e);
	if (seglen == 0)
		return w == 0 ? off == e->rcv_nxt : off >= e->rcv_nxt && off < e->rcv_nxt + w;
	if (w == 0)
		return 0;
	return (off >= e->rcv_nxt && off < e->rcv_nxt + w) ||
	       (off + seglen - 1 >= e->rcv_nxt && off + seglen - 1 < e->rcv_nxt + w);
}

static void on_segment(struct tcp_sim *s, struct tcp_end *e, size_t idx)
{
	struct tcp_seg g = s->seg[idx]; /* a copy: sending may move the array */
	drain(s, e);
	if (e->st == TCP_CLOSED) {
		rst_reply(s, e, &g);
		return;
	}
	if (e->st == TCP_LISTEN) {
		on_listen(s, e, &g);
		return;
	}
	if (e->st == TCP_SYN_SENT) {
		on_syn_sent(s, e, &g);
		return;
	}
	uint64_t off = unwrap(g.seq, e->irs, e->rcv_nxt);
	uint64_t seglen = g.len + ((g.flags & TCP_FIN) ? 1 : 0) + ((g.flags & TCP_SYN) ? 1 : 0);
	if (!acceptable(s, e, off, seglen) && !(g.len == 1 && window_of(s, e) == 0)) {
		if (!(g.flags & TCP_RST))
			send_seg(s, e, TCP_ACK, e->nxt, 0, 0); /* a duplicate: say where we are */
		return;
	}
	if (g.flags & TCP_RST) {
		e->error = "connection reset";
		rto_stop(e);
		set_state(s, e, TCP_CLOSED);
		return;
	}
	if (g.flags & TCP_SYN) { /* a retransmitted SYN,ACK: our ACK was lost */
		send_seg(s, e, TCP_ACK, e->nxt, 0, 0);
		return;
	}
	if (!(g.flags & TCP_ACK))
		return;
	uint64_t ack = unwrap(g.ack, e->iss, e->una);
	if (e->st == TCP_SYN_RECEIVED) {
		if (ack < 1 || ack > e->max) {
			rst_reply(s, e, &g);
			return;
		}
		if (e->timing && e->syn_tries == 0)
			tcp_rto_sample(&e->rto, s->now - e->timed_at);
		e->timing = 0;
		e->una = 1;
		rto_stop(e);
		set_state(s, e, TCP_ESTABLISHED);
	}
	if (ack > e->max) {
		send_seg(s, e, TCP_ACK, e->nxt, 0, 0);
		return;
	}
	int window_changed = g.wnd != e->snd_wnd;
	if (ack > e->una)
		new_ack(s, e, ack);
	else if (ack == e->una && g.len == 0 && !(g.flags & TCP_FIN) && !window_changed &&
	         e->una < e->max)
		dup_ack(s, e);
	e->snd_wnd = g.wnd;
	if (e->snd_wnd > 0) {
		e->persist_on = 0;
		e->persist_gen++;
	}
	int fin_acked = e->fin_sent && e->una >= e->fin_off + 1;
	if (e->st == TCP_FIN_WAIT_1 && fin_acked)
		set_state(s, e, TCP_FIN_WAIT_2);
	else if (e->st == TCP_CLOSING && fin_acked) {
		set_state(s, e, TCP_TIME_WAIT);
		push(s, s->now + 2 * s->conf.msl, EV_TIMEWAIT, e->side, 0, ++e->tw_gen);
	} else if (e->st == TCP_LAST_ACK && fin_acked) {
		rto_stop(e);
		set_state(s, e, TCP_CLOSED);
		return;
	}
	int need_ack = 0;
	if (g.len > 0 &&
	    (e->st == TCP_ESTABLISHED || e->st == TCP_FIN_WAIT_1 || e->st == TCP_FIN_WAIT_2)) {
		data_in(s, e, off, g.len);
		need_ack = 1;
	}
	if (g.flags & TCP_FIN) {
		e->peer_fin = off + g.len;
		need_ack = 1;
	}
	if (e->peer_fin && e->rcv_nxt == e->peer_fin) {
		if (e->st == TCP_TIME_WAIT) /* the FIN again: our ACK was lost */
			push(s, s->now + 2 * s->conf.msl, EV_TIMEWAIT, e->side, 0, ++e->tw_gen);
		else
			fin_in(s, e);
	}
	if (need_ack)
		ack_now(s, e);
	else
		output(s, e);
	window_watch(s, e);
}

static void on_window(struct tcp_sim *s, struct tcp_end *e)
{
	e->win_on = 0;
	drain(s, e);
	if (!synchronized(e->st) || e->st == TCP_TIME_WAIT)
		return;
	double thr = fmin(s->conf.mss, s->conf.rwnd / 2.0);
	if (window_of(s, e) >= thr)
		send_seg(s, e, TCP_ACK, e->nxt, 0, 0); /* the window update */
	else
		window_watch(s, e);
}

/* ---- the simulation ---- */

struct tcp_sim *tcp_sim_new(const struct tcp_conf *c)
{
	struct tcp_sim *s = budget_calloc(1, sizeof *s);
	if (!s)
		return NULL;
	s->conf = *c;
	if (c->ndrop) {
		s->drop = budget_malloc(c->ndrop * sizeof *s->drop);
		if (!s->drop) {
			budget_free(s);
			return NULL;
		}
		memcpy(s->drop, c->drop, c->ndrop * sizeof *s->drop);
	}
	s->conf.drop = NULL;
	rng_seed(&s->rng, c->seed);
	uint32_t mss = c->mss;
	double iw = c->iw        ? (double)c->iw * mss
	            : mss > 2190 ? 2.0 * mss
	            : mss > 1095 ? 3.0 * mss
	                         : 4.0 * mss;
	for (int i = 0; i < 2; i++) {
		struct tcp_end *e = &s->e[i];
		e->side = i;
		e->iss = c->iss[i];
		e->cwnd = iw;
		e->ssthresh = c->ssthresh;
		e->snd_wnd = 0;
		tcp_rto_init(&e->rto, c->initial_rto, c->min_rto, c->max_rto, c->granularity);
		e->st = TCP_CLOSED;
	}
	if (c->server_listen)
		set_state(s, &s->e[TCP_SERVER], TCP_LISTEN);
	note_cwnd(s, &s->e[0]);
	note_cwnd(s, &s->e[1]);
	if (s->nomem) {
		tcp_sim_free(s);
		return NULL;
	}
	return s;
}

void tcp_sim_free(struct tcp_sim *s)
{
	if (!s)
		return;
	for (int i = 0; i < 2; i++) {
		budget_free(s->e[i].ooo);
		budget_free(s->e[i].cw);
		budget_free(s->e[i].ch);
		budget_free(s->depart[i]);
	}
	budget_free(s->seg);
	budget_free(s->ev);
	budget_free(s->drop);
	budget_free(s);
}

int tcp_connect(struct tcp_sim *s, const char **why)
{
	struct tcp_end *e = &s->e[TCP_CLIENT];
	if (e->st != TCP_CLOSED || e->nch > 0)
		return *why = "connect() once, on a fresh connection", -1;
	set_state(s, e, TCP_SYN_SENT);
	send_seg(s, e, TCP_SYN, 0, 0, 0);
	e->nxt = e->max = 1;
	e->timing = 1;
	e->timed_off = 1;
	e->timed_at = s->now;
	rto_start(s, e);
	return s->nomem ? (*why = "not enough memory", -1) : 0;
}

int tcp_write(struct tcp_sim *s, int side, uint64_t bytes, const char **why)
{
	struct tcp_end *e = &s->e[side];
	if (e->closing || e->st == TCP_CLOSED || e->st == TCP_TIME_WAIT)
		return *why = "this side has closed (or never opened) its connection", -1;
	if (e->side == TCP_SERVER && e->st == TCP_LISTEN)
		return *why = "the server has no connection yet", -1;
	e->written += bytes;
	output(s, e);
	return s->nomem ? (*why = "not enough memory", -1) : 0;
}

int tcp_close(struct tcp_sim *s, int side, const char **why)
{
	struct tcp_end *e = &s->e[side];
	if (e->closing)
		return *why = "already closed", -1;
	if (e->st == TCP_SYN_SENT && e->written > 0) {
		e->closing =
		    1; /* queued until ESTABLISHED, as RFC 9293 3.10.4 does in SYN-RECEIVED */
		return 0;
	}
	if (e->st == TCP_LISTEN || e->st == TCP_SYN_SENT || e->st == TCP_CLOSED) {
		rto_stop(e);
		set_state(s, e, TCP_CLOSED);
		return 0;
	}
	e->closing = 1;
	output(s, e);
	return s->nomem ? (*why = "not enough memory", -1) : 0;
}

int tcp_step(struct tcp_sim *s, const char **why)
{
	if (s->nev == 0)
		return 0;
	if (++s->events > s->conf.max_events)
		return *why = "too many events (max_events)", -1;
	if (s->events % 4096 == 0 && (*why = budget_stop()) != NULL)
		return -1;
	struct tcp_ev ev = pop(s);
	s->now = ev.t;
	struct tcp_end *e = &s->e[ev.side];
	switch (ev.kind) {
	case EV_ARRIVE:
		on_segment(s, e, ev.seg);
		break;
	case EV_RTO:
		if (ev.gen == e->rto_gen && e->rto_on)
			on_rto(s, e);
		break;
	case EV_PERSIST:
		if (ev.gen == e->persist_gen && e->persist_on)
			on_persist(s, e);
		break;
	case EV_TIMEWAIT:
		if (ev.gen == e->tw_gen && e->st == TCP_TIME_WAIT)
			set_state(s, e, TCP_CLOSED);
		break;
	case EV_WINDOW:
		if (ev.gen == e->win_gen)
			on_window(s, e);
		break;
	}
	if (s->nomem)
		return *why = "not enough memory", -1;
	return 1;
}

int tcp_run(struct tcp_sim *s, double until, const char **why)
{
	while (s->nev > 0 && s->ev[0].t <= until) {
		int rc = tcp_step(s, why);
		if (rc < 0)
			return -1;
	}
	if (until > s->now && isfinite(until))
		s->now = until;
	for (int i = 0; i < 2; i++) { /* the applications read on while nothing happens */
		struct tcp_end *e = &s->e[i];
		if (isfinite(until)) {
			drain(s, e);
		} else if (e->buffered > 0 && s->conf.read_rate > 0) {
			e->t_delivered = e->last_read + e->buffered / s->conf.read_rate;
			e->delivered += (uint64_t)llround(e->buffered);
			e->buffered = 0;
		}
	}
	return 0;
}
