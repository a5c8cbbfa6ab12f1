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


#: v2: retention (`purged_at`), attachments stored by content hash, the relay's shared state
#: (circuit breaker) so `kiosk outbox status` in another process can show it, and counts by state
#: kept by triggers so the status query stays O(1) however many sent entries the kiosk keeps
#: (counting 100,000 index entries takes ~12 ms; reading 5 rows takes microseconds).
_V2 = (
    "ALTER TABLE outbox ADD COLUMN purged_at REAL",
    "CREATE INDEX outbox_state_sent ON outbox (state, sent_at)",
    """
    CREATE TABLE attachment (
        entry_id INTEGER NOT NULL REFERENCES outbox (id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        name     TEXT    NOT NULL,  -- keyed SHA-256 of the plaintext: the encrypted file's name
        size     INTEGER NOT NULL,  -- plaintext bytes
        PRIMARY KEY (entry_id, position)
    )
    """,
    "CREATE INDEX attachment_name ON attachment (name)",
    "CREATE TABLE state_count (state TEXT PRIMARY KEY, n INTEGER NOT NULL)",
    "INSERT INTO state_count (state, n) VALUES "
    + ", ".join(f"('{state}', 0)" for state in STATES),
    "UPDATE state_count SET n = (SELECT count(*) FROM outbox WHERE outbox.state = state_count.state)",
    """
    CREATE TRIGGER outbox_count_insert AFTER INSERT ON outbox BEGIN
        UPDATE state_count SET n = n + 1 WHERE state = NEW.state;
    END
    """,
    """
    CREATE TRIGGER outbox_count_update AFTER UPDATE OF state ON outbox
    WHEN OLD.state <> NEW.state BEGIN
        UPDATE state_count SET n = n - 1 WHERE state = OLD.state;
        UPDATE state_count SET n = n + 1 WHERE state = NEW.state;
    END
    """,
    """
    CREATE TRIGGER outbox_count_delete AFTER DELETE ON outbox BEGIN
        UPDATE state_count SET n = n - 1 WHERE state = OLD.state;
    END
    """,
    # The staff's "last error" among unsent entries, without scanning them.
    "CREATE INDEX outbox_unsent_error ON outbox (updated_at)"
    " WHERE state <> 'sent' AND last_error IS NOT NULL",
    """
    CREATE TABLE sync_state (
        name       TEXT PRIMARY KEY,
        value      TEXT,
        updated_at REAL NOT NULL
    )
    """,
)

#: v3: the lease holder's token, so a worker whose lease expired cannot record an outcome for a row
#: another worker has claimed since (`Outbox.mark_*` with `lease_token`).
_V3 = ("ALTER TABLE outbox ADD COLUMN lease_token TEXT",)

#: v4: the store's own facts (`meta`: a key check value, so another key is refused at open; the
#: store's id, so the local-reference counter kept outside the file knows when the file was
#: replaced), leases and due times that survive wall-clock jumps (the holder process and the
#: monotonic clock of its boot, `offline_store.leases`), and what recovering a damaged outbox found
#: (`recovery`: one row per set-aside file; `lost_entry`: what could not be recovered, by reference).
_V4 = (
    "CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "ALTER TABLE outbox ADD COLUMN lease_holder TEXT",  # boot id:pid:start time of the holder
    "ALTER TABLE outbox ADD COLUMN lease_mono REAL",    # lease expiry on that boot's monotonic clock
    "ALTER TABLE outbox ADD COLUMN due_boot TEXT",      # the boot on which due_mono was written
    "ALTER TABLE outbox ADD COLUMN due_mono REAL",      # next attempt on that boot's monotonic clock
    """
    CREATE TABLE recovery (
        source       TEXT    PRIMARY KEY,  -- the set-aside file's name (beside the outbox)
        finished_at  REAL    NOT NULL,
        recovered    INTEGER NOT NULL,     -- entries brought back into this outbox
        already_here INTEGER NOT NULL,     -- entries this outbox held already (same key)
        lost         INTEGER NOT NULL      -- entries known to be lost (see lost_entry)
    )
    """,
    """
    CREATE TABLE lost_entry (
        id              INTEGER PRIMARY KEY,
        source          TEXT NOT NULL,     -- the set-aside file it was in
        local_ref       TEXT,              -- as on the citizen's receipt, when known
        idempotency_key TEXT,              -- ask the portal with it: it may have arrived
        procedure_code  TEXT,
        state           TEXT,
        created_at      REAL,
        reason          TEXT NOT NULL,
        found_at        REAL NOT NULL,
        resolved_at     REAL,              -- staff or IT dealt with it (or the portal holds it)
        resolution      TEXT
    )
    """,
)

MIGRATIONS: tuple[Migration, ...] = (_statements(*_V1), _statements(*_V2), _statements(*_V3),
                                     _statements(*_V4))
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
