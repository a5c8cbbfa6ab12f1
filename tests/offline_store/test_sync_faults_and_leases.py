"""What the relay keeps safe: error text from the portal or an unexpected exception is neither
stored nor fed to the breaker, a payload that cannot be encoded waits for staff, a worker whose
lease was taken cannot record over it, and a wake-up is never lost. Real outbox files and the real reference portal throughout; the
only stand-ins are client subclasses that inject one fault into an otherwise real client."""

from __future__ import annotations

import random
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from kiosk.portal.client import PortalClient
from kiosk.portal.embedded import EmbeddedPortal
from kiosk.domain.portal_contract import PortalRejected
from offline_store.breaker import BreakerState
from offline_store.outbox import LeaseLost, Outbox
from offline_store.sync import StepKind, SyncEngine, SyncThread
from outbox_helpers import NAME, TOKEN, FakeClock, StateLog, make_payload

ID_NUMBER = "079195099999"


class _RaisingClient(PortalClient):
    """A real client whose submit raises `make()` instead of sending."""

    def __init__(self, url: str, make: Callable[[], Exception]) -> None:
        super().__init__(url, TOKEN, connect_timeout=2.0, read_timeout=5.0)
        self._make = make

    def submit_dossier(self, payload: dict, idempotency_key: str):  # type: ignore[override]
        raise self._make()


def _all_stored_text(path: Path) -> str:
    """Every clear-text value the outbox file holds in sync_state and last_error."""
    with sqlite3.connect(path) as conn:
        rows = conn.execute("SELECT value FROM sync_state").fetchall()
        rows += conn.execute("SELECT last_error FROM outbox").fetchall()
    return " ".join(str(v) for (v,) in rows)


def test_unexpected_exception_text_never_reaches_the_breaker(outbox: Outbox, portal: EmbeddedPortal,
                                                              clock: FakeClock) -> None:
    client = _RaisingClient(portal.url, lambda: RuntimeError(f"boom {NAME} {ID_NUMBER}"))
    engine = SyncEngine(outbox, client, clock=clock, rng=random.Random(3))
    try:
        outbox.enqueue("1.001193", make_payload())
        for _ in range(5):  # five consecutive failures open the breaker
            result = engine.step()
            assert result.kind is StepKind.RETRY_SCHEDULED
            clock.advance(result.delay_s or 0.0)
        snap = engine.breaker.snapshot()
        assert snap.state is BreakerState.OPEN
        stored = outbox.stats()
        for text in (snap.reason or "", stored.breaker_reason or "", stored.last_error or "",
                     str(engine.stats()), _all_stored_text(outbox.path)):
            assert NAME not in text and ID_NUMBER not in text and "boom" not in text
        assert "RuntimeError" in (stored.breaker_reason or "")
    finally:
        client.close()


def test_portal_refusal_text_is_not_stored(outbox: Outbox, portal: EmbeddedPortal,
                                           clock: FakeClock) -> None:
    echo = f"full_name '{NAME}' does not match id_number {ID_NUMBER}"
    client = _RaisingClient(portal.url, lambda: PortalRejected(
        f"Portal refused the request (422): {echo}.", status=422, reason=echo,
        error_code="MISMATCH", field="applicant.full_name"))
    engine = SyncEngine(outbox, client, clock=clock, rng=random.Random(3))
    try:
        entry = outbox.enqueue("1.001193", make_payload())
        result = engine.step()
        assert result.kind is StepKind.NEEDS_ATTENTION
        got = outbox.get(entry.id)
        assert got.state == "needs_attention"
        for text in (got.last_error or "", result.error or "", outbox.stats().last_error or "",
                     _all_stored_text(outbox.path)):
            assert NAME not in text and ID_NUMBER not in text and "does not match" not in text
        for kept in ("422", "MISMATCH", "applicant.full_name"):  # what staff need is kept
            assert kept in (got.last_error or "")
    finally:
        client.close()


def test_unencodable_payload_needs_attention_and_is_not_a_portal_failure(
        outbox: Outbox, client: PortalClient, portal: EmbeddedPortal, clock: FakeClock) -> None:
    engine = SyncEngine(outbox, client, clock=clock, rng=random.Random(3))
    bad = outbox.enqueue("1.001193", {**make_payload(), "fee": float("nan")})  # JSON has no NaN
    good = outbox.enqueue("1.001193", make_payload(1))
    result = engine.step()
    assert result.kind is StepKind.NEEDS_ATTENTION and result.entry_id == bad.id
    assert "TypeError" in (result.error or "")
    assert outbox.get(bad.id).state == "needs_attention"
    snap = engine.breaker.snapshot()
    assert snap.state is BreakerState.CLOSED and snap.reason is None
    assert engine.step().kind is StepKind.SENT  # the next dossier is not held back
    assert outbox.get(good.id).state == "sent"
    assert portal.store.stats().dossiers == 1


# -- lease tokens ------------------------------------------------------------------------------


def test_stale_worker_cannot_record_over_a_reclaimed_lease(open_outbox: Callable[..., Outbox],
                                                           clock: FakeClock) -> None:
    first, second = open_outbox(lease_s=60.0), open_outbox(lease_s=60.0)  # two workers, one file
    entry = first.enqueue("1.001193", make_payload())
    stale = first.claim_next()
    assert stale is not None and stale.lease_token
    clock.advance(61.0)
    assert second.requeue_expired_leases() == [entry.id]
    with pytest.raises(LeaseLost):  # re-queued, not yet re-claimed
        first.mark_retryable(entry.id, "x", clock() + 5, lease_token=stale.lease_token)
    owner = second.claim_next()
    assert owner is not None and owner.lease_token not in (None, stale.lease_token)
    with pytest.raises(LeaseLost):
        first.mark_sent(entry.id, "H12.22.10-261127-0001", lease_token=stale.lease_token)
    with pytest.raises(LeaseLost):
        first.mark_retryable(entry.id, "x", clock() + 5, lease_token=stale.lease_token)
    with pytest.raises(LeaseLost):
        first.mark_needs_attention(entry.id, "x", lease_token=stale.lease_token)
    row = second.get(entry.id)
    assert row.state == "sending" and row.lease_expires_at == owner.lease_expires_at
    second.mark_sent(entry.id, "H12.22.10-261127-0002", lease_token=owner.lease_token)
    assert second.get(entry.id).dossier_code == "H12.22.10-261127-0002"


class _SlowThenOvertaken(PortalClient):
    """Sends for real, then (before the answer is recorded) the lease expires and another worker
    (a `kiosk outbox sync` beside the kiosk) re-claims the row."""

    def __init__(self, url: str, clock: FakeClock, other: Outbox) -> None:
        super().__init__(url, TOKEN, connect_timeout=2.0, read_timeout=5.0)
        self._clock, self._other = clock, other
        self.claimed_by_other: str | None = None

    def submit_dossier(self, payload: dict, idempotency_key: str):  # type: ignore[override]
        dossier = super().submit_dossier(payload, idempotency_key)
        self._clock.advance(61.0)
        self._other.requeue_expired_leases()
        claimed = self._other.claim_next()
        assert claimed is not None
        self.claimed_by_other = claimed.lease_token
        return dossier


def test_engine_drops_its_result_quietly_when_the_lease_was_taken(
        open_outbox: Callable[..., Outbox], portal: EmbeddedPortal, clock: FakeClock) -> None:
    mine, other = open_outbox(lease_s=60.0), open_outbox(lease_s=60.0)
    client = _SlowThenOvertaken(portal.url, clock, other)
    engine = SyncEngine(mine, client, clock=clock, rng=random.Random(3))
    events = StateLog()
    engine.subscribe(events)
    try:
        entry = mine.enqueue("1.001193", make_payload())
        result = engine.step()
        assert result.kind is StepKind.LEASE_LOST and result.entry_id == entry.id
        row = other.get(entry.id)
        assert row.state == "sending" and row.dossier_code is None  # the owner's row, untouched
        assert (entry.id, "sent") not in events.events
        # The owner asks the portal first (outcome unknown) and finds the one dossier.
        owner = SyncEngine(other, PortalClient(portal.url, TOKEN), clock=clock)
        clock.advance(61.0)
        assert owner.step().kind is StepKind.SENT
        assert portal.store.stats().dossiers == 1
        assert portal.store.stats().keys_with_multiple_dossiers == 0
    finally:
        client.close()


def test_v2_store_migrates_to_lease_tokens(tmp_path: Path, clock: FakeClock) -> None:
    from offline_store import schema

    db = tmp_path / "old.sqlite3"
    conn = sqlite3.connect(db, isolation_level=None)
    schema.migrate(conn, schema.MIGRATIONS[:2])
    conn.close()
    with Outbox.open(db, tmp_path / "old.key", clock=clock) as box:
        entry = box.enqueue("1.001193", make_payload())
        claimed = box.claim_next()
        assert claimed is not None and claimed.lease_token
        box.mark_sent(entry.id, "H12.22.10-261127-0001", lease_token=claimed.lease_token)
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION >= 3
    conn.close()


# -- the sync thread's wake-up window -----------------------------------------------------------


class _WakeInTheWindow(threading.Event):
    """Deterministic race: the first timed wait times out, and exactly then (after the timeout,
    before the loop goes on) a submission is saved and `wake()` is called. Later waits are real."""

    def __init__(self, on_timeout: Callable[[], None]) -> None:
        super().__init__()
        self._on_timeout: Callable[[], None] | None = on_timeout

    def wait(self, timeout: float | None = None) -> bool:
        if self._on_timeout is not None and timeout is not None:
            hook, self._on_timeout = self._on_timeout, None
            hook()  # enqueue + wake() land after the "timeout"
            return False
        return super().wait(timeout)


def test_wake_right_after_a_timed_out_wait_is_not_lost(engine: SyncEngine, outbox: Outbox) -> None:
    thread = SyncThread(engine, idle_interval_s=60.0)  # a lost wake would cost a minute
    saved: list[int] = []
    thread._wake = _WakeInTheWindow(  # type: ignore[attr-defined]
        lambda: (saved.append(outbox.enqueue("1.001193", make_payload()).id), thread.wake()))
    events = StateLog()
    engine.subscribe(events)
    thread.start()
    try:
        assert events.wait_for(lambda ev: saved and (saved[0], "sent") in ev, timeout=20.0)
    finally:
        assert thread.stop(timeout=10.0)
