"""Reading the chip on the identify screen: progress in words, portrait and details with the
verification mark (verified, unchecked, failed), errors in plain words, and the key from the typed
ID number or the card's QR code for a reader that needs it (like a PC/SC reader)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from kiosk.domain.flow import Step
from kiosk.domain.paths import ASSETS_DIR
from ui_helpers import close_window, visible_texts, wait_chip_result, wait_step

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]

QR_DIR = ASSETS_DIR / "samples" / "qr"


@pytest.fixture
def open_window(qtbot, services, kiosk_config):
    """Build the main window, optionally with another (virtual) card reader first."""
    from ui.main_window import MainWindow

    made = []

    def build(reader=None):
        if reader is not None:
            services.card_reader = reader
        main = MainWindow(services, kiosk_config)
        main.resize(1280, 800)
        main.show()
        services.start_devices()
        qtbot.waitUntil(lambda: main.header.indicator.status is not None, timeout=10_000)
        made.append(main)
        return main

    yield build
    for main in made:
        close_window(main)


def click(qtbot, widget) -> None:
    qtbot.mouseClick(widget, Qt.LeftButton)


def type_id(qtbot, identify, number: str) -> None:
    identify.id_entry.clear()
    for digit in number:
        click(qtbot, identify.keypad.digit_buttons[digit])


def test_chip_read_shows_progress_in_words_then_portrait_and_verified_mark(qtbot, window,
                                                                           services, profile):
    identify = window.screens[Step.IDENTIFY]
    steps: list[str] = []
    values: list[int] = []
    window.card_bridge.read_progressed.connect(lambda *_: steps.append(identify.card_status.text()))
    identify.card_progress.valueChanged.connect(values.append)

    services.card_reader.insert(profile)
    wait_chip_result(qtbot, window)

    assert "Đang đọc ảnh chân dung…" in steps
    assert steps[-1] == "Đang kiểm tra thẻ có phải thẻ thật không…"
    assert len(values) > 20 and values == sorted(values) and values[-1] >= 90
    result = identify.result
    assert result.outcome == "verified"
    assert result.mark.text() == "✓  Đã xác thực bằng chip"
    assert result.name.text() == profile.full_name
    assert not result.portrait.pixmap().isNull()
    assert result.portrait.pixmap().width() > 100
    assert identify.primary_button.isEnabled()
    assert window.flow.step is Step.IDENTIFY  # the citizen confirms first
    window.set_language("en")
    assert result.mark.text() == "✓  Verified by chip"
    assert identify.primary_button.text().startswith("Yes, this is me")

    click(qtbot, identify.primary_button)

    assert window.flow.step is Step.CHOOSE
    assert window.flow.identity.source.value == "chip"
    assert window.flow.identity.full_name == profile.full_name
    assert result.portrait.pixmap().isNull()  # the portrait is wiped once it has served
    assert profile.full_name not in visible_texts(identify)


def test_back_from_the_chip_result_wipes_it_and_cancel_wipes_the_session(qtbot, window,
                                                                         services, profile):
    identify = window.screens[Step.IDENTIFY]
    services.card_reader.insert(profile)
    wait_chip_result(qtbot, window)
    click(qtbot, identify.back_button)
    assert not identify.showing_result and window.flow.step is Step.IDENTIFY
    assert identify.result.portrait.pixmap().isNull()
    assert profile.full_name not in " ".join(visible_texts(window.stack))
    services.card_reader.remove()
    services.card_reader.insert(profile)
    wait_chip_result(qtbot, window)
    window.flow.cancel()
    assert window.flow.step is Step.WELCOME
    assert identify.result.portrait.pixmap().isNull()
    assert profile.full_name not in " ".join(visible_texts(window.stack))


def test_unchecked_chip_is_explained_and_its_details_can_be_used(qtbot, open_window, services,
                                                                  profile, tmp_path):
    from devices.card.virtual import VirtualCardReader

    empty = tmp_path / "csca"
    empty.mkdir()  # no trusted issuer configured: the chip reads but cannot be checked
    window = open_window(VirtualCardReader(read_delay_s=0.05, csca_dir=empty))
    window.set_language("en")
    services.card_reader.insert(profile)
    identify = wait_chip_result(qtbot, window)
    assert identify.result.outcome == "unchecked"
    assert identify.result.mark.text() == "!  Read from the chip, not verified"
    assert "cannot check that the card is genuine" in identify.result.explanation.text()
    click(qtbot, identify.primary_button)
    wait_step(qtbot, window, Step.CHOOSE)
    assert window.flow.identity.full_name == profile.full_name


def test_failed_chip_warns_and_the_citizen_types_their_details(qtbot, window, services, profile):
    from devices.card.chip.builder import chip_from_profile
    from devices.card.lds.build_chip_files import Forgery

    window.set_language("en")
    services.card_reader.insert(profile, chip=chip_from_profile(profile,
                                                                forgery=Forgery.BAD_SIGNATURE))
    identify = wait_chip_result(qtbot, window)
    assert identify.result.outcome == "failed"
    assert identify.result.mark.text().startswith("✗  The chip did not pass")
    assert "ask a staff member" in identify.result.explanation.text()
    assert identify.primary_button.text().startswith("Continue and type my details")
    click(qtbot, identify.primary_button)
    assert window.flow.step is Step.CHOOSE
    identity = window.flow.identity
    assert identity.source.value == "typed" and identity.full_name is None
    assert identity.id_number == profile.id_number


def test_card_pulled_away_mid_read_is_explained(qtbot, window, services, profile):
    window.set_language("en")
    click(qtbot, window.screens[Step.WELCOME].primary_button)
    identify = window.screens[Step.IDENTIFY]
    services.card_reader.read_delay_s = 2.0  # a slow chip, so the hand can move mid-read
    with qtbot.waitSignal(window.card_bridge.read_progressed, timeout=10_000):
        services.card_reader.insert(profile)
    with qtbot.waitSignal(window.card_bridge.read_failed, timeout=10_000):
        services.card_reader.remove()
    assert identify.card_problem.text().startswith("The card was moved before reading finished")
    assert identify.card_progress.isHidden() and not identify.showing_result


@pytest.fixture
def key_reader():
    from devices.card.virtual import VirtualCardReader

    return VirtualCardReader(read_delay_s=0.05, access="required")


def test_a_reader_that_needs_the_key_gets_it_from_the_typed_id(qtbot, open_window, services,
                                                              profile, key_reader):
    window = open_window(key_reader)
    window.set_language("en")
    with qtbot.waitSignal(window.card_bridge.key_required, timeout=10_000):
        services.card_reader.insert(profile)  # welcome -> identify -> read -> KeyRequired
    identify = window.screens[Step.IDENTIFY]
    assert window.flow.step is Step.IDENTIFY
    assert "type your 12-digit ID number, or show the QR code" in identify.card_status.text()
    type_id(qtbot, identify, "001205067890")  # a real-looking number, but not this card's
    with qtbot.waitSignal(window.card_bridge.read_failed, timeout=10_000):
        click(qtbot, identify.primary_button)
    assert identify.card_problem.text().startswith("The card did not accept this ID number")
    assert window.flow.step is Step.IDENTIFY
    type_id(qtbot, identify, profile.id_number)
    click(qtbot, identify.primary_button)
    wait_chip_result(qtbot, window)
    assert identify.result.outcome == "verified"
    click(qtbot, identify.primary_button)
    assert window.flow.identity.source.value == "chip"
    assert window.flow.identity.full_name == profile.full_name


def test_the_card_qr_unlocks_a_chip_that_needs_the_key(qtbot, open_window, services, profile,
                                                      key_reader):
    window = open_window(key_reader)
    with qtbot.waitSignal(window.card_bridge.key_required, timeout=10_000):
        services.card_reader.insert(profile)
    with qtbot.waitSignal(window.card_bridge.identity_read, timeout=15_000):
        services.camera.show(QR_DIR / f"{profile.id_number}.png")
    identify = wait_chip_result(qtbot, window)
    assert window.flow.step is Step.IDENTIFY  # the chip's answer is shown, not the QR's
    assert identify.result.outcome == "verified"
    services.camera.clear()
    click(qtbot, identify.primary_button)
    assert window.flow.identity.source.value == "chip"


def test_the_card_qr_shown_on_the_welcome_screen_opens_the_chip_already_there(
        qtbot, open_window, services, profile, key_reader):
    window = open_window(key_reader)
    services.card_reader.insert(profile)
    with qtbot.waitSignal(window.card_bridge.key_required, timeout=10_000):
        pass
    window.flow.cancel()  # back to the welcome screen with the card still on the reader
    assert window.flow.step is Step.WELCOME
    services.camera.show(QR_DIR / f"{profile.id_number}.png")
    identify = wait_chip_result(qtbot, window)
    services.camera.clear()
    assert identify.result.outcome == "verified"


def _camera_running() -> bool:
    return any(t.name == "virtual-camera" and t.is_alive() for t in threading.enumerate())


def test_the_camera_runs_only_while_a_screen_scans(qtbot, window):
    assert _camera_running()
    click(qtbot, window.screens[Step.WELCOME].primary_button)
    identify = window.screens[Step.IDENTIFY]
    type_id(qtbot, identify, "079195012345")
    click(qtbot, identify.primary_button)
    assert window.flow.step is Step.CHOOSE
    qtbot.waitUntil(lambda: not _camera_running(), timeout=5000)
    assert window.camera_bridge.latest_frame() is None
    click(qtbot, window.screens[Step.CHOOSE].back_button)
    qtbot.waitUntil(_camera_running, timeout=5000)
    qtbot.waitUntil(lambda: window.camera_bridge.latest_frame() is not None, timeout=5000)


def test_scan_view_reads_the_card_qr_and_identifies(qtbot, window, services, profile):
    click(qtbot, window.screens[Step.WELCOME].primary_button)
    identify = window.screens[Step.IDENTIFY]
    window.scan_result_delay_ms = 50
    click(qtbot, identify.scan_button)
    scan = window.scan_screen
    assert window.stack.currentWidget() is scan
    qtbot.waitUntil(lambda: scan.preview.frames_shown > 0, timeout=5000)
    with qtbot.waitSignal(window.camera_bridge.identity_scanned, timeout=10_000):
        services.camera.show(QR_DIR / f"{profile.id_number}.png")
    assert scan.found.isVisible() and scan.preview.found  # the code read is highlighted
    wait_step(qtbot, window, Step.CHOOSE)
    services.camera.clear()
    assert window.flow.identity.source.value == "qr"
    assert window.flow.identity.id_number == profile.id_number


def test_scan_view_gives_hints_and_times_out_back(qtbot, window, services):
    import numpy as np

    click(qtbot, window.screens[Step.WELCOME].primary_button)
    window.set_language("en")
    scan = window.scan_screen
    scan.timeout_s = 2
    window.open_scan("identity")
    services.camera.show(np.full((480, 640, 3), 10, np.uint8))  # a dark scene
    qtbot.waitUntil(lambda: scan.hint.text() == "Too dark: move the card into the light",
                    timeout=5000)
    with qtbot.waitSignal(scan.closed, timeout=5000) as blocker:
        pass
    services.camera.clear()
    assert blocker.args == ["timeout"]
    assert window.stack.currentWidget() is window.screens[Step.IDENTIFY]
    assert window.flow.step is Step.IDENTIFY


def test_demo_panel_shows_each_sample_qr(qtbot, window, services):
    panel = window.demo_panel
    assert panel is not None and panel.qr_button.isVisibleTo(panel)
    assert len(list(Path(QR_DIR).glob("*.png"))) >= panel.profile_choice.count()
    click(qtbot, panel.qr_button)
    wait_step(qtbot, window, Step.CHOOSE)
    assert window.flow.identity.source.value == "qr"
    click(qtbot, panel.remove_button)


def test_removal_reported_after_the_failed_read_keeps_the_explanation(qtbot, window):
    """A card pulled mid-read raises both signals, in either order: the explanation must stay."""
    click(qtbot, window.screens[Step.WELCOME].primary_button)
    identify = window.screens[Step.IDENTIFY]
    identify.on_read_started()
    identify.on_read_failed("The card was moved before reading finished.")
    identify.on_card_removed()
    assert identify.card_problem.text() == "The card was moved before reading finished."
    identify.on_read_started()
    assert identify.card_problem.text() == ""


def type_digits(qtbot, identify, digits: str) -> None:
    identify.id_entry.clear()
    for digit in digits:
        click(qtbot, identify.keypad.digit_buttons[digit])


def test_a_card_without_pace_asks_for_the_date_of_birth_on_the_keypad(qtbot, open_window,
                                                                      services, profile,
                                                                      key_reader):
    """No PACE and a typed ID: BAC needs the date of birth. The screen asks for it instead of
    saying the card refused a correct ID, and the read goes on with it."""
    from devices.card.chip.builder import chip_from_profile

    window = open_window(key_reader)
    window.set_language("en")
    with qtbot.waitSignal(window.card_bridge.key_required, timeout=10_000):
        services.card_reader.insert(profile, chip=chip_from_profile(profile, pace=False))
    identify = window.screens[Step.IDENTIFY]
    type_id(qtbot, identify, profile.id_number)
    with qtbot.waitSignal(window.card_bridge.birth_date_required, timeout=10_000):
        click(qtbot, identify.primary_button)
    assert "date of birth" in identify.card_status.text()
    assert "did not accept" not in identify.card_problem.text()
    assert identify.type_heading.text().startswith("Type your date of birth")
    type_digits(qtbot, identify, "31021995")  # not a date
    click(qtbot, identify.primary_button)
    assert identify.id_problem.text().startswith("This is not a date of birth")
    type_digits(qtbot, identify, profile.date_of_birth.strftime("%d%m%Y"))
    with qtbot.waitSignal(window.card_bridge.identity_read, timeout=15_000):
        click(qtbot, identify.primary_button)
    wait_chip_result(qtbot, window)
    assert identify.result.outcome == "verified"
    assert window.card_bridge.birth_date_needed is False
    assert identify.type_heading.text().startswith("Or type your 12-digit ID number")


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_chip_failed_panel_never_clips_its_text(qtbot, window, services, profile, language):
    """The longest panel: a clone, a damaged portrait and DG13 fields, in the large theme."""
    from PySide6.QtWidgets import QApplication

    from ui.look import apply_theme

    app = QApplication.instance()
    apply_theme(app, "large")
    try:
        _check_failed_panel(qtbot, window, services, profile, language)
    finally:
        apply_theme(app, "normal")


def _check_failed_panel(qtbot, window, services, profile, language) -> None:
    from PySide6.QtWidgets import QLabel

    from devices.card.chip.builder import chip_from_profile

    window.set_language(language)
    chip = chip_from_profile(profile, ca_clone=True, broken=frozenset({"dg2", "dg13"}))
    services.card_reader.insert(profile, chip=chip)
    identify = wait_chip_result(qtbot, window)
    assert identify.result.outcome == "failed" and identify.result.missing.isVisible()
    qtbot.waitUntil(lambda: identify.result.details_scroll.widget().width() > 0)
    column = identify.result.details_scroll.widget()
    for text in column.findChildren(QLabel):
        if not text.isVisible() or not text.text():
            continue
        if text.wordWrap():
            assert text.heightForWidth(text.width()) <= text.height(), text.text()
        else:
            assert text.sizeHint().width() <= text.width(), text.text()
    # the column is whole inside the scroll area: what does not fit scrolls, it is never cut
    assert column.height() >= column.minimumSizeHint().height()
