"""Status lookup from the welcome screen: a typed dossier code asks the real embedded portal; a
Q-reference (or a receipt QR that holds one) is answered from the kiosk's real outbox."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PySide6.QtCore import Qt

from kiosk.domain.flow import Step
from kiosk.services.status import reference_of

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]

PAYLOAD = {
    "unit_code": "H12.22.10",
    "kiosk_id": "KIOSK-DEMO-01",
    "procedure_code": "1.001193",
    "applicant": {"id_number": "079195012345", "full_name": "Trần Thị Minh Anh",
                  "date_of_birth": "1995-03-14", "sex": "F", "residence": "Phường 1, Quận 3",
                  "identified_by": "chip"},
    "form": {"phone": "0912345678", "copies": 1},
    "submitted_at": "2026-11-27T09:30:00+07:00",
}


def open_status(qtbot, window):
    window.set_language("en")
    qtbot.mouseClick(window.screens[Step.WELCOME].status_button, Qt.LeftButton)
    screen = window.status_screen
    assert window.stack.currentWidget() is screen and window.flow.step is Step.WELCOME
    return screen


def ask(qtbot, screen, text: str):
    screen.entry.setText(text)
    with qtbot.waitSignal(screen.lookup_requested, timeout=5000):
        qtbot.mouseClick(screen.primary_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: screen.busy.isHidden(), timeout=15_000)
    return screen.answer


def test_a_typed_dossier_code_shows_the_portal_status(qtbot, window, services):
    dossier = services.client.submit_dossier(PAYLOAD, str(uuid.uuid4()))
    screen = open_status(qtbot, window)
    answer = ask(qtbot, screen, " " + dossier.code.lower() + " ")
    assert answer.kind == "portal" and answer.reference == dossier.code
    assert screen.result.isVisible()
    assert screen.result_title.text() == "✓  The government portal has your application"
    assert screen.result_text.text() == "Status: received, waiting to be processed."
    window.set_language("vi")
    assert screen.result_text.text() == "Tình trạng: đã tiếp nhận, đang chờ xử lý."
    qtbot.mouseClick(screen.back_button, Qt.LeftButton)
    assert window.stack.currentWidget() is window.screens[Step.WELCOME]
    assert screen.entry.text() == "" and screen.result_code.text() == ""


def test_an_unknown_code_and_a_wrong_text_are_explained(qtbot, window):
    screen = open_status(qtbot, window)
    assert ask(qtbot, screen, "H12.22.10-261127-9999").kind == "not_found"
    assert screen.result_title.text().startswith("?  No application found")
    assert ask(qtbot, screen, "Q-261127-0042").kind == "not_found"
    assert ask(qtbot, screen, "hello").kind == "bad_code"
    assert screen.problem.text().startswith("This is not the QR code of a receipt")
    assert not screen.result.isVisible()


def test_a_queued_reference_is_answered_from_the_outbox_while_the_portal_is_down(
        qtbot, window, services):
    services.embedded_portal.stop()
    entry = services.outbox.enqueue("1.001193", PAYLOAD)
    screen = open_status(qtbot, window)
    answer = ask(qtbot, screen, entry.local_ref)
    assert answer.kind == "queued" and answer.reference == entry.local_ref
    assert screen.result_title.text() == "✓  Saved on this kiosk, not sent yet"
    assert ask(qtbot, screen, "H12.22.10-261127-0001").kind == "unreachable"


def test_the_receipt_qr_is_scanned_in_the_scan_view_and_looked_up(qtbot, window, services,
                                                                  tmp_path):
    import segno

    from devices.qr.receipt import build_receipt_qr

    services.embedded_portal.stop()
    entry = services.outbox.enqueue("1.001193", PAYLOAD)
    picture = tmp_path / "receipt.png"
    day = dt.date(2000 + int(entry.local_ref[2:4]), int(entry.local_ref[4:6]),
                  int(entry.local_ref[6:8]))
    text = build_receipt_qr(entry.local_ref, "H12.22.10", day)
    segno.make(text, error="m").save(picture, scale=8, border=4)
    screen = open_status(qtbot, window)
    window.scan_result_delay_ms = 50
    qtbot.mouseClick(screen.scan_button, Qt.LeftButton)
    assert window.stack.currentWidget() is window.scan_screen
    assert window.scan_screen.title.text() == "Show the QR code on your receipt"
    with qtbot.waitSignal(window.camera_bridge.receipt_scanned, timeout=10_000):
        services.camera.show(picture)
    qtbot.waitUntil(lambda: screen.answer is not None, timeout=15_000)
    services.camera.clear()
    assert window.stack.currentWidget() is screen
    assert screen.entry.text() == entry.local_ref
    assert screen.answer.kind == "queued"


def test_the_status_screen_goes_back_by_itself(qtbot, window):
    screen = open_status(qtbot, window)
    screen._idle.setInterval(200)
    screen.entry.setText("Q-261127-0001")
    with qtbot.waitSignal(screen.closed, timeout=5000):
        pass
    assert window.stack.currentWidget() is window.screens[Step.WELCOME]
    assert screen.entry.text() == ""


@given(st.text(max_size=200))
def test_reference_of_never_raises_and_says_why(text):
    reference, problem = reference_of(text)
    assert (reference is None) != (problem is None)


@given(st.from_regex(r"[A-Z0-9][A-Z0-9.]{0,8}-2[0-9](0[1-9]|1[0-2])(0[1-9]|1[0-9]|2[0-8])-"
                     r"[0-9]{3}[1-9]", fullmatch=True))
def test_reference_of_accepts_dossier_codes(code):
    assert reference_of(code) == (code, None)


def test_a_receipt_qr_shown_on_the_welcome_screen_opens_the_lookup(qtbot, window, services,
                                                                   tmp_path):
    import segno

    from devices.qr.receipt import build_receipt_qr

    dossier = services.client.submit_dossier(PAYLOAD, str(uuid.uuid4()))
    picture = tmp_path / "receipt.png"
    day = dt.date(2000 + int(dossier.code[-11:-9]), int(dossier.code[-9:-7]),
                  int(dossier.code[-7:-5]))
    segno.make(build_receipt_qr(dossier.code, "H12.22.10", day), error="m").save(
        picture, scale=8, border=4)
    with qtbot.waitSignal(window.camera_bridge.receipt_scanned, timeout=10_000):
        services.camera.show(picture)
    screen = window.status_screen
    assert window.stack.currentWidget() is screen and window.flow.step is Step.WELCOME
    qtbot.waitUntil(lambda: screen.answer is not None, timeout=15_000)
    services.camera.clear()
    assert screen.answer.kind == "portal" and screen.answer.reference == dossier.code
