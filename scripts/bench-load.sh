#!/bin/sh
# Loading every user of a 10,000-user organization from the sandbox at 100 ms injected latency:
# `atlas-roles list --output json` (Digest challenge, first page, remaining pages in parallel) against
# the baseline a shell script would do, a sequential `curl --digest` loop over the same pages.
# Prints both times and the ratio. ATLAS_ROLES_BENCH_USERS and ATLAS_ROLES_BENCH_LATENCY_MS override.
# When the `list` command cannot run, the same comparison runs in-process through the client
# (Tests/AtlasAPITests/LoadBenchmark.swift). ATLAS_ROLES_BENCH_CONFIG=debug uses the debug build;
# ATLAS_ROLES_BENCH_SKIP_BUILD=1 times the binary already built.
set -eu
cd "$(dirname "$0")/.."
USERS=${ATLAS_ROLES_BENCH_USERS:-10000}
LATENCY=${ATLAS_ROLES_BENCH_LATENCY_MS:-100}
PAGES=$(( (USERS + 499) / 500 ))

CONFIG=${ATLAS_ROLES_BENCH_CONFIG:-release}
# Release builds use -enable-testing like `make bench`, so this and the keystroke benchmark share one build.
TESTING_FLAGS=
if [ "$CONFIG" = release ]; then TESTING_FLAGS="-Xswiftc -enable-testing"; fi
# shellcheck disable=SC2086
if [ "${ATLAS_ROLES_BENCH_SKIP_BUILD:-0}" != 1 ]; then swift build -c "$CONFIG" $TESTING_FLAGS --product atlas-roles >/dev/null; fi
BIN=.build/$CONFIG/atlas-roles
WORK=$(mktemp -d)
SANDBOX_PID=
cleanup() {
    if [ -n "$SANDBOX_PID" ]; then kill "$SANDBOX_PID" 2>/dev/null || true; wait "$SANDBOX_PID" 2>/dev/null || true; fi
    rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

"$BIN" sandbox --port 0 --orgs 1 --users "$USERS" --latency-ms "$LATENCY" --ready-file "$WORK/ready.json" \
    >"$WORK/sandbox.log" 2>&1 &
SANDBOX_PID=$!
i=0
while [ ! -s "$WORK/ready.json" ]; do
    i=$((i + 1))
    if [ "$i" -gt 600 ]; then echo "bench-load: the sandbox did not start" >&2; cat "$WORK/sandbox.log" >&2; exit 1; fi
    sleep 0.1
done

field() { python3 -c "import json,sys; d=json.load(open('$WORK/ready.json')); print($1)"; }
BASE=$(field "d['baseURL']")
PUB=$(field "d['apiKey']['publicKey']")
PRIV=$(field "d['apiKey']['privateKey']")
ORG=$(field "d['organizations'][0]['id']")

now() { python3 -c 'import time; print(time.monotonic())'; }

# Baseline: what a script with curl does, one page after another, each a new Digest handshake.
START=$(now)
page=1
while [ "$page" -le "$PAGES" ]; do
    curl -sS --fail -o /dev/null --digest -u "$PUB:$PRIV" -H 'Accept: application/vnd.atlas.2025-02-19+json' \
        "$BASE/api/atlas/v2/orgs/$ORG/users?itemsPerPage=500&pageNum=$page"
    page=$((page + 1))
done
CURL_SECONDS=$(python3 -c "import time; print(round(time.monotonic() - $START, 3))")

START=$(now)
if MONGODB_ATLAS_OPS_MANAGER_URL="$BASE" MONGODB_ATLAS_PUBLIC_API_KEY="$PUB" MONGODB_ATLAS_PRIVATE_API_KEY="$PRIV" \
    MONGODB_ATLAS_ORG_ID="$ORG" "$BIN" list --output json >"$WORK/list.json" 2>"$WORK/list.err"; then
    LIST_SECONDS=$(python3 -c "import time; print(round(time.monotonic() - $START, 3))")
    COUNT=$(python3 -c "import json; d=json.load(open('$WORK/list.json')); print(len(d if isinstance(d, list) else d.get('users', [])))")
    echo "bench-load: $USERS users ($COUNT listed), ${LATENCY} ms latency, $PAGES pages"
    echo "bench-load: sequential curl --digest: ${CURL_SECONDS} s"
    echo "bench-load: atlas-roles list --output json: ${LIST_SECONDS} s"
    python3 -c "print('bench-load: ratio %.1fx' % ($CURL_SECONDS / max($LIST_SECONDS, 0.001)))"
else
    echo "bench-load: 'atlas-roles list' failed ($(head -c 300 "$WORK/list.err")); measuring the client in-process" >&2
    echo "bench-load: sequential curl --digest (this run): ${CURL_SECONDS} s"
    ATLAS_ROLES_BENCH=1 ATLAS_ROLES_BENCH_USERS="$USERS" ATLAS_ROLES_BENCH_LATENCY_MS="$LATENCY" \
        swift test -c "$CONFIG" $TESTING_FLAGS --filter 'AtlasAPITests.LoadBenchmark' 2>&1 | grep -E '^bench-load|error|passed|failed'
fi
