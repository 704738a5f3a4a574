/*
 * nat.h — a NAT44 with the behaviours RFC 4787 names, on simulated time.
 *
 * One public IPv4 address; internal hosts send UDP-like packets out through
 * it and receive packets back. What RFC 4787 lets vary is a parameter:
 *
 *   mapping (section 4.1): which outbound packets share a public port.
 *     NAT_INDEPENDENT   every packet from one internal endpoint (ip:port)
 *                       uses the same public port, whatever the destination
 *                       ("endpoint-independent mapping", REQ-1);
 *     NAT_ADDRESS       a new public port per destination address;
 *     NAT_ADDRESS_PORT  a new public port per destination address and port
 *                       (the "symmetric NAT" of RFC 3489).
 *   filtering (section 5): which inbound packets to a public port pass.
 *     NAT_INDEPENDENT   any sender;
 *     NAT_ADDRESS       only addresses the internal endpoint has sent to;
 *     NAT_ADDRESS_PORT  only address:port pairs it has sent to.
 *   timeout (section 4.3): a mapping unused for this many seconds is
 *     removed; an outbound packet refreshes it, an inbound one too if
 *     inbound_refresh is set.
 *   hairpin (section 6): a packet from inside to the NAT's own public
 *     address is turned around to the internal endpoint that owns the
 *     public port, with the sender's public address as its source (REQ-9),
 *     subject to filtering; without hairpinning it is dropped.
 *   port preservation (section 4.2.1): the public port equals the internal
 *     port when that port is free.
 *
 * Ports are allocated from [port_lo, port_hi]: the internal port if
 * preserved, else the next free port after the last one given, wrapping.
 * Every mapping gets its own public port (no port overloading).
 *
 * Time never goes backwards: a call with an earlier time than the last is
 * treated as the last. Mappings expire when now >= expires.
 */
#ifndef BACKLAB_NAT_H
#define BACKLAB_NAT_H

#include <stddef.h>
#include <stdint.h>

enum nat_behaviour { NAT_INDEPENDENT, NAT_ADDRESS, NAT_ADDRESS_PORT };

struct nat_ep {
	uint32_t ip;
	uint16_t port;
};

struct nat_conf {
	uint32_t public_ip;
	uint16_t port_lo, port_hi;
	enum nat_behaviour mapping, filtering;
	double timeout;
	int hairpin;
	int preserve_port;
	int inbound_refresh;
};

struct nat_map {
	struct nat_ep in;     /* internal endpoint */
	struct nat_ep remote; /* destination the mapping is for (dependent mapping) */
	uint16_t pub;         /* public port */
	double created, expires;
	struct nat_ep *seen; /* destinations sent to (for filtering); owned */
	size_t nseen, capseen;
};

struct nat {
	struct nat_conf conf;
	struct nat_map *m;
	size_t n, cap;
	uint16_t next_port;
	double now;
};

/* What happened to one packet. */
enum nat_verdict {
	NAT_PASS,    /* translated: see src, dst */
	NAT_HAIRPIN, /* outbound to our own public address, turned around inside */
	NAT_NO_MAPPING,
	NAT_FILTERED,
	NAT_NO_PORTS, /* every public port is in use */
	NAT_NO_MEMORY,
	NAT_DROPPED, /* hairpinning disabled */
};

struct nat_result {
	enum nat_verdict verdict;
	struct nat_ep src, dst; /* the packet after translation */
};

/* Starts an empty NAT with CONF (port_lo <= port_hi, timeout > 0). */
void nat_init(struct nat *t, const struct nat_conf *conf);
void nat_free(struct nat *t);

/* Moves time to NOW (never backwards) and removes expired mappings. */
void nat_advance(struct nat *t, double now);

/* A packet from internal SRC to DST at time NOW. On NAT_NO_PORTS or
 * NAT_NO_MEMORY nothing changed. */
void nat_outbound(struct nat *t, double now, struct nat_ep src, struct nat_ep dst,
                  struct nat_result *r);

/* A packet from outside SRC to our public address, port PUB, at time NOW. */
void nat_inbound(struct nat *t, double now, struct nat_ep src, uint16_t pub, struct nat_result *r);

/* A short reason for a verdict ("no mapping for that port"...). */
const char *nat_verdict_text(enum nat_verdict v);

#endif
