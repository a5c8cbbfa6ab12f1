"""A problem that appears never moves a key: a second tap lands where the first did (a citizen
tapping again must not hit something else)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QAbstractButton

from kiosk.domain.flow import Step
from test_ui_journey import CRIMINAL_RECORD, choose, click, identify_with_card
from ui_helpers import show_page_of

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]


def keys_in_window(window) -> dict[int, QRect]:
    """Where every key the citizen can see is, in window coordinates."""
    return {id(key): QRect(key.mapTo(window, QPoint(0, 0)), key.size())
            for key in window.findChildren(QAbstractButton) if key.isVisible()}


def moved(before: dict[int, QRect], after: dict[int, QRect]) -> list[QRect]:
    return [rect for key, rect in before.items() if key in after and after[key] != rect]


def test_an_id_number_problem_leaves_the_keypad_and_buttons_in_place(qtbot, window):
    click(qtbot, window.screens[Step.WELCOME].primary_button)
    identify = window.screens[Step.IDENTIFY]
    for digit in "000195012345":  # not a province code
        click(qtbot, identify.keypad.digit_buttons[digit])
    before = keys_in_window(window)
    click(qtbot, identify.primary_button)
    assert identify.id_problem.isVisible()
    qtbot.wait(20)
    assert moved(before, keys_in_window(window)) == []


def test_a_form_problem_leaves_every_key_in_place(qtbot, window, services, profile):
    identify_with_card(qtbot, window, services, profile)
    choose(qtbot, window, CRIMINAL_RECORD)
    form = window.screens[Step.FORM]
    show_page_of(form, "copies")
    form.rows["copies"].editor.set_value("99")
    qtbot.wait(20)
    before = keys_in_window(window)
    click(qtbot, form.primary_button)
    assert form.summary.isVisible() and form.rows["copies"].problem.isVisible()
    qtbot.wait(20)
    assert moved(before, keys_in_window(window)) == []
