"""A camera through ``cv2.VideoCapture``: a device index (``0`` = /dev/video0) or a file/URL.

``cap.read()`` can block for a long time on a misbehaving USB camera, so the open and read
timeouts are passed to OpenCV where its backend supports them, and the capture thread also gives
up (``CameraDisconnected``) after ``read_timeout`` seconds without a good frame. Files are paced
at ``fps`` and rewound at the end (``loop_file``), which makes a recorded clip behave like a camera.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import cv2

from devices.camera.base import Camera
from devices.camera.errors import CameraDisconnected, CameraNotFound

__all__ = ["OpenCvCamera"]


class OpenCvCamera(Camera):
    def __init__(
        self,
        device: int | str | Path = 0,
        width: int | None = None,
        height: int | None = None,
        fps: float | None = None,
        read_timeout: float = 2.0,
        loop_file: bool = True,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(clock)
        self.device = str(device) if isinstance(device, Path) else device
        self.width, self.height, self.fps = width, height, fps
        self.read_timeout = read_timeout
        self.loop_file = loop_file
        self._is_file = isinstance(self.device, str)
        self._capture: cv2.VideoCapture | None = None

    def _open(self) -> cv2.VideoCapture:
        timeout_ms = int(self.read_timeout * 1000)
        params = [cv2.CAP_PROP_OPEN_TIMEOUT_MSEC, timeout_ms, cv2.CAP_PROP_READ_TIMEOUT_MSEC, timeout_ms]
        capture = cv2.VideoCapture(self.device, cv2.CAP_ANY, params)
        if not capture.isOpened():
            capture.release()
            what = f"file {Path(str(self.device)).name!r}" if self._is_file else f"device {self.device}"
            raise CameraNotFound(f"{CameraNotFound.default_message} (could not open {what})")
        if self.width:
            capture.set(cv2.CAP_PROP_FRAME_WIDTH, self.width)
        if self.height:
            capture.set(cv2.CAP_PROP_FRAME_HEIGHT, self.height)
        if self.fps and not self._is_file:
            capture.set(cv2.CAP_PROP_FPS, self.fps)
        return capture

    def start(self) -> None:
        if self._thread is not None:
            return
        self._capture = self._open()
        self._start_thread(self._run, "opencv-camera")

    def _run(self) -> None:
        capture = self._capture
        assert capture is not None
        period = 1.0 / (self.fps or capture.get(cv2.CAP_PROP_FPS) or 25.0) if self._is_file else 0.0
        last_good = time.monotonic()
        next_tick = last_good
        try:
            while not self._stop.is_set():
                ok, image = capture.read()
                if ok:
                    last_good = time.monotonic()
                    self._publish(image)
                elif self._is_file and self.loop_file and capture.get(cv2.CAP_PROP_POS_FRAMES) > 0:
                    capture.set(cv2.CAP_PROP_POS_FRAMES, 0)
                    continue
                elif time.monotonic() - last_good > self.read_timeout:
                    self._fail(CameraDisconnected())
                    return
                next_tick = max(next_tick + period, time.monotonic()) if period else next_tick
                self._stop.wait(max(0.0, next_tick - time.monotonic()) if ok else 0.05)
        finally:
            capture.release()
            self._capture = None
