"""Idempotency over real HTTP: replay, conflicting reuse, missing key, in-flight duplicate."""

from __future__ import annotations

import json
import threading

import pytest
import requests
from portal_helpers import TOKEN, make_payload, new_key

from kiosk.portal.client import PortalClient
from kiosk.portal.embedded import EmbeddedPortal
from kiosk.domain.portal_contract import PortalBusy, PortalRejected

AUTH = {"Authorization": f"Bearer {TOKEN}"}


def post(portal: EmbeddedPortal, body: object, key: str | None, **headers: str) -> requests.Response:
    hdrs = {**AUTH, "Content-Type": "application/json", **headers}
    if key is not None:
        hdrs["Idempotency-Key"] = key
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    return requests.post(f"{portal.url}/api/v1/dossiers", data=data, headers=hdrs, timeout=(2, 10))


def test_new_dossier_is_201_and_replay_is_200_with_same_body(portal: EmbeddedPortal) -> None:
    key = new_key()
    first = post(portal, make_payload(), key)
    assert first.status_code == 201
    assert "Idempotent-Replayed" not in first.headers
    body = first.json()
    assert body["status"] == "received" and body["procedure_code"] == "1.001193"
    # Same JSON with another key order and spacing is the same body.
    reordered = json.dumps(dict(reversed(list(make_payload().items()))), indent=2).encode()
    again = post(portal, reordered, key)
    assert again.status_code == 200
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == body
    assert portal.store.stats().dossiers == 1


def test_client_reports_replay(client: PortalClient, portal: EmbeddedPortal) -> None:
    key = new_key()
    first = client.submit_dossier(make_payload(), key)
    second = client.submit_dossier(make_payload(), key)
    assert not first.replayed and second.replayed
    assert second.code == first.code and second.received_at == first.received_at
    assert portal.store.stats().keys_with_multiple_dossiers == 0


def test_same_key_other_body_is_422(portal: EmbeddedPortal, client: PortalClient) -> None:
    key = new_key()
    assert post(portal, make_payload(), key).status_code == 201
    resp = post(portal, make_payload(form={"phone": "0900000000", "copies": 2}), key)
    assert resp.status_code == 422
    assert resp.json()["error"]["code"] == "idempotency_key_reused"
    with pytest.raises(PortalRejected) as info:
        client.submit_dossier(make_payload(kiosk_id="KIOSK-OTHER"), key)
    assert info.value.status == 422 and not info.value.retryable
    assert portal.store.stats().dossiers == 1


@pytest.mark.parametrize("headers", [{}, {"Idempotency-Key": ""}, {"Idempotency-Key": "x" * 256}])
def test_missing_or_bad_key_is_400(portal: EmbeddedPortal, headers: dict) -> None:
    resp = post(portal, make_payload(), None, **headers)
    assert resp.status_code == 400
    assert resp.json()["error"]["field"] == "Idempotency-Key"
    assert portal.store.stats().dossiers == 0


def test_key_of_255_chars_is_accepted(portal: EmbeddedPortal) -> None:
    assert post(portal, make_payload(), "k" * 255).status_code == 201


def test_concurrent_same_key_gets_409_while_first_is_in_flight(portal: EmbeddedPortal) -> None:
    hold = threading.Event()  # the first request waits here, holding the key, until we say
    portal.faults.hold = hold
    key = new_key()
    results: dict[str, requests.Response] = {}
    first_started = threading.Event()

    def first() -> None:
        first_started.set()
        results["first"] = post(portal, make_payload(), key)

    thread = threading.Thread(target=first)
    thread.start()
    assert first_started.wait(2)
    assert portal.store.wait_in_flight(key, timeout=5)  # the first request holds the key now
    try:
        second = post(portal, make_payload(), key)
    finally:
        hold.set()  # only now may the first request commit
    thread.join(10)
    assert not thread.is_alive()
    assert results["first"].status_code == 201
    assert second.status_code == 409
    assert second.json()["error"]["code"] == "in_flight"
    assert second.headers["Retry-After"] == "1"
    assert portal.store.stats().dossiers == 1


def test_client_maps_409_to_busy(portal: EmbeddedPortal, client: PortalClient) -> None:
    key = new_key()
    with portal.store.reserve(key) as got:  # as if another request were being processed
        assert got
        with pytest.raises(PortalBusy) as info:
            client.submit_dossier(make_payload(), key)
    assert info.value.status == 409 and info.value.retry_after == 1.0 and info.value.retryable
    assert client.submit_dossier(make_payload(), key).replayed is False


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"procedure_code": "9.999999"}, "procedure_code"),
        ({"unit_code": "h12"}, "unit_code"),
        ({"applicant": {"full_name": "X"}}, "applicant.id_number"),
        ({"submitted_at": "2026-11-27T09:30:00"}, "submitted_at"),
        ({"form": []}, "form"),
    ],
)
def test_invalid_payload_is_422_with_field_and_no_personal_data(
    portal: EmbeddedPortal, client: PortalClient, change: dict, field: str
) -> None:
    resp = post(portal, make_payload(**change), new_key())
    assert resp.status_code == 422
    error = resp.json()["error"]
    assert error["field"] == field and error["message"] and error["code"]
    with pytest.raises(PortalRejected) as info:
        client.submit_dossier(make_payload(**change), new_key())
    assert info.value.field == field
    for secret in ("079195012345", "Trần Thị", "0912345678"):
        assert secret not in str(info.value) and secret not in resp.text
    assert portal.store.stats().dossiers == 0


def test_missing_field_is_reported(portal: EmbeddedPortal) -> None:
    payload = make_payload()
    del payload["kiosk_id"]
    resp = post(portal, payload, new_key())
    assert resp.status_code == 422 and resp.json()["error"] == {
        "code": "missing_field", "message": "is required", "field": "kiosk_id"}


def test_not_json_is_400_and_wrong_media_type_is_415(portal: EmbeddedPortal) -> None:
    assert post(portal, b"{not json", new_key()).status_code == 400
    resp = post(portal, make_payload(), new_key(), **{"Content-Type": "text/plain"})
    assert resp.status_code == 415


def test_find_by_idempotency_key(client: PortalClient) -> None:
    key = new_key()
    assert client.find_by_idempotency_key(key) is None
    created = client.submit_dossier(make_payload(), key)
    found = client.find_by_idempotency_key(key)
    assert found is not None and found.code == created.code and not found.replayed
    assert client.dossier_status(created.code) == found


def test_typed_id_with_unknown_details_is_accepted(client: PortalClient) -> None:
    applicant = {"id_number": "001099000123", "full_name": None, "date_of_birth": None, "sex": None,
                 "residence": None, "identified_by": "typed"}
    assert client.submit_dossier(make_payload(applicant=applicant), new_key()).status == "received"
