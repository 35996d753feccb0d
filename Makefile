# The two set-up commands of the README: `make run` and `make test`.
PRESET ?= release
BUILD_DIR := $(if $(filter release,$(PRESET)),build,build-$(PRESET))
JOBS ?= $(shell nproc)

.PHONY: all deps configure build test run bench format clean fuzz

all: build

deps:
	@./scripts/install-deps

configure: deps
	@cmake --preset $(PRESET) >/dev/null

build: configure
	@cmake --build --preset $(PRESET) -j $(JOBS)

test: build
	ctest --preset $(PRESET) -j $(JOBS)

run: build
	exec $(BUILD_DIR)/bin/pathwised $(ARGS)

bench: build
	@for b in bench_brownian bench_solver bench_expr; do \
	  if [ -x $(BUILD_DIR)/bin/$$b ]; then $(BUILD_DIR)/bin/$$b --benchmark_min_time=0.2 || exit 1; fi; \
	done
	@if [ -x $(BUILD_DIR)/bin/bench_solve_rpc ]; then $(BUILD_DIR)/bin/bench_solve_rpc --reps 3; fi

format:
	@git ls-files '*.h' '*.cc' | xargs clang-format -i

clean:
	rm -rf build build-debug build-asan

# Fuzzes the expression compiler (clang-14 + libFuzzer, ASan, UBSan) for
# FUZZ_SECONDS; a separate build in build-fuzz, not part of `make build`.
FUZZ_SECONDS ?= 60
fuzz: deps
	@cmake -S fuzz -B build-fuzz -G Ninja -DCMAKE_CXX_COMPILER=clang++-14 >/dev/null
	@cmake --build build-fuzz -j $(JOBS)
	@mkdir -p build-fuzz/corpus
	build-fuzz/expr_fuzzer -max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=2048 \
	  -dict=fuzz/expr.dict -print_final_stats=1 build-fuzz/corpus fuzz/corpus
