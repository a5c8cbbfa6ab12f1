"""The reference portal follows the HTTP rules a real gateway enforces: duplicate or malformed
framing fields refused, strict JSON (no lone surrogates, NaN or control characters), JSON errors
for everything (never a 500, never HTML), and a cap on concurrent and slow connections."""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from portal_helpers import PROCEDURES, TOKEN, make_payload, new_key

from kiosk.portal.embedded import EmbeddedPortal
from kiosk.portal.strict import StrictJSONError, strict_json


def raw(portal: EmbeddedPortal, data: bytes, *, timeout: float = 10.0) -> tuple[int, dict, bytes]:
    """Send bytes as they are; (status, headers, body) of the answer."""
    with socket.create_connection((portal.host, portal.port), timeout=timeout) as sock:
        sock.sendall(data)
        chunks = []
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                break
            chunks.append(chunk)
            head, _, rest = b"".join(chunks).partition(b"\r\n\r\n")
            length = [int(line.split(b":")[1]) for line in head.split(b"\r\n")
                      if line.lower().startswith(b"content-length:")]
            if _ and length and len(rest) >= length[0]:
                break
    head, _, body = b"".join(chunks).partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines[1:] if ": " in line)
    return int(lines[0].split()[1]), headers, body


def post(body: bytes, *extra: str, key: str | None = None) -> bytes:
    fields = ["POST /api/v1/dossiers HTTP/1.1", "Host: portal", f"Authorization: Bearer {TOKEN}",
              "Content-Type: application/json", f"Idempotency-Key: {key or new_key()}",
              f"Content-Length: {len(body)}", *extra]
    return ("\r\n".join(fields) + "\r\n\r\n").encode("latin-1") + body


def is_json_error(headers: dict, body: bytes, code: str | None = None) -> bool:
    if not headers.get("Content-Type", "").startswith("application/json"):
        return False
    error = json.loads(body)["error"]
    return code is None or error["code"] == code


GOOD = json.dumps(make_payload(), ensure_ascii=False).encode()


@pytest.mark.parametrize("extra", [
    (f"Content-Length: {len(GOOD)}",),              # RFC 9112 6.3: two lengths
    (f"Idempotency-Key: {new_key()}",),              # two keys: which dossier?
    ("Authorization: Bearer other",),
    ("Transfer-Encoding: chunked",),                 # both framings: request smuggling
], ids=["content-length", "idempotency-key", "authorization", "te-and-cl"])
def test_duplicate_or_conflicting_fields_are_refused(portal: EmbeddedPortal, extra) -> None:
    status, headers, body = raw(portal, post(GOOD, *extra))
    assert status == 400 and is_json_error(headers, body, "invalid_header")
    assert portal.store.stats().dossiers == 0


def test_content_length_must_be_digits(portal: EmbeddedPortal) -> None:
    data = post(GOOD).replace(f"Content-Length: {len(GOOD)}".encode(),
                              f"Content-Length: +{len(GOOD)}".encode())
    status, headers, body = raw(portal, data)
    assert status == 400 and is_json_error(headers, body, "invalid_header")


@pytest.mark.parametrize("body", [
    GOOD.replace(b'"Tr', b'"\\ud800Tr'),                  # an escaped lone surrogate
    GOOD.replace("Trần".encode(), b"Tr\xed\xa0\x80n"),      # an encoded one (not UTF-8)
    GOOD.replace(b'"copies": 1', b'"copies": NaN'),
    GOOD.replace(b'"copies": 1', b'"copies": Infinity'),
    GOOD.replace(b'"Tr', b'"\\u0000Tr'),                  # an escaped control character
    GOOD.replace(b'"Tr', b'"\x07Tr'),                     # a raw one
    GOOD[:-1] + b', "kiosk_id": "OTHER"}',                # a member twice: two readings
], ids=["escaped-surrogate", "encoded-surrogate", "nan", "infinity", "escaped-nul", "raw-bel",
        "duplicate-member"])
def test_bodies_a_gateway_refuses_get_json_400_not_500(portal: EmbeddedPortal, body) -> None:
    status, headers, answer = raw(portal, post(body))
    assert status == 400 and is_json_error(headers, answer, "invalid_json"), answer
    assert portal.store.stats().dossiers == 0


@pytest.mark.parametrize("request_bytes", [
    b"GARBAGE\r\n\r\n",
    b"BREW /api/v1/health HTTP/1.1\r\nHost: x\r\n\r\n",
    b"GET /api/v1/health HTTP/9.9\r\nHost: x\r\n\r\n",
    b"GET /" + b"a" * 70000 + b" HTTP/1.1\r\n\r\n",
], ids=["no-request-line", "unknown-method", "unknown-version", "line-too-long"])
def test_http_level_refusals_are_json_not_html(portal: EmbeddedPortal, request_bytes) -> None:
    status, headers, body = raw(portal, request_bytes)
    assert 400 <= status < 600 and status != 500
    assert is_json_error(headers, body) and b"<html" not in body.lower()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=st.binary(max_size=300) | st.text(max_size=80).map(
    lambda t: json.dumps({"x": t}, ensure_ascii=bool(len(t) % 2)).encode("utf-8", "surrogatepass")))
def test_no_body_makes_a_500_or_html(portal: EmbeddedPortal, body: bytes) -> None:
    status, headers, answer = raw(portal, post(body))
    assert status != 500 and is_json_error(headers, answer)


@given(value=st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(st.characters(blacklist_categories=("Cs", "Cc"))),
    lambda kids: st.lists(kids, max_size=3) | st.dictionaries(
        st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=5), kids, max_size=3),
    max_leaves=10))
def test_strict_json_reads_every_clean_document(value) -> None:
    assert strict_json(json.dumps(value).encode()) == value


@given(text=st.text(min_size=1, max_size=10), bad=st.sampled_from(
    ["\ud800", "\udfff", "\x00", "\x1b", "\x7f"]))
def test_strict_json_refuses_surrogates_and_controls_anywhere(text: str, bad: str) -> None:
    for doc in ({"k": text + bad}, {text + bad: 1}, [text, bad]):
        with pytest.raises(StrictJSONError):
            strict_json(json.dumps(doc).encode())


@pytest.fixture
def small_portal(tmp_path: Path) -> Iterator[EmbeddedPortal]:
    with EmbeddedPortal(tmp_path / "p.sqlite3", token=TOKEN, procedures_dir=PROCEDURES,
                        max_connections=4, request_read_s=1.0) as portal:
        yield portal


def test_concurrent_connections_are_capped(small_portal: EmbeddedPortal) -> None:
    held = [socket.create_connection((small_portal.host, small_portal.port)) for _ in range(4)]
    try:
        for sock in held:
            sock.sendall(b"GET /api/v1/hea")  # started, never finished
        time.sleep(0.2)  # let the server take them in (no condition to wait on from outside)
        status, headers, body = raw(small_portal, b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\n\r\n")
        assert status == 503 and is_json_error(headers, body, "unavailable")
        assert headers.get("Retry-After") == "1"
    finally:
        for sock in held:
            sock.close()


def test_a_trickled_request_is_cut_not_waited_for(small_portal: EmbeddedPortal) -> None:
    request = b"GET /api/v1/health HTTP/1.1\r\nHost: portal\r\nX-Padding: " + b"x" * 200 + b"\r\n\r\n"
    with socket.create_connection((small_portal.host, small_portal.port), timeout=10) as sock:
        started = time.monotonic()
        cut = False
        for byte in request:  # one byte every 0.1 s: 23 s for the whole request
            try:
                sock.sendall(bytes([byte]))
            except OSError:
                cut = True
                break
            time.sleep(0.1)
            if time.monotonic() - started > 15:
                break
        if not cut:
            cut = sock.recv(100) == b""
    assert cut and time.monotonic() - started < 15
