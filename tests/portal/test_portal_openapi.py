"""docs/openapi.json describes exactly the routes the server answers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import requests
from portal_helpers import TOKEN

from kiosk.portal.embedded import EmbeddedPortal
from kiosk.portal.server import ROUTES

SPEC = json.loads((Path(__file__).resolve().parents[2] / "docs" / "openapi.json").read_text(encoding="utf-8"))
HTTP_METHODS = {"get", "post", "put", "delete", "patch", "head", "options", "trace"}
SAMPLE = {"{code}": "H12.22.10-261127-0001", "{sha256}": "ab" * 32}


def _concrete(template: str) -> str:
    for name, value in SAMPLE.items():
        template = template.replace(name, value)
    return template


def test_spec_is_openapi_3_1() -> None:
    assert SPEC["openapi"].startswith("3.1")


def test_every_route_is_documented_and_nothing_else() -> None:
    documented = {(m.upper(), path) for path, ops in SPEC["paths"].items() for m in ops if m in HTTP_METHODS}
    assert documented == set(ROUTES)


@pytest.mark.parametrize(("method", "template"), ROUTES)
def test_server_answers_every_listed_route(portal: EmbeddedPortal, method: str, template: str) -> None:
    resp = requests.request(method, portal.url + _concrete(template), timeout=(2, 5),
                            headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"},
                            data=b"{}" if method == "POST" else None)
    body = resp.json() if method != "HEAD" else {}
    error = body.get("error", {}) if isinstance(body, dict) else {}
    assert resp.status_code != 405 and not (resp.status_code == 404 and "endpoint" in error.get("message", ""))
    documented = SPEC["paths"][template][method.lower()]["responses"]
    assert str(resp.status_code) in documented


@pytest.mark.parametrize(("method", "path", "status"), [
    ("GET", "/", 404), ("GET", "/api/v2/health", 404), ("GET", "/api/v1/dossiers/a/b", 404),
    ("DELETE", "/api/v1/dossiers/H12-261127-0001", 405), ("PUT", "/api/v1/health", 405),
    ("GET", "/api/v1/attachments/" + "ab" * 32, 405), ("POST", "/api/v1/attachments/" + "ab" * 32, 405),
    ("PUT", "/api/v1/attachments/" + "ab" * 32 + "/x", 404),
])
def test_unlisted_routes_are_404_or_405(portal: EmbeddedPortal, method: str, path: str, status: int) -> None:
    resp = requests.request(method, portal.url + path, timeout=(2, 5), headers={"Authorization": f"Bearer {TOKEN}"})
    assert resp.status_code == status
    assert resp.json()["error"]["code"] in ("not_found", "method_not_allowed")
