"""The connection check on the real window: sparse while the welcome screen waits, every
interval while a citizen is there (the schedule itself: tests/domain/test_policy_connection.py)."""

from __future__ import annotations

import pytest

from kiosk.domain.flow import Step
from ui_helpers import wait_step

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]

BASE_MS = 30_000  # ui_helpers.make_config: portal.health_interval_s
SLACK_MS = 8_000  # the time a loaded machine may take between a check's end and the look


def check_now(qtbot, window) -> int:
    """One check through the real portal; the milliseconds until the next one it planned."""
    with qtbot.waitSignal(window.monitor.status_changed, timeout=10_000):
        window.monitor.refresh()
    planned = window.monitor.next_check_ms
    assert planned is not None
    return planned


def within(planned: int, gap_ms: int) -> bool:
    """A coarse Qt timer may fire up to 5 % late, and counts that in its remaining time."""
    return gap_ms - SLACK_MS < planned <= gap_ms * 1.05 + 50


def test_waiting_welcome_screen_checks_less_and_less_often(qtbot, window):
    assert window.flow.step is Step.WELCOME
    assert window.monitor.status.reachable

    assert within(check_now(qtbot, window), 2 * BASE_MS)  # the first check took BASE_MS
    assert within(check_now(qtbot, window), 4 * BASE_MS)
    assert within(check_now(qtbot, window), 8 * BASE_MS)


def test_a_citizen_gets_a_check_every_interval_and_the_quiet_resumes_after(qtbot, window):
    for _ in range(3):
        check_now(qtbot, window)  # a long gap planned on the welcome screen

    window.flow.start()
    wait_step(qtbot, window, Step.IDENTIFY)
    planned = window.monitor.next_check_ms  # the long plan gave way: the pill is seen now
    assert planned is not None and planned <= BASE_MS * 1.05 + 50
    assert within(check_now(qtbot, window), BASE_MS)
    assert within(check_now(qtbot, window), BASE_MS)

    window.flow.cancel()
    wait_step(qtbot, window, Step.WELCOME)
    assert within(check_now(qtbot, window), BASE_MS)
    assert within(check_now(qtbot, window), 2 * BASE_MS)


def test_no_check_is_planned_after_shutdown(qtbot, window):
    window.monitor.stop()
    assert window.monitor.next_check_ms is None
    window.monitor.set_active(True)
    assert window.monitor.next_check_ms is None
