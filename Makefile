# octroi — the two commands:
#   make run    install what is missing, build, create the demonstration database (with one
#               account per role) if absent, and serve it on http://127.0.0.1:8080 (LISTEN=…)
#               (DB=octroi.db by default; DB=postgresql://… uses an existing PostgreSQL database)
#   make test   install what is missing, build (release and ASan/UBSan), run the whole suite on
#               SQLite and on a throw-away PostgreSQL cluster that ctest starts and stops
.PHONY: run test deps node-deps build build-asan test-release test-asan format clean

DB ?= octroi.db
LISTEN ?= 127.0.0.1:8080
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
OCTROI := build/release/octroi

deps:
	@bash scripts/install-deps.sh

build: deps
	@cmake --preset release >/dev/null
	@cmake --build --preset release -j $(JOBS)

build-asan: deps
	@cmake --preset asan >/dev/null
	@cmake --build --preset asan -j $(JOBS)

run: build
	@case "$(DB)" in \
	  postgres://*|postgresql://*) $(OCTROI) application list --db "$(DB)" >/dev/null 2>&1 || \
	    $(OCTROI) demo --accounts --db "$(DB)" >/dev/null;; \
	  *) if [ ! -f "$(DB)" ]; then $(OCTROI) demo --accounts --db "$(DB)" >/dev/null; fi;; \
	esac
	@echo "Base : $(DB) (démonstration CP 2023-040)."
	@$(OCTROI) demo --list-accounts --db "$(DB)"
	@echo "(une base créée avant ces comptes n'en a pas : octroi user create, ou supprimez-la)"
	@$(OCTROI) serve --db "$(DB)" --listen $(LISTEN)

node-deps:
	@bash scripts/install-node-modules.sh

# OCTROI_PROBLEM_CODES_COMPLETE: the whole suite runs, so problem_codes.produced also checks that
# a test makes every code of app/problem_codes.cc.
test-release: build node-deps
	@OCTROI_PROBLEM_CODES_COMPLETE=1 ctest --preset release -j $(JOBS)

test-asan: build-asan node-deps
	@ctest --preset asan -j $(JOBS)

test: test-release test-asan

# make fuzz   every fuzz target of tests/fuzz/ under clang-14's libFuzzer for FUZZ_SECONDS each
#             (60 by default; docs/FUZZING.md); `make test` replays their corpora.
.PHONY: fuzz
fuzz: deps
	@bash scripts/fuzz.sh

format:
	@find src tests bench -name '*.h' -o -name '*.cc' | xargs clang-format -i

clean:
	@rm -rf build

# make bench   build the release preset's benchmark and run it (bench/README.md) on SQLite and on
#              a throw-away PostgreSQL cluster with durable commits, which bench/run.sh starts in
#              a fresh directory and stops even on failure; the numbers are recorded in
#              $(BENCH_OUT) (JSON), never asserted. Takes about two minutes.
#              BENCH_ARGS passes flags to the binary, e.g. BENCH_ARGS=--benchmark_filter=HotRow
.PHONY: bench
BENCH_OUT ?= build/bench.json
BENCH_ARGS ?=

bench: deps
	@cmake --preset release >/dev/null
	@cmake --build --preset release -j $(JOBS) --target octroi_bench
	@bash bench/run.sh $(BENCH_OUT) $(BENCH_ARGS)
	@echo "Résultats JSON : $(BENCH_OUT)"
