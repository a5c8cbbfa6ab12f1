"""Outbox schema and its migrations, versioned with `PRAGMA user_version`.

Each migration runs in its own IMMEDIATE transaction together with the `user_version` bump (the
header field is transactional), so a crash mid-migration leaves the previous version intact and the
next open simply retries. Append new migrations; never edit a released one.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence

from offline_store.errors import StoreOpenError

#: Every state an entry can be in. `failed_retryable` entries are due again (treated exactly like
#: `queued`) once `next_attempt_at` has passed; they are not moved back, so the count shows the
#: backlog that already failed at least once.
STATES = ("queued", "sending", "sent", "failed_retryable", "needs_attention")
PENDING_STATES = ("queued", "failed_retryable")

_V1 = (
    f"""
    CREATE TABLE outbox (
        id               INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused: FIFO by id
        idempotency_key  TEXT    NOT NULL UNIQUE,
        local_ref        TEXT    NOT NULL UNIQUE,
        procedure_code   TEXT    NOT NULL,
        state            TEXT    NOT NULL CHECK (state IN {STATES!r}),
        created_at       REAL    NOT NULL,
        updated_at       REAL    NOT NULL,
        next_attempt_at  REAL    NOT NULL,
        lease_expires_at REAL,
        attempts         INTEGER NOT NULL DEFAULT 0,
        outcome_unknown  INTEGER NOT NULL DEFAULT 0,  -- last send may have reached the portal
        last_error       TEXT,
        dossier_code     TEXT,
        sent_at          REAL,
        nonce            BLOB    NOT NULL,
        ciphertext       BLOB    NOT NULL
    )
    """,
    "CREATE INDEX outbox_state_created ON outbox (state, created_at)",
    "CREATE INDEX outbox_state_due ON outbox (state, next_attempt_at)",
    """
    CREATE TABLE day_sequence (
        day      TEXT    PRIMARY KEY,   -- YYMMDD in the kiosk's time zone
        last_seq INTEGER NOT NULL
    )
    """,
)

Migration = Callable[[sqlite3.Connection], None]


def _statements(*sql: str) -> Migration:
    def apply(conn: sqlite3.Connection) -> None:
        for statement in sql:
            conn.execute(statement)

    return apply


MIGRATIONS: tuple[Migration, ...] = (_statements(*_V1),)
SCHEMA_VERSION = len(MIGRATIONS)


def user_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(conn: sqlite3.Connection, migrations: Sequence[Migration] = MIGRATIONS) -> int:
    """Apply the pending migrations in order; return the final version.

    `conn` must be in autocommit mode (isolation_level=None): we manage the transactions.
    """
    current = user_version(conn)
    if current > len(migrations):
        raise StoreOpenError(
            f"this outbox was written by a newer kiosk version (schema {current}, this kiosk "
            f"knows up to {len(migrations)}); IT: update the kiosk software, do not delete the file"
        )
    for version in range(current + 1, len(migrations) + 1):
        conn.execute("BEGIN IMMEDIATE")
        try:
            migrations[version - 1](conn)
            conn.execute(f"PRAGMA user_version = {int(version)}")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
    return len(migrations)
