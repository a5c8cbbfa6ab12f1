"""DG1: the machine-readable zone, TD1 (3 x 30, the CCCD back) or TD3 (2 x 44, passports).

``61 { 5F1F <MRZ characters> }``. Every check digit is verified: a wrong one means the chip data
is corrupt (or forged), which passive authentication would also show, but failing here gives a
precise message. Dates stay ``YYMMDD`` text because the century is ambiguous; callers that know
"today" turn them into dates with ``mrz_date``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

from devices.card.errors import MalformedData
from devices.card.lds._tlv import children, encode, expect
from devices.card.mrz import check_digit

__all__ = ["Dg1", "Mrz", "build", "mrz_date", "parse"]

_CHARSET = re.compile(r"[A-Z0-9<]*")


@dataclasses.dataclass(frozen=True, slots=True)
class Mrz:
    """A verified MRZ. ``lines`` is the source of truth; the rest is derived from it."""

    lines: tuple[str, ...]
    document_code: str
    issuing_state: str
    document_number: str
    optional_data: str          # TD1: line 1 optional data; TD3: personal number
    optional_data_2: str        # TD1: line 2 optional data; TD3: empty
    birth_yymmdd: str
    sex: str                    # "M", "F" or "<"
    expiry_yymmdd: str          # "<<<<<<" when the card has no expiry
    nationality: str
    surname: str
    given_names: str

    def __repr__(self) -> str:  # the MRZ is personal data
        return f"Mrz(format={self.format}, document_code={self.document_code})"

    __str__ = __repr__

    @property
    def format(self) -> str:
        return "TD1" if len(self.lines) == 3 else "TD3"

    @property
    def id_number(self) -> str | None:
        """The 12-digit CCCD number: the first 12 characters of TD1 line 1's optional data."""
        head = self.optional_data[:12]
        return head if len(head) == 12 and head.isdigit() else None

    @property
    def name(self) -> str:
        return " ".join(p for p in (self.surname, self.given_names) if p)

    @classmethod
    def from_lines(cls, lines: tuple[str, ...] | list[str]) -> Mrz:
        lines = tuple(lines)
        for line in lines:
            if not isinstance(line, str) or not _CHARSET.fullmatch(line):
                raise MalformedData("MRZ: characters other than A-Z, 0-9 and '<'")
        if len(lines) == 3 and all(len(x) == 30 for x in lines):
            return _parse_td1(lines)
        if len(lines) == 2 and all(len(x) == 44 for x in lines):
            return _parse_td3(lines)
        raise MalformedData("MRZ: neither 3 lines of 30 (TD1) nor 2 lines of 44 (TD3) characters")


@dataclasses.dataclass(frozen=True, slots=True)
class Dg1:
    mrz: Mrz


def _check(field: str, digit: str, what: str) -> None:
    if check_digit(field) != digit:
        raise MalformedData(f"MRZ: the check digit of the {what} is wrong")


def _document_number(number: str, digit: str, optional: str) -> tuple[str, str]:
    """Resolve the long-number form (9303-5 §4.2.4): '<' check digit, rest in the optional data."""
    if digit != "<":
        _check(number, digit, "document number")
        return number.rstrip("<"), optional
    head, _, tail = optional.partition("<")
    if len(head) < 2:
        raise MalformedData("MRZ: long document number without its check digit")
    full = number + head[:-1]
    _check(full, head[-1], "document number")
    return full, tail.lstrip("<")


def _name(line: str) -> tuple[str, str]:
    surname, _, given = line.rstrip("<").partition("<<")
    return surname.replace("<", " ").strip(), given.replace("<", " ").strip()


def _dates(b: str, bcd: str, sex: str, e: str, ecd: str) -> None:
    _check(b, bcd, "date of birth")
    _check(e, ecd, "date of expiry")
    if sex not in ("M", "F", "<", "X"):
        raise MalformedData("MRZ: the sex field is not M, F or <")


def _parse_td1(lines: tuple[str, ...]) -> Mrz:
    l1, l2, l3 = lines
    number, optional = _document_number(l1[5:14], l1[14], l1[15:30])
    _dates(l2[0:6], l2[6], l2[7], l2[8:14], l2[14])
    composite = l1[5:30] + l2[0:7] + l2[8:15] + l2[18:29]
    _check(composite, l2[29], "whole MRZ (composite)")
    surname, given = _name(l3)
    return Mrz(
        lines=lines, document_code=l1[0:2].rstrip("<"), issuing_state=l1[2:5].rstrip("<"),
        document_number=number, optional_data=optional.rstrip("<") if optional else "",
        optional_data_2=l2[18:29].rstrip("<"), birth_yymmdd=l2[0:6], sex=l2[7],
        expiry_yymmdd=l2[8:14], nationality=l2[15:18].rstrip("<"), surname=surname,
        given_names=given,
    )


def _parse_td3(lines: tuple[str, ...]) -> Mrz:
    l1, l2 = lines
    _check(l2[0:9], l2[9], "document number")
    _dates(l2[13:19], l2[19], l2[20], l2[21:27], l2[27])
    if l2[42] != "<" or l2[28:42].strip("<"):
        _check(l2[28:42], l2[42], "personal number")
    composite = l2[0:10] + l2[13:20] + l2[21:43]
    _check(composite, l2[43], "whole MRZ (composite)")
    surname, given = _name(l1[5:44])
    return Mrz(
        lines=lines, document_code=l1[0:2].rstrip("<"), issuing_state=l1[2:5].rstrip("<"),
        document_number=l2[0:9].rstrip("<"), optional_data=l2[28:42].rstrip("<"),
        optional_data_2="", birth_yymmdd=l2[13:19], sex=l2[20], expiry_yymmdd=l2[21:27],
        nationality=l2[10:13].rstrip("<"), surname=surname, given_names=given,
    )


def mrz_date(yymmdd: str, today: dt.date, *, future: bool) -> dt.date | None:
    """``YYMMDD`` -> date; births lie in the past, expiries up to 50 years ahead. Fillers: None."""
    if yymmdd == "<<<<<<":
        return None
    try:
        yy, mm, dd = int(yymmdd[0:2]), int(yymmdd[2:4]), int(yymmdd[4:6])
        year = 2000 + yy
        limit = today.year + (50 if future else 0)
        while year > limit:
            year -= 100
        day = dt.date(year, mm, dd)
        if not future and day > today:
            day = dt.date(year - 100, mm, dd)
        return day
    except ValueError:
        raise MalformedData("MRZ: a date field is not a valid YYMMDD date") from None


def parse(raw: bytes) -> Dg1:
    fields = children(expect(raw, 0x61, "DG1"), "DG1")
    if 0x5F1F not in fields:
        raise MalformedData("DG1: the MRZ (tag 5F1F) is missing")
    data = fields[0x5F1F]
    try:
        text = data.decode("ascii")
    except UnicodeDecodeError:
        raise MalformedData("DG1: the MRZ is not ASCII text") from None
    text = text.replace("\r", "").replace("\n", "")
    if len(text) == 90:
        lines: tuple[str, ...] = (text[0:30], text[30:60], text[60:90])
    elif len(text) == 88:
        lines = (text[0:44], text[44:88])
    else:
        raise MalformedData(f"DG1: the MRZ has {len(text)} characters (expected 90 or 88)")
    return Dg1(Mrz.from_lines(lines))


def build(dg1: Dg1 | Mrz) -> bytes:
    mrz = dg1.mrz if isinstance(dg1, Dg1) else dg1
    return encode(0x61, encode(0x5F1F, "".join(mrz.lines).encode("ascii")))
