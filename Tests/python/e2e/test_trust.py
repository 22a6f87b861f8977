"""End-to-end: edits one can trust. Marks the filter hides do not take over Enter; `b` replays the
admin's own change on another admin's; a refusal every write shares stops the run with one message;
a large apply asks for its number of users to be typed."""

import re

from e2e_support import wait_until
from test_journal import successful_writes
from test_tui import loaded_count, open_user, pick_user, toggle_read_only, wait_loaded


def header(tui):
    return tui.lines()[0]


def user_count(tui):
    return loaded_count(tui.screen())


def test_enter_with_marks_the_filter_hides_is_refused_and_U_clears_them(sandbox, launch):
    org = sandbox.org(0)
    users = sorted(sandbox.users(org["id"]), key=lambda u: u["username"])
    tui = launch()
    wait_loaded(tui)
    # Space marks the user under the cursor and moves down: twice marks the first two rows.
    tui.send(" ")
    tui.send(" ")
    tui.wait_for("marked 2")
    # A filter that shows a third user hides both marks; the header says so.
    third = users[5]["username"]
    tui.type("/")
    tui.type(third)
    tui.send("Enter")
    tui.wait_for("marked 2 (2 hidden)")
    tui.send("Enter")
    tui.wait_for("not editing: 2 of 2 marked users are hidden by the filter")
    assert users[0]["username"] in tui.screen() or "hidden by the filter (" in tui.screen()
    assert "Roles for" not in tui.screen(), "the checklist must not open over hidden users"
    # U clears every mark; Enter then edits the user under the cursor.
    tui.send("U")
    wait_until(lambda: "marked" not in header(tui), message="the marks to clear:\n" + tui.screen())
    tui.send("Enter")
    tui.wait_for("Roles for " + third)


def test_rebase_replays_the_edit_on_the_other_admins_roles(sandbox, launch):
    org = sandbox.org(0)
    user = pick_user(sandbox, org["id"], not_only={"ORG_MEMBER", "ORG_GROUP_CREATOR"})
    loaded = set(user["roles"]["orgRoles"])
    tui = launch()
    wait_loaded(tui)
    open_user(tui, user["username"])
    toggle_read_only(tui)
    wanted_change = "-Read Only" if "ORG_READ_ONLY" in loaded else "+Read Only"
    tui.send("s")
    tui.wait_for("Review")
    # Another admin adds Group Creator while the edit is pending.
    other = loaded | {"ORG_GROUP_CREATOR"}
    sandbox.set_roles(org["id"], user["id"], other)
    sandbox.clear_journal()
    tui.send("y")
    tui.wait_for("conflict")
    assert successful_writes(sandbox) == []
    tui.send("b")
    tui.wait_for("re-based 1 edit(s)")
    # The review shows the merged edit before anything is sent: only the admin's own change.
    row = next(line for line in tui.lines() if user["username"] in line)
    assert wanted_change in row and "Project Creator" not in row, tui.screen()
    assert successful_writes(sandbox) == []
    tui.send("y")
    tui.wait_for("applied (PUT)")
    expected = other ^ {"ORG_READ_ONLY"}
    wait_until(lambda: set(sandbox.roles(org["id"], user["id"])) == expected,
               message=f"the server to hold {expected}")
    assert "ORG_GROUP_CREATOR" in sandbox.roles(org["id"], user["id"])


def test_a_refusal_every_write_shares_stops_the_run_with_one_message(sandbox, launch):
    tui = launch(key=sandbox.member_only_key, args=["--confirm-above", "1000"])
    wait_loaded(tui)
    total = user_count(tui)
    tui.send("a")
    tui.wait_for(f"marked {total}")
    tui.send("Enter")
    tui.wait_for("Roles for")
    toggle_read_only(tui)
    tui.send("s")
    tui.wait_for("Review")
    sandbox.clear_journal()
    tui.send("y")
    tui.wait_for("stopped: ")
    screen = tui.screen()
    # Said once, grouped, with the hint; the rest were not sent.
    # Atlas answers a key without Organization Owner with 401 USER_UNAUTHORIZED (not 403).
    grouped = re.search(r"✗ (\d+) users: 401 USER_UNAUTHORIZED", screen)
    assert grouped, screen
    assert "Organization Owner" in screen, screen
    assert screen.count("errorCode:") == 1, screen
    assert "not sent" in screen, screen
    assert "R retry" not in tui.lines()[-1], "a retry cannot help a refusal every write shares"
    # The refusals are the 401s to accepted credentials (a Digest challenge is a 401 too, unauthenticated):
    # exactly the writes the screen counts as refused, and fewer than the users edited.
    refusals = [w for w in sandbox.writes() if w["status"] == 401 and w["authenticated"]]
    assert len(refusals) == int(grouped.group(1)), f"{len(refusals)} refusals, the screen says {grouped.group(1)}"
    assert len({w["path"] for w in refusals}) == len(refusals), "no user's write was sent twice"
    assert 0 < len(refusals) < total, f"{len(refusals)} refused writes of {total}"


def test_a_large_apply_asks_for_the_number_of_users_to_be_typed(sandbox, launch):
    org = sandbox.org(0)
    tui = launch()
    wait_loaded(tui)
    total = user_count(tui)
    assert total > 25
    tui.send("a")
    tui.send("Enter")
    tui.wait_for("Roles for")
    toggle_read_only(tui)
    tui.send("s")
    tui.wait_for("Review")
    pending = int(re.search(r"pending (\d+)", header(tui)).group(1))
    assert pending > 25
    tui.wait_for(f"{pending} user(s): ")
    tui.wait_for("owners: ")
    total = pending
    sandbox.clear_journal()
    tui.send("y")
    tui.wait_for(f"Type {total} to apply")
    # A wrong number applies nothing.
    tui.type("1")
    tui.send("Enter")
    tui.wait_for("not applied: 1 typed")
    assert successful_writes(sandbox) == []
    tui.send("y")
    tui.wait_for(f"Type {total} to apply")
    tui.type(str(total))
    tui.send("Enter")
    wait_until(lambda: len(successful_writes(sandbox)) == total,
               message=f"{total} writes:\n" + tui.screen())
    assert org["id"]
