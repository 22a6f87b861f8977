"""Conformance: every response of every operation, both versions, success and error, against the spec.

Requests go out with Python `requests` (HTTPDigestAuth) to the standalone sandbox; every answer goes
through `wire_checks.check_response`: the schema of the OpenAPI document for that operation, status
and media type (discriminator of OrgUserResponse resolved, ECMA-262 patterns via `regress`, no
undeclared properties), Content-Type, the error envelope, and Deprecation/Sunset on deprecated
versions. Statuses the document does not list for an operation (406, 410, 503) are checked against
the generic ApiError envelope.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass, field
from typing import Any

import pytest
import requests
from requests.auth import HTTPDigestAuth

from wire_checks import check_response

pytestmark = pytest.mark.timeout(60)

UNKNOWN_ID = "0" * 23 + "1"  # well formed, never generated (ObjectIds start with a 2019+ timestamp)
MALFORMED_ID = "not-a-24-hex-id"
ROLES = [
    "ORG_OWNER", "ORG_MEMBER", "ORG_GROUP_CREATOR", "ORG_BILLING_ADMIN", "ORG_BILLING_READ_ONLY",
    "ORG_STREAM_PROCESSING_ADMIN", "ORG_READ_ONLY",
]
NOT_FOUND_CODES = {"RESOURCE_NOT_FOUND", "USER_NOT_FOUND", "ORG_NOT_FOUND"}


@dataclass(frozen=True)
class Case:
    """One request and the status (and error codes) the sandbox must answer it with."""

    name: str
    operation: str
    version: str | None
    target: str = "org"  # which ids fill the path: org | active | pending | unknown-org | ...
    query: dict | None = None
    body: Any = None
    auth: str = "digest"  # digest | wrong | none | member
    accept: str | None = None
    expect: int | tuple = 200
    error_codes: frozenset = field(default_factory=frozenset)


V1, V2, V3 = "2023-01-01", "2025-02-19", "2025-03-12"
WRONG = "wrong"

READ_CASES = [
    # listOrgs
    Case("listOrgs", "listOrgs", V1),
    Case("listOrgs-envelope-pretty", "listOrgs", V1, query={"envelope": "true", "pretty": "true"}),
    Case("listOrgs-page-of-one", "listOrgs", V1, query={"itemsPerPage": 1, "includeCount": "false"}),
    Case("listOrgs-wrong-key", "listOrgs", V1, auth=WRONG, expect=401),
    Case("listOrgs-no-credentials", "listOrgs", V1, auth="none", expect=401),
    Case("listOrgs-no-version", "listOrgs", None, expect=406,
         error_codes=frozenset({"INVALID_VERSION_DATE"})),
    Case("listOrgs-plain-json", "listOrgs", None, accept="application/json", expect=406,
         error_codes=frozenset({"INVALID_VERSION_DATE"})),
    Case("listOrgs-unknown-version", "listOrgs", None,
         accept="application/vnd.atlas.2019-01-01+json", expect=406,
         error_codes=frozenset({"INVALID_VERSION_DATE"})),
    Case("listOrgs-itemsPerPage-501", "listOrgs", V1, query={"itemsPerPage": 501}, expect=400),
    # getOrg
    Case("getOrg", "getOrg", V1),
    Case("getOrg-envelope", "getOrg", V1, query={"envelope": "true"}),
    Case("getOrg-unknown", "getOrg", V1, target="unknown-org", expect=404,
         error_codes=frozenset(NOT_FOUND_CODES)),
    Case("getOrg-malformed-id", "getOrg", V1, target="malformed-org", expect=400),
    Case("getOrg-wrong-key", "getOrg", V1, auth=WRONG, expect=401),
    Case("getOrg-unknown-version", "getOrg", None,
         accept="application/vnd.atlas.2099-01-01+json", expect=406,
         error_codes=frozenset({"INVALID_VERSION_DATE"})),
    # listOrgUsers, both versions
    Case("listOrgUsers-v1", "listOrgUsers", V1),
    Case("listOrgUsers-v1-envelope", "listOrgUsers", V1, query={"envelope": "true", "itemsPerPage": 3}),
    Case("listOrgUsers-v1-page-2", "listOrgUsers", V1, query={"itemsPerPage": 7, "pageNum": 2}),
    Case("listOrgUsers-v1-wrong-key", "listOrgUsers", V1, auth=WRONG, expect=401),
    Case("listOrgUsers-v1-unknown-org", "listOrgUsers", V1, target="unknown-org", expect=404,
         error_codes=frozenset(NOT_FOUND_CODES)),
    Case("listOrgUsers-v1-itemsPerPage-0", "listOrgUsers", V1, query={"itemsPerPage": 0}, expect=400),
    Case("listOrgUsers-v2", "listOrgUsers", V2),
    Case("listOrgUsers-v2-no-count", "listOrgUsers", V2, query={"includeCount": "false", "itemsPerPage": 5}),
    Case("listOrgUsers-v2-pending", "listOrgUsers", V2, query={"orgMembershipStatuses": "PENDING"}),
    Case("listOrgUsers-v2-expired", "listOrgUsers", V2,
         query={"orgMembershipStatuses": "INVITATION_EXPIRED"}),
    Case("listOrgUsers-v2-envelope", "listOrgUsers", V2, query={"envelope": "true", "itemsPerPage": 2}),
    Case("listOrgUsers-v2-wrong-key", "listOrgUsers", V2, auth=WRONG, expect=401),
    Case("listOrgUsers-v2-unknown-org", "listOrgUsers", V2, target="unknown-org", expect=404,
         error_codes=frozenset(NOT_FOUND_CODES)),
    Case("listOrgUsers-v2-malformed-org", "listOrgUsers", V2, target="malformed-org", expect=400),
    Case("listOrgUsers-v2-itemsPerPage-501", "listOrgUsers", V2, query={"itemsPerPage": 501}, expect=400),
    Case("listOrgUsers-no-version", "listOrgUsers", None, expect=406,
         error_codes=frozenset({"INVALID_VERSION_DATE"})),
    # getOrgUser
    Case("getOrgUser-active", "getOrgUser", V2, target="active"),
    Case("getOrgUser-pending", "getOrgUser", V2, target="pending"),
    # Atlas: an expired invitation is found only when its status is asked for by name.
    Case("getOrgUser-expired", "getOrgUser", V2, target="expired",
         query={"orgMembershipStatuses": "INVITATION_EXPIRED"}),
    Case("getOrgUser-expired-unasked", "getOrgUser", V2, target="expired", expect=404,
         error_codes=frozenset(NOT_FOUND_CODES)),
    Case("getOrgUser-envelope", "getOrgUser", V2, target="active", query={"envelope": "true"}),
    Case("getOrgUser-unknown-user", "getOrgUser", V2, target="unknown-user", expect=404,
         error_codes=frozenset(NOT_FOUND_CODES)),
    Case("getOrgUser-malformed-user", "getOrgUser", V2, target="malformed-user", expect=400),
    Case("getOrgUser-unknown-org", "getOrgUser", V2, target="unknown-org-user", expect=404,
         error_codes=frozenset(NOT_FOUND_CODES)),
    Case("getOrgUser-wrong-key", "getOrgUser", V2, target="active", auth=WRONG, expect=401),
    Case("getOrgUser-no-version", "getOrgUser", None, target="active", expect=406,
         error_codes=frozenset({"INVALID_VERSION_DATE"})),
    # listOrgInvites
    Case("listOrgInvites", "listOrgInvites", V1),
    Case("listOrgInvites-unknown-org", "listOrgInvites", V1, target="unknown-org", expect=404,
         error_codes=frozenset(NOT_FOUND_CODES)),
    Case("listOrgInvites-wrong-key", "listOrgInvites", V1, auth=WRONG, expect=401),
    Case("listOrgInvites-member-key", "listOrgInvites", V1, auth="member", expect=401),
    # listOrgTeams
    Case("listOrgTeams", "listOrgTeams", V1),
    Case("listOrgTeams-page", "listOrgTeams", V1, query={"itemsPerPage": 2, "pageNum": 1}),
    Case("listOrgTeams-unknown-org", "listOrgTeams", V1, target="unknown-org", expect=404,
         error_codes=frozenset(NOT_FOUND_CODES)),
    Case("listOrgTeams-wrong-key", "listOrgTeams", V1, auth=WRONG, expect=401),
    Case("listOrgTeams-itemsPerPage-0", "listOrgTeams", V1, query={"itemsPerPage": 0}, expect=400),
    # getOrgGroups
    Case("getOrgGroups", "getOrgGroups", V1),
    Case("getOrgGroups-page-envelope", "getOrgGroups", V1, query={"itemsPerPage": 1, "envelope": "true"}),
    Case("getOrgGroups-name-prefix", "getOrgGroups", V1, query={"name": "PROD"}),
    Case("getOrgGroups-unknown-org", "getOrgGroups", V1, target="unknown-org", expect=404,
         error_codes=frozenset(NOT_FOUND_CODES)),
    Case("getOrgGroups-malformed-org", "getOrgGroups", V1, target="malformed-org", expect=400),
    Case("getOrgGroups-wrong-key", "getOrgGroups", V1, auth=WRONG, expect=401),
    Case("getOrgGroups-no-version", "getOrgGroups", None, expect=406,
         error_codes=frozenset({"INVALID_VERSION_DATE"})),
    # listRateLimits (no limit set in the session sandbox: an empty list; the configured buckets below)
    Case("listRateLimits", "listRateLimits", V3),
    Case("listRateLimits-org", "listRateLimits", V3, query={"orgId": "{orgId}", "envelope": "true"}),
    Case("listRateLimits-member-key", "listRateLimits", V3, auth="member"),
    Case("listRateLimits-unknown-org", "listRateLimits", V3, query={"orgId": UNKNOWN_ID}, expect=404,
         error_codes=frozenset(NOT_FOUND_CODES)),
    Case("listRateLimits-malformed-org", "listRateLimits", V3, query={"orgId": MALFORMED_ID}, expect=400),
    Case("listRateLimits-itemsPerPage-0", "listRateLimits", V3, query={"itemsPerPage": 0}, expect=400),
    Case("listRateLimits-wrong-key", "listRateLimits", V3, auth=WRONG, expect=401),
    Case("listRateLimits-no-version", "listRateLimits", None, expect=406,
         error_codes=frozenset({"INVALID_VERSION_DATE"})),
    # The preview media type's sunset (2026-04-21 in the document) has passed.
    Case("listRateLimits-preview-gone", "listRateLimits", "preview", expect=410,
         error_codes=frozenset({"VERSION_GONE"})),
]

# Refused writes change nothing, so they can run in any order against the shared sandbox.
REFUSED_WRITE_CASES = [
    Case("updateOrgUserRoles-unknown-role", "updateOrgUserRoles", V1, target="active",
         body={"orgRoles": ["ORG_MEMBER", "ORG_EMPEROR"]}, expect=400,
         error_codes=frozenset({"VALIDATION_ERROR"})),
    Case("updateOrgUserRoles-unknown-user", "updateOrgUserRoles", V1, target="unknown-user",
         body={"orgRoles": ["ORG_MEMBER"]}, expect=404, error_codes=frozenset(NOT_FOUND_CODES)),
    Case("updateOrgUserRoles-wrong-key", "updateOrgUserRoles", V1, target="active",
         body={"orgRoles": ["ORG_MEMBER"]}, auth=WRONG, expect=401),
    Case("updateOrgUserRoles-member-key", "updateOrgUserRoles", V1, target="active",
         body={"orgRoles": ["ORG_MEMBER"]}, auth="member", expect=401),
    Case("updateOrgUserRoles-no-version", "updateOrgUserRoles", None, target="active",
         body={"orgRoles": ["ORG_MEMBER"]}, expect=406, error_codes=frozenset({"INVALID_VERSION_DATE"})),
    Case("updateOrgUserRoles-empty-set", "updateOrgUserRoles", V1, target="active",
         body={"orgRoles": []}, expect=400),
    Case("updateOrgUserRoles-pending-user", "updateOrgUserRoles", V1, target="pending",
         body={"orgRoles": ["ORG_MEMBER"]}, expect=400, error_codes=frozenset({"USER_NOT_ACTIVE"})),
    Case("updateOrgUserRoles-malformed-json", "updateOrgUserRoles", V1, target="active",
         body=b'{"orgRoles": [', expect=400),
    Case("updateOrgUser-malformed-json", "updateOrgUser", V2, target="active",
         body=b"not json", expect=400),
    Case("updateOrgUser-empty-roles", "updateOrgUser", V2, target="pending",
         body={"roles": {"orgRoles": []}}, expect=400),
    Case("updateOrgUser-unknown-role", "updateOrgUser", V2, target="active",
         body={"roles": {"orgRoles": ["ORG_EMPEROR"]}}, expect=400,
         error_codes=frozenset({"VALIDATION_ERROR"})),
    Case("updateOrgUser-unknown-user", "updateOrgUser", V2, target="unknown-user",
         body={"roles": {"orgRoles": ["ORG_MEMBER"]}}, expect=404, error_codes=frozenset(NOT_FOUND_CODES)),
    Case("updateOrgUser-wrong-key", "updateOrgUser", V2, target="active",
         body={"roles": {"orgRoles": ["ORG_MEMBER"]}}, auth=WRONG, expect=401),
    Case("updateOrgUser-member-key", "updateOrgUser", V2, target="active",
         body={"roles": {"orgRoles": ["ORG_MEMBER"]}}, auth="member", expect=401),
    Case("addOrgUserRole-unknown-role", "addOrgUserRole", V2, target="active",
         body={"orgRole": "ORG_EMPEROR"}, expect=400, error_codes=frozenset({"VALIDATION_ERROR"})),
    Case("addOrgUserRole-unknown-user", "addOrgUserRole", V2, target="unknown-user",
         body={"orgRole": "ORG_READ_ONLY"}, expect=404, error_codes=frozenset(NOT_FOUND_CODES)),
    Case("addOrgUserRole-wrong-key", "addOrgUserRole", V2, target="active",
         body={"orgRole": "ORG_READ_ONLY"}, auth=WRONG, expect=401),
    Case("addOrgUserRole-member-key", "addOrgUserRole", V2, target="active",
         body={"orgRole": "ORG_READ_ONLY"}, auth="member", expect=401),
    Case("removeOrgUserRole-unknown-role", "removeOrgUserRole", V2, target="active",
         body={"orgRole": "ORG_EMPEROR"}, expect=400, error_codes=frozenset({"VALIDATION_ERROR"})),
    Case("removeOrgUserRole-unknown-user", "removeOrgUserRole", V2, target="unknown-user",
         body={"orgRole": "ORG_MEMBER"}, expect=404, error_codes=frozenset(NOT_FOUND_CODES)),
    Case("removeOrgUserRole-wrong-key", "removeOrgUserRole", V2, target="active",
         body={"orgRole": "ORG_MEMBER"}, auth=WRONG, expect=401),
    Case("removeOrgUserRole-member-key", "removeOrgUserRole", V2, target="active",
         body={"orgRole": "ORG_MEMBER"}, auth="member", expect=401),
    Case("createOrgUser-bad-email", "createOrgUser", V2,
         body={"username": "not an address", "roles": {"orgRoles": ["ORG_MEMBER"]}}, expect=400,
         error_codes=frozenset({"VALIDATION_ERROR"})),
    Case("createOrgUser-no-roles", "createOrgUser", V2, body={"username": "new.hire@example.com"}, expect=400,
         error_codes=frozenset({"VALIDATION_ERROR"})),
    Case("createOrgUser-empty-roles", "createOrgUser", V2,
         body={"username": "new.hire@example.com", "roles": {"orgRoles": []}}, expect=400),
    Case("createOrgUser-unknown-role", "createOrgUser", V2,
         body={"username": "new.hire@example.com", "roles": {"orgRoles": ["ORG_EMPEROR"]}}, expect=400,
         error_codes=frozenset({"VALIDATION_ERROR"})),
    Case("createOrgUser-unknown-team", "createOrgUser", V2,
         body={"username": "new.hire@example.com", "roles": {"orgRoles": ["ORG_MEMBER"]},
               "teamIds": [UNKNOWN_ID]}, expect=400, error_codes=frozenset({"VALIDATION_ERROR"})),
    Case("createOrgUser-malformed-json", "createOrgUser", V2, body=b'{"username": ', expect=400),
    Case("createOrgUser-unknown-org", "createOrgUser", V2, target="unknown-org",
         body={"username": "new.hire@example.com", "roles": {"orgRoles": ["ORG_MEMBER"]}}, expect=404,
         error_codes=frozenset(NOT_FOUND_CODES)),
    Case("createOrgUser-wrong-key", "createOrgUser", V2,
         body={"username": "new.hire@example.com", "roles": {"orgRoles": ["ORG_MEMBER"]}}, auth=WRONG, expect=401),
    Case("createOrgUser-member-key", "createOrgUser", V2,
         body={"username": "new.hire@example.com", "roles": {"orgRoles": ["ORG_MEMBER"]}}, auth="member",
         expect=401),
    Case("createOrgUser-old-version", "createOrgUser", V1,
         body={"username": "new.hire@example.com", "roles": {"orgRoles": ["ORG_MEMBER"]}}, expect=406,
         error_codes=frozenset({"INVALID_VERSION_DATE"})),
    Case("removeOrgUser-unknown-user", "removeOrgUser", V2, target="unknown-user", expect=404,
         error_codes=frozenset(NOT_FOUND_CODES)),
    Case("removeOrgUser-malformed-user", "removeOrgUser", V2, target="malformed-user", expect=400),
    # Atlas: the deprecated version removes ACTIVE users only; an expired invitation is not found
    # without a status filter.
    Case("removeOrgUser-v1-pending", "removeOrgUser", V1, target="pending", expect=404,
         error_codes=frozenset(NOT_FOUND_CODES)),
    Case("removeOrgUser-expired", "removeOrgUser", V2, target="expired", expect=404,
         error_codes=frozenset(NOT_FOUND_CODES)),
    Case("removeOrgUser-wrong-key", "removeOrgUser", V2, target="active", auth=WRONG, expect=401),
    Case("removeOrgUser-member-key", "removeOrgUser", V2, target="active", auth="member", expect=401),
    Case("removeOrgUser-no-version", "removeOrgUser", None, target="active", expect=406,
         error_codes=frozenset({"INVALID_VERSION_DATE"})),
]


def _user(org_users: dict, status: str, *, owner: bool | None = None) -> dict:
    for user in org_users["byStatus"].get(status, []):
        if owner is None or ("ORG_OWNER" in user["roles"]["orgRoles"]) == owner:
            return user
    raise AssertionError(f"the generated organization has no {status} user (owner={owner})")


def _path_params(case: Case, org_users: dict) -> dict:
    org_id = org_users["orgId"]
    active = _user(org_users, "ACTIVE", owner=False)["id"]
    return {
        "org": {"orgId": org_id},
        "active": {"orgId": org_id, "userId": active},
        "pending": {"orgId": org_id, "userId": _user(org_users, "PENDING")["id"]},
        "expired": {"orgId": org_id, "userId": _user(org_users, "INVITATION_EXPIRED")["id"]},
        "unknown-org": {"orgId": UNKNOWN_ID},
        "malformed-org": {"orgId": MALFORMED_ID},
        "unknown-user": {"orgId": org_id, "userId": UNKNOWN_ID},
        "malformed-user": {"orgId": org_id, "userId": MALFORMED_ID},
        "unknown-org-user": {"orgId": UNKNOWN_ID, "userId": active},
    }[case.target]


def _auth(case: Case, sandbox) -> Any:
    return {
        "digest": "digest",
        "wrong": HTTPDigestAuth(sandbox.public_key, sandbox.private_key + "-wrong"),
        "none": None,
        "member": sandbox.member_digest(),
    }[case.auth]


def run_case(case: Case, wire, atlas_sandbox, org_users) -> tuple[requests.Response, Any]:
    query = {k: (v.format(orgId=org_users["orgId"]) if v == "{orgId}" else v) for k, v in (case.query or {}).items()}
    response, body = wire.call(
        case.operation, case.version,
        path_params=_path_params(case, org_users), query=query or None, body=case.body,
        auth=_auth(case, atlas_sandbox), accept=case.accept, expect=case.expect,
    )
    if case.error_codes:
        assert body["errorCode"] in case.error_codes, f"{case.name}: errorCode {body['errorCode']}"
    return response, body


@pytest.mark.parametrize(
    "case",
    READ_CASES + REFUSED_WRITE_CASES,
    ids=lambda c: c.name,
)
def test_response_conforms(case, wire, atlas_sandbox, org_users):
    response, body = run_case(case, wire, atlas_sandbox, org_users)
    if case.auth in ("wrong", "none"):
        challenge = response.headers.get("WWW-Authenticate", "")
        assert challenge.startswith("Digest ") and 'realm="MMS Public API"' in challenge, challenge
        assert "qop=\"auth\"" in challenge, challenge


def test_cases_cover_every_operation_version_and_an_error(openapi_document):
    """The tables above reach every operation of the document, in each of its versions, and errors.

    A version past its sunset in the document is covered by its 410 `VERSION_GONE` instead of a success.
    """
    write_ops = {"updateOrgUserRoles", "updateOrgUser", "addOrgUserRole", "removeOrgUserRole", "createOrgUser",
                 "removeOrgUser"}
    cases = READ_CASES + REFUSED_WRITE_CASES
    today = datetime.date.today().isoformat()
    for operation_id, operation in openapi_document.operations.items():
        for version in operation.versions():
            sunset = operation.sunset(version)
            expected = 410 if sunset is not None and sunset <= today else 200
            covered = [c for c in cases if c.operation == operation_id and c.version == version
                       and c.expect == expected]
            if operation_id not in write_ops or expected == 410:  # successful writes: the tests below
                assert covered, f"no {expected} case for {operation_id} {version}"
        errors = {c.expect for c in cases if c.operation == operation_id and c.expect != 200}
        assert {401} <= errors and len(errors) >= 2, f"{operation_id}: errors covered {errors}"
    assert write_ops <= set(openapi_document.operations)


def _rate_limit_sets(wire, org_id: str, **query) -> list:
    _, body = wire.call("listRateLimits", V3, query={"orgId": org_id, **query})
    return body["results"]


def test_list_rate_limits_reflects_the_configured_bucket(wire, sandbox_faults, org_users):
    """The sandbox's bucket as one organization-scoped endpoint set: capacity, refill, the endpoints it
    limits; filtered by endpoint path and name as the spec's parameters say."""
    org_id = org_users["orgId"]
    patch_path = "/api/atlas/v2/orgs/{orgId}/users/{userId}"
    teams_path = "/api/atlas/v2/orgs/{orgId}/teams"
    assert _rate_limit_sets(wire, org_id) == []
    sandbox_faults.set_faults(rateLimit={"capacity": 10, "refillPerSecond": 2, "scope": "writes"})
    (writes,) = _rate_limit_sets(wire, org_id)
    assert writes["capacity"] == {"value": 10}
    assert writes["refillRate"] == {"value": 2} and writes["refillDurationSeconds"] == {"value": 1}
    assert writes["scope"] == "ORGANIZATION"
    assert {"method": "PATCH", "path": patch_path} in writes["endpoints"]
    assert all(endpoint["method"] != "GET" for endpoint in writes["endpoints"])
    assert _rate_limit_sets(wire, org_id, endpointPath=patch_path) == [writes]
    assert _rate_limit_sets(wire, org_id, endpointPath=teams_path) == []  # GETs are not limited
    assert _rate_limit_sets(wire, org_id, name=writes["endpointSetName"]) == [writes]
    assert _rate_limit_sets(wire, org_id, name="Some Other Set") == []
    _, by_project = wire.call("listRateLimits", V3, query={"groupId": UNKNOWN_ID})
    assert by_project["results"] == []  # no project-scoped sets

    # A refill that is not whole per second is stated per 60 seconds, as Atlas states its own.
    sandbox_faults.set_faults(rateLimit={"capacity": 3, "refillPerSecond": 0.5, "scope": "all"})
    (every,) = _rate_limit_sets(wire, org_id, endpointPath=teams_path)
    assert every["refillRate"] == {"value": 30} and every["refillDurationSeconds"] == {"value": 60}
    assert {"method": "GET", "path": teams_path} in every["endpoints"]


def test_list_rate_limits_refused_as_atlas_refuses_a_missing_role(wire, sandbox_faults, org_users):
    sandbox_faults.set_faults(rateLimitsRefused=True)
    _, error = wire.call("listRateLimits", V3, query={"orgId": org_users["orgId"]}, expect=401)
    assert error["errorCode"] == "USER_UNAUTHORIZED"


# --- paging, filters and the two versions' views of the same users -------------------------------


def test_paging_links_reach_every_user_once(wire, org_users, atlas_sandbox):
    org_id = org_users["orgId"]
    expected_count = atlas_sandbox.organizations[0]["userCount"]
    seen: list[str] = []
    # Every status asked for by name (Atlas's default is ACTIVE and PENDING); next links keep the filter.
    every = [("orgMembershipStatuses", s) for s in ("ACTIVE", "PENDING", "INVITATION_EXPIRED", "INVITATION_REJECTED")]
    _, body = wire.call("listOrgUsers", V2, path_params={"orgId": org_id}, query=every + [("itemsPerPage", 7)])
    assert body["totalCount"] == expected_count
    pages = 0
    while True:
        pages += 1
        seen += [u["id"] for u in body["results"]]
        assert len(body["results"]) <= 7
        rels = {link["rel"]: link["href"] for link in body["links"]}
        assert "self" in rels
        if "next" not in rels:
            break
        response = wire.session.get(rels["next"], auth=atlas_sandbox.digest(),
                                    headers={"Accept": "application/vnd.atlas.2025-02-19+json"}, timeout=10)
        assert response.status_code == 200, response.text[:300]
        body = check_response(wire.document, "listOrgUsers", response)
        assert pages < 50
    assert len(seen) == len(set(seen)) == expected_count
    assert pages == -(-expected_count // 7)


def test_include_count_false_leaves_total_out(wire, org_users):
    _, body = wire.call("listOrgUsers", V2, path_params={"orgId": org_users["orgId"]},
                        query={"includeCount": "false", "itemsPerPage": 3})
    assert "totalCount" not in body and len(body["results"]) == 3


def test_v1_lists_active_users_only_and_agrees_with_v2(wire, org_users):
    _, v1 = wire.call("listOrgUsers", V1, path_params={"orgId": org_users["orgId"]},
                      query={"itemsPerPage": 500})
    active = {u["id"]: u for u in org_users["byStatus"]["ACTIVE"]}
    assert {u["id"] for u in v1["results"]} == set(active)
    assert v1["totalCount"] == len(active)
    for user in v1["results"]:
        org_roles = sorted(r["roleName"] for r in user["roles"] if r.get("orgId") == org_users["orgId"])
        assert org_roles == sorted(active[user["id"]]["roles"]["orgRoles"]), user["username"]
        assert user["username"] == active[user["id"]]["username"]
        assert "orgMembershipStatus" not in user


def test_v2_filters_by_status_and_username(wire, org_users):
    org_id = org_users["orgId"]
    _, pending = wire.call("listOrgUsers", V2, path_params={"orgId": org_id},
                           query={"orgMembershipStatuses": "PENDING", "itemsPerPage": 500})
    assert pending["results"] and {u["orgMembershipStatus"] for u in pending["results"]} == {"PENDING"}
    assert len(pending["results"]) == len(org_users["byStatus"]["PENDING"])
    _, both = wire.call("listOrgUsers", V2, path_params={"orgId": org_id},
                        query=[("orgMembershipStatuses", "PENDING"),
                               ("orgMembershipStatuses", "INVITATION_EXPIRED"), ("itemsPerPage", 500)])
    assert {u["orgMembershipStatus"] for u in both["results"]} == {"PENDING", "INVITATION_EXPIRED"}
    target = _user(org_users, "ACTIVE", owner=False)
    _, one = wire.call("listOrgUsers", V2, path_params={"orgId": org_id},
                       query={"username": target["username"]})
    assert [u["id"] for u in one["results"]] == [target["id"]]


def test_every_membership_status_is_generated(org_users):
    assert {"ACTIVE", "PENDING", "INVITATION_EXPIRED"} <= set(org_users["byStatus"])


def test_pretty_true_pretty_prints_the_same_document(wire, org_users):
    plain, plain_body = wire.call("getOrg", V1, path_params={"orgId": org_users["orgId"]})
    pretty, pretty_body = wire.call("getOrg", V1, path_params={"orgId": org_users["orgId"]},
                                    query={"pretty": "true"})
    assert pretty_body == plain_body
    assert "\n" in pretty.text and "\n" not in plain.text.strip()


# --- successful writes (each restores what it changed) --------------------------------------------


@pytest.fixture
def restore_roles(atlas_sandbox, org_users):
    """Remembers users' server-side roles and puts them back through the admin endpoint."""
    saved: dict[str, list[str]] = {}

    def remember(user_id: str) -> list[str]:
        saved[user_id] = atlas_sandbox.server_roles(org_users["orgId"], user_id)
        return saved[user_id]

    yield remember
    for user_id, roles in saved.items():
        atlas_sandbox.set_server_roles(org_users["orgId"], user_id, roles)


def test_put_roles_replaces_the_set_and_is_deprecated(wire, atlas_sandbox, org_users, restore_roles):
    org_id, user = org_users["orgId"], _user(org_users, "ACTIVE", owner=False)
    restore_roles(user["id"])
    new_roles = ["ORG_MEMBER", "ORG_READ_ONLY"]
    response, body = wire.call("updateOrgUserRoles", V1, path_params={"orgId": org_id, "userId": user["id"]},
                               body={"orgRoles": new_roles})
    assert sorted(body["orgRoles"]) == new_roles
    assert sorted(atlas_sandbox.server_roles(org_id, user["id"])) == new_roles
    _, fetched = wire.call("getOrgUser", V2, path_params={"orgId": org_id, "userId": user["id"]})
    assert sorted(fetched["roles"]["orgRoles"]) == new_roles
    # Idempotent: the same PUT again answers the same.
    _, again = wire.call("updateOrgUserRoles", V1, path_params={"orgId": org_id, "userId": user["id"]},
                         body={"orgRoles": new_roles})
    assert sorted(again["orgRoles"]) == new_roles


def test_put_roles_with_envelope(wire, org_users, restore_roles):
    org_id, user = org_users["orgId"], _user(org_users, "ACTIVE", owner=False)
    original = restore_roles(user["id"])
    _, body = wire.call("updateOrgUserRoles", V1, path_params={"orgId": org_id, "userId": user["id"]},
                        body={"orgRoles": original}, query={"envelope": "true"})
    assert sorted(body["orgRoles"]) == sorted(original)


def test_patch_changes_a_pending_users_roles(wire, atlas_sandbox, org_users, restore_roles):
    org_id, user = org_users["orgId"], _user(org_users, "PENDING")
    restore_roles(user["id"])
    new_roles = ["ORG_BILLING_READ_ONLY", "ORG_MEMBER"]
    _, body = wire.call("updateOrgUser", V2, path_params={"orgId": org_id, "userId": user["id"]},
                        body={"roles": {"orgRoles": new_roles}})
    assert body["orgMembershipStatus"] == "PENDING"
    assert sorted(body["roles"]["orgRoles"]) == sorted(new_roles)
    assert sorted(atlas_sandbox.server_roles(org_id, user["id"])) == sorted(new_roles)


def test_patch_changes_an_active_users_roles(wire, atlas_sandbox, org_users, restore_roles):
    org_id, user = org_users["orgId"], _user(org_users, "ACTIVE", owner=False)
    restore_roles(user["id"])
    _, body = wire.call("updateOrgUser", V2, path_params={"orgId": org_id, "userId": user["id"]},
                        body={"roles": {"orgRoles": ["ORG_GROUP_CREATOR"]}})
    assert body["roles"]["orgRoles"] == ["ORG_GROUP_CREATOR"]
    assert body["orgMembershipStatus"] == "ACTIVE"


def test_add_and_remove_role(wire, atlas_sandbox, org_users, restore_roles):
    org_id, user = org_users["orgId"], _user(org_users, "ACTIVE", owner=False)
    params = {"orgId": org_id, "userId": user["id"]}
    restore_roles(user["id"])
    atlas_sandbox.set_server_roles(org_id, user["id"], ["ORG_MEMBER"])
    _, added = wire.call("addOrgUserRole", V2, path_params=params, body={"orgRole": "ORG_READ_ONLY"})
    assert sorted(added["roles"]["orgRoles"]) == ["ORG_MEMBER", "ORG_READ_ONLY"]
    # A role already held: 409, as Atlas's spec lists for addRole.
    wire.call("addOrgUserRole", V2, path_params=params, body={"orgRole": "ORG_READ_ONLY"}, expect=409)
    _, removed = wire.call("removeOrgUserRole", V2, path_params=params, body={"orgRole": "ORG_MEMBER"})
    assert removed["roles"]["orgRoles"] == ["ORG_READ_ONLY"]
    assert atlas_sandbox.server_roles(org_id, user["id"]) == ["ORG_READ_ONLY"]
    # Removing the last role is refused: "a user must have at least one role at all times".
    response, body = wire.call("removeOrgUserRole", V2, path_params=params,
                               body={"orgRole": "ORG_READ_ONLY"}, expect=(400, 409))
    assert atlas_sandbox.server_roles(org_id, user["id"]) == ["ORG_READ_ONLY"]


def test_last_owner_cannot_be_demoted(wire, atlas_sandbox, org_users, restore_roles):
    """Every path that would leave the organization without an ORG_OWNER is refused with an envelope."""
    org_id = org_users["orgId"]
    owners = [u for u in org_users["all"]
              if "ORG_OWNER" in atlas_sandbox.server_roles(org_id, u["id"])]
    keep = next((u for u in owners if u["orgMembershipStatus"] == "ACTIVE"), None)
    assert keep, "the generated organization has no ACTIVE owner"
    for user in owners:
        restore_roles(user["id"])
        if user is not keep:
            atlas_sandbox.set_server_roles(org_id, user["id"], ["ORG_MEMBER"])
    params = {"orgId": org_id, "userId": keep["id"]}
    attempts = [
        ("updateOrgUserRoles", V1, {"orgRoles": ["ORG_MEMBER"]}),
        ("updateOrgUser", V2, {"roles": {"orgRoles": ["ORG_MEMBER"]}}),
        ("removeOrgUserRole", V2, {"orgRole": "ORG_OWNER"}),
    ]
    codes = set()
    for operation, version, body in attempts:
        if operation == "removeOrgUserRole":
            atlas_sandbox.set_server_roles(org_id, keep["id"], ["ORG_OWNER", "ORG_MEMBER"])
        _, error = wire.call(operation, version, path_params=params, body=body, expect=(400, 409))
        codes.add(error["errorCode"])
        assert "ORG_OWNER" in atlas_sandbox.server_roles(org_id, keep["id"]), operation
    assert len(codes) == 1, f"one documented code for the last owner, got {codes}"


def test_put_version_gone_switch_then_patch_still_works(wire, sandbox_faults, org_users, restore_roles):
    org_id, user = org_users["orgId"], _user(org_users, "ACTIVE", owner=False)
    params = {"orgId": org_id, "userId": user["id"]}
    original = restore_roles(user["id"])
    sandbox_faults.set_faults(putVersionGone=True)
    _, error = wire.call("updateOrgUserRoles", V1, path_params=params, body={"orgRoles": ["ORG_MEMBER"]},
                         expect=410)
    assert error["errorCode"] == "VERSION_GONE"
    assert sandbox_faults.server_roles(org_id, user["id"]) == original
    _, body = wire.call("updateOrgUser", V2, path_params=params, body={"roles": {"orgRoles": ["ORG_MEMBER"]}})
    assert body["roles"]["orgRoles"] == ["ORG_MEMBER"]
    sandbox_faults.set_faults(putVersionGone=False)
    wire.call("updateOrgUserRoles", V1, path_params=params, body={"orgRoles": original})


def test_server_error_fault_answers_a_conforming_envelope(wire, sandbox_faults, org_users):
    sandbox_faults.set_faults(serverErrorRate=1.0)
    seen = set()
    for operation, version, target in [("listOrgs", V1, {}), ("getOrg", V1, {"orgId": org_users["orgId"]}),
                                       ("listOrgUsers", V2, {"orgId": org_users["orgId"]})]:
        response, body = wire.call(operation, version, path_params=target, auth=None, expect=(500, 503),
                                   headers={"Authorization": f"Bearer {_token(sandbox_faults)}"})
        seen.add(response.status_code)
        if response.status_code == 500:
            assert body["errorCode"] == "UNEXPECTED_ERROR"
    assert seen


_TOKENS: dict = {}


def _token(sandbox) -> str:
    """One service-account token per sandbox, minted before any fault is switched on."""
    if sandbox.base_url not in _TOKENS:
        _TOKENS[sandbox.base_url] = sandbox.new_token()
    return _TOKENS[sandbox.base_url]


@pytest.fixture(autouse=True, scope="module")
def _mint_token_early(atlas_sandbox):
    _token(atlas_sandbox)


def test_generated_mobile_numbers_match_the_spec_pattern(wire, org_users):
    """Pins the mobileNumber bug on its own: every ACTIVE user's number, checked one by one."""
    bad = []
    for user in org_users["byStatus"]["ACTIVE"]:
        try:
            wire.document.validate_schema_name("OrgUserResponse", user)
        except Exception:
            bad.append((user["username"], user.get("mobileNumber")))
    if bad:
        from wire_checks import SchemaViolation

        raise SchemaViolation(f"{len(bad)} users with a mobileNumber outside the spec's pattern: {bad[:5]}")


def test_hostile_text_travels_as_valid_escaped_json(tmp_path, openapi_document):
    """`--hostile` puts escapes, controls and bidi overrides in names: the JSON must still be strict
    JSON (controls escaped as \\u001b...) and the strings must arrive intact for clients to sanitize."""
    from wire_checks import AtlasWire
    from wire_sandbox import start_sandbox

    sandbox = start_sandbox(tmp_path, ["--orgs", "2", "--users", "30", "--hostile"])
    client = AtlasWire(openapi_document, sandbox)
    try:
        raw: list[bytes] = [client.send("listOrgs", V1).content]
        for org in sandbox.organizations:
            raw.append(client.send("listOrgUsers", V2, path_params={"orgId": org["id"]},
                                   query={"itemsPerPage": 500}).content)
            raw.append(client.send("listOrgTeams", V1, path_params={"orgId": org["id"]}).content)
        texts = []
        for content in raw:
            assert b"\x1b" not in content and b"\x07" not in content, "a raw control byte in a JSON body"
            body = json.loads(content.decode("utf-8"))  # strict: raw control characters are refused
            texts += [item.get("name", "") + item.get("firstName", "") + item.get("lastName", "")
                      for item in body["results"]]
        joined = "".join(texts)
        assert "\x1b[" in joined and "\u202e" in joined, "no hostile text reached the wire"
    finally:
        client.close()
        sandbox.stop()


# --- membership: invite, cancel, remove (on the second organization: removals cannot be undone) ---

def _second_org_users(wire, atlas_sandbox) -> tuple[str, list[dict]]:
    org_id = atlas_sandbox.organizations[1]["id"]
    response = wire.send(
        "listOrgUsers", V2, path_params={"orgId": org_id},
        query=[("orgMembershipStatuses", s) for s in ("ACTIVE", "PENDING", "INVITATION_EXPIRED")]
        + [("itemsPerPage", 500)])
    assert response.status_code == 200, response.text[:300]
    return org_id, response.json()["results"]


def _find_by_username(wire, org_id: str, username: str) -> list[dict]:
    _, body = wire.call("listOrgUsers", V2, path_params={"orgId": org_id},
                        query=[("username", username)] + [("orgMembershipStatuses", s) for s in (
                            "ACTIVE", "PENDING", "INVITATION_EXPIRED", "INVITATION_REJECTED")])
    return body["results"]


def test_invite_conflict_and_cancel(wire, atlas_sandbox):
    org_id, users = _second_org_users(wire, atlas_sandbox)
    _, teams = wire.call("listOrgTeams", V1, path_params={"orgId": org_id})
    team_id = teams["results"][0]["id"]
    invitation = {"username": "conformance.invitee@example.com",
                  "roles": {"orgRoles": ["ORG_READ_ONLY", "ORG_MEMBER"]}, "teamIds": [team_id]}
    _, created = wire.call("createOrgUser", V2, path_params={"orgId": org_id}, body=invitation, expect=201)
    assert created["orgMembershipStatus"] == "PENDING"
    assert created["username"] == invitation["username"]
    assert sorted(created["roles"]["orgRoles"]) == ["ORG_MEMBER", "ORG_READ_ONLY"]
    assert created["teamIds"] == [team_id]
    assert created["inviterUsername"] == atlas_sandbox.public_key
    assert [u["id"] for u in _find_by_username(wire, org_id, invitation["username"])] == [created["id"]]
    # Pending or active: a conflict, whatever the letter case of the address.
    _, conflict = wire.call("createOrgUser", V2, path_params={"orgId": org_id},
                            body=dict(invitation, username=invitation["username"].upper()), expect=409)
    assert conflict["errorCode"] == "USER_ALREADY_IN_ORG"
    active = next(u for u in users if u["orgMembershipStatus"] == "ACTIVE")
    wire.call("createOrgUser", V2, path_params={"orgId": org_id},
              body=dict(invitation, username=active["username"]), expect=409)
    # Cancelling the invitation is the DELETE; a second DELETE finds nothing.
    params = {"orgId": org_id, "userId": created["id"]}
    response, _ = wire.call("removeOrgUser", V2, path_params=params, expect=204)
    assert response.content == b""
    assert _find_by_username(wire, org_id, invitation["username"]) == []
    wire.call("removeOrgUser", V2, path_params=params, expect=404)


def test_invite_replaces_an_expired_invitation(wire, atlas_sandbox):
    org_id, users = _second_org_users(wire, atlas_sandbox)
    expired = next(u for u in users if u["orgMembershipStatus"] == "INVITATION_EXPIRED")
    _, created = wire.call("createOrgUser", V2, path_params={"orgId": org_id}, expect=201, query={"envelope": "true"},
                           body={"username": expired["username"], "roles": {"orgRoles": ["ORG_MEMBER"]}})
    assert created["id"] != expired["id"] and created["orgMembershipStatus"] == "PENDING"
    assert [u["id"] for u in _find_by_username(wire, org_id, expired["username"])] == [created["id"]]


def test_remove_active_users_in_both_versions_but_never_the_last_owner(wire, atlas_sandbox):
    org_id, users = _second_org_users(wire, atlas_sandbox)
    members = [u for u in users if u["orgMembershipStatus"] == "ACTIVE" and "ORG_OWNER" not in u["roles"]["orgRoles"]]
    for version, user in ((V1, members[-1]), (V2, members[-2])):
        wire.call("removeOrgUser", version, path_params={"orgId": org_id, "userId": user["id"]}, expect=204)
        assert _find_by_username(wire, org_id, user["username"]) == []
    owners = [u for u in users if u["orgMembershipStatus"] == "ACTIVE" and "ORG_OWNER" in u["roles"]["orgRoles"]]
    assert len(owners) >= 2, "the generated organization has a second owner"
    for owner in owners[:-1]:
        wire.call("removeOrgUser", V2, path_params={"orgId": org_id, "userId": owner["id"]}, expect=204)
    last = owners[-1]
    _, refusal = wire.call("removeOrgUser", V2, path_params={"orgId": org_id, "userId": last["id"]}, expect=400)
    assert refusal["errorCode"] == "CANNOT_REMOVE_LAST_ORG_OWNER"
    assert [u["id"] for u in _find_by_username(wire, org_id, last["username"])] == [last["id"]]
    deletes = [e for e in atlas_sandbox.journal() if e["method"] == "DELETE"]
    assert deletes and all(e["body"] is None for e in deletes)


def test_projects_are_named_and_match_the_users_group_ids(wire, org_users):
    org_id = org_users["orgId"]
    _, groups = wire.call("getOrgGroups", V1, path_params={"orgId": org_id})
    names = {g["id"]: g["name"] for g in groups["results"]}
    assert groups["totalCount"] == len(names) >= 2 and all(names.values())
    assigned = {a["groupId"] for u in org_users["all"] for a in u["roles"]["groupRoleAssignments"]}
    assert assigned and assigned <= set(names)
