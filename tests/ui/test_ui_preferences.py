"""The citizen's own settings, on every screen's header: "Aa" cycles three text sizes and the
contrast key turns high contrast on, both at once for the whole window; the session's end puts
IT's look, the kiosk's language and silent reading back for the next citizen."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from kiosk.domain.flow import Step
from test_ui_journey import click
from ui.look import Look

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]


def body_pixels() -> int:
    return QApplication.instance().font().pixelSize()


def test_text_size_and_contrast_apply_at_once_and_are_wiped_at_session_end(qtbot, window):
    header = window.header
    click(qtbot, window.screens[Step.WELCOME].primary_button)
    identify = window.screens[Step.IDENTIFY]
    assert window.looks.look == Look()
    title_before = identify.title.sizeHint().height()
    click(qtbot, header.text_size)
    assert window.looks.look == Look("large") and body_pixels() == 24
    assert identify.title.sizeHint().height() > title_before  # the screen shown grew at once
    assert header.text_size.property("text_size") == "large"
    click(qtbot, header.text_size)
    assert window.looks.look.size == "largest" and body_pixels() == 28
    click(qtbot, header.contrast)
    assert window.looks.look == Look("largest", contrast=True) and header.contrast.isChecked()
    assert "#FFD400" in QApplication.instance().styleSheet()  # the high-contrast colours
    click(qtbot, header.language.buttons["en"])
    assert identify.title.text() == "Who is applying?"
    click(qtbot, header.read_aloud)
    assert window.reading.on
    click(qtbot, identify.cancel_button)
    click(qtbot, window.overlay.yes_button)  # "Yes, stop and delete"
    assert window.flow.step is Step.WELCOME
    assert window.looks.look == Look() and body_pixels() == 20 and not header.contrast.isChecked()
    assert window.language == "vi" and not window.reading.on


def test_the_size_key_cycles_back_to_normal_and_every_key_is_on_every_screen(qtbot, window):
    header = window.header
    for size in ("large", "largest", "normal"):
        click(qtbot, header.text_size)
        assert window.looks.look.size == size
    for step in (Step.WELCOME, Step.IDENTIFY):
        if window.flow.step is not step:
            click(qtbot, window.screens[Step.WELCOME].primary_button)
        for key in (header.text_size, header.contrast, header.read_aloud):
            assert key.isVisible() and key.width() >= 44 and key.height() >= 44, key.objectName()
