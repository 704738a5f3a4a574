/*
 * tcpsim.h — one TCP connection between a client and a server over a
 * simulated link: RFC 9293's state machine, sequence numbers and
 * acknowledgements, flow control, retransmission on a timer estimated as
 * RFC 6298 says, fast retransmit and Reno congestion control (RFC 5681),
 * the close and TIME_WAIT. Discrete events on a simulated clock; losses
 * from a seeded generator: the same configuration replays the same run.
 *
 * The link: each direction delays a segment by DELAY seconds; with a
 * BANDWIDTH it also serializes segments (length + 40 header bytes) one
 * after another, and with a QUEUE limit it drops a segment that finds QUEUE
 * segments already waiting (a bottleneck router's tail drop). LOSS drops
 * each segment independently; DROP lists segment numbers to lose. Segments
 * of a direction arrive in the order they were sent.
 *
 * What is modelled, and what is not:
 *  - every segment is acknowledged at once (no delayed ACKs); no SACK, no
 *    timestamps, no window scaling (windows are plain byte counts), no
 *    Nagle; the sender avoids silly windows (RFC 9293 3.8.6.2.1) by
 *    sending a short segment only when nothing is in flight;
 *  - the receiver buffers RWND bytes; its application reads READ_RATE bytes
 *    a second (0: at once, so the window never closes); a zero window is
 *    probed with one byte on the persist timer, and the receiver announces
 *    a reopened window once it reaches min(MSS, RWND/2);
 *  - congestion control is Reno: slow start (cwnd += min(acked, MSS) per
 *    ACK), congestion avoidance (cwnd += MSS*MSS/cwnd), fast retransmit on
 *    the third duplicate ACK with fast recovery, and on a timeout
 *    ssthresh = max(FlightSize/2, 2*MSS), cwnd = 1 MSS and go-back-N;
 *  - the initial window is RFC 5681's (4, 3 or 2 segments by MSS) unless IW
 *    is given; the initial ssthresh is SSTHRESH.
 * Segments are data-free: only their sequence numbers and lengths matter.
 */
#ifndef BACKLAB_TCPSIM_H
#define BACKLAB_TCPSIM_H

#include <stddef.h>
#include <stdint.h>

#include "engine/concepts/rand/rand.h"
#include "engine/concepts/tcp/tcpfsm.h"

enum { TCP_SYN = 1, TCP_ACK = 2, TCP_FIN = 4, TCP_RST = 8 };
enum { TCP_CLIENT = 0, TCP_SERVER = 1 };
enum { TCP_KEPT = 0, TCP_LOST_RANDOM, TCP_LOST_DROP, TCP_LOST_QUEUE };

struct tcp_conf {
	double delay, loss, bandwidth;
	int queue;
	uint32_t mss, rwnd, iw;
	double read_rate, ssthresh;
	double initial_rto, min_rto, max_rto, granularity, msl;
	int syn_retries;
	int server_listen, server_autoclose;
	uint64_t seed;
	uint32_t iss[2];
	const unsigned *drop; /* segment numbers to lose (copied by tcp_sim_new) */
	size_t ndrop;
	unsigned long max_events; /* a run stops with an error after this many */
};

struct tcp_seg {
	unsigned n; /* 1, 2, ... in the order sent */
	int from;
	uint32_t seq, ack, len, wnd;
	unsigned flags;
	double sent, arrive;
	int lost; /* TCP_KEPT or why it was lost */
	int retrans, probe;
};

struct tcp_point {
	double t, cwnd, ssthresh;
};

struct tcp_change {
	double t;
	enum tcp_state from, to;
};

struct tcp_range {
	uint64_t lo, hi;
};

struct tcp_end {
	int side;
	enum tcp_state st;
	uint32_t iss, irs;
	uint64_t una, nxt, max; /* send offsets from ISS (0 is the SYN) */
	uint64_t written;       /* bytes the application wrote */
	int closing, fin_sent;
	uint64_t fin_off;
	uint64_t rcv_nxt;  /* receive offset from IRS */
	uint64_t peer_fin; /* offset of the peer's FIN, when known */
	double buffered, last_read;
	uint64_t delivered; /* bytes the application has read */
	struct tcp_range *ooo;
	size_t nooo, capooo;
	uint32_t snd_wnd, adv_wnd;
	double cwnd, ssthresh;
	int dupacks, recovery;
	struct tcp_rto rto;
	int timing;
	uint64_t timed_off;
	double timed_at;
	unsigned rto_gen, persist_gen, tw_gen, win_gen;
	int rto_on, persist_on, win_on;
	int syn_tries;
	unsigned sent, retrans, timeouts, fast_retx, probes, dup_acks_rcvd;
	double t_acked, t_delivered;
	const char *error; /* "connection refused", ... or NULL */
	struct tcp_point *cw;
	size_t ncw, capcw;
	struct tcp_change *ch;
	size_t nch, capch;
};

struct tcp_ev;

struct tcp_sim {
	struct tcp_conf conf;
	unsigned *drop;
	struct rng rng;
	double now;
	struct tcp_end e[2];
	struct tcp_seg *seg;
	size_t nseg, capseg;
	struct tcp_ev *ev;
	size_t nev, capev;
	unsigned long evid, events;
	double link_free[2];
	double *depart[2]; /* departure times of segments still queued */
	size_t ndep[2], capdep[2];
	int nomem;
};

/* Fills C with the defaults (documented in tcp.md). */
void tcp_conf_defaults(struct tcp_conf *c);

/* A new simulation (server listening unless conf says closed), or NULL
 * without memory. Free with tcp_sim_free. */
struct tcp_sim *tcp_sim_new(const struct tcp_conf *c);
void tcp_sim_free(struct tcp_sim *s);

/* The application's calls, at the current time. -1 if the state does not
 * allow it (with *WHY). */
int tcp_connect(struct tcp_sim *s, const char **why);
int tcp_write(struct tcp_sim *s, int side, uint64_t bytes, const char **why);
int tcp_close(struct tcp_sim *s, int side, const char **why);

/*
 * Processes events up to time UNTIL (INFINITY: until none are left). 0;
 * -1 with *WHY when max_events is reached, budget_stop() says so, or
 * memory runs out.
 */
int tcp_run(struct tcp_sim *s, double until, const char **why);

/* Processes the next event only: 1 if there was one, 0 if none, -1 as
 * tcp_run. */
int tcp_step(struct tcp_sim *s, const char **why);

#endif
