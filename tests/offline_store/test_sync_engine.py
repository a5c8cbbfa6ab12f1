"""SyncEngine against the real reference portal on loopback, stepped by hand with a fake clock."""

from __future__ import annotations

import logging
import os
import random

import pytest

from kiosk.portal.client import PortalClient
from kiosk.portal.embedded import EmbeddedPortal
from kiosk.portal.server import Faults
from offline_store.outbox import Outbox
from offline_store.sync import StepKind, SyncEngine
from outbox_helpers import NAME, FakeClock, StateLog, make_payload


def _exactly_once(portal: EmbeddedPortal, n: int) -> None:
    stats = portal.store.stats()
    assert stats.dossiers == n and stats.keys_with_multiple_dossiers == 0


def test_idle_when_nothing_is_queued(engine: SyncEngine) -> None:
    result = engine.step()
    assert result.kind is StepKind.IDLE and result.entry_id is None
    assert engine.next_due_in() is None


def test_sends_with_the_idempotency_key(engine: SyncEngine, outbox: Outbox,
                                        portal: EmbeddedPortal) -> None:
    log = StateLog()
    engine.subscribe(log)
    entry = outbox.enqueue("1.001193", make_payload())
    assert engine.next_due_in() == 0.0
    result = engine.step()
    assert result.kind is StepKind.SENT and result.entry_id == entry.id
    assert not result.found_by_lookup
    stored = portal.store.find_by_key(entry.idempotency_key)
    assert stored is not None and stored["code"] == result.dossier_code
    assert outbox.get(entry.id).dossier_code == result.dossier_code
    assert log.events == [(entry.id, "sending"), (entry.id, "sent")]
    _exactly_once(portal, 1)


def test_portal_down_then_back_sends_exactly_once(engine: SyncEngine, outbox: Outbox,
                                                  portal: EmbeddedPortal, clock: FakeClock) -> None:
    entry = outbox.enqueue("1.001193", make_payload())
    portal.stop()
    delays = []
    for attempt in range(4):
        result = engine.step()
        assert result.kind is StepKind.RETRY_SCHEDULED and result.entry_id == entry.id
        assert 0.0 <= result.delay_s <= 1.0 * 2 ** attempt  # full jitter within its ceiling
        assert "PortalUnreachable" in (result.error or "")
        delays.append(result.delay_s)
        assert engine.step().kind is StepKind.IDLE  # not due before its time
        assert engine.next_due_in() == pytest.approx(result.delay_s)
        clock.advance(result.delay_s)
    got = outbox.get(entry.id)
    assert got.state == "failed_retryable" and got.attempts == 4 and not got.outcome_unknown
    assert len(set(delays)) == 4  # jittered, not a fixed schedule
    portal.start()
    result = engine.step()
    assert result.kind is StepKind.SENT
    _exactly_once(portal, 1)
    assert engine.step().kind is StepKind.IDLE


def test_backoff_is_full_jitter_within_cap_and_honours_retry_after(outbox: Outbox,
                                                                   client: PortalClient) -> None:
    engine = SyncEngine(outbox, client, rng=random.Random(7), backoff_base_s=2.0,
                        backoff_cap_s=60.0)
    for attempts in range(12):
        ceiling = min(60.0, 2.0 * 2 ** attempts)
        draws = [engine.backoff(attempts) for _ in range(200)]
        assert all(0.0 <= d <= ceiling for d in draws)
        assert max(draws) > ceiling * 0.8 and min(draws) < ceiling * 0.2  # spread over the range
    assert all(engine.backoff(0, retry_after=30.0) >= 30.0 for _ in range(50))
    assert engine.backoff(10_000) <= 60.0  # no overflow for huge attempt counts


def test_retry_after_from_the_portal_is_honoured(outbox: Outbox, client: PortalClient,
                                                 portal: EmbeddedPortal, clock: FakeClock) -> None:
    engine = SyncEngine(outbox, client, clock=clock, rng=random.Random(3), backoff_base_s=0.001)
    entry = outbox.enqueue("1.001193", make_payload())
    portal.faults = Faults(fail_rate=1.0)  # 503 with Retry-After: 1, before anything is stored
    result = engine.step()
    assert result.kind is StepKind.RETRY_SCHEDULED and result.delay_s >= 1.0
    assert outbox.get(entry.id).next_attempt_at >= clock() + 1.0
    assert not outbox.get(entry.id).outcome_unknown
    portal.faults = Faults()
    clock.advance(result.delay_s)
    assert engine.step().kind is StepKind.SENT
    _exactly_once(portal, 1)


def test_garbage_after_commit_is_looked_up_not_resent(engine: SyncEngine, outbox: Outbox,
                                                      portal: EmbeddedPortal,
                                                      clock: FakeClock) -> None:
    entry = outbox.enqueue("1.001193", make_payload())
    portal.faults = Faults(garbage_rate=1.0)  # the dossier is stored, the answer is HTML
    result = engine.step()
    assert result.kind is StepKind.RETRY_SCHEDULED and "PortalBadResponse" in (result.error or "")
    assert outbox.get(entry.id).outcome_unknown
    _exactly_once(portal, 1)
    portal.faults = Faults()
    clock.advance(result.delay_s)
    result = engine.step()
    assert result.kind is StepKind.SENT and result.found_by_lookup
    assert result.dossier_code == portal.store.find_by_key(entry.idempotency_key)["code"]
    _exactly_once(portal, 1)


def _drop_seed(after_commit: bool) -> int:
    """A fault seed whose first request is dropped after (or before) the portal commits.
    Mirrors `PortalApp.roll()` (4 draws; the third decides "after"); the test checks the outcome."""
    for seed in range(1000):
        rng = random.Random(seed)
        draws = [rng.random() for _ in range(4)]
        if (draws[2] < 0.5) == after_commit:
            return seed
    raise AssertionError("no seed found")


@pytest.mark.parametrize("after_commit", [True, False], ids=["after-commit", "before-commit"])
def test_dropped_connection_is_looked_up_and_never_duplicated(
        engine: SyncEngine, outbox: Outbox, portal: EmbeddedPortal, clock: FakeClock,
        after_commit: bool) -> None:
    entry = outbox.enqueue("1.001193", make_payload())
    portal.faults = Faults(drop_rate=1.0, seed=_drop_seed(after_commit))
    result = engine.step()
    assert result.kind is StepKind.RETRY_SCHEDULED and "PortalTimeout" in (result.error or "")
    assert outbox.get(entry.id).outcome_unknown
    _exactly_once(portal, 1 if after_commit else 0)  # the kiosk cannot tell which happened
    clock.advance(result.delay_s)
    result = engine.step()  # still dropping: the lookup fails too, nothing is re-sent blindly
    assert result.kind is StepKind.RETRY_SCHEDULED
    portal.faults = Faults()
    clock.advance(result.delay_s)
    result = engine.step()
    assert result.kind is StepKind.SENT and result.found_by_lookup is after_commit
    assert result.dossier_code == portal.store.find_by_key(entry.idempotency_key)["code"]
    _exactly_once(portal, 1)


def test_rejected_dossier_needs_attention_without_personal_data(engine: SyncEngine, outbox: Outbox,
                                                                portal: EmbeddedPortal) -> None:
    entry = outbox.enqueue("1.001193", make_payload(id_number="12345"))
    result = engine.step()
    assert result.kind is StepKind.NEEDS_ATTENTION and result.entry_id == entry.id
    got = outbox.get(entry.id)
    assert got.state == "needs_attention" and "422" in (got.last_error or "")
    assert "id_number" in (got.last_error or "")
    assert "12345" not in (got.last_error or "") and NAME not in (got.last_error or "")
    assert outbox.stats().last_error == got.last_error
    assert engine.step().kind is StepKind.IDLE  # never retried
    _exactly_once(portal, 0)


def test_wrong_token_keeps_retrying_instead_of_parking_dossiers(outbox: Outbox, portal: EmbeddedPortal,
                                                                clock: FakeClock) -> None:
    outbox.enqueue("1.001193", make_payload())
    with PortalClient(portal.url, "wrong-token", connect_timeout=2.0, read_timeout=5.0) as bad:
        result = SyncEngine(outbox, bad, clock=clock).step()
    assert result.kind is StepKind.RETRY_SCHEDULED and "401" in (result.error or "")


def test_crashed_worker_lease_is_recovered_and_asked_first(engine: SyncEngine, outbox: Outbox,
                                                           client: PortalClient,
                                                           portal: EmbeddedPortal,
                                                           clock: FakeClock) -> None:
    entry = outbox.enqueue("1.001193", make_payload())
    claimed = outbox.claim_next()  # a worker claims, sends, then "dies" before recording it
    assert claimed is not None and claimed.payload is not None
    client.submit_dossier(claimed.payload, claimed.idempotency_key)
    assert engine.step().kind is StepKind.IDLE
    clock.advance(61)
    result = engine.step()
    assert result.kind is StepKind.SENT and result.found_by_lookup and result.entry_id == entry.id
    _exactly_once(portal, 1)


def test_undecryptable_payload_needs_attention(open_outbox, tmp_path, client: PortalClient,
                                               clock: FakeClock) -> None:
    """One damaged record (another key is refused at open: test_outbox_crypto)."""
    box = open_outbox()
    entry = box.enqueue("1.001193", make_payload())
    box.enqueue("1.001193", make_payload(1))
    box._conn.execute("UPDATE outbox SET ciphertext = ? WHERE id = ?", (os.urandom(64), entry.id))
    box.close()
    box = open_outbox()
    result = SyncEngine(box, client, clock=clock).step()
    assert result.kind is StepKind.NEEDS_ATTENTION and result.entry_id == entry.id
    assert "key" in (box.get(entry.id).last_error or "")


def test_failing_observer_does_not_stop_the_engine(engine: SyncEngine, outbox: Outbox,
                                                   caplog: pytest.LogCaptureFixture) -> None:
    def broken(entry_id: int, state: str) -> None:
        raise RuntimeError("observer bug")

    log = StateLog()
    engine.subscribe(broken)
    unsubscribe = engine.subscribe(log)
    outbox.enqueue("1.001193", make_payload())
    with caplog.at_level(logging.ERROR, logger="offline_store.sync"):
        assert engine.step().kind is StepKind.SENT
    assert [s for _, s in log.events] == ["sending", "sent"]
    assert "observer failed" in caplog.text
    unsubscribe()
    outbox.enqueue("1.001193", make_payload(2))
    engine.step()
    assert len(log.events) == 2
