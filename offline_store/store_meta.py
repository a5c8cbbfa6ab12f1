"""The outbox's facts about itself (`meta` table): its key check value and its id.

Why a key check value: another valid 32-byte key file opens the database as well as the right one,
and each entry would then fail to decrypt at sync, one after the other, and be parked. With the
key's fingerprint stored in the outbox, a wrong key is refused at open with a message for IT, and
nothing is read, sent or parked.
"""

from __future__ import annotations

import sqlite3
import uuid
from pathlib import Path

from offline_store.crypto import PayloadCipher, key_check_value
from offline_store.errors import KeyMismatch, PayloadUnreadable
from offline_store.sql_helpers import translated

__all__ = ["check_key", "meta_get", "meta_set", "store_id"]

_PROBES = 5  # rows tried before a store without a check value is said to have another key


def meta_get(conn: sqlite3.Connection, name: str) -> str | None:
    row = conn.execute("SELECT value FROM meta WHERE name = ?", (name,)).fetchone()
    return None if row is None else str(row[0])


def meta_set(conn: sqlite3.Connection, name: str, value: str) -> None:
    conn.execute("INSERT INTO meta (name, value) VALUES (?, ?) ON CONFLICT (name)"
                 " DO UPDATE SET value = excluded.value", (name, value))


def _write(conn: sqlite3.Connection, name: str, value: str) -> None:
    with translated("open"):
        conn.execute("BEGIN IMMEDIATE")
        try:
            meta_set(conn, name, value)
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise


def _opens_with(conn: sqlite3.Connection, cipher: PayloadCipher) -> bool | None:
    """Does this key open the newest readable payloads? None when there is none to try."""
    rows = conn.execute(
        "SELECT id, idempotency_key, nonce, ciphertext FROM outbox WHERE purged_at IS NULL"
        " AND length(ciphertext) > 0 ORDER BY id DESC LIMIT ?", (_PROBES,)).fetchall()
    if not rows:
        return None
    for entry_id, key, nonce, ciphertext in rows:
        try:
            cipher.open(nonce, ciphertext, key, entry_id)
            return True
        except PayloadUnreadable:
            continue  # one damaged row proves nothing: try the next
    return False


def check_key(conn: sqlite3.Connection, key: bytes, cipher: PayloadCipher, key_path: Path) -> None:
    """Refuse a key that is not the outbox's own (KeyMismatch); record the check value of the
    right one. The payloads decide: a stored value that differs while the key opens them was
    itself damaged, and one that differs in a store with no payload left protects nothing; both
    are rewritten."""
    wanted = key_check_value(key)
    with translated("open"):
        stored = meta_get(conn, "key_check")
        if stored == wanted:
            return
        opens = _opens_with(conn, cipher)
        (waiting,) = conn.execute("SELECT count(*) FROM outbox WHERE state <> 'sent'").fetchone()
    if opens is False:
        raise KeyMismatch(
            f"the outbox key file {key_path} holds a valid key, but not the one this outbox was "
            f"written with ({waiting} unsent applications can only be read with the original). "
            "Nothing was read, sent or changed. IT: put the original outbox.key back (from "
            "backup, or from the machine this data folder came from); do not delete the outbox")
    _write(conn, "key_check", wanted)


def store_id(conn: sqlite3.Connection) -> str:
    """This outbox file's random id, made at its first open: the local-reference counter outside
    the file (`offline_store.refs`) compares it to tell a replaced file from the same one."""
    with translated("open"):
        found = meta_get(conn, "store_id")
    if found is None:
        found = uuid.uuid4().hex
        _write(conn, "store_id", found)
    return found
