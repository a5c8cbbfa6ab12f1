"""SQL-side helpers of the outbox: error translation, key bootstrap, local references, file links.

Split out of `offline_store.outbox` to keep that module about the lifecycle itself.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.domain.codes import LOCAL_REF_RE
from offline_store.crypto import create_key_file, load_key_file
from offline_store.errors import KeyFileError
from offline_store.sqlite_open import translate_error

if TYPE_CHECKING:
    from offline_store.refs import RefCounter


def free_local_ref(conn: sqlite3.Connection, wanted: str, refs: RefCounter | None = None) -> str:
    """Keep the citizen's reference if it is free here (suffix -2, -3... if not), and move this
    kiosk's day counter (and its reservation outside the file) past it, so its own future
    references never collide with it."""
    match = LOCAL_REF_RE.fullmatch(wanted)
    if match:
        day, seq = match["day"], int(match["seq"])
        conn.execute("INSERT INTO day_sequence (day, last_seq) VALUES (?, ?) ON CONFLICT (day)"
                     " DO UPDATE SET last_seq = max(last_seq, excluded.last_seq)", (day, seq))
        if refs is not None:
            refs.note(day, seq)
    candidate, n = wanted, 1
    while conn.execute("SELECT 1 FROM outbox WHERE local_ref = ?", (candidate,)).fetchone():
        n += 1
        candidate = f"{wanted}-{n}"
    return candidate


def link(conn: sqlite3.Connection, entry_id: int, names: list[tuple[str, int]]) -> None:
    conn.executemany("INSERT INTO attachment (entry_id, position, name, size) VALUES (?, ?, ?, ?)",
                     [(entry_id, i, name, size) for i, (name, size) in enumerate(names)])


def unlink(conn: sqlite3.Connection, entry_ids: list[int]) -> list[str]:
    """Drop the entries' attachment rows; return the file names nothing refers to any more."""
    names: set[str] = set()
    for entry_id in entry_ids:
        names.update(r[0] for r in conn.execute(
            "DELETE FROM attachment WHERE entry_id = ? RETURNING name", (entry_id,)).fetchall())
    return [n for n in names
            if conn.execute("SELECT 1 FROM attachment WHERE name = ?", (n,)).fetchone() is None]


@contextmanager
def translated(action: str) -> Iterator[None]:
    try:
        yield
    except sqlite3.Error as exc:
        raise translate_error(exc, action) from exc


def short(text: str, limit: int = 300) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def obtain_key(conn: sqlite3.Connection, key_path: Path, create: bool, *,
               set_aside: int = 0) -> bytes:
    """Load the key; create one only for a store that holds nothing a new key could not read
    (nor a damaged outbox set aside beside it, waiting to be recovered with the same key)."""
    if key_path.exists():
        return load_key_file(key_path)
    with translated("open"):
        (held,) = conn.execute("SELECT count(*) FROM outbox").fetchone()
    if held or set_aside:
        what = f"the outbox holds {held} entries" if held else (
            f"{set_aside} damaged outbox file(s) set aside beside it wait to be recovered")
        raise KeyFileError(
            f"the outbox key file {key_path} is missing but {what} that only it can read; IT: "
            "restore the key file from backup (a new key cannot read them)"
        )
    if not create:
        raise KeyFileError(f"the outbox key file {key_path} is missing")
    create_key_file(key_path)
    return load_key_file(key_path)
