"""Small building blocks shared by the screens: buttons with a visual role, text labels, cards."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

__all__ = ["Card", "ElidedLabel", "ProblemLabel", "button", "clear_layout", "label"]


def button(role: str = "secondary", parent: QWidget | None = None, *, name: str = "") -> QPushButton:
    """A large touch button; ``role`` (primary, secondary, quiet, danger) picks its QSS style."""
    widget = QPushButton(parent)
    widget.setProperty("role", role)
    widget.setCursor(Qt.PointingHandCursor)
    widget.setFocusPolicy(Qt.StrongFocus)
    widget.setMinimumHeight(64)
    if name:
        widget.setObjectName(name)
    return widget


def label(kind: str = "body", parent: QWidget | None = None, *, wrap: bool = True) -> QLabel:
    """A text label; ``kind`` (title, subtitle, body, caption, problem...) picks its QSS style."""
    widget = QLabel(parent)
    widget.setProperty("kind", kind)
    widget.setWordWrap(wrap)
    widget.setTextFormat(Qt.PlainText)
    widget.setSizePolicy(QSizePolicy.Preferred, QSizePolicy.Preferred)
    return widget


class Card(QFrame):
    """A white panel with a soft border that groups related content."""

    def __init__(self, parent: QWidget | None = None, *, kind: str = "card") -> None:
        super().__init__(parent)
        self.setProperty("kind", kind)
        self.body = QVBoxLayout(self)
        self.body.setContentsMargins(26, 18, 26, 18)
        self.body.setSpacing(12)


def clear_layout(layout) -> None:
    """Remove and delete every item of ``layout`` (used to wipe citizen data, not just hide it)."""
    while layout.count():
        item = layout.takeAt(0)
        widget = item.widget()
        if widget is not None:
            widget.hide()
            widget.setParent(None)
            widget.deleteLater()
        elif item.layout() is not None:
            clear_layout(item.layout())


class ElidedLabel(QLabel):
    """One line that gives way: shortened with "…" in the middle when its room is narrower than
    its text (the whole text is its tooltip)."""

    def __init__(self, kind: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("kind", kind)
        self.setTextFormat(Qt.PlainText)
        self.setSizePolicy(QSizePolicy.Preferred, QSizePolicy.Preferred)
        self._full = ""

    def setText(self, text: str) -> None:  # noqa: N802 - Qt API
        self._full = text
        self.setToolTip(text)
        self._elide()

    def full_text(self) -> str:
        return self._full

    def sizeHint(self):  # noqa: N802 - Qt API
        hint = super().sizeHint()
        hint.setWidth(self.fontMetrics().horizontalAdvance(self._full) + 2)
        return hint

    def minimumSizeHint(self):  # noqa: N802 - Qt API
        hint = super().minimumSizeHint()
        hint.setWidth(min(self.sizeHint().width(), self.fontMetrics().horizontalAdvance("M…M") + 2))
        return hint

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        shown = self.fontMetrics().elidedText(self._full, Qt.ElideMiddle, max(self.width() - 2, 1))
        super().setText(shown)


class ProblemLabel(QLabel):
    """A problem sentence that takes no room when there is no problem."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("kind", "problem")
        self.setWordWrap(True)
        self.setTextFormat(Qt.PlainText)
        self.hide()

    def setText(self, text: str) -> None:  # noqa: N802 - Qt API
        super().setText(text)
        self.setVisible(bool(text))

    def clear(self) -> None:
        super().clear()
        self.hide()


def cover(overlay: QWidget, window: QWidget, card: QWidget) -> None:
    """Lay ``overlay`` over the whole of ``window`` and show it on top, its ``card`` as tall as
    its words need at the card's width (a wrapped label would otherwise be cut)."""
    overlay.setGeometry(window.rect())
    layout = card.layout()
    layout.activate()
    height = layout.totalHeightForWidth(card.width())
    if height > 0:
        card.setMinimumHeight(height)
    overlay.raise_()
    overlay.show()
