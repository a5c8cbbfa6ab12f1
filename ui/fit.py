"""Finds text a citizen cannot read whole: a label, button or field whose text does not fit the
room it was given, or a widget squeezed below the size it needs, or pushed outside what its
parents show. Used by the fit test and ``make screenshots`` on every screen, in every text size,
contrast and language.

What counts as clipped, for each visible widget of a window:

- a label: its text, laid out at the label's width (wrapped if it wraps), needs more height or
  width than the label has, including the ink of stacked Vietnamese tone marks ("Ấ", "Ệ") that
  reach above the font's ascent on the first line;
- a button: its text needs more room than the button's contents (inside padding and border);
- a line edit: shorter than the line of text it needs;
- any of them: smaller than its minimum size (the layout ran out of room), or not wholly inside
  each parent up to the window (a scroll area's content may reach past its viewport: it scrolls).

Every problem is one line naming the widget (its object name or class, and its text).
"""

from __future__ import annotations

from collections.abc import Iterator

from PySide6.QtCore import QCoreApplication, QPoint, QRect, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (QAbstractButton, QAbstractScrollArea, QLabel, QLineEdit, QStyle,
                               QStyleOptionButton, QWidget)

__all__ = ["clipped_widgets", "describe", "settle_layout"]

#: pixels of slack before a shortfall counts (anti-aliasing, rounding of scaled sizes)
TOLERANCE = 1


def describe(widget: QWidget) -> str:
    name = widget.objectName() or type(widget).__name__
    text = getattr(widget, "text", None)
    shown = " ".join(text().split()) if callable(text) else ""
    return f"{name} {shown[:60]!r}" if shown else name


def settle_layout(window: QWidget, max_passes: int = 12) -> None:
    """Run the posted events (layout requests, a scroll bar shown or hidden, a label re-wrapped at
    its new width) pass after pass until no visible widget of ``window`` moves or resizes: a
    chain of layout passes ends when it ends, however busy the machine, not after a set time."""
    shown = None
    for _ in range(max_passes):
        QCoreApplication.sendPostedEvents()
        QCoreApplication.processEvents()
        now = [widget.geometry().getRect() for widget in window.findChildren(QWidget) if widget.isVisible()]
        if now == shown:
            return
        shown = now


def clipped_widgets(window: QWidget) -> list[str]:
    """One line per widget of ``window`` whose text is clipped (empty when everything fits)."""
    problems = []
    for widget in _checked(window):
        reason = _own_problem(widget) or _outside_parents(widget, window)
        if reason:
            problems.append(f"{describe(widget)}: {reason}")
    return problems


def _checked(window: QWidget) -> Iterator[QWidget]:
    for kind in (QLabel, QAbstractButton, QLineEdit):
        for widget in window.findChildren(kind):
            if widget.isVisible():
                yield widget


def _own_problem(widget: QWidget) -> str:
    minimum = widget.minimumSizeHint().expandedTo(widget.minimumSize())
    if isinstance(widget, QLabel) and widget.wordWrap():
        minimum.setHeight(0)  # a wrapping label's own minimum is one line: checked below instead
    if widget.width() + TOLERANCE < minimum.width() or widget.height() + TOLERANCE < minimum.height():
        return (f"squeezed to {widget.width()}x{widget.height()}, needs at least "
                f"{minimum.width()}x{minimum.height()}")
    if isinstance(widget, QLabel):
        return _label_problem(widget)
    if isinstance(widget, QAbstractButton):
        return _button_problem(widget)
    return _line_edit_problem(widget) if isinstance(widget, QLineEdit) else ""


def _label_problem(label: QLabel) -> str:
    text = label.text()
    if not text.strip() or label.textFormat() == Qt.TextFormat.RichText:
        return ""
    room = label.contentsRect()
    indent = max(label.margin(), 0)
    room.adjust(indent, indent, -indent, -indent)
    metrics = QFontMetrics(label.font())
    flags = int(label.alignment()) | (int(Qt.TextFlag.TextWordWrap) if label.wordWrap() else 0)
    laid = metrics.boundingRect(QRect(0, 0, max(room.width(), 1), 100_000), flags, text)
    ink = _first_line_ink(metrics, text)
    need_h = laid.height() + ink
    if laid.width() > room.width() + TOLERANCE:
        return f"text needs {laid.width()} px wide, has {room.width()}"
    if need_h > room.height() + TOLERANCE:
        return f"text needs {need_h} px high, has {room.height()}"
    return ""


def _first_line_ink(metrics: QFontMetrics, text: str) -> int:
    """Pixels by which the first line's tone marks reach above the font's ascent (0 mostly)."""
    first = text.split("\n", 1)[0]
    return max(0, -metrics.tightBoundingRect(first).top() - metrics.ascent()) if first else 0


def _button_problem(button: QAbstractButton) -> str:
    text = button.text().replace("&&", "\x00").replace("&", "").replace("\x00", "&")
    if not text.strip():
        return ""
    option = QStyleOptionButton()
    option.initFrom(button)
    option.text = text
    room = button.style().subElementRect(QStyle.SubElement.SE_PushButtonContents, option, button)
    if not room.isValid():
        room = button.contentsRect()
    metrics = QFontMetrics(button.font())
    laid = metrics.boundingRect(QRect(0, 0, 100_000, 100_000), Qt.AlignmentFlag.AlignCenter, text)
    icon = button.iconSize().width() + 4 if not button.icon().isNull() else 0
    need_w, need_h = laid.width() + icon, laid.height() + _first_line_ink(metrics, text)
    if need_w > room.width() + TOLERANCE:
        return f"text needs {need_w} px wide, has {room.width()}"
    if need_h > room.height() + TOLERANCE:
        return f"text needs {need_h} px high, has {room.height()}"
    return ""


def _line_edit_problem(edit: QLineEdit) -> str:
    need = edit.minimumSizeHint().height()
    if edit.height() + TOLERANCE < need:
        return f"{edit.height()} px high, a line of its text needs {need}"
    return ""


def _outside_parents(widget: QWidget, window: QWidget) -> str:
    """Each widget from ``widget`` up to the window must lie inside its parent, except scrolled
    content inside a scroll area's viewport (the area itself must then lie inside its parent)."""
    child = widget
    while child is not window:
        parent = child.parentWidget()
        if parent is None:
            break
        area = parent.parentWidget()
        if isinstance(area, QAbstractScrollArea) and area.viewport() is parent:
            child = area  # content scrolls inside the viewport: check the area in its parent
            continue
        inside = QRect(QPoint(0, 0), parent.size()).adjusted(-TOLERANCE, -TOLERANCE, TOLERANCE,
                                                             TOLERANCE)
        if not inside.contains(child.geometry()):
            return f"{describe(child)} reaches outside {describe(parent)} " \
                   f"({_box(child.geometry())} in {parent.width()}x{parent.height()})"
        child = parent
    return ""


def _box(rect: QRect) -> str:
    return f"{rect.width()}x{rect.height()} at {rect.x()},{rect.y()}"
