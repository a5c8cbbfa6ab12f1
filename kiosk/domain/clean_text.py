"""One gate for text that comes from a card or a code: the chip's data groups and the printed QR.

A chip or a QR code can carry anything: control characters (zxing-cpp's default text mode even
turns them into visible ``<NUL>``), bidirectional overrides that make a name display reversed,
zero-width characters that make two different names look the same, digits from other scripts
(``٠١٢``, ``１２３``: ``str.isdigit`` and ``int`` accept them) in an ID number, or an issue date in
2099. Everything that reaches a form goes through these functions first:

    clean_name(text)          a person's name: letters, marks, spaces, ' - .
    clean_text(text)          an address or other free text: also digits and , / ( ) # :
    ascii_digits(text, n)     an ID number or other number: ASCII digits only, n of them
    check_date(day, kind)     a birth, issue or expiry date that can exist

Text is normalised to NFC and its spaces collapsed. A refusal raises ``UnsafeText`` whose message
says what was wrong and never repeats the text itself (it may be personal data, or an attack).
"""

from __future__ import annotations

import datetime as dt
import enum
import unicodedata

__all__ = ["DateKind", "TextProblem", "UnsafeText", "ascii_digits", "check_date", "clean_name",
           "clean_text"]

_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_INVISIBLE = frozenset("\u00ad\u034f\u115f\u1160\u17b4\u17b5\u180e\u200b\u200c\u200d\u2060"
                       "\u2061\u2062\u2063\u2064\u3164\ufeff\uffa0")
_NAME_PUNCTUATION = frozenset(" '-.’")
_TEXT_PUNCTUATION = _NAME_PUNCTUATION | frozenset(",/()#:;&+\"–")
MAX_LENGTH = 300
EARLIEST = dt.date(1900, 1, 1)


class TextProblem(enum.Enum):
    """What was wrong, for code that words it for the citizen or for staff."""

    CONTROL = "control"              # a control character (NUL, escape, line break...)
    BIDI = "bidi"                    # a bidirectional override or mark
    INVISIBLE = "invisible"          # a zero-width or other invisible character
    UNEXPECTED = "unexpected"        # a character that has no place in this kind of field
    EMPTY = "empty"
    TOO_LONG = "too_long"
    NOT_ASCII_DIGITS = "not_ascii_digits"  # digits of another script, or not digits at all
    WRONG_LENGTH = "wrong_length"
    IMPOSSIBLE_DATE = "impossible_date"    # before 1900, after today, expiry before issue...


_MESSAGES = {
    TextProblem.CONTROL: "contains a control character",
    TextProblem.BIDI: "contains a hidden text-direction character",
    TextProblem.INVISIBLE: "contains an invisible character",
    TextProblem.UNEXPECTED: "contains a character that does not belong in it",
    TextProblem.EMPTY: "is empty",
    TextProblem.TOO_LONG: "is too long",
    TextProblem.NOT_ASCII_DIGITS: "is not made of the digits 0-9",
    TextProblem.WRONG_LENGTH: "has the wrong number of digits",
    TextProblem.IMPOSSIBLE_DATE: "is a date that cannot be right",
}


class UnsafeText(ValueError):
    """``str(err)`` is "The <field> <problem>."; ``problem`` and ``field`` for code."""

    def __init__(self, field: str, problem: TextProblem) -> None:
        super().__init__(f"The {field} {_MESSAGES[problem]}.")
        self.field = field
        self.problem = problem


def _scan(text: str, field: str, allowed_punctuation: frozenset[str], digits: bool) -> None:
    for char in text:
        if char in _BIDI:
            raise UnsafeText(field, TextProblem.BIDI)
        if char in _INVISIBLE:
            raise UnsafeText(field, TextProblem.INVISIBLE)
        category = unicodedata.category(char)
        if category in ("Cc", "Zl", "Zp"):
            raise UnsafeText(field, TextProblem.CONTROL)
        if category == "Cf":
            raise UnsafeText(field, TextProblem.INVISIBLE)
        if category[0] in "LM" or char in allowed_punctuation:
            continue
        if digits and "0" <= char <= "9":
            continue
        raise UnsafeText(field, TextProblem.UNEXPECTED)


def _normalise(text: str, field: str) -> str:
    if not isinstance(text, str):
        raise UnsafeText(field, TextProblem.UNEXPECTED)
    text = unicodedata.normalize("NFC", text)
    if len(text) > MAX_LENGTH:
        raise UnsafeText(field, TextProblem.TOO_LONG)
    # every kind of space (no-break, ideographic...) is a plain space
    return "".join(" " if unicodedata.category(c) == "Zs" else c for c in text)


def _collapse(text: str, field: str) -> str:
    text = " ".join(part for part in text.split(" ") if part)
    if not text:
        raise UnsafeText(field, TextProblem.EMPTY)
    return text


def clean_name(text: str, field: str = "name") -> str:
    """A person's name in NFC with single spaces; ``UnsafeText`` if it cannot be one."""
    text = _normalise(text, field)
    _scan(text, field, _NAME_PUNCTUATION, digits=False)
    return _collapse(text, field)


def clean_text(text: str, field: str = "text") -> str:
    """An address or other free text in NFC with single spaces; ``UnsafeText`` if unsafe."""
    text = _normalise(text, field)
    _scan(text, field, _TEXT_PUNCTUATION, digits=True)
    return _collapse(text, field)


def ascii_digits(text: str, length: int | tuple[int, ...] | None = None,
                 field: str = "number") -> str:
    """ASCII digits only (``str.isdigit`` also accepts other scripts' digits); ``length``: the
    number of digits allowed (one or several)."""
    if not isinstance(text, str) or not text or not (text.isascii() and text.isdigit()):
        raise UnsafeText(field, TextProblem.NOT_ASCII_DIGITS)
    lengths = (length,) if isinstance(length, int) else length
    if lengths is not None and len(text) not in lengths:
        raise UnsafeText(field, TextProblem.WRONG_LENGTH)
    return text


class DateKind(enum.Enum):
    BIRTH = "date of birth"
    ISSUE = "issue date"
    EXPIRY = "expiry date"


def check_date(day: dt.date, kind: DateKind | str, *, today: dt.date | None = None,
               born: dt.date | None = None, issued: dt.date | None = None) -> dt.date:
    """``day`` if a card could carry it: births and issues not after today nor before 1900,
    issues not before the birth, expiries not before the issue."""
    kind = DateKind(kind) if isinstance(kind, str) else kind
    today = today or dt.date.today()
    late = kind is not DateKind.EXPIRY and day > today
    early = day < EARLIEST
    if kind is DateKind.ISSUE and born is not None:
        early = early or day < born
    if kind is DateKind.EXPIRY and issued is not None:
        early = early or day < issued
    if late or early:
        raise UnsafeText(kind.value, TextProblem.IMPOSSIBLE_DATE)
    return day
