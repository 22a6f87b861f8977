#!/usr/bin/env python3
"""Kills `atlas-roles set`, or the screen, at random points of a 200-user apply and checks that nothing
is lost.

Against `atlas-roles sandbox` with latency, each trial adds (or, every other trial, removes) one role
for 200 users, kills the apply with SIGKILL, SIGHUP or SIGTERM after a random delay, runs it again to
completion, and checks:

- the server ends with every edit;
- the second run reports no conflict (the program's own writes are not someone else's change);
- no write was sent twice (a write in flight at the kill may be, and is counted apart);
- the program's journal lists exactly the writes the server received (the sandbox's journal), and
  every intent has an outcome.

    python3 scripts/kill-loop.py --trials 30           # prints one line a trial, then the counts
    python3 scripts/kill-loop.py --screen --trials 10  # the same through the screen, in tmux

With `--screen` the apply is driven as a person would: the screen in tmux, the filter
`status:active -role:owner` (the users to change), `a` to mark them all, Enter, the role toggled in
the checklist, `s`, `y` and the number of users typed; the kill comes at a random point after that
Enter. The screen is then started again with the same state directory, its offer to restore the
draft accepted, and whatever is still pending reviewed and applied the same way. "Conflicts" counts
the users the restarted screen shows as changed on the server.

Not part of `make test`; `Tests/python/e2e/test_kill_loop.py` runs a few trials.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "Tests" / "python"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "Tests" / "python" / "e2e"))

from wire_sandbox import atlas_roles_binary, start_sandbox  # noqa: E402

SIGNALS = [signal.SIGKILL, signal.SIGHUP, signal.SIGTERM]
ROLE = "ORG_BILLING_READ_ONLY"
WRITE_METHODS = {"PUT", "PATCH"}


def run_trial(sandbox, org_id: str, user_ids: list[str], trial: int, rng: random.Random, state: Path) -> dict:
    env = dict(os.environ)
    env.update(
        {
            "XDG_STATE_HOME": str(state),
            "MONGODB_ATLAS_PUBLIC_API_KEY": sandbox.public_key,
            "MONGODB_ATLAS_PRIVATE_API_KEY": sandbox.private_key,
            "HOME": str(state),
        }
    )
    change = ["--add", ROLE] if trial % 2 == 0 else ["--remove", ROLE]
    command = [str(atlas_roles_binary()), "set", "--yes", "--org", org_id, "--base-url", sandbox.base_url] + change + user_ids
    sandbox.clear_journal()
    sig = rng.choice(SIGNALS)
    delay = rng.uniform(0.05, 2.5)
    first = subprocess.Popen(command, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    time.sleep(delay)
    killed = first.poll() is None
    if killed:
        first.send_signal(sig)
    first.communicate(timeout=60)
    written_before_restart = sum(
        1 for entry in sandbox.journal() if entry.get("method") in WRITE_METHODS and 200 <= int(entry.get("status", 0)) < 300
    )
    second = subprocess.run(command, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=120)

    result = check_trial(sandbox, org_id, user_ids, trial, state, conflicts=second.stdout.count("conflict"))
    result.update(
        {
            "signal": sig.name if killed else "none (finished first)",
            "delay": round(delay, 2),
            "written_before_restart": written_before_restart,
            "exit": second.returncode,
        }
    )
    return result


def successful_writes(sandbox) -> list[dict]:
    return [
        entry
        for entry in sandbox.journal()
        if entry.get("method") in WRITE_METHODS and 200 <= int(entry.get("status", 0)) < 300
    ]


def check_trial(sandbox, org_id: str, user_ids: list[str], trial: int, state: Path, conflicts: int) -> dict:
    """What the server, the sandbox's journal and the program's journal say once the trial is over."""
    wanted_has_role = trial % 2 == 0
    missing = [
        uid for uid in user_ids if (ROLE in sandbox.server_roles(org_id, uid)) != wanted_has_role
    ]
    writes = [
        entry
        for entry in sandbox.journal()
        if entry.get("method") in WRITE_METHODS and 200 <= int(entry.get("status", 0)) < 300
    ]
    per_user = Counter(entry["path"].split("/users/")[1].split("/")[0] for entry in writes)
    repeated = {uid: count for uid, count in per_user.items() if count > 1}

    journal_path = state / "atlas-roles" / f"journal-{org_id}.jsonl"
    entries = [json.loads(line) for line in journal_path.read_text().splitlines() if line.strip()]
    open_intents = {}
    for entry in entries:
        key = (entry["batch"], entry["userId"])
        if entry["outcome"] == "intent":
            open_intents[key] = entry
        else:
            open_intents.pop(key, None)
    # This trial's entries are the ones after the previous trial's: the state directory is per trial.
    applied = Counter(entry["userId"] for entry in entries if entry["outcome"] == "applied")
    journal_matches = applied == per_user
    return {
        "trial": trial,
        "writes": len(writes),
        "missing": len(missing),
        "conflicts": conflicts,
        "repeated": len(repeated),
        "journal_matches": journal_matches,
        "open_intents": len(open_intents),
    }


# The screen ------------------------------------------------------------------------------------------------
SCREEN_FILTER = "status:active -role:owner"
# Owner, Member, Project Creator, Billing Admin, Billing Viewer: the checklist's fifth line is ROLE.
CHECKLIST_DOWN_TO_ROLE = 4


def screen_targets(sandbox, org_id: str) -> list[str]:
    """The users SCREEN_FILTER shows, with ROLE taken from every one (as another admin would, through the
    sandbox's admin endpoint) so that trial 0's toggle adds it to all of them."""
    users = [
        u for u in list_users(sandbox, org_id)
        if "ORG_OWNER" not in org_roles(u) and u.get("orgMembershipStatus", "ACTIVE") == "ACTIVE"
    ]
    for user in users:
        roles = [r for r in org_roles(user) if r != ROLE] or ["ORG_MEMBER"]
        if roles != org_roles(user):
            sandbox.set_server_roles(org_id, user["id"], roles)
    return [u["id"] for u in users]


def screen_env(sandbox, org_id: str, state: Path) -> dict:
    return {
        "XDG_STATE_HOME": str(state),
        "XDG_CONFIG_HOME": str(state / "config"),
        "HOME": str(state),
        "TERM": "xterm-256color",
        "MONGODB_ATLAS_PUBLIC_API_KEY": sandbox.public_key,
        "MONGODB_ATLAS_PRIVATE_API_KEY": sandbox.private_key,
        "MONGODB_ATLAS_ORG_ID": org_id,
        "MONGODB_ATLAS_OPS_MANAGER_URL": sandbox.base_url + "/",
    }


def confirm_typed(tui) -> None:
    """`y` in the review, then the number of users when the screen asks for it typed (above 25 users)."""
    from polling import wait_until

    tui.send("y")
    asked = wait_until(lambda: re.search(r"Type (\d+) to apply|^ ?applied \d+", tui.screen(), re.M), timeout=30,
                       message="the confirmation")
    if asked.group(1):
        tui.type(asked.group(1))
        tui.send("Enter")


def wait_loaded(tui) -> None:
    """Every user loaded: the header says how many users there are, with no page still loading."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "Tests" / "python" / "e2e"))
    from test_tui import wait_loaded as wait_header_loaded

    wait_header_loaded(tui)


def press(tui, key: str) -> None:
    """Sends `key` and waits (a while at most) for the screen to change under it."""
    from polling import wait_until

    before = tui.screen()
    tui.send(key)
    try:
        wait_until(lambda: tui.screen() != before, timeout=5, message=f"the screen to change after {key}")
    except AssertionError:
        pass  # a key may leave the screen as it was; the wait that follows the keys says whether it worked


def screen_apply_all(tui, count: int) -> None:
    """Filter, mark all, toggle ROLE in the checklist, review, confirm: up to the Enter that applies."""
    wait_loaded(tui)
    tui.send("/")
    tui.type(SCREEN_FILTER)
    tui.send("Enter")
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "Tests" / "python" / "e2e"))
    from polling import wait_until
    from test_tui import shown_count

    wait_until(lambda: shown_count(tui.screen()) == count, timeout=30, message=f"{count} users shown")
    tui.send("a")
    tui.wait_for(f"marked {count}", timeout=30)
    tui.send("Enter")
    tui.wait_for(f"Roles for {count} users", timeout=30)
    # One key at a time, each once the screen shows the one before: on a loaded machine a key sent
    # while the checklist is still being drawn must not race it.
    for key in ["j"] * CHECKLIST_DOWN_TO_ROLE + ["Space"]:
        press(tui, key)
    # The header may be cut short at this width; the checklist line says as well that the role changed.
    tui.wait_for_any([f"pending {count}", "Billing Viewer           ORG_BILLING_READ_ONLY        was ["], timeout=30)
    tui.send("s")
    tui.wait_for(f"Review {count} pending", timeout=30)
    confirm_typed(tui)


def screen_finish(tui) -> tuple[int, str]:
    """After a restart: accept the draft if offered, apply what is still pending; the conflicts shown."""
    from polling import wait_until

    # The offer to restore comes with the draft, the reconciliation with the re-read at start: wait for
    # the load, then a moment for both.
    wait_until(lambda: "Restore" in tui.screen() or re.search(r"\b(\d+)/\1/\1\b", tui.screen()), timeout=90,
               message="the restarted screen")
    time.sleep(1.0)
    if "Restore" in tui.screen():
        tui.send("y")
        wait_until(lambda: "Restore" not in tui.screen(), timeout=30, message="the draft restored")
        wait_loaded(tui)
        time.sleep(1.0)
    pending = re.search(r"pending (\d+)", tui.screen())
    conflicts = 0
    summary = ""
    if pending and int(pending.group(1)) > 0:
        tui.send("s")
        wait_until(lambda: re.search(r"Review \d+ pending", tui.screen()), timeout=30, message="the review")
        conflicts += tui.screen().count("changed on the server")
        confirm_typed(tui)
        done = wait_until(lambda: re.search(r"^ ?(applied \d+.*?)\s*$", tui.screen(), re.M), timeout=180,
                          message="the apply to finish")
        summary = done.group(1)
        counted = re.search(r"conflicts (\d+)", summary)
        conflicts += int(counted.group(1)) if counted else 0
    conflicts += tui.screen().count("changed on the server")
    return conflicts, summary


def run_screen_trial(sandbox, org_id: str, user_ids: list[str], trial: int, rng: random.Random, state: Path) -> dict:
    from e2e_support import Tui

    binary = str(atlas_roles_binary())
    env = screen_env(sandbox, org_id, state)
    sandbox.clear_journal()
    sig = rng.choice(SIGNALS)
    delay = rng.uniform(0.05, 2.5)
    first = Tui(binary, env, state, width=160, height=40)
    try:
        screen_apply_all(first, len(user_ids))
        time.sleep(delay)
        killed = first.exit_file.exists() is False
        if killed:
            os.kill(first.program_pid(), sig)
        first.exit_status(timeout=60)
    finally:
        first.kill_server()
    written_before_restart = len(successful_writes(sandbox))
    second = Tui(binary, env, state, width=160, height=40)
    try:
        conflicts, summary = screen_finish(second)
        second.send("q")
    finally:
        second.kill_server()
    result = check_trial(sandbox, org_id, user_ids, trial, state, conflicts=conflicts)
    result.update(
        {
            "signal": sig.name if killed else "none (finished first)",
            "delay": round(delay, 2),
            "written_before_restart": written_before_restart,
            "summary": summary,
            "exit": 1 if re.search(r"(failed|refused) [1-9]", summary) else 0,
        }
    )
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=30)
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--latency-ms", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--screen", action="store_true", help="drive the screen in tmux instead of `set`")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory(prefix="kill-loop-") as workdir:
        # The screen changes the users its filter shows (about four in five are active non-owners).
        sandbox_users = args.users * 5 // 4 if args.screen else args.users + 20
        sandbox = start_sandbox(
            Path(workdir) / "sandbox", ["--users", str(sandbox_users), "--latency-ms", str(args.latency_ms)]
        )
        try:
            org_id = sandbox.organizations[0]["id"]
            if args.screen:
                user_ids = screen_targets(sandbox, org_id)
                print(f"the screen's filter shows {len(user_ids)} users to change", flush=True)
                trial_function = run_screen_trial
            else:
                users = [u for u in list_users(sandbox, org_id) if "ORG_OWNER" not in org_roles(u)]
                user_ids = [u["id"] for u in users[: args.users]]
                trial_function = run_trial
            results = []
            for trial in range(args.trials):
                state = Path(workdir) / f"state-{trial}"
                state.mkdir()
                result = trial_function(sandbox, org_id, user_ids, trial, rng, state)
                results.append(result)
                print(json.dumps(result), flush=True)
        finally:
            sandbox.stop()
    failed = [
        r
        for r in results
        if r["missing"] or r["conflicts"] or r["repeated"] or not r["journal_matches"] or r["open_intents"] or r["exit"]
    ]
    kills = Counter(r["signal"] for r in results)
    mid_apply = sum(1 for r in results if 0 < r["written_before_restart"] < r["writes"])
    print(
        f"trials {len(results)}; kills {dict(kills)}; killed mid-apply {mid_apply}; writes {sum(r['writes'] for r in results)}; "
        f"missing {sum(r['missing'] for r in results)}; conflicts {sum(r['conflicts'] for r in results)}; "
        f"repeated {sum(r['repeated'] for r in results)}; journal mismatches "
        f"{sum(not r['journal_matches'] for r in results)}; open intents {sum(r['open_intents'] for r in results)}; "
        f"failed trials {len(failed)}"
    )
    return 1 if failed else 0


def org_roles(user: dict) -> list[str]:
    """The organization roles of a listed user (2025-02-19 nests them under `roles`)."""
    return user.get("orgRoles") or user.get("roles", {}).get("orgRoles", [])


def list_users(sandbox, org_id: str) -> list[dict]:
    import requests

    users: list[dict] = []
    page = 1
    while True:
        response = requests.get(
            sandbox.url(f"/orgs/{org_id}/users"),
            params={"itemsPerPage": 500, "pageNum": page},
            headers={"Accept": "application/vnd.atlas.2025-02-19+json"},
            auth=sandbox.digest(),
            timeout=30,
        )
        response.raise_for_status()
        results = response.json().get("results", [])
        users += results
        if len(results) < 500:
            return users
        page += 1


if __name__ == "__main__":
    sys.exit(main())
