"""The camera interface every backend implements.

Only the newest frame is kept (``latest()``): QR decoding is slower than capture, and a queue of
old frames would both grow without bound and make the kiosk react to what the citizen showed
seconds ago. Subscribers are called on the capture thread with each new frame.
"""

from __future__ import annotations

import abc
import dataclasses
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from devices._subscribers import Subscribers
from devices.camera.errors import CameraError, FrameTimeout

if TYPE_CHECKING:
    import numpy as np

__all__ = ["Camera", "Frame"]


@dataclasses.dataclass(frozen=True, slots=True, eq=False)
class Frame:
    """``image``: BGR ``uint8`` array (H, W, 3); ``index`` counts from 0 since ``start()``."""

    image: np.ndarray
    index: int
    timestamp: float

    def __repr__(self) -> str:  # the picture may show a face or a card: never dump pixels
        h, w = self.image.shape[:2]
        return f"Frame(index={self.index}, {w}x{h}, t={self.timestamp:.3f})"


class Camera(abc.ABC):
    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._subscribers: Subscribers[Frame] = Subscribers()
        self._cond = threading.Condition()
        self._latest: Frame | None = None
        self._next_index = 0
        self._error: CameraError | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def subscribe(self, callback: Callable[[Frame], object]) -> Callable[[], None]:
        """Call ``callback(frame)`` on the capture thread for each frame; returns an unsubscribe."""
        return self._subscribers.add(callback)

    def latest(self) -> Frame | None:
        with self._cond:
            return self._latest

    @property
    def error(self) -> CameraError | None:
        """Why the capture thread stopped on its own, if it did."""
        with self._cond:
            return self._error

    def wait_frame(self, after: int = -1, timeout: float = 2.0) -> Frame:
        """Block until a frame with ``index > after`` exists; raise ``FrameTimeout`` otherwise."""
        with self._cond:
            ready = self._cond.wait_for(
                lambda: self._error is not None
                or (self._latest is not None and self._latest.index > after),
                timeout=timeout,
            )
            if self._error is not None:
                raise self._error
            if not ready or self._latest is None:
                raise FrameTimeout()
            return self._latest

    def _publish(self, image: np.ndarray) -> Frame:
        """Called by backends on the capture thread for every captured image."""
        with self._cond:
            frame = Frame(image, self._next_index, self._clock())
            self._next_index += 1
            self._latest = frame
            self._cond.notify_all()
        self._subscribers.emit(frame)
        return frame

    def _fail(self, error: CameraError) -> None:
        with self._cond:
            self._error = error
            self._cond.notify_all()

    def _reset(self) -> None:
        with self._cond:
            self._latest, self._next_index, self._error = None, 0, None

    @abc.abstractmethod
    def start(self) -> None:
        """Open the source and start the capture thread; raises ``CameraNotFound``."""

    #: What ``stop`` says when the capture thread will not end.
    stuck_message = "The camera did not stop in time; it may need to be unplugged."

    def _start_thread(self, target: Callable[..., None], name: str, *args: object) -> None:
        """Run the backend's capture loop on its own thread (it watches ``self._stop``)."""
        self._reset()
        self._stop.clear()
        self._thread = threading.Thread(target=target, args=args, name=name, daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 2.0) -> None:
        """Stop capturing, release the device, join the thread (``CameraError`` if it will not)."""
        thread = self._thread
        if thread is None:
            return
        self._stop.set()
        thread.join(timeout)
        if thread.is_alive():
            raise CameraError(self.stuck_message)
        self._thread = None

    def __enter__(self) -> Camera:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
