"""Language switching, the connection indicator, card-read failures and the start-up error path."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from kiosk.domain.flow import Step
from ui_helpers import confirm_chip_result, finish_form, make_config, wait_step

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]


def test_vietnamese_is_the_default_and_english_retranslates_the_visible_screen(qtbot, window):
    welcome = window.screens[Step.WELCOME]
    assert window.language == "vi"
    assert welcome.title.text() == "Xin kính chào"
    assert welcome.primary_button.text().startswith("Bắt đầu")

    qtbot.mouseClick(window.header.language.buttons["en"], Qt.LeftButton)

    assert window.language == "en"
    assert welcome.title.text() == "Welcome"
    assert welcome.primary_button.text().startswith("Start")
    assert window.header.language.buttons["en"].isChecked()
    # one key for the other language, written in it: now "Tiếng Việt" to go back
    assert window.header.language.buttons["vi"].isVisible()
    assert not window.header.language.buttons["en"].isVisible()


def test_language_switch_rewords_data_steps_and_problems(qtbot, window):
    qtbot.mouseClick(window.screens[Step.WELCOME].primary_button, Qt.LeftButton)
    assert window.screens[Step.IDENTIFY].step.text() == "Bước 1/8"
    identify = window.screens[Step.IDENTIFY]
    identify.id_entry.setText("079195012345")
    qtbot.mouseClick(identify.primary_button, Qt.LeftButton)
    choose = window.screens[Step.CHOOSE]
    names = {t.name.text() for t in choose.buttons}
    assert "Đăng ký khai sinh" in names
    window.set_language("en")
    assert "Birth registration" in {t.name.text() for t in choose.buttons}
    assert window.screens[Step.CHOOSE].step.text() == "Step 2 of 8"
    tile = next(t for t in choose.buttons if t.procedure.code == "3.000333")
    qtbot.mouseClick(tile, Qt.LeftButton)
    assert window.flow.step is Step.REQUIREMENTS
    qtbot.mouseClick(window.screens[Step.REQUIREMENTS].primary_button, Qt.LeftButton)
    form = window.screens[Step.FORM]
    for field_id, value in {"full_name": "Pham Thi Thu Ha", "date_of_birth": "14/03/1995",
                            "sex": "F", "residence": "Thon 3", "phone": "0912345678",
                            "certificate_type": "1", "copies": "0", "delivery": "counter"}.items():
        form.rows[field_id].editor.set_value(value)
    assert not finish_form(qtbot, window)  # stops on the page of the number of copies
    assert form.rows["copies"].problem.text().endswith("Please enter a value between 1 and 10.")
    assert form.rows["copies"].label.text() == "Number of copies"
    window.set_language("vi")
    assert form.rows["copies"].problem.text().endswith("Vui lòng nhập từ 1 đến 10.")
    assert form.rows["copies"].label.text() == "Số bản cần cấp"
    assert form.rows["sex"].editor.buttons["F"].text() == "Nữ"


def test_a_birth_date_that_contradicts_the_typed_id_is_pointed_out(qtbot, window):
    qtbot.mouseClick(window.screens[Step.WELCOME].primary_button, Qt.LeftButton)
    window.screens[Step.IDENTIFY].id_entry.setText("079195012345")  # born 19xx-95, female
    qtbot.mouseClick(window.screens[Step.IDENTIFY].primary_button, Qt.LeftButton)
    window.flow.choose("3.000333")
    window.flow.read_requirements()
    form = window.screens[Step.FORM]
    values = {"full_name": "Phạm Thị Thu Hà", "date_of_birth": "14/03/1980", "sex": "F",
              "residence": "Thôn 3", "phone": "0912345678", "certificate_type": "1",
              "copies": "1", "delivery": "counter"}
    for field_id, value in values.items():
        form.rows[field_id].editor.set_value(value)
    assert not finish_form(qtbot, window)
    assert window.flow.step is Step.FORM
    assert form.rows["date_of_birth"].problem.text().endswith(
        "Thông tin này không khớp với số định danh. Vui lòng đối chiếu với thẻ căn cước.")
    assert not form.rows["sex"].problem.isVisible()


def test_search_ignores_diacritics(qtbot, window):
    qtbot.mouseClick(window.screens[Step.WELCOME].primary_button, Qt.LeftButton)
    window.screens[Step.IDENTIFY].id_entry.setText("079195012345")
    qtbot.mouseClick(window.screens[Step.IDENTIFY].primary_button, Qt.LeftButton)
    choose = window.screens[Step.CHOOSE]
    qtbot.keyClicks(choose.search, "doi giay phep")
    assert [t.procedure.code for t in choose.buttons] == ["3.000347"]
    qtbot.keyClicks(choose.search, " xyz")
    assert choose.buttons == [] and not choose.empty.isHidden()


def test_indicator_says_in_words_connected_slow_or_offline(qtbot, window, services):
    """Words only: no milliseconds, no queue counts (kiosk state is for staff), and nothing of
    the kind on the public welcome screen."""
    from ui.connection import SLOW_MS, ConnectionStatus

    indicator = window.header.indicator
    assert indicator.status.reachable
    assert indicator.text.text() == "Đã kết nối"
    assert not indicator.isVisible()  # the welcome screen shows no kiosk state
    qtbot.mouseClick(window.screens[Step.WELCOME].primary_button, Qt.LeftButton)
    assert indicator.isVisible()
    indicator.show_status(ConnectionStatus(True, SLOW_MS + 500, waiting=3, needs_attention=1))
    assert indicator.text.text() == "Kết nối chậm" and indicator.property("state") == "slow"
    services.embedded_portal.stop()
    with qtbot.waitSignal(window.monitor.status_changed, timeout=10_000):
        window.monitor.refresh()
    assert not indicator.status.reachable and indicator.status.waiting == 0
    assert indicator.property("state") == "offline"
    assert indicator.text.text() == "Mất kết nối"
    window.set_language("en")
    assert indicator.text.text() == "Offline"
    window.flow.cancel()
    assert not indicator.isVisible()


def test_card_read_failure_is_shown_in_plain_words(qtbot, window, services, profile):
    from devices.card import errors

    qtbot.mouseClick(window.screens[Step.WELCOME].primary_button, Qt.LeftButton)
    identify = window.screens[Step.IDENTIFY]
    services.card_reader.fail_next_read(errors.CardTimeout())
    with qtbot.waitSignal(window.card_bridge.read_failed, timeout=10_000):
        services.card_reader.insert(profile)
    assert window.flow.step is Step.IDENTIFY
    assert identify.card_problem.text().startswith("Đọc thẻ quá lâu")
    services.card_reader.remove()
    services.card_reader.insert(profile)  # a second try reads the card and moves on
    confirm_chip_result(qtbot, window)


def test_card_on_the_welcome_screen_starts_the_journey(qtbot, window, services, profile):
    services.card_reader.insert(profile)
    confirm_chip_result(qtbot, window)
    assert window.flow.identity.full_name == profile.full_name


def test_main_shows_an_error_and_returns_2_when_services_cannot_start(qtbot, tmp_path):
    from ui.app import main

    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the data folder should be")
    config = make_config(blocker)
    seen: list[str] = []

    def close_dialog() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, close_dialog)
            return
        seen.append(box.text())
        box.reject()

    QTimer.singleShot(0, close_dialog)
    assert main(config, windowed=True) == 2
    assert len(seen) == 1 and "kỹ thuật" in seen[0]


def test_qr_code_on_the_card_identifies_the_citizen(qtbot, window, services):
    from kiosk.domain.paths import ASSETS_DIR

    services.camera.show(ASSETS_DIR / "samples" / "qr" / "079195012345.png")
    wait_step(qtbot, window, Step.CHOOSE)
    identity = window.flow.identity
    assert identity.source.value == "qr" and identity.id_number == "079195012345"
    assert identity.full_name == "Trần Thị Minh Anh"


def test_a_foreign_qr_code_is_explained(qtbot, window, services, tmp_path):
    import segno

    qtbot.mouseClick(window.screens[Step.WELCOME].primary_button, Qt.LeftButton)
    picture = tmp_path / "menu.png"
    segno.make("https://example.com/menu", error="m").save(picture, scale=8, border=4)
    with qtbot.waitSignal(window.camera_bridge.scan_failed, timeout=10_000):
        services.camera.show(picture)
    assert window.flow.step is Step.IDENTIFY
    assert "QR" in window.screens[Step.IDENTIFY].card_problem.text()


def test_a_citizen_who_walks_away_is_warned_then_their_data_is_deleted(qtbot, window, profile,
                                                                      services):
    window.idle.set_timeout(0.2)
    window.idle_warning_s = 2
    identify_and_choose = window.screens[Step.WELCOME].primary_button
    qtbot.mouseClick(identify_and_choose, Qt.LeftButton)
    qtbot.waitUntil(lambda: window.overlay.isVisible() and window.overlay.purpose == "idle",
                    timeout=5000)
    assert "2" in window.overlay.detail.text()
    qtbot.mouseClick(window.overlay.yes_button, Qt.LeftButton)  # "I need more time"
    assert window.flow.step is Step.IDENTIFY and not window.overlay.isVisible()
    services.card_reader.insert(profile)
    confirm_chip_result(qtbot, window)
    qtbot.waitUntil(lambda: window.overlay.isVisible(), timeout=5000)
    wait_step(qtbot, window, Step.WELCOME, timeout=5000)  # nobody answered: the session ends
    assert window.flow.identity is None
    assert profile.full_name not in window.screens[Step.CHOOSE].title.text()


# the app asks for read-aloud with "auto": where Qt lists speech-dispatcher but cannot load it (as
# here), Qt reports the failed plug-in and the narrator turns read-aloud off
@pytest.mark.qt_log_ignore("propagateSizeHints", "Error loading text-to-speech plug-in",
                           "pipewire-0.3")
def test_main_runs_the_kiosk_and_closes_everything(qtbot, tmp_path):
    import threading

    from ui.app import main
    from ui.main_window import MainWindow

    config = make_config(tmp_path, **{"ui.theme": "contrast"})
    before = set(threading.enumerate())
    seen: list[bool] = []

    def quit_when_shown() -> None:
        windows = [w for w in QApplication.topLevelWidgets()
                   if isinstance(w, MainWindow) and w.isVisible()]
        if not windows or windows[0].header.indicator.status is None:
            QTimer.singleShot(20, quit_when_shown)
            return
        seen.append(windows[0].header.indicator.status.reachable)
        QApplication.instance().quit()

    QTimer.singleShot(0, quit_when_shown)
    assert main(config, windowed=True) == 0  # conftest restores the look main() applied
    assert seen == [True]
    assert [t.name for t in set(threading.enumerate()) - before if t.is_alive()] == []


def test_sigterm_closes_the_kiosk_without_any_polling_timer(qtbot, tmp_path, caplog):
    import logging
    import os
    import signal

    from ui.app import main
    from ui.main_window import MainWindow

    config = make_config(tmp_path)

    def stop_when_started() -> None:
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
        if not windows or windows[0].header.indicator.status is None:  # started after the first paint
            QTimer.singleShot(20, stop_when_started)
            return
        os.kill(os.getpid(), signal.SIGTERM)  # as systemd stops the kiosk

    before = signal.getsignal(signal.SIGTERM)
    caplog.set_level(logging.INFO, logger="ui.app")
    QTimer.singleShot(0, stop_when_started)
    assert main(config, windowed=True) == 0
    assert signal.getsignal(signal.SIGTERM) is before  # the kiosk's handler is gone again
    assert "Stopping on SIGTERM" in [r.getMessage() for r in caplog.records]  # after the loop


def test_the_signal_handler_writes_no_log_line(qapp, caplog):
    """A signal can arrive while the main thread is inside a log write: the handler only notes it
    and ends the loop (a log call there would enter that write again and lose the line); the
    kiosk says "Stopping on ..." once its event loop has returned."""
    import logging
    import signal

    from ui.app import _stop_on_signals

    class Loop:  # what the handler ends; the real application's exit() with no loop running
        exits: list[int] = []  # would leave Qt's quit flag set for the tests after this one

        def exit(self, code: int) -> None:
            self.exits.append(code)

    caplog.set_level(logging.INFO, logger="ui.app")
    with _stop_on_signals(Loop(), []) as received:  # type: ignore[arg-type]
        signal.getsignal(signal.SIGTERM)(signal.SIGTERM, None)  # as Python runs it, between bytecodes
        assert received == [signal.SIGTERM] and Loop.exits == [0]
        assert [r.getMessage() for r in caplog.records if r.name == "ui.app"] == []
