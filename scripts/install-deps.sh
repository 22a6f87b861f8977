#!/usr/bin/env bash
# Installs what building and testing atlas-roles needs on a fresh Debian/Ubuntu machine, and nothing
# that is already there (so a warm machine pays a few dpkg queries, not an apt run).
set -euo pipefail
cd "$(dirname "$0")/.."

# libssl-dev: the client hashes Digest answers with libcrypto (the one libcurl already loads).
# tinyproxy and openssl: the proxy and private-CA tests (a real forward proxy, `openssl x509 -hash`).
apt_packages=(libcurl4-openssl-dev libssl-dev libncurses-dev tmux curl python3-pip librsvg2-bin fonts-noto-cjk fonts-dejavu-core
    tinyproxy openssl)
# `--dist` (make dist, make test-dist) adds the packaging tools: dpkg-shlibdeps, strip, lintian, man.
if [ "${1:-}" = "--dist" ]; then
    apt_packages=(dpkg-dev binutils lintian man-db)
fi
missing=()
for pkg in "${apt_packages[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "install-deps: apt-get install ${missing[*]}"
    sudo_cmd=""
    [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
    export DEBIAN_FRONTEND=noninteractive
    $sudo_cmd apt-get install -y -q "${missing[@]}" >/dev/null 2>&1 || {
        $sudo_cmd apt-get update -q >/dev/null
        $sudo_cmd apt-get install -y -q "${missing[@]}"
    }
fi

[ "${1:-}" = "--dist" ] && exit 0

# Python tools for the conformance, independent-client and end-to-end tests.
if ! python3 -c 'import sys; sys.exit(0)' 2>/dev/null; then
    echo "install-deps: python3 is required" >&2
    exit 1
fi
if ! python3 - <<'PY' 2>/dev/null
import importlib.util, sys
from pathlib import Path
names = [line.split("==")[0].split(">=")[0].strip().replace("-", "_")
         for line in Path("Tests/python/requirements.txt").read_text().splitlines()
         if line.strip() and not line.startswith("#")]
import_names = {"pytest_timeout": "pytest_timeout", "jsonschema": "jsonschema", "requests": "requests",
                "pytest": "pytest", "regress": "regress", "rich": "rich", "openapi_core": "openapi_core",
                "pyte": "pyte"}
missing = [n for n in names if importlib.util.find_spec(import_names.get(n, n)) is None]
sys.exit(1 if missing else 0)
PY
then
    echo "install-deps: pip install -r Tests/python/requirements.txt"
    python3 -m pip install -q --disable-pip-version-check -r Tests/python/requirements.txt
fi
