"""The ID card taken off the reader in the middle of a session, and who may continue it.

A citizen identified by the chip who takes the card away has most likely finished with the kiosk,
or walked off with the card and left their application on the screen. From CHOOSE to CONSENT the
kiosk asks "End and delete this application?" with a countdown (at least 20 s to answer, WCAG
2.2.1); nobody answering ends the session and wipes it. IDENTIFY handles a removal itself; on
SUBMITTING and RECEIPT taking the card is the normal ending. A session identified by its QR code or
a typed number is not asked (its card was never the key), nor is one already asked something else.

Putting a card back while asking reads it with the key of the session's own card (the screen
builds it from the session's ID number and birth date): only a card that opens with that key AND
carries the same ID number continues. A different person's card must never continue someone
else's application: a card with another ID number ends and wipes the session at once; a card that
cannot be read or checked leaves the question for a person to answer.

The policy also follows the card's presence and the session's start and end (``on_card_inserted``,
``on_card_removed``, ``on_step``) for the rules at the edges of a session. A session ends only when
the card is gone: ending one (Done, cancel, the time running out) with the card still on the
reader asks the citizen to take it (on screen, aloud, with a sound) until it is taken off. And
that card is *left over*: the next session never identifies anyone from it (its holder may have
walked away; the next person would see their name and address). Only a card put on the reader
after the last session ended is read.

Every event returns a ``CardDecision``: what the screen must do now. Nothing personal is kept
beyond the session's ID number, which is forgotten when the session ends.
"""

from __future__ import annotations

import dataclasses
import enum

from kiosk.domain.flow import Step
from kiosk.domain.identity import CitizenIdentity, IdSource
from kiosk.domain.policies.countdown import Clock, Countdown, answer_time

__all__ = ["ASKED_STEPS", "CardAction", "CardDecision", "CardNote", "CardSessionPolicy",
           "Outcome"]

#: the steps on which taking the card away asks (IDENTIFY has its own handling; after CONSENT
#: taking the card is the normal ending)
ASKED_STEPS = frozenset({Step.CHOOSE, Step.REQUIREMENTS, Step.FORM, Step.REVIEW, Step.CONSENT})


class CardAction(enum.Enum):
    NONE = "none"          # nothing to do
    ASK = "ask"            # show (or refresh) the question: ``seconds_left`` and ``note``
    CHECK = "check"        # read the card put back with the session's key (show the question too)
    CONTINUE = "continue"  # hide the question: the session goes on
    END = "end"            # end and wipe the session
    STOP = "stop"          # the question is gone (another took its place): watch for idleness again
    TAKE_CARD = "take_card"    # the session ended with the card on the reader: ask to take it
    CARD_TAKEN = "card_taken"  # the card left over was taken off: the kiosk is free again


class Outcome(enum.Enum):
    CONTINUED = "continued"    # answered "Continue", or the same card came back
    ENDED = "ended"            # answered "End and delete"
    EXPIRED = "expired"        # nobody answered in time
    OTHER_CARD = "other_card"  # a card with another ID number was put on the reader


class CardNote(enum.Enum):
    """A line above the question's usual detail."""

    CHECKING = "checking"    # a card was put back: being checked
    UNCHECKED = "unchecked"  # the card put back could not be read or checked


@dataclasses.dataclass(frozen=True)
class CardDecision:
    action: CardAction
    outcome: Outcome | None = None


_NOTHING = CardDecision(CardAction.NONE)


class CardSessionPolicy:
    """Asks, counts down, and ends or continues the session after the card was taken away."""

    def __init__(self, clock: Clock, *, answer_s: int = 30) -> None:
        self._countdown = Countdown(clock)
        self._answer_s = answer_time(answer_s)
        self._asking = False
        self._session_id: str | None = None  # the ID number of the session being asked about
        self._checking = False  # a read of a card put back while asking is ours to judge
        self._recheck = False   # a card came back while another read was still running
        self.note: CardNote | None = None
        self.card_present = False
        self.session_open = False
        #: the card on the reader was there when the last session ended: never identify from it
        self.left_over = False

    # -- state ---------------------------------------------------------------------------------
    @property
    def answer_s(self) -> int:
        return self._answer_s

    @answer_s.setter
    def answer_s(self, seconds: int) -> None:
        self._answer_s = answer_time(seconds)

    @property
    def asking(self) -> bool:
        return self._asking

    @property
    def seconds_left(self) -> int:
        return self._countdown.seconds_left

    # -- the session ---------------------------------------------------------------------------
    @property
    def fresh_card_present(self) -> bool:
        """A card is on the reader and was put there after the last session ended."""
        return self.card_present and not self.left_over

    def on_step(self, step: Step) -> CardDecision:
        """The flow moved (its screen already replaced any question): a session starts when the
        flow leaves WELCOME and ends when it comes back; ending with the card on the reader asks
        for it to be taken."""
        ended = self.session_open and step is Step.WELCOME
        self.session_open = step is not Step.WELCOME
        was_asking = self._asking
        if was_asking:
            self._settle()
        if ended and self.card_present:
            self.left_over = True  # (a question asked is over too: the screen stops its count)
            return CardDecision(CardAction.TAKE_CARD)
        return CardDecision(CardAction.STOP) if was_asking else _NOTHING

    # -- the card went away --------------------------------------------------------------------
    def on_card_removed(self, step: Step, identity: CitizenIdentity | None, *,
                        other_question: bool) -> CardDecision:
        """``other_question``: the screen already asks something (idle, cancel, this one)."""
        self.card_present = False
        if self.left_over:
            self.left_over = False
            return CardDecision(CardAction.CARD_TAKEN)
        if (step not in ASKED_STEPS or identity is None or identity.source is not IdSource.CHIP
                or other_question or self._asking):
            return _NOTHING
        self._asking, self._session_id = True, identity.id_number
        self._checking = self._recheck = False
        self.note = None
        self._countdown.start(self._answer_s)
        return CardDecision(CardAction.ASK)

    def step(self) -> CardDecision:
        """The clock moved: refresh the sentence, or end the session when the time is up."""
        if not self._asking:
            return _NOTHING
        if self._countdown.expired:
            return self._end(Outcome.EXPIRED)
        return CardDecision(CardAction.ASK)

    def on_question_replaced(self) -> CardDecision:
        """Another question took the screen's place: it decides now."""
        if not self._asking:
            return _NOTHING
        self._settle()
        return CardDecision(CardAction.STOP)

    # -- answers -------------------------------------------------------------------------------
    def on_answer(self, end: bool) -> CardDecision:
        if not self._asking:
            return _NOTHING
        return self._end(Outcome.ENDED) if end else self._continue()

    # -- a card was put back -------------------------------------------------------------------
    def on_card_inserted(self) -> CardDecision:
        self.card_present = True
        self.left_over = False  # put on the reader now: a card of its own, not the one left over
        if not self._asking:
            return _NOTHING
        self.note = CardNote.CHECKING
        return CardDecision(CardAction.CHECK)

    def on_check_started(self, started: bool) -> None:
        """The screen asked the reader to read the card put back; ``started`` is False when the
        reader was still busy with another read (this card is read again when that one ends)."""
        self._checking = True
        self._recheck = not started

    def on_identity_read(self, id_number: str) -> CardDecision:
        if not self._read_is_our_check():
            return CardDecision(CardAction.CHECK) if self._recheck_due() else _NOTHING
        if id_number == self._session_id:
            return self._continue()
        return self._end(Outcome.OTHER_CARD)

    def on_read_failed(self) -> CardDecision:
        """The card put back could not be read or opened with the session's key: a person
        decides (the question stays, the countdown goes on)."""
        if not self._read_is_our_check():
            return CardDecision(CardAction.CHECK) if self._recheck_due() else _NOTHING
        self.note = CardNote.UNCHECKED
        return CardDecision(CardAction.ASK)

    # -- inside --------------------------------------------------------------------------------
    def _read_is_our_check(self) -> bool:
        """A read ended: is it the check of the card put back? (A read that started before a
        second insertion is re-run instead; a read nobody asked for is ignored.)"""
        if not self._checking or not self._asking or self._recheck:
            return False
        self._checking = False
        return True

    def _recheck_due(self) -> bool:
        return self._checking and self._asking and self._recheck

    def _continue(self) -> CardDecision:
        self._settle()
        return CardDecision(CardAction.CONTINUE, Outcome.CONTINUED)

    def _end(self, outcome: Outcome) -> CardDecision:
        self._settle()
        return CardDecision(CardAction.END, outcome)

    def _settle(self) -> None:
        self._countdown.stop()
        self._asking = self._checking = self._recheck = False
        self._session_id = None
        self.note = None
