"""End-to-end: the built atlas-roles binary in tmux against AtlasSandbox on loopback.

Keys are exactly DESIGN.md's key table. Every wait polls the screen (or a file, or the sandbox) with
a deadline.
"""

import json
import os
import re
import signal

import pytest

from e2e_support import wait_until

PUT_MEDIA = "application/vnd.atlas.2023-01-01+json"
PATCH_MEDIA = "application/vnd.atlas.2025-02-19+json"


def pick_user(sandbox, org_id, status="ACTIVE", without_owner=True, needs_member=True, not_only=None):
    """A user of `status` fit for the test: no ORG_OWNER (when `without_owner`), ORG_MEMBER among the roles
    (when `needs_member`), roles other than exactly `not_only` (a set).

    A user who fits is taken as the sandbox generated them; when none does, the first user of `status`
    who is not an owner is given the roles the test needs through the admin endpoint, so the test never
    depends on what a seed happened to generate. Only an organization with no such user at all fails.
    """
    candidates = [u for u in sandbox.users(org_id) if u["orgMembershipStatus"] == status]

    def fits(user):
        roles = set(user["roles"]["orgRoles"])
        return ((not without_owner or "ORG_OWNER" not in roles) and (not needs_member or "ORG_MEMBER" in roles)
                and roles != not_only)

    fitting = next((u for u in candidates if fits(u)), None)
    if fitting is not None:
        return fitting
    arranged = next((u for u in candidates if not without_owner or "ORG_OWNER" not in u["roles"]["orgRoles"]), None)
    assert arranged is not None, f"the sandbox organization has no {status} user to arrange"
    roles = set(arranged["roles"]["orgRoles"]) | {"ORG_MEMBER"}
    arranged["roles"]["orgRoles"] = sandbox.set_roles(org_id, arranged["id"], roles)
    assert fits(arranged), arranged
    return arranged


# The header's counts in words: "300 users", "12 shown · 300 users", "loading 4,000 of 10,000".
USERS_COUNT = re.compile(r"(?<![\d,])(\d[\d,]*) users?\b")


def loaded_count(screen):
    """The number of users the header says are loaded, once every page is in; None while loading."""
    match = USERS_COUNT.search(screen.split("\n")[0])
    if match is None or "loading" in screen:
        return None
    return int(match.group(1).replace(",", ""))


SHOWN_COUNT = re.compile(r"(?<![\d,])(\d[\d,]*) shown\b")


def shown_count(screen):
    """The number of users the list shows: "N shown" while a filter hides some, else every loaded user."""
    match = SHOWN_COUNT.search(screen.split("\n")[0])
    if match is not None:
        return int(match.group(1).replace(",", ""))
    return loaded_count(screen)


def wait_loaded(tui):
    """The header says how many users there are, with every page loaded."""
    wait_until(lambda: loaded_count(tui.screen()) is not None, message="the users to load:\n" + tui.screen())


def open_user(tui, email):
    """Filters the list down to one user and opens the checklist."""
    tui.type("/")
    tui.type(email)
    tui.wait_for("/" + email)
    tui.send("Enter")
    wait_until(lambda: "1 shown · " in tui.lines()[0], message="the filter to keep one user")
    tui.send("Enter")
    tui.wait_for("Roles for " + email)


def toggle_read_only(tui):
    """Read Only is the last of the seven roles: G goes there, Space toggles it."""
    tui.send("G")
    tui.wait_for("› [")
    wait_until(lambda: any(line.startswith("› ") and "Read Only" in line for line in tui.lines()),
               message="the cursor on Read Only")
    tui.send(" ")
    tui.wait_for("was [")


def expected_roles_after_toggle(roles):
    roles = set(roles)
    roles ^= {"ORG_READ_ONLY"}
    return roles


def test_navigate_filter_toggle_review_apply_sends_exactly_the_put(sandbox, launch):
    org = sandbox.org(0)
    user = pick_user(sandbox, org["id"])
    tui = launch()
    wait_loaded(tui)
    # Navigation keys move the cursor mark.
    first = next(i for i, line in enumerate(tui.lines()) if line.startswith("›"))
    tui.send("j")
    wait_until(lambda: tui.lines()[first + 1].startswith("›"), message="j to move the cursor down")
    tui.send("k")
    wait_until(lambda: tui.lines()[first].startswith("›"), message="k to move the cursor up")

    open_user(tui, user["username"])
    toggle_read_only(tui)
    tui.send("s")
    tui.wait_for("Review")
    sign = "-" if "ORG_READ_ONLY" in user["roles"]["orgRoles"] else "+"
    # The review names roles as the console does.
    tui.wait_for(sign + "Read Only")
    tui.wait_for(f"PUT /orgs/{org['id']}/users/{user['id']}/roles (2023-01-01)")
    sandbox.clear_journal()
    tui.send("y")
    tui.wait_for("applied (PUT)")

    writes = sandbox.writes()
    succeeded = [w for w in writes if 200 <= w["status"] < 300]
    assert len(succeeded) == 1, writes
    put = succeeded[0]
    assert put["method"] == "PUT"
    assert put["path"] == f"/api/atlas/v2/orgs/{org['id']}/users/{user['id']}/roles"
    assert put["headers"]["accept"].startswith(PUT_MEDIA)
    assert put["headers"]["content-type"].startswith(PUT_MEDIA)
    wanted = expected_roles_after_toggle(user["roles"]["orgRoles"])
    assert set(json.loads(put["body"])["orgRoles"]) == wanted
    # Digest challenges (401) may precede it, but never a different write.
    assert all(w["path"] == put["path"] and json.loads(w["body"]) == json.loads(put["body"]) for w in writes)
    assert set(sandbox.roles(org["id"], user["id"])) == wanted


def test_refused_write_shows_error_code_and_detail_next_to_the_user(sandbox, launch):
    org = sandbox.org(0)
    user = pick_user(sandbox, org["id"])
    tui = launch(key=sandbox.member_only_key)
    wait_loaded(tui)
    open_user(tui, user["username"])
    toggle_read_only(tui)
    tui.send("s")
    tui.wait_for("Review")
    tui.send("y")
    tui.wait_for("refused 4")
    lines = tui.lines()
    row = next(i for i, line in enumerate(lines) if user["username"] in line and "refused" in line)
    below = "\n".join(lines[row + 1:row + 8])
    assert "status: 4" in below
    assert re.search(r"errorCode: [A-Z_]+", below), below
    assert "detail: " in below, below
    # Nothing was changed on the server.
    assert set(sandbox.roles(org["id"], user["id"])) == set(user["roles"]["orgRoles"])


def test_pending_user_goes_through_the_patch(sandbox, launch):
    org = sandbox.org(0)
    # Toggling Read Only must not leave the invitation with no role.
    user = pick_user(sandbox, org["id"], status="PENDING", needs_member=False, not_only={"ORG_READ_ONLY"})
    roles = set(user["roles"]["orgRoles"])
    tui = launch()
    wait_loaded(tui)
    open_user(tui, user["username"])
    toggle_read_only(tui)
    tui.send("s")
    tui.wait_for(f"PATCH /orgs/{org['id']}/users/{user['id']} (2025-02-19)")
    sandbox.clear_journal()
    tui.send("y")
    tui.wait_for("applied (PATCH)")
    succeeded = [w for w in sandbox.writes() if 200 <= w["status"] < 300]
    assert len(succeeded) == 1
    patch = succeeded[0]
    assert patch["method"] == "PATCH"
    assert patch["path"] == f"/api/atlas/v2/orgs/{org['id']}/users/{user['id']}"
    assert patch["headers"]["accept"].startswith(PATCH_MEDIA)
    assert patch["headers"]["content-type"].startswith(PATCH_MEDIA)
    assert set(json.loads(patch["body"])["roles"]["orgRoles"]) == expected_roles_after_toggle(roles)


def test_resize_mid_session_relays_out_and_says_when_too_small(sandbox, launch):
    tui = launch(width=100, height=30)
    wait_loaded(tui)
    assert "NAME/STATUS" in tui.screen()
    tui.resize(50, 20)
    wait_until(lambda: "NAME" not in tui.screen() and "EMAIL" in tui.screen(), message="the 50-column layout")
    tui.resize(150, 40)
    tui.wait_for("LAST APPLY")
    tui.resize(30, 8)
    tui.wait_for("Terminal too small")
    tui.wait_for("need 40×10, have 30×8")
    tui.resize(100, 30)
    tui.wait_for("EMAIL")
    tui.wait_gone("Terminal too small")


def test_no_color_draws_without_colors_but_keeps_the_selection_visible(sandbox, launch):
    tui = launch(extra_env={"NO_COLOR": "1"})
    wait_loaded(tui)
    screen = tui.screen(escapes=True)
    assert not re.search(r"\x1b\[[0-9;]*(3[0-7]|38;5;\d+|9[0-7])m", screen), repr(screen[:400])
    assert re.search(r"\x1b\[[0-9;]*7m", screen), "the cursor row must be in reverse video"


def test_colors_are_used_when_allowed(sandbox, launch):
    tui = launch()
    wait_loaded(tui)
    assert re.search(r"\x1b\[[0-9;]*(38;5;\d+|3[0-7])m", tui.screen(escapes=True))


def test_quit_with_pending_edits_asks_and_the_terminal_is_sane_after(sandbox, launch):
    user = pick_user(sandbox, sandbox.org(0)["id"])
    tui = launch()
    wait_loaded(tui)
    open_user(tui, user["username"])
    toggle_read_only(tui)
    tui.send("Escape")
    tui.wait_for("pending 1")
    tui.send("q")
    tui.wait_for("Quit with 1 pending edit?")
    tui.send("n")
    tui.wait_gone("Quit with 1 pending edit?")
    tui.send("q")
    tui.wait_for("Quit with 1 pending edit?")
    tui.send("y")
    assert tui.exit_status() == 0
    assert tui.stty_before.read_text() == tui.stty_after.read_text()
    tui.wait_for("EXITED 0")


def test_ctrl_c_quits_at_once_without_edits(sandbox, launch):
    tui = launch()
    wait_loaded(tui)
    tui.send("C-c")
    assert tui.exit_status() == 0
    assert tui.stty_before.read_text() == tui.stty_after.read_text()


def test_stray_escape_sequence_bytes_never_reach_the_filter(sandbox, launch):
    tui = launch()
    wait_loaded(tui)
    tui.type("/")
    tui.wait_for("/")
    # Bracketed-paste start, a focus-in report and a modified F5: none is text.
    tui.send_hex("1b", "5b", "32", "30", "30", "7e")
    tui.send_hex("1b", "5b", "49")
    tui.send_hex("1b", "5b", "31", "35", "3b", "32", "7e")
    tui.type("ab")
    wait_until(lambda: tui.lines()[-2].startswith("/ab") or any(l.startswith("/ab") for l in tui.lines()),
               message="the filter to read exactly /ab")
    status = next(l for l in tui.lines() if l.startswith("/"))
    assert status.rstrip() == "/ab"


@pytest.mark.parametrize("signal_number", [signal.SIGHUP, signal.SIGTERM])
def test_hangup_or_term_keeps_the_draft_and_the_next_start_offers_it(sandbox, launch, state_dir, signal_number):
    user = pick_user(sandbox, sandbox.org(0)["id"])
    tui = launch()
    wait_loaded(tui)
    open_user(tui, user["username"])
    toggle_read_only(tui)
    os.kill(tui.program_pid(), signal_number)
    assert tui.exit_status() == 128 + signal_number
    assert tui.stty_before.read_text() == tui.stty_after.read_text()
    drafts = list(state_dir.rglob("draft-*.json"))
    assert drafts, list(state_dir.rglob("*"))
    assert user["id"] in drafts[0].read_text()

    again = launch()
    again.wait_for("Restore 1 pending edit")
    again.send("y")
    again.wait_for("pending 1")
