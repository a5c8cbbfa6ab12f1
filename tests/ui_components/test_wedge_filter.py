"""A keyboard-mode scanner typing into the window is recognised by its speed and its Enter; a
person typing the same keys is left alone."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from ui.wedge_filter import WedgeFilter

pytestmark = pytest.mark.gui


class Clock:
    def __init__(self, step: float) -> None:
        self.now, self.step = 100.0, step

    def __call__(self) -> float:
        self.now += self.step
        return self.now


@pytest.fixture
def field(qtbot):
    edit = QLineEdit()
    qtbot.addWidget(edit)
    edit.show()
    edit.setFocus()
    qtbot.waitUntil(edit.hasFocus)
    return edit


@pytest.fixture
def wedge(qtbot):
    filter_ = WedgeFilter(clock=Clock(0.004))
    filter_.install()
    yield filter_
    filter_.remove()


def test_a_fast_burst_ending_in_enter_is_a_scan_and_the_field_keeps_its_text(qtbot, field,
                                                                               wedge):
    field.setText("09")
    entered = []
    field.returnPressed.connect(lambda: entered.append(True))
    with qtbot.waitSignal(wedge.scanned) as got:
        qtbot.keyClicks(field, "MCK1|H12.22.10-261127-0001")
        qtbot.keyClick(field, Qt.Key_Return)
    assert got.args == ["MCK1|H12.22.10-261127-0001"]
    assert field.text() == "09" and entered == []  # the Enter was the scanner's, not the person's


def test_a_person_typing_is_not_a_scan(qtbot, field, wedge):
    wedge.clock = Clock(0.15)  # a key every 150 ms
    entered, scanned = [], []
    wedge.scanned.connect(scanned.append)
    field.returnPressed.connect(lambda: entered.append(True))
    qtbot.keyClicks(field, "079195012345")
    qtbot.keyClick(field, Qt.Key_Return)
    assert field.text() == "079195012345" and entered == [True] and scanned == []


def test_a_short_fast_burst_is_typing(qtbot, field, wedge):
    scanned = []
    wedge.scanned.connect(scanned.append)
    qtbot.keyClicks(field, "ok")
    qtbot.keyClick(field, Qt.Key_Return)
    assert scanned == [] and field.text() == "ok"
