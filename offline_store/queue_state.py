"""The outbox's view of time and of itself: when entries are due, when leases run out, and the
numbers staff, IT and the metrics see.

A mixin of `offline_store.outbox.Outbox` (its connection, lock and clocks), split out so the
lifecycle module stays about writing. Why the care with time: see `offline_store.leases`.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any

from offline_store.leases import DUE_AT_SQL, lease_left_s
from offline_store.records import OutboxStats
from offline_store.schema import PENDING_STATES, STATES
from offline_store.sql_helpers import translated

if TYPE_CHECKING:
    from offline_store.leases import Clocks

__all__ = ["MAX_DELAY_S", "STUCK_AFTER_S", "OutboxState"]

#: The longest wait the relay ever schedules (its Retry-After cap): a due time further ahead was
#: written by a clock that was ahead, and is due now.
MAX_DELAY_S = 3600.0
#: An unsent entry whose state has not changed for this long is "stuck" (stats, metrics, staff).
STUCK_AFTER_S = 1800.0
_PENDING = "(" + ", ".join(f"'{s}'" for s in PENDING_STATES) + ")"


class OutboxState:
    _conn: sqlite3.Connection
    _lock: threading.RLock
    _clock: Callable[[], float]
    _mono: Callable[[], float]
    _clocks: Clocks
    _lease_s: float
    _max_delay_s: float

    if TYPE_CHECKING:  # provided by Outbox
        def _write(self, action: str) -> AbstractContextManager[sqlite3.Connection]: ...

    # -- time ------------------------------------------------------------------------------------

    def _due_now(self) -> dict[str, Any]:
        """Columns that make a row due now (on this boot's monotonic clock, whatever the wall)."""
        return {"next_attempt_at": self._clock(), "due_boot": self._clocks.boot,
                "due_mono": self._mono()}

    def _times(self) -> dict[str, Any]:
        """Parameters of `DUE_SQL` / `DUE_AT_SQL`."""
        return {"boot": self._clocks.boot, "mono": self._mono(), "now": self._clock(),
                "max_delay": self._max_delay_s}

    def _lease_left(self, rows: Sequence[tuple[Any, ...]]) -> list[tuple[int, float]]:
        """(id, seconds until its lease expires) of `sending` rows (id, holder, mono, wall)."""
        times, me = self._times(), self._clocks.me()
        return [(r[0], lease_left_s(r[1], r[2], r[3], me=me, now=times["now"], mono=times["mono"],
                                    lease_s=self._lease_s)) for r in rows]

    _LEASES = "SELECT id, lease_holder, lease_mono, lease_expires_at FROM outbox WHERE state = 'sending'"

    def requeue_expired_leases(self) -> list[int]:
        """Return entries whose worker vanished (or whose lease ran out) to `queued`; their
        outcome is unknown. Read first; write (deciding again inside the write transaction, so a
        lease renewed meanwhile is kept) only when something looks expired."""
        with self._lock, translated("leases"):
            rows = self._conn.execute(self._LEASES).fetchall()
        if not any(left <= 0 for _, left in self._lease_left(rows)):
            return []
        due = self._due_now()
        with self._write("requeue") as conn:
            expired = [i for i, left in self._lease_left(conn.execute(self._LEASES).fetchall())
                       if left <= 0]
            for entry_id in expired:
                conn.execute(
                    "UPDATE outbox SET state = 'queued', lease_expires_at = NULL,"
                    " lease_token = NULL, lease_holder = NULL, lease_mono = NULL,"
                    " outcome_unknown = 1, next_attempt_at = ?, due_boot = ?, due_mono = ?,"
                    " updated_at = ? WHERE id = ?",
                    (due["next_attempt_at"], due["due_boot"], due["due_mono"],
                     due["next_attempt_at"], entry_id))
        return sorted(expired)

    def stats(self, *, stuck_after_s: float = STUCK_AFTER_S) -> OutboxStats:
        """Cheap at any size: counts come from a trigger-maintained table, the rest from indexes.
        "Stuck": unsent entries whose state has not changed for `stuck_after_s` (or that carry a
        time further ahead than that: written while the clock was wrong)."""
        now = self._clock()
        unsent = "state IN ('queued', 'sending', 'failed_retryable')"
        with self._lock, translated("stats"):
            conn = self._conn
            counts = dict.fromkeys(STATES, 0)
            counts.update(conn.execute("SELECT state, n FROM state_count").fetchall())
            (oldest,) = conn.execute(f"SELECT min(created_at) FROM outbox WHERE {unsent}").fetchone()
            last = conn.execute(
                "SELECT last_error FROM outbox WHERE state <> 'sent' AND last_error IS NOT NULL"
                " ORDER BY updated_at DESC LIMIT 1").fetchone()
            breaker = conn.execute("SELECT value FROM sync_state WHERE name = 'breaker'").fetchone()
            stuck = conn.execute(
                f"SELECT local_ref FROM outbox WHERE {unsent} AND (updated_at < ? OR updated_at > ?)"
                " ORDER BY id", (now - stuck_after_s, now + stuck_after_s)).fetchall()
            lost = conn.execute("SELECT coalesce(local_ref, '?') FROM lost_entry"
                                " WHERE resolved_at IS NULL ORDER BY id").fetchall()
        b = json.loads(breaker[0]) if breaker else {}
        return OutboxStats(counts=counts,
                           oldest_queued_age_s=None if oldest is None else max(0.0, now - oldest),
                           last_error=last[0] if last else None,
                           breaker=b.get("state", "closed"), breaker_retry_at=b.get("retry_at"),
                           breaker_reason=b.get("reason"), alarm=b.get("alarm"), stuck=len(stuck),
                           stuck_refs=tuple(r[0] for r in stuck[:10]), lost=len(lost),
                           lost_refs=tuple(r[0] for r in lost[:20]))

    def next_due_at(self) -> float | None:
        """When the next entry becomes claimable (a due time or a lease expiry), or None."""
        times = self._times()
        with self._lock, translated("next_due_at"):
            (due,) = self._conn.execute(
                f"SELECT min({DUE_AT_SQL}) FROM outbox WHERE state IN {_PENDING}",
                times).fetchone()
            rows = self._conn.execute(self._LEASES).fetchall()
        leases = [times["now"] + left for _, left in self._lease_left(rows)]
        candidates = [t for t in (due, *leases) if t is not None]
        return min(candidates) if candidates else None
