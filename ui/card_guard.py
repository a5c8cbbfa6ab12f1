"""Renders the card-removal rule (``kiosk.domain.policies.card``): the question, its countdown, the
check of a card put back, and the end or continuation of the session the policy decides; and, when
a session ends with the card still on the reader, "Please take your ID card" over the welcome
screen, said aloud (whether or not reading is on) with the display's bell, again every 15 seconds,
until the card is taken off.

The policy decides; this class feeds it the reader's, the overlay's and the flow's events and
carries out its decisions: it asks on the window's ``ConfirmOverlay``, reads a card put back with
the session's own key, pauses the idle watcher while asking, and cancels the flow (which wipes
every screen) when the session ends. Its countdown's clock is the seconds the question has shown:
each one-second tick is one second of the policy's clock. No personal data is logged.
"""

from __future__ import annotations

import logging
from typing import Protocol

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal, SignalInstance
from PySide6.QtWidgets import QApplication, QWidget

from kiosk.domain.flow import Flow, Step
from kiosk.domain.policies.card import (
    ASKED_STEPS, CardAction, CardDecision, CardNote, CardSessionPolicy, Outcome,
)
from kiosk.domain.policies.countdown import MIN_ANSWER_S, ManualClock
from ui.devices import CardReaderBridge
from ui.spoken import spoken
from ui.widgets.chrome import ConfirmOverlay
from ui.widgets.take_card import TakeCardNotice

__all__ = ["ASKED_STEPS", "CardGuard", "MIN_ANSWER_S", "PURPOSE"]

log = logging.getLogger(__name__)

#: the overlay's purpose for this question (``ConfirmOverlay.answered`` carries it back)
PURPOSE = "card_removed"
#: how often "Please take your ID card" is said again while the card stays on the reader
REMIND_MS = 15_000


class IdleSwitch(Protocol):
    """The idle watcher, paused while this question is asked."""

    def set_active(self, active: bool) -> None: ...


class CardGuard(QObject):
    """Asks, counts down, and ends or continues the session after the card was taken away."""

    #: "continued" (answered, or the same card came back), "ended" (answered), "expired"
    #: (nobody answered) or "other_card" (a card with another ID number was put on the reader)
    settled = Signal(str)
    #: the card left on the reader at the session's end was taken off ("Please take..." went)
    card_taken = Signal()

    def __init__(self, flow: Flow, overlay: ConfirmOverlay, bridge: CardReaderBridge,
                 idle: IdleSwitch, step_changed: SignalInstance, parent: QObject | None = None, *,
                 answer_s: int = 30, host: QWidget | None = None,
                 announce: Callable[[str], object] | None = None) -> None:
        super().__init__(parent)
        self._flow, self._overlay, self._bridge, self._idle = flow, overlay, bridge, idle
        #: "Please take your ID card", over ``host`` (the window), said with ``announce``
        self.take_card = TakeCardNotice(host) if host is not None else None
        self._announce = announce or (lambda _text: None)
        self.reminder = QTimer(self)
        self.reminder.setInterval(REMIND_MS)
        self.reminder.timeout.connect(self._remind)
        self._host = host
        self._clock = ManualClock()
        self.policy = CardSessionPolicy(self._clock, answer_s=answer_s)
        self.countdown = QTimer(self)
        self.countdown.setInterval(1000)
        self.countdown.timeout.connect(self.tick)
        bridge.card_removed.connect(self.on_card_removed)
        bridge.card_inserted.connect(self.on_card_inserted)
        bridge.identity_read.connect(self.on_identity_read)
        bridge.read_failed.connect(self.on_read_failed)
        bridge.key_required.connect(self.on_read_failed)
        bridge.birth_date_required.connect(self.on_read_failed)
        overlay.answered.connect(self.on_answered)
        step_changed.connect(self.on_step_changed)

    # -- state ---------------------------------------------------------------------------------
    @property
    def answer_s(self) -> int:
        return self.policy.answer_s

    @answer_s.setter
    def answer_s(self, seconds: int) -> None:
        self.policy.answer_s = seconds

    @property
    def seconds_left(self) -> int:
        return self.policy.seconds_left

    @property
    def asking(self) -> bool:
        """The overlay shows this question (another question may have taken its place)."""
        return self._overlay.isVisible() and self._overlay.purpose == PURPOSE

    # -- events --------------------------------------------------------------------------------
    def on_card_removed(self) -> None:
        self._apply(self.policy.on_card_removed(self._flow.step, self._flow.identity,
                                                other_question=self._overlay.isVisible()))

    def on_card_inserted(self) -> None:
        if self._question_gone():
            self.policy.on_card_inserted()  # followed, nothing to ask
            return
        decision = self.policy.on_card_inserted()
        if decision.action is CardAction.CHECK:
            self._ask()
            self._check()

    def on_identity_read(self, card_read: object) -> None:
        if self._question_gone():
            return
        identity = getattr(card_read, "identity", None)
        id_number = getattr(identity, "id_number", "")
        decision = self.policy.on_identity_read(id_number)
        if decision.outcome is Outcome.OTHER_CARD:
            log.info("Another citizen's card was put on the reader: the open session ends")
        self._apply(decision)

    def on_read_failed(self, *_args: object) -> None:
        if not self._question_gone():
            self._apply(self.policy.on_read_failed())

    def on_answered(self, purpose: str, yes: bool) -> None:
        if purpose == PURPOSE:
            self._apply(self.policy.on_answer(end=yes))

    def on_step_changed(self, step: Step) -> None:
        self._apply(self.policy.on_step(step))

    def tick(self) -> None:
        """One second of the countdown (the timer calls it; tests may too)."""
        if self._question_gone():
            return
        self._clock.advance(1.0)
        self._apply(self.policy.step())

    # -- decisions -----------------------------------------------------------------------------
    def _question_gone(self) -> bool:
        """The policy asks but the overlay shows another question, which decides now: stop."""
        if self.policy.asking and not self.asking:
            self._apply(self.policy.on_question_replaced())
            return True
        return False

    def _apply(self, decision: CardDecision) -> None:
        action = decision.action
        if action is CardAction.ASK:
            if not self.countdown.isActive():  # a new question: the idle one must not replace it
                self._idle.set_active(False)
                self.countdown.start()
            self._ask()
        elif action is CardAction.CHECK:
            self._check()
        elif action is CardAction.CONTINUE:
            self.countdown.stop()
            self._overlay.hide()
            if self._flow.step in ASKED_STEPS:
                self._idle.set_active(True)  # watched again from now on
        elif action is CardAction.END:
            self.countdown.stop()
            if self._flow.allowed("cancel") and self._flow.step is not Step.WELCOME:
                self._flow.cancel()  # wipes the session; the window wipes every screen
        elif action is CardAction.STOP:
            self.countdown.stop()
            self._idle.set_active(self._flow.step in ASKED_STEPS)
        elif action is CardAction.TAKE_CARD:
            self.countdown.stop()
            self._overlay.hide()
            if self.take_card is not None and self._host is not None:
                self.take_card.show_over(self._host)
                self._remind()
                self.reminder.start()
        elif action is CardAction.CARD_TAKEN:
            self.reminder.stop()
            if self.take_card is not None:
                self.take_card.hide()
            self.card_taken.emit()
        if decision.outcome is not None:
            self.settled.emit(decision.outcome.value)

    def _remind(self) -> None:
        """Say "Please take your ID card" aloud, with the bell."""
        if self.take_card is None:
            return
        QApplication.beep()
        self._announce(spoken(self.take_card.text()))

    def close(self) -> None:
        self.reminder.stop()
        self.countdown.stop()

    def _ask(self) -> None:
        detail = self.tr("To keep going, put the card back or press Continue. Otherwise "
                         "everything you entered will be deleted in {n} seconds.") \
            .format(n=self.policy.seconds_left)
        note = {CardNote.CHECKING: self.tr("Checking the card… please leave it on the reader."),
                CardNote.UNCHECKED: self.tr("The kiosk could not check this card. Press Continue "
                                            "only if this is your application.")}.get(
            self.policy.note) if self.policy.note else None
        if note:
            detail = note + "\n" + detail
        self._overlay.ask(self.tr("You took your ID card out. End and delete this application?"),
                          detail, yes=self.tr("End and delete"), no=self.tr("Continue"),
                          purpose=PURPOSE)

    def _check(self) -> None:
        """Read the card put back with the key of the card that identified the session: another
        card does not open with it."""
        self.policy.on_check_started(self._bridge.read(self._session_key()))

    def _session_key(self) -> object:
        from devices.card.reader_session import AccessKey

        identity = self._flow.identity
        if identity is None:
            return None
        dob = identity.date_of_birth
        try:
            return AccessKey.from_id(identity.id_number,
                                     dob.strftime("%y%m%d") if dob is not None else None)
        except ValueError:
            return None
