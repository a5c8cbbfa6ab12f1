"""The TD1 machine-readable zone on the back of a CCCD card (cccd.md section 5).

Used by the virtual card to build a realistic DG1, and later by BAC, whose key material is the
document number, date of birth and expiry with their check digits.
"""

from __future__ import annotations

import datetime as dt
import unicodedata

__all__ = ["check_digit", "mrz_name", "td1_lines"]

_WEIGHTS = (7, 3, 1)


def check_digit(field: str) -> str:
    """ICAO 9303 check digit: digits as is, A-Z as 10-35, '<' as 0, weights 7-3-1."""
    total = 0
    for i, char in enumerate(field):
        if char.isdigit():
            value = int(char)
        elif "A" <= char <= "Z":
            value = ord(char) - ord("A") + 10
        elif char == "<":
            value = 0
        else:
            raise ValueError("MRZ fields may only hold digits, A-Z and '<'")
        total += value * _WEIGHTS[i % 3]
    return str(total % 10)


def _ascii_upper(text: str) -> str:
    text = text.replace("Đ", "D").replace("đ", "d")
    stripped = "".join(
        c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c)
    )
    return "".join(c if "A" <= c <= "Z" else "<" for c in stripped.upper())


def mrz_name(full_name: str, width: int = 30) -> str:
    """``Trần Thị Minh Anh`` -> ``TRAN<<THI<MINH<ANH<<<...``: the first word is the surname."""
    words = [_ascii_upper(w) for w in full_name.split()]
    if not words:
        raise ValueError("empty name")
    name = words[0] + "<<" + "<".join(words[1:])
    return name[:width].ljust(width, "<")


def _yymmdd(day: dt.date | None) -> str:
    return "<<<<<<" if day is None else day.strftime("%y%m%d")


def td1_lines(
    id_number: str, date_of_birth: dt.date, sex_code: str, expiry: dt.date | None, full_name: str
) -> tuple[str, str, str]:
    """The three 30-character MRZ lines; ``sex_code`` is ``M`` or ``F``.

    A card without expiry is written with fillers (L confidence: no sample seen).
    """
    doc = id_number[3:]
    optional = id_number + "<<"
    line1_body = f"IDVNM{doc}{check_digit(doc)}{optional}"
    line1 = line1_body + check_digit(optional)
    dob, exp = _yymmdd(date_of_birth), _yymmdd(expiry)
    line2_head = f"{dob}{check_digit(dob)}{sex_code}{exp}{check_digit(exp)}VNM"
    line2_body = line2_head + "<" * 11
    composite = line1[5:30] + line2_body[0:7] + line2_body[8:15] + line2_body[18:29]
    line2 = line2_body + check_digit(composite)
    return line1, line2, mrz_name(full_name)
