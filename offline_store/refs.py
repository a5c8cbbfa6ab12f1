"""Local references that never repeat on a kiosk, even when the outbox file is lost or replaced.

Why a file outside the database: the per-day counter lives in the outbox (`day_sequence`), so an
outbox that is moved aside as damaged, or replaced, would start again at `Q-YYMMDD-0001` and hand
out references already printed on citizens' receipts. `outbox.refs` beside the database keeps,
per day, a number the counter may not pass without writing a new one first: a reservation taken
`block` numbers ahead (one durable file write per `block` submissions, not one per submission).

At open the file and the database are reconciled: if the file was written for another outbox file
(a new or recovered database; the ids differ) every day's counter jumps past the reservation, so
new references skip the numbers the old file may have used. A crash between a reservation and
the row it was for only skips numbers, never repeats one.

File: `{"store_id": "<hex>", "days": {"YYMMDD": <highest number reserved>, ...}}`, replaced
atomically (temporary file, fsync, rename, folder fsync); days older than the newest 400 are
dropped (a clock set back more than a year is a job for IT anyway).
"""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

from kiosk.domain.codes import format_local_ref
from offline_store.errors import StoreFull, StoreIOError

__all__ = ["RefCounter"]

KEEP_DAYS = 400


class RefCounter:
    """Issues `Q-YYMMDD-NNNN` inside the caller's write transaction (`next_ref`)."""

    def __init__(self, path: Path, store_id: str, *, block: int = 20) -> None:
        if block < 1:
            raise ValueError("block must be at least 1")
        self.path = path
        self._store_id = store_id
        self._block = block
        self._days: dict[str, int] = {}

    def __repr__(self) -> str:
        return f"RefCounter({str(self.path)!r})"

    def reconcile(self, conn: sqlite3.Connection) -> None:
        """At open (inside a write transaction): if the file belongs to another outbox file, move
        this database's counters past every reservation; then reserve ahead of the database."""
        saved_for, days = self._load()
        if saved_for != self._store_id:
            for day, reserved in days.items():
                conn.execute("INSERT INTO day_sequence (day, last_seq) VALUES (?, ?)"
                             " ON CONFLICT (day) DO UPDATE SET last_seq = max(last_seq, ?)",
                             (day, reserved, reserved))
        merged = dict(days)
        for day, last in conn.execute("SELECT day, last_seq FROM day_sequence"):
            merged[day] = max(merged.get(day, 0), int(last))
        self._days = merged
        self._save()

    def next_ref(self, conn: sqlite3.Connection, day: str) -> str:
        """The next reference of `day`; reserves further ahead first when the counter reaches
        the reservation (the file is durable before the caller's row can commit)."""
        (seq,) = conn.execute(
            "INSERT INTO day_sequence (day, last_seq) VALUES (?, 1) "
            "ON CONFLICT (day) DO UPDATE SET last_seq = last_seq + 1 RETURNING last_seq",
            (day,)).fetchone()
        self.note(day, int(seq))
        return format_local_ref(day, int(seq))

    def note(self, day: str, seq: int) -> None:
        """`seq` of `day` is (or may be) in use: make sure the reservation covers it."""
        if seq >= self._days.get(day, 0):
            self._days[day] = seq + self._block
            self._save()

    def _load(self) -> tuple[str | None, dict[str, int]]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None, {}
        except (OSError, ValueError):
            # damaged: unknown owner, so the database's counters are kept as they are (and the
            # file rewritten from them); nothing it could have held is lost that the database
            # did not also hold, unless both were damaged at once
            return None, {}
        days = data.get("days") if isinstance(data, dict) else None
        if not isinstance(days, dict):
            return None, {}
        clean = {str(d): int(n) for d, n in days.items()
                 if isinstance(n, int) and len(str(d)) == 6 and str(d).isdigit()}
        owner = data.get("store_id")
        return (owner if isinstance(owner, str) else None), clean

    def _save(self) -> None:
        """Write the reservations, merged with what the file holds now (another process, e.g. an
        import beside the kiosk, may have reserved further on another day). Callers hold the
        outbox's write lock, so two processes never write at once."""
        owner, on_disk = self._load()
        if owner == self._store_id:
            for day, reserved in on_disk.items():
                self._days[day] = max(self._days.get(day, 0), reserved)
        kept = dict(sorted(self._days.items())[-KEEP_DAYS:])
        self._days = kept
        text = json.dumps({"store_id": self._store_id, "days": kept}, separators=(",", ":"))
        tmp = self.path.with_name(f"{self.path.name}.tmp-{os.getpid()}")
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            try:
                os.write(fd, text.encode("ascii"))
                os.fsync(fd)
            finally:
                os.close(fd)
            os.replace(tmp, self.path)
            dir_fd = os.open(self.path.parent, os.O_RDONLY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            if exc.errno == 28:  # ENOSPC
                raise StoreFull() from exc
            raise StoreIOError(f"could not write the local-reference counter {self.path} "
                               f"({exc.strerror}); IT: check the disk and the data folder") from exc
