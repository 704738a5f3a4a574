/*
 * Unit tests of engine/concepts/search: the Porter stemmer against the
 * snowball-data sample (every row); BM25 against the Elasticsearch
 * _explain examples (idf, tf and score within float32 precision); Lucene's
 * one-byte document length; the evaluation measures on a hand-worked case.
 */
#include "unit.h"
#include "engine/concepts/search/search.h"
#include "engine/concepts/search/porter.h"
#include "engine/base/budget.h"

#include <math.h>
#include <stdlib.h>

static void t_porter_sample(void)
{
	FILE *f = fopen("tests/engine/concepts/search/data/porter_stemmer_sample.tsv", "r");
	CHECK(f);
	char line[512];
	int rows = 0, bad = 0, edge = 0;
	while (fgets(line, sizeof line, f)) {
		if (line[0] == '#')
			continue;
		/* line_no TAB word TAB stem TAB edge (the stem may be empty) */
		char *word = strchr(line, '\t');
		char *stem = word ? strchr(word + 1, '\t') : NULL;
		char *flag = stem ? strchr(stem + 1, '\t') : NULL;
		CHECK(flag);
		*stem = *flag = '\0';
		word++;
		stem++;
		char buf[256];
		size_t n = strlen(word);
		CHECK(n < sizeof buf);
		memcpy(buf, word, n);
		n = porter_stem(buf, n);
		buf[n] = '\0';
		if (strcmp(buf, stem) != 0) {
			if (bad++ < 10)
				printf("      %s -> %s, want %s\n", word, buf, stem);
		}
		edge += flag[1] == '1';
		rows++;
	}
	fclose(f);
	CHECK_INT(bad, 0);
	CHECK_INT(rows, 2196);
	CHECK(edge >= 60);
}

/* An index of 5 documents, 27 terms in all (avgdl 5.4), where only the
 * first, DL terms long, has "elasticsearch" (once). */
static struct search *explain_corpus(int dl, int lucene)
{
	struct search_config c = {.k1 = 1.2, .b = 0.75, .positions = 1, .lucene_norms = lucene};
	struct search *s = search_new(&c);
	static const char *const first[] = {"", "", "", "elasticsearch x y", "elasticsearch x y z"};
	if (!s || (dl != 3 && dl != 4))
		abort();
	search_add(s, first[dl], strlen(first[dl]));
	/* 27 - dl terms over 4 documents */
	int left = 27 - dl;
	for (int d = 0; d < 4; d++) {
		char text[256] = "";
		int n = left / (4 - d);
		for (int i = 0; i < n; i++)
			strcat(text, "w ");
		left -= n;
		search_add(s, text, strlen(text));
	}
	return s;
}

static void t_bm25_explain_vectors(void)
{
	FILE *f = fopen("tests/engine/concepts/search/data/bm25_explain_examples.tsv", "r");
	CHECK(f);
	char line[512];
	int rows = 0;
	while (fgets(line, sizeof line, f)) {
		if (line[0] == '#')
			continue;
		char src[32], tf[32], tfnorm[32];
		int N, n, freq, dl;
		double avgdl, k1, b, idf, score;
		CHECK(sscanf(line, "%31s %d %d %d %d %lf %lf %lf %lf %31s %31s %lf", src, &N, &n,
			     &freq, &dl, &avgdl, &k1, &b, &idf, tf, tfnorm, &score) == 12);
		for (int lucene = 0; lucene <= 1; lucene++) {
			struct search *s = explain_corpus(dl, lucene);
			struct search_explain x;
			char err[64];
			CHECK(search_explain(s, "elasticsearch", 13, 0, &x, err, sizeof err) == 0);
			CHECK(x.matched && x.nclauses == 1);
			CHECK_INT(x.N, N);
			CHECK_INT(x.clauses[0].n, n);
			CHECK_INT(x.clauses[0].freq, freq);
			CHECK_INT(x.dl, dl);
			CHECK(fabs(x.avgdl - avgdl) < 1e-12);
			CHECK(fabs(x.clauses[0].idf - idf) < 1e-6);
			if (strcmp(tf, "-") != 0)        /* Lucene 8: tf = f / (f + norm) */
				CHECK(fabs(x.clauses[0].tf - strtod(tf, NULL)) < 1e-6);
			if (strcmp(tfnorm, "-") != 0)    /* Lucene 6/7: tfNorm = tf (k1 + 1) */
				CHECK(fabs(x.clauses[0].tf * (k1 + 1) - strtod(tfnorm, NULL)) < 1e-6);
			CHECK(fabs(x.score - score) < 1e-5 * score);
			search_explain_free(&x);
			/* search gives the same score */
			struct search_hit *h;
			size_t nh;
			CHECK(search_query(s, "elasticsearch", 13, 10, &h, &nh, err, sizeof err) == 0);
			CHECK(nh == 1 && h[0].doc == 0 && fabs(h[0].score - score) < 1e-5 * score);
			budget_free(h);
			search_free(s);
		}
		rows++;
	}
	fclose(f);
	CHECK_INT(rows, 3);
}

/* Lucene's SmallFloat.intToByte4/byte4ToInt worked by hand: 24 values
 * are exact, then 4 significant bits above 24. */
static void t_lucene_length(void)
{
	for (uint32_t i = 0; i < 40; i++)
		CHECK_INT(search_lucene_length(i), i);
	CHECK_INT(search_lucene_length(41), 40);   /* 24 + 16 */
	CHECK_INT(search_lucene_length(42), 42);   /* 24 + 18 */
	CHECK_INT(search_lucene_length(100), 96);  /* 24 + 72: 76 = 1001100b -> 1001000b */
	CHECK_INT(search_lucene_length(1000), 984); /* 24 + 960: 976 = 1111010000b -> 1111000000b */
	uint32_t prev = 0;
	for (uint32_t i = 0; i < 100000; i++) {
		uint32_t l = search_lucene_length(i);
		CHECK(l <= i && l >= prev && (i < 24 || (double)(i - l) <= (double)(i - 24) / 8));
		prev = l;
	}
}

/* DCG of grades 3, 0, 1 (ranks 1..3) = 3 + 0 + 1/2; the ideal order of
 * the labels 3, 2, 1 gives 3 + 2/log2(3) + 1/2. */
static void t_evaluate(void)
{
	const double ranked[] = {3, 0, 1};
	const double all[] = {3, 1, 2, 0};
	struct search_eval e;
	CHECK(search_evaluate(ranked, 3, all, 4, 3, &e) == 0);
	CHECK(fabs(e.dcg - 3.5) < 1e-12);
	CHECK(fabs(e.idcg - (3 + 2 / log2(3) + 0.5)) < 1e-12);
	CHECK(fabs(e.ndcg - 3.5 / (3.5 + 2 / log2(3))) < 1e-12);
	CHECK(fabs(e.precision - 2.0 / 3) < 1e-12);
	CHECK(fabs(e.recall - 2.0 / 3) < 1e-12);
	CHECK(search_evaluate(ranked, 3, all, 4, 1, &e) == 0);
	CHECK(e.ndcg == 1 && e.precision == 1 && fabs(e.recall - 1.0 / 3) < 1e-12);
	CHECK(search_evaluate(ranked, 3, all, 4, 10, &e) == 0);
	CHECK(fabs(e.precision - 0.2) < 1e-12 && e.hits == 2 && e.relevant == 3);
}

static void t_phrase_and_stopwords(void)
{
	struct search_config c = {.k1 = 1.2, .b = 0.75, .positions = 1, .stem = 1};
	struct search *s = search_new(&c);
	CHECK(search_stopword(s, "of", 2) == 0 && search_stopword(s, "The", 3) == 0);
	const char *docs[] = {"The King of France", "king france", "France of kings, of king of France"};
	for (int i = 0; i < 3; i++)
		CHECK(search_add(s, docs[i], strlen(docs[i])) == 0);
	struct search_hit *h;
	size_t nh;
	char err[96];
	/* "king of france": france two places after king (the stopword's gap) */
	CHECK(search_query(s, "\"kings of France\"", 17, 10, &h, &nh, err, sizeof err) == 0);
	CHECK_INT(nh, 2);
	CHECK(h[0].doc == 0 || h[0].doc == 2);
	CHECK(h[1].doc == 0 || h[1].doc == 2);
	budget_free(h);
	struct search_explain x;
	CHECK(search_explain(s, "\"king of france\"", 16, 2, &x, err, sizeof err) == 0);
	CHECK_INT(x.clauses[0].freq, 1);
	CHECK_INT(x.dl, 4);                 /* france king king france */
	CHECK_STR(x.clauses[0].text, "king franc");
	search_explain_free(&x);
	CHECK(search_query(s, "\"king", 5, 10, &h, &nh, err, sizeof err) == -2);
	CHECK(strstr(err, "quote"));
	search_free(s);
}

static const struct test tests[] = {
	{"search/porter_sample", t_porter_sample},
	{"search/bm25_explain_vectors", t_bm25_explain_vectors},
	{"search/lucene_length", t_lucene_length},
	{"search/evaluate", t_evaluate},
	{"search/phrase_and_stopwords", t_phrase_and_stopwords},
	{0},
};

int main(int argc, char **argv)
{
	return run_tests(tests, argc, argv);
}
