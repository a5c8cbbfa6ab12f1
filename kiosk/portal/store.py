"""SQLite storage of the reference portal: dossiers, idempotency records, day sequences, documents.

Why one transaction: the idempotency record and the dossier are written together under
`BEGIN IMMEDIATE`, and the key is the idempotency table's primary key, so even two portal processes
sharing the file can never map one key to two dossiers.  `stats()` checks that from the dossiers
table itself, which does not enforce it.

Only what the portal needs to answer is stored (codes, hashes, procedure, kiosk): never the
applicant's JSON personal data. The one exception is uploaded documents (`attachments`, by SHA-256):
a real portal must keep them to process the dossier; this reference portal keeps them in its own
file so tests can check exactly what arrived. A dossier's documents are checked and linked in the
same transaction that creates it, so a dossier can never exist without them.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Literal
from collections.abc import Iterator, Sequence

from kiosk.domain.codes import VIETNAM_TZ, format_dossier_code, vietnam_day

__all__ = ["CreateResult", "PortalStore", "StoreStats"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS dossiers (
    code TEXT PRIMARY KEY,
    unit_code TEXT NOT NULL,
    day TEXT NOT NULL,
    seq INTEGER NOT NULL,
    procedure_code TEXT NOT NULL,
    kiosk_id TEXT NOT NULL,
    status TEXT NOT NULL,
    received_at TEXT NOT NULL,
    idempotency_key TEXT NOT NULL,
    UNIQUE (unit_code, day, seq)
);
CREATE TABLE IF NOT EXISTS idempotency (
    key TEXT PRIMARY KEY,
    body_hash TEXT NOT NULL,
    dossier_code TEXT NOT NULL REFERENCES dossiers(code),
    response TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS attachments (
    sha256 TEXT PRIMARY KEY,
    media_type TEXT NOT NULL,
    size INTEGER NOT NULL,
    data BLOB NOT NULL,
    received_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS dossier_attachments (
    dossier_code TEXT NOT NULL REFERENCES dossiers(code),
    field TEXT NOT NULL,
    sha256 TEXT NOT NULL REFERENCES attachments(sha256),
    PRIMARY KEY (dossier_code, field)
);
"""


@dataclass(frozen=True)
class StoreStats:
    dossiers: int
    idempotency_keys: int
    keys_with_multiple_dossiers: int
    attachments: int = 0


@dataclass(frozen=True)
class CreateResult:
    outcome: Literal["created", "replayed", "conflict", "missing"]
    response: dict[str, Any]
    missing: tuple[str, ...] = ()  # outcome "missing": SHA-256s the dossier lists but nobody uploaded


def _public(row: sqlite3.Row) -> dict[str, Any]:
    return {"code": row["code"], "status": row["status"], "received_at": row["received_at"],
            "procedure_code": row["procedure_code"]}


class PortalStore:
    """The portal's database file; safe to use from many handler threads (one connection per call)."""

    def __init__(self, path: str | Path, *, busy_timeout_s: float = 5.0) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._busy_timeout_s = busy_timeout_s
        self._in_flight: set[str] = set()
        self._lock = threading.Condition()
        with closing(self._connect()) as conn:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.executescript(_SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=self._busy_timeout_s, isolation_level=None,
                               check_same_thread=False)
        conn.row_factory = sqlite3.Row
        conn.execute(f"PRAGMA busy_timeout={int(self._busy_timeout_s * 1000)}")
        conn.execute("PRAGMA synchronous=FULL")
        return conn

    @contextmanager
    def reserve(self, key: str) -> Iterator[bool]:
        """Mark `key` as being processed; yields False if another request already holds it (409)."""
        with self._lock:
            if key in self._in_flight:
                got = False
            else:
                self._in_flight.add(key)
                got = True
                self._lock.notify_all()
        try:
            yield got
        finally:
            if got:
                with self._lock:
                    self._in_flight.discard(key)

    def wait_in_flight(self, key: str, timeout: float) -> bool:
        """Block until a request holds `key` (tests use it to send a duplicate at the right time)."""
        with self._lock:
            return self._lock.wait_for(lambda: key in self._in_flight, timeout)

    def lookup(self, key: str, body_hash: str) -> CreateResult | None:
        """The earlier answer for `key` (replayed, or conflict if the body differs), else None."""
        with closing(self._connect()) as conn:
            return self._lookup(conn, key, body_hash)

    @staticmethod
    def _lookup(conn: sqlite3.Connection, key: str, body_hash: str) -> CreateResult | None:
        row = conn.execute("SELECT body_hash, response FROM idempotency WHERE key = ?", (key,)).fetchone()
        if row is None:
            return None
        if row["body_hash"] != body_hash:
            return CreateResult("conflict", {})
        return CreateResult("replayed", json.loads(row["response"]))

    def create(self, *, key: str, body_hash: str, unit_code: str, procedure_code: str,
               kiosk_id: str, now: float, attachments: Sequence[tuple[str, str]] = ()) -> CreateResult:
        """Create the dossier for `key` or return what the key already maps to, in one transaction.
        `attachments` are (field, sha256) pairs: if any was never uploaded, nothing is written
        and the outcome is "missing" (the key stays free for a retry after the upload)."""
        day = vietnam_day(now)
        received_at = datetime.fromtimestamp(now, VIETNAM_TZ).isoformat(timespec="seconds")
        with closing(self._connect()) as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                earlier = self._lookup(conn, key, body_hash)
                if earlier is not None:
                    conn.execute("ROLLBACK")
                    return earlier
                missing = self._missing(conn, [sha for _field, sha in attachments])
                if missing:
                    conn.execute("ROLLBACK")
                    return CreateResult("missing", {}, missing)
                (seq,) = conn.execute(
                    "SELECT COALESCE(MAX(seq), 0) + 1 FROM dossiers WHERE unit_code = ? AND day = ?",
                    (unit_code, day.isoformat()),
                ).fetchone()
                code = format_dossier_code(unit_code, day, seq)
                response = {"code": code, "status": "received", "received_at": received_at,
                            "procedure_code": procedure_code}
                conn.execute(
                    "INSERT INTO dossiers (code, unit_code, day, seq, procedure_code, kiosk_id, status,"
                    " received_at, idempotency_key) VALUES (?, ?, ?, ?, ?, ?, 'received', ?, ?)",
                    (code, unit_code, day.isoformat(), seq, procedure_code, kiosk_id, received_at, key),
                )
                conn.execute("INSERT INTO idempotency (key, body_hash, dossier_code, response) VALUES (?, ?, ?, ?)",
                             (key, body_hash, code, json.dumps(response, ensure_ascii=False)))
                conn.executemany("INSERT INTO dossier_attachments (dossier_code, field, sha256)"
                                 " VALUES (?, ?, ?)", [(code, f, sha) for f, sha in attachments])
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
        return CreateResult("created", response)

    @staticmethod
    def _missing(conn: sqlite3.Connection, hashes: Sequence[str]) -> tuple[str, ...]:
        held = {row[0] for row in conn.execute(
            f"SELECT sha256 FROM attachments WHERE sha256 IN ({', '.join('?' * len(hashes))})",
            tuple(hashes))} if hashes else set()
        return tuple(dict.fromkeys(sha for sha in hashes if sha not in held))

    def put_attachment(self, sha256: str, media_type: str, data: bytes, now: float) -> bool:
        """Keep an uploaded document (the caller checked `data` against `sha256`); True if new."""
        with closing(self._connect()) as conn:  # autocommit: one durable statement
            cursor = conn.execute(
                "INSERT INTO attachments (sha256, media_type, size, data, received_at)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT (sha256) DO NOTHING",
                (sha256, media_type, len(data), data, now))
        return cursor.rowcount == 1

    def attachment_info(self, sha256: str) -> dict[str, Any] | None:
        """`{"sha256", "media_type", "size"}` of a held document, else None (no bytes read)."""
        with closing(self._connect()) as conn:
            row = conn.execute("SELECT sha256, media_type, size FROM attachments WHERE sha256 = ?",
                               (sha256,)).fetchone()
        return None if row is None else dict(row)

    def attachment_data(self, sha256: str) -> bytes | None:
        with closing(self._connect()) as conn:
            row = conn.execute("SELECT data FROM attachments WHERE sha256 = ?", (sha256,)).fetchone()
        return None if row is None else bytes(row[0])

    def dossier_attachments(self, code: str) -> dict[str, str]:
        """`{field: sha256}` of the documents linked to a dossier when it was created."""
        with closing(self._connect()) as conn:
            rows = conn.execute("SELECT field, sha256 FROM dossier_attachments WHERE dossier_code = ?",
                                (code,)).fetchall()
        return {row[0]: row[1] for row in rows}

    def get(self, code: str) -> dict[str, Any] | None:
        with closing(self._connect()) as conn:
            row = conn.execute("SELECT * FROM dossiers WHERE code = ?", (code,)).fetchone()
        return None if row is None else _public(row)

    def find_by_key(self, key: str) -> dict[str, Any] | None:
        with closing(self._connect()) as conn:
            row = conn.execute(
                "SELECT d.* FROM idempotency i JOIN dossiers d ON d.code = i.dossier_code WHERE i.key = ?",
                (key,),
            ).fetchone()
        return None if row is None else _public(row)

    def kiosk_of_key(self, key: str) -> str | None:
        """The kiosk that sent the dossier created with `key` (for the portal's access check)."""
        with closing(self._connect()) as conn:
            row = conn.execute("SELECT kiosk_id FROM dossiers WHERE idempotency_key = ?",
                               (key,)).fetchone()
        return None if row is None else str(row[0])

    def count_dossiers(self) -> int:
        return self.stats().dossiers

    def stats(self) -> StoreStats:
        with closing(self._connect()) as conn:
            (dossiers,) = conn.execute("SELECT COUNT(*) FROM dossiers").fetchone()
            (keys,) = conn.execute("SELECT COUNT(*) FROM idempotency").fetchone()
            (multi,) = conn.execute(
                "SELECT COUNT(*) FROM (SELECT idempotency_key FROM dossiers"
                " GROUP BY idempotency_key HAVING COUNT(*) > 1)"
            ).fetchone()
            (held,) = conn.execute("SELECT COUNT(*) FROM attachments").fetchone()
        return StoreStats(dossiers=dossiers, idempotency_keys=keys, keys_with_multiple_dossiers=multi,
                          attachments=held)
