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

# Until the desktop app exists (issue 9), `make run` starts the local cluster: one partitad node on
# localhost:9092 with its data under the XDG data directory, in the foreground (Ctrl-C stops it cleanly).
LOCAL_DATA ?= $${XDG_DATA_HOME:-$$HOME/.local/share}/partita/local-cluster/node-1
run: deps configure
	@cmake --build $(BUILD) --target partitad partita-cli -j $(JOBS)
	@echo "Local cluster: bootstrap.servers=localhost:9092 (try: kcat -b localhost:9092 -L). Ctrl-C stops it."
	@$(BUILD)/bin/partitad resources/server.properties --override log.dirs=$(LOCAL_DATA)

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
