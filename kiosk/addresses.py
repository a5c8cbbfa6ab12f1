"""Addresses in the current two-level administrative units (34 provinces, communes/wards from 1 July 2025).

The units come from the ``vietnam-provinces`` package (its data, not ours). Cards issued before July
2025 print three-level addresses ("Thôn Đông, Xã Vân Nội, Huyện Đông Anh, Hà Nội"); those are
converted with the MIT data tables of the ``vietnamadminunits`` package (read as JSON files; none of
its modules is imported, because its parser imports the GPL ``unidecode``: see docs/address-data.md),
and the result always carries a ``Confidence`` so the UI shows it to the citizen for confirmation.
Nothing is guessed silently: an old commune that was split into several new ones comes back as
``AMBIGUOUS`` with the candidates, never as one of them. Everything runs offline.

Errors (``ValueError`` subclasses, so a bad answer is just a bad value)::

    AddressError              the text is not "<province code>:<commune code>" of the current units
     +-- UnknownProvince      no current province has that code
     +-- UnknownCommune       no current commune/ward has that code
     +-- CommuneNotInProvince the commune exists but belongs to another province

    AddressDataMissing (RuntimeError)  the package's tables are not installed: an installation fault
"""

from __future__ import annotations

import dataclasses
import enum
import functools
import importlib.util
import json
import pathlib
import re
import unicodedata
from typing import Any

from vietnam_provinces import Province, Ward

from kiosk.procedures import fold_text

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
    province = Province.from_code(ward.province_code)
    return AdminUnit(int(province.code), province.name, int(ward.code), ward.name)


def provinces() -> list[tuple[int, str]]:
    """(code, name) of the 34 provinces and centrally run cities, by code."""
    return sorted((int(p.code), p.name) for p in Province.iter_all())


@functools.cache
def _communes_by_province() -> dict[int, tuple[AdminUnit, ...]]:
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
    old = _parse_legacy(text)
    if old.province_key and old.district_key:  # a district in it: an old three-level address
        return _literal(_convert_legacy(old), text, old.short_ward)
    new = _parse_current(text)
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


def _convert_legacy(old: _Parsed) -> Conversion:
    tables = _table(_CONVERTER)
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


# --- reading addresses with the MIT data tables of ``vietnamadminunits``, not its code -------------
# Its parser imports Unidecode (GPL), so we never import any of its modules, not even its __init__
# (which imports the parser): we locate the package directory and read the JSON files. The matching
# below follows the tables' own conventions (see docs/address-data.md): every table maps a unit key to
# keywords (its name as a key, with and without the type); the rightmost keyword wins, province first,
# then district, then ward, each matched unit masked so that the next level cannot reuse its letters.

_LEGACY, _CURRENT, _CONVERTER = "parser_legacy.json", "parser_from_2025.json", "converter_2025.json"
_HUE = "thanhphohue"  # its old city wards are spelt like its new districts: hidden while finding those
_HUE_WARDS = ("phuongthuanhoa", "phuongthuybieu", "phuongthuyvan", "phuongthuyxuan")
_ISLANDS = frozenset({"huyenbachlongvi", "huyenconco", "huyenhoangsa", "huyenlyson", "huyencondao"})


class AddressDataMissing(RuntimeError):
    """The mapping tables are not installed: IT reinstalls the kiosk's dependencies."""


@functools.lru_cache(maxsize=None)
def _table(name: str) -> dict[str, Any]:
    spec = importlib.util.find_spec("vietnamadminunits")  # locates the package; runs none of its code
    if spec is None or not spec.submodule_search_locations:
        raise AddressDataMissing("the package 'vietnamadminunits' (address tables) is not installed")
    path = pathlib.Path(next(iter(spec.submodule_search_locations))) / "data" / name
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise AddressDataMissing(f"the address table {name} cannot be read: reinstall 'vietnamadminunits'") from exc


def _node(name: str, path: tuple[str, ...]) -> Any:
    node: Any = _table(name)
    for step in path:
        node = node.get(step) if isinstance(node, dict) else None
    return node


@functools.lru_cache(maxsize=4096)
def _index(name: str, path: tuple[str, ...], field: str) -> tuple[re.Pattern[str], dict[str, str]] | None:
    """One table's keywords, longest first (as alternatives), and the unit each names (the first wins)."""
    node = _node(name, path)
    if not node:
        return None
    owner: dict[str, str] = {}
    for unit_key, entry in node.items():
        for word in entry.get(field, ()):
            owner.setdefault(word.casefold(), unit_key)
    if not owner:
        return None
    words = sorted(owner, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, words)), re.IGNORECASE), owner


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
        for last in index[0].finditer(key):
            pass
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
class _Parsed:
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


def _parse_legacy(text: str) -> _Parsed:
    """Province, district and commune of the 63-province units (before 1 July 2025)."""
    keyed, out = _Keyed(text), _Parsed()
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


def _parse_current(text: str) -> _Parsed:
    """Province and commune/ward of the 34-province units (from 1 July 2025)."""
    keyed, out, ward = _Keyed(text), _Parsed(), None
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
