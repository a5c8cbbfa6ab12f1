"""Key events of a keyboard-wedge scanner turned back into the text it typed (US layout).

Linux input events carry key codes, not characters: which character a key makes depends on the
layout and the Shift state, which the kiosk must track itself. Scanners in keyboard mode type as a
US keyboard by default. Only ASCII survives this path: a Vietnamese letter has no key, so the
scanner drops it or types something else (see ``devices.scanner.results``). Codes are the kernel's
(``linux/input-event-codes.h``), the same numbers ``evdev.ecodes`` names.
"""

from __future__ import annotations

__all__ = ["EV_KEY", "KEY_CODES", "KeyDecoder"]

EV_KEY = 1
_RELEASE, _PRESS, _REPEAT = 0, 1, 2
_SHIFTS = {42, 54}  # KEY_LEFTSHIFT, KEY_RIGHTSHIFT
_CAPSLOCK = 58

#: key code -> (unshifted, shifted)
KEY_CODES: dict[int, tuple[str, str]] = {
    2: ("1", "!"), 3: ("2", "@"), 4: ("3", "#"), 5: ("4", "$"), 6: ("5", "%"), 7: ("6", "^"),
    8: ("7", "&"), 9: ("8", "*"), 10: ("9", "("), 11: ("0", ")"), 12: ("-", "_"), 13: ("=", "+"),
    15: ("\t", "\t"), 26: ("[", "{"), 27: ("]", "}"), 28: ("\r", "\r"), 39: (";", ":"),
    40: ("'", '"'), 41: ("`", "~"), 43: ("\\", "|"), 51: (",", "<"), 52: (".", ">"),
    53: ("/", "?"), 57: (" ", " "),
    # keypad (scanners set to "emulate keypad" type digits here)
    55: ("*", "*"), 71: ("7", "7"), 72: ("8", "8"), 73: ("9", "9"), 74: ("-", "-"),
    75: ("4", "4"), 76: ("5", "5"), 77: ("6", "6"), 78: ("+", "+"), 79: ("1", "1"),
    80: ("2", "2"), 81: ("3", "3"), 82: ("0", "0"), 83: (".", "."), 96: ("\r", "\r"),
    98: ("/", "/"),
}
_LETTER_ROWS = ((16, "qwertyuiop"), (30, "asdfghjkl"), (44, "zxcvbnm"))
for _start, _letters in _LETTER_ROWS:
    for _offset, _letter in enumerate(_letters):
        KEY_CODES[_start + _offset] = (_letter, _letter.upper())


class KeyDecoder:
    """Feed it ``(type, code, value)`` of each input event; it returns the characters typed."""

    def __init__(self) -> None:
        self._shift: set[int] = set()
        self._caps = False

    def feed(self, type_: int, code: int, value: int) -> str:
        if type_ != EV_KEY:
            return ""
        if code in _SHIFTS:
            if value == _RELEASE:
                self._shift.discard(code)
            else:
                self._shift.add(code)
            return ""
        if code == _CAPSLOCK and value == _PRESS:
            self._caps = not self._caps
            return ""
        if value not in (_PRESS, _REPEAT) or code not in KEY_CODES:
            return ""
        plain, shifted = KEY_CODES[code]
        upper = bool(self._shift)
        if plain.isalpha() and self._caps:
            upper = not upper
        return shifted if upper else plain

    def reset(self) -> None:
        self._shift.clear()
        self._caps = False
