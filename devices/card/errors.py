"""Card reader errors, ordered by the phase in which they happen.

Every message is written for the person standing at the kiosk (citizen) or the staff member
helping them; IT details go in attributes, never personal data::

    CardError                      anything the card layer cannot do
     +-- NoReader                  setup: no reader connected / PC/SC service not running   (staff/IT)
     +-- NoCard                    presence: no card on the reader                          (citizen)
     +-- CardRemoved               reading: the card left the reader mid-read               (citizen)
     +-- AccessDenied              access control: the chip refused the key (PACE/BAC)      (staff)
     |    +-- BirthDateRequired    a BAC-only chip and no date of birth to build its key    (citizen)
     +-- SecureMessagingError      secure channel: MAC/sequence failure after access        (retry)
     +-- MalformedData             parsing: a data group could not be decoded               (staff)
     +-- VerificationFailed        trust: passive authentication did not verify             (staff)
     +-- CardTimeout               any phase: the read did not finish in time               (retry)
     +-- UnsupportedOperation      this backend or card cannot do what was asked            (fallback)

``retryable`` says whether asking the citizen to try again can help. ``sw`` is the card's status
word when the card answered with one, ``detail`` a technical note for IT logs (no personal data),
``step`` the part of the read that failed ("PACE", "read DG2", "chip authentication"...): the
reader fills it in, ``kiosk card read -v`` prints all three.
"""

from __future__ import annotations

__all__ = [
    "AccessDenied",
    "BirthDateRequired",
    "CardError",
    "CardRemoved",
    "CardTimeout",
    "MalformedData",
    "NoCard",
    "NoReader",
    "SecureMessagingError",
    "UnsupportedOperation",
    "VerificationFailed",
]


class CardError(Exception):
    """Base class; ``str(err)`` is a sentence a citizen or staff member can act on."""

    default_message = "The card could not be read. Please try again or ask a staff member."
    retryable = True

    def __init__(self, message: str | None = None, *, sw: int | None = None, detail: str = "",
                 step: str = "") -> None:
        super().__init__(message or self.default_message)
        self.sw = sw
        self.detail = detail
        self.step = step


class NoReader(CardError):
    default_message = (
        "No card reader is available. Staff: check that the reader is plugged in and that the "
        "smart card service (pcscd) is running."
    )
    retryable = False


class NoCard(CardError):
    default_message = "Please place your ID card flat on the reader, chip side up."


class CardRemoved(CardError):
    default_message = (
        "The card was moved away before reading finished. Please put it back and leave the card on "
        "the reader until the screen says it's done."
    )


class AccessDenied(CardError):
    default_message = (
        "The card refused the access key. Please check the ID number you entered, or ask a staff "
        "member for help."
    )
    retryable = False


class BirthDateRequired(AccessDenied):
    """PACE is not possible (the chip has no PACE, or refused it) and BAC's key needs the date
    of birth, which the kiosk does not have (an ID number typed without the QR code). Not a
    wrong key: the UI asks for the date of birth and reads again."""

    default_message = (
        "This card can only be opened with the date of birth printed on it. Please enter your "
        "date of birth, or show the QR code on your card to the camera."
    )
    retryable = True


class SecureMessagingError(CardError):
    default_message = (
        "The connection to the card's chip was interrupted. Please leave the card on the reader and "
        "try again."
    )


class MalformedData(CardError):
    default_message = (
        "The card's chip contains data the kiosk cannot understand. Please scan the QR code on the "
        "card instead, or ask a staff member."
    )
    retryable = False


class VerificationFailed(CardError):
    default_message = (
        "The card's data could not be verified as genuine. Please ask a staff member for help."
    )
    retryable = False


class CardTimeout(CardError):
    default_message = (
        "Reading the card took too long. Please leave the card still on the reader and try again."
    )


class UnsupportedOperation(CardError):
    default_message = (
        "This reader cannot read the card's chip. Please type your ID number or show the QR code "
        "on your card to the camera."
    )
    retryable = False
