"""Taking the ID card off the reader mid-session asks whether to end it (ui/card_guard.py): through
the real window, the virtual reader and the embedded portal. "Continue" keeps everything, "End"
and an unanswered countdown wipe; the same card put back continues, another citizen's card never
does; nothing is asked on the receipt, for a QR session, or twice."""

from __future__ import annotations

import dataclasses

import pytest
from kiosk.domain.flow import Step
from kiosk.domain.paths import ASSETS_DIR
from test_ui_journey import (CRIMINAL_RECORD, choose, click, fill_criminal_record_rest,
                             identify_with_card, submit_from_review)
from ui.card_guard import MIN_ANSWER_S, PURPOSE
from ui_helpers import finish_form, visible_texts, wait_step

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]

QUESTION_VI = "Ông/bà vừa rút thẻ căn cước. Kết thúc và xóa hồ sơ đang làm?"
QUESTION_EN = "You took your ID card out. End and delete this application?"
PHONE = "0987654321"


def on_form_with_phone(qtbot, window, services, profile):
    """Identified by the chip, on the criminal-record form, a phone number typed."""
    identify_with_card(qtbot, window, services, profile)
    assert window.flow.identity.source.value == "chip"
    choose(qtbot, window, CRIMINAL_RECORD)
    form = window.screens[Step.FORM]
    qtbot.keyClicks(form.rows["phone"].editor.line, PHONE)
    return form


def remove_card(qtbot, window, services) -> None:
    """Take the card away and wait until the window has heard of it (the guard's slot runs
    before any later-connected one, so what it did is visible when this returns)."""
    with qtbot.waitSignal(window.card_bridge.card_removed, timeout=5000):
        services.card_reader.remove()


def test_removal_on_the_form_asks_and_continue_keeps_the_answers(qtbot, window, services,
                                                                 profile):
    form = on_form_with_phone(qtbot, window, services, profile)
    remove_card(qtbot, window, services)

    overlay, guard = window.overlay, window.card_guard
    assert guard.asking and overlay.isVisible() and overlay.purpose == PURPOSE
    assert overlay.question.text() == QUESTION_VI
    assert overlay.yes_button.text() == "Kết thúc và xóa"
    assert overlay.no_button.text() == "Tiếp tục"
    assert "30 giây" in overlay.detail.text()
    assert not window.idle._timer.isActive()  # the idle question cannot replace this one

    with qtbot.waitSignal(guard.settled, timeout=5000) as settled:
        click(qtbot, overlay.no_button)

    assert settled.args == ["continued"]
    assert not overlay.isVisible() and window.flow.step is Step.FORM
    assert form.rows["phone"].editor.value() == PHONE
    assert window.flow.identity.full_name == profile.full_name
    assert window.idle._timer.isActive()  # watched again
    assert not guard.countdown.isActive()


def test_end_wipes_and_returns_to_welcome(qtbot, window, services, profile):
    on_form_with_phone(qtbot, window, services, profile)
    remove_card(qtbot, window, services)
    assert window.card_guard.asking

    with qtbot.waitSignal(window.card_guard.settled, timeout=5000) as settled:
        click(qtbot, window.overlay.yes_button)

    assert settled.args == ["ended"]
    assert window.flow.step is Step.WELCOME
    assert window.flow.identity is None and window.flow.answers == {}
    texts = " ".join(visible_texts(window.stack))
    assert profile.full_name not in texts and PHONE not in texts


def test_nobody_answering_ends_and_wipes_after_the_countdown(qtbot, window, services, profile):
    window.set_language("en")
    on_form_with_phone(qtbot, window, services, profile)
    guard = window.card_guard
    guard.answer_s = 5
    assert guard.answer_s == MIN_ANSWER_S  # never less than WCAG 2.2.1's 20 seconds
    remove_card(qtbot, window, services)
    assert window.overlay.question.text() == QUESTION_EN
    assert window.overlay.no_button.text() == "Continue"
    assert "deleted in 20 seconds" in window.overlay.detail.text()
    guard.tick()  # one second, by hand: the sentence counts down
    assert "deleted in 19 seconds" in window.overlay.detail.text()
    assert window.flow.step is Step.FORM

    guard.countdown.setInterval(5)  # the rest quickly
    with qtbot.waitSignal(guard.settled, timeout=10_000) as settled:
        pass

    assert settled.args == ["expired"]
    assert window.flow.step is Step.WELCOME and window.flow.identity is None
    assert not window.overlay.isVisible()
    assert PHONE not in " ".join(visible_texts(window.stack))


def test_the_same_card_put_back_continues(qtbot, window, services, profile):
    form = on_form_with_phone(qtbot, window, services, profile)
    remove_card(qtbot, window, services)
    assert window.card_guard.asking

    with qtbot.waitSignal(window.card_guard.settled, timeout=15_000) as settled:
        services.card_reader.insert(profile)

    assert settled.args == ["continued"]
    assert window.flow.step is Step.FORM and not window.overlay.isVisible()
    assert form.rows["phone"].editor.value() == PHONE


def test_another_citizens_card_never_continues_the_session(qtbot, window, services, profile):
    on_form_with_phone(qtbot, window, services, profile)
    remove_card(qtbot, window, services)
    guard = window.card_guard

    # a different card does not open with this session's key: the question stays for a person
    from devices.card.profiles import load_profile
    from kiosk.domain.paths import PROFILES_DIR

    stranger = load_profile(PROFILES_DIR / "02-nguyen-van-khang.toml")
    assert stranger.id_number[-6:] != profile.id_number[-6:]
    with qtbot.waitSignal(window.card_bridge.read_failed, timeout=15_000):
        services.card_reader.insert(stranger)
    assert guard.asking and window.flow.step is Step.FORM
    assert "không kiểm tra được thẻ này" in window.overlay.detail.text()

    # a card that opens with the key (same last six digits) but holds another ID number: the
    # session ends and is wiped at once
    lookalike = dataclasses.replace(profile, id_number="001" + profile.id_number[3:],
                                    full_name="Người Khác")
    with qtbot.waitSignal(guard.settled, timeout=15_000) as settled:
        services.card_reader.insert(lookalike)

    assert settled.args == ["other_card"]
    assert window.flow.step is Step.WELCOME and window.flow.identity is None
    assert PHONE not in " ".join(visible_texts(window.stack))


def test_no_question_on_the_receipt(qtbot, window, services, profile):
    identify_with_card(qtbot, window, services, profile)
    choose(qtbot, window, CRIMINAL_RECORD)
    form = window.screens[Step.FORM]
    fill_criminal_record_rest(qtbot, form)
    assert finish_form(qtbot, window)
    submit_from_review(qtbot, window)
    assert window.flow.step is Step.RECEIPT

    remove_card(qtbot, window, services)

    assert not window.overlay.isVisible() and window.flow.step is Step.RECEIPT


def test_no_question_for_a_session_identified_by_the_qr_code(qtbot, window, services, profile):
    click(qtbot, window.screens[Step.WELCOME].primary_button)
    services.camera.show(ASSETS_DIR / "samples" / "qr" / f"{profile.id_number}.png")
    wait_step(qtbot, window, Step.CHOOSE)
    assert window.flow.identity.source.value == "qr"
    with qtbot.waitSignal(window.card_bridge.card_inserted, timeout=5000):
        services.card_reader.insert(profile)  # laid on the reader later, then taken away

    remove_card(qtbot, window, services)

    assert not window.overlay.isVisible() and window.flow.step is Step.CHOOSE


def test_no_question_over_the_idle_question_and_never_twice(qtbot, window, services, profile):
    on_form_with_phone(qtbot, window, services, profile)
    window.idle.set_timeout(0.05)
    window.idle.poke()
    qtbot.waitUntil(lambda: window.overlay.isVisible() and window.overlay.purpose == "idle",
                    timeout=5000)
    remove_card(qtbot, window, services)
    assert window.overlay.purpose == "idle"  # the idle question stays; no second question
    window.idle.set_timeout(300)
    click(qtbot, window.overlay.yes_button)  # "I need more time"
    assert not window.overlay.isVisible() and window.flow.step is Step.FORM

    with qtbot.waitSignal(window.card_bridge.card_inserted, timeout=5000):
        services.card_reader.insert(profile)
    remove_card(qtbot, window, services)
    guard = window.card_guard
    assert guard.asking
    guard.tick()
    window.card_bridge.card_removed.emit()  # the reader reports a removal again
    assert guard.asking and guard.seconds_left == guard.answer_s - 1  # not asked anew

    click(qtbot, window.overlay.no_button)
    assert window.flow.step is Step.FORM


def test_cancel_button_question_is_not_replaced(qtbot, window, services, profile):
    on_form_with_phone(qtbot, window, services, profile)
    click(qtbot, window.screens[Step.FORM].cancel_button)
    assert window.overlay.purpose == "cancel" and window.overlay.isVisible()

    remove_card(qtbot, window, services)

    assert window.overlay.purpose == "cancel"
    click(qtbot, window.overlay.no_button)
    assert window.flow.step is Step.FORM and not window.card_guard.countdown.isActive()


def test_a_staff_assisted_session_is_asked_the_same_even_over_the_dashboard(qtbot, window,
                                                                            services, profile):
    services.ops.staff.add("NV001", "402718", by="ADMIN1")
    mode = window.staff_mode
    mode.signin.signed_in.emit(services.ops.staff.authenticate("NV001", "402718"))
    mode.set_assisting(True)
    mode.hide_dashboard()
    assert mode.assisted_by == "NV001"
    on_form_with_phone(qtbot, window, services, profile)
    mode.show_dashboard()  # staff look at the kiosk's state while the citizen takes the card

    remove_card(qtbot, window, services)

    assert window.card_guard.asking
    stacked = [w for w in window.children() if w in (window.overlay, mode.dashboard)]
    assert stacked[-1] is window.overlay  # the question is on top, where staff see it
    with qtbot.waitSignal(window.card_guard.settled, timeout=5000) as settled:
        click(qtbot, window.overlay.yes_button)
    assert settled.args == ["ended"]
    assert window.flow.step is Step.WELCOME and window.flow.identity is None
