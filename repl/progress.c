/* progress.c — progress sums and how they are drawn; see progress.h. */
#include "repl/progress.h"
#include "engine/exercise.h"
#include "engine/base/sbuf.h"

#include <stdlib.h>
#include <string.h>

void progress_status(const struct store_progress *p, const struct lesson *l,
		     const struct exercise *e, struct store_status *st)
{
	char *id = xasprintf("%s/%s", l->id, e->id);
	char *hash = exercise_check_hash(e);
	store_progress_status(p, id, hash, st);
	free(hash);
	free(id);
}

int progress_regrade(struct session *s, const struct store_progress *p)
{
	struct store *db = session_store(s, false);
	int kept = 0;
	if (!db)
		return 0;
	for (size_t i = 0; i < s->cat.nles; i++) {
		struct lesson *l = s->cat.lessons[i];
		bool any = false; /* only lessons with a pass are parsed */
		for (size_t k = 0; k < l->nscan_ids && !any; k++) {
			char *id = xasprintf("%s/%s", l->id, l->scan_ids[k]);
			struct store_status st;
			store_progress_status(p, id, NULL, &st);
			any = st.passed;
			free(id);
		}
		if (!any || !catalog_parse(&s->cat, l)->doc)
			continue;
		for (size_t k = 0; k < l->nex; k++) {
			struct store_status st;
			progress_status(p, l, &l->ex[k], &st);
			kept += st.stale && exercise_regrade(db, l, &l->ex[k], &st);
		}
	}
	return kept;
}

void progress_lesson(struct session *s, const struct store_progress *p, struct lesson *l,
		     bool parse, struct tally *t)
{
	struct store_status st;
	if (parse && catalog_parse(&s->cat, l)->doc) {
		for (size_t i = 0; i < l->nex; i++) {
			progress_status(p, l, &l->ex[i], &st);
			t->exercises++;
			t->passed += st.passed;
			t->stale += st.stale;
			t->skipped += st.skipped && !st.passed;
			t->hints += st.hints;
		}
	} else {
		for (size_t i = 0; i < l->nscan_ids; i++) {
			char *id = xasprintf("%s/%s", l->id, l->scan_ids[i]);
			store_progress_status(p, id, NULL, &st);
			free(id);
			t->exercises++;
			t->passed += st.passed;
			t->skipped += st.skipped && !st.passed;
			t->hints += st.hints;
		}
	}
	for (size_t i = 0; i < p->ntime; i++)
		if (strcmp(p->time[i].lesson, l->id) == 0)
			t->seconds += p->time[i].seconds;
}

void progress_bar(struct sbuf *sb, int done, int all, int width, bool utf8)
{
	int full = all ? (done * width + all / 2) / all : 0;
	if (done > 0 && full == 0)
		full = 1;
	if (done < all && full == width)
		full = width - 1;
	for (int i = 0; i < width; i++)
		sbuf_adds(sb, i < full ? (utf8 ? "█" : "#") : (utf8 ? "░" : "-"));
}

void progress_duration(struct sbuf *sb, int64_t seconds)
{
	if (seconds >= 3600)
		sbuf_addf(sb, "%lld h %02lld min", (long long)(seconds / 3600),
			  (long long)(seconds % 3600 / 60));
	else if (seconds >= 60)
		sbuf_addf(sb, "%lld min", (long long)(seconds / 60));
	else
		sbuf_addf(sb, "%lld s", (long long)seconds);
}
