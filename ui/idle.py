"""Renders the idle rules (``kiosk.domain.policies.idle``): a citizen who walked away is noticed,
asked "Do you need more time?" with a countdown, and their session is wiped if nobody answers.

``IdleWatcher`` feeds every touch and key press to ``Inactivity`` (on the monotonic clock) and wakes
when the policy says the citizen may be gone; ``IdleGuard`` shows the question on the window's
overlay and carries out ``IdleQuestion``'s decision. The question's clock is the seconds it has
shown: each one-second tick is one second of the policy's clock.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

from kiosk.domain.flow import Flow
from kiosk.domain.policies.countdown import ManualClock
from kiosk.domain.policies.idle import WARNING_S, IdleAction, IdleQuestion, Inactivity
from ui.widgets.chrome import ConfirmOverlay

__all__ = ["IdleGuard", "IdleWatcher", "PURPOSE"]

#: the overlay's purpose for the idle question
PURPOSE = "idle"

_INPUT_EVENTS = frozenset({
    QEvent.MouseButtonPress, QEvent.MouseButtonRelease, QEvent.KeyPress, QEvent.TouchBegin,
    QEvent.TouchUpdate, QEvent.Wheel, QEvent.InputMethod,
})


class IdleWatcher(QObject):
    """Emits ``became_idle`` once after ``timeout_s`` without touches, while active."""

    became_idle = Signal()

    def __init__(self, timeout_s: float, parent: QObject | None = None, *,
                 clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(parent)
        self.inactivity = Inactivity(clock, timeout_s)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._on_timer)
        # the application-wide filter sees every event of every widget: it is installed only while
        # a session is watched, so the welcome screen and the screens between sessions pay nothing
        self._app = QApplication.instance()
        self._filtering = False

    def set_timeout(self, timeout_s: float) -> None:
        self.inactivity.timeout_s = timeout_s
        if self._timer.isActive():
            self._arm()

    def set_active(self, active: bool) -> None:
        """Watch during a citizen's session; stop on the welcome, busy and receipt screens."""
        self.inactivity.watch(active)
        self._filter(active)
        self._arm()

    def _filter(self, on: bool) -> None:
        if self._app is None or on == self._filtering:
            return
        if on:
            self._app.installEventFilter(self)
        else:
            self._app.removeEventFilter(self)
        self._filtering = on

    def poke(self) -> None:
        """Someone is here: start counting again."""
        if self.inactivity.watching:
            self.inactivity.touched()
            self._arm()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if self.inactivity.watching and event.type() in _INPUT_EVENTS:
            self.inactivity.touched()
            self._arm()
        return False

    def _arm(self) -> None:
        wake_in = self.inactivity.wake_in_ms()
        if wake_in is None:
            self._timer.stop()
        else:
            self._timer.start(wake_in)

    def _on_timer(self) -> None:
        if self.inactivity.is_idle():
            self.became_idle.emit()
        else:  # woke a little early: look again when the policy says
            self._arm()

    def close(self) -> None:
        self._timer.stop()
        self.inactivity.watch(False)
        self._filter(False)
        self._app = None


class IdleGuard(QObject):
    """Asks "Do you need more time?" when the watcher says the citizen may be gone."""

    def __init__(self, flow: Flow, overlay: ConfirmOverlay, watcher: IdleWatcher,
                 parent: QObject | None = None, *, warning_s: int = WARNING_S) -> None:
        super().__init__(parent)
        self._flow, self._overlay = flow, overlay
        self.warning_s = warning_s  # WCAG 2.2.1 asks for at least 20 s to answer
        self._clock = ManualClock()
        self.question = IdleQuestion(self._clock)
        self.countdown = QTimer(self)
        self.countdown.setInterval(1000)
        self.countdown.timeout.connect(self.tick)
        watcher.became_idle.connect(self.on_became_idle)

    def on_became_idle(self) -> None:
        if self.question.should_ask(self._flow.step):
            self._apply(self.question.ask(self.warning_s))
            self.countdown.start()

    def tick(self) -> None:
        """One second of the countdown (the timer calls it)."""
        self._clock.advance(1.0)
        self._apply(self.question.step())

    def on_answered(self, purpose: str, yes: bool) -> IdleAction:
        """Any answer on the overlay stops the countdown; the idle question's answer decides."""
        self.countdown.stop()
        if purpose == PURPOSE and self.question.asking:
            return self.question.answer(more_time=yes)
        self.question.stop()
        return IdleAction.NONE

    def stop(self) -> None:
        """The flow moved or the window closes: the question is gone."""
        self.countdown.stop()
        self.question.stop()

    def _apply(self, action: IdleAction) -> None:
        if action is IdleAction.ASK:
            # the main window's words: one translation context for the window's questions
            self._overlay.ask(
                QCoreApplication.translate("MainWindow", "Do you need more time?"),
                QCoreApplication.translate(
                    "MainWindow", "To protect your information, this application will be deleted "
                                  "in {n} seconds.").format(n=self.question.seconds_left),
                yes=QCoreApplication.translate("MainWindow", "Yes, I need more time"),
                no=QCoreApplication.translate("MainWindow", "Stop and delete"),
                purpose=PURPOSE, yes_role="primary")
        elif action is IdleAction.END:
            self.countdown.stop()
            if self._flow.allowed("cancel"):
                self._flow.cancel()
