#!/bin/sh
# Filter keystroke and cursor move latency over 100,000 users (p50/p99), measured through the
# RoleEditor update function in a release build. ATLAS_ROLES_BENCH_USERS overrides the count.
set -eu
cd "$(dirname "$0")/.."
ATLAS_ROLES_BENCH=1 swift test -c release -Xswiftc -enable-testing --filter 'RoleEditorTests.BenchmarkTests' 2>&1 |
    grep -E '^BENCH|error|passed|failed'
