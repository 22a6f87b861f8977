"""The program against a server that lies, over a real socket: a 3 GB body (with and without a
Content-Length), a gzip bomb (about 4 GB once
inflated, about 4 MB on the wire) and a role write answered 200 with a body that is not JSON.

The bodies are streamed as they are sent, never held: the test's own memory stays small, and the server
stops as soon as the client hangs up. The client's peak memory is its `VmHWM` (read from
/proc/<pid>/status while it runs) and the `ru_maxrss` the kernel reports when it exits; both are printed
(`pytest -s`) for the release note and must stay far below the sizes served.
"""

import json
import os
import subprocess
import threading
import time
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

ORG_ID = "5f0000000000000000000001"
USER_ID = "5f00000000000000000000aa"
GIB = 1 << 30
MIB = 1 << 20
# The client keeps at most 32 MiB of a body; a peak this far above it would mean the body was held.
PEAK_LIMIT_BYTES = 256 * MIB


def user_json(roles):
    return {
        "id": USER_ID, "username": "eve@example.com", "firstName": "Eve", "lastName": "Hostile",
        "orgMembershipStatus": "ACTIVE", "roles": {"orgRoles": sorted(roles)},
    }


class HostileServer:
    """An HTTP/1.1 server on loopback whose users list is `mode`: "huge", "bomb" or "plain"."""

    def __init__(self, mode):
        self.mode = mode
        self.requests = []
        self.roles = {"ORG_MEMBER"}
        self.sent_bytes = 0
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_GET(self):
                server.requests.append(("GET", self.path))
                path = self.path.split("?")[0]
                if path == f"/api/atlas/v2/orgs/{ORG_ID}/users" and server.mode in ("huge", "unannounced"):
                    server.stream_huge(self, announced=server.mode == "huge")
                elif path == f"/api/atlas/v2/orgs/{ORG_ID}/users" and server.mode == "bomb":
                    server.stream_bomb(self)
                elif path == f"/api/atlas/v2/orgs/{ORG_ID}/users":
                    self.answer(200, {"results": [user_json(server.roles)], "totalCount": 1, "links": []})
                elif path == f"/api/atlas/v2/orgs/{ORG_ID}/users/{USER_ID}":
                    self.answer(200, user_json(server.roles))
                else:
                    self.answer(404, {"error": 404, "errorCode": "RESOURCE_NOT_FOUND", "detail": path})

            def do_PUT(self):
                server.requests.append(("PUT", self.path))
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", "0"))) or b"{}")
                if self.path == f"/api/atlas/v2/orgs/{ORG_ID}/users/{USER_ID}/roles":
                    # Applied, and answered with a page no JSON reader can take.
                    server.roles = set(body.get("orgRoles", []))
                    self.send_bytes(200, b"<html><body>502 Bad Gateway</body></html>", "text/html")
                else:
                    self.answer(404, {"error": 404, "errorCode": "RESOURCE_NOT_FOUND", "detail": self.path})

            def answer(self, status, value):
                # The version asked for is the version served, as Atlas does.
                accept = self.headers.get("Accept", "application/json").split(",")[0].strip()
                self.send_bytes(status, json.dumps(value).encode(), accept)

            def send_bytes(self, status, data, content_type):
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def base_url(self):
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/"

    def stream_huge(self, handler, announced):
        """3 GB sent, a valid JSON start and then whitespace, until the client hangs up. `announced`
        sends a Content-Length the client can refuse at once; without it, the body runs to the close
        and only counting what arrives can stop it."""
        prefix = b'{"results": [], "totalCount": 0, "links": []}'
        total = 3 * GIB
        handler.send_response(200)
        handler.send_header("Content-Type", "application/json")
        if announced:
            handler.send_header("Content-Length", str(total))
        else:
            handler.send_header("Connection", "close")
        handler.end_headers()
        chunk = b" " * MIB
        try:
            handler.wfile.write(prefix)
            sent = len(prefix)
            while sent < total:
                piece = chunk[: min(len(chunk), total - sent)]
                handler.wfile.write(piece)
                sent += len(piece)
                self.sent_bytes = sent
        except (BrokenPipeError, ConnectionResetError):
            pass
        handler.close_connection = True

    def stream_bomb(self, handler):
        """gzip of a JSON start and 4 GiB of spaces, compressed as it goes (about 1 KB per MiB)."""
        handler.send_response(200)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Encoding", "gzip")
        handler.send_header("Connection", "close")
        handler.end_headers()
        compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
        chunk = b" " * MIB
        try:
            handler.wfile.write(compressor.compress(b'{"results": [], "totalCount": 0, "links": []}'))
            for _ in range(4 * 1024):
                handler.wfile.write(compressor.compress(chunk))
                self.sent_bytes += MIB
            handler.wfile.write(compressor.flush())
        except (BrokenPipeError, ConnectionResetError):
            pass
        handler.close_connection = True

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def hostile(request):
    servers = []

    def start(mode):
        server = HostileServer(mode)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


def environment(server, tmp_path):
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "MONGODB_ATLAS_OPS_MANAGER_URL": server.base_url,
        "MONGODB_ATLAS_ORG_ID": ORG_ID,
        "MONGODB_ATLAS_PUBLIC_API_KEY": "hostilepub",
        "MONGODB_ATLAS_PRIVATE_API_KEY": "11111111-2222-3333-4444-555555555555",
        "XDG_STATE_HOME": str(tmp_path / "state"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "HOME": str(tmp_path),
        "LANG": "C.UTF-8",
    }


def vm_hwm_bytes(pid):
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        return None
    return None


def run_measured(arguments, env):
    """Runs the program to its end; returns (exit status, stdout, stderr, peak VmHWM seen, ru_maxrss)."""
    process = subprocess.Popen(arguments, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)
    output = {}

    def drain(name, stream):
        output[name] = stream.read()

    readers = [threading.Thread(target=drain, args=(n, s)) for n, s in (("out", process.stdout),
                                                                        ("err", process.stderr))]
    for reader in readers:
        reader.start()
    peak_seen = 0
    deadline = time.monotonic() + 300
    while True:
        # WNOHANG keeps the zombie's status for wait4 below, which also reports ru_maxrss.
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid == process.pid:
            break
        peak_seen = max(peak_seen, vm_hwm_bytes(process.pid) or 0)
        if time.monotonic() > deadline:
            process.kill()
        time.sleep(0.02)
    process.returncode = os.waitstatus_to_exitcode(status)
    for reader in readers:
        reader.join()
    return process.returncode, output["out"].decode(), output["err"].decode(), peak_seen, usage.ru_maxrss * 1024


def report(name, served, peak_seen, maxrss):
    print(f"\nhostile-server {name}: served {served / MIB:.0f} MiB before the client hung up; "
          f"client peak VmHWM {peak_seen / MIB:.1f} MiB, ru_maxrss {maxrss / MIB:.1f} MiB")


def assert_only_org_user_requests(server):
    prefix = f"/api/atlas/v2/orgs/{ORG_ID}/users"
    outside = [r for r in server.requests if not r[1].startswith(prefix)]
    assert not outside, outside


@pytest.mark.parametrize("mode", ["huge", "unannounced", "bomb"])
def test_a_body_too_large_to_hold_is_refused_with_memory_bounded(binary, hostile, tmp_path, mode):
    server = hostile(mode)
    status, out, err, peak_seen, maxrss = run_measured([binary, "list", "-o", "json"], environment(server, tmp_path))
    report(mode, server.sent_bytes, peak_seen, maxrss)
    assert status == 1, err
    assert "larger than 32 MiB" in err, err
    assert out == ""
    assert max(peak_seen, maxrss) < PEAK_LIMIT_BYTES, f"peak {max(peak_seen, maxrss) / MIB:.0f} MiB"
    # The client hung up long before the end: nothing like 3 GB (or 4 GB inflated) was taken.
    assert server.sent_bytes < 1 * GIB
    assert_only_org_user_requests(server)


def test_a_write_answered_200_with_an_unreadable_body_is_journaled_as_applied(binary, hostile, tmp_path):
    server = hostile("plain")
    env = environment(server, tmp_path)
    result = subprocess.run([binary, "set", USER_ID, "--add", "ORG_BILLING_ADMIN", "--yes"], env=env,
                            stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "applied 1 of 1" in result.stdout, result.stdout
    assert server.roles == {"ORG_MEMBER", "ORG_BILLING_ADMIN"}
    journal = tmp_path / "state" / "atlas-roles" / f"journal-{ORG_ID}.jsonl"
    entries = [json.loads(line) for line in journal.read_text().splitlines() if line.strip()]
    outcomes = [e["outcome"] for e in entries if e["userId"] == USER_ID]
    assert outcomes == ["intent", "applied"], entries
    assert entries[-1].get("confirmedByReread") is True, entries[-1]
    assert_only_org_user_requests(server)
