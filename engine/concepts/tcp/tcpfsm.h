/*
 * tcpfsm.h — TCP's connection state diagram (RFC 9293 section 3.3.2,
 * Figure 5) as a table, and the retransmission timer's estimator (RFC
 * 6298).
 *
 * The table maps (state, event) to (next state, segment to send). Events
 * are what Figure 5 labels its arcs with: the application's open and close,
 * the segment received (SYN, SYN+ACK, the ACK of our SYN or FIN, FIN, the
 * FIN that also acknowledges ours, RST) and the 2 MSL timeout.
 */
#ifndef BACKLAB_TCPFSM_H
#define BACKLAB_TCPFSM_H

enum tcp_state {
	TCP_CLOSED,
	TCP_LISTEN,
	TCP_SYN_SENT,
	TCP_SYN_RECEIVED,
	TCP_ESTABLISHED,
	TCP_FIN_WAIT_1,
	TCP_FIN_WAIT_2,
	TCP_CLOSE_WAIT,
	TCP_CLOSING,
	TCP_LAST_ACK,
	TCP_TIME_WAIT,
	TCP_NSTATES
};

enum tcp_event {
	TCP_EV_PASSIVE_OPEN,
	TCP_EV_ACTIVE_OPEN,
	TCP_EV_SEND,
	TCP_EV_CLOSE,
	TCP_EV_RCV_SYN,
	TCP_EV_RCV_SYN_ACK,
	TCP_EV_RCV_ACK,
	TCP_EV_RCV_FIN,
	TCP_EV_RCV_FIN_ACK,
	TCP_EV_RCV_RST,
	TCP_EV_TIMEOUT,
	TCP_NEVENTS
};

/* "ESTABLISHED", ...; and back (-1 if unknown). */
const char *tcp_state_name(enum tcp_state s);
int tcp_state_code(const char *name);
const char *tcp_event_name(enum tcp_event e);
int tcp_event_code(const char *name);

/*
 * The arc of Figure 5 leaving S on E: 0 with *NEXT and *SEND (the flags of
 * the segment sent, "" for none, e.g. "SYN,ACK"), or -1 if the diagram has
 * no such arc.
 */
int tcp_transition(enum tcp_state s, enum tcp_event e, enum tcp_state *next, const char **send);

/*
 * The RFC 6298 estimator. Times in seconds. Before the first sample RTO is
 * the initial value (1 s, 2.1); the first sample R sets SRTT = R, RTTVAR =
 * R/2 (2.2); later ones RTTVAR = 3/4 RTTVAR + 1/4 |SRTT - R|, then SRTT =
 * 7/8 SRTT + 1/8 R (2.3); RTO = SRTT + max(G, 4 RTTVAR), at least MIN_RTO
 * (2.4: 1 s) and at most MAX_RTO (2.5: at least 60 s). A timeout doubles
 * RTO (5.5), up to MAX_RTO; the next sample computes it afresh.
 */
struct tcp_rto {
	double srtt, rttvar, rto;
	double min_rto, max_rto, granularity, initial;
	int have_sample;
	unsigned backoffs;
};

void tcp_rto_init(struct tcp_rto *r, double initial, double min_rto, double max_rto, double g);
double tcp_rto_sample(struct tcp_rto *r, double rtt);
double tcp_rto_timeout(struct tcp_rto *r);

#endif
