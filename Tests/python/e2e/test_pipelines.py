"""End-to-end: `list` and `set` as processes in a shell pipeline, against the sandbox over HTTPS.

`list -o csv … | set … -` changes exactly the listed users; `set -` refuses to run without `--yes`
and says why; `list` without an organization takes the only one or names them all; `--demo` serves
`list` and `set` with no account.
"""

import csv
import io
import subprocess

from e2e_support import cli_environment



def test_list_csv_piped_into_set_changes_exactly_the_listed_users(binary, sandbox, tmp_path):
    org = sandbox.org(0)["id"]
    before = {u["id"]: u for u in sandbox.users(org)}
    listed = [
        u for u in before.values()
        if u["orgMembershipStatus"] == "ACTIVE" and "ORG_OWNER" not in u["roles"]["orgRoles"]
        and "ORG_BILLING_READ_ONLY" not in u["roles"]["orgRoles"]
    ]
    assert len(listed) > 2
    pipeline = subprocess.run(
        ["sh", "-c", '"$0" list -o csv --search="-role:owner -role:billing-viewer status:active" '
                     '| "$0" set --add billing-viewer --yes -', binary],
        env=cli_environment(sandbox, tmp_path), capture_output=True, text=True, timeout=120,
    )
    assert pipeline.returncode == 0, pipeline.stderr
    assert f"applied {len(listed)} of {len(listed)}" in pipeline.stdout
    for user in sandbox.users(org):
        roles = set(before[user["id"]]["roles"]["orgRoles"])
        if user["id"] in {u["id"] for u in listed}:
            roles.add("ORG_BILLING_READ_ONLY")
        assert set(user["roles"]["orgRoles"]) == roles, user["username"]


def test_set_from_standard_input_needs_yes_and_says_why(binary, sandbox, tmp_path):
    org = sandbox.org(0)["id"]
    user = next(u for u in sandbox.users(org) if u["orgMembershipStatus"] == "ACTIVE")
    result = subprocess.run(
        [binary, "set", "--add", "billing-admin", "-"], input=user["username"] + "\n",
        env=cli_environment(sandbox, tmp_path), capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 2
    assert "standard input" in result.stderr and "--yes" in result.stderr
    assert not [w for w in sandbox.writes() if w["status"] != 401]


def test_list_names_the_organizations_when_the_key_sees_several(binary, sandbox, tmp_path):
    result = subprocess.run(
        [binary, "list"], env=cli_environment(sandbox, tmp_path, org=False), capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 2
    assert result.stdout == ""
    for org in sandbox.info["organizations"]:
        assert f"{org['id']}  {org['name']}" in result.stderr


def test_demo_serves_list_and_set_without_an_account(binary, tmp_path):
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "XDG_STATE_HOME": str(tmp_path / "state"),
           "XDG_CONFIG_HOME": str(tmp_path / "config"), "LANG": "C.UTF-8"}
    listed = subprocess.run(
        [binary, "list", "--demo", "--demo-users", "25", "-o", "csv"], env=env, capture_output=True, text=True,
        timeout=60,
    )
    assert listed.returncode == 0, listed.stderr
    rows = list(csv.DictReader(io.StringIO(listed.stdout)))
    assert len(rows) == 25
    member = next(r for r in rows if r["status"] == "ACTIVE" and "ORG_BILLING_ADMIN" not in r["org_roles"])
    changed = subprocess.run(
        [binary, "set", "--demo", "--demo-users", "25", "--add", "billing-admin", "--yes", "-"],
        input=f"username\n{member['username']}\n", env=env, capture_output=True, text=True, timeout=60,
    )
    assert changed.returncode == 0, changed.stderr
    assert "applied 1 of 1" in changed.stdout
    assert list((tmp_path / "state" / "atlas-roles" / "demo").glob("journal-*.jsonl"))
