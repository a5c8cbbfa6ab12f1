"""Chip, QR code or typed ID number: which one identifies, decided without a window."""

from __future__ import annotations

import pytest

from kiosk.domain.flow import Step
from kiosk.domain.policies.identification import (
    IdChoice, ReaderState, choose_for_card, choose_for_qr, choose_for_typed_id, read_on_arrival,
)

WAITING = ReaderState(card_present=True, key_needed=True)


def test_a_qr_shown_on_the_welcome_screen_starts_and_a_waiting_card_opens_with_its_key() -> None:
    assert choose_for_qr(Step.WELCOME, ReaderState(), has_key=True) is IdChoice.START
    assert choose_for_qr(Step.WELCOME, ReaderState(card_present=True), has_key=False) \
        is IdChoice.START_AND_READ_WITH_QR_KEY


def test_the_chip_beats_the_qr_code() -> None:
    assert choose_for_qr(Step.IDENTIFY, WAITING, has_key=True) is IdChoice.READ_CHIP_WITH_QR_KEY
    assert choose_for_qr(Step.IDENTIFY, ReaderState(card_present=True, reading=True),
                         has_key=True) is IdChoice.IGNORE  # the chip's answer is on its way
    assert choose_for_qr(Step.IDENTIFY, ReaderState(), has_key=True, showing_result=True) \
        is IdChoice.IGNORE


@pytest.mark.parametrize("reader, has_key", [
    (ReaderState(), True),                                   # no card: the QR identifies
    (WAITING, False),                                        # its ID makes no chip key
    (ReaderState(card_present=True), True),                  # a card that needs no key
])
def test_otherwise_the_qr_code_identifies(reader: ReaderState, has_key: bool) -> None:
    assert choose_for_qr(Step.IDENTIFY, reader, has_key=has_key) is IdChoice.IDENTIFY_BY_QR


@pytest.mark.parametrize("step", [s for s in Step if s not in (Step.WELCOME, Step.IDENTIFY)])
def test_a_qr_code_later_in_the_session_changes_nobody(step: Step) -> None:
    assert choose_for_qr(step, WAITING, has_key=True) is IdChoice.IGNORE


def test_a_typed_number_is_the_chips_key_when_the_card_waits_for_one() -> None:
    assert choose_for_typed_id(WAITING, can_identify=True) is IdChoice.READ_CHIP_WITH_CAN
    assert choose_for_typed_id(ReaderState(), can_identify=True) is IdChoice.IDENTIFY_BY_TYPED_ID
    assert choose_for_typed_id(ReaderState(), can_identify=False) is IdChoice.IGNORE


def test_a_card_laid_on_the_reader() -> None:
    assert choose_for_card(Step.WELCOME) is IdChoice.START
    assert choose_for_card(Step.IDENTIFY) is IdChoice.READ_CHIP
    assert choose_for_card(Step.FORM) is IdChoice.IGNORE
    assert read_on_arrival(Step.WELCOME, Step.IDENTIFY, card_present=True)
    assert not read_on_arrival(Step.WELCOME, Step.IDENTIFY, card_present=False)
    assert not read_on_arrival(Step.CHOOSE, Step.IDENTIFY, card_present=True)  # back: not again
