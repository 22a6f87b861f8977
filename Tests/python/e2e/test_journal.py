"""End-to-end: the journal pane (`J`) names runs by time and size, opens one to show each user's before →
after and outcome, and turns it back into pending edits, reviewed and applied like any other, and the
sandbox ends up holding the user's original roles."""

import json
import re


from e2e_support import wait_until
from test_tui import expected_roles_after_toggle, open_user, pick_user, toggle_read_only, wait_loaded


def journal_rows(tui):
    """The journal pane's run rows: (is_cursor, applied count, users) per line, newest first."""
    rows = []
    for line in tui.lines()[2:-1]:
        match = re.match(
            r"^(›| ) \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC  \d+ users?: (\d+) applied(?:, \d+ [a-z ]+?)*  (.+?)"
            r"(?:  revert of .*)?$", line)
        if match:
            rows.append((match.group(1) == "›", int(match.group(2)), match.group(3).strip()))
    return rows


def open_journal(tui, runs=1):
    """From the review after an apply: back to the list, `J`, and waits for `runs` rows."""
    tui.send("Escape")
    tui.wait_for("EMAIL")
    tui.send("J")
    tui.wait_for("Journal: earlier apply runs")
    return wait_until(lambda: len(journal_rows(tui)) == runs and journal_rows(tui),
                      message=f"{runs} run(s) in the journal:\n" + tui.screen())


def successful_writes(sandbox):
    return [w for w in sandbox.writes() if 200 <= w["status"] < 300]


def apply_one_change(sandbox, tui, org, user):
    """Toggles Read Only for `user` through the TUI and applies it; returns the roles it wrote."""
    changed = expected_roles_after_toggle(user["roles"]["orgRoles"])
    open_user(tui, user["username"])
    toggle_read_only(tui)
    tui.send("s")
    tui.wait_for("Review")
    sandbox.clear_journal()
    tui.send("y")
    tui.wait_for("applied (PUT)")
    assert set(sandbox.roles(org["id"], user["id"])) == changed
    assert len(successful_writes(sandbox)) == 1
    return changed


def test_journal_lists_the_run_and_reverting_it_restores_the_original_roles(sandbox, launch):
    org = sandbox.org(0)
    user = pick_user(sandbox, org["id"])
    original = set(user["roles"]["orgRoles"])
    tui = launch()
    wait_loaded(tui)
    apply_one_change(sandbox, tui, org, user)

    # The journal lists that run, under the cursor, with its count and its user.
    assert open_journal(tui) == [(True, 1, user["username"])], tui.screen()

    # Enter opens the run: the user's before → after and outcome, before anything is staged.
    tui.send("Enter")
    tui.wait_for("Run of ")
    run = tui.lines()[next(i for i, line in enumerate(tui.lines()) if "Run of " in line):]
    row = next(line for line in run if user["username"] in line)
    assert "→" in row and row.rstrip().endswith("applied"), tui.screen()
    assert "Read Only" in row, tui.screen()

    # Enter again turns it into a pending edit that goes back to the original roles, in the review.
    sandbox.clear_journal()
    tui.send("Enter")
    tui.wait_for("Review 1 pending edit(s)")
    tui.wait_for("revert of ")
    undo = ("+" if "ORG_READ_ONLY" in original else "-") + "Read Only"
    pending = next(line for line in tui.lines() if line.startswith("› ") and user["username"] in line)
    assert undo in pending, tui.screen()
    assert successful_writes(sandbox) == [], "a revert is only a pending edit until it is applied"

    # Applying it writes the original roles back, once.
    tui.send("y")
    tui.wait_for("Review 0 pending edit(s)")
    wait_until(lambda: set(sandbox.roles(org["id"], user["id"])) == original,
               message="the sandbox to hold the original roles again")
    writes = successful_writes(sandbox)
    assert len(writes) == 1, writes
    assert writes[0]["method"] == "PUT"
    assert writes[0]["path"] == f"/api/atlas/v2/orgs/{org['id']}/users/{user['id']}/roles"
    assert set(json.loads(writes[0]["body"])["orgRoles"]) == original

    # The revert is a run of its own, listed first.
    assert open_journal(tui, runs=2) == [(True, 1, user["username"]), (False, 1, user["username"])]
    revert_row = next(line for line in tui.lines() if line.startswith("› "))
    assert "revert of the run of " in revert_row, tui.screen()


def test_a_pending_revert_is_not_labelled_as_already_applied(sandbox, launch):
    org = sandbox.org(0)
    user = pick_user(sandbox, org["id"])
    tui = launch()
    wait_loaded(tui)
    apply_one_change(sandbox, tui, org, user)
    open_journal(tui)
    tui.send("Enter")
    tui.wait_for("Run of ")
    tui.send("Enter")
    tui.wait_for("Review 1 pending edit(s)")
    pending = next(line for line in tui.lines() if line.startswith("› ") and user["username"] in line)
    assert "applied" not in pending, tui.screen()
