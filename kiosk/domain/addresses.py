"""Addresses in the current two-level administrative units (34 provinces, communes/wards from 1 July 2025).

The units come from the ``vietnam-provinces`` package (its data, not ours). Cards issued before July
2025 print three-level addresses ("Thôn Đông, Xã Vân Nội, Huyện Đông Anh, Hà Nội"); those are
converted with the MIT data tables of the ``vietnamadminunits`` package, vendored in
``assets/address-data/`` (``kiosk.domain.address_data``; the package is not a dependency because its parser
imports the GPL ``unidecode``: see docs/address-data.md) and read by our own matcher
(``kiosk.domain.address_parse``). The result always carries a ``Confidence`` so the UI shows it to the
citizen for confirmation.
Nothing is guessed silently: an old commune that was split into several new ones comes back as
``AMBIGUOUS`` with the candidates, never as one of them. Everything runs offline.

Errors (``ValueError`` subclasses, so a bad answer is just a bad value)::

    AddressError              the text is not "<province code>:<commune code>" of the current units
     +-- UnknownProvince      no current province has that code
     +-- UnknownCommune       no current commune/ward has that code
     +-- CommuneNotInProvince the commune exists but belongs to another province

    AddressDataMissing (RuntimeError)  the vendored tables are missing (kiosk.domain.address_data): an installation fault
"""

from __future__ import annotations

import dataclasses
import enum
import functools
import unicodedata
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the unit tables load when an address is first asked or checked
    from vietnam_provinces import Ward

from kiosk.domain.address_data import CONVERTER, AddressDataMissing, table
from kiosk.domain.address_parse import Parsed, parse_current, parse_legacy
from kiosk.domain.procedures import fold_text

__all__ = [
    "AddressDataMissing",
    "AddressError",
    "AdminUnit",
    "CommuneNotInProvince",
    "Confidence",
    "Conversion",
    "UnknownCommune",
    "UnknownProvince",
    "communes",
    "convert_old_address",
    "load_units",
    "parse_answer",
    "provinces",
    "search_communes",
    "validate_pair",
]


class AddressError(ValueError):
    """Not an address of the current units: the citizen picks the province and commune again."""


class UnknownProvince(AddressError):
    pass


class UnknownCommune(AddressError):
    pass


class CommuneNotInProvince(AddressError):
    pass


@dataclasses.dataclass(frozen=True, slots=True)
class AdminUnit:
    """A commune/ward and its province. Codes are the official unit codes (GSO)."""

    province_code: int
    province: str
    commune_code: int
    commune: str

    @property
    def answer(self) -> str:
        """The string form an address field's answer takes: ``"<province code>:<commune code>"``."""
        return f"{self.province_code}:{self.commune_code}"

    @property
    def label(self) -> str:
        return f"{self.commune}, {self.province}"

    def as_value(self) -> dict[str, Any]:
        """The typed value sent in the dossier (names too, so the portal need not look them up)."""
        return dataclasses.asdict(self)


def _unit(ward: Ward) -> AdminUnit:
    from vietnam_provinces import Province

    province = Province.from_code(ward.province_code)
    return AdminUnit(int(province.code), province.name, int(ward.code), ward.name)


def provinces() -> list[tuple[int, str]]:
    """(code, name) of the 34 provinces and centrally run cities, by code."""
    from vietnam_provinces import Province

    return sorted((int(p.code), p.name) for p in Province.iter_all())


@functools.cache
def _communes_by_province() -> dict[int, tuple[AdminUnit, ...]]:
    from vietnam_provinces import Ward

    table: dict[int, list[AdminUnit]] = {}
    for ward in Ward.iter_all():
        unit = _unit(ward)
        table.setdefault(unit.province_code, []).append(unit)
    return {code: tuple(sorted(units, key=lambda u: u.commune_code)) for code, units in table.items()}


def communes(province_code: int) -> tuple[AdminUnit, ...]:
    try:
        return _communes_by_province()[province_code]
    except KeyError:
        raise UnknownProvince(f"no current province has the code {province_code}") from None


@functools.cache
def _folded() -> tuple[tuple[str, AdminUnit], ...]:
    return tuple((fold_text(u.commune), u) for units in _communes_by_province().values() for u in units)


def load_units() -> None:
    """Load the unit lists now (a tenth of a second): ``kiosk run`` does it in the background once
    the welcome screen is painted, so the first address question does not wait for them."""
    provinces()
    _folded()
    _province_keys()


def search_communes(query: str, province_code: int | None = None, limit: int = 20) -> list[AdminUnit]:
    """Communes whose name contains every word of ``query``, ignoring diacritics and case.

    Names that start with the query come first ("an" finds "Xã An Bình" before "Phường Tân An").
    """
    words = fold_text(query).split()
    if not words:
        return []
    hits = [
        (name, unit) for name, unit in _folded()
        if (province_code is None or unit.province_code == province_code)
        and all(word in name for word in words)
    ]
    plain = " ".join(words)
    hits.sort(key=lambda hit: (not _bare(hit[0]).startswith(plain), hit[0]))
    return [unit for _, unit in hits[:limit]]


def _bare(folded_name: str) -> str:
    for prefix in ("xa ", "phuong ", "dac khu "):
        if folded_name.startswith(prefix):
            return folded_name[len(prefix):]
    return folded_name


def validate_pair(province_code: int, commune_code: int) -> AdminUnit:
    """The unit for this pair, or the precise reason it is not one."""
    from vietnam_provinces import Ward

    communes(province_code)  # raises UnknownProvince
    try:
        ward = Ward.from_code(commune_code)  # type: ignore[arg-type]
    except ValueError:
        raise UnknownCommune(f"no current commune or ward has the code {commune_code}") from None
    if int(ward.province_code) != province_code:
        raise CommuneNotInProvince(f"commune {commune_code} is not in province {province_code}")
    return _unit(ward)


def parse_answer(text: str) -> AdminUnit:
    """Parse an address field's answer ``"<province code>:<commune code>"`` (as ``AdminUnit.answer``)."""
    left, sep, right = text.strip().partition(":")
    if not sep or not left.strip().isdigit() or not right.strip().isdigit():
        raise AddressError("an address answer is '<province code>:<commune code>'")
    if not left.strip().isascii() or not right.strip().isascii():
        raise AddressError("an address answer is '<province code>:<commune code>'")
    return validate_pair(int(left), int(right))


class Confidence(enum.Enum):
    EXACT = "exact"  # the old commune maps to exactly one current commune
    AMBIGUOUS = "ambiguous"  # it was split: the citizen chooses among ``candidates``
    PROVINCE_ONLY = "province_only"  # only the province could be read: the citizen picks the commune
    NOT_FOUND = "not_found"  # nothing usable: the citizen picks both


@dataclasses.dataclass(frozen=True)
class Conversion:
    """The outcome of converting an old address. The UI shows it and lets the citizen change it."""

    confidence: Confidence
    # where the person lives is personal: none of it shows in the repr (logs, tracebacks)
    unit: AdminUnit | None = dataclasses.field(default=None, repr=False)  # set only when EXACT
    candidates: tuple[AdminUnit, ...] = dataclasses.field(default=(), repr=False)  # when AMBIGUOUS
    province_code: int | None = dataclasses.field(default=None, repr=False)  # unless NOT_FOUND
    street: str = dataclasses.field(default="", repr=False)  # house number, street, hamlet


def convert_old_address(text: str) -> Conversion:
    """Convert an old three-level address (or read a current two-level one) into the current units.

    Runs offline and never raises on odd text: what cannot be read comes back as ``NOT_FOUND``.
    """
    text = text.strip()[:500]
    if not text:
        return Conversion(Confidence.NOT_FOUND)
    old = parse_legacy(text)
    if old.province_key and old.district_key:  # a district in it: an old three-level address
        return _literal(_convert_legacy(old), text, old.short_ward)
    new = parse_current(text)
    province = _province_by_key(new.province_key) if new.province_key else None
    if province is None:
        return Conversion(Confidence.NOT_FOUND)
    unit = _commune_by_key(province, new.ward_key) if new.ward_key else None
    if unit is None:
        return Conversion(Confidence.PROVINCE_ONLY, province_code=province)
    found = Conversion(Confidence.EXACT, unit=unit, province_code=province, street=new.street)
    return _literal(found, text, new.short_ward)


def _literal(found: Conversion, text: str, ward_name: str | None) -> Conversion:
    """The tables match loosely (aliases, typos): a commune not written in the text is only offered."""
    if found.confidence is not Confidence.EXACT or found.unit is None:
        return found
    if ward_name and _key(ward_name) in _key(text):
        return found
    return dataclasses.replace(found, confidence=Confidence.AMBIGUOUS, unit=None, candidates=(found.unit,))


def _convert_legacy(old: Parsed) -> Conversion:
    tables = table(CONVERTER)
    new_key = next((new for new, olds in tables["DICT_PROVINCE"].items() if old.province_key in olds), None)
    province = _province_by_key(new_key) if new_key else None
    if province is None:
        return Conversion(Confidence.NOT_FOUND)
    street = old.street
    if not old.ward_key:
        return Conversion(Confidence.PROVINCE_ONLY, province_code=province, street=street)
    old_key = f"{old.province_key}_{old.district_key}_{old.ward_key}"
    whole = tables["DICT_PROVINCE_WARD_NO_DIVIDED"].get(new_key, {})
    ward_key = next((new for new, olds in whole.items() if old_key in olds), None)
    if ward_key is not None:
        unit = _commune_by_key(province, ward_key)
        if unit is not None:
            return Conversion(Confidence.EXACT, unit=unit, province_code=province, street=street)
        return Conversion(Confidence.PROVINCE_ONLY, province_code=province, street=street)
    parts = tables["DICT_PROVINCE_WARD_DIVIDED"].get(new_key, {}).get(old_key, [])
    found = [_commune_by_key(province, part["newWardKey"]) for part in parts]
    candidates = tuple(u for u in found if u is not None)
    if candidates:
        return Conversion(Confidence.AMBIGUOUS, candidates=candidates, province_code=province, street=street)
    return Conversion(Confidence.PROVINCE_ONLY, province_code=province, street=street)


def _key(name: str) -> str:
    """The tables' keys: folded name, letters and digits only ("Xã Phúc Thịnh" -> "xaphucthinh")."""
    return "".join(ch for ch in fold_text(name) if ch.isalnum())


@functools.cache
def _province_keys() -> dict[str, int]:
    from vietnam_provinces import Province

    keys: dict[str, int] = {}
    for p in Province.iter_all():
        keys[_key(p.name)] = int(p.code)
        prefix = "thanhpho" if _key(p.name).startswith("thanhpho") else "tinh"
        keys[prefix + _key(p.name).removeprefix("thanhpho")] = int(p.code)
    return keys


def _province_by_key(key: str) -> int | None:
    return _province_keys().get(key)


def _commune_by_key(province_code: int, key: str) -> AdminUnit | None:
    """A key with marks ("xãcẩmgiàng") names one of two communes that differ only by their marks."""
    spell = _key if key.isascii() else _accented_key
    matches = [u for u in communes(province_code) if spell(u.commune) == key]
    return matches[0] if len(matches) == 1 else None


def _accented_key(name: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFC", name).casefold() if ch.isalnum())
