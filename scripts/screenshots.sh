#!/usr/bin/env bash
# Saves PNG screenshots of atlas-roles (run by `make screenshots`) into screenshots/:
# the user list, a bulk edit in the checklist, the review diff, an inline error envelope, the help,
# the invite form and a review with a removal and invitations.
#
# The program runs against the bundled sandbox on loopback inside a private tmux server; each screen
# is captured with its colors (`tmux capture-pane -e`), turned into SVG by Python `rich`
# (`Text.from_ansi`, `Console(record=True).save_svg`) and into PNG by `rsvg-convert`.
# Every wait polls the screen with a deadline.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BIN="${ATLAS_ROLES_BIN:-$ROOT/.build/debug/atlas-roles}"
OUT="$ROOT/screenshots"
WIDTH=120
HEIGHT=34
WORK="$(mktemp -d)"
SOCKET_BASE="atlas-roles-shots-$$"
SOCKET="$SOCKET_BASE-none"
SANDBOX_PID=""

cleanup() {
    for keyset in apiKey memberOnlyApiKey; do tmux -L "$SOCKET_BASE-$keyset" kill-server 2>/dev/null || true; done
    if [[ -n "$SANDBOX_PID" ]]; then kill "$SANDBOX_PID" 2>/dev/null || true; wait "$SANDBOX_PID" 2>/dev/null || true; fi
    rm -rf "$WORK"
}
trap cleanup EXIT

# What the pipeline needs beyond the toolchain: rich, rsvg-convert, and CJK glyphs for the names.
# rich comes from Debian (python3-rich) for the system Python, or from PyPI for another python3.
missing=()
PY=""
for candidate in python3 /usr/bin/python3; do
    if "$candidate" -c 'import rich' 2>/dev/null; then PY="$candidate"; break; fi
done
[[ -n "$PY" ]] || missing+=(python3-rich)
command -v rsvg-convert >/dev/null || missing+=(librsvg2-bin)
command -v tmux >/dev/null || missing+=(tmux)
[[ "$(fc-list : family 2>/dev/null)" == *"Noto Sans CJK"* ]] || missing+=(fonts-noto-cjk)
if ((${#missing[@]})); then
    echo "installing ${missing[*]}"
    if [[ $(id -u) -eq 0 ]]; then apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null
    else sudo apt-get update -qq && sudo apt-get install -y -qq "${missing[@]}" >/dev/null; fi
fi
if [[ -z "$PY" ]]; then
    if /usr/bin/python3 -c 'import rich' 2>/dev/null; then PY=/usr/bin/python3
    else python3 -m pip install --quiet rich && PY=python3; fi
fi
[[ -x "$BIN" ]] || { echo "no binary at $BIN: run 'swift build' first" >&2; exit 1; }
mkdir -p "$OUT"

# The sandbox, on a free port; its ready file says where and with which keys.
"$BIN" sandbox --port 0 --orgs 1 --users 60 --seed 7 --ready-file "$WORK/ready.json" >"$WORK/sandbox.log" 2>&1 &
SANDBOX_PID=$!
for _ in $(seq 200); do [[ -s "$WORK/ready.json" ]] && break; sleep 0.05; done
[[ -s "$WORK/ready.json" ]] || { echo "sandbox did not start:" >&2; cat "$WORK/sandbox.log" >&2; exit 1; }
ready() { python3 -c "import json,sys; d=json.load(open('$WORK/ready.json')); print(eval(sys.argv[1]))" "$1"; }
BASE_URL="$(ready 'd["baseURL"]')"
ORG_ID="$(ready 'd["organizations"][0]["id"]')"

# start KEYSET: the program in a fresh tmux window, with the owner ("apiKey") or member-only keys.
start() {
    local keyset="$1" public private
    public="$(ready "d['$keyset']['publicKey']")"
    private="$(ready "d['$keyset']['privateKey']")"
    # A tmux server of its own per session: reusing a socket races the old server's shutdown.
    tmux -L "$SOCKET" kill-server 2>/dev/null || true
    SOCKET="$SOCKET_BASE-$keyset"
    LANG=C.UTF-8 tmux -L "$SOCKET" -f /dev/null -u new-session -d -x "$WIDTH" -y "$HEIGHT" \
        env LANG=C.UTF-8 TERM=tmux-256color XDG_STATE_HOME="$WORK/state-$keyset" \
        MONGODB_ATLAS_OPS_MANAGER_URL="$BASE_URL/" MONGODB_ATLAS_ORG_ID="$ORG_ID" \
        MONGODB_ATLAS_PUBLIC_API_KEY="$public" MONGODB_ATLAS_PRIVATE_API_KEY="$private" "$BIN"
    tmux -L "$SOCKET" set -sg escape-time 0
    wait_for '[0-9] users +sort:'  # every page loaded: the header counts the users, no longer "loading"
}

keys() { for key in "$@"; do tmux -L "$SOCKET" send-keys "$key"; done; }
text() { tmux -L "$SOCKET" send-keys -l "$1"; }

# wait_for REGEX: polls the screen until it matches (10 s deadline).
wait_for() {
    for _ in $(seq 200); do
        # A here-string, not a pipe: with pipefail, `grep -q` closing early would fail the pipeline.
        grep -Eq "$1" <<<"$(tmux -L "$SOCKET" capture-pane -p)" && return 0
        sleep 0.05
    done
    echo "timed out waiting for /$1/ on screen:" >&2
    tmux -L "$SOCKET" capture-pane -p >&2
    exit 1
}

# shot NAME TITLE: the screen as it is now, in color, to screenshots/NAME.png.
shot() {
    tmux -L "$SOCKET" capture-pane -e -p >"$WORK/$1.ansi"
    "$PY" - "$WORK/$1.ansi" "$WORK/$1.svg" "$2" "$WIDTH" <<'PY'
import sys
from rich.console import Console
from rich.text import Text

source, target, title, width = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
console = Console(record=True, width=width, force_terminal=True, color_system="256", file=open("/dev/null", "w"))
# One Text for the whole screen: tmux does not repeat an SGR at the start of a line whose style
# continues from the line before, so lines parsed one by one would lose their colors.
screen = Text.from_ansi(open(source, encoding="utf-8").read().rstrip("\n"))
console.print(screen, no_wrap=True, overflow="crop")
console.save_svg(target, title=title)
svg = open(target, encoding="utf-8").read()
# rsvg-convert collapses runs of spaces unless told to keep them: columns would not line up.
svg = svg.replace("<svg ", '<svg xml:space="preserve" ', 1)
# A terminal puts every character in its own cell; an SVG text run is laid out by the Unicode bidi
# algorithm, which would pull the next column's digits ("1y") into a Hebrew or Arabic name. Each
# right-to-left run is isolated (RLI ... PDI, zero-width) so it reorders only within itself.
import re
rtl = "\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF"
svg = re.sub(f"[{rtl}]+(?:[ \u00A0]+[{rtl}]+)*", lambda m: "\u2067" + m.group(0) + "\u2069", svg)
open(target, "w", encoding="utf-8").write(svg)
PY
    rsvg-convert --format png --output "$OUT/$1.png" "$WORK/$1.svg"
    echo "saved screenshots/$1.png"
}

start apiKey
shot user-list "atlas-roles: the user list"

# A bulk edit: mark three users, open the checklist, grant Billing Viewer (ORG_BILLING_READ_ONLY) to all of them.
keys Space Space Space Enter  # Space marks and moves to the next row
wait_for 'Roles for 3 users'
keys j j j j Space
wait_for 'was \['
shot bulk-checklist "atlas-roles: a bulk edit in the role checklist"

keys s
wait_for 'Review'
shot review-diff "atlas-roles: the review, with the call each change uses"

keys '?'
wait_for 'key closes'
shot help "atlas-roles: keys"

# Membership, reviewed with the role edits: the last user's removal and two invitations.
keys Escape Escape  # closes the help, leaves the review
wait_for 'EMAIL'
keys U G k x  # the last row is an expired invitation: nothing to remove there
wait_for 'removal'
keys i
wait_for 'Addresses, one per line'
tmux -L "$SOCKET" set-buffer $'noor.new@example.com\nteo.new@example.com\n'
tmux -L "$SOCKET" paste-buffer -t 0
wait_for 'teo.new@example.com'
keys Tab Down Down Down Down Space  # the roles: Member is checked; Billing Viewer too
wait_for '\[x\] Organization Billing Viewer'
keys Tab Space  # the teams: the first
wait_for 'Teams:'
wait_for '› \[x\] '
shot invite-form "atlas-roles: the invite form (addresses, roles, teams)"
keys Enter
wait_for 'invitation\(s\) staged'
keys s
wait_for 'INVITE '
shot membership-review "atlas-roles: a removal and invitations in the review, beside the role edits"

# A refused write: the member-only key may read but not write; the envelope shows under the user.
start memberOnlyApiKey
keys j Enter
wait_for 'Roles for '
keys G Space
wait_for 'was \['
keys s
wait_for 'Review'
keys y
wait_for 'errorCode: '
shot error-envelope "atlas-roles: a refused write with the API's error envelope inline"
