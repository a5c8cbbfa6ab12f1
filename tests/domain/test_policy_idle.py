"""A citizen who walked away: noticed only during a session, warned, then wiped."""

from __future__ import annotations

from kiosk.domain.flow import Step
from kiosk.domain.policies.countdown import ManualClock
from kiosk.domain.policies.idle import WATCHED_STEPS, IdleAction, IdleQuestion, Inactivity


def test_inactivity_counts_from_the_last_touch_while_watched() -> None:
    clock = ManualClock()
    idle = Inactivity(clock, timeout_s=90)
    assert idle.remaining() is None and not idle.is_idle()  # the welcome screen is not watched
    idle.watch(True)
    clock.advance(60)
    idle.touched()
    clock.advance(89)
    assert not idle.is_idle() and idle.remaining() == 1 and idle.wake_in_ms() == 1000
    clock.advance(1)
    assert idle.is_idle() and idle.wake_in_ms() == 1
    idle.watch(False)
    assert not idle.is_idle() and idle.wake_in_ms() is None


def test_a_touch_while_not_watched_does_not_count_and_watching_starts_afresh() -> None:
    clock = ManualClock()
    idle = Inactivity(clock, timeout_s=10)
    clock.advance(100)
    idle.touched()
    idle.watch(True)
    clock.advance(9.5)
    assert not idle.is_idle()
    idle.timeout_s = 0  # a nonsense limit still waits a moment rather than firing at once
    assert idle.timeout_s > 0 and idle.is_idle()


def test_only_a_session_in_progress_is_asked() -> None:
    assert {step for step in Step if IdleQuestion.should_ask(step)} == WATCHED_STEPS
    assert not WATCHED_STEPS & {Step.WELCOME, Step.SUBMITTING, Step.RECEIPT}


def test_nobody_answering_ends_the_session_when_the_time_is_up() -> None:
    clock = ManualClock()
    question = IdleQuestion(clock)
    assert question.step() is IdleAction.NONE
    assert question.ask(3) is IdleAction.ASK and question.asking and question.seconds_left == 3
    clock.advance(1)
    assert question.step() is IdleAction.ASK and question.seconds_left == 2
    clock.advance(2)
    assert question.step() is IdleAction.END and not question.asking
    assert question.step() is IdleAction.NONE  # ends once


def test_more_time_continues_and_stop_ends() -> None:
    clock = ManualClock()
    question = IdleQuestion(clock)
    question.ask()
    assert question.seconds_left == 30
    assert question.answer(more_time=True) is IdleAction.CONTINUE and not question.asking
    question.ask()
    assert question.answer(more_time=False) is IdleAction.END
    question.ask()
    question.stop()
    clock.advance(60)
    assert question.step() is IdleAction.NONE
