"""A time limit the citizen is told about ("deleted in 19 seconds"), read from an injected clock.

The clock is whatever the caller counts time with: tests move a ``ManualClock`` by hand; the
screens count the seconds their one-second timer has shown (each tick advances their clock by one
second), so the sentence on the screen and the deadline can never disagree, even when the GUI
thread was busy for a moment: the citizen always gets every second they were promised.
"""

from __future__ import annotations

import math
from collections.abc import Callable

__all__ = ["Clock", "Countdown", "MIN_ANSWER_S", "ManualClock", "answer_time"]

#: Seconds from some fixed start; only differences matter.
Clock = Callable[[], float]

#: WCAG 2.2.1 (Timing Adjustable): a time limit gets at least 20 s to answer its warning.
MIN_ANSWER_S = 20


def answer_time(seconds: float) -> int:
    """Whole seconds to answer a question that ends a session: never less than ``MIN_ANSWER_S``."""
    return max(MIN_ANSWER_S, int(seconds))


class ManualClock:
    """A clock moved by hand: the tests' clock, and the screens' count of the seconds shown."""

    def __init__(self, start: float = 0.0) -> None:
        self.now = float(start)

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float = 1.0) -> None:
        self.now += seconds


class Countdown:
    """Started with a number of seconds; says how many are left and when they are over."""

    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._deadline: float | None = None

    def start(self, seconds: float) -> None:
        self._deadline = self._clock() + seconds

    def stop(self) -> None:
        self._deadline = None

    @property
    def running(self) -> bool:
        return self._deadline is not None

    @property
    def seconds_left(self) -> int:
        """Whole seconds left, rounded up (what the sentence says); 0 when stopped or over."""
        if self._deadline is None:
            return 0
        return max(0, math.ceil(self._deadline - self._clock() - 1e-9))

    @property
    def expired(self) -> bool:
        return self._deadline is not None and self._clock() >= self._deadline - 1e-9
