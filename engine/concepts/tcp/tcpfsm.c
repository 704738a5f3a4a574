/*
 * tcpfsm.c — RFC 9293 Figure 5 as a table, and the RFC 6298 estimator
 * (see tcpfsm.h).
 */
#include "engine/concepts/tcp/tcpfsm.h"

#include <string.h>
#include <strings.h>

static const char *const state_names[TCP_NSTATES] = {
    "CLOSED",     "LISTEN",     "SYN_SENT", "SYN_RECEIVED", "ESTABLISHED", "FIN_WAIT_1",
    "FIN_WAIT_2", "CLOSE_WAIT", "CLOSING",  "LAST_ACK",     "TIME_WAIT",
};

static const char *const event_names[TCP_NEVENTS] = {
    "passive_open", "active_open", "send",        "close",   "rcv_syn", "rcv_syn_ack",
    "rcv_ack",      "rcv_fin",     "rcv_fin_ack", "rcv_rst", "timeout",
};

const char *tcp_state_name(enum tcp_state s)
{
	return s < TCP_NSTATES ? state_names[s] : "?";
}

int tcp_state_code(const char *name)
{
	for (int i = 0; i < TCP_NSTATES; i++)
		if (strcasecmp(name, state_names[i]) == 0)
			return i;
	return -1;
}

const char *tcp_event_name(enum tcp_event e)
{
	return e < TCP_NEVENTS ? event_names[e] : "?";
}

int tcp_event_code(const char *name)
{
	for (int i = 0; i < TCP_NEVENTS; i++)
		if (strcasecmp(name, event_names[i]) == 0)
			return i;
	return -1;
}

static const struct arc {
	enum tcp_state from;
	enum tcp_event ev;
	enum tcp_state to;
	const char *send;
} arcs[] = {
    {TCP_CLOSED, TCP_EV_PASSIVE_OPEN, TCP_LISTEN, ""},
    {TCP_CLOSED, TCP_EV_ACTIVE_OPEN, TCP_SYN_SENT, "SYN"},
    {TCP_LISTEN, TCP_EV_SEND, TCP_SYN_SENT, "SYN"},
    {TCP_LISTEN, TCP_EV_RCV_SYN, TCP_SYN_RECEIVED, "SYN,ACK"},
    {TCP_LISTEN, TCP_EV_CLOSE, TCP_CLOSED, ""},
    {TCP_SYN_SENT, TCP_EV_RCV_SYN, TCP_SYN_RECEIVED, "SYN,ACK"}, /* simultaneous open */
    {TCP_SYN_SENT, TCP_EV_RCV_SYN_ACK, TCP_ESTABLISHED, "ACK"},
    {TCP_SYN_SENT, TCP_EV_CLOSE, TCP_CLOSED, ""},
    {TCP_SYN_SENT, TCP_EV_RCV_RST, TCP_CLOSED, ""},
    {TCP_SYN_RECEIVED, TCP_EV_RCV_ACK, TCP_ESTABLISHED, ""},
    {TCP_SYN_RECEIVED, TCP_EV_CLOSE, TCP_FIN_WAIT_1, "FIN"},
    {TCP_SYN_RECEIVED, TCP_EV_RCV_RST, TCP_LISTEN, ""}, /* if opened passively */
    {TCP_ESTABLISHED, TCP_EV_CLOSE, TCP_FIN_WAIT_1, "FIN"},
    {TCP_ESTABLISHED, TCP_EV_RCV_FIN, TCP_CLOSE_WAIT, "ACK"},
    {TCP_ESTABLISHED, TCP_EV_RCV_RST, TCP_CLOSED, ""},
    {TCP_FIN_WAIT_1, TCP_EV_RCV_ACK, TCP_FIN_WAIT_2, ""},
    {TCP_FIN_WAIT_1, TCP_EV_RCV_FIN, TCP_CLOSING, "ACK"},
    {TCP_FIN_WAIT_1, TCP_EV_RCV_FIN_ACK, TCP_TIME_WAIT, "ACK"},
    {TCP_FIN_WAIT_1, TCP_EV_RCV_RST, TCP_CLOSED, ""},
    {TCP_FIN_WAIT_2, TCP_EV_RCV_FIN, TCP_TIME_WAIT, "ACK"},
    {TCP_FIN_WAIT_2, TCP_EV_RCV_RST, TCP_CLOSED, ""},
    {TCP_CLOSE_WAIT, TCP_EV_CLOSE, TCP_LAST_ACK, "FIN"},
    {TCP_CLOSE_WAIT, TCP_EV_RCV_RST, TCP_CLOSED, ""},
    {TCP_CLOSING, TCP_EV_RCV_ACK, TCP_TIME_WAIT, ""},
    {TCP_CLOSING, TCP_EV_RCV_RST, TCP_CLOSED, ""},
    {TCP_LAST_ACK, TCP_EV_RCV_ACK, TCP_CLOSED, ""},
    {TCP_LAST_ACK, TCP_EV_RCV_RST, TCP_CLOSED, ""},
    {TCP_TIME_WAIT, TCP_EV_TIMEOUT, TCP_CLOSED, ""},
    {TCP_TIME_WAIT, TCP_EV_RCV_FIN, TCP_TIME_WAIT, "ACK"}, /* a retransmitted FIN */
};

int tcp_transition(enum tcp_state s, enum tcp_event e, enum tcp_state *next, const char **send)
{
	for (size_t i = 0; i < sizeof arcs / sizeof *arcs; i++)
		if (arcs[i].from == s && arcs[i].ev == e) {
			*next = arcs[i].to;
			*send = arcs[i].send;
			return 0;
		}
	return -1;
}

void tcp_rto_init(struct tcp_rto *r, double initial, double min_rto, double max_rto, double g)
{
	memset(r, 0, sizeof *r);
	r->initial = r->rto = initial;
	r->min_rto = min_rto;
	r->max_rto = max_rto;
	r->granularity = g;
}

static double clamp(const struct tcp_rto *r, double v)
{
	if (v < r->min_rto)
		v = r->min_rto;
	if (v > r->max_rto)
		v = r->max_rto;
	return v;
}

double tcp_rto_sample(struct tcp_rto *r, double rtt)
{
	if (!r->have_sample) {
		r->srtt = rtt;
		r->rttvar = rtt / 2;
		r->have_sample = 1;
	} else {
		double d = r->srtt - rtt;
		r->rttvar = 0.75 * r->rttvar + 0.25 * (d < 0 ? -d : d);
		r->srtt = 0.875 * r->srtt + 0.125 * rtt;
	}
	double k = 4 * r->rttvar;
	r->rto = clamp(r, r->srtt + (k > r->granularity ? k : r->granularity));
	r->backoffs = 0;
	return r->rto;
}

double tcp_rto_timeout(struct tcp_rto *r)
{
	r->rto = r->rto * 2 > r->max_rto ? r->max_rto : r->rto * 2;
	r->backoffs++;
	return r->rto;
}
