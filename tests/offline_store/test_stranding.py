"""Paths that used to strand queued submissions (saved, never sent, visible to no one), each on real
files and against the reference portal over HTTP, each ending with the entry sent exactly once or
reported by reference: a damaged outbox, wall-clock leases, a misrouted portal, the wrong key and
a trickling or oversized answer."""

from __future__ import annotations

import os
import random
import sqlite3
import time
from pathlib import Path

import pytest

from kiosk.domain.portal_contract import PortalBadResponse, PortalMisrouted, PortalTimeout
from kiosk.portal.client import PortalClient
from kiosk.portal.embedded import EmbeddedPortal, Faults
from offline_store.errors import KeyMismatch
from offline_store.leases import Holder, this_process
from offline_store.outbox import Outbox
from offline_store.sync import StepKind, SyncEngine
from outbox_helpers import TOKEN, FakeClock, make_payload

YEAR = 365 * 86400.0


def drain(outbox: Outbox, client: PortalClient, *, steps: int = 500) -> None:
    engine = SyncEngine(outbox, client, rng=random.Random(1), backoff_base_s=0.001,
                        backoff_cap_s=0.001)
    engine.connectivity_restored()
    for _ in range(steps):
        if engine.step().kind is StepKind.IDLE and outbox.next_due_at() is None:
            return
    raise AssertionError(f"not drained: {outbox.stats().counts}")


def exactly_once(outbox: Outbox, portal: EmbeddedPortal) -> None:
    stats = portal.store.stats()
    assert stats.keys_with_multiple_dossiers == 0
    for entry in outbox.list(limit=10_000):
        assert entry.state == "sent", (entry.local_ref, entry.state, entry.last_error)
        assert portal.store.find_by_key(entry.idempotency_key)["code"] == entry.dossier_code


# -- 1. a damaged outbox ---------------------------------------------------------------------------

def _table_pages(db: Path) -> list[int]:
    """Numbers of the outbox table's leaf pages (they hold the rows' references in clear)."""
    data = db.read_bytes()
    size = int.from_bytes(data[16:18], "big")
    return [n + 1 for n in range(1, len(data) // size)
            if data[n * size] == 0x0D and b"Q-" in data[n * size:(n + 1) * size]]


def test_damaged_outbox_is_recovered_with_its_references_and_sent_once(
        tmp_path: Path, portal: EmbeddedPortal, client: PortalClient) -> None:
    db, key = tmp_path / "outbox.sqlite3", tmp_path / "outbox.key"
    with Outbox.open(db, key) as box:
        entries = [box.enqueue("1.001193", make_payload(i, id_number=f"0791950{i:05d}"))
                   for i in range(60)]
        for _ in range(5):  # five already sent before the damage
            claimed = box.claim_next()
            box.mark_sent(claimed.id, portal_code(client, claimed), lease_token=claimed.lease_token)
    refs = {e.local_ref for e in entries}
    pages = _table_pages(db)
    assert len(pages) >= 3
    with db.open("r+b") as f:  # one whole page of rows destroyed (zeroed, as a failed sector)
        f.seek((pages[1] - 1) * 4096)
        f.write(bytes(4096))

    box = Outbox.open(db, key)  # the kiosk starts: moved aside, recovered, never empty
    try:
        [report] = box.recovered
        assert report.recovered + report.lost == 60 and report.lost > 0
        assert set(report.lost_refs) <= refs  # the destroyed rows' references survived
        lost = box.lost_entries()
        assert {e.local_ref for e in lost} == set(report.lost_refs)
        assert all(e.idempotency_key for e in lost)  # the portal can be asked about each
        recovered = {e.local_ref for e in box.list(limit=1000)}
        assert recovered | set(report.lost_refs) == refs  # every reference accounted for
        stats = box.stats()
        assert stats.lost == report.lost and set(stats.lost_refs) == set(report.lost_refs)

        fresh = box.enqueue("1.001193", make_payload(99))
        assert fresh.local_ref not in refs  # a new receipt never repeats an old reference

        drain(box, client)
        exactly_once(box, portal)
    finally:
        box.close()
    with Outbox.open(db, key) as again:  # the next start does not recover the same file twice
        assert again.recovered == [] and again.stats().lost == report.lost


def portal_code(client: PortalClient, entry) -> str:
    return client.submit_dossier(entry.payload, entry.idempotency_key).code


def test_outbox_file_lost_entirely_never_reissues_a_reference(tmp_path: Path) -> None:
    db, key = tmp_path / "outbox.sqlite3", tmp_path / "outbox.key"
    clock = FakeClock()
    with Outbox.open(db, key, clock=clock) as box:
        issued = {box.enqueue("p", make_payload(i)).local_ref for i in range(25)}
    for suffix in ("", "-wal", "-shm"):  # the database is gone (replaced, wiped), the key kept
        Path(str(db) + suffix).unlink(missing_ok=True)
    with Outbox.open(db, key, clock=clock) as box:
        again = {box.enqueue("p", make_payload(i)).local_ref for i in range(25)}
    assert not issued & again


def test_a_key_missing_beside_a_set_aside_outbox_is_refused_not_replaced(tmp_path: Path) -> None:
    db, key = tmp_path / "outbox.sqlite3", tmp_path / "outbox.key"
    with Outbox.open(db, key) as box:
        box.enqueue("p", make_payload())
    with db.open("r+b") as f:
        f.write(b"\xff" * 100)  # the header
    key.rename(tmp_path / "elsewhere.key")
    with pytest.raises(Exception, match="restore the key file"):
        Outbox.open(db, key)
    assert not key.exists()  # no new key was made: it could never read the set-aside file
    (tmp_path / "elsewhere.key").rename(key)
    with Outbox.open(db, key) as box:
        assert box.stats().counts["queued"] == 1


# -- 2. wall-clock leases ----------------------------------------------------------------------------

def test_lease_written_a_year_ahead_by_a_dead_process_comes_back_at_once(
        tmp_path: Path, portal: EmbeddedPortal, client: PortalClient) -> None:
    db, key = tmp_path / "outbox.sqlite3", tmp_path / "outbox.key"
    me = this_process()
    dead = Holder(me.boot_id, 2 ** 22 + 17, "1")  # same boot, a process that is not running
    ahead = Outbox.open(db, key, clock=lambda: time.time() + YEAR, monotonic=time.monotonic,
                        holder=dead)
    entry = ahead.enqueue("1.001193", make_payload())
    assert ahead.claim_next().id == entry.id  # then the kiosk was killed mid-send
    ahead.close()
    with Outbox.open(db, key) as box:  # restarted with the clock corrected
        assert box.get(entry.id).state == "queued" and box.get(entry.id).outcome_unknown
        drain(box, client)
        exactly_once(box, portal)


@pytest.mark.parametrize("skew_s", [YEAR, 7 * 3600.0], ids=["year-ahead", "local-time-not-utc"])
def test_lease_without_a_comparable_holder_expiring_too_far_ahead_is_expired(
        tmp_path: Path, skew_s: float) -> None:
    db, key = tmp_path / "outbox.sqlite3", tmp_path / "outbox.key"
    clock = FakeClock()
    nobody = Holder(None, os.getpid(), None)  # an old row, or a system without boot ids
    with Outbox.open(db, key, clock=lambda: clock() + skew_s, holder=nobody) as wrong:
        entry = wrong.enqueue("p", make_payload())
        wrong.claim_next()
    with Outbox.open(db, key, clock=clock, holder=nobody) as box:
        assert box.get(entry.id).state == "queued"
        assert box.claim_next().id == entry.id


def test_live_lease_on_this_boot_follows_the_monotonic_clock_through_jumps(tmp_path: Path) -> None:
    db, key = tmp_path / "outbox.sqlite3", tmp_path / "outbox.key"
    wall, mono = FakeClock(), FakeClock(1000.0)
    me = Holder("boot-1", os.getpid(), this_process().started)
    with Outbox.open(db, key, clock=wall, monotonic=mono, holder=me, lease_s=60) as box:
        entry = box.enqueue("p", make_payload())
        box.claim_next()
        wall.advance(YEAR)  # the wall clock jumps ahead: a live lease is not taken away
        assert box.requeue_expired_leases() == []
        wall.advance(-2 * YEAR)  # ... and back: it does not last a year either
        mono.advance(61)
        assert box.requeue_expired_leases() == [entry.id]


def test_backoff_written_a_year_ahead_is_due_now(tmp_path: Path) -> None:
    db, key = tmp_path / "outbox.sqlite3", tmp_path / "outbox.key"
    clock = FakeClock()
    nobody = Holder(None, os.getpid(), None)
    with Outbox.open(db, key, clock=lambda: clock() + YEAR, holder=nobody) as wrong:
        entry = wrong.enqueue("p", make_payload())
        wrong.claim_next()
        wrong.mark_retryable(entry.id, "PortalUnreachable: down", clock() + YEAR + 30)
    with Outbox.open(db, key, clock=clock, holder=nobody) as box:
        assert box.next_due_at() == clock()
        assert box.claim_next().id == entry.id


def test_entries_not_moving_are_counted_and_named(tmp_path: Path) -> None:
    clock = FakeClock()
    with Outbox.open(tmp_path / "o.sqlite3", tmp_path / "o.key", clock=clock) as box:
        old = box.enqueue("p", make_payload(1))
        clock.advance(3600)
        box.enqueue("p", make_payload(2))
        stats = box.stats(stuck_after_s=1800)
        assert stats.stuck == 1 and stats.stuck_refs == (old.local_ref,)


# -- 3. one misrouted answer ------------------------------------------------------------------------

@pytest.mark.parametrize("how", ["proxy-html-404", "wrong-path"])
def test_misrouted_portal_parks_nothing_and_the_queue_drains_once_fixed(
        outbox: Outbox, portal: EmbeddedPortal, how: str) -> None:
    for i in range(30):
        outbox.enqueue("1.001193", make_payload(i))
    url = portal.url + ("/wrong" if how == "wrong-path" else "")
    if how == "proxy-html-404":
        portal.faults = Faults(misroute=True)
    with PortalClient(url, TOKEN) as client:
        engine = SyncEngine(outbox, client, rng=random.Random(2))
        kinds = [engine.step().kind for _ in range(10)]
        assert kinds[0] is StepKind.RETRY_SCHEDULED and StepKind.SENT not in kinds
        stats = engine.stats()
        assert stats.alarm == "misrouted" and stats.breaker == "open"
        assert stats.counts["needs_attention"] == 0 and stats.counts["failed_retryable"] == 1
        assert outbox.stats().alarm == "misrouted"  # persisted for `kiosk outbox status`
    portal.faults = Faults()
    with PortalClient(portal.url, TOKEN) as fixed:
        drain(outbox, fixed)
    exactly_once(outbox, portal)
    assert portal.store.stats().dossiers == 30


def test_a_real_refusal_still_parks_only_that_dossier(outbox: Outbox, portal: EmbeddedPortal,
                                                     client: PortalClient) -> None:
    bad = outbox.enqueue("1.001193", {**make_payload(0), "procedure_code": "9.999999"})
    good = outbox.enqueue("1.001193", make_payload(1))
    engine = SyncEngine(outbox, client)
    engine.step()
    engine.step()
    assert outbox.get(bad.id).state == "needs_attention"
    assert outbox.get(good.id).state == "sent" and engine.alarm is None


def test_misrouted_client_calls_are_not_refusals(portal: EmbeddedPortal) -> None:
    portal.faults = Faults(misroute=True)
    with PortalClient(portal.url, TOKEN) as client:
        for call in (client.health, lambda: client.submit_dossier(make_payload(), "k-1"),
                     lambda: client.find_by_idempotency_key("k-1")):
            with pytest.raises(PortalMisrouted) as info:
                call()
            assert info.value.retryable and not info.value.outcome_unknown


def test_retry_all_requeues_every_parked_entry(outbox: Outbox) -> None:
    parked = [outbox.enqueue("p", make_payload(i)) for i in range(3)]
    for _ in parked:
        claimed = outbox.claim_next()
        outbox.mark_needs_attention(claimed.id, "PortalRejected: old misrouted answer")
    again = outbox.retry_all()
    assert [e.id for e in again] == [e.id for e in parked]
    assert outbox.stats().counts["queued"] == 3


# -- 4. the wrong key ------------------------------------------------------------------------------

def test_wrong_key_parks_nothing_and_the_right_key_sends_everything(
        tmp_path: Path, portal: EmbeddedPortal, client: PortalClient) -> None:
    db, key = tmp_path / "outbox.sqlite3", tmp_path / "outbox.key"
    with Outbox.open(db, key) as box:
        for i in range(10):
            box.enqueue("1.001193", make_payload(i))
    right = key.read_bytes()
    key.write_bytes(os.urandom(32))
    with pytest.raises(KeyMismatch, match="10 unsent"):
        Outbox.open(db, key)
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM outbox WHERE state = 'queued'").fetchone() == (10,)
    conn.close()
    key.write_bytes(right)
    with Outbox.open(db, key) as box:
        drain(box, client)
        exactly_once(box, portal)


# -- 5. portal calls without an overall deadline ------------------------------------------------------

def test_trickling_portal_cannot_hold_a_call_past_its_deadline(portal: EmbeddedPortal) -> None:
    portal.faults = Faults(trickle_s=0.4)  # each byte well within the read timeout
    with PortalClient(portal.url, TOKEN, read_timeout=3.0, deadline_s=1.5) as client:
        started = time.monotonic()
        with pytest.raises(PortalTimeout, match="deadline") as info:
            client.submit_dossier(make_payload(), "trickled-1")
        elapsed = time.monotonic() - started
    assert info.value.outcome_unknown
    assert elapsed < 15  # the whole answer alone would take ~2 minutes at this rate
    portal.faults = Faults()
    with PortalClient(portal.url, TOKEN) as client:  # asking first finds what happened
        assert client.find_by_idempotency_key("trickled-1") is not None


def test_oversized_answer_is_refused_not_believed(portal: EmbeddedPortal) -> None:
    portal.faults = Faults(pad_bytes=300 * 1024 * 1024)  # valid JSON, 300 MB of spaces
    with PortalClient(portal.url, TOKEN) as client:
        with pytest.raises(PortalBadResponse, match="more than") as info:
            client.submit_dossier(make_payload(), "huge-1")
    assert info.value.outcome_unknown  # the relay asks before resending; never "sent" from it
