"""Notice when nobody has touched the kiosk for a while, so a citizen who walked away does not
leave their data on the screen (WCAG 2.2.1: warn first, and let them ask for more time)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

__all__ = ["IdleWatcher"]

_INPUT_EVENTS = frozenset({
    QEvent.MouseButtonPress, QEvent.MouseButtonRelease, QEvent.KeyPress, QEvent.TouchBegin,
    QEvent.TouchUpdate, QEvent.Wheel, QEvent.InputMethod,
})


class IdleWatcher(QObject):
    """Emits ``became_idle`` once after ``timeout_s`` without touches, while active."""

    became_idle = Signal()

    def __init__(self, timeout_s: float, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.became_idle)
        self.set_timeout(timeout_s)
        self._active = False
        self._app = QApplication.instance()
        self._app.installEventFilter(self)

    def set_timeout(self, timeout_s: float) -> None:
        self._timer.setInterval(max(1, int(timeout_s * 1000)))

    def set_active(self, active: bool) -> None:
        """Watch during a citizen's session; stop on the welcome, busy and receipt screens."""
        self._active = active
        if active:
            self._timer.start()
        else:
            self._timer.stop()

    def poke(self) -> None:
        """Someone is here: start counting again."""
        if self._active:
            self._timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if self._active and event.type() in _INPUT_EVENTS:
            self._timer.start()
        return False

    def close(self) -> None:
        self._timer.stop()
        self._active = False
        if self._app is not None:
            self._app.removeEventFilter(self)
            self._app = None
