"""Fixtures for the end-to-end tests: the built binary, a sandbox on loopback, and the TUI in tmux.

Every wait polls with a deadline (the screen, a file, an HTTP endpoint); nothing sleeps to synchronize.
Each test gets its own tmux server (-L socket) and sandbox, and both are torn down afterwards.
"""

import subprocess

import pytest

from ci_mode import ci_is_set
from e2e_support import Sandbox, Tui, read_json, wait_until
from wire_sandbox import atlas_roles_binary

@pytest.fixture(scope="session")
def binary():
    """The binary the wire tests use too: `$ATLAS_ROLES_BIN`, else the debug build in the checkout.

    Without one, a developer's run skips these tests (nothing to run them on, and the message says how
    to build it); under CI that is a failure, since a CI run that skips them proves nothing.
    """
    try:
        return str(atlas_roles_binary())
    except FileNotFoundError as missing:
        if ci_is_set():
            pytest.fail(f"{missing} (CI is set: the end-to-end tests must run)")
        pytest.skip(str(missing))


@pytest.fixture
def sandbox(binary, tmp_path, monkeypatch):
    """The sandbox over HTTPS with HTTP/2, as Atlas serves: its CA is trusted through SSL_CERT_FILE
    (the program, curl) and REQUESTS_CA_BUNDLE (the tests' own requests), as a user behind a
    TLS-inspecting proxy trusts the proxy's CA."""
    ready = tmp_path / "sandbox-ready.json"
    log = open(tmp_path / "sandbox.log", "w")
    process = subprocess.Popen(
        [binary, "sandbox", "--port", "0", "--orgs", "2", "--users", "40", "--seed", "7", "--ready-file", str(ready),
         "--tls", str(tmp_path / "tls")],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_until(lambda: ready.exists() and ready.stat().st_size > 0 or process.poll() is not None,
                   message="the sandbox's ready file")
        if process.poll() is not None:
            raise AssertionError(f"sandbox exited with {process.returncode}: {(tmp_path / 'sandbox.log').read_text()}")
        info = wait_until(lambda: read_json(ready), message="a complete ready file")
        monkeypatch.setenv("SSL_CERT_FILE", info["caCertificate"])
        monkeypatch.setenv("REQUESTS_CA_BUNDLE", info["caCertificate"])
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
            "SSL_CERT_FILE": sandbox.info["caCertificate"],
        }
        env.update(extra_env or {})
        tui = Tui(binary, env, tmp_path, width=width, height=height, args=args, in_shell=in_shell)
        started.append(tui)
        return tui

    yield start
    for tui in started:
        tui.kill_server()
