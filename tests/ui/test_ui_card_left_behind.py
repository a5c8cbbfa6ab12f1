"""A session ends only when the card is gone: "Done" with the card still on the reader asks the
citizen to take it (on screen, aloud, with the bell, again and again) until it is taken off, and
the next person's "Start" never identifies anyone from that card. Through the real window, the
virtual reader and the embedded portal (the field test's case: the previous citizen's name,
ID, birth date and address appeared for the next one)."""

from __future__ import annotations

import pytest

from kiosk.domain.flow import Step
from test_ui_journey import (CRIMINAL_RECORD, choose, click, fill_criminal_record_rest,
                             identify_with_card, submit_from_review)
from ui_helpers import finish_form, visible_texts, wait_step

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]


def to_receipt(qtbot, window, services, profile) -> None:
    identify_with_card(qtbot, window, services, profile)
    choose(qtbot, window, CRIMINAL_RECORD)
    fill_criminal_record_rest(qtbot, window.screens[Step.FORM])
    assert finish_form(qtbot, window)
    submit_from_review(qtbot, window)
    wait_step(qtbot, window, Step.RECEIPT)


def test_done_with_the_card_on_the_reader_asks_for_it_until_it_is_taken(qtbot, window, services,
                                                                        profile):
    to_receipt(qtbot, window, services, profile)
    notice = window.card_guard.take_card
    with qtbot.waitSignal(window.narrator.said, timeout=5000) as said:  # aloud, reading off
        click(qtbot, window.screens[Step.RECEIPT].primary_button)  # "Xong"
    assert window.flow.step is Step.WELCOME and not window.reading.on
    assert notice.isVisible() and notice.question.text() == "Vui lòng lấy thẻ căn cước"
    assert said.args[0].startswith("Vui lòng lấy thẻ căn cước")
    assert window.citizen_view() is notice  # read aloud reads the notice, not the welcome
    # nothing of the citizen anywhere, and the notice covers the Start key
    assert profile.full_name not in " ".join(visible_texts(window))
    start = window.screens[Step.WELCOME].primary_button
    assert window.childAt(start.mapTo(window, start.rect().center())) is not start
    with qtbot.waitSignal(window.narrator.said, timeout=5000):  # said again while it stays
        window.card_guard.reminder.timeout.emit()
    with qtbot.waitSignal(window.card_bridge.card_removed, timeout=5000):
        services.card_reader.remove()
    assert not notice.isVisible() and not window.card_guard.reminder.isActive()


def test_a_card_left_on_the_reader_never_identifies_the_next_citizen(qtbot, window, services,
                                                                     profile):
    to_receipt(qtbot, window, services, profile)
    click(qtbot, window.screens[Step.RECEIPT].primary_button)
    assert window.card_guard.policy.left_over
    # the next person reaches "Start" anyway (here: the notice put away by hand)
    window.card_guard.take_card.hide()
    reads = []
    window.card_bridge.read_started.connect(lambda: reads.append(1))
    click(qtbot, window.screens[Step.WELCOME].primary_button)
    qtbot.wait(300)
    identify = window.screens[Step.IDENTIFY]
    assert window.flow.step is Step.IDENTIFY and reads == [] and not identify.showing_result
    assert profile.full_name not in " ".join(visible_texts(window))
    # a card put on the reader now is the new citizen's own, and is read
    with qtbot.waitSignal(window.card_bridge.card_removed, timeout=5000):
        services.card_reader.remove()
    services.card_reader.insert(profile)
    qtbot.waitUntil(lambda: identify.showing_result, timeout=15_000)


def test_a_session_that_ends_without_the_card_asks_nothing(qtbot, window, services, profile):
    identify_with_card(qtbot, window, services, profile)
    with qtbot.waitSignal(window.card_bridge.card_removed, timeout=5000):
        services.card_reader.remove()
    click(qtbot, window.screens[Step.CHOOSE].cancel_button)
    click(qtbot, window.overlay.yes_button)
    assert window.flow.step is Step.WELCOME
    assert not window.card_guard.take_card.isVisible() and not window.card_guard.policy.left_over
