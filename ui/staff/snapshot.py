"""What the staff dashboard shows, gathered in one call on a worker thread (SQLite queries and
device calls can block; the GUI thread only renders the result). No Qt here."""

from __future__ import annotations

import dataclasses
import logging
from collections import Counter
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from typing import Any

__all__ = ["AttentionEntry", "DashboardSnapshot", "collect_snapshot", "start_of_day"]

log = logging.getLogger(__name__)

_TZ = timezone(timedelta(hours=7), "ICT")
#: how many of today's entries are counted (a kiosk serves a few hundred a day at most)
TODAY_LIMIT = 5000


@dataclasses.dataclass(frozen=True)
class AttentionEntry:
    """An entry staff must look at: references and the portal's reason, never the payload."""

    id: int
    local_ref: str
    procedure_code: str
    state: str
    reason: str
    created_at: float


@dataclasses.dataclass(frozen=True)
class DashboardSnapshot:
    counts: dict[str, int]
    oldest_queued_age_s: float | None
    breaker: str
    attention: tuple[AttentionEntry, ...]
    today: dict[str, int]
    readers: tuple[str, ...]
    card_present: bool | None
    camera: str  # "off" | "working" | "not working"
    taken_at: float
    printer: str | None = None  # the default printer's name; None: receipts become PDF files
    stuck: tuple[str, ...] = ()  # local refs of unsent entries not moving (sync.stuck_after_s)
    stuck_count: int = 0
    lost: tuple[AttentionEntry, ...] = ()  # what a damaged outbox lost (references, reasons)
    alarm: str | None = None  # the path to the portal is wrong: misrouted | refused | config
    ratings: dict[int, int] | None = None  # today's satisfaction ratings: score -> count


def start_of_day(now: float) -> float:
    """Midnight of ``now``'s day in Vietnam (UTC+7), where the kiosks are."""
    local = datetime.fromtimestamp(now, _TZ)
    return local.replace(hour=0, minute=0, second=0, microsecond=0).timestamp()


def collect_snapshot(engine: Any, outbox: Any, reader: Any, camera: Any, now: float, *,
                     printer: Callable[[], str | None] | None = None,
                     stuck_after_s: float = 1800.0, ratings: Any = None) -> DashboardSnapshot:
    """Runs on a worker thread. Outbox errors propagate (the dashboard says it cannot read).
    ``printer`` names the default printer (the print system can block, so it is asked here)."""
    stats = engine.stats(stuck_after_s=stuck_after_s)
    lost = tuple(AttentionEntry(e.id, e.local_ref or "?", e.procedure_code or "?", "lost",
                                e.reason, e.created_at or e.found_at)
                 for e in outbox.lost_entries()[:50])
    attention = tuple(
        AttentionEntry(e.id, e.local_ref, e.procedure_code, e.state, e.last_error or "", e.created_at)
        for e in outbox.list(states=("needs_attention",), limit=50))
    midnight = start_of_day(now)
    today = Counter(e.procedure_code for e in outbox.list(limit=TODAY_LIMIT)
                    if e.created_at >= midnight)
    readers, present = _reader_state(reader)
    return DashboardSnapshot(dict(stats.counts), stats.oldest_queued_age_s, stats.breaker,
                             attention, dict(sorted(today.items())), readers, present,
                             _camera_state(camera), now, _printer_state(printer),
                             stuck=tuple(stats.stuck_refs), stuck_count=stats.stuck, lost=lost,
                             alarm=stats.alarm, ratings=_ratings_today(ratings))


def _ratings_today(ratings: Any) -> dict[int, int] | None:
    """Today's counts by score from the ratings store (None: no store, or it cannot be read)."""
    if ratings is None:
        return None
    try:
        return dict(ratings.summary().counts)
    except Exception as exc:  # noqa: BLE001 - a broken ratings file must not hide the rest
        log.warning("Ratings unavailable: %s", type(exc).__name__)
        return None


def _reader_state(reader: Any) -> tuple[tuple[str, ...], bool | None]:
    try:
        return tuple(reader.readers()), bool(reader.card_present())
    except Exception as exc:  # noqa: BLE001 - a broken driver must not hide the rest
        log.warning("Card reader state unavailable: %s", type(exc).__name__)
        return (), None


def _printer_state(printer: Callable[[], str | None] | None) -> str | None:
    if printer is None:
        return None
    try:
        return printer()
    except Exception as exc:  # noqa: BLE001 - a broken print system must not hide the rest
        log.warning("Printer state unavailable: %s", type(exc).__name__)
        return None


def _camera_state(camera: Any) -> str:
    if camera is None:
        return "off"
    return "not working" if getattr(camera, "error", None) is not None else "working"
