"""The validator the conformance tests rely on rejects what it must (no sandbox needed).

If the OpenAPI-to-JSON-Schema translation in wire_openapi.py silently accepted everything, every
conformance test would pass for nothing: these tests pin what it catches.
"""

from __future__ import annotations

import copy

import pytest
from jsonschema.exceptions import ValidationError

from wire_openapi import ecma_search

ACTIVE = {
    "id": "5c8a1b2c3d4e5f6a7b8c9d0e",
    "username": "jose.garcia.4@example.com",
    "orgMembershipStatus": "ACTIVE",
    "roles": {"orgRoles": ["ORG_MEMBER"], "groupRoleAssignments": [
        {"groupId": "5c8a1b2c3d4e5f6a7b8c9d0f", "groupRoles": ["GROUP_READ_ONLY"]}]},
    "teamIds": ["5c8a1b2c3d4e5f6a7b8c9d10"],
    "firstName": "José",
    "lastName": "García",
    "createdAt": "2021-03-04T05:06:07Z",
    "lastAuth": "2021-03-05T05:06:07Z",
    "country": "ES",
    "mobileNumber": None,
}
PENDING = {
    "id": "6a8a1b2c3d4e5f6a7b8c9d0e",
    "username": "zoe.li.1@example.com",
    "orgMembershipStatus": "PENDING",
    "roles": {"orgRoles": ["ORG_READ_ONLY"], "groupRoleAssignments": []},
    "teamIds": [],
    "invitationCreatedAt": "2026-09-21T10:00:00Z",
    "invitationExpiresAt": None,
    "inviterUsername": "alice.smith.0@example.com",
}


def _rejects(document, schema: str, body, strict=False) -> str:
    with pytest.raises(ValidationError) as caught:
        document.validate_schema_name(schema, body, strict=strict)
    return str(caught.value)


def test_valid_users_of_each_discriminated_kind_pass(openapi_document):
    for user in (ACTIVE, PENDING, dict(PENDING, orgMembershipStatus="INVITATION_EXPIRED")):
        openapi_document.validate_schema_name("OrgUserResponse", user, strict=True)
    page = {"links": [{"href": "http://x/", "rel": "self"}], "results": [ACTIVE, PENDING], "totalCount": 2}
    openapi_document.validate_schema_name("PaginatedOrgUserView", page, strict=True)


def test_discriminator_picks_the_subschema(openapi_document):
    message = _rejects(openapi_document, "OrgUserResponse", dict(ACTIVE, orgMembershipStatus="PENDING"))
    assert "invitationCreatedAt" in message
    message = _rejects(openapi_document, "OrgUserResponse", dict(PENDING, orgMembershipStatus="ACTIVE"))
    assert "firstName" in message
    _rejects(openapi_document, "OrgUserResponse", dict(ACTIVE, orgMembershipStatus="BANNED"))
    missing = {k: v for k, v in ACTIVE.items() if k != "orgMembershipStatus"}
    _rejects(openapi_document, "OrgUserResponse", missing)


def test_types_patterns_formats_and_enums_are_checked(openapi_document):
    _rejects(openapi_document, "OrgUserResponse", dict(ACTIVE, id="5C8A1B2C3D4E5F6A7B8C9D0E"))
    _rejects(openapi_document, "OrgUserResponse", dict(ACTIVE, createdAt="2021-03-04 05:06"))
    _rejects(openapi_document, "OrgUserResponse", dict(ACTIVE, country="es"))
    bad_roles = copy.deepcopy(ACTIVE)
    bad_roles["roles"]["orgRoles"] = ["ORG_MEMBER", "ORG_MEMBER"]
    _rejects(openapi_document, "OrgUserResponse", bad_roles)
    bad_roles["roles"]["orgRoles"] = ["GROUP_OWNER"]
    _rejects(openapi_document, "OrgUserResponse", bad_roles)
    _rejects(openapi_document, "OrgUserResponse", dict(ACTIVE, firstName=None))


def test_nullable_follows_openapi_3_0(openapi_document):
    openapi_document.validate_schema_name("ApiError", {"error": 400, "errorCode": "X", "detail": None,
                                                       "reason": None, "badRequestDetail": None})
    _rejects(openapi_document, "ApiError", {"error": 400, "errorCode": None})
    _rejects(openapi_document, "ApiError", {"error": "400", "errorCode": "X"})
    _rejects(openapi_document, "ApiError", {"errorCode": "X"})
    _rejects(openapi_document, "ApiError", {"error": 400, "errorCode": "X",
                                            "badRequestDetail": {"fields": [{"field": "orgRoles"}]}})


def test_unicode_property_patterns_use_ecma_semantics(openapi_document):
    organization = {"id": "5c8a1b2c3d4e5f6a7b8c9d0e", "name": "東京データ", "isDeleted": False,
                    "skipDefaultAlertsSettings": False, "links": []}
    openapi_document.validate_schema_name("AtlasOrganization", organization, strict=True)
    openapi_document.validate_schema_name("AtlasOrganization", dict(organization, name="Müller-Logistik"))
    assert "pattern" in _rejects(openapi_document, "AtlasOrganization", dict(organization, name="Acme Corp"))
    _rejects(openapi_document, "AtlasOrganization", dict(organization, name="x" * 65))
    assert ecma_search(r"^\p{L}+$", "Ñandú") and not ecma_search(r"^\p{L}+$", "N4")


def test_mobile_number_relaxations(openapi_document):
    for number in ("2125551234", "212-555-1234", "1 212 555 1234"):
        openapi_document.validate_schema_name("OrgUserResponse", dict(ACTIVE, mobileNumber=number))
    for number in ("12", "2925551234", "phone"):
        _rejects(openapi_document, "OrgUserResponse", dict(ACTIVE, mobileNumber=number))


def test_strict_mode_rejects_undeclared_properties(openapi_document):
    openapi_document.validate_schema_name("OrgUserResponse", dict(ACTIVE, links=[]), strict=False)
    assert "links" in _rejects(openapi_document, "OrgUserResponse", dict(ACTIVE, links=[]), strict=True)
    # A 2023-01-01 field leaking into the 2025-02-19 body, and the reverse.
    _rejects(openapi_document, "OrgUserResponse", dict(ACTIVE, emailAddress=ACTIVE["username"]), strict=True)
    v1_user = {"id": ACTIVE["id"], "username": ACTIVE["username"], "emailAddress": ACTIVE["username"],
               "firstName": "José", "lastName": "García", "country": "ES", "mobileNumber": None,
               "roles": [{"orgId": "5c8a1b2c3d4e5f6a7b8c9d0a", "roleName": "ORG_MEMBER"}]}
    openapi_document.validate_schema_name("CloudAppUser", v1_user, strict=True)
    _rejects(openapi_document, "CloudAppUser", dict(v1_user, orgMembershipStatus="ACTIVE"), strict=True)


def test_every_documented_response_resolves_to_a_schema(openapi_document):
    for operation_id, operation in openapi_document.operations.items():
        for status, entry in operation.raw["responses"].items():
            if status.startswith("2") and not any("schema" in c for c in entry.get("content", {}).values()):
                continue  # 204 No Content: versions, but no body to validate
            media_types = ["application/json"] if not status.startswith("2") else [
                f"application/vnd.atlas.{v}+json" for v in operation.versions()]
            for mt in media_types:
                ref, documented = openapi_document.response_schema_ref(operation_id, int(status), mt)
                assert documented and ref
    ref, documented = openapi_document.response_schema_ref("getOrg", 406, "application/json")
    assert ref.endswith("/ApiError") and not documented
    with pytest.raises(AssertionError):
        openapi_document.response_schema_ref("getOrg", 406, "text/html")
    with pytest.raises(AssertionError):
        openapi_document.response_schema_ref("getOrgUser", 200, "application/vnd.atlas.2023-01-01+json")
