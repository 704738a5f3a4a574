/*
 * hdr.h — an HDR histogram (Gil Tene's High Dynamic Range histogram) laid
 * out as HdrHistogram_c lays it out, so that its answers are that
 * library's: values from LOWEST to HIGHEST recorded with SIGFIGS
 * significant decimal digits, in buckets of 2^k sub-buckets each, every
 * bucket twice as wide as the one before.
 *
 *   sub_bucket_count = 2^ceil(log2(2 * 10^sigfigs))   (2048 for 3 digits)
 *   unit_magnitude   = floor(log2(lowest))
 *   counts_len       = (bucket_count + 1) * sub_bucket_count / 2
 *
 * Source: github.com/HdrHistogram/HdrHistogram_c src/hdr_histogram.c
 * (CC0 / public domain; read, not copied): hdr_calculate_bucket_config,
 * counts_index_for, hdr_value_at_percentile, hdr_record_corrected_value.
 * Allocation from the budget.
 */
#ifndef BACKLAB_HDR_H
#define BACKLAB_HDR_H

#include <stddef.h>
#include <stdint.h>

struct hdr {
	int64_t lowest, highest;
	int sigfigs;
	int unit_magnitude;
	int sub_bucket_half_count_magnitude;
	int32_t sub_bucket_count, sub_bucket_half_count;
	int64_t sub_bucket_mask;
	int32_t bucket_count;
	int32_t counts_len;
	int64_t total, min, max; /* min INT64_MAX, max 0 while empty */
	int64_t *counts;
};

/* Lays out H for LOWEST >= 1, HIGHEST >= 2 * LOWEST, SIGFIGS 1..5. Returns
 * 0, or -1 with *WHY (static): bad arguments, or no memory. */
int hdr_init(struct hdr *h, int64_t lowest, int64_t highest, int sigfigs, const char **why);
void hdr_free(struct hdr *h);

/* Records V (0 <= V <= highest trackable) COUNT times; -1 if out of range. */
int hdr_record(struct hdr *h, int64_t v, int64_t count);
/* Records V, then the values a stalled recorder missed: V - INTERVAL,
 * V - 2 INTERVAL, ... while >= INTERVAL (coordinated-omission correction).
 * -1: a value out of range; -2: told to stop (budget_poll). */
int hdr_record_corrected(struct hdr *h, int64_t v, int64_t interval);

/* The value at PERCENTILE (0..100): the highest value equivalent to the
 * one where the cumulative count reaches round(p/100 * total) (at least 1);
 * the lowest equivalent one for p = 0. 0 when empty. */
int64_t hdr_value_at_percentile(const struct hdr *h, double percentile);
int64_t hdr_min(const struct hdr *h);
int64_t hdr_max(const struct hdr *h);
double hdr_mean(const struct hdr *h);

/* The counts index of V; the range of values that share its slot. */
int32_t hdr_index_of(const struct hdr *h, int64_t v);
int64_t hdr_lowest_equivalent(const struct hdr *h, int64_t v);
int64_t hdr_highest_equivalent(const struct hdr *h, int64_t v);
int hdr_equivalent(const struct hdr *h, int64_t a, int64_t b);

#endif
