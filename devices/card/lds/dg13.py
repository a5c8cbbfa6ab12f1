"""DG13: the Vietnamese citizen's details (cccd.md section 6), and ``to_identity``.

::

    6D { 30 { 02 version  06 OID  31 { 30 { 02 <field no> <value...> } ... } } }

Fields are read by number, never by position: any may be absent (None) and numbers we do not
know are kept as raw DER so nothing the chip says is lost. Dates are kept as the chip's text
(``dd/mm/yyyy``) and converted by properties, because the expiry may be words ("Không thời hạn",
no expiry) and an old person's birth date may be partial.

Each field passes ``kiosk.domain.clean_text`` (no control, direction or invisible characters; ASCII
digits in numbers and dates; dates that can exist). A field that does not decode or does not
pass is left out and named in ``rejected`` with the reason: one bad field never loses the others.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import unicodedata
from collections.abc import Mapping

from devices.card.errors import MalformedData
from devices.card.lds import _der
from devices.card.lds._tlv import decode_all, encode, expect
from devices.card.lds.dg1 import Dg1
from kiosk.domain.clean_text import (DateKind, UnsafeText, ascii_digits, check_date, clean_name,
                                     clean_text)
from kiosk.domain.identity import CitizenIdentity, IdSource, Sex

__all__ = ["Dg13Fields", "FIELD_NAMES", "build", "parse", "to_identity"]

UTF8_OID = "1.0.10646.1.0.8"
FIELD_NAMES: dict[int, str] = {
    1: "id_number", 2: "full_name", 3: "date_of_birth_text", 4: "sex_text", 5: "nationality",
    6: "ethnicity", 7: "religion", 8: "place_of_origin", 9: "residence",
    10: "identifying_marks", 11: "issue_date_text", 12: "expiry_text", 15: "old_id_number",
    16: "chip_id",
}
_PARENTS, _SPOUSE = 13, 14


@dataclasses.dataclass(frozen=True, slots=True)
class Dg13Fields:
    id_number: str | None = None
    full_name: str | None = None
    date_of_birth_text: str | None = None
    sex_text: str | None = None
    nationality: str | None = None
    ethnicity: str | None = None
    religion: str | None = None
    place_of_origin: str | None = None
    residence: str | None = None
    identifying_marks: str | None = None
    issue_date_text: str | None = None
    expiry_text: str | None = None
    father_name: str | None = None
    mother_name: str | None = None
    spouse_name: str | None = None
    old_id_number: str | None = None
    chip_id: str | None = None
    unknown: Mapping[int, bytes] = dataclasses.field(default_factory=dict)
    version: int = 1
    oid: str = UTF8_OID
    rejected: Mapping[int, str] = dataclasses.field(default_factory=dict)  # field no. -> why

    def __repr__(self) -> str:  # every field is personal data: show only which are present
        present = [n for n, name in FIELD_NAMES.items() if getattr(self, name) is not None]
        if self.father_name is not None or self.mother_name is not None:
            present.append(_PARENTS)
        if self.spouse_name is not None:
            present.append(_SPOUSE)
        present.sort()
        return (f"Dg13Fields(fields={present}, unknown={sorted(self.unknown)}, "
                f"rejected={sorted(self.rejected)})")

    __str__ = __repr__

    @property
    def date_of_birth(self) -> dt.date | None:
        return _date(self.date_of_birth_text)

    @property
    def issue_date(self) -> dt.date | None:
        return _date(self.issue_date_text)

    @property
    def expiry_date(self) -> dt.date | None:
        return _date(self.expiry_text)

    @property
    def has_expiry(self) -> bool | None:
        """False when field 12 holds words instead of a date (no expiry); None when absent."""
        if self.expiry_text is None:
            return None
        return self.expiry_date is not None

    @property
    def sex(self) -> Sex | None:
        try:
            return None if self.sex_text is None else Sex.from_text(self.sex_text)
        except ValueError:
            return None


def _date(text: str | None) -> dt.date | None:
    try:
        return None if text is None else dt.datetime.strptime(text.strip(), "%d/%m/%Y").date()
    except ValueError:
        return None


def _texts(elements: list[tuple[int, bytes]], number: int) -> list[str | None]:
    if len(elements) == 1 and elements[0][0] == _der.SEQUENCE:
        elements = decode_all(elements[0][1])
    out: list[str | None] = []
    for tag, value in elements:
        text = unicodedata.normalize("NFC", _der.decode_text(tag, value, f"DG13 field {number}"))
        out.append(text.strip() or None)
    return out


def _field(body: bytes) -> tuple[int, list[tuple[int, bytes]], bytes]:
    value, end = _der.first(body, _der.INTEGER, "DG13 field number")
    number = _der.decode_int(value, "DG13 field number")
    rest = body[end:]
    return number, decode_all(rest), rest


def parse(raw: bytes, *, today: dt.date | None = None) -> Dg13Fields:
    """The fields; ``MalformedData`` only when DG13 itself (not one field) does not decode."""
    outer = expect(raw, 0x6D, "DG13")
    seq = expect(outer, _der.SEQUENCE, "DG13")
    items = decode_all(seq)
    if len(items) != 3 or [t for t, _ in items] != [_der.INTEGER, _der.OID, _der.SET]:
        raise MalformedData("DG13: expected version, OID and a SET of fields")
    values: dict[str, object] = {
        "version": _der.decode_int(items[0][1], "DG13 version"),
        "oid": _der.decode_oid(items[1][1], "DG13 OID"),
    }
    unknown: dict[int, bytes] = {}
    rejected: dict[int, str] = {}
    seen: set[int] = set()
    for tag, body in decode_all(items[2][1]):
        if tag != _der.SEQUENCE:
            raise MalformedData(f"DG13: a field is tag {tag:02X}, not a SEQUENCE")
        number, elements, rest = _field(body)
        if number in seen:
            raise MalformedData(f"DG13: field {number} appears twice")
        seen.add(number)
        try:
            _store(values, unknown, number, elements, rest)
        except (MalformedData, UnsafeText) as exc:
            rejected[number] = str(exc)
    fields = Dg13Fields(unknown=unknown, **values)  # type: ignore[arg-type]
    return _check_dates(fields, rejected, today or dt.date.today())


def _store(values: dict[str, object], unknown: dict[int, bytes], number: int,
           elements: list[tuple[int, bytes]], rest: bytes) -> None:
    if number in FIELD_NAMES:
        texts = _texts(elements, number)
        if len(texts) > 1:
            raise MalformedData(f"DG13: field {number} has {len(texts)} values")
        text = texts[0] if texts else None
        values[FIELD_NAMES[number]] = None if text is None else _clean(number, text)
    elif number == _PARENTS:
        texts = [_clean_person(t, "parent's name") for t in _texts(elements, number)]
        values["father_name"], values["mother_name"] = (texts + [None, None])[:2]
    elif number == _SPOUSE:
        texts = [_clean_person(t, "spouse's name") for t in _texts(elements, number)]
        values["spouse_name"] = (texts + [None])[0]
    else:
        unknown[number] = rest


_NAMES = {2: "name", 4: "sex", 6: "ethnicity"}
_NUMBERS: dict[int, tuple[str, int | tuple[int, ...]]] = {1: ("ID number", 12),
                                                           15: ("old ID number", (9, 12))}
_DATES = {3: "date of birth", 11: "issue date", 12: "expiry date"}
_TEXTS = {5: "nationality", 7: "religion", 8: "place of origin", 9: "residence",
          10: "identifying marks", 16: "chip number"}


def _clean(number: int, text: str) -> str:
    """The field's text through the one validator for card text (``kiosk.domain.clean_text``)."""
    if number in _NAMES:
        return clean_name(text, _NAMES[number])
    if number in _NUMBERS:
        field, length = _NUMBERS[number]
        return ascii_digits(text, length, field)
    if number in _DATES:
        text = clean_text(text, _DATES[number])
        if number != 12 or _date(text) is not None:  # field 12 may be words: no expiry
            ascii_digits(text.replace("/", ""), 8, _DATES[number])
        return text
    return clean_text(text, _TEXTS.get(number, f"field {number}"))


def _clean_person(text: str | None, field: str) -> str | None:
    return None if text is None else clean_name(text, field)


def _check_dates(fields: Dg13Fields, rejected: dict[int, str], today: dt.date) -> Dg13Fields:
    """Dates that cannot be right (a birth or issue in the future, an issue before the birth,
    an expiry before the issue) are rejected like any other bad field."""
    changes: dict[str, object] = {}

    def passes(number: int, name: str, day: dt.date | None, kind: DateKind,
               **context: dt.date | None) -> dt.date | None:
        if day is None:
            return None
        try:
            return check_date(day, kind, today=today, **context)
        except UnsafeText as exc:
            rejected[number] = str(exc)
            changes[name] = None
            return None

    born = passes(3, "date_of_birth_text", fields.date_of_birth, DateKind.BIRTH)
    issued = passes(11, "issue_date_text", fields.issue_date, DateKind.ISSUE, born=born)
    passes(12, "expiry_text", fields.expiry_date, DateKind.EXPIRY, issued=issued)
    return dataclasses.replace(fields, rejected=rejected, **changes)  # type: ignore[arg-type]


def _utf8(text: str | None) -> bytes:
    return encode(_der.UTF8, (text or "").encode("utf-8"))


def build(fields: Dg13Fields) -> bytes:
    bodies: dict[int, bytes] = {}
    for number, name in FIELD_NAMES.items():
        value = getattr(fields, name)
        if value is not None:
            bodies[number] = _utf8(value)
    if fields.father_name is not None or fields.mother_name is not None:
        bodies[_PARENTS] = encode(_der.SEQUENCE, _utf8(fields.father_name) + _utf8(fields.mother_name))
    if fields.spouse_name is not None:
        bodies[_SPOUSE] = encode(_der.SEQUENCE, _utf8(fields.spouse_name))
    bodies.update(fields.unknown)
    entries = b"".join(
        encode(_der.SEQUENCE, _der.encode_int(n) + bodies[n]) for n in sorted(bodies)
    )
    seq = _der.encode_int(fields.version) + _der.encode_oid(fields.oid) + encode(_der.SET, entries)
    return encode(0x6D, encode(_der.SEQUENCE, seq))


def to_identity(dg13: Dg13Fields, dg1: Dg1 | None = None) -> CitizenIdentity:
    """The citizen as the chip describes them; DG1 fills only what DG13 lacks.

    When DG1 and DG13 name different ID numbers DG13's is used; the reader reports the
    disagreement as a failed check (``document.ChipDocument.consistency``), never hides it.
    """
    mrz_id = dg1.mrz.id_number if dg1 is not None else None
    id_number = dg13.id_number or mrz_id
    if id_number is None:
        raise MalformedData("The chip carries no ID number (DG13 field 1 and DG1 are empty)")
    sex = dg13.sex
    if sex is None and dg1 is not None and dg1.mrz.sex in ("M", "F"):
        sex = Sex(dg1.mrz.sex)
    full_name = dg13.full_name or (dg1.mrz.name if dg1 is not None else None)
    return CitizenIdentity(
        id_number=id_number, source=IdSource.CHIP, full_name=full_name,
        date_of_birth=dg13.date_of_birth, sex=sex, nationality=dg13.nationality,
        ethnicity=dg13.ethnicity, religion=dg13.religion,
        place_of_origin=dg13.place_of_origin, residence=dg13.residence,
        issue_date=dg13.issue_date, expiry_date=dg13.expiry_date,
        old_id_number=dg13.old_id_number, father_name=dg13.father_name,
        mother_name=dg13.mother_name, spouse_name=dg13.spouse_name,
    )
