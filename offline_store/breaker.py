"""Circuit breaker for the relay: stop hammering a portal that is down, probe it, resume at once.

Why: with a backlog of hundreds of dossiers and the portal down, per-entry backoff alone still sends
one doomed request per due entry. The breaker counts portal-health outcomes (not dossier outcomes:
a 422 is a healthy portal refusing one dossier) and, once it trips, the engine sends nothing until
`open_s` has passed; then ONE health check (half-open) decides whether sending resumes.

```
            5 consecutive failures, or >= 50 % failures over the last `window` calls
  CLOSED ------------------------------------------------------------------------> OPEN
    ^                                                                               |
    |  probe (client.health()) succeeds        open_s passed, or connectivity back  v
    +----------------------------------------------------------------------- HALF_OPEN
                          probe fails: OPEN again for open_s
```
An answer that says the path itself is wrong (not the portal's API, or the kiosk's credential
refused) `trip`s it at once. Its clock should be a monotonic one: a wall-clock jump must not
stretch an open breaker by a year. Thread-safe: the sync thread drives it; the UI and staff read
`snapshot()` from other threads.
"""

from __future__ import annotations

import enum
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["BreakerSnapshot", "BreakerState", "CircuitBreaker"]


class BreakerState(enum.Enum):
    CLOSED = "closed"          # sending normally
    OPEN = "open"              # portal considered down: nothing is sent until `retry_at`
    HALF_OPEN = "half_open"    # the next step is a health probe


@dataclass(frozen=True)
class BreakerSnapshot:
    state: BreakerState
    consecutive_failures: int
    failure_rate: float          # over the current window (0.0 when empty)
    opened_at: float | None      # when it last opened
    retry_at: float | None       # open: when the probe is due
    reason: str | None           # what tripped it (error class and message, no personal data)


class CircuitBreaker:
    def __init__(self, *, clock: Callable[[], float], failure_threshold: int = 5,
                 failure_rate: float = 0.5, window: int = 20, min_calls: int = 10,
                 open_s: float = 30.0) -> None:
        if failure_threshold < 1 or window < 1 or not 0.0 < failure_rate <= 1.0 or open_s < 0:
            raise ValueError("breaker thresholds must be positive (rate in (0, 1])")
        self._clock = clock
        self._threshold = failure_threshold
        self._rate = failure_rate
        self._min_calls = max(1, min(min_calls, window))
        self._open_s = open_s
        self._outcomes: deque[bool] = deque(maxlen=window)   # True = failure
        self._lock = threading.Lock()
        self._state = BreakerState.CLOSED
        self._consecutive = 0
        self._opened_at: float | None = None
        self._retry_at: float | None = None
        self._reason: str | None = None

    # -- the engine's side ------------------------------------------------------------------------

    def allow_send(self) -> bool:
        """True when dossiers may be sent (closed). Moves OPEN to HALF_OPEN once `open_s` passed."""
        with self._lock:
            self._maybe_half_open()
            return self._state is BreakerState.CLOSED

    def probe_due(self) -> bool:
        with self._lock:
            self._maybe_half_open()
            return self._state is BreakerState.HALF_OPEN

    def wait_s(self) -> float | None:
        """Seconds until the probe is due (open), 0 when due now, None when closed."""
        with self._lock:
            if self._state is BreakerState.CLOSED:
                return None
            if self._state is BreakerState.HALF_OPEN or self._retry_at is None:
                return 0.0
            return max(0.0, self._retry_at - self._clock())

    def record_success(self) -> bool:
        """A call reached a healthy portal. Returns True if this closed the breaker."""
        with self._lock:
            self._consecutive = 0
            self._outcomes.append(False)
            return self._close_locked()

    def record_failure(self, reason: str) -> bool:
        """A call failed for portal-health reasons. Returns True if this opened the breaker."""
        with self._lock:
            self._consecutive += 1
            self._outcomes.append(True)
            if self._state is BreakerState.HALF_OPEN:
                self._open_locked(reason)
                return True
            if self._state is BreakerState.CLOSED and self._tripped():
                self._open_locked(reason)
                return True
            return False

    def trip(self, reason: str) -> bool:
        """Open now, whatever the counts: an answer said the path to the portal (its URL, a proxy,
        the kiosk's credential) is wrong, and every other send would meet the same. Returns True
        if this opened it (False: it was open already; the reason is updated)."""
        with self._lock:
            self._consecutive += 1
            self._outcomes.append(True)
            was_open = self._state is BreakerState.OPEN
            self._open_locked(reason)
            return not was_open

    def probe_now(self) -> None:
        """Connectivity is back (or staff asked): probe on the next step instead of waiting."""
        with self._lock:
            if self._state is BreakerState.OPEN:
                self._state = BreakerState.HALF_OPEN

    def snapshot(self) -> BreakerSnapshot:
        with self._lock:
            self._maybe_half_open()
            return BreakerSnapshot(self._state, self._consecutive, self._failure_rate(),
                                   self._opened_at, self._retry_at
                                   if self._state is BreakerState.OPEN else None, self._reason)

    # -- internals (lock held) ---------------------------------------------------------------------

    def _failure_rate(self) -> float:
        return sum(self._outcomes) / len(self._outcomes) if self._outcomes else 0.0

    def _tripped(self) -> bool:
        if self._consecutive >= self._threshold:
            return True
        return len(self._outcomes) >= self._min_calls and self._failure_rate() >= self._rate

    def _open_locked(self, reason: str) -> None:
        now = self._clock()
        self._state = BreakerState.OPEN
        self._opened_at = now
        self._retry_at = now + self._open_s
        self._reason = reason

    def _close_locked(self) -> bool:
        if self._state is BreakerState.CLOSED:
            return False
        self._state = BreakerState.CLOSED
        self._outcomes.clear()  # a fresh window: the outage's failures must not re-trip it at once
        self._consecutive = 0
        self._retry_at = None
        self._reason = None
        return True

    def _maybe_half_open(self) -> None:
        if (self._state is BreakerState.OPEN and self._retry_at is not None
                and self._clock() >= self._retry_at):
            self._state = BreakerState.HALF_OPEN
