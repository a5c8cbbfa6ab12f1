"""The hidden way into staff mode: a long press on the header's emblem (documented in
docs/operations.md). A citizen tapping the emblem does nothing; holding it for 3 s is deliberate."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QWidget

__all__ = ["LongPress"]

_PRESS = frozenset({QEvent.MouseButtonPress, QEvent.TouchBegin})
_RELEASE = frozenset({QEvent.MouseButtonRelease, QEvent.TouchEnd, QEvent.TouchCancel,
                      QEvent.Leave, QEvent.Hide})


class LongPress(QObject):
    """Emits ``triggered`` once when ``widget`` has been held down for ``hold_ms``."""

    triggered = Signal()

    def __init__(self, widget: QWidget, hold_ms: int = 3000) -> None:
        super().__init__(widget)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(hold_ms)
        self._timer.timeout.connect(self.triggered)
        widget.installEventFilter(self)

    @property
    def pressing(self) -> bool:
        return self._timer.isActive()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        kind = event.type()
        if kind in _PRESS:
            self._timer.start()
        elif kind in _RELEASE:
            self._timer.stop()
        return False
