"""The accessibility components wired into the real window: the on-screen keyboard follows the
focused field without covering it, and "Read aloud" speaks the current screen (mock engine)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect, Qt

from kiosk.domain.flow import Step
from test_ui_journey import CRIMINAL_RECORD, choose, click, identify_with_card
from ui.keyboard import Layout
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


def test_read_aloud_speaks_the_current_screen_in_its_language(qtbot, window, services, profile):
    button = window.read_aloud_button
    assert button.isVisible() and button.text() == "Đọc to"
    with qtbot.waitSignal(window.narrator.said, timeout=5000) as spoken:
        click(qtbot, button)
    welcome = window.screens[Step.WELCOME]
    assert spoken.args[0].startswith(welcome.title.text())
    identify_with_card(qtbot, window, services, profile)
    choose(qtbot, window, CRIMINAL_RECORD)
    window.set_language("en")
    assert button.text() == "Read aloud"
    with qtbot.waitSignal(window.narrator.said, timeout=5000) as spoken:
        click(qtbot, button)
    assert spoken.args[0].startswith("Check the details from your card. Criminal record "
                                     "certificate for Vietnamese citizens")
    assert window.narrator.language == "en"
    click(qtbot, window.screens[Step.FORM].back_button)
    with qtbot.waitSignal(window.narrator.said, timeout=5000) as spoken:
        click(qtbot, button)
    assert spoken.args[0] == ("What you need. Read the list below. Papers you must bring are listed "
                              "first. Then tap “Continue”")


@pytest.fixture
def themed():
    """Apply a real theme (bigger keys, bigger fields) and put the plain look back afterwards."""
    from PySide6.QtWidgets import QApplication

    from ui.look import apply_theme

    app = QApplication.instance()
    font = app.font()
    yield lambda theme: apply_theme(app, theme)
    app.setStyleSheet("")
    app.setFont(font)


@pytest.mark.parametrize("theme", ["normal", "large", "contrast"])
def test_the_keyboard_never_covers_any_form_field_in_any_theme(qtbot, window, form, themed, theme):
    themed(theme)
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
            raise AssertionError((theme, row.field.id if hasattr(row, "field") else line,
                                  viewport, window_rect(line, window), dock.geometry(),
                                  dock.placement)) from None
    assert dock.height() + 60 <= window.height()
