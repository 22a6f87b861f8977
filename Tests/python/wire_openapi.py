"""Validates HTTP responses against the official Atlas OpenAPI subset (../shared/atlas-api/).

The document is OpenAPI 3.0.1, whose schema dialect is close to, but not, JSON Schema. It is turned
into Draft 2020-12 in memory (the file itself is never modified nor copied):

* `nullable: true` becomes a `"null"` member of `type` (OpenAPI 3.0 semantics).
* `discriminator` + `oneOf` (OrgUserResponse) is resolved the way OpenAPI defines it: the value of
  `orgMembershipStatus` picks the mapped schema, which must then validate. This also breaks the
  cycle the document contains (OrgUserResponse -> oneOf -> OrgActiveUserResponse -> allOf ->
  OrgUserResponse), which a plain JSON Schema validator would follow forever: the allOf members
  point at a copy of OrgUserResponse without its oneOf/discriminator.
* `pattern` is evaluated with an ECMA-262 engine (`regress`, flag `u`), as OpenAPI requires: the
  spec's `\\p{L}`/`\\p{N}` patterns (organization names) are not understood by Python's `re`. The
  patterns are NOT relaxed.
* Formats checked: `date-time` (RFC 3339) and `int32`. `email` stays an annotation: NOTES.md records
  that `inviterUsername` is "not always an email" on the real service.

Spec quirks relaxed (each one is listed in SPEC_RELAXATIONS, with the evidence for it):
* `mobileNumber` is sent as `null` by the real service (NOTES.md: "mobileNumber seen as null") while
  the document types it as a non-nullable string: it is made nullable.
* `mobileNumber`'s pattern is escaped twice in the document (`\\\\s` inside the JSON string, which is
  a literal backslash followed by `s` in any regex engine), so no real phone number can match it: the
  doubled backslashes are undone before it is compiled.
* `CloudAppUser` (2023-01-01 user) lists `password` as required, yet its own description says the
  service "does not return this parameter except in response to creating a new MongoDB Cloud user":
  the schema is shared with the create request. It is not required in the responses checked here.
* `ApiError.parameters` declares its items as objects, but the real service sends plain values
  (`"parameters": ["api/atlas/v2/orgs", 55]`; NOTES.md writes `[any]`): items may be any JSON value.

`strict=True` additionally forbids properties the document does not declare
(`unevaluatedProperties: false` on every object schema), which catches fields leaking from one API
version into the other.
"""

from __future__ import annotations

import copy
import datetime
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema
import regress
from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

SPEC_RELAXATIONS = (
    "mobileNumber: nullable (real service sends null)",
    "mobileNumber: pattern un-double-escaped (\\\\s -> \\s)",
    "CloudAppUser.password: not required in responses (its description: never returned)",
    "ApiError.parameters: items of any type (NOTES.md; the real service sends strings and numbers)",
)

# Statuses the sandbox must answer that the document does not list for an operation: they carry the
# generic error envelope (NOTES.md, "Errors"), so they are validated against ApiError.
GENERIC_ERROR_MEDIA_TYPE = "application/json"

SPEC_URI = "urn:atlas-org-users-openapi"


def locate_spec(repo_root: Path) -> Path:
    """The OpenAPI subset lives beside the checkout, in ../shared (in development and in CI)."""
    override = os.environ.get("ATLAS_OPENAPI_SPEC")
    candidates = [Path(override)] if override else []
    candidates.append(repo_root.parent / "shared" / "atlas-api" / "atlas-org-users-openapi.json")
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(
        "OpenAPI document not found; looked at " + ", ".join(str(c) for c in candidates)
    )


# --- ECMA-262 patterns ----------------------------------------------------------------------------

_ECMA_CACHE: dict[str, Any] = {}


def ecma_search(pattern: str, text: str) -> bool:
    """`pattern` semantics of JSON Schema: an unanchored ECMA-262 search, Unicode mode."""
    compiled = _ECMA_CACHE.get(pattern)
    if compiled is None:
        compiled = _ECMA_CACHE[pattern] = regress.Regex(pattern, "u")
    return compiled.find(text) is not None


def _ecma_pattern_keyword(validator, pattern, instance, schema):
    if validator.is_type(instance, "string") and not ecma_search(pattern, instance):
        yield ValidationError(f"{instance!r} does not match ECMA-262 pattern {pattern!r}")


# --- formats --------------------------------------------------------------------------------------

_RFC3339 = re.compile(
    r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$"
)

FORMAT_CHECKER = FormatChecker(formats=())


@FORMAT_CHECKER.checks("date-time", raises=ValueError)
def _is_date_time(value: object) -> bool:
    if not isinstance(value, str):
        return True
    if not _RFC3339.match(value):
        raise ValueError(f"{value!r} is not an RFC 3339 date-time")
    datetime.datetime.fromisoformat(value.replace("z", "Z").replace("t", "T"))
    return True


@FORMAT_CHECKER.checks("int32")
def _is_int32(value: object) -> bool:
    return not isinstance(value, int) or -(2**31) <= value < 2**31


OpenAPIValidator = jsonschema.validators.extend(
    Draft202012Validator, {"pattern": _ecma_pattern_keyword}
)


# --- OpenAPI 3.0 schema -> JSON Schema 2020-12 ------------------------------------------------------


def _convert(node: Any) -> Any:
    """Recursively applies the OpenAPI 3.0 -> 2020-12 rewrites that need no global view."""
    if isinstance(node, list):
        return [_convert(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: _convert(value) for key, value in node.items()}
    if out.pop("nullable", False):
        if "type" in out:
            types = out["type"] if isinstance(out["type"], list) else [out["type"]]
            out["type"] = types + ["null"] if "null" not in types else types
        if "enum" in out and None not in out["enum"]:
            out["enum"] = out["enum"] + [None]
    return out


def _relax_mobile_number(schema: dict) -> None:
    prop = schema.get("properties", {}).get("mobileNumber")
    if prop is None:
        return
    types = prop["type"] if isinstance(prop["type"], list) else [prop["type"]]
    prop["type"] = types + ["null"] if "null" not in types else types
    if "pattern" in prop:
        prop["pattern"] = prop["pattern"].replace("\\\\", "\\")


def _add_strictness(node: Any) -> None:
    """`unevaluatedProperties: false` on an object schema and the inline objects under it.

    Not applied inside `allOf` members or `if`/`then` (they see only their own properties), nor to
    the discriminator bases; evaluation through `allOf`/`$ref` is what makes it work for the rest.
    """
    if not isinstance(node, dict):
        return
    if ("properties" in node or "allOf" in node) and "unevaluatedProperties" not in node:
        node["unevaluatedProperties"] = False
    for prop in node.get("properties", {}).values():
        _add_strictness(prop)
    if isinstance(node.get("items"), dict):
        _add_strictness(node["items"])


def build_schemas(raw_spec: dict, strict: bool = False) -> dict:
    """The document's components/schemas rewritten as 2020-12, with discriminators resolved."""
    schemas = _convert(copy.deepcopy(raw_spec["components"]["schemas"]))
    bases: set[str] = set()
    for name, schema in list(schemas.items()):
        discriminator = schema.pop("discriminator", None)
        if not discriminator:
            continue
        base_name = f"{name}__base"
        bases.add(base_name)
        base = {k: v for k, v in schema.items() if k not in ("oneOf", "anyOf")}
        schemas[base_name] = base
        base_ref = f"#/components/schemas/{base_name}"
        own_ref = f"#/components/schemas/{name}"
        for target in {ref for ref in discriminator["mapping"].values()}:
            target_schema = schemas[target.rsplit("/", 1)[1]]
            target_schema["allOf"] = [
                {"$ref": base_ref} if member == {"$ref": own_ref} else member
                for member in target_schema.get("allOf", [])
            ]
        prop = discriminator["propertyName"]
        schemas[name] = {
            "type": "object",
            "required": [prop],
            "properties": {prop: {"enum": sorted(discriminator["mapping"])}},
            "allOf": [{"$ref": base_ref}]
            + [
                {
                    "if": {"properties": {prop: {"const": value}}, "required": [prop]},
                    "then": {"$ref": target},
                }
                for value, target in sorted(discriminator["mapping"].items())
            ],
        }
    cloud_app_user = schemas["CloudAppUser"]
    cloud_app_user["required"] = [r for r in cloud_app_user["required"] if r != "password"]
    schemas["ApiError"]["properties"]["parameters"]["items"] = {}
    for schema in schemas.values():
        _relax_mobile_number(schema)
        for member in schema.get("allOf", []):
            _relax_mobile_number(member)
    if strict:
        for name, schema in schemas.items():
            if name not in bases:
                _add_strictness(schema)
    return schemas


# --- responses ------------------------------------------------------------------------------------


@dataclass
class Operation:
    operation_id: str
    method: str
    path: str
    raw: dict

    def success_status(self) -> str:
        """The operation's success status as the document writes it: "200", "201" or "204"."""
        return min(status for status in self.raw["responses"] if status.startswith("2"))

    def versions(self) -> list[str]:
        content = self.raw["responses"][self.success_status()]["content"]
        return [content[mt]["x-xgen-version"] for mt in content]

    def sunset(self, version: str) -> str | None:
        media_type = f"application/vnd.atlas.{version}+json"
        return self.raw["responses"][self.success_status()]["content"].get(media_type, {}).get("x-sunset")


@dataclass
class ValidatedResponse:
    operation_id: str
    status: int
    media_type: str
    schema_name: str
    documented: bool


@dataclass
class OpenAPIDocument:
    """The document, its operations, and validators for their responses."""

    path: Path
    raw: dict
    strict: bool = False
    seen: list[ValidatedResponse] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.operations = {
            op["operationId"]: Operation(op["operationId"], method.upper(), path, op)
            for path, item in self.raw["paths"].items()
            for method, op in item.items()
            if isinstance(op, dict) and "operationId" in op
        }
        self._registries = {
            strict: self._registry(strict) for strict in (False, True)
        }

    @classmethod
    def load(cls, path: Path) -> "OpenAPIDocument":
        return cls(path=path, raw=json.loads(path.read_text()))

    def _registry(self, strict: bool) -> Registry:
        document = {"components": {"schemas": build_schemas(self.raw, strict=strict)}}
        resource = Resource(contents=document, specification=DRAFT202012)
        return Registry().with_resource(SPEC_URI, resource)

    def _resolve(self, node: dict) -> dict:
        while "$ref" in node:
            target: Any = self.raw
            for part in node["$ref"].lstrip("#/").split("/"):
                target = target[part]
            node = target
        return node

    def response_schema_ref(
        self, operation_id: str, status: int, media_type: str
    ) -> tuple[str, bool]:
        """(`$ref` of the schema for this response, whether the operation documents the status)."""
        operation = self.operations[operation_id]
        responses = operation.raw["responses"]
        entry = responses.get(str(status)) or responses.get("default")
        documented = entry is not None
        if entry is None:
            if status < 400:
                raise AssertionError(
                    f"{operation_id}: status {status} is not documented by the OpenAPI document"
                )
            # Statuses such as 406, 410 and 503 are not listed per operation; they carry ApiError.
            if media_type != GENERIC_ERROR_MEDIA_TYPE:
                raise AssertionError(
                    f"{operation_id}: undocumented error status {status} must be "
                    f"{GENERIC_ERROR_MEDIA_TYPE}, got {media_type!r}"
                )
            return "#/components/schemas/ApiError", False
        entry = self._resolve(entry)
        content = entry.get("content", {})
        if media_type not in content:
            raise AssertionError(
                f"{operation_id} {status}: media type {media_type!r} is not one of "
                f"{sorted(content)}"
            )
        schema = content[media_type]["schema"]
        if "$ref" in schema:
            return schema["$ref"], documented
        # An inline schema (listOrgInvites' plain array): keep its JSON pointer.
        return (
            json.dumps(schema),  # marker: inline
            documented,
        )

    def validate_body(self, schema_ref_or_inline: str, body: Any, strict: bool | None = None) -> None:
        """Raises jsonschema.ValidationError with every problem listed."""
        strict = self.strict if strict is None else strict
        if schema_ref_or_inline.startswith("#/"):
            schema: dict = {"$ref": SPEC_URI + schema_ref_or_inline}
        else:
            schema = _convert(json.loads(schema_ref_or_inline))
            schema = _rebase_refs(schema)
            if strict:
                _add_strictness(schema)
        validator = OpenAPIValidator(
            schema, registry=self._registries[strict], format_checker=FORMAT_CHECKER
        )
        errors = sorted(validator.iter_errors(body), key=lambda e: list(e.absolute_path))
        if errors:
            lines = [
                f"  at /{'/'.join(str(p) for p in e.absolute_path)}: {e.message[:300]}"
                for e in errors[:20]
            ]
            raise ValidationError(
                f"{len(errors)} schema violation(s) against {schema_ref_or_inline[:80]}:\n"
                + "\n".join(lines)
            )

    def validate_schema_name(self, name: str, body: Any, strict: bool | None = None) -> None:
        self.validate_body(f"#/components/schemas/{name}", body, strict=strict)


def _rebase_refs(node: Any) -> Any:
    if isinstance(node, list):
        return [_rebase_refs(n) for n in node]
    if isinstance(node, dict):
        return {
            k: (SPEC_URI + v if k == "$ref" and v.startswith("#/") else _rebase_refs(v))
            for k, v in node.items()
        }
    return node
