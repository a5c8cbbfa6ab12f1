"""The card taken off the reader mid-session: who may continue, decided without a window."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.domain.flow import Step
from kiosk.domain.identity import CitizenIdentity, IdSource
from kiosk.domain.policies.card import (
    ASKED_STEPS, CardAction, CardDecision, CardNote, CardSessionPolicy, Outcome,
)
from kiosk.domain.policies.countdown import ManualClock

CITIZEN = CitizenIdentity("079195012345", IdSource.CHIP, full_name="Trần Thị Minh Anh",
                          date_of_birth=dt.date(1995, 3, 14))
STRANGER = "001205067890"


def asked(step: Step = Step.FORM) -> tuple[CardSessionPolicy, ManualClock]:
    clock = ManualClock()
    policy = CardSessionPolicy(clock)
    policy.on_card_inserted()
    policy.on_step(step)
    assert policy.on_card_removed(step, CITIZEN, other_question=False) == CardDecision(CardAction.ASK)
    assert policy.asking and policy.seconds_left == 30 and policy.note is None
    return policy, clock


def test_continue_keeps_the_session_and_end_wipes_it() -> None:
    policy, _ = asked()
    assert policy.on_answer(end=False) == CardDecision(CardAction.CONTINUE, Outcome.CONTINUED)
    assert not policy.asking
    policy, _ = asked()
    assert policy.on_answer(end=True) == CardDecision(CardAction.END, Outcome.ENDED)


def test_nobody_answering_ends_the_session_when_the_time_is_up() -> None:
    policy, clock = asked()
    policy.answer_s = 5
    assert policy.answer_s == 20  # never less than WCAG 2.2.1's 20 seconds
    for left in range(29, 0, -1):
        clock.advance(1)
        assert policy.step() == CardDecision(CardAction.ASK) and policy.seconds_left == left
    clock.advance(1)
    assert policy.step() == CardDecision(CardAction.END, Outcome.EXPIRED)
    assert policy.step() == CardDecision(CardAction.NONE)


@pytest.mark.parametrize("step", [s for s in Step if s not in ASKED_STEPS])
def test_not_asked_outside_the_steps_between_choose_and_consent(step: Step) -> None:
    policy = CardSessionPolicy(ManualClock())
    assert policy.on_card_removed(step, CITIZEN, other_question=False).action is CardAction.NONE


@pytest.mark.parametrize("source", [IdSource.QR, IdSource.TYPED])
def test_not_asked_when_the_card_was_not_what_identified(source: IdSource) -> None:
    policy = CardSessionPolicy(ManualClock())
    identity = CitizenIdentity(CITIZEN.id_number, source)
    assert policy.on_card_removed(Step.FORM, identity, other_question=False).action is CardAction.NONE
    assert policy.on_card_removed(Step.FORM, None, other_question=False).action is CardAction.NONE


def test_never_over_another_question_and_never_twice() -> None:
    policy = CardSessionPolicy(ManualClock())
    assert policy.on_card_removed(Step.FORM, CITIZEN, other_question=True).action is CardAction.NONE
    policy, clock = asked()
    clock.advance(1)
    policy.step()
    assert policy.on_card_removed(Step.FORM, CITIZEN, other_question=False).action is CardAction.NONE
    assert policy.seconds_left == 29  # not asked anew


def test_the_same_card_put_back_continues() -> None:
    policy, _ = asked()
    assert policy.on_card_inserted() == CardDecision(CardAction.CHECK)
    assert policy.note is CardNote.CHECKING and policy.card_present
    policy.on_check_started(True)
    assert policy.on_identity_read(CITIZEN.id_number) == CardDecision(CardAction.CONTINUE,
                                                                      Outcome.CONTINUED)


def test_another_citizens_card_never_continues_the_session() -> None:
    policy, _ = asked()
    policy.on_card_inserted()
    policy.on_check_started(True)
    assert policy.on_read_failed() == CardDecision(CardAction.ASK)  # did not open: a person decides
    assert policy.asking and policy.note is CardNote.UNCHECKED
    policy.on_card_inserted()
    policy.on_check_started(True)
    assert policy.on_identity_read(STRANGER) == CardDecision(CardAction.END, Outcome.OTHER_CARD)
    assert not policy.asking


@given(st.text(alphabet="0123456789", min_size=12, max_size=12))
def test_only_the_sessions_own_id_number_continues(id_number: str) -> None:
    policy, _ = asked()
    policy.on_card_inserted()
    policy.on_check_started(True)
    decision = policy.on_identity_read(id_number)
    assert decision.outcome is (Outcome.CONTINUED if id_number == CITIZEN.id_number
                                else Outcome.OTHER_CARD)


def test_a_read_nobody_asked_for_is_ignored_and_a_busy_reader_reads_again() -> None:
    policy, _ = asked()
    assert policy.on_identity_read(CITIZEN.id_number).action is CardAction.NONE  # not a check
    policy.on_card_inserted()
    policy.on_check_started(False)  # the reader was busy with an earlier read
    assert policy.on_identity_read(STRANGER) == CardDecision(CardAction.CHECK)  # that one: again
    policy.on_check_started(True)
    assert policy.on_identity_read(CITIZEN.id_number).outcome is Outcome.CONTINUED
    assert policy.on_read_failed().action is CardAction.NONE  # settled: later reads change nothing


def test_a_question_replaced_or_a_flow_that_moved_stops_asking() -> None:
    policy, _ = asked()
    assert policy.on_question_replaced() == CardDecision(CardAction.STOP)
    assert not policy.asking and policy.on_answer(end=True).action is CardAction.NONE
    policy, _ = asked()
    assert policy.on_step(Step.WELCOME) == CardDecision(CardAction.STOP)


def test_the_card_and_the_session_are_followed_for_the_rules_at_their_edges() -> None:
    policy = CardSessionPolicy(ManualClock())
    assert not policy.card_present and not policy.session_open
    policy.on_card_inserted()
    policy.on_step(Step.IDENTIFY)
    assert policy.card_present and policy.session_open
    policy.on_step(Step.WELCOME)
    assert policy.card_present and not policy.session_open  # the next citizen would find it there
    policy.on_card_removed(Step.WELCOME, None, other_question=False)
    assert not policy.card_present


# -- the edges of a session: a session ends only when the card is gone -----------------------------
def test_a_session_that_ends_with_the_card_on_the_reader_asks_to_take_it():
    policy = CardSessionPolicy(ManualClock())
    policy.on_card_inserted()
    policy.on_step(Step.IDENTIFY)
    policy.on_step(Step.RECEIPT)
    decision = policy.on_step(Step.WELCOME)  # "Done"
    assert decision.action is CardAction.TAKE_CARD
    assert policy.left_over and not policy.fresh_card_present  # never identifies the next one
    assert policy.on_step(Step.WELCOME).action is CardAction.NONE  # asked once
    taken = policy.on_card_removed(Step.WELCOME, None, other_question=False)
    assert taken.action is CardAction.CARD_TAKEN and not policy.left_over


def test_a_session_that_ends_without_the_card_asks_nothing_and_a_new_card_is_fresh():
    policy = CardSessionPolicy(ManualClock())
    policy.on_step(Step.IDENTIFY)
    assert policy.on_step(Step.WELCOME).action is CardAction.NONE
    policy.on_card_inserted()
    assert policy.fresh_card_present
    policy.on_step(Step.IDENTIFY)
    policy.on_step(Step.WELCOME)
    assert policy.left_over
    policy.on_card_removed(Step.WELCOME, None, other_question=False)
    policy.on_card_inserted()  # the next citizen's own card
    assert policy.fresh_card_present


def test_the_end_of_a_session_while_asking_stops_the_question_and_asks_for_the_card():
    clock = ManualClock()
    policy = CardSessionPolicy(clock)
    policy.on_card_inserted()
    policy.on_step(Step.FORM)
    policy.on_card_removed(Step.FORM, CITIZEN, other_question=False)
    policy.on_card_inserted()  # put back, then the citizen cancels anyway
    assert policy.asking
    assert policy.on_step(Step.WELCOME).action is CardAction.TAKE_CARD and not policy.asking
