# The two commands everything builds on: `make demo` runs the program against the bundled sandbox,
# `make test` runs every test. Both install what a fresh Debian machine is missing first.
SWIFT ?= swift
## Debug builds compile assert() out (our code has none: it states its invariants with precondition,
## which stays). The sandbox the tests start in-process runs on NIO, whose debug-only asserts are not
## invariants a test can hold: one fires when the listening socket is readable but accept(2) finds no
## connection (a client gone in between, seen once in a clean-clone run under load), and it crashed the
## whole test process. Release builds, the packaged ones included, never had these asserts.
DEBUG_BUILD_FLAGS ?= -Xswiftc -assert-config -Xswiftc Release
BIN_DEBUG := .build/debug/atlas-roles
BIN_RELEASE := .build/release/atlas-roles
ARGS ?=
PREFIX ?= /usr/local
DESTDIR ?=
DIST_SCRATCH ?= .build-dist
export DIST_SCRATCH

.PHONY: deps deps-dist build build-release build-static test test-swift test-transports test-python test-dist \
	test-sanitizers fuzz sandbox demo format lint screenshots bench dist install

deps:
	@./scripts/install-deps.sh

build: deps
	$(SWIFT) build $(DEBUG_BUILD_FLAGS)

build-release: deps
	$(SWIFT) build -c release

## Every test: Swift unit and integration tests, then the Python conformance and end-to-end tests.
test: deps
	$(SWIFT) build --build-tests $(DEBUG_BUILD_FLAGS)
	$(SWIFT) test --skip-build
	$(MAKE) --no-print-directory test-transports
	$(MAKE) --no-print-directory test-python

## The Swift tests under ThreadSanitizer, then AddressSanitizer (each a build of its own, in its own folder).
## Tests/Sanitizers holds the suppressions, each with its reason; the *SAN_OPTIONS reach the programs the
## tests start too, with the symbolizer's path (some start them with an environment of their own, no PATH),
## since a suppression is matched against symbolized frames. These builds run many times slower, so
## ATLAS_ROLES_TEST_PATIENCE stretches the tests' waits (timeouts, deadlines, the nonce and token lifetimes
## they wait out) by SANITIZER_PATIENCE. The Swift runtime's backtracer is off: it forks to print a
## crash's backtrace, and ThreadSanitizer fails a check in the forked child instead (the fatal error's
## message is still printed). Allocation stacks are unwound the slow way: the fast unwinder stops in
## libcurl (built without frame pointers), and a leak suppression needs the frames above it.
SANITIZER_PATIENCE ?= 10
SANITIZER_SYMBOLIZER ?= $(shell command -v llvm-symbolizer)
SANITIZER_ENV = ATLAS_ROLES_TEST_PATIENCE=$(SANITIZER_PATIENCE) SWIFT_BACKTRACE=enable=no
SANITIZER_COMMON = $(if $(SANITIZER_SYMBOLIZER),:external_symbolizer_path=$(SANITIZER_SYMBOLIZER))
test-sanitizers: deps
	$(SANITIZER_ENV) TSAN_OPTIONS=suppressions=$(CURDIR)/Tests/Sanitizers/tsan.supp$(SANITIZER_COMMON) \
	    $(SWIFT) test --sanitize=thread --scratch-path .build-tsan
	$(SANITIZER_ENV) LSAN_OPTIONS=suppressions=$(CURDIR)/Tests/Sanitizers/lsan.supp$(SANITIZER_COMMON) \
	    ASAN_OPTIONS=fast_unwind_on_malloc=0$(SANITIZER_COMMON) \
	    $(SWIFT) test --sanitize=address --scratch-path .build-asan

## libFuzzer over every reader of untrusted text (Sources/AtlasRolesFuzzing), FUZZ_SECONDS each (default 60;
## the release checklist asks for 600), from the seed corpus in Fuzz/corpus; FUZZ_JOBS targets side by side,
## FUZZ_TARGETS to pick some (scripts/fuzz.sh). `make test` replays the seeds.
## SwiftPM gives an executable a main of its own (a --defsym to <module>_main), so libFuzzer's main
## cannot be linked: the coverage comes from -sanitize-coverage and the driver from fuzzer_no_main.
FUZZ_SECONDS ?= 60
FUZZER_NO_MAIN ?= $(shell find $(dir $(shell readlink -f $$(command -v swift)))../lib/clang -name 'libclang_rt.fuzzer_no_main-*.a' | head -1)
fuzz: deps
	$(SWIFT) build --product atlas-roles-fuzz --scratch-path .build-fuzz -Xswiftc -DFUZZING \
	    -Xswiftc -sanitize=address -Xswiftc -sanitize-coverage=edge,trace-cmp,inline-8bit-counters,pc-table \
	    -Xlinker $(FUZZER_NO_MAIN) -Xlinker -lstdc++
	./scripts/fuzz.sh $(FUZZ_SECONDS)

## The client's integration suites again over plain HTTP, over HTTPS with HTTP/1.1 only, and against a
## server that refuses every reused Digest nonce (the default run is HTTPS with HTTP/2).
test-transports:
	ATLAS_SANDBOX_TRANSPORT=http $(SWIFT) test --skip-build --filter AtlasAPITests
	ATLAS_SANDBOX_TRANSPORT=https-http1 $(SWIFT) test --skip-build --filter 'PagingTests|WriteTests|NetworkPathTests'
	ATLAS_SANDBOX_NONCES=single-use $(SWIFT) test --skip-build --filter 'AtlasAPITests|AtlasRolesCommandTests'

test-python:
	ATLAS_ROLES_BIN=$(abspath $(BIN_DEBUG)) python3 -m pytest -q Tests/python

## The sandbox in the foreground: `make sandbox ARGS="--users 5000 --latency-ms 80"`.
sandbox: build
	$(BIN_DEBUG) sandbox $(ARGS)

demo: build-release
	$(BIN_RELEASE) --demo $(ARGS)

format:
	$(SWIFT) format --in-place --recursive Package.swift Sources Tests Plugins

lint:
	$(SWIFT) format lint --strict --recursive Package.swift Sources Tests Plugins

## The downloads (packaging/dist.sh): dist/atlas-roles-<version>-linux-<arch>.tar.gz and
## dist/atlas-roles_<version>_<arch>.deb, from a release build linked statically with the Swift runtime
## and FoundationEssentials (in $(DIST_SCRATCH), apart from .build), stripped; lintian checks the .deb.
## atlas-roles is built without the EmbeddedSandbox trait: its --demo and `sandbox` run the
## atlas-roles-sandbox program shipped beside it in lib/atlas-roles.
dist: deps-dist
	./packaging/dist.sh

deps-dist: deps
	@./scripts/install-deps.sh --dist

## What dist ships, unpacked and installed into a temporary root, run with no toolchain on the loader's
## path: --version, list against the sandbox, --demo in tmux, man -l. Not part of `make test`: the
## static release build alone takes minutes.
test-dist: dist
	ATLAS_ROLES_DIST_DIR=$(abspath dist) python3 -m pytest -q Tests/python/dist

build-static: deps
	./packaging/build-static.sh

## A source install of the same static build: `make install PREFIX=~/.local` (bin/atlas-roles,
## lib/atlas-roles/atlas-roles-sandbox, the man page, completions).
install: deps
	bin_dir=$$(./packaging/build-static.sh) && ./packaging/install-tree.sh "$$bin_dir" "$(DESTDIR)$(PREFIX)"

## PNGs of the real program against the sandbox, for the README.
screenshots: build
	./scripts/screenshots.sh

## Benchmarks (issue 7), about 10 minutes: load, TUI first paint, keystroke latency, terminal bytes, bulk
## apply (with and without a rate limit), memory and start-up, each next to its baseline, against the
## sandbox on loopback with injected latency. Writes Benchmarks/RESULTS.md and prints it; one row alone:
## `python3 scripts/bench/run.py --rows apply`. One release build with -enable-testing serves the binary
## and the in-process keystroke benchmarks, so the two never rebuild each other; the wide-area rows run
## the shipped build (packaging/build-static.sh), as an admin host's scripts would.
bench: deps
	$(SWIFT) build -c release -Xswiftc -enable-testing --build-tests
	./packaging/build-static.sh >/dev/null
	python3 scripts/bench/run.py
