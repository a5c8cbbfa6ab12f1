"""Which of the chip, the card's QR code and a typed ID number identifies the citizen.

The chip's details are verified (passive authentication), so they beat the QR code's and a typed
number's: a QR code shown while a card waits on the reader for its key opens the chip with the
QR's ID (CAN) and birth date (BAC) instead of identifying by itself, and a typed number gives the
chip its CAN. A QR code shown while the chip is being read waits for the chip's answer. A card laid
on the reader at the welcome screen starts a session and is read on arrival at IDENTIFY.

The functions take the facts of the moment and return what the screens must do; building the
chip's key from an ID number is the card reader's business (the screens call it).
"""

from __future__ import annotations

import dataclasses
import enum

from kiosk.domain.flow import Step

__all__ = ["IdChoice", "ReaderState", "choose_for_card", "choose_for_qr", "choose_for_typed_id",
           "read_on_arrival"]


class IdChoice(enum.Enum):
    IGNORE = "ignore"                # not the moment, or the chip's answer is on its way
    START = "start"                  # leave the welcome screen first, then decide again
    START_AND_READ_WITH_QR_KEY = "start_and_read_with_qr_key"  # the card is read on arrival
    READ_CHIP = "read_chip"          # read the card on the reader (its key is asked if needed)
    READ_CHIP_WITH_QR_KEY = "read_chip_with_qr_key"  # the chip waits for its key: the QR has it
    READ_CHIP_WITH_CAN = "read_chip_with_can"        # the chip waits for its key: the typed ID
    IDENTIFY_BY_QR = "identify_by_qr"
    IDENTIFY_BY_TYPED_ID = "identify_by_typed_id"


@dataclasses.dataclass(frozen=True)
class ReaderState:
    card_present: bool = False
    reading: bool = False     # a read is running: its answer is coming
    key_needed: bool = False  # the card on the reader waits for its key (CAN or MRZ)


def choose_for_qr(step: Step, reader: ReaderState, *, has_key: bool,
                  showing_result: bool = False) -> IdChoice:
    """A CCCD QR code was read (welcome or identify screen, or the scan view).

    ``has_key``: the QR's details make a chip key; ``showing_result``: the identify screen already
    shows a chip's details (the citizen continues from there)."""
    if step is Step.WELCOME:
        return IdChoice.START_AND_READ_WITH_QR_KEY if reader.card_present else IdChoice.START
    if step is not Step.IDENTIFY or showing_result or reader.reading:
        return IdChoice.IGNORE
    if reader.card_present and has_key and reader.key_needed:
        return IdChoice.READ_CHIP_WITH_QR_KEY
    return IdChoice.IDENTIFY_BY_QR


def choose_for_typed_id(reader: ReaderState, *, can_identify: bool) -> IdChoice:
    """The citizen typed their ID number: the chip's CAN if the card waits for it, else an
    identity of its own (``can_identify``: the flow is on IDENTIFY)."""
    if reader.key_needed:
        return IdChoice.READ_CHIP_WITH_CAN
    return IdChoice.IDENTIFY_BY_TYPED_ID if can_identify else IdChoice.IGNORE


def choose_for_card(step: Step) -> IdChoice:
    """A card was laid on the reader."""
    if step is Step.WELCOME:
        return IdChoice.START  # read on arrival at IDENTIFY (``read_on_arrival``)
    if step is Step.IDENTIFY:
        return IdChoice.READ_CHIP
    return IdChoice.IGNORE


def read_on_arrival(old: Step, new: Step, *, card_present: bool) -> bool:
    """Arriving at IDENTIFY from the welcome screen with a card on the reader reads it."""
    return new is Step.IDENTIFY and old is Step.WELCOME and card_present
