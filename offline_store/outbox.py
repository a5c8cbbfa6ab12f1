"""The durable offline outbox: every submission is saved here before anything is sent.

A submission is written in ONE transaction with `synchronous=FULL` in WAL mode, so when `enqueue`
returns it survives a power cut. The relay (`offline_store.sync`) claims entries with a lease inside
`BEGIN IMMEDIATE`, so two workers can never hold one row and a crashed worker's row comes back after
its lease expires. Payloads (personal data) are AES-GCM ciphertext; metadata stays queryable.
Attachments are encrypted files named by a keyed content hash in `<db stem>.attachments/` beside
the database (`offline_store.attachments`), written before the row that refers to them. Staff
actions, kiosk hand-over, retention and the relay's shared state live in `offline_store.maintenance`
(a mixin of `Outbox`); the design is described in docs/outbox.md.

Time: leases and due times survive wall-clock jumps both ways (`offline_store.leases`: the lease
holder's process and this boot's monotonic clock decide; the wall clock only across a reboot,
with a sanity bound). A damaged file is moved aside and recovered into a new one at the same open
(`offline_store.recovery`); what cannot be recovered is listed by reference (`lost_entry`). Local
references come from a counter kept outside the file too (`offline_store.refs`), so they never
repeat, and a key check value stored with the outbox refuses another key at open (`KeyMismatch`).

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
 |         +-- KeyMismatch opening: a valid key, but not this outbox's (nothing read or parked)
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

import logging
import os
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

from offline_store import recovery, schema
from offline_store.attachments import AttachmentStore
from offline_store.crypto import PayloadCipher, key_check_value
from offline_store.errors import (
    AttachmentUnreadable,
    EntryNotFound,
    InvalidTransition,
    KeyFileError,
    KeyMismatch,
    LeaseLost,
    OutboxError,
    PayloadUnreadable,
    StoreBusy,
    StoreCorrupt,
    StoreFull,
    StoreIOError,
    StoreOpenError,
)
from offline_store.leases import DUE_SQL, Clocks, Holder
from offline_store.maintenance import OutboxMaintenance
from offline_store.queue_state import MAX_DELAY_S, OutboxState
from offline_store.records import AdoptedEntry, OutboxEntry, OutboxStats
from offline_store.refs import RefCounter
from offline_store.schema import PENDING_STATES, STATES
from offline_store.sql_helpers import link, obtain_key, short, translated
from offline_store.sqlite_open import connect
from offline_store.store_meta import check_key, store_id

log = logging.getLogger(__name__)

__all__ = [
    "AdoptedEntry", "AttachmentUnreadable", "DEFAULT_RETENTION_S", "EntryNotFound",
    "InvalidTransition", "KeyFileError", "KeyMismatch", "LeaseLost", "Outbox", "OutboxEntry", "OutboxError", "OutboxStats", "PayloadUnreadable", "STATES", "StoreBusy", "StoreCorrupt", "StoreFull",
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


class Outbox(OutboxState, OutboxMaintenance):
    """Thread-safe handle on one outbox file; share it between the UI thread and the sync thread."""

    def __init__(self, conn: sqlite3.Connection, cipher: PayloadCipher, files: AttachmentStore, *,
                 path: Path, clocks: Clocks, lease_s: float, tz: tzinfo, refs: RefCounter,
                 key_check: str, retention_s: float = DEFAULT_RETENTION_S,
                 max_delay_s: float = MAX_DELAY_S) -> None:
        self._conn = conn
        self._key_check = key_check
        self._retention_s = retention_s
        self._cipher = cipher
        self._files = files
        self._clocks = clocks
        self._clock = clocks.wall
        self._mono = clocks.monotonic
        self._lease_s = lease_s
        self._max_delay_s = max_delay_s
        self._tz = tz
        self._refs = refs
        self._lock = threading.RLock()
        self.path = path
        self.recovered: list[recovery.RecoveryReport] = []  # what this open recovered

    def __repr__(self) -> str:
        return f"Outbox({str(self.path)!r})"

    @classmethod
    def open(cls, path: str | Path, key_path: str | Path, *, clock: Callable[[], float] = time.time,
             busy_timeout_s: float = 5.0, lease_s: float = 60.0, tz: tzinfo = VIETNAM_TZ,
             create: bool = True, move_corrupt_aside: bool = True,
             retention_s: float = DEFAULT_RETENTION_S, orphan_grace_s: float = 3600.0,
             monotonic: Callable[[], float] | None = None, holder: Holder | None = None,
             recover: bool | None = None, max_delay_s: float = MAX_DELAY_S) -> Outbox:
        """Open (or with `create`, make) the store: check integrity (a damaged file is moved aside
        and, with `recover`, recovered into a new one at once), migrate, load and check the key,
        recover expired leases and delete attachment files that no entry refers to (a crash
        mid-enqueue). Attachments live in `<db name without suffix>.attachments/` beside the
        database, the local-reference counter in `<db name without suffix>.refs`.

        `recover` (default: as `move_corrupt_aside`, i.e. the kiosk yes, staff tools no) also
        recovers damaged files set aside earlier and not recovered yet: the kiosk never starts
        empty beside one. `monotonic` defaults to `time.monotonic`, or to `clock` when a test
        injects one; `holder` to this process (with no boot id under an injected monotonic clock,
        whose readings no other process could compare)."""
        path, key_path = Path(path), Path(key_path)
        recover = move_corrupt_aside if recover is None else recover
        if not create and not path.exists():
            raise StoreOpenError(f"there is no outbox at {path}")
        if monotonic is None:
            monotonic = time.monotonic if clock is time.time else clock
        if holder is None and monotonic is not time.monotonic:
            # an injected clock means nothing to other processes: no boot to compare it on
            holder = Holder(None, os.getpid(), None)
        clocks = Clocks(wall=clock, monotonic=monotonic, holder=holder)
        conn = cls._connect(path, busy_timeout_s, clock, move_corrupt_aside, recover)
        try:
            with translated("open"):
                schema.migrate(conn)
            waiting = recovery.pending(conn, path) if recover else []
            key = obtain_key(conn, key_path, create, set_aside=len(waiting))
            cipher = PayloadCipher(key)
            check_key(conn, key, cipher, key_path)
            refs = RefCounter(path.with_suffix(".refs"), store_id(conn))
            with translated("open"):
                conn.execute("BEGIN IMMEDIATE")
                try:
                    refs.reconcile(conn)
                    conn.execute("COMMIT")
                except BaseException:
                    conn.execute("ROLLBACK")
                    raise
        except BaseException:
            conn.close()
            raise
        files = AttachmentStore(path.with_suffix(".attachments"), key)
        outbox = cls(conn, cipher, files, path=path, clocks=clocks, lease_s=lease_s, tz=tz,
                     refs=refs, key_check=key_check_value(key), retention_s=retention_s,
                     max_delay_s=max_delay_s)
        try:
            for source in waiting:
                outbox.recovered.append(outbox.recover_file(source))
            outbox.requeue_expired_leases()
            outbox.remove_orphan_files(orphan_grace_s)
        except BaseException:
            conn.close()
            raise
        return outbox

    @staticmethod
    def _connect(path: Path, busy_timeout_s: float, clock: Callable[[], float],
                 move_corrupt_aside: bool, recover: bool) -> sqlite3.Connection:
        try:
            return connect(path, busy_timeout_s=busy_timeout_s, clock=clock,
                           move_corrupt_aside=move_corrupt_aside)
        except StoreCorrupt as exc:
            if exc.moved_to is None or not recover:
                raise
            log.error("the outbox was damaged and moved to %s; recovering it into a new file",
                      exc.moved_to.name)
            return connect(path, busy_timeout_s=busy_timeout_s, clock=clock,
                           move_corrupt_aside=move_corrupt_aside)

    def recover_file(self, source: Path) -> recovery.RecoveryReport:
        """Bring the entries of a damaged outbox file back into this one (`offline_store.recovery`);
        recorded, so each file is recovered once. KeyMismatch if its entries are under another key."""
        with self._lock:
            report = recovery.recover_into(self, source)
        log.warning("recovered %d entries from %s (%d already here, %d lost%s)", report.recovered,
                    source.name, report.already_here, report.lost,
                    ": " + ", ".join(report.lost_refs[:10]) if report.lost_refs else "")
        return report

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
        due = self._due_now()
        with self._write("enqueue") as conn:
            local_ref = self._refs.next_ref(conn, day)
            cursor = conn.execute(
                "INSERT INTO outbox (idempotency_key, local_ref, procedure_code, state, created_at,"
                " updated_at, next_attempt_at, due_boot, due_mono, nonce, ciphertext)"
                " VALUES (?, ?, ?, 'queued', ?, ?, ?, ?, ?, ?, ?)",
                (key, local_ref, procedure_code, now, now, now, due["due_boot"], due["due_mono"],
                 nonce, ciphertext),
            )
            entry_id = int(cursor.lastrowid or 0)
            link(conn, entry_id, names)
        return entry_id, local_ref

    def claim_next(self) -> OutboxEntry | None:
        """Lease the oldest due entry (strict FIFO by id), or None when nothing is due."""
        times = self._times()
        now, mono = times["now"], times["mono"]
        lease_until = now + self._lease_s
        token = uuid.uuid4().hex  # only the holder of this token may record the outcome
        with self._write("claim") as conn:
            row = conn.execute(
                f"SELECT {_COLUMNS} FROM outbox WHERE state IN {_in(PENDING_STATES)}"
                f" AND {DUE_SQL} ORDER BY id LIMIT 1", times,
            ).fetchone()
            if row is None:
                return None
            conn.execute(
                "UPDATE outbox SET state = 'sending', lease_expires_at = ?, updated_at = ?,"
                " lease_token = ?, lease_holder = ?, lease_mono = ? WHERE id = ?",
                (lease_until, now, token, self._clocks.me().text(), mono + self._lease_s, row[0]),
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
                " lease_expires_at = NULL, lease_token = NULL, lease_holder = NULL,"
                " lease_mono = NULL, outcome_unknown = 0 WHERE id = ?",
                (dossier_code, now, now, entry_id),
            )

    def mark_retryable(self, entry_id: int, error: str, next_attempt_at: float, *,
                       outcome_unknown: bool = False, lease_token: str | None = None) -> None:
        """Schedule another attempt. `outcome_unknown` is sticky until the entry is sent: once a
        request may have reached the portal, every later attempt asks the portal first.
        `lease_token`: as for `mark_sent` (LeaseLost if another worker owns the row now)."""
        now, mono = self._clock(), self._mono()
        delay = min(max(0.0, next_attempt_at - now), self._max_delay_s)
        with self._write("mark_retryable") as conn:
            state, _ = self._state(conn, entry_id)
            self._check_lease(conn, entry_id, state, lease_token, "failed_retryable")
            if state != "sending":
                raise InvalidTransition(entry_id, state, "failed_retryable")
            conn.execute(
                "UPDATE outbox SET state = 'failed_retryable', attempts = attempts + 1,"
                " last_error = ?, next_attempt_at = ?, due_boot = ?, due_mono = ?, updated_at = ?,"
                " lease_expires_at = NULL, lease_token = NULL, lease_holder = NULL,"
                " lease_mono = NULL, outcome_unknown = max(outcome_unknown, ?) WHERE id = ?",
                (short(error), now + delay, self._clocks.boot, mono + delay, now,
                 int(outcome_unknown), entry_id),
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
                " lease_expires_at = NULL, lease_token = NULL, lease_holder = NULL,"
                " lease_mono = NULL WHERE id = ?",
                (short(reason), now, entry_id),
            )

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
