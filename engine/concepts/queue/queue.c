/*
 * queue.c — the M/M/c queue in closed form (see queue.h for the formulas
 * and their sources).
 */
#include "engine/concepts/queue/queue.h"

#include <math.h>

double queue_erlang_b(double a, int c)
{
	double b = 1.0;
	for (int k = 1; k <= c; k++)
		b = a * b / (k + a * b);
	return b;
}

double queue_erlang_c_sum(double a, int c)
{
	if (!(a >= 0) || c < 1 || a >= c)
		return NAN;
	if (a == 0)
		return 0.0;
	/* log of each term a^k/k!, the last weighted by c/(c-a) */
	double la = log(a), last = c * la - lgamma(c + 1.0) + log(c / (c - a));
	double top = last;
	for (int k = 0; k < c; k++) {
		double t = k * la - lgamma(k + 1.0);
		if (t > top)
			top = t;
	}
	double sum = exp(last - top);
	for (int k = 0; k < c; k++)
		sum += exp(k * la - lgamma(k + 1.0) - top);
	return exp(last - top) / sum;
}

static int rate_ok(double r)
{
	return isfinite(r) && r > 0 && r <= QUEUE_MAX_RATE;
}

int queue_erlang_c(double arrival, double service, int servers, struct queue_erlang *q)
{
	*q = (struct queue_erlang){.arrival = arrival, .service = service, .servers = servers};
	if (!rate_ok(arrival) || !rate_ok(service) || servers < 1 || servers > QUEUE_MAX_SERVERS)
		return QUEUE_EINPUT;
	q->offered = arrival / service;
	q->utilisation = q->offered / servers;
	if (arrival >= servers * service)
		return QUEUE_EUNSTABLE;
	double b = queue_erlang_b(q->offered, servers);
	double c = b / (1.0 - q->utilisation * (1.0 - b));
	double drain = servers * service - arrival;   /* the rate the queue empties at */
	q->erlang_b = b;
	q->wait_probability = c;
	q->mean_wait = c / drain;
	q->mean_response = q->mean_wait + 1.0 / service;
	q->mean_in_queue = arrival * q->mean_wait;
	q->mean_in_system = arrival * q->mean_response;
	q->wait_p99 = c > 0.01 ? log(c / 0.01) / drain : 0.0;
	q->p50 = queue_response_quantile(q, 0.50);
	q->p90 = queue_response_quantile(q, 0.90);
	q->p99 = queue_response_quantile(q, 0.99);
	return 0;
}

/* P(R > t): no wait (1 - C) then a service, or an exponential wait of rate
 * theta then a service of rate mu (a hypoexponential sum). */
static double response_tail(const struct queue_erlang *q, double t)
{
	double mu = q->service, c = q->wait_probability;
	double theta = q->servers * mu - q->arrival;
	double both;
	if (fabs(theta - mu) < 1e-9 * mu)
		both = exp(-mu * t) * (1 + mu * t);
	else
		both = (theta * exp(-mu * t) - mu * exp(-theta * t)) / (theta - mu);
	return (1 - c) * exp(-mu * t) + c * both;
}

double queue_response_quantile(const struct queue_erlang *q, double p)
{
	double want = 1.0 - p, lo = 0.0, hi = 1.0 / q->service;
	while (response_tail(q, hi) > want)
		hi *= 2;
	for (int i = 0; i < 200 && hi - lo > 1e-15 * hi; i++) {
		double mid = (lo + hi) / 2;
		if (response_tail(q, mid) > want)
			lo = mid;
		else
			hi = mid;
	}
	return (lo + hi) / 2;
}
