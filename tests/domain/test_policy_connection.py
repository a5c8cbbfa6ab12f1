"""The connection check's schedule: honest while a citizen is there, sparse while nobody is."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.domain.policies.connection import HealthSchedule


def test_waiting_kiosk_checks_less_and_less_often_up_to_the_cap():
    schedule = HealthSchedule(10, 300)

    gaps = [schedule.checked(True) for _ in range(8)]

    assert gaps == [10, 20, 40, 80, 160, 300, 300, 300]


def test_a_citizen_gets_a_check_every_base_interval():
    schedule = HealthSchedule(10, 300)
    schedule.set_active(True, since_last_check_s=1.0)

    assert [schedule.checked(True) for _ in range(4)] == [10, 10, 10, 10]


def test_a_session_after_a_long_quiet_checks_at_once():
    schedule = HealthSchedule(10, 300)
    for _ in range(6):
        schedule.checked(True)

    assert schedule.set_active(True, since_last_check_s=200.0) == 0.0
    assert schedule.checked(True) == 10


def test_a_session_soon_after_a_check_waits_only_for_the_rest_of_the_interval():
    schedule = HealthSchedule(10, 300)

    assert schedule.set_active(True, since_last_check_s=4.0) == pytest.approx(6.0)
    assert schedule.set_active(True, since_last_check_s=4.0) is None  # no change, same plan


def test_no_check_yet_means_check_now_when_a_session_starts():
    assert HealthSchedule(10, 300).set_active(True, since_last_check_s=None) == 0.0


def test_back_to_waiting_grows_again_from_the_base_interval():
    schedule = HealthSchedule(10, 300)
    schedule.set_active(True, 0.0)
    schedule.checked(True)

    assert schedule.set_active(False, 3.0) is None  # the planned check still comes
    assert [schedule.checked(True) for _ in range(3)] == [10, 20, 40]


def test_a_changed_answer_is_followed_closely_again():
    schedule = HealthSchedule(10, 300)
    for _ in range(5):
        schedule.checked(True)

    assert schedule.checked(False) == 10  # the portal went away: look again soon
    assert schedule.checked(False) == 20
    assert schedule.checked(True) == 10  # and back


def test_intervals_must_be_positive_and_the_cap_is_at_least_the_base():
    with pytest.raises(ValueError):
        HealthSchedule(0, 300)
    with pytest.raises(ValueError):
        HealthSchedule(10, -1)
    assert HealthSchedule(10, 5).idle_max_s == 10


@given(st.lists(st.tuples(st.booleans(), st.booleans()), max_size=60),
       st.floats(0.5, 60), st.floats(0.5, 3600))
def test_every_gap_lies_between_the_base_and_the_cap(events, base, cap):
    schedule = HealthSchedule(base, cap)
    for is_session, reachable in events:
        due = schedule.set_active(is_session, since_last_check_s=1.0)
        assert due is None or 0.0 <= due <= base
        gap = schedule.checked(reachable)
        assert base <= gap <= max(base, cap)
        if is_session:
            assert gap == base
