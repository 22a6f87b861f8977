"""Fixtures for the end-to-end tests: the built binary, a sandbox on loopback, and the TUI in tmux.

Every wait polls with a deadline (the screen, a file, an HTTP endpoint); nothing sleeps to synchronize.
Each test gets its own tmux server (-L socket) and sandbox, and both are torn down afterwards.
"""

import os
import subprocess

import pytest

from e2e_support import Sandbox, Tui, read_json, wait_until

@pytest.fixture(scope="session")
def binary():
    path = os.environ.get("ATLAS_ROLES_BIN")
    if not path or not os.access(path, os.X_OK):
        pytest.skip("ATLAS_ROLES_BIN is not set to a built atlas-roles binary")
    return path


@pytest.fixture
def sandbox(binary, tmp_path):
    ready = tmp_path / "sandbox-ready.json"
    log = open(tmp_path / "sandbox.log", "w")
    process = subprocess.Popen(
        [binary, "sandbox", "--port", "0", "--orgs", "2", "--users", "40", "--seed", "7", "--ready-file", str(ready)],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_until(lambda: ready.exists() and ready.stat().st_size > 0 or process.poll() is not None,
                   message="the sandbox's ready file")
        if process.poll() is not None:
            raise AssertionError(f"sandbox exited with {process.returncode}: {(tmp_path / 'sandbox.log').read_text()}")
        info = wait_until(lambda: read_json(ready), message="a complete ready file")
        yield Sandbox(process, info)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


@pytest.fixture
def state_dir(tmp_path):
    path = tmp_path / "state"
    path.mkdir()
    return path


@pytest.fixture
def launch(binary, sandbox, state_dir, tmp_path):
    """Starts the TUI against the sandbox: `launch(org_index=0, key=None, extra_env={}, width=100, height=30)`.

    `in_shell=True` types the command into an interactive shell instead, for job control (Ctrl-Z, fg).
    """
    started = []

    def start(org_index=0, key=None, extra_env=None, width=100, height=30, args=(), in_shell=False):
        key = key or sandbox.api_key
        env = {
            "MONGODB_ATLAS_OPS_MANAGER_URL": sandbox.base_url + "/",
            "MONGODB_ATLAS_ORG_ID": sandbox.org(org_index)["id"],
            "MONGODB_ATLAS_PUBLIC_API_KEY": key["publicKey"],
            "MONGODB_ATLAS_PRIVATE_API_KEY": key["privateKey"],
            "XDG_STATE_HOME": str(state_dir),
            "XDG_CONFIG_HOME": str(tmp_path / "config"),
            "HOME": str(tmp_path),
            "TERM": "tmux-256color",
            "LANG": "C.UTF-8",
        }
        env.update(extra_env or {})
        tui = Tui(binary, env, tmp_path, width=width, height=height, args=args, in_shell=in_shell)
        started.append(tui)
        return tui

    yield start
    for tui in started:
        tui.kill_server()
