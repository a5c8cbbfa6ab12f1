"""The keyboard never covers the field being typed."""

from __future__ import annotations

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QLineEdit, QScrollArea, QVBoxLayout, QWidget

from ui.keyboard import OnScreenKeyboard, dock, place_keyboard


@given(wx=st.integers(-2000, 2000), wy=st.integers(-2000, 2000), ww=st.integers(300, 2000),
       wh=st.integers(300, 1600), fx=st.integers(0, 1000), fy=st.floats(0, 1), fw=st.integers(20, 600),
       fh=st.integers(20, 120), kh=st.integers(100, 500), margin=st.integers(0, 16))
def test_dock_never_overlaps_the_field(wx, wy, ww, wh, fx, fy, fw, fh, kh, margin):
    assume(fh + kh + margin <= wh)
    window = QRect(wx, wy, ww, wh)
    field = QRect(wx + fx, wy + int(fy * (wh - fh)), fw, fh)  # the field lies inside the window
    placement = dock(field, window, kh, margin)
    moved = field.translated(0, -placement.scroll_by)
    assert placement.scroll_by >= 0
    assert not placement.rect.intersects(moved.adjusted(0, -margin, 0, margin))
    assert window.contains(placement.rect) and placement.rect.width() == ww
    assert moved.top() >= window.top()  # scrolling never pushes the field off the top
    if placement.edge == "top":
        assert placement.scroll_by == 0


def test_bottom_by_default_and_top_for_a_low_field():
    window = QRect(0, 0, 1280, 800)
    assert dock(QRect(100, 100, 400, 60), window, 380).edge == "bottom"
    low = dock(QRect(100, 700, 400, 60), window, 380)
    assert low.edge == "top" and low.rect == QRect(0, 0, 1280, 380) and low.scroll_by == 0


@pytest.mark.gui
@pytest.mark.qt_log_ignore("propagateSizeHints")
def test_place_keyboard_scrolls_a_field_in_the_middle(qtbot):
    window = QWidget()
    window.resize(900, 600)
    area = QScrollArea(window)
    area.setGeometry(0, 0, 900, 600)
    content = QWidget()
    column = QVBoxLayout(content)
    column.addSpacing(300)
    field = QLineEdit(content)
    column.addWidget(field)
    column.addSpacing(900)
    area.setWidget(content)
    area.setWidgetResizable(True)
    keyboard = OnScreenKeyboard(window)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    placement = place_keyboard(keyboard, field, window)
    assert placement.scroll_by > 0 and area.verticalScrollBar().value() == placement.scroll_by
    field_now = QRect(field.mapTo(window, QPoint(0, 0)), field.size())
    assert not keyboard.geometry().intersects(field_now)
    assert keyboard.isVisible() and keyboard.geometry().bottom() == window.rect().bottom()
