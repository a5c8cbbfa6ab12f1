"""Vietnamese input methods (Telex and VNI) for the on-screen keyboard, without Qt.

The engine works on the text itself, not on a key log: each key either changes the last word (adds a
tone or a vowel mark, makes d into đ) or is appended. So backspace simply deletes the last character
and typing goes on from what is on screen, as people expect. Tones are re-placed after every key,
so "hoafn" and "hoanf" both give "hoàn".

Rules (as in common Vietnamese IMEs such as BoGo/Unikey; written from the rules, not their code):

- Telex: s f r x j = sắc huyền hỏi ngã nặng, z removes the tone; aa ee oo = â ê ô; aw ow uw = ă ơ ư,
  uow = ươ (uơ while nothing follows: "thuở"), w with nothing to mark = ư; dd = đ. VNI: 1-5 the tones, 0 removes, 6 = â ê ô, 7 = ơ ư,
  8 = ă, 9 = đ.
- Pressing the same modifier again undoes it and types the key ("ass" -> "as", "aaa" -> "aa"); the
  rest of that word is then typed literally (it is probably not Vietnamese).
- Marks go on the last vowel group, and a modifier typed after something that cannot end a
  syllable (say "đ") starts the next one, so names written as one word work: "Eeddee" -> "Êđê",
  "Kdawm" -> "Kdăm". Non-Vietnamese words are not detected (minority names would suffer): the
  double-key undo is the way out ("Ksorr" -> "Ksor").
- Tone placement: on the vowel with a mark (â ê ô ơ ư ă; ơ in ươ), else on the last vowel when a
  final consonant follows, else the middle of three vowels, else the first of two, except oa/oe/uy
  which take it on the second in the modern style ("hoà", "thuý"; the default) and on the first in
  the old style ("hòa", "thủy"). "qu" and "gi" + vowel count as consonants ("quý", "giá").

Output is always NFC. The engine raises nothing: any key it does not know is typed as it is.
"""

from __future__ import annotations

import unicodedata
from typing import Literal

__all__ = ["Composer", "compose"]

Method = Literal["telex", "vni"]

_TONES = {"\u0301": 1, "\u0300": 2, "\u0309": 3, "\u0303": 4, "\u0323": 5}  # sắc huyền hỏi ngã nặng
_TONE_MARK = {v: k for k, v in _TONES.items()}
_CIRCUMFLEX, _BREVE, _HORN = "\u0302", "\u0306", "\u031b"
_VOWELS = set("aăâeêioôơuưy")
# What may follow the vowels of one syllable (k for names like Đắk Lắk); after anything else a
# modifier key starts the next syllable of a name written as one word ("Êđê") instead.
_FINALS = {"", "c", "ch", "k", "m", "n", "ng", "nh", "p", "t"}
_TELEX_TONES = {"s": 1, "f": 2, "r": 3, "x": 4, "j": 5, "z": 0}
_VNI_TONES = {"1": 1, "2": 2, "3": 3, "4": 4, "5": 5, "0": 0}


def _split(ch: str) -> tuple[str, int]:
    """A letter without its tone (keeping â/ơ/...), and the tone number (0 for none)."""
    tone, rest = 0, []
    for part in unicodedata.normalize("NFD", ch):
        if part in _TONES:
            tone = _TONES[part]
        else:
            rest.append(part)
    return unicodedata.normalize("NFC", "".join(rest)), tone


def _with_tone(letter: str, tone: int) -> str:
    return unicodedata.normalize("NFC", letter + _TONE_MARK[tone]) if tone else letter


def _base(letter: str) -> str:
    """The plain Latin letter under all marks: "Ờ" -> "o"."""
    return unicodedata.normalize("NFD", letter)[0].lower()


def _mark(letter: str) -> str | None:
    for part in unicodedata.normalize("NFD", letter)[1:]:
        if part in (_CIRCUMFLEX, _BREVE, _HORN):
            return part
    return None


def _set_mark(letter: str, mark: str | None) -> str:
    plain, tone = _split(letter)
    base = unicodedata.normalize("NFD", plain)[0]
    return _with_tone(unicodedata.normalize("NFC", base + (mark or "")), tone)


def _is_vowel(letter: str) -> bool:
    return _split(letter)[0].lower() in _VOWELS


def _cluster(word: str) -> tuple[int, int]:
    """Start and end of the last vowel group; "qu" and "gi" before a vowel are consonants.

    The last group, so that names written as one word ("Êđê", "Kdăm") take marks where typed.
    """
    low = [_base(c) for c in word]
    end = len(word)
    while end > 0 and not _is_vowel(word[end - 1]):
        end -= 1
    start = end
    while start > 0 and _is_vowel(word[start - 1]):
        start -= 1
    if start >= 1 and end - start > 1 and (low[start - 1], low[start]) in (("q", "u"), ("g", "i")):
        start += 1
    return start, end


def _tone_index(word: str, modern: bool) -> int | None:
    start, end = _cluster(word)
    if start >= end:
        return None
    marked = [i for i in range(start, end) if _mark(word[i])]
    if marked:
        return marked[-1]
    if end - start == 1:
        return start
    if end < len(word):  # a final consonant follows
        return end - 1
    if end - start >= 3:
        return start + 1
    pair = "".join(_base(c) for c in word[start:end])
    return end - 1 if modern and pair in ("oa", "oe", "uy") else start


def _horn_before(word: str) -> str:
    """"uơ" ends a word (thuở); with a letter after it, it is "ươ" (thương)."""
    if len(word) >= 2 and _base(word[-2]) == "u" and not _mark(word[-2]) and _base(word[-1]) == "o" \
            and _mark(word[-1]) == _HORN and not (len(word) >= 3 and _base(word[-3]) == "q"):
        return word[:-2] + _set_mark(word[-2], _HORN) + word[-1]
    return word


def _tone_of(word: str) -> int:
    return next((t for t in (_split(c)[1] for c in word) if t), 0)


def _place(word: str, tone: int, modern: bool) -> str | None:
    """The word with every tone removed and ``tone`` put where it belongs (None: no vowel)."""
    plain = "".join(_split(c)[0] for c in word)
    index = _tone_index(plain, modern)
    if index is None:
        return None
    return plain[:index] + _with_tone(plain[index], tone) + plain[index + 1:]


class Composer:
    """Turns key presses into Vietnamese text, one composition at a time.

    ``feed()`` returns the text composed since the last ``commit()``/``reset()``; modifier keys act
    on its last word (the letters after the last non-letter), so spaces and punctuation may be fed too.
    """

    def __init__(self, method: Method = "telex", *, modern_style: bool = True) -> None:
        if method not in ("telex", "vni"):
            raise ValueError("method must be 'telex' or 'vni'")
        self.method, self.modern_style = method, modern_style
        self._text = ""
        self._literal = False  # after an undo the rest of the word is typed as it is

    @property
    def text(self) -> str:
        return self._text

    def reset(self) -> None:
        self._text, self._literal = "", False

    def commit(self) -> str:
        text = self._text
        self.reset()
        return text

    def backspace(self) -> str:
        self._text, self._literal = self._text[:-1], False
        return self._text

    def feed(self, key: str) -> str:
        for ch in unicodedata.normalize("NFC", key):
            self._feed_char(ch)
        return self._text

    def _feed_char(self, ch: str) -> None:
        cut = len(self._text)
        while cut > 0 and self._text[cut - 1].isalpha():
            cut -= 1
        head, word = self._text[:cut], self._text[cut:]
        if not ch.isalpha() and not (self.method == "vni" and ch.isdigit()):
            # A space or punctuation ends the word: append it, never re-place the word's tone.
            self._literal = False
            self._text = unicodedata.normalize("NFC", self._text + ch)
            return
        changed = None if self._literal or not word and ch.lower() not in "w" else self._modify(word, ch)
        if changed is None:
            word = _horn_before(word) + ch if ch.isalpha() else word + ch
            retoned = _place(word, _tone_of(word), self.modern_style) if _tone_of(word) else None
            word = retoned or word
        else:
            word = changed
        self._text = unicodedata.normalize("NFC", head + word)

    def _modify(self, word: str, ch: str) -> str | None:
        """The word changed by the modifier key ``ch``, or None when ``ch`` is just a letter."""
        key = ch.lower()
        in_syllable = "".join(_base(c) for c in word[_cluster(word)[1]:]) in _FINALS
        if key not in "d9w" and not in_syllable:
            return None
        tones = _TELEX_TONES if self.method == "telex" else _VNI_TONES
        if key in tones:
            return self._tone(word, tones[key], ch)
        if self.method == "telex":
            if key in "aeo":
                return self._vowel_mark(word, {key: _CIRCUMFLEX}, ch)
            if key == "w":
                alone = word + ("Ư" if ch.isupper() else "ư")
                return (self._horn_or_breve(word, "aou", ch) or alone) if in_syllable else alone
            if key == "d":
                return self._stroke(word, ch)
            return None
        if key == "6":
            return self._vowel_mark(word, dict.fromkeys("aeo", _CIRCUMFLEX), ch)
        if key in "78" and not in_syllable:
            return None
        if key == "7":
            return self._horn_or_breve(word, "ou", ch)
        if key == "8":
            return self._horn_or_breve(word, "a", ch)
        if key == "9":
            return self._stroke(word, ch)
        return None

    def _tone(self, word: str, tone: int, ch: str) -> str | None:
        current = _tone_of(word)
        if tone and current == tone or not tone and current == 0:
            if not tone and not _place(word, 0, self.modern_style):
                return None
            self._literal = True
            return (_place(word, 0, self.modern_style) or word) + ch
        return _place(word, tone, self.modern_style)

    def _vowel_mark(self, word: str, targets: dict[str, str], ch: str) -> str | None:
        start, end = _cluster(word)
        for i in range(end - 1, start - 1, -1):
            if _base(word[i]) in targets:
                mark = targets[_base(word[i])]
                if _mark(word[i]) == mark:  # pressed again: undo
                    self._literal = True
                    return self._retone(word[:i] + _set_mark(word[i], None) + word[i + 1:]) + ch
                return self._retone(word[:i] + _set_mark(word[i], mark) + word[i + 1:])
        return None

    def _horn_or_breve(self, word: str, letters: str, ch: str) -> str | None:
        start, end = _cluster(word)
        low = [_base(c) for c in word]
        for i in range(start, end - 1):  # "uo" takes the horn on both: ươ
            if low[i] == "u" and low[i + 1] == "o" and "o" in letters:
                if _mark(word[i + 1]) == _HORN:
                    break
                u = word[i] if i + 2 == len(word) else _set_mark(word[i], _HORN)  # thuơ, until a letter
                return self._retone(word[:i] + u + _set_mark(word[i + 1], _HORN) + word[i + 2:])
        for i in range(end - 1, start - 1, -1):
            if low[i] in letters:
                mark = _BREVE if low[i] == "a" else _HORN
                if _mark(word[i]) == mark:  # pressed again: undo
                    self._literal = True
                    if low[i] == "u" and i == len(word) - 1 and end - start == 1 and ch.lower() == "w":
                        return word[:i] + ch  # "ww" -> "w": the ư came from w alone
                    undone = word[:i] + _set_mark(word[i], None) + word[i + 1:]
                    if low[i] == "o" and i > start and low[i - 1] == "u":
                        undone = undone[:i - 1] + _set_mark(undone[i - 1], None) + undone[i:]
                    return self._retone(undone) + ch
                return self._retone(word[:i] + _set_mark(word[i], mark) + word[i + 1:])
        return None

    def _stroke(self, word: str, ch: str) -> str | None:
        """d+d = đ: the d just typed, else the word's initial d ("didd" -> "đid" as in free typing)."""
        for i in (len(word) - 1, 0):
            if word and word[i] in "đĐ":  # pressed again: undo
                self._literal = True
                return word[:i] + ("D" if word[i] == "Đ" else "d") + word[i + 1:] + ch
            if word and word[i] in "dD":
                return word[:i] + ("Đ" if word[i] == "D" else "đ") + word[i + 1:]
        return None

    def _retone(self, word: str) -> str:
        tone = _tone_of(word)
        return (_place(word, tone, self.modern_style) or word) if tone else word


def compose(method: Method, keys: str, *, modern_style: bool = True) -> str:
    """Type a whole key sequence: ``compose("telex", "Nguyeenx Vawn Aan") == "Nguyễn Văn Ân"``."""
    composer = Composer(method, modern_style=modern_style)
    composer.feed(keys)
    return composer.commit()
