"""Taking the ID card off the reader in the middle of a session asks whether to end it.

A citizen identified by the chip who takes the card away has most likely finished with the kiosk,
or walked off with the card and left their application on the screen. From CHOOSE to CONSENT the
window's ``ConfirmOverlay`` asks "End and delete this application?" with a countdown (WCAG 2.2.1:
at least 20 s to answer, like the idle question); nobody answering ends the session and wipes it.
IDENTIFY handles a removal itself; on SUBMITTING and RECEIPT taking the card is the normal ending.

Putting a card back while the question is shown reads it with the key of the session's own card
(the CAN and birth date from the ID number the session holds): only a card that opens with that
key AND carries the same ID number dismisses the question. A different person's card must never
continue someone else's application: a card with another ID number ends and wipes the session at
once (the newcomer then starts their own from the welcome screen, their card is already on the
reader); a card that cannot be read or checked leaves the question for a person to answer.

Built and wired by the main window (``CardGuard(window)``); it only uses the window's flow,
overlay, card bridge and idle watcher. No personal data is logged.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from kiosk.domain.flow import Step
from kiosk.domain.identity import IdSource

__all__ = ["ASKED_STEPS", "CardGuard", "MIN_ANSWER_S", "PURPOSE"]

log = logging.getLogger(__name__)

#: the steps on which taking the card away asks (IDENTIFY has its own handling; after CONSENT
#: taking the card is the normal ending)
ASKED_STEPS = frozenset({Step.CHOOSE, Step.REQUIREMENTS, Step.FORM, Step.REVIEW, Step.CONSENT})
#: the overlay's purpose for this question (``ConfirmOverlay.answered`` carries it back)
PURPOSE = "card_removed"
#: WCAG 2.2.1 (Timing Adjustable): a time limit gets at least 20 s to answer its warning
MIN_ANSWER_S = 20


class CardGuard(QObject):
    """Asks, counts down, and ends or continues the session after the card was taken away."""

    #: "continued" (answered, or the same card came back), "ended" (answered), "expired"
    #: (nobody answered) or "other_card" (a card with another ID number was put on the reader)
    settled = Signal(str)

    def __init__(self, window: Any, *, answer_s: int = 30) -> None:
        super().__init__(window)
        self._window = window
        self._answer_s = max(MIN_ANSWER_S, int(answer_s))
        self.seconds_left = 0
        self.countdown = QTimer(self)
        self.countdown.setInterval(1000)
        self._checking = False   # a read of a card put back while asking is ours to judge
        self._recheck = False    # a card came back while another read was still running
        self._note = ""          # a line above the usual detail (checking, could not check)
        self.countdown.timeout.connect(self.tick)
        bridge = window.card_bridge
        bridge.card_removed.connect(self.on_card_removed)
        bridge.card_inserted.connect(self.on_card_inserted)
        bridge.identity_read.connect(self.on_identity_read)
        bridge.read_failed.connect(self.on_read_failed)
        bridge.key_required.connect(self.on_read_failed)
        window.overlay.answered.connect(self.on_answered)
        window.step_changed.connect(self._on_step_changed)

    # -- state ---------------------------------------------------------------------------------
    @property
    def answer_s(self) -> int:
        return self._answer_s

    @answer_s.setter
    def answer_s(self, seconds: int) -> None:
        self._answer_s = max(MIN_ANSWER_S, int(seconds))

    @property
    def asking(self) -> bool:
        overlay = self._window.overlay
        return overlay.isVisible() and overlay.purpose == PURPOSE

    def _should_ask(self) -> bool:
        flow = self._window.flow
        identity = flow.identity
        return (flow.step in ASKED_STEPS and identity is not None
                and identity.source is IdSource.CHIP
                and not self._window.overlay.isVisible())  # idle, cancel or this one: not twice

    # -- the card went away --------------------------------------------------------------------
    def on_card_removed(self) -> None:
        if not self._should_ask():
            return
        self.seconds_left = self._answer_s
        self._note = ""
        self._checking = self._recheck = False
        self._window.idle.set_active(False)  # the idle question must not replace this one
        self._ask()
        self.countdown.start()

    def _ask(self) -> None:
        detail = self.tr("To keep going, put the card back or press Continue. Otherwise "
                         "everything you entered will be deleted in {n} seconds.") \
            .format(n=self.seconds_left)
        if self._note:
            detail = self._note + "\n" + detail
        self._window.overlay.ask(self.tr("You took your ID card out. End and delete this "
                                         "application?"),
                                 detail, yes=self.tr("End and delete"), no=self.tr("Continue"),
                                 purpose=PURPOSE)

    def tick(self) -> None:
        """One second of the countdown (the timer calls it; tests may too)."""
        if not self.asking:  # another question took the overlay: it decides now
            self._stop()
            self._window.idle.set_active(self._window.flow.step in ASKED_STEPS)
            return
        self.seconds_left -= 1
        if self.seconds_left > 0:
            self._ask()
            return
        self._end("expired")

    # -- answers -------------------------------------------------------------------------------
    def on_answered(self, purpose: str, yes: bool) -> None:
        if purpose != PURPOSE:
            return
        if yes:
            self._end("ended")
        else:
            self._continue()

    def _continue(self) -> None:
        self._stop()
        self._window.overlay.hide()
        if self._window.flow.step in ASKED_STEPS:
            self._window.idle.set_active(True)  # watched again from now on
        self.settled.emit("continued")

    def _end(self, outcome: str) -> None:
        self._stop()
        flow = self._window.flow
        if flow.allowed("cancel") and flow.step is not Step.WELCOME:
            flow.cancel()  # wipes the session; the window wipes every screen
        self.settled.emit(outcome)

    def _stop(self) -> None:
        self.countdown.stop()
        self._checking = self._recheck = False
        self._note = ""

    def _on_step_changed(self, _step: Step) -> None:
        if not self.asking:
            self._stop()

    # -- a card was put back -------------------------------------------------------------------
    def on_card_inserted(self) -> None:
        if not self.asking:
            return
        self._note = self.tr("Checking the card… please leave it on the reader.")
        self._ask()
        self._start_check()

    def _start_check(self) -> None:
        key = self._session_key()
        self._checking = True
        self._recheck = not self._window.card_bridge.read(key)  # busy: read again when it ends

    def _session_key(self) -> Any:
        """The key of the card that identified the session: another card does not open with it."""
        from devices.card.reader_session import AccessKey

        identity = self._window.flow.identity
        dob = identity.date_of_birth
        try:
            return AccessKey.from_id(identity.id_number,
                                     dob.strftime("%y%m%d") if dob is not None else None)
        except ValueError:
            return None

    def _read_answers_check(self) -> bool:
        """A read ended: True when it is the check of the card put back (a read started before a
        second insertion is re-run instead; a read nobody asked for is ignored)."""
        if not self._checking or not self.asking:
            return False
        if self._recheck:
            self._start_check()
            return False
        self._checking = False
        return True

    def on_identity_read(self, card_read: Any) -> None:
        if not self._read_answers_check():
            return
        if card_read.identity.id_number == self._window.flow.identity.id_number:
            self._continue()
        else:
            log.info("Another citizen's card was put on the reader: the open session ends")
            self._end("other_card")

    def on_read_failed(self, *_args: Any) -> None:
        """The card put back could not be read or opened with the session's key: a person
        decides (the question stays, the countdown goes on)."""
        if not self._read_answers_check():
            return
        self._note = self.tr("The kiosk could not check this card. Press Continue only if this "
                             "is your application.")
        self._ask()
