"""What is on each keyboard layout: plain data, so tests and screens can reason about the keys.

A key id is either the text it types ("a", "ă", "7", "+", ",") or a command: ``shift``,
``backspace``, ``space``, ``method`` (cycles Telex / VNI / none) and ``tone-1`` .. ``tone-5``
(sắc, huyền, hỏi, ngã, nặng, applied to the word being typed).
"""

from __future__ import annotations

import enum

__all__ = ["COMMANDS", "Layout", "ROWS", "TONE_LABELS", "TONE_KEYS"]


class Layout(enum.Enum):
    TEXT = "text"  # Vietnamese letters, with composition
    NUMERIC = "numeric"  # digits only (ID numbers, counts)
    PHONE = "phone"  # digits and a leading "+"
    CODE = "code"  # plain letters and digits, no accents (staff IDs)


#: Tone keys show the tone on the letter "a", which people recognise more readily than a bare mark.
TONE_LABELS = {"tone-1": "á", "tone-2": "à", "tone-3": "ả", "tone-4": "ã", "tone-5": "ạ"}
TONE_KEYS = tuple(TONE_LABELS)
COMMANDS = frozenset({"shift", "backspace", "space", "method", *TONE_KEYS})

ROWS: dict[Layout, tuple[tuple[str, ...], ...]] = {
    Layout.TEXT: (
        tuple("1234567890"),
        tuple("qwertyuiop"),
        tuple("asdfghjkl"),
        ("shift", *"zxcvbnm", "backspace"),
        (*"ăâêôơưđ", *TONE_KEYS),  # one row for the letters and the tones: room for the field
        ("method", ",", "space", ".", "-"),
    ),
    Layout.CODE: (
        tuple("1234567890"),
        tuple("qwertyuiop"),
        tuple("asdfghjkl"),
        ("shift", *"zxcvbnm", "backspace"),
    ),
    Layout.NUMERIC: (tuple("789"), tuple("456"), tuple("123"), ("0", "backspace")),
    Layout.PHONE: (tuple("789"), tuple("456"), tuple("123"), ("+", "0", "backspace")),
}
