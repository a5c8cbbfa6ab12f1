"""A barcode scanner through the real window: the card's code read by the (virtual, pty) scanner
identifies the citizen as the camera's does, a receipt's code opens the status lookup, a code that
lost its accents is explained and its ID offered, and the scanner coming and going is shown."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QCoreApplication, Qt

from devices.qr.receipt import build_receipt_qr
from kiosk.domain.flow import Step
from kiosk.domain.identity import IdSource
from ui_helpers import make_config, wait_step

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]

CCCD = ("079195012345|025678901|Trần Thị Minh Anh|14031995|Nữ|Số 12 Lê Lợi, Phường Bến Nghé, "
        "Quận 1, Thành phố Hồ Chí Minh|10052021")


def wait_attached(qtbot, window):
    qtbot.waitUntil(lambda: window.scanner_bridge.attached, timeout=5_000)


def test_the_cards_code_at_the_scanner_identifies_the_citizen(qtbot, window, services):
    wait_attached(qtbot, window)
    services.scanner.scan(CCCD)
    qtbot.waitUntil(lambda: window.flow.identity is not None, timeout=10_000)
    identity = window.flow.identity
    assert identity.full_name == "Trần Thị Minh Anh" and identity.source is IdSource.QR


def test_a_receipts_code_at_the_scanner_looks_it_up(qtbot, window, services):
    wait_attached(qtbot, window)
    code = build_receipt_qr("H12.22.10-261127-0009", "H12.22.10", dt.date(2026, 11, 27))
    services.scanner.scan(code)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.status_screen, timeout=10_000)
    assert window.status_screen.entry.text() == "H12.22.10-261127-0009"


def test_a_code_without_its_accents_is_explained_and_the_id_offered(qtbot, window):
    wait_attached(qtbot, window)
    qtbot.mouseClick(window.screens[Step.WELCOME].primary_button, Qt.LeftButton)
    wait_step(qtbot, window, Step.IDENTIFY)
    identify = window.screens[Step.IDENTIFY]
    window.scanner_bridge.on_typed_scan("".join(c for c in CCCD if c.isascii()))
    assert identify.id_entry.text() == "079195012345"
    from ui.texts import describe_qr_problem

    assert identify.card_problem.text() == describe_qr_problem("mangled")
    assert window.flow.identity is None  # nothing mangled was taken as the citizen's details


def test_the_scanner_coming_and_going_changes_what_is_offered(qtbot, window, services):
    window.set_language("en")
    wait_attached(qtbot, window)
    qtbot.mouseClick(window.screens[Step.WELCOME].primary_button, Qt.LeftButton)
    wait_step(qtbot, window, Step.IDENTIFY)
    identify = window.screens[Step.IDENTIFY]
    assert identify.qr_hint.isVisible()
    assert "scanner" in window.scan_screen.subtitle.text()
    services.scanner.unplug()
    qtbot.waitUntil(lambda: not identify.qr_hint.isVisible(), timeout=5_000)
    assert "not connected" in window.staff_mode.dashboard._scanner_text()
    services.scanner.plug()
    qtbot.waitUntil(lambda: identify.qr_hint.isVisible(), timeout=5_000)
    assert "connected" in window.staff_mode.dashboard._scanner_text()


def test_no_reader_means_typing_is_offered(qtbot, window, services):
    window.set_language("en")
    qtbot.mouseClick(window.screens[Step.WELCOME].primary_button, Qt.LeftButton)
    wait_step(qtbot, window, Step.IDENTIFY)
    identify = window.screens[Step.IDENTIFY]
    window.card_bridge.reader_removed.emit("Virtual Kiosk Reader")  # as pcscd reports an unplug
    assert "No card reader" in identify.card_status.text()
    window.card_bridge.reader_added.emit("Virtual Kiosk Reader")
    assert "No card reader" not in identify.card_status.text()


@pytest.fixture
def kiosk_config(request, tmp_path):
    return make_config(tmp_path, **getattr(request, "param", {}))


@pytest.mark.parametrize("kiosk_config", [{"devices.scanner": "none"}], indirect=True)
def test_without_a_scanner_nothing_mentions_one(qtbot, window):
    window.set_language("en")
    assert not window.scanner_bridge.configured
    assert "scanner" not in window.scan_screen.subtitle.text()
    assert window.staff_mode.dashboard._scanner_text() == QCoreApplication.translate(
        "StaffDashboard", "not installed")
