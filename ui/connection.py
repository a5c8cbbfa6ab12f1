"""The periodic connection check behind the indicator on every screen.

A portal health request can block for seconds when the network is down, so it runs on the
``Worker``; only its result reaches the GUI thread. The citizen sees only the quality in words
(connected, slow, offline); the timing and the outbox counts that come with it are for the fleet
metrics and the staff dashboard.
"""

from __future__ import annotations

import dataclasses
import logging
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

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
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._client, self._outbox, self._worker = client, outbox, worker
        self._busy = False
        self._again = False
        self.status: ConnectionStatus | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(max(1, int(interval_s * 1000)))
        self._timer.timeout.connect(self.refresh)

    def start(self) -> None:
        self._timer.start()
        self.refresh()

    def stop(self) -> None:
        self._timer.stop()

    def refresh(self) -> None:
        """Check now (unless a check is running: then check once more when it ends)."""
        if self._busy:
            self._again = True
            return
        self._busy = True
        self._worker.run(lambda: _check(self._client, self._outbox), self._on_checked,
                         self._on_failed, name="health")

    def _on_checked(self, status: ConnectionStatus) -> None:
        self._busy = False
        self.status = status
        self.status_changed.emit(status)
        if self._again:
            self._again = False
            self.refresh()

    def _on_failed(self, exc: BaseException) -> None:
        self._busy = False
        log.warning("Connection check crashed: %s", type(exc).__name__)
