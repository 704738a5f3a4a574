# backlab — an offline terminal curriculum for backend engineering.
#
#   make            build ./backlab (installs missing Debian packages first)
#   make run        build, then start the REPL on the bundled lessons
#   make test       build, then run every test; ends with "N passed, N failed, N skipped"
#   make asan       build with ASan+UBSan into build/asan and run the tests there
#   make asan-quick the same build, a subset of the tests (C unit tests, the
#                   memory-safety reproductions, lint of two modules): CI runs it
#   make bench      timings (medians and ratios), never asserted
#   make fuzz       libFuzzer targets (clang)
#   make lint       backlab lint over lessons/
#   make docs       docs/lab/: the lab reference, from engine/concepts/NAME/NAME.md
#   make install PREFIX=/usr/local   binary, lessons, man page

.DEFAULT_GOAL := all

# Parallel by default, one job per core; a -j on the command line wins, and
# sub-makes (make asan) share the top make's jobs.
ifeq ($(MAKELEVEL),0)
NPROC := $(shell nproc 2>/dev/null || getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1)
MAKEFLAGS += -j$(NPROC)
endif
PREFIX ?= /usr/local
DESTDIR ?=
BUILD ?= build
BIN ?= backlab
CC ?= cc
CFLAGS ?= -O2 -g
DATADIR = $(PREFIX)/share/backlab

# The warnings gate: the project's own code (and the C it generates) builds
# without a warning, or not at all. `make WERROR=` builds anyway, to look.
WERROR ?= -Werror
WARN = -std=c11 -Wall -Wextra -Wshadow -Wno-unused-parameter $(WERROR)
DEFS = -D_DEFAULT_SOURCE -D_GNU_SOURCE
ALL_CFLAGS = $(WARN) $(DEFS) $(CFLAGS) $(DEP_CFLAGS) -I. -I$(BUILD)/gen -MMD -MP
# malloc, calloc and realloc of backlab's own C code go through wrappers in
# engine/base/budget_wrap.c, which tell a graded run when the system refuses
# memory (budget.h): out of memory anywhere is the memory verdict.
WRAP_ALLOC = -Wl,--wrap=malloc -Wl,--wrap=calloc -Wl,--wrap=realloc
LDLIBS = $(WRAP_ALLOC) $(DEP_LIBS) -lm -lutil

# Library flags come from pkg-config through mk/deps.sh, which also installs
# missing Debian packages. GNU make rebuilds this file, then restarts.
include $(BUILD)/deps.mk
$(BUILD)/deps.mk: mk/deps.sh
	@mkdir -p $(BUILD)
	@sh mk/deps.sh > $@.tmp && mv $@.tmp $@

ENGINE_SRC := $(sort $(wildcard engine/*.c engine/base/*.c engine/lab/*.c engine/concepts/*/*.c))
REPL_SRC := $(sort $(filter-out repl/main.c,$(wildcard repl/*.c)))
LUA_SRC := $(sort $(wildcard engine/lua/*.lua))
GEN_SRC := $(LUA_SRC:engine/lua/%.lua=$(BUILD)/gen/lua_%.c)

# The lab registry is generated from the namespaces' pages:
# engine/concepts/NAME/NAME.md for every folder that is a namespace.
LAB_PAGES := $(sort $(foreach d,$(wildcard engine/concepts/*/),$(wildcard $(d)$(notdir $(patsubst %/,%,$(d))).md)))
GEN_SRC += $(BUILD)/gen/lab_registry.c

ENGINE_OBJ := $(ENGINE_SRC:%.c=$(BUILD)/obj/%.o) $(GEN_SRC:%.c=%.o)
REPL_OBJ := $(REPL_SRC:%.c=$(BUILD)/obj/%.o)
ENGINE_LIB := $(BUILD)/libengine.a
REPL_LIB := $(BUILD)/librepl.a

TEST_SRC := $(sort $(shell find tests -name 'test_*.c' 2>/dev/null))
TEST_BIN := $(TEST_SRC:tests/%.c=$(BUILD)/tests/%)
TOOL_SRC := $(sort $(wildcard tests/tools/*.c))
TOOL_BIN := $(TOOL_SRC:tests/tools/%.c=$(BUILD)/tools/%)

.PHONY: all run test check asan asan-quick bench fuzz lint docs install uninstall clean
all: $(BIN) $(BUILD)/gen/flags.txt

$(BIN): $(BUILD)/obj/repl/main.o $(REPL_LIB) $(ENGINE_LIB)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(ENGINE_LIB): $(ENGINE_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^
$(REPL_LIB): $(REPL_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

$(BUILD)/obj/%.o: %.c $(BUILD)/gen/config.h
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<
$(BUILD)/gen/%.o: $(BUILD)/gen/%.c
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

# Lua sources of the engine (the check library) are embedded as C strings;
# kept after the build (not intermediate files make would delete).
.SECONDARY: $(GEN_SRC)
$(BUILD)/gen/lua_%.c: engine/lua/%.lua $(BUILD)/tools/embed
	@mkdir -p $(dir $@)
	$(BUILD)/tools/embed lua_$(subst -,_,$*) $< > $@
$(BUILD)/tools/embed: mk/embed.c
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(CFLAGS) -o $@ $<
$(BUILD)/tools/registry: mk/registry.c
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(CFLAGS) -o $@ $<
# rewritten only when the list of pages changes (a namespace added or gone)
$(BUILD)/gen/lab_pages.txt: FORCE
	@mkdir -p $(dir $@)
	@echo '$(LAB_PAGES)' > $@.tmp
	@cmp -s $@.tmp $@ && rm -f $@.tmp || mv $@.tmp $@
$(BUILD)/gen/lab_registry.c: $(LAB_PAGES) $(BUILD)/gen/lab_pages.txt $(BUILD)/tools/registry
	$(BUILD)/tools/registry $(LAB_PAGES) > $@.tmp && mv $@.tmp $@
# docs/lab/ is derived from the same pages (options expanded), by `make
# docs`; tests/engine/lab/test_docs.sh fails when it is out of date.
$(BUILD)/tools/labdocs: mk/labdocs.c $(ENGINE_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(ENGINE_LIB) $(LDLIBS)
docs: $(BUILD)/tools/labdocs
	@rm -rf docs/lab.tmp && mkdir -p docs/lab.tmp
	$(BUILD)/tools/labdocs docs/lab.tmp
	@rm -rf docs/lab && mv docs/lab.tmp docs/lab

# config.h is rewritten only when its content changes (PREFIX, version).
VERSION := $(shell cat VERSION 2>/dev/null || echo 0.0.0)
$(BUILD)/gen/config.h: FORCE
	@mkdir -p $(dir $@)
	@printf '#define BACKLAB_VERSION "%s"\n#define BACKLAB_DATADIR "%s"\n' \
		'$(VERSION)' '$(DATADIR)' > $@.tmp
	@cmp -s $@.tmp $@ && rm -f $@.tmp || mv $@.tmp $@
# The flags the objects in $(BUILD) were built with, one a line (CFLAGS,
# LDFLAGS): tests/engine/lab/test_one_folder.sh builds a copy of the tree on
# top of them.
$(BUILD)/gen/flags.txt: FORCE
	@mkdir -p $(dir $@)
	@printf '%s\n%s\n' '$(CFLAGS)' '$(LDFLAGS)' > $@.tmp
	@cmp -s $@.tmp $@ && rm -f $@.tmp || mv $@.tmp $@
.PHONY: FORCE
FORCE:

$(BUILD)/tests/%: tests/%.c tests/unit.h $(REPL_LIB) $(ENGINE_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Itests -o $@ $< $(REPL_LIB) $(ENGINE_LIB) $(LDLIBS)
$(BUILD)/tools/%: tests/tools/%.c $(REPL_LIB) $(ENGINE_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Itests -o $@ $< $(REPL_LIB) $(ENGINE_LIB) $(LDLIBS)

run: $(BIN)
	./$(BIN) --lessons lessons

# The summary ("N passed, N failed, N skipped") is the last line, also on
# failure: make reports a failed recipe with an "Error 1" line of its own,
# so a failed run ends make quietly instead, by SIGPIPE (the one signal
# shells do not announce; make then exits 141, not 0).
# TESTS='WORD...' runs only the tests whose path holds a word (tests/run.sh),
# LINT_PATHS='lessons/NN-module...' lints only those (the default: lessons/).
TESTS ?=
LINT_PATHS ?=
test check: $(BIN) $(TEST_BIN) $(TOOL_BIN) $(BUILD)/tools/labdocs $(BUILD)/gen/flags.txt
	@BACKLAB=./$(BIN) BUILD=$(BUILD) LINT_PATHS='$(LINT_PATHS)' sh tests/run.sh $(TESTS) \
		|| kill -PIPE $$PPID

ASAN_MAKE = $(MAKE) --no-print-directory BUILD=build/asan BIN=build/asan/backlab \
	CFLAGS='-O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined' \
	LDFLAGS='-fsanitize=address,undefined'
asan:
	@$(ASAN_MAKE) test || kill -PIPE $$PPID

# What CI can afford under ASan+UBSan on two cores: every C unit test (the
# engine with the sandbox's hostile submissions, the concepts, the REPL's
# renderers), every Lua test (each lab binding, the options-through-a-
# collecting-metatable and use-after-__gc reproductions, the lessons'
# figures), the cheats, the lint tests, and lint (every solution and wrong
# answer graded) of two modules. `make asan` runs everything.
ASAN_QUICK = build/asan/tests/ _test.lua tests/lessons/test_cheats lint
ASAN_QUICK_LINT = lessons/00-welcome lessons/05-caching
asan-quick:
	@$(ASAN_MAKE) TESTS='$(ASAN_QUICK)' LINT_PATHS='$(ASAN_QUICK_LINT)' test || kill -PIPE $$PPID

bench: $(BIN) $(TOOL_BIN)
	@BACKLAB=./$(BIN) BUILD=$(BUILD) sh tests/bench/run.sh

FUZZ_SRC := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_FLAGS = -O1 -g -fsanitize=address,undefined
# The build tools (mk/*.c) are one-shot programs that leave their memory to
# exit: LeakSanitizer would fail the build on them, so it is off while building.
fuzz:
	ASAN_OPTIONS=detect_leaks=0 $(MAKE) BUILD=build/fuzz CC=clang BIN=build/fuzz/backlab WERROR= \
		CFLAGS='$(FUZZ_FLAGS) -fsanitize=fuzzer-no-link' build/fuzz/libengine.a build/fuzz/librepl.a
	@for f in $(FUZZ_SRC); do n=$$(basename $$f .c); \
		clang $(FUZZ_FLAGS) -fsanitize=fuzzer $(DEFS) -I. -Ibuild/fuzz/gen $(DEP_CFLAGS) \
		  -o build/fuzz/$$n $$f build/fuzz/librepl.a build/fuzz/libengine.a $(LDLIBS) || exit 1; \
		echo "built build/fuzz/$$n: build/fuzz/$$n -max_total_time=60 tests/fuzz/corpus/$$n"; done
lint: $(BIN)
	./$(BIN) lint --lessons lessons

install: $(BIN)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(DATADIR) $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 $(BIN) $(DESTDIR)$(PREFIX)/bin/backlab
	rm -rf $(DESTDIR)$(DATADIR)/lessons
	cp -R lessons $(DESTDIR)$(DATADIR)/lessons
	install -m 644 docs/backlab.1 $(DESTDIR)$(PREFIX)/share/man/man1/backlab.1
uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/backlab $(DESTDIR)$(PREFIX)/share/man/man1/backlab.1
	rm -rf $(DESTDIR)$(DATADIR)

clean:
	rm -rf build $(BIN)

-include $(shell find $(BUILD)/obj $(BUILD)/tests $(BUILD)/tools $(BUILD)/gen -name '*.d' 2>/dev/null)
