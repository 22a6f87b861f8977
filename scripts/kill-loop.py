#!/usr/bin/env python3
"""Kills `atlas-roles set` at random points of a 200-user apply and checks that nothing is lost.

Against `atlas-roles sandbox` with latency, each trial adds (or, every other trial, removes) one role
for 200 users, kills the apply with SIGKILL, SIGHUP or SIGTERM after a random delay, runs the same
command again to completion, and checks:

- the server ends with every edit;
- the second run reports no conflict (the program's own writes are not someone else's change);
- no write was sent twice (a write in flight at the kill may be, and is counted apart);
- the program's journal lists exactly the writes the server received (the sandbox's journal), and
  every intent has an outcome.

    python3 scripts/kill-loop.py --trials 30        # prints one line a trial, then the counts

Not part of `make test`; `Tests/python/e2e/test_kill_loop.py` runs a few trials.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "Tests" / "python"))

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

    wanted_has_role = trial % 2 == 0
    missing = [
        uid for uid in user_ids if (ROLE in sandbox.server_roles(org_id, uid)) != wanted_has_role
    ]
    conflicts = second.stdout.count("conflict")
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
        "signal": sig.name if killed else "none (finished first)",
        "delay": round(delay, 2),
        "writes": len(writes),
        "written_before_restart": written_before_restart,
        "missing": len(missing),
        "conflicts": conflicts,
        "repeated": len(repeated),
        "journal_matches": journal_matches,
        "open_intents": len(open_intents),
        "exit": second.returncode,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=30)
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--latency-ms", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory(prefix="kill-loop-") as workdir:
        sandbox = start_sandbox(
            Path(workdir) / "sandbox", ["--users", str(args.users + 20), "--latency-ms", str(args.latency_ms)]
        )
        try:
            org_id = sandbox.organizations[0]["id"]
            users = [u for u in list_users(sandbox, org_id) if "ORG_OWNER" not in org_roles(u)]
            user_ids = [u["id"] for u in users[: args.users]]
            results = []
            for trial in range(args.trials):
                state = Path(workdir) / f"state-{trial}"
                state.mkdir()
                result = run_trial(sandbox, org_id, user_ids, trial, rng, state)
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
