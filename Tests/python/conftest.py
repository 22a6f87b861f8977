"""Fixtures shared by the Python tests: one standalone sandbox per session, the OpenAPI document.

`atlas_sandbox` runs `$ATLAS_ROLES_BIN sandbox --port 0 --ready-file F ...` once per session (small:
2 organizations of 40 users) and kills its process group at the end. `sandbox_faults` hands a test
the same sandbox and puts every fault back to "off" afterwards, so a fault never leaks into another
test. The OpenAPI document is read from `<repo>/../shared/atlas-api/` (never copied into the repo).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from ci_mode import ci_is_set  # noqa: E402
from wire_checks import AtlasWire  # noqa: E402
from wire_openapi import OpenAPIDocument, locate_spec  # noqa: E402
from wire_sandbox import SandboxProcess, repo_root, start_sandbox  # noqa: E402


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Under CI, a skip is reported as a failure (see ci_mode.py): no test may quietly not run there."""
    outcome = yield
    report = outcome.get_result()
    if report.skipped and not hasattr(report, "wasxfail") and ci_is_set():
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = f"skipped while CI is set, which counts as a failure: {reason}"


SESSION_SANDBOX_OPTIONS = ["--orgs", "2", "--users", "40", "--seed", "7"]

# Every fault off, as documented in docs/sandbox.md.
FAULTS_OFF = {
    "latencyMs": 0,
    "jitterMs": 0,
    "rateLimit": None,
    "serverErrorRate": 0.0,
    "resetRate": 0.0,
    "truncatedBodyRate": 0.0,
    "malformedBodyRate": 0.0,
    "trickleBytesPerSecond": 0,
    "putVersionGone": False,
    "retryAfterSeconds": 1,
    "rateLimitsRefused": False,
}


@pytest.fixture(scope="session")
def openapi_document() -> OpenAPIDocument:
    return OpenAPIDocument.load(locate_spec(repo_root()))


@pytest.fixture(scope="session")
def atlas_sandbox(tmp_path_factory) -> SandboxProcess:
    """The session's sandbox; its ready-file JSON is `atlas_sandbox.ready`."""
    sandbox = start_sandbox(tmp_path_factory.mktemp("atlas-sandbox"), SESSION_SANDBOX_OPTIONS)
    try:
        yield sandbox
    finally:
        sandbox.stop()


@pytest.fixture
def sandbox_faults(atlas_sandbox) -> SandboxProcess:
    """The session sandbox, with every fault switched off again when the test ends."""
    atlas_sandbox.set_faults(**FAULTS_OFF)
    try:
        yield atlas_sandbox
    finally:
        if atlas_sandbox.alive():
            atlas_sandbox.set_faults(**FAULTS_OFF)


@pytest.fixture(scope="session")
def wire(openapi_document, atlas_sandbox) -> AtlasWire:
    client = AtlasWire(openapi_document, atlas_sandbox)
    yield client
    client.close()


@pytest.fixture(scope="session")
def org_users(wire, atlas_sandbox) -> dict:
    """Every user of the first organization, as listOrgUsers 2025-02-19 reports them, by status.

    Read without the conformance check: a schema problem is reported by the conformance tests,
    not as an error of every test that needs a user id.
    """
    org_id = atlas_sandbox.organizations[0]["id"]
    users: list[dict] = []
    page = 1
    while True:
        response = wire.send(
            "listOrgUsers", "2025-02-19", path_params={"orgId": org_id},
            # Atlas lists ACTIVE and PENDING only unless every status is asked for by name.
            query=[("orgMembershipStatuses", status)
                   for status in ("ACTIVE", "PENDING", "INVITATION_EXPIRED", "INVITATION_REJECTED")]
            + [("itemsPerPage", 500), ("pageNum", page)],
        )
        assert response.status_code == 200, response.text[:500]
        body = response.json()
        users.extend(body["results"])
        if not any(link.get("rel") == "next" for link in body.get("links", [])) or not body["results"]:
            break
        page += 1
    by_status: dict[str, list[dict]] = {}
    for user in users:
        by_status.setdefault(user["orgMembershipStatus"], []).append(user)
    return {"orgId": org_id, "all": users, "byStatus": by_status}
