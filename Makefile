# The two set-up commands of the README: `make run` and `make test`.
PRESET ?= release
BUILD_DIR := $(if $(filter release,$(PRESET)),build,build-$(PRESET))
JOBS ?= $(shell nproc)

.PHONY: all deps configure build test run bench bench-torchsde format clean fuzz fuzz-build \
        fuzz-long test-asan test-tsan soak

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
	@for b in bench_brownian bench_solver bench_estimate bench_expr; do \
	  if [ -x $(BUILD_DIR)/bin/$$b ]; then $(BUILD_DIR)/bin/$$b --benchmark_min_time=0.2 || exit 1; fi; \
	done
	@if [ -x $(BUILD_DIR)/bin/bench_solve_rpc ]; then $(BUILD_DIR)/bin/bench_solve_rpc --reps 3; fi

# torchsde side by side (bench/torchsde/README.md): needs Debian's python3-torch
# and torchsde's and trampoline's sources, named by TORCHSDE_SRC="DIR DIR" (or
# on PYTHONPATH); more options in ARGS, e.g. ARGS="--rounds 3 --json out.json".
TORCHSDE_PYTHON ?= /usr/bin/python3
bench-torchsde: configure
	@cmake --build --preset $(PRESET) -j $(JOBS) --target pathwise-lab
	$(TORCHSDE_PYTHON) bench/torchsde/run_side_by_side.py \
	  --pathwise-lab $(BUILD_DIR)/bin/pathwise-lab $(foreach d,$(TORCHSDE_SRC),--torchsde-src $(d)) $(ARGS)

format:
	@git ls-files '*.h' '*.cc' | xargs clang-format -i

clean:
	rm -rf build build-debug build-asan build-tsan

# Sanitizers (README.md, Development; docs/server.md, "Hardening checks").
# test-asan: the whole suite built with ASan + UBSan (halt on the first error).
test-asan:
	@$(MAKE) --no-print-directory test PRESET=asan

# test-tsan: ThreadSanitizer on our threads, both clean with no suppression
# (tests/tsan.supp says why it holds none): core_integrate_test (ensembles on
# the worker threads, lanes, sliced jobs, statistics) and
# server_run_threads_test (the server's Solve, Estimate and MCMC runs on the
# worker pool, ticker and admission, written to a fake stream whose threads
# act as gRPC's do). The server's tests through a real gRPC server are not
# run: against Debian's uninstrumented gRPC every hand-over that gRPC orders
# is reported as a race (docs/server.md, "Hardening checks", has the count
# and the kinds); `make test-tsan TSAN_TARGETS="core_integrate_test
# server_run_threads_test server_test server_solve_test server_auth_test
# pathwised pathwise_soak"` builds them too, to run by hand with
# TSAN_OPTIONS=halt_on_error=0.
TSAN_TARGETS = core_integrate_test server_run_threads_test
TSAN_RUN = TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1:suppressions=$(CURDIR)/tests/tsan.supp
test-tsan: deps
	@cmake --preset tsan >/dev/null
	@cmake --build --preset tsan -j $(JOBS) --target $(TSAN_TARGETS)
	$(TSAN_RUN) build-tsan/bin/core_integrate_test
	$(TSAN_RUN) build-tsan/bin/server_run_threads_test

# The soak of tests/soak for SOAK_SECONDS of load (ctest runs it for 60 s).
SOAK_SECONDS ?= 600
soak: build
	$(BUILD_DIR)/bin/pathwise_soak --pathwised=$(BUILD_DIR)/bin/pathwised --seconds=$(SOAK_SECONDS)

# libFuzzer targets (clang-14, ASan, UBSan; a separate build in build-fuzz, not
# part of `make build`; README.md, Development): the expression compiler, and wire bytes
# as a SampleRequest / SolveRequest / EstimateRequest / McmcRequest through the
# services' validation and a bounded run. `make fuzz` runs each for
# FUZZ_SECONDS, `make fuzz-long` each for FUZZ_RUNS executions, FUZZ_JOBS
# targets at a time (fuzz/run). Seeds are read from fuzz/<corpus>, and what a
# run finds is kept in build-fuzz/<corpus>. `make fuzz` is seeded (FUZZ_SEED)
# so that a CI verdict can be repeated: the same seed and seed corpus give the
# same inputs in the same order, a faster machine only going further along
# them; FUZZ_SEED=0 lets libFuzzer pick one. `make fuzz-long` explores with a
# fresh seed each time (each target's log names it).
FUZZ_SECONDS ?= 60
FUZZ_SEED ?= 1
FUZZ_RUNS ?= 10000000
FUZZ_FLAGS = -timeout=10 -rss_limit_mb=2048 -print_final_stats=1
# target, corpus folder, dictionary
FUZZ_TARGETS = expr_fuzzer:corpus:expr.dict sample_request_fuzzer:corpus_sample: \
               solve_request_fuzzer:corpus_solve:expr.dict \
               estimate_request_fuzzer:corpus_estimate:expr.dict \
               mcmc_request_fuzzer:corpus_mcmc:expr.dict

fuzz-build: deps
	@cmake -S fuzz -B build-fuzz -G Ninja -DCMAKE_CXX_COMPILER=clang++-14 >/dev/null
	@cmake --build build-fuzz -j $(JOBS)

# Two targets at a time by default (fuzz/run; each takes one core).
FUZZ_JOBS ?= 2
fuzz: fuzz-build
	@fuzz/run $(FUZZ_JOBS) -max_total_time=$(FUZZ_SECONDS) "$(FUZZ_TARGETS)" $(FUZZ_FLAGS) \
	  -seed=$(FUZZ_SEED)

fuzz-long: fuzz-build
	@fuzz/run $(FUZZ_JOBS) -runs=$(FUZZ_RUNS) "$(FUZZ_TARGETS)" $(FUZZ_FLAGS)
