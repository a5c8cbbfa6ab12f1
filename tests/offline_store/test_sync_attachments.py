"""The relay sends an entry's document photos before its dossier, exactly once, through faults."""

from __future__ import annotations

import hashlib
import random
import sqlite3
import threading
from collections.abc import Callable

import pytest

from kiosk.portal.client import PortalClient
from kiosk.portal.embedded import EmbeddedPortal
from kiosk.portal.server import Faults, PortalApp
from offline_store.errors import LeaseLost
from offline_store.outbox import Outbox
from offline_store.sync import StepKind, SyncEngine
from outbox_helpers import NAME, FakeClock, make_payload
from outbox_helpers import with_documents as _with_documents

JPEG = b"\xff\xd8\xff\xe0" + bytes(range(256)) * 64
PDF = b"%PDF-1.7\n" + b"rental contract " * 1000
RESIDENCE = "1.004194"


def with_documents(**documents: bytes) -> dict:
    return _with_documents(0, **documents)


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def exactly_once_with_documents(portal: EmbeddedPortal, code: str) -> None:
    stats = portal.store.stats()
    assert stats.dossiers == 1 and stats.keys_with_multiple_dossiers == 0 and stats.attachments == 2
    assert portal.store.dossier_attachments(code) == {"housing_proof": sha(JPEG),
                                                      "rental_contract": sha(PDF)}
    assert portal.store.attachment_data(sha(PDF)) == PDF


def seed_where(faults: Callable[[int], Faults], wanted: Callable[[list], bool]) -> int:
    """A seed whose first rolls of the portal's own fault dice satisfy `wanted`."""
    for seed in range(10_000):
        app = PortalApp(store=None, procedures={}, faults=faults(seed))  # type: ignore[arg-type]
        if wanted([app.roll() for _ in range(6)]):
            return seed
    raise AssertionError("no such seed")


@pytest.fixture
def just_put(outbox: Outbox, client: PortalClient, clock: FakeClock) -> SyncEngine:
    """An engine that uploads without asking first (HEAD) whether the portal holds a document."""
    return SyncEngine(outbox, client, clock=clock, rng=random.Random(7), ask_before_upload=False)


def test_two_documents_then_the_dossier(engine: SyncEngine, outbox: Outbox, portal: EmbeddedPortal) -> None:
    entry = outbox.enqueue(RESIDENCE, with_documents(housing_proof=JPEG, rental_contract=PDF), [JPEG, PDF])
    result = engine.step()
    assert result.kind is StepKind.SENT and result.uploaded == 2
    exactly_once_with_documents(portal, result.dossier_code)
    assert outbox.get(entry.id).state == "sent"


def test_a_5xx_on_the_second_upload_then_success(engine: SyncEngine, outbox: Outbox,
                                                 portal: EmbeddedPortal, clock: FakeClock) -> None:
    # requests: HEAD 1, PUT 1, HEAD 2, PUT 2 (503 here), ...
    seed = seed_where(lambda s: Faults(fail_rate=0.5, seed=s),
                      lambda rolls: [r.fail for r in rolls[:4]] == [False, False, False, True])
    portal.faults = Faults(fail_rate=0.5, seed=seed)
    entry = outbox.enqueue(RESIDENCE, with_documents(housing_proof=JPEG, rental_contract=PDF), [JPEG, PDF])
    failed = engine.step()
    assert failed.kind is StepKind.RETRY_SCHEDULED and "PortalServerError" in (failed.error or "")
    got = outbox.get(entry.id)
    assert got.state == "failed_retryable" and not got.outcome_unknown  # no POST yet: nothing to ask
    assert portal.store.stats().dossiers == 0 and portal.store.stats().attachments == 1
    portal.faults = Faults()
    clock.advance(failed.delay_s)
    sent = engine.step()
    assert sent.kind is StepKind.SENT and not sent.found_by_lookup
    assert sent.uploaded == 1  # the first photo was held already: asked, not sent again
    exactly_once_with_documents(portal, sent.dossier_code)


def test_a_dropped_upload_then_success(just_put: SyncEngine, outbox: Outbox, portal: EmbeddedPortal,
                                       clock: FakeClock) -> None:
    seed = seed_where(lambda s: Faults(drop_rate=1.0, seed=s), lambda rolls: rolls[0].drop_after)
    portal.faults = Faults(drop_rate=1.0, seed=seed)
    entry = outbox.enqueue(RESIDENCE, with_documents(housing_proof=JPEG, rental_contract=PDF), [JPEG, PDF])
    failed = just_put.step()
    assert failed.kind is StepKind.RETRY_SCHEDULED and "PortalTimeout" in (failed.error or "")
    assert not outbox.get(entry.id).outcome_unknown
    assert portal.store.stats().attachments == 1  # stored, but the answer was lost
    portal.faults = Faults()
    clock.advance(failed.delay_s)
    sent = just_put.step()
    assert sent.kind is StepKind.SENT and sent.uploaded == 2  # PUT again: 200, harmless
    exactly_once_with_documents(portal, sent.dossier_code)


def test_a_drop_after_the_dossier_commit_is_found_not_duplicated(
        engine: SyncEngine, outbox: Outbox, portal: EmbeddedPortal, client: PortalClient,
        clock: FakeClock) -> None:
    client.upload_attachment(JPEG, "image/jpeg")
    client.upload_attachment(PDF, "application/pdf")  # held: the next requests are HEAD, HEAD, POST
    seed = seed_where(lambda s: Faults(drop_rate=0.5, seed=s),
                      lambda rolls: [r.drop for r in rolls[:3]] == [False, False, True] and rolls[2].drop_after)
    portal.faults = Faults(drop_rate=0.5, seed=seed)
    entry = outbox.enqueue(RESIDENCE, with_documents(housing_proof=JPEG, rental_contract=PDF), [JPEG, PDF])
    failed = engine.step()
    assert failed.kind is StepKind.RETRY_SCHEDULED and outbox.get(entry.id).outcome_unknown
    portal.faults = Faults()
    clock.advance(failed.delay_s)
    sent = engine.step()
    assert sent.kind is StepKind.SENT and sent.found_by_lookup and sent.uploaded == 0
    exactly_once_with_documents(portal, sent.dossier_code)


def test_a_document_the_portal_lost_before_the_post_is_uploaded_again(
        engine: SyncEngine, outbox: Outbox, portal: EmbeddedPortal) -> None:
    hold = threading.Event()
    portal.faults = Faults(hold=hold)
    entry = outbox.enqueue(RESIDENCE, with_documents(housing_proof=JPEG, rental_contract=PDF), [JPEG, PDF])
    results = []
    worker = threading.Thread(target=lambda: results.append(engine.step()), name="step")
    worker.start()
    try:
        assert portal.store.wait_in_flight(entry.idempotency_key, 10)  # uploads done, POST held
        with sqlite3.connect(portal.store.path) as conn:  # the portal loses one document
            conn.execute("DELETE FROM attachments WHERE sha256 = ?", (sha(PDF),))
    finally:
        hold.set()
        worker.join(10)
    assert not worker.is_alive()
    (sent,) = results
    assert sent.kind is StepKind.SENT and sent.uploaded == 4  # 2, then both again without asking
    exactly_once_with_documents(portal, sent.dossier_code)


def test_a_refused_document_needs_staff_attention(engine: SyncEngine, outbox: Outbox,
                                                  portal: EmbeddedPortal) -> None:
    body = with_documents(housing_proof=JPEG, rental_contract=PDF)
    body["attachments"][1]["media_type"] = "image/png"  # the portal sniffs a PDF: 415
    entry = outbox.enqueue(RESIDENCE, body, [JPEG, PDF])
    result = engine.step()
    assert result.kind is StepKind.NEEDS_ATTENTION
    got = outbox.get(entry.id)
    assert got.state == "needs_attention" and got.last_error == result.error
    assert "document photo 2 of 2" in got.last_error and "415" in got.last_error
    assert "unsupported_media_type" in got.last_error and "staff" in got.last_error
    assert NAME not in got.last_error and sha(PDF) not in got.last_error
    assert portal.store.stats().dossiers == 0
    assert engine.breaker.snapshot().state.value == "closed"  # a refusal is a healthy portal


def test_a_document_missing_from_the_outbox_needs_attention(engine: SyncEngine, outbox: Outbox,
                                                            portal: EmbeddedPortal) -> None:
    entry = outbox.enqueue(RESIDENCE, with_documents(housing_proof=JPEG, rental_contract=PDF), [JPEG])
    result = engine.step()
    assert result.kind is StepKind.NEEDS_ATTENTION
    assert "document 2 of 2" in (result.error or "") and "paper" in (result.error or "")
    assert outbox.get(entry.id).state == "needs_attention" and portal.store.stats().dossiers == 0


def test_a_wrong_token_on_upload_is_retried_not_parked(outbox: Outbox, portal: EmbeddedPortal,
                                                       clock: FakeClock) -> None:
    with PortalClient(portal.url, "wrong-token", connect_timeout=2.0, read_timeout=5.0) as bad:
        engine = SyncEngine(outbox, bad, clock=clock, rng=random.Random(1), ask_before_upload=False)
        entry = outbox.enqueue(RESIDENCE, with_documents(housing_proof=JPEG), [JPEG])
        result = engine.step()
    assert result.kind is StepKind.RETRY_SCHEDULED and "token" in (result.error or "")
    assert outbox.get(entry.id).state == "failed_retryable"


def test_unlisted_files_are_not_uploaded(engine: SyncEngine, outbox: Outbox, portal: EmbeddedPortal) -> None:
    """Entries saved straight on the outbox with files but no list (older kiosks) send as before."""
    outbox.enqueue("1.001193", make_payload(), [b"scan"])
    result = engine.step()
    assert result.kind is StepKind.SENT and result.uploaded == 0
    assert portal.store.stats().attachments == 0


def test_the_lease_is_renewed_during_a_long_send(outbox: Outbox, clock: FakeClock) -> None:
    entry = outbox.enqueue("1.001193", make_payload())
    claimed = outbox.claim_next()
    assert claimed is not None and claimed.lease_token
    clock.advance(50)
    until = outbox.renew_lease(entry.id, claimed.lease_token)
    assert until == clock() + 60
    clock.advance(30)  # past the first lease, within the renewed one
    assert outbox.requeue_expired_leases() == []
    with pytest.raises(LeaseLost):
        outbox.renew_lease(entry.id, "not-the-token")
    clock.advance(31)
    assert outbox.requeue_expired_leases() == [entry.id]
    with pytest.raises(LeaseLost):
        outbox.renew_lease(entry.id, claimed.lease_token)


class SlowUplink:
    """The real client, on a link where each upload takes 40 s of the kiosk's (fake) clock; after
    each, a second worker on the same file (`kiosk outbox sync`) looks for expired leases."""

    def __init__(self, client: PortalClient, clock: FakeClock, other: Outbox) -> None:
        self._client, self._clock, self._other = client, clock, other
        self.stolen: list[list[int]] = []

    def upload_attachment(self, data: bytes, media_type: str) -> str:
        digest = self._client.upload_attachment(data, media_type)
        self._clock.advance(40)
        self.stolen.append(self._other.requeue_expired_leases())
        return digest

    def __getattr__(self, name: str):
        return getattr(self._client, name)


def test_slow_uploads_keep_the_lease(open_outbox, client: PortalClient, portal: EmbeddedPortal,
                                     clock: FakeClock) -> None:
    outbox, other = open_outbox(lease_s=60.0), open_outbox(lease_s=60.0)
    link = SlowUplink(client, clock, other)
    engine = SyncEngine(outbox, link, clock=clock, rng=random.Random(3), ask_before_upload=False)
    outbox.enqueue(RESIDENCE, with_documents(housing_proof=JPEG, rental_contract=PDF), [JPEG, PDF])
    result = engine.step()  # 80 s of uploads under a 60 s lease, renewed before each request
    assert link.stolen == [[], []]
    assert result.kind is StepKind.SENT
    exactly_once_with_documents(portal, result.dossier_code)


class DamagingLink:
    """The real client, behind a link that flips one byte of the first upload's body."""

    def __init__(self, client: PortalClient) -> None:
        self._client = client
        self.damaged = 0

    def upload_attachment(self, data: bytes, media_type: str) -> str:
        if self.damaged:
            return self._client.upload_attachment(data, media_type)
        self.damaged += 1
        bad = data[:-1] + bytes([data[-1] ^ 1])
        self._client._request("PUT", f"/attachments/{sha(data)}", data=bad,  # noqa: SLF001
                              headers={"Content-Type": media_type})
        raise AssertionError("the portal took a damaged document")

    def __getattr__(self, name: str):
        return getattr(self._client, name)


def test_a_document_damaged_on_the_way_is_sent_again(outbox: Outbox, client: PortalClient,
                                                     portal: EmbeddedPortal, clock: FakeClock) -> None:
    engine = SyncEngine(outbox, DamagingLink(client), clock=clock, rng=random.Random(5))
    entry = outbox.enqueue(RESIDENCE, with_documents(housing_proof=JPEG, rental_contract=PDF), [JPEG, PDF])
    failed = engine.step()
    assert failed.kind is StepKind.RETRY_SCHEDULED and "UploadDamaged" in (failed.error or "")
    assert outbox.get(entry.id).state == "failed_retryable"  # not needs_attention: a retry helps
    clock.advance(failed.delay_s)
    sent = engine.step()
    assert sent.kind is StepKind.SENT
    exactly_once_with_documents(portal, sent.dossier_code)
