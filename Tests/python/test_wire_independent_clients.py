"""Independent clients agree with the sandbox: plain `curl` and Python `requests`, no project code.

* `curl --digest -u PUB:PRIV` and `requests` + `HTTPDigestAuth` succeed on every read and on the PUT
  with the right key, and get a 401 error envelope (JSON, errorCode) with a wrong one.
* A service-account token minted with plain `curl` (Basic client credentials) works as
  `Authorization: Bearer`; after `/api/oauth/revoke` it does not.
* Every answer is also checked against the OpenAPI document (wire_checks.check_exchange).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import secrets
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
from requests.auth import HTTPDigestAuth
from requests.structures import CaseInsensitiveDict

from polling import wait_until
from wire_checks import BearerAuth, check_exchange, check_response
from wire_sandbox import media_type, start_sandbox

pytestmark = pytest.mark.timeout(60)

V1, V2 = "2023-01-01", "2025-02-19"


@dataclass
class CurlResult:
    exit_code: int
    status: int
    headers: CaseInsensitiveDict
    body: bytes
    url: str
    method: str
    accept: str


def curl(url: str, *args: str, method: str = "GET", accept: str = "", timeout: float = 10) -> CurlResult:
    """Runs the system curl; headers are those of the last response (after a Digest challenge)."""
    with tempfile.TemporaryDirectory() as tmp:
        head_path, body_path = Path(tmp) / "head", Path(tmp) / "body"
        command = ["curl", "-sS", "--max-time", str(timeout), "-D", str(head_path),
                   "-o", str(body_path), "-X", method]
        if accept:
            command += ["-H", f"Accept: {accept}"]
        completed = subprocess.run([*command, *args, url], capture_output=True, timeout=timeout + 5)
        head = head_path.read_bytes() if head_path.exists() else b""
        body = body_path.read_bytes() if body_path.exists() else b""
    blocks = [b for b in head.decode("latin-1").replace("\r\n", "\n").split("\n\n") if b.strip()]
    headers: CaseInsensitiveDict = CaseInsensitiveDict()
    status = 0
    if blocks:
        lines = blocks[-1].split("\n")
        status = int(lines[0].split()[1])
        for line in lines[1:]:
            if ":" in line:
                name, value = line.split(":", 1)
                headers[name.strip()] = value.strip()
    return CurlResult(completed.returncode, status, headers, body, url, method, accept)


def check_curl(document, operation_id: str, result: CurlResult, expect: int):
    assert result.exit_code == 0, f"curl exited {result.exit_code}"
    assert result.status == expect, f"{result.method} {result.url}: {result.status} {result.body[:300]!r}"
    return check_exchange(document, operation_id, status=result.status, headers=result.headers,
                          body=result.body, url=result.url, method=result.method, accept=result.accept)


@pytest.fixture(scope="module")
def reads(atlas_sandbox, org_users):
    """(operationId, version, URL) of every read, on real ids of the first organization."""
    org = org_users["orgId"]
    active = next(u for u in org_users["byStatus"]["ACTIVE"])
    pending = org_users["byStatus"]["PENDING"][0]
    api = atlas_sandbox.api_url
    return [
        ("listOrgs", V1, f"{api}/orgs"),
        ("getOrg", V1, f"{api}/orgs/{org}"),
        ("listOrgUsers", V1, f"{api}/orgs/{org}/users?itemsPerPage=10"),
        ("listOrgUsers", V2, f"{api}/orgs/{org}/users?itemsPerPage=10&pageNum=2"),
        ("getOrgUser", V2, f"{api}/orgs/{org}/users/{active['id']}"),
        ("getOrgUser", V2, f"{api}/orgs/{org}/users/{pending['id']}"),
        ("listOrgInvites", V1, f"{api}/orgs/{org}/invites"),
        ("listOrgTeams", V1, f"{api}/orgs/{org}/teams"),
    ]


def _non_owner(org_users) -> dict:
    return next(u for u in org_users["byStatus"]["ACTIVE"] if "ORG_OWNER" not in u["roles"]["orgRoles"])


# --- curl -----------------------------------------------------------------------------------------


def test_curl_digest_reads(openapi_document, atlas_sandbox, reads):
    credentials = f"{atlas_sandbox.public_key}:{atlas_sandbox.private_key}"
    for operation_id, version, url in reads:
        result = curl(url, "--digest", "-u", credentials, accept=media_type(version))
        check_curl(openapi_document, operation_id, result, 200)


def test_curl_digest_put_roles(openapi_document, atlas_sandbox, org_users):
    org, user = org_users["orgId"], _non_owner(org_users)
    original = atlas_sandbox.server_roles(org, user["id"])
    try:
        result = curl(
            f"{atlas_sandbox.api_url}/orgs/{org}/users/{user['id']}/roles", "--digest",
            "-u", f"{atlas_sandbox.public_key}:{atlas_sandbox.private_key}",
            "-H", f"Content-Type: {media_type(V1)}",
            "--data-binary", json.dumps({"orgRoles": ["ORG_MEMBER", "ORG_BILLING_READ_ONLY"]}),
            method="PUT", accept=media_type(V1),
        )
        body = check_curl(openapi_document, "updateOrgUserRoles", result, 200)
        assert sorted(body["orgRoles"]) == ["ORG_BILLING_READ_ONLY", "ORG_MEMBER"]
        assert sorted(atlas_sandbox.server_roles(org, user["id"])) == ["ORG_BILLING_READ_ONLY", "ORG_MEMBER"]
    finally:
        atlas_sandbox.set_server_roles(org, user["id"], original)


@pytest.mark.parametrize("which", ["private", "public"])
def test_curl_digest_wrong_key_gets_401_envelope(openapi_document, atlas_sandbox, reads, which):
    public, private = atlas_sandbox.public_key, atlas_sandbox.private_key
    credentials = f"{public}:{private[:-1]}x" if which == "private" else f"nobody{public}:{private}"
    for operation_id, version, url in reads[:3]:
        result = curl(url, "--digest", "-u", credentials, accept=media_type(version))
        body = check_curl(openapi_document, operation_id, result, 401)
        assert body["errorCode"]
        assert result.headers["WWW-Authenticate"].startswith("Digest ")


def test_curl_without_credentials_gets_challenge_and_envelope(openapi_document, atlas_sandbox):
    result = curl(f"{atlas_sandbox.api_url}/orgs", accept=media_type(V1))
    check_curl(openapi_document, "listOrgs", result, 401)
    challenge = result.headers["WWW-Authenticate"]
    assert 'realm="MMS Public API"' in challenge and 'qop="auth"' in challenge and "nonce=" in challenge


def _curl_token(sandbox, client_id=None, secret=None) -> CurlResult:
    return curl(
        f"{sandbox.base_url}/api/oauth/token",
        "-u", f"{client_id or sandbox.client_id}:{secret or sandbox.client_secret}",
        "-H", "Content-Type: application/x-www-form-urlencoded",
        "--data", "grant_type=client_credentials", method="POST", accept="application/json",
    )


def test_curl_service_account_token_works_until_revoked(openapi_document, atlas_sandbox, reads):
    minted = _curl_token(atlas_sandbox)
    assert minted.exit_code == 0 and minted.status == 200, minted.body[:300]
    grant = json.loads(minted.body)
    assert grant["token_type"].lower() == "bearer" and grant["expires_in"] > 0
    token = grant["access_token"]
    assert token and token != atlas_sandbox.client_secret
    bearer = f"Authorization: Bearer {token}"
    for operation_id, version, url in reads:
        check_curl(openapi_document, operation_id, curl(url, "-H", bearer, accept=media_type(version)), 200)

    revoked = curl(
        f"{atlas_sandbox.base_url}/api/oauth/revoke",
        "-u", f"{atlas_sandbox.client_id}:{atlas_sandbox.client_secret}",
        "--data", f"token={token}&token_type_hint=access_token", method="POST",
    )
    assert revoked.exit_code == 0 and revoked.status == 200, revoked.body[:300]
    for operation_id, version, url in reads[:2]:
        after = curl(url, "-H", bearer, accept=media_type(version))
        body = check_curl(openapi_document, operation_id, after, 401)
        assert body["errorCode"]


def test_curl_service_account_wrong_secret_is_refused(atlas_sandbox):
    refused = _curl_token(atlas_sandbox, secret=atlas_sandbox.client_secret + "x")
    assert refused.exit_code == 0 and refused.status == 401, (refused.status, refused.body[:300])
    assert b"access_token" not in refused.body


def test_curl_made_up_bearer_token_is_refused(openapi_document, atlas_sandbox):
    result = curl(f"{atlas_sandbox.api_url}/orgs", "-H", "Authorization: Bearer not-a-token",
                  accept=media_type(V1))
    check_curl(openapi_document, "listOrgs", result, 401)


# --- Python requests --------------------------------------------------------------------------------


def test_requests_digest_reads_and_put(openapi_document, atlas_sandbox, reads, org_users):
    for operation_id, version, url in reads:
        # A fresh auth object each time: every call answers its own challenge round.
        response = requests.get(url, auth=atlas_sandbox.digest(),
                                headers={"Accept": media_type(version)}, timeout=10)
        assert response.status_code == 200, response.text[:300]
        check_response(openapi_document, operation_id, response)
    org, user = org_users["orgId"], _non_owner(org_users)
    original = atlas_sandbox.server_roles(org, user["id"])
    response = requests.put(
        f"{atlas_sandbox.api_url}/orgs/{org}/users/{user['id']}/roles", auth=atlas_sandbox.digest(),
        headers={"Accept": media_type(V1), "Content-Type": media_type(V1)},
        data=json.dumps({"orgRoles": original}), timeout=10,
    )
    assert response.status_code == 200, response.text[:300]
    assert sorted(check_response(openapi_document, "updateOrgUserRoles", response)["orgRoles"]) == sorted(original)


def test_requests_digest_reuses_nonce_across_calls(openapi_document, atlas_sandbox, reads):
    """One HTTPDigestAuth object: later calls reuse the nonce with nc=2, 3, ... and must still pass."""
    auth = atlas_sandbox.digest()
    with requests.Session() as session:
        for operation_id, version, url in reads * 2:
            response = session.get(url, auth=auth, headers={"Accept": media_type(version)}, timeout=10)
            assert response.status_code == 200, response.text[:300]
            check_response(openapi_document, operation_id, response)
    assert auth._thread_local.nonce_count >= 2


def test_large_answers_are_gzipped_as_atlas_does(atlas_sandbox, org_users):
    """Atlas compresses (`Vary: Accept-Encoding`): a client that accepts gzip gets a gzip body that
    inflates to the same document; one that does not gets it plain."""
    url = f"{atlas_sandbox.api_url}/orgs/{org_users['orgId']}/users?itemsPerPage=100"
    headers = {"Accept": media_type(V2)}
    gzipped = requests.get(url, auth=atlas_sandbox.digest(), timeout=10,
                           headers=dict(headers, **{"Accept-Encoding": "gzip"}), stream=True)
    raw = gzipped.raw.read(decode_content=False)
    assert gzipped.status_code == 200
    assert gzipped.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in gzipped.headers["Vary"]
    plain = requests.get(url, auth=atlas_sandbox.digest(), timeout=10,
                         headers=dict(headers, **{"Accept-Encoding": "identity"}))
    assert "Content-Encoding" not in plain.headers
    assert json.loads(gzip.decompress(raw)) == plain.json()
    assert len(raw) < len(plain.content) / 2


def test_requests_digest_wrong_key_gets_401_envelope(openapi_document, atlas_sandbox, reads):
    wrong = HTTPDigestAuth(atlas_sandbox.public_key, "wrong-" + atlas_sandbox.private_key)
    for operation_id, version, url in reads:
        response = requests.get(url, auth=wrong, headers={"Accept": media_type(version)}, timeout=10)
        assert response.status_code == 401
        body = check_response(openapi_document, operation_id, response)
        assert body["errorCode"] and body["error"] == 401


def test_requests_bearer_token(openapi_document, atlas_sandbox, reads):
    token = atlas_sandbox.new_token()
    for operation_id, version, url in reads:
        response = requests.get(url, auth=BearerAuth(token), headers={"Accept": media_type(version)},
                                timeout=10)
        assert response.status_code == 200, response.text[:300]
        check_response(openapi_document, operation_id, response)


def test_journal_records_curl_without_secrets(atlas_sandbox):
    atlas_sandbox.clear_journal()
    token = json.loads(_curl_token(atlas_sandbox).body)["access_token"]
    credentials = f"{atlas_sandbox.public_key}:{atlas_sandbox.private_key}"
    curl(f"{atlas_sandbox.api_url}/orgs?pretty=true", "--digest", "-u", credentials,
         accept=media_type(V1))
    curl(f"{atlas_sandbox.api_url}/orgs", "-H", f"Authorization: Bearer {token}", accept=media_type(V1))
    journal = atlas_sandbox.journal()
    text = json.dumps(journal)
    for secret in (atlas_sandbox.private_key, atlas_sandbox.client_secret, token):
        assert secret not in text, "a secret reached the journal"
    orgs_calls = [e for e in journal if e["path"].endswith("/api/atlas/v2/orgs")]
    assert [e["status"] for e in orgs_calls] == [401, 200, 200], [(e["method"], e["status"]) for e in journal]
    assert any("pretty=true" in json.dumps(e.get("query")) for e in orgs_calls)
    assert all(e["method"] == "GET" for e in orgs_calls)


# --- Digest by hand (RFC 7616), independent of any HTTP library's implementation ------------------


def _challenge(sandbox, path: str) -> dict:
    response = requests.get(sandbox.base_url + path, headers={"Accept": media_type(V1)}, timeout=10)
    assert response.status_code == 401
    header = response.headers["WWW-Authenticate"]
    assert header.startswith("Digest ")
    return dict(re.findall(r'(\w+)="?([^",]*)"?', header[len("Digest "):]))


def _digest_header(sandbox, method: str, uri: str, challenge: dict, nc: int, algorithm: str,
                   password: str | None = None) -> str:
    hash_ = {"MD5": hashlib.md5, "SHA-256": hashlib.sha256}[algorithm]

    def h(text: str) -> str:
        return hash_(text.encode()).hexdigest()

    cnonce = secrets.token_hex(8)
    ha1 = h(f"{sandbox.public_key}:{challenge['realm']}:{password or sandbox.private_key}")
    ha2 = h(f"{method}:{uri}")
    nc_text = f"{nc:08x}"
    response = h(f"{ha1}:{challenge['nonce']}:{nc_text}:{cnonce}:auth:{ha2}")
    return (f'Digest username="{sandbox.public_key}", realm="{challenge["realm"]}", '
            f'nonce="{challenge["nonce"]}", uri="{uri}", algorithm={algorithm}, qop=auth, '
            f'nc={nc_text}, cnonce="{cnonce}", response="{response}"')


@pytest.mark.parametrize("algorithm", ["MD5", "SHA-256"])
def test_hand_rolled_digest_counts_and_replays(atlas_sandbox, algorithm):
    uri = "/api/atlas/v2/orgs?pretty=true"
    challenge = _challenge(atlas_sandbox, uri)
    assert challenge["realm"] == "MMS Public API" and challenge["qop"] == "auth"

    def get(nc: int, **kwargs) -> requests.Response:
        header = _digest_header(atlas_sandbox, "GET", uri, challenge, nc, algorithm, **kwargs)
        return requests.get(atlas_sandbox.base_url + uri, timeout=10,
                            headers={"Accept": media_type(V1), "Authorization": header})

    assert get(1).status_code == 200
    assert get(2).status_code == 200, "reusing a nonce with a growing nc must be accepted"
    replay = get(2)
    assert replay.status_code == 401, "a replayed nc must be refused"
    assert replay.json()["error"] == 401
    assert get(3, password="wrong").status_code == 401
    assert get(4).status_code == 200


def test_digest_for_another_uri_is_refused(atlas_sandbox):
    challenge = _challenge(atlas_sandbox, "/api/atlas/v2/orgs")
    header = _digest_header(atlas_sandbox, "GET", "/api/atlas/v2/orgs", challenge, 1, "MD5")
    org = atlas_sandbox.organizations[0]["id"]
    response = requests.get(f"{atlas_sandbox.api_url}/orgs/{org}", timeout=10,
                            headers={"Accept": media_type(V1), "Authorization": header})
    assert response.status_code == 401


def test_service_account_token_expires(tmp_path):
    """A second, tiny sandbox with 2-second tokens: the token works, then (polled) stops working.

    Two seconds, not one: the token must still be good when first used, even on a busy machine."""
    sandbox = start_sandbox(tmp_path, ["--orgs", "1", "--users", "3", "--token-lifetime", "2"])
    try:
        grant = json.loads(_curl_token(sandbox).body)
        assert grant["expires_in"] == 2
        url = f"{sandbox.api_url}/orgs"
        headers = {"Accept": media_type(V1), "Authorization": f"Bearer {grant['access_token']}"}
        assert requests.get(url, headers=headers, timeout=10).status_code == 200

        def refused_status():
            status = requests.get(url, headers=headers, timeout=10).status_code
            return status if status != 200 else None

        # The deadline only guards against a hang: the token must stop working, however long that takes.
        assert wait_until(refused_status, timeout=30, message="the token to stop working") == 401
    finally:
        sandbox.stop()
