"""HTTP client for the dossier portal: every failure becomes one error of `kiosk.domain.portal_contract`.

Why so strict: the sync engine decides from the error class alone whether to retry, to ask the portal
first (outcome unknown) or to give the dossier to staff.  So every call has explicit (connect, read)
timeouts, no automatic retries and no redirects, and every answer is checked against the contract
before it is believed; anything unexpected is `PortalBadResponse`, never a stray `KeyError`.

Documents travel before the dossier that lists them: `upload_attachment` PUTs the bytes under their
SHA-256 (idempotent: the same bytes again are a no-op) and `has_attachment` asks with HEAD, so a
retry uploads only what the portal does not hold yet.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import time
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import requests
import urllib3.exceptions

from kiosk.domain.attachments import MAX_ATTACHMENT_BYTES, MEDIA_TYPES
from kiosk.domain.codes import is_dossier_code, is_idempotency_key
from kiosk.domain.portal_contract import (
    Dossier,
    Health,
    PortalBadResponse,
    PortalBusy,
    PortalConfigError,
    PortalError,
    PortalRejected,
    PortalServerError,
    PortalTimeout,
    PortalUnreachable,
)

__all__ = ["Dossier", "Health", "PortalClient", "parse_retry_after"]

API_PREFIX = "/api/v1"
MAX_RETRY_AFTER_S = 24 * 3600.0
_CONNECT_PHASE = (urllib3.exceptions.NewConnectionError, urllib3.exceptions.ConnectTimeoutError)
_SHA256_RE = re.compile(r"[0-9a-f]{64}")


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
        when = when.replace(tzinfo=timezone.utc)
    now = now or datetime.now(timezone.utc)
    return min(max((when - now).total_seconds(), 0.0), MAX_RETRY_AFTER_S)


def _check_config(base_url: str, token: str, timeouts: tuple[float, float], verify: bool | str) -> str:
    if not isinstance(base_url, str):
        raise PortalConfigError("Portal URL must be text like https://portal.example.vn: fix the kiosk config.")
    try:
        parts = urlsplit(base_url.strip())
        port_ok = parts.port is None or 0 < parts.port < 65536
    except ValueError:
        port_ok = False
        parts = None
    if parts is None or not port_ok or parts.scheme not in ("http", "https") or not parts.hostname:
        raise PortalConfigError("Portal URL is malformed (need http(s)://host[:port]): fix the kiosk config.")
    if parts.query or parts.fragment or parts.username or parts.password:
        raise PortalConfigError("Portal URL must not carry a query, fragment or password: fix the kiosk config.")
    if not isinstance(token, str) or not token or any(not 0x21 <= ord(c) <= 0x7E for c in token):
        raise PortalConfigError("Portal token is empty or has spaces/control characters: fix the kiosk config.")
    if not all(isinstance(t, (int, float)) and math.isfinite(t) and t > 0 for t in timeouts):
        raise PortalConfigError("Portal timeouts must be positive numbers of seconds: fix the kiosk config.")
    if isinstance(verify, str) and not Path(verify).exists():
        raise PortalConfigError("The portal CA bundle file does not exist: IT should fix the TLS settings.")
    if not isinstance(verify, (bool, str)):
        raise PortalConfigError("TLS verify must be true/false or a CA bundle path: fix the kiosk config.")
    return f"{parts.scheme}://{parts.netloc}{parts.path.rstrip('/')}"


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


def _transport_error(exc: requests.RequestException) -> PortalError:
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return PortalUnreachable("Portal did not accept a connection in time: check the network; will retry.")
    if isinstance(exc, requests.exceptions.SSLError):
        return PortalUnreachable(
            "TLS handshake with the portal failed (request not sent): IT should check the kiosk clock, "
            "the CA bundle and any captive network portal."
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
        if any(isinstance(c, _CONNECT_PHASE) for c in _causes(exc)):
            return PortalUnreachable("Cannot connect to the portal (network down or portal off): will retry.")
    return PortalTimeout("Connection to the portal broke after sending; outcome unknown: ask before resending.")


def _error_fields(resp: requests.Response) -> tuple[str, str | None, str | None]:
    """(message, code, field) from the portal's `{"error": {...}}` body, tolerating anything else."""
    try:
        body = json.loads(resp.content)
    except (ValueError, RecursionError):
        return "", None, None
    err = body.get("error") if isinstance(body, dict) else None
    if not isinstance(err, dict):
        return "", None, None
    pick = lambda k: err[k][:300] if isinstance(err.get(k), str) else None  # noqa: E731
    return pick("message") or "", pick("code"), pick("field")


def _status_error(resp: requests.Response) -> PortalError:
    status = resp.status_code
    retry_after = parse_retry_after(resp.headers.get("Retry-After"))
    if status >= 500:
        return PortalServerError(f"Portal error {status}: it is having trouble; will retry.",
                                 status=status, retry_after=retry_after)
    if status in (409, 429):
        what = "the same request is still being processed" if status == 409 else "too many requests"
        return PortalBusy(f"Portal busy ({status}: {what}); will retry shortly.",
                          status=status, retry_after=retry_after)
    if 400 <= status < 500:
        message, code, field = _error_fields(resp)
        hint = " IT should check the kiosk's portal token." if status in (401, 403) else " Staff should review it."
        text = f"Portal refused the request ({status}): {message or 'no reason given'}.{hint}"
        return PortalRejected(text, status=status, reason=message, error_code=code, field=field)
    return PortalBadResponse(f"Unexpected portal status {status}; outcome unknown: ask before resending.",
                             status=status)


def _bad(what: str, status: int | None = None) -> PortalBadResponse:
    return PortalBadResponse(f"Portal answer is malformed ({what}); outcome unknown: ask before resending.",
                             status=status)


def _nonempty_str(body: dict[str, Any], key: str, limit: int = 200) -> str:
    value = body.get(key)
    if not isinstance(value, str) or not value.strip() or len(value) > limit:
        raise _bad(f"'{key}' missing or not text")
    return value


def _timestamp(body: dict[str, Any], key: str) -> str:
    value = _nonempty_str(body, key, limit=64)
    try:
        datetime.fromisoformat(value)
    except ValueError:
        raise _bad(f"'{key}' is not an ISO 8601 time") from None
    return value


def _dossier(body: object, replayed: bool) -> Dossier:
    if not isinstance(body, dict):
        raise _bad("dossier is not an object")
    if not is_dossier_code(body.get("code")):
        raise _bad("'code' is not a dossier code")
    return Dossier(code=body["code"], status=_nonempty_str(body, "status", 64),
                   received_at=_timestamp(body, "received_at"),
                   procedure_code=_nonempty_str(body, "procedure_code", 64), replayed=replayed)


def _procedure(item: object) -> dict[str, Any]:
    if not isinstance(item, dict):
        raise _bad("procedure is not an object")
    name = item.get("name")
    if not isinstance(name, dict) or not all(isinstance(name.get(k), str) for k in ("vi", "en")):
        raise _bad("procedure 'name' needs 'vi' and 'en' text")
    _nonempty_str(item, "code", 64)
    _nonempty_str(item, "category", 200)
    return dict(item)


class PortalClient:
    """One kiosk's connection to the portal; thread-safe enough for one sync thread plus GUI reads."""

    def __init__(
        self,
        base_url: str,
        token: str,
        *,
        connect_timeout: float = 3.05,
        read_timeout: float = 10.0,
        verify: bool | str = True,
        session: requests.Session | None = None,
    ) -> None:
        self._base = _check_config(base_url, token, (connect_timeout, read_timeout), verify)
        self._timeout = (float(connect_timeout), float(read_timeout))
        self._verify = verify
        self._owns_session = session is None
        self._session = session or requests.Session()
        self._headers = {"Authorization": f"Bearer {token}", "Accept": "application/json",
                         "User-Agent": "motcua-kiosk"}

    def __repr__(self) -> str:  # never show the token
        return f"PortalClient({self._base!r})"

    @property
    def base_url(self) -> str:
        return self._base

    def close(self) -> None:
        """Close pooled connections now (urllib3 2.x otherwise leaves them to the garbage collector)."""
        if not self._owns_session:
            return
        for adapter in self._session.adapters.values():
            pools = getattr(getattr(adapter, "poolmanager", None), "pools", None)
            for key in list(pools.keys()) if pools is not None else []:
                pool = pools.get(key)
                if pool is not None:
                    pool.close()
        self._session.close()

    def __enter__(self) -> PortalClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def health(self) -> Health:
        started = time.perf_counter()
        resp = self._request("GET", "/health")
        latency_ms = (time.perf_counter() - started) * 1000.0
        body = self._json(resp, expect=(200,))
        if not isinstance(body, dict) or not isinstance(body.get("status"), str):
            raise _bad("health has no 'status'", resp.status_code)
        return Health(ok=body["status"] == "ok", latency_ms=latency_ms, portal_time=_timestamp(body, "time"))

    def procedures(self) -> list[dict]:
        resp = self._request("GET", "/procedures")
        body = self._json(resp, expect=(200,))
        if not isinstance(body, list):
            raise _bad("procedures is not a list", resp.status_code)
        return [_procedure(item) for item in body]

    def submit_dossier(self, payload: dict, idempotency_key: str) -> Dossier:
        """POST the dossier; a replay of the same key and body returns the first dossier, replayed=True."""
        if not isinstance(payload, dict):
            raise TypeError("payload must be a dict")
        if not is_idempotency_key(idempotency_key):
            raise ValueError("idempotency key must be 1..255 printable ASCII characters")
        try:
            data = json.dumps(payload, ensure_ascii=False, allow_nan=False).encode("utf-8")
        except (TypeError, ValueError):
            raise TypeError("payload is not JSON-serialisable") from None
        headers = {"Idempotency-Key": idempotency_key, "Content-Type": "application/json"}
        resp = self._request("POST", "/dossiers", data=data, headers=headers)
        body = self._json(resp, expect=(200, 201))
        replayed = resp.headers.get("Idempotent-Replayed", "").strip().lower() == "true"
        return _dossier(body, replayed=replayed)

    def dossier_status(self, code: str) -> Dossier:
        if not is_dossier_code(code):
            raise ValueError("not a dossier code (expected UNIT-YYMMDD-NNNN)")
        resp = self._request("GET", f"/dossiers/{quote(code, safe='')}")
        return _dossier(self._json(resp, expect=(200,)), replayed=False)

    def find_by_idempotency_key(self, key: str) -> Dossier | None:
        """The dossier the portal created for `key`, or None if it never received it."""
        if not is_idempotency_key(key):
            raise ValueError("idempotency key must be 1..255 printable ASCII characters")
        resp = self._request("GET", "/dossiers", params={"idempotency_key": key},
                             allow_not_found=True)
        if resp.status_code == 404:
            return None
        return _dossier(self._json(resp, expect=(200,)), replayed=False)

    def upload_attachment(self, data: bytes, media_type: str) -> str:
        """PUT one document under its SHA-256 and return that SHA-256. Idempotent: bytes the portal
        already holds answer 200 instead of 201, both success. Raises ValueError (nothing sent)
        for empty or oversized data or a media type the portal never takes; a declared type that
        does not match the bytes is the portal's to refuse (PortalRejected, status 415)."""
        if not isinstance(data, (bytes, bytearray, memoryview)):
            raise TypeError("attachment data must be bytes")
        data = bytes(data)
        if not 0 < len(data) <= MAX_ATTACHMENT_BYTES:
            raise ValueError(f"attachment must be 1..{MAX_ATTACHMENT_BYTES} bytes")
        if media_type not in MEDIA_TYPES:
            raise ValueError("attachment media type must be one of " + ", ".join(MEDIA_TYPES))
        sha256 = hashlib.sha256(data).hexdigest()
        resp = self._request("PUT", f"/attachments/{sha256}", data=data,
                             headers={"Content-Type": media_type})
        body = self._json(resp, expect=(200, 201))
        if not isinstance(body, dict) or body.get("sha256") != sha256:
            raise _bad("upload answer does not name the document sent", resp.status_code)
        if body.get("size") != len(data):
            raise _bad("upload answer has another size than the document sent", resp.status_code)
        return sha256

    def has_attachment(self, sha256: str) -> bool:
        """Does the portal hold the document with this SHA-256 (HEAD: no bytes travel)?"""
        if not isinstance(sha256, str) or not _SHA256_RE.fullmatch(sha256):
            raise ValueError("sha256 must be 64 lowercase hexadecimal digits")
        resp = self._request("HEAD", f"/attachments/{sha256}", allow_not_found=True)
        if not self._is_json(resp):  # a HEAD answer has no body: its type is all we can check
            raise _bad("HEAD answer is not the portal's JSON", resp.status_code)
        if resp.status_code == 404:
            return False
        if resp.status_code != 200:
            raise _bad(f"unexpected status {resp.status_code}", resp.status_code)
        return True

    def _request(self, method: str, path: str, *, allow_not_found: bool = False, **kwargs: Any) -> requests.Response:
        headers = {**self._headers, **kwargs.pop("headers", {})}
        try:
            resp = self._session.request(method, self._base + API_PREFIX + path, headers=headers,
                                         timeout=self._timeout, verify=self._verify,
                                         allow_redirects=False, **kwargs)
        except requests.RequestException as exc:
            raise _transport_error(exc) from None
        except (ValueError, UnicodeError):
            raise PortalConfigError("Portal request could not be built: check URL and token settings.") from None
        resp.close()  # the body is already read (no streaming): hand the connection back to the pool
        if allow_not_found and resp.status_code == 404 and self._is_portal_not_found(resp):
            return resp
        if not 200 <= resp.status_code < 300:
            raise _status_error(resp)
        return resp

    @staticmethod
    def _is_json(resp: requests.Response) -> bool:
        ctype = resp.headers.get("Content-Type", "").split(";")[0].strip().lower()
        return ctype == "application/json"

    @classmethod
    def _is_portal_not_found(cls, resp: requests.Response) -> bool:
        """A 404 counts as "no such thing" only if it carries the portal's error body (a HEAD
        answer has no body: then only if it is the portal's JSON type)."""
        if resp.request is not None and resp.request.method == "HEAD":
            return cls._is_json(resp)
        _message, code, _field = _error_fields(resp)
        return code == "not_found"

    @staticmethod
    def _json(resp: requests.Response, expect: tuple[int, ...]) -> object:
        if resp.status_code not in expect:
            raise _bad(f"unexpected status {resp.status_code}", resp.status_code)
        try:
            return json.loads(resp.content.decode("utf-8"))
        except (ValueError, UnicodeDecodeError, RecursionError):
            raise _bad("not JSON", resp.status_code) from None

