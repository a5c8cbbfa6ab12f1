"""A keyboard-mode scanner typing into the window, told apart from a person typing.

When a keyboard-wedge scanner cannot be read from its own input device (no access to
``/dev/input``, or it is not the configured one), its keystrokes reach the window like a
keyboard's. A scanner types a whole code in a burst, keys a few milliseconds apart, and ends it
with Enter; people type keys a tenth of a second or more apart. So: characters arriving at most
``max_gap_s`` apart, at least ``min_length`` of them, then Enter within the same gap, are a scan.
Nothing is held back while a burst is under way (a person's typing is never delayed or lost);
once the Enter shows it was a scan, the field it landed in gets its earlier text back, the Enter
is swallowed, and ``scanned`` is emitted with the code.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import QApplication, QLineEdit

__all__ = ["WedgeFilter"]

_ENTER = {Qt.Key.Key_Return, Qt.Key.Key_Enter}


class WedgeFilter(QObject):
    scanned = Signal(str)

    def __init__(self, parent: QObject | None = None, *, max_gap_s: float = 0.03,
                 min_length: int = 8, clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(parent)
        self.max_gap_s, self.min_length = max_gap_s, min_length
        self.clock = clock
        self._chars: list[str] = []
        self._last = 0.0
        self._field: QLineEdit | None = None
        self._field_text = ""

    def install(self) -> None:
        QApplication.instance().installEventFilter(self)

    def remove(self) -> None:
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        self._reset()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() != QEvent.Type.KeyPress or not watched.isWidgetType():
            return False
        now = self.clock()
        fast = bool(self._chars) and now - self._last <= self.max_gap_s
        if event.key() in _ENTER:
            if fast and len(self._chars) >= self.min_length:
                text = "".join(self._chars)
                self._restore_field()
                self._reset()
                self.scanned.emit(text)
                return True
            self._reset()
            return False
        char = event.text()
        if len(char) != 1 or not char.isprintable():
            return False  # Shift and other keys without text do not end a burst
        if not fast:
            self._reset()
            focus = QApplication.focusWidget()
            if isinstance(focus, QLineEdit):
                self._field, self._field_text = focus, focus.text()
        self._chars.append(char)
        self._last = now
        return False

    def _restore_field(self) -> None:
        field = self._field
        if field is not None:
            try:
                field.setText(self._field_text)
            except RuntimeError:  # the field was deleted meanwhile
                pass

    def _reset(self) -> None:
        self._chars.clear()
        self._field, self._field_text = None, ""
