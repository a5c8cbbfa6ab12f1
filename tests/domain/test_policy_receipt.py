"""The receipt stays while the citizen uses it: a touch starts the count again, "More time" adds a
minute (ten times at least, WCAG 2.2.1), and only a receipt nobody touches goes back to the start."""

from __future__ import annotations

from kiosk.domain.policies.countdown import ManualClock
from kiosk.domain.policies.receipt import (MAX_EXTENSIONS, MORE_TIME_S, ReceiptAction,
                                           ReceiptReturn)


def test_an_untouched_receipt_returns_after_its_time():
    clock = ManualClock()
    policy = ReceiptReturn(clock, 60)
    assert policy.step() is ReceiptAction.NONE and policy.start() is ReceiptAction.SHOW
    clock.advance(59)
    assert policy.step() is ReceiptAction.SHOW and policy.seconds_left == 1
    clock.advance(1)
    assert policy.step() is ReceiptAction.RETURN and not policy.running
    assert policy.step() is ReceiptAction.NONE  # once


def test_a_touch_starts_the_count_again_from_the_full_time():
    clock = ManualClock()
    policy = ReceiptReturn(clock, 60)
    policy.start()
    for _ in range(5):  # a citizen copying the code, touching now and then
        clock.advance(50)
        assert policy.touched() is ReceiptAction.SHOW and policy.seconds_left == 60
    clock.advance(59)
    assert policy.step() is ReceiptAction.SHOW


def test_more_time_adds_a_minute_at_least_ten_times_then_no_more():
    clock = ManualClock()
    policy = ReceiptReturn(clock, 60)
    policy.start()
    clock.advance(50)
    assert policy.more_time() is ReceiptAction.SHOW and policy.seconds_left == 10 + MORE_TIME_S
    for _ in range(MAX_EXTENSIONS - 1):
        assert policy.can_extend
        policy.more_time()
    assert MAX_EXTENSIONS >= 10 and not policy.can_extend
    left = policy.seconds_left
    policy.more_time()
    assert policy.seconds_left == left
    assert policy.touched() is ReceiptAction.SHOW and policy.seconds_left == left  # never less


def test_a_stopped_receipt_does_nothing():
    clock = ManualClock()
    policy = ReceiptReturn(clock, 60)
    policy.start()
    policy.stop()
    assert policy.touched() is ReceiptAction.NONE and policy.more_time() is ReceiptAction.NONE
    assert policy.step() is ReceiptAction.NONE
