# The two set-up commands of the README: `make run` and `make test`.
PRESET ?= release
BUILD_DIR := $(if $(filter release,$(PRESET)),build,build-$(PRESET))
JOBS ?= $(shell nproc)

.PHONY: all deps configure build test run bench format clean

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
	@if [ -x $(BUILD_DIR)/bin/pathwised ]; then \
	  exec $(BUILD_DIR)/bin/pathwised $(ARGS); \
	else \
	  exec $(BUILD_DIR)/bin/pathwise-demo $(ARGS); \
	fi

bench: build
	$(BUILD_DIR)/bin/bench_brownian --benchmark_min_time=0.2

format:
	@git ls-files '*.h' '*.cc' | xargs clang-format -i

clean:
	rm -rf build build-debug build-asan
