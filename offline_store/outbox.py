"""The durable offline outbox: every submission is saved here before anything is sent.

A submission is written in ONE transaction with `synchronous=FULL` in WAL mode, so when `enqueue`
returns it survives a power cut. The relay (`offline_store.sync`) claims entries with a lease inside
`BEGIN IMMEDIATE`, so two workers can never hold one row and a crashed worker's row comes back after
its lease expires. Payloads (personal data) are AES-GCM ciphertext; metadata stays queryable.
Attachments are encrypted files named by a keyed content hash in `<db stem>.attachments/` beside
the database (`offline_store.attachments`), written before the row that refers to them. Staff
actions, kiosk hand-over, retention and the relay's shared state live in `offline_store.maintenance`
(a mixin of `Outbox`); the design is described in docs/outbox.md.

States: queued -> sending -> sent | failed_retryable | needs_attention. A `failed_retryable` entry
is due again once `next_attempt_at` has passed and is claimed exactly like a `queued` one (it is not
moved back). An expired lease returns the entry to `queued` with `outcome_unknown` set, because the
crashed attempt may have reached the portal. On open only EXPIRED leases are recovered, so a status
command opening the file never steals a live lease from the running kiosk.

Errors (phase order; defined in `offline_store.errors`, re-exported here):
```
OutboxError
 +-- StoreOpenError        opening: file missing/unreadable, or written by a newer kiosk version
 |    +-- StoreCorrupt     opening: integrity check failed; file moved to <name>.corrupt-<time>
 |    +-- KeyFileError     opening: key file missing, wrong size or readable by others
 +-- StoreBusy             any write: another process held the lock past the busy timeout
 +-- StoreFull             enqueue/update: disk full; "the submission was NOT saved; tell staff"
 +-- StoreIOError          any: the operating system reported an I/O error
 +-- EntryNotFound         get/mark: no entry with that id
 +-- InvalidTransition     mark_*: the entry is not in a state that allows the change
 |    +-- LeaseLost        mark_*: another worker holds (or already finished) this entry's lease
 +-- PayloadUnreadable     claim/get: the payload does not decrypt with this kiosk's key
 |    +-- AttachmentUnreadable  an attachment file is missing, damaged or under another key
 +-- TransferFileError     import: the file is not an outbox export (or is damaged)
```
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime, timedelta, timezone, tzinfo
from pathlib import Path
from typing import Any

from kiosk.domain.codes import format_local_ref
from offline_store import schema
from offline_store.attachments import AttachmentStore
from offline_store.crypto import PayloadCipher
from offline_store.errors import (
    AttachmentUnreadable,
    EntryNotFound,
    InvalidTransition,
    KeyFileError,
    LeaseLost,
    OutboxError,
    PayloadUnreadable,
    StoreBusy,
    StoreCorrupt,
    StoreFull,
    StoreIOError,
    StoreOpenError,
)
from offline_store.maintenance import OutboxMaintenance
from offline_store.records import AdoptedEntry, OutboxEntry, OutboxStats
from offline_store.sql_helpers import link, obtain_key, short, translated
from offline_store.sqlite_open import connect
from offline_store.schema import PENDING_STATES, STATES

__all__ = [
    "AdoptedEntry", "AttachmentUnreadable", "DEFAULT_RETENTION_S", "EntryNotFound",
    "InvalidTransition", "KeyFileError", "LeaseLost", "Outbox", "OutboxEntry", "OutboxError", "OutboxStats", "PayloadUnreadable", "STATES", "StoreBusy", "StoreCorrupt", "StoreFull",
    "StoreIOError", "StoreOpenError", "VIETNAM_TZ",
]

#: Vietnam has no daylight saving time: a fixed offset is exact and independent of the host's tz data.
VIETNAM_TZ = timezone(timedelta(hours=7), "ICT")

_COLUMNS = (
    "id, idempotency_key, local_ref, procedure_code, state, created_at, updated_at, "
    "next_attempt_at, lease_expires_at, attempts, outcome_unknown, last_error, dossier_code, "
    "sent_at, nonce, ciphertext, purged_at, lease_token"
)
#: Default retention of a sent entry's personal data (payload, attachments).
DEFAULT_RETENTION_S = 30 * 24 * 3600.0


def _in(states: Iterable[str]) -> str:
    """SQL literal list for a fixed set of known state names (never user input)."""
    states = tuple(states)
    unknown = set(states) - set(STATES)
    if unknown:
        raise ValueError(f"unknown outbox states: {sorted(unknown)}")
    return "(" + ", ".join(f"'{s}'" for s in states) + ")"


class Outbox(OutboxMaintenance):
    """Thread-safe handle on one outbox file; share it between the UI thread and the sync thread."""

    def __init__(self, conn: sqlite3.Connection, cipher: PayloadCipher, files: AttachmentStore, *,
                 path: Path, clock: Callable[[], float], lease_s: float, tz: tzinfo,
                 retention_s: float = DEFAULT_RETENTION_S) -> None:
        self._conn = conn
        self._retention_s = retention_s
        self._cipher = cipher
        self._files = files
        self._clock = clock
        self._lease_s = lease_s
        self._tz = tz
        self._lock = threading.RLock()
        self.path = path

    def __repr__(self) -> str:
        return f"Outbox({str(self.path)!r})"

    @classmethod
    def open(cls, path: str | Path, key_path: str | Path, *, clock: Callable[[], float] = time.time,
             busy_timeout_s: float = 5.0, lease_s: float = 60.0, tz: tzinfo = VIETNAM_TZ,
             create: bool = True, move_corrupt_aside: bool = True,
             retention_s: float = DEFAULT_RETENTION_S, orphan_grace_s: float = 3600.0) -> Outbox:
        """Open (or with `create`, make) the store: check integrity, migrate, load the key, recover
        expired leases and delete attachment files that no entry refers to (a crash mid-enqueue).
        Attachments live in `<db name without suffix>.attachments/` beside the database."""
        path, key_path = Path(path), Path(key_path)
        if not create and not path.exists():
            raise StoreOpenError(f"there is no outbox at {path}")
        conn = connect(path, busy_timeout_s=busy_timeout_s, clock=clock,
                       move_corrupt_aside=move_corrupt_aside)
        try:
            with translated("open"):
                schema.migrate(conn)
            key = obtain_key(conn, key_path, create)
        except BaseException:
            conn.close()
            raise
        files = AttachmentStore(path.with_suffix(".attachments"), key)
        outbox = cls(conn, PayloadCipher(key), files, path=path, clock=clock, lease_s=lease_s,
                     tz=tz, retention_s=retention_s)
        try:
            outbox.requeue_expired_leases()
            outbox.remove_orphan_files(orphan_grace_s)
        except BaseException:
            conn.close()
            raise
        return outbox

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def __enter__(self) -> Outbox:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- writing ---------------------------------------------------------------------------------

    def enqueue(self, procedure_code: str, payload: dict[str, Any],
                attachments: Sequence[bytes] = ()) -> OutboxEntry:
        """Save a submission (and its attachment files) durably; its idempotency key is fixed here
        for its whole life. Files are written first, then the row: a crash leaves at worst an
        orphan file (removed at the next open), never a row whose file is missing."""
        if not procedure_code:
            raise ValueError("procedure_code must not be empty")
        key = str(uuid.uuid4())
        nonce, ciphertext = self._cipher.seal(payload, key)
        now = self._clock()
        day = datetime.fromtimestamp(now, self._tz).strftime("%y%m%d")
        with self._lock:  # no purge may delete a shared file between its write and our row
            names = [(self._files.put(data), len(data)) for data in attachments]
            entry_id, local_ref = self._insert_new(key, procedure_code, day, now, nonce,
                                                   ciphertext, names)
        return OutboxEntry(
            id=entry_id, idempotency_key=key, local_ref=local_ref, procedure_code=procedure_code,
            state="queued", created_at=now, updated_at=now, next_attempt_at=now,
            lease_expires_at=None, attempts=0, outcome_unknown=False, last_error=None,
            dossier_code=None, sent_at=None, payload=payload,
        )

    def _insert_new(self, key: str, procedure_code: str, day: str, now: float, nonce: bytes,
                    ciphertext: bytes, names: list[tuple[str, int]]) -> tuple[int, str]:
        with self._write("enqueue") as conn:
            (seq,) = conn.execute(
                "INSERT INTO day_sequence (day, last_seq) VALUES (?, 1) "
                "ON CONFLICT (day) DO UPDATE SET last_seq = last_seq + 1 RETURNING last_seq",
                (day,),
            ).fetchone()
            local_ref = format_local_ref(day, seq)
            cursor = conn.execute(
                "INSERT INTO outbox (idempotency_key, local_ref, procedure_code, state, created_at,"
                " updated_at, next_attempt_at, nonce, ciphertext)"
                " VALUES (?, ?, ?, 'queued', ?, ?, ?, ?, ?)",
                (key, local_ref, procedure_code, now, now, now, nonce, ciphertext),
            )
            entry_id = int(cursor.lastrowid or 0)
            link(conn, entry_id, names)
        return entry_id, local_ref

    def claim_next(self) -> OutboxEntry | None:
        """Lease the oldest due entry (strict FIFO by id), or None when nothing is due."""
        now = self._clock()
        lease_until = now + self._lease_s
        token = uuid.uuid4().hex  # only the holder of this token may record the outcome
        with self._write("claim") as conn:
            row = conn.execute(
                f"SELECT {_COLUMNS} FROM outbox WHERE state IN {_in(PENDING_STATES)}"
                " AND next_attempt_at <= ? ORDER BY id LIMIT 1",
                (now,),
            ).fetchone()
            if row is None:
                return None
            conn.execute(
                "UPDATE outbox SET state = 'sending', lease_expires_at = ?, updated_at = ?,"
                " lease_token = ? WHERE id = ?",
                (lease_until, now, token, row[0]),
            )
        entry = replace(self._entry(row, with_payload=False), state="sending",
                        lease_expires_at=lease_until, updated_at=now, lease_token=token)
        return replace(entry, payload=self._decrypt(row))

    def mark_sent(self, entry_id: int, dossier_code: str, *, lease_token: str | None = None) -> None:
        """Record the portal's dossier code. Without `lease_token` (staff tools) it is accepted
        from any unsent state except needs_attention. A worker passes the token `claim_next` gave
        it: if its lease expired and the row was re-queued or re-claimed, LeaseLost is raised and
        nothing changes; the row's current owner asks the portal and finds the dossier itself."""
        now = self._clock()
        with self._write("mark_sent") as conn:
            state, current_code = self._state(conn, entry_id)
            if state == "sent" and current_code == dossier_code:
                return
            self._check_lease(conn, entry_id, state, lease_token, "sent")
            if state in ("sent", "needs_attention"):
                raise InvalidTransition(entry_id, state, "sent")
            conn.execute(
                "UPDATE outbox SET state = 'sent', dossier_code = ?, sent_at = ?, updated_at = ?,"
                " lease_expires_at = NULL, lease_token = NULL, outcome_unknown = 0 WHERE id = ?",
                (dossier_code, now, now, entry_id),
            )

    def mark_retryable(self, entry_id: int, error: str, next_attempt_at: float, *,
                       outcome_unknown: bool = False, lease_token: str | None = None) -> None:
        """Schedule another attempt. `outcome_unknown` is sticky until the entry is sent: once a
        request may have reached the portal, every later attempt asks the portal first.
        `lease_token`: as for `mark_sent` (LeaseLost if another worker owns the row now)."""
        now = self._clock()
        with self._write("mark_retryable") as conn:
            state, _ = self._state(conn, entry_id)
            self._check_lease(conn, entry_id, state, lease_token, "failed_retryable")
            if state != "sending":
                raise InvalidTransition(entry_id, state, "failed_retryable")
            conn.execute(
                "UPDATE outbox SET state = 'failed_retryable', attempts = attempts + 1,"
                " last_error = ?, next_attempt_at = ?, updated_at = ?, lease_expires_at = NULL,"
                " lease_token = NULL, outcome_unknown = max(outcome_unknown, ?) WHERE id = ?",
                (short(error), next_attempt_at, now, int(outcome_unknown), entry_id),
            )

    def mark_needs_attention(self, entry_id: int, reason: str, *,
                             lease_token: str | None = None) -> None:
        now = self._clock()
        with self._write("mark_needs_attention") as conn:
            state, _ = self._state(conn, entry_id)
            self._check_lease(conn, entry_id, state, lease_token, "needs_attention")
            if state == "sent":
                raise InvalidTransition(entry_id, state, "needs_attention")
            conn.execute(
                "UPDATE outbox SET state = 'needs_attention', last_error = ?, updated_at = ?,"
                " lease_expires_at = NULL, lease_token = NULL WHERE id = ?",
                (short(reason), now, entry_id),
            )

    def requeue_expired_leases(self) -> list[int]:
        """Return entries whose worker vanished to `queued`; their outcome is unknown."""
        now = self._clock()
        with self._write("requeue") as conn:
            rows = conn.execute(
                "UPDATE outbox SET state = 'queued', lease_expires_at = NULL, lease_token = NULL,"
                " outcome_unknown = 1,"
                " next_attempt_at = ?, updated_at = ?"
                " WHERE state = 'sending' AND lease_expires_at <= ? RETURNING id",
                (now, now, now),
            ).fetchall()
        return sorted(r[0] for r in rows)


    # -- reading ---------------------------------------------------------------------------------

    def get(self, entry_id: int, *, with_payload: bool = False) -> OutboxEntry:
        with self._lock, translated("get"):
            row = self._conn.execute(f"SELECT {_COLUMNS} FROM outbox WHERE id = ?",
                                     (entry_id,)).fetchone()
        if row is None:
            raise EntryNotFound(entry_id)
        return self._entry(row, with_payload=with_payload)

    def find_by_local_ref(self, local_ref: str) -> OutboxEntry | None:
        """The entry a receipt's ``Q-...`` reference names (for status lookup), without payload."""
        with self._lock, translated("find_by_local_ref"):
            row = self._conn.execute(f"SELECT {_COLUMNS} FROM outbox WHERE local_ref = ?",
                                     (local_ref,)).fetchone()
        return None if row is None else self._entry(row, with_payload=False)

    def list(self, states: Iterable[str] | None = None, limit: int = 100) -> list[OutboxEntry]:
        """Newest first, without payloads (a listing must not spread personal data)."""
        where = f"WHERE state IN {_in(states)}" if states is not None else ""
        with self._lock, translated("list"):
            rows = self._conn.execute(
                f"SELECT {_COLUMNS} FROM outbox {where} ORDER BY id DESC LIMIT ?", (int(limit),)
            ).fetchall()
        return [self._entry(row, with_payload=False) for row in rows]

    def stats(self) -> OutboxStats:
        """Cheap at any size: counts come from a trigger-maintained table, the rest from indexes."""
        now = self._clock()
        with self._lock, translated("stats"):
            conn = self._conn
            counts = dict.fromkeys(STATES, 0)
            counts.update(conn.execute("SELECT state, n FROM state_count").fetchall())
            (oldest,) = conn.execute(
                "SELECT min(created_at) FROM outbox"
                " WHERE state IN ('queued', 'sending', 'failed_retryable')").fetchone()
            last = conn.execute(
                "SELECT last_error FROM outbox WHERE state <> 'sent' AND last_error IS NOT NULL"
                " ORDER BY updated_at DESC LIMIT 1").fetchone()
            breaker = conn.execute("SELECT value FROM sync_state WHERE name = 'breaker'").fetchone()
        b = json.loads(breaker[0]) if breaker else {}
        return OutboxStats(counts=counts,
                           oldest_queued_age_s=None if oldest is None else max(0.0, now - oldest),
                           last_error=last[0] if last else None,
                           breaker=b.get("state", "closed"), breaker_retry_at=b.get("retry_at"),
                           breaker_reason=b.get("reason"))

    def next_due_at(self) -> float | None:
        """When the next entry becomes claimable (a due time or a lease expiry), or None."""
        with self._lock, translated("next_due_at"):
            (due,) = self._conn.execute(
                f"SELECT min(next_attempt_at) FROM outbox WHERE state IN {_in(PENDING_STATES)}"
            ).fetchone()
            (lease,) = self._conn.execute(
                "SELECT min(lease_expires_at) FROM outbox WHERE state = 'sending'").fetchone()
        times = [t for t in (due, lease) if t is not None]
        return min(times) if times else None

    # -- internals -------------------------------------------------------------------------------

    @contextmanager
    def _write(self, action: str) -> Iterator[sqlite3.Connection]:
        """One IMMEDIATE transaction: the write lock is taken up front, so claims never race."""
        with self._lock, translated(action):
            conn = self._conn
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    try:
                        conn.execute("ROLLBACK")
                    except sqlite3.Error:
                        pass  # the connection is broken; the original error says more
                raise

    @staticmethod
    def _check_lease(conn: sqlite3.Connection, entry_id: int, state: str, token: str | None,
                     wanted: str) -> None:
        """With a token, the row must still be `sending` under that very lease (same transaction
        as the UPDATE that follows, so no other worker can slip in between)."""
        if token is None:
            return
        (current,) = conn.execute("SELECT lease_token FROM outbox WHERE id = ?",
                                  (entry_id,)).fetchone()
        if state != "sending" or current != token:
            raise LeaseLost(entry_id, state, wanted)

    @staticmethod
    def _state(conn: sqlite3.Connection, entry_id: int) -> tuple[str, str | None]:
        row = conn.execute("SELECT state, dossier_code FROM outbox WHERE id = ?",
                           (entry_id,)).fetchone()
        if row is None:
            raise EntryNotFound(entry_id)
        return row[0], row[1]

    def _decrypt(self, row: tuple[Any, ...]) -> dict[str, Any]:
        return self._cipher.open(row[14], row[15], row[1], row[0])

    def _entry(self, row: tuple[Any, ...], *, with_payload: bool) -> OutboxEntry:
        return OutboxEntry(
            id=row[0], idempotency_key=row[1], local_ref=row[2], procedure_code=row[3],
            state=row[4], created_at=row[5], updated_at=row[6], next_attempt_at=row[7],
            lease_expires_at=row[8], attempts=row[9], outcome_unknown=bool(row[10]),
            last_error=row[11], dossier_code=row[12], sent_at=row[13], purged_at=row[16],
            lease_token=row[17],
            payload=self._decrypt(row) if with_payload and row[16] is None else None,
        )
