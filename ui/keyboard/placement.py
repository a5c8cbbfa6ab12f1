"""Where the on-screen keyboard goes so that it never covers the field being typed.

Pure geometry on global rectangles (``dock``) plus a helper that applies it to widgets
(``place_keyboard``): the keyboard docks at the bottom of the window; when the field sits in the
lower part it docks at the top instead; when the window is too short for either, it docks at the
bottom and the field's scroll area is scrolled up by the amount returned.
"""

from __future__ import annotations

import dataclasses
from typing import Literal

from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QAbstractScrollArea, QWidget

__all__ = ["Placement", "dock", "place_keyboard"]


@dataclasses.dataclass(frozen=True)
class Placement:
    rect: QRect  # the keyboard's rectangle, in the same (global) coordinates as the inputs
    edge: Literal["bottom", "top"]
    scroll_by: int  # pixels the field must move up (scroll its area down) to stay visible; 0: none


def dock(field: QRect, window: QRect, height: int, margin: int = 8) -> Placement:
    """The keyboard's place for a ``height``-pixel keyboard across the full ``window`` width.

    The field is clear of the keyboard by ``margin`` pixels, after scrolling by ``scroll_by``.
    That is always possible when ``field.height() + height + margin <= window.height()``.
    """
    height = min(height, window.height())
    bottom = QRect(window.left(), window.bottom() - height + 1, window.width(), height)
    top = QRect(window.left(), window.top(), window.width(), height)
    if field.bottom() + margin < bottom.top():
        return Placement(bottom, "bottom", 0)
    if field.top() - margin > top.bottom():
        return Placement(top, "top", 0)
    return Placement(bottom, "bottom", field.bottom() + margin - bottom.top() + 1)


def _scroll_area_of(widget: QWidget) -> QAbstractScrollArea | None:
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QAbstractScrollArea):
            return parent
        parent = parent.parentWidget()
    return None


def place_keyboard(keyboard: QWidget, field: QWidget, window: QWidget, margin: int = 8) -> Placement:
    """Dock ``keyboard`` (a child of ``window``) clear of ``field`` and scroll when needed.

    Returns the placement (global coordinates) so a screen can add room at the bottom when the
    scroll area could not move far enough.
    """
    field_rect = QRect(field.mapToGlobal(QPoint(0, 0)), field.size())
    window_rect = QRect(window.mapToGlobal(QPoint(0, 0)), window.size())
    height = keyboard.sizeHint().height()
    placement = dock(field_rect, window_rect, height, margin)
    if placement.scroll_by > 0 and (area := _scroll_area_of(field)) is not None:
        bar = area.verticalScrollBar()
        bar.setValue(bar.value() + placement.scroll_by)
    local = placement.rect.translated(-window_rect.topLeft())
    keyboard.setGeometry(local)
    keyboard.raise_()
    keyboard.show()
    return placement
