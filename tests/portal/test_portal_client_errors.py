"""Every way the portal can fail maps to one PortalError subclass, with the right flags."""

from __future__ import annotations

import http.client
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from collections.abc import Iterator

import pytest
import requests
import urllib3
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from portal_helpers import TOKEN, make_payload, new_key

from kiosk.portal.client import PortalClient
from kiosk.portal.embedded import EmbeddedPortal, Faults
from kiosk.domain.portal_contract import (
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


def test_wrong_or_missing_token_is_401_rejected(portal: EmbeddedPortal) -> None:
    with PortalClient(portal.url, "wrong-token") as bad:
        with pytest.raises(PortalRejected) as info:
            bad.procedures()
        assert info.value.status == 401 and not info.value.retryable
        assert "token" in str(info.value)
        assert bad.health().ok  # /health needs no token
    assert "wrong-token" not in repr(PortalClient(portal.url, "wrong-token"))


def test_fail_rate_gives_server_error_with_retry_after(portal: EmbeddedPortal, client: PortalClient) -> None:
    portal.faults.fail_rate = 1.0
    with pytest.raises(PortalServerError) as info:
        client.submit_dossier(make_payload(), new_key())
    assert info.value.status == 503 and info.value.retry_after == 1.0
    assert info.value.retryable and not info.value.outcome_unknown
    assert portal.store.stats().dossiers == 0
    portal.faults.fail_rate = 0.0
    assert client.health().ok


def test_garbage_gives_bad_response_after_commit(portal: EmbeddedPortal, client: PortalClient) -> None:
    portal.faults.garbage_rate = 1.0
    key = new_key()
    with pytest.raises(PortalBadResponse) as info:
        client.submit_dossier(make_payload(), key)
    assert info.value.outcome_unknown and info.value.retryable
    with pytest.raises(PortalMisrouted):  # a health answer that is not the portal's: probe fails
        client.health()
    portal.faults.garbage_rate = 0.0
    assert client.find_by_idempotency_key(key) is not None  # "ask first" finds it


def test_drops_give_timeout_and_half_happen_after_commit(portal: EmbeddedPortal, client: PortalClient) -> None:
    portal.faults = Faults(drop_rate=1.0, seed=7)
    keys = [new_key() for _ in range(40)]
    for key in keys:
        with pytest.raises(PortalTimeout) as info:
            client.submit_dossier(make_payload(), key)
        assert info.value.outcome_unknown and info.value.retryable
    committed = portal.store.stats().dossiers
    assert 8 <= committed <= 32  # about half, with seed 7
    portal.faults.drop_rate = 0.0
    found = [client.find_by_idempotency_key(k) for k in keys]
    assert sum(f is not None for f in found) == committed
    again = [client.submit_dossier(make_payload(), k) for k in keys]  # resend with the same keys
    assert sum(d.replayed for d in again) == committed
    stats = portal.store.stats()
    assert stats.dossiers == 40 and stats.keys_with_multiple_dossiers == 0


def test_seeded_faults_are_reproducible(tmp_path, clock) -> None:
    outcomes = []
    for run in range(2):
        with EmbeddedPortal(tmp_path / f"{run}.sqlite3", token=None, faults=Faults(fail_rate=0.5, seed=3),
                            clock=clock) as portal, PortalClient(portal.url, "t") as c:
            row = []
            for _ in range(12):
                try:
                    c.health()
                    row.append("ok")
                except PortalServerError:
                    row.append("503")
            outcomes.append(row)
    assert outcomes[0] == outcomes[1] and set(outcomes[0]) == {"ok", "503"}


def test_slow_portal_gives_timeout(portal: EmbeddedPortal) -> None:
    portal.faults.latency_ms = 2000
    with PortalClient(portal.url, TOKEN, read_timeout=0.3) as c:
        with pytest.raises(PortalTimeout) as info:
            c.health()
    assert info.value.outcome_unknown


def test_stopped_portal_is_unreachable(tmp_path) -> None:
    portal = EmbeddedPortal(tmp_path / "p.sqlite3")
    portal.start()
    url = portal.url
    portal.stop()
    with PortalClient(url, "t", connect_timeout=1.0) as c:
        with pytest.raises(PortalUnreachable) as info:
            c.submit_dossier(make_payload(), new_key())
    assert info.value.retryable and not info.value.outcome_unknown


def test_unresolvable_host_is_unreachable() -> None:
    with PortalClient("http://no-such-host.invalid", "t", connect_timeout=0.5) as c:
        with pytest.raises(PortalUnreachable):
            c.health()


@pytest.mark.parametrize(
    ("exc", "expected"),
    [
        (requests.exceptions.ConnectTimeout("connect timed out"), PortalUnreachable),
        (requests.exceptions.SSLError("certificate verify failed"), PortalUnreachable),
        (requests.exceptions.ChunkedEncodingError("connection broken"), PortalTimeout),
        (requests.exceptions.ConnectionError(
            urllib3.exceptions.ProtocolError("aborted", http.client.RemoteDisconnected("closed"))), PortalTimeout),
        (requests.exceptions.ContentDecodingError("bad gzip"), PortalBadResponse),
        (requests.exceptions.InvalidURL("bad"), PortalConfigError),
    ],
)
def test_transport_failures_that_loopback_cannot_produce(exc: Exception, expected: type) -> None:
    """A connect timeout or TLS failure cannot be staged on loopback; the session raises it instead."""

    class Failing(requests.Session):
        def request(self, *args: object, **kwargs: object) -> requests.Response:
            raise exc

    with PortalClient("https://portal.example.vn", "t", session=Failing()) as c:
        with pytest.raises(expected):
            c.submit_dossier(make_payload(), new_key())


@pytest.mark.parametrize("url", ["", "portal.example.vn", "ftp://x", "http://", "http://h:99999",
                                 "http://h/?q=1", "http://user:pw@h", 42])
def test_malformed_base_url_is_config_error(url) -> None:
    with pytest.raises(PortalConfigError):
        PortalClient(url, "t")


def test_bad_token_timeouts_or_ca_bundle_are_config_errors(tmp_path) -> None:
    for kwargs in ({"token": ""}, {"token": "a b"}, {"token": "x\r\nInjected: 1"},
                   {"token": "t", "read_timeout": 0}, {"token": "t", "connect_timeout": float("inf")},
                   {"token": "t", "verify": str(tmp_path / "missing.pem")}):
        with pytest.raises(PortalConfigError):
            PortalClient("https://portal.example.vn", **kwargs)


def test_bad_arguments_fail_before_any_request(client: PortalClient) -> None:
    with pytest.raises(ValueError):
        client.dossier_status("not a code")
    with pytest.raises(ValueError):
        client.submit_dossier(make_payload(), "")
    with pytest.raises(ValueError):
        client.find_by_idempotency_key("k" * 256)


def test_unknown_dossier_is_rejected_404(client: PortalClient) -> None:
    with pytest.raises(PortalRejected) as info:
        client.dossier_status("H12.22.10-261127-0099")
    assert info.value.status == 404


# --- arbitrary answers -------------------------------------------------------------------------

class _Scripted(BaseHTTPRequestHandler):
    """Answers whatever the test put in `server.answer` (status, headers, body), or hangs up."""

    protocol_version = "HTTP/1.1"

    def log_message(self, *args: object) -> None:
        pass

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        status, headers, body, hang_up = self.server.answer  # type: ignore[attr-defined]
        if hang_up:
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        self.send_response_only(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = _answer


@pytest.fixture
def scripted() -> Iterator[ThreadingHTTPServer]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Scripted)
    server.daemon_threads = True
    server.answer = (200, [], b"", False)  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda kids: st.lists(kids, max_size=4) | st.dictionaries(st.text(max_size=15), kids, max_size=5),
    max_leaves=12,
)
dossier_like = st.fixed_dictionaries(
    {"code": st.sampled_from(["H12-261127-0001", "bad", "H12-261399-0001"]) | st.text(max_size=12),
     "status": st.sampled_from(["received", ""]) | st.integers(),
     "received_at": st.sampled_from(["2026-11-27T09:30:00+07:00", "yesterday"]),
     "procedure_code": st.sampled_from(["1.001193", None])},
    optional={"error": json_values, "time": st.text(max_size=5)},
)
bodies = (st.binary(max_size=200) | json_values.map(lambda v: __import__("json").dumps(v).encode())
          | dossier_like.map(lambda v: __import__("json").dumps(v).encode()))
statuses = st.sampled_from([200, 201, 202, 204, 301, 304, 400, 401, 404, 409, 418, 422, 429, 500, 502, 503, 599])
header_values = st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=40)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(status=statuses, body=bodies, hang_up=st.booleans(),
       retry_after=st.none() | header_values, replayed=st.none() | header_values,
       call=st.sampled_from(["health", "procedures", "submit", "status", "find"]))
def test_client_only_raises_portal_errors(scripted, status, body, hang_up, retry_after, replayed, call) -> None:
    headers = [("Content-Type", "application/json")]
    if retry_after is not None:
        headers.append(("Retry-After", retry_after))
    if replayed is not None:
        headers.append(("Idempotent-Replayed", replayed))
    scripted.answer = (status, headers, b"" if status in (204, 304) else body, hang_up)
    host, port = scripted.server_address
    with PortalClient(f"http://{host}:{port}", "t", read_timeout=5.0) as c:
        actions = {"health": c.health, "procedures": c.procedures,
                   "submit": lambda: c.submit_dossier(make_payload(), new_key()),
                   "status": lambda: c.dossier_status("H12-261127-0001"),
                   "find": lambda: c.find_by_idempotency_key("k")}
        try:
            result = actions[call]()
        except PortalError as exc:
            assert isinstance(exc.retryable, bool) and isinstance(exc.outcome_unknown, bool)
            assert exc.retry_after is None or exc.retry_after >= 0
            return
    assert not hang_up and 200 <= status < 300
    if call in ("submit", "status") or (call == "find" and result is not None):
        assert result.code == "H12-261127-0001"


@pytest.mark.parametrize(
    ("status", "headers", "body", "call", "expected", "retry_after"),
    [
        (429, [("Retry-After", "12")], b"", "health", PortalBusy, 12.0),
        (502, [], b"<html>bad gateway</html>", "submit", PortalServerError, None),
        (503, [("Retry-After", "Fri, 01 Jan 1999 00:00:00 GMT")], b"", "submit", PortalServerError, 0.0),
        (404, [], b"<html>nginx 404</html>", "find", PortalMisrouted, None),  # not the portal's 404
        (404, [("Content-Type", "text/html")], b"<html>404</html>", "submit", PortalMisrouted, None),
        (404, [("Content-Type", "application/json")],
         b'{"error": {"code": "not_found", "message": "No such endpoint."}}', "submit",
         PortalMisrouted, None),  # the portal itself, but the route is missing: the URL is wrong
        (405, [("Content-Type", "application/json")],
         b'{"error": {"code": "method_not_allowed", "message": "x"}}', "find", PortalMisrouted, None),
        (401, [("Content-Type", "text/html")], b"<html>proxy login</html>", "submit",
         PortalMisrouted, None),
        (422, [("Content-Type", "application/json")],
         b'{"error": {"code": "invalid_field", "field": "form"}}', "submit", PortalRejected, None),
        (302, [("Location", "https://evil.example")], b"", "submit", PortalMisrouted, None),
        (200, [("Content-Type", "text/html")], b"<html>Wi-Fi login</html>", "health",
         PortalMisrouted, None),  # a captive network answers the health probe
        (200, [], b'{"code": "H12-261127-0001", "status": "received", "received_at": "x",'
                  b' "procedure_code": "1"}', "submit", PortalBadResponse, None),
        (200, [], b"[" * 100_000, "procedures", PortalBadResponse, None),
    ],
)
def test_specific_answers_map_to_errors(scripted, status, headers, body, call, expected, retry_after) -> None:
    scripted.answer = (status, headers, body, False)
    host, port = scripted.server_address
    with PortalClient(f"http://{host}:{port}", "t") as c:
        actions = {"health": c.health, "procedures": c.procedures,
                   "submit": lambda: c.submit_dossier(make_payload(), new_key()),
                   "find": lambda: c.find_by_idempotency_key("k")}
        with pytest.raises(expected) as info:
            actions[call]()
    assert info.value.retry_after == retry_after
