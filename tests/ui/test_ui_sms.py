"""SMS opt-in on the consent screen, through the real window, embedded portal and outbox: off by
default, the form's mobile number offered, a bad number stops the sending, and the receipt (screen
and printed PDF) says where the result goes, with the number masked."""

from __future__ import annotations

import sqlite3
import subprocess
from contextlib import closing

import pytest
from PySide6.QtCore import QCoreApplication, Qt

from kiosk.domain.flow import Step
from kiosk.domain.forms import FieldProblem, ProblemCode
from kiosk.portal.schema import canonical_hash
from test_ui_journey import click, to_criminal_record_review
from ui.keyboard import Layout
from ui.printing import sms_sentence
from ui.texts import describe_problem

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]

FORM_PHONE = "0912345678"  # what fill_criminal_record_rest types into the form


def reach_consent(qtbot, window, services, profile):
    """Card, the criminal-record procedure, its form, the review: returns the consent screen."""
    to_criminal_record_review(qtbot, window, services, profile)
    click(qtbot, window.screens[Step.REVIEW].primary_button)
    assert window.flow.step is Step.CONSENT
    return window.screens[Step.CONSENT]


def send(qtbot, window, consent):
    """Press "I agree, send" and wait for the receipt."""
    with qtbot.waitSignal(window.submission_finished, timeout=20_000) as blocker:
        click(qtbot, consent.primary_button)
    assert window.flow.step is Step.RECEIPT
    return blocker.args[0]


def sent_payload(services):
    entry = services.outbox.list()[0]
    return services.outbox.get(entry.id, with_payload=True).payload


def portal_body_hash(services, dossier_code: str) -> str:
    """What the embedded portal stored of the body it accepted (its canonical hash)."""
    with closing(sqlite3.connect(services.embedded_portal.store.path)) as conn:
        (found,) = conn.execute("SELECT body_hash FROM idempotency WHERE dossier_code = ?",
                                (dossier_code,)).fetchone()
    return found


def test_sms_is_off_by_default_and_nothing_is_sent_for_it(qtbot, window, services, profile):
    consent = reach_consent(qtbot, window, services, profile)
    assert consent.sms_no.isChecked() and not consent.sms_yes.isChecked()
    assert consent.sms_phone.isHidden()
    assert consent.sms_phone.text() == FORM_PHONE  # offered, but only used after a "yes"

    receipt = send(qtbot, window, consent)

    payload = sent_payload(services)
    assert "notify" not in payload
    assert portal_body_hash(services, receipt.dossier_code) == canonical_hash(payload)
    screen = window.screens[Step.RECEIPT]
    assert screen.sms.text() == sms_sentence("") and screen.sms.isVisible()
    assert screen.receipt_doc().sms_to == ""


def test_opting_in_sends_the_number_to_the_portal_and_masks_it_on_the_receipt(
        qtbot, window, services, profile, kiosk_config):
    consent = reach_consent(qtbot, window, services, profile)
    click(qtbot, consent.sms_yes)
    assert consent.sms_phone.isVisible() and consent.sms_phone.text() == FORM_PHONE

    receipt = send(qtbot, window, consent)

    payload = sent_payload(services)
    assert payload["notify"] == {"sms": FORM_PHONE}
    # the portal validated and accepted exactly this body (notify included)
    assert receipt.status.value == "sent"
    assert portal_body_hash(services, receipt.dossier_code) == canonical_hash(payload)
    screen = window.screens[Step.RECEIPT]
    assert screen.sms.text() == sms_sentence("09•• ••• 678")
    assert "09•• ••• 678" in screen.sms.text() and FORM_PHONE not in screen.sms.text()

    pdf = screen.print_receipt()
    assert pdf == kiosk_config.data_path() / "receipts" / f"{receipt.dossier_code}.pdf"
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True,
                          timeout=30).stdout
    flat = " ".join(text.split())
    assert "09•• ••• 678" in flat and FORM_PHONE not in flat

    click(qtbot, screen.primary_button)  # the session ends: the choice and the number are gone
    assert window.flow.step is Step.WELCOME and window.flow.sms_phone is None
    assert consent.sms_phone.text() == "" and consent.sms_no.isChecked()


def test_a_bad_number_stops_the_sending_and_says_why(qtbot, window, services, profile):
    consent = reach_consent(qtbot, window, services, profile)
    click(qtbot, consent.sms_yes)
    consent.sms_phone.clear()
    qtbot.keyClicks(consent.sms_phone, "0123")
    click(qtbot, consent.primary_button)

    expected = describe_problem(FieldProblem("sms_phone", ProblemCode.BAD_PHONE))
    assert window.flow.step is Step.CONSENT and consent.sms_problem.isVisible()
    assert consent.sms_problem.text() == expected
    assert services.outbox.list() == [] and window.flow.consent_at is None  # nothing was sent

    consent.sms_phone.clear()  # "yes" with no number is not a quiet "no"
    click(qtbot, consent.primary_button)
    assert window.flow.step is Step.CONSENT and consent.sms_problem.text() == expected

    qtbot.keyClicks(consent.sms_phone, "0987 654 321")
    assert not consent.sms_problem.isVisible()  # typing clears the complaint
    send(qtbot, window, consent)
    assert sent_payload(services)["notify"] == {"sms": "0987654321"}
    assert window.screens[Step.RECEIPT].sms.text() == sms_sentence("09•• ••• 321")


def test_changing_the_mind_back_to_no_sends_no_number(qtbot, window, services, profile):
    consent = reach_consent(qtbot, window, services, profile)
    click(qtbot, consent.sms_yes)
    consent.sms_phone.clear()
    qtbot.keyClicks(consent.sms_phone, "12")  # a bad number does not matter once SMS is off
    click(qtbot, consent.sms_no)
    assert consent.sms_phone.isHidden()
    send(qtbot, window, consent)
    assert "notify" not in sent_payload(services)


def test_the_sms_number_raises_the_phone_keyboard(qtbot, window, services, profile):
    consent = reach_consent(qtbot, window, services, profile)
    click(qtbot, consent.sms_yes)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)
    consent.sms_phone.clear()
    consent.sms_phone.setFocus(Qt.OtherFocusReason)
    dock = window.keyboard_dock
    qtbot.waitUntil(dock.isVisible, timeout=5000)
    assert dock.keyboard.target is consent.sms_phone and dock.keyboard.layout_kind is Layout.PHONE
    for digit in "0912000111":
        click(qtbot, dock.keyboard.keys[digit])
    assert consent.sms_phone.text() == "0912000111"
    click(qtbot, dock.hide_button)
    send(qtbot, window, consent)
    assert sent_payload(services)["notify"] == {"sms": "0912000111"}


def test_going_back_to_review_keeps_the_choice(qtbot, window, services, profile):
    consent = reach_consent(qtbot, window, services, profile)
    click(qtbot, consent.sms_yes)
    consent.sms_phone.clear()
    qtbot.keyClicks(consent.sms_phone, "0977111222")
    click(qtbot, consent.back_button)
    assert window.flow.step is Step.REVIEW
    click(qtbot, window.screens[Step.REVIEW].primary_button)
    assert consent.sms_yes.isChecked() and consent.sms_phone.text() == "0977111222"
    assert QCoreApplication.translate("ConsentScreen", "Receive an SMS with the result?") \
        == consent.sms_title.text()
