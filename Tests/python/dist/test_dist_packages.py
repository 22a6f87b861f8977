"""What `make dist` ships, used the way an admin would use it on a host without a Swift toolchain.

The tarball is unpacked and the .deb installed into a temporary root (`dpkg -x`). Every program run
happens in a mount namespace where the Swift toolchain's directory is an empty tmpfs and no toolchain
directory is on PATH or LD_LIBRARY_PATH, so a binary that still needed the toolchain's libraries
could not start. The packaged binaries then print their version, `list` the users of a sandbox that
the packaged `sandbox` subcommand serves, and run `--demo` in tmux up to the user list; `man -l`
renders the page and lintian checks the .deb. The admin binary carries no server: `--demo` and
`sandbox` run the atlas-roles-sandbox program installed in `lib/atlas-roles`, found from the running
executable (never through PATH), and a copy of the binary without it says so.

Runs from `make test-dist` only (ATLAS_ROLES_DIST_DIR names the folder with the packages): building
them takes minutes, too long for `make test`.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

DIST_DIR = os.environ.get("ATLAS_ROLES_DIST_DIR")
if not DIST_DIR:
    pytest.skip("ATLAS_ROLES_DIST_DIR is not set (run `make test-dist`)", allow_module_level=True)

REPO = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(REPO / "Tests" / "python" / "e2e"))
from e2e_support import Tui, read_json, wait_until  # noqa: E402

# What the programs may load: glibc, libcurl, ncurses, the C++ runtime toml++ needs, zlib (the sandbox's
# gzip; Priority: required in Debian, so on every install), and OpenSSL's libcrypto (the Digest hashes;
# libcurl4 loads it already, so it is on every host that has libcurl). Nothing of Swift.
ALLOWED_LIBRARIES = {"libc.so.6", "libm.so.6", "ld-linux-x86-64.so.2", "ld-linux-aarch64.so.1", "libcurl.so.4",
                     "libncursesw.so.6", "libtinfo.so.6", "libstdc++.so.6", "libgcc_s.so.1", "libz.so.1",
                     "libcrypto.so.3"}
ALLOWED_DEPENDS = {"libc6", "libcurl4", "libncursesw6", "libtinfo6", "libstdc++6", "libgcc-s1", "zlib1g",
                   "libssl3", "libssl3t64"}
# The aim for the admin's binary; the server it no longer carries was more than a third of it.
ADMIN_BINARY_LIMIT = 25_000_000
SANDBOX = "lib/atlas-roles/atlas-roles-sandbox"


def toolchain_directory() -> Path:
    """The toolchain's root (/opt/swift for /opt/swift/usr/bin/swift)."""
    swift = shutil.which("swift")
    assert swift, "the Swift toolchain must be installed to build the packages"
    return Path(swift).resolve().parents[2]


TOOLCHAIN = toolchain_directory()


def without_toolchain(command: list[str]) -> list[str]:
    """`command` in a private mount namespace with the toolchain's directory covered by an empty tmpfs."""
    script = 'mount -t tmpfs tmpfs "$1" && shift && exec "$@"'
    return ["unshare", "--mount", "--propagation", "private", "--", "sh", "-c", script, "sh", str(TOOLCHAIN),
            *command]


def host_environment(home: Path) -> dict[str, str]:
    """A login-like environment: PATH without the toolchain, no LD_LIBRARY_PATH, a fresh HOME."""
    path = ":".join(part for part in os.environ.get("PATH", "/usr/bin:/bin").split(":")
                    if part and not part.startswith(str(TOOLCHAIN)))
    for name in ("state", "config", "cache"):
        (home / name).mkdir(parents=True, exist_ok=True)
    return {"PATH": path, "HOME": str(home), "LANG": "C.UTF-8", "XDG_STATE_HOME": str(home / "state"),
            "XDG_CONFIG_HOME": str(home / "config"), "XDG_CACHE_HOME": str(home / "cache")}


def run(command: list[str], env: dict[str, str], timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run(without_toolchain(command), env=env, capture_output=True, text=True, timeout=timeout)


def only(pattern: str) -> Path:
    found = sorted(Path(DIST_DIR).glob(pattern))
    assert len(found) == 1, f"expected one {pattern} in {DIST_DIR}, found {found}"
    return found[0]


@pytest.fixture(scope="module")
def version() -> str:
    return subprocess.run([str(REPO / "scripts" / "version.sh")], check=True, capture_output=True,
                          text=True).stdout.strip()


@pytest.fixture(scope="module")
def tarball_root(tmp_path_factory) -> Path:
    archive = only("atlas-roles-*-linux-*.tar.gz")
    target = tmp_path_factory.mktemp("tarball")
    subprocess.run(["tar", "-xzf", str(archive), "-C", str(target)], check=True)
    (root,) = target.iterdir()
    assert root.name == archive.name.removesuffix(".tar.gz")
    return root


@pytest.fixture(scope="module")
def deb() -> Path:
    return only("atlas-roles_*.deb")


@pytest.fixture(scope="module")
def deb_root(deb, tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("deb-root")
    subprocess.run(["dpkg", "-x", str(deb), str(root)], check=True)
    return root


@pytest.fixture(scope="module", params=["tarball", "deb"])
def binary(request, tarball_root, deb_root) -> Path:
    return tarball_root / "bin" / "atlas-roles" if request.param == "tarball" else deb_root / "usr/bin/atlas-roles"


@pytest.fixture(scope="module", params=["tarball/bin/atlas-roles", "tarball/" + SANDBOX, "deb/usr/bin/atlas-roles",
                                        "deb/usr/" + SANDBOX])
def program(request, tarball_root, deb_root) -> Path:
    """Each executable the downloads ship."""
    where, relative = request.param.split("/", 1)
    return (tarball_root if where == "tarball" else deb_root) / relative


@pytest.fixture
def env(tmp_path) -> dict[str, str]:
    return host_environment(tmp_path / "home")


def test_every_program_needs_only_system_libraries(program):
    dynamic = subprocess.run(["readelf", "-d", str(program)], check=True, capture_output=True, text=True).stdout
    needed = {line.split("[")[1].rstrip("]") for line in dynamic.splitlines() if "(NEEDED)" in line}
    assert needed <= ALLOWED_LIBRARIES, needed - ALLOWED_LIBRARIES
    if program.name == "atlas-roles":
        assert {"libcurl.so.4", "libncursesw.so.6"} <= needed
    runpaths = [line for line in dynamic.splitlines() if "RUNPATH" in line or "RPATH" in line]
    assert all(str(TOOLCHAIN) not in line for line in runpaths), runpaths

    ldd = subprocess.run(["ldd", str(program)], env={"PATH": "/usr/bin:/bin"}, check=True, capture_output=True,
                         text=True).stdout
    assert "not found" not in ldd, ldd
    assert str(TOOLCHAIN) not in ldd and "swift" not in ldd.lower(), ldd


def test_every_program_is_stripped_and_carries_no_icu_data(program):
    sections = subprocess.run(["readelf", "-S", "-W", str(program)], check=True, capture_output=True,
                              text=True).stdout
    assert ".symtab" not in sections and ".debug_info" not in sections
    # ICU's data tree names (icudt76l-...) are in the binary exactly when full Foundation was linked.
    assert b"icudt" not in program.read_bytes()


def test_the_admin_binary_carries_no_server_and_stays_under_the_size_aim(binary, tarball_root):
    contents = binary.read_bytes()
    # Module names in the Swift type metadata that even a stripped binary keeps for each linked type.
    for module in (b"Hummingbird", b"NIOPosix", b"NIOSSL", b"AtlasSandbox"):
        assert module not in contents, module
        assert module in (tarball_root / SANDBOX).read_bytes(), module
    assert len(contents) <= ADMIN_BINARY_LIMIT, len(contents)


def test_version_is_the_checkouts_with_the_loaded_libraries(binary, env, version):
    result = run([str(binary), "--version"], env)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == f"atlas-roles {version}"
    assert lines[1].startswith("libcurl ") and "OpenSSL" in lines[1], lines
    assert lines[2].startswith("ncurses 6."), lines


def test_the_tarball_holds_the_binary_man_page_completions_and_notices(tarball_root):
    for relative in ["bin/atlas-roles", SANDBOX, "share/man/man1/atlas-roles.1.gz",
                     "share/bash-completion/completions/atlas-roles", "share/zsh/site-functions/_atlas-roles",
                     "share/fish/vendor_completions.d/atlas-roles.fish", "share/doc/atlas-roles/copyright",
                     "README.md", "LICENSE"]:
        assert (tarball_root / relative).is_file(), relative
    assert os.access(tarball_root / "bin/atlas-roles", os.X_OK) and os.access(tarball_root / SANDBOX, os.X_OK)
    assert "Apache License" in (tarball_root / "LICENSE").read_text()


def test_the_deb_installs_where_debian_looks_and_depends_on_what_the_binary_loads(deb, deb_root, version):
    fields = {name: subprocess.run(["dpkg-deb", "-f", str(deb), name], check=True, capture_output=True,
                                   text=True).stdout.strip() for name in ("Package", "Version", "Depends",
                                                                           "Architecture")}
    assert fields["Package"] == "atlas-roles"
    deb_version = subprocess.run([str(REPO / "scripts" / "version.sh"), "--deb"], check=True, capture_output=True,
                                 text=True).stdout.strip()
    assert fields["Version"] == deb_version + "-1"
    depends = {part.strip().split(" ")[0] for part in fields["Depends"].split(",")}
    assert {"libc6", "libcurl4", "libncursesw6", "libtinfo6"} <= depends
    assert depends <= ALLOWED_DEPENDS, depends - ALLOWED_DEPENDS
    assert deb.name == f"atlas-roles_{deb_version}-1_{fields['Architecture']}.deb"
    for relative in ["usr/bin/atlas-roles", "usr/" + SANDBOX, "usr/share/man/man1/atlas-roles.1.gz",
                     "usr/share/bash-completion/completions/atlas-roles",
                     "usr/share/zsh/vendor-completions/_atlas-roles",
                     "usr/share/fish/vendor_completions.d/atlas-roles.fish",
                     "usr/share/doc/atlas-roles/copyright", "usr/share/doc/atlas-roles/changelog.Debian.gz",
                     "usr/share/doc/atlas-roles/README.md"]:
        assert (deb_root / relative).is_file(), relative
    assert (deb_root / "usr/share/doc/atlas-roles/copyright").read_text().startswith(
        "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/")


def test_lintian_finds_nothing_unexplained(deb):
    # Overridden tags are explained in the package's lintian-overrides and packaging/lintian-notes.md.
    result = subprocess.run(["lintian", "--info", "--pedantic", "--fail-on", "error,warning,info,pedantic",
                             str(deb)], capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    assert not [line for line in result.stdout.splitlines() if line[:2] in ("E:", "W:", "I:", "P:")]


def test_man_renders_the_page_with_its_subcommands_and_no_warnings(deb_root):
    page = deb_root / "usr/share/man/man1/atlas-roles.1.gz"
    env = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "MANWIDTH": "100", "MANPAGER": "cat", "PAGER": "cat"}
    rendered = subprocess.run(["man", "-l", str(page)], env=env, capture_output=True, text=True, timeout=60)
    assert rendered.returncode == 0, rendered.stderr
    text = rendered.stdout
    assert "atlas-roles" in text and "--demo" in text
    for subcommand in ("list", "set", "sandbox"):
        assert re.search(rf"^ {{5}}{subcommand}\b", text, re.MULTILINE), f"no {subcommand} section"
    checked = subprocess.run(["man", "--warnings", "-E", "UTF-8", "-l", "-Tutf8", "-Z", str(page)], env=env,
                             capture_output=True, text=True, timeout=60)
    assert checked.returncode == 0 and checked.stderr == "", checked.stderr


def test_the_bash_completion_is_valid_bash_naming_the_subcommands(deb_root):
    completion = deb_root / "usr/share/bash-completion/completions/atlas-roles"
    subprocess.run(["bash", "-n", str(completion)], check=True)
    text = completion.read_text()
    assert not text.startswith("#!") and "list" in text and "--dry-run" in text


@pytest.fixture
def packaged_sandbox(deb_root, tmp_path):
    """The .deb's `atlas-roles sandbox` on a free port: (process, ready-file JSON)."""
    ready = tmp_path / "ready.json"
    log = open(tmp_path / "sandbox.log", "w")
    command = [str(deb_root / "usr/bin/atlas-roles"), "sandbox", "--port", "0", "--orgs", "2", "--users", "40",
               "--seed", "7", "--ready-file", str(ready)]
    process = subprocess.Popen(without_toolchain(command), env=host_environment(tmp_path / "sandbox-home"),
                               stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        wait_until(lambda: ready.exists() or process.poll() is not None, timeout=60, message="the ready file")
        assert process.poll() is None, (tmp_path / "sandbox.log").read_text()
        yield process, wait_until(lambda: read_json(ready), message="a complete ready file")
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        log.close()


def test_list_reads_every_user_from_the_packaged_sandbox(tarball_root, packaged_sandbox, env):
    _, ready = packaged_sandbox
    org = ready["organizations"][0]
    env.update({"MONGODB_ATLAS_OPS_MANAGER_URL": ready["baseURL"] + "/", "MONGODB_ATLAS_ORG_ID": org["id"],
                "MONGODB_ATLAS_PUBLIC_API_KEY": ready["apiKey"]["publicKey"],
                "MONGODB_ATLAS_PRIVATE_API_KEY": ready["apiKey"]["privateKey"]})
    result = run([str(tarball_root / "bin/atlas-roles"), "list", "-o", "json"], env)
    assert result.returncode == 0, result.stderr
    users = json.loads(result.stdout)
    assert len(users) == org["userCount"] == 40
    assert all("@" in user["username"] and user["orgRoles"] for user in users)
    assert len({user["id"] for user in users}) == 40


def processes_running(executable: Path) -> list[int]:
    """The ids of the processes whose executable is `executable`."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and os.readlink(entry / "exe") == str(executable):
                found.append(int(entry.name))
        except OSError:
            continue
    return found


def start_packaged_demo(binary: Path, users: int, tmp_path: Path) -> Tui:
    """`binary --demo` in tmux with the toolchain hidden, shown up to its user list."""
    env = host_environment(tmp_path / "home")
    env["TERM"] = "tmux-256color"
    command = without_toolchain([str(binary), "--demo", "--demo-users", str(users)])
    tui = Tui(command[0], env, tmp_path, width=100, height=30, args=command[1:])
    try:
        tui.wait_for(f" {users} users ", timeout=60)
        tui.wait_for("@example.com")
    except BaseException:
        tui.kill_server()
        raise
    return tui


def test_the_demo_reaches_the_user_list_and_stops_its_sandbox(binary, tmp_path):
    sandbox = binary.parents[1] / SANDBOX
    tui = start_packaged_demo(binary, 40, tmp_path)
    try:
        assert len(processes_running(sandbox)) == 1
        tui.send("q")
        assert tui.exit_status() == 0
        wait_until(lambda: not processes_running(sandbox), message="the demo's sandbox to stop")
    finally:
        tui.kill_server()


def test_a_killed_demo_leaves_no_sandbox_behind(tarball_root, tmp_path):
    binary, sandbox = tarball_root / "bin/atlas-roles", tarball_root / SANDBOX
    tui = start_packaged_demo(binary, 20, tmp_path)
    try:
        (server,) = processes_running(sandbox)
        (demo,) = processes_running(binary)
        os.kill(demo, signal.SIGKILL)
        wait_until(lambda: not Path(f"/proc/{server}/exe").exists(), message="the orphaned sandbox to stop")
    finally:
        tui.kill_server()


def test_the_sandbox_is_found_through_a_link_to_the_binary_and_never_through_path(tarball_root, env, tmp_path):
    links = tmp_path / "links"
    links.mkdir()
    (links / "atlas-roles").symlink_to(tarball_root / "bin/atlas-roles")
    result = run([str(links / "atlas-roles"), "sandbox", "--help"], env)
    assert result.returncode == 0, result.stderr
    # The sandbox program's own help (the subcommand's would name `atlas-roles sandbox`).
    assert "USAGE: atlas-roles-sandbox" in result.stdout and "--stop-at-end-of-input" in result.stdout

    # A copy of the binary alone: an atlas-roles-sandbox on PATH must not be run in its place.
    alone = tmp_path / "alone"
    alone.mkdir()
    shutil.copy2(tarball_root / "bin/atlas-roles", alone / "atlas-roles")
    impostor = links / "atlas-roles-sandbox"
    marker = tmp_path / "impostor-ran"
    impostor.write_text(f"#!/bin/sh\ntouch {marker}\n")
    impostor.chmod(0o755)
    env["PATH"] = f"{links}:{env['PATH']}"
    for arguments in (["--demo"], ["sandbox", "--port", "0"]):
        result = run([str(alone / "atlas-roles"), *arguments], env)
        assert result.returncode == 2, (arguments, result.stdout, result.stderr)
        assert "atlas-roles-sandbox" in result.stderr and str(alone) in result.stderr, result.stderr
        assert not marker.exists()
