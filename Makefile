# A thin shell over CMake. `make` builds everything into build/ (the CLI is build/parley).
BUILD        ?= build
PREFIX       ?= /usr/local
JOBS         ?= $(shell nproc 2>/dev/null || echo 2)
FUZZ_SECONDS ?= 20
CMAKE_FLAGS  ?=
PYTHON       ?= /usr/bin/python3

.PHONY: all deps check-deps demo check python install fuzz fuzz-smoke bench asan-check clang-check mpi-check clean

all:
	cmake -S . -B $(BUILD) -DCMAKE_INSTALL_PREFIX=$(PREFIX) -DPARLEY_PYTHON=$(PYTHON) $(CMAKE_FLAGS) >/dev/null
	cmake --build $(BUILD) -j $(JOBS)

deps:
	@scripts/deps.sh build

check-deps:
	@scripts/deps.sh check

# The flagship forecast: the Jeddah talks of March 2025. Quiet: the build's log shows only when it fails,
# and the forecast's notes follow the forecast, so the output opens with the At a glance table.
demo: deps
	@cmake -S . -B $(BUILD) -DCMAKE_INSTALL_PREFIX=$(PREFIX) $(CMAKE_FLAGS) >/dev/null
	@log=$$(mktemp) && if cmake --build $(BUILD) -j $(JOBS) --target parley >"$$log" 2>&1; then rm -f "$$log"; \
	  else cat "$$log"; rm -f "$$log"; echo "make demo: the build failed (its log is above)" >&2; exit 1; fi
	@notes=$$(mktemp) && $(BUILD)/parley forecast examples/jeddah-2025.json 2>"$$notes"; rc=$$?; \
	  cat "$$notes" >&2; rm -f "$$notes"; \
	  echo "(the answer is the At a glance table at the top; --detail summary prints it alone, --detail full everything)"; \
	  exit $$rc

# The Python module, built in place over build/libparley.a (use it with PYTHONPATH=python; docs/python.md).
python: all
	@scripts/deps.sh python
	cd python && PARLEY_BUILD=$(abspath $(BUILD)) $(PYTHON) setup.py -q build_ext --inplace

# Every test: unit tests, golden cases, the DEU III backtest, the Python module and its notebook.
check: check-deps all python
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

# Monte Carlo over MPI ranks equals one process, byte for byte (needs OpenMPI: scripts/deps.sh mpi).
mpi-check:
	@scripts/deps.sh mpi
	scripts/mpi-check.sh build-mpi

install: all
	cmake --install $(BUILD) --prefix $(PREFIX)

# The whole suite again under AddressSanitizer and UndefinedBehaviorSanitizer.
asan-check: deps
	cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DPARLEY_SANITIZE=ON -DPARLEY_WERROR=ON >/dev/null
	cmake --build build-asan -j $(JOBS)
	cd build-asan && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 ctest --output-on-failure -j $(JOBS)

# A clang build with warnings as errors, and its tests.
clang-check: deps
	cmake -S . -B build-clang -DCMAKE_C_COMPILER=clang -DPARLEY_WERROR=ON >/dev/null
	cmake --build build-clang -j $(JOBS)
	cd build-clang && ctest --output-on-failure -j $(JOBS)

# libFuzzer harnesses, one per reader (clang).
fuzz:
	@scripts/deps.sh fuzz
	cmake -S . -B build-fuzz -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPARLEY_FUZZ=ON \
	      -DPARLEY_TESTS=OFF -DPARLEY_WERROR=ON >/dev/null
	cmake --build build-fuzz -j $(JOBS)

# Runs each harness for FUZZ_SECONDS on a copy of its seed corpus; fails on any crash.
fuzz-smoke: fuzz
	fuzz/smoke.sh build-fuzz $(FUZZ_SECONDS)

bench: all python
	$(BUILD)/parley-bench
	PARLEY_THREADS=1 $(BUILD)/parley-bench bdm
	$(BUILD)/parley-bench bdm-json
	PARLEY_THREADS=1 $(BUILD)/parley-bench exchange
	PYTHONPATH=python $(PYTHON) bench/python.py

clean:
	rm -rf $(BUILD) build-asan build-clang build-fuzz
