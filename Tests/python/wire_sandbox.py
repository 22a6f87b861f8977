"""Runs the standalone AtlasSandbox (`atlas-roles sandbox`) for the Python tests, and talks to it.

The process is started in its own process group with `--port 0 --ready-file F`; the tests poll for
the ready file (never sleep for it) and read the base URL and credentials from it. Teardown kills the
whole group.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import requests
from requests.auth import HTTPDigestAuth

from polling import wait_until

API_PREFIX = "/api/atlas/v2"
READY_TIMEOUT_SECONDS = 60.0


def repo_root() -> Path:
    return Path(__file__).resolve().parents[2]


def atlas_roles_binary() -> Path:
    """`$ATLAS_ROLES_BIN` (set by `make test-python`), else the debug build in the checkout."""
    configured = os.environ.get("ATLAS_ROLES_BIN")
    binary = Path(configured) if configured else repo_root() / ".build" / "debug" / "atlas-roles"
    if not binary.is_file() or not os.access(binary, os.X_OK):
        raise FileNotFoundError(
            f"atlas-roles binary not found at {binary}: run `swift build --target atlas-roles` "
            "or set ATLAS_ROLES_BIN"
        )
    return binary


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def media_type(version: str) -> str:
    return f"application/vnd.atlas.{version}+json"


@dataclass
class SandboxProcess:
    """A running `atlas-roles sandbox` and what its ready file said."""

    process: subprocess.Popen
    ready: dict
    workdir: Path
    log_path: Path
    _session: requests.Session = field(default_factory=requests.Session)

    # --- what the ready file says ----------------------------------------------------------------
    @property
    def base_url(self) -> str:
        return self.ready["baseURL"].rstrip("/")

    @property
    def api_url(self) -> str:
        return self.base_url + API_PREFIX

    @property
    def port(self) -> int:
        return urlsplit(self.base_url).port

    @property
    def public_key(self) -> str:
        return self.ready["apiKey"]["publicKey"]

    @property
    def private_key(self) -> str:
        return self.ready["apiKey"]["privateKey"]

    @property
    def client_id(self) -> str:
        return self.ready["serviceAccount"]["clientId"]

    @property
    def client_secret(self) -> str:
        return self.ready["serviceAccount"]["clientSecret"]

    @property
    def organizations(self) -> list[dict]:
        return self.ready["organizations"]

    def digest(self) -> HTTPDigestAuth:
        return HTTPDigestAuth(self.public_key, self.private_key)

    def member_digest(self) -> HTTPDigestAuth:
        key = self.ready["memberOnlyApiKey"]
        return HTTPDigestAuth(key["publicKey"], key["privateKey"])

    def url(self, path: str) -> str:
        return self.api_url + path

    # --- admin endpoint (outside /api, no auth) ---------------------------------------------------
    def admin(self, method: str, path: str, **kwargs) -> requests.Response:
        response = self._session.request(
            method, f"{self.base_url}/__sandbox{path}", timeout=10, **kwargs
        )
        response.raise_for_status()
        return response

    def faults(self) -> dict:
        return self.admin("GET", "/faults").json()

    def set_faults(self, **faults: Any) -> dict:
        """PUT a partial SandboxFaults; returns what the sandbox now holds."""
        response = self.admin("PUT", "/faults", json=faults)
        return response.json() if response.content else self.faults()

    def journal(self) -> list[dict]:
        return self.admin("GET", "/journal").json()

    def clear_journal(self) -> None:
        self.admin("DELETE", "/journal")

    def server_roles(self, org_id: str, user_id: str) -> list[str]:
        return self.admin("GET", f"/orgs/{org_id}/users/{user_id}/roles").json()["orgRoles"]

    def set_server_roles(self, org_id: str, user_id: str, roles: list[str]) -> None:
        self.admin("PUT", f"/orgs/{org_id}/users/{user_id}/roles", json={"orgRoles": roles})

    # --- service accounts ------------------------------------------------------------------------
    def new_token(self) -> str:
        response = requests.post(
            self.base_url + "/api/oauth/token",
            auth=(self.client_id, self.client_secret),
            data={"grant_type": "client_credentials"},
            timeout=10,
        )
        response.raise_for_status()
        return response.json()["access_token"]

    # --- lifecycle ------------------------------------------------------------------------------
    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self) -> None:
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)
                self.process.wait(timeout=5)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                try:
                    os.killpg(self.process.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                self.process.wait(timeout=5)
        self._session.close()

    def log_tail(self, chars: int = 4000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-chars:]
        except OSError:
            return ""


def _spawn(binary: Path, workdir: Path, port: int, options: list[str]) -> tuple[subprocess.Popen, Path, Path]:
    ready_file = workdir / f"ready-{port}-{time.monotonic_ns()}.json"
    log_path = workdir / f"sandbox-{port}.log"
    log = open(log_path, "wb")
    command = [
        str(binary), "sandbox", "--host", "127.0.0.1", "--port", str(port),
        "--ready-file", str(ready_file), *options,
    ]
    process = subprocess.Popen(
        command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
        start_new_session=True,
    )
    log.close()
    return process, ready_file, log_path


def _wait_ready(process: subprocess.Popen, ready_file: Path, log_path: Path) -> dict:
    def ready() -> dict | None:
        if process.poll() is not None:
            raise RuntimeError(
                f"sandbox exited with {process.returncode} before it was ready:\n"
                + log_path.read_text(errors="replace")[-3000:]
            )
        try:
            return json.loads(ready_file.read_text())
        except (OSError, json.JSONDecodeError):
            return None  # not there yet, or being written: poll again

    try:
        return wait_until(ready, timeout=READY_TIMEOUT_SECONDS, interval=0.02, message="the sandbox's ready file")
    except AssertionError as error:
        raise TimeoutError(f"{error}\n" + log_path.read_text(errors="replace")[-3000:]) from None


def start_sandbox(workdir: Path, options: list[str]) -> SandboxProcess:
    """Starts the sandbox on a free port (asks for port 0; picks one itself if 0 is not honoured)."""
    binary = atlas_roles_binary()
    workdir.mkdir(parents=True, exist_ok=True)
    process, ready_file, log_path = _spawn(binary, workdir, 0, options)
    try:
        ready = _wait_ready(process, ready_file, log_path)
    except BaseException:
        _kill_group(process)
        raise
    sandbox = SandboxProcess(process=process, ready=ready, workdir=workdir, log_path=log_path)
    if sandbox.port in (None, 0):
        sandbox.stop()
        for _ in range(3):
            process, ready_file, log_path = _spawn(binary, workdir, free_port(), options)
            try:
                ready = _wait_ready(process, ready_file, log_path)
            except RuntimeError:
                _kill_group(process)  # lost the port to someone else: try another
                continue
            return SandboxProcess(process=process, ready=ready, workdir=workdir, log_path=log_path)
        raise RuntimeError("could not start the sandbox on a free port")
    return sandbox


def _kill_group(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait(timeout=5)
