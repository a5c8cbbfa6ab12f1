"""Typing into a QLineEdit through a composer: the word being composed is replaced in place.

The composer (``ui.keyboard.vnkeys``) owns the word typed since the last commit. Before each key the
editor checks that the text left of the cursor still ends with that word; if the person moved
the cursor, selected text or typed on a physical keyboard, the composition starts afresh, so the
on-screen keys never rewrite text they did not type.
"""

from __future__ import annotations

from typing import Literal

from PySide6.QtWidgets import QLineEdit

from ui.keyboard.vnkeys import Composer

__all__ = ["Method", "TargetEditor", "word_before"]

Method = Literal["telex", "vni", "none"]
_TELEX_TONE = {1: "s", 2: "f", 3: "r", 4: "x", 5: "j"}


def word_before(text: str, pos: int) -> str:
    """The letters just left of ``pos`` (the word a tone key acts on)."""
    start = pos
    while start > 0 and text[start - 1].isalpha():
        start -= 1
    return text[start:pos]


class TargetEditor:
    """Applies keyboard keys to one QLineEdit (or to nothing while no field is chosen)."""

    def __init__(self, method: Method = "telex") -> None:
        self.target: QLineEdit | None = None
        self._method: Method = "telex"
        self._composer = Composer("telex")
        self.method = method

    @property
    def method(self) -> Method:
        return self._method

    @method.setter
    def method(self, method: Method) -> None:
        if method not in ("telex", "vni", "none"):
            raise ValueError("method must be 'telex', 'vni' or 'none'")
        self._method = method
        self._composer = Composer("vni" if method == "vni" else "telex")

    @property
    def composing(self) -> str:
        """The word being composed (empty when nothing is)."""
        return self._composer.text

    def commit(self) -> str:
        """End the composition; returns the composed word (the field already shows it)."""
        return self._composer.commit()

    def _attached(self) -> bool:
        """True when the field still ends, at the cursor, with the composer's word."""
        field = self.target
        if field is None or field.hasSelectedText():
            self._composer.reset()
            return False
        current = self._composer.text
        if not current or not field.text()[: field.cursorPosition()].endswith(current):
            self._composer.reset()
            return False
        return True

    def _replace(self, old: str, new: str) -> None:
        field = self.target
        assert field is not None
        pos = field.cursorPosition()
        if old:
            field.setSelection(pos - len(old), len(old))
        if new or old:
            field.insert(new)

    def type_letter(self, text: str) -> None:
        """A letter, a vowel key (ă â ...) or, in VNI, a digit: goes through the composer."""
        if self.target is None:
            return
        if self._method == "none":
            self._composer.reset()
            self.target.insert(text)
            return
        old = self._composer.text if self._attached() else ""
        self._replace(old, self._composer.feed(text))

    def type_literal(self, text: str) -> str:
        """Space, punctuation, digits in Telex: ends the word, then is typed as it is."""
        word = self._composer.commit()
        if self.target is not None:
            self.target.insert(text)
        return word

    def backspace(self) -> None:
        if self.target is None:
            return
        if self._attached():
            old = self._composer.text
            self._replace(old, self._composer.backspace())
        else:
            self.target.backspace()

    def apply_tone(self, tone: int) -> None:
        """Put tone 1..5 (sắc huyền hỏi ngã nặng) on the current word; again removes it.

        With a composition under way the composer gets its own tone key, so Telex/VNI keys keep
        working on the word afterwards. Otherwise the word left of the cursor is re-composed in
        VNI, where letters are never modifiers, so replaying it cannot change it.
        """
        if self.target is None or not 1 <= tone <= 5:
            return
        if self._attached():
            key = str(tone) if self._method == "vni" else _TELEX_TONE[tone]
            old = self._composer.text
            new = self._composer.feed(key)
            if new.endswith(key):  # no vowel, or the same tone again: the composer typed the key
                new = self._composer.backspace()
            self._replace(old, new)
            return
        field = self.target
        word = word_before(field.text(), field.cursorPosition())
        if not word:
            return
        scratch = Composer("vni", modern_style=self._composer.modern_style)
        scratch.feed(word)
        new = scratch.feed(str(tone))
        if new.endswith(str(tone)):
            new = new[:-1]
        if new != word:
            self._replace(word, new)
