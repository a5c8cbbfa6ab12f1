"""Opening the SQLite file safely, and turning sqlite3 errors into the store's typed errors.

Settings that matter for "never lose a submission": WAL (readers never block the writer),
`synchronous=FULL` (with NORMAL a WAL commit can roll back after a power cut), a finite busy
timeout (a stuck process cannot hang the kiosk), and an integrity check before anything is trusted.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

from offline_store.errors import (
    OutboxError,
    StoreBusy,
    StoreCorrupt,
    StoreFull,
    StoreIOError,
    StoreOpenError,
)

log = logging.getLogger(__name__)

_BUSY = {sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED}
_CORRUPT = {sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB}


def _primary_code(exc: sqlite3.Error) -> int | None:
    code = getattr(exc, "sqlite_errorcode", None)
    return None if code is None else code & 0xFF


def translate_error(exc: sqlite3.Error, action: str) -> OutboxError:
    """Map a sqlite3 error to a typed store error whose message says what to do."""
    code = _primary_code(exc)
    name = getattr(exc, "sqlite_errorname", type(exc).__name__)
    if code == sqlite3.SQLITE_FULL:
        return StoreFull()
    if code in _BUSY:
        return StoreBusy(
            f"the outbox stayed locked by another program during {action}; nothing was changed. "
            "Try again; if it persists, IT: look for a stuck kiosk process"
        )
    if code in _CORRUPT:
        return StoreCorrupt(f"the outbox database is damaged ({name}) during {action}; "
                            "IT: restart the kiosk so the damaged file is moved aside")
    if code in (sqlite3.SQLITE_IOERR, sqlite3.SQLITE_READONLY, sqlite3.SQLITE_CANTOPEN,
                sqlite3.SQLITE_PERM):
        return StoreIOError(f"the kiosk could not read or write its outbox ({name}) during "
                            f"{action}; IT: check the disk and the data folder's permissions")
    return OutboxError(f"outbox database error ({name}) during {action}")


def connect(path: Path, *, busy_timeout_s: float, clock: Callable[[], float],
            move_corrupt_aside: bool) -> sqlite3.Connection:
    """A checked connection in autocommit mode (the store manages its transactions itself)."""
    if busy_timeout_s <= 0:
        raise ValueError("busy_timeout_s must be positive (a finite wait, never 'forever')")
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        existed = path.exists()
        conn = sqlite3.connect(path, timeout=busy_timeout_s, isolation_level=None,
                               check_same_thread=False)
        if not existed:
            os.chmod(path, 0o600)  # metadata only, but still nobody else's business
    except (OSError, sqlite3.Error) as exc:
        raise StoreOpenError(f"cannot open the outbox at {path}; IT: check the disk and the data "
                             "folder's permissions") from exc
    try:
        conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_s * 1000)}")
        _check_integrity(conn, path, clock, move_corrupt_aside)
        conn.execute("PRAGMA journal_mode = WAL")  # persistent: stays set in the file
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
    except sqlite3.Error as exc:
        conn.close()
        raise translate_error(exc, "open") from exc
    except BaseException:
        conn.close()
        raise
    return conn


def _check_integrity(conn: sqlite3.Connection, path: Path, clock: Callable[[], float],
                     move_aside: bool) -> None:
    try:
        rows = conn.execute("PRAGMA integrity_check").fetchall()
        problems = [r[0] for r in rows if r[0] != "ok"]
    except sqlite3.DatabaseError as exc:
        if _primary_code(exc) not in _CORRUPT:
            raise
        problems = [getattr(exc, "sqlite_errorname", "SQLITE_CORRUPT")]
    if not problems:
        return
    conn.close()
    log.error("outbox integrity check failed at %s: %d problem(s)", path, len(problems))
    moved_to = move_aside_corrupt(path, clock()) if move_aside else None
    where = f"it was moved to {moved_to} (kept, not deleted)" if moved_to else "it was left in place"
    raise StoreCorrupt(
        f"the outbox database {path} is damaged and cannot be trusted; {where}. Submissions saved "
        "in it may need recovery: IT, keep that file and contact support",
        moved_to=moved_to,
    )


def move_aside_corrupt(path: Path, now: float) -> Path:
    """Rename the file and its WAL/SHM companions to `<name>.corrupt-<UTC time>`; never delete."""
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(now))
    target = path.with_name(f"{path.name}.corrupt-{stamp}")
    n = 1
    while target.exists():
        target = path.with_name(f"{path.name}.corrupt-{stamp}-{n}")
        n += 1
    for suffix in ("-wal", "-shm"):
        companion = path.with_name(path.name + suffix)
        if companion.exists():
            companion.rename(target.with_name(target.name + suffix))
    path.rename(target)
    return target
