# The two commands everything builds on: `make demo` runs the program against the bundled sandbox,
# `make test` runs every test. Both install what a fresh Debian machine is missing first.
SWIFT ?= swift
BIN_DEBUG := .build/debug/atlas-roles
BIN_RELEASE := .build/release/atlas-roles
ARGS ?=

.PHONY: deps build build-release test test-swift test-transports test-python sandbox demo format lint screenshots bench

deps:
	@./scripts/install-deps.sh

build: deps
	$(SWIFT) build

build-release: deps
	$(SWIFT) build -c release

## Every test: Swift unit and integration tests, then the Python conformance and end-to-end tests.
test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build
	$(MAKE) --no-print-directory test-transports
	$(MAKE) --no-print-directory test-python

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
	$(SWIFT) format --in-place --recursive Package.swift Sources Tests

lint:
	$(SWIFT) format lint --strict --recursive Package.swift Sources Tests

## PNGs of the real program against the sandbox, for the README.
screenshots: build
	./scripts/screenshots.sh

## Benchmarks (issue 7), about 10 minutes: load, TUI first paint, keystroke latency, terminal bytes, bulk
## apply (with and without a rate limit), memory and start-up, each next to its baseline, against the
## sandbox on loopback with injected latency. Writes Benchmarks/RESULTS.md and prints it; one row alone:
## `python3 scripts/bench/run.py --rows apply`. One release build with -enable-testing serves the binary
## and the in-process keystroke benchmarks, so the two never rebuild each other.
bench: deps
	$(SWIFT) build -c release -Xswiftc -enable-testing --build-tests
	python3 scripts/bench/run.py
