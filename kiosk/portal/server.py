"""Reference dossier portal: a real threaded HTTP/1.1 JSON server the kiosk submits to.

Why it exists: the kiosk is tested and demonstrated against a portal that behaves like the real
one (bearer auth, idempotency keys, Circular 01/2018 dossier codes), and that can be made slow,
failing, dropping or lying at run time (`Faults`) to exercise the outbox and sync engine.
Routes are listed in `ROUTES` and documented in docs/portal-api.md and docs/openapi.json. Document
uploads (`PUT`/`HEAD /api/v1/attachments/{sha256}`) live in `kiosk.portal.uploads`; a dossier that
lists a document the portal does not hold is refused (422 `attachment_missing`) and stores nothing.

Run it: `python -m kiosk.portal.server --port 8080` (or `kiosk portal serve`).
"""

from __future__ import annotations

import json
import logging
import random
import socket
import ssl
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler
from typing import Any
from collections.abc import Callable
from urllib.parse import parse_qs, unquote, urlsplit

from kiosk.domain.attachments import MAX_ATTACHMENT_BYTES
from kiosk.portal import anchors, uploads
from kiosk.domain.codes import VIETNAM_TZ, is_idempotency_key
from kiosk.portal.auth import Caller, identify
from kiosk.portal.connections import GuardedHTTPServer
from kiosk.portal.registry import KioskRegistry
from kiosk.portal.faults import Faults, Roll
from kiosk.portal.replies import Reply as _Reply
from kiosk.portal.replies import error as _error
from kiosk.portal.schema import (
    PUBLIC_PROCEDURE_KEYS,
    PayloadInvalid,
    attachment_refs,
    canonical_hash,
    validate_submission,
)
from kiosk.portal.store import PortalStore
from kiosk.portal.strict import StrictJSONError, check_headers, strict_json

# Faults lives in kiosk.portal.faults; re-exported here, where tests and embedded.py import it.
__all__ = ["Faults", "PortalApp", "PortalHTTPServer", "ROUTES", "VERSION"]

log = logging.getLogger(__name__)

VERSION = "motcua-reference-portal/0.1"
#: What a web server in front of the portal answers for a path it does not know (`Faults.misroute`).
_PROXY_404 = (b"<html><head><title>404 Not Found</title></head><body><center><h1>404 Not Found"
              b"</h1></center><hr><center>nginx</center></body></html>")
MAX_BODY_BYTES = 64 * 1024
#: Every (method, path template) the server answers; tests check each is in docs/openapi.json.
ROUTES: tuple[tuple[str, str], ...] = (
    ("GET", "/api/v1/health"),
    ("GET", "/api/v1/procedures"),
    ("POST", "/api/v1/dossiers"),
    ("GET", "/api/v1/dossiers"),
    ("GET", "/api/v1/dossiers/{code}"),
    ("PUT", "/api/v1/attachments/{sha256}"),
    ("HEAD", "/api/v1/attachments/{sha256}"),
    ("PUT", "/api/v1/audit-head"),
    ("GET", "/api/v1/audit-head"),
)


@dataclass
class PortalApp:
    """Everything a request handler needs: storage, procedures, auth, faults and the clock."""

    store: PortalStore
    procedures: dict[str, dict[str, Any]]
    token: str | None = None
    faults: Faults = field(default_factory=Faults)
    clock: Callable[[], float] = time.time
    unit_code: str | None = None
    stopping: threading.Event = field(default_factory=threading.Event)
    #: per-kiosk tokens, revoked certificates, hand-overs (kiosk.portal.registry)
    registry: KioskRegistry | None = None
    #: refuse the shared token: every caller needs its own kiosk's certificate or token
    kiosk_credentials_only: bool = False

    def __post_init__(self) -> None:
        self._rng = random.Random(self.faults.seed)
        self._rng_lock = threading.Lock()

    def set_faults(self, faults: Faults) -> None:
        with self._rng_lock:
            self.faults = faults
            self._rng = random.Random(faults.seed)

    def roll(self) -> Roll:
        f = self.faults
        with self._rng_lock:
            draws = [self._rng.random() for _ in range(4)]
        drop = draws[1] < f.drop_rate
        return Roll(fail=draws[0] < f.fail_rate, drop=drop, drop_after=drop and draws[2] < 0.5,
                    garbage=draws[3] < f.garbage_rate)

    def delay(self) -> None:
        """Injected latency; cut short when the server stops so shutdown stays quick."""
        if self.faults.latency_ms > 0:
            self.stopping.wait(self.faults.latency_ms / 1000.0)

    def hold(self) -> None:
        """The test hook of `Faults.hold`; a finite wait, so a forgotten hook cannot hang a test."""
        hold = self.faults.hold
        if hold is not None:
            hold.wait(self.faults.hold_timeout_s)

    def now_iso(self) -> str:
        return datetime.fromtimestamp(self.clock(), VIETNAM_TZ).isoformat(timespec="seconds")


class PortalHTTPServer(GuardedHTTPServer):
    """The portal's server: capped, timed connections (`kiosk.portal.connections`) and the app."""

    def __init__(self, address: tuple[str, int], app: PortalApp, *, max_connections: int = 64,
                 request_read_s: float = 30.0) -> None:
        self.app = app
        super().__init__(address, PortalHandler, max_connections=max_connections,
                         request_read_s=request_read_s)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Connection-level errors (client went away): log quietly instead of printing a traceback."""
        log.debug("connection error from %s", client_address[0], exc_info=True)

    def close_connections(self, timeout: float) -> None:
        self.app.stopping.set()
        super().close_connections(timeout)


class PortalHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "MotcuaReferencePortal/0.1"
    timeout = 30  # idle keep-alive connections are closed after this many seconds
    wbufsize = -1  # buffer the reply so headers and body leave in one segment (no Nagle stalls)
    disable_nagle_algorithm = True
    server: PortalHTTPServer

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        log.debug("%s " + format, self.client_address[0], *args)

    _caller = Caller(False)

    def setup(self) -> None:
        """Under TLS, the handshake happens here, on this connection's own thread and under a
        timeout, so a slow or failed handshake never holds up the accept loop."""
        if isinstance(self.request, ssl.SSLSocket):
            self.request.settimeout(self.timeout)
            self.request.do_handshake()
        super().setup()

    def handle_one_request(self) -> None:
        """One request; the server cuts it if its request line, headers and body take longer than
        `request_read_s` to arrive (a client trickling them would hold a thread forever)."""
        self.server.read_started(self.connection)
        try:
            super().handle_one_request()
        finally:
            self.server.read_done(self.connection)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """http.server's own refusals (a malformed request line, headers too long, an unknown
        method) in the portal's JSON error shape, never an HTML page."""
        self.close_connection = True
        try:
            phrase = HTTPStatus(code).phrase
        except ValueError:
            phrase = "Error"
        codes = {400: "bad_request", 414: "too_large", 431: "too_large", 501: "method_not_allowed",
                 505: "bad_request"}
        if not hasattr(self, "_headers_buffer"):
            self._headers_buffer: list[bytes] = []
        self.command = getattr(self, "command", None) or "GET"
        if getattr(self, "request_version", "HTTP/0.9") == "HTTP/0.9":
            self.request_version = "HTTP/1.1"  # no HTTP/0.9 here: always a status line, headers
        self._send(code, _error(codes.get(code, "bad_request"), f"{phrase}."))

    def do_GET(self) -> None:
        self._handle("GET")

    def do_POST(self) -> None:
        self._handle("POST")

    def do_PUT(self) -> None:
        self._handle("PUT")

    def do_DELETE(self) -> None:
        self._handle("DELETE")

    def do_PATCH(self) -> None:
        self._handle("PATCH")

    def do_HEAD(self) -> None:
        self._handle("HEAD")

    def _route(self, method: str, path: str) -> tuple[Callable[..., _Reply] | None, str, int]:
        """(handler, path parameter, status if no handler)."""
        table: dict[str, dict[str, Callable[..., _Reply]]] = {
            "/api/v1/health": {"GET": self._health}, "/api/v1/procedures": {"GET": self._procedures},
            "/api/v1/dossiers": {"GET": self._find, "POST": self._create},
            "/api/v1/audit-head": {"PUT": self._anchor, "GET": self._anchors}}
        if path in table:
            found = table[path].get(method)
            return found, "", 405
        by_prefix: dict[str, dict[str, Callable[..., _Reply]]] = {
            "/api/v1/dossiers/": {"GET": self._status},
            uploads.PREFIX: {"PUT": self._put_attachment, "HEAD": self._head_attachment}}
        for prefix, methods in by_prefix.items():
            if path.startswith(prefix) and "/" not in path[len(prefix):] and len(path) > len(prefix):
                return methods.get(method), unquote(path[len(prefix):]), 405
        return None, "", 404

    def _handle(self, method: str) -> None:
        """Answer one request; a bug answers 500 (logged without the body) instead of a silent drop."""
        try:
            self._answer(method)
        except Exception:
            log.exception("reference portal failed on %s %s", method, urlsplit(self.path).path)
            self.close_connection = True
            self._send(500, _error("internal", "Portal internal error; retry later."))

    def _answer(self, method: str) -> None:
        app = self.server.app
        url = urlsplit(self.path)
        handler, param, missing = self._route(method, url.path)
        refused = check_headers(self.headers)
        if refused is not None:  # never read a body whose length is in doubt: close instead
            self.close_connection = True
            return self._send(*refused)
        limit = MAX_ATTACHMENT_BYTES if handler == self._put_attachment else MAX_BODY_BYTES
        body = self._read_body(limit)  # also for GET: a stray body must not poison the keep-alive stream
        self.server.read_done(self.connection)
        if body is None:
            return
        roll = app.roll()
        if handler != self._create:
            app.delay()
        if roll.fail:
            return self._send(503, _error("unavailable", "Portal temporarily unavailable; retry later."),
                              {"Retry-After": "1"})
        if roll.drop and not roll.drop_after:
            return self._drop()
        if app.faults.misroute:
            return self._send_raw(404, _PROXY_404, "text/html", {})
        if handler is None:
            msg = "No such endpoint." if missing == 404 else "Method not allowed on this endpoint."
            return self._send(missing, _error("not_found" if missing == 404 else "method_not_allowed", msg))
        self._caller = identify(self.headers, self.connection, shared_token=app.token,
                                registry=app.registry,
                                kiosk_credentials_only=app.kiosk_credentials_only)
        if url.path != "/api/v1/health" and not self._caller.authorized:
            return self._send(401, _error("unauthorized", "Missing or wrong kiosk credential "
                                          f"({self._caller.reason})."),
                              {"WWW-Authenticate": 'Bearer realm="portal"'})
        status, payload, headers = handler(param=param, query=url.query, body=body)
        if app.stopping.is_set() or roll.drop:
            return self._drop()
        if roll.garbage:
            return self._send_raw(200, b"<html><body>Gateway hiccup \x00\xff" + app.now_iso().encode() + b"</html>",
                                  "text/html", {})
        self._send(status, payload, headers)

    def _acts_for(self, kiosk_id: str) -> bool:
        """May this caller send or look up dossiers of `kiosk_id` (its own, or taken over)?"""
        caller, registry = self._caller, self.server.app.registry
        if caller.kiosk_id is None:
            return True  # the shared demo token, or an open portal: bound to no kiosk
        return registry is not None and registry.may_act_for(caller.kiosk_id, kiosk_id)

    def _read_body(self, limit: int) -> bytes | None:
        """The request body, or None after answering 411/413 (the connection is then closed). An
        oversized body is refused from its Content-Length, before a byte of it is read."""
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            self.close_connection = True
            self._send(411, _error("length_required", "Send a Content-Length body, not chunked."))
            return None
        try:
            length = int(self.headers.get("Content-Length", "0"))
        except ValueError:
            length = -1
        if not 0 <= length <= limit:
            self.close_connection = True
            self._send(413, _error("too_large", f"Body must be 0..{limit} bytes."))
            return None
        data = self.rfile.read(length)
        if len(data) != length:  # the client went away mid-body: never act on a truncated body
            self.close_connection = True
            return None
        return data

    # --- endpoints -------------------------------------------------------------------------------

    def _health(self, **_: Any) -> _Reply:
        return 200, {"status": "ok", "time": self.server.app.now_iso(), "version": VERSION}, {}

    def _procedures(self, **_: Any) -> _Reply:
        public = [{k: p[k] for k in PUBLIC_PROCEDURE_KEYS} for p in self.server.app.procedures.values()]
        return 200, sorted(public, key=lambda p: p["code"]), {}

    def _put_attachment(self, param: str, body: bytes, **_: Any) -> _Reply:
        return uploads.put_attachment(self.server.app.store, self.headers, param, body,
                                      self.server.app.clock())

    def _head_attachment(self, param: str, **_: Any) -> _Reply:
        return uploads.head_attachment(self.server.app.store, param)

    def _status(self, param: str, **_: Any) -> _Reply:
        found = self.server.app.store.get(param)
        if found is None:
            return 404, _error("not_found", "No dossier with that code."), {}
        return 200, found, {}

    def _find(self, query: str, **_: Any) -> _Reply:
        keys = parse_qs(query, keep_blank_values=True).get("idempotency_key", [])
        if len(keys) != 1 or not is_idempotency_key(keys[0]):
            return 400, _error("invalid_query", "Give exactly one idempotency_key.", "idempotency_key"), {}
        found = self.server.app.store.find_by_key(keys[0])
        if found is None or not self._acts_for(self.server.app.store.kiosk_of_key(keys[0]) or ""):
            return 404, _error("not_found", "No dossier was created with that key."), {}
        return 200, found, {}

    def _anchor(self, body: bytes, **_: Any) -> _Reply:
        return anchors.put_head(self.server.app.registry, body, self._acts_for,
                                self.server.app.clock())

    def _anchors(self, query: str, **_: Any) -> _Reply:
        return anchors.get_heads(self.server.app.registry, query, self._acts_for)

    def _create(self, body: bytes, **_: Any) -> _Reply:
        app = self.server.app
        key = self.headers.get("Idempotency-Key")
        if key is None or not is_idempotency_key(key):
            return 400, _error("invalid_idempotency_key", "Idempotency-Key header must be 1..255 printable "
                               "characters.", "Idempotency-Key"), {}
        ctype = self.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if ctype != "application/json":
            return 415, _error("unsupported_media_type", "Send application/json."), {}
        try:
            payload = strict_json(body)
        except StrictJSONError as exc:
            return 400, _error("invalid_json", f"The body is not strict UTF-8 JSON: {exc}."), {}
        body_hash = canonical_hash(payload)
        earlier = app.store.lookup(key, body_hash)
        if earlier is not None:
            return self._earlier(earlier.outcome, earlier.response)
        try:
            validate_submission(payload, app.procedures)
            if app.unit_code is not None and payload["unit_code"] != app.unit_code:
                raise PayloadInvalid("unit_code", "is not served by this portal", "unknown_unit")
        except PayloadInvalid as exc:
            return 422, _error(exc.code, exc.message, exc.field), {}
        if not self._acts_for(payload["kiosk_id"]):
            return 403, _error("kiosk_mismatch", "The dossier's kiosk_id is not the kiosk this "
                               "credential belongs to.", "kiosk_id"), {}
        with app.store.reserve(key) as got:
            app.delay()
            if not got:
                return 409, _error("in_flight", "A request with this Idempotency-Key is still being "
                                   "processed; retry shortly."), {"Retry-After": "1"}
            app.hold()
            if app.stopping.is_set():
                return 503, _error("unavailable", "Portal is shutting down."), {"Retry-After": "1"}
            result = app.store.create(key=key, body_hash=body_hash, unit_code=payload["unit_code"],
                                      procedure_code=payload["procedure_code"], kiosk_id=payload["kiosk_id"],
                                      now=app.clock(), attachments=attachment_refs(payload))
        if result.outcome == "created":
            return 201, result.response, {"Location": f"/api/v1/dossiers/{result.response['code']}"}
        return self._earlier(result.outcome, result.response, result.missing)

    @staticmethod
    def _earlier(outcome: str, response: dict[str, Any], missing: tuple[str, ...] = ()) -> _Reply:
        if outcome == "missing":  # nothing stored: the same key may come back after the uploads
            return 422, _error("attachment_missing", "Upload every listed document first "
                               "(PUT /api/v1/attachments/{sha256}), then send the dossier again with "
                               "the same key.", "attachments", missing=list(missing)), {}
        if outcome == "conflict":
            return 422, _error("idempotency_key_reused", "This Idempotency-Key was already used with a "
                               "different body; use a new key for a new dossier.", "Idempotency-Key"), {}
        return 200, response, {"Idempotent-Replayed": "true"}

    # --- output ----------------------------------------------------------------------------------

    def _send(self, status: int, payload: Any, headers: dict[str, str] | None = None) -> None:
        data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        self._send_raw(status, data, "application/json; charset=utf-8", headers or {},
                       pad=self.server.app.faults.pad_bytes)

    def _send_raw(self, status: int, data: bytes, ctype: str, headers: dict[str, str], *,
                  pad: int = 0) -> None:
        self.send_response(status, HTTPStatus(status).phrase)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data) + pad))
        self.send_header("Cache-Control", "no-store")
        for name, value in headers.items():
            self.send_header(name, value)
        if self.close_connection:
            self.send_header("Connection", "close")
        trickle = self.server.app.faults.trickle_s
        if trickle > 0:
            return self._trickle(data if self.command != "HEAD" else b"", trickle)
        self.end_headers()
        if self.command != "HEAD":  # a HEAD answer has the headers of the full one, no body
            self.wfile.write(data)
            self._pad(pad)

    def _pad(self, count: int) -> None:
        chunk = b" " * 65536
        while count > 0 and not self.server.app.stopping.is_set():
            self.wfile.write(chunk[:count])
            count -= len(chunk)

    def _trickle(self, body: bytes, interval_s: float) -> None:
        """Send the buffered status line and headers, then the body, one byte per interval."""
        self._headers_buffer.append(b"\r\n")
        raw = b"".join(self._headers_buffer) + body
        self._headers_buffer = []
        for i in range(len(raw)):
            if self.server.app.stopping.wait(interval_s if i else 0):
                break
            self.wfile.write(raw[i:i + 1])
            self.wfile.flush()

    def _drop(self) -> None:
        """Close the connection without a byte of response, like a crashed proxy would."""
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


if __name__ == "__main__":
    from kiosk.portal.serve import main

    raise SystemExit(main())
