# fuzz.mk — builds awssim's libFuzzer targets with clang (Debian), ASan + UBSan, and runs them.
#   make -f fuzz/fuzz.mk            build all targets into build/fuzz/
#   make -f fuzz/fuzz.mk run FUZZ_SECONDS=60   run each target on its corpus (new inputs are kept in
#                                   build/fuzz/corpus/<t>, crashes in build/fuzz/crashes/<t>)
#   make -f fuzz/fuzz.mk run TARGETS="fuzz_sigv4 fuzz_scenario" FUZZ_SECONDS=600   only those
#   make -f fuzz/fuzz.mk regress    replay committed corpora + regression inputs (fuzz/regress/<t>)
SHELL := /bin/bash
FZ := build/fuzz
FCC := clang
PKGS := libmicrohttpd libcjson sqlite3 libcrypto expat libpcre2-8
SAN := -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
FCFLAGS := -std=c11 -D_GNU_SOURCE -g -O1 -Wall -Wno-unused-parameter -Wno-unused-function -Wno-unknown-warning-option -Wno-comment -Isim -Ifuzz \
           $(shell pkg-config --cflags $(PKGS)) $(SAN) -fsanitize=fuzzer-no-link
FLIBS := $(shell pkg-config --libs $(PKGS)) -lpthread -lm
FUZZ_SECONDS ?= 60
FUZZ_JOBS ?= 1

LIB_SRC := $(sort $(wildcard sim/core/*.c sim/proto/*.c sim/http/*.c sim/services/*.c sim/asl/*.c sim/replay/*.c))
LIB_OBJ := $(LIB_SRC:%.c=$(FZ)/%.o) $(FZ)/models.o
MODELS := $(sort $(wildcard sim/models/*.json))

FRONT_TARGETS := fuzz_query fuzz_json fuzz_rest_xml fuzz_rest_json
OTHER_TARGETS := fuzz_sigv4 fuzz_asl fuzz_jsonpath fuzz_intrinsic fuzz_jsonata
ifneq ($(wildcard fuzz/fuzz_scenario.c),)
  ifneq ($(wildcard sim/replay/*.c),)
    OTHER_TARGETS += fuzz_scenario
  endif
endif
TARGETS := $(FRONT_TARGETS) $(OTHER_TARGETS)
BINS := $(TARGETS:%=$(FZ)/%)

.PHONY: all run regress
all: $(BINS)

$(FZ)/%.o: %.c $(wildcard sim/*/*.h)
	@mkdir -p $(dir $@)
	$(FCC) $(FCFLAGS) -c -o $@ $<

# JSONata's evaluation bound (1 M steps, ~1 s under ASan) lowered for fuzzing: inputs like
# [1..50000][predicate] otherwise take most of the campaign's time; the bound's error path stays reachable.
$(FZ)/sim/asl/jsonata.o: FCFLAGS += -DJN_MAX_STEPS=20000L

$(FZ)/models.c: $(MODELS) tools/embed_models.py
	@mkdir -p $(FZ)
	python3 tools/embed_models.py $@ $(MODELS)

$(FZ)/models.o: $(FZ)/models.c
	$(FCC) $(FCFLAGS) -c -o $@ $<

$(FZ)/fuzz_query: FMODE := 1
$(FZ)/fuzz_json: FMODE := 2
$(FZ)/fuzz_rest_xml: FMODE := 3
$(FZ)/fuzz_rest_json: FMODE := 4
$(FRONT_TARGETS:%=$(FZ)/%): fuzz/fuzz_front.c fuzz/fuzz_common.h $(LIB_OBJ)
	$(FCC) $(FCFLAGS) -fsanitize=fuzzer -DFUZZ_MODE=$(FMODE) -o $@ $< $(LIB_OBJ) $(FLIBS)

$(FZ)/fuzz_%: fuzz/fuzz_%.c fuzz/fuzz_common.h $(LIB_OBJ)
	$(FCC) $(FCFLAGS) -fsanitize=fuzzer -o $@ $< $(LIB_OBJ) $(FLIBS)

# Each run: the committed seed corpus (read-only) + a growing work corpus; stats go to
# build/fuzz/stats/<t>.log (fuzz/record.py sums them into bench/results.md).
run: all
	@mkdir -p $(FZ)/stats
	@fail=""; for t in $(TARGETS); do \
	  mkdir -p $(FZ)/corpus/$$t $(FZ)/crashes/$$t; \
	  echo "== $$t ($(FUZZ_SECONDS)s)"; \
	  ASAN_OPTIONS=detect_leaks=1:max_free_fill_size=4096:allocator_may_return_null=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  $(FZ)/$$t -max_total_time=$(FUZZ_SECONDS) -max_len=65536 -timeout=10 -rss_limit_mb=3072 -print_final_stats=1 \
	    -artifact_prefix=$(FZ)/crashes/$$t/ $$([ -f fuzz/dict/$$t.dict ] && echo -dict=fuzz/dict/$$t.dict) \
	    $(FZ)/corpus/$$t fuzz/corpus/$$t > $(FZ)/stats/$$t.last.log 2>&1 || \
	    { grep -A30 -E "ERROR|runtime error|Sanitizer" $(FZ)/stats/$$t.last.log | head -40; fail="$$fail $$t"; }; \
	  grep -E "stat::number_of_executed_units" $(FZ)/stats/$$t.last.log | tail -1; \
	  cat $(FZ)/stats/$$t.last.log >> $(FZ)/stats/$$t.log; done; \
	python3 fuzz/record.py $(FZ)/stats; \
	if [ -n "$$fail" ]; then echo "FUZZ FINDINGS in:$$fail (inputs under $(FZ)/crashes/)"; exit 1; fi

# Replays every committed corpus and regression input once (fast; a crash fails).
regress: all
	@set -e; for t in $(TARGETS); do \
	  files=$$(ls fuzz/corpus/$$t/* fuzz/regress/$$t/* 2>/dev/null || true); \
	  [ -n "$$files" ] || continue; \
	  echo "== $$t: $$(echo $$files | wc -w) inputs"; \
	  ASAN_OPTIONS=detect_leaks=1:max_free_fill_size=4096 $(FZ)/$$t -runs=1 $$files > $(FZ)/$$t.regress.log 2>&1 || \
	    { tail -40 $(FZ)/$$t.regress.log; exit 1; }; done
