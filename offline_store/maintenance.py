"""The outbox's maintenance side: staff actions, hand-over between kiosks, retention, relay state.

A mixin of `offline_store.outbox.Outbox`, split out so the lifecycle module stays short; it uses the
host's connection, lock, cipher, attachment files and clock exactly as the lifecycle methods do.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any

from offline_store.errors import EntryNotFound, InvalidTransition, LeaseLost
from offline_store.records import AdoptedEntry, LostEntry, OutboxEntry
from offline_store.sql_helpers import free_local_ref, link, short, translated, unlink

if TYPE_CHECKING:
    from offline_store.attachments import AttachmentStore
    from offline_store.crypto import PayloadCipher
    from offline_store.leases import Clocks
    from offline_store.refs import RefCounter

#: States staff may send again at once (`retry`): parked, or waiting out a backoff.
RETRYABLE_BY_STAFF = ("needs_attention", "failed_retryable")


class OutboxMaintenance:
    _conn: sqlite3.Connection
    _lock: threading.RLock
    _cipher: PayloadCipher
    _files: AttachmentStore
    _clock: Callable[[], float]
    _mono: Callable[[], float]
    _clocks: Clocks
    _refs: RefCounter
    _retention_s: float
    _lease_s: float

    if TYPE_CHECKING:  # provided by Outbox
        def _write(self, action: str) -> AbstractContextManager[sqlite3.Connection]: ...

        @staticmethod
        def _state(conn: sqlite3.Connection, entry_id: int) -> tuple[str, str | None]: ...

        def get(self, entry_id: int, *, with_payload: bool = False) -> OutboxEntry: ...

        def _due_now(self) -> dict[str, Any]: ...

    def renew_lease(self, entry_id: int, lease_token: str) -> float:
        """Extend a `sending` entry's lease by `lease_s` from now (a long send, e.g. several
        document uploads, renews it before each request) and return the new expiry. LeaseLost if
        the row is no longer `sending` under this token: another worker owns it now."""
        now = self._clock()
        until = now + self._lease_s
        with self._write("renew_lease") as conn:
            changed = conn.execute(
                "UPDATE outbox SET lease_expires_at = ?, lease_mono = ?, updated_at = ?"
                " WHERE id = ? AND state = 'sending' AND lease_token = ?",
                (until, self._mono() + self._lease_s, now, entry_id, lease_token)).rowcount
            if not changed:
                state, _ = self._state(conn, entry_id)
                raise LeaseLost(entry_id, state, "sending")
        return until

    def retry(self, entry_id: int) -> OutboxEntry:
        """Staff action: send a `needs_attention` (or backed-off) entry again, now, same key."""
        due = self._due_now()
        with self._write("retry") as conn:
            state, _ = self._state(conn, entry_id)
            if state not in RETRYABLE_BY_STAFF:
                raise InvalidTransition(entry_id, state, "queued")
            self._requeue(conn, entry_id, due)
        return self.get(entry_id)

    def retry_all(self) -> list[OutboxEntry]:
        """Staff action, one step: every parked (and backed-off) entry is queued again, now, each
        with its own key; the entries, for the audit log. A portal that was misconfigured for a
        while parks nothing any more, but entries parked by older versions come back this way."""
        due = self._due_now()
        with self._write("retry_all") as conn:
            ids = [r[0] for r in conn.execute(
                "SELECT id FROM outbox WHERE state IN ('needs_attention', 'failed_retryable')"
                " ORDER BY id").fetchall()]
            for entry_id in ids:
                self._requeue(conn, entry_id, due)
        return [self.get(entry_id) for entry_id in ids]

    @staticmethod
    def _requeue(conn: sqlite3.Connection, entry_id: int, due: dict[str, Any]) -> None:
        conn.execute("UPDATE outbox SET state = 'queued', next_attempt_at = ?, due_boot = ?,"
                     " due_mono = ?, updated_at = ? WHERE id = ?",
                     (due["next_attempt_at"], due["due_boot"], due["due_mono"],
                      due["next_attempt_at"], entry_id))

    def adopt(self, record: AdoptedEntry) -> OutboxEntry | None:
        """Take over an entry exported by another kiosk, keeping its idempotency key (so the
        portal recognises anything already sent). None if this outbox already holds that key."""
        nonce, ciphertext = self._cipher.seal(record.payload, record.idempotency_key)
        now = self._clock()
        with self._lock:
            if self._has_key(record.idempotency_key):
                return None
            names = [(self._files.put(data), len(data)) for data in record.attachments]
            entry_id = self._insert_adopted(record, now, nonce, ciphertext, names)
        return None if entry_id is None else self.get(entry_id)

    def _has_key(self, idempotency_key: str) -> bool:
        with translated("import"):
            return self._conn.execute("SELECT 1 FROM outbox WHERE idempotency_key = ?",
                                      (idempotency_key,)).fetchone() is not None

    def _insert_adopted(self, record: AdoptedEntry, now: float, nonce: bytes, ciphertext: bytes,
                        names: list[tuple[str, int]]) -> int | None:
        with self._write("import") as conn:
            if conn.execute("SELECT 1 FROM outbox WHERE idempotency_key = ?",
                            (record.idempotency_key,)).fetchone():
                return None
            local_ref = free_local_ref(conn, record.local_ref, self._refs)
            state = "needs_attention" if record.state == "needs_attention" else "queued"
            due = self._due_now()
            cursor = conn.execute(
                "INSERT INTO outbox (idempotency_key, local_ref, procedure_code, state, created_at,"
                " updated_at, next_attempt_at, due_boot, due_mono, attempts, outcome_unknown,"
                " last_error, nonce, ciphertext) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?)",
                (record.idempotency_key, local_ref, record.procedure_code, state,
                 record.created_at, now, now, due["due_boot"], due["due_mono"], record.attempts,
                 None if record.last_error is None else short(record.last_error), nonce,
                 ciphertext))
            entry_id = int(cursor.lastrowid or 0)
            link(conn, entry_id, names)
        return entry_id

    def purge_expired(self) -> int:
        """Retention: drop the personal data of entries sent more than `retention_s` ago, keeping
        the dossier code, procedure and timestamps (what staff need to answer "was it sent?")."""
        cutoff = self._clock() - self._retention_s
        with self._lock:
            with self._write("purge") as conn:
                ids = [r[0] for r in conn.execute(
                    "UPDATE outbox SET nonce = x'', ciphertext = x'', purged_at = ?"
                    " WHERE state = 'sent' AND purged_at IS NULL AND sent_at <= ? RETURNING id",
                    (self._clock(), cutoff)).fetchall()]
                names = unlink(conn, ids)
            self._files.delete(names)  # after the commit: a crash here leaves orphans, not holes
        return len(ids)

    def attachments(self, entry_id: int) -> list[bytes]:
        """The entry's attachments, decrypted, in the order given to `enqueue` ([] once purged)."""
        with self._lock, translated("attachments"):
            rows = self._conn.execute("SELECT name FROM attachment WHERE entry_id = ?"
                                      " ORDER BY position", (entry_id,)).fetchall()
        return [self._files.get(name, entry_id) for (name,) in rows]

    def remove_orphan_files(self, grace_s: float = 3600.0) -> int:
        """Delete attachment files no entry refers to, older than `grace_s` (see attachments)."""
        with self._lock:
            with translated("cleanup"):
                referenced = {r[0] for r in self._conn.execute("SELECT name FROM attachment")}
            return self._files.remove_orphans(referenced, grace_s)

    def make_due_now(self) -> int:
        """Connectivity is back: every backed-off entry is due now (FIFO order is kept by id)."""
        due = self._due_now()
        with self._write("make_due_now") as conn:
            return conn.execute(
                "UPDATE outbox SET next_attempt_at = ?, due_boot = ?, due_mono = ?"
                " WHERE state = 'failed_retryable'",
                (due["next_attempt_at"], due["due_boot"], due["due_mono"])).rowcount

    # -- what a damaged outbox lost -----------------------------------------------------------------

    def lost_entries(self, *, include_resolved: bool = False) -> list[LostEntry]:
        """Entries a damaged outbox lost (`offline_store.recovery`), oldest first."""
        where = "" if include_resolved else "WHERE resolved_at IS NULL"
        with self._lock, translated("lost_entries"):
            rows = self._conn.execute(
                "SELECT id, source, local_ref, idempotency_key, procedure_code, state, created_at,"
                f" reason, found_at, resolved_at, resolution FROM lost_entry {where} ORDER BY id"
            ).fetchall()
        return [LostEntry(*row) for row in rows]

    def resolve_lost(self, lost_id: int, resolution: str) -> LostEntry:
        """Staff or IT dealt with a lost entry (the citizen applied again, the portal holds it...):
        it no longer counts as lost; the row stays, with the resolution, as the record."""
        if not resolution.strip():
            raise ValueError("say how the lost entry was dealt with")
        with self._write("resolve_lost") as conn:
            changed = conn.execute(
                "UPDATE lost_entry SET resolved_at = ?, resolution = ? WHERE id = ?"
                " AND resolved_at IS NULL", (self._clock(), short(resolution), lost_id)).rowcount
            if not changed and conn.execute("SELECT 1 FROM lost_entry WHERE id = ?",
                                            (lost_id,)).fetchone() is None:
                raise EntryNotFound(lost_id)
        return next(e for e in self.lost_entries(include_resolved=True) if e.id == lost_id)

    def set_breaker_state(self, state: str, retry_at: float | None, reason: str | None, *,
                          alarm: str | None = None) -> None:
        """Record the relay's breaker (and its configuration alarm, `failures.alarm_for`) so
        another process (`kiosk outbox status`, doctor) can show it."""
        value = json.dumps({"state": state, "retry_at": retry_at, "alarm": alarm,
                            "reason": None if reason is None else short(reason)})
        with self._write("set_breaker_state") as conn:
            conn.execute("INSERT INTO sync_state (name, value, updated_at) VALUES ('breaker', ?, ?)"
                         " ON CONFLICT (name) DO UPDATE SET value = excluded.value,"
                         " updated_at = excluded.updated_at", (value, self._clock()))
