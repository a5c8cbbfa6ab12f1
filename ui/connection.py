"""The connection check behind the indicator on every screen.

A portal health request can block for seconds when the network is down, so it runs on the
``Worker``; only its result reaches the GUI thread. When the next check comes is
``kiosk.domain.policies.connection.HealthSchedule``'s: every ``interval_s`` while a citizen uses
the kiosk (and at once when a session starts after a long quiet), less and less often while the
welcome screen waits. The citizen sees only the quality in words
(connected, slow, offline); the timing and the outbox counts that come with it are for the fleet
metrics and the staff dashboard.
"""

from __future__ import annotations

import dataclasses
import logging
import time
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from kiosk.domain.policies.connection import HealthSchedule
from ui.worker import Worker

__all__ = ["ConnectionMonitor", "ConnectionStatus"]

log = logging.getLogger(__name__)

_WAITING_STATES = ("queued", "sending", "failed_retryable")
#: a health answer slower than this (ms) reads "slow connection" to the citizen
SLOW_MS = 2000.0


@dataclasses.dataclass(frozen=True)
class ConnectionStatus:
    reachable: bool
    latency_ms: float | None
    waiting: int
    needs_attention: int

    @property
    def quality(self) -> str:
        """"online", "slow" or "offline": what the citizen is told, in words."""
        if not self.reachable:
            return "offline"
        return "slow" if (self.latency_ms or 0.0) > SLOW_MS else "online"


def _check(client: Any, outbox: Any) -> ConnectionStatus:
    """Runs on a worker thread: one health request and one outbox count."""
    reachable, latency = False, None
    try:
        health = client.health()
        reachable, latency = bool(health.ok), float(health.latency_ms)
    except Exception as exc:  # noqa: BLE001 - any failure means "not reachable" to the citizen
        log.info("Portal health check failed: %s", type(exc).__name__)
    waiting = attention = 0
    try:
        counts = outbox.stats().counts
        waiting = sum(counts.get(state, 0) for state in _WAITING_STATES)
        attention = counts.get("needs_attention", 0)
    except Exception as exc:  # noqa: BLE001 - the indicator must keep working
        log.warning("Outbox stats unavailable: %s", type(exc).__name__)
    return ConnectionStatus(reachable, latency, waiting, attention)


class ConnectionMonitor(QObject):
    status_changed = Signal(object)  # ConnectionStatus

    def __init__(self, client: Any, outbox: Any, worker: Worker, *, interval_s: float,
                 idle_max_s: float | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._client, self._outbox, self._worker = client, outbox, worker
        self._busy = False
        self._again = False
        self._running = False
        self._checked_at: float | None = None
        self.status: ConnectionStatus | None = None
        self.schedule = HealthSchedule(interval_s, interval_s if idle_max_s is None else idle_max_s)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.refresh)

    @property
    def next_check_ms(self) -> int | None:
        """Milliseconds until the planned check (None: none planned, or one is running)."""
        return self._timer.remainingTime() if self._timer.isActive() else None

    def start(self) -> None:
        self._running = True
        self.refresh()

    def stop(self) -> None:
        self._running = False
        self._timer.stop()

    def set_active(self, active: bool) -> None:
        """A citizen's session began (the indicator is on screen) or the kiosk is waiting again."""
        since = None if self._checked_at is None else time.monotonic() - self._checked_at
        due_s = self.schedule.set_active(active, since)
        if due_s is None or not self._running:
            return
        if due_s <= 0:
            self.refresh()
        elif self.next_check_ms is None or self.next_check_ms > due_s * 1000:
            self._plan(due_s)

    def _plan(self, seconds: float) -> None:
        if self._running and not self._busy:
            self._timer.start(max(1, int(seconds * 1000)))

    def refresh(self) -> None:
        """Check now (unless a check is running: then check once more when it ends)."""
        if self._busy:
            self._again = True
            return
        self._busy = True
        self._timer.stop()
        self._worker.run(lambda: _check(self._client, self._outbox), self._on_checked,
                         self._on_failed, name="health")

    def _on_checked(self, status: ConnectionStatus) -> None:
        self._busy = False
        self._checked_at = time.monotonic()
        self.status = status
        self._plan(self.schedule.checked(status.reachable))
        self.status_changed.emit(status)
        if self._again:
            self._again = False
            self.refresh()

    def _on_failed(self, exc: BaseException) -> None:
        self._busy = False
        self._checked_at = time.monotonic()
        log.warning("Connection check crashed: %s", type(exc).__name__)
        self._plan(self.schedule.base_s)
