/*
 * Tests of the queue and topic of engine/concepts/broker/broker.c.
 */
#include "unit.h"
#include "engine/concepts/broker/broker.h"

/* Receives for consumer C at NOW: the message id (from 1), or 0. */
static uint64_t recv(struct broker_queue *q, uint32_t c, double now, uint64_t *tag)
{
	size_t i;
	int rc = broker_receive(q, c, now, &i, tag);
	return rc == 1 ? i + 1 : 0;
}

/* Prefetch 2, nack puts a message back at its place, tags are per
 * delivery, a late ack is refused. */
static void t_hand_trace(void)
{
	struct broker_queue q;
	broker_init(&q, 10, 0);
	for (int k = 0; k < 3; k++)
		CHECK(broker_publish(&q, "m", 1) == (uint64_t)k + 1);
	CHECK(broker_consumer(&q, 2, 0) == 0);
	uint64_t t1, t2, t3;
	CHECK(recv(&q, 0, 0, &t1) == 1);
	CHECK(recv(&q, 0, 0, &t2) == 2);
	CHECK(recv(&q, 0, 0, &t3) == 0);          /* prefetch full */
	CHECK(broker_nack(&q, t1, 1) == 1);
	CHECK(broker_ack(&q, t1) == 0);           /* no longer in flight */
	CHECK(recv(&q, 0, 1, &t3) == 1);          /* back at its place, before 3 */
	CHECK(t3 == 3);
	CHECK(broker_ack(&q, t2) == 1);
	CHECK(recv(&q, 0, 20, &t2) == 1);         /* t3 expired at 11: taken back */
	CHECK(broker_ack(&q, t3) == 0);           /* the late ack */
	CHECK(q.m[0].deliveries == 3);
	CHECK(q.st.expired == 1 && q.st.redelivered == 2 && q.st.acked == 1);
	broker_free(&q);
}

/* max_deliveries 2: the second failure dead-letters; nack without requeue
 * dead-letters at once; a crash takes back only the crashed consumer's. */
static void t_dead_letters(void)
{
	struct broker_queue q;
	broker_init(&q, 0, 2);
	broker_publish(&q, "a", 1);
	broker_publish(&q, "b", 1);
	broker_publish(&q, "c", 1);
	broker_consumer(&q, 0, 0);
	broker_consumer(&q, 0, 0);
	uint64_t ta, tb, tc;
	CHECK(recv(&q, 0, 0, &ta) == 1);
	CHECK(recv(&q, 1, 0, &tb) == 2);
	CHECK(broker_crash(&q, 0) == 1);
	CHECK(recv(&q, 0, 0, &ta) == 1);
	CHECK(broker_nack(&q, ta, 1) == 1);       /* second failure: dead */
	CHECK(recv(&q, 0, 0, &tc) == 3);
	CHECK(broker_nack(&q, tc, 0) == 1);       /* reject: dead at once */
	CHECK(q.ndead == 2 && q.dead[0] == 0 && q.dead[1] == 2);
	CHECK(broker_ack(&q, tb) == 1);
	CHECK(recv(&q, 0, 0, &ta) == 0);
	CHECK(q.nready == 0 && q.nunacked == 0);
	broker_free(&q);
}

/* An auto-ack consumer's message is acked when sent: no ack to give. */
static void t_autoack(void)
{
	struct broker_queue q;
	broker_init(&q, 5, 0);
	broker_publish(&q, "a", 1);
	broker_consumer(&q, 0, 1);
	uint64_t t;
	CHECK(recv(&q, 0, 0, &t) == 1);
	CHECK(broker_ack(&q, t) == 0);
	CHECK(broker_crash(&q, 0) == 0);          /* nothing to take back: lost */
	CHECK(q.st.acked == 1 && q.nready == 0);
	broker_free(&q);
}

/* SNS matching: names ANDed, values ORed, a missing name fails. */
static void t_filters(void)
{
	struct broker_queue a, b;
	broker_init(&a, 0, 0);
	broker_init(&b, 0, 0);
	struct broker_topic t;
	broker_topic_init(&t);
	char *colors[] = {"red", "blue"}, *sizes[] = {"L"};
	struct broker_filter_key f[] = {{"color", colors, 2}, {"size", sizes, 1}};
	CHECK(broker_subscribe(&t, &a, f, 2) == 0);
	CHECK(broker_subscribe(&t, &b, NULL, 0) == 1);
	struct broker_attr blue_l[] = {{"size", "L"}, {"color", "blue"}};
	struct broker_attr red[] = {{"color", "red"}};
	struct broker_attr green_l[] = {{"color", "green"}, {"size", "L"}};
	CHECK(broker_topic_publish(&t, "x", 1, blue_l, 2) == 2);
	CHECK(broker_topic_publish(&t, "x", 1, red, 1) == 1);
	CHECK(broker_topic_publish(&t, "x", 1, green_l, 2) == 1);
	CHECK(a.n == 1 && b.n == 3);
	broker_topic_free(&t);
	broker_free(&a);
	broker_free(&b);
}

/* The seeded fault runs keep each mode's guarantee, over many seeds. */
static void t_guarantees(void)
{
	for (uint64_t seed = 1; seed <= 40; seed++) {
		for (int mode = 0; mode < 3; mode++) {
			struct broker_sim s = {.messages = 300, .seed = seed, .consumers = 1 + seed % 4,
					       .prefetch = 1 + seed % 5, .crash = 0.1,
					       .mode = (enum broker_mode)mode};
			CHECK(broker_simulate(&s) == 0);
			CHECK(s.crashes > 0);
			CHECK(s.dead == 0);
			CHECK(s.distinct + s.lost == s.messages);
			if (mode != BROKER_AT_LEAST_ONCE)
				CHECK(s.duplicates == 0);
			if (mode != BROKER_AT_MOST_ONCE)
				CHECK(s.lost == 0);
			CHECK(s.duplicates <= s.crashes);
		}
	}
	struct broker_sim s = {.messages = 2000, .seed = 7, .consumers = 3, .prefetch = 1,
			       .crash = 0.1, .mode = BROKER_AT_LEAST_ONCE};
	CHECK(broker_simulate(&s) == 0);
	CHECK(s.duplicates > 50);                 /* the mode's duplicates exist */
	s.mode = BROKER_AT_MOST_ONCE;
	CHECK(broker_simulate(&s) == 0);
	CHECK(s.lost > 50);
}

static const struct test tests[] = {
	{"broker/hand_trace", t_hand_trace},
	{"broker/dead_letters", t_dead_letters},
	{"broker/autoack", t_autoack},
	{"broker/filters", t_filters},
	{"broker/guarantees", t_guarantees},
	{0},
};

int main(int argc, char **argv)
{
	return run_tests(tests, argc, argv);
}
