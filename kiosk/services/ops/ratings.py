"""The citizens' one-touch satisfaction ratings, as one-stop centres collect them for the service
index (Decision 766/QĐ-TTg scores satisfaction with receiving and handling procedures).

A rating is kept without personal data: the day (Vietnam time), the procedure's code and the
score, nothing else. No time of day, no dossier code, no session: a rating can never be traced
back to the citizen who gave it, or to their application. The staff dashboard shows the day's
counts; the metrics count them by score.

    RatingError        a score outside the scale, or a procedure code that is not one
    RatingStoreError   the ratings file cannot be read or written (IT: check the data folder)
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Literal

__all__ = ["SCORES", "RatingError", "RatingStore", "RatingStoreError", "RatingSummary"]

#: the scale a citizen sees: 3 very satisfied, 2 satisfied, 1 not satisfied
SCORES = (3, 2, 1)
_VIETNAM = dt.timezone(dt.timedelta(hours=7))
_CODE = re.compile(r"\d\.\d{6}")


class RatingError(ValueError):
    """The rating itself is wrong (a programming error: the screen offers only the scale)."""


class RatingStoreError(RuntimeError):
    """The ratings cannot be stored or read; the message says what IT can check."""


@dataclasses.dataclass(frozen=True)
class RatingSummary:
    day: dt.date
    counts: dict[int, int]  # score -> how many

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def average(self) -> float | None:
        """Mean score on the 1-3 scale; None with no rating yet."""
        if not self.total:
            return None
        return sum(score * n for score, n in self.counts.items()) / self.total


class RatingStore:
    """Thread-safe; one SQLite file (``ratings.sqlite3`` in the data folder)."""

    def __init__(self, path: Path, *, clock: Callable[[], float] = time.time,
                 busy_timeout_s: float = 5.0) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._conn = sqlite3.connect(str(path), timeout=busy_timeout_s,
                                         check_same_thread=False, isolation_level=None)
            self._conn.execute("CREATE TABLE IF NOT EXISTS rating (day TEXT NOT NULL, "
                               "procedure TEXT NOT NULL, score INTEGER NOT NULL)")
        except (OSError, sqlite3.Error) as exc:
            raise RatingStoreError(f"the ratings file {path} cannot be opened "
                                   f"({type(exc).__name__}); IT: check the data folder") from exc

    def today(self) -> dt.date:
        return dt.datetime.fromtimestamp(self._clock(), _VIETNAM).date()

    def record(self, procedure_code: str, score: int) -> None:
        if score not in SCORES:
            raise RatingError(f"a rating is one of {SCORES}, not {score!r}")
        if not _CODE.fullmatch(procedure_code):
            raise RatingError("not a procedure code")
        with self._lock, self._translated("stored"):
            self._conn.execute("INSERT INTO rating (day, procedure, score) VALUES (?, ?, ?)",
                               (self.today().isoformat(), procedure_code, score))

    def summary(self, day: dt.date | None = None) -> RatingSummary:
        day = day or self.today()
        with self._lock, self._translated("read"):
            rows = self._conn.execute("SELECT score, COUNT(*) FROM rating WHERE day = ? "
                                      "GROUP BY score", (day.isoformat(),)).fetchall()
        return RatingSummary(day, {score: 0 for score in SCORES} | dict(rows))

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    class _translated:
        """sqlite3's errors as RatingStoreError, naming what was being done."""

        def __init__(self, what: str) -> None:
            self._what = what

        def __enter__(self) -> None:
            return None

        def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                     _tb: TracebackType | None) -> Literal[False]:
            if isinstance(exc, sqlite3.Error):
                raise RatingStoreError(f"a rating could not be {self._what} "
                                       f"({type(exc).__name__}); IT: check the data folder") \
                    from exc
            return False
