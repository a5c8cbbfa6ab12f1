"""How screen text is said aloud, so a voice reads what a citizen needs to write down correctly.

Text engines read "079195012345" as a number in the hundreds of billions and a dossier code as
numbers and dots. Here every ID number, phone number and code is spelled digit by digit, with its
separators named; a date reads as a date ("ngày 14 tháng 3 năm 1995"); a fee reads as an amount of
đồng; marks that only decorate ("›", "✓", "•") are dropped. Plain Python (no Qt), in the kiosk's
two languages.
"""

from __future__ import annotations

import re

__all__ = ["spoken"]

_DATE = re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b")
_MONEY = re.compile(r"\b(\d{1,3}(?:\.\d{3})+|\d+)\s*đ(?!\w)")
_FRACTION = re.compile(r"\b(\d{1,2})/(\d{1,2})\b")
#: a code or number to spell: five digits or more (a year of four reads as a number), or letters,
#: digits and separators holding at least four digits
_CODE = re.compile(r"(?<![\w.])(?:\d{5,}|(?=[\w.\-]*[A-Za-z.\-])(?=(?:[A-Za-z.\-]*\d){4})"
                   r"[A-Za-z0-9][A-Za-z0-9.\-]*[A-Za-z0-9])(?![\w])")
#: a number partly hidden ("09•• ••• 678"): its digits are spelled, the hidden part is a pause
_MASKED = re.compile(r"[\d•●][\d•● ]*[•●][\d•● ]*\d")
_DECORATION = re.compile(r"[›‹✓⚠★▾▸◂🔊◐📷⌫⇧]")
_WORDS = {
    "vi": {"dot": "chấm", "dash": "gạch ngang", "of": "trên", "hidden": "…",
           "date": "ngày {d} tháng {m} năm {y}", "money": "{n} đồng"},
    "en": {"dot": "dot", "dash": "dash", "of": "of", "hidden": "…",
           "date": "{d} {month} {y}", "money": "{n} dong"},
}
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December")


def spoken(text: str, language: str = "vi") -> str:
    """``text`` as it should be read aloud in ``language`` ("vi" or "en")."""
    words = _WORDS["en" if language.startswith("en") else "vi"]
    kept: list[str] = []  # finished pieces, out of the way of the rules that follow

    def keep(piece: str) -> str:
        kept.append(piece)
        return f" \x00{len(kept) - 1}\x00 "

    text = _DECORATION.sub(" ", text)
    text = _DATE.sub(lambda m: keep(_date(m, words)), text)
    text = _MONEY.sub(lambda m: keep(words["money"].format(n=m.group(1).replace(".", ""))), text)
    text = _MASKED.sub(lambda m: keep(_spell_masked(m.group(0), words)), text)
    text = _FRACTION.sub(lambda m: keep(f"{m.group(1)} {words['of']} {m.group(2)}"), text)
    text = _CODE.sub(lambda m: keep(_spell(m.group(0), words)), text)
    text = re.sub(r"\x00(\d+)\x00", lambda m: kept[int(m.group(1))], text)
    return re.sub(r"\s+([.,;:?!])", r"\1", " ".join(text.split()))


def _date(match: re.Match[str], words: dict[str, str]) -> str:
    day, month, year = (int(part) for part in match.groups())
    if not (1 <= day <= 31 and 1 <= month <= 12):
        return match.group(0)
    month_name = _MONTHS[month - 1]
    return words["date"].format(d=day, m=month, y=year, month=month_name)


def _spell(code: str, words: dict[str, str]) -> str:
    """"H12.22-0002" -> "H 1 2 chấm 2 2 gạch ngang 0 0 0 2": one sound per character."""
    names = {".": words["dot"], "-": words["dash"]}
    return " ".join(names.get(ch, ch) for ch in code)


def _spell_masked(number: str, words: dict[str, str]) -> str:
    """"09•• ••• 678" -> "0 9 … 6 7 8"."""
    parts = re.split(r"[•● ]+", number)
    return f" {words['hidden']} ".join(" ".join(part) for part in parts if part)
