/*
 * broker.h — a message queue with acknowledgements, prefetch, redelivery
 * and a dead-letter queue, and a topic that fans messages out to queues
 * through filters.
 *
 * The queue follows RabbitMQ's model (rabbitmq.com, "Consumer
 * Acknowledgements and Publisher Confirms", "Consumer Prefetch", "Dead
 * Letter Exchanges"): each delivery carries a fresh delivery tag; a
 * consumer acks a tag (the message is gone) or nacks it (requeued, or
 * dead-lettered when it asks for no requeue); a consumer whose channel
 * closes has its unacked messages requeued; a requeued message goes back
 * to its original place (the lowest id is delivered first); a consumer
 * holds at most PREFETCH unacked messages (0: no limit); an auto-ack
 * consumer's message counts as acked when it is sent (at-most-once). A
 * delivery not acked within ACK_TIMEOUT of simulated time is taken back
 * and requeued (RabbitMQ closes the channel after its consumer timeout;
 * Amazon SQS's visibility timeout works per message, as here). After
 * MAX_DELIVERIES failed deliveries (0: no limit) a message goes to the
 * dead-letter queue instead (a quorum queue's delivery-limit, SQS's
 * maxReceiveCount).
 *
 * The topic follows Amazon SNS message filtering: a subscription's filter
 * is a set of attribute names, each with a list of accepted string values;
 * a message matches when every name of the filter is among its attributes
 * with one of the accepted values (an empty filter matches everything).
 *
 * Times are the caller's (a simulated clock); nothing here reads a clock.
 */
#ifndef BACKLAB_BROKER_H
#define BACKLAB_BROKER_H

#include <stddef.h>
#include <stdint.h>

enum broker_state { BROKER_READY, BROKER_UNACKED, BROKER_ACKED, BROKER_DEAD };

struct broker_msg {
	char *body;
	size_t len;
	uint32_t deliveries;     /* times it was sent to a consumer */
	enum broker_state state;
	uint32_t consumer;       /* BROKER_UNACKED: who holds it */
	uint64_t tag;            /* BROKER_UNACKED: the tag of its delivery */
	double deadline;         /* BROKER_UNACKED: when it is taken back */
	size_t slot;             /* BROKER_UNACKED: its place in the unacked list */
};

struct broker_consumer {
	uint32_t prefetch;       /* 0: no limit */
	int autoack;
	uint32_t unacked;
};

struct broker_stats {
	uint64_t published, delivered, redelivered, acked, nacked, expired, crashed, dead;
};

struct broker_queue {
	struct broker_msg *m;    /* message i has the id i + 1 */
	size_t n, cap;
	uint32_t *ready;         /* a min-heap of message indices */
	size_t nready, readycap;
	uint32_t *unacked;       /* indices of the messages in flight */
	size_t nunacked, unackedcap;
	uint32_t *tags;          /* delivery tag t: message tags[t - 1] */
	size_t ntags, tagcap;
	uint32_t *dead;          /* dead-lettered, in order */
	size_t ndead, deadcap;
	struct broker_consumer *c;
	size_t nc, ccap;
	double ack_timeout;      /* 0: never */
	uint32_t max_deliveries; /* 0: no limit */
	struct broker_stats st;
};

/* An empty queue. */
void broker_init(struct broker_queue *q, double ack_timeout, uint32_t max_deliveries);

/* Frees what Q holds; Q may hold nothing. */
void broker_free(struct broker_queue *q);

/* Appends a message of LEN bytes (copied): its id (from 1), or 0 when
 * memory is refused (Q unchanged). */
uint64_t broker_publish(struct broker_queue *q, const char *body, size_t len);

/* Adds a consumer: its number (from 0), or -1 when memory is refused. */
long broker_consumer(struct broker_queue *q, uint32_t prefetch, int autoack);

/* Takes back every delivery whose deadline is at or before NOW (each a
 * failed delivery: requeued or dead-lettered). The number taken back. */
size_t broker_expire(struct broker_queue *q, double now);

/* Sends consumer C the first ready message at time NOW (after expiring the
 * overdue ones): 1 and *MSG (its index) and *TAG; 0 when none is ready or
 * C already holds its prefetch; -1 when memory is refused or C is no
 * consumer. */
int broker_receive(struct broker_queue *q, uint32_t c, double now, size_t *msg, uint64_t *tag);

/* Acknowledges delivery TAG: 1, or 0 when TAG is not a delivery in flight
 * (unknown, already acked or nacked, or taken back at its deadline). */
int broker_ack(struct broker_queue *q, uint64_t tag);

/* Refuses delivery TAG: requeued (REQUEUE, unless it reached the delivery
 * limit) or dead-lettered. 1, or 0 as broker_ack; -1 when memory is
 * refused. */
int broker_nack(struct broker_queue *q, uint64_t tag, int requeue);

/* Consumer C's connection drops: every message it holds unacked is taken
 * back. The number taken back, or -1 when memory is refused. C stays a
 * consumer (it reconnects). */
long broker_crash(struct broker_queue *q, uint32_t c);

/* ---- a topic: fan-out to queues through filters ---- */

struct broker_filter_key {
	char *name;
	char **values;
	size_t nvalues;
};

struct broker_sub {
	struct broker_queue *q;  /* not owned */
	struct broker_filter_key *keys;
	size_t nkeys;
	uint64_t matched;
};

struct broker_topic {
	struct broker_sub *s;
	size_t n, cap;
	uint64_t published, fanned;
};

/* One attribute of a published message. */
struct broker_attr {
	const char *name, *value;
};

void broker_topic_init(struct broker_topic *t);
void broker_topic_free(struct broker_topic *t);

/* Subscribes queue Q (which must outlive T) with a filter of NKEYS keys
 * (copied). The subscription's number (from 0), or -1 when memory is
 * refused (T unchanged). */
long broker_subscribe(struct broker_topic *t, struct broker_queue *q,
		      const struct broker_filter_key *keys, size_t nkeys);

/* Whether ATTRS match subscription S's filter. */
int broker_matches(const struct broker_sub *s, const struct broker_attr *attrs, size_t nattrs);

/* Publishes a message to every subscription whose filter it matches: the
 * number of queues it reached, or -1 when memory is refused (the queues
 * before the failing one have their copy). */
long broker_topic_publish(struct broker_topic *t, const char *body, size_t len,
			  const struct broker_attr *attrs, size_t nattrs);

/* ---- a seeded run of consumers that crash ---- */

enum broker_mode { BROKER_AT_MOST_ONCE, BROKER_AT_LEAST_ONCE, BROKER_EFFECTIVELY_ONCE };

struct broker_sim {
	uint64_t messages, seed;
	uint32_t consumers, prefetch, max_deliveries;
	double crash;            /* chance a consumer crashes handling a message */
	enum broker_mode mode;
	/* results */
	uint64_t effects;        /* times a message's effect was applied */
	uint64_t distinct;       /* messages whose effect was applied */
	uint64_t duplicates;     /* effects - distinct */
	uint64_t lost;           /* never applied and not dead-lettered */
	uint64_t dead, deliveries, redeliveries, crashes, steps;
};

/* Publishes S->messages to a queue and lets S->consumers consumers drain
 * it; each handles one message a step and crashes with chance S->crash,
 * half the time before applying the effect, half after it and before
 * acking. At-most-once consumers auto-ack; at-least-once ones apply then
 * ack; effectively-once ones apply only a message id their dedup store
 * has not seen, recording it with the effect (one transaction), then ack.
 * Fills the results. 0, -1 when memory is refused, -2 when budget_stop()
 * says to stop. */
int broker_simulate(struct broker_sim *s);

#endif
