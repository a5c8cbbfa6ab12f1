"""The thread that drives a `SyncEngine`: steps while work is due, otherwise sleeps on an Event
until the next due time, the idle interval or `wake()`, and never dies silently. Re-exported by
`offline_store.sync`; split out so the engine's module stays about the engine."""

from __future__ import annotations

import logging
import threading
import traceback
from typing import TYPE_CHECKING

from offline_store.errors import OutboxError

if TYPE_CHECKING:
    from offline_store.sync import SyncEngine

__all__ = ["SyncThread"]

log = logging.getLogger("offline_store.sync")


class SyncThread(threading.Thread):
    """Runs the engine in the background until `stop()`; never dies silently."""

    def __init__(self, engine: SyncEngine, *, idle_interval_s: float = 5.0,
                 error_pause_s: float | None = None) -> None:
        super().__init__(name="outbox-sync", daemon=True)
        self._engine = engine
        self._connectivity = threading.Event()
        self._idle = idle_interval_s
        self._error_pause = idle_interval_s if error_pause_s is None else error_pause_s
        self._wake = threading.Event()
        self._stopping = threading.Event()

    def wake(self) -> None:
        """Look for work now (after an enqueue, or when connectivity returns)."""
        self._wake.set()

    def connectivity_restored(self) -> None:
        """The network is back: probe the portal and drain the queue now, not after the backoff."""
        self._connectivity.set()
        self._wake.set()

    def stop(self, timeout: float = 5.0) -> bool:
        """Ask the loop to end and join it; False if it is still inside a portal call at timeout."""
        self._stopping.set()
        self._wake.set()
        if self.is_alive():
            self.join(timeout)
        if self.is_alive():
            log.warning("sync thread did not stop within %.1f s (a portal call is still running)",
                        timeout)
            return False
        return True

    def run(self) -> None:
        while not self._stopping.is_set():
            # Clear BEFORE the cycle: a wake() from here on is seen by the wait below (it returns
            # at once), and one that came earlier is covered by this cycle, which starts after it.
            self._wake.clear()
            pause = self._cycle()
            if pause is None:
                continue  # did some work: look for more straight away
            self._wake.wait(pause)

    def _cycle(self) -> float | None:
        """One step; returns how long to wait, or None to step again immediately."""
        try:
            if self._connectivity.is_set():
                self._connectivity.clear()
                self._engine.connectivity_restored()
            result = self._engine.step()
            if result.kind.value in ("waiting", "probe_failed"):
                return min(self._idle, result.delay_s) if result.delay_s is not None else self._idle
            if result.kind.value != "idle":
                return None
            due = self._engine.next_due_in()
        except Exception as exc:  # noqa: BLE001 - log (no personal data) and keep the relay alive
            # Store errors carry messages we wrote (no personal data); anything else: type only,
            # with the stack frames (code locations, no values) for IT.
            text = str(exc) if isinstance(exc, OutboxError) else "unexpected"
            log.error("outbox sync step failed: %s (%s); pausing %.1f s\n%s", type(exc).__name__,
                      text, self._error_pause, "".join(traceback.format_tb(exc.__traceback__)))
            return self._error_pause
        return self._idle if due is None else min(due, self._idle)
