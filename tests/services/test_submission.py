"""SubmissionService with a real outbox, a real sync thread and the real reference portal."""

from __future__ import annotations

import dataclasses
import hashlib
import re
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from kiosk.portal.client import PortalClient
from kiosk.portal.embedded import EmbeddedPortal
from kiosk.services.submission import (
    AttachmentMismatch,
    Receipt,
    ReceiptStatus,
    SubmissionError,
    SubmissionService,
)
from offline_store.outbox import Outbox
from offline_store.sync import SyncEngine, SyncThread

TOKEN = "test-kiosk-token"
NAME = "Trần Thị Minh Anh"


def payload(id_number: str = "079195012345") -> dict[str, Any]:
    return {
        "unit_code": "H12.22.10", "kiosk_id": "KIOSK-DEMO-01", "procedure_code": "1.001193",
        "applicant": {"id_number": id_number, "full_name": NAME, "date_of_birth": "1995-03-14",
                      "sex": "F", "residence": "12 Lê Lợi", "identified_by": "chip"},
        "form": {"phone": "0912345678", "copies": 1},
        "submitted_at": "2026-11-27T09:30:00+07:00",
    }


@dataclasses.dataclass
class Kiosk:
    outbox: Outbox
    portal: EmbeddedPortal
    engine: SyncEngine
    thread: SyncThread
    service: SubmissionService


@pytest.fixture
def kiosk(tmp_path: Path) -> Iterator[Kiosk]:
    portal = EmbeddedPortal(tmp_path / "portal.sqlite3", token=TOKEN)
    portal.start()
    outbox = Outbox.open(tmp_path / "outbox.sqlite3", tmp_path / "outbox.key")
    client = PortalClient(portal.url, TOKEN, connect_timeout=2.0, read_timeout=5.0)
    engine = SyncEngine(outbox, client, backoff_base_s=0.05, backoff_cap_s=0.5)
    thread = SyncThread(engine, idle_interval_s=30.0)
    thread.start()
    service = SubmissionService(outbox, thread, engine, wait_s=20.0)
    try:
        yield Kiosk(outbox, portal, engine, thread, service)
    finally:
        service.close()
        assert thread.stop()
        client.close()
        portal.stop()
        outbox.close()


def test_portal_up_gives_sent_receipt_with_dossier_code(kiosk: Kiosk) -> None:
    receipt = kiosk.service.submit("1.001193", payload())
    assert receipt.status is ReceiptStatus.SENT
    assert receipt.dossier_code and re.fullmatch(r"H12\.22\.10-\d{6}-\d{4}", receipt.dossier_code)
    assert re.fullmatch(r"Q-\d{6}-0001", receipt.local_ref)
    assert receipt.procedure_code == "1.001193" and receipt.reason is None
    assert receipt.created_at.utcoffset() == timedelta(hours=7)
    assert kiosk.portal.store.stats().dossiers == 1
    with pytest.raises(dataclasses.FrozenInstanceError):
        receipt.status = ReceiptStatus.QUEUED  # type: ignore[misc]
    assert NAME not in repr(receipt)


def test_portal_down_gives_queued_receipt_promptly_then_sends(kiosk: Kiosk) -> None:
    kiosk.portal.stop()
    started = time.monotonic()
    receipt = kiosk.service.submit("1.001193", payload())
    elapsed = time.monotonic() - started
    assert receipt.status is ReceiptStatus.QUEUED and receipt.dossier_code is None
    assert elapsed < 10.0  # the first failed attempt ends the wait, not wait_s (20 s); slack for CI
    assert "PortalUnreachable" in (receipt.reason or "")
    done = _wait_for_state(kiosk, "sent")
    kiosk.portal.start()
    kiosk.thread.wake()
    assert done.wait(20)
    stats = kiosk.portal.store.stats()
    assert stats.dossiers == 1 and stats.keys_with_multiple_dossiers == 0


def _wait_for_state(kiosk: Kiosk, state: str) -> threading.Event:
    reached = threading.Event()
    kiosk.engine.subscribe(lambda _id, new: reached.set() if new == state else None)
    return reached


def test_rejected_submission_needs_attention(kiosk: Kiosk) -> None:
    receipt = kiosk.service.submit("1.001193", payload(id_number="123"))
    assert receipt.status is ReceiptStatus.NEEDS_ATTENTION
    assert receipt.reason and "422" in receipt.reason and "id_number" in receipt.reason
    assert "123" not in receipt.reason and NAME not in receipt.reason


def test_without_a_running_sync_thread_the_receipt_is_queued_at_once(kiosk: Kiosk) -> None:
    service = SubmissionService(kiosk.outbox, None, kiosk.engine, wait_s=20.0)
    try:
        receipt = service.submit("1.001193", payload())
    finally:
        service.close()
    assert receipt.status is ReceiptStatus.QUEUED


def test_store_failure_raises_submission_error_and_saves_nothing(kiosk: Kiosk) -> None:
    conn = kiosk.outbox._conn
    conn.execute(f"PRAGMA max_page_count = {conn.execute('PRAGMA page_count').fetchone()[0]}")
    big = payload()
    big["form"]["notes"] = "x" * 300_000
    with pytest.raises(SubmissionError) as caught:
        kiosk.service.submit("1.001193", big)
    assert "NOT saved" in caught.value.user_message and "staff" in caught.value.user_message
    assert sum(kiosk.outbox.stats().counts.values()) == 0
    assert kiosk.portal.store.stats().dossiers == 0


def test_receipt_type_is_a_frozen_dataclass() -> None:
    assert dataclasses.is_dataclass(Receipt) and Receipt.__dataclass_params__.frozen  # type: ignore[attr-defined]


def test_backlog_ahead_and_portal_down_does_not_keep_the_citizen_waiting(kiosk: Kiosk) -> None:
    kiosk.portal.stop()
    # Queued before this citizen: enough that the breaker opens before their entry's turn.
    older = [kiosk.outbox.enqueue("1.001193", payload(f"0791950000{i:02d}")) for i in range(6)]
    started = time.monotonic()
    receipt = kiosk.service.submit("1.001193", payload())
    assert time.monotonic() - started < 10.0  # an older entry's failure ended the wait (20 s)
    assert receipt.status is ReceiptStatus.QUEUED
    assert kiosk.outbox.get(older[0].id).attempts >= 1


def test_breaker_open_answers_queued_at_once(kiosk: Kiosk) -> None:
    kiosk.portal.stop()
    for _ in range(5):
        kiosk.engine.breaker.record_failure("PortalUnreachable: test")
    started = time.monotonic()
    receipt = kiosk.service.submit("1.001193", payload())
    assert time.monotonic() - started < 3.0  # not wait_s (20 s); slack for a loaded CI machine
    assert receipt.status is ReceiptStatus.QUEUED


JPEG = b"\xff\xd8\xff\xe0" + bytes(range(256)) * 40
PDF = b"%PDF-1.7\n" + b"scan of a rental contract " * 500


def _with_documents(documents: dict[str, bytes]) -> dict[str, Any]:
    """A temporary-residence payload listing `documents` (field -> bytes), as the flow builds it."""
    from kiosk.domain.attachments import SessionAttachment

    body = payload()
    body["procedure_code"] = "1.004194"
    listed = [SessionAttachment(field, data).describe() for field, data in documents.items()]
    body["form"] = {"phone": "0912345678", **{item["field"]: item["sha256"] for item in listed}}
    body["attachments"] = listed
    return body


def test_submission_with_two_documents_reaches_the_portal_with_them(kiosk: Kiosk) -> None:
    body = _with_documents({"housing_proof": JPEG, "rental_contract": PDF})
    receipt = kiosk.service.submit("1.004194", body, [JPEG, PDF])
    assert receipt.status is ReceiptStatus.SENT and receipt.dossier_code
    store = kiosk.portal.store
    assert store.dossier_attachments(receipt.dossier_code) == {
        "housing_proof": hashlib.sha256(JPEG).hexdigest(),
        "rental_contract": hashlib.sha256(PDF).hexdigest()}
    assert store.attachment_data(hashlib.sha256(PDF).hexdigest()) == PDF
    assert store.stats().dossiers == 1 and store.stats().attachments == 2
    (entry,) = kiosk.outbox.list()
    assert entry.dossier_code == receipt.dossier_code
    assert kiosk.outbox.attachments(entry.id) == [JPEG, PDF]  # kept until retention purges them


@pytest.mark.parametrize("given", [
    pytest.param(lambda: [JPEG], id="too-few"),
    pytest.param(lambda: [PDF, JPEG], id="wrong-order"),
    pytest.param(lambda: [JPEG, PDF, PDF], id="too-many"),
    pytest.param(lambda: [JPEG, PDF + b"x"], id="other-bytes"),
])
def test_documents_that_do_not_match_the_payload_are_a_programming_error(kiosk: Kiosk, given) -> None:
    body = _with_documents({"housing_proof": JPEG, "rental_contract": PDF})
    with pytest.raises(AttachmentMismatch) as caught:
        kiosk.service.submit("1.004194", body, given())
    assert not isinstance(caught.value, SubmissionError)  # a bug, not "could not save"
    assert NAME not in str(caught.value)
    assert sum(kiosk.outbox.stats().counts.values()) == 0
    assert kiosk.portal.store.stats().dossiers == 0


def test_documents_without_a_list_in_the_payload_are_refused(kiosk: Kiosk) -> None:
    with pytest.raises(AttachmentMismatch):
        kiosk.service.submit("1.001193", payload(), attachments=[b"%PDF-1.7 scan"])
    assert sum(kiosk.outbox.stats().counts.values()) == 0
    assert kiosk.service.submit("1.001193", payload()).status is ReceiptStatus.SENT  # still works


def test_the_flow_payload_and_its_photo_go_through_end_to_end(kiosk: Kiosk) -> None:
    """What the UI does: consent gives the payload, flow.attachment_data() the bytes."""
    import datetime as dt

    from kiosk.domain.flow import VN_TZ, Flow
    from kiosk.domain.identity import CitizenIdentity, IdSource, Sex
    from kiosk.domain.paths import PROCEDURES_DIR
    from kiosk.domain.procedures import Catalogue

    now = dt.datetime(2026, 11, 27, 9, 30, tzinfo=VN_TZ)
    flow = Flow(Catalogue.load(PROCEDURES_DIR), unit_code="H12.22.10", kiosk_id="K1",
                clock=lambda: now)
    flow.start()
    flow.identify(CitizenIdentity("001195012345", IdSource.CHIP, full_name=NAME,
                                  date_of_birth=dt.date(1995, 3, 14), sex=Sex.FEMALE))
    flow.choose("1.000656")
    flow.read_requirements()
    digest = flow.attach("death_notice", JPEG)
    flow.submit_form(flow.answers | {
        "phone": "0912345678", "deceased_id_number": "001094012345",
        "deceased_full_name": "Nguyễn Văn B", "date_of_death": "20/11/2026",
        "relationship": "child", "delivery": "counter"})
    flow.set_sms_phone("0912 345 678")
    flow.confirm()
    body = flow.consent(True)
    receipt = kiosk.service.submit(flow.procedure.code, body, flow.attachment_data())
    assert receipt.status is ReceiptStatus.SENT and receipt.dossier_code
    assert kiosk.portal.store.dossier_attachments(receipt.dossier_code) == {"death_notice": digest}
    assert kiosk.portal.store.attachment_data(digest) == JPEG
