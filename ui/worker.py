"""Run blocking calls (card reads, portal requests, submissions) off the GUI thread.

The result or the error comes back ON THE GUI THREAD through a queued Qt signal, so callbacks may
touch widgets. Jobs are tracked, so shutdown and tests can wait for them.

Why plain Python threads and not QThreadPool: on Python 3.11 a QThreadPool thread is foreign to the
``threading`` module, and the first ``logging`` call made in it (a portal warning, say) registers a
``_DummyThread`` that can never be joined; the suite (and a clean shutdown) must account for every
thread. One short-lived, named Python thread per job costs nothing at kiosk rates (a few per minute).

Errors::

    WorkerClosed      a job was started after ``shutdown()`` (a programming error)
"""

from __future__ import annotations

import itertools
import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal, Slot

__all__ = ["Worker", "WorkerClosed"]

log = logging.getLogger(__name__)

ResultCallback = Callable[[Any], object]
ErrorCallback = Callable[[BaseException], object]


class WorkerClosed(RuntimeError):
    """The worker has been shut down; nothing more may be started."""


class Worker(QObject):
    """Runs ``fn()`` on a background thread; ``on_result``/``on_error`` run on the GUI thread."""

    #: (job id, succeeded, value or exception) as ONE Python object, emitted from the job's thread
    #: (a plain tuple avoids converting a Python bool through a queued C++ bool argument)
    _finished_in_thread = Signal(object)
    #: every job has finished and delivered its callbacks
    became_idle = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._threads: dict[int, threading.Thread] = {}
        self._callbacks: dict[int, tuple[ResultCallback | None, ErrorCallback | None]] = {}
        self._closed = False
        self._finished_in_thread.connect(self._on_finished_in_thread, Qt.QueuedConnection)

    @property
    def pending(self) -> int:
        """Jobs started whose callbacks have not run yet."""
        return len(self._callbacks)

    def run(
        self,
        fn: Callable[[], Any],
        on_result: ResultCallback | None = None,
        on_error: ErrorCallback | None = None,
        *,
        name: str = "job",
    ) -> int:
        """Start ``fn`` on its own thread and return a job id."""
        if self._closed:
            raise WorkerClosed("the worker has been shut down")
        job = next(self._ids)
        self._callbacks[job] = (on_result, on_error)
        thread = threading.Thread(target=self._execute, args=(job, fn),
                                  name=f"ui-worker-{name}-{job}", daemon=True)
        with self._lock:
            self._threads[job] = thread
        thread.start()
        return job

    def _execute(self, job: int, fn: Callable[[], Any]) -> None:
        try:
            value, ok = fn(), True
        except BaseException as exc:  # noqa: BLE001 - handed to on_error on the GUI thread
            value, ok = exc, False
        with self._lock:
            self._threads.pop(job, None)
            closed = self._closed
        if not closed:
            self._finished_in_thread.emit((job, ok, value))

    @Slot(object)
    def _on_finished_in_thread(self, outcome: tuple[int, bool, object]) -> None:
        job, ok, value = outcome
        on_result, on_error = self._callbacks.pop(job, (None, None))
        try:
            if ok and on_result is not None:
                on_result(value)
            elif not ok:
                if on_error is not None:
                    on_error(value)  # type: ignore[arg-type]
                else:
                    log.error("A background job failed with %s and nobody handled it",
                              type(value).__name__)
        finally:
            if not self._callbacks:
                self.became_idle.emit()

    def wait(self, timeout: float = 15.0) -> bool:
        """Join every running job's thread (results are delivered later by the event loop)."""
        deadline = time.monotonic() + timeout
        while True:
            with self._lock:
                threads = list(self._threads.values())
            if not threads:
                return True
            for thread in threads:
                thread.join(max(0.0, deadline - time.monotonic()))
            if time.monotonic() >= deadline:
                with self._lock:
                    return not self._threads

    def shutdown(self, timeout: float = 15.0) -> bool:
        """Refuse new jobs, drop pending callbacks and wait for running threads to end."""
        with self._lock:
            self._closed = True
        self._callbacks.clear()
        done = self.wait(timeout)
        if not done:
            log.warning("Some background jobs did not finish within %.0f s at shutdown", timeout)
        return done
