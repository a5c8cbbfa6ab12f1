"""What the portal answered, as one error of `kiosk.domain.portal_contract` or a checked value.

Split out of `kiosk.portal.client` so the client reads as its calls. The rule that matters most
for a queue of dossiers: only the portal's own JSON refusal of ONE request (`{"error": {"code":
...}}`, a 4xx) is `PortalRejected` and parks that dossier. An answer that did not come from the
portal's API at all (a proxy's or captive network's HTML page, a redirect, `404`/`405` on a route
the portal must have) says the URL, a proxy or the network is wrong: `PortalMisrouted`, which
parks nothing (the relay stops sending and raises an alarm instead).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, UTC
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Any

from kiosk.domain.codes import is_dossier_code
from kiosk.domain.portal_contract import (
    Dossier,
    Health,
    PortalBadResponse,
    PortalBusy,
    PortalConfigError,
    PortalError,
    PortalMisrouted,
    PortalRejected,
    PortalServerError,
    PortalTimeout,
    PortalUnreachable,
)

if TYPE_CHECKING:
    import requests

__all__ = ["Answer", "Dossier", "Health", "bad", "dossier", "error_fields", "misrouted",
           "parse_retry_after", "procedure", "status_error", "timestamp", "transport_error"]

MAX_RETRY_AFTER_S = 24 * 3600.0


@dataclass(frozen=True)
class Answer:
    """One HTTP answer, read in full (within the client's size limit)."""

    method: str
    status: int
    headers: requests.structures.CaseInsensitiveDict[str]
    body: bytes

    @property
    def is_json(self) -> bool:
        ctype = self.headers.get("Content-Type", "").split(";")[0].strip().lower()
        return ctype == "application/json"


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP-date); None if absent/bad."""
    if value is None:
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():
        return min(float(value), MAX_RETRY_AFTER_S)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    now = now or datetime.now(UTC)
    return min(max((when - now).total_seconds(), 0.0), MAX_RETRY_AFTER_S)


def _causes(exc: BaseException) -> list[BaseException]:
    """Every exception wrapped inside `exc` (requests and urllib3 nest them in args and .reason)."""
    seen: list[BaseException] = []
    stack: list[object] = [exc]
    while stack and len(seen) < 32:
        item = stack.pop()
        if not isinstance(item, BaseException) or any(item is s for s in seen):
            continue
        seen.append(item)
        stack.extend([item.__cause__, item.__context__, getattr(item, "reason", None), *item.args])
    return seen


def transport_error(exc: BaseException, deadline_s: float | None = None) -> PortalError:
    """A failure below HTTP. `deadline_s`: the call's total deadline ran out (and cut it)."""
    import requests  # loaded with the client's first request (``PortalClient``), not before
    import urllib3.exceptions

    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return PortalUnreachable("Portal did not accept a connection in time: check the network; will retry.")
    if deadline_s is not None:
        return PortalTimeout(f"Portal did not finish answering within the {deadline_s:g} s deadline "
                             "(a slow or trickling connection); outcome unknown: ask before resending.")
    if isinstance(exc, requests.exceptions.SSLError):
        return PortalUnreachable(
            "TLS handshake with the portal failed (request not sent): IT should check the kiosk clock, "
            "the CA bundle, the kiosk's client certificate and any captive network portal."
        )
    if isinstance(exc, (requests.exceptions.InvalidURL, requests.exceptions.MissingSchema,
                        requests.exceptions.InvalidSchema, requests.exceptions.InvalidHeader)):
        return PortalConfigError("Portal URL or header settings are invalid: fix the kiosk config.")
    if isinstance(exc, requests.exceptions.ReadTimeout):
        return PortalTimeout("Portal did not answer in time; it may have the request: ask it before resending.")
    if isinstance(exc, requests.exceptions.ContentDecodingError):
        return PortalBadResponse("Portal answer could not be decoded; outcome unknown: ask before resending.")
    if isinstance(exc, requests.exceptions.ConnectionError) and not isinstance(
        exc, requests.exceptions.ChunkedEncodingError
    ):
        connect_phase = (urllib3.exceptions.NewConnectionError, urllib3.exceptions.ConnectTimeoutError)
        if any(isinstance(c, connect_phase) for c in _causes(exc)):
            return PortalUnreachable("Cannot connect to the portal (network down or portal off): will retry.")
    return PortalTimeout("Connection to the portal broke after sending; outcome unknown: ask before resending.")


def error_fields(answer: Answer) -> tuple[str, str | None, str | None] | None:
    """(message, code, field) of the portal's JSON `{"error": {...}}` body; None if the answer is
    not one (not JSON, or another shape: then it did not come from the portal's API)."""
    if not answer.is_json:
        return None
    try:
        body = json.loads(answer.body)
    except (ValueError, RecursionError):
        return None
    err = body.get("error") if isinstance(body, dict) else None
    if not isinstance(err, dict) or not isinstance(err.get("code"), str):
        return None
    def pick(key: str) -> str | None:
        value = err.get(key)
        return value[:300] if isinstance(value, str) else None

    return pick("message") or "", pick("code"), pick("field")


def misrouted(what: str, status: int) -> PortalMisrouted:
    return PortalMisrouted(
        f"The answer ({status}) did not come from the portal's API: {what}. Check portal.url, any "
        "proxy and a captive network login page; nothing was parked, sending resumes once the "
        "portal answers.", status=status)


def status_error(answer: Answer, *, route_must_exist: bool) -> PortalError:
    """The error for a non-2xx answer. `route_must_exist`: a 404 here cannot mean "no such
    thing" (the route itself is part of the contract), so it means "not the portal"."""
    status = answer.status
    retry_after = parse_retry_after(answer.headers.get("Retry-After"))
    if 300 <= status < 400:
        return misrouted("a redirect (to a login page, or from http to https)", status)
    if status >= 500:
        return PortalServerError(f"Portal error {status}: it is having trouble; will retry.",
                                 status=status, retry_after=retry_after)
    audit_conflict = status == 409 and (error_fields(answer) or ("", "", ""))[1] in (
        "audit_regressed", "audit_forked")
    if status in (409, 429) and not audit_conflict:
        what = "the same request is still being processed" if status == 409 else "too many requests"
        return PortalBusy(f"Portal busy ({status}: {what}); will retry shortly.",
                          status=status, retry_after=retry_after)
    if 400 <= status < 500:
        fields = error_fields(answer)
        if fields is None and answer.method == "HEAD" and answer.is_json:
            fields = ("", None, None)  # a HEAD answer has no body: its type is all there is
        if fields is None:
            return misrouted("a page that is not the portal's JSON error", status)
        if status == 405 or (status == 404 and route_must_exist):
            return misrouted(f"this route is unknown there ({fields[1]})", status)
        message, code, field = fields
        hint = " IT should check the kiosk's portal credential." if status in (401, 403) else " Staff should review it."
        text = f"Portal refused the request ({status}): {message or 'no reason given'}.{hint}"
        return PortalRejected(text, status=status, reason=message, error_code=code, field=field)
    return PortalBadResponse(f"Unexpected portal status {status}; outcome unknown: ask before resending.",
                             status=status)


def bad(what: str, status: int | None = None) -> PortalBadResponse:
    return PortalBadResponse(f"Portal answer is malformed ({what}); outcome unknown: ask before resending.",
                             status=status)


def _nonempty_str(body: dict[str, Any], key: str, limit: int = 200) -> str:
    value = body.get(key)
    if not isinstance(value, str) or not value.strip() or len(value) > limit:
        raise bad(f"'{key}' missing or not text")
    return value


def timestamp(body: dict[str, Any], key: str) -> str:
    value = _nonempty_str(body, key, limit=64)
    try:
        datetime.fromisoformat(value)
    except ValueError:
        raise bad(f"'{key}' is not an ISO 8601 time") from None
    return value


def dossier(body: object, replayed: bool) -> Dossier:
    if not isinstance(body, dict):
        raise bad("dossier is not an object")
    if not is_dossier_code(body.get("code")):
        raise bad("'code' is not a dossier code")
    return Dossier(code=body["code"], status=_nonempty_str(body, "status", 64),
                   received_at=timestamp(body, "received_at"),
                   procedure_code=_nonempty_str(body, "procedure_code", 64), replayed=replayed)


def procedure(item: object) -> dict[str, Any]:
    if not isinstance(item, dict):
        raise bad("procedure is not an object")
    name = item.get("name")
    if not isinstance(name, dict) or not all(isinstance(name.get(k), str) for k in ("vi", "en")):
        raise bad("procedure 'name' needs 'vi' and 'en' text")
    _nonempty_str(item, "code", 64)
    _nonempty_str(item, "category", 200)
    return dict(item)
