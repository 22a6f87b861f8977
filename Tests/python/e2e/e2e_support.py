"""Helpers for the end-to-end tests: the sandbox, the TUI in tmux, and (re-exported) the polling helper.

Kept out of conftest.py so tests can import them by a name no other conftest shares.
"""

import json
import os
import shlex
import subprocess
import uuid
from pathlib import Path

import requests
from requests.auth import HTTPDigestAuth

# The one polling helper lives in Tests/python/polling.py; the end-to-end tests import it from here.
from polling import DEADLINE, wait_until  # noqa: F401


class Sandbox:
    """A running `atlas-roles sandbox`, its ready-file information, and helpers over its admin endpoint."""

    def __init__(self, process, info):
        self.process = process
        self.info = info
        self.base_url = info["baseURL"]

    @property
    def api_key(self):
        return self.info["apiKey"]

    @property
    def member_only_key(self):
        return self.info["memberOnlyApiKey"]

    def org(self, index=0):
        return self.info["organizations"][index]

    def users(self, org_id):
        """Every user of an organization through the real API, every membership status asked for by
        name (as Atlas, the sandbox lists ACTIVE and PENDING users only by default)."""
        key = self.api_key
        statuses = ("ACTIVE", "PENDING", "INVITATION_EXPIRED", "INVITATION_REJECTED")
        response = requests.get(
            f"{self.base_url}/api/atlas/v2/orgs/{org_id}/users",
            params=[("orgMembershipStatuses", status) for status in statuses] + [("itemsPerPage", 500)],
            headers={"Accept": "application/vnd.atlas.2025-02-19+json"},
            auth=HTTPDigestAuth(key["publicKey"], key["privateKey"]),
            timeout=10,
        )
        response.raise_for_status()
        return response.json()["results"]

    def journal(self):
        return requests.get(f"{self.base_url}/__sandbox/journal", timeout=10).json()

    def clear_journal(self):
        requests.delete(f"{self.base_url}/__sandbox/journal", timeout=10).raise_for_status()

    def roles(self, org_id, user_id):
        url = f"{self.base_url}/__sandbox/orgs/{org_id}/users/{user_id}/roles"
        return requests.get(url, timeout=10).json()["orgRoles"]

    def set_roles(self, org_id, user_id, roles):
        """Changes a user's roles through the admin endpoint, as another admin would: arranges test data."""
        url = f"{self.base_url}/__sandbox/orgs/{org_id}/users/{user_id}/roles"
        response = requests.put(url, json={"orgRoles": sorted(roles)}, timeout=10)
        response.raise_for_status()
        return response.json()["orgRoles"]

    def writes(self):
        """Role writes (PUT or PATCH) the sandbox received, Digest challenges included."""
        return [e for e in self.journal() if e["method"] in ("PUT", "PATCH") and e["path"].startswith("/api/")]


def read_json(path):
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return None


class Tui:
    """The program in a tmux pane of its own tmux server: send keys, read the screen, see how it ended."""

    # The prompt of the interactive shell `in_shell=True` starts (tmux's capture drops its trailing space).
    SHELL_PROMPT = "e2e-shell$ "

    def __init__(self, binary, env, tmp_path, width=100, height=30, args=(), in_shell=False):
        self.socket = f"atlas-roles-e2e-{uuid.uuid4().hex[:10]}"
        self.tmp_path = tmp_path
        self.exit_file = tmp_path / f"exit-{self.socket}"
        self.stty_before = tmp_path / f"stty-before-{self.socket}"
        self.stty_after = tmp_path / f"stty-after-{self.socket}"
        exports = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items())
        command = " ".join(shlex.quote(part) for part in [binary, *args])
        # The wrapper records the terminal settings around the program and its exit status, then waits
        # so the pane (and its final screen) stays for inspection. `env` execs the program, so the
        # wrapper shell's only child is the program itself.
        # `trap : INT` lets the wrapper survive Ctrl-C (which the pty sends to the whole foreground group)
        # while the program still gets the default disposition: a trapped signal is reset on exec.
        script = (
            "trap : INT; "
            f"stty -g > {shlex.quote(str(self.stty_before))}; "
            f"env {exports} {command}; status=$?; "
            # The settings first: a test that saw the status reads them at once.
            f"stty -g > {shlex.quote(str(self.stty_after))}; "
            f"echo $status > {shlex.quote(str(self.exit_file))}; "
            "echo EXITED $status; sleep 600"
        )
        if in_shell:
            # An interactive job-control shell (dash: no line editor, so it leaves the terminal's modes
            # exactly as the program left them) that the test types the command into, for Ctrl-Z and fg.
            script = f"exec env {exports} PS1={shlex.quote(self.SHELL_PROMPT)} sh -i"
        self.width = width
        self.height = height
        tmux_env = dict(os.environ, LANG="C.UTF-8", LC_ALL="C.UTF-8")
        self.tmux_env = tmux_env
        subprocess.run(
            ["tmux", "-L", self.socket, "-f", "/dev/null", "-u", "new-session", "-d", "-x", str(width), "-y",
             str(height), "sh", "-c", script],
            check=True, env=tmux_env,
        )
        self.tmux("set", "-sg", "escape-time", "0")
        if in_shell:
            try:
                wait_until(lambda: self.SHELL_PROMPT.rstrip() in self.screen(), message="the shell's prompt")
            except AssertionError:
                # The fixture only tears down a Tui it got back: this one must not outlive the test.
                self.kill_server()
                raise
            self.type(command)
            self.send("Enter")

    def pane(self, variable):
        """A tmux format variable of the pane, e.g. `cursor_flag` or `alternate_on`."""
        return self.tmux("display-message", "-p", "-t", "0", "#{" + variable + "}").stdout.strip()

    def tmux(self, *args, check=True):
        return subprocess.run(["tmux", "-L", self.socket, *args], check=check, capture_output=True, text=True,
                              env=self.tmux_env)

    def send(self, *keys):
        """tmux key names (`Enter`, `Escape`, `C-c`, `Down`) or literal text, one argument per key press."""
        for key in keys:
            if len(key) == 1:
                self.tmux("send-keys", "-l", key)
            else:
                self.tmux("send-keys", key)

    def type(self, text):
        self.tmux("send-keys", "-l", text)

    def send_hex(self, *hex_bytes):
        self.tmux("send-keys", "-H", *hex_bytes)

    def screen(self, escapes=False):
        args = ["capture-pane", "-p"] + (["-e"] if escapes else []) + ["-t", "0"]
        return self.tmux(*args).stdout

    def lines(self):
        return self.screen().split("\n")

    def wait_for(self, text, timeout=DEADLINE):
        return wait_until(lambda: text in self.screen(), timeout=timeout, message=f"{text!r} on screen:\n" +
                          self.screen())

    def wait_for_any(self, texts, timeout=DEADLINE):
        return wait_until(lambda: next((t for t in texts if t in self.screen()), None), timeout=timeout,
                          message=f"one of {texts!r}")

    def wait_gone(self, text, timeout=DEADLINE):
        return wait_until(lambda: text not in self.screen(), timeout=timeout, message=f"{text!r} to disappear")

    def exit_status(self, timeout=DEADLINE):
        status = wait_until(lambda: read_text(self.exit_file), timeout=timeout, message="the program to exit")
        return int(status)

    def program_pid(self):
        """The program's pid: the one child of the pane's shell."""
        shell = int(self.tmux("display-message", "-p", "-t", "0", "#{pane_pid}").stdout.strip())
        children = Path(f"/proc/{shell}/task/{shell}/children")
        return int(wait_until(lambda: children.read_text().split(), message="the program's process")[0])

    def resize(self, width, height):
        self.tmux("resize-window", "-t", "0", "-x", str(width), "-y", str(height))

    def kill_server(self):
        self.tmux("kill-server", check=False)


def read_text(path):
    try:
        text = path.read_text().strip()
        return text or None
    except OSError:
        return None


def cli_environment(sandbox, tmp_path, org=True):
    """The environment a script gives `atlas-roles` against `sandbox`: its API key, its CA, private
    state and config folders under `tmp_path`, and the first organization unless `org` is False."""
    key = sandbox.api_key
    env = {
        "PATH": "/usr/bin:/bin",
        "MONGODB_ATLAS_OPS_MANAGER_URL": sandbox.base_url + "/",
        "MONGODB_ATLAS_PUBLIC_API_KEY": key["publicKey"],
        "MONGODB_ATLAS_PRIVATE_API_KEY": key["privateKey"],
        "XDG_STATE_HOME": str(tmp_path / "state"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "HOME": str(tmp_path),
        "LANG": "C.UTF-8",
        "SSL_CERT_FILE": sandbox.info["caCertificate"],
    }
    if org:
        env["MONGODB_ATLAS_ORG_ID"] = sandbox.org(0)["id"]
    return env
