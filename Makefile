# nongsan — the two commands: `make run` and `make test`.
# Everything the build needs is installed by scripts/deps.sh (Debian packages).

BUILD_DIR ?= build
SAN_DIR   ?= build-sanitize
FUZZ_DIR  ?= build-fuzz
# Seconds each fuzz target runs in `make fuzz`.
FUZZ_SECONDS ?= 60
JOBS      ?= $(shell nproc)
PORT      ?= 8080
CMAKE_GEN := $(shell command -v ninja >/dev/null 2>&1 && echo "-G Ninja")
DEPS_STAMP := .deps-installed

.PHONY: all deps build run test test-unit test-e2e test-sanitize fuzz bench lint clean

all: build

$(DEPS_STAMP): scripts/deps.sh
	bash scripts/deps.sh
	@touch $(DEPS_STAMP)

deps: $(DEPS_STAMP)

$(BUILD_DIR)/build.ninja $(BUILD_DIR)/Makefile: $(DEPS_STAMP) CMakeLists.txt
	cmake -S . -B $(BUILD_DIR) $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=Release

build: $(DEPS_STAMP)
	@test -f $(BUILD_DIR)/CMakeCache.txt || cmake -S . -B $(BUILD_DIR) $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=Release
	cmake --build $(BUILD_DIR) -j $(JOBS)

# Builds and starts the platform on http://localhost:8080 with demo data (SQLite).
run: build
	./$(BUILD_DIR)/nongsan serve --host 127.0.0.1 --port $(PORT) --data-dir ./data --demo

# Every test: unit, database and API suites on SQLite and on a private
# PostgreSQL cluster, then the browser end-to-end tests.
test: build
	bash scripts/test.sh $(BUILD_DIR)

# The suite again under ASan + UBSan, on SQLite (both backends run in `make test`);
# tests/lsan.supp names the library leaks that are not ours (fontconfig's caches).
test-sanitize: $(DEPS_STAMP)
	@test -f $(SAN_DIR)/CMakeCache.txt || cmake -S . -B $(SAN_DIR) $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=Debug -DNONGSAN_SANITIZE=ON -DNONGSAN_PCH=ON
	cmake --build $(SAN_DIR) -j $(JOBS) --target nongsan_tests nongsan
	LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp NONGSAN_SKIP_E2E=1 NONGSAN_SKIP_POSTGRES=1 bash scripts/test.sh $(SAN_DIR)

# libFuzzer targets (clang-14, tests/fuzz), each run for FUZZ_SECONDS;
# prints executions and crashes per target, fails on a crash.
fuzz: $(DEPS_STAMP)
	@test -f $(FUZZ_DIR)/CMakeCache.txt || CC=clang-14 CXX=clang++-14 cmake -S . -B $(FUZZ_DIR) $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DNONGSAN_FUZZ=ON -DNONGSAN_PCH=OFF
	cmake --build $(FUZZ_DIR) -j $(JOBS) --target fuzz_all
	FUZZ_SECONDS=$(FUZZ_SECONDS) bash scripts/fuzz.sh $(FUZZ_DIR)

bench: build
	bash bench/run.sh $(BUILD_DIR)

# Every C++ file follows .clang-format (CI runs this first);
# `bash scripts/check-format.sh --fix` formats the tree.
lint: $(DEPS_STAMP)
	bash scripts/check-format.sh

clean:
	rm -rf $(BUILD_DIR) $(SAN_DIR) $(FUZZ_DIR)
