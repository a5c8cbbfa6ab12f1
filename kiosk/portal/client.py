"""HTTP client for the dossier portal: every failure becomes one error of `kiosk.domain.portal_contract`.

Why so strict: the sync engine decides from the error class alone whether to retry, to ask the portal
first (outcome unknown) or to give the dossier to staff.  So every call has explicit (connect, read)
timeouts AND a total deadline (`kiosk.portal.deadline`: a server trickling one byte at a time cannot
hold a call past it), its answer is read up to a size limit, there are no automatic retries and no
redirects, and every answer is checked against the contract before it is believed
(`kiosk.portal.answers`); anything unexpected is `PortalBadResponse`, never a stray `KeyError`, and
an answer that did not come from the portal's API at all is `PortalMisrouted`, never a refusal.

Identity: a per-kiosk bearer token and/or a per-kiosk TLS client certificate (`client_cert`, the
certificate and its key file), checked by the portal against the dossier's `kiosk_id`.

Documents travel before the dossier that lists them: `upload_attachment` PUTs the bytes under their
SHA-256 (idempotent: the same bytes again are a no-op) and `has_attachment` asks with HEAD, so a
retry uploads only what the portal does not hold yet.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlsplit

from kiosk.domain.attachments import MAX_ATTACHMENT_BYTES, MEDIA_TYPES
from kiosk.domain.codes import is_dossier_code, is_idempotency_key
from kiosk.domain.portal_contract import PortalConfigError
from kiosk.portal.answers import (
    Answer,
    Dossier,
    Health,
    bad,
    dossier,
    error_fields,
    misrouted,
    parse_retry_after,
    procedure,
    status_error,
    timestamp,
    transport_error,
)

if TYPE_CHECKING:
    import requests

__all__ = ["Dossier", "Health", "PortalClient", "parse_retry_after"]

API_PREFIX = "/api/v1"
#: Longest answer the kiosk reads (the procedure list is the largest, a few kB per procedure).
MAX_ANSWER_BYTES = 1024 * 1024
_SHA256_RE = re.compile(r"[0-9a-f]{64}")
_CHUNK = 65536


def _check_config(base_url: str, token: str | None, timeouts: tuple[float, ...], verify: bool | str,
                  client_cert: tuple[str, str] | None) -> str:
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
    if token is None and client_cert is None:
        raise PortalConfigError("The kiosk needs a portal credential: a token or a client certificate.")
    if token is not None and (not isinstance(token, str) or not token
                              or any(not 0x21 <= ord(c) <= 0x7E for c in token)):
        raise PortalConfigError("Portal token is empty or has spaces/control characters: fix the kiosk config.")
    if not all(isinstance(t, (int, float)) and math.isfinite(t) and t > 0 for t in timeouts):
        raise PortalConfigError("Portal timeouts and deadlines must be positive numbers of seconds: fix the kiosk config.")
    if client_cert is not None and not all(Path(f).is_file() for f in client_cert):
        raise PortalConfigError("The kiosk's client certificate or its key file does not exist: IT should "
                                "enrol the kiosk (`kiosk link request`, then `kiosk link install`).")
    if isinstance(verify, str) and not Path(verify).exists():
        raise PortalConfigError("The portal CA bundle file does not exist: IT should fix the TLS settings.")
    if not isinstance(verify, (bool, str)):
        raise PortalConfigError("TLS verify must be true/false or a CA bundle path: fix the kiosk config.")
    return f"{parts.scheme}://{parts.netloc}{parts.path.rstrip('/')}"


class PortalClient:
    """One kiosk's connection to the portal; thread-safe enough for one sync thread plus GUI reads."""

    def __init__(
        self,
        base_url: str,
        token: str | None,
        *,
        connect_timeout: float = 3.05,
        read_timeout: float = 10.0,
        deadline_s: float = 20.0,
        upload_deadline_s: float = 50.0,
        max_answer_bytes: int = MAX_ANSWER_BYTES,
        verify: bool | str = True,
        client_cert: tuple[str, str] | None = None,
        session: requests.Session | None = None,
    ) -> None:
        """`deadline_s`: the longest any call may take in total; `upload_deadline_s` for a
        document upload (5 MiB on a slow uplink; it must still fit in one outbox lease)."""
        self._base = _check_config(base_url, token,
                                   (connect_timeout, read_timeout, deadline_s, upload_deadline_s),
                                   verify, client_cert)
        self._timeout = (float(connect_timeout), float(read_timeout))
        self._deadline_s = float(deadline_s)
        self._upload_deadline_s = float(upload_deadline_s)
        self._max_bytes = int(max_answer_bytes)
        self._verify = verify
        self._owns_session = session is None
        self._client_cert = client_cert
        self._http: requests.Session | None = None  # made by the first request (``_session``)
        self._http_lock = threading.Lock()
        if session is not None:
            self._http = self._prepared(session)
        self._headers = {"Accept": "application/json", "User-Agent": "motcua-kiosk"}
        if token is not None:  # None: the client certificate alone identifies the kiosk
            self._headers["Authorization"] = f"Bearer {token}"

    def __repr__(self) -> str:  # never show the token
        return f"PortalClient({self._base!r})"

    @property
    def base_url(self) -> str:
        return self._base

    @property
    def _session(self) -> requests.Session:
        """The HTTP session, made at the first request: ``requests`` and urllib3 load then, on the
        thread that sends (the sync thread, a connection check), not while the kiosk paints its
        first screen."""
        with self._http_lock:
            if self._http is None:
                import requests

                self._http = self._prepared(requests.Session())
            return self._http

    def _prepared(self, session: requests.Session) -> requests.Session:
        from kiosk.portal.deadline import DeadlineAdapter

        adapter = DeadlineAdapter(max_retries=0)
        session.mount("http://", adapter)
        session.mount("https://", adapter)
        if self._client_cert is not None:
            session.cert = self._client_cert
        return session

    def close(self) -> None:
        """Close pooled connections now (urllib3 2.x otherwise leaves them to the garbage collector)."""
        with self._http_lock:
            session = self._http
        if not self._owns_session or session is None:
            return
        for adapter in session.adapters.values():
            pools: Any = getattr(getattr(adapter, "poolmanager", None), "pools", None)
            for key in list(pools.keys()) if pools is not None else []:
                pool = pools.get(key)
                if pool is not None:
                    pool.close()
        session.close()

    def __enter__(self) -> PortalClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def health(self) -> Health:
        """The portal's own health answer. Anything else (a captive network's page, a proxy's)
        is `PortalMisrouted`: the probe fails, so the relay keeps waiting."""
        started = time.perf_counter()
        answer = self._request("GET", "/health", route_must_exist=True)
        latency_ms = (time.perf_counter() - started) * 1000.0
        body = self._portal_json(answer)
        if not isinstance(body, dict) or not isinstance(body.get("status"), str):
            raise misrouted("a health answer that is not the portal's", answer.status)
        return Health(ok=body["status"] == "ok", latency_ms=latency_ms, portal_time=timestamp(body, "time"))

    def procedures(self) -> list[dict[str, Any]]:
        answer = self._request("GET", "/procedures", route_must_exist=True)
        body = self._json(answer, expect=(200,))
        if not isinstance(body, list):
            raise bad("procedures is not a list", answer.status)
        return [procedure(item) for item in body]

    def submit_dossier(self, payload: dict[str, Any], idempotency_key: str) -> Dossier:
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
        answer = self._request("POST", "/dossiers", data=data, headers=headers, route_must_exist=True)
        body = self._json(answer, expect=(200, 201))
        replayed = answer.headers.get("Idempotent-Replayed", "").strip().lower() == "true"
        return dossier(body, replayed=replayed)

    def dossier_status(self, code: str) -> Dossier:
        if not is_dossier_code(code):
            raise ValueError("not a dossier code (expected UNIT-YYMMDD-NNNN)")
        answer = self._request("GET", f"/dossiers/{quote(code, safe='')}")
        return dossier(self._json(answer, expect=(200,)), replayed=False)

    def find_by_idempotency_key(self, key: str) -> Dossier | None:
        """The dossier the portal created for `key`, or None if it never received it."""
        if not is_idempotency_key(key):
            raise ValueError("idempotency key must be 1..255 printable ASCII characters")
        answer = self._request("GET", "/dossiers", params={"idempotency_key": key},
                               allow_not_found=True)
        if answer.status == 404:
            return None
        return dossier(self._json(answer, expect=(200,)), replayed=False)

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
        answer = self._request("PUT", f"/attachments/{sha256}", data=data,
                               headers={"Content-Type": media_type}, route_must_exist=True,
                               deadline_s=self._upload_deadline_s)
        body = self._json(answer, expect=(200, 201))
        if not isinstance(body, dict) or body.get("sha256") != sha256:
            raise bad("upload answer does not name the document sent", answer.status)
        if body.get("size") != len(data):
            raise bad("upload answer has another size than the document sent", answer.status)
        return sha256

    def has_attachment(self, sha256: str) -> bool:
        """Does the portal hold the document with this SHA-256 (HEAD: no bytes travel)?"""
        if not isinstance(sha256, str) or not _SHA256_RE.fullmatch(sha256):
            raise ValueError("sha256 must be 64 lowercase hexadecimal digits")
        answer = self._request("HEAD", f"/attachments/{sha256}", allow_not_found=True)
        if not answer.is_json:  # a HEAD answer has no body: its type is all we can check
            raise misrouted("an answer that is not the portal's JSON", answer.status)
        if answer.status == 404:
            return False
        if answer.status != 200:
            raise bad(f"unexpected status {answer.status}", answer.status)
        return True

    def anchor_audit(self, kiosk_id: str, seq: int, digest: str) -> None:
        """Send the head of the kiosk's audit chain for the portal to keep. A `409` means the
        portal already keeps a later or different head: the log was cut or rewritten
        (`PortalRejected` with `error_code` audit_regressed or audit_forked)."""
        data = json.dumps({"kiosk_id": kiosk_id, "seq": int(seq), "hash": digest}).encode()
        answer = self._request("PUT", "/audit-head", data=data,
                               headers={"Content-Type": "application/json"})
        self._json(answer, expect=(200,))

    def audit_anchors(self, kiosk_id: str) -> list[dict[str, Any]]:
        """The heads the portal keeps for `kiosk_id`, newest first."""
        answer = self._request("GET", "/audit-head", params={"kiosk_id": kiosk_id},
                               allow_not_found=True)
        if answer.status == 404:
            return []
        body = self._json(answer, expect=(200,))
        anchors = body.get("anchors") if isinstance(body, dict) else None
        if not isinstance(anchors, list) or not all(
                isinstance(a, dict) and isinstance(a.get("seq"), int)
                and isinstance(a.get("hash"), str) for a in anchors):
            raise bad("audit heads are not a list of {seq, hash}", answer.status)
        return anchors

    # -- one call ----------------------------------------------------------------------------------

    def _request(self, method: str, path: str, *, allow_not_found: bool = False,
                 route_must_exist: bool = False, deadline_s: float | None = None,
                 **kwargs: Any) -> Answer:
        """One call under its total deadline; a non-2xx answer raises its error (a 404 the
        portal says means "no such thing" is returned when `allow_not_found`)."""
        import requests  # the HTTP stack loads with the first request (see ``_session``)
        import urllib3.exceptions

        from kiosk.portal.deadline import Deadline, watching

        headers = {**self._headers, **kwargs.pop("headers", {})}
        limit_s = deadline_s or self._deadline_s
        timeout = (min(self._timeout[0], limit_s), min(self._timeout[1], limit_s))
        session = self._session
        with watching(Deadline(limit_s)) as deadline:
            try:
                resp = session.request(method, self._base + API_PREFIX + path, headers=headers,
                                       timeout=timeout, verify=self._verify, stream=True,
                                       allow_redirects=False, **kwargs)
            except requests.RequestException as exc:
                raise transport_error(exc, limit_s if deadline.expired else None) from None
            except (ValueError, UnicodeError):
                raise PortalConfigError("Portal request could not be built: check URL and token settings.") from None
            try:
                answer = Answer(method, resp.status_code, resp.headers, self._read(resp, method))
            except (requests.RequestException, urllib3.exceptions.HTTPError, OSError) as exc:
                raise transport_error(exc, limit_s if deadline.expired else None) from None
            finally:
                resp.close()
        if allow_not_found and answer.status == 404 and self._is_portal_not_found(answer):
            return answer
        if not 200 <= answer.status < 300:
            raise status_error(answer, route_must_exist=route_must_exist)
        return answer

    def _read(self, resp: requests.Response, method: str) -> bytes:
        """The whole answer, refused past the size limit (declared or actual)."""
        if method == "HEAD":
            return b""
        declared = resp.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > self._max_bytes:
            raise bad(f"answer of {int(declared)} bytes, more than the {self._max_bytes} allowed",
                      resp.status_code)
        chunks, total = [], 0
        for chunk in resp.iter_content(_CHUNK):
            total += len(chunk)
            if total > self._max_bytes:
                raise bad(f"answer longer than the {self._max_bytes} bytes allowed", resp.status_code)
            chunks.append(chunk)
        return b"".join(chunks)

    @staticmethod
    def _is_portal_not_found(answer: Answer) -> bool:
        """A 404 counts as "no such thing" only if it carries the portal's error body (a HEAD
        answer has no body: then only if it is the portal's JSON type)."""
        if answer.method == "HEAD":
            return answer.is_json
        fields = error_fields(answer)
        return fields is not None and fields[1] == "not_found"

    @staticmethod
    def _json(answer: Answer, expect: tuple[int, ...]) -> object:
        if answer.status not in expect:
            raise bad(f"unexpected status {answer.status}", answer.status)
        try:
            return json.loads(answer.body.decode("utf-8"))
        except (ValueError, UnicodeDecodeError, RecursionError):
            raise bad("not JSON", answer.status) from None

    @classmethod
    def _portal_json(cls, answer: Answer) -> object:
        """JSON that must come from the portal: anything else means something else answered."""
        if not answer.is_json:
            raise misrouted("a page that is not the portal's JSON", answer.status)
        return cls._json(answer, expect=(200,))
