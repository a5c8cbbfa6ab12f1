"""The live camera preview with a frame guide, for the scan view.

The pictures are prepared off the GUI thread: the camera bridge shrinks the newest frame to this
widget's size in the display's own pixel format (BGRA) on the capture thread, a dozen times a
second. A GUI-thread timer only picks the newest picture up, wraps it in a ``QImage`` (no copy)
and repaints this widget alone (it is opaque), so the event loop never stalls on the camera. The
guide is a rounded square in the middle; it turns green when a code is read (``flash_found``).
The preview holds a picture of the person: ``stop()`` and ``clear()`` drop it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QRectF, Qt, QTimer
from PySide6.QtGui import QColor, QImage, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

if TYPE_CHECKING:
    import numpy as np

__all__ = ["CameraPreview", "GUIDE_SHARE"]

#: the frame guide's side as a share of the preview's shorter side
GUIDE_SHARE = 0.7


class CameraPreview(QWidget):
    """``source``: has ``preview_picture() -> (index, BGRA array) | None`` and
    ``set_preview_size((w, h) | None)`` (the ``CameraBridge``), or None for no camera."""

    def __init__(self, source: Any, parent: QWidget | None = None, *, fps: float = 12.0) -> None:
        super().__init__(parent)
        self.setObjectName("camera-preview")
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Expanding)
        self.setMinimumSize(320, 240)
        self.setAttribute(Qt.WA_OpaquePaintEvent, True)  # we paint every pixel: skip the parents
        self._source = source
        self._image: QImage | None = None
        self._buffer: np.ndarray | None = None  # the pixels the QImage points at
        self._shown: Any = None  # the picture on screen, as the source gave it
        self._found = False
        self.frames_shown = 0
        self._timer = QTimer(self)
        self._timer.setInterval(max(1, round(1000 / fps)))
        self._timer.timeout.connect(self.refresh)
        self._found_timer = QTimer(self)
        self._found_timer.setSingleShot(True)
        self._found_timer.timeout.connect(self._end_found)

    def start(self) -> None:
        if self._source is not None:
            self._source.set_preview_size((max(1, self.width()), max(1, self.height())))
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        if self._source is not None:
            self._source.set_preview_size(None)
        self.clear()

    def clear(self) -> None:
        self._image, self._buffer, self._shown = None, None, None
        self._found = False
        self.update()

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        if self._timer.isActive() and self._source is not None:
            self._source.set_preview_size((max(1, self.width()), max(1, self.height())))

    def flash_found(self, ms: int = 1500) -> None:
        """Show that a code was read: the guide turns green for a moment."""
        self._found = True
        self._found_timer.start(ms)
        self.update()

    @property
    def found(self) -> bool:
        return self._found

    def _end_found(self) -> None:
        self._found = False
        self.update()

    def refresh(self) -> None:
        picture = self._source.preview_picture() if self._source is not None else None
        if picture is None or picture is self._shown:
            return
        self._shown, pixels = picture, picture[1]
        height, width = pixels.shape[:2]
        self._buffer = pixels
        self._image = QImage(pixels.data, width, height, pixels.strides[0], QImage.Format_RGB32)
        self.frames_shown += 1
        self.update()

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt API
        p = QPainter(self)
        p.fillRect(self.rect(), QColor("#1B2430"))
        if self._image is not None:
            x = (self.width() - self._image.width()) // 2
            y = (self.height() - self._image.height()) // 2
            p.drawImage(x, y, self._image)
        side = min(self.width(), self.height()) * GUIDE_SHARE
        guide = QRectF((self.width() - side) / 2, (self.height() - side) / 2, side, side)
        p.setRenderHint(QPainter.Antialiasing)
        colour = QColor("#2E9E5B") if self._found else QColor("#FFFFFF")
        p.setPen(QPen(colour, 8 if self._found else 5))
        p.setBrush(Qt.NoBrush)
        p.drawRoundedRect(guide, 24, 24)
        p.end()
