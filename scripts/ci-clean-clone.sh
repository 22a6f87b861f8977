#!/usr/bin/env bash
# Runs .ci/run on a fresh clone of main, as CI does: proves that what is committed builds and passes on
# its own (no ignored files, no .build left over from a working tree).
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d /tmp/atlas-roles-ci.XXXXXX)"
trap 'rm -rf "$work"' EXIT
# CI has ../shared beside the checkout; so does this clone.
ln -s "$(cd "$repo/../shared" && pwd)" "$work/shared"
git clone -q --branch main "$repo" "$work/main"
cd "$work/main"
start=$(date +%s)
.ci/run
echo "ci-clean-clone: passed in $(( $(date +%s) - start ))s"
