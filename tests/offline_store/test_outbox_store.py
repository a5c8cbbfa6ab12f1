"""The outbox on real SQLite files: durability settings, FIFO, leases, transitions, errors."""

from __future__ import annotations

import os
import sqlite3
import threading
import uuid
from pathlib import Path

import pytest

from offline_store import schema
from offline_store.crypto import PayloadCipher
from offline_store.errors import (
    EntryNotFound,
    InvalidTransition,
    PayloadUnreadable,
    StoreBusy,
    StoreCorrupt,
    StoreFull,
    StoreOpenError,
)
from offline_store.outbox import Outbox
from outbox_helpers import NAME, T0, FakeClock, make_payload


def test_enqueue_gives_uuid4_key_and_daily_local_reference(outbox: Outbox, clock: FakeClock) -> None:
    first = outbox.enqueue("1.001193", make_payload(1))
    second = outbox.enqueue("1.001193", make_payload(2))
    assert uuid.UUID(first.idempotency_key).version == 4
    assert first.idempotency_key != second.idempotency_key
    assert (first.local_ref, second.local_ref) == ("Q-261127-0001", "Q-261127-0002")
    assert first.state == "queued" and first.attempts == 0
    clock.advance(24 * 3600)
    assert outbox.enqueue("1.001193", make_payload(3)).local_ref == "Q-261128-0001"


def test_local_reference_uses_the_vietnam_day(open_outbox, clock: FakeClock) -> None:
    clock.now = T0 + 15 * 3600  # 2026-11-27 17:30 UTC is already the 28th in Vietnam
    assert open_outbox().enqueue("x", {}).local_ref == "Q-261128-0001"


def test_entry_is_durable_and_key_never_changes_across_reopen(open_outbox) -> None:
    box = open_outbox()
    entry = box.enqueue("1.001193", make_payload())
    box.close()
    again = open_outbox().get(entry.id, with_payload=True)
    assert again.idempotency_key == entry.idempotency_key
    assert again.local_ref == entry.local_ref
    assert again.payload == make_payload()


def test_repr_shows_no_payload(outbox: Outbox) -> None:
    entry = outbox.enqueue("1.001193", make_payload())
    for text in (repr(entry), str(entry), repr(outbox.get(entry.id, with_payload=True))):
        assert NAME not in text and "079195" not in text and "payload" not in text


def test_durability_pragmas(outbox: Outbox) -> None:
    conn = outbox._conn
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] == 5000
    assert conn.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION


def test_claim_is_strict_fifo_among_due_entries(outbox: Outbox, clock: FakeClock) -> None:
    ids = [outbox.enqueue("p", {"n": i}).id for i in range(3)]
    first = outbox.claim_next()
    assert first is not None and first.id == ids[0] and first.state == "sending"
    assert first.payload == {"n": 0}
    outbox.mark_retryable(first.id, "PortalUnreachable: down", clock() + 30)
    assert [outbox.claim_next().id for _ in range(2)] == ids[1:]  # type: ignore[union-attr]
    assert outbox.claim_next() is None  # the first is not due yet
    clock.advance(30)
    again = outbox.claim_next()
    assert again is not None and again.id == ids[0] and again.attempts == 1


def test_older_due_entry_goes_before_newer(outbox: Outbox, clock: FakeClock) -> None:
    a = outbox.enqueue("p", {}).id
    outbox.mark_retryable(outbox.claim_next().id, "x", clock() + 5)  # type: ignore[union-attr]
    b = outbox.enqueue("p", {}).id
    clock.advance(10)
    assert [outbox.claim_next().id, outbox.claim_next().id] == [a, b]  # type: ignore[union-attr]


@pytest.mark.parametrize("shared", [False, True], ids=["two-connections", "one-connection"])
def test_concurrent_claims_never_return_the_same_entry(open_outbox, shared: bool) -> None:
    boxes = [open_outbox(busy_timeout_s=20.0)]
    boxes.append(boxes[0] if shared else open_outbox(busy_timeout_s=20.0))
    ids = {boxes[0].enqueue("p", {"n": i}).id for i in range(60)}
    start = threading.Barrier(2)
    claimed: list[list[int]] = [[], []]
    errors: list[BaseException] = []

    def worker(n: int) -> None:
        try:
            start.wait(timeout=10)
            while (entry := boxes[n].claim_next()) is not None:
                claimed[n].append(entry.id)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(n,)) for n in (0, 1)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors
    assert not set(claimed[0]) & set(claimed[1])
    assert sorted(claimed[0] + claimed[1]) == sorted(ids)
    for each in claimed:
        assert each == sorted(each)  # every worker sees FIFO order


def test_expired_lease_returns_to_queued_with_unknown_outcome(open_outbox, clock: FakeClock) -> None:
    box = open_outbox(lease_s=60.0)
    entry = box.enqueue("p", {})
    box.claim_next()
    clock.advance(59)
    assert box.requeue_expired_leases() == []
    assert box.next_due_at() == pytest.approx(clock() + 1)
    clock.advance(1)
    assert box.requeue_expired_leases() == [entry.id]
    got = box.get(entry.id)
    assert got.state == "queued" and got.outcome_unknown and got.lease_expires_at is None


def test_open_recovers_only_expired_leases(open_outbox, clock: FakeClock) -> None:
    box = open_outbox(lease_s=60.0)
    entry = box.enqueue("p", {})
    box.claim_next()
    box.close()
    assert open_outbox().get(entry.id).state == "sending"  # a live lease is not stolen
    clock.advance(61)
    assert open_outbox().get(entry.id).state == "queued"


def test_transitions_and_their_guards(outbox: Outbox, clock: FakeClock) -> None:
    entry = outbox.enqueue("p", {})
    with pytest.raises(InvalidTransition):
        outbox.mark_retryable(entry.id, "x", clock())
    outbox.claim_next()
    outbox.mark_retryable(entry.id, "PortalTimeout: no answer", clock() + 7, outcome_unknown=True)
    got = outbox.get(entry.id)
    assert (got.state, got.attempts, got.last_error) == ("failed_retryable", 1, "PortalTimeout: no answer")
    assert got.next_attempt_at == clock() + 7 and got.outcome_unknown
    clock.advance(7)
    outbox.claim_next()
    outbox.mark_retryable(entry.id, "PortalUnreachable", clock(), outcome_unknown=False)
    assert outbox.get(entry.id).outcome_unknown  # sticky until sent
    outbox.claim_next()
    outbox.mark_sent(entry.id, "H12.22.10-261127-0001")
    outbox.mark_sent(entry.id, "H12.22.10-261127-0001")  # idempotent
    sent = outbox.get(entry.id)
    assert sent.state == "sent" and sent.dossier_code == "H12.22.10-261127-0001"
    assert not sent.outcome_unknown and sent.sent_at == clock()
    with pytest.raises(InvalidTransition):
        outbox.mark_sent(entry.id, "H12.22.10-261127-0002")
    with pytest.raises(InvalidTransition):
        outbox.mark_needs_attention(entry.id, "late")
    with pytest.raises(EntryNotFound):
        outbox.get(999)
    with pytest.raises(EntryNotFound):
        outbox.mark_sent(999, "H12.22.10-261127-0003")


def test_stats_and_list(outbox: Outbox, clock: FakeClock) -> None:
    empty = outbox.stats()
    assert set(empty.counts) == set(schema.STATES) and not any(empty.counts.values())
    assert empty.oldest_queued_age_s is None and empty.last_error is None
    ids = [outbox.enqueue("p", {"n": i}).id for i in range(4)]
    clock.advance(42)
    outbox.claim_next()
    outbox.mark_sent(ids[0], "H12.22.10-261127-0001")
    outbox.claim_next()
    outbox.mark_needs_attention(ids[1], "PortalRejected 422: applicant.id_number must be 12 digits")
    outbox.claim_next()
    outbox.mark_retryable(ids[2], "PortalUnreachable: down", clock() + 60)
    stats = outbox.stats()
    assert stats.counts == {"queued": 1, "sending": 0, "sent": 1, "failed_retryable": 1,
                            "needs_attention": 1}
    assert stats.oldest_queued_age_s == pytest.approx(42)
    assert stats.last_error == "PortalUnreachable: down"
    listed = outbox.list()
    assert [e.id for e in listed] == ids[::-1] and all(e.payload is None for e in listed)
    assert [e.id for e in outbox.list(states=["sent"])] == [ids[0]]
    with pytest.raises(ValueError):
        outbox.list(states=["bogus"])


def test_store_busy_when_another_writer_holds_the_lock(open_outbox, tmp_path: Path) -> None:
    box = open_outbox(busy_timeout_s=0.2)
    other = sqlite3.connect(tmp_path / "outbox.sqlite3", isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        with pytest.raises(StoreBusy):
            box.enqueue("p", {})
        other.execute("ROLLBACK")
    finally:
        other.close()
    assert box.enqueue("p", {}).id == 1  # works again once the lock is gone


def test_disk_full_gives_clear_error_and_saves_nothing(outbox: Outbox) -> None:
    outbox.enqueue("p", {})
    pages = outbox._conn.execute("PRAGMA page_count").fetchone()[0]
    outbox._conn.execute(f"PRAGMA max_page_count = {pages}")  # SQLite reports SQLITE_FULL
    with pytest.raises(StoreFull, match="disk is full; the submission was NOT saved; tell staff"):
        outbox.enqueue("p", {"blob": "x" * 200_000})
    assert outbox.stats().counts["queued"] == 1


def _corrupt(path: Path, offset: int, data: bytes) -> None:
    with path.open("r+b") as f:
        f.seek(offset)
        f.write(data)


@pytest.mark.parametrize("offset", [0, 4096], ids=["header", "table-page"])
def test_corrupt_file_is_moved_aside_and_reported(open_outbox, tmp_path: Path, offset: int) -> None:
    box = open_outbox()
    for i in range(30):
        box.enqueue("p", {"n": i, "pad": "y" * 500})
    box.close()  # checkpoints the WAL into the main file
    db = tmp_path / "outbox.sqlite3"
    _corrupt(db, offset, b"\xde\xad\xbe\xef" * 256)
    with pytest.raises(StoreCorrupt) as caught:  # staff tools: reported, the file left alone
        open_outbox(move_corrupt_aside=False)
    assert caught.value.moved_to is None and db.exists() and "damaged" in str(caught.value)
    box = open_outbox()  # the kiosk: moved aside, recovered into a new file at the same open
    moved = [p for p in tmp_path.iterdir() if p.name.startswith("outbox.sqlite3.corrupt-")]
    assert [p.name for p in moved if not p.name.endswith(("-wal", "-shm"))] == [
        box.recovered[0].source]
    assert box.stats().counts["queued"] == 30 and box.recovered[0].recovered == 30


def test_migrations_run_in_order_and_failures_roll_back(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / "m.sqlite3", isolation_level=None)
    try:
        steps = [schema._statements("CREATE TABLE a (x)"), schema._statements("CREATE TABLE b (x)")]
        assert schema.migrate(conn, steps[:1]) == 1
        assert schema.migrate(conn, steps) == 2  # only the pending one runs (a would fail twice)
        broken = [*steps, schema._statements("CREATE TABLE c (x)", "CREATE TABLE a (x)")]
        with pytest.raises(sqlite3.OperationalError):
            schema.migrate(conn, broken)
        assert schema.user_version(conn) == 2
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        assert names == {"a", "b"}  # c rolled back with the failed step
        with pytest.raises(StoreOpenError, match="newer kiosk version"):
            schema.migrate(conn, steps[:1])
    finally:
        conn.close()


def test_fresh_file_is_migrated_to_current_version(open_outbox, tmp_path: Path) -> None:
    open_outbox().close()
    conn = sqlite3.connect(tmp_path / "outbox.sqlite3")
    try:
        assert schema.user_version(conn) == schema.SCHEMA_VERSION == len(schema.MIGRATIONS)
    finally:
        conn.close()


def test_open_without_create_does_not_make_a_store(tmp_path: Path) -> None:
    with pytest.raises(StoreOpenError, match="no outbox"):
        Outbox.open(tmp_path / "none.sqlite3", tmp_path / "k", create=False)
    assert not (tmp_path / "none.sqlite3").exists() and not (tmp_path / "k").exists()


def test_a_version_1_store_is_migrated_with_its_counts(tmp_path: Path, clock: FakeClock) -> None:
    db = tmp_path / "v1.sqlite3"
    key = os.urandom(32)
    cipher = PayloadCipher(key)
    conn = sqlite3.connect(db, isolation_level=None)
    try:
        schema.migrate(conn, schema.MIGRATIONS[:1])
        for i, state in enumerate(["queued", "sent", "sent", "needs_attention"]):
            nonce, sealed = cipher.seal({"n": i}, f"k{i}")
            conn.execute(
                "INSERT INTO outbox (idempotency_key, local_ref, procedure_code, state, created_at,"
                " updated_at, next_attempt_at, last_error, nonce, ciphertext)"
                " VALUES (?, ?, 'p', ?, 1, 1, 1, ?, ?, ?)",
                (f"k{i}", f"Q-261127-{i:04d}", state, "old error" if i == 3 else None, nonce,
                 sealed if i else b"\x00"))  # the queued row's payload is damaged
    finally:
        conn.close()
    (tmp_path / "v1.key").write_bytes(key)
    os.chmod(tmp_path / "v1.key", 0o600)
    with Outbox.open(db, tmp_path / "v1.key", clock=clock) as box:
        stats = box.stats()
        assert stats.counts == {"queued": 1, "sending": 0, "sent": 2, "failed_retryable": 0,
                                "needs_attention": 1}
        assert stats.last_error == "old error" and stats.breaker == "closed"
        with pytest.raises(PayloadUnreadable):  # the fake row's payload is not ciphertext
            box.claim_next()
        assert box.stats().counts["sending"] == 1 and box.stats().counts["queued"] == 0
