#!/bin/sh
# Filter keystroke and cursor move latency over 100,000 users (p50/p99) in a release build: the
# RoleEditor update function alone (BENCH lines), and update + the TerminalUI panes rendered into a
# Canvas + the diff that decides what reaches the terminal (BENCH-RENDER lines). ATLAS_ROLES_BENCH_USERS
# overrides the count. `make bench` runs the same tests and puts them into Benchmarks/RESULTS.md.
set -eu
cd "$(dirname "$0")/.."
ATLAS_ROLES_BENCH=1 swift test -c release -Xswiftc -enable-testing \
    --filter 'RoleEditorTests.BenchmarkTests|TerminalUITests.RenderBenchmarkTests' 2>&1 |
    grep -E '^BENCH|error|passed|failed'
