"""Shared pieces of the benchmarks: the sandbox as a child process, tmux on a private socket, curl, stats.

Every process started here is stopped by the object that started it (context managers), so an
interrupted `make bench` leaves no sandbox or tmux server behind.
"""

import json
import os
import re
import shlex
import statistics
import subprocess
import tempfile
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
ACCEPT_2025 = "application/vnd.atlas.2025-02-19+json"
ACCEPT_2023 = "application/vnd.atlas.2023-01-01+json"


def binary():
    return os.environ.get("ATLAS_ROLES_BENCH_BIN", os.path.join(ROOT, ".build", "release", "atlas-roles"))


def shipped_binary():
    """The program as the downloads ship it (`packaging/build-static.sh`: the Swift runtime and
    FoundationEssentials linked in, no embedded sandbox, so no full Foundation or ICU to load at start),
    when it was built from the same commit as `binary()`; None otherwise. The wide-area rows time what
    an admin host runs: a script's calls each pay the program's start-up."""
    path = os.environ.get("ATLAS_ROLES_BENCH_SHIPPED_BIN",
                          os.path.join(ROOT, os.environ.get("DIST_SCRATCH", ".build-dist"), "release", "atlas-roles"))
    if not os.access(path, os.X_OK):
        return None

    def version(program):
        run = subprocess.run([program, "--version"], capture_output=True, text=True)
        return run.stdout.splitlines()[0] if run.returncode == 0 and run.stdout else None

    return path if version(path) is not None and version(path) == version(binary()) else None


def rel(path):
    """A path as the reproducing commands print it: relative to the repository."""
    return os.path.relpath(path, ROOT)


class Sandbox:
    """`atlas-roles sandbox` on a free loopback port, stopped on exit."""

    def __init__(self, users, latency_ms=100, orgs=1, extra=()):
        self.args = ["sandbox", "--port", "0", "--orgs", str(orgs), "--users", str(users),
                     "--latency-ms", str(latency_ms), *extra]
        self.latency_ms = latency_ms
        self.dir = tempfile.mkdtemp(prefix="atlas-bench-")
        self.proc = None

    def command(self):
        """The reproducing command line (without the ready file)."""
        return "atlas-roles " + " ".join(self.args)

    def __enter__(self):
        ready = os.path.join(self.dir, "ready.json")
        self.log = open(os.path.join(self.dir, "sandbox.log"), "wb")
        self.proc = subprocess.Popen([binary(), *self.args, "--ready-file", ready], stdout=self.log,
                                     stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while not (os.path.exists(ready) and os.path.getsize(ready) > 0):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the sandbox did not start: " + open(self.log.name).read()[-500:])
            time.sleep(0.05)
        time.sleep(0.05)  # the file is renamed into place whole, but be kind to slow disks
        info = json.load(open(ready))
        self.base = info["baseURL"]
        self.pub = info["apiKey"]["publicKey"]
        self.priv = info["apiKey"]["privateKey"]
        self.org = info["organizations"][0]["id"]
        return self

    def __exit__(self, *exc):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()
        subprocess.run(["rm", "-rf", self.dir])

    def env(self, state_dir):
        """The environment the program reads, with a private state and config home."""
        env = dict(os.environ)
        for name in list(env):
            if name.startswith("MONGODB_ATLAS_") or name.startswith("MCLI_"):
                del env[name]
        env.update(
            MONGODB_ATLAS_OPS_MANAGER_URL=self.base + "/", MONGODB_ATLAS_ORG_ID=self.org,
            MONGODB_ATLAS_PUBLIC_API_KEY=self.pub, MONGODB_ATLAS_PRIVATE_API_KEY=self.priv,
            XDG_STATE_HOME=os.path.join(state_dir, "state"), XDG_CONFIG_HOME=os.path.join(state_dir, "config"),
            XDG_CACHE_HOME=os.path.join(state_dir, "cache"), HOME=state_dir, TERM="xterm-256color",
            LANG="C.UTF-8")
        return env

    # The admin endpoint: no auth, no latency.
    def admin(self, method, path, body=None):
        args = ["curl", "-sS", "--fail", "-X", method, self.base + path]
        if body is not None:
            args += ["-H", "Content-Type: application/json", "--data-binary", json.dumps(body)]
        out = subprocess.run(args, capture_output=True, check=True).stdout
        return json.loads(out) if out.strip() else None

    def list_users(self):
        """Every user of the org, in listing order (through the API, so it pays the latency)."""
        users, page = [], 1
        while True:
            out = subprocess.run(
                ["curl", "-sS", "--fail", "--digest", "-u", f"{self.pub}:{self.priv}", "-H", f"Accept: {ACCEPT_2025}",
                 f"{self.base}/api/atlas/v2/orgs/{self.org}/users?itemsPerPage=500&pageNum={page}"],
                capture_output=True, check=True).stdout
            results = json.loads(out)["results"]
            users += results
            if len(results) < 500:
                return users
            page += 1


class Tmux:
    """A tmux server on its own socket, one session running one command; killed on exit."""

    def __init__(self, columns=120, rows=40):
        self.socket = f"atlas-bench-{os.getpid()}-{time.monotonic_ns()}"
        self.columns, self.rows = columns, rows

    def tmux(self, *args, capture=True):
        return subprocess.run(["tmux", "-L", self.socket, *args], capture_output=capture, text=True)

    def start(self, argv, env):
        """Starts `argv` (exec'd, so the pane's pid is the program's) and returns the monotonic start time."""
        command = "exec " + " ".join(shlex.quote(a) for a in argv)
        env_args = []
        for name in ("MONGODB_ATLAS_OPS_MANAGER_URL", "MONGODB_ATLAS_ORG_ID", "MONGODB_ATLAS_PUBLIC_API_KEY",
                     "MONGODB_ATLAS_PRIVATE_API_KEY", "XDG_STATE_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "HOME",
                     "LANG"):
            if name in env:
                env_args += ["-e", f"{name}={env[name]}"]
        started = time.monotonic()
        subprocess.run(["tmux", "-L", self.socket, "-f", "/dev/null", "new-session", "-d", "-x", str(self.columns),
                        "-y", str(self.rows), *env_args, command], check=True, env=env)
        self.tmux("set", "-sg", "escape-time", "0")
        return started

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.tmux("kill-server")

    def screen(self):
        return self.tmux("capture-pane", "-p").stdout

    def pid(self):
        out = self.tmux("display-message", "-p", "#{pane_pid}").stdout.strip()
        return int(out) if out else None

    def keys(self, *keys):
        self.tmux("send-keys", *keys)

    def literal(self, text):
        self.tmux("send-keys", "-l", text)

    def wait_for(self, pattern, deadline=60.0, interval=0.005):
        """Polls the screen until `pattern` (a regex) appears; returns the monotonic time it was seen."""
        regex = re.compile(pattern, re.M)
        end = time.monotonic() + deadline
        while time.monotonic() < end:
            text = self.screen()
            if regex.search(text):
                return time.monotonic(), text
            time.sleep(interval)
        raise TimeoutError(f"{pattern!r} did not appear; screen:\n{self.screen()}")


def curl_time():
    return time.monotonic()


class Figures:
    """Several runs of one figure: median and min/max."""

    def __init__(self, values):
        self.values = list(values)

    @property
    def median(self):
        return statistics.median(self.values)

    def fmt(self, unit="s", digits=2, scale=1.0):
        v = [x * scale for x in self.values]
        med = statistics.median(v)
        if len(v) == 1:
            return f"{med:.{digits}f} {unit} (1 run)"
        return f"{med:.{digits}f} {unit} (min {min(v):.{digits}f}, max {max(v):.{digits}f}; n={len(v)})"


def vm_status(pid):
    """VmHWM and VmRSS of a process, in KiB."""
    fields = {}
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            name, _, value = line.partition(":")
            if name in ("VmHWM", "VmRSS"):
                fields[name] = int(value.split()[0])
    return fields
