"""One place that sends an Atlas call with `requests` and checks the answer against the spec.

`AtlasWire.call(...)` builds the request from the operation in the OpenAPI document (path, method,
version media type), sends it, and `check_response` then asserts what every response must satisfy:
the schema for that operation/status/media type, the Content-Type, the error envelope's `error`
field, and Deprecation/Sunset headers on deprecated versions.
"""

from __future__ import annotations

import email.utils
import json
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

import requests

from wire_openapi import OpenAPIDocument
from wire_sandbox import SandboxProcess, media_type

_ACCEPT_VERSION = re.compile(r"application/vnd\.atlas\.(\d{4}-\d{2}-\d{2})\+json")
HTTP_DATE = re.compile(
    r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) "
    r"\d{4} \d{2}:\d{2}:\d{2} GMT$"
)


def same_http_date(header: str, day: str) -> bool:
    parsed = email.utils.parsedate_to_datetime(header)
    return parsed.strftime("%Y-%m-%d") == day and (parsed.hour, parsed.minute, parsed.second) == (0, 0, 0)


class SchemaViolation(AssertionError):
    """A body that does not validate against the OpenAPI document (status/header failures are not)."""


def _violation(message: str) -> None:
    raise SchemaViolation(message)


def check_response(
    document: OpenAPIDocument, operation_id: str, response: requests.Response
) -> Any:
    """Asserts a `requests` response conforms to the document; returns its (unwrapped) JSON body."""
    return check_exchange(
        document, operation_id, status=response.status_code, headers=response.headers,
        body=response.content, url=response.request.url, method=response.request.method,
        accept=response.request.headers.get("Accept") or "",
    )


def check_exchange(
    document: OpenAPIDocument, operation_id: str, *, status: int, headers: Any, body: bytes,
    url: str, method: str, accept: str,
) -> Any:
    """Asserts one HTTP exchange conforms to the document; returns the (unwrapped) JSON body.

    `headers` is any case-insensitive mapping (requests' or `CaseInsensitiveDict(...)`).
    """
    content_type = headers.get("Content-Type", "")
    mt = content_type.split(";")[0].strip().lower()
    match = _ACCEPT_VERSION.search(accept)
    version = match.group(1) if match else None
    context = f"{method} {url} -> {status} ({content_type})"
    no_content = status == 204  # removeOrgUser: no body to parse or validate
    try:
        parsed = None if no_content else json.loads(body)
    except ValueError as error:
        raise AssertionError(f"{context}: body is not JSON: {body[:300]!r}") from error
    if no_content:
        assert not body, f"{context}: a 204 with a body: {body[:300]!r}"
        assert "204" in document.operations[operation_id].raw["responses"], f"{context}: 204 not in the spec"

    operation = document.operations[operation_id]
    if status < 400:
        assert version is not None, f"{context}: a success for a request that named no version"
        expected = media_type(version) + ";charset=utf-8"
        assert content_type == expected, f"{context}: Content-Type {content_type!r} != {expected!r}"
        sunset = operation.sunset(version)
        if sunset:
            assert "Sunset" in headers, f"{context}: deprecated version without Sunset"
            assert HTTP_DATE.match(headers["Sunset"]), headers["Sunset"]
            assert same_http_date(headers["Sunset"], sunset), (
                f"{context}: Sunset {headers['Sunset']!r}, spec x-sunset {sunset}"
            )
            assert "Deprecation" in headers, f"{context}: deprecated version without Deprecation"
            assert HTTP_DATE.match(headers["Deprecation"]), headers["Deprecation"]
        else:
            for name in ("Deprecation", "Sunset"):
                assert name not in headers, f"{context}: {name} on a current version"
    else:
        assert mt == "application/json", f"{context}: error Content-Type {content_type!r}"
        params = [p.strip().lower() for p in content_type.split(";")[1:] if p.strip()]
        assert all(p == "charset=utf-8" for p in params), f"{context}: {content_type!r}"

    if no_content:
        document.seen.append(_Seen(operation_id, status, mt, version, True))
        return None

    query = parse_qs(urlsplit(url).query)
    enveloped = query.get("envelope", ["false"])[-1] == "true"
    payload = parsed
    if enveloped and status < 400:
        assert isinstance(parsed, dict) and parsed.get("status") == status, (
            f"{context}: envelope=true without status {status}: {str(parsed)[:200]}"
        )
        if "content" in parsed:
            payload = parsed["content"]
        else:  # a list response: `status` added beside results
            payload = {k: v for k, v in parsed.items() if k != "status"}

    ref, documented = document.response_schema_ref(operation_id, status, mt)
    try:
        document.validate_body(ref, payload, strict=False)
    except Exception as error:
        _violation(f"{context}: does not conform to the spec\n{error}")
    else:
        try:
            document.validate_body(ref, payload, strict=True)
        except Exception as error:
            _violation(f"{context}: has properties the spec does not declare\n{error}")

    if status >= 400:
        assert payload["error"] == status, f"{context}: envelope error {payload['error']} != {status}"
        assert isinstance(payload["errorCode"], str) and payload["errorCode"], context
    document.seen.append(_Seen(operation_id, status, mt, version, documented))
    return payload


@dataclass(frozen=True)
class _Seen:
    operation_id: str
    status: int
    media_type: str
    version: str | None
    documented: bool


class AtlasWire:
    """Sends spec operations to the sandbox with `requests` and checks every answer."""

    def __init__(self, document: OpenAPIDocument, sandbox: SandboxProcess):
        self.document = document
        self.sandbox = sandbox
        self.session = requests.Session()

    def path_of(self, operation_id: str, **path_params: str) -> str:
        return self.document.operations[operation_id].path.format(**path_params)

    def send(
        self,
        operation_id: str,
        version: str | None,
        *,
        path_params: dict | None = None,
        query: dict | list | None = None,
        body: Any = None,
        auth: Any = "digest",
        accept: str | None = None,
        headers: dict | None = None,
        timeout: float = 10,
        **kwargs,
    ) -> requests.Response:
        operation = self.document.operations[operation_id]
        url = self.sandbox.base_url + operation.path.format(**(path_params or {}))
        sent_headers: dict = {}
        if accept is not None:
            sent_headers["Accept"] = accept
        elif version is not None:
            sent_headers["Accept"] = media_type(version)
        else:
            sent_headers["Accept"] = None  # requests drops a header set to None
        data = None
        if body is not None:
            data = body if isinstance(body, bytes) else json.dumps(body).encode()
            sent_headers["Content-Type"] = media_type(version) if version else "application/json"
        sent_headers.update(headers or {})
        if auth == "digest":
            auth = self.sandbox.digest()
        return self.session.request(
            operation.method, url, params=query, data=data, headers=sent_headers,
            auth=auth, timeout=timeout, **kwargs,
        )

    def call(self, operation_id: str, version: str | None, *, expect: int | tuple = 200, **kwargs):
        """send + status assertion + check_response; returns (response, body)."""
        response = self.send(operation_id, version, **kwargs)
        expected = expect if isinstance(expect, tuple) else (expect,)
        assert response.status_code in expected, (
            f"{response.request.method} {response.request.url}: expected {expected}, got "
            f"{response.status_code}: {response.text[:500]}"
        )
        return response, check_response(self.document, operation_id, response)

    def close(self) -> None:
        self.session.close()


class BearerAuth(requests.auth.AuthBase):
    def __init__(self, token: str):
        self.token = token

    def __call__(self, request):
        request.headers["Authorization"] = f"Bearer {self.token}"
        return request

