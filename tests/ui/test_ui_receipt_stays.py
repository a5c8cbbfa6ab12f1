"""The receipt stays while the citizen uses it (a touch starts its count again, "More time" adds a
minute), shows the appointment date as the slip prints it, and has one payment QR, labelled, with
the dossier code as the transfer's purpose; an application still waiting to be sent has none and
says how to pay."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QCoreApplication, Qt

from devices.qr.vietqr import parse_vietqr
from kiosk.domain.flow import Step
from test_ui_fee_printer import reach_receipt
from test_ui_journey import click
from test_ui_sms import reach_consent, send
from ui.texts import format_date

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]


def seconds_shown(screen) -> int:
    return int("".join(ch for ch in screen.countdown.text() if ch.isdigit()))


def test_a_touch_and_more_time_keep_the_receipt(qtbot, window, services, profile):
    screen, _receipt = reach_receipt(qtbot, window, services, profile)
    full = screen.auto_return_s
    for _ in range(full - 5):  # most of the time gone: copying the code takes a while
        screen._timer.timeout.emit()
    assert seconds_shown(screen) == 5
    qtbot.mousePress(screen.code, Qt.MouseButton.LeftButton)  # a touch anywhere (on the code)
    assert seconds_shown(screen) == full
    click(qtbot, screen.more_time_button)
    assert seconds_shown(screen) == full + 60
    for _ in range(9):
        click(qtbot, screen.more_time_button)
    assert not screen.more_time_button.isEnabled()  # ten extensions, as WCAG 2.2.1 asks at least
    for _ in range(seconds_shown(screen) - 1):
        screen._timer.timeout.emit()
    assert window.flow.step is Step.RECEIPT
    screen._timer.timeout.emit()  # nobody touched it: back to the start
    assert window.flow.step is Step.WELCOME


def test_the_appointment_and_one_labelled_payment_qr_with_the_dossier_code(qtbot, window,
                                                                          services, profile):
    screen, receipt = reach_receipt(qtbot, window, services, profile)
    slip = screen.receipt_doc()
    assert screen.appointment.isVisible()
    assert screen.appointment.text() == f"Hẹn trả kết quả: {format_date(slip.appointment)}"
    assert screen.fee.qr_label.isVisible() and screen.fee.qr_label.text() == "Mã QR thanh toán"
    assert parse_vietqr(screen.fee.qr_text).purpose == receipt.dossier_code
    assert screen.qr_caption.isVisible() and "tra cứu" in screen.qr_caption.text()


def test_waiting_to_be_sent_has_no_payment_qr_and_says_how_to_pay(qtbot, window, services,
                                                                 profile):
    services.embedded_portal.stop()
    receipt = send(qtbot, window, reach_consent(qtbot, window, services, profile))
    assert receipt.status.value == "queued"
    screen = window.screens[Step.RECEIPT]
    assert screen.fee_area.isVisible() and screen.fee.qr_text == ""
    assert screen.fee.qr.isHidden() and screen.fee.qr_label.isHidden()
    assert screen.fee.hint.text() == QCoreApplication.translate(
        "FeeQrPanel", "Your application is not sent yet, so there is no payment code. Please pay "
        "this fee at the counter when you collect the result.")
    assert screen.appointment.isVisible()
