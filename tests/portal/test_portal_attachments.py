"""Document uploads on the reference portal, over HTTP on loopback, and the dossiers that list them."""

from __future__ import annotations

import hashlib
import json
import socket
from pathlib import Path
from collections.abc import Iterator

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from portal_helpers import TOKEN, FakeClock, make_payload, new_key

from kiosk.domain.attachments import MAX_ATTACHMENT_BYTES
from kiosk.domain.paths import PROCEDURES_DIR
from kiosk.portal.client import PortalClient
from kiosk.portal.embedded import EmbeddedPortal, Faults
from kiosk.domain.portal_contract import (
    PortalBadResponse,
    PortalMisrouted,
    PortalRejected,
    PortalServerError,
    PortalTimeout,
    PortalUnreachable,
)
from kiosk.portal.schema import PayloadInvalid, load_procedures, validate_submission

JPEG = b"\xff\xd8\xff\xe0" + bytes(range(256)) * 8
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 300
PDF = b"%PDF-1.7\n" + b"contract " * 200
AUTH = {"Authorization": f"Bearer {TOKEN}"}
RESIDENCE = "1.004194"  # temporary residence: housing_proof, owner_consent, rental_contract


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def ref(field: str, data: bytes, media_type: str) -> dict:
    return {"field": field, "sha256": sha(data), "media_type": media_type, "size": len(data), "pages": 1}


def residence(*refs: dict, **changes: object) -> dict:
    form = {"phone": "0912345678", **{r["field"]: r["sha256"] for r in refs}}
    return make_payload(procedure_code=RESIDENCE, form=form, attachments=list(refs), **changes)


@pytest.fixture
def portal(tmp_path: Path, clock: FakeClock) -> Iterator[EmbeddedPortal]:
    """The real procedures: their attachment fields are what the portal checks dossiers against."""
    with EmbeddedPortal(tmp_path / "portal.sqlite3", token=TOKEN, procedures_dir=PROCEDURES_DIR,
                        clock=clock) as p:
        yield p


def put(portal: EmbeddedPortal, data: bytes, ctype: str, name: str | None = None,
        headers: dict | None = None) -> requests.Response:
    return requests.put(f"{portal.url}/api/v1/attachments/{name or sha(data)}", data=data,
                        headers={**AUTH, "Content-Type": ctype, **(headers or {})}, timeout=(2, 10))


def test_upload_is_stored_once_and_head_sees_it(portal: EmbeddedPortal) -> None:
    url = f"{portal.url}/api/v1/attachments/{sha(PDF)}"
    assert requests.head(url, headers=AUTH, timeout=5).status_code == 404
    first = put(portal, PDF, "application/pdf")
    assert first.status_code == 201 and first.headers["Location"].endswith(sha(PDF))
    assert first.json() == {"sha256": sha(PDF), "media_type": "application/pdf", "size": len(PDF)}
    again = put(portal, PDF, "application/pdf; charset=binary")
    assert again.status_code == 200 and again.json() == first.json()
    head = requests.head(url, headers=AUTH, timeout=5)
    assert head.status_code == 200 and head.content == b""
    assert head.headers["Content-Type"].startswith("application/json")
    assert portal.store.attachment_data(sha(PDF)) == PDF and portal.store.stats().attachments == 1


@pytest.mark.parametrize(("data", "ctype", "name", "status", "code"), [
    (JPEG, "image/jpeg", sha(JPEG).upper(), 400, "invalid_field"),
    (JPEG, "image/jpeg", "ab" * 31, 400, "invalid_field"),
    (JPEG, "image/jpeg", sha(PNG), 400, "digest_mismatch"),
    (JPEG, "image/png", None, 415, "unsupported_media_type"),
    (JPEG, "text/plain", None, 415, "unsupported_media_type"),
    (b"GIF89a" + b"\x00" * 20, "image/jpeg", None, 415, "unsupported_media_type"),
    (b"", "image/jpeg", sha(JPEG), 400, "digest_mismatch"),
    (b"", "image/jpeg", None, 415, "unsupported_media_type"),
])
def test_bad_uploads_are_refused_and_nothing_is_stored(portal: EmbeddedPortal, data: bytes, ctype: str,
                                                      name: str | None, status: int, code: str) -> None:
    resp = put(portal, data, ctype, name)
    assert resp.status_code == status and resp.json()["error"]["code"] == code
    assert portal.store.stats().attachments == 0


def test_uploads_need_the_token(portal: EmbeddedPortal) -> None:
    assert put(portal, PNG, "image/png", headers={"Authorization": "Bearer nope"}).status_code == 401
    head = requests.head(f"{portal.url}/api/v1/attachments/{sha(PNG)}", timeout=5)
    assert head.status_code == 401 and "Bearer" in head.headers["WWW-Authenticate"]
    assert portal.store.stats().attachments == 0


def test_oversized_upload_is_refused_from_its_length_before_the_body_is_sent(portal: EmbeddedPortal) -> None:
    """The portal answers 413 to the headers alone: it never waits for (or reads) 5 MiB + 1."""
    with socket.create_connection((portal.host, portal.port), timeout=5) as conn:
        conn.sendall((f"PUT /api/v1/attachments/{'ab' * 32} HTTP/1.1\r\nHost: x\r\n"
                      f"Authorization: Bearer {TOKEN}\r\nContent-Type: image/jpeg\r\n"
                      f"Content-Length: {MAX_ATTACHMENT_BYTES + 1}\r\n\r\n").encode())
        answer = b""
        while chunk := conn.recv(65536):  # the portal closes the connection after answering
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 413") and b"Connection: close" in head
    assert json.loads(body)["error"]["code"] == "too_large"


def test_an_upload_of_exactly_the_limit_is_taken(portal: EmbeddedPortal, client: PortalClient) -> None:
    big = b"%PDF-1.7\n" + b"\x00" * (MAX_ATTACHMENT_BYTES - 9)
    assert client.upload_attachment(big, "application/pdf") == sha(big)
    assert client.has_attachment(sha(big))


def test_dossier_listing_a_document_not_uploaded_is_422_and_stores_nothing(
        portal: EmbeddedPortal, client: PortalClient) -> None:
    body, key = residence(ref("housing_proof", JPEG, "image/jpeg"),
                          ref("rental_contract", PDF, "application/pdf")), new_key()
    client.upload_attachment(JPEG, "image/jpeg")
    resp = requests.post(f"{portal.url}/api/v1/dossiers", json=body, timeout=5,
                         headers={**AUTH, "Idempotency-Key": key})
    assert resp.status_code == 422
    error = resp.json()["error"]
    assert error["code"] == "attachment_missing" and error["field"] == "attachments"
    assert error["missing"] == [sha(PDF)]
    assert portal.store.stats().dossiers == 0 and client.find_by_idempotency_key(key) is None
    with pytest.raises(PortalRejected) as info:  # what the kiosk's client makes of it
        client.submit_dossier(body, key)
    assert info.value.status == 422 and info.value.error_code == "attachment_missing"
    client.upload_attachment(PDF, "application/pdf")
    dossier = client.submit_dossier(body, key)  # the same key is still free
    assert not dossier.replayed
    assert portal.store.dossier_attachments(dossier.code) == {"housing_proof": sha(JPEG),
                                                              "rental_contract": sha(PDF)}
    assert client.submit_dossier(body, key).replayed


def _invalid(mutate) -> dict:
    body = residence(ref("housing_proof", JPEG, "image/jpeg"))
    mutate(body)
    return body


@pytest.mark.parametrize(("mutate", "field"), [
    (lambda b: b["attachments"][0].update(field="phone"), "attachments[0].field"),
    (lambda b: b["attachments"][0].update(sha256="AB" * 32), "attachments[0].sha256"),
    (lambda b: b["form"].update(housing_proof="ab" * 32), "attachments[0].sha256"),
    (lambda b: b["attachments"][0].update(media_type="image/gif"), "attachments[0].media_type"),
    (lambda b: b["attachments"][0].update(size=True), "attachments[0].size"),
    (lambda b: b["attachments"][0].update(size=MAX_ATTACHMENT_BYTES + 1), "attachments[0].size"),
    (lambda b: b["attachments"][0].update(pages=0), "attachments[0].pages"),
    (lambda b: b["attachments"].append(dict(b["attachments"][0])), "attachments[1].field"),
    (lambda b: b.update(attachments={"housing_proof": "x"}), "attachments"),
    (lambda b: b.update(attachments=[]), "form.housing_proof"),
    (lambda b: b.update(notify={"sms": "0212345678"}), "notify.sms"),
    (lambda b: b.update(notify={"sms": "091 234 5678"}), "notify.sms"),
    (lambda b: b.update(notify={"sms": "0912345678", "email": "a@b.vn"}), "notify"),
    (lambda b: b.update(notify="0912345678"), "notify"),
])
def test_attachment_and_notify_rules(portal: EmbeddedPortal, client: PortalClient, mutate, field: str) -> None:
    client.upload_attachment(JPEG, "image/jpeg")
    with pytest.raises(PortalRejected) as info:
        client.submit_dossier(_invalid(mutate), new_key())
    assert info.value.status == 422 and info.value.field == field
    assert "0212345678" not in str(info.value) and portal.store.stats().dossiers == 0


def test_sms_opt_in_is_accepted(portal: EmbeddedPortal, client: PortalClient) -> None:
    client.upload_attachment(JPEG, "image/jpeg")
    body = residence(ref("housing_proof", JPEG, "image/jpeg"), notify={"sms": "0912345678"})
    assert client.submit_dossier(body, new_key()).code
    assert client.submit_dossier(make_payload(notify=None), new_key()).code  # null: no SMS


PROCEDURES = load_procedures(PROCEDURES_DIR)
_json = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=70),
                     lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
                     max_leaves=12)
_item = st.fixed_dictionaries({}, optional={
    "field": st.sampled_from(["housing_proof", "rental_contract", "phone"]) | st.text(max_size=5),
    "sha256": st.sampled_from([sha(JPEG), sha(PDF)]) | st.text("0123456789abcdef", min_size=63, max_size=65),
    "media_type": st.sampled_from(["image/jpeg", "application/pdf", "image/gif"]) | _json,
    "size": st.integers(-1, MAX_ATTACHMENT_BYTES + 1) | _json,
    "pages": st.integers(-1, 600) | _json})


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(items=st.lists(_item | _json, max_size=4) | _json, notify=_json | st.fixed_dictionaries({"sms": _json}),
       answers=st.dictionaries(st.sampled_from(["housing_proof", "rental_contract"]),
                               st.sampled_from([sha(JPEG), sha(PDF), ""]) | _json, max_size=2))
def test_the_schema_never_crashes_and_never_echoes_values(items, notify, answers) -> None:
    body = make_payload(procedure_code=RESIDENCE, form={"phone": "0912345678", **answers},
                        attachments=items, notify=notify)
    try:
        assert validate_submission(body, PROCEDURES) is body
    except PayloadInvalid as exc:
        assert exc.field and exc.field.split(".")[0].split("[")[0] in ("attachments", "notify", "form")
        assert sha(JPEG) not in exc.message and "0912345678" not in exc.message
        return
    listed = {i["field"]: i["sha256"] for i in items}  # accepted: the documented rules hold
    assert all(answers.get(f) == s for f, s in listed.items())
    assert all(listed.get(f) == v for f, v in answers.items() if v not in (None, ""))


# -- the client -------------------------------------------------------------------------------

def test_client_upload_is_idempotent_and_has_attachment_says_so(client: PortalClient) -> None:
    assert not client.has_attachment(sha(PNG))
    assert client.upload_attachment(PNG, "image/png") == sha(PNG)
    assert client.upload_attachment(bytearray(PNG), "image/png") == sha(PNG)
    assert client.has_attachment(sha(PNG))


def test_client_refuses_what_it_could_never_send_before_sending(portal: EmbeddedPortal,
                                                               client: PortalClient) -> None:
    portal.faults.fail_rate = 1.0  # had anything been sent, it would answer 503
    with pytest.raises(ValueError):
        client.upload_attachment(b"", "image/png")
    with pytest.raises(ValueError):
        client.upload_attachment(b"%PDF" + b"0" * MAX_ATTACHMENT_BYTES, "application/pdf")
    with pytest.raises(ValueError):
        client.upload_attachment(PNG, "image/gif")
    with pytest.raises(TypeError):
        client.upload_attachment("text", "image/png")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        client.has_attachment("ab" * 31)


def test_client_maps_upload_refusals(portal: EmbeddedPortal, client: PortalClient) -> None:
    with pytest.raises(PortalRejected) as info:
        client.upload_attachment(JPEG, "image/png")  # the portal sniffs the bytes
    assert info.value.status == 415 and info.value.error_code == "unsupported_media_type"
    assert not info.value.retryable
    with PortalClient(portal.url, "wrong-token") as bad:
        for call in (lambda: bad.upload_attachment(PNG, "image/png"), lambda: bad.has_attachment(sha(PNG))):
            with pytest.raises(PortalRejected) as info:
                call()
            assert info.value.status == 401


@pytest.mark.parametrize(("faults", "errors", "unknown"), [
    (Faults(fail_rate=1.0), (PortalServerError, PortalServerError), (False, False)),
    (Faults(drop_rate=1.0, seed=3), (PortalTimeout, PortalTimeout), (True, True)),
    # a HEAD answer of another type than the portal's JSON: something else answered
    (Faults(garbage_rate=1.0), (PortalBadResponse, PortalMisrouted), (True, False)),
])
def test_client_maps_upload_faults(portal: EmbeddedPortal, client: PortalClient, faults: Faults,
                                   errors: tuple[type, type], unknown: tuple[bool, bool]) -> None:
    portal.faults = faults
    calls = (lambda: client.upload_attachment(JPEG, "image/jpeg"), lambda: client.has_attachment(sha(JPEG)))
    for call, error, outcome_unknown in zip(calls, errors, unknown):
        with pytest.raises(error) as info:
            call()
        assert info.value.retryable and info.value.outcome_unknown is outcome_unknown
    portal.faults = Faults()
    assert client.upload_attachment(JPEG, "image/jpeg") == sha(JPEG)  # a retry just works
    assert client.has_attachment(sha(JPEG))


def test_client_upload_to_a_portal_that_is_down_is_unreachable(portal: EmbeddedPortal) -> None:
    url = portal.url
    portal.stop()
    with PortalClient(url, TOKEN, connect_timeout=1.0, read_timeout=2.0) as c:
        with pytest.raises(PortalUnreachable):
            c.upload_attachment(JPEG, "image/jpeg")
        with pytest.raises(PortalUnreachable):
            c.has_attachment(sha(JPEG))


def test_a_body_cut_short_is_never_stored_or_answered(portal: EmbeddedPortal) -> None:
    """A connection that ends mid-body gets no answer (the client sees a broken connection and
    sends again) instead of a 400 that would make the document look refused for good."""
    with socket.create_connection((portal.host, portal.port), timeout=5) as conn:
        conn.sendall((f"PUT /api/v1/attachments/{sha(PDF)} HTTP/1.1\r\nHost: x\r\n"
                      f"Authorization: Bearer {TOKEN}\r\nContent-Type: application/pdf\r\n"
                      f"Content-Length: {len(PDF)}\r\n\r\n").encode() + PDF[:100])
        conn.shutdown(socket.SHUT_WR)
        assert conn.recv(65536) == b""
    assert portal.store.stats().attachments == 0
