/*
 * hdr.c — the HDR histogram of hdr.h.
 */
#include <math.h>
#include <string.h>

#include "engine/base/budget.h"
#include "engine/concepts/metrics/hdr.h"

/* How many buckets cover values up to V. */
static int32_t buckets_needed(int64_t v, int32_t sub_bucket_count, int unit_magnitude)
{
	int64_t smallest_untrackable = (int64_t)sub_bucket_count << unit_magnitude;
	int32_t n = 1;
	while (smallest_untrackable <= v) {
		if (smallest_untrackable > INT64_MAX / 2)
			return n + 1;
		smallest_untrackable <<= 1;
		n++;
	}
	return n;
}

int hdr_init(struct hdr *h, int64_t lowest, int64_t highest, int sigfigs, const char **why)
{
	memset(h, 0, sizeof *h);
	if (lowest < 1 || sigfigs < 1 || sigfigs > 5 || highest < 2 * lowest) {
		*why = "needs lowest >= 1, highest >= 2 * lowest, sigfigs 1 to 5";
		return -1;
	}
	int64_t single_unit = 2 * (int64_t)pow(10, sigfigs);
	int count_magnitude = (int)ceil(log2((double)single_unit));
	h->sub_bucket_half_count_magnitude = (count_magnitude > 1 ? count_magnitude : 1) - 1;
	h->unit_magnitude = (int)floor(log2((double)lowest));
	if (h->unit_magnitude + h->sub_bucket_half_count_magnitude > 61) {
		*why = "lowest is too large for that many significant figures";
		return -1;
	}
	h->lowest = lowest;
	h->highest = highest;
	h->sigfigs = sigfigs;
	h->sub_bucket_count = (int32_t)1 << (h->sub_bucket_half_count_magnitude + 1);
	h->sub_bucket_half_count = h->sub_bucket_count / 2;
	h->sub_bucket_mask = ((int64_t)h->sub_bucket_count - 1) << h->unit_magnitude;
	h->bucket_count = buckets_needed(highest, h->sub_bucket_count, h->unit_magnitude);
	h->counts_len = (h->bucket_count + 1) * (h->sub_bucket_count / 2);
	h->min = INT64_MAX;
	h->counts = budget_calloc((size_t)h->counts_len, sizeof *h->counts);
	if (!h->counts) {
		*why = "out of memory";
		return -1;
	}
	return 0;
}

void hdr_free(struct hdr *h)
{
	budget_free(h->counts);
	h->counts = NULL;
}

static int bucket_index(const struct hdr *h, int64_t v)
{
	int pow2ceiling = 64 - __builtin_clzll((unsigned long long)(v | h->sub_bucket_mask));
	return pow2ceiling - h->unit_magnitude - (h->sub_bucket_half_count_magnitude + 1);
}

static int32_t sub_bucket_index(const struct hdr *h, int64_t v, int b)
{
	return (int32_t)(v >> (b + h->unit_magnitude));
}

static int32_t counts_index(const struct hdr *h, int b, int32_t sub)
{
	int32_t base = (int32_t)(b + 1) << h->sub_bucket_half_count_magnitude;
	return base + (sub - h->sub_bucket_half_count);
}

int32_t hdr_index_of(const struct hdr *h, int64_t v)
{
	int b = bucket_index(h, v);
	return counts_index(h, b, sub_bucket_index(h, v, b));
}

static int64_t value_from(const struct hdr *h, int b, int32_t sub)
{
	return (int64_t)sub << (b + h->unit_magnitude);
}

static int64_t value_at_index(const struct hdr *h, int32_t index)
{
	int b = (index >> h->sub_bucket_half_count_magnitude) - 1;
	int32_t sub = (index & (h->sub_bucket_half_count - 1)) + h->sub_bucket_half_count;
	if (b < 0) {
		sub -= h->sub_bucket_half_count;
		b = 0;
	}
	return value_from(h, b, sub);
}

static int64_t range_size(const struct hdr *h, int64_t v)
{
	int b = bucket_index(h, v);
	int32_t sub = sub_bucket_index(h, v, b);
	int adjusted = sub >= h->sub_bucket_count ? b + 1 : b;
	return (int64_t)1 << (h->unit_magnitude + adjusted);
}

int64_t hdr_lowest_equivalent(const struct hdr *h, int64_t v)
{
	int b = bucket_index(h, v);
	return value_from(h, b, sub_bucket_index(h, v, b));
}

int64_t hdr_highest_equivalent(const struct hdr *h, int64_t v)
{
	return hdr_lowest_equivalent(h, v) + range_size(h, v) - 1;
}

int hdr_equivalent(const struct hdr *h, int64_t a, int64_t b)
{
	return hdr_lowest_equivalent(h, a) == hdr_lowest_equivalent(h, b);
}

int hdr_record(struct hdr *h, int64_t v, int64_t count)
{
	if (v < 0 || count < 0)
		return -1;
	int32_t i = hdr_index_of(h, v);
	if (i < 0 || i >= h->counts_len)
		return -1;
	h->counts[i] += count;
	h->total += count;
	if (v < h->min && v != 0)
		h->min = v;
	if (v > h->max)
		h->max = v;
	return 0;
}

int hdr_record_corrected(struct hdr *h, int64_t v, int64_t interval)
{
	if (hdr_record(h, v, 1) != 0)
		return -1;
	if (interval <= 0 || v <= interval)
		return 0;
	unsigned long long i = 0;
	for (int64_t missing = v - interval; missing >= interval; missing -= interval) {
		if (budget_poll(++i))
			return -2;
		if (hdr_record(h, missing, 1) != 0)
			return -1;
	}
	return 0;
}

int64_t hdr_value_at_percentile(const struct hdr *h, double percentile)
{
	double p = percentile < 100.0 ? percentile : 100.0;
	int64_t want = (int64_t)((p / 100) * (double)h->total + 0.5);
	if (want < 1)
		want = 1;
	int64_t cum = 0, v = 0;
	for (int32_t i = 0; i < h->counts_len; i++) {
		cum += h->counts[i];
		if (cum >= want) {
			v = value_at_index(h, i);
			break;
		}
	}
	if (h->total == 0)
		return 0;
	return percentile == 0.0 ? hdr_lowest_equivalent(h, v) : hdr_highest_equivalent(h, v);
}

int64_t hdr_min(const struct hdr *h)
{
	if (h->counts[0] > 0)
		return 0;
	return h->min == INT64_MAX ? INT64_MAX : hdr_lowest_equivalent(h, h->min);
}

int64_t hdr_max(const struct hdr *h)
{
	return h->max == 0 ? 0 : hdr_highest_equivalent(h, h->max);
}

double hdr_mean(const struct hdr *h)
{
	if (h->total == 0)
		return NAN;
	double sum = 0;
	for (int32_t i = 0; i < h->counts_len; i++)
		if (h->counts[i])
			sum += (double)h->counts[i] *
			       (double)(hdr_lowest_equivalent(h, value_at_index(h, i)) +
					(range_size(h, value_at_index(h, i)) >> 1));
	return sum / (double)h->total;
}
