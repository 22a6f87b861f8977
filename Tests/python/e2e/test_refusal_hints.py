"""End-to-end: the refusals a person meets first show the server's envelope and a hint on what to do,
on the screen and from the scripting commands, and `r` recovers once the cause is gone."""

import os
import subprocess

import requests


def set_faults(sandbox, **faults):
    requests.put(f"{sandbox.base_url}/__sandbox/faults", json=faults, timeout=10).raise_for_status()


def test_key_outside_the_access_list_is_explained_on_screen_and_r_recovers(sandbox, launch):
    set_faults(sandbox, notOnAccessList=True)
    tui = launch(width=80, height=24)
    tui.wait_for("hint:")
    screen = tui.screen()
    assert "Loading users failed" in screen
    assert "status: 403" in screen
    assert "detail: IP address 127.0.0.1 is not allowed to access this resource." in screen
    # At 80 columns the hint is wrapped, not cut: all of it is on the screen.
    flowing = " ".join(" ".join(line.split()) for line in tui.lines())
    assert ("hint: this machine's IP address is not on the access list of the API key or service account: "
            "add it in Atlas (Organization Access Manager → Applications) or run from an allowed address") in flowing
    # The status line says it in brief (the users' or the organization's read, whichever failed last).
    assert "failed: 403 IP_ADDRESS_NOT_ON_ACCESS_LIST" in screen
    assert "…" not in screen
    # The address is added to the access list; a reload loads the users.
    set_faults(sandbox, notOnAccessList=False)
    tui.send("r")
    count = sandbox.org(0)["userCount"]
    tui.wait_for(f" {count:,} users ")
    tui.wait_gone("IP_ADDRESS_NOT_ON_ACCESS_LIST")


def test_list_prints_the_envelope_and_the_hint_and_exits_1(sandbox, binary, tmp_path):
    set_faults(sandbox, notOnAccessList=True)
    key = sandbox.api_key
    env = dict(os.environ, MONGODB_ATLAS_OPS_MANAGER_URL=sandbox.base_url + "/",
               MONGODB_ATLAS_ORG_ID=sandbox.org(0)["id"], MONGODB_ATLAS_PUBLIC_API_KEY=key["publicKey"],
               MONGODB_ATLAS_PRIVATE_API_KEY=key["privateKey"], HOME=str(tmp_path),
               XDG_STATE_HOME=str(tmp_path / "state"), XDG_CONFIG_HOME=str(tmp_path / "config"),
               XDG_CACHE_HOME=str(tmp_path / "cache"))
    result = subprocess.run([binary, "list"], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 1, result.stderr
    assert result.stdout == ""
    assert "errorCode: IP_ADDRESS_NOT_ON_ACCESS_LIST" in result.stderr
    assert "hint: this machine's IP address is not on the access list" in result.stderr
    assert key["privateKey"] not in result.stderr
