# awssim — top-level build. `make deps` installs everything (idempotent); `make test` is what CI runs.
SHELL := /bin/bash
.DEFAULT_GOAL := all

APT_PKGS := libmicrohttpd-dev libcjson-dev libsqlite3-dev libssl-dev libexpat1-dev libpcre2-dev libcriterion-dev \
            lcov pkg-config clang-format wrk valgrind nginx clang libclang-rt-dev chromium curl patch xz-utils
PKGS := libmicrohttpd libcjson sqlite3 libcrypto expat libpcre2-8
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip

FLAVOR ?= release
BUILD ?= build/$(FLAVOR)
CC ?= gcc
CFLAGS_BASE := -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Wno-unused-parameter -Wno-format-truncation -g -Isim \
               $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LIBS := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lpthread -lm
ifeq ($(FLAVOR),release)
  CFLAGS := $(CFLAGS_BASE) -O2 -ffunction-sections -fdata-sections -fno-pie
  LDFLAGS := -no-pie
  # The server binary links libmicrohttpd, SQLite, libcrypto and expat statically (GnuTLS left out,
  # see sim/static/notls.c): a third of the start time was the dynamic loader relocating GnuTLS and
  # its dependencies, and their pages were most of the idle RSS. STATIC=0 links everything shared.
  STATIC ?= 1
else ifeq ($(FLAVOR),asan)
  CFLAGS := $(CFLAGS_BASE) -O1 -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined
  LDFLAGS := -fsanitize=address,undefined
else ifeq ($(FLAVOR),cov)
  CFLAGS := $(CFLAGS_BASE) -O0 --coverage
  LDFLAGS := --coverage
endif

LIB_SRC := $(sort $(wildcard sim/core/*.c sim/proto/*.c sim/http/*.c sim/services/*.c sim/asl/*.c sim/replay/*.c))
LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/%.o) $(BUILD)/models.o
IMG_OBJ := $(BUILD)/schema_image.o
MODELS := $(sort $(wildcard sim/models/*.json))
UNIT_SRC := $(sort $(wildcard sim/tests/unit/test_*.c))
UNIT_BIN := $(UNIT_SRC:sim/tests/unit/%.c=$(BUILD)/tests/%)
AWSSIM := $(BUILD)/awssim

.PHONY: all deps deps-apt deps-py deps-node test test-unit test-integration test-programs test-asan \
        coverage bench demo clean format fuzz gate replay

all: $(AWSSIM) sim/awssim

sim/awssim: $(AWSSIM)
	@cp $(AWSSIM) sim/awssim

# The release binary is fully static, glibc included: no dynamic loader work at start and only the
# pages awssim touches in memory. Debian has no static libcjson, so tools/fetch_cjson.sh builds one
# from the same Debian source package as libcjson-dev. The linker warns that SQLite's extension
# loader and libcrypto's BIO_lookup would need glibc's shared NSS/dl at run time: awssim calls neither.
CJSON_A := build/third_party/cjson/libcjson.a
ifeq ($(FLAVOR)-$(STATIC),release-1)
SERVER_OBJ := $(BUILD)/sim/static/notls.o $(BUILD)/sim/static/nosqlext.o
SERVER_DEPS := $(CJSON_A)
SQLITE_NOEXT := -Wl,--wrap=sqlite3Fts3Init,--wrap=sqlite3Fts5Init,--wrap=sqlite3RtreeInit,--wrap=sqlite3StmtVtabInit
SERVER_LIBS := -static -Wl,--gc-sections $(SQLITE_NOEXT) -lmicrohttpd -lsqlite3 -lcrypto -lexpat -lpcre2-8 $(CJSON_A) -lpthread -lm
else
SERVER_OBJ :=
SERVER_DEPS :=
SERVER_LIBS := $(LIBS)
endif

$(AWSSIM): $(LIB_OBJ) $(IMG_OBJ) $(BUILD)/sim/main.o $(SERVER_OBJ) $(SERVER_DEPS)
	$(CC) $(LDFLAGS) -o $@ $(LIB_OBJ) $(IMG_OBJ) $(BUILD)/sim/main.o $(SERVER_OBJ) $(SERVER_LIBS)

# The empty database every in-memory store starts from (sim/core/store.c, "schema image"): made by
# running the schema statements of these very objects, so it is rebuilt whenever one changes.
$(BUILD)/schemagen: tools/schemagen.c $(LIB_OBJ)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/schema_image.c: $(BUILD)/schemagen
	$(BUILD)/schemagen $@

$(IMG_OBJ): $(BUILD)/schema_image.c
	$(CC) $(CFLAGS) -c -o $@ $<

$(CJSON_A): tools/fetch_cjson.sh
	tools/fetch_cjson.sh $(dir $@)

$(BUILD)/%.o: %.c $(wildcard sim/*/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<

# the scenario schema is embedded into the replay runner (.incbin)
$(BUILD)/sim/replay/rp_schema.o: scenarios/schema.json

$(BUILD)/models.c: $(MODELS) tools/embed_models.py
	@mkdir -p $(BUILD)
	python3 tools/embed_models.py $@ $(MODELS)

$(BUILD)/models.o: $(BUILD)/models.c
	$(CC) $(CFLAGS) -c -o $@ $<

$(BUILD)/tests/%: sim/tests/unit/%.c $(LIB_OBJ) $(IMG_OBJ) sim/tests/unit/testutil.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LIB_OBJ) $(IMG_OBJ) $(LIBS) -lcriterion

# ---- dependencies (idempotent) ----
deps: deps-apt deps-py deps-node
	@$(MAKE) --no-print-directory $(CJSON_A)

deps-apt:
	@missing=""; for p in $(APT_PKGS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then echo "apt-get install$$missing"; \
	  (apt-get update -qq || true) && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; fi

$(VENV)/.stamp: requirements.txt
	test -x $(PY) || python3 -m venv $(VENV)
	$(PIP) install -q --disable-pip-version-check -r requirements.txt
	touch $@

deps-py: $(VENV)/.stamp

NODE_DIRS := $(patsubst %/package-lock.json,%,$(wildcard mocks/typescript/package-lock.json pulumi/typescript/package-lock.json scenarios/package-lock.json))
deps-node:
	@for d in $(NODE_DIRS); do \
	  if [ ! -d $$d/node_modules ] || [ $$d/package-lock.json -nt $$d/node_modules/.package-lock.json ]; then \
	    echo "npm ci in $$d"; (cd $$d && npm ci --no-audit --no-fund --loglevel=error) || exit 1; fi; done

# ---- tests ----
test-unit: $(UNIT_BIN)
	@set -e; for t in $(UNIT_BIN); do echo "== $$t"; $$t --jobs 2; done

test-integration: all deps-py
	AWSSIM_BIN=$(abspath $(AWSSIM)) $(PY) -m pytest -q -p no:cacheprovider -n 2 --dist loadfile tests/integration

test-programs: all deps
	@set -e; for f in mocks/python/Makefile.inc pulumi/python/Makefile.inc mocks/typescript/Makefile.inc pulumi/typescript/Makefile.inc; do \
	  if [ -f $$f ]; then $(MAKE) --no-print-directory -f $$f AWSSIM_BIN=$(abspath $(AWSSIM)) test; fi; done

test: deps
	$(MAKE) all
	$(MAKE) test-unit
	$(MAKE) test-integration
	$(MAKE) test-programs
	$(MAKE) test-asan
	@if [ -x ci/dry-run-gate.sh ]; then AWSSIM_BIN=$(abspath $(AWSSIM)) ci/dry-run-gate.sh; fi

# The whole suite (unit + real-client integration) under ASan + UBSan, leaks included: a server
# that leaks exits non-zero at SIGTERM and fails its test; every report is also kept under
# build/asan/reports/ and printed. Then the fuzz regression inputs are replayed (sanitized).
# max_free_fill_size: freed memory is overwritten, so a read of it inside an uninstrumented library
# (libcjson: ASan cannot see those reads) follows garbage and crashes instead of passing silently.
ASAN_REPORTS := $(abspath build/asan/reports)
ASAN_RUN_OPTS := detect_leaks=1:max_free_fill_size=4096
test-asan: deps
	$(MAKE) FLAVOR=asan all
	rm -rf $(ASAN_REPORTS) && mkdir -p $(ASAN_REPORTS)
	if [ "$(ASAN_UNIT)" = 1 ]; then ASAN_OPTIONS=$(ASAN_RUN_OPTS):log_path=$(ASAN_REPORTS)/unit $(MAKE) FLAVOR=asan test-unit; fi
	ASAN_OPTIONS=$(ASAN_RUN_OPTS):log_path=$(ASAN_REPORTS)/server UBSAN_OPTIONS=print_stacktrace=1:log_path=$(ASAN_REPORTS)/ubsan \
	  AWSSIM_BIN=$(abspath build/asan/awssim) $(PY) -m pytest -q -p no:cacheprovider -n $(TEST_JOBS) --dist loadfile $(ASAN_TESTS)
	$(MAKE) -f fuzz/fuzz.mk regress
	@if ls $(ASAN_REPORTS)/* >/dev/null 2>&1; then cat $(ASAN_REPORTS)/*; echo "test-asan: sanitizer reports above"; exit 1; fi
	@echo "test-asan: no sanitizer reports"
TEST_JOBS ?= 2
ASAN_TESTS ?= tests/integration
ASAN_UNIT ?= 1
# `make test` (CI) runs all of it: the unit tests (~30 s with their ASan build) and every
# integration file, test_replay.py included (+~17 s on one worker).

# libFuzzer targets (clang, ASan + UBSan; fuzz/fuzz.mk): build, replay the committed corpora and
# regression inputs, then fuzz each target FUZZ_SECONDS; execs/findings accumulate in fuzz/stats.json.
FUZZ_SECONDS ?= 60
fuzz: deps-apt
	$(MAKE) -f fuzz/fuzz.mk -j2 all
	$(MAKE) -f fuzz/fuzz.mk regress
	$(MAKE) -f fuzz/fuzz.mk run FUZZ_SECONDS=$(FUZZ_SECONDS)

coverage: deps
	rm -rf build/cov/sim/*/*.gcda coverage/html
	$(MAKE) FLAVOR=cov all test-unit test-integration
	@# the scenario library exercises sim/ too (its paths count towards the C number)
	build/cov/awssim replay scenarios --jobs 2 --report build/cov/replay-report >/dev/null || true
	@mkdir -p coverage/html
	lcov -q --capture --directory build/cov --output-file coverage/sim.info --rc lcov_branch_coverage=0 >/dev/null
	lcov -q --remove coverage/sim.info '*/tests/*' '*/models.c' --output-file coverage/sim.info >/dev/null
	@lcov --summary coverage/sim.info 2>&1 | tee coverage/html/sim-summary.txt
	$(MAKE) FLAVOR=cov test-programs
	$(PY) coverage/merge.py --check

gate: all deps
	AWSSIM_BIN=$(abspath $(AWSSIM)) ci/dry-run-gate.sh

replay: all
	$(AWSSIM) replay scenarios --jobs 2 --report reports --junit reports/junit.xml

build/startbench: bench/start/startbench.c
	@mkdir -p build
	$(CC) -O2 -Wall -Wextra -Werror -o $@ $<

bench: all deps build/startbench
	$(PY) bench/run.py --awssim $(abspath $(AWSSIM))

demo: deps all
	@bash tools/demo.sh $(abspath $(AWSSIM))

format:
	clang-format -i $$(git ls-files 'sim/*.c' 'sim/*.h')

clean:
	rm -rf build sim/awssim coverage/html coverage/*.info reports
