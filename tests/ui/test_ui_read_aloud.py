"""Read aloud in the real window (Qt's mock engine): the header key turns it on for the session,
each screen is read as it appears (choices, problems and the receipt included), numbers and codes
are spelled digit by digit, and the next citizen starts with it off."""

from __future__ import annotations

import pytest

from kiosk.domain.flow import Step
from test_ui_journey import CRIMINAL_RECORD, choose, click, fill_criminal_record_rest, \
    identify_with_card, submit_from_review
from ui_helpers import close_window, finish_form

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints", "pipewire")]


def said_after(qtbot, window, action) -> str:
    """What the narrator says after ``action`` (the last sentence handed to the engine)."""
    heard: list[str] = []
    window.narrator.said.connect(heard.append)
    try:
        action()
        qtbot.waitUntil(lambda: bool(heard), timeout=5000)
        qtbot.wait(20)  # a screen read right after a problem, say: take the last one
    finally:
        window.narrator.said.disconnect(heard.append)
    return heard[-1]


def test_read_aloud_is_off_until_asked_and_reads_each_new_screen(qtbot, window, services,
                                                                  profile):
    key = window.header.read_aloud
    assert key.isVisible() and key.isCheckable() and not key.isChecked()
    assert key.text().endswith("Đọc to")
    with qtbot.assertNotEmitted(window.narrator.said, wait=100):
        click(qtbot, window.screens[Step.WELCOME].status_button)  # off: nothing is said
    click(qtbot, window.status_screen.back_button)
    spoken = said_after(qtbot, window, lambda: click(qtbot, key))
    welcome = window.screens[Step.WELCOME]
    assert spoken.startswith(welcome.title.text()) and "Bắt đầu" in spoken  # its buttons too
    # every new screen is read as it appears, with its step spelled as words
    spoken = said_after(qtbot, window, lambda: click(qtbot, welcome.primary_button))
    assert spoken.startswith("Ai là người nộp hồ sơ?") and "Bước 1 trên 8" in spoken
    identify_with_card(qtbot, window, services, profile)
    choose_screen = window.screens[Step.CHOOSE]
    spoken = said_after(qtbot, window, lambda: choose_screen.enter())  # as arriving on it
    assert spoken.startswith(choose_screen.title.text())
    tiles = [tile.name.text() for tile in choose_screen.buttons]
    assert all(name in spoken for name in tiles)  # the choices are read, not only the title
    assert "200000 đồng" in spoken  # a fee as an amount, not "200 dot 000"


def test_a_problem_is_read_when_it_appears_and_codes_digit_by_digit(qtbot, window):
    said_after(qtbot, window, lambda: click(qtbot, window.header.read_aloud))
    said_after(qtbot, window, lambda: click(qtbot, window.screens[Step.WELCOME].primary_button))
    identify = window.screens[Step.IDENTIFY]
    identify.id_entry.setText("000195012345")  # not a province code
    spoken = said_after(qtbot, window, lambda: click(qtbot, identify.primary_button))
    assert spoken == "Ba số đầu không phải mã tỉnh. Vui lòng kiểm tra lại số."
    spoken = said_after(qtbot, window, window.reading.read_page)
    assert "0 0 0 1 9 5 0 1 2 3 4 5" in spoken  # the number typed, one digit at a time


def test_the_receipt_is_read_with_its_code_spelled_and_reading_ends_with_the_session(
        qtbot, window, services, profile):
    identify_with_card(qtbot, window, services, profile)
    choose(qtbot, window, CRIMINAL_RECORD)
    fill_criminal_record_rest(qtbot, window.screens[Step.FORM])
    assert finish_form(qtbot, window)
    click(qtbot, window.header.read_aloud)
    heard: list[str] = []
    window.narrator.said.connect(heard.append)
    submit_from_review(qtbot, window)
    qtbot.waitUntil(lambda: any(t.startswith("Xin cảm ơn") for t in heard), timeout=5000)
    receipt = next(t for t in heard if t.startswith("Xin cảm ơn"))
    code = window.screens[Step.RECEIPT].code.text()
    spelled = " ".join("chấm" if c == "." else "gạch ngang" if c == "-" else c for c in code)
    assert spelled in receipt and code not in receipt
    click(qtbot, window.screens[Step.RECEIPT].primary_button)  # "Done": the session ends
    assert window.flow.step is Step.WELCOME
    assert not window.header.read_aloud.isChecked() and not window.narrator.enabled


def test_the_kiosk_tells_the_fleet_whether_its_voice_works(qtbot, services, kiosk_config):
    """``kiosk run`` asks for the installed engine ("auto"): here the Vietnamese voice works."""
    from ui.main_window import MainWindow

    main = MainWindow(services, kiosk_config, narrator_engine="auto")
    try:
        assert main.header.read_aloud.isHidden() is False
        assert 'motcua_device_up{device="speech"} 1' in services.ops.metrics.render()
    finally:
        close_window(main)
