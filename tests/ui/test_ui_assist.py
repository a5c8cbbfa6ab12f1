"""The on-screen keyboard wired into the real window: it follows the focused field without
covering it, in every text size and contrast."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect, Qt

from kiosk.domain.flow import Step
from test_ui_journey import CRIMINAL_RECORD, choose, click, identify_with_card
from ui.keyboard import Layout
from ui.look import TEXT_SIZES, Look
from ui_helpers import show_page_of

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]


def window_rect(widget, window) -> QRect:
    return QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())


def focus(qtbot, window, field) -> None:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)
    field.setFocus(Qt.OtherFocusReason)
    qtbot.waitUntil(lambda: window.keyboard_dock.isVisible(), timeout=5000)


@pytest.fixture
def form(qtbot, window, services, profile):
    identify_with_card(qtbot, window, services, profile)
    choose(qtbot, window, CRIMINAL_RECORD)
    return window.screens[Step.FORM]


def test_phone_field_raises_the_phone_keyboard_clear_of_the_field(qtbot, window, form):
    dock = window.keyboard_dock
    assert not dock.isVisible()
    show_page_of(form, "phone")
    line = form.rows["phone"].editor.line
    focus(qtbot, window, line)
    assert dock.keyboard.target is line and dock.keyboard.layout_kind is Layout.PHONE
    qtbot.waitUntil(lambda: not window_rect(dock, window).intersects(window_rect(line, window)),
                    timeout=5000)
    for digit in "0912345678":
        click(qtbot, dock.keyboard.keys[digit])
    assert line.text() == "0912345678" and line.hasFocus()  # the keys never take the focus
    click(qtbot, dock.hide_button)
    assert not dock.isVisible() and line.hasFocus()
    qtbot.mouseClick(line, Qt.LeftButton)  # touching the field again brings it back
    assert dock.isVisible()


def test_text_field_composes_vietnamese_and_the_keyboard_goes_with_the_screen(qtbot, window, form):
    line = form.rows["residence"].editor.line
    line.clear()
    focus(qtbot, window, line)
    keyboard = window.keyboard_dock.keyboard
    assert keyboard.layout_kind is Layout.TEXT and keyboard.method == "telex"
    assert not window_rect(window.keyboard_dock, window).intersects(window_rect(line, window))
    for key in ["shift", *"thoon", "space", *"ddoong"]:
        click(qtbot, keyboard.keys[key])
    assert line.text() == "Thôn đông"
    click(qtbot, form.back_button)
    assert window.flow.step is Step.REQUIREMENTS
    assert not window.keyboard_dock.isVisible() and keyboard.target is None


@pytest.mark.parametrize("size", TEXT_SIZES)
def test_search_results_stay_in_sight_above_the_keyboard(qtbot, window, services, profile, size):
    identify_with_card(qtbot, window, services, profile)
    window.looks.set_look(Look(size))
    screen = window.screens[Step.CHOOSE]
    focus(qtbot, window, screen.search)
    dock = window.keyboard_dock
    for key in "ly lich":
        click(qtbot, dock.keyboard.keys["space" if key == " " else key])
    assert [tile.procedure.code for tile in screen.buttons] == [CRIMINAL_RECORD]
    tile = screen.buttons[0]
    qtbot.waitUntil(lambda: tile.isVisible() and tile.height() > tile.name.height() > 10 and not window_rect(
        dock, window).intersects(window_rect(tile, window)), timeout=2000)
    assert window.rect().contains(window_rect(tile, window)) and tile.isVisible()
    click(qtbot, tile)  # the result can be chosen with the keyboard still up
    assert window.flow.step is Step.REQUIREMENTS and not dock.isVisible()
    assert screen.title.isVisible() is False or not screen.isVisible()
    click(qtbot, window.screens[Step.REQUIREMENTS].back_button)
    assert screen.title.isVisible() and screen.back_button.isVisible()  # back as it was


@pytest.mark.parametrize("size", TEXT_SIZES)
def test_the_keyboard_never_covers_any_form_field_in_any_text_size(qtbot, window, form, size):
    window.looks.set_look(Look(size, contrast=size == "large"))
    qtbot.wait(50)  # let the new theme's sizes settle
    dock = window.keyboard_dock
    lines = [(index, row) for index, page in enumerate(form.pages) for row in
             (form.rows[field_id] for field_id in page.field_ids)]
    for index, row in lines:  # every page of the form, and every text field on it
        if form.page_index != index:
            form.go_to_page(index)
        line = getattr(row.editor, "line", None)
        if line is None or not line.isVisible():
            continue
        focus(qtbot, window, line)
        assert dock.keyboard.target is line
        viewport = window_rect(form.scroll.viewport(), window)
        try:
            qtbot.waitUntil(lambda line=line, viewport=viewport: not dock.covers(line)
                            and viewport.contains(window_rect(line, window)), timeout=2000)
        except Exception:
            raise AssertionError((size, row.field.id if hasattr(row, "field") else line,
                                  viewport, window_rect(line, window), dock.geometry(),
                                  dock.placement)) from None
    assert dock.height() + 60 <= window.height()
