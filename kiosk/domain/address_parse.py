"""Reading an address's province, district and commune with the keyword tables (no Qt, no network).

The tables (``kiosk.domain.address_data``, vendored from ``vietnamadminunits``, MIT) map each unit key to
keywords: its name as a key, with and without its type. The matching follows the tables' own
conventions (docs/address-data.md): the rightmost keyword wins, province first, then district (old
addresses only), then commune/ward, each matched unit masked so that the next level cannot reuse its
letters. It finds unit keys only; ``kiosk.domain.addresses`` turns them into current units.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from typing import Any

from kiosk.domain.address_data import CURRENT as _CURRENT
from kiosk.domain.address_data import LEGACY as _LEGACY
from kiosk.domain.address_data import index as _index
from kiosk.domain.address_data import node as _node
from kiosk.domain.procedures import fold_text

__all__ = ["Parsed", "parse_current", "parse_legacy"]

_HUE = "thanhphohue"  # its old city wards are spelt like its new districts: hidden while finding those
_HUE_WARDS = ("phuongthuanhoa", "phuongthuybieu", "phuongthuyvan", "phuongthuyxuan")
_ISLANDS = frozenset({"huyenbachlongvi", "huyenconco", "huyenhoangsa", "huyenlyson", "huyencondao"})

_Hit = tuple[str, int, int]  # unit key, and where its keyword starts and ends in the original text


class _Keyed:
    """The text spelt as the tables' keys are (letters, digits, commas), each key character knowing
    which character of the text it came from, so that a match maps back to the text."""

    def __init__(self, text: str) -> None:
        self.text = unicodedata.normalize("NFC", text)
        self.masked: set[int] = set()

    def key(self, accented: bool, hidden: set[int]) -> tuple[str, list[int]]:
        chars: list[str] = []
        origin: list[int] = []
        for i, ch in enumerate(self.text):
            piece = "".join(c for c in (ch.casefold() if accented else fold_text(ch)) if c.isalnum() or c in "_,")
            if i in self.masked or i in hidden:
                piece = "#" * len(piece)  # keeps positions, and no keyword spans the gap
            chars.append(piece)
            origin.extend([i] * len(piece))
        return "".join(chars), origin

    def find(self, index: Any, accented: bool = False, hidden: set[int] | None = None) -> _Hit | None:
        if index is None:
            return None
        key, origin = self.key(accented, hidden or set())
        last = None
        for match in index[0].finditer(key):
            last = match
        unit_key = index[1].get(last.group().casefold()) if last else None
        return (unit_key, origin[last.start()], origin[last.end() - 1] + 1) if last and unit_key else None

    def mask(self, hit: _Hit) -> None:
        self.masked.update(range(hit[1], hit[2]))

    def street(self, ward: _Hit | None) -> str:
        """What precedes the ward's part of the text (or, without a ward, the first part)."""
        if ward is None:
            end = self.text.find(",")
            end = len(self.text) if end < 0 else end
            if self.masked.intersection(range(end)):
                return ""
        else:
            end = self.text.rfind(",", 0, ward[1])
            end = ward[1] if end < 0 else end
        return re.sub(r"[\s,.]+$", "", self.text[:end]).strip().title()


@dataclasses.dataclass
class Parsed:
    province_key: str | None = None
    district_key: str | None = None
    ward_key: str | None = None
    short_ward: str | None = None
    street: str = ""


def _find_ward(keyed: _Keyed, name: str, prefix: str, scope: tuple[str, ...]) -> tuple[_Hit, str] | None:
    """Plain keywords first; the accented tables tell apart names that differ only by their marks."""
    for suffix, accented in (("_NO_ACCENTED", False), ("_ACCENTED", True), ("_SHORT_ACCENTED", True)):
        hit = keyed.find(_index(name, (prefix + suffix, *scope), "wardKeywords"), accented)
        if hit:
            return hit, _node(name, (prefix + suffix, *scope, hit[0]))["wardShort"]
    return None


def parse_legacy(text: str) -> Parsed:
    """Province, district and commune of the 63-province units (before 1 July 2025)."""
    keyed, out = _Keyed(text), Parsed()
    hit = keyed.find(_index(_LEGACY, ("DICT_PROVINCE",), "provinceKeywords"))
    if hit is None:  # no province written: some district names exist in one province only
        hit = keyed.find(_index(_LEGACY, ("DICT_UNIQUE_DISTRICT_PROVINCE",), "districtKeywords"))
        out.district_key = hit[0] if hit else None
        out.province_key = _node(_LEGACY, ("DICT_UNIQUE_DISTRICT_PROVINCE", hit[0], "provinceKey")) if hit else None
    else:
        out.province_key = hit[0]
    if hit is None or out.province_key is None:
        return out
    keyed.mask(hit)
    out.district_key = _legacy_district(keyed, out.province_key, out.district_key)
    ward = _find_ward(keyed, _LEGACY, "DICT_PROVINCE_DISTRICT_WARD", (out.province_key, out.district_key)) \
        if out.district_key else None
    if ward:
        out.ward_key, out.short_ward = ward[0][0], ward[1]
    if ward or text.count(",") >= 3 or out.district_key in _ISLANDS:
        out.street = keyed.street(ward[0] if ward else None)
    return out


def _legacy_district(keyed: _Keyed, province: str, district: str | None) -> str | None:
    hidden: set[int] = set()
    if province == _HUE:
        words = _HUE_WARDS + (("thuanhoa",) if re.search("thuậnh(òa|oà)", keyed.key(True, set())[0]) else ())
        hidden = _hidden(keyed, words)
    divided = _node(_LEGACY, ("DICT_PROVINCE_DISTRICT_DIVIDED", province)) or {}
    if district is None:
        hit = keyed.find(_index(_LEGACY, ("DICT_PROVINCE_DISTRICT", province), "districtKeywords"), hidden=hidden)
        # a district since split in two: its old name is kept apart, as the keyword of the split
        hit = hit or keyed.find(_index(_LEGACY, ("DICT_PROVINCE_DISTRICT_DIVIDED", province),
                                       "dividedDistrictKeywords"), hidden=hidden)
        if hit is None:
            return None
        keyed.mask(hit)
        district = hit[0]
    if district not in divided:
        return district
    # which of the districts it became (or a district sharing its short name) depends on the commune
    hit = keyed.find(_index(_LEGACY, ("DICT_PROVINCE_DISTRICT_DIVIDED", province, district, "districts"),
                            "wardKeywords"))
    if hit:
        return hit[0]
    return next((k for k, v in divided[district]["districts"].items() if v.get("districtDefault")), None)


def _hidden(keyed: _Keyed, words: tuple[str, ...]) -> set[int]:
    """Where the first of ``words`` found in the text is written (each place it is)."""
    key, origin = keyed.key(False, set())
    first = re.search("|".join(words), key)
    spans = re.finditer(re.escape(first.group()), key) if first else ()
    return {i for m in spans for i in range(origin[m.start()], origin[m.end() - 1] + 1)}


def parse_current(text: str) -> Parsed:
    """Province and commune/ward of the 34-province units (from 1 July 2025)."""
    keyed, out, ward = _Keyed(text), Parsed(), None
    hit = keyed.find(_index(_CURRENT, ("DICT_PROVINCE",), "provinceKeywords"))
    if hit:
        keyed.mask(hit)
        out.province_key = hit[0]
    for suffix, accented in (("NO_ACCENTED", False), ("ACCENTED", True)):  # wards named once in the land
        if out.province_key:
            break
        found = keyed.find(_index(_CURRENT, (f"DICT_UNIQUE_WARD_PROVINCE_{suffix}",), "wardKeywords"), accented)
        if found:
            out.province_key = _node(_CURRENT, (f"DICT_UNIQUE_WARD_PROVINCE_{suffix}", found[0], "provinceKey"))
            short = _node(_CURRENT, (f"DICT_PROVINCE_WARD_{suffix}", out.province_key, found[0], "wardShort"))
            ward = (found, short)
    if out.province_key and ward is None:
        ward = _find_ward(keyed, _CURRENT, "DICT_PROVINCE_WARD", (out.province_key,))
    if ward:
        out.ward_key, out.short_ward = ward[0][0], ward[1]
    if ward or text.count(",") >= 2:
        out.street = keyed.street(ward[0] if ward else None)
    return out
