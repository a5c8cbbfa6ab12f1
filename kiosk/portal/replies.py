"""The shapes every reference-portal answer is built from (shared by the server and its upload
endpoints, so both speak the same error body: docs/portal-api.md, "Error body")."""

from __future__ import annotations

from typing import Any

__all__ = ["Reply", "error"]

#: (status, JSON-able body, extra headers)
Reply = tuple[int, Any, dict[str, str]]


def error(code: str, message: str, field_name: str | None = None, **extra: Any) -> dict[str, Any]:
    """`{"error": {"code", "message", "field", ...extra}}`; `message` never echoes a value."""
    return {"error": {"code": code, "message": message, "field": field_name, **extra}}
