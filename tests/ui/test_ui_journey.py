"""The citizen's whole journey through the real GUI, the real embedded portal and the real outbox."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt

from kiosk.domain.flow import Step
from kiosk.portal.embedded import EmbeddedPortal
from ui_helpers import confirm_chip_result, finish_form, visible_texts

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]

CRIMINAL_RECORD = "3.000333"
DOSSIER_CODE = re.compile(r"^[A-Z0-9.]+-\d{6}-\d{4}$")
LOCAL_REF = re.compile(r"^Q-\d{6}-\d{4}$")


def click(qtbot, widget) -> None:
    qtbot.mouseClick(widget, Qt.LeftButton)


def identify_with_card(qtbot, window, services, profile) -> None:
    services.card_reader.insert(profile)
    confirm_chip_result(qtbot, window)


def choose(qtbot, window, code: str) -> None:
    tile = next(t for t in window.screens[Step.CHOOSE].buttons if t.procedure.code == code)
    click(qtbot, tile)
    assert window.flow.step is Step.REQUIREMENTS
    click(qtbot, window.screens[Step.REQUIREMENTS].primary_button)
    assert window.flow.step is Step.FORM


def fill_criminal_record_rest(qtbot, form) -> None:
    """Fill the fields the card does not know, through the widgets the citizen touches."""
    qtbot.keyClicks(form.rows["phone"].editor.line, "0912345678")
    click(qtbot, form.rows["certificate_type"].editor.buttons["1"])
    click(qtbot, form.rows["copies"].editor.plus)  # empty -> the minimum, 1
    click(qtbot, form.rows["copies"].editor.plus)  # -> 2
    click(qtbot, form.rows["delivery"].editor.buttons["counter"])


def submit_from_review(qtbot, window):
    click(qtbot, window.screens[Step.REVIEW].primary_button)
    assert window.flow.step is Step.CONSENT
    consent = window.screens[Step.CONSENT]
    with qtbot.waitSignal(window.submission_finished, timeout=20_000) as blocker:
        click(qtbot, consent.primary_button)
        # the submission runs on a worker: the GUI shows the busy screen at once
        assert window.flow.step is Step.SUBMITTING
        assert window.stack.currentWidget() is window.screens[Step.SUBMITTING]
    return blocker.args[0]


def test_full_journey_with_card_reaches_the_portal(qtbot, window, services, profile):
    identify_with_card(qtbot, window, services, profile)
    assert profile.full_name in window.screens[Step.CHOOSE].title.text()
    choose(qtbot, window, CRIMINAL_RECORD)
    form = window.screens[Step.FORM]
    assert form.rows["full_name"].editor.value() == "Trần Thị Minh Anh"
    assert form.rows["date_of_birth"].editor.value() == "14/03/1995"
    assert form.rows["sex"].editor.value() == "F"
    fill_criminal_record_rest(qtbot, form)
    assert form.rows["copies"].editor.value() == "2"
    assert finish_form(qtbot, window)
    assert window.flow.step is Step.REVIEW
    review = window.screens[Step.REVIEW]
    assert review.findChild(type(review.title), "review-full_name").text() == "Trần Thị Minh Anh"

    receipt = submit_from_review(qtbot, window)

    assert window.flow.step is Step.RECEIPT
    shown = window.screens[Step.RECEIPT].code.text()
    assert DOSSIER_CODE.match(shown), shown
    assert receipt.status.value == "sent" and receipt.dossier_code == shown
    store = services.embedded_portal.store
    assert store.count_dossiers() == 1
    held = store.get(shown)
    assert held is not None and held["procedure_code"] == CRIMINAL_RECORD

    click(qtbot, window.screens[Step.RECEIPT].primary_button)
    assert window.flow.step is Step.WELCOME
    assert window.flow.identity is None and window.flow.receipt is None
    texts = " ".join(visible_texts(window.stack))
    assert profile.full_name not in texts and shown not in texts


def test_portal_down_queues_then_sends_exactly_once(qtbot, window, services, profile):
    old_portal = services.embedded_portal
    port, db_path = old_portal.port, old_portal.store.path if hasattr(old_portal.store, "path") \
        else services.config.data_path() / "portal" / "portal.sqlite3"
    old_portal.stop()
    identify_with_card(qtbot, window, services, profile)
    choose(qtbot, window, CRIMINAL_RECORD)
    form = window.screens[Step.FORM]
    fill_criminal_record_rest(qtbot, form)
    assert finish_form(qtbot, window)

    receipt = submit_from_review(qtbot, window)

    assert receipt.status.value == "queued"
    screen = window.screens[Step.RECEIPT]
    assert LOCAL_REF.match(screen.code.text()), screen.code.text()
    assert screen.code.text() == receipt.local_ref
    assert receipt.local_ref in screen.message.text()

    revived = EmbeddedPortal(db_path, token=services.config.portal.token, port=port)
    revived.start()
    try:
        services.sync_thread.wake()
        qtbot.waitUntil(lambda: revived.store.count_dossiers() == 1, timeout=30_000)
        qtbot.waitUntil(lambda: services.outbox.stats().counts.get("sent") == 1, timeout=30_000)
        entries = services.outbox.list()
        assert [(e.local_ref, e.state) for e in entries] == [(receipt.local_ref, "sent")]
        assert revived.store.get(entries[0].dossier_code) is not None
        assert revived.store.count_dossiers() == 1
    finally:
        revived.stop()


def type_id(qtbot, identify, number: str) -> None:
    for digit in number:
        click(qtbot, identify.keypad.digit_buttons[digit])


def fill_typed_form(qtbot, form, name: str, copies: str) -> None:
    """A typed ID carries no details: the citizen enters them all."""
    form.rows["full_name"].editor.line.insert(name)  # as an input method commits Vietnamese text
    qtbot.keyClicks(form.rows["date_of_birth"].editor.line, "14/03/1995")
    click(qtbot, form.rows["sex"].editor.buttons["F"])
    form.rows["residence"].editor.line.insert("Thôn 3, Xã Hoằng Lộc")
    qtbot.keyClicks(form.rows["phone"].editor.line, "0912345678")
    click(qtbot, form.rows["certificate_type"].editor.buttons["2"])
    qtbot.keyClicks(form.rows["copies"].editor.line, copies)
    click(qtbot, form.rows["delivery"].editor.buttons["post"])


def test_typed_id_problems_inline_answers_kept_and_cancel_wipes(qtbot, window):
    click(qtbot, window.screens[Step.WELCOME].primary_button)
    identify = window.screens[Step.IDENTIFY]
    type_id(qtbot, identify, "99919501234")  # 11 digits: cannot continue yet
    assert not identify.primary_button.isEnabled()
    type_id(qtbot, identify, "5")
    click(qtbot, identify.primary_button)  # 999 is not a province but abroad codes start non-0
    assert window.flow.step is Step.CHOOSE
    click(qtbot, window.screens[Step.CHOOSE].back_button)
    identify.id_entry.clear()
    type_id(qtbot, identify, "079195012345")
    click(qtbot, identify.primary_button)
    assert window.flow.step is Step.CHOOSE
    assert window.flow.identity.source.value == "typed"
    choose(qtbot, window, CRIMINAL_RECORD)
    form = window.screens[Step.FORM]
    assert form.rows["full_name"].editor.value() == ""  # a typed ID carries no name
    name = "Phạm Thị Thu Hà"
    fill_typed_form(qtbot, form, name, copies="99")
    before = form.answers()

    assert not finish_form(qtbot, window)  # stops on the page with the problem

    assert window.flow.step is Step.FORM
    problem = form.rows["copies"].problem
    assert problem.isVisible()
    assert "1" in problem.text() and "10" in problem.text()
    assert [r for r in form.rows if form.rows[r].problem.isVisible()] == ["copies"]
    assert form.summary.isVisible()
    assert form.answers() == before  # nothing the citizen typed is lost

    form.rows["copies"].editor.line.clear()
    qtbot.keyClicks(form.rows["copies"].editor.line, "3")
    assert not problem.isVisible()  # the problem goes as soon as the citizen fixes it
    assert finish_form(qtbot, window)
    assert window.flow.step is Step.REVIEW
    click(qtbot, window.screens[Step.REVIEW].back_button)
    assert window.flow.step is Step.FORM
    assert form.answers() == {**before, "copies": "3"}

    click(qtbot, form.cancel_button)
    assert window.overlay.isVisible() and window.flow.step is Step.FORM
    click(qtbot, window.overlay.no_button)
    assert window.flow.step is Step.FORM and not window.overlay.isVisible()
    click(qtbot, form.cancel_button)
    click(qtbot, window.overlay.yes_button)

    assert window.flow.step is Step.WELCOME
    texts = visible_texts(window.stack) + visible_texts(window.header)
    assert not any(name in text for text in texts)
    assert not any("079195012345" in text for text in texts)
    assert form.rows == {} and identify.id_entry.text() == ""


def to_criminal_record_review(qtbot, window, services, profile) -> dict[str, str]:
    """Card, criminal record certificate, the rest of the form: on REVIEW; the answers kept."""
    identify_with_card(qtbot, window, services, profile)
    choose(qtbot, window, CRIMINAL_RECORD)
    form = window.screens[Step.FORM]
    fill_criminal_record_rest(qtbot, form)
    assert finish_form(qtbot, window)
    assert window.flow.step is Step.REVIEW
    return window.flow.answers


def test_a_submission_that_cannot_be_saved_returns_to_review_with_answers(qtbot, window, services,
                                                                          profile):
    answers = to_criminal_record_review(qtbot, window, services, profile)
    services.outbox.close()  # the store is gone: nothing can be saved

    receipt = submit_from_review(qtbot, window)

    assert receipt is None
    assert window.flow.step is Step.REVIEW
    error = window.screens[Step.REVIEW].error
    assert error.isVisible() and "CHƯA" in error.text()
    assert window.flow.answers == answers


def test_a_full_disk_says_so_keeps_the_answers_and_sends_once_space_is_back(
        qtbot, window, services, profile, monkeypatch):
    """Fault injection at the outbox's edge: CI's filesystem cannot be filled safely, and the
    SQLITE_FULL -> StoreFull mapping is tested on real SQLite in tests/offline_store."""
    from offline_store.errors import StoreFull

    answers = to_criminal_record_review(qtbot, window, services, profile)

    def disk_full(*_args, **_kwargs):
        raise StoreFull()

    with monkeypatch.context() as patched:
        patched.setattr(services.outbox, "enqueue", disk_full)
        assert submit_from_review(qtbot, window) is None

    error = window.screens[Step.REVIEW].error
    assert error.isVisible() and "đầy" in error.text() and "CHƯA" in error.text()
    assert window.flow.step is Step.REVIEW and window.flow.answers == answers
    assert services.outbox.stats().counts.get("queued", 0) == 0
    receipt = submit_from_review(qtbot, window)
    assert receipt is not None and receipt.status.value == "sent"
    assert services.embedded_portal.store.stats().dossiers == 1
