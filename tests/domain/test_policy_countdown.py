"""Countdowns the citizen is told about, on a clock moved by hand."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from kiosk.domain.policies.countdown import MIN_ANSWER_S, Countdown, ManualClock, answer_time
from kiosk.domain.policies.idle import receipt_return_s


def test_a_countdown_says_the_whole_seconds_left_and_ends_on_time() -> None:
    clock = ManualClock()
    countdown = Countdown(clock)
    assert not countdown.running and countdown.seconds_left == 0 and not countdown.expired
    countdown.start(3)
    assert countdown.seconds_left == 3 and not countdown.expired
    clock.advance(0.4)
    assert countdown.seconds_left == 3  # rounded up: "3 seconds" until a whole second has gone
    clock.advance(0.6)
    assert countdown.seconds_left == 2
    clock.advance(2)
    assert countdown.seconds_left == 0 and countdown.expired
    countdown.stop()
    assert not countdown.running and not countdown.expired


@given(st.integers(1, 600), st.integers(0, 700))
def test_one_tick_is_one_second_whatever_the_limit(seconds: int, ticks: int) -> None:
    clock = ManualClock(1_795_000_000.0)
    countdown = Countdown(clock)
    countdown.start(seconds)
    for _ in range(ticks):
        clock.advance(1.0)
    assert countdown.seconds_left == max(0, seconds - ticks)
    assert countdown.expired is (ticks >= seconds)


def test_no_question_that_ends_a_session_gets_less_than_20_seconds() -> None:
    assert MIN_ANSWER_S == 20
    assert [answer_time(s) for s in (0, 5, 19.9, 20, 45)] == [20, 20, 20, 20, 45]


def test_the_receipt_returns_within_a_minute_or_the_idle_limit() -> None:
    assert receipt_return_s(300) == 60 and receipt_return_s(45.5) == 45
