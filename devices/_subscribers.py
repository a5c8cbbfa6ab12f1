"""Thread-safe callback lists shared by every device.

A callback that raises must not kill the device thread (the reader would silently stop reporting
cards), so failures are logged with a traceback and delivery continues.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Generic, TypeVar

__all__ = ["Subscribers"]

T = TypeVar("T")
log = logging.getLogger(__name__)


class Subscribers(Generic[T]):
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._callbacks: tuple[Callable[[T], object], ...] = ()

    def add(self, callback: Callable[[T], object]) -> Callable[[], None]:
        """Register ``callback``; the returned function unregisters it (idempotent)."""
        token = _Token(callback)
        with self._lock:
            self._callbacks = (*self._callbacks, token)

        def unsubscribe() -> None:
            with self._lock:
                self._callbacks = tuple(c for c in self._callbacks if c is not token)

        return unsubscribe

    def emit(self, item: T) -> None:
        with self._lock:
            callbacks = self._callbacks
        for callback in callbacks:
            try:
                callback(item)
            except Exception:  # noqa: BLE001 - keep the device thread alive, but say so loudly
                log.exception("A %s subscriber raised; the device keeps running", type(item).__name__)


class _Token(Generic[T]):
    """Wraps a callback so subscribing the same function twice yields two independent entries."""

    __slots__ = ("callback",)

    def __init__(self, callback: Callable[[T], object]) -> None:
        self.callback = callback

    def __call__(self, item: T) -> None:
        self.callback(item)
