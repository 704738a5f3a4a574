/*
 * Unit tests of engine/concepts/lin: every verdict of Porcupine's test
 * histories (data/verdicts.tsv: 16 etcd logs, 4 kv logs), small histories
 * by hand, and the parser's errors.
 */
#include "unit.h"
#include "engine/base/budget.h"
#include "engine/concepts/lin/lin.h"

#define DATA "tests/engine/concepts/lin/data/"

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *buf = malloc((size_t)n + 1);
	*len = fread(buf, 1, (size_t)n, f);
	buf[*len] = '\0';
	fclose(f);
	return buf;
}

static enum lin_model model_of(const char *s)
{
	return strcmp(s, "cas_register") == 0 ? LIN_CAS_REGISTER
	       : strcmp(s, "kv_append") == 0  ? LIN_KV_APPEND
	       : strcmp(s, "kv") == 0         ? LIN_KV
					      : LIN_REGISTER;
}

static void t_porcupine_verdicts(void)
{
	FILE *f = fopen(DATA "verdicts.tsv", "r");
	CHECK(f);
	char line[512];
	int cases = 0, agree = 0;
	while (f && fgets(line, sizeof line, f)) {
		if (line[0] == '#' || line[0] == '\n')
			continue;
		char file[256], model[64], verdict[16];
		if (sscanf(line, "%255s %63s %15s", file, model, verdict) != 3)
			continue;
		char path[512];
		snprintf(path, sizeof path, DATA "%s", file);
		size_t len;
		char *text = slurp(path, &len);
		CHECK(text);
		if (!text)
			continue;
		struct lin_history h = {0};
		const char *err;
		long bad = lin_parse_jepsen(text, len, &h, &err);
		CHECK_INT(bad, 0);
		CHECK(h.n > 0);
		struct lin_result r;
		CHECK_INT(lin_check(&h, model_of(model), &r), 0);
		int want = strcmp(verdict, "true") == 0;
		cases++;
		if (r.linearizable == want)
			agree++;
		else
			printf("    %s: got %d, want %d\n", file, r.linearizable, want);
		if (!want && r.linearizable == 0) {
			CHECK(r.stuck >= 0 && (size_t)r.stuck < h.n);
			for (size_t i = 0; i < r.order_n; i++)
				CHECK(r.order[i] < h.n);
		}
		lin_result_free(&r);
		lin_history_free(&h);
		free(text);
	}
	if (f)
		fclose(f);
	CHECK_INT(cases, 20);
	CHECK_INT(agree, cases);
}

/* A history written as lines, for the small cases below. */
static int verdict(const char *text, enum lin_model m, struct lin_result *out)
{
	struct lin_history h = {0};
	const char *err;
	long bad = lin_parse_jepsen(text, strlen(text), &h, &err);
	if (bad != 0) {
		printf("    parse: line %ld: %s\n", bad, err ? err : "?");
		lin_history_free(&h);
		return -2;
	}
	struct lin_result r;
	lin_check(&h, m, &r);
	int v = r.linearizable;
	if (out)
		*out = r;
	else
		lin_result_free(&r);
	lin_history_free(&h);
	return v;
}

#define L(p, t, f, v) "INFO  jepsen.util - " #p "\t:" #t "\t:" #f "\t" v "\n"

static void t_by_hand(void)
{
	/* a read after a completed write must see it */
	CHECK_INT(verdict(L(0, invoke, write, "1") L(0, ok, write, "1") L(1, invoke, read, "nil")
				  L(1, ok, read, "nil"),
			  LIN_REGISTER, NULL),
		  0);
	/* overlapping: the read may come first */
	CHECK_INT(verdict(L(0, invoke, write, "1") L(1, invoke, read, "nil") L(1, ok, read, "nil")
				  L(0, ok, write, "1"),
			  LIN_REGISTER, NULL),
		  1);
	/* a write whose outcome is unknown may have happened... */
	CHECK_INT(verdict(L(0, invoke, write, "1") L(0, info, write, "1") L(1, invoke, read, "nil")
				  L(1, ok, read, "1"),
			  LIN_REGISTER, NULL),
		  1);
	/* ...or not */
	CHECK_INT(verdict(L(0, invoke, write, "1") L(0, info, write, "1") L(1, invoke, read, "nil")
				  L(1, ok, read, "nil"),
			  LIN_REGISTER, NULL),
		  1);
	/* a failed write did not happen */
	CHECK_INT(verdict(L(0, invoke, write, "1") L(0, fail, write, "1") L(1, invoke, read, "nil")
				  L(1, ok, read, "1"),
			  LIN_REGISTER, NULL),
		  0);
	/* a cas that failed found another value */
	CHECK_INT(verdict(L(0, invoke, write, "1") L(0, ok, write, "1") L(1, invoke, cas, "[1 2]")
				  L(1, fail, cas, "[1 2]"),
			  LIN_CAS_REGISTER, NULL),
		  0);
	CHECK_INT(verdict(L(0, invoke, write, "1") L(0, ok, write, "1") L(1, invoke, cas, "[1 2]")
				  L(1, ok, cas, "[1 2]") L(2, invoke, read, "nil") L(2, ok, read, "2"),
			  LIN_CAS_REGISTER, NULL),
		  1);
	/* stale read: the explanation names the read that cannot be placed */
	struct lin_result r;
	CHECK_INT(verdict(L(0, invoke, write, "1") L(0, ok, write, "1") L(0, invoke, write, "2")
				  L(0, ok, write, "2") L(1, invoke, read, "nil") L(1, ok, read, "1"),
			  LIN_REGISTER, &r),
		  0);
	CHECK_INT(r.order_n, 2);
	CHECK_INT(r.stuck, 2);
	lin_result_free(&r);
	/* keys are independent; appends build strings */
	const char *kv = "{:process 0, :type :invoke, :f :append, :key \"a\", :value \"x\"}\n"
			 "{:process 0, :type :ok, :f :append, :key \"a\", :value \"x\"}\n"
			 "{:process 1, :type :invoke, :f :append, :key \"b\", :value \"y\"}\n"
			 "{:process 1, :type :ok, :f :append, :key \"b\", :value \"y\"}\n"
			 "{:process 0, :type :invoke, :f :append, :key \"a\", :value \"z\"}\n"
			 "{:process 0, :type :ok, :f :append, :key \"a\", :value \"z\"}\n"
			 "{:process 1, :type :invoke, :f :get, :key \"a\", :value nil}\n"
			 "{:process 1, :type :ok, :f :get, :key \"a\", :value \"xz\"}\n"
			 "{:process 1, :type :invoke, :f :get, :key \"c\", :value nil}\n"
			 "{:process 1, :type :ok, :f :get, :key \"c\", :value \"\"}\n";
	CHECK_INT(verdict(kv, LIN_KV_APPEND, &r), 1);
	CHECK_INT(r.keys, 3);
	lin_result_free(&r);
	const char *kvbad = "{:process 0, :type :invoke, :f :append, :key \"a\", :value \"x\"}\n"
			    "{:process 0, :type :ok, :f :append, :key \"a\", :value \"x\"}\n"
			    "{:process 0, :type :invoke, :f :append, :key \"a\", :value \"z\"}\n"
			    "{:process 0, :type :ok, :f :append, :key \"a\", :value \"z\"}\n"
			    "{:process 1, :type :invoke, :f :get, :key \"a\", :value nil}\n"
			    "{:process 1, :type :ok, :f :get, :key \"a\", :value \"zx\"}\n";
	CHECK_INT(verdict(kvbad, LIN_KV_APPEND, NULL), 0);
}

static void t_parse_errors(void)
{
	struct lin_history h = {0};
	const char *err;
	const char *t1 = L(0, invoke, read, "nil") L(0, invoke, read, "nil");
	CHECK_INT(lin_parse_jepsen(t1, strlen(t1), &h, &err), 2);
	CHECK(err && strstr(err, "second :invoke"));
	lin_history_free(&h);
	const char *t2 = "hello\n" L(1, ok, read, "nil");
	CHECK_INT(lin_parse_jepsen(t2, strlen(t2), &h, &err), 2);
	CHECK(err && strstr(err, "without an :invoke"));
	lin_history_free(&h);
	const char *t3 = "{:process 0, :type :invoke, :f :get, :key \"a\"\n";
	CHECK_INT(lin_parse_jepsen(t3, strlen(t3), &h, &err), 1);
	lin_history_free(&h);
	const char *t4 = L(0, invoke, frob, "1");
	CHECK_INT(lin_parse_jepsen(t4, strlen(t4), &h, &err), 1);
	lin_history_free(&h);
	CHECK_INT(budget_bytes(), 0);
}

static const struct test tests[] = {
	{"lin/porcupine_verdicts", t_porcupine_verdicts},
	{"lin/by_hand", t_by_hand},
	{"lin/parse_errors", t_parse_errors},
	{0},
};

int main(int argc, char **argv)
{
	return run_tests(tests, argc, argv);
}
