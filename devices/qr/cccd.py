"""Parse (and render) the QR code printed on a CCCD card (the chip-ID card issued since 2021).

Layout: ``ID | old ID (may be empty) | name | DOB ddMMyyyy | Nam/Nữ | residence | issue ddMMyyyy``;
a 6-field variant has no old-ID field; 2024 cards may append fields we keep raw in ``extras``.
The layout is recognised by where the date of birth sits, never by counting alone.

Errors (all ``CccdQrError``, a ``QrPayloadError``; ``code`` is stable, the message is for the citizen)::

    CccdQrError (devices.qr.errors)
      code too_long       more than 1024 characters
      code binary         control characters / undecodable bytes: not text at all
      code not_cccd       no field separators or no numeric ID: some other QR code
      code field_count    fewer than 6 fields
      code bad_id         ID (or old ID) is not a valid 12-digit (9-digit) number of ASCII
                          digits (digits of other scripts pass str.isdigit: not here)
      code bad_date       a date is not a real ddMMyyyy date of ASCII digits, lies in the
                          future, before 1900, or the issue precedes the birth
      code bad_field      empty name, unknown sex value
      code unsafe_text    a direction override, an invisible or another character that has no
                          place in a name or an address
      code id_mismatch    the ID's century/year/sex digits contradict the DOB or sex

Names and the residence pass the validator the chip's data groups pass too
(``kiosk.domain.clean_text``): NFC, single spaces, nothing hidden. ``today`` may be injected.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import unicodedata

from devices.qr.errors import CccdQrError, QrPayloadError
from kiosk.domain.clean_text import (DateKind, TextProblem, UnsafeText, check_date, clean_name,
                                     clean_text)
from kiosk.domain.identity import CitizenIdentity, IdProblem, IdSource, Sex, check_id_number

__all__ = ["MAX_LENGTH", "CccdQr", "CccdQrError", "QrPayloadError", "parse_cccd_qr", "render_cccd_qr"]

MAX_LENGTH = 1024
_DATE = re.compile(r"[0-9]{8}")  # ASCII digits only (\d also matches other scripts' digits)
_OLD_ID = re.compile(r"[0-9]{9}|[0-9]{12}")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\ufffd]")
_STRUCTURE = {IdProblem.NOT_12_DIGITS, IdProblem.UNKNOWN_PROVINCE}


@dataclasses.dataclass(frozen=True, slots=True)
class CccdQr:
    identity: CitizenIdentity
    old_id: str | None
    extras: tuple[str, ...] = ()

    def __repr__(self) -> str:
        return f"CccdQr({self.identity!r}, old_id={'yes' if self.old_id else 'no'}, extras={len(self.extras)})"


def _date(text: str, kind: DateKind, today: dt.date | None, **context: dt.date) -> dt.date:
    if not _DATE.fullmatch(text):
        raise CccdQrError("bad_date")
    try:
        day = dt.date(int(text[4:]), int(text[2:4]), int(text[:2]))
        return check_date(day, kind, today=today, **context)
    except (ValueError, UnsafeText):
        raise CccdQrError("bad_date") from None


def _clean(text: str, field: str, name: bool) -> str:
    """A name or an address through the shared validator; its problem becomes our code."""
    try:
        return clean_name(text, field) if name else clean_text(text, field)
    except UnsafeText as exc:
        if exc.problem is TextProblem.EMPTY:
            raise CccdQrError("bad_field") from None
        if exc.problem is TextProblem.CONTROL:
            raise CccdQrError("binary") from None
        raise CccdQrError("unsafe_text") from None


def _split(text: object) -> list[str]:
    if not isinstance(text, str):
        raise CccdQrError("binary")
    if len(text) > MAX_LENGTH:
        raise CccdQrError("too_long")
    text = unicodedata.normalize("NFC", text.strip())
    if _CONTROL.search(text):
        raise CccdQrError("binary")
    if "|" not in text:
        raise CccdQrError("not_cccd")
    fields = [f.strip() for f in text.split("|")]
    if not fields[0].isascii() or not fields[0].isdigit():
        raise CccdQrError("not_cccd")
    if len(fields) < 6:
        raise CccdQrError("field_count")
    return fields


def parse_cccd_qr(text: str, *, today: dt.date | None = None) -> CccdQr:
    """Parse a CCCD QR payload; raises ``CccdQrError`` (and nothing else) on any bad input."""
    fields = _split(text)
    if len(fields) >= 7 and _DATE.fullmatch(fields[3]):
        id_number, old_id, name, dob, sex, residence, issued = fields[:7]
        extras = fields[7:]
    elif _DATE.fullmatch(fields[2]):
        id_number, name, dob, sex, residence, issued = fields[:6]
        old_id, extras = "", fields[6:]
    else:
        raise CccdQrError("bad_date")
    if set(check_id_number(id_number)) & _STRUCTURE:
        raise CccdQrError("bad_id")
    if old_id and not _OLD_ID.fullmatch(old_id):
        raise CccdQrError("bad_id")
    birth = _date(dob, DateKind.BIRTH, today)
    issue = _date(issued, DateKind.ISSUE, today, born=birth)
    if not name:
        raise CccdQrError("bad_field")
    name = _clean(name, "name", name=True)
    residence = _clean(residence, "residence", name=False) if residence else ""
    try:
        sex_value = Sex.from_text(sex)
    except ValueError:
        raise CccdQrError("bad_field") from None
    if check_id_number(id_number, birth, sex_value):
        raise CccdQrError("id_mismatch")
    identity = CitizenIdentity(
        id_number=id_number, source=IdSource.QR, full_name=name, date_of_birth=birth,
        sex=sex_value, residence=residence or None, issue_date=issue, old_id_number=old_id or None,
    )
    return CccdQr(identity, old_id or None, tuple(extras))


def render_cccd_qr(
    identity: CitizenIdentity, *, with_old_id_field: bool = True, extras: tuple[str, ...] = ()
) -> str:
    """The payload a card would carry for ``identity`` (used for samples and round-trip tests)."""
    if identity.date_of_birth is None or identity.sex is None or identity.issue_date is None:
        raise ValueError("a CCCD QR needs the date of birth, sex and issue date")
    fields = [identity.id_number]
    if with_old_id_field:
        fields.append(identity.old_id_number or "")
    fields += [
        identity.full_name or "",
        identity.date_of_birth.strftime("%d%m%Y"),
        "Nữ" if identity.sex is Sex.FEMALE else "Nam",
        identity.residence or "",
        identity.issue_date.strftime("%d%m%Y"),
        *extras,
    ]
    return "|".join(fields)
