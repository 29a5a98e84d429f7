# The two commands of the README (make run, make test) and the developer conveniences around them.
BUILD ?= build
CMAKE_FLAGS ?=
JOBS ?= $(shell nproc)

.PHONY: all deps configure build run test bench fuzz fuzz-run format clean

all: build

deps:
	@bash cmake/install-deps.sh

$(BUILD)/build.ninja: | deps
	@cmake -S . -B $(BUILD) -G Ninja $(CMAKE_FLAGS) >/dev/null

configure: $(BUILD)/build.ninja

build: deps configure
	@cmake --build $(BUILD) -j $(JOBS)

# `make run` opens the desktop app; with no cluster configured it starts the local cluster (partitad
# children, data under the XDG data directory) and stops it when the window closes.
run: deps configure
	@cmake --build $(BUILD) --target partitad partita -j $(JOBS)
	@$(BUILD)/bin/partita

test: build
	@cd $(BUILD) && ctest --output-on-failure -j $(JOBS) --timeout 600

bench: build
	@bash tests/bench/run-benchmarks.sh $(BUILD)
	@bash tests/bench/partitad_bench.sh $(BUILD)

# libFuzzer targets need clang; they live in their own build tree.
fuzz: deps
	@cmake -S . -B build-fuzz -G Ninja -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
		-DCMAKE_BUILD_TYPE=RelWithDebInfo -DPARTITA_FUZZ=ON -DPARTITA_TESTS=ON -DPARTITA_BENCH=OFF >/dev/null
	@cmake --build build-fuzz --target fuzz_request_frame fuzz_record_batch fuzz_log fuzz_broker -j $(JOBS)

FUZZ_SECONDS ?= 600
fuzz-run: fuzz
	@bash tests/fuzz/run-fuzzers.sh build-fuzz $(FUZZ_SECONDS)

format:
	@git ls-files '*.h' '*.cpp' | grep -v -e '^engine/protocol/messages/' -e '^tests/engine/protocol/samples/' \
		| xargs clang-format -i

clean:
	@rm -rf $(BUILD) build-fuzz
