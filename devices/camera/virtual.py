"""A real in-process camera that plays still images, a folder of images or a video, in a loop.

Tests and demos script what is "in front of the camera" with ``show()`` and ``clear()``; with
nothing shown and no source it sees an empty grey scene, as a real camera at an idle kiosk does.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Generator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from devices.camera.base import Camera
from devices.camera.errors import CameraError, CameraNotFound

if TYPE_CHECKING:
    import numpy as np

    Source = str | Path | np.ndarray

__all__ = ["IMAGE_SUFFIXES", "VIDEO_SUFFIXES", "VirtualCamera"]

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".bmp", ".webp", ".tif", ".tiff"}
VIDEO_SUFFIXES = {".avi", ".mp4", ".mkv", ".mov", ".webm", ".mjpg", ".mjpeg"}
# numpy is imported where pictures are made, not with the module: a kiosk whose camera shows
# nothing yet paints its first screen without it


def _read_image(path: Path) -> np.ndarray:
    import cv2  # loaded when a picture is shown, not when the camera is made

    image = cv2.imread(str(path), cv2.IMREAD_COLOR)
    if image is None:
        raise CameraNotFound(f"The virtual camera cannot read the image file {path.name!r}.")
    return image


def _as_image(item: Source) -> np.ndarray:
    import numpy as np

    if isinstance(item, np.ndarray):
        if item.ndim == 2:
            item = np.repeat(item[:, :, None], 3, axis=2)  # greyscale to BGR
        if item.ndim != 3 or item.shape[2] != 3:
            raise ValueError("images must be BGR (H, W, 3) or greyscale (H, W) arrays")
        return np.ascontiguousarray(item, dtype=np.uint8)
    return _read_image(Path(item))


def _expand(source: Source | Sequence[Source] | None) -> list[Source]:
    """Flatten a path, a folder, an array or a list of those into a playlist."""
    if source is None:
        return []
    import numpy as np

    if isinstance(source, (str, Path, np.ndarray)):
        source = [source]
    items: list[Source] = []
    for item in source:
        if isinstance(item, np.ndarray):
            items.append(item)
            continue
        path = Path(item)
        if path.is_dir():
            items.extend(sorted(p for p in path.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES | VIDEO_SUFFIXES))
        elif path.is_file():
            items.append(path)
        else:
            raise CameraNotFound(f"The virtual camera source {path.name!r} does not exist.")
    return items


def _frames(items: list[Source]) -> Generator[np.ndarray, None, None]:
    """Endless frames: images are shown once per cycle, videos frame by frame."""
    stills = {id(i): _read_only(_as_image(i)) for i in items if not _is_video(i)}
    while True:
        for item in items:
            if not _is_video(item):
                yield stills[id(item)]
                continue
            import cv2

            video = Path(str(item))
            capture = cv2.VideoCapture(str(video))
            try:
                ok, image = capture.read()
                if not ok:
                    raise CameraNotFound(f"The virtual camera cannot play {video.name!r}.")
                while ok:
                    yield image
                    ok, image = capture.read()
            finally:
                capture.release()


def _read_only(image: np.ndarray) -> np.ndarray:
    image = image.copy()
    image.flags.writeable = False  # one array is published many times: nobody may draw on it
    return image


def _is_video(item: Source) -> bool:
    return isinstance(item, (str, Path)) and Path(item).suffix.lower() in VIDEO_SUFFIXES


class VirtualCamera(Camera):
    stuck_message = "The virtual camera did not stop in time."

    def __init__(
        self,
        source: Source | Sequence[Source] | None = None,
        fps: float = 10.0,
        size: tuple[int, int] = (640, 480),
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """``size`` (width, height) is the idle grey scene's size; images keep their own size."""
        super().__init__(clock)
        if fps <= 0:
            raise ValueError("fps must be positive")
        self.fps = fps
        self._items = _expand(source)
        self._size = size
        self._shown: np.ndarray | None = None
        self._show_lock = threading.Lock()

    def show(self, item: Source) -> None:
        """Put ``item`` (an image path or BGR array) in front of the camera until ``clear()``."""
        image = _as_image(item).copy()
        image.flags.writeable = False  # frames are shared with every subscriber
        with self._show_lock:
            self._shown = image

    def clear(self) -> None:
        with self._show_lock:
            self._shown = None

    def start(self) -> None:
        if self._thread is not None:
            return
        frames = _frames(self._items) if self._items else None
        first = next(frames) if frames is not None else None  # fail here if unreadable
        self._start_thread(self._run, "virtual-camera", frames, first)

    def _run(self, frames: Generator[np.ndarray, None, None] | None,
             first: np.ndarray | None) -> None:
        import numpy as np

        width, height = self._size
        blank = _read_only(np.full((height, width, 3), 200, np.uint8))  # the idle grey scene
        period = 1.0 / self.fps
        next_tick = time.monotonic()
        pending = first
        try:
            while not self._stop.is_set():
                with self._show_lock:
                    shown = self._shown
                if shown is None and frames is not None and pending is None:
                    pending = next(frames)
                image = shown if shown is not None else (pending if pending is not None else blank)
                if shown is None:
                    pending = None
                self._publish(image)
                next_tick += period
                self._stop.wait(max(0.0, next_tick - time.monotonic()))
        except CameraError as exc:
            self._fail(exc)
        finally:
            if frames is not None:
                frames.close()  # releases an open video capture
