/*
 * fuzz_lesson.c — libFuzzer target: any bytes as a lesson file. Scan, parse,
 * hash every exercise and render every step; nothing may crash or leak.
 *
 *   make fuzz && build/fuzz/fuzz_lesson -max_total_time=60 tests/fuzz/corpus/fuzz_lesson
 */
#include "engine/lesson.h"
#include "repl/render.h"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct lesson *l = lesson_scan_text("fuzz.md", (const char *)data, size);
	if (lesson_parse(l) == 0) {
		struct render_opts o = {40, true, true};
		for (size_t i = 0; i < l->nstep; i++) {
			struct sbuf sb = SBUF_INIT;
			render_blocks(&sb, l->steps[i].first, l->steps[i].end, &o);
			sbuf_free(&sb);
		}
		for (size_t i = 0; i < l->nex; i++)
			free(exercise_check_hash(&l->ex[i]));
	}
	lesson_free(l);
	return 0;
}
