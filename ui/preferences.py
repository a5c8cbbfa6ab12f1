"""The citizen's own settings for their session: text size ("Aa": normal, large, largest in turn)
and high contrast from the header, applied at once to the whole application, read aloud, and the
language. ``CitizenSettings.reset()`` puts IT's defaults back when the session ends, so the next
citizen starts from the kiosk's own look, language and silence."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication, QPushButton, QWidget

from ui.look import Look, apply_look
from ui.reading import ReadAloud

__all__ = ["CitizenSettings", "LookChooser"]


class LookChooser(QObject):
    """Drives the header's "Aa" and contrast keys; ``look_changed`` after a new look is applied."""

    look_changed = Signal(object)  # the Look now shown

    def __init__(self, default: Look, size_key: QPushButton, contrast_key: QPushButton,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.default = self.look = default
        self._contrast_key = contrast_key
        contrast_key.setChecked(default.contrast)
        size_key.clicked.connect(self.larger)
        contrast_key.toggled.connect(self.set_contrast)
        self._show_size(size_key)
        self.look_changed.connect(lambda _look: self._show_size(size_key))

    def larger(self) -> None:
        """The next text size (after the largest, back to normal)."""
        self.set_look(self.look.larger())

    def set_contrast(self, on: bool) -> None:
        self.set_look(self.look.with_contrast(on))

    def set_look(self, look: Look) -> None:
        if look == self.look:
            return
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_look(app, look)
        self.look = look
        if self._contrast_key.isChecked() != look.contrast:
            self._contrast_key.blockSignals(True)
            self._contrast_key.setChecked(look.contrast)
            self._contrast_key.blockSignals(False)
        self.look_changed.emit(look)

    def reset(self) -> None:
        """IT's default look, for the next citizen."""
        self.set_look(self.default)

    def _show_size(self, key: QPushButton) -> None:
        """The key says which size is on (QSS styles ``text_size``: a bigger "Aa" for a bigger size)."""
        key.setProperty("text_size", self.look.size)
        key.style().unpolish(key)
        key.style().polish(key)


class CitizenSettings(QObject):
    """The header's look and reading keys (``header.text_size``, ``.contrast``, ``.read_aloud``),
    and the session-end reset of all three settings. ``look`` is IT's, already applied;
    ``relayout()`` is called after a new look (words measured for the old size are measured
    again); ``language()``/``set_language(code)`` are the window's; ``default_language`` is IT's.
    """

    def __init__(self, header: Any, narrator: Any, page: Callable[[], QWidget], look: Look, *,
                 default_language: str, language: Callable[[], str],
                 set_language: Callable[[str], None], relayout: Callable[[], None],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.reading = ReadAloud(narrator, header.read_aloud, page, self)
        self.looks = looks = LookChooser(look, header.text_size, header.contrast, self)
        self._default_language, self._language, self._set_language = \
            default_language, language, set_language
        looks.look_changed.connect(lambda _look: relayout())

    def reset(self) -> None:
        """The session ended: IT's look and language, and no reading aloud, for the next citizen."""
        self.reading.reset()
        self.looks.reset()
        if self._language() != self._default_language:
            self._set_language(self._default_language)
