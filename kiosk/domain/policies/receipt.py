"""The receipt goes back to the start by itself, but stays while the citizen uses it.

A citizen copying the dossier code, photographing it or reading the fee must not lose the screen
mid-way: every touch starts the count again from the full time, and "More time" adds a minute, at
least ten times (WCAG 2.2.1 asks for a simple action to extend, at least ten times). Only a
receipt nobody touches goes back to the start, after ``receipt_return_s`` seconds.
"""

from __future__ import annotations

import enum

from kiosk.domain.policies.countdown import Clock, Countdown

__all__ = ["MORE_TIME_S", "MAX_EXTENSIONS", "ReceiptAction", "ReceiptReturn"]

#: what "More time" adds, in seconds
MORE_TIME_S = 60
#: how many times "More time" may be pressed (WCAG 2.2.1: at least 10)
MAX_EXTENSIONS = 10


class ReceiptAction(enum.Enum):
    NONE = "none"      # not counting
    SHOW = "show"      # show ``seconds_left``
    RETURN = "return"  # time is up: back to the start


class ReceiptReturn:
    def __init__(self, clock: Clock, seconds: int) -> None:
        self._countdown = Countdown(clock)
        self.seconds = max(1, int(seconds))
        self.extensions = 0

    @property
    def running(self) -> bool:
        return self._countdown.running

    @property
    def seconds_left(self) -> int:
        return self._countdown.seconds_left

    @property
    def can_extend(self) -> bool:
        return self.running and self.extensions < MAX_EXTENSIONS

    def start(self) -> ReceiptAction:
        self.extensions = 0
        self._countdown.start(self.seconds)
        return ReceiptAction.SHOW

    def touched(self) -> ReceiptAction:
        """Someone is using the receipt: the full time again (never less than is left)."""
        if not self.running:
            return ReceiptAction.NONE
        self._countdown.start(max(self.seconds, self.seconds_left))
        return ReceiptAction.SHOW

    def more_time(self) -> ReceiptAction:
        """"More time": a minute more than is left now, while extensions remain."""
        if not self.can_extend:
            return ReceiptAction.SHOW if self.running else ReceiptAction.NONE
        self.extensions += 1
        self._countdown.start(self.seconds_left + MORE_TIME_S)
        return ReceiptAction.SHOW

    def step(self) -> ReceiptAction:
        """The clock moved: show the seconds left, or go back to the start when none are."""
        if not self.running:
            return ReceiptAction.NONE
        if self._countdown.expired:
            self._countdown.stop()
            return ReceiptAction.RETURN
        return ReceiptAction.SHOW

    def stop(self) -> None:
        self._countdown.stop()
