"""End-to-end: membership in the TUI and from scripts. `x` stages removals (a PENDING row: the
invitation's cancellation), the review lists them apart, every removal is confirmed by typing the
number of users, the last owner is refused, the journal's revert of a removal invites the user back
with the same roles, and `atlas-roles invite` reads pasted addresses from standard input. The
sandbox's journal must show exactly the calls, versions and bodies of the spec."""

import json
import re
import subprocess

from e2e_support import wait_until
from test_tui import pick_user, shown_count, wait_loaded

V2 = "application/vnd.atlas.2025-02-19+json"


def api_calls(sandbox, method):
    """Answered API calls of `method` (Digest challenges left out)."""
    return [e for e in sandbox.journal()
            if e["method"] == method and e["path"].startswith("/api/") and e["status"] != 401]


def keep_filter(tui, query, rows):
    """Filters the list with `query` (Enter keeps it; a kept filter is cleared first with Esc) and waits
    for `rows` rows."""
    tui.type("/")
    tui.send("Escape")
    tui.type("/")
    tui.type(query)
    tui.send("Enter")
    wait_until(lambda: shown_count(tui.screen()) == rows,
               message=f"{rows} row(s) for {query}:\n" + tui.screen())


def confirm_typed(tui, count):
    tui.send("y")
    tui.wait_for(f"Type {count} to apply")
    tui.type(str(count))
    tui.send("Enter")


def see_outcome(tui, text):
    """The outcome on screen, beside the review row (the terminal is wide enough for both)."""
    tui.wait_for(text)


def test_remove_one_user_and_revert_it_from_the_journal(sandbox, launch):
    org = sandbox.org(0)
    user = pick_user(sandbox, org["id"])
    roles = sorted(user["roles"]["orgRoles"])
    # Wide enough for the review row of an invitation and its outcome.
    tui = launch(width=140)
    wait_loaded(tui)
    keep_filter(tui, user["username"], 1)
    tui.send("x")
    tui.wait_for("1 removal(s) staged")
    tui.send("s")
    tui.wait_for("REMOVE " + user["username"])
    assert "no role left" not in tui.screen()
    sandbox.clear_journal()
    confirm_typed(tui, 1)
    wait_until(lambda: api_calls(sandbox, "DELETE"), message="the DELETE")
    see_outcome(tui, "applied (DELETE)")
    deletes = api_calls(sandbox, "DELETE")
    assert [(d["path"], d["headers"]["accept"], d["body"], d["status"]) for d in deletes] == [
        (f"/api/atlas/v2/orgs/{org['id']}/users/{user['id']}", V2, None, 204)]
    assert all(u["id"] != user["id"] for u in sandbox.users(org["id"]))

    # The journal's revert stages an invitation with the same roles.
    tui.send("Escape")
    tui.wait_for("EMAIL")
    tui.send("J")
    tui.wait_for("Journal: earlier apply runs")
    tui.send("Enter")
    tui.wait_for("Run of ")
    tui.send("Enter")
    tui.wait_for("INVITE " + user["username"])
    sandbox.clear_journal()
    tui.send("y")
    wait_until(lambda: api_calls(sandbox, "POST"), message="the POST")
    see_outcome(tui, "applied (POST)")
    posts = api_calls(sandbox, "POST")
    assert len(posts) == 1, posts
    assert posts[0]["path"] == f"/api/atlas/v2/orgs/{org['id']}/users"
    assert posts[0]["headers"]["accept"] == V2 and posts[0]["headers"]["content-type"] == V2
    body = {"roles": {"orgRoles": roles}, "username": user["username"]}
    if user["teamIds"]:
        body["teamIds"] = sorted(user["teamIds"])
    assert json.loads(posts[0]["body"]) == body
    # The exact bytes: keys sorted, roles in the checklist's order, as the client always sends them.
    assert posts[0]["body"].startswith('{"roles":{"orgRoles":[')
    assert posts[0]["status"] == 201
    back = next(u for u in sandbox.users(org["id"]) if u["username"] == user["username"])
    assert back["orgMembershipStatus"] == "PENDING" and sorted(back["roles"]["orgRoles"]) == roles


def test_five_marked_users_are_removed_and_the_last_owner_is_refused(sandbox, launch):
    org = sandbox.org(0)
    members = [u for u in sandbox.users(org["id"])
               if u["orgMembershipStatus"] == "ACTIVE" and "ORG_OWNER" not in u["roles"]["orgRoles"]]
    assert len(members) >= 5
    tui = launch(width=140)
    wait_loaded(tui)
    keep_filter(tui, "status:active -role:owner", len(members))
    tui.send("g")
    for _ in range(5):
        tui.send(" ")
    tui.wait_for("marked 5")
    tui.send("x")
    tui.wait_for("5 removal(s) staged")
    tui.send("s")
    tui.wait_for("remove from the organization: 5 user(s)")
    sandbox.clear_journal()
    confirm_typed(tui, 5)
    wait_until(lambda: len(api_calls(sandbox, "DELETE")) == 5, message="5 DELETEs:\n" + tui.screen())
    assert all(d["status"] == 204 and d["headers"]["accept"] == V2 for d in api_calls(sandbox, "DELETE"))
    remaining = {u["id"] for u in sandbox.users(org["id"])}
    removed = {d["path"].rsplit("/", 1)[1] for d in api_calls(sandbox, "DELETE")}
    assert len(removed) == 5 and not removed & remaining and removed <= {u["id"] for u in members}

    # Every ACTIVE owner marked: the rule refuses, nothing is sent.
    owners = [u for u in sandbox.users(org["id"])
              if u["orgMembershipStatus"] == "ACTIVE" and "ORG_OWNER" in u["roles"]["orgRoles"]]
    tui.send("Escape")
    tui.wait_for("EMAIL")
    tui.send("U")
    keep_filter(tui, "status:active role:owner", len(owners))
    tui.send("a")
    tui.wait_for(f"marked {len(owners)}")
    tui.send("x")
    tui.send("s")
    tui.wait_for("REMOVE ")
    sandbox.clear_journal()
    confirm_typed(tui, len(owners))
    tui.wait_for("no Organization Owner left")
    assert api_calls(sandbox, "DELETE") == []


def test_x_on_a_pending_row_cancels_the_invitation(sandbox, launch):
    org = sandbox.org(0)
    invitee = pick_user(sandbox, org["id"], status="PENDING", needs_member=False)
    tui = launch(width=140)
    wait_loaded(tui)
    keep_filter(tui, invitee["username"], 1)
    tui.send("x")
    tui.wait_for("1 cancelled invitation(s)")
    tui.send("s")
    tui.wait_for("CANCEL INVITATION " + invitee["username"])
    sandbox.clear_journal()
    confirm_typed(tui, 1)
    wait_until(lambda: api_calls(sandbox, "DELETE"), message="the DELETE")
    see_outcome(tui, "applied (DELETE)")
    assert [d["path"] for d in api_calls(sandbox, "DELETE")] == [
        f"/api/atlas/v2/orgs/{org['id']}/users/{invitee['id']}"]
    assert all(u["id"] != invitee["id"] for u in sandbox.users(org["id"]))


def test_invite_form_takes_three_pasted_addresses_two_roles_and_a_team(sandbox, launch):
    org = sandbox.org(0)
    team = sorted(_teams(sandbox, org["id"]), key=lambda t: (t["name"], t["id"]))[0]
    member = pick_user(sandbox, org["id"])
    tui = launch(width=140, height=40)
    wait_loaded(tui)
    tui.send("i")
    tui.wait_for("Addresses, one per line")
    # A real paste (tmux turns its line feeds into carriage returns, as a terminal's paste does),
    # with a bad address and a member among them: both refused inline, nothing staged.
    tui.tmux("set-buffer", "ana.form@example.com\nnot an address\n" + member["username"] + "\n")
    tui.tmux("paste-buffer", "-t", "0")
    tui.send("Tab")
    tui.send("Enter")
    tui.wait_for("✗ not an email address")
    tui.wait_for("✗ already a member of the organization")
    assert "pending" not in tui.lines()[0]
    tui.send("Escape")
    tui.wait_for("nothing invited")

    addresses = ["ana.form@example.com", "bo.form@example.com", "cy.form@example.com"]
    tui.send("i")
    tui.wait_for("Addresses, one per line")
    tui.tmux("set-buffer", "\n".join(addresses) + "\n")
    tui.tmux("paste-buffer", "-t", "0")
    tui.wait_for("cy.form@example.com")
    tui.send("Tab")                       # the roles: Member is checked already; Read Only is the last
    tui.send("Up")
    for _ in range(6):
        tui.send("Down")
    tui.send(" ")
    tui.wait_for("› [x] Organization Read Only")
    tui.send("Tab")                       # the teams: the first, by name
    tui.send(" ")
    tui.wait_for("› [x] " + team["name"])
    tui.send("Enter")
    tui.wait_for("3 invitation(s) staged")
    # PENDING rows before anything is sent.
    keep_filter(tui, "form@example.com", 3)
    assert api_calls(sandbox, "POST") == []
    tui.send("s")
    tui.wait_for("INVITE cy.form@example.com")
    sandbox.clear_journal()
    tui.send("y")
    wait_until(lambda: len(api_calls(sandbox, "POST")) == 3, message="3 POSTs:\n" + tui.screen())
    posts = api_calls(sandbox, "POST")
    assert sorted(p["body"] for p in posts) == [
        '{"roles":{"orgRoles":["ORG_MEMBER","ORG_READ_ONLY"]},"teamIds":["%s"],"username":"%s"}' % (team["id"], a)
        for a in addresses]
    assert all(p["status"] == 201 and p["headers"]["accept"] == V2 and p["headers"]["content-type"] == V2
               for p in posts)
    see_outcome(tui, "applied (POST)")


def test_invite_reads_pasted_addresses_with_two_roles_and_a_team(sandbox, binary, tmp_path):
    org = sandbox.org(0)
    key = sandbox.api_key
    teams = _teams(sandbox, org["id"])
    team = teams[0]
    env = {
        "MONGODB_ATLAS_OPS_MANAGER_URL": sandbox.base_url + "/",
        "MONGODB_ATLAS_ORG_ID": org["id"],
        "MONGODB_ATLAS_PUBLIC_API_KEY": key["publicKey"],
        "MONGODB_ATLAS_PRIVATE_API_KEY": key["privateKey"],
        "XDG_STATE_HOME": str(tmp_path / "state"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "HOME": str(tmp_path),
        "SSL_CERT_FILE": sandbox.info["caCertificate"],
    }
    addresses = ["ana.new@example.com", "bo.new@example.com", "cy.new@example.com"]
    sandbox.clear_journal()
    result = subprocess.run(
        [binary, "invite", "-", "--role", "member", "--role", "read-only", "--team", team["name"], "--yes"],
        input="\n".join(addresses) + "\n", capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "applied 3 of 3" in result.stdout
    posts = api_calls(sandbox, "POST")
    assert sorted(p["body"] for p in posts) == [
        '{"roles":{"orgRoles":["ORG_MEMBER","ORG_READ_ONLY"]},"teamIds":["%s"],"username":"%s"}' % (team["id"], a)
        for a in addresses]
    assert all(p["status"] == 201 and p["headers"]["accept"] == V2 for p in posts)
    pending = {u["username"]: u for u in sandbox.users(org["id"]) if u["orgMembershipStatus"] == "PENDING"}
    for address in addresses:
        assert pending[address]["teamIds"] == [team["id"]]
    # The same addresses again: already invited, refused before anything is sent (exit 2).
    sandbox.clear_journal()
    again = subprocess.run(
        [binary, "invite", *addresses, "--role", "member", "--yes"], capture_output=True, text=True, env=env,
        timeout=60)
    assert again.returncode == 2 and "already invited" in again.stderr
    assert api_calls(sandbox, "POST") == []


def _teams(sandbox, org_id):
    import requests
    from requests.auth import HTTPDigestAuth

    key = sandbox.api_key
    response = requests.get(
        f"{sandbox.base_url}/api/atlas/v2/orgs/{org_id}/teams",
        headers={"Accept": "application/vnd.atlas.2023-01-01+json"},
        auth=HTTPDigestAuth(key["publicKey"], key["privateKey"]), timeout=10)
    response.raise_for_status()
    return response.json()["results"]
