"""`atlas-roles list` shows its progress and every wait on standard error when that is a terminal (a pty
here), and says nothing there when it is a pipe.

The wait is a real one: the sandbox's token bucket is emptied and never refills, so the list's first
page is answered 429 with `Retry-After: 1`; once the client's wait is seen (on the pty, or in the
sandbox's journal for the pipe), the limit is lifted and the list completes.
"""

import os
import pty
import subprocess
import threading

import requests
from requests.auth import HTTPDigestAuth

from e2e_support import cli_environment, wait_until


def set_faults(sandbox, **faults):
    requests.put(f"{sandbox.base_url}/__sandbox/faults", json=faults, timeout=10).raise_for_status()


def empty_the_bucket(sandbox):
    """A bucket of one token that never refills, spent by one request of our own: the list's first
    request is answered 429 with Retry-After 1 until the limit is lifted."""
    set_faults(sandbox, rateLimit={"capacity": 1, "refillPerSecond": 0, "scope": "all"}, retryAfterSeconds=1)
    key = sandbox.api_key
    response = requests.get(
        f"{sandbox.base_url}/api/atlas/v2/orgs",
        headers={"Accept": "application/vnd.atlas.2023-01-01+json"},
        auth=HTTPDigestAuth(key["publicKey"], key["privateKey"]),
        timeout=10,
    )
    assert response.status_code == 200, response.text


def plain_list(binary, sandbox, tmp_path):
    """The same list with no fault: what the waiting run must print too."""
    result = subprocess.run(
        [binary, "list", "-o", "csv"], env=cli_environment(sandbox, tmp_path), stdin=subprocess.DEVNULL,
        capture_output=True, timeout=60, check=True)
    assert result.stdout.count(b"\n") > 1, result
    return result.stdout


def rate_limited_list_requests(sandbox):
    return [e for e in sandbox.journal() if e["status"] == 429 and e["path"].endswith("/users")]


def test_on_a_terminal_list_shows_its_progress_and_the_wait(binary, sandbox, tmp_path):
    empty_the_bucket(sandbox)
    controller, terminal = pty.openpty()
    process = subprocess.Popen(
        [binary, "list", "-o", "csv"], env=cli_environment(sandbox, tmp_path), stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE, stderr=terminal)
    os.close(terminal)
    seen = bytearray()
    lock = threading.Lock()

    def read_terminal():
        while True:
            try:
                chunk = os.read(controller, 4096)
            except OSError:  # EIO: the program closed its end
                return
            if not chunk:
                return
            with lock:
                seen.extend(chunk)

    reader = threading.Thread(target=read_terminal, daemon=True)
    reader.start()
    try:
        def text():
            with lock:
                return bytes(seen).decode("utf-8", "replace")

        wait_until(lambda: "waiting" in text(), message=f"the wait on the terminal: {text()!r}")
        set_faults(sandbox, rateLimit=None)
        out, _ = process.communicate(timeout=60)
        reader.join(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
        os.close(controller)
    shown = text()
    assert process.returncode == 0, shown
    assert "loading users…" in shown, shown
    assert "waiting 1.0s before retrying GET" in shown and "429 RATE_LIMITED" in shown, shown
    assert "(attempt 2)" in shown, shown
    # The progress line is erased at the end: what follows starts on a clean line.
    assert shown.endswith("\r\x1b[K"), repr(shown[-40:])
    assert out == plain_list(binary, sandbox, tmp_path), "the CSV is whole, as without a wait"
    assert b"loading" not in out and b"waiting" not in out, "progress never goes to standard output"


def test_through_a_pipe_list_says_nothing_on_standard_error(binary, sandbox, tmp_path):
    empty_the_bucket(sandbox)
    process = subprocess.Popen(
        [binary, "list", "-o", "csv"], env=cli_environment(sandbox, tmp_path), stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        wait_until(lambda: rate_limited_list_requests(sandbox), message="the list's request answered 429")
        set_faults(sandbox, rateLimit=None)
        out, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, err
    assert err == b"", err
    assert out == plain_list(binary, sandbox, tmp_path)
