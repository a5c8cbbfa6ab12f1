"""Staff at the counter type a name on a USB keyboard into the real form: Telex composes it as the
on-screen keys would, the on-screen method key switches both, and other fields stay as typed."""

from __future__ import annotations

import unicodedata

import pytest
from PySide6.QtCore import Qt

from kiosk.domain.flow import Step
from test_ui_journey import CRIMINAL_RECORD, choose, click, identify_with_card
from ui_helpers import show_page_of

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]


def focus(qtbot, window, line) -> None:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)
    line.setFocus(Qt.OtherFocusReason)
    qtbot.waitUntil(lambda: window.keyboard_dock.physical.field is line, timeout=5000)


def test_a_usb_keyboard_types_a_vietnamese_name_into_the_form(qtbot, window, services, profile):
    identify_with_card(qtbot, window, services, profile)
    choose(qtbot, window, CRIMINAL_RECORD)
    form = window.screens[Step.FORM]
    name = form.rows["full_name"].editor.line
    focus(qtbot, window, name)
    name.selectAll()
    qtbot.keyClick(name, Qt.Key_Backspace)
    qtbot.keyClicks(name, "Nguyeenx Vawn Aan")
    assert name.text() == "Nguyễn Văn Ân" and unicodedata.is_normalized("NFC", name.text())
    assert form.answers()["full_name"] == "Nguyễn Văn Ân"

    dock = window.keyboard_dock
    click(qtbot, dock.keyboard.keys["method"])  # VNI chosen on the screen applies to the USB keys
    assert dock.physical.method == "vni" and name.hasFocus()
    qtbot.keyClicks(name, " Tha6n")
    assert name.text() == "Nguyễn Văn Ân Thân"

    show_page_of(form, "phone")
    phone = form.rows["phone"].editor.line  # a phone field: VNI digits are just digits there
    focus(qtbot, window, phone)
    qtbot.keyClicks(phone, "0912345678")
    assert phone.text() == "0912345678"
    assert window.keyboard_dock.physical.composing == ""


def test_ctrl_alt_s_from_a_text_field_still_opens_staff_sign_in(qtbot, window, services, profile):
    identify_with_card(qtbot, window, services, profile)
    choose(qtbot, window, CRIMINAL_RECORD)
    show_page_of(window.screens[Step.FORM], "purpose")
    line = window.screens[Step.FORM].rows["purpose"].editor.line
    focus(qtbot, window, line)
    qtbot.keyClicks(line, "ma")
    mode = window.staff_mode
    with qtbot.waitSignal(mode.shortcut.activated, timeout=5000):
        qtbot.keyClick(line, Qt.Key_S, Qt.ControlModifier | Qt.AltModifier)
    assert mode.signin.isVisible() and line.text().endswith("ma")
