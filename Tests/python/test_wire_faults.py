"""Faults as an independent client sees them: 429s, resets, truncated and slow bodies, latency.

Faults are switched at run time through `PUT /__sandbox/faults` on the session sandbox; the
`sandbox_faults` fixture switches them all off again after each test. Calls use a Bearer token minted
before any fault is on (the token endpoint is under /api and faults apply to it too), so each call is
exactly one HTTP request (no Digest challenge round to count or slow down).
"""

from __future__ import annotations

import json
import subprocess
import time

import pytest
import requests
import urllib3

from wire_checks import BearerAuth, check_response
from wire_sandbox import media_type

pytestmark = pytest.mark.timeout(60)

V1, V2 = "2023-01-01", "2025-02-19"


@pytest.fixture(scope="module")
def bearer(atlas_sandbox) -> BearerAuth:
    return BearerAuth(atlas_sandbox.new_token())


def _get(sandbox, bearer, path: str, version: str = V1, **kwargs) -> requests.Response:
    return requests.get(sandbox.api_url + path, auth=bearer, headers={"Accept": media_type(version)},
                        timeout=kwargs.pop("timeout", 10), **kwargs)


def _users_path(sandbox) -> str:
    return f"/orgs/{sandbox.organizations[0]['id']}/users"


# --- rate limits ----------------------------------------------------------------------------------


def _drain_until_429(sandbox, bearer, path: str, limit: int) -> tuple[list[requests.Response], requests.Response]:
    ok: list[requests.Response] = []
    for _ in range(limit):
        response = _get(sandbox, bearer, path)
        if response.status_code == 429:
            return ok, response
        assert response.status_code == 200, response.text[:300]
        ok.append(response)
    raise AssertionError(f"no 429 after {limit} requests under a rate limit")


def test_rate_limit_answers_429_with_retry_after_and_ratelimit_headers(sandbox_faults, bearer, openapi_document):
    sandbox_faults.set_faults(rateLimit={"capacity": 3, "refillPerSecond": 0.2, "scope": "all"},
                              retryAfterSeconds=7)
    ok, limited = _drain_until_429(sandbox_faults, bearer, "/orgs", limit=6)
    assert 3 <= len(ok) <= 4, f"{len(ok)} requests passed a bucket of 3"
    body = check_response(openapi_document, "listOrgs", limited)
    assert body["errorCode"] == "RATE_LIMITED_TOKEN_BUCKET"
    assert limited.headers["Retry-After"] == "7"
    # As Atlas words it: the wait, the bucket's capacity and its refill per 60 seconds, in the detail and
    # the parameters, so a client can pace itself from a 429 it could not avoid.
    assert body["detail"].endswith("Please retry after 7 seconds. Request capacity: 3. Refill rate: 12 per 60 seconds.")
    assert body["parameters"][1:] == [7, 3, 12, 60]
    assert int(limited.headers["RateLimit-Limit"]) == 3
    assert int(limited.headers["RateLimit-Remaining"]) == 0
    for response in ok:  # when a 200 carries them, they must be integers counting down
        if "RateLimit-Remaining" in response.headers:
            assert int(response.headers["RateLimit-Limit"]) == 3
    remaining = [int(r.headers["RateLimit-Remaining"]) for r in ok if "RateLimit-Remaining" in r.headers]
    assert remaining == sorted(remaining, reverse=True)


def test_rate_limit_without_retry_after(sandbox_faults, bearer, openapi_document):
    sandbox_faults.set_faults(rateLimit={"capacity": 1, "refillPerSecond": 0.1, "scope": "all"},
                              retryAfterSeconds=None)
    _, limited = _drain_until_429(sandbox_faults, bearer, f"/orgs/{sandbox_faults.organizations[0]['id']}",
                                  limit=4)
    check_response(openapi_document, "getOrg", limited)
    assert "Retry-After" not in limited.headers


def test_rate_limit_scope_writes_leaves_reads_alone(sandbox_faults, bearer, openapi_document, org_users):
    org = org_users["orgId"]
    user = next(u for u in org_users["byStatus"]["ACTIVE"] if "ORG_OWNER" not in u["roles"]["orgRoles"])
    roles = sandbox_faults.server_roles(org, user["id"])
    sandbox_faults.set_faults(rateLimit={"capacity": 1, "refillPerSecond": 0.1, "scope": "writes"})
    for _ in range(4):
        assert _get(sandbox_faults, bearer, "/orgs").status_code == 200
    statuses = []
    for _ in range(3):
        response = requests.put(
            f"{sandbox_faults.api_url}/orgs/{org}/users/{user['id']}/roles", auth=bearer,
            headers={"Accept": media_type(V1), "Content-Type": media_type(V1)},
            data=json.dumps({"orgRoles": roles}), timeout=10)
        statuses.append(response.status_code)
        check_response(openapi_document, "updateOrgUserRoles", response)
    assert statuses[0] == 200 and 429 in statuses, statuses


# --- broken connections and bodies -----------------------------------------------------------------


def test_connection_reset_is_a_connection_error(sandbox_faults, bearer):
    sandbox_faults.set_faults(resetRate=1.0)
    with pytest.raises(requests.exceptions.ConnectionError):
        _get(sandbox_faults, bearer, "/orgs")
    # curl sees it too: 52 = empty reply from server, 56 = failure receiving data
    completed = subprocess.run(
        ["curl", "-sS", "--max-time", "10", "-H", f"Accept: {media_type(V1)}",
         "-H", f"Authorization: Bearer {bearer.token}", sandbox_faults.api_url + "/orgs"],
        capture_output=True, timeout=15)
    assert completed.returncode in (52, 56), (completed.returncode, completed.stderr)
    # The admin endpoint is never faulted.
    assert sandbox_faults.faults()["resetRate"] == 1.0


def _read_raw(response: requests.Response) -> tuple[bytes, Exception | None]:
    """Every byte the server sent, and the error that ended the read early (if any)."""
    chunks: list[bytes] = []
    try:
        for chunk in response.raw.stream(1024, decode_content=True):
            chunks.append(chunk)
    except (urllib3.exceptions.HTTPError, requests.exceptions.RequestException, OSError) as error:
        return b"".join(chunks), error
    return b"".join(chunks), None


def test_truncated_body_is_a_strict_prefix(sandbox_faults, bearer):
    path = _users_path(sandbox_faults) + "?itemsPerPage=5"
    full = _get(sandbox_faults, bearer, path)
    assert full.status_code == 200
    json.loads(full.content)
    sandbox_faults.set_faults(truncatedBodyRate=1.0)
    with _get(sandbox_faults, bearer, path, stream=True) as response:
        assert response.status_code == 200
        received, _error = _read_raw(response)
    assert received != full.content and full.content.startswith(received), (
        f"received {len(received)} bytes, not a prefix of the {len(full.content)}-byte body"
    )
    assert len(received) < len(full.content)
    with pytest.raises(ValueError):
        json.loads(received)


def test_malformed_body_is_not_json(sandbox_faults, bearer):
    sandbox_faults.set_faults(malformedBodyRate=1.0)
    response = _get(sandbox_faults, bearer, "/orgs")
    assert response.status_code == 200
    with pytest.raises(ValueError):
        json.loads(response.content)


def _timed_get(sandbox, bearer, path: str) -> tuple[float, bytes]:
    """(seconds to the last byte, body)."""
    start = time.monotonic()
    with _get(sandbox, bearer, path, stream=True, timeout=20) as response:
        assert response.status_code == 200
        body = response.content
    return time.monotonic() - start, body


# Only lower bounds on time below: the sandbox waits before it answers, so no answer can come sooner,
# however idle the machine; a busy machine only makes it later. Nothing asserts that anything was fast.


def test_trickling_body_takes_longer_to_the_last_byte(sandbox_faults, bearer, openapi_document):
    path = _users_path(sandbox_faults) + "?itemsPerPage=2"
    body = _get(sandbox_faults, bearer, path).content
    bytes_per_second = 2000
    sandbox_faults.set_faults(trickleBytesPerSecond=bytes_per_second)
    last, slow_body = _timed_get(sandbox_faults, bearer, path)
    expected = len(body) / bytes_per_second
    assert slow_body == body, "a trickled body must still arrive whole"
    assert last >= 0.6 * expected, f"last byte after {last:.3f}s; {len(body)} B at {bytes_per_second} B/s"


def test_latency_delays_every_answer(sandbox_faults, bearer):
    path = "/orgs"
    sandbox_faults.set_faults(latencyMs=300)
    delayed = [_timed_get(sandbox_faults, bearer, path)[0] for _ in range(3)]
    assert all(d >= 0.29 for d in delayed), delayed


def test_fault_draws_are_deterministic_for_a_seed(sandbox_faults, bearer):
    def draw() -> list[int]:
        sandbox_faults.set_faults(serverErrorRate=0.5, faultSeed=42)
        return [_get(sandbox_faults, bearer, "/orgs").status_code for _ in range(12)]

    first = draw()
    assert any(s == 200 for s in first) and any(s >= 500 for s in first), first
    assert draw() == first
