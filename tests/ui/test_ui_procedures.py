"""Three procedures end to end through the real window, embedded portal and outbox, with the chip's
details prefilled: requirements, form, review, consent, receipt (printed to PDF, fee VietQR); and
the idle timeout leaving nothing personal in any widget."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QAbstractButton, QLabel, QLineEdit, QWidget

from devices.qr.vietqr import parse_vietqr
from kiosk.domain.flow import Step
from test_ui_journey import (CRIMINAL_RECORD, DOSSIER_CODE, click, fill_criminal_record_rest,
                             identify_with_card, submit_from_review)
from ui.screens.receipt import DEMO_FEE_ACCOUNT
from ui_helpers import finish_form, wait_step

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]

DRIVING_LICENCE, BIRTH = "3.000347", "1.001193"


def fill_driving_licence(qtbot, form) -> None:
    click(qtbot, form.rows["delivery"].editor.buttons["post"])  # asks for the phone and address
    qtbot.keyClicks(form.rows["phone"].editor.line, "0987654321")
    address = form.rows["post_address"].editor
    address.province.setCurrentIndex(address.province.findText("Thành phố Hà Nội"))
    address.commune.setCurrentIndex(1)
    form.rows["post_street"].editor.line.insert("Số 5 ngõ 12")  # keyClicks is ASCII-only
    qtbot.keyClicks(form.rows["licence_number"].editor.line, "790123456789")
    click(qtbot, form.rows["licence_class"].editor.buttons["B"])


def fill_birth(qtbot, form) -> None:
    qtbot.keyClicks(form.rows["phone"].editor.line, "0912345678")
    form.rows["child_name"].editor.line.insert("Nguyễn Minh Khôi")
    born = dt.date.today() - dt.timedelta(days=10)
    qtbot.keyClicks(form.rows["child_date_of_birth"].editor.line, born.strftime("%d/%m/%Y"))
    click(qtbot, form.rows["child_sex"].editor.buttons["M"])
    click(qtbot, form.rows["relationship"].editor.buttons["mother"])
    click(qtbot, form.rows["delivery"].editor.buttons["counter"])


def walk_requirements(qtbot, window, code: str):
    tile = next(t for t in window.screens[Step.CHOOSE].buttons if t.procedure.code == code)
    click(qtbot, tile)
    assert window.flow.step is Step.REQUIREMENTS
    screen = window.screens[Step.REQUIREMENTS]
    procedure = window.flow.procedure
    assert screen.bring == [d.vi for d in procedure.documents if not d.held_by_national_db]
    assert screen.held == [d.vi for d in procedure.documents if d.held_by_national_db]
    assert screen.held, "every procedure here has the ID card in the national database"
    click(qtbot, screen.back_button)  # back to the list and forward again loses nothing
    assert window.flow.step is Step.CHOOSE
    click(qtbot, tile)
    click(qtbot, screen.primary_button)
    assert window.flow.step is Step.FORM
    return window.screens[Step.FORM]


def refuse_then_agree(qtbot, window):
    """At CONSENT a "no" sends nothing and says why; then the citizen agrees."""
    click(qtbot, window.screens[Step.REVIEW].primary_button)
    assert window.flow.step is Step.CONSENT
    consent = window.screens[Step.CONSENT]
    assert "91/2025/QH15" in consent.subtitle.text() and "356/2025/NĐ-CP" in consent.subtitle.text()
    click(qtbot, consent.no_button)
    assert window.flow.step is Step.CONSENT and consent.refused.isVisible()
    assert window.flow.consent_at is None
    click(qtbot, consent.back_button)
    assert window.flow.step is Step.REVIEW


@pytest.mark.parametrize(("code", "fill", "fee"), [
    (CRIMINAL_RECORD, fill_criminal_record_rest, 200_000),
    (DRIVING_LICENCE, fill_driving_licence, 135_000),
    (BIRTH, fill_birth, 0),
])
def test_procedure_end_to_end_with_chip_prefill(qtbot, window, services, profile, kiosk_config,
                                                code, fill, fee):
    identify_with_card(qtbot, window, services, profile)
    form = walk_requirements(qtbot, window, code)
    assert form.rows["full_name"].editor.value() == profile.full_name  # from the chip
    if "date_of_birth" in form.rows:
        assert form.rows["date_of_birth"].editor.value() == "14/03/1995"
    fill(qtbot, form)
    assert finish_form(qtbot, window)
    assert window.flow.step is Step.REVIEW
    refuse_then_agree(qtbot, window)

    receipt = submit_from_review(qtbot, window)  # REVIEW -> CONSENT -> "I agree, send"

    assert window.flow.step is Step.RECEIPT and receipt.status.value == "sent"
    screen = window.screens[Step.RECEIPT]
    assert DOSSIER_CODE.match(screen.code.text()) and screen.code.text() == receipt.dossier_code
    held = services.embedded_portal.store.get(receipt.dossier_code)
    assert held is not None and held["procedure_code"] == code
    entry = services.outbox.list()[0]
    payload = services.outbox.get(entry.id, with_payload=True).payload
    assert dt.datetime.fromisoformat(payload["consent_at"]).tzinfo is not None
    assert payload["applicant"]["identified_by"] == "chip"

    assert screen.fee.isVisible() is (fee > 0)
    assert window.size().height() <= 800 and window.size().width() <= 1280  # nothing overflows
    if fee:
        paid = parse_vietqr(screen.fee.qr_text)
        assert paid.amount == fee and paid.purpose == receipt.dossier_code
        assert (paid.bank_bin, paid.account) == (DEMO_FEE_ACCOUNT.bank_bin, DEMO_FEE_ACCOUNT.account)
        assert not screen.fee.qr.pixmap().isNull()
    else:
        assert screen.fee.qr_text == ""

    click(qtbot, screen.print_button)
    pdf = kiosk_config.data_path() / "receipts" / f"{receipt.dossier_code}.pdf"
    assert screen.last_print == pdf and pdf.read_bytes().startswith(b"%PDF")
    assert screen.print_status.text() == ("Ki-ốt này chưa có máy in. Phiếu hẹn đã được lưu, "
                                          "cán bộ có thể in giúp; ông/bà vui lòng ghi lại mã hồ sơ.")
    assert profile.full_name.encode() not in pdf.read_bytes()

    click(qtbot, screen.primary_button)
    assert window.flow.step is Step.WELCOME
    assert screen.fee.qr_text == "" and not screen.fee.isVisible()


def personal_values_in(root: QWidget, values: list[str]) -> list[str]:
    """Every widget under ``root`` (the window included) that still shows one of ``values``."""
    found = []
    for widget in [root, *root.findChildren(QWidget)]:
        texts = []
        if isinstance(widget, (QLabel, QLineEdit, QAbstractButton)):
            texts.append(widget.text())
        if isinstance(widget, QLineEdit):
            texts.append(widget.placeholderText())
        texts += [widget.toolTip(), widget.accessibleName(), widget.accessibleDescription()]
        if any(value in text for value in values for text in texts):
            found.append(f"{type(widget).__name__}#{widget.objectName()}")
    return found


def pixmaps_in(root: QWidget) -> dict[int, int]:
    """Labels under ``root`` holding a picture: id(label) -> the picture's cache key."""
    return {id(w): w.pixmap().cacheKey() for w in root.findChildren(QLabel)
            if isinstance(w.pixmap(), QPixmap) and not w.pixmap().isNull()}


def test_idle_timeout_leaves_no_personal_value_in_any_widget(qtbot, window, services, profile):
    phone = "0987654321"
    artwork = pixmaps_in(window)  # the drawings every visitor sees (the card illustration)
    identify_with_card(qtbot, window, services, profile)
    form = walk_requirements(qtbot, window, DRIVING_LICENCE)
    fill_driving_licence(qtbot, form)
    assert finish_form(qtbot, window)
    click(qtbot, window.screens[Step.REVIEW].primary_button)
    assert window.flow.step is Step.CONSENT
    values = [profile.full_name, profile.id_number, phone]
    assert personal_values_in(window, values), "the check must see the values while they are shown"

    window.idle.set_timeout(0.2)
    window.idle_warning_s = 1
    window.idle.poke()
    qtbot.waitUntil(lambda: window.overlay.isVisible() and window.overlay.purpose == "idle",
                    timeout=5000)
    wait_step(qtbot, window, Step.WELCOME, timeout=10_000)  # nobody answered

    assert window.flow.identity is None and window.flow.answers == {}
    assert personal_values_in(window, values) == []
    assert pixmaps_in(window).items() - artwork.items() == set()  # portrait and QR codes are gone
    assert not window.keyboard_dock.isVisible() and window.keyboard_dock.keyboard.target is None
