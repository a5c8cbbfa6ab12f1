"""A citizen who walked away must not leave their data on the screen (WCAG 2.2.1: warn first, and
let them ask for more time).

``Inactivity`` notices that nobody has touched the screen for ``timeout_s`` during a watched step
(real time: the screen's clock is monotonic). ``IdleQuestion`` then asks "Do you need more time?"
with a countdown; nobody answering, or "Stop and delete", ends and wipes the session. The receipt
goes back to the start by itself after ``receipt_return_s`` seconds.
"""

from __future__ import annotations

import enum
import math

from kiosk.domain.flow import Step
from kiosk.domain.policies.countdown import Clock, Countdown

__all__ = ["IdleAction", "IdleQuestion", "Inactivity", "WATCHED_STEPS", "WARNING_S",
           "receipt_return_s"]

#: the steps during which a citizen who walks away is noticed (the others end by themselves)
WATCHED_STEPS = frozenset({Step.IDENTIFY, Step.CHOOSE, Step.REQUIREMENTS, Step.FORM, Step.REVIEW,
                           Step.CONSENT})
#: seconds to answer "Do you need more time?" (WCAG 2.2.1 asks for at least 20)
WARNING_S = 30
#: the receipt returns to the start after at most this long
RECEIPT_MAX_S = 60.0


def receipt_return_s(idle_timeout_s: float) -> int:
    """The receipt's countdown: a minute, or the kiosk's idle limit when that is shorter."""
    return int(min(RECEIPT_MAX_S, idle_timeout_s))


class Inactivity:
    """``timeout_s`` without a touch while watched: the citizen may have walked away."""

    def __init__(self, clock: Clock, timeout_s: float) -> None:
        self._clock = clock
        self._timeout_s = 0.001
        self.timeout_s = timeout_s
        self._watching = False
        self._last_touch = clock()

    @property
    def timeout_s(self) -> float:
        return self._timeout_s

    @timeout_s.setter
    def timeout_s(self, seconds: float) -> None:
        self._timeout_s = max(0.001, float(seconds))

    @property
    def watching(self) -> bool:
        return self._watching

    def watch(self, active: bool) -> None:
        """Watch during a citizen's session (counting afresh); not on welcome, busy or receipt."""
        self._watching = active
        self._last_touch = self._clock()

    def touched(self) -> None:
        """Someone is here: count again from now (only while watching)."""
        if self._watching:
            self._last_touch = self._clock()

    def remaining(self) -> float | None:
        """Seconds until the citizen counts as gone; None when not watching."""
        if not self._watching:
            return None
        return max(0.0, self._last_touch + self._timeout_s - self._clock())

    def is_idle(self) -> bool:
        remaining = self.remaining()
        return remaining is not None and remaining <= 1e-9

    def wake_in_ms(self) -> int | None:
        """When a timer should look again, in whole milliseconds (at least 1); None: no need."""
        remaining = self.remaining()
        return None if remaining is None else max(1, math.ceil(remaining * 1000))


class IdleAction(enum.Enum):
    NONE = "none"          # nothing to do
    ASK = "ask"            # show (or refresh) the question with ``seconds_left``
    CONTINUE = "continue"  # the citizen asked for more time: watch again
    END = "end"            # end and wipe the session


class IdleQuestion:
    """"Do you need more time?" with a countdown; asked only during a watched step."""

    def __init__(self, clock: Clock) -> None:
        self._countdown = Countdown(clock)

    @staticmethod
    def should_ask(step: Step) -> bool:
        return step in WATCHED_STEPS

    @property
    def asking(self) -> bool:
        return self._countdown.running

    @property
    def seconds_left(self) -> int:
        return self._countdown.seconds_left

    def ask(self, warning_s: int = WARNING_S) -> IdleAction:
        self._countdown.start(warning_s)
        return IdleAction.ASK

    def step(self) -> IdleAction:
        """The clock moved: refresh the question, or end the session when the time is up."""
        if not self._countdown.running:
            return IdleAction.NONE
        if self._countdown.expired:
            self._countdown.stop()
            return IdleAction.END
        return IdleAction.ASK

    def answer(self, more_time: bool) -> IdleAction:
        self._countdown.stop()
        return IdleAction.CONTINUE if more_time else IdleAction.END

    def stop(self) -> None:
        """The question went away (the flow moved, another question was answered)."""
        self._countdown.stop()
